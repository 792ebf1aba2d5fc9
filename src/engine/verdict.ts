/** Turns results into totals, a verdict and an exit code. */
import type { Result } from "../model/result";
import { EXIT, type ExitCode, type StatusTotals, type Verdict } from "../model/run";
import { atOrAbove, SEVERITIES, type Severity } from "../model/severity";
import { countStatuses } from "../model/totals";

/**
 * Non-compliance below the --fail-on threshold is reported but does not fail the gate; it still
 * counts against "compliant", so such a run ends with 2 when something was undetermined, else 0.
 *
 * Give it the results after waivers: a waived result is an accepted risk, neither failed nor
 * undetermined, so it neither fails the gate nor stands in the way of "compliant". The waiver's
 * record of the original status is for readers, not for the gate.
 */
export function verdictOf(results: Result[], failOn: Severity | "any"): { verdict: Verdict; exitCode: ExitCode } {
  const failed = Object.fromEntries(SEVERITIES.map((s) => [s, 0])) as Record<Severity, number>;
  for (const r of results) if (r.status === "failed") failed[r.control.severity] += 1;
  return verdictFrom(countStatuses(results), failed, failOn);
}

/** The same from counts, as a streamed run keeps them: failed results per severity, and totals. */
export function verdictFrom(totals: StatusTotals, failedBySeverity: Readonly<Record<Severity, number>>, failOn: Severity | "any"): { verdict: Verdict; exitCode: ExitCode } {
  const gating = SEVERITIES.filter((s) => failOn === "any" || atOrAbove(s, failOn)).reduce((n, s) => n + failedBySeverity[s], 0);
  if (gating > 0) return { verdict: "non-compliant", exitCode: EXIT.nonCompliant };
  if (totals.undetermined > 0) return { verdict: "undetermined", exitCode: EXIT.undetermined };
  if (totals.failed > 0) return { verdict: "non-compliant", exitCode: EXIT.compliant };
  return { verdict: "compliant", exitCode: EXIT.compliant };
}
