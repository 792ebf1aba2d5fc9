/** Counting results per status: one definition for the verdict and every report. */
import { RESULT_STATUSES, type Result, type ResultStatus } from "./result";
import type { StatusTotals } from "./run";

export function countStatuses(results: readonly Pick<Result, "status">[]): StatusTotals {
  const totals = Object.fromEntries(RESULT_STATUSES.map((s) => [s, 0])) as Record<ResultStatus, number>;
  for (const r of results) totals[r.status] += 1;
  return { ...totals, total: results.length };
}
