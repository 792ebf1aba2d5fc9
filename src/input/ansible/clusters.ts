/**
 * Failover clusters from hostproof_cluster: the hosts whose resolved hostproof_cluster names the
 * same cluster are its nodes. Set on a group, that is the group's hosts. Without a `name`, the
 * cluster takes the name of the group the variable was set on, which only --export output keeps.
 */
import type { InventoryCluster } from "../../model/inventory";
import type { HostView } from "./values";

/** Cluster names, like host names, are DNS names: compared without regard to case (as in inventory.ts). */
const nameKey = (name: string): string => name.toLowerCase();

interface ClusterVar {
  name?: string;
  type: InventoryCluster["type"];
  adminAccount?: string;
  domains?: string[];
}

export interface FoundCluster {
  cluster: InventoryCluster;
  /** Where the first node's hostproof_cluster was set, for messages about the cluster. */
  path: (string | number)[];
}

export function clustersOf(views: HostView[]): FoundCluster[] {
  const byName = new Map<string, { found: FoundCluster; shape: string; first: string }>();
  for (const view of views) {
    const resolved = view.get("hostproof_cluster");
    if (resolved === undefined || resolved.value === null || typeof resolved.value !== "object") continue;
    const v = resolved.value as ClusterVar;
    const name = v.name ?? resolved.group;
    if (name === undefined) {
      view.problem(
        resolved.path,
        "hostproof_cluster has no name, and ansible-inventory --list merges group variables into each host, so the group it was set on is not known",
        "Give it the cluster's network name (hostproof_cluster: { name: <cluster>, type: … }), or run ansible-inventory with --list --export, which keeps group variables on their group (the group's name is used).",
      );
      continue;
    }
    // The same variable, as every node of one cluster resolves it (its name aside, which may come from the group).
    const shape = JSON.stringify({ type: v.type, adminAccount: v.adminAccount, domains: v.domains });
    const known = byName.get(nameKey(name));
    if (known === undefined) {
      const cluster: InventoryCluster = { name, type: v.type, nodes: [view.host], ...(v.adminAccount !== undefined ? { adminAccount: v.adminAccount } : {}), ...(v.domains !== undefined ? { domains: v.domains } : {}) };
      byName.set(nameKey(name), { found: { cluster, path: resolved.path }, shape, first: view.host });
      continue;
    }
    if (known.shape !== shape) {
      view.problem(resolved.path, `hostproof_cluster of cluster '${name}' differs from node '${known.first}''s (type, adminAccount or domains)`, "Set hostproof_cluster once, on the group whose hosts are the cluster's nodes.");
      continue;
    }
    known.found.cluster.nodes.push(view.host);
  }
  return [...byName.values()].map((c) => c.found);
}
