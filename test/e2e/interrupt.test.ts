/**
 * Ctrl-C, SIGTERM and SIGKILL against the real CLI while Allure's Java renders the HTML report:
 * the only step long enough (seconds of JVM work) to be signalled mid-run without a timed race.
 * Each test waits for a condition (Java running below the CLI), never for a duration.
 */
import assert from "node:assert/strict";
import { spawn, type ChildProcess } from "node:child_process";
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { test } from "node:test";
import { entriesSettled } from "../report/tmp";
import { findJava } from "../../src/report/allure-html";
import { descendants } from "../../src/powershell/process-tree";
import { AS_OF, BIN, DEMO, ROOT, spawnCli, tempDir } from "./cli";

const skip = process.platform !== "linux" ? "reads /proc to find Java" : findJava() === undefined ? "no Java" : false;

interface Running {
  child: ChildProcess;
  exit: Promise<{ code: number | null; signal: NodeJS.Signals | null; stderr: string }>;
}

function startRun(out: string): Running {
  const child = spawn(process.execPath, [BIN, "run", "-i", DEMO, "-o", out, "--as-of", AS_OF], {
    cwd: ROOT,
    env: { ...process.env, NO_COLOR: "1" },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let stderr = "";
  child.stderr!.on("data", (c: Buffer) => (stderr += c.toString("utf8")));
  child.stdout!.resume();
  const exit = new Promise<{ code: number | null; signal: NodeJS.Signals | null; stderr: string }>((resolve) =>
    child.on("close", (code, signal) => resolve({ code, signal, stderr })),
  );
  return { child, exit };
}

/** State letter of a process from /proc (Z: a zombie, dead but not yet reaped), or undefined when gone. */
function procState(pid: number): { state: string; pgid: number } | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    const rest = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    return { state: rest[0]!, pgid: Number(rest[2]) };
  } catch {
    return undefined;
  }
}

const alive = (pid: number): boolean => {
  const s = procState(pid);
  return s !== undefined && s.state !== "Z";
};

function javaBelow(pid: number): number[] {
  return descendants(pid).filter((p) => {
    try {
      return readFileSync(`/proc/${p}/comm`, "utf8").trim() === "java";
    } catch {
      return false;
    }
  });
}

/** Polls `probe` until it returns a value; fails with `what` if the run ends first. */
async function until<T>(what: string, probe: () => T | undefined, run?: Running): Promise<T> {
  let ended = false;
  void run?.exit.then(() => (ended = true));
  for (let i = 0; ; i++) {
    const value = probe();
    if (value !== undefined) return value;
    if (ended) assert.fail(`the run ended before ${what}`);
    if (i > 6000) assert.fail(`gave up waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

function earlierReport(parent: string): string {
  const out = join(parent, "reports");
  mkdirSync(out);
  writeFileSync(join(out, "summary.json"), '{"earlier":"report"}');
  writeFileSync(join(out, ".hostproof-report"), "an earlier run\n");
  return out;
}

/** Waits until Allure's Java runs below the CLI, and returns its pids. */
function javaStarted(run: Running): Promise<number[]> {
  return until("Java started", () => {
    const found = javaBelow(run.child.pid!);
    return found.length > 0 ? found : undefined;
  }, run);
}

const stagingIn = (parent: string): string[] => readdirSync(parent).filter((n) => n.includes(".staging-"));

for (const [signal, code] of [["SIGINT", 130], ["SIGTERM", 143]] as const) {
  test(`${signal} while Allure renders: Java stopped, no staging folder, the earlier report intact, exit ${code}`, { skip }, async () => {
    const parent = tempDir();
    const out = earlierReport(parent);
    const run = startRun(out);
    const java = await javaStarted(run);
    assert.equal(stagingIn(parent).length, 1, "the run writes into a staging folder");
    run.child.kill(signal);
    const res = await run.exit;
    assert.equal(res.code, code, res.stderr);
    assert.match(res.stderr, new RegExp(`interrupted by ${signal}`));
    assert.match(res.stderr, /stopped Allure \(Java\)/);
    assert.match(res.stderr, /removed the unfinished output .*\.reports\.staging-\d+-[0-9a-f]+; .*reports is as it was before this run \(the earlier report is intact\)/);
    assert.deepEqual(stagingIn(parent), []);
    assert.equal(existsSync(join(parent, ".reports.lock")), false, "the lock on --out went with the run");
    assert.equal(readFileSync(join(out, "summary.json"), "utf8"), '{"earlier":"report"}');
    await until("Java gone", () => (java.some(alive) ? undefined : true));
    rmSync(parent, { recursive: true, force: true });
  });
}

test("after a SIGKILL the next run removes the dead run's staging folder and keeps a live one's", { skip }, async () => {
  const parent = tempDir();
  const out = earlierReport(parent);
  const run = startRun(out);
  const java = await javaStarted(run);
  run.child.kill("SIGKILL");
  await run.exit;
  // Nothing in a SIGKILLed process runs, so its Java goes on in its own group: stop it here.
  const pgid = procState(java[0]!)?.pgid;
  if (pgid !== undefined) process.kill(-pgid, "SIGKILL");
  await until("Java gone", () => (java.some(alive) ? undefined : true));
  const debris = stagingIn(parent);
  assert.equal(debris.length, 1, "SIGKILL leaves the staging folder");
  assert.ok(existsSync(join(parent, ".reports.lock")), "and its lock on --out");
  assert.equal(readFileSync(join(out, "summary.json"), "utf8"), '{"earlier":"report"}');
  // A staging folder of a process that still runs (this test) must survive the sweep.
  const live = `.reports.staging-${process.pid}-abcdef012345`;
  mkdirSync(join(parent, live));

  const next = spawnCli(["run", "-i", DEMO, "-o", out, "--as-of", AS_OF, "--no-html", "--exit-zero"]);
  assert.equal(next.code, 0, next.stderr);
  assert.match(next.stderr, new RegExp(`removing ${debris[0]!.replace(/\./g, "\\.")} beside .* in the background, an unfinished output left by process \\d+, which no longer runs`));
  assert.match(next.stderr, new RegExp(`took over the lock .*\\.reports\\.lock of hostproof run, process ${run.child.pid} on .*: process ${run.child.pid} no longer runs`));
  assert.deepEqual(stagingIn(parent), [live]);
  // The dead run's folder and the earlier report are deleted by background processes.
  assert.deepEqual(await entriesSettled(parent), [".hostproof-history", live, "reports"].sort());
  assert.ok(existsSync(join(out, "summary.md")), "the new report is in place");
  rmSync(parent, { recursive: true, force: true });
});
