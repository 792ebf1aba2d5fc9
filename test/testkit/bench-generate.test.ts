import { test } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync, readFileSync, readdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Inventory } from "../../src/model/inventory";
import { generateEstate } from "../../bench/generate";
import { BUILTIN_GENERIC_PROBES } from "../helpers/snapshot-builder";
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

test("with the library, every snapshot records the library's generic probes, the built-in records stay as without it, and about 5 % of hosts drift", async () => {
  const { libraryProbes, LIBRARY_FEATURES } = await import("../../bench/library-state");
  const { planProbes } = await import("../../src/controls/probe-plan");
  withDir((dir) => {
    generateEstate(join(dir, "plain"), { hosts: 300, seed: 9 });
    generateEstate(join(dir, "library"), { hosts: 300, seed: 9, library: true });
    const library = new Set(libraryProbes().map((p) => p.id));
    assert.equal(library.size, 39);
    const ids = planProbes(undefined, { folders: [LIBRARY_FEATURES] }).generic.map((p) => p.id);
    assert.ok([...library].every((id) => ids.includes(id)), "the library's probes beside the built-in controls'");
    // What each host's generic probes answered; the compliant answer is the most common one.
    const answers = new Map<string, number>();
    for (const f of readdirSync(join(dir, "library", "snapshots"))) {
      const withLib = JSON.parse(readFileSync(join(dir, "library", "snapshots", f), "utf8")) as { probes: Record<string, { output?: unknown; error?: { kind: string } }> };
      const without = JSON.parse(readFileSync(join(dir, "plain", "snapshots", f), "utf8")) as { probes: Record<string, unknown> };
      assert.equal(schemaErrors(validateSnapshot, withLib), "", f);
      // The built-in checks' generic probes are in both (every snapshot records them) and come first.
      const builtIn: readonly string[] = BUILTIN_GENERIC_PROBES.map((p) => p.id);
      const libraryOnly = ([id]: [string, unknown]): boolean => id.includes(":") && !builtIn.includes(id);
      // The catalog probes' records are the same; the built-in checks' generic ones read the library's
      // state too where they overlap (PowerShell-V2 is among the library's features).
      const catalog = (probes: Record<string, unknown>) => Object.fromEntries(Object.entries(probes).filter(([id]) => !id.includes(":")));
      assert.deepEqual(catalog(withLib.probes), catalog(without.probes), f);
      assert.deepEqual(Object.keys(withLib.probes).filter((id) => id.includes(":") && builtIn.includes(id)), Object.keys(without.probes).filter((id) => id.includes(":")), f);
      assert.deepEqual(Object.keys(withLib.probes).filter((id) => libraryOnly([id, null])), ids.filter((id) => !builtIn.includes(id)), f);
      const generic = Object.entries(withLib.probes).filter(libraryOnly);
      // Windows Server 2003 hosts answer nothing (not-supported); "no such service" is an answer.
      if (generic.some(([, r]) => r.error !== undefined && r.error.kind !== "not-found")) continue;
      // Failover-Clustering is installed on cluster nodes only: that is the estate, not drift.
      const key = JSON.stringify(generic.filter(([id]) => id !== "windowsFeature:Failover-Clustering").map(([, r]) => r.output ?? r.error?.kind));
      answers.set(key, (answers.get(key) ?? 0) + 1);
    }
    const counts = [...answers.values()].sort((a, b) => b - a);
    const drifted = counts.slice(1).reduce((a, b) => a + b, 0);
    assert.ok(drifted >= 5 && drifted <= 30, `${drifted} of ${counts.reduce((a, b) => a + b, 0)} hosts drift`);
  });
});
