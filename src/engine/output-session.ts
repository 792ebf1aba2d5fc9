/**
 * Writing a run's outputs, for `run` and `merge` alike: a staging folder beside --out, every
 * output streamed into it slice by slice (report/run-writer.ts), drift and its baseline gathered
 * on the way, then the verdict, Allure's HTML, summary.json, the manifest, and the folder put in
 * place only when all of it is written. What a run judges and what a merge reads from its shards
 * go through the same code, which is what makes a merge identical to one run over the estate.
 */
import { checkedEnv, REPORT_URL } from "../input/env-vars";
import { join, resolve } from "node:path";
import type { ManifestShard } from "../evidence/manifest";
import type { ControlMeta } from "../model/result";
import type { InventoryCluster } from "../model/inventory";
import type { PhaseTimings } from "../model/run";
import type { Severity } from "../model/severity";
import type { WaiverReport } from "../model/waiver";
import { allureReportName, ALLURE_REPORT_DIR, type HtmlOutcome } from "../report/formats/allure/allure-html";
import { allureEnvironment } from "../report/formats/allure/allure-results";
import type { EnvironmentInfo } from "../report/formats/allure/allure-sdk";
import type { RunDigest } from "../report/bookkeeping/digest";
import { DriftTracker } from "../report/bookkeeping/drift";
import { executorFromEnv } from "../report/bookkeeping/executor";
import { defaultHistoryDir as defaultHistoryDirFor, DRIFT_BASELINE_FILE, DriftBaselineWriter, nextBuildOrder, readDriftBaseline, saveHistory, sweepBaselineDebris } from "../report/bookkeeping/history";
import { checkFolderPath, checkReplaceable, commitStaging, discardStaging, openStaging, REPORT_MARKER } from "../report/output/output-dir";
import { lockFolder, lockFolderWaiting, type FolderLock } from "../report/output/folder-lock";
import { checkNotInsideWritten, checkOutputsApart, type OwnInput, type OwnOutput } from "../report/output/own-inputs";
import { REGISTRY, type FormatRegistry } from "../report/formats";
import { formatsForRun, type ChosenFormats } from "../report/formats/choose";
import type { EndView, Format, FormatOutcome, HtmlStyle as FormatHtml } from "../report/formats/format";
import type { Progress } from "../model/progress";
import { RunWriter, type RunSlice } from "../report/run-writer";
import { sweepStaleStaging } from "../report/output/staging";
import { summaryControl, summaryWaivers, type SummaryHead, type SummaryTail } from "../report/formats/summary";
import { verdictFrom } from "./verdict";
import { writeSignature, type Signed } from "../sign/attestation";
import type { SigningKey } from "../sign/keys";
import { buildStatement, ciRunUrl, type ResourceDescriptor } from "../sign/statement";

export type HtmlStyle = "single" | "pages" | "auto";

/** What run and merge are asked to write, besides the record: their command lines' report options. */
export interface OutputChoice {
  /** false: no HTML report (--no-html). */
  html: boolean;
  /**
   * Which HTML report, when `html`: Allure's single file, the browsable pages (report/formats/pages/),
   * or (auto, the default) the single file up to LARGE_ESTATE_HOSTS hosts and the pages above.
   */
  htmlStyle?: HtmlStyle;
  /** Formats written besides the estate size's defaults (--export). */
  export?: readonly string[];
  /** Default formats left out (--no-export). */
  noExport?: readonly string[];
}

/** The formats a run or merge of `hosts` hosts writes; a request that cannot be met is exit 3. */
export function chooseOutputs(choice: OutputChoice, hosts: number, registry: FormatRegistry = REGISTRY): ChosenFormats {
  return formatsForRun(registry, { html: choice.html ? (choice.htmlStyle ?? "auto") : false, add: choice.export ?? [], drop: choice.noExport ?? [] }, hosts);
}

/** How long a run waits for another run to finish updating a history folder they share. */
const HISTORY_WAIT_MS = 10 * 60_000;

export interface RunOutcome {
  /** The run's facts and a bounded digest of its results: the results themselves are in the files. */
  report: RunDigest;
  outDir: string;
  /** The formats written, in the registry's order. */
  formats: readonly Format[];
  /** The registry's formats not written (the HTML report aside): `hostproof export` makes them from this report. */
  left: readonly Format[];
  html: HtmlOutcome | { ok: false; reason: string; skipped: true } | { ok: true; pages: string };
  internalErrors: string[];
  /** SHA-256 of evidence/manifest.json: quote it, and `hostproof verify --expect` proves the report unchanged. */
  manifestSha256: string;
  historyDir?: string;
  /** Things about history that went wrong after the report was in place, and what formats said of what they wrote: warnings, not failures. */
  warnings: string[];
  /** With --sign-key: the key that signed and the signature files written. */
  signed?: Signed;
}

export interface SessionOptions {
  out: string;
  head: SummaryHead;
  hosts: number;
  clusters: number;
  /** The formats to write (report/formats/choose.ts: formatsForRun), chosen before anything was read. */
  chosen: ChosenFormats;
  /** Where Allure's history and the drift baseline are kept; false keeps none. Default beside --out. */
  history?: string | false;
  progress: Progress;
  /** Signs the report (attestation.intoto.jsonl, and the manifest's SSH signature with an OpenSSH key). */
  signingKey?: SigningKey;
  /** The formats there are, which the manifest covers (default: report/formats/index.ts's); a test adds its own. */
  registry?: FormatRegistry;
}

export interface SessionEnd {
  controls: readonly ControlMeta[];
  clusters: readonly InventoryCluster[];
  failOn: Severity | "any";
  /** Allure's Environment panel: hostproof's facts about the features and who ran them. */
  environment: EnvironmentInfo;
  waivers?: WaiverReport;
  internalErrors: string[];
  /** Given the time the results were written, the phases' timings for summary.json. */
  timings: (resultsWrittenAt: number) => PhaseTimings;
  /** Written into the staging folder just before the manifest, and covered by it. */
  extra?: (writer: RunWriter) => void;
  /** The shards a merged report was made from: their manifests' digests, in the manifest. */
  shards?: ManifestShard[];
  /** What the report was made from, each with its digest: the signed attestation's `configuration`. */
  configuration: ResourceDescriptor[];
}

/** The lock a command holds on its --out from its checks to its end (report/output/folder-lock.ts). */
export interface OutputClaim {
  lock?: FolderLock;
}

/**
 * Before anything is written: --out and the history folder apart from every input the command
 * reads (report/output/own-inputs.ts), --out a folder that may be replaced, then --out locked against a
 * second writer. The caller releases `claim.lock` on its way out, whichever way that is.
 */
export function claimOutput(claim: OutputClaim, options: { out: string; history: string | false | undefined; command: string; inputs: OwnInput[] }): void {
  const history = options.history === false ? undefined : (options.history ?? defaultHistoryDirFor(options.out));
  const outputs: OwnOutput[] = [{ path: options.out, shown: options.out, flag: "--out" }];
  if (history !== undefined) outputs.push({ path: history, shown: options.history === undefined ? `${history} (the default history folder)` : history, flag: "--history", effect: "hostproof writes its history files there" });
  const fix = "Write the report to a folder of its own, apart from every input, e.g. --out reports (and --history, if given, beside it).";
  checkFolderPath(options.out, "--out");
  if (history !== undefined) checkFolderPath(history, "--history", options.history === undefined ? `${history} (the default history folder)` : history);
  checkOutputsApart(outputs, options.inputs, fix);
  checkNotInsideWritten(outputs, REPORT_MARKER, fix);
  checkReplaceable(options.out);
  claim.lock = lockFolder(options.out, options.command, "--out");
}

export class OutputSession {
  readonly writer: RunWriter;
  readonly warnings: string[] = [];
  readonly historyDir: string | undefined;
  private readonly staging: string;
  private readonly style: FormatHtml | undefined;
  private readonly formats: readonly Format[];
  private readonly drift: DriftTracker;
  private readonly baseline: DriftBaselineWriter | undefined;
  private historyLock: FolderLock | undefined;

  /** Checks --out before anything is read, so a folder that is not a report is refused first. */
  static check(out: string): void {
    checkReplaceable(out);
  }

  constructor(private readonly options: SessionOptions) {
    this.historyDir = options.history === false ? undefined : (options.history ?? defaultHistoryDirFor(options.out));
    const previous = this.historyDir !== undefined ? readDriftBaseline(this.historyDir) : {};
    if (previous.unreadable !== undefined) this.warnings.push(`the previous run's results could not be read (${previous.unreadable}); drift is not reported`);
    // Said, not silent: a killed run's folder can be hundreds of megabytes the user wondered about.
    this.warnings.push(...sweepStaleStaging(options.out));
    this.staging = openStaging(options.out);
    this.style = options.chosen.html;
    this.formats = options.chosen.formats;
    const registry = options.registry ?? REGISTRY;
    this.writer = new RunWriter(this.staging, options.head, { targets: { hosts: options.hosts, clusters: options.clusters }, formats: this.formats, coverage: registry.formats, progress: options.progress, ...(options.signingKey !== undefined ? { signer: options.signingKey.keyid } : {}) });
    this.drift = new DriftTracker(previous.baseline);
    this.baseline = this.historyDir !== undefined ? new DriftBaselineWriter(join(this.staging, `.${DRIFT_BASELINE_FILE}`), options.head.startedAt) : undefined;
  }

  async add(slice: RunSlice): Promise<void> {
    await this.writer.addSlice(slice);
    this.drift.add(slice.results);
    this.baseline?.add(slice.results);
  }

  async finish(end: SessionEnd): Promise<RunOutcome> {
    const { head, progress } = this.options;
    const history = await this.lockHistory();
    const writer = this.writer;
    const totals = writer.digest.totals;
    progress.phase("write", `${plural(totals.total, "result")} into ${plural(this.formats.length, "format")} and the evidence`);
    const { verdict, exitCode } = verdictFrom(totals, writer.digest.failedBySeverity, end.failOn);
    const waiverReport = end.waivers;
    const environment = { ...allureEnvironment({ ...head, ...(waiverReport !== undefined ? { waivers: waiverReport } : {}) }), ...end.environment };
    const executor = executorFromEnv(process.env, {
      reportName: allureReportName(head),
      reportUrl: checkedEnv(REPORT_URL),
      localBuildOrder: history !== undefined ? nextBuildOrder(history) : undefined,
    });
    const controls = [...end.controls];
    const drift = this.drift.finish();
    // Written before the formats finish, and covered by the manifest.
    end.extra?.(writer);
    const t3 = performance.now();
    // Asked for again by each round of formats: the last round's times include Allure's HTML.
    const endView = (): EndView => {
      const report: RunDigest = writer.digest.finish(
        { ...head, finishedAt: new Date().toISOString(), verdict, exitCode, totals, controls, ...(waiverReport !== undefined ? { waivers: waiverReport } : {}), drift, timings: end.timings(t3) },
        { hosts: this.options.hosts, clusters: this.options.clusters },
        controls.map((c) => c.id),
      );
      const tail: SummaryTail = {
        controls: report.controls.map(summaryControl),
        clusters: end.clusters.map((c) => ({ name: c.name, type: c.type, nodes: c.nodes })),
        verdict,
        exitCode,
        totals,
        totalsBySeverity: writer.digest.failedBySeverity,
        ...(waiverReport !== undefined ? { waivers: summaryWaivers(waiverReport, writer.digest.waived) } : {}),
        drift: report.drift,
        timings: report.timings,
        finishedAt: report.finishedAt,
      };
      return { digest: report, tail, environment, executor, ...(history !== undefined ? { history } : {}), ...(end.shards !== undefined ? { shards: end.shards } : {}) };
    };
    const { manifestSha256, summarySha256, end: written, outcomes } = await writer.finish(endView, end.shards !== undefined ? { shards: end.shards } : {});
    const report = written.digest;
    const html = this.htmlOutcome(outcomes);
    // What a format says of what it wrote (ckl: hosts without a checklist), as export says it; the
    // HTML report's own outcome is printed apart.
    const htmlFormat = this.formats.find((f) => f.html !== undefined && f.html === this.style)?.name;
    for (const [name, outcome] of outcomes) if (outcome.ok && outcome.warning !== undefined && name !== htmlFormat) this.warnings.push(`${name}: ${outcome.warning}`);

    const key = this.options.signingKey;
    const signed = key === undefined ? undefined : writeSignature(this.staging, key, buildStatement({ manifestSha256, summarySha256, verdict, perControl: report.perControl, configuration: end.configuration, url: ciRunUrl(process.env) }));
    const historyKept = history !== undefined && this.baseline !== undefined && this.stageBaseline(history);
    commitStaging(this.staging, this.options.out);
    if (historyKept) this.keepHistory(history, resolve(this.options.out), this.style === "single" && html.ok);
    this.historyLock?.release();
    return { report, outDir: resolve(this.options.out), formats: this.formats, left: this.options.chosen.left, html, internalErrors: end.internalErrors, manifestSha256, historyDir: this.historyDir, warnings: this.warnings, ...(signed !== undefined ? { signed } : {}) };
  }

  /** The HTML report's outcome: the browsable pages, Allure's single file (or why not), or none. */
  private htmlOutcome(outcomes: ReadonlyMap<string, FormatOutcome>): RunOutcome["html"] {
    const format = this.formats.find((f) => f.html !== undefined && f.html === this.style);
    if (format === undefined) return { ok: false, reason: "none was asked for (--no-html, or --no-export of the HTML report)", skipped: true };
    const outcome = outcomes.get(format.name) ?? { ok: true };
    if (!outcome.ok || format.html !== "pages") return outcome;
    return { ok: true, pages: join(resolve(this.options.out), format.opens ?? format.files[0]!) };
  }

  /** On a failed run or merge: nothing of it stays behind. */
  async abort(): Promise<void> {
    this.historyLock?.release();
    await this.writer.abort();
    this.baseline?.discard();
    discardStaging(this.staging);
  }

  /**
   * Two runs sharing a history folder each read it, add their run and save it; unlocked, the second
   * save drops the first run's entry. So from reading the build order to saving, one run at a time
   * (the lock is held for Allure's HTML, which is what extends the history). A run that waited
   * HISTORY_WAIT_MS in vain keeps no history this time and says so: the report does not depend on it.
   */
  private async lockHistory(): Promise<string | undefined> {
    const dir = this.historyDir;
    if (dir === undefined) return undefined;
    let got: Awaited<ReturnType<typeof lockFolderWaiting>>;
    try {
      got = await lockFolderWaiting(dir, "history update", HISTORY_WAIT_MS, (m) => this.options.progress.note(`hostproof: ${m}`));
    } catch (err) {
      got = { timedOut: (err as Error).message };
    }
    if ("timedOut" in got) {
      this.warnings.push(`history not kept in ${dir}: ${got.timedOut}`);
      this.baseline?.discard();
      return undefined;
    }
    this.historyLock = got;
    this.warnings.push(...got.notes, ...sweepBaselineDebris(dir));
    return dir;
  }

  /** A history folder that cannot be written costs the next run its drift: a warning, not a failure. */
  private stageBaseline(historyDir: string): boolean {
    try {
      this.baseline!.stage(historyDir);
      return true;
    } catch (err) {
      this.baseline!.discard();
      this.warnings.push(`history not kept in ${historyDir}: ${(err as Error).message}`);
      return false;
    }
  }

  /**
   * The report is already in place: a history that cannot be saved costs the next run its trend and
   * drift, not this run its report, so it is a warning.
   */
  private keepHistory(historyDir: string, outDir: string, htmlMade: boolean): void {
    try {
      if (htmlMade) {
        const saved = saveHistory(join(outDir, ALLURE_REPORT_DIR), historyDir);
        if ("reason" in saved) this.warnings.push(`Allure history not kept: ${saved.reason}`);
      }
      this.baseline!.commit(historyDir);
    } catch (err) {
      this.warnings.push(`history not kept in ${historyDir}: ${(err as Error).message}`);
    }
  }
}

function plural(n: number, word: string): string {
  return `${n.toLocaleString("en-US")} ${word}${n === 1 ? "" : "s"}`;
}
