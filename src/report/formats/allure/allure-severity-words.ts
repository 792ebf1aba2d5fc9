/**
 * One severity vocabulary in the HTML report.
 *
 * Allure 2 knows five fixed severities (blocker, critical, normal, minor, trivial) and shows one
 * on every result ("Severity: critical"); without a severity label it shows "normal", so the
 * label cannot simply be left out. hostproof's are critical, high, medium and low, and its tags
 * (`@severity:high`), `--fail-on` and every other report use them. allure-results.ts maps ours
 * onto Allure's in the same order (critical → blocker, high → critical, …) so that Allure sorts
 * and charts them correctly; patchSeverityWords then makes the report's UI *say* hostproof's
 * words: the severity words of every UI language, and the severity chart's axis and tooltip. An
 * auditor sees "Severity: high" next to `@severity:high`.
 */
import type { Severity } from "../../../model/severity";

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
