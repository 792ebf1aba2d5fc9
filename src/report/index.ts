/**
 * Writing reports. formats/ holds every output format behind one interface, listed in one
 * registry; run-writer.ts writes the record and the formats slice by slice into a staging folder
 * (output/), put in place whole; bookkeeping/ keeps what a run carries across runs and for its views
 * (history, drift, the digest, who ran it, a shard's record).
 */

export { commitStaging, discardStaging, openStaging, writeAtomically } from "./output/output-dir";
export { FORMATS, REGISTRY, formatRegistry, type FormatRegistry } from "./formats";
export type { Format, FormatContext, FormatWriter, SliceView, EndView } from "./formats/format";
export { buildSummary, countStatuses, writeSummary, SUMMARY_FILE, type Summary } from "./formats/summary";
export { renderJunit, writeJunit, JUNIT_FILE } from "./formats/junit";
export { writeAllureResults, ALLURE_RESULTS_DIR } from "./formats/allure/allure-results";
export { findJava, generateAllureHtml, ALLURE_REPORT_DIR, type HtmlOutcome } from "./formats/allure/allure-html";
