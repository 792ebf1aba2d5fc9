/**
 * How a run walks the estate: in slices of whole clusters and standalone hosts, each loaded,
 * judged and written before the next is read. A cluster is never split (its cross-node checks need
 * every node), so memory is bounded by the larger of SLICE_HOSTS and the largest cluster, not by
 * the estate. An estate of up to SLICE_HOSTS hosts is one slice, judged exactly as a whole.
 */
import { nameKey } from "../input/inventory";
import type { Inventory } from "../model/inventory";

/**
 * About 70 MiB of snapshots, facts and results (bench/README.md). Each slice is also one Cucumber
 * run, about 30 ms: 100 of them at 100,000 hosts.
 */
export const SLICE_HOSTS = 1000;

export interface Slice {
  /** Indexes into inventory.hosts, ascending. */
  hosts: number[];
  /** Indexes into inventory.clusters, ascending. */
  clusters: number[];
}

export function planSlices(inv: Inventory, maxHosts: number = SLICE_HOSTS): Slice[] {
  const hostIndex = new Map(inv.hosts.map((h, i) => [nameKey(h.name), i] as const));
  const clusterOf = new Map<number, number>();
  (inv.clusters ?? []).forEach((c, ci) => {
    for (const n of c.nodes) {
      const i = hostIndex.get(nameKey(n));
      if (i !== undefined) clusterOf.set(i, ci);
    }
  });
  const slices: Slice[] = [];
  let current: Slice = { hosts: [], clusters: [] };
  const placed = new Set<number>();
  const close = (): void => {
    current.hosts.sort((a, b) => a - b);
    current.clusters.sort((a, b) => a - b);
    slices.push(current);
    current = { hosts: [], clusters: [] };
  };
  inv.hosts.forEach((_, i) => {
    if (placed.has(i)) return;
    const ci = clusterOf.get(i);
    const members = ci === undefined ? [i] : (inv.clusters ?? [])[ci]!.nodes.map((n) => hostIndex.get(nameKey(n))).filter((x): x is number => x !== undefined);
    if (current.hosts.length > 0 && current.hosts.length + members.length > maxHosts) close();
    for (const m of members) {
      placed.add(m);
      current.hosts.push(m);
    }
    if (ci !== undefined) current.clusters.push(ci);
  });
  if (current.hosts.length > 0 || current.clusters.length > 0 || slices.length === 0) close();
  return slices;
}
