/**
 * The words every writer uses for a result, so that JUnit, Allure, the terminal and the summary
 * tell an auditor the same sentence.
 */
import type { DetailRow, Result, ResultStatus, Target } from "../model/result";
import { approvalText } from "../waivers/describe";

export const STATUS_WORDS: Readonly<Record<ResultStatus, string>> = {
  passed: "passed",
  failed: "failed",
  undetermined: "undetermined",
  notApplicable: "not applicable",
  waived: "waived",
};

/** A result's status as every writer switches on it, `waived` included. */
export function statusOf(result: Result): ResultStatus {
  return result.status;
}

/** `host node1 (cluster wgclus)`, `host solo1`, `cluster wgclus`, `directory corp.example`. */
export function targetTitle(target: Target): string {
  if (target.kind !== "host") return targetLabel(target);
  return target.cluster !== undefined ? `host ${target.name} (cluster ${target.cluster})` : `host ${target.name}`;
}

/**
 * A target where a column or heading already reads as hosts: a host by its name, the others by
 * kind and name (`cluster wgclus`, `directory corp.example`), never one mistaken for another.
 */
export function targetLabel(target: Pick<Target, "kind" | "name">): string {
  return target.kind === "host" ? target.name : `${target.kind} ${target.name}`;
}

/**
 * The reason line; its `(kind)` part is what the Allure categories match on. A waived result
 * that was undetermined keeps its `Reason (…)` line: the waiver does not make the fact readable.
 */
export function reasonLine(result: Result): string | undefined {
  if (result.reason === undefined) return undefined;
  const label = statusOf(result) === "notApplicable" ? "Not applicable" : "Reason";
  return `${label} (${result.reason.kind}): ${result.reason.message}`;
}

/**
 * A reason said once: its kind is named unless the message already says it (a probe's message
 * reads "… could not be read (access-denied): …") or the status does (not applicable). Plain text.
 */
export function reasonSaid(reason: NonNullable<Result["reason"]>): string {
  return reason.kind === "not-applicable" || reason.message.includes(reason.kind) ? reason.message : `${reason.kind}: ${reason.message}`;
}

/** `Waived (failed): <justification> (approved by …; <reference>; expires …)`: Allure's "Waived" category matches it. */
export function waiverLine(result: Result): string | undefined {
  if (result.waiver === undefined) return undefined;
  return `Waived (${result.waiver.originalStatus}): ${waiverText(result)}`;
}

/** "Expected: …\nActual: …" plus the rule, the reason and the waiver when there are any. */
export function auditorMessage(result: Result): string {
  const lines = [`Expected: ${result.expected}`, `Actual: ${result.actual}`];
  if (result.rule !== undefined) lines.push(`Rule: ${result.rule}`);
  for (const line of [reasonLine(result), waiverLine(result)]) if (line !== undefined) lines.push(line);
  return lines.join("\n");
}

/** `<justification> (approved by <approver>; <reference>; expires <date>)`. */
export function waiverText(result: Result): string {
  const w = result.waiver;
  return w === undefined ? "no waiver recorded" : `${w.justification} (${approvalText(w)})`;
}

export const DETAIL_COLUMNS = ["Subject", "Expected", "Actual", "Outcome", "Note"] as const;

/** A detail row's cells, each on one line. */
export function detailCells(row: DetailRow): string[] {
  return [row.subject, row.expected, row.actual, row.outcome, row.note ?? ""].map(oneLine);
}

/** Aligned plain-text table of detail rows, for stack-trace panes and JUnit bodies (monospace). */
export function detailsText(rows: readonly DetailRow[]): string {
  if (rows.length === 0) return "";
  const body = rows.map(detailCells);
  const widths = DETAIL_COLUMNS.map((h, i) => Math.max(h.length, ...body.map((r) => r[i]!.length)));
  const line = (cells: readonly string[]): string => cells.map((c, i) => c.padEnd(widths[i]!)).join("  ").trimEnd();
  return [line(DETAIL_COLUMNS), line(widths.map((w) => "-".repeat(w))), ...body.map(line)].join("\n");
}

/** Tables are one line per row: a newline inside a cell would break the layout. */
export function oneLine(text: string): string {
  return text.replace(/\r\n|[\r\n]+/g, " ⏎ ");
}
