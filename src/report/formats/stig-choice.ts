/**
 * Which DISA STIG a host is assessed by (its checklist, ckl/, and the STIG tags of its own HDF
 * file, hdf/): the STIG of the Windows Server release the
 * host runs, read from its snapshot (Win32_OperatingSystem and the CurrentVersion key, the facts
 * the judges decide releases on). A WN19 rule belongs in a Windows Server 2019 host's checklist
 * and nowhere else: a rule of another release's STIG would be a finding against a document the
 * host is not assessed by.
 *
 * Three answers:
 * - `platform`: the release is known and has a STIG hostproof maps (2016, 2019, 2022, 2025).
 * - `unknown`: the release could not be read, or its facts contradict each other. Any of the
 *   Windows Server STIGs could apply: the checklist holds each one's rules, and none of them is
 *   reported NotAFinding (ckl.ts), since nobody knows which one the host is assessed by.
 * - `none`: the release is known and no STIG hostproof maps covers it (Nano Server, a
 *   Semi-Annual Channel release, Windows Server 2012 R2 and older, a workstation). No VULN is
 *   written rather than a wrong one; the index says why.
 */
import { normaliseComputerSystem } from "../../facts/computerSystem";
import { normaliseOs } from "../../facts/os";
import { normaliseWindowsVersion } from "../../facts/windowsVersion";
import { editionGroupOf } from "../../judge/editions";
import { osContradictions, releaseKind } from "../../judge/os-release";
import type { StigRef } from "../../model/mapping";
import type { Snapshot } from "../../model/snapshot";

export type StigChoice = { kind: "platform"; platform: string; basis: string } | { kind: "unknown"; why: string } | { kind: "none"; why: string };

/**
 * Whether a host with `choice` is assessed by `ref`'s STIG: the rule of its own release, every
 * Windows Server release's when its release is unknown, none when no mapped STIG covers it. A STIG
 * whose platform hostproof does not know (an organisation's `@stig:RHEL-…`) is not a Windows
 * Server release's, so the host's release says nothing of it: it stays.
 */
export function stigFits(ref: StigRef, choice: StigChoice): boolean {
  if (ref.platform === undefined) return true;
  return choice.kind === "unknown" || (choice.kind === "platform" && ref.platform === choice.platform);
}

/** STIG Viewer's ROLE values (checklistJsonix's Role). */
export type CklRole = "None" | "Workstation" | "Member Server" | "Domain Controller";

/** The Windows Server releases with a STIG hostproof maps, by their build (10.0.x). */
const SERVER_BUILDS: Readonly<Record<number, string>> = {
  14393: "Windows Server 2016",
  17763: "Windows Server 2019",
  20348: "Windows Server 2022",
  26100: "Windows Server 2025",
};

/** The STIG of `snapshot`'s host, and its role as STIG Viewer names roles. */
export function stigChoiceOf(snapshot: Snapshot): { choice: StigChoice; role: CklRole } {
  const probes = snapshot.probes ?? {};
  const os = normaliseOs(probes.os);
  const system = normaliseComputerSystem(probes.computerSystem);
  if (!os.ok) return { choice: { kind: "unknown", why: `its operating system could not be read (${os.problem.message})` }, role: "None" };
  const o = os.value;
  const joined = system.ok ? system.value.partOfDomain : null;
  const version = normaliseWindowsVersion(probes.windowsVersion);
  // Server or workstation from every fact that says so: Windows 10/11 Enterprise multi-session
  // reports ProductType 3 and is a workstation, never given a Windows Server STIG (os-release.ts).
  const kind = releaseKind(o, version.ok ? version.value : undefined);
  const role: CklRole = kind === "client" ? "Workstation" : o.productType === 2 ? "Domain Controller" : o.productType === 3 && joined === true ? "Member Server" : "None";
  const contradictions = osContradictions(o, version.ok ? version.value : undefined);
  if (contradictions.length > 0) return { choice: { kind: "unknown", why: `the facts that name its release contradict each other: ${contradictions.join("; ")}` }, role };
  const release = `version ${o.version}${o.caption !== "" ? ` ('${o.caption}')` : ""}`;
  const server = SERVER_BUILDS[o.build];
  if (kind === undefined) {
    return { choice: { kind: "unknown", why: `Win32_OperatingSystem.ProductType was not reported, and ${release} may be a server or a workstation release` }, role };
  }
  if (kind === "client") return { choice: { kind: "none", why: `it is a workstation (${release}): hostproof maps no rule of a Windows client STIG` }, role };
  const group = o.sku === null ? undefined : editionGroupOf(o.sku);
  const installation = version.ok ? version.value.installationType?.trim().toLowerCase() : undefined;
  if (group === "nanoServer" || installation === "nano server") {
    return { choice: { kind: "none", why: `it runs Nano Server (${release}): the Windows Server STIGs' rules are not applied to a Nano Server host, whose support as a host ended on 2018-10-09 (HP-EOS-002)` }, role };
  }
  if (group === "serverSac") return { choice: { kind: "none", why: `it runs a Semi-Annual Channel release (${release}), for which DISA publishes no STIG` }, role };
  if (o.major !== 10 || o.minor !== 0 || server === undefined) {
    return { choice: { kind: "none", why: `it runs ${release}, which none of the STIGs hostproof maps covers (${Object.values(SERVER_BUILDS).join(", ")})` }, role };
  }
  const basis = `Win32_OperatingSystem version ${o.version}, ProductType ${o.productType}${o.sku !== null ? `, OperatingSystemSKU ${o.sku}` : ""}`;
  return { choice: { kind: "platform", platform: server, basis }, role };
}
