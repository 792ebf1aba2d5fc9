/**
 * evidence/shard.json: what a `run --shard K/N` writes beside its report so that `hostproof merge`
 * can put the shards back together exactly as one run over the estate would have written it
 * (schemas/shard.schema.json). It says which share this is of which estate, with which features,
 * waivers and as-of day, where each host and cluster stands in the inventory, and how many results
 * each slice wrote, so that the merge reads a shard's summary.json a slice at a time.
 */
import type { EnvironmentInfo } from "../formats/allure/allure-sdk";
import type { ControlMeta } from "../../model/result";
import type { InventoryCluster } from "../../model/inventory";
import type { HostRecord } from "../../model/run";
import type { Waiver } from "../../model/waiver";
import type { Slice } from "../../engine/slices";
import type { Shard } from "../../engine/shard";
import type { SummaryHead } from "../formats/summary";

export const SHARD_RECORD_FILE = "evidence/shard.json";

export interface ShardEstate {
  /** SHA-256 of the inventory as read (engine/shard.ts): every shard of one estate has the same. */
  sha256: string;
  hosts: number;
  clusters: number;
  /** Hosts per slice the run used: the merge slices the estate the same way. */
  sliceHosts: number;
}

export interface ShardHost {
  /** Position in the inventory's hosts. */
  index: number;
  name: string;
  cluster?: string;
  snapshotFile?: string;
}

export interface ShardRecord {
  schemaVersion: 1;
  shard: Shard;
  estate: ShardEstate;
  head: SummaryHead;
  controls: ControlMeta[];
  /** Allure's Environment panel as the shard wrote it: names and digests of the features that ran. */
  environment: EnvironmentInfo;
  waivers?: { file: string; warnDays: number; waivers: Waiver[] };
  /**
   * With --features: SHA-256 over each of the organisation's feature files, content and path within
   * its --features folder. Unlike the Environment panel's digest it does not depend on where the
   * folders are, so shards run from different working folders still merge.
   */
  userFeatures?: string;
  internalErrors: string[];
  hosts: ShardHost[];
  clusters: (InventoryCluster & { index: number })[];
  /** Per slice, in order: its hosts and clusters (the next ones in `hosts` and `clusters`) and its results in summary.json. */
  slices: { hosts: number; clusters: number; results: number }[];
}

export class ShardRecordBuilder {
  private readonly hosts: ShardHost[] = [];
  private readonly clusters: ShardRecord["clusters"] = [];
  private readonly slices: ShardRecord["slices"] = [];

  constructor(
    private readonly shard: Shard,
    private readonly estate: ShardEstate,
  ) {}

  /** `records` are the slice's hosts as judged, in the slice's order. */
  addSlice(slice: Slice, records: readonly HostRecord[], clusters: readonly InventoryCluster[], results: number): void {
    records.forEach((h, k) => {
      this.hosts.push({ index: slice.hosts[k]!, name: h.name, ...(h.cluster !== undefined ? { cluster: h.cluster } : {}), ...(h.snapshotFile !== undefined ? { snapshotFile: h.snapshotFile } : {}) });
    });
    clusters.forEach((c, k) => this.clusters.push({ index: slice.clusters[k]!, ...c }));
    this.slices.push({ hosts: records.length, clusters: clusters.length, results });
  }

  /** `writer`: the report being written (report/run-writer.ts), which records the file in its manifest. */
  write(writer: { writeSmall(rel: string, text: string): void }, rest: Pick<ShardRecord, "head" | "controls" | "environment" | "internalErrors" | "waivers" | "userFeatures">): void {
    const { waivers, userFeatures, ...others } = rest;
    const record: ShardRecord = {
      schemaVersion: 1,
      shard: this.shard,
      estate: this.estate,
      ...others,
      ...(waivers !== undefined ? { waivers } : {}),
      ...(userFeatures !== undefined ? { userFeatures } : {}),
      hosts: this.hosts,
      clusters: this.clusters,
      slices: this.slices,
    };
    writer.writeSmall(SHARD_RECORD_FILE, `${JSON.stringify(record, null, 1)}\n`);
  }
}
