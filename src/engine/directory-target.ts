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
import { InventoryNames, type HostInDirectory } from "../judge/directory";
import type { DirectoryObject } from "../model/directory";
import { DEFAULT_STALE_DAYS } from "../directory/query";
import type { Inventory } from "../model/inventory";
import type { Waiver } from "../model/waiver";
import { directoryWaivers, type DirectoryWaiver } from "../waivers/directory";
import type { Slice } from "./slices";

export { NO_DIRECTORY_NAME } from "../model/run";
import { NO_DIRECTORY_NAME } from "../model/run";

export const NO_DIRECTORY_REASON = "no directory snapshot was given (run --directory, or the inventory's directory field)";

/** What every slice of a run is given about the directory: structured-clonable, for judge workers. */
export interface DirectoryInput {
  /** The snapshot judged; absent when none was given. */
  snapshot?: {
    domain: string;
    /** When it was read (its collectedAt): activity is judged against this, not the as-of day. */
    collectedAt: string;
    /** Where the report keeps it (evidence/directory/<file>). */
    evidence: string;
    objects: DirectoryObject[];
  };
  /** The waivers with a { directory: <DN> } scope, applied by the estate-wide judges row by row. */
  waivers: DirectoryWaiver[];
  /** The inventory's statement that the estate has no directory, with its reason (`directory: { none: … }`). */
  none?: string;
  activeDays: number;
  /** Every host of the inventory, not only the slice's: "checked by this run" is about the whole estate. */
  hosts: { name: string; address?: string }[];
}

export interface EstateDirectory {
  name: string;
  /** Undefined when no snapshot was given. */
  computers?: readonly Computer[];
  evidence?: string;
  /** When the snapshot was read; set with `computers`. */
  readAt?: Date;
  waivers: readonly DirectoryWaiver[];
  /** The inventory's reason why the estate has no directory; never set with `computers`. */
  none?: string;
  activeDays: number;
  inventory: InventoryNames;
  /** What the directory holds for one inventory host (HP-DIR-003). */
  hostView: (name: string) => HostInDirectory;
  /** This slice judges the directory target. */
  judged: boolean;
}

export function directoryInput(inv: Inventory, snapshot: DirectoryInput["snapshot"], waivers: readonly Waiver[] = []): DirectoryInput {
  const none = typeof inv.directory === "object" ? inv.directory.none : undefined;
  return {
    waivers: directoryWaivers(waivers),
    ...(snapshot !== undefined ? { snapshot } : none !== undefined ? { none } : {}),
    activeDays: inv.inputs?.directory?.activeDays ?? DEFAULT_STALE_DAYS,
    hosts: inv.hosts.map((h) => ({ name: h.name, ...(h.address !== undefined ? { address: h.address } : {}) })),
  };
}

/** Read once per input (a worker judges many slices with one), not once per slice. */
const read = new WeakMap<DirectoryInput, { computers?: Computer[]; inventory: InventoryNames; byHost: Map<string, Computer[]> }>();

/** Each inventory host's computer objects, by the matching HP-DIR-002 uses (InventoryNames.hostOf). */
function objectsByHost(computers: readonly Computer[], inventory: InventoryNames): Map<string, Computer[]> {
  const byHost = new Map<string, Computer[]>();
  for (const c of computers) {
    const host = inventory.hostOf(c);
    if (host !== undefined) byHost.set(host, [...(byHost.get(host) ?? []), c]);
  }
  return byHost;
}

export function estateDirectory(input: DirectoryInput, slice: Slice | undefined): EstateDirectory {
  let known = read.get(input);
  if (known === undefined) {
    const inventory = new InventoryNames(input.hosts);
    const computers = input.snapshot?.objects.map(readComputer);
    known = { inventory, byHost: computers === undefined ? new Map() : objectsByHost(computers, inventory), ...(computers !== undefined ? { computers } : {}) };
    read.set(input, known);
  }
  const { byHost } = known;
  const snapshot = input.snapshot;
  const none = input.none;
  const hostView = (name: string): HostInDirectory => {
    if (snapshot === undefined) return none !== undefined ? { kind: "none", why: none } : { kind: "no-snapshot", reason: NO_DIRECTORY_REASON };
    const computers = byHost.get(name);
    return computers === undefined ? { kind: "absent", domain: snapshot.domain } : { kind: "objects", domain: snapshot.domain, computers };
  };
  return {
    name: input.snapshot?.domain ?? NO_DIRECTORY_NAME,
    ...(known.computers !== undefined ? { computers: known.computers } : {}),
    ...(input.snapshot !== undefined ? { evidence: input.snapshot.evidence, readAt: new Date(input.snapshot.collectedAt) } : {}),
    ...(none !== undefined && snapshot === undefined ? { none } : {}),
    activeDays: input.activeDays,
    inventory: known.inventory,
    waivers: input.waivers,
    hostView,
    judged: slice === undefined || slice.hosts[0] === 0,
  };
}
