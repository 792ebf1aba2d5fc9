/**
 * `hostproof export <report> --format <name>...`: any format derived from a report's record, as
 * the run would have written it. The report is verified first (its manifest, and the report
 * against its own results): a tampered one is refused as verify refuses it. Then summary.json's
 * results are streamed back a slice at a time, with the hosts' kept snapshots, every byte read
 * checked against the manifest as it is read (evidence/read-once.ts), and fed to the formats
 * through the same FormatSet a run writes them with: the same bytes, apart from times.
 *
 * Written into a staging folder beside --out, put in place whole; --out is apart from the report,
 * so the report and its manifest stay as they were. Memory holds one slice, as a run does.
 */
import { writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { InputError } from "../errors";
import { verifyReport, type VerifyOutcome } from "../evidence/manifest";
import { requireListed, digestOf, HashedLines } from "../evidence/read-once";
import { hostFileName } from "../input/host-file-name";
import { loadSnapshotFile } from "../input/snapshot";
import type { InventoryCluster } from "../model/inventory";
import { noProgress, type Progress } from "../model/progress";
import type { ControlMeta, Result } from "../model/result";
import type { HostRecord } from "../model/run";
import { VERSION } from "../version";
import { claimOutput, type OutputClaim } from "../engine/output-session";
import { DigestBuilder } from "../report/bookkeeping/digest";
import { RUN_RECORD_FILE, type RunRecord } from "../report/bookkeeping/run-record";
import { SHARD_RECORD_FILE } from "../report/bookkeeping/shard-record";
import { FormatSet, sliceView } from "../report/format-set";
import { REGISTRY, type FormatRegistry } from "../report/formats";
import { formatsToExport } from "../report/formats/choose";
import type { EndView, Format, FormatContext, FormatOutcome } from "../report/formats/format";
import { SUMMARY_FILE, type SummaryTail } from "../report/formats/summary";
import { resultFromSummary, SummaryParser, type SummaryRest } from "../report/formats/summary-read";
import { commitStaging, discardStaging, markReport, openStaging } from "../report/output/output-dir";
import { sweepStaleStaging } from "../report/output/staging";
import { WriteQueue } from "../report/output/write-queue";
import { SNAPSHOTS_DIR } from "../report/record";
import { CHANGED_FIX, listedEntry, NOT_OURS_FIX, readRunRecord, readSummaryRest, summaryHead, waiverReport, type ReportSource } from "./record";

export interface ExportOptions {
  /** The report folder, as the user named it. */
  report: string;
  /** Format names (the registry's); each brings the formats it needs. */
  formats: readonly string[];
  /** Default: beside the report, `<report>-<names>`. */
  out?: string;
  /** The manifest's SHA-256 the report must have (as `verify --expect`). */
  expect?: string;
  progress?: Progress;
  registry?: FormatRegistry;
}

export type ExportOutcome =
  | { ok: true; outDir: string; formats: readonly Format[]; warnings: string[] }
  /** The report is not as it was written: nothing was exported. */
  | { ok: false; verified: VerifyOutcome; expected?: string };

/** The folder an export goes to when --out is not given: beside the report, never in it. */
export function defaultExportDir(report: string, names: readonly string[]): string {
  return `${resolve(report)}-${names.join("+")}`;
}

export async function exportReport(options: ExportOptions): Promise<ExportOutcome> {
  const progress = options.progress ?? noProgress;
  const registry = options.registry ?? REGISTRY;
  const formats = formatsToExport(registry, options.formats);
  const out = options.out ?? defaultExportDir(options.report, options.formats);
  const claim: OutputClaim = {};
  try {
    // --out in the report would add to what its manifest vouches for; the report in --out would be replaced.
    claimOutput(claim, { out, history: false, command: "export", inputs: [{ path: options.report, shown: options.report, what: "the report", folder: true }] });
    progress.phase("load", `verifying ${options.report}`);
    const dir = resolve(options.report);
    const verified = await verifyReport(dir, options.report, { keep: [RUN_RECORD_FILE, SHARD_RECORD_FILE] });
    if (!verified.ok || (options.expect !== undefined && verified.manifestSha256 !== options.expect)) return { ok: false, verified, ...(options.expect !== undefined ? { expected: options.expect } : {}) };
    const source: ReportSource = { dir, shown: options.report, listed: new Map(verified.manifest.files.map((f) => [f.path, f] as const)) };
    const rest = readSummaryRest(source);
    const record = readRunRecord(source, verified.kept, rest);
    const warnings = [...claim.lock!.notes, ...sweepStaleStaging(out)];
    const staging = openStaging(out);
    try {
      markReport(staging, `hostproof ${VERSION} export (${formats.map((f) => f.name).join(", ")}) of ${options.report}, manifest SHA-256 ${verified.manifestSha256}`);
      const outcomes = await writeFormats(staging, source, rest, record, formats, progress);
      for (const [name, outcome] of outcomes) {
        // Asked for by name, a format that could not be made fails the export, with nothing written.
        if (!outcome.ok) throw new InputError({ file: "command line", field: "--format", problem: `${name} could not be made: ${outcome.reason}`, fix: "Give this machine what that format needs, or export another format." });
        if (outcome.warning !== undefined) warnings.push(`${name}: ${outcome.warning}`);
      }
      commitStaging(staging, out);
    } catch (err) {
      discardStaging(staging);
      throw err;
    }
    return { ok: true, outDir: resolve(out), formats, warnings };
  } finally {
    claim.lock?.release();
    progress.end();
  }
}

async function writeFormats(staging: string, source: ReportSource, rest: SummaryRest, record: RunRecord, formats: readonly Format[], progress: Progress): Promise<Map<string, FormatOutcome>> {
  const head = summaryHead(rest);
  const queue = new WriteQueue();
  /** The current slice's kept snapshots, as read and checked: Allure's evidence attachments are these bytes. */
  const kept = new Map<string, Buffer>();
  const context: FormatContext = {
    dir: staging,
    head,
    targets: { hosts: rest.hosts.length, clusters: rest.clusters.length },
    progress,
    record: () => undefined,
    recordTree: async () => undefined,
    writeSmall: (rel, data) => writeFileSync(join(staging, rel), data),
    queue: queue.write,
    drain: () => queue.drain(),
    attachSnapshot(host, rel) {
      const raw = kept.get(host);
      if (raw === undefined) return false;
      queue.write(join(staging, rel), raw);
      return true;
    },
  };
  const set = new FormatSet(formats, context);
  const controls = new Map(record.controls.map((c) => [c.id, c] as const));
  // summary.json's cluster type is any text: the formats show it, none switches on it.
  const clusters = new Map(rest.clusters.map((c) => [c.name, c as InventoryCluster] as const));
  const digest = new DigestBuilder(rest.hosts.length + rest.clusters.length);
  const shown = `${source.shown}/${SUMMARY_FILE}`;
  const lines = new HashedLines(join(source.dir, SUMMARY_FILE));
  try {
    progress.phase("write", `${rest.totals.total.toLocaleString("en-US")} results of ${rest.hosts.length.toLocaleString("en-US")} hosts: ${formats.map((f) => f.name).join(", ")}`);
    const parser = new SummaryParser(shown, NOT_OURS_FIX);
    const next = (): Result | undefined => {
      for (let line = lines.line(); line !== undefined; line = lines.line()) {
        const r = parser.line(line);
        if (r === undefined) continue;
        const control = controls.get(r.controlId);
        if (control === undefined) throw new InputError({ file: shown, field: `results[${parser.count - 1}]`, problem: `a result of ${r.controlId}, which the run record's controls do not list`, fix: NOT_OURS_FIX });
        return resultFromSummary(r, control);
      }
      return undefined;
    };
    let h = 0;
    for (const slice of record.slices) {
      await queue.drain();
      kept.clear();
      const hosts = rest.hosts.slice(h, (h += slice.hosts)).map((host) => keptHost(source, host, kept));
      const sliceClusters: InventoryCluster[] = slice.clusters.map((name) => clusters.get(name)!);
      const results: Result[] = [];
      while (results.length < slice.results) {
        const r = next();
        if (r === undefined) break;
        results.push(r);
      }
      if (results.length < slice.results) throw new InputError({ file: shown, problem: `it holds fewer results than its ${RUN_RECORD_FILE} counts`, fix: NOT_OURS_FIX });
      // Results citing no probe are placed within the run's time: all of it, here.
      await set.add(sliceView({ hosts, clusters: sliceClusters, results }, rest.finishedAt));
      digest.add({ hosts, clusters: sliceClusters, results });
    }
    requireListed(shown, listedEntry(source, SUMMARY_FILE), lines.drain(), CHANGED_FIX);
    await queue.drain();
    const { outcomes } = await set.finish(() => endView(rest, record, digest));
    await queue.drain();
    return outcomes;
  } catch (err) {
    await set.abort();
    throw err;
  } finally {
    lines.close();
    await queue.close();
  }
}

/** A host of summary.json with its kept snapshot, used only when its bytes are the ones the manifest lists. */
function keptHost(source: ReportSource, host: SummaryRest["hosts"][number], kept: Map<string, Buffer>): HostRecord {
  const rel = `${SNAPSHOTS_DIR}/${hostFileName(host.name)}`;
  const { snapshot, raw } = loadSnapshotFile(join(source.dir, rel), `${source.shown}/${rel}`, host.name);
  requireListed(`${source.shown}/${rel}`, listedEntry(source, rel), digestOf(raw), CHANGED_FIX);
  kept.set(host.name, raw);
  return { name: host.name, ...(host.cluster !== undefined ? { cluster: host.cluster } : {}), ...(host.snapshotFile !== undefined ? { snapshotFile: host.snapshotFile } : {}), snapshot, raw };
}

/** The end as the run had it: summary.json's tail as written, the digest of the results, the record's environment. */
function endView(rest: SummaryRest, record: RunRecord, digest: DigestBuilder): EndView {
  const waivers = waiverReport(rest);
  const controls: ControlMeta[] = record.controls;
  const { verdict, exitCode, totals, totalsBySeverity, drift, timings, finishedAt } = rest;
  const report = digest.finish(
    { ...summaryHead(rest), finishedAt, verdict, exitCode, totals: digest.totals, controls, ...(waivers !== undefined ? { waivers } : {}), ...(drift !== undefined ? { drift } : {}), timings },
    { hosts: rest.hosts.length, clusters: rest.clusters.length },
    controls.map((c) => c.id),
  );
  const tail: SummaryTail = { controls: rest.controls, clusters: rest.clusters, verdict, exitCode, totals, totalsBySeverity, ...(rest.waivers !== undefined ? { waivers: rest.waivers } : {}), ...(drift !== undefined ? { drift } : {}), timings, finishedAt };
  return { digest: report, tail, environment: record.environment, ...(record.executor !== undefined ? { executor: record.executor } : {}) };
}
