/**
 * How a run walks the estate: in slices of whole clusters and standalone hosts, each loaded,
 * judged and written before the next is read. A cluster is never split (its cross-node checks need
 * every node), so memory is bounded by the larger of SLICE_HOSTS and the largest cluster, not by
 * the estate. An estate of up to SLICE_HOSTS hosts is one slice, judged exactly as a whole.
 */
import { nameKey } from "../input/inventory";

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

/** What slices and shards are cut from: a standalone host, or a cluster with all its nodes. */
export interface Unit {
  /** Indexes into inventory.hosts, in the cluster's node order. */
  hosts: number[];
  cluster?: number;
}

/** The names slicing needs: a merge rebuilds the estate's plan from its shards' records of them. */
export type EstateShape = { hosts: readonly { name: string }[]; clusters?: readonly { name: string; nodes: readonly string[] }[] };

/** The estate's units in inventory order: each where its first host stands. */
export function planUnits(inv: EstateShape): Unit[] {
  const hostIndex = new Map(inv.hosts.map((h, i) => [nameKey(h.name), i] as const));
  const clusterOf = new Map<number, number>();
  (inv.clusters ?? []).forEach((c, ci) => {
    for (const n of c.nodes) {
      const i = hostIndex.get(nameKey(n));
      if (i !== undefined) clusterOf.set(i, ci);
    }
  });
  const units: Unit[] = [];
  const placed = new Set<number>();
  inv.hosts.forEach((_, i) => {
    if (placed.has(i)) return;
    const ci = clusterOf.get(i);
    const hosts = ci === undefined ? [i] : inv.clusters![ci]!.nodes.map((n) => hostIndex.get(nameKey(n))).filter((x): x is number => x !== undefined);
    for (const m of hosts) placed.add(m);
    units.push(ci === undefined ? { hosts } : { hosts, cluster: ci });
  });
  return units;
}

/** `units` defaults to every unit of the estate; a shard gives its own share (engine/shard.ts). */
export function planSlices(inv: EstateShape, maxHosts: number = SLICE_HOSTS, units: readonly Unit[] = planUnits(inv)): Slice[] {
  const slices: Slice[] = [];
  let current: Slice = { hosts: [], clusters: [] };
  const close = (): void => {
    current.hosts.sort((a, b) => a - b);
    current.clusters.sort((a, b) => a - b);
    slices.push(current);
    current = { hosts: [], clusters: [] };
  };
  for (const unit of units) {
    if (current.hosts.length > 0 && current.hosts.length + unit.hosts.length > maxHosts) close();
    current.hosts.push(...unit.hosts);
    if (unit.cluster !== undefined) current.clusters.push(unit.cluster);
  }
  if (current.hosts.length > 0 || current.clusters.length > 0 || slices.length === 0) close();
  return slices;
}
