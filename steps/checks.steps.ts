/** The Then steps: each phrase is one judge (src/controls/checks.ts says which, and what it reads). */
import { CHECKS } from "../src/controls/checks";
import { clusterCheck, directoryCheck, hostCheck } from "./support/define-check";

for (const check of CHECKS) {
  if (check.kind === "host") hostCheck(check.phrase, check.judge);
  else if (check.kind === "cluster") clusterCheck(check.phrase, check.judge);
  else directoryCheck(check.phrase, check.judge);
}
