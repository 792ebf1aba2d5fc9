/**
 * `hostproof run`: load and validate the estate, judge it through the features, write every output
 * into a staging folder and put it in place only when all of it is written.
 */
import { mkdirSync, writeFileSync } from "node:fs";
import { readRegularFile } from "../input/regular-file";
import { join, relative, resolve } from "node:path";
import { loadInventory } from "../input/inventory";
import { hostFileName } from "../input/host-file-name";
import type { RunReport } from "../model/run";
import type { Severity } from "../model/severity";
import { generateAllureHtml, ALLURE_REPORT_DIR, type HtmlOutcome } from "../report/allure-html";
import { writeAllureResults, ALLURE_RESULTS_DIR } from "../report/allure-results";
import { writeJunit } from "../report/junit";
import { checkReplaceable, commitStaging, discardStaging, markReport, openStaging } from "../report/output-dir";
import { htmlSizeWarning, noProgress, type Progress } from "../report/progress";
import { sweepStaleStaging } from "../report/staging";
import { writeSummary } from "../report/summary";
import { VERSION } from "../version";
import { collectEstate, isLive } from "../collect/collect-estate";
import type { HostReader } from "../collect/collect-hosts";
import { planProbes } from "../controls/probe-plan";
import { applyWaivers, DEFAULT_WARN_DAYS } from "../waivers/apply";
import { loadWaivers } from "../waivers/load";
import { FEATURES_DIR, loadControlCatalog } from "../controls/catalog";
import { writeManifest } from "../evidence/manifest";
import { driftBetween } from "../report/drift";
import { runEnvironment } from "../report/environment";
import { executorFromEnv, writeExecutor } from "../report/executor";
import { defaultHistoryDir, nextBuildOrder, readDriftBaseline, saveDriftBaseline, saveHistory, seedHistory } from "../report/history";
import { writeSummaryMarkdown } from "../report/summary-md";
import { runControls } from "./cucumber";
import { buildEstate } from "./estate";
import { countStatuses } from "../model/totals";
import { verdictOf } from "./verdict";

export const MESSAGES_FILE = "cucumber-messages.ndjson";

export interface RunOptions {
  inventory: string;
  out: string;
  tags?: string;
  failOn: Severity | "any";
  asOf: Date;
  html: boolean;
  /** A waiver file (YAML or JSON); its waivers are applied to the results before the verdict. */
  waivers?: string;
  /** A waiver this many days or fewer from its last day is reported as expiring (default 14). */
  waiverWarnDays?: number;
  /** For tests: how live hosts are read (default: PowerShell). */
  reader?: HostReader;
  /** Where Allure's history and the drift baseline are kept; false keeps none. Default beside --out. */
  history?: string | false;
  /** Told each phase as it starts (the CLI draws it on stderr); default silent. */
  progress?: Progress;
  /** Read snapshot paths that resolve outside the inventory's folder (src/input/snapshot-path.ts). */
  allowOutsideSnapshots?: boolean;
}

export interface RunOutcome {
  report: RunReport;
  outDir: string;
  html: HtmlOutcome | { ok: false; reason: string; skipped: true };
  internalErrors: string[];
  /** SHA-256 of evidence/manifest.json: quote it, and `hostproof verify --expect` proves the report unchanged. */
  manifestSha256: string;
  historyDir?: string;
  /** Things about history that went wrong after the report was in place: warnings, not failures. */
  warnings: string[];
}

export async function runEstate(options: RunOptions): Promise<RunOutcome> {
  const startedAt = new Date();
  const t0 = performance.now();
  const progress = options.progress ?? noProgress;
  try {
    return await runPhases(options, progress, startedAt, t0);
  } finally {
    progress.end();
  }
}

function plural(n: number, word: string): string {
  return `${n.toLocaleString("en-US")} ${word}${n === 1 ? "" : "s"}`;
}

async function runPhases(options: RunOptions, progress: Progress, startedAt: Date, t0: number): Promise<RunOutcome> {
  checkReplaceable(options.out);
  const loaded = loadInventory(resolve(options.inventory), options.inventory);
  const { hosts } = loaded.inventory;
  const estateCounts = `${plural(hosts.length, "host")}, ${plural((loaded.inventory.clusters ?? []).length, "cluster")}`;
  progress.phase("load", estateCounts);
  // Read before any host is contacted and before the staging folder exists: a bad waiver file
  // stops the run with nothing collected and nothing written.
  const waiverFile = options.waivers !== undefined ? loadWaivers(resolve(options.waivers), options.waivers, loadControlCatalog().map((c) => c.id)) : undefined;
  // Hosts with a live transport are read first, once each, for exactly the probes the selected
  // controls need; a host that cannot be read comes back with every probe saying why.
  const liveHosts = hosts.filter(isLive).length;
  if (liveHosts > 0) progress.phase("collect", `${plural(liveHosts, "live host")}, one PowerShell round trip each`);
  const probes = liveHosts > 0 ? planProbes(options.tags).probes : [];
  const collection = await collectEstate(loaded, { probes, collectorVersion: VERSION, reader: options.reader });
  const estate = buildEstate(loaded, options.asOf, collection.snapshots, options.allowOutsideSnapshots);
  const historyDir = options.history === false ? undefined : (options.history ?? defaultHistoryDir(options.out));
  const warnings: string[] = [];
  const previous = historyDir !== undefined ? readDriftBaseline(historyDir) : {};
  if (previous.unreadable !== undefined) warnings.push(`the previous run's results could not be read (${previous.unreadable}); drift is not reported`);
  const t1 = performance.now();

  // Said, not silent: a killed run's folder can be hundreds of megabytes the user wondered about.
  warnings.push(...sweepStaleStaging(options.out));
  const staging = openStaging(options.out);
  try {
    progress.phase("judge", estateCounts);
    const run = await runControls({ estate, tags: options.tags, messagesFile: join(staging, MESSAGES_FILE) });
    if (run.brokenSteps.length > 0) throw new Error(`hostproof's own features could not run: ${run.brokenSteps.join("; ")}`);
    const t2 = performance.now();

    const warnDays = options.waiverWarnDays ?? DEFAULT_WARN_DAYS;
    const { results, notices } = waiverFile !== undefined ? applyWaivers(run.results, waiverFile.waivers, options.asOf, warnDays) : { results: run.results, notices: [] };
    const { verdict, exitCode } = verdictOf(results, options.failOn);
    const report: RunReport = {
      tool: { name: "hostproof", version: VERSION },
      estate: estate.name,
      inventoryFile: displayPath(options.inventory),
      startedAt: startedAt.toISOString(),
      finishedAt: startedAt.toISOString(),
      asOf: options.asOf.toISOString().slice(0, 10),
      tags: options.tags,
      failOn: options.failOn,
      verdict,
      exitCode,
      totals: countStatuses(results),
      controls: run.controls,
      hosts: estate.hosts.map((h) => h.record),
      clusters: estate.clusters.map((c) => c.cluster),
      results,
      ...(waiverFile !== undefined ? { waivers: { file: displayPath(waiverFile.file), warnDays, waivers: waiverFile.waivers, notices } } : {}),
      timings: { loadMs: Math.round(t1 - t0), judgeMs: Math.round(t2 - t1), writeMs: 0, reportMs: 0 },
    };

    progress.phase("write", `${plural(results.length, "result")}: summary, JUnit, Allure results, evidence`);
    report.drift = driftBetween(previous.baseline, report.results);
    markReport(staging, `hostproof ${VERSION} report of ${report.inventoryFile}, started ${report.startedAt}`);
    writeJunit(staging, report);
    const resultsDir = join(staging, ALLURE_RESULTS_DIR);
    const environment = runEnvironment({ version: VERSION, featuresDir: FEATURES_DIR, inventoryFile: resolve(options.inventory), startedAt: report.startedAt });
    writeAllureResults(resultsDir, report, undefined, environment);
    writeExecutor(
      resultsDir,
      executorFromEnv(process.env, {
        reportName: `hostproof: ${report.estate ?? report.inventoryFile}`,
        reportUrl: process.env.HOSTPROOF_REPORT_URL,
        localBuildOrder: historyDir !== undefined ? nextBuildOrder(historyDir) : undefined,
      }),
    );
    keepSnapshots(staging, report);
    const t3 = performance.now();
    report.timings.writeMs = Math.round(t3 - t2);

    // Allure draws its Trend and per-result History from the previous report's history files.
    if (options.html && historyDir !== undefined) seedHistory(historyDir, resultsDir);
    if (options.html) {
      const large = htmlSizeWarning(report.results.length);
      if (large !== undefined) progress.note(large);
      progress.phase("html", `Allure single-file report of ${plural(report.results.length, "result")} (Java)`);
    }
    const html: RunOutcome["html"] = options.html
      ? await generateAllureHtml(join(staging, ALLURE_RESULTS_DIR), join(staging, ALLURE_REPORT_DIR), {
          results: report.results.length,
          name: `hostproof: ${report.estate ?? report.inventoryFile}`,
        })
      : { ok: false, reason: "--no-html was given", skipped: true };
    report.timings.reportMs = Math.round(performance.now() - t3);
    report.finishedAt = new Date().toISOString();
    // Written last so that it carries every phase's timing; the manifest after it, over everything.
    writeSummary(staging, report);
    writeSummaryMarkdown(staging, report, report.drift);
    const { manifestSha256 } = writeManifest(staging, { version: VERSION });

    commitStaging(staging, options.out);
    if (historyDir !== undefined) keepHistory(historyDir, resolve(options.out), html.ok, report, warnings);
    return { report, outDir: resolve(options.out), html, internalErrors: run.internalErrors, manifestSha256, historyDir, warnings };
  } catch (err) {
    discardStaging(staging);
    throw err;
  }
}

/**
 * The report is already in place: a history that cannot be saved costs the next run its trend and
 * drift, not this run its report, so it is a warning.
 */
function keepHistory(historyDir: string, outDir: string, htmlMade: boolean, report: RunReport, warnings: string[]): void {
  try {
    if (htmlMade) {
      const saved = saveHistory(join(outDir, ALLURE_REPORT_DIR), historyDir);
      if ("reason" in saved) warnings.push(`Allure history not kept: ${saved.reason}`);
    }
    saveDriftBaseline(historyDir, report.startedAt, report.results);
  } catch (err) {
    warnings.push(`history not kept in ${historyDir}: ${(err as Error).message}`);
  }
}

/** Paths in the report are relative to where hostproof ran, as a reader of the CI log saw them. */
function displayPath(file: string): string {
  return relative(process.cwd(), resolve(file)) || file;
}

/**
 * The snapshots judged are kept beside the report, so that the verdict can be re-checked from it:
 * a snapshot file byte for byte, a snapshot collected live as the document that was judged.
 */
function keepSnapshots(staging: string, report: RunReport): void {
  const dir = join(staging, "evidence", "snapshots");
  mkdirSync(dir, { recursive: true });
  for (const h of report.hosts) {
    const to = join(dir, hostFileName(h.name));
    // Read again as a regular file within the size limit: the path may have changed since it was judged.
    if (h.snapshotFile) writeFileSync(to, readRegularFile(resolve(h.snapshotFile), h.snapshotFile, "snapshot"));
    else writeFileSync(to, `${JSON.stringify(h.snapshot, null, 2)}\n`);
  }
}
