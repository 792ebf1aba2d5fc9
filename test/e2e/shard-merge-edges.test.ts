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
import { DEMO, spawnCli, tempDir } from "./cli";

const AS_OF = "2026-11-30";
const COMMON = ["--as-of", AS_OF, "--no-history", "--no-html", "--exit-zero"];

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
