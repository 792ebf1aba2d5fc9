/**
 * The engine's own guard against a control that silently stops counting. The lint refuses every
 * feature it knows would judge nothing; should one get past it anyway (a step that throws before it
 * judges, a hook that fails, a scenario Cucumber never ran), the run must not read as compliant for
 * want of results. After Cucumber has run a slice, each selected control has exactly one result per
 * target of the kinds its checks judge: a missing one is added as undetermined, a control whose
 * checks did not all run has every one of its results made at least undetermined, and each is an
 * internal error on the terminal (a bug: the lint should have refused the feature).
 */
import type { ControlMeta, Result, Target, TargetKind } from "../model/result";
import { recordResult } from "./combine";
import type { Estate } from "./estate";
import type { RunContext } from "./run-context";

export interface ExpectedControl {
  meta: ControlMeta;
  /** What its Then steps judge (controls/catalog.ts). */
  judges: readonly TargetKind[];
}

const MAX_NAMED = 5;

export function completeResults(run: RunContext, expected: readonly ExpectedControl[]): void {
  const have = new Set(run.results.map((r) => keyOf(r.control.id, r.target)));
  const unfinished = new Map<string, string>();
  for (const u of run.unfinished) if (!unfinished.has(u.controlId)) unfinished.set(u.controlId, u.reason);
  const ran = new Set(run.controls.map((c) => c.id));
  for (const { meta, judges } of expected) {
    const why = unfinished.get(meta.id) ?? (ran.has(meta.id) ? undefined : "its scenario did not run");
    const missing: string[] = [];
    for (const target of targetsOf(run.estate, judges)) {
      const absent = !have.has(keyOf(meta.id, target));
      if (absent) missing.push(target.name);
      if (absent || why !== undefined) recordResult(run, undetermined(meta, target, why ?? "no check of the control judged this target"));
    }
    if (why === undefined && missing.length === 0) continue;
    const named = `${missing.slice(0, MAX_NAMED).join(", ")}${missing.length > MAX_NAMED ? `, and ${missing.length - MAX_NAMED} more` : ""}`;
    run.internalErrors.push(`${meta.id}: ${why ?? "no check judged some of its targets"}${missing.length > 0 ? `; no result for ${named}` : ""}. Its results are reported as undetermined.`);
  }
  const selected = new Set(expected.map((e) => e.meta.id));
  const extra = run.controls.filter((c) => !selected.has(c.id));
  for (const c of extra) run.internalErrors.push(`${c.id}: ran, but the selection did not choose it (its results are reported as they are).`);
  // The selection's order, not the order scenarios happened to start in; a control that never ran is listed too.
  run.controls = [...expected.map((e) => e.meta), ...extra];
}

function targetsOf(estate: Estate, judges: readonly TargetKind[]): Target[] {
  return [
    ...(judges.includes("host") ? estate.hosts.map((h): Target => ({ kind: "host", name: h.record.name, cluster: h.cluster?.name })) : []),
    ...(judges.includes("cluster") ? estate.clusters.map((c): Target => ({ kind: "cluster", name: c.cluster.name, cluster: c.cluster.name })) : []),
    // One slice of the run judges the directory (engine/directory-target.ts); the others owe it nothing.
    ...(judges.includes("directory") && estate.directory.judged ? [{ kind: "directory" as const, name: estate.directory.name }] : []),
  ];
}

/** As engine/combine.ts keys a control's results. */
const keyOf = (id: string, t: Target): string => `${id}\u0000${t.kind}\u0000${t.name}`;

function undetermined(control: ControlMeta, target: Target, why: string): Result {
  return {
    status: "undetermined",
    control,
    target,
    expected: "a judgement of every check of the control",
    actual: "hostproof did not judge this target",
    reason: { kind: "other", message: `internal error in hostproof (please report it): ${why}` },
    evidence: [],
  };
}
