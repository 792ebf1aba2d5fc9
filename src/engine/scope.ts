/**
 * Which hosts or clusters a control is about. The phrases are the Given steps of the features.
 *
 * Every host (or cluster) of the estate gets a result for every selected control of its kind: a
 * target outside the control's scope is "not applicable", with the reason, never left blank. An
 * auditor reading the matrix must be able to tell "this does not apply to that cluster" from
 * "this was not checked".
 */
import type { ClusterType } from "../model/inventory";
import type { Estate, EstateCluster, EstateHost } from "./estate";

/** Why a target is outside a scope: what the control applies to, and what the target is. */
export interface Exclusion {
  appliesTo: string;
  found: string;
}

export interface HostScope {
  kind: "host";
  name: string;
  /** Why `host` is outside this scope, or undefined when the control applies to it. */
  excludes: (host: EstateHost) => Exclusion | undefined;
}

export interface ClusterScope {
  kind: "cluster";
  name: string;
  excludes: (cluster: EstateCluster) => Exclusion | undefined;
}

/** The estate's directory: one target per run, judged in one slice of it (engine/directory-target.ts). */
export interface DirectoryScope {
  kind: "directory";
  name: string;
}

export type Scope = HostScope | ClusterScope | DirectoryScope;

const AD_DETACHED: readonly ClusterType[] = ["workgroup", "multi-domain"];

/** `appliesTo` words the targets a control applies to, as an auditor reads them in the reason. */
function nodeOf(types: readonly ClusterType[] | undefined, appliesTo: string) {
  return (h: EstateHost): Exclusion | undefined => {
    if (h.cluster === undefined) return { appliesTo, found: `${h.record.name} is not a node of any cluster in the inventory` };
    if (types !== undefined && !types.includes(h.cluster.type)) {
      return { appliesTo, found: `${h.record.name} is a node of ${h.cluster.type} cluster ${h.cluster.name}` };
    }
    return undefined;
  };
}

function clusterOf(types: readonly ClusterType[], appliesTo: string) {
  return (c: EstateCluster): Exclusion | undefined =>
    types.includes(c.cluster.type) ? undefined : { appliesTo, found: `${c.cluster.name} is a ${c.cluster.type} cluster` };
}

export const SCOPES: Record<string, Scope> = {
  "each host": { kind: "host", name: "each host", excludes: () => undefined },
  "each cluster node": { kind: "host", name: "each cluster node", excludes: nodeOf(undefined, "cluster nodes") },
  "each node of a workgroup or multi-domain cluster": {
    kind: "host",
    name: "each node of a workgroup or multi-domain cluster",
    excludes: nodeOf(AD_DETACHED, "nodes of workgroup and multi-domain clusters"),
  },
  "each cluster": { kind: "cluster", name: "each cluster", excludes: () => undefined },
  "each workgroup or multi-domain cluster": {
    kind: "cluster",
    name: "each workgroup or multi-domain cluster",
    excludes: clusterOf(AD_DETACHED, "workgroup and multi-domain clusters"),
  },
  "each multi-domain cluster": { kind: "cluster", name: "each multi-domain cluster", excludes: clusterOf(["multi-domain"], "multi-domain clusters") },
  "the estate's directory": { kind: "directory", name: "the estate's directory" },
  // In scope without a snapshot: the judge says undetermined, never "not applicable" for a directory it was not given.
  // A host the directory does not hold stays in scope: whether it should (it says it is a member
  // of that domain) is the judge's to read from the host, not the scope's to assume.
  "each host and its computer object in the directory": {
    kind: "host",
    name: "each host and its computer object in the directory",
    excludes: (h) => {
      const view = h.directory;
      if (view.kind === "none") return { appliesTo: "estates with a directory", found: `the inventory states the estate has no directory: ${view.why}` };
      return undefined;
    },
  },
};

/**
 * Given steps that take an argument: hosts by Windows build (from the identity probe os, read on
 * every host), for controls that concern one release, such as its cumulative updates. A host whose
 * build could not be read stays in scope: a control applies rather than passes silently, and its
 * own facts decide.
 */
export const PARAMETERISED_SCOPES: readonly { phrase: string; scope: (build: number) => HostScope }[] = [
  { phrase: "each host running Windows build {int}", scope: (build) => buildScope(build, false) },
  { phrase: "each host running Windows build {int} or later", scope: (build) => buildScope(build, true) },
];

function buildScope(build: number, orLater: boolean): HostScope {
  const appliesTo = `hosts running Windows build ${build}${orLater ? " or later" : ""}`;
  return {
    kind: "host",
    name: `each host running Windows build ${build}${orLater ? " or later" : ""}`,
    excludes: (h) => {
      const os = h.facts.os;
      if (!os.ok || (orLater ? os.value.build >= build : os.value.build === build)) return undefined;
      return { appliesTo, found: `${h.record.name} runs build ${os.value.build} (${os.value.caption})` };
    },
  };
}

/** The hosts a host scope judges (for callers that need only those). */
export function hostsIn(estate: Estate, scope: HostScope): EstateHost[] {
  return estate.hosts.filter((h) => scope.excludes(h) === undefined);
}

export function clustersIn(estate: Estate, scope: ClusterScope): EstateCluster[] {
  return estate.clusters.filter((c) => scope.excludes(c) === undefined);
}
