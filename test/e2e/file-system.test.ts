/**
 * Issue 8, item 4: a file system that refuses to be written (read-only, permission denied, full)
 * is the environment's fault, not a bug: its own message and exit code 5, no stack trace, and the
 * earlier report in place.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { writeEstate } from "../helpers/snapshot-builder";
import { AS_OF, DEMO, spawnCli, tempDir } from "./cli";

/** A folder this process cannot create anything in: /sys for root (EPERM), else a mode 0555 folder. */
function unwritableParent(): string | undefined {
  if (process.platform === "win32") return undefined;
  if (process.getuid?.() !== 0) {
    const dir = join(tempDir(), "locked");
    mkdirSync(dir);
    chmodSync(dir, 0o555);
    return dir;
  }
  return existsSync("/sys/fs") ? "/sys/fs" : undefined;
}

test("an --out the file system refuses exits 5 with a clear message and no stack trace", (t) => {
  const parent = unwritableParent();
  if (parent === undefined) return t.skip("no unwritable folder on this platform");
  const dir = tempDir();
  const inventory = writeEstate(dir, { hosts: [{ name: "n1" }] });
  const res = spawnCli(["run", "-i", inventory, "-o", join(parent, "hostproof-reports"), "--as-of", AS_OF, "--no-html"]);
  assert.equal(res.code, 5, res.stdout + res.stderr);
  assert.match(res.stderr, /hostproof: the file system refused to .*hostproof-reports.*(EPERM|EACCES|EROFS)/);
  assert.match(res.stderr, /not a bug in hostproof/);
  assert.doesNotMatch(res.stderr, /internal error|\n\s+at /);
});

test("a history folder that cannot be written is a warning; the report is still written", (t) => {
  const parent = unwritableParent();
  if (parent === undefined) return t.skip("no unwritable folder on this platform");
  const dir = tempDir();
  const inventory = writeEstate(dir, { hosts: [{ name: "n1" }] });
  const out = join(tempDir(), "reports");
  mkdirSync(out);
  writeFileSync(join(out, ".hostproof-report"), "earlier\n");
  const res = spawnCli(["run", "-i", inventory, "-o", out, "--as-of", AS_OF, "--no-html", "--history", join(parent, "hist")]);
  assert.ok(res.code <= 2, res.stderr);
  assert.ok(readFileSync(join(out, "summary.json"), "utf8").length > 0);
});

test("--out inside /proc is refused before anything is made (Node's recursive mkdir never returns there)", { skip: process.platform !== "linux" }, () => {
  const res = spawnCli(["run", "-i", DEMO, "-o", "/proc/hostproof/x", "--as-of", AS_OF, "--no-html"]);
  assert.equal(res.code, 3, res.stdout + res.stderr);
  assert.match(res.stderr, /--out: '\/proc\/hostproof\/x' is inside \/proc, the kernel's process file system, where no report can be written\. Choose a folder/);
});
