/** The estate as the judges see it: every host with its normalised facts, grouped into clusters. */
import { InputError, type InputProblem } from "../errors";
import { normaliseSnapshot } from "../facts";
import { loadSnapshotFile } from "../input/snapshot";
import type { Slice } from "./slices";
import { snapshotPath } from "../input/snapshot-path";
import { formatPath } from "../schema/validate";
import { nameKey, type LoadedInventory } from "../input/inventory";
import type { HostFacts } from "../model/facts";
import type { ControlInputs, InventoryCluster } from "../model/inventory";
import type { HostRecord } from "../model/run";
import type { Snapshot } from "../model/snapshot";
import { giveTurn } from "../util/turns";
import { DEFAULT_INPUTS, type ResolvedInputs } from "../judge/context";
import { distrustFacts, distrustProbes } from "../facts/distrust";
import { clusterProblem, identityProblem, timeProblem } from "./snapshot-trust";
import { directoryInput, estateDirectory, type DirectoryInput, type EstateDirectory } from "./directory-target";
import type { HostInDirectory } from "../judge/directory";

export interface EstateHost {
  /** What the estate's directory holds for this host (HP-DIR-003). */
  directory: HostInDirectory;
  record: HostRecord;
  facts: HostFacts;
  inputs: ResolvedInputs;
  cluster?: InventoryCluster;
}

export interface EstateCluster {
  cluster: InventoryCluster;
  nodes: EstateHost[];
}

export interface Estate {
  name?: string;
  hosts: EstateHost[];
  clusters: EstateCluster[];
  /** The estate's directory (engine/directory-target.ts): always there, with or without a snapshot. */
  directory: EstateDirectory;
  asOf: Date;
}

/** Host inputs are added to the estate's: allowances accumulate, scalar settings override. */
export function resolveInputs(estate: ControlInputs | undefined, host: ControlInputs | undefined): ResolvedInputs {
  return {
    offloads: { allowed: [...(estate?.offloads?.allowed ?? []), ...(host?.offloads?.allowed ?? [])] },
    endOfSupport: {
      warningDays: host?.endOfSupport?.warningDays ?? estate?.endOfSupport?.warningDays ?? DEFAULT_INPUTS.endOfSupport.warningDays,
    },
    integrationServices: { allowed: [...(estate?.integrationServices?.allowed ?? []), ...(host?.integrationServices?.allowed ?? [])] },
    updateDeferral: {
      minDays: host?.updateDeferral?.minDays ?? estate?.updateDeferral?.minDays ?? DEFAULT_INPUTS.updateDeferral.minDays,
      maxDays: host?.updateDeferral?.maxDays ?? estate?.updateDeferral?.maxDays ?? DEFAULT_INPUTS.updateDeferral.maxDays,
    },
  };
}

const IDENTITY_FIX =
  "Collect the host again (hostproof collect) so that its snapshot is its own and dated by its own clock, or correct the inventory; with `identity: undetermined` (the default) the host's results are undetermined instead";

/**
 * The facts as far as they can be believed (engine/snapshot-trust.ts): a snapshot of another host,
 * or from the future, gives no readable fact; a node naming another cluster gives no cluster fact.
 * `refused` says why, for an inventory that asks for strictness.
 */
function trusted(facts: HostFacts, snapshot: Snapshot, cluster: InventoryCluster | undefined, now: Date): { facts: HostFacts; refused?: string } {
  const why = identityProblem(facts.host, facts, snapshot) ?? timeProblem(snapshot, now);
  if (why !== undefined) return { facts: distrustFacts(facts, why), refused: why };
  const other = clusterProblem(cluster, facts);
  if (other !== undefined) return { facts: distrustProbes(facts, ["cluster", "clusterQuorum"], other), refused: other };
  return { facts };
}

/** The cluster of each node, by name key: what a host's snapshot is checked against. */
export function clustersOfNodes(clusters: readonly InventoryCluster[]): Map<string, InventoryCluster> {
  const clusterOf = new Map<string, InventoryCluster>();
  for (const c of clusters) for (const n of c.nodes) clusterOf.set(nameKey(n), c);
  return clusterOf;
}

/**
 * One host's snapshot as the judges are given it, or the problems that refuse it (exit 3): the
 * path held inside the inventory's folder, the file, its schema and consistency, its host, and,
 * under `identity: strict`, that it can be believed to be this host's. `buildEstate` reads every
 * host so, slice by slice; `validate` reads every snapshot host so, before any run.
 */
export function readHost(loaded: LoadedInventory, i: number, clusterOf: ReadonlyMap<string, InventoryCluster>, allowOutsideSnapshots: boolean, now: Date, live?: Snapshot): { record: HostRecord; facts: HostFacts; cluster?: InventoryCluster } | { problems: InputProblem[] } {
  const inv = loaded.inventory;
  const h = inv.hosts[i]!;
  let shown: string | undefined;
  try {
    let snapshot = live;
    let raw: Buffer | undefined;
    if (snapshot === undefined) {
      const path = snapshotPath(loaded.file, h.snapshot ?? `${h.name}.json`, allowOutsideSnapshots);
      if ("problem" in path) {
        const field = ["hosts", i, "snapshot"];
        return { problems: [{ file: loaded.doc.file, field: formatPath(field), line: loaded.doc.lineOf(field), ...path }] };
      }
      shown = h.snapshot !== undefined ? path.shown : `${h.name}.json`;
      ({ snapshot, raw } = loadSnapshotFile(path.file, shown, h.name));
    }
    const cluster = clusterOf.get(nameKey(h.name));
    const record: HostRecord = { name: h.name, cluster: cluster?.name, address: h.address, snapshotFile: live ? undefined : shown, snapshot, ...(raw !== undefined ? { raw } : {}) };
    // Results and evidence name hosts as the inventory does, even when the snapshot used a short name.
    const facts = trusted({ ...normaliseSnapshot(snapshot), host: h.name }, snapshot, cluster, now);
    if (facts.refused !== undefined && inv.identity === "strict") {
      return { problems: [{ file: shown ?? `collected from ${h.name}`, problem: `${h.name}: ${facts.refused}`, fix: IDENTITY_FIX }] };
    }
    return { record, facts: facts.facts, cluster };
  } catch (err) {
    if (!(err instanceof InputError)) throw err;
    return { problems: err.problems };
  }
}

/**
 * Loads every snapshot (of the slice, when given); reports every bad one at once rather than
 * stopping at the first. Hosts read live come with their snapshot already collected (`collected`,
 * by host name). Gives the event loop turns as it goes (util/turns.ts).
 */
export async function buildEstate(
  loaded: LoadedInventory,
  asOf: Date,
  collected: ReadonlyMap<string, Snapshot> = new Map(),
  allowOutsideSnapshots = false,
  slice?: Slice,
  now: Date = new Date(),
  directory: DirectoryInput = directoryInput(loaded.inventory, undefined),
): Promise<Estate> {
  const inv = loaded.inventory;
  const estateDir = estateDirectory(directory, slice);
  // A slice holds whole clusters: its hosts' clusters are among its own.
  const chosen = slice !== undefined ? slice.clusters.map((ci) => inv.clusters![ci]!) : (inv.clusters ?? []);
  const clusterOf = clustersOfNodes(chosen);

  const problems: InputProblem[] = [];
  const hosts: EstateHost[] = [];
  for (const i of slice?.hosts ?? inv.hosts.keys()) {
    // A slice is a thousand snapshots read, parsed and checked: seconds on a busy machine.
    await giveTurn();
    const h = inv.hosts[i]!;
    const read = readHost(loaded, i, clusterOf, allowOutsideSnapshots, now, collected.get(h.name));
    if ("problems" in read) {
      problems.push(...read.problems);
      continue;
    }
    const { record, facts, cluster } = read;
    hosts.push({ record, facts, inputs: resolveInputs(inv.inputs, h.inputs), cluster, directory: estateDir.hostView(h.name) });
  }
  if (problems.length > 0) throw new InputError(problems);

  const byName = new Map(hosts.map((h) => [nameKey(h.record.name), h]));
  const clusters = chosen.map((cluster) => ({
    cluster,
    nodes: cluster.nodes.map((n) => byName.get(nameKey(n))).filter((h): h is EstateHost => h !== undefined),
  }));
  return { name: inv.name, hosts, clusters, directory: estateDir, asOf };
}
