/**
 * A Then step is a judge applied to every target the Given step chose. Each target's result goes to
 * the run; the step fails, naming the non-compliant targets, so that Cucumber's own record of the
 * run agrees with the verdict.
 */
import { Then } from "@cucumber/cucumber";
import { expect } from "chai";
import { evaluateClusters, evaluateHosts } from "../../src/engine/evaluate";
import { activeRun } from "../../src/engine/run-context";
import type { ClusterJudge, HostJudge } from "../../src/judge/context";
import type { Result } from "../../src/model/result";
import type { ControlWorld } from "./world";

const MAX_LISTED = 20;

export function hostCheck(phrase: string, judge: HostJudge): void {
  Then(phrase, function (this: ControlWorld) {
    const { run, control, scope } = prepare(this, phrase, "host");
    if (scope.kind !== "host") throw new Error("unreachable");
    const results = evaluateHosts(run.estate, scope, control, judge, (m) => run.internalErrors.push(m));
    conclude(this, results);
  });
}

export function clusterCheck(phrase: string, judge: ClusterJudge): void {
  Then(phrase, function (this: ControlWorld) {
    const { run, control, scope } = prepare(this, phrase, "cluster");
    if (scope.kind !== "cluster") throw new Error("unreachable");
    const results = evaluateClusters(run.estate, scope, control, judge, (m) => run.internalErrors.push(m));
    conclude(this, results);
  });
}

function prepare(world: ControlWorld, phrase: string, kind: "host" | "cluster") {
  const run = activeRun();
  const control = world.control;
  const scope = world.scope;
  if (!control) throw new Error(`'${phrase}' ran without a control`);
  if (!scope) throw new Error(`'${phrase}' needs a Given step that chooses its targets, e.g. "Given each host"`);
  if (scope.kind !== kind) {
    throw new Error(`${control.id}: '${phrase}' judges ${kind}s, but '${scope.name}' chooses ${scope.kind}s`);
  }
  return { run, control, scope };
}

function conclude(world: ControlWorld, results: Result[]): void {
  const run = activeRun();
  for (const r of results) run.results.push(r);
  const count = (s: Result["status"]): number => results.filter((r) => r.status === s).length;
  const notPassing = results.filter((r) => r.status === "failed" || r.status === "undetermined");
  const lines = notPassing.slice(0, MAX_LISTED).map((r) => `${r.status === "failed" ? "non-compliant" : "undetermined"}: ${r.target.name}: ${r.status === "failed" ? r.actual : r.reason?.message ?? r.actual}`);
  if (notPassing.length > MAX_LISTED) lines.push(`... and ${notPassing.length - MAX_LISTED} more`);
  world.attach(
    [`${results.length} target(s): ${count("passed")} passed, ${count("failed")} non-compliant, ${count("undetermined")} undetermined, ${count("notApplicable")} not applicable`, ...lines].join("\n"),
    "text/plain",
  );
  const failed = results.filter((r) => r.status === "failed");
  expect(failed.map((r) => r.target.name), `${failed.length} of ${results.length} target(s) are non-compliant`).to.deep.equal([]);
}
