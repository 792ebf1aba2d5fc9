import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { createHash } from "node:crypto";
import { mkdirSync, renameSync, symlinkSync, unlinkSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { test } from "node:test";
import { FilePool } from "../../src/evidence/file-pool";
import type { ManifestEntry } from "../../src/evidence/manifest";
import { scratch } from "../report/tmp";

const sha = (text: string): string => createHash("sha256").update(text).digest("hex");

/** `n` files under `dir`/many, each listed as written. */
function listed(dir: string, n: number): ManifestEntry[] {
  mkdirSync(join(dir, "many"), { recursive: true });
  return Array.from({ length: n }, (_, i) => {
    const text = `file ${i}\n`;
    writeFileSync(join(dir, "many", `f${i}.txt`), text);
    return { path: `many/f${i}.txt`, sha256: sha(text), bytes: Buffer.byteLength(text) };
  });
}

test("the pool finds what verify finds, each problem with the index of its file, across batches and threads", async (t) => {
  const dir = scratch(t);
  const files = listed(dir, 700);
  writeFileSync(join(dir, "many", "f3.txt"), "changed\n");
  unlinkSync(join(dir, "many", "f250.txt"));
  symlinkSync(join(dir, "many", "f1.txt"), join(dir, "many", "f400.txt.link"));
  renameSync(join(dir, "many", "f400.txt.link"), join(dir, "many", "f400.txt"));
  mkdirSync(join(dir, "sub"));
  writeFileSync(join(dir, "sub", "x.txt"), "x\n");
  mkdirSync(join(dir, "real"));
  writeFileSync(join(dir, "real", "y.txt"), "y\n");
  symlinkSync(join(dir, "real"), join(dir, "linked"));
  const more: ManifestEntry[] = [
    { path: "sub", sha256: sha(""), bytes: 0 },
    { path: "linked/y.txt", sha256: sha("y\n"), bytes: 2 },
  ];
  // Not hashed: their caller reads and hashes them; only what is there is checked.
  const readElsewhere: ManifestEntry[] = [
    { path: "sub/x.txt", sha256: sha("something else"), bytes: 14 },
    { path: "sub/gone.txt", sha256: sha(""), bytes: 0 },
    { path: "linked/y.txt", sha256: sha("other"), bytes: 5 },
  ];
  const pool = new FilePool(2);
  try {
    const found = await pool.check(dir, [...files, ...more]);
    assert.deepEqual(found, [
      { index: 3, problem: { path: "many/f3.txt", kind: "modified", expected: `sha256:${files[3]!.sha256} (${files[3]!.bytes} bytes)`, actual: `sha256:${sha("changed\n")} (8 bytes)` } },
      { index: 250, problem: { path: "many/f250.txt", kind: "missing", expected: `sha256:${files[250]!.sha256} (${files[250]!.bytes} bytes)` } },
      { index: 400, problem: { path: "many/f400.txt", kind: "modified", expected: `sha256:${files[400]!.sha256} (${files[400]!.bytes} bytes)`, actual: "a symbolic link" } },
      { index: 700, problem: { path: "sub", kind: "modified", expected: `sha256:${sha("")} (0 bytes)`, actual: "a folder" } },
      { index: 701, problem: { path: "linked/y.txt", kind: "modified", expected: `sha256:${sha("y\n")} (2 bytes)`, actual: "reached through a symbolic link (linked)" } },
    ]);
    assert.deepEqual(await pool.check(dir, readElsewhere, false), [
      { index: 1, problem: { path: "sub/gone.txt", kind: "missing", expected: `sha256:${sha("")} (0 bytes)` } },
      { index: 2, problem: { path: "linked/y.txt", kind: "modified", expected: `sha256:${sha("other")} (5 bytes)`, actual: "reached through a symbolic link (linked)" } },
    ]);
    // Two reports at once, from one pool: each gets its own answers.
    const [a, b] = await Promise.all([pool.check(dir, files.slice(0, 10)), pool.check(dir, files.slice(3, 4))]);
    assert.deepEqual([a.map((f) => f.index), b.map((f) => f.index)], [[3], [0]]);
  } finally {
    await pool.close();
  }
  await assert.rejects(pool.check(dir, files), /closed/, "a closed pool takes no more work");
});

test("a pool closed while its workers are busy lets the process go on: it does not end at the close with exit code 0", (t) => {
  const dir = scratch(t);
  listed(dir, 3000);
  // In a process of its own: what is under test is whether that process lives past the close.
  const script = `
    const { FilePool } = require(${JSON.stringify(resolve(__dirname, "../../src/evidence/file-pool.ts"))});
    const { readdirSync } = require("node:fs");
    const dir = ${JSON.stringify(dir)};
    const files = readdirSync(dir + "/many").map((n) => ({ path: "many/" + n, sha256: "0".repeat(64), bytes: 1 }));
    (async () => {
      for (let i = 0; i < 20; i++) {
        const pool = new FilePool(1);
        const checking = pool.check(dir, files);
        checking.catch(() => undefined);
        // The main thread busy (as a merge is, writing) while the workers answer: their answers
        // wait in the queue, and arrive while close() stops them.
        await new Promise((r) => setTimeout(r, 5));
        const until = Date.now() + 20 + 10 * (i % 3);
        while (Date.now() < until);
        await pool.close();
        console.log("closed " + i);
      }
      process.exitCode = 7;
    })();
  `;
  const r = spawnSync(process.execPath, ["--import", "tsx", "-e", script], { cwd: resolve(__dirname, "../.."), encoding: "utf8" });
  assert.equal(r.status, 7, `the process ended early: ${r.stdout}${r.stderr}`);
  assert.equal(r.stdout.trim().split("\n").length, 20);
});
