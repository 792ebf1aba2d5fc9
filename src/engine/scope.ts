/** Which hosts or clusters a control is about. The phrases are the Given steps of the features. */
import type { ClusterType } from "../model/inventory";
import type { Estate, EstateCluster, EstateHost } from "./estate";

export type Scope =
  | { kind: "host"; name: string; select: (estate: Estate) => EstateHost[] }
  | { kind: "cluster"; name: string; select: (estate: Estate) => EstateCluster[] };

const AD_DETACHED: ClusterType[] = ["workgroup", "multi-domain"];

const nodesOf = (estate: Estate, types?: ClusterType[]): EstateHost[] =>
  estate.hosts.filter((h) => h.cluster !== undefined && (types === undefined || types.includes(h.cluster.type)));

const clustersOf = (estate: Estate, types?: ClusterType[]): EstateCluster[] =>
  estate.clusters.filter((c) => types === undefined || types.includes(c.cluster.type));

export const SCOPES: Record<string, Scope> = {
  "each host": { kind: "host", name: "each host", select: (e) => e.hosts },
  "each cluster node": { kind: "host", name: "each cluster node", select: (e) => nodesOf(e) },
  "each node of a workgroup or multi-domain cluster": {
    kind: "host",
    name: "each node of a workgroup or multi-domain cluster",
    select: (e) => nodesOf(e, AD_DETACHED),
  },
  "each cluster": { kind: "cluster", name: "each cluster", select: (e) => clustersOf(e) },
  "each workgroup or multi-domain cluster": {
    kind: "cluster",
    name: "each workgroup or multi-domain cluster",
    select: (e) => clustersOf(e, AD_DETACHED),
  },
  "each multi-domain cluster": { kind: "cluster", name: "each multi-domain cluster", select: (e) => clustersOf(e, ["multi-domain"]) },
};
