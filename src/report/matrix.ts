/** The host × control matrix behind the terminal summary and summary.md: one row per target. */
import type { ResultStatus } from "../model/result";
import type { RunReport } from "../model/run";
import { statusOf } from "./text";

export interface MatrixRow {
  kind: "host" | "cluster";
  /** `node1 (cluster)`, `solo`, `cluster wgclus`. */
  label: string;
  /** Control ID → status; a control with no result for the target has no cell. */
  cells: Map<string, ResultStatus>;
}

/** Hosts (inventory order) then clusters; every inventory target has a row, even without results. */
export function matrixRows(report: RunReport): MatrixRow[] {
  const rows = new Map<string, MatrixRow>();
  const add = (kind: MatrixRow["kind"], name: string, cluster: string | undefined): MatrixRow => {
    const key = `${kind}\u0000${name}`;
    let row = rows.get(key);
    if (row === undefined) {
      const label = kind === "cluster" ? `cluster ${name}` : cluster !== undefined ? `${name} (${cluster})` : name;
      row = { kind, label, cells: new Map() };
      rows.set(key, row);
    }
    return row;
  };
  for (const h of report.hosts) add("host", h.name, h.cluster);
  for (const c of report.clusters) add("cluster", c.name, undefined);
  for (const r of report.results) add(r.target.kind, r.target.name, r.target.cluster).cells.set(r.control.id, statusOf(r));
  const all = [...rows.values()];
  return [...all.filter((r) => r.kind === "host"), ...all.filter((r) => r.kind === "cluster")];
}

export const hasStatus = (row: MatrixRow, ...statuses: ResultStatus[]): boolean => [...row.cells.values()].some((s) => statuses.includes(s));
