/** Issue 18: a generic record's id and parameters must agree, for every generic probe kind. */
import { test } from "node:test";
import assert from "node:assert/strict";
import { genericProbe, genericRecordProblem, type GenericProbe } from "../../src/probes/generic";

const PROBES: GenericProbe[] = [
  genericProbe.registry("HKLM\\SOFTWARE\\Policies\\Microsoft\\Windows\\WindowsUpdate"),
  genericProbe.registry("HKU\\.DEFAULT\\Control Panel\\Desktop"),
  genericProbe.service("W32Time"),
  genericProbe.windowsFeature("PowerShell-V2", "MicrosoftWindowsPowerShellV2"),
  genericProbe.windowsFeature("Containers"),
  genericProbe.optionalFeature("SMB1Protocol"),
  genericProbe.localGroup("S-1-5-32-555"),
  genericProbe.localGroup("Hyper-V Administrators"),
  genericProbe.cim("root\\cimv2", "Win32_Service", "StartMode", { property: "Name", value: "W32Time" }),
  genericProbe.cim("root\\Microsoft\\Windows\\DeviceGuard", "Win32_DeviceGuard", "SecurityServicesRunning"),
];

test("the records hostproof writes agree with themselves, whatever the case of the id", () => {
  for (const p of PROBES) {
    assert.equal(genericRecordProblem(p.id, p.parameters), undefined, p.id);
    assert.equal(genericRecordProblem(p.id.toUpperCase().replace(/^[A-Z]+/, p.kind), p.parameters), undefined, p.id);
  }
});

test("parameters naming another thing than the id are refused, for every kind", () => {
  const other: Record<string, Record<string, string>> = {
    registry: { Key: "HKLM:\\SOFTWARE\\Contoso" },
    service: { Name: "Spooler" },
    windowsFeature: { Name: "Hyper-V", OptionalName: "Microsoft-Hyper-V" },
    optionalFeature: { Name: "TelnetClient" },
    localGroup: { SID: "S-1-5-32-544" },
    cim: { Namespace: "root\\cimv2", Class: "Win32_Service", Property: "StartMode", KeyProperty: "Name", KeyValue: "Spooler" },
  };
  for (const p of PROBES) assert.match(genericRecordProblem(p.id, other[p.kind]) ?? "", /are those of '/, p.id);
});

test("missing, extra, malformed or half-given parameters are refused; an error record may carry none", () => {
  const service = genericProbe.service("W32Time");
  assert.match(genericRecordProblem(service.id, undefined) ?? "", /has no parameters/);
  assert.equal(genericRecordProblem(service.id, undefined, false), undefined);
  assert.match(genericRecordProblem(service.id, { Name: "W32Time", Key: "x" }) ?? "", /'Key', which a service probe does not read/);
  assert.match(genericRecordProblem(service.id, { Name: "W32Time; Stop-Computer" }) ?? "", /parameter Name is not/);
  assert.match(genericRecordProblem("localGroup:S-1-5-32-544", { SID: "S-1-5-32-544", Name: "Administrators" }) ?? "", /do not name one localGroup probe/);
  const cim = genericProbe.cim("root\\cimv2", "Win32_Service", "StartMode", { property: "Name", value: "W32Time" });
  assert.match(genericRecordProblem(cim.id, { Namespace: "root\\cimv2", Class: "Win32_Service", Property: "StartMode", KeyProperty: "Name" }) ?? "", /do not name one cim probe/);
});
