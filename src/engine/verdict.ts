/** Turns results into totals, a verdict and an exit code. */
import type { Result } from "../model/result";
import { EXIT, type ExitCode, type Verdict } from "../model/run";
import { atOrAbove, type Severity } from "../model/severity";

/**
 * Non-compliance below the --fail-on threshold is reported but does not fail the gate; it still
 * counts against "compliant", so such a run ends with 2 when something was undetermined, else 0.
 *
 * Give it the results after waivers: a waived result is an accepted risk, neither failed nor
 * undetermined, so it neither fails the gate nor stands in the way of "compliant". The waiver's
 * record of the original status is for readers, not for the gate.
 */
export function verdictOf(results: Result[], failOn: Severity | "any"): { verdict: Verdict; exitCode: ExitCode } {
  const gating = results.filter((r) => r.status === "failed" && (failOn === "any" || atOrAbove(r.control.severity, failOn)));
  if (gating.length > 0) return { verdict: "non-compliant", exitCode: EXIT.nonCompliant };
  if (results.some((r) => r.status === "undetermined")) return { verdict: "undetermined", exitCode: EXIT.undetermined };
  if (results.some((r) => r.status === "failed")) return { verdict: "non-compliant", exitCode: EXIT.compliant };
  return { verdict: "compliant", exitCode: EXIT.compliant };
}
