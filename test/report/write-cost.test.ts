/**
 * What writing a report costs, by format (src/report/write-cost.ts): every format a run writes has
 * its row, a format added in a test registry too, and the waits for the background writer are
 * shared among the parts whose files they waited for. No figure here is compared with a time.
 */
import assert from "node:assert/strict";
import { readdirSync } from "node:fs";
import { join } from "node:path";
import { test, type TestContext } from "node:test";
import { runEstate } from "../../src/engine/run";
import { noProgress, type Progress } from "../../src/model/progress";
import { FormatSet, sliceView } from "../../src/report/format-set";
import type { EndView, Format, FormatContext } from "../../src/report/formats/format";
import type { SummaryHead } from "../../src/report/formats/summary";
import { findAllureCommandline, findJava } from "../../src/report/formats/allure/allure-html";
import { formatRegistry, FORMATS, REGISTRY } from "../../src/report/formats";
import { BOOKKEEPING_ROW, COST_HEADING, costTable, parseCostTable, RECORD_PART, WRITING_ROW, WriteLedger, type WriteCost } from "../../src/report/write-cost";
import { AS_OF, DEMO, DEMO_HOSTS, spawnCli } from "../e2e/cli";
import { targetsTxtFormat } from "../fixtures/formats/targets-txt";
import { OSCAL_FILE, oscalFormat } from "../../src/report/formats/oscal/oscal-stream";
import { assertOscalValid } from "../helpers/oscal-validate";
import { requireTool } from "../helpers/require-tool";
import { scratch } from "./tmp";

/** The demo estate's hosts: each one's kept snapshot is a file handed to the background writer. */

/** A run of the demo with HOSTPROOF_TIMINGS=1 and the test registry: what it printed, and the formats it wrote. */
async function timedRun(t: TestContext, htmlStyle: "single" | "pages"): Promise<{ printed: string; formats: string[]; out: string }> {
  const out = join(scratch(t), "report");
  const notes: string[] = [];
  const progress: Progress = { phase: () => undefined, note: (text) => notes.push(text), end: () => undefined };
  const before = process.env.HOSTPROOF_TIMINGS;
  process.env.HOSTPROOF_TIMINGS = "1";
  try {
    const registry = formatRegistry([...FORMATS, targetsTxtFormat]);
    // The formats written only on request are asked for: every format has its row.
    const onRequest = registry.formats.filter((f) => f.onRequest === true).map((f) => f.name);
    const outcome = await runEstate({ inventory: DEMO, out, failOn: "any", asOf: new Date(`${AS_OF}T00:00:00Z`), html: true, htmlStyle, history: false, registry, progress, export: onRequest });
    // Every OSCAL document a test produces is validated against NIST's schema.
    if (onRequest.includes(oscalFormat.name)) await assertOscalValid(join(out, OSCAL_FILE));
    return { printed: notes.join("\n"), formats: outcome.formats.map((f) => f.name), out };
  } finally {
    if (before === undefined) delete process.env.HOSTPROOF_TIMINGS;
    else process.env.HOSTPROOF_TIMINGS = before;
  }
}

/** The printed table's rows, by part: every column as printed. */
function rowsOf(printed: string): Map<string, string[]> {
  const lines = printed.slice(printed.indexOf(COST_HEADING)).split("\n").slice(2);
  return new Map(lines.map((l) => l.trim().split(/ +/)).map((cells) => [cells[0]!, cells.slice(1)] as const));
}

test("HOSTPROOF_TIMINGS=1: a row for every format the run wrote (a test registry's too), the record, the writer's bookkeeping and its time in all", async (t) => {
  const seen = new Set<string>();
  const styles: ("pages" | "single")[] = ["pages"];
  // Allure's single file is the registry's other HTML format: a run writes one of the two.
  if (requireTool(t, "java", findJava(), "install a JRE (apt-get install default-jre-headless) or set JAVA_HOME") && requireTool(t, "allure-commandline", findAllureCommandline(), "npm install (it is a dependency)")) styles.push("single");
  for (const style of styles) {
    const { printed, formats, out } = await timedRun(t, style);
    assert.ok(printed.includes(COST_HEADING), printed);
    assert.ok(formats.includes(targetsTxtFormat.name), formats.join(", "));
    const rows = rowsOf(printed);
    assert.deepEqual([...rows.keys()], [...formats, RECORD_PART, BOOKKEEPING_ROW, WRITING_ROW], printed);
    const totals = parseCostTable(printed)!;
    assert.deepEqual([...totals.keys()], [...rows.keys()]);
    for (const [part, ms] of totals) assert.ok(Number.isFinite(ms) && ms >= 0, `${part}: ${ms}`);
    // The share column adds up: each part's share of the writer's time, the writer's own 100%.
    assert.equal(rows.get(WRITING_ROW)![4], "100%");
    // Each kept snapshot is one file the record hands the background writer; Allure's results and
    // their evidence attachments go there too, and are Allure's.
    assert.equal(rows.get(RECORD_PART)![5], String(DEMO_HOSTS), printed);
    const allureQueued = Number(rows.get("allure-results")![5]);
    assert.ok(allureQueued > 0 && allureQueued <= readdirSync(join(out, "allure-results")).length, printed);
    for (const f of formats) seen.add(f);
  }
  const missing = REGISTRY.formats.map((f) => f.name).filter((n) => !seen.has(n) && !(n === "allure-report" && styles.length === 1));
  assert.deepEqual(missing, []);
});

test("FormatSet bills each format its open, adds and finish, and its files and waits for the background writer", async (t) => {
  // A clock that moves one step each time it is read: a call that reads it twice is billed 1.
  let tick = 0;
  const ledger = new WriteLedger(() => ++tick);
  const handed: string[] = [];
  const dir = scratch(t);
  const context: FormatContext = {
    dir,
    // Neither format below reads the run's head.
    head: {} as SummaryHead,
    targets: { hosts: 0, clusters: 0 },
    progress: noProgress,
    record: () => undefined,
    recordTree: async () => undefined,
    writeSmall: () => undefined,
    queue: (path) => void handed.push(path),
    drain: async () => undefined,
    attachSnapshot: () => false,
  };
  const queuing: Format = {
    name: "queued-txt",
    description: "a file per slice, handed to the background writer",
    files: ["queued/"],
    open: (ctx) => ({
      add: () => ctx.queue(join(ctx.dir, `slice-${handed.length}.txt`), "abc"),
      finish: () => ctx.drain(),
      abort: () => undefined,
    }),
  };
  const set = new FormatSet([targetsTxtFormat, queuing], context, ledger);
  for (let k = 0; k < 2; k++) await set.add(sliceView({ hosts: [], clusters: [], results: [] }, "2026-11-22T00:00:00.000Z"));
  // targets.txt reads only the failed total at its end.
  await set.finish(() => ({ digest: { totals: { failed: 0 } } }) as unknown as EndView);
  assert.equal(handed.length, 2);
  assert.deepEqual(set.costs(), [
    { name: targetsTxtFormat.name, addMs: 3, finishMs: 1, waitMs: 0, queuedFiles: 0, queuedBytes: 0 },
    // Its finish read the clock four times, two of them around its wait: 1 step waiting, 2 its own.
    { name: queuing.name, addMs: 3, finishMs: 2, waitMs: 1, queuedFiles: 2, queuedBytes: 6 },
  ]);
});

test("a wait for the background writer is shared among the parts whose files it waited for, by files, and is not also billed to the call it happened in", async () => {
  let now = 0;
  const ledger = new WriteLedger(() => now);
  const wait = (ms: number) => ledger.wait(async () => void (now += ms));
  // a hands over one file, b three; then a's add works 5 ms and waits 40 ms for the writer.
  await ledger.time("a", "add", async () => {
    ledger.queued("a", 100);
    ledger.queued("b", 10);
    ledger.queued("b", 10);
    ledger.queued("b", 0);
    now += 5;
    await wait(40);
  });
  const [a, b] = ledger.costs(["a", "b"]) as [WriteCost, WriteCost];
  assert.deepEqual(a, { name: "a", addMs: 5, finishMs: 0, waitMs: 10, queuedFiles: 1, queuedBytes: 100 });
  assert.deepEqual(b, { name: "b", addMs: 0, finishMs: 0, waitMs: 30, queuedFiles: 3, queuedBytes: 20 });
  // With nothing handed over since, a wait is no one's: its time stays with the call it was in.
  await ledger.time("b", "finish", async () => {
    now += 2;
    await wait(3);
  });
  const [a2, b2] = ledger.costs(["a", "b"]) as [WriteCost, WriteCost];
  assert.equal(a2.waitMs, 10);
  assert.equal(b2.waitMs, 30);
  assert.equal(b2.finishMs, 5);
  // A synchronous part (a message line) is billed the same way, and stays synchronous.
  assert.equal(ledger.timeSync(RECORD_PART, "add", () => ((now += 7), "done")), "done");
  assert.equal(ledger.costs([RECORD_PART])[0]!.addMs, 7);
});

test("the printed table reads back as it was written, and bookkeeping is what the parts leave of the writer's time", () => {
  const part = (name: string, addMs: number, finishMs: number, waitMs: number): WriteCost => ({ name, addMs, finishMs, waitMs, queuedFiles: 0, queuedBytes: 0 });
  const text = costTable({ formats: [part("summary", 1000, 250, 0), part("allure-results", 2000, 10, 1500)], record: part(RECORD_PART, 300, 200, 500), writerMs: 6000 });
  const rows = parseCostTable(`hostproof: load: 3 hosts\n${text}\nReports in out/\n  summary.json 1 2 3 4.00 5`)!;
  assert.deepEqual([...rows], [
    ["summary", 1250],
    ["allure-results", 3510],
    [RECORD_PART, 1000],
    [BOOKKEEPING_ROW, 240],
    [WRITING_ROW, 6000],
  ]);
  assert.match(text, /^ {2}allure-results +2\.00 +0\.01 +1\.50 +3\.51 +59% +0 +0\.0$/m);
  assert.equal(parseCostTable("no table here"), undefined);
});

test("HOSTPROOF_TIMINGS other than 1 is refused at start, naming the variable and what it takes", () => {
  const res = spawnCli(["validate", DEMO], undefined, { ...process.env, HOSTPROOF_TIMINGS: "yes" });
  assert.equal(res.code, 3, res.stderr);
  assert.ok(res.stderr.includes('environment: HOSTPROOF_TIMINGS: "yes" is not 1. Set HOSTPROOF_TIMINGS to 1'), res.stderr);
});
