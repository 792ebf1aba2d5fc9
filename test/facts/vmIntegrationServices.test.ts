// Fixture: MicrosoftDocs_Virtualization-Documentation_managing-integration-services_Get-VMIntegrationService.txt
// (Microsoft's own output of Get-VMIntegrationService -VMName "DemoVM", as a table) rewritten as
// the vmIntegrationServices probe's ConvertTo-Json -Compress in Windows PowerShell 5.1: the table
// leaves out VMId and Id, so the VMId is made up and each Id is Microsoft:<VMId>\<GUID> with the
// service's well-known GUID (src/judge/integration-services.ts). An empty table cell is null.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { normaliseVmIntegrationServices as normalise } from "../../src/facts/vmIntegrationServices";
import { INTEGRATION_SERVICES } from "../../src/judge/integration-services";
import { failure, problemOf, readSample, success, successJson, valueOf } from "../helpers/records";

const SAMPLE = "MicrosoftDocs_Virtualization-Documentation_managing-integration-services_Get-VMIntegrationService.txt";
const VM_ID = "1C1A6B50-3E6E-4E2E-9C41-5B1F1F0E7D21";

const DEMO_VM = `[{"VMName":"DemoVM","VMId":"${VM_ID.toLowerCase()}","Name":"Guest Service Interface","Id":"Microsoft:${VM_ID}\\\\6C09BB55-D683-4DA0-8931-C9BF705F6480","Enabled":false,"PrimaryStatusDescription":"OK","SecondaryStatusDescription":null},{"VMName":"DemoVM","VMId":"${VM_ID.toLowerCase()}","Name":"Heartbeat","Id":"Microsoft:${VM_ID}\\\\84EAAE65-2F2E-45F5-9BB5-0E857DC8EB47","Enabled":true,"PrimaryStatusDescription":"OK","SecondaryStatusDescription":"OK"},{"VMName":"DemoVM","VMId":"${VM_ID.toLowerCase()}","Name":"Key-Value Pair Exchange","Id":"Microsoft:${VM_ID}\\\\2A34B1C2-FD73-4043-8A5B-DD2159BC743F","Enabled":true,"PrimaryStatusDescription":"OK","SecondaryStatusDescription":null},{"VMName":"DemoVM","VMId":"${VM_ID.toLowerCase()}","Name":"Shutdown","Id":"Microsoft:${VM_ID}\\\\9F8233AC-BE49-4C79-8EE3-E7E1985B2077","Enabled":true,"PrimaryStatusDescription":"OK","SecondaryStatusDescription":null},{"VMName":"DemoVM","VMId":"${VM_ID.toLowerCase()}","Name":"Time Synchronization","Id":"Microsoft:${VM_ID}\\\\2497F4DE-E9FA-4204-80E4-4B75C46419C0","Enabled":true,"PrimaryStatusDescription":"OK","SecondaryStatusDescription":null},{"VMName":"DemoVM","VMId":"${VM_ID.toLowerCase()}","Name":"VSS","Id":"Microsoft:${VM_ID}\\\\5CED1297-4598-4915-A5FC-AD21BB4D02A4","Enabled":true,"PrimaryStatusDescription":"OK","SecondaryStatusDescription":null}]`;

/** The capture's first table (the host side), cell by cell, split at the columns its dashes mark. */
function captureRows(): Record<string, string | null>[] {
  const all = readSample(SAMPLE).split(/\r?\n/);
  const start = all.findIndex((l) => !l.startsWith("#"));
  const lines = all.slice(start, start + all.slice(start).findIndex((l) => l.startsWith("#")));
  const header = lines[0]!;
  const dashes = lines[1]!;
  const columns: { name: string; start: number; end: number }[] = [];
  for (const m of dashes.matchAll(/-+/g)) columns.push({ name: header.slice(m.index, m.index + m[0].length).trim(), start: m.index, end: m.index + m[0].length });
  const rows: Record<string, string | null>[] = [];
  for (const line of lines.slice(2)) {
    const row: Record<string, string | null> = {};
    columns.forEach((c, i) => {
      const cell = line.slice(c.start, i === columns.length - 1 ? undefined : columns[i + 1]!.start).trim();
      row[c.name] = cell === "" ? null : cell;
    });
    rows.push(row);
  }
  return rows;
}

describe("normaliseVmIntegrationServices", () => {
  it("the fixture holds what Microsoft's capture shows, row for row", () => {
    const capture = captureRows();
    const fixture = JSON.parse(DEMO_VM) as Record<string, unknown>[];
    assert.equal(capture.length, 6);
    assert.deepEqual(
      fixture.map((r) => ({ VMName: r.VMName, Name: r.Name, Enabled: String(r.Enabled === true ? "True" : "False"), PrimaryStatusDescription: r.PrimaryStatusDescription, SecondaryStatusDescription: r.SecondaryStatusDescription })),
      capture,
    );
  });

  it("reads Microsoft's sample: every service identified by the GUID ending its Id", () => {
    const services = valueOf(normalise(successJson(DEMO_VM)));
    assert.deepEqual(services[1], {
      vmName: "DemoVM",
      vmId: VM_ID.toLowerCase(),
      name: "Heartbeat",
      id: `Microsoft:${VM_ID}\\84EAAE65-2F2E-45F5-9BB5-0E857DC8EB47`,
      serviceId: "84EAAE65-2F2E-45F5-9BB5-0E857DC8EB47",
      enabled: true,
      primaryStatus: "OK",
      secondaryStatus: "OK",
    });
    const byKey = new Map(services.map((s) => [INTEGRATION_SERVICES.find((k) => k.id === s.serviceId)?.key, s]));
    assert.deepEqual([...byKey.keys()].sort(), ["GuestServiceInterface", "Heartbeat", "KeyValuePairExchange", "Shutdown", "TimeSynchronization", "VSS"]);
    assert.equal(byKey.get("GuestServiceInterface")?.enabled, false, "off by default");
    assert.equal(byKey.get("Shutdown")?.secondaryStatus, null);
  });

  it("reads a German host: the names are localised, the GUIDs are not", () => {
    const vmId = "0b6e1f4a-9d9c-4c1e-8f57-3a2d6c1e9b40";
    const row = (name: string, guid: string, enabled: boolean) => ({ VMName: "DC01", VMId: vmId, Name: name, Id: `Microsoft:${vmId.toUpperCase()}\\${guid}`, Enabled: enabled, PrimaryStatusDescription: "OK", SecondaryStatusDescription: null });
    const services = valueOf(normalise(success([row("Takt", "84eaae65-2f2e-45f5-9bb5-0e857dc8eb47", true), row("Zeitsynchronisierung", "2497F4DE-E9FA-4204-80E4-4B75C46419C0", false)])));
    assert.deepEqual(services.map((s) => [s.name, s.serviceId, s.enabled]), [
      ["Takt", "84EAAE65-2F2E-45F5-9BB5-0E857DC8EB47", true],
      ["Zeitsynchronisierung", "2497F4DE-E9FA-4204-80E4-4B75C46419C0", false],
    ]);
  });

  it("reads one service as an object, no VMs as null, and a VM that is off without status", () => {
    const one = valueOf(normalise(success({ VMName: "Build", VMId: null, Name: "VSS", Id: "Microsoft:ABC\\5CED1297-4598-4915-A5FC-AD21BB4D02A4", Enabled: true, PrimaryStatusDescription: null, SecondaryStatusDescription: null })));
    assert.deepEqual(one.map((s) => [s.vmId, s.serviceId, s.primaryStatus]), [[null, "5CED1297-4598-4915-A5FC-AD21BB4D02A4", null]]);
    assert.deepEqual(valueOf(normalise(success(null))), []);
    assert.deepEqual(valueOf(normalise(success([]))), []);
  });

  it("keeps a service whose Id ends in no GUID, unidentified, and reads an unprojected VMId", () => {
    const [s] = valueOf(normalise(success([{ vmname: "X", vmid: { Guid: "ab" }, name: "Custom", id: "Microsoft:X\\not-a-guid", enabled: "True" }])));
    assert.deepEqual([s!.vmId, s!.serviceId, s!.enabled, s!.primaryStatus], ["ab", null, true, null]);
  });

  it("rejects a row without VMName or Id, and an Enabled that is not a boolean", () => {
    assert.match(problemOf(normalise(success([{ Name: "Heartbeat", Id: "Microsoft:X\\84EAAE65-2F2E-45F5-9BB5-0E857DC8EB47", Enabled: true }])), "malformed"), /item 1: property VMName is missing/);
    assert.match(problemOf(normalise(success([{ VMName: "A", Name: "Heartbeat", Enabled: true }])), "malformed"), /property Id is missing/);
    assert.match(problemOf(normalise(success([{ VMName: "A", Id: "Microsoft:X\\84EAAE65-2F2E-45F5-9BB5-0E857DC8EB47", Enabled: "Ja" }])), "malformed"), /Enabled .*"Ja".*not a boolean/);
    assert.match(problemOf(normalise(success(7)), "malformed"), /got a number/);
  });

  it("passes the missing Hyper-V module through and says when the probe was not collected", () => {
    assert.equal(problemOf(normalise(failure("not-supported", "The term 'Get-VM' is not recognized")), "not-supported"), "The term 'Get-VM' is not recognized");
    assert.equal(problemOf(normalise(undefined), "not-collected"), "vmIntegrationServices was not collected");
  });
});
