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
import { releaseMatches, releaseNamedBy } from "../judge/os-release";

/** The edition group the operatingSystem text names, for a Windows 10 or 11 client. */
function clientGroup(os: string): EditionGroup | undefined {
  if (/\bIoT\b.*\bLTS[BC]\b/i.test(os)) return "iotLtsc";
  if (/\bLTS[BC]\b/i.test(os)) return "ltsc";
  if (/\b(Enterprise|Education)\b/i.test(os)) return "enterpriseEducation";
  if (/\b(Pro|Home)\b/i.test(os)) return "homePro";
  return undefined;
}

/**
 * Where the directory's text names a release outright ("Windows Server 2019 Standard", "Windows 10
 * Enterprise"), the version must be that release's and the object's kind (a server by its text or
 * as a domain controller) that release's kind: a workstation is never given a server's name or date
 * (Windows 10 1809 and Server 2019 are both 17763; Windows 11 24H2 and Server 2025 both 26100), nor
 * a named release another's (Server 2025 at 17763 is not Windows Server 1809).
 */
export function directoryRelease(c: Computer & { osVersion: OsVersion; os: string }, server: boolean): LifecycleLookup {
  const v = c.osVersion;
  const version = `${v.major}.${v.minor} (${v.build})`;
  const named = releaseNamedBy(c.os);
  if (named !== undefined && !releaseMatches(named, v)) return { ok: false, why: `operatingSystem ${JSON.stringify(c.os)} names ${named.name}, but operatingSystemVersion is ${version}` };
  if (named !== undefined && (named.family === "server") !== server) {
    return { ok: false, why: `operatingSystem ${JSON.stringify(c.os)} names ${named.name}, a ${named.family === "server" ? "server" : "workstation"} release, but the object is ${server ? "a domain controller" : "not a server"}` };
  }
  if (v.major !== 10 || v.minor !== 0) return lookupLifecycle({ ...v, productType: server ? 3 : 1 });
  if (server) {
    if (/\bnano\b/i.test(c.os)) return lookupLifecycle({ ...v, productType: 3, installationType: "Nano Server" });
    if (named !== undefined) {
      const fixed = LIFECYCLE.find((e) => e.family === "server" && e.build === v.build && e.product === named.name);
      if (fixed !== undefined) return { ok: true, entry: fixed };
    }
    // "Windows Server Datacenter" without a year: a Semi-Annual Channel release.
    return sacServer(v.build) ?? { ok: false, why: `build ${v.build} with operatingSystem ${JSON.stringify(c.os)} names no Windows Server release hostproof has lifecycle data for` };
  }
  const group = clientGroup(c.os);
  // The edition comes from the directory's text, not a SKU: 0 stands for "named, not numbered";
  // with no edition named, the build alone decides where every edition ends on one day.
  const found = modernClient(v.build, group, group === undefined ? null : 0);
  if (found.ok || group !== undefined) return found;
  return { ...found, why: `operatingSystem ${JSON.stringify(c.os)} names no edition whose lifecycle hostproof knows (Home/Pro, Enterprise/Education, LTSC), and the editions of build ${v.build} end on different days` };
}
