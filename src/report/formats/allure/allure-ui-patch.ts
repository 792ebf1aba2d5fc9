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
 * The UI is one base64 `data:` script near the top of index.html. The report can be larger than a
 * JavaScript string may be (1.2 GB at 10,000 hosts), so only the head is read and changed; the
 * rest of the file (the results) is copied through in chunks, to a temporary file renamed over
 * the original.
 */
import { closeSync, openSync, readSync, renameSync, statSync, unlinkSync, writeSync } from "node:fs";
import { patchSeverityWords, type PatchCounts } from "./allure-severity-words";
import { silenceDataLayer, stripAnalyticsHtml } from "./allure-analytics";

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

const STYLE = Buffer.from(`<style id="hostproof-style">${DESCRIPTION_CSS}</style>`, "utf8");

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
export function patchAllureUi(indexHtml: string): UiPatchOutcome {
  const size = statSync(indexHtml).size;
  const fd = openSync(indexHtml, "r");
  let tmp: string | undefined;
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
    const { js: worded, counts } = patchSeverityWords(js);
    const wordsOk = counts.translations > 0 && counts.chart === 2;
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
      writeAll(out, STYLE);
      writeAll(out, head.subarray(afterHeadTag, dataStart));
      writeAll(out, Buffer.from(Buffer.from(patched, "utf8").toString("base64"), "latin1"));
      writeAll(out, page);
      const chunk = Buffer.alloc(CHUNK);
      let position = pageEnd;
      for (;;) {
        const n = readSync(fd, chunk, 0, chunk.length, position);
        if (n === 0) break;
        writeAll(out, chunk.subarray(0, n));
        position += n;
      }
    } finally {
      closeSync(out);
    }
    renameSync(tmp, indexHtml);
    tmp = undefined;
    if (!wordsOk) return { ok: false, reason: `the report's UI has an unexpected shape (${counts.translations} severity tables, ${counts.chart} of 2 chart labels found)` };
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
