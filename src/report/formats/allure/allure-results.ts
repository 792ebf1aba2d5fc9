/**
 * Allure 2 results (allure-results/): one result file per Result; as its attachments, first the
 * probes it cites (one small text file per set of cited probes, shared by the results citing the
 * same set), then its host's snapshot (one per host, shared by every result citing it);
 * categories.json and environment.properties.
 *
 * The snapshot is one file per host rather than per host and probe: at 10,000 hosts the per-probe
 * files were 82,000 of the 188,000 files written (bench/README.md). An auditor, though, must not
 * search a 31.7 KiB snapshot for the probe that decided a result (6,400 characters in, on the
 * demo), so the cited probes come first, as text; they cost a file per cited set, about one per
 * result, each a few hundred bytes.
 *
 * Results are built as allure-js-commons `TestResult` objects and handed straight to the writer
 * instead of going through ReporterRuntime's start/update/stop/write cycle. The runtime is made
 * for tests that run over time; ours are finished judgements, and it adds a deep clone and
 * lifecycle bookkeeping per result, and its writeAttachment makes a fresh file per call where we
 * want one per host+probe. Measured at 10,002 results on a shared 2-core VM, with a writer that
 * only serialises: direct 175-310 ms, via ReporterRuntime 420-680 ms. So: direct.
 */
import { hostIdentity, identityParameters, type HostIdentity } from "../../../evidence/identity";
import { createHash } from "node:crypto";
import type { Attachment, Label, Parameter, TestResult } from "allure-js-commons";
import { ContentType, Stage, Status } from "allure-js-commons";
import type { Category, EnvironmentInfo, Writer } from "./allure-sdk";
import type { DirectoryRecord, HostRecord, RunReport } from "../../../model/run";
import type { InventoryCluster } from "../../../model/inventory";
import type { Result, ResultStatus, UndeterminedReason } from "../../../model/result";
import { ALLURE_SEVERITY } from "./allure-severity-words";
import { PROBE_ERROR_KINDS } from "../../../model/snapshot";
import { commandLines, evidenceLookup, type EvidenceLookup, type EvidenceView } from "../evidence-view";
import { PlainFileWriter } from "./allure-writer";
import { auditorMessage, detailsText, statusOf, targetLabel } from "../../text";
import { descriptionHtml } from "./allure-description";
import { mappingLinks } from "./allure-links";
import { join } from "node:path";
import { writtenOf } from "../../output/stream-file";
import type { Format } from "../format";
import { inParts } from "../parts";
import { EXECUTOR_FILE, executorJson } from "./executor";

export const ALLURE_RESULTS_DIR = "allure-results";
export const STANDALONE_SUITE = "Standalone hosts";
export const CLUSTER_SUITE = "Cluster-wide checks";
/** The estate's directory (issue 23): a suite of its own, never among the clusters. */
export const DIRECTORY_SUITE = "Directory";


/**
 * Allure 2's fifth status. allure-js-commons leaves it out of its enum (its test frameworks never
 * report it), but Allure 2 reads, counts, colours and filters it like the other four.
 */
const UNKNOWN = "unknown" as Status;

/**
 * hostproof's five outcomes onto Allure's five statuses, one to one, so that each keeps its own
 * colour, count and filter in the report: waived is not "skipped" like not applicable (it is a
 * finding somebody accepted), so it takes Allure's remaining status. allure-status-words.ts makes
 * the UI say hostproof's word for each.
 */
export const ALLURE_STATUS: Readonly<Record<ResultStatus, Status>> = {
  passed: Status.PASSED,
  failed: Status.FAILED,
  undetermined: Status.BROKEN,
  notApplicable: Status.SKIPPED,
  waived: UNKNOWN,
};

/** Category names the report's Categories tree regroups (allure-categories-tree.ts). */
export const NON_COMPLIANT_CATEGORY = "Non-compliant";
export const WAIVED_CATEGORY = "Waived";

/** The tag a waived result carries naming its waiver by position in the file (1-based): ids are optional and free text. */
export function waiverTag(index: number): string {
  return `waiver #${index + 1}`;
}

function hex(...parts: string[]): string {
  // NUL separators: `a`+`bc` and `ab`+`c` must not hash alike.
  return createHash("sha1").update(parts.join("\u0000")).digest("hex");
}

function asUuid(h: string): string {
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20, 32)}`;
}

/** Stable across runs, so Allure's history and retries line up the same control on the same target. */
export function historyIdOf(result: Result): string {
  return hex(result.control.id, result.target.kind, result.target.name).slice(0, 32);
}

/**
 * One file name per host: every result citing that host's records points at the same file, which
 * is the host's snapshot as judged (every probe: its command, when it ran, its raw output or error).
 */
export function evidenceFileName(host: string): string {
  return `${asUuid(hex("evidence", host))}-attachment.json`;
}

/**
 * One file per set of cited probes: the result's first attachment holds only the probes it cites,
 * so an auditor reads the command and output that decided it without searching the host's whole
 * snapshot. Results citing the same probes on the same hosts share the file.
 */
export function citedFileName(views: readonly Pick<EvidenceView, "host" | "probe">[]): string {
  return `${asUuid(hex("cited", ...views.flatMap((v) => [v.host, v.probe])))}-attachment.txt`;
}

/** The cited probes' records one after another, each as evidenceText shows it. */
export function citedText(views: readonly EvidenceView[]): string {
  return views.map(evidenceText).join(`\n${"-".repeat(72)}\n\n`);
}

/** Puts a host's snapshot in place as `source` in allure-results (the run links its own copy). */
export type AttachEvidence = (host: string, source: string) => void;

/** The attachment text an auditor reads: what ran, where, when, and what came back. */
export function evidenceText(view: EvidenceView): string {
  const lines = [
    `Probe:    ${view.title} [${view.probe}]`,
    `Host:     ${view.host}`,
    ...commandLines(view),
  ];
  const { record } = view;
  if (record === undefined) {
    lines.push("", "No record: the snapshot of this host holds no result for this probe.");
    return lines.join("\n") + "\n";
  }
  lines.push(`Started:  ${record.startedAt}`);
  if (record.durationMs !== undefined) lines.push(`Duration: ${record.durationMs} ms`);
  if ("error" in record) lines.push("", `Error (${record.error.kind}):`, record.error.message);
  else lines.push("", "Output:", JSON.stringify(record.output, null, 2));
  return lines.join("\n") + "\n";
}

function labelsOf(r: Result): Label[] {
  const { control, target } = r;
  const labels: Label[] = [
    { name: "parentSuite", value: target.kind === "cluster" ? target.name : target.kind === "directory" ? DIRECTORY_SUITE : (target.cluster ?? STANDALONE_SUITE) },
    { name: "suite", value: target.kind === "cluster" ? CLUSTER_SUITE : target.name },
    // Allure's timeline groups by `host`: a cluster check is placed on the cluster's line.
    { name: "host", value: target.name },
    ...(target.cluster !== undefined ? [{ name: "cluster", value: target.cluster }] : []),
    { name: "controlId", value: control.id },
    // Allure's own order (blocker…minor) for its sorting and chart; the HTML report then shows
    // hostproof's word for it (allure-severity-words.ts), the same as the tag and the parameter.
    { name: "severity", value: ALLURE_SEVERITY[control.severity] },
    { name: "hostproofSeverity", value: control.severity },
    { name: "feature", value: control.featureName },
    { name: "story", value: control.title },
    ...control.tags.map((t) => ({ name: "tag", value: t })),
    ...waiverLabels(r),
  ];
  return labels;
}

/** A `waived` tag lets Allure filter waived results; the approver and id find one waiver's results. */
function waiverLabels(r: Result): Label[] {
  const w = r.waiver;
  if (w === undefined) return [];
  return [
    { name: "tag", value: "waived" },
    { name: "tag", value: waiverTag(w.index) },
    { name: "waiverApprover", value: w.approver },
    ...(w.id !== undefined ? [{ name: "waiverId", value: w.id }] : []),
  ];
}

function parametersOf(r: Result, ctx: AllureContext): Parameter[] {
  // hostproof's word, for readers of allure-results without hostproof's HTML (Allure's own server).
  const params: Parameter[] = [{ name: "severity", value: r.control.severity }];
  if (r.target.kind === "host") params.push({ name: "host", value: r.target.name });
  if (r.target.kind === "directory") params.push({ name: "directory", value: r.target.name });
  if (r.target.cluster !== undefined) params.push({ name: "cluster", value: r.target.cluster });
  // Allure keys a result's history on its non-excluded parameters: values that change from run to
  // run (what was found, who waived it) are shown but excluded, so the history stays one line.
  params.push({ name: "expected", value: r.expected, excluded: true }, { name: "actual", value: r.actual, excluded: true });
  if (r.rule !== undefined) params.push({ name: "rule", value: r.rule, excluded: true });
  const identity = r.target.kind === "host" ? ctx.identities.get(r.target.name) : undefined;
  if (identity !== undefined) params.push(...identityParameters(identity));
  const w = r.waiver;
  // Parameters are what Allure shows at the top of a result: the waiver belongs there.
  if (w !== undefined) {
    params.push(
      { name: "original status", value: w.originalStatus, excluded: true },
      { name: "waiver justification", value: w.justification, excluded: true },
      { name: "waiver approver", value: w.approver, excluded: true },
      { name: "waiver reference", value: w.reference, excluded: true },
      { name: "waiver expires", value: `${w.expires} (end of day, UTC)`, excluded: true },
    );
    if (w.id !== undefined) params.push({ name: "waiver id", value: w.id, excluded: true });
  }
  return params;
}

export interface AllureContext {
  lookup: EvidenceLookup;
  runStart: number;
  runStop: number;
  /** Seeds the result uuids: the same report gives the same file names. */
  runId: string;
  /** When each target's facts were collected (a cluster: its first node), for results citing no probe. */
  collectedAt: Map<string, number>;
  /** Who each host is (FQDN, OS, build, when read), shown on every one of its results. */
  identities: Map<string, HostIdentity>;
  /** The hosts of the report, by name: whose snapshots are the evidence attachments. */
  hosts: Map<string, HostRecord>;
  /** The directory snapshot's query, start to end: when a directory result's facts were read. */
  directory?: Pick<DirectoryRecord, "collectedAt" | "finishedAt">;
}

/** A host's snapshot as the report keeps it: the bytes judged, or a live one as the document judged. */
export function keptSnapshot(h: HostRecord): string | Buffer {
  return h.raw ?? `${JSON.stringify(h.snapshot, null, 2)}\n`;
}

/** `lookup` when the caller has one for the same hosts already. */
/** The hosts and clusters of a slice, or of a whole report. */
type Targets = { hosts: readonly HostRecord[]; clusters: readonly Pick<InventoryCluster, "name" | "nodes">[] };

export function allureContext(report: Pick<RunReport, "startedAt" | "finishedAt" | "directory"> & Targets, lookup: EvidenceLookup = evidenceLookup(report)): AllureContext {
  return {
    ...(report.directory !== undefined ? { directory: report.directory } : {}),
    lookup,
    runStart: Date.parse(report.startedAt),
    runStop: Date.parse(report.finishedAt),
    runId: report.startedAt,
    collectedAt: collectionTimes(report),
    identities: new Map(report.hosts.map((h) => [h.name, hostIdentity(h.snapshot)])),
    hosts: new Map(report.hosts.map((h) => [h.name, h])),
  };
}

function collectionTimes(report: Targets): Map<string, number> {
  const times = new Map<string, number>();
  for (const h of report.hosts) times.set(h.name, Date.parse(h.snapshot.collectedAt));
  for (const c of report.clusters) {
    const nodeTimes = c.nodes.map((n) => times.get(n)).filter((t): t is number => t !== undefined && Number.isFinite(t));
    if (nodeTimes.length > 0) times.set(c.name, Math.min(...nodeTimes));
  }
  return times;
}

/**
 * The time the evidence was collected: Allure's timeline then shows when each host was read.
 * Falls back to the target's collection time, then the run's, when no cited record carries a time.
 */
function timesOf(r: Result, views: readonly EvidenceView[], ctx: AllureContext): { start: number; stop: number } {
  let start = Infinity;
  let stop = -Infinity;
  for (const v of views) {
    const at = v.record === undefined ? NaN : Date.parse(v.record.startedAt);
    if (Number.isNaN(at)) continue;
    start = Math.min(start, at);
    stop = Math.max(stop, at + (v.record?.durationMs ?? 0));
  }
  if (Number.isFinite(start)) return { start, stop };
  // No probe cited (e.g. HP-CLU-004): the target's collection time keeps the report's time span the
  // span of the evidence, not "collected two days ago until the run".
  if (r.target.kind === "directory") {
    const d = ctx.directory;
    const [from, to] = d !== undefined ? [Date.parse(d.collectedAt), Date.parse(d.finishedAt)] : [NaN, NaN];
    return Number.isFinite(from) && Number.isFinite(to) ? { start: from, stop: to } : { start: ctx.runStart, stop: ctx.runStart };
  }
  const collected = ctx.collectedAt.get(r.target.name);
  return collected !== undefined && Number.isFinite(collected) ? { start: collected, stop: collected } : { start: ctx.runStart, stop: ctx.runStop };
}

/**
 * `HP-NIC-001 on wg-node3: Hardware offloads…`. The Categories tree lists results by name alone,
 * away from the Suites' cluster → host grouping: the target comes right after the control ID, so
 * it is read without a click and is not cut off with a long title.
 */
export function resultName(r: Result): string {
  return `${r.control.id} on ${targetLabel(r.target)}: ${r.control.title}`;
}

/** Builds the Allure result for one hostproof result; `index` keeps uuids unique within a run. */
export function buildTestResult(r: Result, index: number, ctx: AllureContext): TestResult {
  const historyId = historyIdOf(r);
  const views = r.evidence.map(ctx.lookup);
  const hosts = [...new Set(views.map((v) => v.host))];
  const cited: Attachment[] =
    views.length > 0 ? [{ name: `Probes cited: ${views.map((v) => `${v.title} on ${v.host}`).join("; ")}`, source: citedFileName(views), type: ContentType.TEXT }] : [];
  const snapshots: Attachment[] = hosts.map((host) => ({
    // Allure keeps one name per attachment file (the first result's): the name is the host's alone,
    // and the probes this result cites are its `evidence` parameter.
    name: `Evidence: every probe read from ${host}`,
    source: evidenceFileName(host),
    type: ContentType.JSON,
  }));
  const trace = detailsText(r.details ?? []);
  return {
    uuid: asUuid(hex(ctx.runId, String(index), historyId)),
    historyId,
    testCaseId: historyId,
    name: resultName(r),
    fullName: `${r.target.kind === "directory" ? targetLabel(r.target) : r.target.name}:${r.control.id}`,
    status: ALLURE_STATUS[statusOf(r)],
    statusDetails: { message: auditorMessage(r), ...(trace !== "" ? { trace } : {}) },
    stage: Stage.FINISHED,
    // HTML built and escaped here, never Markdown: text from hosts and files shows as written.
    descriptionHtml: descriptionHtml(r),
    labels: labelsOf(r),
    links: mappingLinks(r.control.mappings),
    parameters: [...parametersOf(r, ctx), ...(views.length > 0 ? [{ name: "evidence", value: views.map((v) => `${v.title} on ${v.host}`).join("; "), excluded: true }] : [])],
    steps: [],
    attachments: [...cited, ...snapshots],
    ...timesOf(r, views, ctx),
  };
}

const REASON_TITLES: Readonly<Record<UndeterminedReason["kind"], string>> = {
  "not-supported": "probe not supported on the host",
  "access-denied": "access denied",
  "not-found": "probe target not found",
  timeout: "probe timed out",
  unreachable: "host unreachable",
  other: "probe failed",
  "not-collected": "fact not collected",
  malformed: "probe output unreadable",
  inconsistent: "facts contradict each other or the inventory",
  "not-verifiable": "not verifiable from the collected facts",
};

function escapeJavaRegex(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\-]/g, "\\$&");
}

/**
 * Categories match on the status message that auditorMessage() writes (`Reason (<kind>): …`).
 * Allure 2 requires the regex to match the whole message, hence `(?s).*` on both sides. The
 * specific categories come before the catch-all ones: Allure puts a result in the first match.
 */
export function allureCategories(): Category[] {
  const undeterminedKinds = [...PROBE_ERROR_KINDS, "not-collected", "malformed", "inconsistent", "not-verifiable"] as const;
  return [
    { name: NON_COMPLIANT_CATEGORY, matchedStatuses: [Status.FAILED] },
    ...undeterminedKinds.map(
      (kind): Category => ({
        name: `Undetermined: ${REASON_TITLES[kind]}`,
        matchedStatuses: [Status.BROKEN],
        messageRegex: `(?s).*\\nReason \\(${escapeJavaRegex(kind)}\\): .*`,
      }),
    ),
    { name: "Undetermined", matchedStatuses: [Status.BROKEN] },
    { name: WAIVED_CATEGORY, matchedStatuses: [UNKNOWN] },
    { name: "Not applicable", matchedStatuses: [Status.SKIPPED] },
  ];
}

export function allureEnvironment(report: Pick<RunReport, "tool" | "estate" | "inventoryFile" | "asOf" | "tags" | "failOn" | "waivers">): EnvironmentInfo {
  return {
    "hostproof.version": report.tool.version,
    estate: report.estate ?? "(unnamed)",
    "inventory.file": report.inventoryFile,
    asOf: report.asOf,
    tags: report.tags ?? "(all controls)",
    failOn: report.failOn,
    ...(report.waivers !== undefined ? { waivers: report.waivers.file } : {}),
  };
}

export interface AllureWriteStats {
  results: number;
  attachments: number;
  files: number;
}

/**
 * Allure results written slice by slice as a run streams past: each slice brings its own hosts'
 * snapshots (the context), and a host's evidence file is written with its first result.
 */
export class AllureResultsStream {
  private index = 0;
  private results = 0;
  private attachments = 0;

  /** Without `attach`, each host's snapshot is written through `writer` as a file of its own. */
  constructor(
    private readonly writer: Writer,
    private readonly attach?: AttachEvidence,
  ) {}

  /** Each slice's evidence files already written, by its context: a slice may come in several calls. */
  private readonly evidenceWritten = new WeakMap<AllureContext, Set<string>>();

  /** Results of one slice, all at once or in parts with the same `ctx`. */
  add(results: readonly Result[], ctx: AllureContext): void {
    let written = this.evidenceWritten.get(ctx);
    if (written === undefined) this.evidenceWritten.set(ctx, (written = new Set()));
    for (const r of results) {
      const result = buildTestResult(r, this.index++, ctx);
      if (r.evidence.length > 0) {
        const views = r.evidence.map(ctx.lookup);
        const source = citedFileName(views);
        if (!written.has(source)) {
          written.add(source);
          this.attachments += 1;
          this.writer.writeAttachment(source, Buffer.from(citedText(views), "utf8"));
        }
      }
      for (const host of new Set(r.evidence.map((ref) => ref.host))) {
        const source = evidenceFileName(host);
        if (written.has(source)) continue;
        const record = ctx.hosts.get(host);
        if (record === undefined) continue;
        written.add(source);
        this.attachments += 1;
        if (this.attach !== undefined) this.attach(host, source);
        else {
          const snapshot = keptSnapshot(record);
          this.writer.writeAttachment(source, typeof snapshot === "string" ? Buffer.from(snapshot, "utf8") : snapshot);
        }
      }
      this.writer.writeResult(result);
    }
    this.results += results.length;
  }

  finish(environment: EnvironmentInfo): AllureWriteStats {
    this.writer.writeCategoriesDefinitions(allureCategories());
    this.writer.writeEnvironmentInfo(environment);
    return { results: this.results, attachments: this.attachments, files: this.results + this.attachments + 2 };
  }
}

/** Writes the Allure results of a whole `report` into `dir` (created if missing). */
/** `environment` adds run metadata (src/report/bookkeeping/environment.ts) to what the report itself says. */
export function writeAllureResults(dir: string, report: RunReport, writer: Writer = new PlainFileWriter(dir), environment: EnvironmentInfo = {}): AllureWriteStats {
  const stream = new AllureResultsStream(writer);
  stream.add(report.results, allureContext(report));
  return stream.finish({ ...allureEnvironment(report), ...environment });
}

/**
 * allure-results/ as a format. A host's evidence attachment is its kept snapshot (the context puts
 * it in place: a hard link in a run's own folder), so nothing is written twice. Its last files
 * (categories, environment, executor) are written before it resolves, for Allure's HTML to read.
 */
export const allureResultsFormat: Format = {
  name: "allure-results",
  description: "one Allure result per host × control, one evidence file per host",
  files: [`${ALLURE_RESULTS_DIR}/`],
  open(ctx) {
    const record = (name: string, data: string | Buffer): void => ctx.record(`${ALLURE_RESULTS_DIR}/${name}`, writtenOf(data));
    const writer = new PlainFileWriter(join(ctx.dir, ALLURE_RESULTS_DIR), record, (path, data) => ctx.queue(path, data));
    const stream = new AllureResultsStream(writer, (host, source) => void ctx.attachSnapshot(host, `${ALLURE_RESULTS_DIR}/${source}`));
    return {
      add(slice) {
        // Results citing no probe are placed at the run's time span (timesOf): so far.
        const allure = allureContext({ startedAt: ctx.head.startedAt, finishedAt: slice.writtenAt, hosts: slice.hosts, clusters: slice.clusters, ...(ctx.head.directory !== undefined ? { directory: ctx.head.directory } : {}) }, slice.lookup);
        return inParts(slice.results, (part) => stream.add(part, allure));
      },
      async finish(end) {
        stream.finish(end.environment);
        if (end.executor !== undefined) ctx.writeSmall(`${ALLURE_RESULTS_DIR}/${EXECUTOR_FILE}`, executorJson(end.executor));
        await ctx.drain();
      },
      abort: () => undefined,
    };
  },
};
