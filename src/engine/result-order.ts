/**
 * The order results are written in, within a slice: by control (in the order the features ran),
 * then by target (hosts in inventory order, then clusters in inventory order). Cucumber gives this
 * order already; it is imposed anyway, so that a merge, which sees a slice's results arrive from
 * several shards, puts them in exactly the order one run over the whole estate would have.
 */
import { nameKey } from "../input/inventory";
import type { Result } from "../model/result";

export interface TargetPositions {
  /** Inventory index of each host, by nameKey. */
  hosts: ReadonlyMap<string, number>;
  /** Inventory index of each cluster, by nameKey. */
  clusters: ReadonlyMap<string, number>;
}

export function positionsOf(inv: { hosts: readonly { name: string }[]; clusters?: readonly { name: string }[] }): TargetPositions {
  return {
    hosts: new Map(inv.hosts.map((h, i) => [nameKey(h.name), i] as const)),
    clusters: new Map((inv.clusters ?? []).map((c, i) => [nameKey(c.name), i] as const)),
  };
}

/** Sorted in place, stably; `controlIds` in the order the controls ran. */
export function orderResults(results: Result[], controlIds: readonly string[], positions: TargetPositions): Result[] {
  const controlRank = new Map(controlIds.map((id, i) => [id, i] as const));
  const hostCount = positions.hosts.size;
  const targetRank = (r: Result): number =>
    r.target.kind === "host" ? (positions.hosts.get(nameKey(r.target.name)) ?? Number.MAX_SAFE_INTEGER) : hostCount + (positions.clusters.get(nameKey(r.target.name)) ?? Number.MAX_SAFE_INTEGER - hostCount);
  const key = new Map(results.map((r) => [r, [controlRank.get(r.control.id) ?? controlIds.length, targetRank(r)] as const]));
  return results.sort((a, b) => {
    const ka = key.get(a)!;
    const kb = key.get(b)!;
    return ka[0] - kb[0] || ka[1] - kb[1];
  });
}
