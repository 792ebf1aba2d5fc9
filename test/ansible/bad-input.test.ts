/**
 * What hostproof cannot map, or must not read, in ansible-inventory output: each a problem naming
 * the file, the host and the variable, with what to write instead; never a password's value.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { loadInventory } from "../../src/input/inventory";
import { InputError } from "../../src/errors";
import { ansibleEstate, haveAnsible, VAULTED } from "./ansible-inventory";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { tempDir } from "../e2e/cli";
import type { SkippableContext } from "../helpers/require-tool";

/** The problems loadInventory reports for a YAML inventory, from --list and from --list --export. */
function problemsOf(yml: string): { list: string; export: string } {
  const estate = ansibleEstate("inventory.yml", { "inventory.yml": yml });
  const messageOf = (json: string): string => {
    try {
      loadInventory(json, "estate.json");
    } catch (err) {
      if (err instanceof InputError) return err.message;
      throw err;
    }
    assert.fail(`${json} was accepted`);
  };
  return { list: messageOf(estate.list), export: messageOf(estate.export) };
}

const WIN = "ansible_connection: winrm\n        ansible_user: auditor\n        hostproof_password_env: HP_PW";

function check(t: SkippableContext, yml: string, expected: { list: RegExp; export?: RegExp }, absent?: RegExp): void {
  if (!haveAnsible(t)) return;
  const found = problemsOf(yml);
  assert.match(found.list, expected.list);
  assert.match(found.export, expected.export ?? expected.list);
  if (absent) for (const m of [found.list, found.export]) assert.doesNotMatch(m, absent);
}

test("an ansible_connection hostproof cannot use names the host, the variable and the ways out", (t) => {
  check(t, "all:\n  hosts:\n    web3:\n      ansible_connection: community.docker.docker\n", {
    list: /^estate\.json: _meta\.hostvars\.web3\.ansible_connection: host 'web3': ansible_connection 'community\.docker\.docker' is not a connection hostproof can use .*Set hostproof_transport .*hostproof_snapshot .*hostproof_skip: true/,
  });
});

test("a password written into the inventory is refused without being shown: connection and become passwords alike", (t) => {
  const yml = `all:\n  children:\n    win:\n      vars:\n        ${WIN}\n        ansible_password: Winter2026!\n      hosts:\n        n1:\n          ansible_become_pass: Summer2026!\n`;
  check(
    t,
    yml,
    {
      list: /_meta\.hostvars\.n1\.ansible_password: host 'n1': ansible_password holds a password written into the inventory \(its value is not shown\).*hostproof_password_env: <VARIABLE>/,
      export: /win\.vars\.ansible_password: host 'n1': ansible_password holds a password/,
    },
    /Winter2026|Summer2026/,
  );
  if (!haveAnsible(t)) return;
  for (const m of Object.values(problemsOf(yml))) assert.match(m, /_meta\.hostvars\.n1\.ansible_become_pass: host 'n1': ansible_become_pass holds a password .*never uses become/);
});

test("a vault-encrypted password with no hostproof_password_env says hostproof cannot decrypt it and what to write", (t) => {
  const yml = `all:\n  hosts:\n    n1:\n      ansible_connection: psrp\n      ansible_user: auditor\n      ansible_password: ${VAULTED.replace(/\n/g, "\n      ")}\n`;
  check(t, yml, { list: /_meta\.hostvars\.n1\.ansible_user: host 'n1': WinRM as ansible_user 'auditor' needs a password, and its password \(ansible_password\) is encrypted with Ansible Vault, which hostproof does not evaluate\. Tell hostproof where the password is: hostproof_password_env/ }, /ANSIBLE_VAULT|6265333135/);
});

test("a hostproof_* variable hostproof does not know is a typo, named with the variables it knows", (t) => {
  check(t, "all:\n  children:\n    clu:\n      vars:\n        hostproof_clustr: { name: c1, type: workgroup }\n      hosts:\n        n1: { ansible_connection: local }\n", {
    list: /_meta\.hostvars\.n1\.hostproof_clustr: 'hostproof_clustr' is not a known field\. .*hostproof's variables are .*hostproof_cluster,/,
    export: /clu\.vars\.hostproof_clustr: 'hostproof_clustr' is not a known field/,
  });
});

test("hostproof_* values are checked against schemas/ansible-vars.schema.json, at the variable", (t) => {
  check(t, "all:\n  hosts:\n    n1:\n      ansible_connection: local\n      hostproof_inputs: { offloads: { allowed: [ { keyword: RSS, reason: storage NIC } ] } }\n      hostproof_cluster: { name: c1, type: workgroup }\n", {
    list: /_meta\.hostvars\.n1\.hostproof_inputs\.offloads\.allowed\[0\]\.keyword: "RSS" is not in the expected form\. Use a standardized NDIS keyword[\s\S]*_meta\.hostvars\.n1\.hostproof_cluster\.adminAccount: the required field 'adminAccount' is missing/,
  });
});

test("WinRM authentication hostproof has no equivalent for, and a Jinja2 template where a value is needed", (t) => {
  check(t, "all:\n  hosts:\n    n1:\n      ansible_connection: winrm\n      ansible_winrm_transport: certificate\n    n2:\n      ansible_connection: local\n      ansible_host: \"{{ lookup('env', 'N2_ADDR') }}\"\n", {
    list: /_meta\.hostvars\.n1\.ansible_winrm_transport: host 'n1': ansible_winrm_transport 'certificate' has no PowerShell remoting equivalent .*certificate authentication is not supported[\s\S]*_meta\.hostvars\.n2\.ansible_host: host 'n2': ansible_host is a Jinja2 template, which ansible-inventory prints unevaluated/,
  });
});

test("ssh with no ansible_user (Ansible's default connection) asks for one rather than guessing", (t) => {
  check(t, "all:\n  hosts:\n    n1:\n      ansible_host: 10.0.0.1\n", { list: /host 'n1': the host is reached over ssh \(ansible_connection, or Ansible's default when it is not set\) but no ansible_user says as whom\. Set ansible_user/ });
});

test("a host name that is not a DNS name, and nodes disagreeing on their cluster, name the Ansible host and variable", (t) => {
  check(t, "all:\n  hosts:\n    db_1:\n      ansible_connection: local\n", { list: /estate\.json: _meta\.hostvars\.db_1: "db_1" is not in the expected form\. Use a DNS host name/ });
  check(t, "all:\n  vars:\n    ansible_connection: local\n  hosts:\n    n1: { hostproof_cluster: { name: c1, type: single-domain } }\n    n2: { hostproof_cluster: { name: c1, type: workgroup, adminAccount: clusadmin } }\n", {
    list: /_meta\.hostvars\.n2\.hostproof_cluster: host 'n2': hostproof_cluster of cluster 'c1' differs from node 'n1''s/,
  });
});

test("a group variable wrong for many hosts is said once, naming the first hosts", (t) => {
  if (!haveAnsible(t)) return;
  const hosts = Array.from({ length: 6 }, (_, i) => `        h${i + 1}:`).join("\n");
  const found = problemsOf(`all:\n  children:\n    fleet:\n      vars:\n        ansible_connection: community.general.lxd\n      hosts:\n${hosts}\n`);
  assert.match(found.export, /^estate\.json: fleet\.vars\.ansible_connection: hosts 'h1', 'h2', 'h3' and 3 more: ansible_connection 'community\.general\.lxd'/);
  assert.equal(found.export.split("\n").length, 1);
});

test("an Ansible inventory source given as --inventory says to run ansible-inventory on it", () => {
  const estate = ansibleEstateSourceOnly();
  assert.throws(() => loadInventory(estate, "inventory.yml"), /inventory\.yml: this looks like an Ansible inventory source .*ansible-inventory -i <this file> --list --output estate\.json/);
});

function ansibleEstateSourceOnly(): string {
  const file = join(tempDir("hostproof-ansible-src-"), "inventory.yml");
  writeFileSync(file, "all:\n  hosts:\n    n1:\n");
  return file;
}
