/**
 * Reports made by an earlier hostproof, through verify, merge and export. Before evidence/run.json
 * (the record export derives the formats from): verify checks such a report as it always did;
 * merge takes such shards (it reads their evidence/shard.json) and writes a report that has one;
 * export refuses a whole run or merged report of that age, saying why and what to do, and exports
 * a shard from its shard.json. Before evidence manifests: all three refuse the folder with the
 * same words, since there is nothing to check it against. The exit codes are the documented ones.
 */
import assert from "node:assert/strict";
import { existsSync, readFileSync, rmSync } from "node:fs";
import { join } from "node:path";
import { test } from "node:test";
import { MANIFEST_PATH, writeManifest } from "../../src/evidence/manifest";
import { RUN_RECORD_FILE } from "../../src/report/bookkeeping/run-record";
import { AS_OF, DEMO, spawnCli, tempDir } from "./cli";

const COMMON = ["-i", DEMO, "--as-of", AS_OF, "--no-html", "--no-history", "--exit-zero"];

/** As a hostproof before export wrote it: no run record, and a manifest that does not list one. */
function withoutRunRecord(report: string): void {
  rmSync(join(report, RUN_RECORD_FILE));
  writeManifest(report);
}

test("shards made before evidence/run.json verify and merge as they did; the merged report has one and exports; a merged report without one is refused by export with why", () => {
  const dir = tempDir();
  const shards = [1, 2].map((k) => join(dir, `shard-${k}`));
  for (const [i, s] of shards.entries()) {
    assert.equal(spawnCli(["run", ...COMMON, "-o", s, "--shard", `${i + 1}/2`]).code, 0);
    withoutRunRecord(s);
    const v = spawnCli(["verify", s]);
    assert.equal(v.code, 0, v.stderr);
  }
  const merged = join(dir, "merged");
  const m = spawnCli(["merge", ...shards, "-o", merged, "--no-html", "--no-history", "--exit-zero"]);
  assert.equal(m.code, 0, m.stderr);
  assert.ok(existsSync(join(merged, RUN_RECORD_FILE)), "the merged report has the run record export reads");
  assert.equal(spawnCli(["verify", merged]).code, 0);
  const out = join(dir, "merged-junit");
  const e = spawnCli(["export", merged, "-f", "junit", "-o", out]);
  assert.equal(e.code, 0, e.stderr);
  assert.ok(readFileSync(join(out, "junit.xml")).equals(readFileSync(join(merged, "junit.xml"))));

  // A merged report of that age: verified as ever, refused by export with why, and nothing written.
  withoutRunRecord(merged);
  assert.equal(spawnCli(["verify", merged]).code, 0);
  const old = spawnCli(["export", merged, "-f", "junit", "-o", join(dir, "old-junit")]);
  assert.equal(old.code, 3, old.stderr);
  assert.match(old.stderr, /merged: the report has no evidence\/run\.json: it was made by a hostproof before 'export' existed/);
  assert.match(old.stderr, /Run the estate \(or merge the shards\) again with this hostproof, then export from that report/);
  assert.equal(existsSync(join(dir, "old-junit")), false);
});

test("a folder with no manifest (a hostproof before evidence manifests, or not a report) is refused by verify, merge and export alike (exit 3)", () => {
  const dir = tempDir();
  const report = join(dir, "report");
  const shard = join(dir, "shard");
  assert.equal(spawnCli(["run", ...COMMON, "-o", report]).code, 0);
  assert.equal(spawnCli(["run", ...COMMON, "-o", shard, "--shard", "1/1"]).code, 0);
  for (const d of [report, shard]) rmSync(join(d, MANIFEST_PATH));
  const said = /evidence\/manifest\.json: the report has no manifest \(it was written by a hostproof without evidence manifests, or the file was removed\)/;
  for (const [what, args] of [
    ["verify", ["verify", report]],
    ["export", ["export", report, "-f", "csv", "-o", join(dir, "csv")]],
    ["merge", ["merge", shard, "-o", join(dir, "merged"), "--no-html", "--no-history"]],
  ] as const) {
    const res = spawnCli([...args]);
    assert.equal(res.code, 3, `${what}: ${res.stderr}`);
    assert.match(res.stderr, said, what);
  }
  assert.equal(existsSync(join(dir, "csv")), false);
  assert.equal(existsSync(join(dir, "merged")), false);
});
