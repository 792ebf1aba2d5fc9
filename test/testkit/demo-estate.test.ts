import { test } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync, readFileSync, readdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { parse } from "yaml";
import type { Inventory } from "../../src/model/inventory";
import { isProbeFailure, type Snapshot } from "../../src/model/snapshot";
import { makeDemo } from "../../scripts/make-demo";
import { normaliseSnapshot } from "../../src/facts";
import { judgeWithinExtendedSupport } from "../../src/judge/lifecycle";
import { PROBES } from "../../src/probes/catalog";
import { hostCtx } from "../helpers/host-facts";
import { schemaErrors, validateInventory, validateSnapshot } from "./schemas";

const demoDir = join(__dirname, "..", "..", "examples", "demo");
const inventoryFile = join(demoDir, "inventory.yaml");

function loadInventory(): Inventory {
  return parse(readFileSync(inventoryFile, "utf8")) as Inventory;
}

function loadSnapshot(inventory: Inventory, host: string): Snapshot {
  const entry = inventory.hosts.find((h) => h.name === host);
  assert.ok(entry?.snapshot, `${host} names a snapshot`);
  return JSON.parse(readFileSync(join(dirname(inventoryFile), entry.snapshot), "utf8")) as Snapshot;
}

test("the demo inventory is schema-valid and every host reads its own snapshot file", () => {
  const inventory = loadInventory();
  assert.equal(schemaErrors(validateInventory, inventory), "");
  const names = inventory.hosts.map((h) => h.name).sort();
  assert.deepEqual(names, ["app01", "app2016", "ctr01", "fs01", "hv01", "legacy2003", "md-node1", "md-node2", "nano2016", "wg-node1", "wg-node2", "wg-node3"]);
  for (const h of inventory.hosts) {
    assert.equal(h.transport, "snapshot");
    assert.equal(h.snapshot, `snapshots/${h.name}.json`);
  }
  assert.deepEqual(readdirSync(join(demoDir, "snapshots")).sort(), names.map((n) => `${n}.json`));
});

test("every demo snapshot is schema-valid, pretty-printed and belongs to its host", () => {
  const inventory = loadInventory();
  for (const h of inventory.hosts) {
    const text = readFileSync(join(demoDir, "snapshots", `${h.name}.json`), "utf8");
    const snapshot = JSON.parse(text) as Snapshot;
    assert.equal(schemaErrors(validateSnapshot, snapshot), "", h.name);
    assert.equal(snapshot.host, h.name);
    assert.equal(text, `${JSON.stringify(snapshot, null, 2)}\n`, `${h.name} is 2-space JSON`);
  }
});

test("the demo carries the deviations the inventory comments describe", () => {
  const inventory = loadInventory();
  const nic = (host: string, adapter: string, keyword: string): unknown => {
    const r = loadSnapshot(inventory, host).probes.netAdapterAdvancedProperty;
    assert.ok(r && !isProbeFailure(r) && Array.isArray(r.output));
    const row = r.output.find((p) => p !== null && typeof p === "object" && !Array.isArray(p) && p.Name === adapter && p.RegistryKeyword === keyword);
    assert.ok(row && typeof row === "object" && !Array.isArray(row));
    return row.RegistryValue;
  };
  assert.deepEqual(nic("wg-node3", "Ethernet 2", "*VMQ"), ["1"]);
  assert.deepEqual(nic("wg-node1", "Ethernet 2", "*VMQ"), ["0"]);
  assert.deepEqual(nic("md-node1", "Ethernet 1", "*RSS"), ["1"]);
  const hotfixIds = (host: string): string[] => {
    const r = loadSnapshot(inventory, host).probes.hotfixes;
    assert.ok(r && !isProbeFailure(r) && Array.isArray(r.output));
    return r.output.map((f) => (f !== null && typeof f === "object" && !Array.isArray(f) ? String(f.HotFixID) : ""));
  };
  assert.ok(hotfixIds("wg-node1").includes("KB5044281"));
  assert.deepEqual(hotfixIds("wg-node1"), hotfixIds("wg-node2"));
  assert.deepEqual(hotfixIds("wg-node3"), hotfixIds("wg-node1").filter((id) => id !== "KB5044281"));
  const fs01 = loadSnapshot(inventory, "fs01").probes.netAdapterAdvancedProperty;
  assert.ok(fs01 && isProbeFailure(fs01) && fs01.error.kind === "access-denied");
  const legacyOs = loadSnapshot(inventory, "legacy2003").probes.os;
  assert.ok(legacyOs && !isProbeFailure(legacyOs));
  assert.match(legacyOs.command, /^Get-WmiObject .* -ComputerName legacy2003 /);
  assert.equal(inventory.inputs?.endOfSupport?.warningDays, 90);
  assert.equal(inventory.hosts.find((h) => h.name === "md-node1")?.inputs?.offloads?.allowed?.[0].keyword, "*RSS");
});

test("the demo's Nano Server host is read as its PowerShell allows, and fails end of support naming Nano Server", () => {
  const inventory = loadInventory();
  const nano = loadSnapshot(inventory, "nano2016");
  const probe = (id: keyof typeof PROBES) => {
    const r = nano.probes[id];
    assert.ok(r, `${id} has a record`);
    return r;
  };
  const version = probe("windowsVersion");
  const os = probe("os");
  assert.ok(!isProbeFailure(version) && !isProbeFailure(os));
  assert.deepEqual([(version.output as { InstallationType?: unknown }).InstallationType, (os.output as { OperatingSystemSKU?: unknown }).OperatingSystemSKU], ["Nano Server", 143]);
  // No ServerManager, Get-HotFix or Get-WmiObject: the collector's fallbacks answered (DISM, CIM)...
  assert.equal(probe("failoverClusteringFeature").command, PROBES.failoverClusteringFeature.fallbacks?.[0]);
  assert.equal(probe("hotfixes").command, PROBES.hotfixes.fallbacks?.[0]);
  // ...and where none answers the fact is recorded not-supported, as the collector records a missing cmdlet.
  const wmiOnly = Object.entries(nano.probes).filter(([, r]) => r !== undefined && r.command.startsWith("Get-WmiObject"));
  assert.ok(wmiOnly.length > 0);
  for (const [id, r] of wmiOnly) assert.ok(r && isProbeFailure(r) && r.error.kind === "not-supported" && /Get-WmiObject/.test(r.error.message), id);
  const judged = judgeWithinExtendedSupport(hostCtx(normaliseSnapshot(nano), { asOf: new Date(nano.collectedAt) }));
  assert.equal(judged.status, "failed");
  assert.match(judged.actual, /Nano Server as a host operating system/);
});

test("scripts/make-demo.ts regenerates exactly the committed files", () => {
  const out = mkdtempSync(join(tmpdir(), "hostproof-demo-"));
  try {
    const files = makeDemo(out);
    const committed = ["inventory.yaml", ...readdirSync(join(demoDir, "snapshots")).map((f) => `snapshots/${f}`)];
    assert.deepEqual([...files].sort(), committed.sort());
    for (const file of files) {
      assert.equal(readFileSync(join(out, file), "utf8"), readFileSync(join(demoDir, file), "utf8"), `${file} is stale: run node --import tsx scripts/make-demo.ts`);
    }
  } finally {
    rmSync(out, { recursive: true, force: true });
  }
});
