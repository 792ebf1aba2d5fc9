/**
 * A finding (a failed or undetermined result) as the terminal summary and summary.md list it: in
 * one order and in one sentence, so that both say the same thing.
 *
 * The sentence leads with what was found, then what was expected: "W32Time (Windows Time): status
 * Stopped, start type Manual; expected the service W32Time is running". Judges state a result's
 * `expected` as the compliant condition ("the service W32Time is running"), and a control made of
 * several checks lists each check as a detail row whose subject is that condition (combine.ts):
 * shown first, either reads like a pass. An undetermined result gives its reason (what could not
 * be read, and why).
 *
 * The order is that of an auditor's list (InSpec's and Heimdall's): severity (critical first),
 * then control in the run's order, then target (hosts in inventory order, then clusters).
 */
import type { DetailRow, Result } from "../model/result";
import { SEVERITIES } from "../model/severity";
import { reasonSaid, statusOf } from "./text";

/** What a finding found, then what was expected; plain text, not yet escaped for any output. */
export function findingText(r: Result): string {
  const status = r.status === "waived" ? r.waiver?.originalStatus : statusOf(r);
  if (status === "undetermined") {
    // The reason's message says what could not be read ("probe uacPolicy could not be read …").
    return r.reason !== undefined ? reasonSaid(r.reason) : r.actual;
  }
  const deviations = (r.details ?? []).filter((d) => d.outcome === "deviation");
  if (deviations.length === 0) return `${r.actual}; expected ${r.expected}`;
  // Checks that found the same thing (two conditions on one service) say it once.
  const byFound = new Map<string, string[]>();
  for (const d of deviations) {
    const { found, expected } = deviationParts(d);
    const list = byFound.get(found) ?? [];
    if (!list.includes(expected)) list.push(expected);
    byFound.set(found, list);
  }
  return [...byFound].map(([found, expected]) => `${found}; expected ${expected.join(" and ")}`).join(" · ");
}

/** A detail row's found and expected parts; a check's row (combine.ts) has its condition as subject. */
function deviationParts(d: DetailRow): { found: string; expected: string } {
  if (d.expected === "holds") return { found: d.actual, expected: d.subject };
  return { found: `${d.subject}: ${d.actual}`, expected: d.expected };
}

/** Position of a severity in SEVERITIES (critical first). */
export function severityRank(r: Result): number {
  const i = SEVERITIES.indexOf(r.control.severity);
  return i < 0 ? SEVERITIES.length : i;
}

/** Where a control and a target stand in the run; lower first. */
export interface FindingPlaces {
  control(id: string): number;
  target(r: Result): number;
}

/** Severity, then control, then target. */
export function compareFindings(a: Result, b: Result, places: FindingPlaces): number {
  return severityRank(a) - severityRank(b) || places.control(a.control.id) - places.control(b.control.id) || places.target(a) - places.target(b);
}
