import { test } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync, readFileSync, readdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { JsonObject, JsonValue } from "../../src/model/json";
import type { Inventory } from "../../src/model/inventory";
import { isProbeFailure, type ProbeRecord, type Snapshot } from "../../src/model/snapshot";
import { PROBE_IDS, PROBES, type ProbeId } from "../../src/probes/catalog";
import {
  OFFLOAD_KEYWORDS,
  WMI_2003_MESSAGE,
  buildSnapshot,
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
  const s = buildSnapshot(clusterNode);
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
