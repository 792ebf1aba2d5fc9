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
import { genericProbe } from "../probes/generic";
import { evidence, undeterminedFromFact } from "./common";
import { contradictoryRelease } from "./os-release";
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

export const judgePowerShellV2Disabled: HostJudge = ({ facts: f }) => {
  const host = f.host;
  if (!f.os.ok) return undeterminedFromFact(host, f.os, EXPECTED);
  // Server or workstation decides which features are read: contradictory facts decide nothing.
  const contradiction = contradictoryRelease(f, EXPECTED);
  if (contradiction !== undefined) return contradiction;
  const server = f.os.value.productType !== 1;
  const removed = removedByMicrosoft(f.windowsVersion, server);
  const base: EvidenceRef[] = [evidence(host, "os"), ...(f.windowsVersion.ok ? [evidence(host, "windowsVersion")] : [])];
  return server ? judgeServer(f, removed, base) : judgeClient(f, removed, base);
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
