/**
 * A host's variables as Ansible resolves them, each with where it was set.
 *
 * `--list` output already holds each host's resolved variables in `_meta.hostvars` (its groups
 * carry none). `--export` output keeps group variables on their groups, so they are resolved here
 * the way ansible-core does (lib/ansible/inventory/helpers.py sort_groups, vars/manager.py):
 * every group the host is in, its ancestors included, ordered by depth below `all`, then
 * `ansible_group_priority`, then name; later ones replace earlier ones' variables whole (Ansible's
 * default hash_behaviour=replace); the host's own variables come last. The same code serves both
 * forms: with `--list` there are no group variables to apply.
 */
import type { AnsibleDocument, Vars } from "./document";

export interface ResolvedVar {
  value: unknown;
  /** Where it was written in the file, e.g. ["_meta", "hostvars", "node1", "ansible_host"] or ["wgclus", "vars", "hostproof_cluster"]. */
  path: (string | number)[];
  /** The group whose variable it is; absent for the host's own (and for everything in --list output). */
  group?: string;
}

export type HostVars = ReadonlyMap<string, ResolvedVar>;

export function resolveHostVars(doc: AnsibleDocument): Map<string, HostVars> {
  const depth = groupDepths(doc);
  const parentsOf = new Map<string, string[]>();
  for (const g of doc.groups.values()) for (const c of g.children) parentsOf.set(c, [...(parentsOf.get(c) ?? []), g.name]);
  const directGroups = new Map<string, string[]>();
  for (const g of doc.groups.values()) for (const h of g.hosts) directGroups.set(h, [...(directGroups.get(h) ?? []), g.name]);

  const out = new Map<string, HostVars>();
  for (const host of doc.hosts) {
    const groups = withAncestors(directGroups.get(host) ?? [], parentsOf);
    groups.add("all");
    const ordered = [...groups]
      .filter((name) => doc.groups.has(name))
      .sort((a, b) => (depth.get(a) ?? 0) - (depth.get(b) ?? 0) || priority(doc.groups.get(a)!.vars) - priority(doc.groups.get(b)!.vars) || (a < b ? -1 : a > b ? 1 : 0));
    const vars = new Map<string, ResolvedVar>();
    for (const name of ordered) {
      for (const [key, value] of Object.entries(doc.groups.get(name)!.vars)) vars.set(key, { value, path: [name, "vars", key], group: name });
    }
    for (const [key, value] of Object.entries(doc.hostvars.get(host) ?? {})) vars.set(key, { value, path: ["_meta", "hostvars", host, key] });
    out.set(host, vars);
  }
  return out;
}

/** ansible_group_priority (default 1) orders groups of the same depth. */
function priority(vars: Vars): number {
  const p = vars.ansible_group_priority;
  return typeof p === "number" ? p : typeof p === "string" && /^-?\d+$/.test(p) ? Number(p) : 1;
}

function withAncestors(start: string[], parentsOf: Map<string, string[]>): Set<string> {
  const found = new Set<string>();
  const stack = [...start];
  while (stack.length > 0) {
    const g = stack.pop()!;
    if (found.has(g)) continue;
    found.add(g);
    stack.push(...(parentsOf.get(g) ?? []));
  }
  return found;
}

/** Ansible's Group.depth: the longest chain of parents up to `all` (0). */
function groupDepths(doc: AnsibleDocument): Map<string, number> {
  const depth = new Map<string, number>([["all", 0]]);
  // Longest path in a DAG, relaxed at most once per group: Ansible refuses cycles, and an edited
  // file with one must not loop here.
  for (let round = 0; round < doc.groups.size; round++) {
    let changed = false;
    for (const g of doc.groups.values()) {
      const d = depth.get(g.name);
      if (d === undefined) continue;
      for (const c of g.children) {
        if ((depth.get(c) ?? -1) < d + 1) {
          depth.set(c, d + 1);
          changed = true;
        }
      }
    }
    if (!changed) break;
  }
  return depth;
}
