/**
 * An ansible-inventory --list document turned into hostproof's Inventory: every host not skipped,
 * its transport and login, clusters, control inputs and estate settings. Nothing of the Ansible
 * document is kept beyond what the Inventory holds (no variable, and no secret, is carried along).
 */
import type { InputProblem } from "../../errors";
import { formatPath } from "../../schema/validate";
import type { CollectionSettings, Credential, Inventory, InventoryHost } from "../../model/inventory";
import { clustersOf, type FoundCluster } from "./clusters";
import { mapHost, type Login } from "./connection";
import { readAnsibleDocument } from "./document";
import { resolveHostVars } from "./host-vars";
import { checkHostproofVars, snapshotOf } from "./hostproof-vars";
import { AnsibleProblems } from "./problems";
import { refuseWrittenSecrets } from "./secrets";
import { HostView } from "./values";

export interface AnsibleInventory {
  inventory: Inventory;
  /** The place in the Ansible file a field of `inventory` came from, e.g. hosts[2].address → _meta.hostvars["node3"].ansible_host. */
  origin(field: string): string;
}

export function inventoryFromAnsible(value: Record<string, unknown>, file: string): AnsibleInventory | { problems: InputProblem[] } {
  const read = readAnsibleDocument(value, file);
  if (read.problems.length > 0) return { problems: read.problems };
  const doc = read.doc;
  // Checked first, so that everything below can trust the hostproof_* variables' shapes.
  const varProblems = checkHostproofVars(doc, file);
  if (varProblems.length > 0) return { problems: varProblems };

  const problems = new AnsibleProblems(file);
  const resolved = resolveHostVars(doc);
  if ("tooLarge" in resolved) {
    return { problems: [{ file, problem: resolved.tooLarge, fix: "Give hostproof the file `ansible-inventory -i <source> --list` writes (its hosts carry their variables, resolved by Ansible), or set fewer variables on groups with many hosts below them." }] };
  }
  const views = doc.hosts.map((h) => new HostView(h, resolved.vars.get(h)!, problems)).filter((v) => !isTrue(v.get("hostproof_skip")?.value));
  if (views.length === 0) {
    return { problems: [{ file, problem: doc.hosts.length === 0 ? "the Ansible inventory has no hosts" : "every host of the Ansible inventory has hostproof_skip: true", fix: "Check that ansible-inventory was given the right source (-i), and that hostproof_skip is set only on hosts hostproof is to leave out." }] };
  }

  const hosts: InventoryHost[] = [];
  const logins: (Login | undefined)[] = [];
  for (const view of views) {
    refuseWrittenSecrets(view);
    const mapped = mapHost(view, snapshotOf(view));
    if (mapped === undefined) continue;
    const inputs = view.get("hostproof_inputs")?.value as InventoryHost["inputs"] | undefined;
    hosts.push({ ...mapped.host, ...(inputs !== undefined ? { inputs } : {}) });
    logins.push(mapped.login);
  }
  const clusters = clustersOf(views);
  const estate = estateOf(views);
  if (problems.size > 0) return { problems: problems.list() };

  const { credentials, names } = credentialsOf(logins);
  hosts.forEach((h, i) => {
    if (names[i] !== undefined) h.credential = names[i];
  });
  const inventory: Inventory = {
    version: 1,
    ...(estate?.value.name !== undefined ? { name: estate.value.name } : {}),
    hosts,
    ...(clusters.length > 0 ? { clusters: clusters.map((c) => c.cluster) } : {}),
    ...(credentials.length > 0 ? { credentials: credentials.map((c) => c.credential) } : {}),
    ...(estate?.value.collection !== undefined ? { collection: estate.value.collection } : {}),
    // A path is relative to the JSON file, as the inventory's is to the inventory.
    ...(estate?.value.directory !== undefined ? { directory: estate.value.directory } : {}),
  };
  return { inventory, origin: originOf(hosts, views, clusters, credentials, estate) };
}

/** hostproof_skip as Ansible reads a boolean: INI values arrive as text (schema-checked). */
const isTrue = (v: unknown): boolean => v === true || (typeof v === "string" && /^(true|yes)$/i.test(v));

interface EstateVar {
  value: { name?: string; collection?: CollectionSettings; directory?: Inventory["directory"] };
  path: (string | number)[];
}

/** hostproof_estate is one setting for the estate: every host hostproof reads must resolve the same one. */
function estateOf(views: HostView[]): EstateVar | undefined {
  let first: { view: HostView; shape: string; found?: EstateVar } | undefined;
  for (const view of views) {
    const r = view.get("hostproof_estate");
    const shape = JSON.stringify(r?.value ?? null);
    if (first === undefined) {
      first = { view, shape, ...(r !== undefined ? { found: { value: r.value as EstateVar["value"], path: r.path } } : {}) };
      continue;
    }
    if (shape !== first.shape) {
      view.problem(r?.path ?? ["_meta", "hostvars", view.host], `hostproof_estate differs from host '${first.view.host}''s`, "Set hostproof_estate once, on the group all (or a group holding every host hostproof reads).");
      break;
    }
  }
  return first?.found;
}

interface NamedCredential {
  credential: Credential;
  path: (string | number)[];
}

/** One credential per distinct login; hosts sharing a user, key and password source share it. */
function credentialsOf(logins: (Login | undefined)[]): { credentials: NamedCredential[]; names: (string | undefined)[] } {
  const byShape = new Map<string, NamedCredential>();
  const used = new Set<string>();
  const names = logins.map((login) => {
    if (login === undefined) return undefined;
    const { path, ...credential } = login;
    const shape = JSON.stringify([credential.username, credential.password, credential.keyFile]);
    let named = byShape.get(shape);
    if (named === undefined) {
      let name = `ansible_user ${credential.username}`;
      for (let n = 2; used.has(name); n++) name = `ansible_user ${credential.username} (${n})`;
      used.add(name);
      named = { credential: { name, ...credential }, path };
      byShape.set(shape, named);
    }
    return named.credential.name;
  });
  return { credentials: [...byShape.values()], names };
}

/**
 * Where a field of the built Inventory came from in the Ansible file, so that a problem found in
 * the Inventory (a host name that is not a DNS name, an address that is neither a name nor an IP)
 * names the variable the user has to change.
 */
function originOf(hosts: InventoryHost[], views: HostView[], clusters: FoundCluster[], credentials: NamedCredential[], estate: EstateVar | undefined) {
  const viewOf = new Map(views.map((v) => [v.host, v]));
  const hostVarFor: Record<string, readonly string[]> = {
    address: ["ansible_ssh_host", "ansible_host"],
    ssh: ["ansible_port", "ansible_ssh_port"],
    winrm: ["ansible_port", "ansible_winrm_port", "ansible_psrp_port", "ansible_winrm_transport", "ansible_psrp_auth"],
    snapshot: ["hostproof_snapshot"],
    inputs: ["hostproof_inputs"],
    transport: ["ansible_connection", "hostproof_transport"],
    credential: ["ansible_user"],
  };
  const show = (path: (string | number)[], rest = ""): string => `${formatPath(path)}${rest}`;
  return (field: string): string => {
    let m = /^hosts\[(\d+)\](?:\.(\w+))?(.*)$/.exec(field);
    if (m) {
      const host = hosts[Number(m[1])];
      const view = host !== undefined ? viewOf.get(host.name) : undefined;
      if (view === undefined) return field;
      const key = m[2];
      const found = key !== undefined && hostVarFor[key] !== undefined ? view.pick(hostVarFor[key]!) : undefined;
      if (found === undefined) return show(["_meta", "hostvars", view.host]);
      return show(found.resolved.path, key === "inputs" ? m[3] : "");
    }
    m = /^clusters\[(\d+)\](?:\.(\w+))?(.*)$/.exec(field);
    if (m) {
      const c = clusters[Number(m[1])];
      if (c === undefined) return field;
      return show(c.path, m[2] !== undefined && m[2] !== "nodes" ? `.${m[2]}${m[3]}` : "");
    }
    m = /^credentials\[(\d+)\]/.exec(field);
    if (m) {
      const c = credentials[Number(m[1])];
      return c !== undefined ? show(c.path) : field;
    }
    if ((field === "name" || field.startsWith("collection") || field.startsWith("directory")) && estate !== undefined) return show(estate.path, `.${field}`);
    return field;
  };
}
