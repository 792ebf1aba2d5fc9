/**
 * What the terminal summary and summary.md draw, gathered as the run streams past: counts, the
 * matrix rows worth showing and the first findings in an auditor's order (finding.ts: severity, then
 * control, then target). Both views are bounded (40 and 200 rows, 20 findings), so at 100,000
 * hosts the digest holds a few hundred results, not millions. It also
 * counts each control's results (a few numbers per control), for a terminal too narrow for the matrix.
 */
import type { InventoryCluster } from "../../model/inventory";
import type { Result, ResultStatus, TargetKind } from "../../model/result";
import type { HostRecord, RunReport, StatusTotals } from "../../model/run";
import { SEVERITIES, type Severity } from "../../model/severity";
import { countStatuses } from "../../model/totals";
import type { WaivableStatus } from "../../model/waiver";
import { statusOf } from "../text";
import { compareFindings, type FindingPlaces } from "../finding";

/** Up to this many targets (hosts and clusters) every matrix row is kept, clean ones included. */
export const ALL_ROWS_KEPT_UP_TO = 200;
/** Rows with something to look at, and findings, kept beyond that: the views show fewer. */
export const KEPT = 200;

/** One row of the host × control matrix: a host (inventory order) or a cluster. */
export interface MatrixRow {
  kind: TargetKind;
  /** `node1 (cluster)`, `solo`, `cluster wgclus`. */
  label: string;
  /** Control ID → status; a control with no result for the target has no cell. */
  cells: Map<string, ResultStatus>;
}

export interface DigestRow extends MatrixRow {
  /** Failed or undetermined. */
  attention: boolean;
  /** Failed, undetermined or waived. */
  notClean: boolean;
}

/**
 * What one waiver took: results, by the status they had, and directory objects it accepted inside
 * an estate-wide result (a row of HP-DIR-002, say, whose result keeps its own status).
 */
export type WaivedCounts = Record<WaivableStatus, number> & { objects: number };

/** Counts what `r` shows each waiver took, into `waived` (by the waiver's index in its file). */
export function countWaived(waived: Map<number, WaivedCounts>, r: Result): void {
  const of = (index: number): WaivedCounts => {
    let counts = waived.get(index);
    if (counts === undefined) waived.set(index, (counts = { failed: 0, undetermined: 0, objects: 0 }));
    return counts;
  };
  if (r.waiver !== undefined) of(r.waiver.index)[r.waiver.originalStatus] += 1;
  for (const row of r.details ?? []) if (row.waiverIndex !== undefined && row.outcome === "allowed") of(row.waiverIndex).objects += 1;
}

/** Everything a waiver took: its results and its directory objects. */
export const waivedTotal = (c: WaivedCounts): number => c.failed + c.undetermined + c.objects;

/** `2 failed, 1 undetermined, 3 directory objects`: what a waiver took, in the words every format uses. */
export function waivedText(c: WaivedCounts): string {
  const parts = [c.failed > 0 ? `${c.failed} failed` : "", c.undetermined > 0 ? `${c.undetermined} undetermined` : "", c.objects > 0 ? `${c.objects} directory object${c.objects === 1 ? "" : "s"}` : ""];
  return parts.filter((p) => p !== "").join(", ");
}

export interface RunDigest extends Omit<RunReport, "results" | "hosts" | "clusters"> {
  hostCount: number;
  clusterCount: number;
  /** Control IDs with at least one result, in the run's control order. */
  columns: string[];
  /** Hosts, then clusters: every row up to ALL_ROWS_KEPT_UP_TO targets, else the not-clean ones (up to KEPT each kind). */
  rows: DigestRow[];
  rowCount: number;
  attentionRows: number;
  notCleanRows: number;
  /** Failed and undetermined, by severity, then control (run order), then target (inventory order); the first KEPT. */
  findings: Result[];
  /** What each waiver (by index in the file) took: results by the status they had, and directory objects. */
  waived: Map<number, WaivedCounts>;
  /** Each control's results per status (as the terminal shows them: statusOf), in `columns` order. */
  perControl: ControlCounts[];
  /** The earliest and latest `collectedAt` of the hosts' snapshots, as written there; absent with no host. */
  collected?: CollectionWindow;
}

export interface CollectionWindow {
  earliest: string;
  latest: string;
}

export interface ControlCounts {
  id: string;
  title: string;
  counts: StatusTotals;
}

export interface DigestSlice {
  /** A host's snapshot, when given, widens the collection window. */
  hosts: readonly (Pick<HostRecord, "name" | "cluster"> & { snapshot?: { collectedAt: string } })[];
  clusters: readonly Pick<InventoryCluster, "name">[];
  results: readonly Result[];
}

export class DigestBuilder {
  private readonly keepAll: boolean;
  private readonly hostRows: DigestRow[] = [];
  private readonly clusterRows: DigestRow[] = [];
  private readonly used = new Map<string, ControlCounts>();
  private findings: Result[] = [];
  /**
   * Where each control and target first came, for the findings' order while the run streams: a
   * slice's results come by control in the run's order, and slices by host in inventory order.
   * finish() puts the controls in the run's own order.
   */
  private readonly controlPlace = new Map<string, number>();
  private readonly targetPlace = new Map<string, number>();
  private readonly places: FindingPlaces = {
    control: (id) => this.controlPlace.get(id) ?? Number.MAX_SAFE_INTEGER,
    target: (r) => this.targetPlace.get(`${r.target.kind}\u0000${r.target.name}`) ?? Number.MAX_SAFE_INTEGER,
  };
  private rowCount = 0;
  private attentionRows = 0;
  private notCleanRows = 0;
  private keptAttention = 0;
  private keptNotClean = 0;
  readonly totals: StatusTotals = countStatuses([]);
  readonly failedBySeverity = Object.fromEntries(SEVERITIES.map((s) => [s, 0])) as Record<Severity, number>;
  readonly waived = new Map<number, WaivedCounts>();
  private collected: { earliest: string; latest: string; first: number; last: number } | undefined;

  /** `targets`: hosts plus clusters in the whole run, known from the inventory before any is judged. */
  constructor(targets: number) {
    this.keepAll = targets <= ALL_ROWS_KEPT_UP_TO;
  }

  add(slice: DigestSlice): void {
    const rows = new Map<string, DigestRow>();
    const row = (kind: MatrixRow["kind"], name: string, cluster: string | undefined): DigestRow => {
      const key = `${kind}\u0000${name}`;
      let found = rows.get(key);
      if (found === undefined) {
        // Clusters after every host, as the matrix draws them.
        // The directory last, after every cluster: the estate-wide view below the hosts it is about.
        if (!this.targetPlace.has(key)) this.targetPlace.set(key, (kind === "cluster" ? 1e12 : kind === "directory" ? 2e12 : 0) + this.targetPlace.size);
        const label = kind === "cluster" ? `cluster ${name}` : kind === "directory" ? `directory ${name}` : cluster !== undefined ? `${name} (${cluster})` : name;
        found = { kind, label, cells: new Map(), attention: false, notClean: false };
        rows.set(key, found);
      }
      return found;
    };
    for (const h of slice.hosts) {
      row("host", h.name, h.cluster);
      if (h.snapshot !== undefined) this.widenWindow(h.snapshot.collectedAt);
    }
    for (const c of slice.clusters) row("cluster", c.name, undefined);
    for (const r of slice.results) {
      const status = statusOf(r);
      const target = row(r.target.kind, r.target.name, r.target.cluster);
      target.cells.set(r.control.id, status);
      if (status === "failed" || status === "undetermined") target.attention = true;
      if (status === "failed" || status === "undetermined" || status === "waived") target.notClean = true;
      this.count(r, status);
    }
    for (const r of rows.values()) this.keepRow(r);
  }

  /** Compared as instants (snapshots may carry any zone offset), kept as written. */
  private widenWindow(at: string): void {
    const t = Date.parse(at);
    if (Number.isNaN(t)) return;
    const w = this.collected;
    if (w === undefined) this.collected = { earliest: at, latest: at, first: t, last: t };
    else {
      if (t < w.first) Object.assign(w, { earliest: at, first: t });
      if (t > w.last) Object.assign(w, { latest: at, last: t });
    }
  }

  private count(r: Result, status: ResultStatus): void {
    let control = this.used.get(r.control.id);
    if (!this.controlPlace.has(r.control.id)) this.controlPlace.set(r.control.id, this.controlPlace.size);
    if (control === undefined) this.used.set(r.control.id, (control = { id: r.control.id, title: r.control.title, counts: countStatuses([]) }));
    control.counts[status] += 1;
    control.counts.total += 1;
    this.totals[r.status] += 1;
    this.totals.total += 1;
    if (r.status === "failed") this.failedBySeverity[r.control.severity] += 1;
    countWaived(this.waived, r);
    if (status === "failed" || status === "undetermined") {
      this.findings.push(r);
      if (this.findings.length >= 2 * KEPT) this.trimFindings();
    }
  }

  private trimFindings(): void {
    this.findings.sort((a, b) => compareFindings(a, b, this.places));
    this.findings.length = Math.min(this.findings.length, KEPT);
  }

  private keepRow(r: DigestRow): void {
    this.rowCount += 1;
    if (r.attention) this.attentionRows += 1;
    if (r.notClean) this.notCleanRows += 1;
    const keep = this.keepAll || (r.attention && this.keptAttention < KEPT) || (r.notClean && this.keptNotClean < KEPT);
    if (!keep) return;
    if (r.attention) this.keptAttention += 1;
    if (r.notClean) this.keptNotClean += 1;
    (r.kind === "host" ? this.hostRows : this.clusterRows).push(r);
  }

  /** The digest of everything added; `report` gives the run's own facts. */
  finish(report: Omit<RunDigest, "hostCount" | "clusterCount" | "columns" | "rows" | "rowCount" | "attentionRows" | "notCleanRows" | "findings" | "waived" | "perControl" | "collected">, counts: { hosts: number; clusters: number }, controlOrder: readonly string[]): RunDigest {
    const columns = controlOrder.filter((id) => this.used.has(id));
    // A Set: `includes` on the list made this quadratic in controls (10,000 controls: 10^8 steps).
    const placed = new Set(columns);
    for (const id of this.used.keys()) if (!placed.has(id)) columns.push(id);
    this.controlPlace.clear();
    columns.forEach((id, i) => this.controlPlace.set(id, i));
    this.trimFindings();
    return {
      ...report,
      hostCount: counts.hosts,
      clusterCount: counts.clusters,
      columns,
      rows: [...this.hostRows, ...this.clusterRows],
      rowCount: this.rowCount,
      attentionRows: this.attentionRows,
      notCleanRows: this.notCleanRows,
      findings: this.findings,
      waived: this.waived,
      perControl: columns.map((id) => this.used.get(id)!),
      ...(this.collected !== undefined ? { collected: { earliest: this.collected.earliest, latest: this.collected.latest } } : {}),
    };
  }
}

/** The digest of a whole report held in memory (tests, and any caller with a RunReport). */
export function digestOf(report: RunReport): RunDigest {
  const builder = new DigestBuilder(report.hosts.length + report.clusters.length);
  builder.add(report);
  const { results: _results, hosts, clusters, ...rest } = report;
  // Counted from the results, as every view always did, whatever totals the report carries.
  return builder.finish({ ...rest, totals: builder.totals }, { hosts: hosts.length, clusters: clusters.length }, report.controls.map((c) => c.id));
}
