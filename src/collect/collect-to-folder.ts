/**
 * Collect an estate into a folder: one snapshot per host (live hosts read now, snapshot hosts
 * copied) and an inventory pointing at them, written atomically like a report.
 */
import { mkdirSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { InputError, type InputProblem } from "../errors";
import type { LoadedInventory } from "../input/inventory";
import { readRegularFile } from "../input/regular-file";
import { loadSnapshot } from "../input/snapshot";
import { snapshotPath, type SnapshotPath } from "../input/snapshot-path";
import { formatPath } from "../schema/validate";
import { planProbes } from "../controls/probe-plan";
import { loadFeatureCatalogGivingTurns } from "../controls/catalog";
import type { FeatureSelection } from "../controls/feature-set";
import { loadInventory } from "../input/inventory";
import { loadRunDirectory } from "../engine/run-directory";
import { hostFileName } from "../input/host-file-name";
import type { Inventory } from "../model/inventory";
import { checkReplaceable, commitStaging, discardStaging, markReport, openStaging, REPORT_MARKER } from "../report/output/output-dir";
import { FEATURES_DIR } from "../package-root";
import { lockFolder } from "../report/output/folder-lock";
import { checkNotInsideWritten, checkOutputsApart, featureInputs, inventoryInputs } from "../report/output/own-inputs";
import { sweepStaleStaging } from "../report/output/staging";
import { VERSION } from "../version";
import { collectEstate, type EstateCollection } from "./collect-estate";
import type { HostReader } from "./collect-hosts";
import type { ProbeId } from "../probes/catalog";
import type { GenericProbe } from "../probes/generic";
import { shardUnits, type Shard } from "../engine/shard";

export interface CollectToFolderOptions {
  inventory: string;
  out: string;
  tags?: string;
  concurrency?: number;
  timeoutSeconds?: number;
  /** Copy snapshot files that resolve outside the inventory's folder (src/input/snapshot-path.ts). */
  allowOutsideSnapshots?: boolean;
  /** For tests: read hosts some other way than through pwsh. */
  reader?: HostReader;
  /** The feature folders the probes are planned from (default: the built-in controls). */
  features?: FeatureSelection;
  /** Read only this share of the estate (engine/shard.ts); inventory.json still lists every host. */
  shard?: Shard;
}

export async function collectToFolder(options: CollectToFolderOptions): Promise<EstateCollection & { probes: ProbeId[]; generic: GenericProbe[]; durationMs: number; notes: string[] }> {
  checkReplaceable(options.out);
  const loaded = loadInventory(resolve(options.inventory), options.inventory);
  const plan = planProbes(options.tags, await loadFeatureCatalogGivingTurns(options.features));
  // Snapshot hosts are copied: check them before any host is contacted, as run would.
  const mine = options.shard !== undefined ? new Set(shardUnits(loaded.inventory, options.shard).flatMap((u) => u.hosts)) : undefined;
  const share: LoadedInventory = mine !== undefined ? { ...loaded, inventory: { ...loaded.inventory, hosts: loaded.inventory.hosts.filter((_, i) => mine.has(i)) } } : loaded;
  const copies = snapshotCopies(loaded, options.allowOutsideSnapshots === true, mine);
  // The inventory's directory snapshot goes with the hosts' snapshots: the folder is the estate, judged anywhere.
  const directory = loadRunDirectory(loaded, undefined, options.allowOutsideSnapshots === true);
  // `collect -o snaps` again over the folder it reads its inventory from would replace it.
  const inputs = [...inventoryInputs(loaded, options.inventory, options.allowOutsideSnapshots === true), ...featureInputs(options.features?.folders ?? [], options.features?.builtin === false ? undefined : FEATURES_DIR)];
  const outputs = [{ path: options.out, shown: options.out, flag: "--out" }];
  const fix = "Collect into a folder of its own, apart from the inventory, its snapshots and the feature folders, e.g. --out snapshots-new.";
  checkOutputsApart(outputs, inputs, fix);
  checkNotInsideWritten(outputs, REPORT_MARKER, fix);
  const lock = lockFolder(options.out, "collect", "--out");
  try {
    const started = performance.now();
    const collection = await collectEstate(share, {
      probes: plan.probes,
      generic: plan.generic,
      concurrency: options.concurrency,
      timeoutSeconds: options.timeoutSeconds,
      collectorVersion: VERSION,
      reader: options.reader,
    });
    const notes = [...lock.notes, ...sweepStaleStaging(options.out)];
    const staging = openStaging(options.out);
    try {
      mkdirSync(join(staging, "snapshots"));
      // The whole estate's inventory, in every shard's folder alike: the shards' snapshots/ copied
      // into one folder are the estate collected, and run --shard K/N reads shard K's from its own.
      const inv = loaded.inventory;
      for (const h of share.inventory.hosts) {
        const to = join(staging, "snapshots", hostFileName(h.name));
        const live = collection.snapshots.get(h.name);
        const copy = copies.get(h.name);
        if (live) writeFileSync(to, `${JSON.stringify(live, null, 2)}\n`);
        else if (copy) writeFileSync(to, readRegularFile(copy.file, copy.shown, "snapshot"));
      }
      // Named by hostproof, not by the user: a plain name of theirs could be inventory.json.
      const directoryFile = directory === undefined ? undefined : /\.ya?ml$/i.test(directory.file) ? "directory.yaml" : "directory.json";
      if (directory !== undefined) writeFileSync(join(staging, directoryFile!), directory.raw);
      writeFileSync(join(staging, "inventory.json"), `${JSON.stringify(offlineInventory(inv, directoryFile), null, 2)}\n`);
      markReport(staging, `hostproof ${VERSION} snapshots of ${options.inventory}`);
      commitStaging(staging, options.out);
    } catch (err) {
      discardStaging(staging);
      throw err;
    }
    return { ...collection, probes: plan.probes, generic: plan.generic, durationMs: performance.now() - started, notes };
  } finally {
    lock.release();
  }
}

/**
 * The snapshot files of snapshot hosts, checked like run checks them (inside the inventory's
 * folder, a regular file, a valid snapshot of that host), every problem reported at once.
 */
function snapshotCopies(loaded: LoadedInventory, allowOutside: boolean, only?: ReadonlySet<number>): Map<string, SnapshotPath> {
  const copies = new Map<string, SnapshotPath>();
  const problems: InputProblem[] = [];
  loaded.inventory.hosts.forEach((h, i) => {
    if (h.transport !== "snapshot" || h.snapshot === undefined || (only !== undefined && !only.has(i))) return;
    const path = snapshotPath(loaded.file, h.snapshot, allowOutside);
    if ("problem" in path) {
      const field = ["hosts", i, "snapshot"];
      problems.push({ file: loaded.doc.file, field: formatPath(field), line: loaded.doc.lineOf(field), ...path });
      return;
    }
    try {
      loadSnapshot(path.file, path.shown, h.name);
      copies.set(h.name, path);
    } catch (err) {
      if (!(err instanceof InputError)) throw err;
      problems.push(...err.problems);
    }
  });
  if (problems.length > 0) throw new InputError(problems);
  return copies;
}

/**
 * The same estate, every host read from its snapshot; credentials are of no use there and stay
 * behind. A directory snapshot the inventory named is the copy beside it (`directoryFile`).
 */
export function offlineInventory(inv: Inventory, directoryFile?: string): Inventory {
  const { credentials: _credentials, collection: _collection, ...rest } = inv;
  return {
    ...rest,
    ...(directoryFile !== undefined ? { directory: directoryFile } : {}),
    hosts: inv.hosts.map((h) => ({
      name: h.name,
      ...(h.address ? { address: h.address } : {}),
      transport: "snapshot" as const,
      snapshot: `snapshots/${hostFileName(h.name)}`,
      ...(h.inputs ? { inputs: h.inputs } : {}),
    })),
  };
}
