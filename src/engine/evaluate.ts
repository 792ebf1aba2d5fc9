/** Applies one control's judge to every target of its kind: judged in scope, not applicable outside it. */
import type { ClusterJudge, DirectoryJudge, HostJudge } from "../judge/context";
import { notApplicable } from "../judge/common";
import type { ControlMeta, Judgement, Result } from "../model/result";
import type { Estate } from "./estate";
import { NO_DIRECTORY_REASON } from "./directory-target";
import { exemptionFor } from "../waivers/directory";
import type { Computer } from "../directory/computer";
import type { ClusterScope, Exclusion, HostScope } from "./scope";

export function evaluateHosts(estate: Estate, scope: HostScope, control: ControlMeta, judge: HostJudge, onBug: (m: string) => void): Result[] {
  return estate.hosts.map((h) => {
    const why = scope.excludes(h);
    const judgement =
      why !== undefined
        ? outOfScope(control, why)
        : safely(() => judge({ facts: h.facts, inputs: h.inputs, cluster: h.cluster, asOf: estate.asOf, directory: h.directory }), control, h.record.name, onBug);
    return { ...judgement, control, target: { kind: "host", name: h.record.name, cluster: h.cluster?.name } };
  });
}

export function evaluateClusters(estate: Estate, scope: ClusterScope, control: ControlMeta, judge: ClusterJudge, onBug: (m: string) => void): Result[] {
  return estate.clusters.map((c) => {
    const why = scope.excludes(c);
    const judgement =
      why !== undefined
        ? outOfScope(control, why)
        : safely(() => judge({ cluster: c.cluster, nodes: c.nodes.map((n) => n.facts), asOf: estate.asOf }), control, c.cluster.name, onBug);
    return { ...judgement, control, target: { kind: "cluster", name: c.cluster.name, cluster: c.cluster.name } };
  });
}

/**
 * The estate's directory: one result, in the one slice that judges it (engine/directory-target.ts),
 * none in the others. Without a snapshot the result says so, undetermined: a control over the
 * whole estate never passes on what it was not given.
 */
export function evaluateDirectory(estate: Estate, control: ControlMeta, judge: DirectoryJudge, onBug: (m: string) => void): Result[] {
  const d = estate.directory;
  if (!d.judged) return [];
  const target = { kind: "directory" as const, name: d.name };
  if (d.none !== undefined) {
    // The inventory's own statement, with its reason: never assumed, never silent.
    const why = `the inventory states the estate has no directory: ${d.none}`;
    return [{ status: "notApplicable", expected: control.title, actual: why, reason: notApplicable(why), evidence: [], control, target }];
  }
  if (d.computers === undefined) {
    return [{ status: "undetermined", expected: control.title, actual: "no directory snapshot was given", reason: { kind: "not-collected", message: NO_DIRECTORY_REASON }, evidence: [], control, target }];
  }
  const computers = d.computers;
  const readAt = d.readAt!;
  const exemption = exemptionFor(d.waivers, control.id, estate.asOf);
  const exempt = (c: Computer) => exemption(c.dn);
  const judgement = safely(() => judge({ computers, asOf: estate.asOf, readAt, activeDays: d.activeDays, inventory: d.inventory, exempt }), control, d.name, onBug);
  return [{ ...judgement, control, target }];
}

/** Nothing is read for a target the control does not apply to: no evidence, only the reason. */
function outOfScope(control: ControlMeta, why: Exclusion): Judgement {
  return {
    status: "notApplicable",
    expected: `${control.title} (applies to ${why.appliesTo})`,
    actual: why.found,
    reason: notApplicable(`${control.id} applies to ${why.appliesTo}; ${why.found}`),
    evidence: [],
  };
}

/** A judge that throws is a bug; the target becomes undetermined so that the rest of the run stands. */
function safely(fn: () => Judgement, control: ControlMeta, target: string, onBug: (m: string) => void): Judgement {
  try {
    return fn();
  } catch (err) {
    const message = `${control.id} on ${target}: ${(err as Error).stack ?? String(err)}`;
    onBug(message);
    return {
      status: "undetermined",
      expected: "a judgement",
      actual: "hostproof failed while judging this target",
      reason: { kind: "other", message: `internal error in hostproof (please report it): ${(err as Error).message}` },
      evidence: [],
    };
  }
}
