// Fixture: getperf_getconfig_inventory_w2016_w2019_os_system_user_uac_feature.txt, section
// w2016/system (Get-WmiObject Win32_ComputerSystem, Format-List, ja-JP Server 2016 in a workgroup)
// rewritten as the `computerSystem` probe's ConvertTo-Json (Windows PowerShell 5.1 style).
// DNSHostName, PartOfDomain and Workgroup are not in the capture; they are what Windows reports
// for a workgroup machine named like that one. The capture is of a VMware VM.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { normaliseComputerSystem } from "../../src/facts/computerSystem";
import { failure, formatListSection, problemOf, success, successJson, valueOf } from "../helpers/records";

const GETPERF = "getperf_getconfig_inventory_w2016_w2019_os_system_user_uac_feature.txt";

const W2016_SYSTEM = `{
    "Name":  "WIN-JKSSMTI1TM6",
    "DNSHostName":  "WIN-JKSSMTI1TM6",
    "Domain":  "WORKGROUP",
    "PartOfDomain":  false,
    "Workgroup":  "WORKGROUP",
    "Manufacturer":  "VMware, Inc.",
    "Model":  "VMware Virtual Platform"
}`;

describe("normaliseComputerSystem", () => {
  it("reads a workgroup host", () => {
    const [capture] = formatListSection(GETPERF, "w2016/system");
    const fact = valueOf(normaliseComputerSystem(successJson(W2016_SYSTEM)));
    assert.deepEqual(fact, {
      name: capture.Name,
      dnsHostName: "WIN-JKSSMTI1TM6",
      domain: capture.Domain,
      partOfDomain: false,
      workgroup: "WORKGROUP",
      manufacturer: capture.Manufacturer,
      model: capture.Model,
    });
  });

  it("reads unprojected output with Japanese PrimaryOwnerName, ignoring what it does not need", () => {
    // The capture's own properties, as an unprojected Get-CimInstance would serialise them.
    const [capture] = formatListSection(GETPERF, "w2016/system");
    assert.equal(capture.PrimaryOwnerName, "Windows ユーザー");
    const fact = valueOf(normaliseComputerSystem(success({ ...capture, TotalPhysicalMemory: 6441979904 })));
    assert.deepEqual(fact, { name: "WIN-JKSSMTI1TM6", dnsHostName: null, domain: "WORKGROUP", partOfDomain: null, workgroup: null, manufacturer: "VMware, Inc.", model: "VMware Virtual Platform" });
  });

  it("reads a domain member with lower-case property names and text booleans", () => {
    const fact = valueOf(normaliseComputerSystem(success({ name: "HV01", dnshostname: "hv01", domain: "htb.local", partofdomain: "True", workgroup: null })));
    assert.deepEqual([fact.domain, fact.partOfDomain, fact.workgroup], ["htb.local", true, null]);
  });

  it("reads a Hyper-V VM's firmware text, and a snapshot from before Manufacturer and Model were read", () => {
    const vm = valueOf(normaliseComputerSystem(success({ Name: "DC01", Manufacturer: "Microsoft Corporation", Model: "Virtual Machine" })));
    assert.deepEqual([vm.manufacturer, vm.model], ["Microsoft Corporation", "Virtual Machine"]);
    const old = valueOf(normaliseComputerSystem(success({ Name: "DC01", Domain: "WORKGROUP" })));
    assert.deepEqual([old.manufacturer, old.model], [null, null]);
  });

  it("refuses a PartOfDomain that is no boolean", () => {
    assert.match(problemOf(normaliseComputerSystem(success({ Name: "H1", PartOfDomain: "workgroup" })), "malformed"), /property PartOfDomain is "workgroup", not a boolean/);
  });

  it("reports a missing Name and null output as malformed", () => {
    assert.match(problemOf(normaliseComputerSystem(success({ Domain: "WORKGROUP" })), "malformed"), /Name is missing/);
    assert.match(problemOf(normaliseComputerSystem(success(null)), "malformed"), /no object/);
  });

  it("says when the probe was not collected, and passes probe errors through", () => {
    assert.equal(problemOf(normaliseComputerSystem(undefined), "not-collected"), "computerSystem was not collected");
    assert.equal(problemOf(normaliseComputerSystem(failure("timeout", "WinRM timed out")), "timeout"), "WinRM timed out");
  });
});
