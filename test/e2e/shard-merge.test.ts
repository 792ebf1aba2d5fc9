/**
 * `run --shard K/N` and `merge`: an estate judged as N shards and merged must give what one run
 * over the whole estate gives, compared field by field, the HDF and CSV exports included. Times, Allure's random uuids and paths may
 * differ; nothing else may. Then everything merge must refuse, and the shard chain verify follows.
 */
import assert from "node:assert/strict";
import { createHash } from "node:crypto";
import { appendFileSync, cpSync, existsSync, readdirSync, readFileSync, renameSync, writeFileSync } from "node:fs";
import { join, sep } from "node:path";
import { test } from "node:test";
import { stringify } from "yaml";
import { runEstate } from "../../src/engine/run";
import { shardUnits } from "../../src/engine/shard";
import { planSlices } from "../../src/engine/slices";
import { loadInventory } from "../../src/input/inventory";
import { mergeShards } from "../../src/merge/merge";
import type { Summary } from "../../src/report/formats/summary";
import { DEMO, spawnCli, tempDir } from "./cli";

const WAIVERS = join(DEMO, "..", "waivers.yaml");
const AS_OF = "2026-11-30";

const ISO = /\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?Z/g;
const sha = (data: Buffer | string): string => createHash("sha256").update(data).digest("hex");

function summaryOf(dir: string): Record<string, unknown> {
  const s = JSON.parse(readFileSync(join(dir, "summary.json"), "utf8")) as Summary & Record<string, unknown>;
  // The run's own times, and where it was run from, are all that may differ.
  const { startedAt: _s, finishedAt: _f, timings: _t, ...rest } = s;
  return rest;
}

/** Allure's result files, each without its random uuid and times, its attachments named by content. */
function allureResults(dir: string): { results: string[]; others: Map<string, string> } {
  const root = join(dir, "allure-results");
  const results: string[] = [];
  const others = new Map<string, string>();
  for (const name of readdirSync(root)) {
    if (name === "history") continue;
    const text = readFileSync(join(root, name), "utf8");
    if (name.endsWith("-result.json")) {
      const { uuid: _u, start: _a, stop: _b, attachments, ...r } = JSON.parse(text) as { uuid: string; start: number; stop: number; attachments: { source: string }[] } & Record<string, unknown>;
      const named = attachments.map((a) => ({ ...a, source: sha(readFileSync(join(root, a.source))) }));
      results.push(JSON.stringify({ ...r, attachments: named }));
    } else if (!name.endsWith("-attachment.json") && name !== "executor.json") {
      others.set(name, text.replace(ISO, "T"));
    }
  }
  return { results: results.sort(), others };
}

const junitOf = (dir: string): string => readFileSync(join(dir, "junit.xml"), "utf8").replace(ISO, "T").replace(/ time="[^"]*"/g, "");

function snapshotsOf(dir: string): Map<string, string> {
  const root = join(dir, "evidence", "snapshots");
  return new Map(readdirSync(root).map((n) => [n, sha(readFileSync(join(root, n)))] as const));
}

/** Every file the manifest lists, but Allure's uuid-named ones: the same set in both. */
function manifestPaths(dir: string): string[] {
  const m = JSON.parse(readFileSync(join(dir, "evidence", "manifest.json"), "utf8")) as { files: { path: string }[] };
  return m.files.map((f) => f.path).filter((p) => !/^allure-results\/[0-9a-f-]{36}-/.test(p) && !p.startsWith("allure-report/")).sort();
}

function assertSameReport(whole: string, merged: string): void {
  assert.deepEqual(summaryOf(merged), summaryOf(whole), "summary.json");
  assert.equal(readFileSync(join(merged, "summary.md"), "utf8").replace(ISO, "T"), readFileSync(join(whole, "summary.md"), "utf8").replace(ISO, "T"), "summary.md");
  assert.equal(junitOf(merged), junitOf(whole), "junit.xml");
  const a = allureResults(whole);
  const b = allureResults(merged);
  assert.equal(b.results.length, a.results.length);
  assert.deepEqual(b.results, a.results, "allure-results");
  assert.deepEqual(b.others, a.others, "allure-results: categories, environment");
  assert.deepEqual(snapshotsOf(merged), snapshotsOf(whole), "evidence/snapshots");
  assert.deepEqual(manifestPaths(merged), manifestPaths(whole), "the files the manifest covers");
  assert.equal(readFileSync(join(merged, "results.csv"), "utf8"), readFileSync(join(whole, "results.csv"), "utf8"), "results.csv");
  const hdf = (d: string): string => readFileSync(join(d, "hdf.json"), "utf8").replace(ISO, "T").replace(/"duration": [0-9.]+/g, '"duration": 0');
  assert.equal(hdf(merged), hdf(whole), "hdf.json");
}

test("the demo estate as 4 shards and a merge is, field by field, the report of one run", (t) => {
  const dir = tempDir();
  const common = ["-i", DEMO, "-w", WAIVERS, "--as-of", AS_OF, "--no-history"];
  const whole = spawnCli(["run", ...common, "-o", join(dir, "whole")], dir);
  assert.equal(whole.code, 1, whole.stderr);
  const shardCodes = [1, 2, 3, 4].map((k) => spawnCli(["run", ...common, "--shard", `${k}/4`, "-o", join(dir, `shard-${k}`), "--exit-zero"], dir));
  for (const s of shardCodes) assert.equal(s.code, 0, s.stderr);
  // Each shard holds only its share, and the shares are whole clusters.
  const hostsOf = (k: number): string[] => (JSON.parse(readFileSync(join(dir, `shard-${k}`, "summary.json"), "utf8")) as Summary).hosts.map((h) => h.name);
  assert.deepEqual(hostsOf(1), ["wg-node1", "wg-node2", "wg-node3"]);
  assert.deepEqual([1, 2, 3, 4].flatMap(hostsOf).sort(), (JSON.parse(readFileSync(join(dir, "whole", "summary.json"), "utf8")) as Summary).hosts.map((h) => h.name).sort());

  const merged = spawnCli(["merge", "shard-1", "shard-2", "shard-3", "shard-4", "-o", "merged", "--no-history"], dir);
  assert.equal(merged.code, 1, merged.stderr);
  assert.match(merged.stdout, /Verdict: NON-COMPLIANT/);
  assertSameReport(join(dir, "whole"), join(dir, "merged"));
  // A shard's own waiver notices are about its share; merged, they are about the estate again.
  const shard1 = JSON.parse(readFileSync(join(dir, "shard-1", "summary.json"), "utf8")) as Summary;
  assert.ok(shard1.waivers!.notices.some((n) => n.kind === "unmatched"), "in shard 1 alone, app2016's waiver matches nothing");
  // The single-file HTML: made from the same results.
  for (const d of ["whole", "merged"]) assert.ok(existsSync(join(dir, d, "allure-report", "index.html")), d);
  t.diagnostic(`${(summaryOf(join(dir, "merged")).results as unknown[]).length} results compared`);

  // Order on the command line does not matter; the merged manifest chains the shards' digests.
  const again = spawnCli(["merge", "shard-3", "shard-1", "shard-4", "shard-2", "-o", "merged2", "--no-history", "--no-html"], dir);
  assert.equal(again.code, 1, again.stderr);
  assert.deepEqual(summaryOf(join(dir, "merged2")), summaryOf(join(dir, "merged")));
  const manifest = JSON.parse(readFileSync(join(dir, "merged", "evidence", "manifest.json"), "utf8")) as { shards: { shard: string; manifestSha256: string; report: string }[] };
  assert.deepEqual(
    manifest.shards.map((s) => [s.shard, s.report]),
    [1, 2, 3, 4].map((k) => [`${k}/4`, `../shard-${k}`]),
  );
  for (const [k, s] of manifest.shards.entries()) assert.equal(s.manifestSha256, sha(readFileSync(join(dir, `shard-${k + 1}`, "evidence", "manifest.json"))));
});

/**
 * An estate whose cluster nodes are scattered through the inventory, judged three hosts a slice:
 * the shards' slices and the whole run's slices cut the estate differently, so the merge must
 * regroup and reorder results across shards to match. Also with the browsable pages report.
 */
test("shards and slices that cut the estate differently still merge into the whole run's report, pages and all", async () => {
  const dir = tempDir();
  const demo = loadInventory(DEMO).inventory;
  const order = ["wg-node1", "legacy2003", "app2016", "md-node1", "wg-node2", "fs01", "ctr01", "wg-node3", "hv01", "md-node2", "app01"];
  const hosts = order.map((n) => demo.hosts.find((h) => h.name === n)!);
  for (const h of hosts) cpSync(join(DEMO, "..", h.snapshot!), join(dir, h.snapshot!));
  cpSync(join(DEMO, "..", demo.directory as string), join(dir, demo.directory as string));
  writeFileSync(join(dir, "inventory.yaml"), stringify({ ...demo, hosts }));
  const inventory = join(dir, "inventory.yaml");
  const inv = loadInventory(inventory).inventory;
  const shards = [1, 2, 3].map((index) => shardUnits(inv, { index, count: 3 }));
  // The premise: a shard boundary falls inside a slice of the whole run, and clusters stay whole.
  assert.ok(planSlices(inv, 3).length > 1);
  assert.deepEqual(shards.map((units) => units.flatMap((u) => u.hosts).length), [4, 4, 3]);

  const base = { inventory, failOn: "any" as const, asOf: new Date(`${AS_OF}T00:00:00Z`), html: true, htmlStyle: "pages" as const, waivers: WAIVERS, history: false as const, sliceHosts: 3 };
  await runEstate({ ...base, out: join(dir, "whole") });
  for (const index of [1, 2, 3]) await runEstate({ ...base, out: join(dir, `s${index}`), shard: { index, count: 3 } });
  await mergeShards({ shards: ["s1", "s2", "s3"].map((s) => join(dir, s)), out: join(dir, "merged"), html: true, htmlStyle: "pages", history: false });
  assertSameReport(join(dir, "whole"), join(dir, "merged"));
  const pages = (d: string): Map<string, string> => new Map(readdirSync(join(dir, d, "pages"), { recursive: true, withFileTypes: true }).filter((e) => e.isFile()).map((e) => [join(e.parentPath, e.name).slice(join(dir, d).length), readFileSync(join(e.parentPath, e.name), "utf8").replace(ISO, "T")] as const));
  // The merged report's first page names its shards, as its manifest lists them; otherwise its pages are the whole run's.
  const merged = pages("merged");
  const listed = (JSON.parse(readFileSync(join(dir, "merged", "evidence", "manifest.json"), "utf8")) as { shards: { shard: string; manifestSha256: string; report: string }[] }).shards;
  const index = merged.get(`${sep}pages${sep}index.html`)!;
  const shardRows = listed.map((s) => `<tr><th>shard ${s.shard}</th><td>${s.report} · manifest SHA-256 ${s.manifestSha256}</td></tr>`);
  for (const row of shardRows) assert.ok(index.includes(row), row);
  merged.set(`${sep}pages${sep}index.html`, shardRows.reduce((text, row) => text.replace(row, ""), index));
  assert.deepEqual(merged, pages("whole"), "pages/");
});

test("merge refuses shards that do not belong together, with exit 3, naming the shard and why, writing nothing", () => {
  const dir = tempDir();
  const common = ["-i", DEMO, "--as-of", AS_OF, "--no-history", "--no-html", "--exit-zero"];
  for (const k of [1, 2, 3]) assert.equal(spawnCli(["run", ...common, "--shard", `${k}/3`, "-o", `s${k}`], dir).code, 0);
  assert.equal(spawnCli(["run", ...common, "--shard", "3/3", "--as-of", "2026-12-01", "-o", "late3"], dir).code, 0);
  assert.equal(spawnCli(["run", ...common, "--shard", "3/3", "-t", "@area:dns", "-o", "dns3"], dir).code, 0);
  assert.equal(spawnCli(["run", ...common, "--shard", "3/3", "-w", WAIVERS, "-o", "waived3"], dir).code, 0);
  assert.equal(spawnCli(["run", ...common, "--shard", "2/4", "-o", "four2"], dir).code, 0);
  assert.equal(spawnCli(["run", ...common, "-o", "whole"], dir).code, 0);
  // The same estate with one input changed between the shards' runs (a copy, edited).
  cpSync(join(DEMO, ".."), join(dir, "demo2"), { recursive: true });
  const edited = join(dir, "demo2", "inventory.yaml");
  writeFileSync(edited, readFileSync(edited, "utf8").replace(/^name: .*$/m, "name: Contoso demo estate (edited)"));
  assert.equal(spawnCli(["run", ...common, "-i", edited, "--shard", "3/3", "-o", "edited3"], dir).code, 0);

  const refused = (args: string[], ...patterns: RegExp[]): void => {
    const r = spawnCli(["merge", "-o", "merged", "--no-history", ...args], dir);
    assert.equal(r.code, 3, `${args.join(" ")}: ${r.stdout}${r.stderr}`);
    for (const p of patterns) assert.match(r.stderr, p, args.join(" "));
    assert.doesNotMatch(r.stderr, /at .*\.(ts|js):\d+/, "no stack trace");
    assert.ok(!existsSync(join(dir, "merged")), "nothing written");
    assert.deepEqual(readdirSync(dir).filter((n) => n.startsWith(".merged") || n.includes("staging")), [], "no debris");
  };
  refused(["s1", "s2"], /shard 3\/3 of 3 is missing/);
  refused(["s1", "s2", "s3", "s2"], /shard 2\/3 is given twice \(also s2\)/);
  refused(["s1", "s2", "late3"], /late3.*as-of day.*differs from s1's/);
  refused(["s1", "s2", "dns3"], /dns3.*--tags.*differs/);
  refused(["s1", "s2", "waived3"], /waived3.*waivers.*differs/);
  refused(["s1", "s2", "four2"], /four2.*number of shards/);
  refused(["s1", "s2", "whole"], /whole: this report is not a shard/);
  refused(["s1", "s2", "edited3"], /edited3.*estate \(the inventory as read\).*differs from s1's/);
  refused(["s1", "s2", "s3", "--out", "s1"], /--out s1 is the shard s1: replacing --out would delete it/);

  // A shard changed after it was written: one byte of a snapshot it judged.
  const victim = join(dir, "s2", "evidence", "snapshots", readdirSync(join(dir, "s2", "evidence", "snapshots"))[0]!);
  appendFileSync(victim, " ");
  refused(["s1", "s2", "s3"], /s2: the shard is not as it was written: .*modified evidence\/snapshots\//);
});

test("verify follows a merged report's chain to its shards: intact, moved, tampered", () => {
  const dir = tempDir();
  const common = ["-i", DEMO, "--as-of", AS_OF, "--no-history", "--no-html", "--exit-zero"];
  for (const k of [1, 2]) assert.equal(spawnCli(["run", ...common, "--shard", `${k}/2`, "-o", `s${k}`], dir).code, 0);
  assert.equal(spawnCli(["merge", "s1", "s2", "-o", "merged", "--no-history", "--no-html", "--exit-zero"], dir).code, 0);

  const ok = spawnCli(["verify", "merged"], dir);
  assert.equal(ok.code, 0, ok.stderr);
  assert.match(ok.stdout, /shard chain: 2 of 2 shards verified/);

  renameSync(join(dir, "s2"), join(dir, "elsewhere"));
  const moved = spawnCli(["verify", "merged"], dir);
  assert.equal(moved.code, 0, "the merged report itself is intact");
  assert.match(moved.stderr, /shard 2\/2 .*not checked \(give it with --shards\)/);
  assert.match(moved.stdout, /1 of 2 shards verified/);
  const given = spawnCli(["verify", "merged", "--shards", "s1", "--shards", "elsewhere"], dir);
  assert.equal(given.code, 0, given.stderr);
  assert.match(given.stdout, /2 of 2 shards verified/);
  const short = spawnCli(["verify", "merged", "--shards", "s1"], dir);
  assert.equal(short.code, 1, "with --shards, every shard must be found");
  assert.match(short.stderr, /shard 2\/2 .*not among the --shards given/);

  // A shard rewritten whole (its manifest made again) no longer matches the digest merged.
  const m = join(dir, "elsewhere", "evidence", "manifest.json");
  writeFileSync(m, readFileSync(m, "utf8").replace(/"createdAt": "[^"]*"/, '"createdAt": "2026-01-01T00:00:00.000Z"'));
  const swapped = spawnCli(["verify", "merged", "--shards", "s1", "--shards", "elsewhere"], dir);
  assert.equal(swapped.code, 1);
  assert.match(swapped.stdout, /shard chain broken/);
});

test("--shard must be K/N with K from 1 to N", () => {
  for (const bad of ["0/4", "5/4", "2", "a/b", "1/0"]) {
    const r = spawnCli(["run", "-i", DEMO, "--shard", bad, "--no-html", "--no-history", "-o", join(tempDir(), "out")]);
    assert.equal(r.code, 3, bad);
    assert.match(r.stderr, /--shard/);
  }
});
