/**
 * summary.md: the run in a form GitHub (job summary, PR comment) and other Markdown viewers show
 * as is. It has to stay far below GitHub's 1 MiB job-summary limit at 10,000 hosts, so past
 * ALL_ROWS_UP_TO hosts only the rows with something to look at are drawn, at most MAX_ROWS of
 * them, and the rest are counted.
 */
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { digestOf, type RunDigest } from "../bookkeeping/digest";
import type { RunReport } from "../../model/run";
import type { Result, ResultStatus } from "../../model/result";
import { hasDrift, type Drift } from "../bookkeeping/drift";
import { escapeControls } from "../../util/terminal-safe";
import { oneLine, STATUS_WORDS, statusOf } from "../text";
import type { Format } from "./format";

export const SUMMARY_MD_FILE = "summary.md";
/** Up to this many hosts every row is drawn. */
export const ALL_ROWS_UP_TO = 50;
/** Never more rows than this (about 30 KB with 16 controls). */
export const MAX_ROWS = 200;
export const MAX_FAILURES = 20;
const MAX_DRIFT = 10;
/** A previous status is any string a summary held; known ones get their words. */
const WORDS: Readonly<Record<string, string>> = STATUS_WORDS;
const FINDING_MAX = 160;

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

function finding(r: Result): string {
  const deviations = (r.details ?? []).filter((d) => d.outcome === "deviation");
  return deviations.length > 0 ? deviations.map((d) => `${d.subject}: ${d.actual}`).join("; ") : r.actual;
}

function count(n: number, word: string): string {
  return `${n.toLocaleString("en-US")} ${word}${n === 1 ? "" : "s"}`;
}

/** The drift section: counts, then the newly failing first, since those are what a reader acts on. */
function driftLines(drift: Drift): string[] {
  if (!drift.compared) return [];
  const out = [`### Since the previous run${drift.comparedWith !== undefined ? ` (${mdText(drift.comparedWith)})` : ""}`, ""];
  if (!hasDrift(drift)) return [...out, "No change.", ""];
  out.push(
    `❌ ${drift.newlyFailing.length} newly failing · ✅ ${drift.newlyFixed.length} fixed · ❔ ${drift.newlyUndetermined.length} newly undetermined · ` +
      `${count(drift.newHosts.length, "new host")} · ${drift.hostsGone.length} gone`,
    "",
  );
  for (const i of drift.newlyFailing.slice(0, MAX_DRIFT)) {
    const target = i.target.kind === "cluster" ? `cluster ${i.target.name}` : i.target.name;
    out.push(`- ❌ **${mdText(target)}** ${mdText(i.controlId)} (${i.was === "absent" ? "no result before" : `was ${mdText(WORDS[i.was] ?? i.was)}`})`);
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
    `## hostproof: ${mdText(f.estate ?? f.inventoryFile)}`,
    "",
    `**Verdict: ${VERDICT[f.verdict]}** (fail on ${threshold}; exit code ${f.exitCode}) · as of ${f.asOf} · hostproof ${mdText(f.tool.version)}`,
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
  if (columns.length === 0 || report.rowCount === 0) {
    out.push("No results: no control applied to any host in this run.", "");
  } else {
    const some = report.hostCount > ALL_ROWS_UP_TO;
    const candidates = some ? rows.filter((r) => r.notClean) : rows;
    const candidateCount = some ? report.notCleanRows : report.rowCount;
    const shown = candidates.slice(0, MAX_ROWS);
    out.push(`| target | ${columns.map(mdText).join(" | ")} |`);
    out.push(`|---|${columns.map(() => ":-:").join("|")}|`);
    for (const row of shown) out.push(`| ${mdText(row.label)} | ${columns.map((id) => cellOf(row.cells.get(id))).join(" | ")} |`);
    out.push("");
    const clean = report.rowCount - candidateCount;
    const overflow = candidateCount - shown.length;
    if (clean > 0) out.push(`_${count(clean, "row")} of ${report.rowCount.toLocaleString("en-US")} not shown: every result there passed or was not applicable._`, "");
    if (overflow > 0) out.push(`_${count(overflow, "more row")} with failed, undetermined or waived results not shown: see summary.json or the Allure report._`, "");
    out.push(`${(["passed", "failed", "undetermined", "notApplicable", "waived"] as const).map((s) => `${CELL[s]} ${STATUS_WORDS[s]}`).join(" · ")} · (blank) not checked`, "");
  }

  // Findings are failed ones first, most severe first: the failures are their head.
  const failures = report.findings.filter((r) => statusOf(r) === "failed");
  const failed = t.failed;
  if (failed > 0) {
    out.push(`### Failures${failed > MAX_FAILURES ? ` (the ${MAX_FAILURES} most severe of ${failed.toLocaleString("en-US")})` : ""}`, "");
    for (const r of failures.slice(0, MAX_FAILURES)) {
      const target = r.target.kind === "cluster" ? `cluster ${r.target.name}` : r.target.name;
      out.push(`- ❌ **${mdText(target)}** ${mdText(r.control.id)} (${r.control.severity}): ${mdText(clip(finding(r), FINDING_MAX))}`);
    }
    if (failed > MAX_FAILURES) out.push(`- … and ${(failed - MAX_FAILURES).toLocaleString("en-US")} more: see summary.json or the Allure report.`);
    out.push("");
  }
  return `${out.join("\n").trimEnd()}\n`;
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
