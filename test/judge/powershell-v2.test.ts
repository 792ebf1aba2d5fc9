/** HP-PS2-001 on servers (Server Manager's feature, DISM's where it is missing) and workstations (optional features). */
import { test } from "node:test";
import assert from "node:assert/strict";
import { judgePowerShellV2Disabled, POWERSHELL_V2_FEATURE, POWERSHELL_V2_OPTIONAL } from "../../src/judge/powershell-v2";
import type { JsonValue } from "../../src/model/json";
import type { ProbeRecord } from "../../src/model/snapshot";
import { DEFAULT_INPUTS } from "../../src/judge/context";
import { AS_OF, hostFacts, ok, unreadable } from "../helpers/host-facts";

const at = "2026-11-22T08:00:00.000Z";
const out = (output: JsonValue): ProbeRecord => ({ command: "(reader)", startedAt: at, output });
const [ROOT, V2] = POWERSHELL_V2_OPTIONAL as [typeof POWERSHELL_V2_OPTIONAL[0], typeof POWERSHELL_V2_OPTIONAL[0]];
const version = (build: number, ubr: number, installationType = "Server") => ok("windowsVersion", { installationType, editionId: installationType === "Client" ? "Professional" : "ServerDatacenter", currentBuild: build, ubr, displayVersion: null });
/** A server of this build, its os and CurrentVersion facts agreeing (judge/os-release.ts). */
const server = (build: number, ubr: number) => ({
  os: ok("os", { caption: "Microsoft Windows Server Datacenter", version: `10.0.${build}`, major: 10, minor: 0, build, productType: 3, sku: 8, architecture: "64-bit" }),
  windowsVersion: version(build, ubr),
});
const client = ok("os", { caption: "Microsoft Windows 11 Pro", version: "10.0.26100", major: 10, minor: 0, build: 26100, productType: 1, sku: 48, architecture: "64-bit" });

function judge(records: Record<string, ProbeRecord>, extra: Parameters<typeof hostFacts>[1] = {}) {
  return judgePowerShellV2Disabled({ facts: hostFacts("h1", { records, ...extra }), inputs: DEFAULT_INPUTS, asOf: AS_OF });
}

test("a server with PowerShell-V2 installed fails; available or removed passes; the feature record is evidence", () => {
  const installed = judge({ [POWERSHELL_V2_FEATURE.id]: out({ Name: "PowerShell-V2", DisplayName: "Windows PowerShell 2.0 Engine", Installed: true, InstallState: 1 }) });
  assert.equal(installed.status, "failed");
  assert.equal(installed.actual, "PowerShell-V2 is installed (InstallState 1)");
  assert.deepEqual(installed.evidence.map((e) => e.probe), ["os", "windowsVersion", POWERSHELL_V2_FEATURE.id]);
  assert.equal(judge({ [POWERSHELL_V2_FEATURE.id]: out({ Name: "PowerShell-V2", Installed: false, InstallState: 0 }) }).status, "passed");
  assert.equal(judge({ [POWERSHELL_V2_FEATURE.id]: out({ Name: "PowerShell-V2", Installed: false, InstallState: 4 }) }).status, "passed");
  // Where Server Manager is missing the DISM fallback answers in its own shape.
  assert.equal(judge({ [POWERSHELL_V2_FEATURE.id]: out({ Name: "MicrosoftWindowsPowerShellV2", Installed: true, InstallState: 1 }) }).status, "failed");
});

test("where Microsoft removed the engine the control passes and says why; elsewhere an absent feature passes as not present", () => {
  const none = { [POWERSHELL_V2_FEATURE.id]: out(null) };
  const server2025 = judge(none, server(26100, 6584));
  assert.equal(server2025.status, "passed");
  assert.match(server2025.rule ?? "", /Microsoft removed the PowerShell 2.0 engine from this release \(build 26100\.6584; KB5065506\)/);
  assert.equal(judge(none, server(26100, 4946)).rule, "a feature the host does not have cannot run", "the August update removed it from Windows 11, not from Server 2025");
  assert.equal(judge(none, server(17763, 6414)).rule, "a feature the host does not have cannot run");
});

test("a workstation is judged by both optional features: either enabled fails, both off or gone passes", () => {
  const state = (root: number | null, v2: number | null) => ({
    [ROOT.id]: out(root === null ? null : { FeatureName: "MicrosoftWindowsPowerShellV2Root", State: root }),
    [V2.id]: out(v2 === null ? null : { FeatureName: "MicrosoftWindowsPowerShellV2", State: v2 }),
  });
  const enabled = judge(state(2, 0), { os: client });
  assert.equal(enabled.status, "failed");
  assert.equal(enabled.actual, "MicrosoftWindowsPowerShellV2Root is Enabled");
  assert.equal(judge(state(0, 6), { os: client }).status, "passed");
  const gone = judge(state(null, null), { os: client, windowsVersion: version(26100, 4946, "Client") });
  assert.equal(gone.status, "passed");
  assert.match(gone.rule ?? "", /KB5065506/);
});

test("unreadable facts are undetermined, never passed", () => {
  assert.equal(judge({ [POWERSHELL_V2_FEATURE.id]: { command: "x", startedAt: at, error: { kind: "access-denied", message: "Access is denied." } } }).status, "undetermined");
  assert.equal(judge({}).reason?.kind, "not-collected");
  assert.equal(judge({}, { os: client }).reason?.kind, "not-collected");
  assert.equal(judge({ [POWERSHELL_V2_FEATURE.id]: out(null) }, { os: unreadable("os") }).status, "undetermined");
});
