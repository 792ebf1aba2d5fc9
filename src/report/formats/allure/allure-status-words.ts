/**
 * hostproof's outcome words in the HTML report.
 *
 * Allure 2 has five statuses and shows each in the UI's language: "Broken", "Skipped", "Unknown"…
 * allure-results.ts maps hostproof's five outcomes onto them one to one (ALLURE_STATUS), and
 * patchStatusWords makes every UI language say hostproof's word for each: the status filter, the
 * charts' legends and tooltips, the result's status, the timeline and the marks ("New broken").
 * The words stay English in every language, like the severity words and the rest of hostproof's
 * vocabulary (`--fail-on`, summary.json, the other reports): an auditor matches them across reports.
 */
import type { ResultStatus } from "../../../model/result";
import { ALLURE_STATUS } from "./allure-results";

/** What the report shows for each hostproof outcome. */
export const OUTCOME_WORD: Readonly<Record<ResultStatus, string>> = {
  passed: "Passed",
  failed: "Failed",
  undetermined: "Undetermined",
  notApplicable: "Not applicable",
  waived: "Waived",
};

/** What the report shows for each Allure status: hostproof's word for the outcome mapped onto it. */
export const SHOWN_STATUS: Readonly<Record<string, string>> = Object.fromEntries(
  (Object.keys(OUTCOME_WORD) as ResultStatus[]).map((s) => [ALLURE_STATUS[s], OUTCOME_WORD[s]]),
);

export interface StatusPatchCounts {
  /** Language tables whose status words were replaced (one per UI language). */
  statuses: number;
  /** Language tables whose "New broken/failed/passed" marks were replaced. */
  marks: number;
}

// Each UI language has `status:{broken:`…`,failed:`…`,passed:`…`,skipped:`…`,unknown:`…`}`, and
// `marks:{flaky:`…`,newBroken:`…`,newFailed:`…`,newPassed:`…`,…}`.
const STATUS_TABLE = /status:\{broken:`[^`]*`,failed:`[^`]*`,passed:`[^`]*`,skipped:`[^`]*`,unknown:`[^`]*`\}/g;
const MARKS = /newBroken:`[^`]*`,newFailed:`[^`]*`,newPassed:`[^`]*`/g;

function word(status: string): string {
  return SHOWN_STATUS[status]!.replace(/[`\\$]/g, "");
}

/** Rewrites the status words in Allure's UI script; returns the script and what was replaced. */
export function patchStatusWords(js: string): { js: string; counts: StatusPatchCounts } {
  const counts: StatusPatchCounts = { statuses: 0, marks: 0 };
  let out = js.replace(STATUS_TABLE, () => {
    counts.statuses += 1;
    return `status:{${["broken", "failed", "passed", "skipped", "unknown"].map((s) => `${s}:\`${word(s)}\``).join(",")}}`;
  });
  out = out.replace(MARKS, () => {
    counts.marks += 1;
    return `newBroken:\`New ${word("broken").toLowerCase()}\`,newFailed:\`New ${word("failed").toLowerCase()}\`,newPassed:\`New ${word("passed").toLowerCase()}\``;
  });
  return { js: out, counts };
}
