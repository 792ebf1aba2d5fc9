/**
 * What a shard's results must be, checked as they pass through the merge: every host and cluster
 * has one result per selected control of its kind (engine/scope.ts), each written by the slice
 * that held its target. A shard's summary.json edited to drop, repeat or move a result is then
 * refused rather than merged into a report that silently lacks it.
 */
import { nameKey } from "../input/inventory";
import type { TargetKind } from "../model/result";
import type { ShardHost } from "../report/shard-record";
import type { SummaryResult } from "../report/summary";
import type { InventoryCluster } from "../model/inventory";
import { inconsistent, type OpenShard } from "./open-shards";

export class ResultChecks {
  private readonly kindOf = new Map<string, TargetKind>();

  constructor(private readonly controls: ReadonlySet<string>) {}

  /** The results one slice of `shard` wrote, for its hosts and clusters. */
  slice(shard: OpenShard, hosts: readonly ShardHost[], clusters: readonly InventoryCluster[], results: readonly SummaryResult[]): void {
    const targets = new Set([...hosts.map((x) => `host ${nameKey(x.name)}`), ...clusters.map((x) => `cluster ${nameKey(x.name)}`)]);
    const seen = new Set<string>();
    for (const r of results) {
      const target = `${r.target.kind} ${nameKey(r.target.name)}`;
      if (!targets.has(target)) throw inconsistent(shard, `a result of ${r.controlId} names ${r.target.kind} ${r.target.name}, which is not among the hosts and clusters of the slice that wrote it`);
      if (!this.controls.has(r.controlId)) throw inconsistent(shard, `a result names control ${r.controlId}, which its controls do not list`);
      if ((this.kindOf.get(r.controlId) ?? r.target.kind) !== r.target.kind) throw inconsistent(shard, `control ${r.controlId} has results for both hosts and clusters`);
      this.kindOf.set(r.controlId, r.target.kind);
      if (seen.has(`${target} ${r.controlId}`)) throw inconsistent(shard, `${r.target.kind} ${r.target.name} has two results of ${r.controlId}`);
      seen.add(`${target} ${r.controlId}`);
    }
  }

  /** Once every shard is read: no shard has fewer results than its hosts and clusters need. */
  finish(shards: readonly OpenShard[]): void {
    const perKind = (kind: TargetKind): number => [...this.kindOf.values()].filter((k) => k === kind).length;
    for (const shard of shards) {
      const count = resultCount(shard);
      const expected = shard.record.hosts.length * perKind("host") + shard.record.clusters.length * perKind("cluster");
      if (count !== expected) throw inconsistent(shard, `it holds ${count} results, but its ${shard.record.hosts.length} hosts and ${shard.record.clusters.length} clusters have ${expected} (one per control of their kind): results are missing`);
    }
  }
}

/** The results a shard's record counts. */
export function resultCount(shard: OpenShard): number {
  return shard.record.slices.reduce((n, p) => n + p.results, 0);
}
