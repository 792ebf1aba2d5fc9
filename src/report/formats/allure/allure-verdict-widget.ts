/**
 * The run's verdict at the top of the Allure report's Overview, before any of Allure's widgets.
 *
 * Allure's Overview opens on a pass-rate donut ("82.88%", green) and has no place for a verdict:
 * an auditor had to know that NON-COMPLIANT and exit code 1 live in summary.json. Like the first
 * lines of InSpec's and CIS-CAT's HTML reports, this block says what the run concluded: the
 * verdict, its exit code and what it fails on, the as-of day, every outcome counted, failures per
 * severity and the waivers applied. Everything comes from the run's digest (what summary.json says).
 *
 * It is a small script of ours in the page (the UI's own widgets are drawn from Allure's data and
 * cannot carry it): it puts the block in the widget grid's header row whenever the Overview is drawn. The facts
 * are JSON in the script and every text is set with textContent, so an estate's or a waiver's text
 * shows as the characters it is.
 */
import { SEVERITIES, type Severity } from "../../../model/severity";
import { waivedText, type RunDigest } from "../../bookkeeping/digest";
import type { ResultStatus } from "../../../model/result";
import { OUTCOME_WORD } from "./allure-status-words";
import { waiverTag } from "./allure-results";
import { scopeText } from "../../../waivers/describe";

export interface VerdictFacts {
  verdict: string;
  exitCode: number;
  failOn: string;
  asOf: string;
  /** [word, count, Allure status] per outcome, in hostproof's order. */
  outcomes: [string, number, string][];
  failedBySeverity: [Severity, number][];
  /** One line per waiver that waived something. */
  waivers: string[];
  waiverFile?: string;
}

/** What the Categories tree names each control and waiver by (allure-categories-tree.ts). */
export interface CategoryNames {
  /** Control ID → `HP-NIC-001 (high): Hardware offloads…`. */
  controls: Record<string, string>;
  /** A waiver's tag (`waiver #3`) → `WVR-2026-019: HP-EOS-003 on host app2016; approved by …`. */
  waivers: Record<string, string>;
  /** Control ID → its severity's rank (0 most severe): the tree lists the most severe first. */
  rank: Record<string, number>;
}

export interface AllurePageFacts {
  verdict: VerdictFacts;
  categories: CategoryNames;
}

const ORDER: readonly ResultStatus[] = ["failed", "undetermined", "waived", "passed", "notApplicable"];
const ALLURE_OF: Readonly<Record<ResultStatus, string>> = { passed: "passed", failed: "failed", undetermined: "broken", notApplicable: "skipped", waived: "unknown" };


/** The Overview's facts and the Categories' names, from the run's digest. */
export function allurePageFacts(digest: RunDigest): AllurePageFacts {
  const severityOf = new Map(digest.controls.map((c) => [c.id, c.severity]));
  const failed = Object.fromEntries(SEVERITIES.map((s) => [s, 0])) as Record<Severity, number>;
  for (const c of digest.perControl) {
    const s = severityOf.get(c.id);
    if (s !== undefined) failed[s] += c.counts.failed;
  }
  const waivers: string[] = [];
  const waiverNames: Record<string, string> = {};
  for (const [index, w] of (digest.waivers?.waivers ?? []).entries()) {
    const name = `${w.id ?? `waiver ${index + 1} of the file`}: ${w.controlId} on ${scopeText(w.scope)}; approved by ${w.approver}; ${w.reference}; expires ${w.expires}`;
    waiverNames[waiverTag(index)] = name;
    const counts = digest.waived.get(index);
    if (counts === undefined) continue;
    waivers.push(`${name} (waived ${waivedText(counts)})`);
  }
  const controls: Record<string, string> = {};
  const rank: Record<string, number> = {};
  for (const c of digest.controls) {
    controls[c.id] = `${c.id} (${c.severity}): ${c.title}`;
    rank[c.id] = SEVERITIES.indexOf(c.severity);
  }
  return {
    verdict: {
      verdict: digest.verdict.toUpperCase(),
      exitCode: digest.exitCode,
      failOn: digest.failOn,
      asOf: digest.asOf,
      outcomes: ORDER.map((s) => [OUTCOME_WORD[s], digest.totals[s], ALLURE_OF[s]]),
      failedBySeverity: SEVERITIES.map((s) => [s, failed[s]]),
      waivers,
      ...(digest.waivers !== undefined ? { waiverFile: digest.waivers.file } : {}),
    },
    categories: { controls, waivers: waiverNames, rank },
  };
}

/** JSON that can sit inside a <script> element: nothing in it can close the element or end a line. */
export function scriptJson(value: unknown): string {
  return JSON.stringify(value).replace(/</g, "\\u003c").replace(/>/g, "\\u003e").replace(/&/g, "\\u0026").replace(/\u2028/g, "\\u2028").replace(/\u2029/g, "\\u2029");
}

/**
 * Runs in the browser (plain JavaScript: this project's TypeScript has no DOM library). Draws the
 * block above the Overview's widgets whenever the UI draws them; `F` is the facts.
 */
const DRAW = `(function (F) {
  var d = document;
  function el(tag, cls, text) { var e = d.createElement(tag); e.className = cls; if (text !== undefined) e.textContent = text; return e; }
  function build() {
    var box = el("section", "widgets-grid__header hostproof-verdict hostproof-verdict_" + F.verdict.toLowerCase());
    box.setAttribute("data-testid", "hostproof-verdict");
    var head = el("div", "hostproof-verdict__head");
    head.append(el("span", "hostproof-verdict__word", F.verdict), el("span", "hostproof-verdict__exit", "exit code " + F.exitCode));
    box.append(head);
    box.append(el("div", "hostproof-verdict__line", "as of " + F.asOf + " · fails on " + (F.failOn === "any" ? "any severity" : F.failOn + " and above")));
    var outcomes = el("div", "hostproof-verdict__line");
    F.outcomes.forEach(function (o) { outcomes.append(el("span", "hostproof-verdict__count label label_status_" + o[2], o[0] + " " + o[1]), " "); });
    box.append(outcomes);
    box.append(el("div", "hostproof-verdict__line", "Failed by severity: " + F.failedBySeverity.map(function (p) { return p[0] + " " + p[1]; }).join(" · ")));
    if (F.waiverFile !== undefined) {
      box.append(el("div", "hostproof-verdict__line", "Waivers applied from " + F.waiverFile + ": " + (F.waivers.length === 0 ? "none" : F.waivers.length)));
      var list = el("ul", "hostproof-verdict__waivers");
      F.waivers.forEach(function (w) { list.append(el("li", "", w)); });
      box.append(list);
    }
    return box;
  }
  function place() {
    // The grid's header slot (a full-width first row, scrolled with the widgets) holds the block.
    var grid = d.querySelector("allure-widgets-grid");
    if (grid === null) return;
    var first = grid.firstElementChild;
    if (first !== null && first.classList.contains("hostproof-verdict")) return;
    grid.insertBefore(build(), first);
  }
  new MutationObserver(place).observe(d.documentElement, { childList: true, subtree: true });
})`;

export const VERDICT_CSS = [
  ".hostproof-verdict{margin:0 0 16px;padding:14px 18px;border-radius:8px;border:2px solid var(--color-border-medium,#b8b8b8);background:var(--color-bg-primary,#fff);font-size:14px;line-height:1.6}",
  ".hostproof-verdict_non-compliant{border-color:var(--color-status-failed-border,#d00)}",
  ".hostproof-verdict_undetermined{border-color:var(--color-status-broken-border,#e0a000)}",
  ".hostproof-verdict_compliant{border-color:var(--color-status-passed-border,#2a2)}",
  ".hostproof-verdict__head{display:flex;gap:16px;align-items:baseline;font-weight:700}",
  ".hostproof-verdict__word{font-size:24px}",
  ".hostproof-verdict__exit{font-size:18px}",
  ".hostproof-verdict__count{margin-right:8px;padding:1px 8px;border-radius:4px;white-space:nowrap}",
  ".hostproof-verdict__waivers{margin:2px 0 0 20px;padding:0}",
  ".hostproof-verdict,.hostproof-verdict *{overflow-wrap:anywhere}",
].join("");

/** The <script> that draws the block; its facts are JSON, its text set with textContent. */
export function verdictScript(facts: VerdictFacts): string {
  return `<script id="hostproof-verdict">${DRAW}(${scriptJson(facts)});</script>`;
}
