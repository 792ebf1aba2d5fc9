/**
 * A Then step is a judge applied to every target the Given step chose. Each target's result goes to
 * the run, combined with the control's other checks of that target (src/engine/combine.ts). The
 * scenario fails at its last step, naming the non-compliant targets of every check, so that
 * Cucumber's own record of the run agrees with the verdict. Failing at the first failing check
 * would make Cucumber skip the checks after it, and those would judge no target at all.
 */
import { Then } from "@cucumber/cucumber";
import { expect } from "chai";
import { recordResult } from "../../src/engine/combine";
import { evaluateClusters, evaluateDirectory, evaluateHosts } from "../../src/engine/evaluate";
import { activeRun } from "../../src/engine/run-context";
import type { ClusterJudge, DirectoryJudge, HostJudge } from "../../src/judge/context";
import type { Result, TargetKind } from "../../src/model/result";
import type { ControlWorld } from "./world";

const MAX_LISTED = 20;

export function hostCheck(phrase: string, judge: HostJudge): void {
  Then(phrase, function (this: ControlWorld) {
    judgeHosts(this, phrase, judge);
  });
}

export function clusterCheck(phrase: string, judge: ClusterJudge): void {
  Then(phrase, function (this: ControlWorld) {
    const { run, control, scope } = prepare(this, phrase, "cluster");
    if (scope.kind !== "cluster") throw new Error("unreachable");
    conclude(this, evaluateClusters(run.estate, scope, control, judge, (m) => run.internalErrors.push(m)));
  });
}

/** An estate-wide check: one target, the estate's directory, in the one slice that judges it. */
export function directoryCheck(phrase: string, judge: DirectoryJudge): void {
  Then(phrase, function (this: ControlWorld) {
    const { run, control } = prepare(this, phrase, "directory");
    conclude(this, evaluateDirectory(run.estate, control, judge, (m) => run.internalErrors.push(m)));
  });
}

/** One host check of a step: `judge` on every host the scenario's Given chose. */
export function judgeHosts(world: ControlWorld, phrase: string, judge: HostJudge): void {
  const { run, control, scope } = prepare(world, phrase, "host");
  if (scope.kind !== "host") throw new Error("unreachable");
  conclude(world, evaluateHosts(run.estate, scope, control, judge, (m) => run.internalErrors.push(m)));
}

function prepare(world: ControlWorld, phrase: string, kind: TargetKind) {
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
  for (const r of results) recordResult(run, r);
  world.checksDone++;
  const count = (s: Result["status"]): number => results.filter((r) => r.status === s).length;
  const notPassing = results.filter((r) => r.status === "failed" || r.status === "undetermined");
  const lines = notPassing.slice(0, MAX_LISTED).map((r) => `${r.status === "failed" ? "non-compliant" : "undetermined"}: ${r.target.name}: ${r.status === "failed" ? r.actual : r.reason?.message ?? r.actual}`);
  if (notPassing.length > MAX_LISTED) lines.push(`... and ${notPassing.length - MAX_LISTED} more`);
  world.attach(
    [`${results.length} target(s): ${count("passed")} passed, ${count("failed")} non-compliant, ${count("undetermined")} undetermined, ${count("notApplicable")} not applicable`, ...lines].join("\n"),
    "text/plain",
  );
  for (const r of results) {
    world.judged.add(r.target.name);
    if (r.status === "failed") world.nonCompliant.add(r.target.name);
  }
  if (!world.atLastStep()) return;
  const failed = [...world.nonCompliant];
  expect(failed, `${failed.length} of ${world.judged.size} target(s) are non-compliant`).to.deep.equal([]);
}
