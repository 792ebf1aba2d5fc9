/**
 * The summary printed at the end of `hostproof run`: a host × control matrix, the totals, the
 * findings and the verdict, laid out in the terminal's width (fit.ts: stdout's columns on a
 * terminal, else COLUMNS, else 80). It has to stay readable at 100,000 hosts and 10,000 controls:
 * - past MATRIX_ROWS rows only the rows that need attention are drawn and the rest are counted;
 * - the matrix is drawn only while it fits the width (two columns per control); past that, each
 *   control's counts per status are listed instead (up to CONTROL_LINES, most failed first), and
 *   the rest counted: every result is in the reports;
 * - findings are listed by severity, then control, then host (finding.ts), each with its severity,
 *   in what-was-found-then-expected words, wrapped to the width and at most FINDING_LINES lines
 *   each (a longer one says so and where the whole is);
 * - every other line is wrapped to the width, and every list is capped, so the summary is a few
 *   dozen lines whatever the estate (10,000 controls once made a 200 MB matrix of 40,029-character lines).
 */
import { digestOf, type DigestRow, type RunDigest } from "../../report/bookkeeping/digest";
import type { RunReport } from "../../model/run";
import type { Result, ResultStatus } from "../../model/result";
import { waiverLines } from "./terminal-waivers";
import { escapeControls as safe } from "../../util/terminal-safe";
import { STATUS_WORDS, statusOf, targetLabel } from "../../report/text";
import { findingText } from "../../report/finding";
import { clip, displayWidth, layoutWidth, pack, pad, wrap } from "./fit";

export { displayWidth } from "./fit";

export interface TerminalOptions {
  color: boolean;
  /** How many failed/undetermined results to list under the matrix; default 20. */
  maxRows?: number;
  /** The terminal's width in columns, which every line must fit; default DEFAULT_WIDTH (fit.ts). */
  width?: number;
}

/** Beyond this many rows the matrix shows only rows with something failed or undetermined. */
export const MATRIX_ROWS = 40;
/** Beyond this many controls no matrix is drawn, however wide the terminal says it is. */
export const MATRIX_COLUMNS = 100;
/** How many controls are listed with their counts when the matrix is not drawn. */
export const CONTROL_LINES = 20;
/** Waivers applied, and waiver notices, listed at most: the rest are in summary.json. */
export const WAIVER_LINES = 20;
/** Lines one finding's text may take; a longer one is cut and says where the whole is. */
export const FINDING_LINES = 4;
/** Lines one waiver or notice may take: the whole waiver is in summary.json. */
const WAIVER_LINE_ROWS = 3;
const LABEL_MAX = 32;

const GLYPH: Readonly<Record<ResultStatus, string>> = {
  passed: "✔",
  failed: "✘",
  undetermined: "?",
  notApplicable: "–",
  waived: "W",
};

const SGR = { red: 31, green: 32, yellow: 33, cyan: 36, dim: 2, bold: 1 } as const;
type Style = keyof typeof SGR;
const STATUS_STYLE: Readonly<Record<ResultStatus, Style>> = {
  passed: "green",
  failed: "red",
  undetermined: "yellow",
  notApplicable: "dim",
  waived: "cyan",
};

function plural(n: number, word: string): string {
  return `${n.toLocaleString("en-US")} ${word}${n === 1 ? "" : "s"}`;
}

/** Takes a whole report or the digest a streamed run gathered (digest.ts). */
export function formatTerminalSummary(input: RunReport | RunDigest, options: TerminalOptions): string {
  const report = "rows" in input ? input : digestOf(input);
  const paint = (style: Style, text: string): string => (options.color ? `\u001b[${SGR[style]}m${text}\u001b[0m` : text);
  const out: string[] = [];

  const { columns } = report;
  const width = layoutWidth(options.width);
  // The matrix is where width is tightest: the directory's row is "AD <domain>" there (Active
  // Directory's own abbreviation, said in the legend), "directory <domain>" everywhere else.
  const label = (r: DigestRow): string => clip(safe(r.kind === "directory" ? `AD ${r.label.slice("directory ".length)}` : r.label), LABEL_MAX);
  const tooMany = report.rowCount > MATRIX_ROWS;
  const candidates = tooMany ? report.rows.filter((r) => r.attention) : report.rows;
  const candidateCount = tooMany ? report.attentionRows : report.rowCount;
  const shown = candidates.slice(0, MATRIX_ROWS);
  const labelWidth = Math.max(4, ...shown.map((r) => displayWidth(label(r)))) + 2;
  // The widest line of the matrix: the last header line (its ID after the rules) or a row.
  const idWidth = Math.max(0, ...columns.map((id) => displayWidth(safe(id))));
  const matrixWidth = labelWidth + Math.max(2 * columns.length - 1, 2 * (columns.length - 1) + idWidth);
  const matrixFits = columns.length <= MATRIX_COLUMNS && matrixWidth <= width;

  const estate = report.estate !== undefined ? [paint("bold", clip(safe(report.estate), Math.min(LABEL_MAX * 2, width - 2)))] : [];
  const counts = [plural(report.hostCount, "host"), plural(report.clusterCount, "cluster"), plural(columns.length, "control")];
  out.push(...pack([paint("bold", `hostproof ${report.tool.version}`), ...estate, counts.join(", "), `as of ${report.asOf}`], width, " · ", { indent: "  " }));
  out.push("");

  if (columns.length === 0 || report.rowCount === 0) {
    out.push(...wrap("  No results: no control applied to any host in this run.", width, { indent: "  " }));
  } else if (!matrixFits) {
    out.push(...controlLines(report, width, matrixWidth, paint));
  } else {
    // Staircase header: each control ID on its own line, its column marked by a rule below.
    const indent = " ".repeat(labelWidth);
    columns.forEach((id, i) => out.push(paint("dim", indent + "│ ".repeat(i)) + safe(id)));
    out.push(paint("dim", indent + "│ ".repeat(columns.length).trimEnd()));
    for (const row of shown) {
      const cells = columns.map((id) => {
        const status = row.cells.get(id);
        return status === undefined ? " " : paint(STATUS_STYLE[status], GLYPH[status]);
      });
      out.push((pad(label(row), labelWidth) + cells.join(" ")).trimEnd());
    }
    const clean = report.rowCount - candidateCount;
    const overflow = candidateCount - shown.length;
    const note = (text: string): string[] => wrap(text, width, { indent: "    " }).map((l) => paint("dim", l));
    if (clean > 0) out.push(...note(`  … ${clean} of ${report.rowCount} rows not shown: nothing failed or undetermined there.`));
    if (overflow > 0) out.push(...note(`  … ${overflow} more rows with failed or undetermined results: see summary.json.`));
  }

  out.push("");
  const legend = (["passed", "failed", "undetermined", "notApplicable", "waived"] as const).map((s) => `${paint(STATUS_STYLE[s], GLYPH[s])} ${STATUS_WORDS[s]}`);
  const directoryRow = matrixFits && shown.some((r) => r.kind === "directory");
  out.push(...pack([...legend, "(blank) not checked", ...(directoryRow ? ["AD: the estate's Active Directory"] : [])], width, "   ", { first: "  ", indent: "  " }));

  const t = report.totals;
  const totals = [paint("green", `${t.passed} passed`), paint("red", `${t.failed} failed`), paint("yellow", `${t.undetermined} undetermined`), `${t.notApplicable} not applicable`, `${t.waived} waived (${t.total} total)`];
  out.push(...pack(totals.map((c, i) => (i < totals.length - 1 ? `${c},` : c)), width, " ", { first: "Results: ", indent: "  " }));

  const findingCount = t.failed + t.undetermined;
  const maxRows = options.maxRows ?? 20;
  const findings = report.findings.slice(0, maxRows);
  if (findings.length > 0) {
    out.push("");
    out.push(...findingLines(findings, width, paint));
    if (findingCount > findings.length) out.push(...wrap(`  … and ${findingCount - findings.length} more: see summary.json or the Allure report.`, width, { indent: "    " }).map((l) => paint("dim", l)));
  }

  const waivers = waiverLines(report, paint, WAIVER_LINES);
  if (waivers.length > 0) {
    out.push("");
    // The header names the waiver file, a path: kept whole. A waiver's text is shortened.
    out.push(...wrap(waivers[0]!, width, { indent: "  ", keepWords: true }));
    for (const line of waivers.slice(1)) out.push(...wrap(line, width, { indent: "    ", maxLines: WAIVER_LINE_ROWS }));
  }

  out.push("");
  const threshold = report.failOn === "any" ? "any severity" : `${report.failOn} or above`;
  const verdictStyle: Style = report.verdict === "compliant" ? "green" : report.verdict === "non-compliant" ? "red" : "yellow";
  out.push(...wrap(`${paint("bold", "Verdict:")} ${paint(verdictStyle, report.verdict.toUpperCase())} (fail on ${threshold}; exit code ${report.exitCode})`, width));
  return out.join("\n") + "\n";
}

/**
 * The findings: status, severity, target and control, then what was found. The text hangs beside
 * its head where that leaves room for it, else goes under it.
 */
function findingLines(findings: readonly Result[], width: number, paint: (style: Style, text: string) => string): string[] {
  const labelOf = (r: Result): string => clip(safe(targetLabel(r.target)), LABEL_MAX);
  const nameWidth = Math.max(...findings.map((r) => displayWidth(labelOf(r))));
  const idWidth = Math.max(...findings.map((r) => displayWidth(safe(r.control.id))));
  const severityWidth = Math.max(...findings.map((r) => r.control.severity.length));
  const headWidth = 2 + severityWidth + 2 + nameWidth + 2 + idWidth + 2;
  // Beside its head only where the text keeps at least half the width; else under it, nearly full width.
  const beside = width - headWidth >= Math.max(50, Math.floor(width / 2));
  const out: string[] = [];
  for (const r of findings) {
    const status = statusOf(r);
    const glyph = paint(STATUS_STYLE[status], GLYPH[status]);
    const head = `${glyph} ${r.control.severity.padEnd(severityWidth)}  ${pad(labelOf(r), nameWidth)}  ${pad(safe(r.control.id), idWidth)}`;
    const text = safe(findingText(r));
    // A text that fits beside its head on one line stays there, whatever the layout.
    const oneLine = displayWidth(head) + 2 + displayWidth(text) <= width;
    const lines = beside || oneLine
      ? wrap(text, width, { first: `${head}  `, indent: " ".repeat(headWidth), maxLines: FINDING_LINES })
      : [...(displayWidth(head) <= width ? [head.trimEnd()] : wrap(head, width, { indent: "    " })), ...wrap(text, width, { first: "    ", indent: "    ", maxLines: FINDING_LINES })];
    out.push(...lines);
    if (lines.at(-1)!.endsWith("…")) out.push(paint("dim", (beside || oneLine ? " ".repeat(headWidth) : "    ") + clip("(cut: see summary.json)", width - (beside ? headWidth : 4))));
  }
  return out;
}

/**
 * Instead of a matrix too wide for the terminal: why, then the controls with the most failed, then
 * undetermined, results, each with its counts per status, then how many more there are.
 */
function controlLines(report: RunDigest, width: number, matrixWidth: number, paint: (style: Style, text: string) => string): string[] {
  const { perControl } = report;
  const why =
    perControl.length > MATRIX_COLUMNS
      ? `No host × control matrix: ${plural(perControl.length, "control")} are more than ${MATRIX_COLUMNS} columns can show.`
      : `No host × control matrix: ${plural(perControl.length, "control")} need ${matrixWidth} columns, the terminal has ${width}.`;
  const out = [
    ...wrap(`  ${why}`, width, { indent: "  " }),
    ...wrap("  Every result is in summary.json, results.csv and the HTML report. Per control, most failed first:", width, { indent: "  " }),
  ];
  const worst = [...perControl].sort((a, b) => b.counts.failed - a.counts.failed || b.counts.undetermined - a.counts.undetermined).slice(0, CONTROL_LINES);
  // What needs action first: failed, undetermined, waived; then not applicable and passed.
  const order = ["failed", "undetermined", "waived", "notApplicable", "passed"] as const;
  const numberWidth = Math.max(1, ...worst.flatMap((c) => order.map((s) => c.counts[s].toLocaleString("en-US").length)));
  const idWidth = Math.max(...worst.map((c) => displayWidth(safe(c.id))));
  for (const c of worst) {
    const cells = order.map((s) => `${paint(STATUS_STYLE[s], GLYPH[s])} ${c.counts[s].toLocaleString("en-US").padStart(numberWidth)}`).join("  ");
    const head = `  ${cells}  ${pad(safe(c.id), idWidth)}`;
    const title = safe(c.title);
    // The title beside the counts where at least 20 columns are left, else on a line of its own; one line either way.
    if (width - displayWidth(head) - 2 >= 20) out.push(`${head}  ${clip(title, width - displayWidth(head) - 2)}`);
    else out.push(...wrap(head.trimEnd(), width, { indent: "    " }), `    ${clip(title, width - 4)}`);
  }
  const rest = perControl.length - worst.length;
  if (rest > 0) {
    const attention = perControl.filter((c) => c.counts.failed + c.counts.undetermined > 0).length - worst.filter((c) => c.counts.failed + c.counts.undetermined > 0).length;
    out.push(...wrap(`  … ${plural(rest, "more control")}: ${attention.toLocaleString("en-US")} with failed or undetermined results, ${(rest - attention).toLocaleString("en-US")} without.`, width, { indent: "    " }).map((l) => paint("dim", l)));
  }
  return out;
}
