/**
 * One result per control and target, however many checks the control makes: a scenario with
 * several Then steps, or a Scenario Outline whose Examples rows each add a check (as a loop of
 * describe blocks inside one InSpec control does). The combined result is as bad as its worst
 * check (failed, then undetermined, then passed, then not applicable), cites every check's
 * evidence, and lists each check as a detail row so that an auditor sees which one failed.
 */
import type { DetailRow, EvidenceRef, Result } from "../model/result";
import type { RunContext } from "./run-context";

const RANK: Readonly<Record<Result["status"], number>> = { notApplicable: 0, passed: 1, waived: 1, undetermined: 2, failed: 3 };
const OUTCOME: Readonly<Record<Result["status"], DetailRow["outcome"]>> = {
  passed: "ok",
  failed: "deviation",
  undetermined: "unreadable",
  notApplicable: "info",
  waived: "allowed",
};

interface Slot {
  index: number;
  parts: Result[];
}

const slots = new WeakMap<RunContext, Map<string, Slot>>();

/**
 * Adds a check's result to the run, to be combined with the control's other checks of the same
 * target by settleResults. Combining as each check arrives would redo the whole combination per
 * check: an outline of N rows would cost N² per target (issue 18: 1,000 rows took 33 s).
 */
export function recordResult(run: RunContext, result: Result): void {
  let byKey = slots.get(run);
  if (byKey === undefined) slots.set(run, (byKey = new Map()));
  const key = `${result.control.id}\u0000${result.target.kind}\u0000${result.target.name}`;
  const slot = byKey.get(key);
  if (slot === undefined) {
    byKey.set(key, { index: run.results.length, parts: [result] });
    run.results.push(result);
    return;
  }
  slot.parts.push(result);
}

/** Puts each target's combined result in its place in run.results; call once every check has run. */
export function settleResults(run: RunContext): void {
  const byKey = slots.get(run);
  if (byKey === undefined) return;
  for (const slot of byKey.values()) if (slot.parts.length > 1) run.results[slot.index] = combine(slot.parts);
  slots.delete(run);
}

export function combine(parts: readonly Result[]): Result {
  if (parts.length === 1) return parts[0];
  const worst = parts.reduce((a, b) => (RANK[b.status] > RANK[a.status] ? b : a));
  const evidence: EvidenceRef[] = [];
  const cited = new Set<string>();
  for (const p of parts) {
    for (const e of p.evidence) {
      const key = `${e.host}\u0000${e.probe}`;
      if (cited.has(key)) continue;
      cited.add(key);
      evidence.push(e);
    }
  }
  const details: DetailRow[] = parts.flatMap((p) => [
    { subject: p.expected, expected: "holds", actual: p.actual, outcome: OUTCOME[p.status] },
    ...(p.details ?? []),
  ]);
  const rules = [...new Set(parts.flatMap((p) => (p.rule !== undefined ? [p.rule] : [])))];
  const failing = parts.filter((p) => p.status === worst.status).length;
  const combined: Result = {
    status: worst.status,
    control: worst.control,
    target: worst.target,
    expected: parts.map((p) => p.expected).join("; "),
    actual: worst.status === "passed" || worst.status === "notApplicable" ? parts.map((p) => p.actual).join("; ") : `${failing} of ${parts.length} checks ${worst.status === "failed" ? "fail" : "could not be judged"}: ${parts.filter((p) => p.status === worst.status).map((p) => p.actual).join("; ")}`,
    details,
    evidence,
  };
  if (worst.reason !== undefined) combined.reason = worst.reason;
  if (rules.length > 0) combined.rule = rules.join("; ");
  return combined;
}
