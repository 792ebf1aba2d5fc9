/**
 * evidence/run.json: what a report's formats are derived from beyond summary.json and the
 * snapshots (schemas/run.schema.json). summary.json names each control, but HDF, Allure and the
 * pages also show its rationale, remediation and source; Allure's Environment panel and executor
 * say who ran the report; and a format that groups by slice (the pages, JUnit's suites) needs the
 * slices the run wrote. Every run and merge writes it, so that `hostproof export` gives the bytes
 * the run gave.
 */
import type { ManifestShard } from "../../evidence/manifest";
import type { ControlMeta } from "../../model/result";
import type { AllureExecutor } from "../formats/allure/executor";
import type { EnvironmentInfo } from "../formats/allure/allure-sdk";

export const RUN_RECORD_FILE = "evidence/run.json";

export interface RecordSlice {
  /** The next this many hosts of summary.json's `hosts`. */
  hosts: number;
  /** The slice's clusters, by name (summary.json's `clusters` has their nodes). */
  clusters: string[];
  /** The next this many results of summary.json's `results`. */
  results: number;
}

export interface RunRecord {
  schemaVersion: 1;
  /** Every control the run selected, with its texts. */
  controls: ControlMeta[];
  /** Allure's Environment panel as the report shows it. */
  environment: EnvironmentInfo;
  /** Allure's executor.json as the report holds it. */
  executor?: AllureExecutor;
  slices: RecordSlice[];
  /** A merged report's shards, as its manifest lists them: the pages name them on the first page. */
  shards?: ManifestShard[];
}

/** The slices as they are written, for the record. */
export class RecordSlices {
  readonly slices: RecordSlice[] = [];

  add(slice: { hosts: readonly unknown[]; clusters: readonly { name: string }[]; results: readonly unknown[] }): void {
    this.slices.push({ hosts: slice.hosts.length, clusters: slice.clusters.map((c) => c.name), results: slice.results.length });
  }
}

export function runRecordText(record: RunRecord): string {
  return `${JSON.stringify(record, null, 1)}\n`;
}
