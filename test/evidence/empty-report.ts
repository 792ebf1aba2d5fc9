/** summary.json and junit.xml of a run that judged nothing: a report that agrees with itself, for tests of the manifest. */
import type { RunReport } from "../../src/model/run";
import { countStatuses } from "../../src/model/totals";
import { writeJunit } from "../../src/report/formats/junit";
import { writeSummary } from "../../src/report/formats/summary";

export const EMPTY_RUN: RunReport = {
  tool: { name: "hostproof", version: "0.0.0-test" },
  inventoryFile: "inventory.yaml",
  startedAt: "2026-11-22T10:00:00.000Z",
  finishedAt: "2026-11-22T10:00:01.000Z",
  asOf: "2026-11-22",
  failOn: "high",
  verdict: "compliant",
  exitCode: 0,
  totals: countStatuses([]),
  controls: [],
  hosts: [],
  clusters: [],
  results: [],
  timings: { loadMs: 0, judgeMs: 0, writeMs: 0, reportMs: 0 },
};

/** Writes summary.json, and junit.xml unless told not to, into `dir`. */
export async function writeEmptyRun(dir: string, options: { junit?: boolean } = {}): Promise<void> {
  await writeSummary(dir, EMPTY_RUN);
  if (options.junit !== false) await writeJunit(dir, EMPTY_RUN);
}
