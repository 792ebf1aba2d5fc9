import assert from "node:assert/strict";
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { test } from "node:test";
import { entriesSettled } from "./tmp";
import { findAllureCommandline, findJava, generateAllureHtml } from "../../src/report/formats/allure/allure-html";
import { writeAllureResults } from "../../src/report/formats/allure/allure-results";
import { executorFromEnv, writeExecutor } from "../../src/report/bookkeeping/executor";
import {
  defaultHistoryDir,
  DRIFT_BASELINE_FILE,
  embeddedHistory,
  nextBuildOrder,
  readDriftBaseline,
  saveDriftBaseline,
  saveHistory,
  seedHistory,
} from "../../src/report/bookkeeping/history";
import { driftBetween } from "../../src/report/bookkeeping/drift";
import { fixtureRunReport } from "../helpers/run-report";
import { requireTool } from "../helpers/require-tool";
import { scratch } from "./tmp";

const b64 = (text: string): string => Buffer.from(text, "utf8").toString("base64");

/** A single-file report's shape: data files as d('path','base64'), and the same text in Allure's script. */
function fakeSingleFile(dir: string, files: Record<string, string>): string {
  mkdirSync(dir, { recursive: true });
  const body = [
    "<script>function d(p,b){/* e.g. d('history/'+name,'…') */}</script><script>",
    ...Object.entries(files).map(([p, text]) => `d('${p}','${b64(text)}');`),
    "d('../escape.json','" + b64("{}") + "');",
    "d('history/../../evil.json','" + b64("{}") + "');",
    "</script>",
  ].join("\n");
  writeFileSync(join(dir, "index.html"), body);
  return join(dir, "index.html");
}

test("the default history folder sits beside --out, one per output folder", () => {
  assert.equal(defaultHistoryDir("/ci/reports/estate-a"), "/ci/reports/.hostproof-history/estate-a");
  assert.equal(defaultHistoryDir("/ci/reports/estate-b"), "/ci/reports/.hostproof-history/estate-b");
});

test("embedded history files are found whatever the chunk boundaries, and only history/ ones with plain names", (t) => {
  const dir = scratch(t);
  const history = JSON.stringify({ abc: { statistic: { passed: 1, total: 1 }, items: [] } });
  const trend = JSON.stringify([{ data: { passed: 1, total: 1 } }]);
  const index = fakeSingleFile(dir, { "data/suites.json": "{}", "history/history.json": history, "widgets/summary.json": "{}", "history/history-trend.json": trend });
  for (const chunk of [5, 11, 64, 1 << 20]) {
    const found = embeddedHistory(index, chunk);
    assert.deepEqual([...found.keys()].sort(), ["history-trend.json", "history.json"], `chunk ${chunk}`);
    assert.equal(found.get("history.json")!.toString("utf8"), history, `chunk ${chunk}`);
    assert.equal(found.get("history-trend.json")!.toString("utf8"), trend, `chunk ${chunk}`);
  }
});

test("seed copies the saved history into allure-results/history; save replaces it from a report", async (t) => {
  const dir = scratch(t);
  const hist = join(dir, "hist");
  const results = join(dir, "allure-results");
  mkdirSync(results);
  assert.deepEqual(seedHistory(hist, results), [], "first run: nothing to seed");
  assert.equal(existsSync(join(results, "history")), false);
  assert.equal(nextBuildOrder(hist), 1);

  const first = saveHistory(fakeSingleFile(join(dir, "r1"), { "history/history.json": "{}", "history/history-trend.json": '[{"data":{}}]' }).replace(/\/index\.html$/, ""), hist);
  assert.deepEqual(first, { saved: ["history-trend.json", "history.json"], from: "single-file report" });
  assert.equal(nextBuildOrder(hist), 2);

  // A report made without --single-file has a history/ folder: that is used as it is.
  const folderReport = join(dir, "r2");
  mkdirSync(join(folderReport, "history"), { recursive: true });
  writeFileSync(join(folderReport, "history", "history.json"), '{"k":1}');
  writeFileSync(join(folderReport, "history", "history-trend.json"), '[{"buildOrder":7,"data":{}},{"data":{}}]');
  assert.deepEqual(saveHistory(folderReport, hist), { saved: ["history-trend.json", "history.json"], from: "history folder" });
  assert.equal(nextBuildOrder(hist), 8);
  assert.deepEqual(readdirSync(dir).sort(), ["allure-results", "hist", "r1", "r2"], "no staging folder left");
  assert.deepEqual(await entriesSettled(hist), ["history"], "the replaced history is deleted in the background");

  assert.deepEqual(seedHistory(hist, results), ["history-trend.json", "history.json"]);
  assert.equal(readFileSync(join(results, "history", "history.json"), "utf8"), '{"k":1}');
});

test("no report, or a report without history: nothing saved, the earlier history kept, the reason given", (t) => {
  const dir = scratch(t);
  const hist = join(dir, "hist");
  mkdirSync(join(hist, "history"), { recursive: true });
  writeFileSync(join(hist, "history", "history.json"), "{}");
  const none = saveHistory(join(dir, "no-report"), hist);
  assert.deepEqual(none.saved, []);
  assert.match("reason" in none ? none.reason : "", /no Allure report/);
  const empty = saveHistory(fakeSingleFile(join(dir, "r"), { "data/suites.json": "{}" }).replace(/\/index\.html$/, ""), hist);
  assert.match("reason" in empty ? empty.reason : "", /holds no history\/history\.json/);
  assert.equal(readFileSync(join(hist, "history", "history.json"), "utf8"), "{}");
});

test("the drift baseline round-trips and compares like the run it came from", (t) => {
  const hist = join(scratch(t), "hist");
  assert.deepEqual(readDriftBaseline(hist), {});
  const report = fixtureRunReport();
  saveDriftBaseline(hist, report.startedAt, report.results);
  const { baseline } = readDriftBaseline(hist);
  assert.ok(baseline);
  assert.equal(baseline.results.length, report.results.length);
  assert.equal(driftBetween(baseline, report.results).newlyFailing.length, 0);
  writeFileSync(join(hist, DRIFT_BASELINE_FILE), "{oops");
  assert.match(readDriftBaseline(hist).unreadable ?? "", /last-results\.json: /);
});

/** The data files a --single-file report embeds, decoded. */
function embeddedData(html: string): Map<string, string> {
  const files = new Map<string, string>();
  for (const m of html.matchAll(/d\('([^']+)',\s*'([A-Za-z0-9+/=]*)'\)/g)) files.set(m[1]!, Buffer.from(m[2]!, "base64").toString("utf8"));
  return files;
}

test("with real Allure: after two generations the Trend widget shows two runs and each result two history items", { timeout: 300_000 }, async (t) => {
  if (!requireTool(t, "java", findJava(), "install a JRE (apt-get install default-jre-headless) or set JAVA_HOME")) return;
  if (!requireTool(t, "allure-commandline", findAllureCommandline(), "npm install (it is a dependency)")) return;
  const dir = scratch(t);
  const hist = join(dir, "hist");
  for (const run of [1, 2]) {
    const results = join(dir, `run${run}`, "allure-results");
    const reportDir = join(dir, `run${run}`, "allure-report");
    const report = fixtureRunReport();
    writeAllureResults(results, report);
    writeExecutor(results, executorFromEnv({}, { localWho: "tester@box", localBuildOrder: nextBuildOrder(hist), reportName: "history test" }));
    assert.equal(seedHistory(hist, results).length > 0, run === 2);
    assert.deepEqual(await generateAllureHtml(results, reportDir, { name: "history test" }), { ok: true });
    const saved = saveHistory(reportDir, hist);
    assert.equal("from" in saved && saved.from, "single-file report", JSON.stringify(saved));
  }
  const data = embeddedData(readFileSync(join(dir, "run2", "allure-report", "index.html"), "utf8"));
  const trend = JSON.parse(data.get("widgets/history-trend.json") ?? "[]") as { buildOrder?: number; data: { failed: number; total: number } }[];
  assert.equal(trend.length, 2, data.get("widgets/history-trend.json"));
  assert.deepEqual(trend.map((e) => e.buildOrder), [2, 1], "newest first, numbered by the local executor");
  assert.deepEqual(trend.map((e) => e.data.total), [12, 12]);
  const history = JSON.parse(data.get("history/history.json") ?? "{}") as Record<string, { items: unknown[] }>;
  assert.equal(Object.keys(history).length, 12);
  assert.ok(Object.values(history).every((h) => h.items.length === 2));
  assert.equal(nextBuildOrder(hist), 3);
});
