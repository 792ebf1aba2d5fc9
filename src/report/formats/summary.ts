/**
 * summary.json: the machine-readable record of a run (schemas/summary.schema.json). CI jobs and
 * later tooling read this file rather than Allure's, so its shape is versioned and validated.
 */
import type { ControlMappings } from "../../model/mapping";
import { join } from "node:path";
import { countStatuses } from "../../model/totals";
import type { Drift } from "../bookkeeping/drift";
import type { HostRecord, RunReport } from "../../model/run";
import { countWaived, waivedTotal, type WaivedCounts } from "../bookkeeping/digest";
import { Spool, StreamFile, type Written } from "../output/stream-file";
import { type ControlMeta, type DetailRow, type Result, type ResultStatus, type TargetKind, type UndeterminedReason } from "../../model/result";
import { SEVERITIES, type Severity } from "../../model/severity";
import type { ProbeErrorKind } from "../../model/snapshot";
import type { AnyProbeId as ProbeId } from "../../probes/generic";
import type { AppliedWaiver, Waiver, WaiverNotice, WaiverReport } from "../../model/waiver";
import { evidenceLookup, type EvidenceLookup, type EvidenceView } from "./evidence-view";
import type { Format } from "./format";
import { inParts } from "./parts";

/** A control as summary.json names it: no texts (run.json has them), its mappings where it has any. */
export type SummaryControl = Pick<ControlMeta, "id" | "title" | "severity" | "feature" | "featureName" | "origin" | "tags"> & { mappings?: ControlMappings };

export function summaryControl(c: ControlMeta): SummaryControl {
  const { id, title, severity, feature, featureName, origin, tags, mappings } = c;
  return { id, title, severity, feature, featureName, origin, tags, ...(mappings !== undefined ? { mappings } : {}) };
}

export const SUMMARY_FILE = "summary.json";

export interface SummaryEvidence {
  host: string;
  probe: ProbeId;
  /** The command to run again; "" when the record names one hostproof does not ship (unshippedCommand). */
  command: string;
  /** What the snapshot says ran, when it is not a command hostproof ships: evidence, not to be run. */
  unshippedCommand?: string;
  /** False when the host's snapshot holds no record for the probe. */
  collected: boolean;
  startedAt?: string;
  durationMs?: number;
  errorKind?: ProbeErrorKind;
}

export interface SummaryResult {
  controlId: string;
  title: string;
  severity: Severity;
  target: { kind: TargetKind; name: string; cluster?: string };
  status: ResultStatus;
  expected: string;
  actual: string;
  rule?: string;
  reason?: UndeterminedReason | { kind: "not-applicable"; message: string };
  details: DetailRow[];
  evidence: SummaryEvidence[];
  /** Set when status is `waived`: the waiver and the status the control itself gave. */
  waiver?: AppliedWaiver;
}

/** A waiver of the file as the run used it. */
export interface SummaryWaiver extends Omit<Waiver, "runControl"> {
  index: number;
  runControl: boolean;
  /** `expired`: past its last day on the run's as-of date, so it waived nothing. */
  state: "active" | "expired";
  /** How many results it waived. */
  applied: number;
}

export interface SummaryWaivers {
  file: string;
  warnDays: number;
  waivers: SummaryWaiver[];
  notices: WaiverNotice[];
}

/** The run's own facts are RunReport's; the lists are flattened for readers of the file. */
export interface Summary
  extends Pick<RunReport, "tool" | "estate" | "inventoryFile" | "startedAt" | "finishedAt" | "asOf" | "tags" | "failOn" | "directory" | "verdict" | "exitCode" | "totals" | "timings"> {
  schemaVersion: 1;
  /** Failed results per severity: what `--fail-on` is compared with. */
  totalsBySeverity: Record<Severity, number>;
  /** `origin`: "built-in", or the --features folder the control came from. */
  controls: SummaryControl[];
  hosts: { name: string; cluster?: string; collectedAt: string; snapshotFile?: string }[];
  clusters: { name: string; type: string; nodes: string[] }[];
  results: SummaryResult[];
  /** Present when the run was given a waiver file. */
  waivers?: SummaryWaivers;
  /** What changed since the previous run: newly failing, newly fixed, new hosts, hosts gone. */
  drift?: Drift;
}

function summaryEvidence(view: EvidenceView): SummaryEvidence {
  const { record } = view;
  const out: SummaryEvidence = { host: view.host, probe: view.probe, command: view.command, collected: record !== undefined };
  if (view.unshippedCommand !== undefined) out.unshippedCommand = view.unshippedCommand;
  if (record === undefined) return out;
  out.startedAt = record.startedAt;
  if (record.durationMs !== undefined) out.durationMs = record.durationMs;
  if ("error" in record) out.errorKind = record.error.kind;
  return out;
}

/** Re-exported for the report's readers; the summary counts from its own results so it always adds up. */
export { countStatuses } from "../../model/totals";

export function buildSummary(report: RunReport, options: { results?: boolean } = {}): Summary {
  const lookup = evidenceLookup(report);
  const totalsBySeverity = Object.fromEntries(SEVERITIES.map((s) => [s, 0])) as Record<Severity, number>;
  for (const r of report.results) if (r.status === "failed") totalsBySeverity[r.control.severity] += 1;

  // Optional keys are added only when set: JSON.stringify would drop `undefined` anyway, but
  // building the object this way keeps it equal to what a reader parses back.
  const results = options.results === false ? [] : report.results.map((r) => summaryResult(r, lookup));

  const summary: Summary = {
    schemaVersion: 1,
    tool: report.tool,
    inventoryFile: report.inventoryFile,
    startedAt: report.startedAt,
    finishedAt: report.finishedAt,
    asOf: report.asOf,
    failOn: report.failOn,
    verdict: report.verdict,
    exitCode: report.exitCode,
    totals: countStatuses(report.results),
    totalsBySeverity,
    controls: report.controls.map(summaryControl),
    hosts: report.hosts.map(summaryHost),
    clusters: report.clusters.map((c) => ({ name: c.name, type: c.type, nodes: c.nodes })),
    results,
    timings: report.timings,
  };
  if (report.estate !== undefined) summary.estate = report.estate;
  if (report.tags !== undefined) summary.tags = report.tags;
  if (report.directory !== undefined) summary.directory = report.directory;
  if (report.waivers !== undefined) summary.waivers = summaryWaivers(report.waivers, waivedCounts(report.results));
  if (report.drift !== undefined) summary.drift = report.drift;
  return summary;
}

function waivedCounts(results: readonly Result[]): Map<number, WaivedCounts> {
  const waived = new Map<number, WaivedCounts>();
  for (const r of results) countWaived(waived, r);
  return waived;
}

/** The waiver file as the run used it; `waived` counts the results each waiver took (digest.ts). */
export function summaryWaivers({ file, warnDays, waivers, notices }: WaiverReport, waived: ReadonlyMap<number, WaivedCounts>): SummaryWaivers {
  const applied = new Map([...waived].map(([index, c]) => [index, waivedTotal(c)] as const));
  const expired = new Set(notices.filter((n) => n.kind === "expired").map((n) => n.index));
  return {
    file,
    warnDays,
    waivers: waivers.map(({ runControl, ...w }, index) => ({
      ...w,
      index,
      runControl: runControl ?? true,
      state: expired.has(index) ? "expired" : "active",
      applied: applied.get(index) ?? 0,
    })),
    notices,
  };
}

export type SummaryHead = Pick<Summary, "tool" | "estate" | "inventoryFile" | "startedAt" | "asOf" | "tags" | "failOn" | "directory">;
export type SummaryTail = Pick<Summary, "controls" | "clusters" | "verdict" | "exitCode" | "totals" | "totalsBySeverity" | "waivers" | "drift" | "timings" | "finishedAt">;

/** An object's members as they sit inside a top-level JSON.stringify(…, null, 2), without the braces. */
function members(value: object): string {
  return JSON.stringify(value, null, 2).slice(2, -2);
}

/**
 * summary.json written as the run streams past: the run's facts first, then one result per line
 * as each slice is judged, then what is only known at the end (hosts, verdict, totals, timings).
 * One line per result keeps a 1 GB file greppable and diffable; a reader parses it as any JSON.
 */
export class SummaryStream {
  private results = 0;
  private hosts = 0;

  constructor(
    private readonly file: StreamFile,
    private readonly hostSpool: Spool,
    head: SummaryHead,
  ) {
    // Picked one by one: callers may hand a whole Summary.
    const { tool, estate, inventoryFile, startedAt, asOf, tags, failOn, directory } = head;
    const first = { schemaVersion: 1, tool, ...(estate !== undefined ? { estate } : {}), inventoryFile, startedAt, asOf, ...(tags !== undefined ? { tags } : {}), failOn, ...(directory !== undefined ? { directory } : {}) };
    file.write(`{\n${members(first)},\n  "results": [`);
  }

  add(results: readonly Result[], hosts: readonly HostRecord[], lookup: EvidenceLookup): void {
    for (const r of results) {
      this.file.write(`${this.results === 0 ? "\n" : ",\n"}    ${JSON.stringify(summaryResult(r, lookup))}`);
      this.results += 1;
    }
    for (const h of hosts) {
      this.hostSpool.write(`${this.hosts === 0 ? "\n" : ",\n"}    ${JSON.stringify(summaryHost(h))}`);
      this.hosts += 1;
    }
  }

  /** On a failed run: lets go of the file and the spool. */
  abandon(): void {
    this.file.abandon();
    this.hostSpool.discard();
  }

  async finish(tail: SummaryTail): Promise<Written> {
    const { controls, clusters, verdict, exitCode, totals, totalsBySeverity, waivers, drift, timings, finishedAt } = tail;
    this.file.write(`${this.results === 0 ? "]" : "\n  ]"},\n${members({ controls })},\n  "hosts": [`);
    await this.file.append(this.hostSpool);
    this.file.write(`${this.hosts === 0 ? "]" : "\n  ]"},\n`);
    const last = { clusters, verdict, exitCode, totals, totalsBySeverity, ...(waivers !== undefined ? { waivers } : {}), ...(drift !== undefined ? { drift } : {}), timings, finishedAt };
    this.file.write(`${members(last)}\n}\n`);
    return this.file.close();
  }
}

function summaryHost(h: HostRecord): Summary["hosts"][number] {
  return {
    name: h.name,
    ...(h.cluster !== undefined ? { cluster: h.cluster } : {}),
    collectedAt: h.snapshot.collectedAt,
    ...(h.snapshotFile !== undefined ? { snapshotFile: h.snapshotFile } : {}),
  };
}

/** Writes `summary.json` for a whole report into `dir` and returns its path. */
export async function writeSummary(dir: string, report: RunReport): Promise<string> {
  const path = join(dir, SUMMARY_FILE);
  const summary = buildSummary(report, { results: false });
  const stream = new SummaryStream(new StreamFile(path), new Spool(`${path}.hosts`), summary);
  stream.add(report.results, report.hosts, evidenceLookup(report));
  await stream.finish(summary);
  return path;
}

/** One result as summary.json holds it; optional keys only when set, so it equals what is read back. */
function summaryResult(r: Result, lookup: EvidenceLookup): SummaryResult {
  const target: SummaryResult["target"] = { kind: r.target.kind, name: r.target.name };
  if (r.target.cluster !== undefined) target.cluster = r.target.cluster;
  const out: SummaryResult = {
    controlId: r.control.id,
    title: r.control.title,
    severity: r.control.severity,
    target,
    status: r.status,
    expected: r.expected,
    actual: r.actual,
    details: r.details ?? [],
    evidence: r.evidence.map((ref) => summaryEvidence(lookup(ref))),
  };
  if (r.rule !== undefined) out.rule = r.rule;
  if (r.reason !== undefined) out.reason = r.reason;
  if (r.waiver !== undefined) out.waiver = r.waiver;
  return out;
}


/** summary.json as a format: the record's results, always written; what `export` reads back. */
export const summaryFormat: Format = {
  name: "summary",
  atScale: true,
  description: "every result, totals, verdict, drift, timings",
  files: [SUMMARY_FILE],
  open(ctx) {
    const stream = new SummaryStream(new StreamFile(join(ctx.dir, SUMMARY_FILE)), new Spool(join(ctx.dir, `.${SUMMARY_FILE}.hosts`)), ctx.head);
    return {
      add: (slice) => inParts(slice.results, (part, first) => stream.add(part, first ? slice.hosts : [], slice.lookup)),
      finish: async (end) => ctx.record(SUMMARY_FILE, await stream.finish(end.tail)),
      abort: () => stream.abandon(),
    };
  },
};
