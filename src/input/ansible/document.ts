/**
 * The JSON `ansible-inventory -i <source> --list` prints, read into groups and host variables.
 *
 * Its shape (ansible-core 2.14, lib/ansible/cli/inventory.py): a top-level object with
 * `_meta.hostvars` (host name → variables) and one key per group (`all`, `ungrouped`, …), each
 * with optional `hosts` (names), `children` (group names) and, with `--export`, `vars`. A host
 * without variables appears only in its groups' `hosts`, never in `_meta.hostvars`.
 */
import type { InputProblem } from "../../errors";
import { formatPath } from "../../schema/validate";

export type Vars = Readonly<Record<string, unknown>>;

export interface AnsibleGroup {
  name: string;
  hosts: string[];
  children: string[];
  /** Only `--export` output carries group variables; `--list` merges them into each host. */
  vars: Vars;
}

export interface AnsibleDocument {
  groups: Map<string, AnsibleGroup>;
  /** The host's own variables (with `--list`: every variable, group ones merged in). */
  hostvars: Map<string, Vars>;
  /** Every host, in the order of a depth-first walk from `all` (a cluster's nodes stay together). */
  hosts: string[];
}

const isObject = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === "object" && !Array.isArray(v);

/** `_meta.hostvars` and `all` are what every ansible-inventory --list output has, and no hostproof inventory. */
export function isAnsibleInventory(value: unknown): boolean {
  return isObject(value) && isObject(value._meta) && isObject(value._meta.hostvars) && isObject(value.all);
}

/**
 * `ansible-inventory --list --yaml`, or an Ansible YAML inventory itself, has `all` but no
 * `_meta`: hostproof reads only the JSON form, and says how to get it rather than listing every
 * field a hostproof inventory lacks.
 */
export function looksLikeAnsibleSource(value: unknown): boolean {
  return isObject(value) && isObject(value.all) && !("_meta" in value) && !("hosts" in value) && !("version" in value);
}

export function readAnsibleDocument(value: Record<string, unknown>, file: string): { doc: AnsibleDocument; problems: InputProblem[] } {
  const problems: InputProblem[] = [];
  const bad = (path: (string | number)[], problem: string): void => {
    problems.push({ file, field: formatPath(path), problem, fix: "Give hostproof the file `ansible-inventory -i <source> --list` writes, unedited." });
  };
  const hostvars = new Map<string, Vars>();
  for (const [host, vars] of Object.entries((value._meta as { hostvars: Record<string, unknown> }).hostvars)) {
    if (isObject(vars)) hostvars.set(host, vars);
    else bad(["_meta", "hostvars", host], "a host's variables must be a mapping");
  }
  const groups = new Map<string, AnsibleGroup>();
  for (const [name, g] of Object.entries(value)) {
    if (name === "_meta") continue;
    if (!isObject(g)) {
      bad([name], "a group must be a mapping of hosts, children and vars");
      continue;
    }
    const names = (key: "hosts" | "children"): string[] => {
      const list = g[key];
      if (list === undefined) return [];
      if (Array.isArray(list) && list.every((x): x is string => typeof x === "string")) return list;
      bad([name, key], `'${key}' must be a list of names`);
      return [];
    };
    const vars = g.vars === undefined ? {} : isObject(g.vars) ? g.vars : (bad([name, "vars"], "'vars' must be a mapping"), {});
    groups.set(name, { name, hosts: names("hosts"), children: names("children"), vars });
  }
  // A child group named but absent is an empty one (ansible-inventory leaves out `ungrouped` when
  // it holds no host): nothing to read there.
  return { doc: { groups, hostvars, hosts: hostOrder(groups, hostvars) }, problems };
}

function hostOrder(groups: Map<string, AnsibleGroup>, hostvars: Map<string, Vars>): string[] {
  const seen = new Set<string>();
  const visited = new Set<string>();
  const walk = (name: string): void => {
    const g = groups.get(name);
    if (g === undefined || visited.has(name)) return;
    visited.add(name);
    for (const h of g.hosts) seen.add(h);
    for (const c of g.children) walk(c);
  };
  walk("all");
  // Groups not reachable from `all` and hosts with variables in no group: Ansible prints neither,
  // but an edited file might; they are hosts all the same.
  for (const name of groups.keys()) walk(name);
  for (const h of hostvars.keys()) seen.add(h);
  return [...seen];
}
