/**
 * summary.md: the run in a form GitHub (job summary, PR comment) and other Markdown viewers show
 * as is. GitHub refuses a job summary over 1 MiB, so its size is bounded whatever the estate or
 * the text in it (test/report/summary-md-size.test.ts writes one for 100,000 hosts):
 * - past ALL_ROWS_UP_TO hosts only the rows with something to look at are drawn, at most
 *   MAX_ROWS of them, and the rest are counted;
 * - past MATRIX_COLUMNS controls no host × control matrix but each control's counts per status,
 *   at most MAX_CONTROL_ROWS controls (most failed first), the rest counted;
 * - at most MAX_FAILURES findings, by severity, then control, then host (finding.ts);
 * - every name and text from an input is cut to a bounded length before it is escaped.
 */
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { digestOf, type RunDigest } from "../bookkeeping/digest";
import type { RunReport } from "../../model/run";
import type { ResultStatus } from "../../model/result";
import { hasDrift, type Drift } from "../bookkeeping/drift";
import { escapeControls } from "../../util/terminal-safe";
import { oneLine, STATUS_WORDS, statusOf, targetLabel } from "../text";
import { findingText } from "../finding";
import type { Format } from "./format";

export const SUMMARY_MD_FILE = "summary.md";
/** Up to this many hosts every row is drawn. */
export const ALL_ROWS_UP_TO = 50;
/** Never more rows than this (about 30 KB with 16 controls). */
export const MAX_ROWS = 200;
/** Findings listed at most. */
export const MAX_FAILURES = 20;
/** Beyond this many controls a matrix is unreadable in a page: counts per control instead. */
export const MATRIX_COLUMNS = 40;
/** Controls listed with their counts at most, when there is no matrix. */
export const MAX_CONTROL_ROWS = 100;
/** Characters of a name (host, control ID, estate) or a title kept; a finding's text keeps FINDING_MAX. */
const NAME_MAX = 64;
const TITLE_MAX = 120;
/** The estate's name or the inventory's path heads the page: kept longer, but not without bound. */
const ESTATE_MAX = 1000;
const MAX_DRIFT = 10;
/** A previous status is any string a summary held; known ones get their words. */
const WORDS: Readonly<Record<string, string>> = STATUS_WORDS;
const FINDING_MAX = 400;

export const CELL: Readonly<Record<ResultStatus, string>> = {
  passed: "✅",
  failed: "❌",
  undetermined: "❔",
  notApplicable: "➖",
  waived: "W",
};

const VERDICT: Readonly<Record<RunReport["verdict"], string>> = {
  compliant: "✅ COMPLIANT",
  "non-compliant": "❌ NON-COMPLIANT",
  undetermined: "❔ UNDETERMINED",
};

/**
 * Text from hosts, inventories and waiver files goes into Markdown that GitHub renders (cmark-gfm,
 * HTML included) and that people `cat` in a terminal or a CI log: control and invisible characters
 * are shown as visible escapes first, as on the terminal (terminal-safe.ts), then every character that could start emphasis, code, a link, a table cell or an HTML
 * tag is escaped, and GFM's autolinks are broken: `http\\://` and `www\\.` are not URLs to it,
 * and an empty HTML comment before `@` keeps an address from becoming a mailto: link (escapes
 * cannot: the email autolink reads the text after unescaping). The text never starts a line, so
 * heading and list markers need nothing. test/report/summary-md-gfm.test.ts renders it with
 * cmark-gfm itself.
 */
export function mdText(text: string): string {
  return escapeControls(oneLine(text))
    .replace(/[\\`*_[\]<>|~&@]/g, (c) => (c === "<" ? "&lt;" : c === ">" ? "&gt;" : c === "&" ? "&amp;" : c === "@" ? "<!-- -->@" : `\\${c}`))
    .replace(/:(?=\/\/)/g, "\\:")
    .replace(/(www)\./gi, "$1\\.");
}

function clip(text: string, max: number): string {
  const chars = [...text];
  return chars.length <= max ? text : `${chars.slice(0, max - 1).join("")}…`;
}

function cellOf(status: ResultStatus | undefined): string {
  return status === undefined ? " " : CELL[status];
}

/** A name from an input, cut and escaped. */
function mdName(text: string, max = NAME_MAX): string {
  return mdText(clip(text, max));
}

function count(n: number, word: string): string {
  return `${n.toLocaleString("en-US")} ${word}${n === 1 ? "" : "s"}`;
}

/** The drift section: counts, then the newly failing first, since those are what a reader acts on. */
function driftLines(drift: Drift): string[] {
  if (!drift.compared) return [];
  const out = [`### Since the previous run${drift.comparedWith !== undefined ? ` (${mdName(drift.comparedWith)})` : ""}`, ""];
  if (!hasDrift(drift)) return [...out, "No change.", ""];
  out.push(
    `❌ ${drift.newlyFailing.length} newly failing · ✅ ${drift.newlyFixed.length} fixed · ❔ ${drift.newlyUndetermined.length} newly undetermined · ` +
      `${count(drift.newHosts.length, "new host")} · ${drift.hostsGone.length} gone`,
    "",
  );
  for (const i of drift.newlyFailing.slice(0, MAX_DRIFT)) {
    const target = targetLabel(i.target);
    out.push(`- ❌ **${mdName(target)}** ${mdName(i.controlId)} (${i.was === "absent" ? "no result before" : `was ${mdName(WORDS[i.was] ?? i.was)}`})`);
  }
  if (drift.newlyFailing.length > MAX_DRIFT) out.push(`- … and ${(drift.newlyFailing.length - MAX_DRIFT).toLocaleString("en-US")} more newly failing`);
  if (drift.newlyFailing.length > 0) out.push("");
  return out;
}

/** What summary.md's head states about the run: verify compares it with what summary.json's results give. */
export interface SummaryMdFacts extends Pick<RunReport, "estate" | "inventoryFile" | "failOn" | "verdict" | "exitCode" | "asOf" | "tool" | "totals"> {
  hostCount: number;
  clusterCount: number;
  /** Controls with at least one result. */
  controls: number;
}

/** The title, the verdict and the results lines, each followed by a blank line. */
export function summaryMdHead(f: SummaryMdFacts): string[] {
  const threshold = f.failOn === "any" ? "any severity" : `${f.failOn} or above`;
  const t = f.totals;
  return [
    `## hostproof: ${mdName(f.estate ?? f.inventoryFile, ESTATE_MAX)}`,
    "",
    `**Verdict: ${VERDICT[f.verdict]}** (fail on ${threshold}; exit code ${f.exitCode}) · as of ${f.asOf} · hostproof ${mdName(f.tool.version)}`,
    "",
    `**Results:** ${(["passed", "failed", "undetermined", "notApplicable", "waived"] as const).map((s) => `${CELL[s]} ${t[s].toLocaleString("en-US")} ${STATUS_WORDS[s]}`).join(" · ")} ` +
      `(${t.total.toLocaleString("en-US")} total; ${count(f.hostCount, "host")}, ${count(f.clusterCount, "cluster")}, ${count(f.controls, "control")})`,
    "",
  ];
}

/** `drift` (from drift.ts) adds a "Since the previous run" section after the verdict. */
/** Takes a whole report or the digest a streamed run gathered (digest.ts). */
export function renderSummaryMarkdown(input: RunReport | RunDigest, drift?: Drift): string {
  const report = "rows" in input ? input : digestOf(input);
  const out: string[] = [];
  const { columns } = report;
  out.push(...summaryMdHead({ ...report, controls: columns.length }));
  const t = report.totals;
  if (drift !== undefined) out.push(...driftLines(drift));

  const rows = report.rows;
  const legend = `${(["passed", "failed", "undetermined", "notApplicable", "waived"] as const).map((s) => `${CELL[s]} ${STATUS_WORDS[s]}`).join(" · ")} · (blank) not checked`;
  if (columns.length === 0 || report.rowCount === 0) {
    out.push("No results: no control applied to any host in this run.", "");
  } else if (columns.length > MATRIX_COLUMNS) {
    out.push(...controlTable(report));
  } else {
    const some = report.hostCount > ALL_ROWS_UP_TO;
    const candidates = some ? rows.filter((r) => r.notClean) : rows;
    const candidateCount = some ? report.notCleanRows : report.rowCount;
    const shown = candidates.slice(0, MAX_ROWS);
    out.push(`| target | ${columns.map((id) => mdName(id)).join(" | ")} |`);
    out.push(`|---|${columns.map(() => ":-:").join("|")}|`);
    for (const row of shown) out.push(`| ${mdName(row.label)} | ${columns.map((id) => cellOf(row.cells.get(id))).join(" | ")} |`);
    out.push("");
    const clean = report.rowCount - candidateCount;
    const overflow = candidateCount - shown.length;
    if (clean > 0) out.push(`_${count(clean, "row")} of ${report.rowCount.toLocaleString("en-US")} not shown: every result there passed or was not applicable._`, "");
    if (overflow > 0) out.push(`_${count(overflow, "more row")} with failed, undetermined or waived results not shown: see summary.json or the Allure report._`, "");
    out.push(legend, "");
  }

  // The digest's findings are in an auditor's order already: severity, then control, then host.
  const findingCount = t.failed + t.undetermined;
  if (findingCount > 0) {
    const listed = report.findings.slice(0, MAX_FAILURES);
    out.push(`### Findings${findingCount > listed.length ? ` (the first ${listed.length} of ${findingCount.toLocaleString("en-US")}, most severe first)` : " (most severe first)"}`, "");
    for (const r of listed) {
      const target = targetLabel(r.target);
      const text = findingText(r);
      const cut = [...text].length > FINDING_MAX ? " _(cut: the whole text is in summary.json)_" : "";
      out.push(`- ${CELL[statusOf(r)]} **${r.control.severity}** · ${mdName(target)} · ${mdName(r.control.id)}: ${mdText(clip(text, FINDING_MAX))}${cut}`);
    }
    if (findingCount > listed.length) out.push(`- … and ${(findingCount - listed.length).toLocaleString("en-US")} more: see summary.json or the Allure report.`);
    out.push("");
  }
  return `${out.join("\n").trimEnd()}\n`;
}

/** Instead of a matrix too wide to read: each control's counts, most failed (then undetermined) first. */
function controlTable(report: RunDigest): string[] {
  const { perControl } = report;
  const order = ["failed", "undetermined", "waived", "notApplicable", "passed"] as const;
  const worst = [...perControl].sort((a, b) => b.counts.failed - a.counts.failed || b.counts.undetermined - a.counts.undetermined).slice(0, MAX_CONTROL_ROWS);
  const out = [
    `No host × control matrix: ${count(perControl.length, "control")} are more than ${MATRIX_COLUMNS} columns can show. Per control, most failed first:`,
    "",
    `| control | ${order.map((s) => `${CELL[s]} ${STATUS_WORDS[s]}`).join(" | ")} | title |`,
    `|---|${order.map(() => "--:").join("|")}|---|`,
    ...worst.map((c) => `| ${mdName(c.id)} | ${order.map((s) => c.counts[s].toLocaleString("en-US")).join(" | ")} | ${mdName(c.title, TITLE_MAX)} |`),
    "",
  ];
  if (perControl.length > worst.length) out.push(`_${count(perControl.length - worst.length, "more control")} not shown: see summary.json or the Allure report._`, "");
  return out;
}

/** Writes summary.md into `dir` and returns its path. */
export function writeSummaryMarkdown(dir: string, report: RunReport | RunDigest, drift?: Drift): string {
  const path = join(dir, SUMMARY_MD_FILE);
  writeFileSync(path, renderSummaryMarkdown(report, drift), "utf8");
  return path;
}

/** summary.md as a format: drawn from the run's digest at the end; nothing per slice. */
export const summaryMdFormat: Format = {
  name: "summary-md",
  atScale: true,
  description: "the matrix in Markdown, for a CI job summary",
  files: [SUMMARY_MD_FILE],
  open(ctx) {
    return {
      add: () => undefined,
      finish: (end) => ctx.writeSmall(SUMMARY_MD_FILE, renderSummaryMarkdown(end.digest, end.digest.drift)),
      abort: () => undefined,
    };
  },
};
