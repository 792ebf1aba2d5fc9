import assert from "node:assert/strict";
import { readdirSync, readFileSync, rmSync, statSync } from "node:fs";
import { join, resolve } from "node:path";
import { test } from "node:test";
import { loadInventory } from "../../src/input/inventory";
import { planSlices } from "../../src/engine/slices";
import { runEstate } from "../../src/engine/run";
import { verifyReport } from "../../src/evidence/manifest";
import type { Summary } from "../../src/report/formats/summary";
import type { Inventory } from "../../src/model/inventory";
import { DEMO, tempDir } from "../e2e/cli";

const WAIVERS = join(DEMO, "..", "waivers.yaml");

function estate(clusterSizes: number[], standalone: number): Inventory {
  const hosts: Inventory["hosts"] = [];
  const clusters: NonNullable<Inventory["clusters"]> = [];
  clusterSizes.forEach((size, ci) => {
    const nodes = Array.from({ length: size }, (_, i) => `c${ci}-n${i}`);
    clusters.push({ name: `c${ci}`, type: "single-domain", nodes });
    // Nodes interleaved with standalone hosts, as inventories are written.
    for (const n of nodes) hosts.push({ name: n, transport: "snapshot" });
    if (ci < standalone) hosts.push({ name: `solo${ci}`, transport: "snapshot" });
  });
  for (let i = clusterSizes.length; i < standalone; i++) hosts.push({ name: `solo${i}`, transport: "snapshot" });
  return { hosts, clusters } as Inventory;
}

test("slices: every host once, a cluster never split, at most the limit unless one cluster is larger", () => {
  const inv = estate([3, 5, 2, 9, 1, 4], 7);
  const slices = planSlices(inv, 6);
  const seen = slices.flatMap((s) => s.hosts);
  assert.deepEqual([...seen].sort((a, b) => a - b), inv.hosts.map((_, i) => i));
  for (const s of slices) {
    assert.ok(s.hosts.length <= 6 || s.clusters.some((ci) => inv.clusters![ci]!.nodes.length > 6), `slice of ${s.hosts.length}`);
    const names = new Set(s.hosts.map((i) => inv.hosts[i]!.name));
    for (const ci of s.clusters) for (const n of inv.clusters![ci]!.nodes) assert.ok(names.has(n), `${n} with its cluster c${ci}`);
  }
  assert.deepEqual(slices.flatMap((s) => s.clusters).sort(), inv.clusters!.map((_, i) => i));
  assert.ok(slices.length > 3);
});

test("slices: an estate within the limit is one slice in inventory order", () => {
  const inv = estate([3, 2], 2);
  assert.deepEqual(planSlices(inv, 1000), [{ hosts: inv.hosts.map((_, i) => i), clusters: [0, 1] }]);
  assert.deepEqual(planSlices({ hosts: [] } as unknown as Inventory), [{ hosts: [], clusters: [] }]);
});

function readSummary(dir: string): Summary {
  return JSON.parse(readFileSync(join(dir, "summary.json"), "utf8")) as Summary;
}

const key = (r: Summary["results"][number]): string => `${r.target.kind}:${r.target.name}:${r.controlId}`;

test("a run streamed one host at a time says exactly what a run of the whole estate at once says", async (t) => {
  const whole = tempDir();
  const streamed = tempDir();
  t.after(() => {
    rmSync(whole, { recursive: true, force: true });
    rmSync(streamed, { recursive: true, force: true });
  });
  const options = { inventory: DEMO, waivers: WAIVERS, failOn: "any" as const, asOf: new Date("2026-11-22T00:00:00Z"), html: false, history: false as const };
  const a = await runEstate({ ...options, out: join(whole, "out") });
  const b = await runEstate({ ...options, out: join(streamed, "out"), sliceHosts: 1 });

  const sa = readSummary(join(whole, "out"));
  const sb = readSummary(join(streamed, "out"));
  for (const field of ["verdict", "exitCode", "totals", "totalsBySeverity", "waivers", "controls", "clusters"] as const) assert.deepEqual(sb[field], sa[field], field);
  assert.deepEqual(new Map(sb.results.map((r) => [key(r), r])), new Map(sa.results.map((r) => [key(r), r])));
  assert.deepEqual(new Map(sb.hosts.map((h) => [h.name, h])), new Map(sa.hosts.map((h) => [h.name, h])));
  assert.deepEqual(b.report.totals, a.report.totals);
  assert.deepEqual(b.report.findings.map((r) => `${r.target.name}:${r.control.id}`).sort(), a.report.findings.map((r) => `${r.target.name}:${r.control.id}`).sort());

  const count = (dir: string, suffix: string): number => readdirSync(join(dir, "out", "allure-results")).filter((f) => f.endsWith(suffix)).length;
  assert.equal(count(streamed, "-result.json"), sa.results.length);
  assert.equal(count(streamed, "-attachment.json"), count(whole, "-attachment.json"));
  assert.ok(count(whole, "-attachment.json") > 0);
  const testcases = (dir: string): number => (readFileSync(join(dir, "out", "junit.xml"), "utf8").match(/<testcase /g) ?? []).length;
  assert.equal(testcases(streamed), testcases(whole));
  for (const dir of [whole, streamed]) assert.equal((await verifyReport(join(dir, "out"))).ok, true, `${dir} verifies`);
  // A host's evidence attachment is its kept snapshot under a second name: one inode, no copy.
  const attachment = readdirSync(join(streamed, "out", "allure-results")).find((f) => f.endsWith("-attachment.json"))!;
  const attached = statSync(join(streamed, "out", "allure-results", attachment));
  const host = (JSON.parse(readFileSync(join(streamed, "out", "allure-results", attachment), "utf8")) as { host: string }).host;
  const kept = statSync(join(streamed, "out", "evidence", "snapshots", `${host}.json`));
  assert.equal(attached.ino, kept.ino);
  assert.equal(attached.nlink, 2);

  // Cucumber's record: one test run per slice, each test case tied to a run of the stream.
  const messages = readFileSync(join(streamed, "out", "cucumber-messages.ndjson"), "utf8").trim().split("\n").map((l) => JSON.parse(l) as Record<string, { id?: string; testRunStartedId?: string }>);
  const runs = messages.filter((m) => m.testRunStarted).map((m) => m.testRunStarted!.id);
  const inventory = loadInventory(resolve(DEMO), DEMO).inventory;
  assert.equal(runs.length, planSlices(inventory, 1).length);
  assert.ok(runs.length > 1);
  for (const m of messages.filter((m) => m.testCase)) assert.ok(runs.includes(m.testCase!.testRunStartedId), "test case in a run of the stream");
  assert.equal(messages.filter((m) => m.testRunFinished).length, runs.length);
});
