/**
 * Collect an estate into a folder: one snapshot per host (live hosts read now, snapshot hosts
 * copied) and an inventory pointing at them, written atomically like a report.
 */
import { copyFileSync, mkdirSync, writeFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { planProbes } from "../controls/probe-plan";
import { loadInventory } from "../input/inventory";
import type { Inventory } from "../model/inventory";
import { checkReplaceable, commitStaging, discardStaging, markReport, openStaging } from "../report/output-dir";
import { VERSION } from "../version";
import { collectEstate, type EstateCollection } from "./collect-estate";
import type { HostReader } from "./collect-hosts";
import type { ProbeId } from "../probes/catalog";

export interface CollectToFolderOptions {
  inventory: string;
  out: string;
  tags?: string;
  concurrency?: number;
  timeoutSeconds?: number;
  /** For tests: read hosts some other way than through pwsh. */
  reader?: HostReader;
}

export async function collectToFolder(options: CollectToFolderOptions): Promise<EstateCollection & { probes: ProbeId[]; durationMs: number }> {
  checkReplaceable(options.out);
  const loaded = loadInventory(resolve(options.inventory), options.inventory);
  const plan = planProbes(options.tags);
  const started = performance.now();
  const collection = await collectEstate(loaded, {
    probes: plan.probes,
    concurrency: options.concurrency,
    timeoutSeconds: options.timeoutSeconds,
    collectorVersion: VERSION,
    reader: options.reader,
  });
  const staging = openStaging(options.out);
  try {
    mkdirSync(join(staging, "snapshots"));
    const inv = loaded.inventory;
    const baseDir = dirname(resolve(options.inventory));
    for (const h of inv.hosts) {
      const to = join(staging, "snapshots", `${h.name}.json`);
      const live = collection.snapshots.get(h.name);
      if (live) writeFileSync(to, `${JSON.stringify(live, null, 2)}\n`);
      else if (h.snapshot) copyFileSync(resolve(baseDir, h.snapshot), to);
    }
    writeFileSync(join(staging, "inventory.json"), `${JSON.stringify(offlineInventory(inv), null, 2)}\n`);
    markReport(staging, `hostproof ${VERSION} snapshots of ${options.inventory}`);
    commitStaging(staging, options.out);
  } catch (err) {
    discardStaging(staging);
    throw err;
  }
  return { ...collection, probes: plan.probes, durationMs: performance.now() - started };
}

/** The same estate, every host read from its snapshot; credentials are of no use there and stay behind. */
export function offlineInventory(inv: Inventory): Inventory {
  const { credentials: _credentials, collection: _collection, ...rest } = inv;
  return {
    ...rest,
    hosts: inv.hosts.map((h) => ({
      name: h.name,
      ...(h.address ? { address: h.address } : {}),
      transport: "snapshot" as const,
      snapshot: `snapshots/${h.name}.json`,
      ...(h.inputs ? { inputs: h.inputs } : {}),
    })),
  };
}
