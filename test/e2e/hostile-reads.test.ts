/**
 * The other files hostproof reads besides the named inputs (issue 18): a report's manifest (verify,
 * merge) and the previous run's history (drift, the trend's numbering). A pipe or a device there
 * must not hang or fill the run: the manifest is refused (exit 3), a history file is reported and
 * left aside.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { execFileSync, spawnSync } from "node:child_process";
import { existsSync, mkdirSync, rmSync, symlinkSync } from "node:fs";
import { join } from "node:path";
import { AS_OF, BIN, DEMO, ROOT, tempDir } from "./cli";

/** The CLI as a child, guarded against a hang (no timed assertion: a hang becomes a failure, not a stuck suite). */
function cli(args: string[]): { code: number | null; stdout: string; stderr: string; hung: boolean } {
  const res = spawnSync(process.execPath, [BIN, ...args], { cwd: ROOT, encoding: "utf8", env: { ...process.env, NO_COLOR: "1" }, timeout: 180_000, killSignal: "SIGKILL" });
  return { code: res.status, stdout: res.stdout, stderr: res.stderr, hung: res.signal === "SIGKILL" };
}

function report(): string {
  const out = join(tempDir(), "reports");
  const res = cli(["run", "-i", DEMO, "-o", out, "--as-of", AS_OF, "--no-html", "--no-history"]);
  assert.equal(res.code, 1, res.stderr);
  return out;
}

test("verify refuses a manifest that is a FIFO or a link to /dev/zero, at once", () => {
  const out = report();
  const manifest = join(out, "evidence", "manifest.json");
  rmSync(manifest);
  execFileSync("mkfifo", [manifest]);
  const fifo = cli(["verify", out]);
  assert.equal(fifo.hung, false, "verify hung on a FIFO manifest");
  assert.equal(fifo.code, 3, fifo.stderr);
  assert.match(fifo.stderr, /reports\/evidence\/manifest\.json: this is a named pipe \(FIFO\), not a regular file\. Treat the report as unverified/);
  if (!existsSync("/dev/zero")) return;
  rmSync(manifest);
  symlinkSync("/dev/zero", manifest);
  const zero = cli(["verify", out]);
  assert.equal(zero.hung, false);
  assert.equal(zero.code, 3, zero.stderr);
  assert.match(zero.stderr, /manifest\.json: this is a device, not a regular file/);
  assert.doesNotMatch(zero.stderr, /\n\s+at |internal error/);
});

test("a previous run's history that is a FIFO or /dev/zero is reported and left aside; the run finishes", () => {
  const parent = tempDir();
  const history = join(parent, "history");
  mkdirSync(join(history, "history"), { recursive: true });
  execFileSync("mkfifo", [join(history, "last-results.json")]);
  execFileSync("mkfifo", [join(history, "history", "history-trend.json")]);
  const res = cli(["run", "-i", DEMO, "-o", join(parent, "out"), "--as-of", AS_OF, "--no-html", "--history", history]);
  assert.equal(res.hung, false, "the run hung on a FIFO in its history");
  assert.equal(res.code, 1, res.stderr);
  assert.match(res.stdout + res.stderr, /the previous run's results could not be read \(.*last-results\.json: this is a named pipe \(FIFO\), not a regular file\. Remove it from the history folder/);
  if (!existsSync("/dev/zero")) return;
  rmSync(join(history, "last-results.json"), { force: true });
  symlinkSync("/dev/zero", join(history, "last-results.json"));
  const zero = cli(["run", "-i", DEMO, "-o", join(parent, "out"), "--as-of", AS_OF, "--no-html", "--history", history]);
  assert.equal(zero.hung, false);
  assert.equal(zero.code, 1, zero.stderr);
  assert.match(zero.stdout + zero.stderr, /last-results\.json: this is a device, not a regular file/);
});
