import { test } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync, readFileSync, readdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Inventory } from "../../src/model/inventory";
import { generateEstate } from "../../bench/generate";
import { schemaErrors, validateInventory, validateSnapshot } from "./schemas";

function withDir<T>(fn: (dir: string) => T): T {
  const dir = mkdtempSync(join(tmpdir(), "hostproof-bench-"));
  try {
    return fn(dir);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

function readAll(dir: string): Map<string, string> {
  const files = new Map<string, string>([["inventory.json", readFileSync(join(dir, "inventory.json"), "utf8")]]);
  for (const f of readdirSync(join(dir, "snapshots"))) files.set(f, readFileSync(join(dir, "snapshots", f), "utf8"));
  return files;
}

test("the bench estate is schema-valid, clustered 2 to 16 nodes, with deviations and a few probe errors", () => {
  withDir((dir) => {
    const estate = generateEstate(dir, { hosts: 400, seed: 7 });
    const inventory = JSON.parse(readFileSync(estate.inventoryPath, "utf8")) as Inventory;
    assert.equal(schemaErrors(validateInventory, inventory), "");
    assert.equal(inventory.hosts.length, 400);
    const clusters = inventory.clusters ?? [];
    assert.ok(clusters.every((c) => c.nodes.length >= 2 && c.nodes.length <= 16));
    assert.deepEqual(new Set(clusters.map((c) => c.type)), new Set(["workgroup", "multi-domain", "single-domain"]));
    assert.ok(estate.standalone > 0 && estate.standalone < 120);
    assert.ok(estate.deviations >= 5 && estate.deviations <= 40, `${estate.deviations} deviations`);
    for (const h of inventory.hosts) {
      const snapshot: unknown = JSON.parse(readFileSync(join(dir, "snapshots", `${h.name}.json`), "utf8"));
      assert.equal(schemaErrors(validateSnapshot, snapshot), "", h.name);
    }
  });
});

test("the same seed gives the same estate, another seed a different one", () => {
  const a = withDir((dir) => (generateEstate(dir, { hosts: 60, seed: 1 }), readAll(dir)));
  const b = withDir((dir) => (generateEstate(dir, { hosts: 60, seed: 1 }), readAll(dir)));
  const c = withDir((dir) => (generateEstate(dir, { hosts: 60, seed: 2 }), readAll(dir)));
  assert.deepEqual(a, b);
  assert.notDeepEqual(a, c);
});
