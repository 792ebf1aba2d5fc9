/** Each scenario is one control; its world remembers which control and which targets it is about. */
import { Before, World, setWorldConstructor, type IWorldOptions } from "@cucumber/cucumber";
import { controlMeta, scenariosOf } from "../../src/controls/meta";
import { activeRun } from "../../src/engine/run-context";
import type { Scope } from "../../src/engine/scope";
import type { ControlMeta } from "../../src/model/result";

export class ControlWorld extends World {
  control?: ControlMeta;
  scope?: Scope;

  constructor(options: IWorldOptions) {
    super(options);
  }
}

setWorldConstructor(ControlWorld);

Before(function (this: ControlWorld, { gherkinDocument, pickle }) {
  const found = scenariosOf(gherkinDocument).find((s) => pickle.astNodeIds.includes(s.scenario.id));
  if (!found) throw new Error(`cannot find the scenario of '${pickle.name}' in ${pickle.uri}`);
  this.control = controlMeta(gherkinDocument, found.scenario, pickle.uri.split("\\").join("/"), found.ruleTags);
  activeRun().controls.push(this.control);
});
