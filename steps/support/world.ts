/** Each scenario is one control; its world remembers which control and which targets it is about. */
import { After, Before, BeforeStep, World, setWorldConstructor, type IWorldOptions } from "@cucumber/cucumber";
import { resolve } from "node:path";
import { PACKAGE_ROOT } from "../../src/package-root";
import { stepMatcher, type StepMatcher } from "../../src/controls/known-steps";
import { CONTROL_ID, controlMeta, scenariosOf } from "../../src/controls/meta";
import { activeRun } from "../../src/engine/run-context";
import type { Scope } from "../../src/engine/scope";
import type { ControlMeta } from "../../src/model/result";

export class ControlWorld extends World {
  control?: ControlMeta;
  scope?: Scope;
  /** Targets any check of this scenario found non-compliant; the scenario fails on them at its last step. */
  readonly nonCompliant = new Set<string>();
  /** Every target a check of this scenario judged. */
  readonly judged = new Set<string>();
  lastStepId?: string;
  currentStepId?: string;
  /** Checks (Then steps) of this scenario that judged their targets; After compares it with how many it has. */
  checksDone = 0;

  atLastStep(): boolean {
    return this.currentStepId === undefined || this.currentStepId === this.lastStepId;
  }

  constructor(options: IWorldOptions) {
    super(options);
  }
}

setWorldConstructor(ControlWorld);

Before(function (this: ControlWorld, { gherkinDocument, pickle }) {
  const found = scenariosOf(gherkinDocument).find((s) => pickle.astNodeIds.includes(s.scenario.id));
  if (!found) throw new Error(`cannot find the scenario of '${pickle.name}' in ${pickle.uri}`);
  const run = activeRun();
  // Cucumber's uri is relative to its cwd (hostproof's folder); the run knows each file's origin
  // and the path the user knows it by. A bare cucumber-js run has only the built-in ones.
  const file = run.features?.find((f) => f.path === resolve(PACKAGE_ROOT, pickle.uri));
  this.control = controlMeta(gherkinDocument, found.scenario, file?.shown ?? pickle.uri.split("\\").join("/"), found.ruleTags, file?.origin);
  this.lastStepId = pickle.steps[pickle.steps.length - 1]?.id;
  // An outline runs once per Examples row, all one control (src/engine/combine.ts).
  if (!run.controls.some((c) => c.id === this.control?.id)) run.controls.push(this.control);
});

BeforeStep(function (this: ControlWorld, { pickleStep }) {
  this.currentStepId = pickleStep.id;
});

let steps: StepMatcher | undefined;

/**
 * A scenario fails legitimately only at its last check, after every check has judged. One whose
 * checks did not all run (a step threw, was skipped or pending, or the Before hook failed) is
 * told to the run, which makes the control's results undetermined (src/engine/complete-results.ts).
 */
After(function (this: ControlWorld, { pickle, result }) {
  steps ??= stepMatcher();
  const checks = pickle.steps.filter((s) => steps!.match(s.text)?.keyword === "Then").length;
  const status = result?.status ?? "UNKNOWN";
  if (this.checksDone >= checks && (status === "PASSED" || status === "FAILED")) return;
  const controlId = this.control?.id ?? pickle.tags.map((t) => CONTROL_ID.exec(t.name)?.[1]).find((id) => id !== undefined);
  if (controlId === undefined) return;
  const message = result?.message?.split("\n")[0];
  activeRun().unfinished.push({ controlId, reason: `${this.checksDone} of ${checks} check(s) ran (the scenario ended ${status.toLowerCase()}${message ? `: ${message}` : ""})` });
});
