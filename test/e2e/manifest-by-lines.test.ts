/**
 * merge and export read a report's manifest a line at a time and hold only the entries of the files
 * they read (evidence/listed-files.ts): a shard of 25,000 hosts lists 450,000 files, and four such
 * manifests held whole were most of a merge's memory. What shows it from outside: a manifest over
 * the size limit for a file read whole (HOSTPROOF_MAX_INPUT_MB) is merged and exported, where a
 * manifest read whole was refused; one over four times that limit is still refused, since the keys
 * that find a file listed twice grow with its entries.
 */
import assert from "node:assert/strict";
import { mkdirSync, statSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { test } from "node:test";
import { runEstate } from "../../src/engine/run";
import { MANIFEST_PATH, serialiseManifest, writeManifest } from "../../src/evidence/manifest";
import { readManifestLines } from "../../src/evidence/manifest-lines";
import { InputError } from "../../src/errors";
import { DEMO, ROOT, spawnCli, tempDir } from "./cli";

const MiB = 1024 * 1024;

test("a shard whose manifest is over the limit for one file read whole is merged and exported: the manifest is never held whole", async () => {
  const dir = tempDir();
  const shards = [1, 2].map((k) => join(dir, `s${k}`));
  for (const [i, out] of shards.entries()) await runEstate({ inventory: DEMO, out, failOn: "any", asOf: new Date("2026-11-22T00:00:00Z"), html: false, history: false, shard: { index: i + 1, count: 2 } });
  // As a shard of some 400 hosts lists them: 9,000 more files among its Allure results.
  const pad = join(shards[0]!, "allure-results");
  for (let i = 0; i < 9000; i++) writeFileSync(join(pad, `padding-${String(i).padStart(5, "0")}-attachment.txt`), `${i}\n`);
  writeManifest(shards[0]!);
  assert.ok(statSync(join(shards[0]!, MANIFEST_PATH)).size > MiB, "the premise: the manifest is over 1 MiB");

  const env = { ...process.env, HOSTPROOF_MAX_INPUT_MB: "1" };
  const merged = join(dir, "merged");
  const m = spawnCli(["merge", ...shards, "-o", merged, "--no-html", "--no-history", "--exit-zero"], ROOT, env);
  assert.equal(m.code, 0, m.stderr);
  const out = join(dir, "s1-csv");
  const e = spawnCli(["export", shards[0]!, "-f", "csv", "-o", out], ROOT, env);
  assert.equal(e.code, 0, e.stderr);
  // Still every file checked: one of the 9,000 changed is found.
  writeFileSync(join(pad, "padding-04500-attachment.txt"), "changed\n");
  const changed = spawnCli(["merge", ...shards, "-o", merged, "--no-html", "--no-history", "--exit-zero"], ROOT, env);
  assert.equal(changed.code, 3, changed.stderr);
  assert.match(changed.stderr, /s1: the shard is not as it was written: 1 file\(s\) differ from its manifest \(modified allure-results\/padding-04500-attachment\.txt\)/);
});

test("a manifest read by lines may be four times the limit for one read whole, not more", async (t) => {
  const dir = tempDir();
  mkdirSync(join(dir, "evidence"));
  const entry = (i: number) => ({ path: `allure-results/${String(i).padStart(8, "0")}-result.json`, sha256: "ab".repeat(32), bytes: i });
  const head = { schemaVersion: 1 as const, tool: { name: "hostproof" as const, version: "0.1.0" }, createdAt: "2026-11-22T10:00:00.000Z", algorithm: "sha256" as const, covers: ["allure-results/"] };
  const write = (n: number): number => {
    writeFileSync(join(dir, MANIFEST_PATH), serialiseManifest({ ...head, files: Array.from({ length: n }, (_, i) => entry(i)) }));
    return statSync(join(dir, MANIFEST_PATH)).size;
  };
  const saved = process.env.HOSTPROOF_MAX_INPUT_MB;
  process.env.HOSTPROOF_MAX_INPUT_MB = "1";
  t.after(() => (saved === undefined ? delete process.env.HOSTPROOF_MAX_INPUT_MB : (process.env.HOSTPROOF_MAX_INPUT_MB = saved)));
  const count = async (): Promise<number> => (await readManifestLines(dir, "r", { entry: () => undefined, restart: () => undefined })).count;
  assert.ok(write(25_000) > 3 * MiB);
  assert.equal(await count(), 25_000);
  assert.ok(write(35_000) > 4 * MiB);
  await assert.rejects(count(), (err: unknown) => err instanceof InputError && /over the 4\.0 MiB size limit for an evidence manifest/.test(err.message));
});
