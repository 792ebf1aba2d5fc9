/**
 * Issue 18, class 4: one writer per folder. The lock is taken atomically, names its holder, is
 * taken over only when its holder is certainly gone, and goes away with its holder on every exit
 * path but SIGKILL, after which the next taker finds it stale.
 */
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { existsSync, mkdirSync, readdirSync, readFileSync, utimesSync, writeFileSync } from "node:fs";
import { hostname } from "node:os";
import { join } from "node:path";
import { test } from "node:test";
import { lockFileOf, tryLockFolder, type LockHolder } from "../../src/report/output/folder-lock";
import { exitedPid } from "../helpers/running-cli";
import { scratch } from "./tmp";

const LOCK_JS = join(__dirname, "..", "..", "dist", "src", "report", "output", "folder-lock.js");

function holder(over: Partial<LockHolder>): LockHolder {
  return { pid: exitedPid(), host: hostname(), startedAt: "2026-11-22T10:00:00.000Z", command: "run", ...over };
}

test("a second taker is refused while the lock is held, and told who holds it; release frees it", (t) => {
  const out = join(scratch(t), "reports");
  const first = tryLockFolder(out, "run");
  assert.ok("lock" in first);
  const held = JSON.parse(readFileSync(lockFileOf(out), "utf8")) as LockHolder;
  assert.equal(held.pid, process.pid);
  assert.equal(held.host, hostname());
  assert.equal(held.command, "run");
  const second = tryLockFolder(out, "merge");
  assert.ok("heldBy" in second);
  assert.equal(second.heldBy?.pid, process.pid);
  first.lock.release();
  assert.equal(existsSync(lockFileOf(out)), false);
  const third = tryLockFolder(out, "merge");
  assert.ok("lock" in third);
  third.lock.release();
});

test("a lock whose holder no longer runs, or ran before this machine restarted, is taken over with a note", (t) => {
  const root = scratch(t);
  for (const [what, stale, why] of [
    ["dead pid", holder({}), /process \d+ no longer runs/],
    ["another boot", holder({ pid: process.ppid, boot: "00000000-0000-0000-0000-000000000000" }), /this machine has restarted since/],
  ] as const) {
    if (what === "another boot" && process.platform !== "linux") continue;
    const out = join(root, what.replace(/ /g, "-"));
    writeFileSync(lockFileOf(out), JSON.stringify(stale));
    const got = tryLockFolder(out, "run");
    assert.ok("lock" in got, what);
    assert.match(got.lock.notes.join("\n"), new RegExp(`took over the lock .*\\.${what.replace(/ /g, "-")}\\.lock of hostproof run, process ${stale.pid} on ${hostname()}, started 2026-11-22T10:00:00.000Z: ${why.source}`), what);
    assert.equal((JSON.parse(readFileSync(lockFileOf(out), "utf8")) as LockHolder).pid, process.pid);
    got.lock.release();
  }
});

test("a recycled pid (running, but started at another time than the holder) is not the holder", { skip: process.platform !== "linux" }, (t) => {
  const out = join(scratch(t), "reports");
  // The parent runs, but it is not the process that wrote this lock: its start time differs.
  writeFileSync(lockFileOf(out), JSON.stringify(holder({ pid: process.ppid, processStart: "1" })));
  const got = tryLockFolder(out, "run");
  assert.ok("lock" in got);
  assert.match(got.lock.notes[0]!, /its pid now belongs to another process/);
  got.lock.release();
});

test("a holder on another machine, or in another container, is never declared dead: the taker is refused and told why", (t) => {
  const root = scratch(t);
  const cases: [string, LockHolder, RegExp][] = [["machine", holder({ host: "build-agent-7" }), /another machine \(build-agent-7\)/]];
  if (process.platform === "linux") cases.push(["container", holder({ pidNamespace: "pid:[1]" }), /another container/]);
  for (const [what, other, why] of cases) {
    const out = join(root, what);
    writeFileSync(lockFileOf(out), JSON.stringify(other));
    const got = tryLockFolder(out, "run");
    assert.ok("heldBy" in got, what);
    assert.equal(got.heldBy?.pid, other.pid);
    assert.match(got.why ?? "", why);
    assert.equal((JSON.parse(readFileSync(lockFileOf(out), "utf8")) as LockHolder).pid, other.pid, "left as it was");
  }
});

test("a lock file hostproof cannot read is given time (its maker may be writing it), then is stale; a folder in its place is never removed", (t) => {
  const root = scratch(t);
  const fresh = join(root, "fresh");
  writeFileSync(lockFileOf(fresh), "");
  assert.ok("heldBy" in tryLockFolder(fresh, "run"));
  const old = join(root, "old");
  writeFileSync(lockFileOf(old), "not json");
  const past = new Date(Date.now() - 60_000);
  utimesSync(lockFileOf(old), past, past);
  const got = tryLockFolder(old, "run");
  assert.ok("lock" in got);
  got.lock.release();
  const dir = join(root, "dir");
  mkdirSync(lockFileOf(dir));
  const refused = tryLockFolder(dir, "run");
  assert.ok("heldBy" in refused);
  assert.match(refused.why ?? "", /not a lock file hostproof wrote/);
});

test("of many processes that find the same stale lock at once, exactly one takes it", (t) => {
  const out = join(scratch(t), "reports");
  writeFileSync(lockFileOf(out), JSON.stringify(holder({})));
  // Each holds what it got until its stdin closes, so that no winner's release lets a later one in.
  const script = `const r = require(${JSON.stringify(LOCK_JS)}).tryLockFolder(process.argv[1], "run"); process.stdout.write(("lock" in r ? "got" : "held") + "\\n"); process.stdin.resume(); process.stdin.on("end", () => process.exit(0));`;
  const children = Array.from({ length: 8 }, () => spawn(process.execPath, ["-e", script, out], { stdio: ["pipe", "pipe", "inherit"] }));
  const answers = children.map(
    (c) =>
      new Promise<string>((resolve) => {
        let text = "";
        c.stdout!.on("data", (d: Buffer) => {
          text += d.toString();
          if (text.endsWith("\n")) resolve(text.trim());
        });
      }),
  );
  return Promise.all(answers).then(async (said) => {
    assert.deepEqual(said.filter((s) => s === "got").length, 1, said.join(", "));
    const exited = children.map((c) => new Promise((r) => c.on("close", r)));
    for (const c of children) c.stdin!.end();
    await Promise.all(exited);
    // The winner's exit released it, and nothing else is left beside the folder.
    assert.deepEqual(readdirSync(join(out, "..")), []);
  });
});

test("the lock goes when its holder exits without releasing it (process.exit, as the signal handler does); a SIGKILLed holder's lock is found stale", async (t) => {
  const root = scratch(t);
  const exits = join(root, "exits");
  const script = `require(${JSON.stringify(LOCK_JS)}).tryLockFolder(process.argv[1], "run"); process.stdout.write("locked\\n"); process.stdin.resume(); process.stdin.on("end", () => process.exit(3));`;
  const a = spawn(process.execPath, ["-e", script, exits], { stdio: ["pipe", "pipe", "inherit"] });
  await new Promise((r) => a.stdout!.once("data", r));
  assert.ok(existsSync(lockFileOf(exits)));
  a.stdin!.end();
  await new Promise((r) => a.on("close", r));
  assert.equal(existsSync(lockFileOf(exits)), false);

  const killed = join(root, "killed");
  const b = spawn(process.execPath, ["-e", script, killed], { stdio: ["pipe", "pipe", "inherit"] });
  await new Promise((r) => b.stdout!.once("data", r));
  b.kill("SIGKILL");
  await new Promise((r) => b.on("close", r));
  assert.ok(existsSync(lockFileOf(killed)), "nothing runs in a SIGKILLed process");
  const got = tryLockFolder(killed, "run");
  assert.ok("lock" in got);
  assert.match(got.lock.notes[0]!, new RegExp(`process ${b.pid} no longer runs`));
  got.lock.release();
});

test("a lock maker's temporary file left by a dead process is removed; a live one's is kept", (t) => {
  const root = scratch(t);
  const out = join(root, "reports");
  const dead = `.reports.lock.tmp-${exitedPid()}-0a1b2c3d`;
  const live = `.reports.lock.tmp-${process.ppid}-0a1b2c3d`;
  writeFileSync(join(root, dead), "{}");
  writeFileSync(join(root, live), "{}");
  const got = tryLockFolder(out, "run");
  assert.ok("lock" in got);
  assert.match(got.lock.notes.join("\n"), new RegExp(`removed ${dead.replace(/\./g, "\\.")} beside`));
  got.lock.release();
  assert.deepEqual(readdirSync(root), [live]);
});
