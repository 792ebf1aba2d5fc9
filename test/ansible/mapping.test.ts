/**
 * The real ansible-inventory's output, read by loadInventory, field by field: connection variables,
 * hostproof_* variables, both output forms (--list and --list --export).
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { homedir } from "node:os";
import { join } from "node:path";
import { loadInventory } from "../../src/input/inventory";
import type { Inventory } from "../../src/model/inventory";
import { ansibleEstate, ansibleList, haveAnsible, VAULTED } from "./ansible-inventory";
import { ROOT, tempDir } from "../e2e/cli";


const ESTATE_YML = `
all:
  vars:
    hostproof_estate:
      name: Fabrikam
      collection: { concurrency: 4, ssh: { hostKeyChecking: accept-new, knownHostsFile: known_hosts } }
  children:
    windows:
      vars:
        ansible_connection: psrp
        ansible_psrp_auth: kerberos
        ansible_user: auditor@FABRIKAM.TEST
        ansible_password: ${VAULTED.replace(/\n/g, "\n        ")}
        hostproof_password_env: HP_WINRM_PASSWORD
        hostproof_inputs: { endOfSupport: { warningDays: 120 } }
      children:
        hvclus:
          vars:
            hostproof_cluster: { name: hvclus, type: single-domain }
          hosts:
            hv1: { ansible_host: 10.1.0.1 }
            hv2: { ansible_host: hv2.fabrikam.test, ansible_port: 5985 }
        legacy:
          vars:
            ansible_connection: winrm
            ansible_winrm_scheme: http
            ansible_port: 5985
            ansible_winrm_transport: ntlm
            hostproof_password_env: ~
            hostproof_password_vault: { vault: HostproofVault, secret: legacy-audit }
          hosts:
            old1:
              ansible_host: 10.1.1.1
            old2:
              ansible_host: 10.1.1.2
              ansible_winrm_user: FABRIKAM\\svc-audit
              ansible_winrm_transport: credssp
              ansible_port: 5986
              ansible_winrm_scheme: https
    openssh:
      vars:
        ansible_connection: ssh
        ansible_user: auditor
        ansible_ssh_private_key_file: ~/.ssh/hostproof_ed25519
      hosts:
        core1: { ansible_host: 10.2.0.1, ansible_port: 2222 }
        core2: { ansible_connection: winrm, hostproof_transport: ssh }
    here:
      hosts:
        jump1: { ansible_connection: local }
        snap1: { ansible_connection: winrm, hostproof_snapshot: "snaps/{{ inventory_hostname }}.json" }
`;

/** What hostproof must make of ESTATE_YML, every field written out. */
const EXPECTED: Inventory = {
  version: 1,
  name: "Fabrikam",
  hosts: [
    { name: "hv1", address: "10.1.0.1", transport: "winrm", winrm: { port: 5986, useSsl: true, authentication: "Kerberos" }, credential: "ansible_user auditor@FABRIKAM.TEST", inputs: { endOfSupport: { warningDays: 120 } } },
    { name: "hv2", address: "hv2.fabrikam.test", transport: "winrm", winrm: { port: 5985, useSsl: false, authentication: "Kerberos" }, credential: "ansible_user auditor@FABRIKAM.TEST", inputs: { endOfSupport: { warningDays: 120 } } },
    { name: "old1", address: "10.1.1.1", transport: "winrm", winrm: { port: 5985, useSsl: false, authentication: "Negotiate" }, credential: "ansible_user auditor@FABRIKAM.TEST (2)", inputs: { endOfSupport: { warningDays: 120 } } },
    { name: "old2", address: "10.1.1.2", transport: "winrm", winrm: { port: 5986, useSsl: true, authentication: "CredSSP" }, credential: "ansible_user FABRIKAM\\svc-audit", inputs: { endOfSupport: { warningDays: 120 } } },
    { name: "core1", address: "10.2.0.1", transport: "ssh", ssh: { port: 2222 }, credential: "ansible_user auditor" },
    { name: "core2", transport: "ssh", credential: "ansible_user auditor" },
    { name: "jump1", transport: "local" },
    { name: "snap1", transport: "snapshot", snapshot: "snaps/snap1.json" },
  ],
  clusters: [{ name: "hvclus", type: "single-domain", nodes: ["hv1", "hv2"] }],
  credentials: [
    { name: "ansible_user auditor@FABRIKAM.TEST", username: "auditor@FABRIKAM.TEST", password: { env: "HP_WINRM_PASSWORD" } },
    { name: "ansible_user auditor@FABRIKAM.TEST (2)", username: "auditor@FABRIKAM.TEST", password: { vault: "HostproofVault", secret: "legacy-audit" } },
    { name: "ansible_user FABRIKAM\\svc-audit", username: "FABRIKAM\\svc-audit", password: { vault: "HostproofVault", secret: "legacy-audit" } },
    { name: "ansible_user auditor", username: "auditor", keyFile: join(homedir(), ".ssh/hostproof_ed25519") },
  ],
  collection: { concurrency: 4, ssh: { hostKeyChecking: "accept-new", knownHostsFile: "known_hosts" } },
};

/** Host order follows the groups, not the JSON's alphabetical hostvars: compared by name. */
function byName(inv: Inventory): Inventory {
  return { ...inv, hosts: [...inv.hosts].sort((a, b) => a.name.localeCompare(b.name)) };
}

test("a YAML inventory's connection and hostproof_* variables map field by field, the same from --list and --list --export", (t) => {
  if (!haveAnsible(t)) return;
  const estate = ansibleEstate("inventory.yml", { "inventory.yml": ESTATE_YML });
  for (const json of [estate.list, estate.export]) {
    const loaded = loadInventory(json);
    assert.deepEqual(byName(loaded.inventory), byName(EXPECTED), json);
    // The vault ciphertext was in the JSON ansible-inventory wrote; nothing of it is in what hostproof keeps.
    assert.match(readFileSync(json, "utf8"), /__ansible_vault/);
    assert.doesNotMatch(JSON.stringify(loaded.inventory) + JSON.stringify(loaded.doc.value), /ANSIBLE_VAULT|__ansible_vault|ansible_password/);
  }
});

test("an INI inventory: ports and booleans as INI writes them, JSON values for structured variables, group_vars files", (t) => {
  if (!haveAnsible(t)) return;
  const estate = ansibleEstate("hosts.ini", {
    "hosts.ini": [
      "[clu]",
      "n1 ansible_host=10.3.0.1",
      "n2 ansible_host=10.3.0.2",
      "[clu:vars]",
      'hostproof_cluster={"name": "clu", "type": "workgroup", "adminAccount": "clusadmin"}',
      "ansible_port=5985",
      "[tools]",
      "tool1 ansible_connection=community.docker.docker hostproof_skip=true",
      "[windows:children]",
      "clu",
    ].join("\n"),
    "group_vars/windows.yml": "ansible_connection: winrm\nansible_user: auditor\nhostproof_password_env: HP_PW\n",
  });
  for (const json of [estate.list, estate.export]) {
    const inv = loadInventory(json).inventory;
    assert.deepEqual(inv.hosts.map((h) => [h.name, h.address, h.transport, h.winrm]), [
      ["n1", "10.3.0.1", "winrm", { port: 5985, useSsl: false }],
      ["n2", "10.3.0.2", "winrm", { port: 5985, useSsl: false }],
    ]);
    assert.deepEqual(inv.clusters, [{ name: "clu", type: "workgroup", adminAccount: "clusadmin", nodes: ["n1", "n2"] }]);
    assert.deepEqual(inv.credentials, [{ name: "ansible_user auditor", username: "auditor", password: { env: "HP_PW" } }]);
  }
});

test("hostproof_cluster without a name: --export names the cluster after its group; --list says it cannot, and how to fix it", (t) => {
  if (!haveAnsible(t)) return;
  const estate = ansibleEstate("inventory.yml", {
    "inventory.yml": "all:\n  children:\n    sdclus:\n      vars:\n        hostproof_cluster: { type: single-domain }\n        ansible_connection: local\n      hosts:\n        a1:\n        a2:\n",
  });
  assert.deepEqual(loadInventory(estate.export).inventory.clusters, [{ name: "sdclus", type: "single-domain", nodes: ["a1", "a2"] }]);
  assert.throws(() => loadInventory(estate.list, "estate.json"), /estate\.json: _meta\.hostvars\.a1\.hostproof_cluster: host 'a1': hostproof_cluster has no name, .*--export/);
});

test("Ansible's precedence in --export output: a child group beats its parent, ansible_group_priority orders siblings, the host beats both", (t) => {
  if (!haveAnsible(t)) return;
  const estate = ansibleEstate("inventory.yml", {
    "inventory.yml": [
      "all:",
      "  vars: { ansible_connection: ssh, ansible_user: fromall }",
      "  children:",
      "    parent:",
      "      vars: { ansible_user: fromparent, ansible_port: 2201 }",
      "      children:",
      "        child:",
      "          vars: { ansible_user: fromchild }",
      "          hosts: { h1: , h2: { ansible_user: fromhost } }",
      "    zeta:",
      "      vars: { ansible_port: 2202 }",
      "      hosts: { h1: , h2: }",
      "    alpha:",
      "      vars: { ansible_port: 2203, ansible_group_priority: 10 }",
      "      hosts: { h1: , h2: }",
    ].join("\n"),
  });
  const expected = [
    // alpha sorts before zeta by name, but its priority puts it last among depth-1 groups.
    ["h1", 2203, "fromchild"],
    ["h2", 2203, "fromhost"],
  ];
  for (const json of [estate.list, estate.export]) {
    const inv = loadInventory(json).inventory;
    const rows = inv.hosts.map((h) => [h.name, h.ssh?.port, inv.credentials?.find((c) => c.name === h.credential)?.username]);
    assert.deepEqual(rows.sort(), expected, json);
  }
});

test("the example's INI and YAML inventories are the same estate to hostproof", (t) => {
  if (!haveAnsible(t)) return;
  const dir = join(ROOT, "examples", "ansible");
  const out = tempDir("hostproof-ansible-example-");
  const read = (source: string, exportForm: boolean): Inventory => loadInventory(ansibleList(join(dir, source), join(out, `${source}-${exportForm}.json`), exportForm)).inventory;
  const yml = read("inventory.yml", false);
  assert.equal(yml.hosts.length, 5);
  assert.deepEqual(yml.hosts.map((h) => h.name), ["wg-node1", "wg-node2", "wg-node3", "hv01", "app2016"]);
  assert.deepEqual(read("inventory.ini", false), yml);
  assert.deepEqual(read("inventory.yml", true), yml);
  assert.deepEqual(read("inventory.ini", true), yml);
});
