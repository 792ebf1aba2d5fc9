/**
 * Whether a summary.json agrees with itself: everything it states that its results decide is
 * recomputed from the results and compared. A manifest only proves that the files are the ones it
 * lists; whoever rewrites a verdict can rewrite the manifest too. A verdict, total or waiver count
 * that its own results contradict is then caught by `verify` and refused by `merge` anyway.
 *
 * Recomputed: totals per status, failed results per severity (each result's control, as listed),
 * the verdict and exit code (with the stated --fail-on), each result's title and severity against
 * its control, one result per target and control of its kind (none missing, none twice, none of a
 * host or cluster it does not list), and the waivers applied again to the results as judged (which
 * result each waived, each waiver's state and use count, the notices). With a shard's record
 * (evidence/shard.json): its results per slice and the targets of each slice, its hosts, clusters,
 * controls, head and waivers against the summary's. Not recomputed: what the results alone do not
 * decide (a result's status against its snapshot is re-judging, not checking; drift needs the
 * previous run; timings).
 *
 * Results stream through `add`; memory holds one entry per target and per control, not per result.
 */
import { nameKey } from "../input/inventory";
import type { ControlMeta, Result, TargetKind } from "../model/result";
import { RESULT_STATUSES } from "../model/result";
import { NO_DIRECTORY_NAME, type ExitCode, type StatusTotals, type Verdict } from "../model/run";
import { SEVERITIES, type Severity } from "../model/severity";
import type { Waiver, WaiverNotice } from "../model/waiver";
import { verdictFrom } from "../engine/verdict";
import type { ShardRecord } from "../report/bookkeeping/shard-record";
import type { SummaryResult, SummaryWaiver } from "../report/formats/summary";
import type { SummaryRest } from "../report/formats/summary-read";
import { waiverApplier, type WaiverApplier } from "../waivers/apply";
import { isExpired } from "../waivers/expiry";
import { dnCovers, isDirectoryScope } from "../waivers/directory";
import { waiverLabel } from "../waivers/describe";

/** One thing a report states that its own results contradict. */
export interface Contradiction {
  file: string;
  field: string;
  stated: string;
  /** Absent when the stated thing cannot be at all (a second result of one control for one target). */
  recomputed?: string;
}

/** What the results give, for the files that repeat it (junit.xml, summary.md). */
export interface Recomputed {
  totals: StatusTotals;
  failedBySeverity: Record<Severity, number>;
  verdict: Verdict;
  exitCode: ExitCode;
  /** Controls with at least one result. */
  controlsWithResults: number;
  hosts: number;
  clusters: number;
}

interface TargetSeen {
  kind: TargetKind;
  name: string;
  cluster: string | undefined;
  /** Bit per control, by first-seen index. */
  controls: number[];
}

/** Contradictions listed one by one before the rest are only counted: a rewritten file can hold millions. */
const LISTED = 20;

export function formatContradiction(c: Contradiction): string {
  return c.recomputed !== undefined ? `${c.field}: states ${c.stated}, its results give ${c.recomputed}` : `${c.field}: ${c.stated}`;
}

const show = (v: unknown): string => (typeof v === "string" ? JSON.stringify(v) : JSON.stringify(v) ?? "nothing");

export class SummaryCheck {
  private readonly totals: StatusTotals = Object.fromEntries([...RESULT_STATUSES.map((s) => [s, 0]), ["total", 0]]) as StatusTotals;
  private readonly failedByControl = new Map<string, number>();
  /** Control id → its first-seen index, title, severity and the kind of target its results are of. */
  private readonly controls = new Map<string, { index: number; title: string; severity: Severity; kind: TargetKind; first: number }>();
  private readonly targets = new Map<string, TargetSeen>();
  private readonly found: Contradiction[] = [];
  private more = 0;
  /**
   * The waivers, applied again as the results pass when they are known before them (a shard's
   * record lists them); otherwise (summary.json lists them after its results) the results a waiver
   * could concern, failed, undetermined or waived, wait for the end in `pending`.
   */
  private waivers: WaiverCheck | undefined;
  private readonly pending: { at: number; r: Judged }[] = [];
  private count = 0;
  private slice = 0;
  private sliceEnd: number;
  private sliceTargets: Set<string> | undefined;
  private hostsBefore = 0;
  private clustersBefore = 0;
  /** A shard's controls, known before its results: a result of another control cannot be placed. */
  private readonly recordControls: ReadonlySet<string> | undefined;

  /** `record`: the shard's evidence/shard.json, when the report is a shard. */
  constructor(
    private readonly file: string,
    private readonly record?: ShardRecord,
  ) {
    this.sliceEnd = record?.slices[0]?.results ?? 0;
    this.recordControls = record !== undefined ? new Set(record.controls.map((c) => c.id)) : undefined;
    if (record !== undefined) this.waivers = new WaiverCheck(record.waivers, record.head.asOf, (at, field, stated, recomputed) => this.contradict(`results[${at}].${field}`, stated, recomputed));
  }

  /**
   * Takes the next result. Returns why it cannot be placed at all (a target outside the slice that
   * wrote it, a second result of a control for one target), which a merge must not go past.
   */
  add(r: SummaryResult): string | undefined {
    const at = this.count;
    this.count += 1;
    this.totals[r.status] += 1;
    this.totals.total += 1;
    const kind = r.target.kind;
    if (this.recordControls !== undefined && !this.recordControls.has(r.controlId)) return `a result names control ${r.controlId}, which its controls do not list`;
    let control = this.controls.get(r.controlId);
    if (control === undefined) {
      control = { index: this.controls.size, title: r.title, severity: r.severity, kind, first: at };
      this.controls.set(r.controlId, control);
    } else {
      if (control.kind !== kind) return `control ${r.controlId} has results for both hosts and clusters`;
      if (control.title !== r.title) this.contradict(`results[${at}].title`, r.title, `${show(control.title)}, as results[${control.first}] of ${r.controlId} says`);
      if (control.severity !== r.severity) this.contradict(`results[${at}].severity`, r.severity, `${control.severity}, as results[${control.first}] of ${r.controlId} says`);
    }
    if (r.status === "failed") this.failedByControl.set(r.controlId, (this.failedByControl.get(r.controlId) ?? 0) + 1);
    // Rows a directory waiver accepted are checked too, whatever the result's own status.
    const waivedRows = r.details.filter((row) => row.waiverIndex !== undefined);
    if (r.waiver !== undefined || r.status === "waived" || r.status === "failed" || r.status === "undetermined" || waivedRows.length > 0) {
      const judged: Judged = { controlId: r.controlId, target: r.target, status: r.status, waiver: r.waiver, details: waivedRows };
      if (this.waivers !== undefined) this.waivers.judge(at, judged);
      else this.pending.push({ at, r: judged });
    }

    const key = `${kind} ${nameKey(r.target.name)}`;
    let target = this.targets.get(key);
    if (target === undefined) {
      target = { kind, name: r.target.name, cluster: r.target.cluster, controls: [] };
      this.targets.set(key, target);
    } else if (target.cluster !== r.target.cluster) {
      this.contradict(`results[${at}].target.cluster`, r.target.cluster ?? "none", `${show(target.cluster ?? "none")}, as the other results of ${kind} ${r.target.name} say`);
    }
    const word = control.index >> 5;
    const bit = 1 << (control.index & 31);
    while (target.controls.length <= word) target.controls.push(0);
    if ((target.controls[word]! & bit) !== 0) return `${kind} ${r.target.name} has two results of ${r.controlId}`;
    target.controls[word]! |= bit;
    return this.record !== undefined ? this.inSlice(at, key, r) : undefined;
  }

  /** The kind of target each control's results are of, as seen so far. */
  kinds(): Map<string, TargetKind> {
    return new Map([...this.controls].map(([id, c]) => [id, c.kind] as const));
  }

  /** Once every result was added: what the rest of the file states, against what they give. */
  finish(rest: SummaryRest): { contradictions: Contradiction[]; recomputed: Recomputed } {
    const listed = new Map(rest.controls.map((c) => [c.id, c] as const));
    for (const [id, c] of this.controls) {
      const meta = listed.get(id);
      if (meta === undefined) this.contradict(`results[${c.first}].controlId`, id, "a control that its controls do not list");
      else {
        if (meta.title !== c.title) this.contradict(`results[${c.first}].title`, c.title, `${show(meta.title)}, its control's title`);
        if (meta.severity !== c.severity) this.contradict(`results[${c.first}].severity`, c.severity, `${meta.severity}, its control's severity`);
      }
    }
    const failedBySeverity = Object.fromEntries(SEVERITIES.map((s) => [s, 0])) as Record<Severity, number>;
    for (const [id, n] of this.failedByControl) {
      const severity = listed.get(id)?.severity ?? this.controls.get(id)!.severity;
      failedBySeverity[severity] += n;
    }
    for (const k of [...RESULT_STATUSES, "total"] as const) if (rest.totals[k] !== this.totals[k]) this.contradict(`totals.${k}`, rest.totals[k], this.totals[k]);
    for (const s of SEVERITIES) if (rest.totalsBySeverity[s] !== failedBySeverity[s]) this.contradict(`totalsBySeverity.${s}`, rest.totalsBySeverity[s], failedBySeverity[s]);
    const { verdict, exitCode } = verdictFrom(this.totals, failedBySeverity, rest.failOn);
    if (rest.verdict !== verdict) this.contradict("verdict", rest.verdict, `${verdict} (with --fail-on ${rest.failOn})`);
    if (rest.exitCode !== exitCode) this.contradict("exitCode", rest.exitCode, `${exitCode} (with --fail-on ${rest.failOn})`);
    this.checkTargets(rest);
    this.checkWaivers(rest);
    if (this.record !== undefined) this.checkRecord(this.record, rest);
    const found = this.more > 0 ? [...this.found, { file: this.file, field: "…", stated: `and ${this.more} more contradictions, not listed` }] : this.found;
    return {
      contradictions: found,
      recomputed: { totals: { ...this.totals }, failedBySeverity, verdict, exitCode, controlsWithResults: this.controls.size, hosts: rest.hosts.length, clusters: rest.clusters.length },
    };
  }

  private contradict(field: string, stated: unknown, recomputed?: unknown): void {
    if (this.found.length >= LISTED) {
      this.more += 1;
      return;
    }
    const text = (v: unknown): string => (typeof v === "string" ? v : show(v));
    this.found.push({ file: this.file, field, stated: text(stated), ...(recomputed !== undefined ? { recomputed: text(recomputed) } : {}) });
  }

  /** Each listed host and cluster has one result per control of its kind, and no result names another. */
  private checkTargets(rest: SummaryRest): void {
    const kinds: Record<TargetKind, number[]> = { host: [], cluster: [], directory: [] };
    for (const c of this.controls.values()) {
      const words = kinds[c.kind];
      while (words.length <= c.index >> 5) words.push(0);
      words[c.index >> 5]! |= 1 << (c.index & 31);
    }
    const names = new Map<string, string | undefined>([...rest.hosts.map((h) => [`host ${nameKey(h.name)}`, h.cluster] as const), ...rest.clusters.map((c) => [`cluster ${nameKey(c.name)}`, c.name] as const)]);
    const idsOf = (words: readonly number[]): string[] => [...this.controls].filter(([, c]) => ((words[c.index >> 5] ?? 0) & (1 << (c.index & 31))) !== 0).map(([id]) => id);
    // One directory per run: the one summary.json lists, or, given no snapshot, the one named for
    // its absence. A directory result naming another is one the run never wrote.
    names.set(`directory ${nameKey(rest.directory?.name ?? NO_DIRECTORY_NAME)}`, undefined);
    for (const [key, t] of this.targets) {
      if (!names.has(key)) {
        this.contradict(`results (${t.kind} ${t.name})`, `results of ${t.kind} ${t.name}, which the report does not list`);
        continue;
      }
      const cluster = names.get(key);
      if (t.kind === "directory" ? t.cluster !== undefined : t.kind === "host" ? nameKey(cluster ?? "") !== nameKey(t.cluster ?? "") : nameKey(t.cluster ?? "") !== nameKey(t.name)) {
        this.contradict(`results (${t.kind} ${t.name}).target.cluster`, t.cluster ?? "none", t.kind === "host" ? `${cluster ?? "none"}, as its hosts list says` : t.name);
      }
      const missing = idsOf(kinds[t.kind].map((w, i) => w & ~(t.controls[i] ?? 0)));
      if (missing.length > 0) this.contradict(`results (${t.kind} ${t.name})`, `no result of ${missing.slice(0, 3).join(", ")}${missing.length > 3 ? ` and ${missing.length - 3} more` : ""}, though every ${t.kind} has one per control of its kind: results are missing`);
    }
    const anyOf = (kind: TargetKind): boolean => kinds[kind].some((w) => w !== 0);
    for (const [key] of names) {
      const kind = key.startsWith("host ") ? "host" : key.startsWith("directory ") ? "directory" : "cluster";
      if (!this.targets.has(key) && anyOf(kind)) this.contradict(`results (${key})`, `no result at all, though every ${kind} has one per control of its kind: results are missing`);
    }
    // A control listed with no result at all: every target of its kind would have one, when the
    // report holds a target of every kind. The directory is judged by a whole run and by shard 1
    // alone (engine/directory-target.ts): in shard 2..N a directory control has no result by
    // design, so there a control without results proves nothing; the merge (merge/result-checks.ts)
    // finds a shard short of results beside the others.
    const judgesDirectory = this.record === undefined || this.record.shard.index === 1;
    const withTargets = rest.hosts.length > 0 && rest.clusters.length > 0 && judgesDirectory;
    if (withTargets) for (const c of rest.controls) if (!this.controls.has(c.id)) this.contradict(`controls (${c.id})`, "a control that was run, with no result for any host or cluster: results are missing");
  }

  /** The waivers applied again to each result as its control judged it: the same results waived, by the same waiver, the same counts and notices. */
  private checkWaivers(rest: SummaryRest): void {
    // A shard's record gave the waivers up front; checkRecord compares them with these.
    const check = this.waivers ?? new WaiverCheck(rest.waivers, rest.asOf, (at, field, stated, recomputed) => this.contradict(`results[${at}].${field}`, stated, recomputed));
    for (const { at, r } of this.pending) check.judge(at, r);
    this.pending.length = 0;
    const listed = rest.waivers;
    if (listed === undefined) return;
    const asOf = new Date(`${rest.asOf}T00:00:00Z`);
    listed.waivers.forEach((w, i) => {
      if (w.index !== i) this.contradict(`waivers.waivers[${i}].index`, w.index, i);
      if (w.applied !== check.applied[i]) this.contradict(`waivers.waivers[${i}].applied`, w.applied, check.applied[i] ?? 0);
      const state = isExpired(w.expires, asOf) ? "expired" : "active";
      if (w.state !== state) this.contradict(`waivers.waivers[${i}].state`, w.state, `${state} (expires ${w.expires}, as of ${rest.asOf})`);
    });
    const notices = check.notices();
    if (canonical(notices) !== canonical(listed.notices)) this.contradict("waivers.notices", `${listed.notices.length} notices`, `${notices.length} notices, differing in ${noticeDifference(listed.notices, notices)}`);
  }

  /** A shard's record must describe the summary beside it: merge reads the record to place the summary's results. */
  private checkRecord(record: ShardRecord, rest: SummaryRest): void {
    const total = record.slices.reduce((n, s) => n + s.results, 0);
    if (total !== this.count) this.contradict("evidence/shard.json slices[].results", total, `${this.count} results in ${this.file}`);
    const hosts = (list: readonly { name: string; cluster?: string; snapshotFile?: string }[]): string => JSON.stringify(list.map((h) => [h.name, h.cluster ?? null, h.snapshotFile ?? null]));
    if (hosts(record.hosts) !== hosts(rest.hosts)) this.contradict("evidence/shard.json hosts", `${record.hosts.length} hosts`, `other hosts than the ${rest.hosts.length} of ${this.file}`);
    const clusters = (list: readonly { name: string; type: string; nodes: string[] }[]): string => JSON.stringify(list.map((c) => [c.name, c.type, c.nodes]).sort());
    if (clusters(record.clusters) !== clusters(rest.clusters)) this.contradict("evidence/shard.json clusters", `${record.clusters.length} clusters`, `other clusters than the ${rest.clusters.length} of ${this.file}`);
    const meta = (c: Pick<ControlMeta, "id" | "title" | "severity" | "feature" | "featureName" | "origin" | "tags" | "mappings">): unknown[] => [c.id, c.title, c.severity, c.feature, c.featureName, c.origin, c.tags, c.mappings ?? null];
    record.controls.forEach((c, i) => {
      const stated = rest.controls[i];
      if (stated === undefined || JSON.stringify(meta(c)) !== JSON.stringify(meta(stated))) this.contradict(`evidence/shard.json controls[${i}]`, `${c.id} (${c.severity})`, stated === undefined ? `no such control in ${this.file}` : `${stated.id} (${stated.severity}), as ${this.file} lists it`);
    });
    if (record.controls.length !== rest.controls.length) this.contradict("evidence/shard.json controls", `${record.controls.length} controls`, `${rest.controls.length}, as ${this.file} lists them`);
    for (const k of ["tool", "estate", "inventoryFile", "startedAt", "asOf", "tags", "failOn"] as const) {
      if (canonical(record.head[k]) !== canonical(rest[k])) this.contradict(`evidence/shard.json head.${k}`, show(record.head[k]), `${show(rest[k])}, as ${this.file} says`);
    }
    const waiversOf = (file: string, warnDays: number, ws: readonly Waiver[]): string => canonical({ file, warnDays, waivers: ws.map((w) => ({ ...w, runControl: w.runControl ?? true })) });
    const recorded = record.waivers !== undefined ? waiversOf(record.waivers.file, record.waivers.warnDays, record.waivers.waivers) : "none";
    const stated = rest.waivers !== undefined ? waiversOf(rest.waivers.file, rest.waivers.warnDays, rest.waivers.waivers.map(({ index: _i, state: _s, applied: _a, ...w }) => w)) : "none";
    if (recorded !== stated) this.contradict("evidence/shard.json waivers", record.waivers === undefined ? "none" : `${record.waivers.waivers.length} waivers`, `${rest.waivers === undefined ? "none" : "other waivers"}, as ${this.file} lists them`);
  }

  /** The record's slices in turn: result `at` belongs to the slice whose results it falls in, and must be of that slice's targets. */
  private inSlice(at: number, key: string, r: SummaryResult): string | undefined {
    const record = this.record!;
    while (at >= this.sliceEnd && this.slice < record.slices.length) {
      this.hostsBefore += record.slices[this.slice]!.hosts;
      this.clustersBefore += record.slices[this.slice]!.clusters;
      this.slice += 1;
      this.sliceTargets = undefined;
      this.sliceEnd += record.slices[this.slice]?.results ?? 0;
    }
    const part = record.slices[this.slice];
    if (part === undefined) return `it holds more results than the ${this.sliceEnd} its evidence/shard.json counts`;
    this.sliceTargets ??= new Set([
      ...record.hosts.slice(this.hostsBefore, this.hostsBefore + part.hosts).map((h) => `host ${nameKey(h.name)}`),
      ...record.clusters.slice(this.clustersBefore, this.clustersBefore + part.clusters).map((c) => `cluster ${nameKey(c.name)}`),
      // The directory is judged with the inventory's first host: in shard 1's first slice, nowhere else.
      ...(record.shard.index === 1 && this.slice === 0 ? [`directory ${nameKey(record.head.directory?.name ?? NO_DIRECTORY_NAME)}`] : []),
    ]);
    if (!this.sliceTargets.has(key)) return `a result of ${r.controlId} names ${r.target.kind} ${r.target.name}, which is not among the hosts and clusters of the slice that wrote it`;
    return undefined;
  }
}

type Judged = Pick<SummaryResult, "controlId" | "target" | "status" | "waiver" | "details">;

/** Each result's waiver, checked by applying the waivers again, in the order of the results. */
class WaiverCheck {
  readonly applied: number[];
  private readonly applier: WaiverApplier | undefined;

  private readonly waivers: Waiver[];
  private readonly asOf: Date;

  constructor(
    listed: { warnDays: number; waivers: readonly (Waiver | SummaryWaiver)[] } | undefined,
    asOfDay: string,
    private readonly contradict: (at: number, field: string, stated: unknown, recomputed: unknown) => void,
  ) {
    this.waivers = (listed?.waivers ?? []).map((w) => {
      const { index: _i, state: _s, applied: _a, ...rest } = w as SummaryWaiver;
      return rest;
    });
    this.asOf = new Date(`${asOfDay}T00:00:00Z`);
    this.applied = this.waivers.map(() => 0);
    this.applier = listed !== undefined ? waiverApplier(this.waivers, this.asOf, listed.warnDays) : undefined;
  }

  /**
   * A row that names a waiver: the waiver exists, is a directory waiver of this control, covers the
   * object the row is about (its note opens with the object's DN), and, if the row is accepted, had
   * not expired. The judge cannot be run again here; what the row claims of its waiver can be checked.
   */
  private checkRows(at: number, r: Judged): void {
    r.details.forEach((row, i) => {
      const index = row.waiverIndex!;
      const field = `details[${i}].waiverIndex`;
      const w = this.waivers[index];
      if (w === undefined) return this.contradict(at, field, index, `a waiver of the file: it lists ${this.waivers.length}`);
      if (!isDirectoryScope(w) || w.controlId !== r.controlId) return this.contradict(at, field, index, `a directory waiver of ${r.controlId}; waivers[${index}] is ${waiverLabel(w, index)}`);
      const dn = /^((?:[^\\;]|\\.)+); /.exec(row.note ?? "")?.[1];
      if (dn === undefined || !dnCovers(w.scope.directory, dn)) return this.contradict(at, field, index, `a waiver covering the row's object ${dn ?? "(its note names no DN)"}; waivers[${index}] covers ${w.scope.directory}`);
      if (row.outcome === "allowed") {
        if (isExpired(w.expires, this.asOf)) return this.contradict(at, `details[${i}].outcome`, row.outcome, `deviation: waivers[${index}] expired at the end of ${w.expires}`);
        this.applied[index]! += 1;
      }
    });
  }

  judge(at: number, r: Judged): void {
    this.checkRows(at, r);
    const status = r.waiver?.originalStatus ?? r.status;
    if (status === "waived") return this.contradict(at, "waiver", "none", "the waiver a waived result carries");
    if (this.applier === undefined) {
      if (r.status !== status) this.contradict(at, "status", r.status, `${status}: the report was given no waivers`);
      else if (r.waiver !== undefined) this.contradict(at, "waiver", show(r.waiver), "none: the report was given no waivers");
      return;
    }
    const again = this.applier.apply(asJudged(r.controlId, r.target, status, r.details));
    if (again.waiver !== undefined) this.applied[again.waiver.index]! += 1;
    if (again.status !== r.status) this.contradict(at, "status", r.status, `${again.status} (its waivers applied to ${status})`);
    else if (canonical(again.waiver ?? null) !== canonical(r.waiver ?? null)) this.contradict(at, "waiver", show(r.waiver ?? null), show(again.waiver ?? null));
  }

  notices(): WaiverNotice[] {
    return this.applier?.notices() ?? [];
  }
}

/** A result as its control gave it: what the waivers are applied to. */
function asJudged(controlId: string, target: SummaryResult["target"], status: Result["status"], details: Result["details"]): Result {
  return { status, control: { id: controlId } as ControlMeta, target, expected: "", actual: "", details, evidence: [] };
}

/** JSON with keys sorted, so that two objects built in different orders compare equal. */
function canonical(value: unknown): string {
  return JSON.stringify(value, (_k, v: unknown) => (v !== null && typeof v === "object" && !Array.isArray(v) ? Object.fromEntries(Object.entries(v as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) : v));
}

function noticeDifference(stated: readonly { kind: string; index: number }[], recomputed: readonly { kind: string; index: number }[]): string {
  const key = (n: { kind: string; index: number }): string => `${n.kind} notice of waivers[${n.index}]`;
  const a = stated.map(key);
  const b = recomputed.map(key);
  const extra = a.filter((k) => !b.includes(k));
  const lacking = b.filter((k) => !a.includes(k));
  if (extra.length === 0 && lacking.length === 0) return "their text";
  return [...extra.map((k) => `stated ${k}`), ...lacking.map((k) => `no ${k}`)].slice(0, 3).join(", ");
}
