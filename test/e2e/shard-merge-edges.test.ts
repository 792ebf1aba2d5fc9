/**
 * Sharding and merge as a careless or hostile user meets them: more shards than hosts, odd estates,
 * shards forged with a consistent manifest, --out in awkward places, verify on plain reports.
 * Every refusal is exit 3 with the shard named, never a stack trace, never a report that drops
 * results.
 */
import assert from "node:assert/strict";
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { test } from "node:test";
import { runEstate } from "../../src/engine/run";
import { verifyReport } from "../../src/evidence/manifest";
import type { Summary } from "../../src/report/summary";
import { DEMO, spawnCli, tempDir } from "./cli";

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
    const v = verifyReport(join(dir, d));
    assert.deepEqual(v.problems, [], d);
  }
  assert.equal((JSON.parse(readFileSync(join(dir, "s2", "summary.json"), "utf8")) as Summary).hosts.length, 0, "the premise: shard 2 of 20 is empty");
  const merged = spawnCli(["merge", ...shards, "-o", "merged", "--no-history", "--no-html"], dir);
  assert.equal(merged.code, 1, merged.stderr);
  assert.deepEqual(summaryOf(join(dir, "merged")), summaryOf(join(dir, "whole")));
});
