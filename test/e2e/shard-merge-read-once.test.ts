/**
 * A shard file swapped after merge opened the shard, before it is read: the shard is whole when the
 * merge starts, then (while merge regroups the results) a forged file takes the original's place;
 * the original is put back afterwards, so a later `verify` of the shard, and of the chain, finds it
 * intact. The swap happens at a fixed point of the merge (the "judge" phase starts after every
 * shard was opened and before any result is read), so the test has no race. And a shard changed in
 * a file merge never reads is refused all the same.
 */
import assert from "node:assert/strict";
import { createHash } from "node:crypto";
import { appendFileSync, cpSync, existsSync, readdirSync, readFileSync, renameSync, rmSync, symlinkSync, unlinkSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { test } from "node:test";
import { runEstate } from "../../src/engine/run";
import { InputError } from "../../src/errors";
import { verifyReport } from "../../src/evidence/manifest";
import { mergeShards } from "../../src/merge/merge";
import { noProgress, type Progress } from "../../src/model/progress";
import type { Summary } from "../../src/report/formats/summary";
import { DEMO, spawnCli, tempDir } from "./cli";

const AS_OF = "2026-11-30";
const BASE = { failOn: "any" as const, asOf: new Date(`${AS_OF}T00:00:00Z`), html: false, history: false as const };

/** Every failed result of summary.json passed, with totals, verdict and exit code to match: a forgery that agrees with itself. */
function passEverything(text: string): string {
  const summary = JSON.parse(text) as Summary;
  const failed = summary.results.filter((r) => r.status === "failed").length;
  assert.ok(failed > 0, "the premise: the shard has failures to hide");
  return text
    .split("\n")
    .map((line) => (line.trim().startsWith('{"controlId"') ? line.replace('"status":"failed"', '"status":"passed"') : line))
    .join("\n")
    .replace(/"failed": \d+,/, '"failed": 0,')
    .replace(/"passed": (\d+),/, (_m, n: string) => `"passed": ${Number(n) + failed},`)
    .replace(/"(critical|high|medium|low)": \d+/g, '"$1": 0')
    .replace(/"verdict": "[^"]*"/, '"verdict": "compliant"')
    .replace(/"exitCode": \d/, '"exitCode": 0');
}

/** A progress that swaps `file` for `forged` when the merge starts reading results. */
function swapAtJudge(file: string, forged: Buffer | string): Progress {
  return { ...noProgress, phase: (phase) => (phase === "judge" ? writeFileSync(file, forged) : undefined) };
}

test("a shard file swapped after merge checked it, before it is read, is refused: summary.json, a snapshot, the Cucumber messages", async () => {
  const dir = tempDir();
  for (const k of [1, 2]) await runEstate({ ...BASE, inventory: DEMO, out: join(dir, `s${k}`), shard: { index: k, count: 2 } });
  const shards = [join(dir, "s1"), join(dir, "s2")];
  const snapshot = join(dir, "s1", "evidence", "snapshots", readdirSync(join(dir, "s1", "evidence", "snapshots")).sort()[0]!);
  const cases: [string, string, (original: Buffer) => Buffer | string][] = [
    ["summary.json with every failure passed", join(dir, "s1", "summary.json"), (b) => passEverything(b.toString("utf8"))],
    ["a snapshot with one byte more", snapshot, (b) => Buffer.concat([b, Buffer.from(" ")])],
    ["the Cucumber messages with a line dropped", join(dir, "s1", "cucumber-messages.ndjson"), (b) => b.toString("utf8").split("\n").slice(1).join("\n")],
  ];
  const merged: string[] = [];
  for (const [what, file, forge] of cases) {
    const original = readFileSync(file);
    const out = join(dir, "merged");
    let outcome: unknown;
    try {
      outcome = await mergeShards({ shards, out, html: false, history: false, progress: swapAtJudge(file, forge(original)) });
    } catch (err) {
      outcome = err;
    }
    writeFileSync(file, original);
    assert.deepEqual((await verifyReport(join(dir, "s1"))).problems, [], `${what}: the shard, restored, verifies`);
    if (!(outcome instanceof InputError)) {
      // What today's main did: the forgery merged, and verify of the merged report and its chain says intact.
      merged.push(`${what} (${outcome instanceof Error ? outcome.message : `merged; verify: ${spawnCli(["verify", "merged"], dir).stdout.trim()}`})`);
      rmSync(out, { recursive: true, force: true });
      continue;
    }
    // The bytes merge read are the ones it checked: the file it read is named as not the shard's
    // (with, for a snapshot, its Allure attachment when the pool hashed that after the swap: a hard link to it).
    assert.match(outcome.message, /s1: the shard is not as it was written: \d file\(s\) differ from its manifest \(modified (summary\.json|evidence\/snapshots\/|cucumber-messages\.ndjson)/, what);
    assert.ok(!existsSync(out), `${what}: nothing written`);
    assert.deepEqual(readdirSync(dir).sort(), ["s1", "s2"], `${what}: no debris`);
  }
  assert.deepEqual(merged, [], "merged a forgery instead of refusing it");
});

test("a shard changed in a file merge does not read, or in how a file it reads is reached, is refused all the same", async () => {
  const dir = tempDir();
  for (const k of [1, 2]) await runEstate({ ...BASE, inventory: DEMO, out: join(dir, `s${k}`), shard: { index: k, count: 2 } });
  const allure = readdirSync(join(dir, "s1", "allure-results")).find((n) => n.endsWith("-result.json"))!;
  const cases: [string, (shard: string) => void, RegExp][] = [
    ["an Allure result with one byte more", (d) => appendFileSync(join(d, "allure-results", allure), " "), /modified allure-results\//],
    ["junit.xml rewritten", (d) => writeFileSync(join(d, "junit.xml"), "<testsuites/>\n"), /modified junit\.xml/],
    ["results.csv removed", (d) => unlinkSync(join(d, "results.csv")), /missing results\.csv/],
    ["a file planted among the Allure results", (d) => writeFileSync(join(d, "allure-results", "planted-result.json"), "{}"), /unexpected allure-results\/planted-result\.json/],
    // Merge reads the very bytes listed through the link, but the shard is not as it was written.
    ["summary.json a link to a copy of itself", (d) => (renameSync(join(d, "summary.json"), join(dir, "copy.json")), symlinkSync(join(dir, "copy.json"), join(d, "summary.json"))), /modified summary\.json/],
    ["the snapshots folder a link to a copy", (d) => (renameSync(join(d, "evidence", "snapshots"), join(dir, "snapshots-copy")), symlinkSync(join(dir, "snapshots-copy"), join(d, "evidence", "snapshots"))), /modified evidence\/snapshots\//],
  ];
  const merged: string[] = [];
  for (const [what, change, pattern] of cases) {
    const shard = join(dir, "t1");
    cpSync(join(dir, "s1"), shard, { recursive: true });
    change(shard);
    const out = join(dir, "merged");
    let outcome: unknown;
    try {
      outcome = await mergeShards({ shards: [shard, join(dir, "s2")], out, html: false, history: false });
    } catch (err) {
      outcome = err;
    }
    for (const d of [shard, join(dir, "copy.json"), join(dir, "snapshots-copy")]) rmSync(d, { recursive: true, force: true });
    if (!(outcome instanceof InputError)) {
      merged.push(`${what} (${outcome instanceof Error ? outcome.message : "merged"})`);
      rmSync(out, { recursive: true, force: true });
      continue;
    }
    assert.match(outcome.message, /t1: the shard is not as it was written: /, what);
    assert.match(outcome.message, pattern, what);
    assert.ok(!existsSync(out), `${what}: nothing written`);
    assert.deepEqual(readdirSync(dir).sort(), ["s1", "s2"], `${what}: no debris`);
  }
  assert.deepEqual(merged, [], "merged a shard that is not as it was written");
});

test("on the CLI: a merged report of a swapped summary.json is never written, so verify has nothing to call intact", async () => {
  const dir = tempDir();
  for (const k of [1, 2]) await runEstate({ ...BASE, inventory: DEMO, out: join(dir, `s${k}`), shard: { index: k, count: 2 } });
  const file = join(dir, "s1", "summary.json");
  const original = readFileSync(file);
  await mergeShards({ shards: [join(dir, "s1"), join(dir, "s2")], out: join(dir, "merged"), html: false, history: false, progress: swapAtJudge(file, passEverything(original.toString("utf8"))) }).catch(() => undefined);
  writeFileSync(file, original);
  assert.ok(!existsSync(join(dir, "merged")), "a merged report was written from the forged summary.json");
  const v = spawnCli(["verify", "merged"], dir);
  assert.equal(v.code, 3, v.stdout + v.stderr);
});

test("the inventory's digest in the report is of the bytes the run judged, not of the file after the run", async () => {
  const dir = tempDir();
  const inventory = join(dir, "inventory.yaml");
  cpSync(join(DEMO, ".."), dir, { recursive: true });
  const original = readFileSync(inventory);
  await runEstate({ ...BASE, inventory, out: join(dir, "out"), progress: swapAtJudge(inventory, `${original.toString("utf8")}\n# edited while the run judged\n`) });
  const env = readFileSync(join(dir, "out", "allure-results", "environment.properties"), "utf8");
  assert.match(env, new RegExp(`^inventory\\.sha256=${createHash("sha256").update(original).digest("hex")}$`, "m"));
});
