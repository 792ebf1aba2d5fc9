/**
 * One severity vocabulary in the HTML report.
 *
 * Allure 2 knows five fixed severities (blocker, critical, normal, minor, trivial) and shows one
 * on every result ("Severity: critical"); without a severity label it shows "normal", so the
 * label cannot simply be left out. hostproof's are critical, high, medium and low, and its tags
 * (`@severity:high`), `--fail-on` and every other report use them. allure-results.ts maps ours
 * onto Allure's in the same order (critical → blocker, high → critical, …) so that Allure sorts
 * and charts them correctly; this module then makes the single-file report *say* hostproof's
 * words: it rewrites the severity words of the report's UI (every language) and the axis and
 * tooltip of the severity chart. An auditor sees "Severity: high" next to `@severity:high`.
 *
 * The UI is one base64 `data:` script near the top of index.html. The report itself can be
 * larger than a JavaScript string may be (1.2 GB at 10,000 hosts), so only that script is
 * decoded; the rest of the file is copied through in chunks.
 */
import { closeSync, openSync, readSync, renameSync, statSync, unlinkSync, writeSync } from "node:fs";
import type { Severity } from "../model/severity";

/** Allure's word for each hostproof severity (the label allure-results.ts writes). */
export const ALLURE_SEVERITY: Readonly<Record<Severity, string>> = {
  critical: "blocker",
  high: "critical",
  medium: "normal",
  low: "minor",
};

/** What the report shows for each Allure severity: hostproof's word; trivial is never written. */
export const SHOWN_SEVERITY: Readonly<Record<string, string>> = {
  blocker: "critical",
  critical: "high",
  normal: "medium",
  minor: "low",
  trivial: "trivial",
};

const SCRIPT_PREFIX = Buffer.from('src="data:text/javascript; charset=utf-8;base64,', "latin1");
/** The UI script starts within the first kilobytes (after the favicon); 16 MiB is ample. */
const HEAD_LIMIT = 16 * 1024 * 1024;
const CHUNK = 8 * 1024 * 1024;

export interface PatchCounts {
  /** Language tables whose severity words were replaced (one per UI language). */
  translations: number;
  /** The severity chart's axis labels and tooltip (2 when both were found). */
  chart: number;
}

// Each UI language has `severity:{name:`…`,blocker:`…`,critical:`…`,normal:`…`,minor:`…`,trivial:`…`}`.
const TRANSLATION = /severity:\{name:(`[^`]*`),blocker:`[^`]*`,critical:`[^`]*`,normal:`[^`]*`,minor:`[^`]*`,trivial:`[^`]*`\}/g;
// The chart's x axis prints the raw Allure value, and so does its tooltip.
const CHART_AXIS = /tickFormat:(\w+)=>\1\.toLowerCase\(\),scale:this\.x\}/g;
const CHART_TOOLTIP = /\$\{(\w+)\.toLowerCase\(\)\} test cases/g;

/** writeSync may write less than asked; a report must never be cut short silently. */
function writeAll(fd: number, data: Buffer): void {
  let done = 0;
  while (done < data.length) done += writeSync(fd, data, done, data.length - done);
}

const wordsLiteral = JSON.stringify(SHOWN_SEVERITY);

/** Rewrites the severity words in Allure's UI script; returns the script and what was replaced. */
export function patchSeverityWords(js: string): { js: string; counts: PatchCounts } {
  const counts: PatchCounts = { translations: 0, chart: 0 };
  let out = js.replace(TRANSLATION, (_m, name: string) => {
    counts.translations += 1;
    const w = SHOWN_SEVERITY;
    return `severity:{name:${name},blocker:\`${w.blocker}\`,critical:\`${w.critical}\`,normal:\`${w.normal}\`,minor:\`${w.minor}\`,trivial:\`${w.trivial}\`}`;
  });
  out = out.replace(CHART_AXIS, (_m, v: string) => {
    counts.chart += 1;
    return `tickFormat:${v}=>(${wordsLiteral}[${v}]??${v}.toLowerCase()),scale:this.x}`;
  });
  out = out.replace(CHART_TOOLTIP, (_m, v: string) => {
    counts.chart += 1;
    return `\${(${wordsLiteral}[${v}]??${v}.toLowerCase())} test cases`;
  });
  return { js: out, counts };
}

export type SeverityPatchOutcome = { ok: true; counts: PatchCounts } | { ok: false; reason: string };

/**
 * Rewrites `indexHtml` in place (through a temporary file and a rename) so that its UI shows
 * hostproof's severity words. A report whose UI does not look as expected (another Allure
 * version) is left as it is and the reason returned: the caller warns, the report still stands.
 */
export function useHostproofSeverityWords(indexHtml: string): SeverityPatchOutcome {
  const size = statSync(indexHtml).size;
  const fd = openSync(indexHtml, "r");
  let tmp: string | undefined;
  try {
    const head = Buffer.alloc(Math.min(size, HEAD_LIMIT));
    const headLength = readSync(fd, head, 0, head.length, 0);
    const start = head.indexOf(SCRIPT_PREFIX, 0);
    if (start < 0 || start >= headLength) return { ok: false, reason: "the report's UI script was not found" };
    const dataStart = start + SCRIPT_PREFIX.length;
    const dataEnd = head.indexOf(0x22 /* " */, dataStart);
    if (dataEnd < 0 || dataEnd >= headLength) return { ok: false, reason: "the report's UI script does not end where expected" };
    const js = Buffer.from(head.subarray(dataStart, dataEnd).toString("latin1"), "base64").toString("utf8");
    const { js: patched, counts } = patchSeverityWords(js);
    if (counts.translations === 0 || counts.chart !== 2) {
      return { ok: false, reason: `the report's UI has an unexpected shape (${counts.translations} severity tables, ${counts.chart} of 2 chart labels found)` };
    }
    tmp = `${indexHtml}.severity-${process.pid}.tmp`;
    const out = openSync(tmp, "wx");
    try {
      writeAll(out, head.subarray(0, dataStart));
      writeAll(out, Buffer.from(Buffer.from(patched, "utf8").toString("base64"), "latin1"));
      // The rest of the file (the results, possibly hundreds of MB) is copied through unchanged.
      const chunk = Buffer.alloc(CHUNK);
      let position = dataEnd;
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
