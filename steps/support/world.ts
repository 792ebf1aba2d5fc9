/** Each scenario is one control; its world remembers which control and which targets it is about. */
import type { GherkinDocument, Pickle, Scenario } from "@cucumber/messages";
import { After, Before, BeforeStep, World, setWorldConstructor, type IWorldOptions } from "@cucumber/cucumber";
import { resolve } from "node:path";
import { PACKAGE_ROOT } from "../../src/package-root";
import { stepMatcher, type StepMatcher } from "../../src/controls/known-steps";
import { CONTROL_ID, controlMeta, scenariosOf } from "../../src/controls/meta";
import { activeRun, type RunContext } from "../../src/engine/run-context";
import type { Scope } from "../../src/engine/scope";
import { giveTurn, turnDue } from "../../src/util/turns";
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

/** A feature's scenarios by AST id: looked up once per pickle, so built once per document, not scanned per pickle. */
const scenarioIndex = new WeakMap<GherkinDocument, Map<string, { scenario: Scenario; ruleTags: string[] }>>();
/** Each scenario's control, made once: an outline's rows are all the same control. */
const controlOf = new WeakMap<Scenario, ControlMeta>();
/** The control IDs already in run.controls, so that adding one is not a scan of every earlier one. */
const listed = new WeakMap<RunContext, Set<string>>();

function scenarioOf(doc: GherkinDocument, pickle: Pickle): { scenario: Scenario; ruleTags: string[] } | undefined {
  let index = scenarioIndex.get(doc);
  if (index === undefined) scenarioIndex.set(doc, (index = new Map(scenariosOf(doc).map((s) => [s.scenario.id, s] as const))));
  for (const id of pickle.astNodeIds) {
    const found = index.get(id);
    if (found !== undefined) return found;
  }
  return undefined;
}

Before(function (this: ControlWorld, { gherkinDocument, pickle }) {
  const found = scenarioOf(gherkinDocument, pickle);
  if (!found) throw new Error(`cannot find the scenario of '${pickle.name}' in ${pickle.uri}`);
  const run = activeRun();
  let control = controlOf.get(found.scenario);
  if (control === undefined) {
    // Cucumber's uri is relative to its cwd (hostproof's folder); the run knows each file's origin
    // and the path the user knows it by. A bare cucumber-js run has only the built-in ones.
    const file = run.features?.find((f) => f.path === resolve(PACKAGE_ROOT, pickle.uri));
    control = controlMeta(gherkinDocument, found.scenario, file?.shown ?? pickle.uri.split("\\").join("/"), found.ruleTags, file?.origin);
    controlOf.set(found.scenario, control);
  }
  this.control = control;
  this.lastStepId = pickle.steps[pickle.steps.length - 1]?.id;
  // An outline runs once per Examples row, all one control (src/engine/combine.ts).
  let ids = listed.get(run);
  if (ids === undefined) listed.set(run, (ids = new Set(run.controls.map((c) => c.id))));
  if (!ids.has(control.id)) {
    ids.add(control.id);
    run.controls.push(control);
  }
});

BeforeStep(function (this: ControlWorld, { pickleStep }) {
  this.currentStepId = pickleStep.id;
  // Cucumber runs every step in memory, promise after promise, and never lets the event loop
  // turn: without this, Ctrl-C would wait for the whole slice to be judged (src/util/turns.ts).
  // A promise only when a turn is due: Cucumber races each promise a step returns against a timer.
  return turnDue() ? giveTurn() : undefined;
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
