import { test } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync, readFileSync, readdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { JsonObject, JsonValue } from "../../src/model/json";
import type { Inventory } from "../../src/model/inventory";
import { isProbeFailure, type ProbeRecord, type Snapshot } from "../../src/model/snapshot";
import { hpJsonCommand, PROBE_IDS, PROBES, type ProbeId } from "../../src/probes/catalog";
import { GENERIC_READERS, genericProbe } from "../../src/probes/generic";
import {
  BUILTIN_GENERIC_PROBES,
  OFFLOAD_KEYWORDS,
  WMI_2003_MESSAGE,
  buildGenericRecords,
  buildSnapshot,
  resolveSystem,
  defaultHotfixes,
  resolveEstate,
  wmi2003Command,
  writeEstate,
  type HostSpec,
} from "../helpers/snapshot-builder";
import { projectedProperties, schemaErrors, validateInventory, validateSnapshot } from "./schemas";

function record(s: Snapshot, id: ProbeId): ProbeRecord {
  const r = s.probes[id];
  assert.ok(r, `probe ${id} has a record`);
  return r;
}

function output(s: Snapshot, id: ProbeId): JsonValue {
  const r = record(s, id);
  assert.ok(!isProbeFailure(r), `probe ${id} succeeded: ${isProbeFailure(r) ? r.error.message : ""}`);
  return r.output;
}

function obj(v: JsonValue): JsonObject {
  assert.ok(v !== null && typeof v === "object" && !Array.isArray(v), `expected a single object, got ${JSON.stringify(v)}`);
  return v;
}

function arr(v: JsonValue): JsonObject[] {
  assert.ok(Array.isArray(v), `expected an array, got ${JSON.stringify(v)}`);
  return v.map(obj);
}

function assertValid(s: Snapshot): void {
  assert.equal(schemaErrors(validateSnapshot, s), "");
}

const clusterNode: HostSpec = {
  name: "wg-node1",
  os: { version: "10.0.20348" },
  domain: "wg.contoso.test",
  cluster: { name: "wgclus", type: "workgroup", adminAccount: "clusadmin" },
};

test("a default host is schema-valid and has a record for every probe, run with the catalog command", () => {
  const s = buildSnapshot({ name: "srv1" });
  assertValid(s);
  for (const id of PROBE_IDS) assert.equal(record(s, id).command, PROBES[id].command);
  assert.equal(s.collector.powershell?.startsWith("5.1."), true);
});

test("probes start one after another within a couple of seconds of collectedAt", () => {
  const s = buildSnapshot(clusterNode);
  const t0 = Date.parse(s.collectedAt);
  let previous = t0;
  for (const id of PROBE_IDS) {
    const r = record(s, id);
    const start = Date.parse(r.startedAt);
    assert.ok(start >= previous, `${id} starts after the previous probe`);
    assert.ok(typeof r.durationMs === "number" && r.durationMs >= 0);
    previous = start + (r.durationMs ?? 0);
  }
  assert.ok(previous - t0 > 500 && previous - t0 < 3000, `collection took ${previous - t0} ms`);
});

test("every successful output has exactly the Select-Object projection of its catalog command, in order", () => {
  // A Hyper-V host, so that Get-VM answers too.
  const s = buildSnapshot({ ...clusterNode, hyperV: { vms: [{ name: "vm1" }] } });
  for (const id of PROBE_IDS) {
    const out = output(s, id);
    const items = Array.isArray(out) ? out.map(obj) : [obj(out)];
    for (const item of items) assert.deepEqual(Object.keys(item), projectedProperties(PROBES[id].command), id);
  }
});

test("5.1 shapes: enums as integers, SIDs as strings, list properties as arrays", () => {
  const s = buildSnapshot(clusterNode);
  assert.deepEqual(output(s, "failoverClusteringFeature"), {
    Name: "Failover-Clustering",
    DisplayName: "Failover Clustering",
    Installed: true,
    InstallState: 1,
  });
  for (const m of arr(output(s, "administratorsGroup"))) {
    assert.equal(m.PrincipalSource, 1);
    assert.match(String(m.SID), /^S-1-5-21-\d+-\d+-\d+-\d+$/);
    assert.match(String(m.Name), /^WG-NODE1\\/);
  }
  const users = arr(output(s, "localUsers"));
  assert.match(String(users.find((u) => u.Name === "Administrator")?.SID), /-500$/);
  assert.ok(users.some((u) => u.Name === "clusadmin" && u.Enabled === true));
  assert.equal(obj(output(s, "cluster")).AdministrativeAccessPoint, 2);
  assert.deepEqual(output(s, "clusterQuorum"), {
    Cluster: "wgclus",
    QuorumType: 1,
    QuorumResource: "Cloud Witness",
    QuorumResourceType: "Cloud Witness",
  });
  assert.deepEqual(obj(output(s, "dnsClientGlobalSetting")).SuffixSearchList, ["wg.contoso.test"]);
  assert.deepEqual(output(s, "tcpipParameters"), { Hostname: "wg-node1", Domain: "wg.contoso.test", "NV Domain": "wg.contoso.test" });
  assert.deepEqual(obj(output(s, "computerSystem")).PartOfDomain, false);
  assert.equal(obj(output(s, "uacPolicy")).LocalAccountTokenFilterPolicy, 1);
});

test("InstalledOn is the parsed form of 5.1's \\/Date(ms)\\/ text", () => {
  const s = buildSnapshot({ name: "srv1", hotfixes: [{ id: "KB5044281", installedOn: "2024-10-08" }, "KB5012170"] });
  const fixes = arr(output(s, "hotfixes"));
  assert.equal(fixes[0].InstalledOn, JSON.parse('"\\/Date(1728345600000)\\/"'));
  for (const f of fixes) assert.match(String(f.InstalledOn), /^\/Date\(\d+\)\/$/);
});

test("adapters: every standardized offload keyword present and disabled, plus non-offload keywords", () => {
  const rows = arr(output(buildSnapshot({ name: "srv1" }), "netAdapterAdvancedProperty"));
  for (const adapter of ["Ethernet 1", "Ethernet 2"]) {
    const mine = rows.filter((r) => r.Name === adapter);
    for (const kw of OFFLOAD_KEYWORDS) {
      const row = mine.find((r) => r.RegistryKeyword === kw);
      assert.ok(row, `${adapter} ${kw}`);
      assert.deepEqual(row.RegistryValue, ["0"]);
      assert.equal(typeof row.DisplayName, "string");
    }
    assert.deepEqual(mine.find((r) => r.RegistryKeyword === "*JumboPacket")?.RegistryValue, ["1514"]);
    assert.ok(mine.some((r) => r.RegistryKeyword === "*SpeedDuplex"));
  }
});

test("adapter overrides: per-keyword values, missing keywords, added keywords, driver spelling kept", () => {
  const s = buildSnapshot({
    name: "srv1",
    adapters: [
      { name: "Ethernet 1", values: { "*VMQ": "1", "*rss": ["1"], "*JumboPacket": "9014", "*QOS": "1" }, missing: ["*SRIOV", "*PMNSOffload"] },
    ],
  });
  const rows = arr(output(s, "netAdapterAdvancedProperty"));
  assert.ok(rows.every((r) => r.Name === "Ethernet 1"));
  const vmq = rows.find((r) => r.RegistryKeyword === "*VMQ");
  assert.deepEqual([vmq?.RegistryValue, vmq?.DisplayValue], [["1"], "Enabled"]);
  assert.deepEqual(rows.find((r) => r.RegistryKeyword === "*rss")?.RegistryValue, ["1"]);
  assert.equal(rows.find((r) => r.RegistryKeyword === "*RSS"), undefined);
  assert.equal(rows.find((r) => r.RegistryKeyword === "*JumboPacket")?.DisplayValue, "9014 Bytes");
  assert.deepEqual(rows.find((r) => r.RegistryKeyword === "*QOS")?.RegistryValue, ["1"]);
  assert.equal(rows.find((r) => r.RegistryKeyword === "*SRIOV"), undefined);
  assert.equal(rows.find((r) => r.RegistryKeyword === "*PMNSOffload"), undefined);
});

test("one item is an object, several an array, none null (ConvertTo-Json on a pipeline)", () => {
  const one = buildSnapshot({
    name: "srv1",
    users: [{ name: "Administrator", rid: 500 }],
    admins: ["Administrator"],
    hotfixes: ["KB5044281"],
  });
  assertValid(one);
  assert.equal(obj(output(one, "localUsers")).Name, "Administrator");
  assert.equal(obj(output(one, "administratorsGroup")).Name, "SRV1\\Administrator");
  assert.equal(obj(output(one, "hotfixes")).HotFixID, "KB5044281");
  assert.equal(output(buildSnapshot({ name: "srv1", hotfixes: [] }), "hotfixes"), null);
  assert.equal(arr(output(buildSnapshot({ name: "srv1" }), "hotfixes")).length, 6);
});

test("overrides: OS, suffixes, policy, search list, LATFP absent, witness, access point", () => {
  const s = buildSnapshot({
    name: "app2016",
    os: { version: "10.0.14393", caption: "Microsoft Windows Server 2016 Standard", sku: 7 },
    domain: "corp.contoso.test",
    nvDomain: "new.contoso.test",
    policySuffix: "gpo.contoso.test",
    searchList: ["corp.contoso.test", "emea.contoso.test"],
    latfp: null,
    cluster: { name: "c1", type: "single-domain", witness: "File Share Witness", administrativeAccessPoint: 1 },
  });
  assertValid(s);
  assert.deepEqual(output(s, "os"), {
    Caption: "Microsoft Windows Server 2016 Standard",
    Version: "10.0.14393",
    BuildNumber: "14393",
    ProductType: 3,
    OperatingSystemSKU: 7,
    OSArchitecture: "64-bit",
    CSDVersion: null,
  });
  // null leaves the property out, as in a snapshot taken before the probe read it.
  assert.equal("OperatingSystemSKU" in obj(output(buildSnapshot({ name: "old", os: { sku: null } }), "os")), false);
  assert.equal(obj(output(s, "tcpipParameters"))["NV Domain"], "new.contoso.test");
  assert.deepEqual(output(s, "dnsClientPolicy"), { PrimaryDnsSuffix: "gpo.contoso.test", "NV PrimaryDnsSuffix": "gpo.contoso.test" });
  assert.deepEqual(obj(output(s, "dnsClientGlobalSetting")).SuffixSearchList, ["corp.contoso.test", "emea.contoso.test"]);
  assert.deepEqual(output(s, "uacPolicy"), { LocalAccountTokenFilterPolicy: null, EnableLUA: 1 });
  assert.equal(obj(output(s, "clusterQuorum")).QuorumResourceType, "File Share Witness");
  assert.equal(obj(output(s, "cluster")).AdministrativeAccessPoint, 1);
  assert.equal(obj(output(s, "computerSystem")).Domain, "corp.contoso.test");
  assert.equal(s.collector.powershell, "5.1.14393.7428");

  const noWitness = buildSnapshot({ name: "n1", cluster: { name: "c1", witness: null } });
  assert.deepEqual(obj(output(noWitness, "clusterQuorum")).QuorumResource, null);
  const noSuffix = buildSnapshot({ name: "n1", domain: null, joinedDomain: null });
  assert.equal(obj(output(noSuffix, "tcpipParameters")).Domain, "");
  assert.deepEqual(obj(output(noSuffix, "dnsClientGlobalSetting")).SuffixSearchList, []);
});

test("probe errors, omitted probes, a missing policy key, clustering absent, not a node", () => {
  const s = buildSnapshot({
    name: "fs01",
    probeErrors: { netAdapterAdvancedProperty: { kind: "access-denied", message: "Access is denied." } },
    omitProbes: ["hotfixes"],
    policyKeyAbsent: true,
  });
  assertValid(s);
  const nic = record(s, "netAdapterAdvancedProperty");
  assert.ok(isProbeFailure(nic) && nic.error.kind === "access-denied");
  assert.equal("output" in nic, false);
  assert.equal(s.probes.hotfixes, undefined);
  const policy = record(s, "dnsClientPolicy");
  assert.ok(isProbeFailure(policy) && policy.error.kind === "not-found");
  const standalone = record(s, "cluster");
  assert.ok(isProbeFailure(standalone) && /ClusterEndpointNotRegistered/.test(standalone.error.message));

  const bare = buildSnapshot({ name: "n1", clusteringInstalled: false, cluster: { name: "c1" } });
  assert.deepEqual(obj(output(bare, "failoverClusteringFeature")).InstallState, 0);
  const quorum = record(bare, "clusterQuorum");
  assert.ok(isProbeFailure(quorum) && quorum.error.kind === "not-supported");
});

test("2003 mode: WMI os record from a management host, everything else not-supported", () => {
  const s = buildSnapshot({ name: "legacy2003", legacy2003: true });
  assertValid(s);
  const os = record(s, "os");
  assert.equal(os.command, wmi2003Command("legacy2003"));
  assert.match(os.command, /^Get-WmiObject -Class Win32_OperatingSystem -ComputerName legacy2003 \| Select-Object Caption, Version, BuildNumber, ProductType, CSDVersion \| ConvertTo-Json -Depth 4 -Compress$/);
  const out = obj(output(s, "os"));
  assert.deepEqual(Object.keys(out), ["Caption", "Version", "BuildNumber", "ProductType", "CSDVersion"]);
  assert.equal(out.Version, "5.2.3790");
  assert.equal("OSArchitecture" in out, false);
  for (const id of PROBE_IDS.filter((p) => p !== "os")) {
    const r = record(s, id);
    assert.equal(r.command, PROBES[id].command);
    assert.ok(isProbeFailure(r));
    assert.deepEqual(r.error, { kind: "not-supported", message: WMI_2003_MESSAGE });
  }
  assert.equal(s.collector.powershell, undefined);
});

test("deterministic: the same spec gives the same snapshot; hosts get their own SIDs", () => {
  assert.deepEqual(buildSnapshot(clusterNode), buildSnapshot(clusterNode));
  const a = arr(output(buildSnapshot({ name: "a" }), "localUsers"))[0].SID;
  const b = arr(output(buildSnapshot({ name: "b" }), "localUsers"))[0].SID;
  assert.notEqual(a, b);
  assert.equal(defaultHotfixes("10.0.20348").some((h) => h.id === "KB5044281"), true);
});

test("writeEstate writes a schema-valid inventory and snapshots, with cluster defaults applied", () => {
  const dir = mkdtempSync(join(tmpdir(), "hostproof-estate-"));
  try {
    const estate = {
      name: "test estate",
      hosts: [{ name: "m1" }, { name: "m2" }, { name: "w1" }, { name: "solo", inputs: { endOfSupport: { warningDays: 30 } } }],
      clusters: [
        { name: "md", type: "multi-domain" as const, nodes: ["m1", "m2"], adminAccount: "clusadmin", domains: ["corp.contoso.test", "emea.contoso.test"] },
        { name: "wg", type: "workgroup" as const, nodes: ["w1"], adminAccount: "clusadmin" },
      ],
      inputs: { endOfSupport: { warningDays: 90 } },
    };
    const inventoryPath = writeEstate(dir, estate);
    const inventory = JSON.parse(readFileSync(inventoryPath, "utf8")) as Inventory;
    assert.equal(schemaErrors(validateInventory, inventory), "");
    assert.equal(inventory.hosts[3].inputs?.endOfSupport?.warningDays, 30);
    assert.deepEqual(readdirSync(join(dir, "snapshots")).sort(), ["m1.json", "m2.json", "solo.json", "w1.json"]);
    const snap = (h: string): Snapshot => JSON.parse(readFileSync(join(dir, "snapshots", `${h}.json`), "utf8")) as Snapshot;
    for (const h of ["m1", "m2", "w1", "solo"]) assertValid(snap(h));
    assert.deepEqual(obj(output(snap("m2"), "dnsClientGlobalSetting")).SuffixSearchList, ["emea.contoso.test", "corp.contoso.test"]);
    assert.equal(obj(output(snap("m2"), "computerSystem")).Domain, "emea.contoso.test");
    // Both nodes see the same cluster object, as Get-Cluster on either node would.
    assert.deepEqual(output(snap("m1"), "cluster"), output(snap("m2"), "cluster"));
    assert.equal(obj(output(snap("m1"), "uacPolicy")).LocalAccountTokenFilterPolicy, 1);
    assert.equal(obj(output(snap("w1"), "computerSystem")).PartOfDomain, false);
    assert.equal(obj(output(snap("solo"), "uacPolicy")).LocalAccountTokenFilterPolicy, 0);
    assert.ok(isProbeFailure(record(snap("solo"), "cluster")));
    assert.equal(resolveEstate(estate)[2].cluster?.name, "wg");
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

// ---------------------------------------------------------------------------------------------
// Generic probes: records the builder computes from the simulated state (spec.system). Whether
// these are what the collector really records is test/pwsh/generic-probes.test.ts's question; here,
// that the builder keeps its own promises.

const genericHost: HostSpec = {
  name: "gen01",
  system: {
    registry: {
      "HKLM\\SOFTWARE\\Policies\\Contoso": { "": "default text", Big: 0xfffffffe, One: 1, List: ["only"], Blob: { kind: "Binary", data: "00ff10" }, Path: { kind: "ExpandString", data: "%SystemRoot%\\x" } },
      "HKLM:\\SOFTWARE\\Contoso\\Empty": {},
      "HKU\\.DEFAULT\\Control Panel\\Desktop": { ScreenSaveActive: "1" },
    },
    services: [{ name: "W32Time", displayName: "Windows Time", status: "Stopped", startType: "Manual" }, { name: "Spooler", status: 4, startType: 4 }],
    windowsFeatures: [{ name: "Telnet-Client", installState: 0, optionalName: "TelnetClient" }],
    optionalFeatures: [{ name: "SMB1Protocol", state: 6 }],
    localGroups: [{ name: "Remotedesktopbenutzer", sid: "S-1-5-32-555", members: ["Administrator", { name: "CORP\\Helpdesk", objectClass: "Group", sid: "S-1-5-21-1-2-3-1105" }] }],
    cim: { "root\\Microsoft\\Windows\\DeviceGuard": { Win32_DeviceGuard: [{ VirtualizationBasedSecurityStatus: 2, SecurityServicesRunning: [1] }] } },
  },
};

function genericOutput(records: Record<string, ProbeRecord>, id: string): JsonValue {
  const r = records[id];
  assert.ok(r && !isProbeFailure(r), `${id} succeeded: ${JSON.stringify(r)}`);
  return r.output;
}

function genericError(records: Record<string, ProbeRecord>, id: string): { kind: string; message: string; command: string } {
  const r = records[id];
  assert.ok(r && isProbeFailure(r), `${id} failed: ${JSON.stringify(r)}`);
  return { ...r.error, command: r.command };
}

test("generic records: each reader's first command, its parameters, and 5.1's JSON shapes", () => {
  const probes = [
    genericProbe.registry("HKLM\\SOFTWARE\\Policies\\Contoso"),
    genericProbe.registry("HKLM\\SOFTWARE\\Contoso\\Empty"),
    genericProbe.registry("HKLM\\SOFTWARE\\Contoso\\Absent"),
    genericProbe.registry("HKU\\.DEFAULT\\Control Panel\\Desktop"),
    genericProbe.service("w32time"),
    genericProbe.service("NoSuchService"),
    genericProbe.windowsFeature("Telnet-Client", "TelnetClient"),
    genericProbe.windowsFeature("No-Such-Feature"),
    genericProbe.optionalFeature("SMB1Protocol"),
    genericProbe.localGroup("S-1-5-32-555"),
    genericProbe.localGroup("Remote Desktop Users"),
    genericProbe.cim("root\\Microsoft\\Windows\\DeviceGuard", "Win32_DeviceGuard", "SecurityServicesRunning"),
    genericProbe.cim("root\\cimv2", "Win32_Service", "StartMode", { property: "Name", value: "spooler" }),
  ];
  const s = buildSnapshot(genericHost, { generic: probes });
  assertValid(s);
  const r = s.probes as Record<string, ProbeRecord>;
  for (const p of probes) {
    assert.equal(r[p.id]?.command, GENERIC_READERS[p.kind][0], p.id);
    assert.deepEqual(r[p.id]?.parameters, p.parameters, p.id);
  }
  assert.deepEqual(genericOutput(r, "registry:HKLM\\SOFTWARE\\Policies\\Contoso"), [
    { Name: "", Kind: "String", Data: "default text" },
    // RegistryKey.GetValue gives a DWORD as an Int32.
    { Name: "Big", Kind: "DWord", Data: -2 },
    { Name: "One", Kind: "DWord", Data: 1 },
    // A property holding an array stays an array, even of one.
    { Name: "List", Kind: "MultiString", Data: ["only"] },
    { Name: "Blob", Kind: "Binary", Data: [0, 255, 16] },
    { Name: "Path", Kind: "ExpandString", Data: "%SystemRoot%\\x" },
  ]);
  assert.equal(genericOutput(r, "registry:HKLM\\SOFTWARE\\Contoso\\Empty"), null, "a key without values: no output");
  assert.equal(genericError(r, "registry:HKLM\\SOFTWARE\\Contoso\\Absent").kind, "not-found");
  assert.deepEqual(r["registry:HKU\\.DEFAULT\\Control Panel\\Desktop"]?.parameters, { Key: "Registry::HKEY_USERS\\.DEFAULT\\Control Panel\\Desktop" });
  assert.deepEqual(genericOutput(r, "registry:HKU\\.DEFAULT\\Control Panel\\Desktop"), { Name: "ScreenSaveActive", Kind: "String", Data: "1" });
  assert.deepEqual(genericOutput(r, "service:w32time"), { Name: "W32Time", DisplayName: "Windows Time", Status: 1, StartType: 3 });
  assert.equal(genericError(r, "service:NoSuchService").kind, "not-found");
  assert.deepEqual(genericOutput(r, "windowsFeature:Telnet-Client|TelnetClient"), { Name: "Telnet-Client", DisplayName: "Telnet-Client", Installed: false, InstallState: 0 });
  assert.equal(genericOutput(r, "windowsFeature:No-Such-Feature"), null, "Get-WindowsFeature gives nothing for a name it does not know");
  assert.deepEqual(genericOutput(r, "optionalFeature:SMB1Protocol"), { FeatureName: "SMB1Protocol", State: 6 });
  const rdp = genericOutput(r, "localGroup:S-1-5-32-555");
  assert.ok(Array.isArray(rdp) && rdp.length === 2);
  assert.deepEqual(rdp[1], { Name: "CORP\\Helpdesk", ObjectClass: "Group", SID: "S-1-5-21-1-2-3-1105", PrincipalSource: 2 });
  assert.match(String((rdp[0] as JsonObject).SID), /^S-1-5-21-.*-500$/, "a bare name is the local account, with its SID");
  assert.equal(genericError(r, "localGroup:Remote Desktop Users").kind, "not-found", "the group has its localised name on this host");
  assert.deepEqual(genericOutput(r, "cim:root\\Microsoft\\Windows\\DeviceGuard\\Win32_DeviceGuard.SecurityServicesRunning"), { SecurityServicesRunning: [1] });
  assert.deepEqual(genericOutput(r, "cim:root\\cimv2\\Win32_Service[Name=spooler].StartMode"), { Name: "Spooler", StartMode: "Disabled" });
});

test("generic records follow the built-in ones in time, and leave them as they were", () => {
  const probes = [genericProbe.service("W32Time"), genericProbe.registry("HKLM\\SOFTWARE\\Policies\\Contoso")];
  const plain = buildSnapshot(genericHost);
  const withGeneric = buildSnapshot(genericHost, { generic: [...probes, genericProbe.service("w32TIME")] });
  for (const id of PROBE_IDS) assert.deepEqual(withGeneric.probes[id], plain.probes[id], id);
  // The built-in checks' generic probes come first, in every snapshot, as the collector reads them for the built-in controls.
  const builtIn = BUILTIN_GENERIC_PROBES.map((p) => p.id);
  assert.deepEqual(Object.keys(plain.probes).slice(PROBE_IDS.length), builtIn);
  assert.deepEqual(Object.keys(withGeneric.probes).slice(PROBE_IDS.length), [...builtIn, ...probes.map((p) => p.id)], "each id once, in the list's order");
  let previous = 0;
  for (const r of Object.values(withGeneric.probes)) {
    const start = Date.parse(r!.startedAt);
    assert.ok(start >= previous);
    previous = start + (r!.durationMs ?? 0);
  }
  assert.deepEqual(buildSnapshot({ name: "srv1" }), buildSnapshot({ name: "srv1" }, {}));
});

test("generic records take fallbacks and stop where the collector does", () => {
  const windowsFeature = genericProbe.windowsFeature("Telnet-Client", "TelnetClient");
  const unknownOptional = genericProbe.optionalFeature("NoSuchFeature");
  const group = genericProbe.localGroup("S-1-5-32-555");
  const absentClass = genericProbe.cim("root\\cimv2", "Win32_NoSuchClass", "Name");
  const absentNamespace = genericProbe.cim("root\\NoSuchNamespace", "Win32_X", "Name");
  const service = genericProbe.service("W32Time");
  const registry = genericProbe.registry("HKLM\\SOFTWARE\\Policies\\Contoso");
  const probes = [windowsFeature, unknownOptional, group, absentClass, absentNamespace, service, registry];

  const fallbacks = buildGenericRecords(genericHost, probes, { cmdlets: { "Get-WindowsFeature": "missing", "Get-LocalGroupMember": "invalid-operation" } });
  assert.equal(fallbacks[windowsFeature.id]?.command, GENERIC_READERS.windowsFeature[1]);
  assert.deepEqual(genericOutput(fallbacks, windowsFeature.id), { Name: "TelnetClient", DisplayName: "Telnet-Client", Installed: false, InstallState: 0 });
  // DISM's "Feature name ... is unknown." is category NotSpecified (other): the WMI fallback runs and finds nothing.
  assert.equal(fallbacks[unknownOptional.id]?.command, GENERIC_READERS.optionalFeature[1]);
  assert.equal(genericOutput(fallbacks, unknownOptional.id), null);
  assert.equal(fallbacks[group.id]?.command, GENERIC_READERS.localGroup[1]);
  assert.equal((genericOutput(fallbacks, group.id) as JsonObject[]).length, 2);
  // Get-CimInstance's Invalid class is MetadataError (other), so Get-WmiObject is tried, and fails the same way.
  for (const p of [absentClass, absentNamespace]) {
    const e = genericError(fallbacks, p.id);
    assert.equal(e.kind, "other");
    assert.equal(e.command, GENERIC_READERS.cim[1]);
    assert.match(e.message, /^Invalid (class|namespace) ".*" \(first command failed: Invalid (class|namespace) \)$/);
  }

  const denied = buildGenericRecords(genericHost, probes, {
    cmdlets: { "Get-Service": "access-denied", "Get-Item": "access-denied-nonterminating", "Get-WindowsFeature": "access-denied", "Get-CimInstance": "access-denied" },
  });
  for (const p of [service, registry, windowsFeature, absentClass]) {
    const e = genericError(denied, p.id);
    assert.equal(e.kind, "access-denied", p.id);
    assert.equal(e.command, GENERIC_READERS[p.kind][0], `${p.id}: access-denied is an answer, not a reason to fall back`);
  }

  const hung = buildGenericRecords(genericHost, probes, { cmdlets: { "Get-Service": "hang", "Get-WindowsFeature": "missing", "Get-WindowsOptionalFeature": "hang" }, probeTimeoutSeconds: 2 });
  assert.equal(genericError(hung, service.id).kind, "timeout");
  assert.match(genericError(hung, service.id).message, /no answer within 2 s/);
  assert.equal(genericError(hung, windowsFeature.id).command, GENERIC_READERS.windowsFeature[1], "the record names the command that hung");
  assert.deepEqual(genericOutput(hung, registry.id), genericOutput(fallbacks, registry.id));

  const ps2 = buildGenericRecords(genericHost, [registry], { convertToJson: false });
  assert.equal(ps2[registry.id]?.command, hpJsonCommand(GENERIC_READERS.registry[0]!));

  const legacy = buildGenericRecords({ name: "legacy2003", legacy2003: true }, [service]);
  assert.deepEqual(genericError(legacy, service.id), { kind: "not-supported", message: WMI_2003_MESSAGE, command: GENERIC_READERS.service[0] });
});

test("the simulated state has one source for each fact: system cannot restate a built-in field", () => {
  const refused: Array<[HostSpec["system"], RegExp, Partial<HostSpec>?]> = [
    [{ registry: { "HKLM\\SYSTEM\\CurrentControlSet\\Services\\Tcpip\\Parameters": { domain: "x.test" } } }, /set by the built-in fields/],
    [{ registry: { "HKLM\\SOFTWARE\\Policies\\Microsoft\\System\\DNSClient": { X: 1 } } }, /policyKeyAbsent/, { policyKeyAbsent: true }],
    [{ localGroups: [{ name: "Administratoren", sid: "S-1-5-32-544" }] }, /Administrators is admins/],
    [{ windowsFeatures: [{ name: "failover-clustering", installState: 0 }] }, /clusteringInstalled/],
    [{ optionalFeatures: [{ name: "FailoverCluster-FullServer", state: 0 }] }, /already there/],
    [{ cim: { "root/CIMV2": { win32_service: [] } } }, /derived from the host's data/],
    [{ registry: { "HKCU\\Software\\X": {} } }, /not under HKLM, HKU or HKCR/],
    [{ registry: { "HKLM\\SOFTWARE\\X": { V: 0x100000000 } } }, /DWORD/],
    [{ services: [{ name: "a", status: "Sleeping" as "Running" }] }, /none of/],
  ];
  for (const [system, message, extra] of refused) {
    assert.throws(() => resolveSystem({ name: "h", ...extra, system }), message, JSON.stringify(system));
  }
  // Adding values to a built-in key is fine; the built-in probe's projection does not see them.
  const merged = resolveSystem({ name: "h", system: { registry: { "HKLM:\\SOFTWARE\\Microsoft\\Windows\\CurrentVersion\\Policies\\System": { ConsentPromptBehaviorAdmin: 5 } } } });
  const uac = merged.registry.find((k) => k.path.endsWith("Policies\\System"));
  assert.deepEqual(uac?.values.map((v) => v.name), ["LocalAccountTokenFilterPolicy", "EnableLUA", "ConsentPromptBehaviorAdmin"]);
});

test("Hyper-V: a host's VMs as Get-VMIntegrationService lists them, the role, and the module", () => {
  const s = buildSnapshot({ name: "hv01", hyperV: { language: "de-DE", vms: [{ name: "dc01", id: "0B6E1F4A-9D9C-4C1E-8F57-3A2D6C1E9B40", services: { TimeSynchronization: false } }, { name: "old01", state: "Off", services: { GuestServiceInterface: null } }] } });
  assertValid(s);
  const rows = arr(output(s, "vmIntegrationServices"));
  assert.equal(rows.length, 11);
  assert.deepEqual(rows[4], {
    VMName: "dc01",
    VMId: "0b6e1f4a-9d9c-4c1e-8f57-3a2d6c1e9b40",
    Name: "Zeitsynchronisierung",
    Id: "Microsoft:0B6E1F4A-9D9C-4C1E-8F57-3A2D6C1E9B40\\2497F4DE-E9FA-4204-80E4-4B75C46419C0",
    Enabled: false,
    PrimaryStatusDescription: "OK",
    SecondaryStatusDescription: null,
  });
  assert.deepEqual(rows.slice(0, 6).map((r) => r.Enabled), [false, true, true, true, false, true]);
  assert.equal(rows[1]!.SecondaryStatusDescription, "OK", "Heartbeat's second status is the guest's health");
  assert.ok(rows.slice(6).every((r) => r.VMName === "old01" && r.PrimaryStatusDescription === null));
  // One service is one object, and no VMs no output.
  assert.equal(obj(output(buildSnapshot({ name: "hv01", hyperV: { vms: [{ name: "a", services: { GuestServiceInterface: null, Heartbeat: null, KeyValuePairExchange: null, Shutdown: null, TimeSynchronization: null } }] } }), "vmIntegrationServices")).Name, "VSS");
  assert.equal(output(buildSnapshot({ name: "hv01", hyperV: {} }), "vmIntegrationServices"), null);
  // Without the role, or without its module, Get-VM is not there.
  for (const spec of [{ name: "fs01" }, { name: "hv02", hyperV: { module: false } }, { name: "hv03", hyperV: { installState: 2 } }] as HostSpec[]) {
    const r = record(buildSnapshot(spec), "vmIntegrationServices");
    assert.ok(isProbeFailure(r) && r.error.kind === "not-supported" && /'Get-VM'/.test(r.error.message), spec.name);
  }
  const role = genericProbe.windowsFeature("Hyper-V", "Microsoft-Hyper-V");
  const roleRecord = buildGenericRecords({ name: "hv01", hyperV: {} }, [role])[role.id]!;
  assert.ok(!isProbeFailure(roleRecord));
  assert.deepEqual(roleRecord.output, { Name: "Hyper-V", DisplayName: "Hyper-V", Installed: true, InstallState: 1 });
  assert.throws(() => buildSnapshot({ name: "x", hyperV: { vms: [{ name: "a", services: { GuestServiceInterface: null, Heartbeat: null, KeyValuePairExchange: null, Shutdown: null, TimeSynchronization: null, VSS: null } }] } }), /offers no integration service/);
});

test("hardware: a physical server by default, Microsoft's virtual firmware for a Hyper-V guest, or as given", () => {
  const cs = (spec: HostSpec) => obj(output(buildSnapshot(spec), "computerSystem"));
  assert.deepEqual([cs({ name: "a" }).Manufacturer, cs({ name: "a" }).Model], ["Dell Inc.", "PowerEdge R740"]);
  assert.deepEqual([cs({ name: "b", hyperVGuest: {} }).Manufacturer, cs({ name: "b", hyperVGuest: {} }).Model], ["Microsoft Corporation", "Virtual Machine"]);
  const vmware = { name: "c", hardware: { manufacturer: "VMware, Inc.", model: "VMware Virtual Platform" } };
  assert.deepEqual([cs(vmware).Manufacturer, cs(vmware).Model], ["VMware, Inc.", "VMware Virtual Platform"]);
  const services = resolveSystem({ name: "b", hyperVGuest: { services: { vmicvss: null, vmictimesync: { status: "Stopped" } } } }).services;
  assert.deepEqual(services.map((x) => [x.Name, x.Status]), [["vmicguestinterface", 4], ["vmicheartbeat", 4], ["vmickvpexchange", 4], ["vmicrdv", 4], ["vmicshutdown", 4], ["vmictimesync", 1], ["vmicvmsession", 1]]);
  assert.deepEqual(resolveSystem({ name: "a" }).services, [], "a host that is no guest has no vmic services");
});
