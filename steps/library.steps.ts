/**
 * The step library's Then steps (src/controls/library.ts): each builds its judge from the step's
 * arguments and data table, then judges every host the Given chose.
 */
import { Then, type DataTable } from "@cucumber/cucumber";
import { LIBRARY } from "../src/controls/library";
import { judgeHosts } from "./support/define-check";
import type { ControlWorld } from "./support/world";

for (const step of LIBRARY) {
  const declared = step.args.length + (step.table !== undefined ? 1 : 0);
  // Cucumber passes the expression's arguments, then the data table, then a callback of its own.
  const definition = function (this: ControlWorld, ...args: unknown[]): void {
    const table = step.table !== undefined ? (args[step.args.length] as DataTable) : undefined;
    const rows = table?.raw().map((r) => r[0] ?? "") ?? [];
    judgeHosts(this, step.phrase, step.judge({ values: args.slice(0, step.args.length) as (string | number)[], rows }));
  };
  // Cucumber checks a definition's declared parameter count against the step's arguments (plus
  // its data table); a rest parameter declares none. One more would ask for the callback style.
  Object.defineProperty(definition, "length", { value: declared });
  Then(step.phrase, definition);
}
