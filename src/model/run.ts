/** Everything one run produced, handed to the reporters. */
import type { Drift } from "../report/bookkeeping/drift";
import type { InventoryCluster } from "./inventory";
import type { ControlMeta, Result, ResultStatus } from "./result";
import type { Severity } from "./severity";
import type { Snapshot } from "./snapshot";
import type { WaiverReport } from "./waiver";

/**
 * Exit codes of `hostproof run` (documented in the README):
 * 0 compliant, 1 non-compliant at or above --fail-on, 2 nothing failing but something
 * undetermined, 3 bad usage or bad input, 4 internal error (a bug: please report it),
 * 5 the file system refused (read-only, permission denied, full; src/environment-error.ts).
 */
export const EXIT = { compliant: 0, nonCompliant: 1, undetermined: 2, badInput: 3, internal: 4, environment: 5 } as const;
export type ExitCode = (typeof EXIT)[keyof typeof EXIT];

export type Verdict = "compliant" | "non-compliant" | "undetermined";

export interface HostRecord {
  name: string;
  cluster?: string;
  address?: string;
  /** Snapshot path as given in the inventory, resolved against the inventory's folder. */
  snapshotFile?: string;
  snapshot: Snapshot;
  /** The bytes of `snapshotFile` as read and judged: kept as evidence without reading it again. */
  raw?: Buffer;
}

export interface PhaseTimings {
  loadMs: number;
  judgeMs: number;
  writeMs: number;
  reportMs: number;
}

export type StatusTotals = Record<ResultStatus, number> & { total: number };

/**
 * The directory snapshot a run judged its estate-wide controls over, as summary.json lists it:
 * kept in the report at `file` (evidence/directory/<name>, pinned by the manifest), `name` the
 * directory target's (the domain), `url` and `base` the query as the snapshot records it.
 */
/** The directory target's name when the run was given no snapshot to name it by its domain. */
export const NO_DIRECTORY_NAME = "directory";

export interface DirectoryRecord {
  name: string;
  file: string;
  sha256: string;
  objects: number;
  collectedAt: string;
  finishedAt: string;
  url: string;
  base: string;
}

export interface RunReport {
  tool: { name: "hostproof"; version: string };
  estate?: string;
  inventoryFile: string;
  startedAt: string;
  finishedAt: string;
  /** The day end-of-support dates were compared with (yyyy-mm-dd). */
  asOf: string;
  /** The Cucumber tag expression that selected controls, if any. */
  tags?: string;
  failOn: Severity | "any";
  /** Present when the run was given a directory snapshot. */
  directory?: DirectoryRecord;
  verdict: Verdict;
  exitCode: ExitCode;
  totals: StatusTotals;
  controls: ControlMeta[];
  hosts: HostRecord[];
  clusters: InventoryCluster[];
  /** Results after waivers: a waived one carries the waiver and its original status. */
  results: Result[];
  /** Present when the run was given a waiver file (--waivers). */
  waivers?: WaiverReport;
  /** What changed since the previous run of the same report (src/report/bookkeeping/drift.ts). */
  drift?: Drift;
  timings: PhaseTimings;
}
