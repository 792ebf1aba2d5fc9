/** Applies one control's judge to every target in its scope. */
import type { ClusterJudge, HostJudge } from "../judge/context";
import type { ControlMeta, Judgement, Result } from "../model/result";
import type { Estate, EstateCluster, EstateHost } from "./estate";

export function evaluateHosts(estate: Estate, hosts: EstateHost[], control: ControlMeta, judge: HostJudge, onBug: (m: string) => void): Result[] {
  return hosts.map((h) => {
    const judgement = safely(() => judge({ facts: h.facts, inputs: h.inputs, cluster: h.cluster, asOf: estate.asOf }), control, h.record.name, onBug);
    return { ...judgement, control, target: { kind: "host", name: h.record.name, cluster: h.cluster?.name } };
  });
}

export function evaluateClusters(estate: Estate, clusters: EstateCluster[], control: ControlMeta, judge: ClusterJudge, onBug: (m: string) => void): Result[] {
  return clusters.map((c) => {
    const judgement = safely(() => judge({ cluster: c.cluster, nodes: c.nodes.map((n) => n.facts), asOf: estate.asOf }), control, c.cluster.name, onBug);
    return { ...judgement, control, target: { kind: "cluster", name: c.cluster.name, cluster: c.cluster.name } };
  });
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
