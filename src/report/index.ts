/** The report writers. run-writer.ts composes them, slice by slice, into one atomic output folder. */

export { commitStaging, discardStaging, openStaging, writeAtomically } from "./output-dir";
export { buildSummary, countStatuses, writeSummary, SUMMARY_FILE, type Summary } from "./summary";
export { renderJunit, writeJunit, JUNIT_FILE } from "./junit";
export { writeAllureResults, ALLURE_RESULTS_DIR } from "./allure-results";
export { findJava, generateAllureHtml, ALLURE_REPORT_DIR, type HtmlOutcome } from "./allure-html";
export { formatTerminalSummary, type TerminalOptions } from "./terminal";
