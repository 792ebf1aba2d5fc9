/**
 * Sharding and merge as a careless or hostile user meets them: more shards than hosts, odd estates,
 * shards forged with a consistent manifest, --out in awkward places, verify on plain reports.
 * Every refusal is exit 3 with the shard named, never a stack trace, never a report that drops
 * results.
 */
import assert from "node:assert/strict";
import { cpSync, existsSync, readdirSync, readFileSync, rmSync, unlinkSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { test } from "node:test";
import { runEstate } from "../../src/engine/run";
import { verifyReport, writeManifest, type Manifest } from "../../src/evidence/manifest";
import type { Summary } from "../../src/report/formats/summary";
import { DEMO, spawnCli, tempDir } from "./cli";
import { parse } from "yaml";

const AS_OF = "2026-11-30";
const COMMON = ["--as-of", AS_OF, "--no-history", "--no-html", "--exit-zero"];
const BASE = { failOn: "any" as const, asOf: new Date(`${AS_OF}T00:00:00Z`), html: false, history: false as const };

/** summary.json without the run's own times. */
function summaryOf(dir: string): Record<string, unknown> {
  const { startedAt: _s, finishedAt: _f, timings: _t, ...rest } = JSON.parse(readFileSync(join(dir, "summary.json"), "utf8")) as Summary & Record<string, unknown>;
  return rest;
}

/** Runs shards 1..count of `inventory` in-process into dir/s1... and returns their folder names. */
async function runShards(dir: string, inventory: string, count: number, extra: Partial<Parameters<typeof runEstate>[0]> = {}): Promise<string[]> {
  const names: string[] = [];
  for (let index = 1; index <= count; index++) {
    await runEstate({ ...BASE, inventory, out: join(dir, `s${index}`), shard: { index, count }, ...extra });
    names.push(`s${index}`);
  }
  return names;
}

test("verify on a report that was not merged (a whole run, a shard) has no shard chain to break", () => {
  const dir = tempDir();
  assert.equal(spawnCli(["run", "-i", DEMO, ...COMMON, "-o", "whole"], dir).code, 0);
  assert.equal(spawnCli(["run", "-i", DEMO, ...COMMON, "--shard", "1/2", "-o", "s1"], dir).code, 0);
  for (const d of ["whole", "s1"]) {
    const r = spawnCli(["verify", d], dir);
    assert.equal(r.code, 0, `${d}: ${r.stdout}${r.stderr}`);
    assert.match(r.stdout, /evidence intact/);
    assert.doesNotMatch(r.stdout + r.stderr, /shard/);
  }
});

test("more shards than hosts: the empty shards are intact reports, and the merge is the whole run", async () => {
  const dir = tempDir();
  await runEstate({ ...BASE, inventory: DEMO, out: join(dir, "whole") });
  const shards = await runShards(dir, DEMO, 20);
  // An empty shard with the browsable pages too: no empty folder left for verify to call unexpected.
  await runEstate({ ...BASE, inventory: DEMO, out: join(dir, "empty-pages"), shard: { index: 2, count: 20 }, html: true, htmlStyle: "pages" });
  for (const d of [...shards, "empty-pages"]) {
    const v = await verifyReport(join(dir, d));
    assert.deepEqual(v.problems, [], d);
  }
  assert.equal((JSON.parse(readFileSync(join(dir, "s2", "summary.json"), "utf8")) as Summary).hosts.length, 0, "the premise: shard 2 of 20 is empty");
  const merged = spawnCli(["merge", ...shards, "-o", "merged", "--no-history", "--no-html"], dir);
  assert.equal(merged.code, 1, merged.stderr);
  assert.deepEqual(summaryOf(join(dir, "merged")), summaryOf(join(dir, "whole")));
});

type Record_ = { shard: { index: number; count: number }; hosts: { index: number; name: string }[]; clusters: { index: number; name: string }[]; slices: { hosts: number; clusters: number; results: number }[] };

/** A determined forger: edits a shard's record and results, then makes its manifest again to match. */
async function forge(shard: string, edit: { record?: (r: Record_) => void; results?: (rs: Record<string, unknown>[]) => void; files?: (dir: string) => void }): Promise<void> {
  const recordFile = join(shard, "evidence", "shard.json");
  const record = JSON.parse(readFileSync(recordFile, "utf8")) as Record_;
  if (edit.results !== undefined) {
    const lines = readFileSync(join(shard, "summary.json"), "utf8").split("\n");
    const a = lines.findIndex((l) => l.trim() === '"results": [');
    let b = a + 1;
    while (lines[b]!.trim().startsWith("{")) b++;
    const results = lines.slice(a + 1, b).map((l) => JSON.parse(l.trim().replace(/,$/, "")) as Record<string, unknown>);
    edit.results(results);
    const body = results.map((r, i) => `    ${JSON.stringify(r)}${i < results.length - 1 ? "," : ""}`);
    writeFileSync(join(shard, "summary.json"), [...lines.slice(0, a + 1), ...body, ...lines.slice(b)].join("\n"));
    record.slices[0]!.results = results.length;
  }
  edit.record?.(record);
  writeFileSync(recordFile, JSON.stringify(record, null, 1));
  edit.files?.(shard);
  writeManifest(shard);
  assert.deepEqual((await verifyReport(shard)).problems, [], "the forgery verifies");
}

test("a shard forged with a consistent manifest is refused with exit 3 naming it, never exit 4, never merged short", async () => {
  const dir = tempDir();
  const shards = await runShards(dir, DEMO, 3);
  // The figures the messages give come from shard 1's own record and the demo inventory, so that
  // a host added to the demo changes no pattern here.
  const own = JSON.parse(readFileSync(join(dir, "s1", "evidence", "shard.json"), "utf8")) as Record_;
  const listed = own.slices[0]!.hosts;
  const held = own.slices[0]!.results;
  const estateHosts = (parse(readFileSync(DEMO, "utf8")) as { hosts: unknown[] }).hosts.length;
  const cases: [string, Parameters<typeof forge>[1], RegExp][] = [
    ["a cluster's place beyond the estate", { record: (r) => (r.clusters[1]!.index = 5) }, /cluster mdclus stands at 5, but the estate has 2 clusters/],
    ["a host's place beyond the estate", { record: (r) => (r.hosts[0]!.index = 50) }, new RegExp(`host wg-node1 stands at 50, but the estate has ${estateHosts} hosts`)],
    ["two hosts at one place", { record: (r) => (r.hosts[1]!.index = 0) }, /host wg-node2 stands at 0, as another host of the shard does/],
    ["slices that hold fewer hosts than listed", { record: (r) => (r.slices[0]!.hosts -= 1) }, new RegExp(`its slices hold ${listed - 1} hosts, but it lists ${listed}`)],
    ["slices that hold more hosts than listed", { record: (r) => (r.slices[0]!.hosts += 1) }, new RegExp(`its slices hold ${listed + 1} hosts, but it lists ${listed}`)],
    ["fewer results counted than held", { record: (r) => (r.slices[0]!.results -= 8) }, new RegExp(`holds more results than the ${held - 8}`)],
    ["more results counted than held", { record: (r) => (r.slices[0]!.results += 8) }, new RegExp(`holds fewer results than the ${held + 8}`)],
    ["a host without its snapshot", { files: (d) => unlinkSync(join(d, "evidence", "snapshots", "wg-node2.json")) }, /host wg-node2 has no snapshot/],
    ["a result dropped", { results: (rs) => rs.splice(3, 1) }, new RegExp(`totals\\.total: states ${held}, its results give ${held - 1}.*no result of HP-CLU-001.*results are missing`)],
    ["a result repeated", { results: (rs) => rs.splice(3, 0, rs[3]!) }, /has two results of/],
    ["a result naming another shard's host", { results: (rs) => ((rs[0]!.target as { name: string }).name = "app01") }, /names host app01, which is not among the hosts and clusters of the slice that wrote it/],
    ["a result of a control not run", { results: (rs) => (rs[0]!.controlId = "HP-NOPE-001") }, /control HP-NOPE-001, which its controls do not list/],
    ["a result that is not one", { results: (rs) => (rs[0] = { nonsense: true }) }, /results\[0\]: is not a result/],
  ];
  for (const [what, edit, pattern] of cases) {
    rmSync(join(dir, "f1"), { recursive: true, force: true });
    cpSync(join(dir, "s1"), join(dir, "f1"), { recursive: true });
    await forge(join(dir, "f1"), edit);
    const r = spawnCli(["merge", "f1", ...shards.slice(1), "-o", "merged", "--no-history", "--no-html"], dir);
    assert.equal(r.code, 3, `${what}: ${r.stdout}${r.stderr}`);
    assert.match(r.stderr, /f1/, what);
    assert.match(r.stderr, pattern, what);
    assert.doesNotMatch(r.stderr, /at .*\.(ts|js):\d+/, `${what}: no stack trace`);
    assert.ok(!existsSync(join(dir, "merged")), `${what}: nothing written`);
  }
  // Two shards that swap their K: each is whole, but neither holds the share its K gives.
  for (const [from, to, k] of [["s1", "f1", 2], ["s2", "f2", 1]] as const) {
    rmSync(join(dir, to), { recursive: true, force: true });
    cpSync(join(dir, from), join(dir, to), { recursive: true });
    await forge(join(dir, to), { record: (r) => (r.shard.index = k) });
  }
  const swapped = spawnCli(["merge", "f1", "f2", "s3", "-o", "merged", "--no-history", "--no-html"], dir);
  assert.equal(swapped.code, 3, swapped.stderr);
  assert.match(swapped.stderr, /f\d: .*are not shard [12]\/3 of the estate/);
});

test("shards run from different working folders, their --features folders elsewhere, merge; features that differ do not", () => {
  const dir = tempDir();
  const custom = join(DEMO, "..", "..", "custom-controls");
  cpSync(custom, join(dir, "a", "acme"), { recursive: true });
  cpSync(custom, join(dir, "b", "controls", "ours"), { recursive: true });
  const run = (cwd: string, features: string, k: number, out: string): void => {
    const r = spawnCli(["run", "-i", DEMO, ...COMMON, "--features", features, "--shard", `${k}/2`, "-o", join(dir, out)], join(dir, cwd));
    assert.equal(r.code, 0, r.stderr);
  };
  run("a", "acme", 1, "s1");
  run("b", join("controls", "ours"), 2, "s2");
  const merged = spawnCli(["merge", "s1", "s2", "-o", "merged", "--no-history", "--no-html"], dir);
  assert.equal(merged.code, 1, merged.stderr);
  // The same folder with one file's content changed is another set of controls.
  const file = readdirSync(join(dir, "b", "controls", "ours")).find((n) => n.endsWith(".feature"))!;
  const path = join(dir, "b", "controls", "ours", file);
  writeFileSync(path, readFileSync(path, "utf8").replace(/@severity:(\w+)/, (_m, s: string) => `@severity:${s === "low" ? "medium" : "low"}`));
  run("b", join("controls", "ours"), 2, "s2x");
  const refused = spawnCli(["merge", "s1", "s2x", "-o", "merged2", "--no-history", "--no-html"], dir);
  assert.equal(refused.code, 3, refused.stderr);
  assert.match(refused.stderr, /s2x: organisation's features: differs from s1's/);
});

test("--out inside a shard, or around one, is refused before anything is written; verify takes a folder now where a shard was as no shard", () => {
  const dir = tempDir();
  for (const k of [1, 2]) assert.equal(spawnCli(["run", "-i", DEMO, ...COMMON, "--shard", `${k}/2`, "-o", join("runs", `s${k}`)], dir).code, 0);
  const inside = spawnCli(["merge", "runs/s1", "runs/s2", "-o", "runs/s1/merged", "--no-history", "--no-html"], dir);
  assert.equal(inside.code, 3, inside.stderr);
  assert.match(inside.stderr, /--out runs\/s1\/merged is inside the shard runs\/s1/);
  assert.equal(spawnCli(["verify", "runs/s1"], dir).code, 0, "the shard is as it was written");
  // A merged report made earlier into runs/ itself: merging into it again would delete the shards.
  assert.equal(spawnCli(["merge", "runs/s1", "runs/s2", "-o", "merged", "--no-history", "--no-html", "--exit-zero"], dir).code, 0);
  const around = spawnCli(["merge", "runs/s1", "runs/s2", "-o", "runs", "--no-history", "--no-html"], dir);
  assert.equal(around.code, 3, around.stderr);
  assert.match(around.stderr, /the shard runs\/s1 is inside --out runs/);
  assert.ok(existsSync(join(dir, "runs", "s2", "summary.json")));

  // Where shard 2 was, now an unrelated folder: the link is not checked, the report itself intact.
  cpSync(join(dir, "runs", "s2"), join(dir, "moved"), { recursive: true });
  rmSync(join(dir, "runs", "s2"), { recursive: true });
  writeFileSync(join(dir, "notes.txt"), "");
  cpSync(join(dir, "notes.txt"), join(dir, "runs", "s2", "notes.txt"), { recursive: true });
  const v = spawnCli(["verify", "merged"], dir);
  assert.equal(v.code, 0, v.stdout + v.stderr);
  assert.match(v.stdout, /1 of 2 shards verified/);
  const given = spawnCli(["verify", "merged", "--shards", "runs/s1", "--shards", "runs/s2", "--shards", "moved"], dir);
  assert.equal(given.code, 0, given.stdout + given.stderr);
  assert.match(given.stdout, /2 of 2 shards verified/);
});

test("a merged report whose results were rewritten consistently (totals, heads and manifest kept in step) does not verify against its shards", async () => {
  const dir = tempDir();
  const waivers = join(__dirname, "..", "..", "examples", "demo", "waivers.yaml");
  const shards = await runShards(dir, DEMO, 2, { waivers });
  assert.equal(spawnCli(["merge", ...shards, "-o", "merged", "--no-history", "--no-html", "--exit-zero"], dir).code, 0);
  const withShards = ["verify", "merged", "--shards", "s1", "--shards", "s2"];
  const honest = spawnCli(withShards, dir);
  assert.equal(honest.code, 0, honest.stdout + honest.stderr);
  assert.match(honest.stdout, /2 of 2 shards verified/);

  // A failure turned into a pass, and a pass of the same severity into a failure: the totals, the
  // failures per severity, the verdict and the heads of junit.xml and summary.md stay as they were.
  const merged = join(dir, "merged");
  const lines = readFileSync(join(merged, "summary.json"), "utf8").split("\n");
  const parsed = (l: string): Record<string, unknown> => JSON.parse(l.trim().replace(/,$/, "")) as Record<string, unknown>;
  const isResult = (l: string): boolean => l.startsWith("    {\"controlId\"");
  const failed = lines.findIndex((l) => isResult(l) && parsed(l).status === "failed");
  const { severity, controlId } = parsed(lines[failed]!);
  const passed = lines.findIndex((l) => isResult(l) && parsed(l).status === "passed" && parsed(l).severity === severity && parsed(l).controlId !== controlId);
  assert.ok(failed >= 0 && passed >= 0, "the premise: a failure and a pass of one severity");
  const swapped = parsed(lines[passed]!).controlId as string;
  lines[failed] = lines[failed]!.replace('"status":"failed"', '"status":"passed"');
  lines[passed] = lines[passed]!.replace('"status":"passed"', '"status":"failed"');
  writeFileSync(join(merged, "summary.json"), lines.join("\n"));
  const { shards: recorded } = JSON.parse(readFileSync(join(merged, "evidence", "manifest.json"), "utf8")) as Manifest;
  assert.equal(recorded?.length, 2);
  writeManifest(merged, { shards: recorded });

  const alone = spawnCli(["verify", "merged", "--shards", "s1", "--shards", "s2"], dir);
  assert.equal(alone.code, 1, alone.stdout + alone.stderr);
  assert.match(alone.stderr, new RegExp(`the merged summary\\.json's results of (${controlId}, ${swapped}|${swapped}, ${controlId}) are not its shards' results`));
  assert.match(alone.stdout, /evidence NOT intact: shard chain broken/);
  const found = spawnCli(["verify", "merged"], dir);
  assert.equal(found.code, 1, "the shards where merge read them: the same");
  // What changed is summary.json alone: the report still agrees with itself.
  assert.doesNotMatch(alone.stderr, /contradicts/);
});
