/**
 * Ctrl-C, SIGTERM and SIGKILL against the real CLI: while Allure's Java renders the HTML report,
 * while Cucumber judges, and while the last files are written. Each test signals at a moment it
 * sees in the run's own traces (Java running below the CLI, Cucumber's step results reaching the
 * staging folder, junit.xml being written), never after a sleep, and asserts what the run did
 * before it ended (which phase it reached, what is in --out), not how fast.
 */
import assert from "node:assert/strict";
import { spawn, type ChildProcess } from "node:child_process";
import { closeSync, existsSync, mkdirSync, openSync, readdirSync, readFileSync, readSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { test } from "node:test";
import { entriesSettled } from "../report/tmp";
import { findJava } from "../../src/report/formats/allure/allure-html";
import { descendants } from "../../src/powershell/process-tree";
import { AS_OF, BIN, DEMO, ROOT, spawnCli, tempDir, workspace } from "./cli";
import { scenarioFeatures } from "../../bench/outlines";

const skip = process.platform !== "linux" ? "reads /proc to find Java" : findJava() === undefined ? "no Java" : false;

interface Running {
  child: ChildProcess;
  exit: Promise<{ code: number | null; signal: NodeJS.Signals | null; stderr: string }>;
}

function startRun(out: string, extra: string[] = [], cwd = ROOT): Running {
  const child = spawn(process.execPath, [BIN, "run", "-i", DEMO, "-o", out, "--as-of", AS_OF, ...extra], {
    cwd,
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

/** Whether any live process is in process group `pgid`. */
function groupAlive(pgid: number): boolean {
  return readdirSync("/proc").some((e) => /^\d+$/.test(e) && procState(Number(e))?.pgid === pgid && alive(Number(e)));
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
    assert.match(res.stderr, /removed the unfinished output .*\.reports\.staging-\d+-[0-9a-f]+ \(deleted in the background\); .*reports is as it was before this run \(the earlier report is intact\)/);
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
  const pgid = procState(java[0]!)?.pgid;
  run.child.kill("SIGKILL");
  await run.exit;
  // Nothing in a SIGKILLed process runs; its Java, in a group of its own, is stopped by the
  // guardian that leads the group when the pipe from the dead CLI closes. Before, Java went on
  // and wrote its report into the staging folder (and again after the next run swept it away).
  await until("Allure's process group gone", () => (pgid !== undefined && groupAlive(pgid) ? undefined : true));
  const debris = stagingIn(parent);
  assert.equal(debris.length, 1, "SIGKILL leaves the staging folder");
  assert.equal(existsSync(join(parent, debris[0]!, "allure-report", "index.html")), false, "Allure outlived the CLI and finished its report");
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

/**
 * The judge and write phases, long enough to be signalled in the middle: 4,000 controls of the
 * organisation's own (bench/outlines.ts) over the demo estate's 12 hosts, one slice of 48,000
 * results. Before issue 18 nothing in a Cucumber run or in the last writes let the event loop
 * turn, so a signal waited for the whole phase: the run went on to write (or even put in place)
 * the report it was told to abandon.
 */
const CONTROLS = 4000;

function largeRun(parent: string): { out: string; running: Running } {
  const cwd = workspace(Object.fromEntries(scenarioFeatures(CONTROLS).map((text, i) => [`acme/many-${i}.feature`, text])));
  const out = earlierReport(parent);
  return { out, running: startRun(out, ["--no-html", "--no-history", "--no-builtin", "--features", join(cwd, "acme")], cwd) };
}

/** The run's staging folder, once it exists. */
function staging(parent: string, run: Running): Promise<string> {
  return until("the staging folder", () => stagingIn(parent).map((n) => join(parent, n))[0], run);
}

/** Resolves once `file` holds `text`, reading only what was added since the last look. */
function fileHolds(file: string, text: string, run: Running): Promise<true> {
  let seen = 0;
  let tail = "";
  return until(`${text} in ${file}`, () => {
    if (!existsSync(file)) return undefined;
    const fd = openSync(file, "r");
    try {
      const chunk = Buffer.alloc(1 << 20);
      for (let n; (n = readSync(fd, chunk, 0, chunk.length, seen)) > 0; seen += n) {
        tail = (tail + chunk.toString("latin1", 0, n)).slice(-(1 << 20));
        if (tail.includes(text)) return true;
      }
    } finally {
      closeSync(fd);
    }
    return undefined;
  }, run);
}

/**
 * A bound against a hang, not a measure of speed: the run is given 60 s to end after the signal
 * (it takes well under a second; the phases signalled here last far longer on a build that does
 * not give the event loop turns, and the assertions that catch that are about order, not time).
 */
async function endsAfter(run: Running, signal: NodeJS.Signals): Promise<{ code: number | null; stderr: string }> {
  run.child.kill(signal);
  const guard = setTimeout(() => run.child.kill("SIGKILL"), 60_000);
  const res = await run.exit;
  clearTimeout(guard);
  assert.notEqual(res.signal, "SIGKILL", "the run did not end within 60 s of the signal: it hung");
  return res;
}

test("SIGINT while Cucumber judges: the run ends in the judge phase (never reaches the write phase), nothing left, the earlier report intact, exit 130", async () => {
  const parent = tempDir();
  const { out, running } = largeRun(parent);
  // Step results reach the staging folder's message stream only once scenarios are being run.
  await fileHolds(join(await staging(parent, running), "cucumber-messages.ndjson"), '"testStepFinished"', running);
  const res = await endsAfter(running, "SIGINT");
  assert.equal(res.code, 130, res.stderr);
  assert.match(res.stderr, /^hostproof: judge: /m);
  assert.doesNotMatch(res.stderr, /^hostproof: write: /m, "the signal waited for the judge phase to end");
  assert.match(res.stderr, /interrupted by SIGINT/);
  assert.deepEqual(stagingIn(parent), []);
  assert.equal(readFileSync(join(out, "summary.json"), "utf8"), '{"earlier":"report"}');
  rmSync(parent, { recursive: true, force: true });
});

test("SIGTERM while the last files are written: the report is not put in place, nothing left, the earlier report intact, exit 143", async () => {
  const parent = tempDir();
  const { out, running } = largeRun(parent);
  // junit.xml is opened once the writer thread is done, before summary.json, hdf.json, results.csv
  // and the manifest: everything after it ran in one stretch before, up to putting the report in place.
  await until("junit.xml being written", () => stagingIn(parent).some((n) => existsSync(join(parent, n, "junit.xml"))) || undefined, running);
  const res = await endsAfter(running, "SIGTERM");
  assert.equal(res.code, 143, res.stderr);
  assert.match(res.stderr, /^hostproof: write: /m);
  assert.match(res.stderr, /interrupted by SIGTERM/);
  assert.match(res.stderr, /removed the unfinished output .*\.reports\.staging-/);
  assert.deepEqual(stagingIn(parent), []);
  assert.equal(readFileSync(join(out, "summary.json"), "utf8"), '{"earlier":"report"}', "the new report was put in place after the signal");
  assert.deepEqual(await entriesSettled(parent), [".hostproof-history", "reports"].filter((n) => existsSync(join(parent, n))).sort());
  rmSync(parent, { recursive: true, force: true });
});
