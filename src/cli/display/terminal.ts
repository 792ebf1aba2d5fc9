/**
 * The summary printed at the end of `hostproof run`: a host × control matrix, the totals, the
 * worst findings and the verdict. It has to stay readable at 100,000 hosts and 10,000 controls:
 * - past MATRIX_ROWS rows only the rows that need attention are drawn and the rest are counted;
 * - the matrix is drawn only while it fits the terminal's width (two columns per control); past
 *   that, the controls with the most failed and undetermined results are listed with their counts
 *   (up to CONTROL_LINES), and the rest counted: every result is in the reports;
 * - every line is cut to the terminal's width or LINE_CAP columns, whichever is wider, and every
 *   list is capped, so the summary is a few dozen lines whatever the estate (10,000 controls once
 *   made a 200 MB matrix of 40,029-character lines).
 */
import { digestOf, type DigestRow, type RunDigest } from "../../report/bookkeeping/digest";
import type { RunReport } from "../../model/run";
import type { Result, ResultStatus } from "../../model/result";
import { waiverLines } from "./terminal-waivers";
import { escapeControls as safe } from "../../util/terminal-safe";
import { STATUS_WORDS, statusOf } from "../../report/text";

export interface TerminalOptions {
  color: boolean;
  /** How many failed/undetermined lines to list under the matrix; default 20. */
  maxRows?: number;
  /** The terminal's width in columns, which the matrix must fit; default DEFAULT_WIDTH. */
  width?: number;
}

/** Beyond this many rows the matrix shows only rows with something failed or undetermined. */
export const MATRIX_ROWS = 40;
/** Beyond this many controls no matrix is drawn, however wide the terminal says it is. */
export const MATRIX_COLUMNS = 100;
/** How many controls are listed with their counts when the matrix is not drawn. */
export const CONTROL_LINES = 20;
/** Where the output is not a terminal (a pipe, a CI log) and COLUMNS does not say. */
export const DEFAULT_WIDTH = 80;
/** Waivers applied, and waiver notices, listed at most: the rest are in summary.json. */
export const WAIVER_LINES = 20;
const LABEL_MAX = 32;
const LINE_MAX = 110;
/** Any line (a waiver's justification, a control's title) is cut here, or at a wider terminal's width. */
const LINE_CAP = 240;
/** Whatever width a terminal claims, no line is longer than this. */
const WIDTH_MAX = 500;

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

/** Terminal columns a string occupies: East Asian wide characters take two. */
export function displayWidth(text: string): number {
  let width = 0;
  for (const ch of text) {
    const cp = ch.codePointAt(0)!;
    const wide =
      (cp >= 0x1100 && cp <= 0x115f) ||
      (cp >= 0x2e80 && cp <= 0xa4cf) ||
      (cp >= 0xac00 && cp <= 0xd7a3) ||
      (cp >= 0xf900 && cp <= 0xfaff) ||
      (cp >= 0xfe30 && cp <= 0xfe4f) ||
      (cp >= 0xff00 && cp <= 0xff60) ||
      (cp >= 0xffe0 && cp <= 0xffe6) ||
      (cp >= 0x20000 && cp <= 0x3fffd);
    width += wide ? 2 : 1;
  }
  return width;
}

function plural(n: number, word: string): string {
  return `${n.toLocaleString("en-US")} ${word}${n === 1 ? "" : "s"}`;
}

function pad(text: string, width: number): string {
  return text + " ".repeat(Math.max(0, width - displayWidth(text)));
}

function clip(text: string, width: number): string {
  if (displayWidth(text) <= width) return text;
  let out = "";
  let used = 0;
  for (const ch of text) {
    const w = displayWidth(ch);
    if (used + w > width - 1) break;
    out += ch;
    used += w;
  }
  return out + "…";
}

const SGR_AT = /^\u001b\[[0-9;]*m/;

/** A painted line cut to `width` visible columns; colour codes take none, and a line cut inside a colour ends with a reset. */
function clipLine(line: string, width: number): string {
  if (displayWidth(line) <= width) return line;
  let out = "";
  let used = 0;
  let painted = false;
  for (let i = 0; i < line.length; ) {
    const sgr = SGR_AT.exec(line.slice(i, i + 16));
    if (sgr !== null) {
      out += sgr[0];
      // Open until a reset: a line cut while a colour is on ends with one.
      painted = sgr[0] !== "\u001b[0m";
      i += sgr[0].length;
      continue;
    }
    const ch = String.fromCodePoint(line.codePointAt(i)!);
    const w = displayWidth(ch);
    if (used + w > width - 1) return `${out}…${painted ? "\u001b[0m" : ""}`;
    out += ch;
    used += w;
    i += ch.length;
  }
  return out;
}

/** Input-file text (captions, adapter names, probe errors), escaped: see terminal-safe.ts. */
function findingText(r: Result): string {
  return safe(rawFindingText(r));
}

function rawFindingText(r: Result): string {
  if (statusOf(r) === "undetermined") return r.reason !== undefined ? `${r.reason.kind}: ${r.reason.message}` : r.actual;
  const deviations = (r.details ?? []).filter((d) => d.outcome === "deviation");
  return deviations.length > 0 ? deviations.map((d) => `${d.subject}: ${d.actual}`).join("; ") : r.actual;
}

/** Takes a whole report or the digest a streamed run gathered (digest.ts). */
export function formatTerminalSummary(input: RunReport | RunDigest, options: TerminalOptions): string {
  const report = "rows" in input ? input : digestOf(input);
  const paint = (style: Style, text: string): string => (options.color ? `\u001b[${SGR[style]}m${text}\u001b[0m` : text);
  const out: string[] = [];

  const { columns } = report;
  const width = Math.min(WIDTH_MAX, Math.max(20, Math.floor(options.width ?? DEFAULT_WIDTH)));
  const label = (r: DigestRow): string => clip(safe(r.label), LABEL_MAX);
  const tooMany = report.rowCount > MATRIX_ROWS;
  const candidates = tooMany ? report.rows.filter((r) => r.attention) : report.rows;
  const candidateCount = tooMany ? report.attentionRows : report.rowCount;
  const shown = candidates.slice(0, MATRIX_ROWS);
  const labelWidth = Math.max(4, ...shown.map((r) => displayWidth(label(r)))) + 2;
  // The widest line of the matrix: the last header line (its ID after the rules) or a row.
  const idWidth = Math.max(0, ...columns.map((id) => id.length));
  const matrixWidth = labelWidth + Math.max(2 * columns.length - 1, 2 * (columns.length - 1) + idWidth);
  const matrixFits = columns.length <= MATRIX_COLUMNS && matrixWidth <= width;

  const estate = report.estate !== undefined ? ` · ${clip(safe(report.estate), LABEL_MAX * 2)}` : "";
  const counts = [plural(report.hostCount, "host"), plural(report.clusterCount, "cluster"), plural(columns.length, "control")];
  out.push(paint("bold", `hostproof ${report.tool.version}${estate}`) + ` · ${counts.join(", ")} · as of ${report.asOf}`);
  out.push("");

  if (columns.length === 0 || report.rowCount === 0) {
    out.push("  No results: no control applied to any host in this run.");
  } else if (!matrixFits) {
    out.push(...controlLines(report, width, matrixWidth, paint));
  } else {
    // Staircase header: each control ID on its own line, its column marked by a rule below.
    const indent = " ".repeat(labelWidth);
    columns.forEach((id, i) => out.push(paint("dim", indent + "│ ".repeat(i)) + id));
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
    if (clean > 0) out.push(paint("dim", `  … ${clean} of ${report.rowCount} rows not shown: nothing failed or undetermined there.`));
    if (overflow > 0) out.push(paint("dim", `  … ${overflow} more rows with failed or undetermined results: see summary.json.`));
  }

  out.push("");
  out.push(
    paint("dim", "  ") +
      (["passed", "failed", "undetermined", "notApplicable", "waived"] as const)
        .map((s) => `${paint(STATUS_STYLE[s], GLYPH[s])} ${STATUS_WORDS[s]}`)
        .join("   ") +
      "   (blank) not checked",
  );

  const t = report.totals;
  out.push(
    `Results: ${paint("green", `${t.passed} passed`)}, ${paint("red", `${t.failed} failed`)}, ` +
      `${paint("yellow", `${t.undetermined} undetermined`)}, ${t.notApplicable} not applicable, ${t.waived} waived (${t.total} total)`,
  );

  const findings = report.findings.map((r) => ({ r }));
  const findingCount = t.failed + t.undetermined;
  const maxRows = options.maxRows ?? 20;
  if (findings.length > 0) {
    out.push("");
    const targetLabel = (r: Result): string => safe(r.target.kind === "cluster" ? `cluster ${r.target.name}` : r.target.name);
    const nameWidth = Math.min(LABEL_MAX, Math.max(...findings.map((f) => displayWidth(targetLabel(f.r)))));
    const idWidth = Math.max(...findings.map((f) => f.r.control.id.length));
    for (const { r } of findings.slice(0, maxRows)) {
      const status = statusOf(r);
      const name = clip(targetLabel(r), LABEL_MAX);
      const head = `${GLYPH[status]} ${pad(name, nameWidth)}  ${r.control.id.padEnd(idWidth)}  `;
      const line = head + clip(findingText(r), Math.max(20, LINE_MAX - displayWidth(head)));
      out.push(paint(STATUS_STYLE[status], GLYPH[status]) + line.slice(GLYPH[status].length));
    }
    if (findingCount > maxRows) out.push(paint("dim", `  … and ${findingCount - maxRows} more: see summary.json or the Allure report.`));
  }

  const waivers = waiverLines(report, paint, WAIVER_LINES);
  if (waivers.length > 0) out.push("", ...waivers);

  out.push("");
  const threshold = report.failOn === "any" ? "any severity" : `${report.failOn} or above`;
  const verdictStyle: Style = report.verdict === "compliant" ? "green" : report.verdict === "non-compliant" ? "red" : "yellow";
  out.push(`${paint("bold", "Verdict:")} ${paint(verdictStyle, report.verdict.toUpperCase())} (fail on ${threshold}; exit code ${report.exitCode})`);
  const lineMax = Math.max(width, LINE_CAP);
  return out.map((l) => clipLine(l, lineMax)).join("\n") + "\n";
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
  const out = [`  ${why}`, "  Every result is in summary.json, results.csv and the HTML report. Per control, most failed first:"];
  const worst = [...perControl].sort((a, b) => b.counts.failed - a.counts.failed || b.counts.undetermined - a.counts.undetermined).slice(0, CONTROL_LINES);
  const order = ["failed", "undetermined", "passed", "notApplicable", "waived"] as const;
  const numberWidth = Math.max(1, ...worst.flatMap((c) => order.map((s) => c.counts[s].toLocaleString("en-US").length)));
  const idWidth = Math.max(...worst.map((c) => c.id.length));
  for (const c of worst) {
    const cells = order.map((s) => `${paint(STATUS_STYLE[s], GLYPH[s])} ${c.counts[s].toLocaleString("en-US").padStart(numberWidth)}`).join("  ");
    out.push(`  ${cells}  ${c.id.padEnd(idWidth)}  ${safe(c.title)}`);
  }
  const rest = perControl.length - worst.length;
  if (rest > 0) {
    const attention = perControl.filter((c) => c.counts.failed + c.counts.undetermined > 0).length - worst.filter((c) => c.counts.failed + c.counts.undetermined > 0).length;
    out.push(paint("dim", `  … ${plural(rest, "more control")}: ${attention.toLocaleString("en-US")} with failed or undetermined results, ${(rest - attention).toLocaleString("en-US")} without.`));
  }
  return out;
}
