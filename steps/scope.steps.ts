/** The Given steps: which hosts or clusters a control is about. */
import { Given } from "@cucumber/cucumber";
import { SCOPES } from "../src/engine/scope";
import type { ControlWorld } from "./support/world";

for (const [phrase, scope] of Object.entries(SCOPES)) {
  Given(phrase, function (this: ControlWorld) {
    this.scope = scope;
  });
}
