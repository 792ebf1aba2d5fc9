/**
 * Writes every report of a run into `outDir` in one atomic step. Layout:
 *   <out>/summary.json, <out>/junit.xml, <out>/allure-results/, <out>/allure-report/index.html
 * The HTML report is optional and may be impossible (no Java); that is reported, not thrown,
 * because the other files are still worth having.
 */
import { join } from "node:path";
import type { RunReport } from "../model/run";
import { ALLURE_REPORT_DIR, generateAllureHtml, type HtmlOutcome } from "./allure-html";
import { ALLURE_RESULTS_DIR, writeAllureResults, type AllureWriteStats } from "./allure-results";
import { writeJunit } from "./junit";
import { writeAtomically } from "./output-dir";
import { writeSummary } from "./summary";

export { commitStaging, discardStaging, openStaging, writeAtomically } from "./output-dir";
export { buildSummary, countStatuses, writeSummary, SUMMARY_FILE, type Summary } from "./summary";
export { renderJunit, writeJunit, JUNIT_FILE } from "./junit";
export { writeAllureResults, ALLURE_RESULTS_DIR } from "./allure-results";
export { findJava, generateAllureHtml, ALLURE_REPORT_DIR, type HtmlOutcome } from "./allure-html";
export { formatTerminalSummary, type TerminalOptions } from "./terminal";

export interface WriteReportsOptions {
  /** Render allure-report/index.html (needs Java). */
  html: boolean;
}

export interface WrittenReports {
  outDir: string;
  allure: AllureWriteStats;
  /** `undefined` when HTML was not asked for. */
  html?: HtmlOutcome;
}

export async function writeReports(outDir: string, report: RunReport, options: WriteReportsOptions): Promise<WrittenReports> {
  return writeAtomically(outDir, async (staging) => {
    writeSummary(staging, report);
    writeJunit(staging, report);
    const resultsDir = join(staging, ALLURE_RESULTS_DIR);
    const allure = writeAllureResults(resultsDir, report);
    const written: WrittenReports = { outDir, allure };
    if (options.html) written.html = await generateAllureHtml(resultsDir, join(staging, ALLURE_REPORT_DIR));
    return written;
  });
}
