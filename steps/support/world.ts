/** Each scenario is one control; its world remembers which control and which targets it is about. */
import { Before, BeforeStep, World, setWorldConstructor, type IWorldOptions } from "@cucumber/cucumber";
import { resolve } from "node:path";
import { PACKAGE_ROOT } from "../../src/package-root";
import { controlMeta, scenariosOf } from "../../src/controls/meta";
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
