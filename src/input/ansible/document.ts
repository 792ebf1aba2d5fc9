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

/**
 * Which form an inventory document is in, decided before any other check, so that a broken
 * Ansible file is told what is wrong with it as Ansible output rather than which fields of a
 * hostproof inventory it lacks.
 * - `ansible-json`: it has `_meta`. ansible-inventory --list (and --export) always writes
 *   `_meta.hostvars`, even empty, and no hostproof inventory has it. `version` or `hosts` do not
 *   decide: they are also what Ansible calls a group named version or hosts.
 * - `ansible-source`: `all` but no `_meta`, `version` or `hosts` (`ansible-inventory --yaml`, or
 *   an Ansible YAML inventory itself): hostproof says how to get the JSON form.
 * - `hostproof`: anything else, checked against hostproof's schema.
 */
export type InventoryForm = "ansible-json" | "ansible-source" | "hostproof";

export function inventoryForm(value: unknown): InventoryForm {
  if (!isObject(value)) return "hostproof";
  if ("_meta" in value) return "ansible-json";
  if ("all" in value && !("hosts" in value) && !("version" in value)) return "ansible-source";
  return "hostproof";
}

/** The keys ansible-inventory writes in a group; any other is an edit or another tool's output. */
const GROUP_KEYS = new Set(["hosts", "children", "vars"]);

const shapeOf = (v: unknown): string => (v === null ? "null" : Array.isArray(v) ? "a list" : typeof v === "object" ? "a mapping" : typeof v === "string" ? "a string" : `a ${typeof v}`);

export function readAnsibleDocument(value: Record<string, unknown>, file: string): { doc: AnsibleDocument; problems: InputProblem[] } {
  const problems: InputProblem[] = [];
  const bad = (path: (string | number)[], problem: string): void => {
    problems.push({ file, field: formatPath(path), problem, fix: "Give hostproof the file `ansible-inventory -i <source> --list` writes, unedited." });
  };
  const hostvars = new Map<string, Vars>();
  const meta = value._meta;
  if (!isObject(meta)) bad(["_meta"], `'_meta' is ${shapeOf(meta)}; ansible-inventory writes a mapping holding 'hostvars'`);
  else if (!("hostvars" in meta)) bad(["_meta", "hostvars"], "'_meta.hostvars' is missing; ansible-inventory --list always writes it (empty when no host has variables)");
  else if (!isObject(meta.hostvars)) bad(["_meta", "hostvars"], `'_meta.hostvars' is ${shapeOf(meta.hostvars)}; it must be a mapping of host names to their variables`);
  else {
    for (const [host, vars] of Object.entries(meta.hostvars)) {
      if (isObject(vars)) hostvars.set(host, vars);
      else bad(["_meta", "hostvars", host], `host '${host}''s variables are ${shapeOf(vars)}; they must be a mapping of variable names to values`);
    }
  }
  if (!("all" in value)) bad(["all"], "the group 'all' is missing; ansible-inventory always writes it, with every other group among its children");
  const groups = new Map<string, AnsibleGroup>();
  for (const [name, g] of Object.entries(value)) {
    if (name === "_meta") continue;
    if (!isObject(g)) {
      bad([name], `group '${name}' is ${shapeOf(g)}; a group must be a mapping of hosts, children and vars`);
      continue;
    }
    for (const key of Object.keys(g)) if (!GROUP_KEYS.has(key)) bad([name, key], `'${key}' is not something ansible-inventory writes in a group (hosts, children, vars)`);
    const names = (key: "hosts" | "children"): string[] => {
      const list = g[key];
      if (list === undefined) return [];
      if (!Array.isArray(list)) {
        bad([name, key], `'${key}' is ${shapeOf(list)}; it must be a list of ${key === "hosts" ? "host" : "group"} names`);
        return [];
      }
      const at = list.findIndex((x) => typeof x !== "string" || x === "");
      if (at >= 0) {
        bad([name, key, at], `'${key}' holds ${shapeOf(list[at])} where a ${key === "hosts" ? "host" : "group"} name belongs`);
        return [];
      }
      return list as string[];
    };
    const vars = g.vars === undefined ? {} : isObject(g.vars) ? g.vars : (bad([name, "vars"], `'vars' is ${shapeOf(g.vars)}; it must be a mapping of variable names to values`), {});
    groups.set(name, { name, hosts: names("hosts"), children: names("children"), vars });
  }
  const loop = groupLoop(groups);
  if (loop !== undefined) bad([loop[0]!, "children"], `group '${loop[0]}' is among its own descendants (${loop.join(" → ")}); ansible-inventory refuses such a loop ("creates a recursive dependency loop")`);
  // A child group named but absent is an empty one (ansible-inventory leaves out `ungrouped` when
  // it holds no host): nothing to read there.
  return { doc: { groups, hostvars, hosts: hostOrder(groups, hostvars) }, problems };
}

/**
 * The first loop of child groups, as the names along it (the first repeated at the end), or
 * undefined. Walked with a stack of its own, as every walk of the group graph here is: a chain of
 * child groups is as long as a hostile file makes it, and recursion would overflow the call stack.
 */
function groupLoop(groups: ReadonlyMap<string, AnsibleGroup>): string[] | undefined {
  const done = new Set<string>();
  for (const start of groups.keys()) {
    if (done.has(start)) continue;
    // The path from `start` to the group being walked, each with the index of its next child.
    const path: { name: string; next: number }[] = [{ name: start, next: 0 }];
    const onPath = new Set([start]);
    while (path.length > 0) {
      const top = path[path.length - 1]!;
      const child = groups.get(top.name)?.children[top.next++];
      if (child === undefined) {
        done.add(top.name);
        onPath.delete(top.name);
        path.pop();
        continue;
      }
      if (onPath.has(child)) return [...path.slice(path.findIndex((p) => p.name === child)).map((p) => p.name), child];
      if (done.has(child) || !groups.has(child)) continue;
      path.push({ name: child, next: 0 });
      onPath.add(child);
    }
  }
  return undefined;
}

/** Hosts in the order of a depth-first walk from `all`: each group's own hosts, then its children's, in order. */
function hostOrder(groups: Map<string, AnsibleGroup>, hostvars: Map<string, Vars>): string[] {
  const seen = new Set<string>();
  const visited = new Set<string>();
  const walk = (from: string): void => {
    const stack = [from];
    while (stack.length > 0) {
      const name = stack.pop()!;
      const g = groups.get(name);
      if (g === undefined || visited.has(name)) continue;
      visited.add(name);
      for (const h of g.hosts) seen.add(h);
      for (let i = g.children.length - 1; i >= 0; i--) stack.push(g.children[i]!);
    }
  };
  walk("all");
  // Groups not reachable from `all` and hosts with variables in no group: Ansible prints neither,
  // but an edited file might; they are hosts all the same.
  for (const name of groups.keys()) walk(name);
  for (const h of hostvars.keys()) seen.add(h);
  return [...seen];
}
