/**
 * The whole estate as its shards describe it: where each host and cluster stands in the
 * inventory, rebuilt from the shards' records (openShards has checked that every place is filled
 * once), then cut into the slices one run over the estate would have judged, and the order it
 * writes results in. Each shard must hold exactly the share `--shard K/N` gives of that estate:
 * a record edited to claim other hosts would otherwise put results where no run would have.
 */
import { nameKey } from "../input/inventory";
import type { InventoryCluster } from "../model/inventory";
import { NO_DIRECTORY_NAME } from "../model/run";
import type { TargetKind } from "../model/result";
import type { ShardHost } from "../report/bookkeeping/shard-record";
import { positionsOf, type TargetPositions } from "../engine/result-order";
import { shardLabel, shardUnits } from "../engine/shard";
import { planSlices, type Slice } from "../engine/slices";
import { inconsistent, type OpenShard } from "./open-shards";

export interface PlacedHost {
  shard: OpenShard;
  host: ShardHost;
}

export interface EstateLayout {
  /** By inventory index. */
  hosts: PlacedHost[];
  /** By inventory index. */
  clusters: InventoryCluster[];
  slices: Slice[];
  positions: TargetPositions;
  /** The slice of the whole run that judged a target, by kind and name. */
  sliceOf(kind: TargetKind, name: string): number | undefined;
}

export function estateLayout(shards: readonly OpenShard[]): EstateLayout {
  const { estate } = shards[0]!.record;
  const hosts = new Array<PlacedHost>(estate.hosts);
  const clusters = new Array<InventoryCluster>(estate.clusters);
  for (const shard of shards) {
    for (const host of shard.record.hosts) hosts[host.index] = { shard, host };
    for (const { index, ...cluster } of shard.record.clusters) clusters[index] = cluster;
  }
  const shape = { hosts: hosts.map((p) => ({ name: p.host.name })), clusters };
  for (const shard of shards) {
    const share = shardUnits(shape, shard.record.shard);
    const sorted = (xs: number[]): string => JSON.stringify(xs.sort((a, b) => a - b));
    const expected = sorted(share.flatMap((u) => u.hosts)) + sorted(share.flatMap((u) => (u.cluster !== undefined ? [u.cluster] : [])));
    const actual = sorted(shard.record.hosts.map((h) => h.index)) + sorted(shard.record.clusters.map((c) => c.index));
    if (actual !== expected) throw inconsistent(shard, `its hosts and clusters are not shard ${shardLabel(shard.record.shard)} of the estate the shards describe`);
  }
  const slices = planSlices(shape, estate.sliceHosts);
  const bySlice = new Map<string, number>();
  slices.forEach((s, k) => {
    for (const i of s.hosts) bySlice.set(`host ${nameKey(shape.hosts[i]!.name)}`, k);
    for (const c of s.clusters) bySlice.set(`cluster ${nameKey(clusters[c]!.name)}`, k);
  });
  // The directory is judged with the inventory's first host (engine/directory-target.ts): in the first slice.
  bySlice.set(`directory ${nameKey(shards[0]!.record.head.directory?.name ?? NO_DIRECTORY_NAME)}`, 0);
  return { hosts, clusters, slices, positions: positionsOf(shape), sliceOf: (kind, name) => bySlice.get(`${kind} ${nameKey(name)}`) };
}
