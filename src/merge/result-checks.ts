/**
 * What the shards' results must be together, once each shard's summary.json was checked against
 * itself and its record (evidence/summary-check.ts): a control's results are of one kind of
 * target in every shard, and every host and cluster has one result per selected control of its
 * kind (engine/scope.ts). A shard whose summary.json lacks every result of one control agrees
 * with itself; only beside the other shards does it show that results are missing.
 */
import type { TargetKind } from "../model/result";
import { inconsistent, type OpenShard } from "./open-shards";

export class ResultChecks {
  private readonly kindOf = new Map<string, TargetKind>();

  /** The kinds of target one shard's controls had results for. */
  shard(shard: OpenShard, kinds: ReadonlyMap<string, TargetKind>): void {
    for (const [id, kind] of kinds) {
      if ((this.kindOf.get(id) ?? kind) !== kind) throw inconsistent(shard, `control ${id} has results for both hosts and clusters`);
      this.kindOf.set(id, kind);
    }
  }

  /** Once every shard is read: no shard has fewer results than its hosts and clusters need. */
  finish(shards: readonly OpenShard[]): void {
    const perKind = (kind: TargetKind): number => [...this.kindOf.values()].filter((k) => k === kind).length;
    for (const shard of shards) {
      const count = resultCount(shard);
      // Shard 1 judges the directory too: one result per directory control.
      const directory = shard.record.shard.index === 1 ? perKind("directory") : 0;
      const expected = shard.record.hosts.length * perKind("host") + shard.record.clusters.length * perKind("cluster") + directory;
      if (count !== expected) throw inconsistent(shard, `it holds ${count} results, but its ${shard.record.hosts.length} hosts and ${shard.record.clusters.length} clusters${directory > 0 ? " and the directory" : ""} have ${expected} (one per control of their kind): results are missing`);
    }
  }
}

/** The results a shard's record counts. */
export function resultCount(shard: OpenShard): number {
  return shard.record.slices.reduce((n, p) => n + p.results, 0);
}
