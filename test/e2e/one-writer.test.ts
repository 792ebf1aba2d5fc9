/**
 * Issue 18, class 4: one writer per folder. Two runs into one --out used to both exit 0, each
 * printing its own --expect digest, one report silently replaced; two runs sharing a history
 * folder each saved the history they had read, dropping the other's run. Every wait here is for a
 * condition (a lock file, a line on stderr), with the first run paused by SIGSTOP, never a race.
 */
import assert from "node:assert/strict";
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { hostname } from "node:os";
import { join } from "node:path";
import { test } from "node:test";
import { findJava } from "../../src/report/formats/allure/allure-html";
import { lockFileOf, tryLockFolder } from "../../src/report/output/folder-lock";
import { exitedPid, startCli, until } from "../helpers/running-cli";
import { AS_OF, DEMO, spawnCli, tempDir } from "./cli";

const RUN = ["--as-of", AS_OF, "--no-html", "--exit-zero"];

test("a second run into an --out another run is writing is refused (exit 3, naming it); the first run's report is intact and its digest holds", { skip: process.platform === "win32" ? "SIGSTOP" : false }, async () => {
  const root = tempDir();
  const out = join(root, "reports");
  const first = startCli(["run", "-i", DEMO, "-o", out, ...RUN, "--no-history"]);
  // Paused while it holds the lock: looked at only while stopped, so it cannot finish in between.
  await until(
    "the first run holding the lock",
    () => {
      first.child.kill("SIGSTOP");
      if (existsSync(lockFileOf(out))) return true;
      first.child.kill("SIGCONT");
      return undefined;
    },
    first,
  );
  const second = spawnCli(["run", "-i", DEMO, "-o", out, ...RUN, "--no-history"]);
  first.child.kill("SIGCONT");
  assert.equal(second.code, 3, second.stdout + second.stderr);
  assert.match(second.stderr, new RegExp(`--out: --out .*reports is being written by another hostproof run, process ${first.child.pid} on .*, started .*; two writers would leave one report silently replaced by the other\\. Wait for that one to finish, or choose another folder\\. If it is certainly not running any more, delete .*\\.reports\\.lock`));
  assert.doesNotMatch(second.stdout, /Evidence manifest SHA-256/);
  const done = await first.exit;
  assert.equal(done.code, 0, done.stderr);
  const digest = /Evidence manifest SHA-256\s+([0-9a-f]{64})/.exec(done.stdout)![1]!;
  const verify = spawnCli(["verify", out, "--expect", digest]);
  assert.equal(verify.code, 0, verify.stdout + verify.stderr);
  assert.deepEqual(readdirSync(root), ["reports"], "the lock went with the run");
});

test("collect -o and merge -o refuse a folder another process holds, naming it", (t) => {
  const root = tempDir();
  for (const k of [1, 2]) assert.equal(spawnCli(["run", "-i", DEMO, ...RUN, "--no-history", "--shard", `${k}/2`, "-o", join(root, `s${k}`)]).code, 0);
  for (const [what, args] of [
    ["collect", ["collect", "-i", DEMO, "-o", join(root, "collect-out")]],
    ["merge", ["merge", join(root, "s1"), join(root, "s2"), "-o", join(root, "merge-out"), "--no-html", "--no-history"]],
  ] as const) {
    const out = join(root, `${what}-out`);
    const held = tryLockFolder(out, "run");
    assert.ok("lock" in held);
    t.after(() => held.lock.release());
    const res = spawnCli([...args]);
    assert.equal(res.code, 3, `${what}: ${res.stdout}${res.stderr}`);
    assert.match(res.stderr, new RegExp(`--out .*${what}-out is being written by another hostproof run, process ${process.pid} on `), what);
    assert.equal(existsSync(out), false, what);
    held.lock.release();
    assert.equal(spawnCli([...args, ...(what === "merge" ? ["--exit-zero"] : [])]).code, 0, `${what} once the lock is free`);
  }
});

test("two runs sharing one history folder at once: each waits its turn, and the history keeps both", { skip: findJava() === undefined ? "no Java for Allure's history" : false }, async () => {
  const root = tempDir();
  const history = join(root, "history");
  mkdirSync(history);
  // Held here until both runs have reached it, so that neither can save before the other has read.
  const held = tryLockFolder(history, "test");
  assert.ok("lock" in held);
  const runs = ["r1", "r2"].map((o) => startCli(["run", "-i", DEMO, "-o", join(root, o), "--as-of", AS_OF, "--exit-zero", "--history", history, "--html", "single"]));
  await until("both runs waiting for the history folder", () => (runs.every((r) => /waiting for .*history, which hostproof test, process \d+/.test(r.stderr())) ? true : undefined), ...runs);
  held.lock.release();
  for (const r of runs) {
    const done = await r.exit;
    assert.equal(done.code, 0, done.stderr);
    assert.doesNotMatch(done.stderr, /history not kept/);
  }
  const trend = JSON.parse(readFileSync(join(history, "history", "history-trend.json"), "utf8")) as { buildOrder?: number }[];
  assert.equal(trend.length, 2, "one entry per run: neither run's entry was lost");
  assert.deepEqual(trend.map((e) => e.buildOrder).sort(), [1, 2]);
  assert.deepEqual(readdirSync(root).sort(), ["history", "r1", "r2"]);
});

/** What a SIGKILLed writer of `name` leaves beside it: its staging folder, its lock, a lock maker's temporary file. */
function killedWriterDebris(root: string, name: string, pid: number): string[] {
  const names = [`.${name}.staging-${pid}-0a1b2c3d4e5f`, `.${name}.lock`, `.${name}.lock.tmp-${pid}-0a1b2c3d`];
  mkdirSync(join(root, names[0]!));
  writeFileSync(join(root, names[0]!, "summary.json"), "{}");
  writeFileSync(join(root, names[1]!), JSON.stringify({ pid, host: hostname(), startedAt: "2026-11-22T10:00:00.000Z", command: "run" }));
  writeFileSync(join(root, names[2]!), "{}");
  return names;
}

test("after a writer is SIGKILLed, the next run, collect or merge on the same --out removes what it left, says so, and keeps a live writer's staging", async () => {
  const root = tempDir();
  for (const k of [1, 2]) assert.equal(spawnCli(["run", "-i", DEMO, ...RUN, "--no-history", "--shard", `${k}/2`, "-o", join(root, `s${k}`)]).code, 0);
  const base = readdirSync(root).sort();
  for (const [name, args] of [
    ["run-out", ["run", "-i", DEMO, ...RUN, "--no-history"]],
    ["collect-out", ["collect", "-i", DEMO]],
    ["merge-out", ["merge", join(root, "s1"), join(root, "s2"), "--no-html", "--no-history", "--exit-zero"]],
  ] as const) {
    const dead = exitedPid();
    killedWriterDebris(root, name, dead);
    // Another process still writing beside the same --out (this test): its staging folder stays.
    const live = `.${name}.staging-${process.pid}-abcdef012345`;
    mkdirSync(join(root, live));
    const res = spawnCli([...args, "-o", join(root, name)]);
    assert.equal(res.code, 0, `${name}: ${res.stdout}${res.stderr}`);
    assert.match(res.stderr, new RegExp(`warning: took over the lock .*\\.${name}\\.lock of hostproof run, process ${dead} on .*: process ${dead} no longer runs`), name);
    assert.match(res.stderr, new RegExp(`warning: removing \\.${name}\\.staging-${dead}-0a1b2c3d4e5f beside .* in the background, an unfinished output left by process ${dead}, which no longer runs`), name);
    assert.match(res.stderr, new RegExp(`warning: removed \\.${name}\\.lock\\.tmp-${dead}-0a1b2c3d beside`), name);
    const left = readdirSync(root).filter((n) => n.includes(name) && !/\.trash-/.test(n)).sort();
    assert.deepEqual(left, [live, name].sort(), name);
  }
  assert.deepEqual(readdirSync(root).filter((n) => !/\.trash-|-out/.test(n)).sort(), base);
});

test("after a run is SIGKILLed between staging its drift baseline and committing it, the next run sharing the history removes the staged file", () => {
  const root = tempDir();
  const history = join(root, "history");
  mkdirSync(history);
  const dead = exitedPid();
  writeFileSync(join(history, `last-results.json.tmp-${dead}`), "{");
  const res = spawnCli(["run", "-i", DEMO, "-o", join(root, "r"), ...RUN, "--history", history]);
  assert.equal(res.code, 0, res.stderr);
  assert.match(res.stderr, new RegExp(`warning: removed last-results\\.json\\.tmp-${dead} from .*history, left by process ${dead}, which no longer runs`));
  assert.deepEqual(readdirSync(history).sort(), ["last-results.json"]);
});
