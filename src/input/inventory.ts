/** Loads an inventory and checks what a schema cannot: names that must be unique and must exist. */
import { createHash } from "node:crypto";
import type { InputProblem } from "../errors";
import { InputError } from "../errors";
import type { Inventory } from "../model/inventory";
import { checkSchema, formatPath } from "../schema/validate";
import { inventoryForm } from "./ansible/document";
import { inventoryFromAnsible } from "./ansible/to-inventory";
import { readDocument, type LoadedDocument } from "./read-document";

export interface LoadedInventory {
  file: string;
  inventory: Inventory;
  doc: LoadedDocument;
  /** SHA-256 of the bytes read: the inventory that was judged, whatever the file holds later. */
  sha256?: string;
  /** Read from ansible-inventory output: the Ansible variable a field of `inventory` came from (hosts[2].address → its ansible_host). */
  origin?(field: string): string;
}

export function loadInventory(file: string, displayName: string = file): LoadedInventory {
  const doc = readDocument(file, displayName, "inventory");
  const sha256 = createHash("sha256").update(doc.raw).digest("hex");
  // The form first: a broken Ansible file is told about its own shape, not hostproof's fields.
  const form = inventoryForm(doc.value);
  if (form === "ansible-json") return { ...loadAnsibleInventory(file, doc), sha256 };
  if (form === "ansible-source") throw new InputError(ansibleSourceProblem(doc.file));
  const schemaProblems = checkSchema("inventory", doc);
  if (schemaProblems.length > 0) throw new InputError(schemaProblems);
  const inventory = doc.value as Inventory;
  const problems = checkInventoryReferences(inventory, doc);
  if (problems.length > 0) throw new InputError(problems);
  return { file, inventory, doc, sha256 };
}

/**
 * The JSON `ansible-inventory --list` prints (README, "Ansible inventories"), as hostproof's own
 * Inventory. The document kept is the Inventory built, not the Ansible file: nothing downstream
 * sees an Ansible variable. Problems the Inventory's own checks find name the Ansible variable.
 */
export function loadAnsibleInventory(file: string, doc: LoadedDocument): LoadedInventory {
  const converted = inventoryFromAnsible(doc.value as Record<string, unknown>, doc.file);
  if ("problems" in converted) throw new InputError(converted.problems);
  const built: LoadedDocument = { file: doc.file, value: converted.inventory, lineOf: () => undefined };
  const schemaProblems = checkSchema("inventory", built);
  const problems = schemaProblems.length > 0 ? schemaProblems : checkInventoryReferences(converted.inventory, built);
  // A place in the Inventory built means nothing to the author of the Ansible file: in the field
  // and in the message alike, it becomes the Ansible variable or host it came from.
  const ansiblePlace = (text: string): string => text.replace(/\b(hosts|clusters)\[\d+\]/g, (m) => converted.origin(m));
  if (problems.length > 0) throw new InputError(problems.map((p) => ({ ...p, problem: ansiblePlace(p.problem), ...(p.field !== undefined ? { field: converted.origin(p.field) } : {}) })));
  return { file, inventory: converted.inventory, doc: built, origin: converted.origin };
}

/** An Ansible inventory source (or `ansible-inventory --list --yaml`): hostproof reads the JSON form only. */
export function ansibleSourceProblem(file: string): InputProblem {
  return {
    file,
    problem: "this looks like an Ansible inventory source (a top-level 'all' group), which hostproof does not read directly",
    fix: "Give hostproof the JSON ansible-inventory prints for it: ansible-inventory -i <this file> --list --output estate.json, then --inventory estate.json.",
  };
}

/** Host names are DNS names, so they are compared case-insensitively. */
export const nameKey = (name: string): string => name.toLowerCase();

export function checkInventoryReferences(inv: Inventory, doc: LoadedDocument): InputProblem[] {
  const problems: InputProblem[] = [];
  const at = (path: (string | number)[], problem: string, fix: string): void => {
    problems.push({ file: doc.file, field: formatPath(path), line: doc.lineOf(path), problem, fix });
  };

  const credentialIndex = new Map<string, number>();
  (inv.credentials ?? []).forEach((c, i) => {
    if (credentialIndex.has(c.name)) at(["credentials", i, "name"], `credential '${c.name}' is defined twice`, "Give every credential a unique name.");
    else credentialIndex.set(c.name, i);
  });

  const hostIndex = new Map<string, number>();
  inv.hosts.forEach((host, i) => {
    if (host.inputs?.directory !== undefined) {
      // One directory, judged once for the estate: a host's own value would silently mean nothing.
      at(["hosts", i, "inputs", "directory"], `host '${host.name}' sets directory inputs, which apply to the whole estate only`, "Move 'directory' to the inventory's top-level 'inputs'.");
    }
    if (host.credential !== undefined && !credentialIndex.has(host.credential)) {
      const known = [...credentialIndex.keys()];
      at(["hosts", i, "credential"], `host '${host.name}' names the unknown credential '${host.credential}'`, known.length > 0 ? `Use one of: ${known.join(", ")}.` : "Define it under 'credentials' (name, username, and password or keyFile).");
    }
    if (host.transport === "ssh" && host.credential === undefined) {
      at(["hosts", i, "credential"], `host '${host.name}' uses ssh but names no credential`, "SSH needs a user name (and usually a keyFile): define one under 'credentials' and name it here.");
    }
    const key = nameKey(host.name);
    const first = hostIndex.get(key);
    if (first !== undefined) {
      const firstName = inv.hosts[first]!.name;
      at(["hosts", i, "name"], `host '${host.name}' is listed twice (first at hosts[${first}]${firstName !== host.name ? `, as '${firstName}'` : ""})`, "Give every host one entry; names are compared without regard to case, as Windows and DNS compare them.");
    } else hostIndex.set(key, i);
  });

  const clusterIndex = new Map<string, number>();
  const nodeOwner = new Map<string, string>();
  (inv.clusters ?? []).forEach((cluster, ci) => {
    const key = nameKey(cluster.name);
    const firstCluster = clusterIndex.get(key);
    if (firstCluster !== undefined) {
      const firstName = inv.clusters![firstCluster]!.name;
      at(["clusters", ci, "name"], `cluster '${cluster.name}' is listed twice (first at clusters[${firstCluster}]${firstName !== cluster.name ? `, as '${firstName}'` : ""})`, "Give every cluster one entry; names are compared without regard to case.");
    } else clusterIndex.set(key, ci);
    if (hostIndex.has(key)) {
      at(["clusters", ci, "name"], `cluster '${cluster.name}' has the same name as a host`, "Use the cluster's own network name, which differs from its nodes' names.");
    }
    const seenNodes = new Set<string>();
    cluster.nodes.forEach((node, ni) => {
      const nk = nameKey(node);
      if (seenNodes.has(nk)) {
        at(["clusters", ci, "nodes", ni], `node '${node}' is listed twice in this cluster`, "List each node once.");
        return;
      }
      seenNodes.add(nk);
      if (!hostIndex.has(nk)) {
        at(["clusters", ci, "nodes", ni], `cluster '${cluster.name}' names the unknown host '${node}'`, `Add '${node}' to 'hosts', or correct the node name to one of: ${inv.hosts.map((h) => h.name).slice(0, 8).join(", ")}.`);
        return;
      }
      const owner = nodeOwner.get(nk);
      if (owner !== undefined) {
        at(["clusters", ci, "nodes", ni], `host '${node}' is already a node of cluster '${owner}'`, "A host can be a node of one cluster only.");
      } else nodeOwner.set(nk, cluster.name);
    });
  });
  return problems;
}
