/**
 * The step library's judges on records as the collector writes them (5.1 shapes: enums as
 * integers, a DWORD above 0x7FFFFFFF as a negative Int32), including what "does not exist" and
 * "could not be read" become.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { genericProbe } from "../../src/probes/generic";
import { judgeCim, judgeLocalGroup, judgeOptionalFeature, judgeRegistryValue, judgeService, judgeUpdate, judgeWindowsFeature } from "../../src/judge/generic";
import type { HostJudge } from "../../src/judge/context";
import type { JsonObject, JsonValue } from "../../src/model/json";
import type { ProbeRecord } from "../../src/model/snapshot";
import { DEFAULT_INPUTS } from "../../src/judge/context";
import { AS_OF, hostFacts, ok } from "../helpers/host-facts";

const at = "2026-11-22T08:00:00.000Z";
const out = (output: JsonValue): ProbeRecord => ({ command: "(reader)", startedAt: at, output });
const err = (kind: "not-found" | "access-denied", message = "x"): ProbeRecord => ({ command: "(reader)", startedAt: at, error: { kind, message } });

function judge(j: HostJudge, records: Record<string, ProbeRecord>, extra: Parameters<typeof hostFacts>[1] = {}) {
  return j({ facts: hostFacts("h1", { records, ...extra }), inputs: DEFAULT_INPUTS, asOf: AS_OF });
}

const RDP = genericProbe.registry("HKLM\\SYSTEM\\CurrentControlSet\\Control\\Terminal Server\\WinStations\\RDP-Tcp");
const values = (...rows: [string, string, JsonValue][]) => out(rows.map(([Name, Kind, Data]) => ({ Name, Kind, Data })));

test("a registry value is compared by type: a DWORD 1 is 1, a string \"1\" is not, and 0xFFFFFFFF reads as unsigned", () => {
  const is1 = judgeRegistryValue(RDP, "UserAuthentication", { is: 1 });
  assert.equal(judge(is1, { [RDP.id]: values(["UserAuthentication", "DWord", 1]) }).status, "passed");
  const asText = judge(is1, { [RDP.id]: values(["UserAuthentication", "String", "1"]) });
  assert.equal(asText.status, "failed");
  assert.equal(asText.actual, '"1" (String)');
  const max = judgeRegistryValue(RDP, "Big", { is: 4294967295 });
  assert.equal(judge(max, { [RDP.id]: values(["Big", "DWord", -1]) }).status, "passed");
  assert.equal(judge(judgeRegistryValue(RDP, "Big", { atLeast: 4000000000 }), { [RDP.id]: values(["Big", "DWord", -1]) }).status, "passed");
});

test("a registry key that does not exist is an answer: the value is absent, so 'is absent' passes and 'is 1' fails", () => {
  const records = { [RDP.id]: err("not-found", "Cannot find path") };
  assert.equal(judge(judgeRegistryValue(RDP, "UserAuthentication", { absent: true }), records).status, "passed");
  const is1 = judge(judgeRegistryValue(RDP, "UserAuthentication", { is: 1 }), records);
  assert.equal(is1.status, "failed");
  assert.equal(is1.actual, "the key does not exist");
  assert.deepEqual(is1.evidence, [{ host: "h1", probe: RDP.id }]);
});

test("a registry key that could not be read, or was not collected, is undetermined and never passed, whatever the step says", () => {
  for (const expectation of [{ absent: true } as const, { is: 1 }]) {
    const denied = judge(judgeRegistryValue(RDP, "UserAuthentication", expectation), { [RDP.id]: err("access-denied") });
    assert.equal(denied.status, "undetermined");
    assert.equal(denied.reason?.kind, "access-denied");
    const missing = judge(judgeRegistryValue(RDP, "UserAuthentication", expectation), {});
    assert.equal(missing.status, "undetermined");
    assert.equal(missing.reason?.kind, "not-collected");
  }
});

test("registry ids compare without case, as Windows compares keys: a snapshot's record is found however the feature spells the key", () => {
  const lower = genericProbe.registry("hklm\\system\\currentcontrolset\\control\\terminal server\\winstations\\rdp-tcp");
  assert.equal(judge(judgeRegistryValue(lower, "userauthentication", { is: 1 }), { [RDP.id]: values(["UserAuthentication", "DWord", 1]) }).status, "passed");
});

test("registry one of, at most, exists, contains (multi-string) and the (default) value", () => {
  const rec = { [RDP.id]: values(["", "String", "default text"], ["Level", "DWord", 2], ["Order", "MultiString", ["a", "B"]]) };
  assert.equal(judge(judgeRegistryValue(RDP, "Level", { oneOf: ["1", "2"] }), rec).status, "passed");
  assert.equal(judge(judgeRegistryValue(RDP, "Level", { oneOf: ["3", "two"] }), rec).status, "failed");
  assert.equal(judge(judgeRegistryValue(RDP, "Level", { atMost: 1 }), rec).status, "failed");
  assert.equal(judge(judgeRegistryValue(RDP, "Level", { exists: true }), rec).status, "passed");
  assert.equal(judge(judgeRegistryValue(RDP, "(default)", { is: "default text" }), rec).status, "passed");
  assert.equal(judge(judgeRegistryValue(RDP, "Order", { contains: ["b", "a"] }), rec).status, "passed");
  const lacks = judge(judgeRegistryValue(RDP, "Order", { contains: ["c"] }), rec);
  assert.equal(lacks.status, "failed");
  assert.match(lacks.actual, /lacks "c"/);
});

test("a service: 5.1's integer status and start type, 7's names, and a service that does not exist", () => {
  const w32 = genericProbe.service("W32Time");
  const running = { [w32.id]: out({ Name: "W32Time", DisplayName: "Windows Time", Status: 4, StartType: 2 }) };
  assert.equal(judge(judgeService(w32, "W32Time", { status: "Running" }), running).status, "passed");
  assert.equal(judge(judgeService(w32, "W32Time", { startType: "automatic" }), running).status, "passed");
  const named = { [w32.id]: out({ Name: "W32Time", DisplayName: "Windows Time", Status: "Stopped", StartType: "Disabled" }) };
  const stopped = judge(judgeService(w32, "W32Time", { status: "Running" }), named);
  assert.equal(stopped.status, "failed");
  assert.equal(stopped.actual, "W32Time (Windows Time): status Stopped, start type Disabled");
  const absent = { [w32.id]: err("not-found", "Cannot find any service with service name 'W32Time'.") };
  assert.equal(judge(judgeService(w32, "W32Time", { exists: false }), absent).status, "passed");
  assert.equal(judge(judgeService(w32, "W32Time", { status: "Running" }), absent).status, "failed");
  assert.equal(judge(judgeService(w32, "W32Time", { status: "Running" }), { [w32.id]: out({ Name: "W32Time", Status: 99 }) }).status, "undetermined", "an unknown status is malformed output");
});

test("Windows features: Server Manager's and DISM's shapes, and a name the host does not know", () => {
  const f = genericProbe.windowsFeature("Hyper-V", "Microsoft-Hyper-V");
  assert.equal(judge(judgeWindowsFeature(f, "Hyper-V", true), { [f.id]: out({ Name: "Hyper-V", DisplayName: "Hyper-V", Installed: true, InstallState: 1 }) }).status, "passed");
  assert.equal(judge(judgeWindowsFeature(f, "Hyper-V", true), { [f.id]: out({ Name: "Microsoft-Hyper-V", DisplayName: "Hyper-V", Installed: false, InstallState: 0 }) }).status, "failed");
  const unknown = judge(judgeWindowsFeature(f, "Hyper-V", false), { [f.id]: out(null) });
  assert.equal(unknown.status, "passed");
  assert.equal(unknown.rule, "a feature the host does not know is not installed");
});

test("an optional feature is disabled when DISM says so, when its payload is removed, or when the build does not have it", () => {
  const v2 = genericProbe.optionalFeature("MicrosoftWindowsPowerShellV2Root");
  const disabled = judgeOptionalFeature(v2, "MicrosoftWindowsPowerShellV2Root", false);
  assert.equal(judge(disabled, { [v2.id]: out({ FeatureName: "MicrosoftWindowsPowerShellV2Root", State: 0 }) }).status, "passed");
  assert.equal(judge(disabled, { [v2.id]: out({ FeatureName: "MicrosoftWindowsPowerShellV2Root", State: 6 }) }).status, "passed");
  assert.equal(judge(disabled, { [v2.id]: out({ FeatureName: "MicrosoftWindowsPowerShellV2Root", State: "Enabled" }) }).status, "failed");
  assert.equal(judge(disabled, { [v2.id]: out(null) }).actual, "MicrosoftWindowsPowerShellV2Root is not present on this host");
});

test("an update, or a later cumulative update listed in the feature", () => {
  const hotfixes = ok("hotfixes", [{ id: "KB5048654", description: "Security Update", installedOn: "2024-12-10" }]);
  assert.equal(judge(judgeUpdate("KB5044281", true), {}, { hotfixes }).status, "failed");
  const later = judge(judgeUpdate("kb5044281", true, ["KB5046616", "KB5048654"]), {}, { hotfixes });
  assert.equal(later.status, "passed");
  assert.equal(later.actual, "installed: KB5048654");
  assert.equal(judge(judgeUpdate("KB5048654", false), {}, { hotfixes }).status, "failed");
});

test("a local group: members by SID, DOMAIN\\name or bare name; 'only' lists who should not be there", () => {
  const rdu = genericProbe.localGroup("S-1-5-32-555");
  const rec = {
    [rdu.id]: out([
      { Name: "CONTOSO\\RDP-Admins", ObjectClass: "Group", SID: "S-1-5-21-1-2-3-1105", PrincipalSource: 2 },
      { Name: "H1\\helpdesk", ObjectClass: "User", SID: "S-1-5-21-9-9-9-1001", PrincipalSource: 1 },
    ]),
  };
  assert.equal(judge(judgeLocalGroup(rdu, "S-1-5-32-555", { has: ["contoso\\rdp-admins", "S-1-5-21-9-9-9-1001"] }), rec).status, "passed");
  const only = judge(judgeLocalGroup(rdu, "S-1-5-32-555", { only: ["RDP-Admins"] }), rec);
  assert.equal(only.status, "failed");
  assert.deepEqual(only.details?.filter((d) => d.outcome === "deviation").map((d) => d.subject), ["H1\\helpdesk"]);
  assert.equal(judge(judgeLocalGroup(rdu, "S-1-5-32-555", { lacks: "Everyone" }), rec).status, "passed");
  assert.equal(judge(judgeLocalGroup(rdu, "S-1-5-32-555", { has: ["x"] }), { [rdu.id]: err("not-found") }).actual, "no local group S-1-5-32-555 on this host");
});

test("a CIM property must hold on every instance, and there must be one", () => {
  const smb = genericProbe.cim("root\\Microsoft\\Windows\\SMB", "MSFT_SmbServerConfiguration", "EnableSMB1Protocol");
  const j = judgeCim(smb, "root\\Microsoft\\Windows\\SMB\\MSFT_SmbServerConfiguration", "EnableSMB1Protocol", { equals: "False" });
  assert.equal(judge(j, { [smb.id]: out({ EnableSMB1Protocol: false }) }).status, "passed");
  const on = judge(j, { [smb.id]: out({ EnableSMB1Protocol: true }) });
  assert.equal(on.status, "failed");
  assert.equal(on.actual, "EnableSMB1Protocol = True");
  assert.equal(judge(j, { [smb.id]: out(null) }).status, "failed");
  const svc = genericProbe.cim("root\\cimv2", "Win32_Service", "StartMode");
  const many = judge(judgeCim(svc, "root\\cimv2\\Win32_Service", "StartMode", { oneOf: ["Auto", "Manual"] }), { [svc.id]: out([{ StartMode: "Auto" }, { StartMode: "Disabled" }]) });
  assert.equal(many.status, "failed");
  assert.equal(many.actual, "1 of 2 instances differ");
  const build = genericProbe.cim("root\\cimv2", "Win32_OperatingSystem", "BuildNumber");
  assert.equal(judge(judgeCim(build, "os", "BuildNumber", { atLeast: 17763 }), { [build.id]: out({ BuildNumber: "20348" }) }).status, "passed");
});

test("a registry value's data must be of its Kind: a number under String, Binary, MultiString, an unknown Kind or none is malformed, never compared", () => {
  const is1 = judgeRegistryValue(RDP, "UserAuthentication", { is: 1 });
  const atMost = judgeRegistryValue(RDP, "UserAuthentication", { atMost: 10 });
  const rows: JsonObject[] = [
    { Name: "UserAuthentication", Kind: "String", Data: 1 },
    { Name: "UserAuthentication", Kind: "ExpandString", Data: 1 },
    { Name: "UserAuthentication", Kind: "MultiString", Data: 1 },
    { Name: "UserAuthentication", Kind: "Binary", Data: 1 },
    { Name: "UserAuthentication", Kind: "None", Data: 1 },
    { Name: "UserAuthentication", Kind: "Bogus", Data: 1 },
    { Name: "UserAuthentication", Kind: null, Data: 1 },
    { Name: "UserAuthentication", Data: -4294967295 },
    { Name: "UserAuthentication", Kind: "String", Data: ["1"] },
    { Name: "UserAuthentication", Kind: "MultiString", Data: [1] },
  ];
  for (const row of rows) {
    for (const j of [is1, atMost]) {
      const r = judge(j, { [RDP.id]: out([{ Name: "PortNumber", Kind: "DWord", Data: 3389 }, row]) });
      assert.equal(r.status, "undetermined", JSON.stringify(row));
      assert.equal(r.reason?.kind, "malformed", JSON.stringify(row));
    }
  }
  // What the reader writes for each kind is read as before.
  const rec = { [RDP.id]: out([{ Name: "B", Kind: "Binary", Data: [1, 255] }, { Name: "E", Kind: "ExpandString", Data: "%SystemRoot%" }, { Name: "M", Kind: "MultiString", Data: ["a"] }, { Name: "N", Kind: "None", Data: null }, { Name: "Q", Kind: "QWord", Data: 5 }]) };
  assert.equal(judge(judgeRegistryValue(RDP, "Q", { is: 5 }), rec).status, "passed");
  assert.equal(judge(judgeRegistryValue(RDP, "E", { is: "%SystemRoot%" }), rec).status, "passed");
  assert.equal(judge(judgeRegistryValue(RDP, "M", { contains: ["A"] }), rec).status, "passed");
  assert.equal(judge(judgeRegistryValue(RDP, "B", { exists: true }), rec).status, "passed");
});

test("`is {string}` is exactly that text: a DWORD 1 is not the REG_SZ \"1\" a text setting needs", () => {
  const isText1 = judgeRegistryValue(RDP, "ScreenSaverIsSecure", { is: "1" });
  const dword = judge(isText1, { [RDP.id]: values(["ScreenSaverIsSecure", "DWord", 1]) });
  assert.equal(dword.status, "failed");
  assert.equal(dword.actual, "1 (DWord)");
  assert.equal(judge(isText1, { [RDP.id]: values(["ScreenSaverIsSecure", "String", "1"]) }).status, "passed");
});

test("a record whose output names another thing than its parameters ask for is malformed, never judged", () => {
  const w32 = genericProbe.service("W32Time");
  const running = judgeService(w32, "W32Time", { status: "Running" });
  const outputs: JsonValue[] = [{ Name: "Spooler", DisplayName: "Print Spooler", Status: 4, StartType: 2 }, { Status: 4, StartType: 2 }, [{ Name: "Spooler", Status: 4, StartType: 2 }]];
  for (const output of outputs) {
    const r = judge(running, { [w32.id]: out(output) });
    assert.equal(r.status, "undetermined", JSON.stringify(output));
    assert.match(r.reason?.message ?? "", /the service "W32Time": it answers for something else/);
  }
  assert.equal(judge(running, { [w32.id]: out({ Name: "w32time", Status: 4, StartType: 2 }) }).status, "passed", "names ignore case");

  const hv = genericProbe.windowsFeature("Hyper-V", "Microsoft-Hyper-V");
  const notInstalled = judgeWindowsFeature(hv, "Hyper-V", false);
  const telnet = judge(notInstalled, { [hv.id]: out({ Name: "Telnet-Client", Installed: false, InstallState: 0 }) });
  assert.equal(telnet.status, "undetermined");
  assert.match(telnet.reason?.message ?? "", /Name "Telnet-Client", but the record reads the Windows feature "Hyper-V" or "Microsoft-Hyper-V"/);
  assert.equal(judge(notInstalled, { [hv.id]: out({ FeatureName: "Microsoft-Hyper-V", State: 0 }) }).status, "passed", "DISM's name, from the fallback");

  const v2 = genericProbe.optionalFeature("MicrosoftWindowsPowerShellV2Root");
  const other = judge(judgeOptionalFeature(v2, "MicrosoftWindowsPowerShellV2Root", false), { [v2.id]: out({ FeatureName: "TelnetClient", State: 0 }) });
  assert.equal(other.status, "undetermined");

  const keyed = genericProbe.cim("root\\cimv2", "Win32_Service", "StartMode", { property: "Name", value: "W32Time" });
  const auto = judgeCim(keyed, "root\\cimv2\\Win32_Service where Name = W32Time", "StartMode", { equals: "Auto" });
  const spooler = judge(auto, { [keyed.id]: out({ Name: "Spooler", StartMode: "Auto" }) });
  assert.equal(spooler.status, "undetermined");
  assert.match(spooler.reason?.message ?? "", /instance 1 has Name "Spooler", but the record reads only instances whose Name is "W32Time"/);
  assert.equal(judge(auto, { [keyed.id]: out({ StartMode: "Auto" }) }).status, "undetermined", "an instance without its key");
  assert.equal(judge(auto, { [keyed.id]: out({ Name: "w32time", StartMode: "Auto" }) }).status, "passed");
});
