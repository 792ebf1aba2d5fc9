/**
 * Allure's executor.json: which CI build made the report. Allure shows it in the Executors widget,
 * links the build, and numbers the Trend widget's runs by `buildOrder`, so a trend read months
 * later still says which pipeline run each point came from. Who that was is the run's to say
 * (bookkeeping/executor.ts); this is the file.
 */
import { writeFileSync } from "node:fs";
import { join } from "node:path";

export interface AllureExecutor {
  name: string;
  /** Allure picks the widget's icon from it: github, azure, gitlab, jenkins; `local` has none. */
  type: string;
  url?: string;
  buildOrder?: number;
  buildName?: string;
  buildUrl?: string;
  reportName?: string;
  reportUrl?: string;
}

export const EXECUTOR_FILE = "executor.json";

/** allure-results/executor.json's text; Allure reads it when generating the report. */
export function executorJson(executor: AllureExecutor): string {
  return `${JSON.stringify(executor, null, 2)}\n`;
}

/** Writes allure-results/executor.json. */
export function writeExecutor(allureResultsDir: string, executor: AllureExecutor): void {
  writeFileSync(join(allureResultsDir, EXECUTOR_FILE), executorJson(executor));
}
