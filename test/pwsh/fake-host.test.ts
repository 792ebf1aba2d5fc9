/** The simulated host's description and module, checked without PowerShell. */
import { test } from "node:test";
import assert from "node:assert/strict";
import Ajv from "ajv";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { PROBE_IDS } from "../../src/probes/catalog";
import { GENERIC_READERS } from "../../src/probes/generic";
import { probeCommands } from "../../src/collect/script";
import { resolveEstate, type HostSpec } from "../helpers/snapshot-builder";
import { FAKED_CMDLETS, MISSING_ON_POWERSHELL_2, OPTIONAL_FEATURE_NAME, REGISTRY_KEYS, toFakeHost } from "./fake-host";

const schema = JSON.parse(readFileSync(join(__dirname, "fake-host.schema.json"), "utf8")) as object;
const validate = new Ajv({ allErrors: true, strict: false }).compile(schema);
const moduleText = readFileSync(join(__dirname, "HostproofFakeWindows.psm1"), "utf8");

const [clusterNode] = resolveEstate({
  hosts: [{ name: "wg-node1", os: { version: "10.0.20348" } }],
  clusters: [{ name: "wgclus", type: "workgroup", nodes: ["wg-node1"], adminAccount: "clusadmin" }],
});
const specs: HostSpec[] = [
  clusterNode,
  { name: "fs01", policyKeyAbsent: true, clusteringInstalled: false },
  { name: "app2016", os: { version: "10.0.14393" }, policySuffix: "corp.contoso.test", latfp: null },
  { name: "old2008", os: { version: "6.1.7601" }, admins: ["Administrator", { name: "S-1-5-21-1-2-3-1107", sid: "S-1-5-21-1-2-3-1107", principalSource: 0 }] },
  {
    name: "gen01",
    system: {
      registry: { "HKLM\\SOFTWARE\\Policies\\Contoso": { "": "x", Big: 0xffffffff, Q: { kind: "QWord", data: 7 }, B: { kind: "Binary", data: [1, 2] } }, "HKU\\.DEFAULT\\X": {} },
      services: [{ name: "W32Time", status: "Running", startType: "Manual" }],
      windowsFeatures: [{ name: "Telnet-Client", installState: 0, optionalName: "TelnetClient" }],
      optionalFeatures: [{ name: "SMB1Protocol", state: 6 }],
      localGroups: [{ name: "Remote Desktop Users", sid: "S-1-5-32-555", members: [{ name: "CORP\\alice", sid: "S-1-5-21-1-2-3-1109" }, { name: "CORP\\S-1-5-21-1-2-3-9", sid: "S-1-5-21-1-2-3-9", principalSource: 0 }] }],
      cim: { "root\\Microsoft\\Windows\\DeviceGuard": { Win32_DeviceGuard: [{ VirtualizationBasedSecurityStatus: 2 }] }, "root\\Empty": {} },
    },
  },
  { name: "hv01", hyperV: { language: "de-DE", vms: [{ name: "dc01", services: { TimeSynchronization: false } }, { name: "old01", state: "Off", services: { GuestServiceInterface: null } }] } },
  { name: "dc01", hyperVGuest: { services: { vmictimesync: { status: "Stopped" } } } },
];

test("hosts converted from specs match fake-host.schema.json", () => {
  for (const spec of specs) {
    const host = toFakeHost(spec, { "Get-LocalUser": "access-denied" });
    assert.ok(validate(host), `${spec.name}: ${JSON.stringify(validate.errors)}`);
  }
});

test("the conversion keeps the builder's facts where the cmdlets will find them", () => {
  const host = toFakeHost(clusterNode);
  assert.equal(host.computerName, "WG-NODE1");
  assert.equal(host.cluster?.Name, "wgclus");
  assert.deepEqual(host.cluster?.QuorumResource, { Name: "Cloud Witness", ResourceType: "Cloud Witness" });
  assert.equal(host.registry[REGISTRY_KEYS.uacPolicy].LocalAccountTokenFilterPolicy, 1);
  assert.equal(host.registry[REGISTRY_KEYS.tcpipParameters].Domain, "corp.contoso.test");
  // Every Windows Server can take the Hyper-V role: DISM knows it, disabled.
  assert.deepEqual(host.optionalFeatures, [
    { FeatureName: OPTIONAL_FEATURE_NAME, DisplayName: "Failover Clustering", State: 2 },
    { FeatureName: "Microsoft-Hyper-V", DisplayName: "Hyper-V", State: 0 },
  ]);
  assert.deepEqual([host.computerSystem.Manufacturer, host.computerSystem.Model], ["Dell Inc.", "PowerEdge R740"]);
  assert.match(host.hotfixes?.[0].InstalledOn ?? "", /^\d{4}-\d{2}-\d{2}$/);
  assert.ok(host.administrators?.some((m) => m.Name === "WG-NODE1\\clusadmin" && m.PrincipalSource === 1));
  // Without the role there is no Hyper-V module.
  assert.deepEqual(host.cmdlets, { "Get-VM": "missing", "Get-VMIntegrationService": "missing" });
  assert.equal(host.virtualMachines, undefined);

  const standalone = toFakeHost(specs[1]);
  assert.equal(standalone.registry[REGISTRY_KEYS.dnsClientPolicy], undefined, "policy key absent");
  assert.equal(standalone.cluster, null);
  assert.deepEqual(standalone.cmdlets, { "Get-Cluster": "missing", "Get-ClusterQuorum": "missing", "Get-VM": "missing", "Get-VMIntegrationService": "missing" });

  const app = toFakeHost(specs[2]);
  assert.deepEqual(app.registry[REGISTRY_KEYS.dnsClientPolicy], { PrimaryDnsSuffix: "corp.contoso.test", "NV PrimaryDnsSuffix": "corp.contoso.test" });
  assert.equal("LocalAccountTokenFilterPolicy" in app.registry[REGISTRY_KEYS.uacPolicy], false, "null is an absent value");

  const old = toFakeHost(specs[3]);
  assert.deepEqual(old.administrators?.map((m) => m.orphaned === true), [false, true]);

  // The generic probes' state, as resolveSystem has it: compact registry values where the JSON type
  // says the registry type, the default value as (default) (PowerShell 7's ConvertFrom-Json refuses
  // an empty property name), and the DWORD as stored, which the module turns into an Int32.
  const gen = toFakeHost(specs[4]);
  assert.deepEqual(gen.registry["HKLM:\\SOFTWARE\\Policies\\Contoso"], { "(default)": "x", Big: 0xffffffff, Q: { kind: "QWord", data: 7 }, B: { kind: "Binary", data: [1, 2] } });
  assert.deepEqual(gen.registry["Registry::HKEY_USERS\\.DEFAULT\\X"], {});
  assert.deepEqual(gen.services, [{ Name: "W32Time", DisplayName: "W32Time", Status: 4, StartType: 3 }]);
  assert.deepEqual(gen.windowsFeatures?.map((f) => f.Name), ["Failover-Clustering", "Hyper-V", "Telnet-Client"]);
  assert.deepEqual(gen.optionalFeatures?.map((f) => [f.FeatureName, f.State]), [[OPTIONAL_FEATURE_NAME, 2], ["Microsoft-Hyper-V", 0], ["TelnetClient", 0], ["SMB1Protocol", 6]]);
  assert.deepEqual(gen.localGroups?.[0]?.members.map((m) => m.orphaned === true), [false, true]);
  assert.deepEqual(gen.cim, { "root\\Microsoft\\Windows\\DeviceGuard": { Win32_DeviceGuard: [{ VirtualizationBasedSecurityStatus: 2 }] }, "root\\Empty": {} });

  // A Hyper-V host: the role installed, the module there, each VM with its services as Get-VMIntegrationService has them.
  const hv = toFakeHost(specs[5]);
  assert.equal(hv.cmdlets, undefined);
  assert.deepEqual(hv.windowsFeatures?.find((f) => f.Name === "Hyper-V")?.InstallState, 1);
  assert.deepEqual(hv.virtualMachines?.map((vm) => [vm.Name, vm.State, vm.integrationServices.length]), [["dc01", 2, 6], ["old01", 3, 5]]);
  const timeSync = hv.virtualMachines?.[0]?.integrationServices.find((s) => s.Id.endsWith("\\2497F4DE-E9FA-4204-80E4-4B75C46419C0"));
  assert.deepEqual(timeSync, { Name: "Zeitsynchronisierung", Id: `Microsoft:${hv.virtualMachines![0]!.Id.toUpperCase()}\\2497F4DE-E9FA-4204-80E4-4B75C46419C0`, Enabled: false, PrimaryStatusDescription: "OK", SecondaryStatusDescription: null });
  assert.ok(hv.virtualMachines?.[1]?.integrationServices.every((s) => s.PrimaryStatusDescription === null), "a VM that is off reports no status");
  assert.deepEqual(toFakeHost({ name: "hv02", hyperV: { module: false } }).cmdlets, { "Get-VM": "missing", "Get-VMIntegrationService": "missing" });

  // A Hyper-V guest: Microsoft's virtual firmware, and the vmic services with the spec's changes.
  const guest = toFakeHost(specs[6]);
  assert.deepEqual([guest.computerSystem.Manufacturer, guest.computerSystem.Model], ["Microsoft Corporation", "Virtual Machine"]);
  assert.deepEqual(guest.services?.map((x) => [x.Name, x.Status, x.StartType]), [
    ["vmicguestinterface", 4, 3],
    ["vmicheartbeat", 4, 3],
    ["vmickvpexchange", 4, 3],
    ["vmicrdv", 4, 3],
    ["vmicshutdown", 4, 3],
    ["vmictimesync", 1, 3],
    ["vmicvmsession", 1, 3],
    ["vmicvss", 4, 3],
  ]);
});

test("what a spec cannot say about a cmdlet is refused rather than guessed", () => {
  assert.throws(() => toFakeHost({ name: "legacy2003", legacy2003: true }), /powershell: "2.0"/);
  assert.throws(() => toFakeHost({ name: "x", probeErrors: { os: { kind: "timeout", message: "t" } } }), /probeErrors/);
  assert.throws(() => toFakeHost({ name: "x" }, { "Get-Item": "missing" }), /Get-Item/);
  assert.throws(() => toFakeHost({ name: "x", hyperVGuest: {}, system: { services: [{ name: "vmictimesync" }] } }), /hyperVGuest\.services/);
  assert.throws(() => toFakeHost({ name: "x", hyperVGuest: { services: { vmicnosuch: null } } }), /vmicnosuch is not one of/);
  assert.throws(() => toFakeHost({ name: "x", hyperV: { vms: [{ name: "a", id: "11111111-1111-4111-a111-111111111111" }, { name: "b", id: "11111111-1111-4111-A111-111111111111" }] } }), /VMId/);
  assert.throws(() => toFakeHost({ name: "x", system: { windowsFeatures: [{ name: "Hyper-V", installState: 1 }] } }), /hyperV sets Hyper-V/);
});

const MODULE_CMDLETS: readonly string[] = ["Get-NetAdapterAdvancedProperty", "Get-DnsClientGlobalSetting"];

test("every cmdlet a catalog command or a generic reader calls is simulated by the module", () => {
  const called = new Set<string>();
  const commands = [...PROBE_IDS.flatMap((id) => probeCommands(id)), ...Object.values(GENERIC_READERS).flat()];
  for (const command of commands) for (const m of command.matchAll(/\bGet-[A-Za-z]+/g)) called.add(m[0]);
  assert.ok(called.has("Get-Service") && called.has("Get-Item"), "the generic readers are included");
  for (const cmdlet of called) assert.ok((FAKED_CMDLETS as readonly string[]).includes(cmdlet), `${cmdlet} is not faked`);
  for (const cmdlet of FAKED_CMDLETS) {
    assert.ok(moduleText.includes(`'${cmdlet}'`), `${cmdlet} is in the module's list`);
    // The CDXML ones are module functions under their own names; the rest are installed as globals.
    const name = MODULE_CMDLETS.includes(cmdlet) ? cmdlet : `Fake${cmdlet.replace("-", "")}`;
    assert.match(moduleText, new RegExp(`^function ${name} \\{$`, "m"), `${cmdlet} has a stand-in`);
  }
});

test("every registry key a catalog command reads is one the converter fills", () => {
  const keys = Object.values(REGISTRY_KEYS) as string[];
  for (const id of PROBE_IDS) {
    for (const command of probeCommands(id)) {
      for (const m of command.matchAll(/Get-ItemProperty -Path '([^']+)'/g)) assert.ok(keys.includes(m[1]), `${id}: ${m[1]}`);
    }
  }
});

test("a PowerShell 2.0-style host: 2003 specs are taken, and what 2.0 lacks is marked missing", () => {
  const legacy = toFakeHost({ name: "legacy2003", legacy2003: true }, {}, { powershell: "2.0" });
  assert.ok(validate(legacy), JSON.stringify(validate.errors));
  assert.equal(legacy.powershell, "2.0");
  assert.equal(legacy.os.Version, "5.2.3790");
  assert.equal("OSArchitecture" in legacy.os, false, "WMI on 2003 has no OSArchitecture");
  for (const name of MISSING_ON_POWERSHELL_2) assert.equal(legacy.cmdlets?.[name], "missing", name);
  assert.equal(legacy.cmdlets?.["Get-WmiObject"], undefined);
  assert.equal(legacy.cmdlets?.["Get-WindowsFeature"], "missing");
  // The module keeps the same list, so a hand-written description with "powershell": "2.0" agrees.
  for (const name of MISSING_ON_POWERSHELL_2) assert.ok(moduleText.includes(`'${name}'`), name);
  assert.match(moduleText, /function:global:ConvertTo-Json/);
});
