/** The report writers. run-writer.ts composes them, slice by slice, into one atomic output folder. */

export { commitStaging, discardStaging, openStaging, writeAtomically } from "./output/output-dir";
export { buildSummary, countStatuses, writeSummary, SUMMARY_FILE, type Summary } from "./formats/summary";
export { renderJunit, writeJunit, JUNIT_FILE } from "./formats/junit";
export { writeAllureResults, ALLURE_RESULTS_DIR } from "./formats/allure/allure-results";
export { findJava, generateAllureHtml, ALLURE_REPORT_DIR, type HtmlOutcome } from "./formats/allure/allure-html";
export { formatTerminalSummary, type TerminalOptions } from "../cli/display/terminal";
