/**
 * `hostproof export <report> --format <name>...`: any format derived from a report's record, as
 * the run would have written it. The report is checked as verify checks it (its manifest, and the
 * report against its own results), while it is read, each file once (checked-report.ts):
 * summary.json's results are streamed a slice at a time with the hosts' kept snapshots and fed to
 * the formats through the same FormatSet a run writes them with: the same bytes, apart from times.
 * A report that is not as it was written is refused, as verify refuses it, and nothing is written.
 *
 * Written into a staging folder beside --out and put in place whole, once the report was found
 * whole; --out is apart from the report, so the report and its manifest stay as they were. The
 * folder carries export.json (export-record.ts): the report it came from, by its manifest's
 * SHA-256, and the SHA-256 of every file written. Memory holds one slice, as a run does.
 */
import { writeFileSync } from "node:fs";
import { join, relative, resolve } from "node:path";
import { InputError } from "../errors";
import { FilePool } from "../evidence/file-pool";
import { NotAsListed } from "../evidence/listed-files";
import { ManifestRecorder, type VerifyProblem } from "../evidence/manifest";
import type { Contradiction } from "../evidence/summary-check";
import type { InventoryCluster } from "../model/inventory";
import { noProgress, type Progress } from "../model/progress";
import type { ControlMeta, Result } from "../model/result";
import type { HostRecord } from "../model/run";
import { VERSION } from "../version";
import { claimOutput, type OutputClaim } from "../engine/output-session";
import { DigestBuilder } from "../report/bookkeeping/digest";
import { RUN_RECORD_FILE, type RunRecord } from "../report/bookkeeping/run-record";
import { SHARD_RECORD_FILE } from "../report/bookkeeping/shard-record";
import { SNAPSHOTS_DIR } from "../report/record";
import { hostFileName } from "../input/host-file-name";
import { FormatSet, sliceView } from "../report/format-set";
import { REGISTRY, type FormatRegistry } from "../report/formats";
import { formatsToExport } from "../report/formats/choose";
import type { EndView, Format, FormatContext, FormatOutcome } from "../report/formats/format";
import { SUMMARY_FILE, type SummaryTail } from "../report/formats/summary";
import { resultFromSummary, type SummaryRest } from "../report/formats/summary-read";
import { commitStaging, discardStaging, openStaging, REPORT_MARKER } from "../report/output/output-dir";
import { sweepStaleStaging } from "../report/output/staging";
import { writtenOf } from "../report/output/stream-file";
import { WriteQueue } from "../report/output/write-queue";
import type { SignatureState } from "../sign/attestation";
import type { TrustedKey } from "../sign/keys";
import { CheckedReport, NOT_OURS_FIX } from "./checked-report";
import { EXPORT_RECORD_FILE, exportRecordHead, exportSignature } from "./export-record";
import { noRunRecord, readRunRecord, summaryHead, waiverReport, type ReportSource } from "./record";

export interface ExportOptions {
  /** The report folder, as the user named it. */
  report: string;
  /** Format names (the registry's); each brings the formats it needs. */
  formats: readonly string[];
  /** Default: beside the report, `<report>-<names>`. */
  out?: string;
  /** The manifest's SHA-256 the report must have (as `verify --expect`). */
  expect?: string;
  /** The report must be signed by one of these keys (export --key); its signature is then recorded as verified. */
  keys?: readonly TrustedKey[];
  progress?: Progress;
  registry?: FormatRegistry;
}

export type ExportOutcome =
  | { ok: true; outDir: string; formats: readonly Format[]; warnings: string[]; manifestSha256: string; exportSha256: string; signature: SignatureState }
  /** The report is not as it was written (or not as --expect or --key asks): nothing was exported. */
  | { ok: false; problems: VerifyProblem[]; contradictions: Contradiction[]; manifestSha256: string; expected?: string; signature?: SignatureState };

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
  // The report's files export does not read are hashed here, on the cores the export leaves.
  const pool = new FilePool();
  let report: CheckedReport | undefined;
  try {
    // --out in the report would add to what its manifest vouches for; the report in --out would be replaced.
    claimOutput(claim, { out, history: false, command: "export", inputs: [{ path: options.report, shown: options.report, what: "the report", folder: true }] });
    progress.phase("load", `reading ${options.report}, checked against its manifest as it is read`);
    const dir = resolve(options.report);
    report = await CheckedReport.open(dir, options.report, pool, options.keys);
    const refused = { problems: [], contradictions: [], manifestSha256: report.manifestSha256 };
    if (options.expect !== undefined && report.manifestSha256 !== options.expect) return { ok: false, ...refused, expected: options.expect };
    if (options.keys !== undefined && report.signature.state !== "verified") return { ok: false, ...refused, signature: report.signature };
    if (report.listed(RUN_RECORD_FILE) === undefined && report.listed(SHARD_RECORD_FILE) === undefined) throw noRunRecord(options.report);
    const warnings = [...claim.lock!.notes, ...sweepStaleStaging(out)];
    if (report.signature.state === "bad") warnings.push(`the report's signature is not valid (${report.signature.problems.join("; ")}): export.json records it so`);
    const staging = openStaging(out);
    try {
      const written = await writeExport(staging, report, { ...options, out }, formats, progress);
      if (!written.ok) {
        discardStaging(staging);
        return { ok: false, problems: written.checked.problems, contradictions: written.checked.contradictions, manifestSha256: report.manifestSha256 };
      }
      warnings.push(...written.warnings);
      commitStaging(staging, out);
      return { ok: true, outDir: resolve(out), formats, warnings, manifestSha256: report.manifestSha256, exportSha256: written.exportSha256, signature: report.signature };
    } catch (err) {
      discardStaging(staging);
      throw err;
    }
  } catch (err) {
    // A problem met on the way may be a file that is not the one listed: the check, completed, decides which is said.
    if (report?.begun === true && (err instanceof InputError || err instanceof NotAsListed)) {
      const checked = await report.finishAfter();
      if (!checked.ok) return { ok: false, problems: checked.problems, contradictions: checked.contradictions, manifestSha256: report.manifestSha256 };
      if (err instanceof NotAsListed) throw new Error(`export: ${err.message}, yet no file of the report differs from its manifest`);
    }
    throw err;
  } finally {
    report?.close();
    await pool.close();
    claim.lock?.release();
    progress.end();
  }
}

type Written = { ok: true; exportSha256: string; warnings: string[] } | { ok: false; checked: { problems: VerifyProblem[]; contradictions: Contradiction[] } };

/** The formats and export.json in `staging`, once the report was found whole; else what was wrong with it. */
async function writeExport(staging: string, report: CheckedReport, options: ExportOptions & { out: string }, formats: readonly Format[], progress: Progress): Promise<Written> {
  const { rest, kept } = await report.begin();
  const source: ReportSource = { dir: resolve(options.report), shown: options.report };
  const record = readRunRecord(source, kept, rest);
  const files = new ManifestRecorder(staging);
  const marker = `hostproof ${VERSION} export (${formats.map((f) => f.name).join(", ")}) of ${options.report}, manifest SHA-256 ${report.manifestSha256}\n`;
  writeFileSync(join(staging, REPORT_MARKER), marker);
  files.record(REPORT_MARKER, writtenOf(marker));
  const outcomes = await writeFormats(staging, report, rest, record, formats, progress, files);
  const checked = await report.finish();
  if (!checked.ok) return { ok: false, checked };
  const warnings: string[] = [];
  for (const [name, outcome] of outcomes) {
    // Asked for by name, a format that could not be made fails the export, with nothing written.
    if (!outcome.ok) throw new InputError({ file: "command line", field: "--format", problem: `${name} could not be made: ${outcome.reason}`, fix: "Give this machine what that format needs, or export another format." });
    if (outcome.warning !== undefined) warnings.push(`${name}: ${outcome.warning}`);
  }
  const { estate, inventoryFile, asOf, startedAt, verdict } = rest;
  const head = exportRecordHead(
    {
      report: relative(resolve(options.out), source.dir) || ".",
      manifestSha256: report.manifestSha256,
      summarySha256: report.listed(SUMMARY_FILE)!.sha256,
      madeBy: report.manifest.tool.version,
      manifestCreatedAt: report.manifest.createdAt,
      signature: exportSignature(report.signature),
      ...(estate !== undefined ? { estate } : {}),
      inventoryFile,
      asOf,
      startedAt,
      verdict,
    },
    formats.map((f) => f.name),
  );
  const { sha256 } = await files.writeAs(EXPORT_RECORD_FILE, head);
  return { ok: true, exportSha256: sha256, warnings };
}

async function writeFormats(staging: string, report: CheckedReport, rest: SummaryRest, record: RunRecord, formats: readonly Format[], progress: Progress, files: ManifestRecorder): Promise<Map<string, FormatOutcome>> {
  const head = summaryHead(rest);
  const queue = new WriteQueue();
  /** The current slice's kept snapshots, as read and checked: Allure's evidence attachments are these bytes. */
  const kept = new Map<string, { raw: Buffer; written: { sha256: string; bytes: number } }>();
  const context: FormatContext = {
    dir: staging,
    head,
    targets: { hosts: rest.hosts.length, clusters: rest.clusters.length },
    ...signerOf(report.signature),
    progress,
    record: (rel, written) => files.record(rel, written),
    recordTree: (rel) => files.recordTree(rel),
    writeSmall(rel, data) {
      writeFileSync(join(staging, rel), data);
      files.record(rel, writtenOf(data));
    },
    queue: queue.write,
    drain: () => queue.drain(),
    attachSnapshot(host, rel) {
      const snapshot = kept.get(host);
      if (snapshot === undefined) return false;
      queue.write(join(staging, rel), snapshot.raw);
      files.record(rel, snapshot.written);
      return true;
    },
  };
  const set = new FormatSet(formats, context);
  const controls = new Map(record.controls.map((c) => [c.id, c] as const));
  // summary.json's cluster type is any text: the formats show it, none switches on it.
  const clusters = new Map(rest.clusters.map((c) => [c.name, c as InventoryCluster] as const));
  const digest = new DigestBuilder(rest.hosts.length + rest.clusters.length);
  const shown = `${report.shown}/${SUMMARY_FILE}`;
  try {
    progress.phase("write", `${rest.totals.total.toLocaleString("en-US")} results of ${rest.hosts.length.toLocaleString("en-US")} hosts: ${formats.map((f) => f.name).join(", ")}`);
    let taken = 0;
    const next = (): Result | undefined => {
      const r = report.nextResult();
      if (r === undefined) return undefined;
      taken += 1;
      const control = controls.get(r.controlId);
      if (control === undefined) throw new InputError({ file: shown, field: `results[${taken - 1}]`, problem: `a result of ${r.controlId}, which the run record's controls do not list`, fix: NOT_OURS_FIX });
      return resultFromSummary(r, control);
    };
    let h = 0;
    for (const slice of record.slices) {
      await queue.drain();
      kept.clear();
      const hosts: HostRecord[] = rest.hosts.slice(h, (h += slice.hosts)).map((summaryHost) => {
        const { host, raw, digest: written } = report.host(summaryHost);
        kept.set(host.name, { raw, written });
        return host;
      });
      const sliceClusters: InventoryCluster[] = slice.clusters.map((name) => clusters.get(name)!);
      const results: Result[] = [];
      while (results.length < slice.results) {
        const r = next();
        if (r === undefined) break;
        results.push(r);
      }
      if (results.length < slice.results) throw new InputError({ file: shown, problem: `it holds fewer results than its ${RUN_RECORD_FILE} counts`, fix: NOT_OURS_FIX });
      // Results citing no probe are placed within the run's time: all of it, here.
      await set.add(sliceView({ hosts, clusters: sliceClusters, results }, rest.finishedAt, (host) => {
        const k = kept.get(host);
        return k !== undefined ? { file: `${SNAPSHOTS_DIR}/${hostFileName(host)}`, sha256: k.written.sha256 } : undefined;
      }, rest.directory));
      digest.add({ hosts, clusters: sliceClusters, results });
    }
    if (next() !== undefined) throw new InputError({ file: shown, problem: `it holds more results than its ${RUN_RECORD_FILE} counts`, fix: NOT_OURS_FIX });
    await queue.drain();
    const { outcomes } = await set.finish(() => endView(rest, record, digest));
    await queue.drain();
    return outcomes;
  } catch (err) {
    await set.abort();
    throw err;
  } finally {
    await queue.close();
  }
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
  return { digest: report, tail, environment: record.environment, ...(record.executor !== undefined ? { executor: record.executor } : {}), ...(record.shards !== undefined ? { shards: record.shards } : {}) };
}

/** The keyid a report is signed with, as the run that signed it named it to its formats: verified, or the one the signature claims. */
function signerOf(signature: SignatureState): { signer?: string } {
  if (signature.state === "verified") return { signer: signature.key.keyid };
  if (signature.state === "unchecked" && signature.keyids.length === 1) return { signer: signature.keyids[0]! };
  return {};
}
