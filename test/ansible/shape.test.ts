/**
 * ansible-inventory's JSON is recognised by its form first (`_meta`, which it always writes), and a
 * broken one is told what is wrong with it as Ansible output (issue 18): never "required field
 * 'version' is missing", which is hostproof's own inventory talking. Each case starts from what the
 * real ansible-inventory printed and breaks one thing, through the real CLI (validate and run).
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { ansibleEstate, haveAnsible } from "./ansible-inventory";
import { AS_OF, spawnCli, tempDir } from "../e2e/cli";

const FIX = "Give hostproof the file `ansible-inventory -i <source> --list` writes, unedited.";

/** Real --list output for two local hosts in a group, as a parsed object to break. */
function realList(): Record<string, unknown> {
  const estate = ansibleEstate("inventory.ini", { "inventory.ini": "[web]\nweb1 ansible_host=10.0.0.1\nweb2\n\n[all:vars]\nansible_connection=local\n" });
  return JSON.parse(readFileSync(estate.list, "utf8")) as Record<string, unknown>;
}

/** validate and run both refuse `doc` with exit 3 and every line of `expected`, never hostproof's own schema. */
function refused(doc: unknown, expected: string[]): void {
  const dir = tempDir("hostproof-ansible-shape-");
  const file = join(dir, "estate.json");
  writeFileSync(file, JSON.stringify(doc, null, 2));
  for (const args of [["validate", "estate.json"], ["run", "-i", "estate.json", "-o", "out", "--as-of", AS_OF, "--no-html", "--no-history"]]) {
    const res = spawnCli(args, dir);
    assert.equal(res.code, 3, `${args[0]}: exit ${res.code}\n${res.stderr}`);
    const lines = res.stderr.split("\n").map((l) => l.replace(/^\s*✘ /, ""));
    for (const line of expected) assert.ok(lines.includes(line), `${args[0]}: expected\n  ${line}\nin\n${res.stderr}`);
    assert.doesNotMatch(res.stderr, /'version'|is not a known field|\n\s+at |internal error/);
  }
}

test("hostvars that is a list, or missing, is reported as _meta.hostvars", (t) => {
  if (!haveAnsible(t)) return;
  const list = realList();
  (list._meta as Record<string, unknown>).hostvars = [];
  refused(list, [`estate.json: _meta.hostvars: '_meta.hostvars' is a list; it must be a mapping of host names to their variables. ${FIX}`]);
  const none = realList();
  none._meta = {};
  refused(none, [`estate.json: _meta.hostvars: '_meta.hostvars' is missing; ansible-inventory --list always writes it (empty when no host has variables). ${FIX}`]);
  const meta = realList();
  meta._meta = "hostvars";
  refused(meta, [`estate.json: _meta: '_meta' is a string; ansible-inventory writes a mapping holding 'hostvars'. ${FIX}`]);
  const host = realList();
  ((host._meta as Record<string, Record<string, unknown>>).hostvars!).web1 = ["ansible_host", "10.0.0.1"];
  refused(host, [`estate.json: _meta.hostvars.web1: host 'web1''s variables are a list; they must be a mapping of variable names to values. ${FIX}`]);
});

test("all that is a string, or missing, is reported as the group all", (t) => {
  if (!haveAnsible(t)) return;
  const str = realList();
  str.all = "web";
  refused(str, [`estate.json: all: group 'all' is a string; a group must be a mapping of hosts, children and vars. ${FIX}`]);
  const none = realList();
  delete none.all;
  refused(none, [`estate.json: all: the group 'all' is missing; ansible-inventory always writes it, with every other group among its children. ${FIX}`]);
});

test("a group's hosts, children and vars of the wrong shape, and a key ansible-inventory never writes, name their place", (t) => {
  if (!haveAnsible(t)) return;
  const doc = realList();
  const web = doc.web as Record<string, unknown>;
  const hosts = web.hosts as string[];
  web.hosts = "web1";
  (doc.all as Record<string, unknown>).children = ["ungrouped", 7];
  web.vars = ["ansible_user=x"];
  web.host = hosts;
  refused(doc, [
    `estate.json: web.hosts: 'hosts' is a string; it must be a list of host names. ${FIX}`,
    `estate.json: all.children[1]: 'children' holds a number where a group name belongs. ${FIX}`,
    `estate.json: web.vars: 'vars' is a list; it must be a mapping of variable names to values. ${FIX}`,
    `estate.json: web.host: 'host' is not something ansible-inventory writes in a group (hosts, children, vars). ${FIX}`,
  ]);
  const listed = realList();
  (listed.web as Record<string, unknown>).hosts = ["web1", { name: "web2" }];
  refused(listed, [`estate.json: web.hosts[1]: 'hosts' holds a mapping where a host name belongs. ${FIX}`]);
});

test("groups Ansible calls version and hosts are groups: the file is still ansible-inventory's", (t) => {
  if (!haveAnsible(t)) return;
  const estate = ansibleEstate("inventory.ini", { "inventory.ini": "[version]\nweb1\n\n[hosts]\nweb2\n\n[all:vars]\nansible_connection=local\n" });
  const ok = spawnCli(["validate", estate.list]);
  assert.equal(ok.code, 0, ok.stderr);
  assert.match(ok.stdout, /valid inventory from ansible-inventory \(2 host\(s\)/);
  const broken = JSON.parse(readFileSync(estate.list, "utf8")) as Record<string, unknown>;
  broken.all = "version";
  refused(broken, [`estate.json: all: group 'all' is a string; a group must be a mapping of hosts, children and vars. ${FIX}`]);
});

test("web1 and WEB1, two hosts to Ansible, are one name to Windows: refused naming both Ansible hosts", (t) => {
  if (!haveAnsible(t)) return;
  const estate = ansibleEstate("inventory.ini", { "inventory.ini": "[web]\nweb1\nWEB1\n\n[all:vars]\nansible_connection=local\n" });
  const res = spawnCli(["validate", estate.list]);
  assert.equal(res.code, 3, res.stderr);
  assert.match(res.stderr, /estate\.json: _meta\.hostvars\.WEB1: host 'WEB1' is listed twice \(first at _meta\.hostvars\.web1, as 'web1'\)\. Give every host one entry; names are compared without regard to case, as Windows and DNS compare them\./);
});
