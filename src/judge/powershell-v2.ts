/**
 * HP-PS2-001: the Windows PowerShell 2.0 engine is removed or disabled. PowerShell 2.0 predates
 * script block logging, AMSI and constrained language mode; `powershell -Version 2` is the
 * downgrade attackers use to escape them.
 *
 * Servers are judged by Server Manager's feature PowerShell-V2 (DISM's MicrosoftWindowsPowerShellV2
 * where Server Manager is missing), workstations by the optional features
 * MicrosoftWindowsPowerShellV2Root and MicrosoftWindowsPowerShellV2. Facts decide; the build
 * decides only the words: where Microsoft removed the engine (KB5065506: Windows 11 24H2 from the
 * August 2025 update, Windows Server 2025 from the September 2025 update, 25H2 and later), a
 * feature the host no longer has passes "removed from Windows", elsewhere "not present".
 */
import type { Fact, HostFacts, NamedFeatureFact, OptionalFeatureFact, WindowsVersionFact } from "../model/facts";
import type { DetailRow, EvidenceRef, Judgement } from "../model/result";
import * as facts from "../facts/generic";
import { genericProbe, type GenericProbe } from "../probes/generic";
import { evidence, problemMessage, undeterminedFromFact, type UnreadFact } from "./common";
import { contradictoryRelease, releaseKind } from "./os-release";
import type { HostJudge } from "./context";

export const POWERSHELL_V2_FEATURE = genericProbe.windowsFeature("PowerShell-V2", "MicrosoftWindowsPowerShellV2");
export const POWERSHELL_V2_OPTIONAL = [genericProbe.optionalFeature("MicrosoftWindowsPowerShellV2Root"), genericProbe.optionalFeature("MicrosoftWindowsPowerShellV2")];

/**
 * The first revision of build 26100 without the engine: the August 2025 cumulative update for
 * Windows 11 24H2 (KB5063878, 26100.4946) and the September 2025 one for Windows Server 2025
 * (KB5065426, 26100.6584). Builds after 26100 (25H2, 26200) never had it.
 */
const REMOVED_FROM = { client: 4946, server: 6584 } as const;

function removedByMicrosoft(version: Fact<WindowsVersionFact>, server: boolean): string | undefined {
  if (!version.ok || version.value.currentBuild === null) return undefined;
  const { currentBuild: build, ubr } = version.value;
  const first = server ? REMOVED_FROM.server : REMOVED_FROM.client;
  if (build > 26100 || (build === 26100 && ubr !== null && ubr >= first)) {
    return `Microsoft removed the PowerShell 2.0 engine from this release (build ${build}${ubr !== null ? `.${ubr}` : ""}; KB5065506)`;
  }
  return undefined;
}

const EXPECTED = "the Windows PowerShell 2.0 engine is removed or disabled";

interface Record {
  probe: GenericProbe;
  /** What the record says of the engine; null where it could not be read. */
  row: DetailRow | null;
  unread?: UnreadFact;
}

/** Server Manager's (or DISM's) PowerShell-V2 and the two optional features, each as a row. */
function records(f: HostFacts): { server: Record; optional: Record[] } {
  const fact: Fact<NamedFeatureFact> = facts.windowsFeature(f, POWERSHELL_V2_FEATURE);
  const server: Record = fact.ok
    ? {
        probe: POWERSHELL_V2_FEATURE,
        row: !fact.value.exists || fact.value.feature === null
          ? { subject: "PowerShell-V2", expected: "not installed or not present", actual: "not present", outcome: "ok" }
          : { subject: fact.value.feature.name, expected: "not installed or not present", actual: fact.value.feature.installed ? "installed" : "not installed", outcome: fact.value.feature.installed ? "deviation" : "ok" },
      }
    : { probe: POWERSHELL_V2_FEATURE, row: null, unread: fact };
  const optional = POWERSHELL_V2_OPTIONAL.map((p): Record => {
    const o = facts.optionalFeature(f, p) as Fact<OptionalFeatureFact>;
    if (!o.ok) return { probe: p, row: null, unread: o };
    const on = o.value.exists && !facts.OFF_STATES.includes(o.value.state ?? "");
    return { probe: p, row: { subject: p.parameters.Name!, expected: "Disabled, removed or not present", actual: o.value.exists ? (o.value.state ?? "state not reported") : "not present", outcome: on ? "deviation" : "ok" } };
  });
  return { server, optional };
}

/**
 * A record that shows the engine installed or enabled decides the control whatever else was read:
 * Server Manager's feature and DISM's optional features are views of one component, so the engine
 * is there whether this Windows is a server or a workstation, and an unreadable record or release
 * fact cannot repair it.
 */
function engineOn(f: HostFacts, found: Record[], base: EvidenceRef[], all: Record[], why: string): Judgement {
  const on = found.map((r) => `${r.row!.subject} is ${r.row!.actual}`).join("; ");
  return {
    status: "failed",
    expected: EXPECTED,
    actual: on,
    rule: why,
    details: all.map((r) => r.row ?? { subject: r.probe.parameters.Name!, expected: "read", actual: `could not be read (${r.unread!.problem.kind})`, outcome: "unreadable", note: problemMessage(f.host, r.unread!) }),
    evidence: [...base, ...all.map((r) => evidence(f.host, r.probe.id))],
  };
}

export const judgePowerShellV2Disabled: HostJudge = ({ facts: f }) => {
  const host = f.host;
  const base: EvidenceRef[] = [...(f.os.ok ? [evidence(host, "os")] : []), ...(f.windowsVersion.ok ? [evidence(host, "windowsVersion")] : [])];
  const { server: serverRecord, optional } = records(f);
  const all = [serverRecord, ...optional];
  const onIn = (rs: Record[]) => rs.filter((r) => r.row?.outcome === "deviation");
  // Server or workstation decides which records are read; contradictory facts decide nothing.
  const contradiction = f.os.ok ? contradictoryRelease(f, EXPECTED) : undefined;
  const kind = f.os.ok && contradiction === undefined ? releaseKind(f.os.value, f.windowsVersion.ok ? f.windowsVersion.value : undefined) : undefined;
  if (kind !== undefined) {
    const server = kind === "server";
    const removed = removedByMicrosoft(f.windowsVersion, server);
    const own = server ? judgeServer(f, removed, base) : judgeClient(f, removed, base);
    if (own.status === "failed") return own;
    const other = onIn(server ? optional : [serverRecord]);
    if (other.length > 0) return engineOn(f, other, base, all, `a ${server ? "server" : "workstation"} is judged by ${server ? "Server Manager's PowerShell-V2" : "the optional features"}, but the ${server ? "optional feature" : "Windows feature"} record shows the engine too, and it is one component`);
    return own;
  }
  // Which kind of Windows this is could not be told: the records decide alone, or nothing does.
  const on = onIn(all);
  if (on.length > 0) return engineOn(f, on, base, all, "whether this is a server or a workstation could not be told, and a feature record shows the engine installed or enabled: either way it is there");
  const unread = all.find((r) => r.unread !== undefined);
  if (unread === undefined) {
    const removed = removedByMicrosoft(f.windowsVersion, true);
    const gone = all.every((r) => r.row!.actual === "not present");
    const judgement: Judgement = {
      status: "passed",
      expected: EXPECTED,
      actual: gone ? "neither the Windows feature nor the optional features are present" : "PowerShell-V2 and both optional features are not installed, disabled or absent",
      rule: `whether this is a server or a workstation could not be told, but every record (Server Manager's and DISM's) shows the engine off or absent${gone && removed ? `; ${removed}` : ""}`,
      details: all.map((r) => r.row!),
      evidence: [...base, ...all.map((r) => evidence(host, r.probe.id))],
    };
    return judgement;
  }
  if (contradiction !== undefined) return contradiction;
  if (!f.os.ok) return undeterminedFromFact(host, f.os, EXPECTED, { evidence: [...base, ...all.map((r) => evidence(host, r.probe.id))] });
  return undeterminedFromFact(host, unread.unread!, EXPECTED, { evidence: [...base, ...all.map((r) => evidence(host, r.probe.id))] });
};

function judgeServer(f: HostFacts, removed: string | undefined, base: EvidenceRef[]): Judgement {
  const fact: Fact<NamedFeatureFact> = facts.windowsFeature(f, POWERSHELL_V2_FEATURE);
  if (!fact.ok) return undeterminedFromFact(f.host, fact, EXPECTED, { evidence: base });
  const refs = [...base, evidence(f.host, fact.probe)];
  const feature = fact.value.feature;
  if (!fact.value.exists || feature === null) {
    return { status: "passed", expected: EXPECTED, actual: "the host has no feature PowerShell-V2", rule: removed ?? "a feature the host does not have cannot run", evidence: refs };
  }
  const state = feature.installState !== null ? ` (InstallState ${feature.installState})` : "";
  return {
    status: feature.installed ? "failed" : "passed",
    expected: EXPECTED,
    actual: `${feature.name} is ${feature.installed ? "installed" : "not installed"}${state}`,
    evidence: refs,
  };
}

function judgeClient(f: HostFacts, removed: string | undefined, base: EvidenceRef[]): Judgement {
  const read = POWERSHELL_V2_OPTIONAL.map((p) => ({ probe: p, fact: facts.optionalFeature(f, p) as Fact<OptionalFeatureFact> }));
  const refs = [...base, ...read.map((r) => evidence(f.host, r.probe.id))];
  const unread = read.find((r) => !r.fact.ok);
  if (unread !== undefined && !unread.fact.ok) return undeterminedFromFact(f.host, unread.fact, EXPECTED, { evidence: refs });
  const details: DetailRow[] = read.map(({ probe, fact }) => {
    const v = fact.ok ? fact.value : { exists: false, state: null };
    const on = v.exists && !facts.OFF_STATES.includes(v.state ?? "");
    return { subject: probe.parameters.Name!, expected: "Disabled, removed or not present", actual: v.exists ? (v.state ?? "state not reported") : "not present", outcome: on ? "deviation" : "ok" };
  });
  const enabled = details.filter((d) => d.outcome === "deviation");
  const judgement: Judgement = {
    status: enabled.length > 0 ? "failed" : "passed",
    expected: EXPECTED,
    actual: enabled.length > 0 ? `${enabled.map((d) => `${d.subject} is ${d.actual}`).join("; ")}` : details.every((d) => d.actual === "not present") ? "neither optional feature is present" : "both optional features are disabled or absent",
    details,
    evidence: refs,
  };
  if (enabled.length === 0 && details.every((d) => d.actual === "not present")) judgement.rule = removed ?? "an optional feature the host does not have cannot run";
  return judgement;
}
