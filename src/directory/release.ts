/**
 * The Windows release of a computer object, from what the directory holds: operatingSystemVersion
 * ("10.0 (17763)") and the operatingSystem text ("Windows Server 2019 Standard"). Before 10.0 the
 * version names the release; from 10.0 on a build is several releases (Server 2019 and Server 1809,
 * Windows 10 Enterprise and its LTSC), which a host tells apart by its SKU and the directory only by
 * the edition's name, in English as Windows writes it there whatever the host's language.
 */
import type { Computer, OsVersion } from "./computer";
import { LIFECYCLE, lookupLifecycle } from "../judge/lifecycle-data";
import { modernClient, sacServer, type LifecycleLookup } from "../judge/lifecycle-modern";
import type { EditionGroup } from "../judge/editions";

/** The edition group the operatingSystem text names, for a Windows 10 or 11 client. */
function clientGroup(os: string): EditionGroup | undefined {
  if (/\bIoT\b.*\bLTS[BC]\b/i.test(os)) return "iotLtsc";
  if (/\bLTS[BC]\b/i.test(os)) return "ltsc";
  if (/\b(Enterprise|Education)\b/i.test(os)) return "enterpriseEducation";
  if (/\b(Pro|Home)\b/i.test(os)) return "homePro";
  return undefined;
}

export function directoryRelease(c: Computer & { osVersion: OsVersion; os: string }, server: boolean): LifecycleLookup {
  const v = c.osVersion;
  if (v.major !== 10 || v.minor !== 0) return lookupLifecycle({ ...v, productType: server ? 3 : 1 });
  if (server) {
    if (/\bnano\b/i.test(c.os)) return lookupLifecycle({ ...v, productType: 3, installationType: "Nano Server" });
    const year = /\bServer (2016|2019|2022|2025)\b/i.exec(c.os)?.[1];
    const fixed = year === undefined ? undefined : LIFECYCLE.find((e) => e.family === "server" && e.build === v.build && e.product.endsWith(year));
    if (fixed !== undefined) return { ok: true, entry: fixed };
    // "Windows Server Datacenter" without a year: a Semi-Annual Channel release.
    return sacServer(v.build) ?? { ok: false, why: `build ${v.build} with operatingSystem ${JSON.stringify(c.os)} names no Windows Server release hostproof has lifecycle data for` };
  }
  const group = clientGroup(c.os);
  if (group === undefined) return { ok: false, why: `operatingSystem ${JSON.stringify(c.os)} names no edition whose lifecycle hostproof knows (Home/Pro, Enterprise/Education, LTSC)` };
  // The edition comes from the directory's text, not a SKU: 0 stands for "named, not numbered".
  return modernClient(v.build, group, 0);
}
