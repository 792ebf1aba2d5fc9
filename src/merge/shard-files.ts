/** A shard whose files are not as its manifest lists them (evidence/listed-files.ts found which), refused in one message. */
import type { InputProblem } from "../errors";
import { briefProblems, type VerifyProblem } from "../evidence/manifest";
import { shownArg } from "../util/shell-quote";

/** The one refusal of a shard whose files are not as its manifest lists them. */
export function notAsWritten(shown: string, problems: readonly VerifyProblem[]): InputProblem {
  return {
    file: shown,
    problem: `the shard is not as it was written: ${problems.length} file(s) differ from its manifest (${briefProblems(problems)})`,
    fix: `Run \`hostproof verify ${shownArg(shown)}\` for the list, then get the shard again from where its job stored it, or run that shard again.`,
  };
}
