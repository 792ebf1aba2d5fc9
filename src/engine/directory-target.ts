/**
 * The estate's directory as a target: one per run, named by its domain's DNS name
 * (DC=corp,DC=example: corp.example), judged by the estate-wide controls (features/directory.feature).
 *
 * A run is judged slice by slice, and may be one shard of several: the directory target is judged
 * in exactly one slice of exactly one shard, the one that holds the inventory's first host (slices
 * and shards are contiguous runs of the inventory, so that is the first slice of shard 1), and
 * `hostproof merge` takes it from that shard. Every slice still holds the directory's computers,
 * for host controls that compare a host with its computer object.
 *
 * A run given no directory snapshot still has the target when a directory control is selected:
 * its result says no snapshot was given, undetermined, never passed and never left out.
 */
import { readComputer, type Computer } from "../directory/computer";
import { InventoryNames } from "../judge/directory";
import type { DirectoryObject } from "../model/directory";
import { DEFAULT_STALE_DAYS } from "../directory/query";
import type { Inventory } from "../model/inventory";
import type { Slice } from "./slices";

export { NO_DIRECTORY_NAME } from "../model/run";
import { NO_DIRECTORY_NAME } from "../model/run";

export const NO_DIRECTORY_REASON = "no directory snapshot was given (run --directory, or the inventory's directory field)";

/** What every slice of a run is given about the directory: structured-clonable, for judge workers. */
export interface DirectoryInput {
  /** The snapshot judged; absent when none was given. */
  snapshot?: {
    domain: string;
    /** Where the report keeps it (evidence/directory/<file>). */
    evidence: string;
    objects: DirectoryObject[];
  };
  activeDays: number;
  /** Every host of the inventory, not only the slice's: "checked by this run" is about the whole estate. */
  hosts: { name: string; address?: string }[];
}

export interface EstateDirectory {
  name: string;
  /** Undefined when no snapshot was given. */
  computers?: readonly Computer[];
  evidence?: string;
  activeDays: number;
  inventory: InventoryNames;
  /** This slice judges the directory target. */
  judged: boolean;
}

export function directoryInput(inv: Inventory, snapshot: DirectoryInput["snapshot"]): DirectoryInput {
  return {
    ...(snapshot !== undefined ? { snapshot } : {}),
    activeDays: inv.inputs?.directory?.activeDays ?? DEFAULT_STALE_DAYS,
    hosts: inv.hosts.map((h) => ({ name: h.name, ...(h.address !== undefined ? { address: h.address } : {}) })),
  };
}

/** Read once per input (a worker judges many slices with one), not once per slice. */
const read = new WeakMap<DirectoryInput, { computers?: Computer[]; inventory: InventoryNames }>();

export function estateDirectory(input: DirectoryInput, slice: Slice | undefined): EstateDirectory {
  let known = read.get(input);
  if (known === undefined) {
    known = { inventory: new InventoryNames(input.hosts), ...(input.snapshot !== undefined ? { computers: input.snapshot.objects.map(readComputer) } : {}) };
    read.set(input, known);
  }
  return {
    name: input.snapshot?.domain ?? NO_DIRECTORY_NAME,
    ...(known.computers !== undefined ? { computers: known.computers } : {}),
    ...(input.snapshot !== undefined ? { evidence: input.snapshot.evidence } : {}),
    activeDays: input.activeDays,
    inventory: known.inventory,
    judged: slice === undefined || slice.hosts[0] === 0,
  };
}
