/** The Given steps: which hosts or clusters a control is about. */
import { Given } from "@cucumber/cucumber";
import { PARAMETERISED_SCOPES, SCOPES } from "../src/engine/scope";
import type { ControlWorld } from "./support/world";

for (const [phrase, scope] of Object.entries(SCOPES)) {
  Given(phrase, function (this: ControlWorld) {
    this.scope = scope;
  });
}

for (const { phrase, scope } of PARAMETERISED_SCOPES) {
  Given(phrase, function (this: ControlWorld, build: number) {
    this.scope = scope(build);
  });
}
