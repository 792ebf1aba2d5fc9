/**
 * The Categories tree as an auditor reads it.
 *
 * Allure 2 always groups a category's results by their status message, and a hostproof message is
 * the long "Expected: … Actual: …" of one target: the hosts appeared only after opening one group
 * per host, and every waived result sat under one "Waived". The report's tree
 * (data/categories.json) is regrouped after Allure made it:
 * - Non-compliant: one group per control (most severe first), its failed hosts and clusters under it;
 * - Waived: one group per waiver (by its `waiver #N` tag, allure-results.ts), its results under it;
 * - every other category (undetermined by reason, not applicable): its results directly.
 * The names come from the run (CategoryNames); a result's name already says its target.
 */
import { createHash } from "node:crypto";
import { NON_COMPLIANT_CATEGORY, WAIVED_CATEGORY } from "./allure-results";
import type { CategoryNames } from "./allure-verdict-widget";

export interface TreeNode {
  name: string;
  uid: string;
  parentUid?: string;
  children?: TreeNode[];
  tags?: string[];
  [key: string]: unknown;
}

function leavesOf(node: TreeNode): TreeNode[] {
  return node.children === undefined ? [node] : node.children.flatMap(leavesOf);
}

function uidOf(...parts: string[]): string {
  return createHash("sha1").update(parts.join("\u0000")).digest("hex").slice(0, 32);
}

/** A result's control ID: its name starts with it (`HP-NIC-001 on wg-node3: …`, resultName). */
function controlOf(leaf: TreeNode): string {
  const space = leaf.name.indexOf(" ");
  return space < 0 ? leaf.name : leaf.name.slice(0, space);
}

function waiverOf(leaf: TreeNode, names: CategoryNames): string {
  return (leaf.tags ?? []).find((t) => names.waivers[t] !== undefined) ?? "";
}

function grouped(category: TreeNode, leaves: TreeNode[], keyOf: (l: TreeNode) => string, nameOf: (key: string) => string, order: (a: string, b: string) => number): TreeNode[] {
  const groups = new Map<string, TreeNode[]>();
  for (const leaf of leaves) {
    const key = keyOf(leaf);
    const list = groups.get(key);
    if (list === undefined) groups.set(key, [leaf]);
    else list.push(leaf);
  }
  return [...groups.keys()].sort(order).map((key) => {
    const uid = uidOf(category.uid, key);
    return { name: nameOf(key), uid, children: groups.get(key)!.map((l) => ({ ...l, parentUid: uid })) };
  });
}

/** The tree regrouped; an unknown shape (no children) is returned as it is. */
export function regroupCategories(tree: TreeNode, names: CategoryNames): TreeNode {
  if (tree.children === undefined) return tree;
  const children = tree.children.map((category): TreeNode => {
    const leaves = leavesOf(category);
    if (category.name === NON_COMPLIANT_CATEGORY) {
      const rank = (id: string): number => names.rank[id] ?? Number.MAX_SAFE_INTEGER;
      return { ...category, children: grouped(category, leaves, controlOf, (id) => names.controls[id] ?? id, (a, b) => rank(a) - rank(b) || a.localeCompare(b)) };
    }
    if (category.name === WAIVED_CATEGORY) {
      const n = (tag: string): number => Number(/\d+$/.exec(tag)?.[0] ?? Number.MAX_SAFE_INTEGER);
      return { ...category, children: grouped(category, leaves, (l) => waiverOf(l, names), (t) => names.waivers[t] ?? "waiver not named in the run", (a, b) => n(a) - n(b)) };
    }
    return { ...category, children: leaves.map((l) => ({ ...l, parentUid: category.uid })) };
  });
  return { ...tree, children };
}
