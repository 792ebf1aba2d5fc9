/**
 * Ctrl-C against the real CLI while judge workers (src/engine/judge-pool.ts) judge the next slice
 * and the main thread writes the first: an estate of two slices, signalled once the first slice's
 * evidence reaches the staging folder (it is being written, and the second slice was sent to a
 * worker when the first came back). The run must end as before workers existed: exit 130, no staging folder,
 * the earlier report intact, the workers gone with the process.
 */
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { test } from "node:test";
import { generateEstate } from "../../bench/generate";
import { AS_OF, BIN, tempDir } from "./cli";

test("SIGINT while a worker judges the second slice and the first is written: exit 130, nothing left, the earlier report intact", async () => {
  const parent = tempDir();
  // 1,500 hosts: two slices of SLICE_HOSTS (src/engine/slices.ts).
  const estate = generateEstate(join(parent, "estate"), { hosts: 1500, seed: 7 });
  const out = join(parent, "reports");
  mkdirSync(out);
  writeFileSync(join(out, "summary.json"), '{"earlier":"report"}');
  writeFileSync(join(out, ".hostproof-report"), "an earlier run\n");

  const child = spawn(process.execPath, [BIN, "run", "-i", estate.inventoryPath, "-o", out, "--as-of", AS_OF, "--no-html", "--no-history"], { env: { ...process.env, NO_COLOR: "1", HOSTPROOF_JUDGE_WORKERS: "1" }, stdio: ["ignore", "pipe", "pipe"] });
  let stderr = "";
  child.stderr.on("data", (c: Buffer) => (stderr += c.toString("utf8")));
  child.stdout.resume();
  const exit = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => child.on("close", (code, signal) => resolve({ code, signal })));
  let ended = false;
  void exit.then(() => (ended = true));

  const staging = (): string[] => readdirSync(parent).filter((n) => n.includes(".staging-"));
  // A slice's snapshots are kept as evidence as it is written (Cucumber's messages are buffered).
  const firstSliceWritten = (): boolean => staging().some((n) => existsSync(join(parent, n, "evidence", "snapshots")) && readdirSync(join(parent, n, "evidence", "snapshots")).length > 0);
  for (let i = 0; !firstSliceWritten(); i++) {
    assert.ok(!ended, `the run ended before its first slice was written: ${stderr}`);
    assert.ok(i < 15_000, "gave up waiting for the first slice to be written");
    await new Promise((r) => setTimeout(r, 20));
  }
  child.kill("SIGINT");
  // A bound against a hang, not a measure of speed.
  const guard = setTimeout(() => child.kill("SIGKILL"), 60_000);
  const res = await exit;
  clearTimeout(guard);
  assert.notEqual(res.signal, "SIGKILL", "the run did not end within 60 s of the signal: it hung");
  assert.equal(res.code, 130, stderr);
  assert.match(stderr, /interrupted by SIGINT/);
  assert.doesNotMatch(stderr, /^hostproof: write: /m, "the run went on to its last phase");
  assert.deepEqual(staging(), []);
  assert.equal(readFileSync(join(out, "summary.json"), "utf8"), '{"earlier":"report"}');
});
