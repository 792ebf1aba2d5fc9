/**
 * What hostproof changes in Allure's single-file report after Allure made it, for auditors:
 * - the UI's severity words become hostproof's (allure-severity-words.ts);
 * - Google Analytics is taken out (allure-analytics.ts): the UI's dataLayer helper does nothing,
 *   and a gtag block left in the page is removed;
 * - the description's Details table gets borders and cell padding. Allure sanitises a result's
 *   description HTML (no `style` or `class` survives), and its UI has no style for tables, so the
 *   columns of an unstyled table run together ("…found on the clusterall 6 updates presentok").
 *   A stylesheet in the page's head is the one place a table style can come from.
 *
 * - the status words become hostproof's outcome words (allure-status-words.ts), and dates and
 *   times ISO 8601 in UTC (allure-ui-dates.ts);
 * - the Overview opens on the run's verdict (allure-verdict-widget.ts), and the Categories tree is
 *   regrouped by control and by waiver (allure-categories-tree.ts);
 * - a widget's table breaks a long name between words, not inside one (Allure's `break-all`
 *   printed "or clo se to").
 *
 * The UI is one base64 `data:` script near the top of index.html. The report can be larger than a
 * JavaScript string may be (1.2 GB at 10,000 hosts), so only the head is read and changed; the
 * rest of the file (the results) is copied through in chunks, to a temporary file renamed over
 * the original; of the data only the Categories tree (data/categories.json, bounded by the results
 * that did not pass) is decoded on the way and replaced.
 */
import { closeSync, openSync, readSync, renameSync, statSync, unlinkSync, writeSync } from "node:fs";
import { patchSeverityWords, type PatchCounts } from "./allure-severity-words";
import { patchStatusWords } from "./allure-status-words";
import { patchDates } from "./allure-ui-dates";
import { silenceDataLayer, stripAnalyticsHtml } from "./allure-analytics";
import { VERDICT_CSS, verdictScript, type AllurePageFacts } from "./allure-verdict-widget";
import { regroupCategories, type TreeNode } from "./allure-categories-tree";

const SCRIPT_PREFIX = Buffer.from('src="data:text/javascript; charset=utf-8;base64,', "latin1");
const HEAD_TAG = Buffer.from("<head>", "latin1");
/** The UI script starts within the first kilobytes (after the favicon); 16 MiB is ample. */
const HEAD_LIMIT = 16 * 1024 * 1024;
const CHUNK = 8 * 1024 * 1024;

/** `.description__text` is the Allure 2.46 UI's description container. */
export const DESCRIPTION_CSS = [
  ".description__text table{border-collapse:collapse;margin:4px 0 8px}",
  ".description__text th,.description__text td{border:1px solid var(--color-border-medium,#b8b8b8);padding:4px 10px;text-align:left;vertical-align:top}",
  ".description__text th{font-weight:600;background:var(--color-bg-secondary,#f3f3f3)}",
  ".description__text pre{white-space:pre-wrap;font-family:monospace;padding:6px 8px;background:var(--color-bg-secondary,#f3f3f3)}",
].join("");

/** `.widget__table` is Allure's `word-break:break-all`: `html` outranks the UI's own rule, added after ours. Words stay whole, and only one too long for the line is broken. */
export const WIDGET_CSS = "html .widget__table,html .widget__table *{word-break:normal;overflow-wrap:anywhere}";

function headInsert(facts: AllurePageFacts | undefined): Buffer {
  const style = `<style id="hostproof-style">${DESCRIPTION_CSS}${WIDGET_CSS}${VERDICT_CSS}</style>`;
  return Buffer.from(facts === undefined ? style : `${style}${verdictScript(facts.verdict)}`, "utf8");
}

const CATEGORIES_ENTRY = Buffer.from("d('data/categories.json','", "latin1");
const QUOTE = 0x27; /* ' : never in base64 */

/**
 * Copies `fd` from `position` to `out` in chunks; the Categories tree's entry, if met, is decoded,
 * handed to `rewrite` and written back. Returns whether the entry was met.
 */
function copyRewritingCategories(fd: number, out: number, position: number, rewrite: ((tree: TreeNode) => TreeNode) | undefined): boolean {
  // One buffer for the whole copy (a 1.2 GB report must not allocate a chunk per read): the few
  // bytes kept back at a chunk's end, where the entry's name may be cut, move to its start.
  const buf = Buffer.alloc(CHUNK + CATEGORIES_ENTRY.length);
  let carried = 0;
  let captured: Buffer[] | undefined;
  let met = false;
  for (;;) {
    const n = readSync(fd, buf, carried, CHUNK, position);
    position += n;
    let data = buf.subarray(0, carried + n);
    carried = 0;
    while (data.length > 0) {
      if (captured !== undefined) {
        const end = data.indexOf(QUOTE);
        if (end < 0) {
          captured.push(Buffer.from(data));
          break;
        }
        captured.push(data.subarray(0, end));
        const tree = JSON.parse(Buffer.from(Buffer.concat(captured).toString("latin1"), "base64").toString("utf8")) as TreeNode;
        writeAll(out, Buffer.from(Buffer.from(JSON.stringify(rewrite!(tree)), "utf8").toString("base64"), "latin1"));
        captured = undefined;
        data = data.subarray(end);
        continue;
      }
      const at = rewrite === undefined || met ? -1 : data.indexOf(CATEGORIES_ENTRY);
      if (at >= 0) {
        writeAll(out, data.subarray(0, at + CATEGORIES_ENTRY.length));
        data = data.subarray(at + CATEGORIES_ENTRY.length);
        captured = [];
        met = true;
        continue;
      }
      const keep = n === 0 || rewrite === undefined || met ? 0 : Math.min(data.length, CATEGORIES_ENTRY.length - 1);
      writeAll(out, data.subarray(0, data.length - keep));
      data.copy(buf, 0, data.length - keep);
      carried = keep;
      break;
    }
    if (n === 0) break;
  }
  if (captured !== undefined) throw new Error("the report's Categories data does not end");
  return met;
}

export type UiPatchOutcome = { ok: true; counts: PatchCounts } | { ok: false; reason: string };

/** writeSync may write less than asked; a report must never be cut short silently. */
function writeAll(fd: number, data: Buffer): void {
  let done = 0;
  while (done < data.length) done += writeSync(fd, data, done, data.length - done);
}

/**
 * Rewrites `indexHtml`. A report whose UI does not look as expected (another Allure version) keeps
 * Allure's severity words and the reason is returned: the caller warns, and the report still
 * stands (checkNoAnalytics then decides whether it may).
 */
export function patchAllureUi(indexHtml: string, facts?: AllurePageFacts): UiPatchOutcome {
  const size = statSync(indexHtml).size;
  const fd = openSync(indexHtml, "r");
  let tmp: string | undefined;
  let regrouped = false;
  try {
    const head = Buffer.alloc(Math.min(size, HEAD_LIMIT));
    const headLength = readSync(fd, head, 0, head.length, 0);
    const headTag = head.indexOf(HEAD_TAG);
    const start = head.indexOf(SCRIPT_PREFIX);
    if (headTag < 0 || start < 0 || start >= headLength) return { ok: false, reason: "the report's UI script was not found" };
    const dataStart = start + SCRIPT_PREFIX.length;
    const dataEnd = head.indexOf(0x22 /* " */, dataStart);
    if (dataEnd < 0 || dataEnd >= headLength) return { ok: false, reason: "the report's UI script does not end where expected" };
    const js = Buffer.from(head.subarray(dataStart, dataEnd).toString("latin1"), "base64").toString("utf8");
    const { js: severities, counts } = patchSeverityWords(js);
    const { js: statuses, counts: statusCounts } = patchStatusWords(severities);
    const { js: worded, counts: dateCounts } = patchDates(statuses);
    const wordsOk = counts.translations > 0 && counts.chart === 2 && statusCounts.statuses === counts.translations && statusCounts.marks === counts.translations && dateCounts.date === 1 && dateCounts.time === 1;
    // Analytics go whatever the UI's shape: a report that cannot be worded must still stay silent.
    const patched = silenceDataLayer(wordsOk ? worded : js);
    // The page between the UI and the results' data (`d('…`) is where Allure puts gtag.js.
    const dataAt = head.indexOf("d('", dataEnd);
    const pageEnd = dataAt >= 0 && dataAt < headLength ? dataAt : headLength;
    const page = Buffer.from(stripAnalyticsHtml(head.subarray(dataEnd, pageEnd).toString("utf8")), "utf8");
    tmp = `${indexHtml}.hostproof-${process.pid}.tmp`;
    const out = openSync(tmp, "wx");
    try {
      const afterHeadTag = headTag + HEAD_TAG.length;
      writeAll(out, head.subarray(0, afterHeadTag));
      writeAll(out, headInsert(facts));
      writeAll(out, head.subarray(afterHeadTag, dataStart));
      writeAll(out, Buffer.from(Buffer.from(patched, "utf8").toString("base64"), "latin1"));
      writeAll(out, page);
      regrouped = copyRewritingCategories(fd, out, pageEnd, facts === undefined ? undefined : (tree) => regroupCategories(tree, facts.categories));
    } finally {
      closeSync(out);
    }
    renameSync(tmp, indexHtml);
    tmp = undefined;
    if (!wordsOk) {
      return {
        ok: false,
        reason: `the report's UI has an unexpected shape (${counts.translations} severity tables, ${statusCounts.statuses} status tables, ${statusCounts.marks} mark tables, ${counts.chart} of 2 chart labels, ${dateCounts.date} of 1 date and ${dateCounts.time} of 1 time formatters found)`,
      };
    }
    if (facts !== undefined && !regrouped) return { ok: false, reason: "the report's Categories data was not found: it is grouped as Allure groups it" };
    return { ok: true, counts };
  } finally {
    closeSync(fd);
    if (tmp !== undefined) {
      try {
        unlinkSync(tmp);
      } catch {
        /* never created */
      }
    }
  }
}
