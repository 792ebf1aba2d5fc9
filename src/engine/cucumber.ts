/** Runs the selected controls through Cucumber, in this process, over an estate. */
import { loadConfiguration, loadSupport, runCucumber, type ISupportCodeLibrary } from "@cucumber/cucumber/api";
import type { Envelope } from "@cucumber/messages";
import { Writable } from "node:stream";
import { PACKAGE_ROOT } from "../controls/catalog";
import { resolve } from "node:path";
import { changedFeatureFiles, type FeatureFile } from "../controls/feature-set";
import { InputError } from "../errors";
import { completeResults, type ExpectedControl } from "./complete-results";
import type { Estate } from "./estate";
import { setActiveRun, type RunContext } from "./run-context";
import { claimSupportProfile } from "./support-code";

export interface ControlRunOptions {
  estate: Estate;
  /** Cucumber tag expression choosing controls, e.g. "@severity:critical or @area:dns". */
  tags?: string;
  /** The feature files to run (controls/feature-set.ts): built-in, an organisation's, or both. */
  features: readonly FeatureFile[];
  /** Told every Cucumber message (the run keeps them as cucumber-messages.ndjson). */
  onMessage?: (message: Envelope) => void;
  /**
   * The controls the selection chose and what each judges: after Cucumber, each has one result per
   * target of those kinds, undetermined where none came (engine/complete-results.ts).
   */
  expected?: readonly ExpectedControl[];
}

export interface ControlRun extends RunContext {
  /** Steps Cucumber could not run (undefined or ambiguous): defects in hostproof's own features. */
  brokenSteps: string[];
}

const discard = (): Writable =>
  new Writable({
    write(_chunk, _enc, done) {
      done();
    },
  });

let supportLibrary: ISupportCodeLibrary | undefined;
/** A streamed run calls Cucumber once per slice with the same tags and features: configured once for each. */
const configurations = new Map<string, Awaited<ReturnType<typeof loadConfiguration>>["runConfiguration"]>();

export async function runControls(options: ControlRunOptions): Promise<ControlRun> {
  const ctx: RunContext = { estate: options.estate, results: [], controls: [], internalErrors: [], unfinished: [], features: options.features };
  const brokenSteps: string[] = [];
  // Cucumber resolves features and steps against cwd; the controls ship with hostproof, so its own
  // folder is the cwd here whatever folder the user runs from.
  const environment = { cwd: PACKAGE_ROOT, stdout: discard(), stderr: discard(), env: process.env };
  const tags = options.tags ?? "";
  // Absolute, so that a user's folder is found whatever the cwd; escaped, because Cucumber expands
  // each path as a glob and a folder named "controls [prod]" must mean itself.
  const paths = options.features.map((f) => globLiteral(f.path));
  const key = `${tags}\0${paths.join("\0")}`;
  let runConfiguration = configurations.get(key);
  if (runConfiguration === undefined) {
    ({ runConfiguration } = await loadConfiguration(
      {
        // Cucumber joins `file` onto cwd (PACKAGE_ROOT), so it must stay relative.
        file: "cucumber.js",
        // The compiled steps when this runs compiled, the TypeScript ones when it runs from source.
        profiles: [claimSupportProfile()],
        // No formatter: the messages are taken from onMessage, one stream across every slice.
        // cucumber.js names no paths for these profiles: Cucumber would add its own to these.
        provided: { tags, paths, format: [], formatOptions: {} },
      },
      environment,
    ));
    configurations.set(key, runConfiguration);
  }
  // Cucumber reads each feature file again, itself: it must run the text the lint checked. A file
  // changed since is refused before Cucumber opens it (by stat: opening a file swapped for a FIFO
  // would hang), and each source Cucumber parsed is compared with the checked text.
  const changed = changedFeatureFiles(options.features);
  if (changed.length > 0) throw changedUnderTheRun(changed);
  const checked = new Map(options.features.map((f) => [f.path, f]));
  const differs: { shown: string }[] = [];
  const broken = { UNDEFINED: 0, AMBIGUOUS: 0 };
  const onMessage = (m: Envelope): void => {
    if (m.source !== undefined) {
      const file = checked.get(resolve(PACKAGE_ROOT, m.source.uri));
      if (file === undefined || file.text !== m.source.data) differs.push({ shown: file?.shown ?? m.source.uri });
    }
    const status = m.testStepFinished?.testStepResult.status;
    if (status === "UNDEFINED" || status === "AMBIGUOUS") broken[status]++;
    options.onMessage?.(m);
  };
  // Step files register their definitions when first required; a second run in the same process
  // (tests, the bench, collect-then-run) would find them cached and register nothing. Cucumber's
  // API takes an already loaded library instead, so it is loaded once and reused.
  supportLibrary ??= await loadSupport(runConfiguration, environment);
  setActiveRun(ctx);
  try {
    await runCucumber({ ...runConfiguration, support: supportLibrary }, environment, onMessage);
  } finally {
    setActiveRun(undefined);
  }
  if (differs.length > 0) throw changedUnderTheRun(differs);
  if (options.expected !== undefined) completeResults(ctx, options.expected);
  for (const [status, n] of Object.entries(broken)) if (n > 0) brokenSteps.push(`${n} step(s) ${status.toLowerCase()}`);
  return { ...ctx, brokenSteps };
}

function changedUnderTheRun(files: readonly { shown: string }[]): InputError {
  return new InputError(
    files.map((f) => ({
      file: f.shown,
      problem: "the file changed while hostproof was running, after its controls were checked: the run would not judge what was checked",
      fix: "Run again once nothing is writing to the feature folders; nothing was written.",
    })),
  );
}

/**
 * As glob's own escape() does with windowsPathsNoEscape (Cucumber's setting): each magic character
 * in a class of its own. `@` too: Cucumber reads a path whose name starts with @ as a rerun file,
 * a list of other paths to run.
 */
function globLiteral(path: string): string {
  return path.replace(/[?*()[\]{}@]/g, "[$&]");
}
