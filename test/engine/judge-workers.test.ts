/**
 * Judge workers (src/engine/judge-pool.ts): an estate of several slices judged in worker threads
 * while the main thread writes must give the report a run judging every slice in its own thread
 * gives, file for file and byte for byte but for times and Allure's random uuids, from source
 * (tsx) and compiled (dist/) alike; bad snapshots are listed as without workers; a judge bug is an
 * undetermined result and an internal error; a worker that dies fails the run, leaving no report
 * and no staging folder behind.
 */
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { subscribe, unsubscribe } from "node:diagnostics_channel";
import { cpSync, existsSync, readdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { join, relative } from "node:path";
import { test } from "node:test";
import { runEstate, type RunOptions } from "../../src/engine/run";
import { JudgePool, judgeWorkers, MAX_JUDGE_WORKERS } from "../../src/engine/judge-pool";
import { planSlices } from "../../src/engine/slices";
import { catalogEntries } from "../../src/controls/catalog";
import { readFeatureFile } from "../../src/controls/feature-set";
import { lintFeatures } from "../../src/controls/lint";
import { InputError } from "../../src/errors";
import { loadInventory } from "../../src/input/inventory";
import { DEMO, ROOT, spawnCli, tempDir } from "../e2e/cli";
import { directoryInput } from "../../src/engine/directory-target";

const WAIVERS = join(DEMO, "..", "waivers.yaml");
const ISO = /\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?Z/g;
const UUID = /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/g;
const FIXTURES = join(__dirname, "..", "fixtures", "judge-workers");

/** The demo estate in slices of 3 hosts (clusters whole): four slices. */
const base = { inventory: DEMO, waivers: WAIVERS, failOn: "any" as const, asOf: new Date("2026-11-30T00:00:00Z"), html: true, htmlStyle: "pages" as const, history: false as const, sliceHosts: 3 };

/** `text` with each uuid replaced by its number in order of first appearance (in `uuids`). */
function numbered(text: string, uuids: Map<string, string> = new Map()): string {
  return text.replace(UUID, (u) => uuids.get(u) ?? (uuids.set(u, `uuid-${uuids.size}`), `uuid-${uuids.size - 1}`));
}

/**
 * Cucumber's messages, each slice's test run numbered on its own: Cucumber's ids are random, and a
 * process gives its step definitions theirs once, so the slices a worker judged share their step
 * definitions' ids with each other, not with the slices another worker judged (as the shards of a
 * merged report do). Within a test run every id must stand where it stood.
 */
function messagesNumbered(text: string): string {
  return text
    .split(/(?=^\{"meta":)/m)
    .map((run) => numbered(run))
    .join("");
}

/** Every file of a report by path, uuids numbered by first appearance and times blanked: what must not differ. */
function reportFiles(dir: string): Map<string, string> {
  const uuids = new Map<string, string>();
  // Allure's file names are random per run: numbered in the order the manifest lists them (the
  // order written), so that order is compared too.
  numbered(readFileSync(join(dir, "evidence", "manifest.json"), "utf8").replace(/"sha256":"[0-9a-f]{64}"/g, ""), uuids);
  const files = new Map<string, string>();
  const walk = (path: string): void => {
    if (statSync(path).isDirectory()) for (const name of readdirSync(path).sort()) walk(join(path, name));
    else {
      const raw = readFileSync(path, "latin1");
      const text = (relative(dir, path) === "cucumber-messages.ndjson" ? messagesNumbered(raw) : numbered(raw, uuids))
        .replace(ISO, "T")
        .replace(/"(start|stop)":\d+/g, '"$1":0')
        .replace(/"(seconds|nanos)":\d+/g, '"$1":0')
        .replace(/"duration": [0-9.]+/g, '"duration": 0')
        .replace(/"(loadMs|judgeMs|writeMs|reportMs)": \d+/g, '"$1": 0')
        // The manifest's digests and sizes are of files that hold times.
        .replace(/"sha256":"[0-9a-f]{64}","bytes":\d+/g, "");
      files.set(numbered(relative(dir, path), uuids), text);
    }
  };
  walk(dir);
  return files;
}

function assertSameReport(expected: string, actual: string, label: string): void {
  const a = reportFiles(expected);
  const b = reportFiles(actual);
  assert.deepEqual([...b.keys()].sort(), [...a.keys()].sort(), `${label}: the files of the report`);
  for (const [path, text] of a) assert.ok(b.get(path) === text, `${label}: ${path} differs`);
}

/** How many worker threads `run` starts: the write queue's, and with judge workers theirs. */
async function threadsStartedBy(run: () => Promise<unknown>): Promise<number> {
  let started = 0;
  const count = (): void => void (started += 1);
  subscribe("worker_threads", count);
  try {
    await run();
  } finally {
    unsubscribe("worker_threads", count);
  }
  return started;
}

test("judged by workers, from source and compiled, an estate of several slices gives the report of a run that judges in process, byte for byte but for times", async () => {
  const dir = tempDir();
  assert.equal(planSlices(loadInventory(DEMO).inventory, 3).length, 4);
  const inProcess = await threadsStartedBy(() => runEstate({ ...base, out: join(dir, "in-process"), judgeWorkers: 0 }));
  const pooled = await threadsStartedBy(() => runEstate({ ...base, out: join(dir, "workers"), judgeWorkers: 2 }));
  assert.equal(pooled - inProcess, 2, "the second run judged in two worker threads");
  assertSameReport(join(dir, "in-process"), join(dir, "workers"), "workers from source");

  // The shipped CLI runs dist/: its workers start the compiled module, which has Cucumber load the
  // compiled steps (whose places in Cucumber's messages are dist/'s: compared with dist/ in process).
  const run = (out: string, judgeWorkers: number): string => `() => run.runEstate({ ...options, out: ${JSON.stringify(join(dir, out))}, judgeWorkers: ${judgeWorkers} })`;
  const script = `
    const run = require(${JSON.stringify(join(ROOT, "dist", "src", "engine", "run.js"))});
    const options = { ...${JSON.stringify(base)}, asOf: new Date(${JSON.stringify(base.asOf.toISOString())}) };
    const threads = [];
    require("node:diagnostics_channel").subscribe("worker_threads", () => (threads[threads.length - 1] += 1));
    const counted = (go) => () => (threads.push(0), go());
    Promise.resolve().then(counted(${run("compiled-in-process", 0)})).then(counted(${run("compiled-workers", 2)})).then(() => { console.log(JSON.stringify(threads)); process.exit(0); }, (e) => { console.error(e); process.exit(1); });`;
  const compiled = spawnSync(process.execPath, ["-e", script], { cwd: process.cwd(), encoding: "utf8" });
  assert.equal(compiled.status, 0, compiled.stderr);
  const [threadsInProcess, threadsPooled] = JSON.parse(compiled.stdout) as [number, number];
  assert.equal(threadsPooled - threadsInProcess, 2, "the compiled run judged in two worker threads");
  assertSameReport(join(dir, "compiled-in-process"), join(dir, "compiled-workers"), "workers from dist/");
});

/** A copy of the demo estate with `edit` applied to its inventory text and snapshot files. */
function editedDemo(edit: (dir: string) => void): string {
  const dir = tempDir();
  cpSync(join(DEMO, ".."), join(dir, "demo"), { recursive: true });
  edit(join(dir, "demo"));
  return join(dir, "demo", "inventory.yaml");
}

test("bad snapshots in several slices: with workers, every one is listed, in the same order and words as without, and nothing is written", async () => {
  const inventory = editedDemo((demo) => {
    // Slices of 3: wg-node1 is in the first slice, app01 and legacy2003 in later ones.
    writeFileSync(join(demo, "snapshots", "wg-node1.json"), "{ not json");
    const inv = join(demo, "inventory.yaml");
    writeFileSync(inv, readFileSync(inv, "utf8").replace("snapshot: snapshots/app01.json", "snapshot: ../outside.json").replace("snapshot: snapshots/legacy2003.json", "snapshot: snapshots/missing.json"));
  });
  const refused = async (judgeWorkers: number): Promise<InputError> => {
    const parent = tempDir();
    const err = await runEstate({ ...base, inventory, out: join(parent, "out"), judgeWorkers }).then(
      () => assert.fail("the run went through"),
      (e: unknown) => e,
    );
    assert.ok(err instanceof InputError, String(err));
    assert.deepEqual(readdirSync(parent), [], "nothing written");
    return err;
  };
  const without = await refused(0);
  const within = await refused(2);
  assert.equal(without.problems.length, 3, without.message);
  assert.deepEqual(within.problems, without.problems);
  // The outside path is named at its line in the inventory, which only the main thread holds.
  assert.ok(within.problems.some((p) => p.field === "hosts[10].snapshot" && typeof p.line === "number"), within.message);
});

test("a judge bug in a worker is an undetermined result and an internal error naming the control, as in process", async () => {
  const dir = tempDir();
  const file = join(dir, "refused.feature");
  // What the lint refuses (a doc string a check does not take) handed to the judges anyway.
  writeFileSync(
    file,
    `Feature: What the lint refuses

  @ACME-DOC-001 @severity:high
  Scenario: A doc string under the Then
    Rationale: r.
    Remediation: r.
    Source: s.

    Given each host
    Then the host does not run Windows Server 2003
      """
      anything
      """
`,
  );
  const lint = lintFeatures([readFeatureFile(file, "refused.feature", dir)]);
  const loaded = loadInventory(DEMO);
  const pool = new JudgePool(loaded, { asOf: base.asOf, features: lint.features.map((f) => f.file), expected: catalogEntries(lint.features), allowOutsideSnapshots: false, directory: directoryInput(loaded.inventory, undefined) }, 1);
  try {
    const outcome = (await pool.judge({ slice: planSlices(loaded.inventory, 3)[1]!, collected: new Map(), judge: true })).open();
    assert.equal(outcome.kind, "judged");
    if (outcome.kind !== "judged") return;
    assert.ok(outcome.results.length > 0);
    for (const r of outcome.results) {
      assert.equal(r.status, "undetermined", r.target.name);
      assert.match(r.reason!.message, /^internal error in hostproof \(please report it\): /);
    }
    assert.ok(outcome.internalErrors.some((e) => e.startsWith("ACME-DOC-001: ")), outcome.internalErrors.join("\n"));
    assert.match(outcome.messages, /"testRunFinished"/);
  } finally {
    await pool.close();
  }
});

for (const [fixture, why] of [
  ["dies-on-second-slice.ts", /a judge worker thread stopped unexpectedly \(exit code 9\)/],
  ["throws-on-second-slice.ts", /a judge worker thread failed: .*a judge worker broke on purpose/],
] as const) {
  test(`a judge worker that ${fixture.startsWith("dies") ? "dies" : "throws"} mid-run fails the run as an internal error: the earlier report stays, no staging folder is left`, async () => {
    const parent = tempDir();
    const out = join(parent, "out");
    await runEstate({ ...base, out, judgeWorkers: 0 });
    const earlier = readFileSync(join(out, "summary.json"));
    const err = await runEstate({ ...base, out, judgeWorkers: 1, judgeWorkerModule: join(FIXTURES, fixture) } satisfies RunOptions).then(
      () => assert.fail("the run went through"),
      (e: unknown) => e as Error,
    );
    // Neither bad input (3) nor the file system (5): the CLI reports it as an internal error (4).
    assert.ok(!(err instanceof InputError));
    assert.equal((err as NodeJS.ErrnoException).code, undefined);
    assert.match(err.message, why);
    assert.ok(readFileSync(join(out, "summary.json")).equals(earlier), "the earlier report was replaced");
    assert.deepEqual(readdirSync(parent).filter((n) => n !== "out"), [], "debris beside --out");
    assert.ok(existsSync(join(out, "evidence", "manifest.json")));
  });
}

test("HOSTPROOF_JUDGE_WORKERS chooses how many workers judge; a value outside 0-2 is refused when any command starts, exit 3", () => {
  for (const n of ["0", "1", "2"]) assert.equal(judgeWorkers({ HOSTPROOF_JUDGE_WORKERS: n }), Number(n));
  const unset = judgeWorkers({});
  assert.ok(unset >= 0 && unset <= MAX_JUDGE_WORKERS);
  assert.equal(judgeWorkers({ HOSTPROOF_JUDGE_WORKERS: "" }), unset, "empty is unset");
  for (const value of ["3", "-1", "one", "1.5", "9999999999"]) {
    assert.throws(() => judgeWorkers({ HOSTPROOF_JUDGE_WORKERS: value }), InputError, value);
    const res = spawnCli(["controls"], ROOT, { ...process.env, HOSTPROOF_JUDGE_WORKERS: value });
    assert.equal(res.code, 3, `${value}: ${res.stderr}`);
    assert.ok(res.stderr.includes(`environment: HOSTPROOF_JUDGE_WORKERS: ${JSON.stringify(value)} is not a whole number in range. Set HOSTPROOF_JUDGE_WORKERS to a whole number from 0 to 2`), res.stderr);
  }
});
