/**
 * The words every writer uses for a result, so that JUnit, Allure, the terminal and the summary
 * tell an auditor the same sentence.
 */
import type { DetailRow, Result, ResultStatus, Target } from "../model/result";

export const STATUS_WORDS: Readonly<Record<ResultStatus, string>> = {
  passed: "passed",
  failed: "failed",
  undetermined: "undetermined",
  notApplicable: "not applicable",
  waived: "waived",
};

/**
 * A result's status as every writer must handle it. `Result` inherits `status: JudgedStatus`
 * from `Judgement`, so the type says `waived` cannot occur, yet RESULT_STATUSES and the totals
 * reserve it for waivers. Writers widen here so that the day waivers land they already say
 * "waived" instead of falling through a switch.
 */
export function statusOf(result: Result): ResultStatus {
  return result.status;
}

/** `host node1 (cluster wgclus)`, `host solo1`, `cluster wgclus`. */
export function targetTitle(target: Target): string {
  if (target.kind === "cluster") return `cluster ${target.name}`;
  return target.cluster !== undefined ? `host ${target.name} (cluster ${target.cluster})` : `host ${target.name}`;
}

/** The reason line; its `(kind)` part is what the Allure categories match on. */
export function reasonLine(result: Result): string | undefined {
  if (result.reason === undefined) return undefined;
  const status = statusOf(result);
  const label = status === "notApplicable" ? "Not applicable" : status === "waived" ? "Waived" : "Reason";
  return `${label} (${result.reason.kind}): ${result.reason.message}`;
}

/** "Expected: …\nActual: …" plus the rule and the reason when there are any. */
export function auditorMessage(result: Result): string {
  const lines = [`Expected: ${result.expected}`, `Actual: ${result.actual}`];
  if (result.rule !== undefined) lines.push(`Rule: ${result.rule}`);
  const reason = reasonLine(result);
  if (reason !== undefined) lines.push(reason);
  return lines.join("\n");
}

/** Why a result was waived; the waiver feature is not written yet, so the reason is optional. */
export function waiverText(result: Result): string {
  return result.reason?.message ?? "no reason recorded";
}

const DETAIL_COLUMNS = ["Subject", "Expected", "Actual", "Outcome", "Note"] as const;

function detailCells(row: DetailRow): string[] {
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

/** Markdown table of detail rows, for Allure descriptions. */
export function detailsMarkdown(rows: readonly DetailRow[]): string {
  if (rows.length === 0) return "";
  const cell = (s: string): string => s.replace(/\\/g, "\\\\").replace(/\|/g, "\\|") || " ";
  return [
    `| ${DETAIL_COLUMNS.join(" | ")} |`,
    `| ${DETAIL_COLUMNS.map(() => "---").join(" | ")} |`,
    ...rows.map((r) => `| ${detailCells(r).map(cell).join(" | ")} |`),
  ].join("\n");
}

/** Tables are one line per row: a newline inside a cell would break the layout. */
export function oneLine(text: string): string {
  return text.replace(/\r\n|[\r\n]+/g, " ⏎ ");
}
