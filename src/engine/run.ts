/**
 * `hostproof run`: load and validate the estate, judge it through the features, write every output
 * into a staging folder and put it in place only when all of it is written.
 */
import { join, relative, resolve } from "node:path";
import { InputError, type InputProblem } from "../errors";
import { loadInventory, type LoadedInventory } from "../input/inventory";
import type { Snapshot } from "../model/snapshot";
import type { ControlMeta, Result } from "../model/result";
import type { Severity } from "../model/severity";
import { generateAllureHtml, ALLURE_REPORT_DIR, type HtmlOutcome } from "../report/allure-html";
import { ALLURE_RESULTS_DIR, allureEnvironment } from "../report/allure-results";
import type { RunDigest } from "../report/digest";
import { DriftTracker } from "../report/drift";
import { checkReplaceable, commitStaging, discardStaging, openStaging } from "../report/output-dir";
import { htmlSizeWarning, noProgress, type Progress } from "../report/progress";
import { RunWriter } from "../report/run-writer";
import { PAGES_DIR } from "../report/pages/writer";
import { sweepStaleStaging } from "../report/staging";
import { summaryWaivers } from "../report/summary";
import { VERSION } from "../version";
import { collectEstate, isLive } from "../collect/collect-estate";
import type { HostReader } from "../collect/collect-hosts";
import { planProbes } from "../controls/probe-plan";
import type { FeatureFile } from "../controls/feature-set";
import { DEFAULT_WARN_DAYS, waiverApplier, type WaiverApplier } from "../waivers/apply";
import { loadWaivers } from "../waivers/load";
import { FEATURES_DIR, loadFeatureCatalog } from "../controls/catalog";
import { runEnvironment } from "../report/environment";
import { executorFromEnv, writeExecutor } from "../report/executor";
import { defaultHistoryDir, DRIFT_BASELINE_FILE, DriftBaselineWriter, nextBuildOrder, readDriftBaseline, saveHistory, seedHistory } from "../report/history";
import { runControls } from "./cucumber";
import { buildEstate } from "./estate";
import { planSlices } from "./slices";
import { verdictFrom } from "./verdict";

export { MESSAGES_FILE } from "../report/run-writer";

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
  /**
   * Which HTML report, when `html`: Allure's single file, the browsable pages (report/pages/), or
   * (auto, the default) the single file up to PAGES_ABOVE_HOSTS hosts and the pages above.
   */
  htmlStyle?: HtmlStyle;
  /** Folders of .feature files added to the built-in controls (`--features`, repeatable). */
  features?: string[];
  /** False drops the built-in controls (`--no-builtin`); default true. */
  builtin?: boolean;
  /** Hosts per slice (engine/slices.ts); default SLICE_HOSTS. Smaller holds less in memory, at a Cucumber run per slice. */
  sliceHosts?: number;
}

export type HtmlStyle = "single" | "pages" | "auto";

/**
 * Allure's single file stops being a report anyone can open well before this: at 5,000 hosts it
 * took 32 s and 1.9 GiB of Java to make, 648 MB, and Chromium was still loading it after 300 s.
 */
export const PAGES_ABOVE_HOSTS = 2000;

export interface RunOutcome {
  /** The run's facts and a bounded digest of its results: the results themselves are in the files. */
  report: RunDigest;
  outDir: string;
  html: HtmlOutcome | { ok: false; reason: string; skipped: true } | { ok: true; pages: string };
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
  // Linted before anything is read or collected: a broken control stops the run with exit 3.
  const catalog = loadFeatureCatalog({ folders: options.features, builtin: options.builtin });
  const loaded = loadInventory(resolve(options.inventory), options.inventory);
  const inv = loaded.inventory;
  const estateCounts = `${plural(inv.hosts.length, "host")}, ${plural((inv.clusters ?? []).length, "cluster")}`;
  progress.phase("load", estateCounts);
  // Read before any host is contacted and before the staging folder exists: a bad waiver file
  // stops the run with nothing collected and nothing written.
  const waiverFile = options.waivers !== undefined ? loadWaivers(resolve(options.waivers), options.waivers, catalog.controls.map((c) => c.id)) : undefined;
  // Hosts with a live transport are read first, once each, for exactly the probes the selected
  // controls need; a host that cannot be read comes back with every probe saying why.
  const liveHosts = inv.hosts.filter(isLive).length;
  if (liveHosts > 0) progress.phase("collect", `${plural(liveHosts, "live host")}, one PowerShell round trip each`);
  const plan = liveHosts > 0 ? planProbes(options.tags, catalog) : { probes: [], generic: [] };
  const collection = await collectEstate(loaded, { probes: plan.probes, generic: plan.generic, collectorVersion: VERSION, reader: options.reader });
  const historyDir = options.history === false ? undefined : (options.history ?? defaultHistoryDir(options.out));
  const warnings: string[] = [];
  const previous = historyDir !== undefined ? readDriftBaseline(historyDir) : {};
  if (previous.unreadable !== undefined) warnings.push(`the previous run's results could not be read (${previous.unreadable}); drift is not reported`);
  const t1 = performance.now();

  // Said, not silent: a killed run's folder can be hundreds of megabytes the user wondered about.
  warnings.push(...sweepStaleStaging(options.out));
  const staging = openStaging(options.out);
  let baseline: DriftBaselineWriter | undefined;
  let writer: RunWriter | undefined;
  try {
    const head = {
      tool: { name: "hostproof" as const, version: VERSION },
      estate: inv.name,
      inventoryFile: displayPath(options.inventory),
      startedAt: startedAt.toISOString(),
      asOf: options.asOf.toISOString().slice(0, 10),
      tags: options.tags,
      failOn: options.failOn,
    };
    const style = htmlStyleFor(options, inv.hosts.length);
    writer = new RunWriter(staging, head, inv.hosts.length + (inv.clusters ?? []).length, style === "pages");
    const warnDays = options.waiverWarnDays ?? DEFAULT_WARN_DAYS;
    const waivers = waiverFile !== undefined ? waiverApplier(waiverFile.waivers, options.asOf, warnDays) : undefined;
    const drift = new DriftTracker(previous.baseline);
    baseline = historyDir !== undefined ? new DriftBaselineWriter(join(staging, `.${DRIFT_BASELINE_FILE}`), head.startedAt) : undefined;

    // One slice at a time: loaded, judged by Cucumber, written, dropped (engine/slices.ts).
    progress.phase("judge", estateCounts);
    const onResults = (results: Result[]): void => {
      drift.add(results);
      baseline?.add(results);
    };
    const { controls, internalErrors, judgeMs, sliceLoadMs } = await streamSlices(loaded, options, catalog.files, collection.snapshots, onResults, writer, waivers);

    const totals = writer.digest.totals;
    progress.phase("write", `${plural(totals.total, "result")}: summary, JUnit, Allure results, evidence`);
    const { verdict, exitCode } = verdictFrom(totals, writer.digest.failedBySeverity, options.failOn);
    const environment = runEnvironment({
      version: VERSION,
      featuresDir: FEATURES_DIR,
      userFeatures: catalog.files.filter((f) => f.origin !== "built-in"),
      builtin: catalog.files.some((f) => f.origin === "built-in"),
      inventoryFile: resolve(options.inventory),
      startedAt: head.startedAt,
    });
    const waiverReport = waiverFile !== undefined && waivers !== undefined ? { file: displayPath(waiverFile.file), warnDays, waivers: waiverFile.waivers, notices: waivers.notices() } : undefined;
    const resultsDir = join(staging, ALLURE_RESULTS_DIR);
    await writer.finishResults({ ...allureEnvironment({ ...head, ...(waiverReport !== undefined ? { waivers: waiverReport } : {}) }), ...environment }, inv.name);
    writeExecutor(
      resultsDir,
      executorFromEnv(process.env, {
        reportName: `hostproof: ${inv.name ?? head.inventoryFile}`,
        reportUrl: process.env.HOSTPROOF_REPORT_URL,
        localBuildOrder: historyDir !== undefined ? nextBuildOrder(historyDir) : undefined,
      }),
    );
    const t3 = performance.now();

    // Allure draws its Trend and per-result History from the previous report's history files.
    if (style === "single" && historyDir !== undefined) seedHistory(historyDir, resultsDir);
    if (style === "single") {
      const large = htmlSizeWarning(totals.total);
      if (large !== undefined) progress.note(large);
      progress.phase("html", `Allure single-file report of ${plural(totals.total, "result")} (Java)`);
    }
    const html: RunOutcome["html"] =
      style === "pages"
        ? { ok: true, pages: join(resolve(options.out), PAGES_DIR, "index.html") }
        : style === "single"
      ? await generateAllureHtml(resultsDir, join(staging, ALLURE_REPORT_DIR), { results: totals.total, name: `hostproof: ${inv.name ?? head.inventoryFile}` })
      : { ok: false, reason: "--no-html was given", skipped: true };

    const report: RunDigest = writer.digest.finish(
      {
        ...head,
        finishedAt: new Date().toISOString(),
        verdict,
        exitCode,
        totals,
        controls: controls ?? [],
        ...(waiverReport !== undefined ? { waivers: waiverReport } : {}),
        drift: drift.finish(),
        // The phases interleave slice by slice: each is the sum of its share of every slice.
        timings: { loadMs: Math.round(t1 - t0 + sliceLoadMs), judgeMs: Math.round(judgeMs), writeMs: Math.round(t3 - t1 - judgeMs - sliceLoadMs), reportMs: Math.round(performance.now() - t3) },
      },
      { hosts: inv.hosts.length, clusters: (inv.clusters ?? []).length },
      (controls ?? []).map((c) => c.id),
    );
    // Written last so that it carries every phase's timing; the manifest after it, over everything.
    const manifestSha256 = writer.finish(
      {
        controls: report.controls.map(({ id, title, severity, feature, featureName, origin, tags }) => ({ id, title, severity, feature, featureName, origin, tags })),
        clusters: (inv.clusters ?? []).map((c) => ({ name: c.name, type: c.type, nodes: c.nodes })),
        verdict,
        exitCode,
        totals,
        totalsBySeverity: writer.digest.failedBySeverity,
        ...(waiverReport !== undefined ? { waivers: summaryWaivers(waiverReport, writer.digest.waived) } : {}),
        drift: report.drift,
        timings: report.timings,
        finishedAt: report.finishedAt,
      },
      report,
      { recordTrees: [`${ALLURE_RESULTS_DIR}/executor.json`, `${ALLURE_RESULTS_DIR}/history`, ALLURE_REPORT_DIR] },
    );

    const historyKept = historyDir !== undefined && baseline !== undefined && stageBaseline(baseline, historyDir, warnings);
    commitStaging(staging, options.out);
    if (historyKept) keepHistory(historyDir, resolve(options.out), style === "single" && html.ok, baseline!, warnings);
    return { report, outDir: resolve(options.out), html, internalErrors, manifestSha256, historyDir, warnings };
  } catch (err) {
    await writer?.abort();
    baseline?.discard();
    discardStaging(staging);
    throw err;
  }
}

function htmlStyleFor(options: RunOptions, hosts: number): "single" | "pages" | undefined {
  if (!options.html) return undefined;
  if (options.htmlStyle === "single" || options.htmlStyle === "pages") return options.htmlStyle;
  return hosts > PAGES_ABOVE_HOSTS ? "pages" : "single";
}

interface Streamed {
  /** The controls that ran, from the first slice (every slice runs the same ones). */
  controls: ControlMeta[] | undefined;
  internalErrors: string[];
  judgeMs: number;
  sliceLoadMs: number;
}

/**
 * Loads, judges and writes the estate slice by slice. Every bad snapshot of the estate is
 * reported at once: after the first, the remaining slices are still read, but not judged.
 */
async function streamSlices(
  loaded: LoadedInventory,
  options: RunOptions,
  features: readonly FeatureFile[],
  collected: ReadonlyMap<string, Snapshot>,
  onResults: (results: Result[]) => void,
  writer: RunWriter,
  waivers: WaiverApplier | undefined,
): Promise<Streamed> {
  const problems: InputProblem[] = [];
  const out: Streamed = { controls: undefined, internalErrors: [], judgeMs: 0, sliceLoadMs: 0 };
  for (const slice of planSlices(loaded.inventory, options.sliceHosts)) {
    let estate;
    const tl = performance.now();
    try {
      estate = buildEstate(loaded, options.asOf, collected, options.allowOutsideSnapshots, slice);
    } catch (err) {
      if (!(err instanceof InputError)) throw err;
      problems.push(...err.problems);
      continue;
    }
    if (problems.length > 0) continue;
    const tj = performance.now();
    out.sliceLoadMs += tj - tl;
    const run = await runControls({ estate, tags: options.tags, features, onMessage: writer.message });
    out.judgeMs += performance.now() - tj;
    if (run.brokenSteps.length > 0) throw new Error(`the features could not run: ${run.brokenSteps.join("; ")}`);
    out.controls ??= run.controls;
    out.internalErrors.push(...run.internalErrors);
    const results = waivers !== undefined ? run.results.map(waivers.apply) : run.results;
    await writer.addSlice({ hosts: estate.hosts.map((h) => h.record), clusters: estate.clusters.map((c) => c.cluster), results });
    onResults(results);
  }
  if (problems.length > 0) throw new InputError(problems);
  return out;
}

/** A history folder that cannot be written costs the next run its drift: a warning, not a failure. */
function stageBaseline(baseline: DriftBaselineWriter, historyDir: string, warnings: string[]): boolean {
  try {
    baseline.stage(historyDir);
    return true;
  } catch (err) {
    baseline.discard();
    warnings.push(`history not kept in ${historyDir}: ${(err as Error).message}`);
    return false;
  }
}

/**
 * The report is already in place: a history that cannot be saved costs the next run its trend and
 * drift, not this run its report, so it is a warning.
 */
function keepHistory(historyDir: string, outDir: string, htmlMade: boolean, baseline: DriftBaselineWriter, warnings: string[]): void {
  try {
    if (htmlMade) {
      const saved = saveHistory(join(outDir, ALLURE_REPORT_DIR), historyDir);
      if ("reason" in saved) warnings.push(`Allure history not kept: ${saved.reason}`);
    }
    baseline.commit(historyDir);
  } catch (err) {
    warnings.push(`history not kept in ${historyDir}: ${(err as Error).message}`);
  }
}

/** Paths in the report are relative to where hostproof ran, as a reader of the CI log saw them. */
function displayPath(file: string): string {
  return relative(process.cwd(), resolve(file)) || file;
}
