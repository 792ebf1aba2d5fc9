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

/**
 * One host's variables: its own over those it inherits from its groups. The inherited ones are
 * shared by every host in the same groups, not copied per host: a group's variables reach every
 * host below it, and a hostile file can put thousands of variables over thousands of hosts.
 */
export class HostVars {
  constructor(
    readonly own: ReadonlyMap<string, ResolvedVar>,
    readonly inherited: ReadonlyMap<string, ResolvedVar>,
  ) {}

  get(name: string): ResolvedVar | undefined {
    return this.own.get(name) ?? this.inherited.get(name);
  }
}

/**
 * How many group memberships and inherited variables resolving may touch. Real estates stay far
 * below it (hosts resolve once per distinct set of groups: 10,000 sets of 100 groups with 30
 * variables between them are 1.3 million); a file of a megabyte can set thousands of variables
 * on thousands of groups over thousands of hosts, a hundred million values, as an alias bomb
 * does in YAML. At this bound resolving takes about a second.
 */
export const MAX_RESOLVE_WORK = 4_000_000;

export type ResolvedHosts = { vars: Map<string, HostVars> } | { tooLarge: string };

export function resolveHostVars(doc: AnsibleDocument, maxWork: number = MAX_RESOLVE_WORK): ResolvedHosts {
  const depth = groupDepths(doc);
  const parentsOf = new Map<string, string[]>();
  for (const g of doc.groups.values()) for (const c of g.children) append(parentsOf, c, g.name);
  const directGroups = new Map<string, string[]>();
  for (const g of doc.groups.values()) for (const h of g.hosts) append(directGroups, h, g.name);

  // Hosts in the same groups inherit the same group variables: resolved once per set of groups,
  // and only groups that carry variables are ordered (one without changes nothing).
  // Ansible's order of the groups that carry variables, decided once: depth, priority, name.
  const rank = new Map(
    [...doc.groups.values()]
      .filter((g) => Object.keys(g.vars).length > 0)
      .map((g) => g.name)
      .sort((a, b) => (depth.get(a) ?? 0) - (depth.get(b) ?? 0) || priority(doc.groups.get(a)!.vars) - priority(doc.groups.get(b)!.vars) || (a < b ? -1 : a > b ? 1 : 0))
      .map((name, i) => [name, i] as const),
  );
  const inherited = new Map<string, ReadonlyMap<string, ResolvedVar>>();
  let work = 0;
  const groupVarsOf = (direct: readonly string[]): ReadonlyMap<string, ResolvedVar> => {
    const key = JSON.stringify(direct);
    const known = inherited.get(key);
    if (known !== undefined) return known;
    const groups = withAncestors(direct, parentsOf);
    groups.add("all");
    work += groups.size;
    const ordered = [...groups].filter((name) => rank.has(name)).sort((a, b) => rank.get(a)! - rank.get(b)!);
    const vars = new Map<string, ResolvedVar>();
    for (const name of ordered) {
      const entries = Object.entries(doc.groups.get(name)!.vars);
      work += entries.length;
      for (const [k, value] of entries) vars.set(k, { value, path: [name, "vars", k], group: name });
    }
    inherited.set(key, vars);
    return vars;
  };

  const out = new Map<string, HostVars>();
  for (const host of doc.hosts) {
    if (work > maxWork) {
      return { tooLarge: `its groups' variables expand past ${maxWork.toLocaleString("en-US")} group memberships and inherited values before every host is resolved (at host '${host}', ${out.size.toLocaleString("en-US")} of ${doc.hosts.length.toLocaleString("en-US")} hosts)` };
    }
    const own = new Map<string, ResolvedVar>();
    for (const [key, value] of Object.entries(doc.hostvars.get(host) ?? {})) own.set(key, { value, path: ["_meta", "hostvars", host, key] });
    out.set(host, new HostVars(own, groupVarsOf(directGroups.get(host) ?? [])));
  }
  return { vars: out };
}

/** Adds `value` to the list under `key`; in place, since a hostile file gives one group any number of parents. */
function append(map: Map<string, string[]>, key: string, value: string): void {
  const list = map.get(key);
  if (list === undefined) map.set(key, [value]);
  else list.push(value);
}

/** ansible_group_priority (default 1) orders groups of the same depth. */
function priority(vars: Vars): number {
  const p = vars.ansible_group_priority;
  return typeof p === "number" ? p : typeof p === "string" && /^-?\d+$/.test(p) ? Number(p) : 1;
}

function withAncestors(start: readonly string[], parentsOf: Map<string, string[]>): Set<string> {
  const found = new Set<string>();
  const stack = [...start];
  while (stack.length > 0) {
    const g = stack.pop()!;
    if (found.has(g)) continue;
    found.add(g);
    for (const p of parentsOf.get(g) ?? []) stack.push(p);
  }
  return found;
}

/**
 * Ansible's Group.depth: the longest chain of parents up to `all` (0), for the groups below `all`.
 * In topological order (Kahn's), so each child is settled once after all its parents: linear in
 * the groups and their links. A loop of groups is refused when the document is read; its groups,
 * should one reach here, simply get no depth.
 */
function groupDepths(doc: AnsibleDocument): Map<string, number> {
  const depth = new Map<string, number>([["all", 0]]);
  const waiting = new Map<string, number>();
  for (const g of doc.groups.values()) for (const c of g.children) if (doc.groups.has(c)) waiting.set(c, (waiting.get(c) ?? 0) + 1);
  const ready = [...doc.groups.keys()].filter((name) => (waiting.get(name) ?? 0) === 0);
  while (ready.length > 0) {
    const g = doc.groups.get(ready.pop()!)!;
    const d = depth.get(g.name);
    for (const c of g.children) {
      if (!doc.groups.has(c)) continue;
      if (d !== undefined && (depth.get(c) ?? -1) < d + 1) depth.set(c, d + 1);
      const left = waiting.get(c)! - 1;
      waiting.set(c, left);
      if (left === 0) ready.push(c);
    }
  }
  return depth;
}
