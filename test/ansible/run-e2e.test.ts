/**
 * bin/hostproof.js on the JSON the real ansible-inventory prints for examples/ansible: run gives
 * the verdicts the demo inventory gives for the same hosts and snapshots; validate and collect read
 * it too; bad Ansible input exits 3 without a stack trace and writes nothing.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { cpSync, existsSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { ansibleList, haveAnsible } from "./ansible-inventory";
import { AS_OF, DEMO, ROOT, joinWrapped, spawnCli, tempDir } from "../e2e/cli";

interface Row {
  target: { kind: string; name: string };
  controlId: string;
  status: string;
  actual?: string;
}

/** summary.json's results, one "kind name control → status" line each. */
function verdicts(out: string, keep: (name: string) => boolean): string[] {
  const summary = JSON.parse(readFileSync(join(out, "summary.json"), "utf8")) as { results: Row[] };
  return summary.results.filter((r) => keep(r.target.name)).map((r) => `${r.target.kind} ${r.target.name} ${r.controlId} → ${r.status}`).sort();
}

/** examples/ansible's inventory as ansible-inventory prints it, beside a copy of its snapshots. */
function exampleJson(source: string): string {
  const dir = tempDir("hostproof-ansible-run-");
  cpSync(join(ROOT, "examples", "ansible", "snapshots"), join(dir, "snapshots"), { recursive: true });
  cpSync(join(ROOT, "examples", "ansible", "directory.json"), join(dir, "directory.json"));
  return ansibleList(join(ROOT, "examples", "ansible", source), join(dir, "estate.json"));
}

test("hostproof run on ansible-inventory's JSON: the demo's verdicts for the same five hosts and cluster", (t) => {
  if (!haveAnsible(t)) return;
  const json = exampleJson("inventory.ini");
  const out = join(tempDir(), "reports");
  const res = spawnCli(["run", "--inventory", json, "--out", out, "--as-of", AS_OF, "--no-html", "--no-history"]);
  assert.equal(res.code, 1, res.stderr);
  assert.match(joinWrapped(res.stdout), /Contoso estate \(Ansible inventory\)( ·)? 5 hosts, 1 cluster/);
  const demoOut = join(tempDir(), "demo");
  assert.equal(spawnCli(["run", "--inventory", DEMO, "--out", demoOut, "--as-of", AS_OF, "--no-html", "--no-history"]).code, 1);
  const ours = new Set(["wg-node1", "wg-node2", "wg-node3", "hv01", "app2016", "wgclus"]);
  const mine = verdicts(out, (n) => ours.has(n));
  assert.equal(mine.length, 5 * 17 + 6, "every host control on each of the five hosts, every cluster control on the cluster");
  assert.deepEqual(mine, verdicts(demoOut, (n) => ours.has(n)));
  // The same directory, judged against a smaller inventory: the servers the demo lists and this one does not are not audited.
  const directory = verdicts(out, (n) => n === "corp.contoso.test");
  assert.deepEqual(directory, ["directory corp.contoso.test HP-DIR-001 → failed", "directory corp.contoso.test HP-DIR-002 → failed"]);
  const audited = (JSON.parse(readFileSync(join(out, "summary.json"), "utf8")) as { results: (Row & { details: { subject: string; outcome: string }[] })[] }).results.find((r) => r.controlId === "HP-DIR-002")!;
  assert.ok(audited.details.some((d) => d.subject === "FS01" && d.outcome === "deviation"), "fs01 is in the demo's inventory, not in this one");
  // The findings the example's comments promise.
  for (const line of ["host wg-node3 HP-NIC-001 → failed", "host hv01 HP-HV-001 → failed", "host app2016 HP-PS2-001 → failed", "cluster wgclus HP-CLU-008 → failed"]) assert.ok(mine.includes(line), line);
});

test("hostproof validate and collect read ansible-inventory's JSON", (t) => {
  if (!haveAnsible(t)) return;
  const json = exampleJson("inventory.yml");
  const v = spawnCli(["validate", json]);
  assert.equal(v.code, 0, v.stderr);
  assert.match(v.stdout, /valid inventory from ansible-inventory \(5 host\(s\), 1 cluster\(s\), snapshots valid, directory snapshot valid\)/);
  const snaps = join(tempDir(), "snaps");
  const c = spawnCli(["collect", "--inventory", json, "--out", snaps]);
  assert.equal(c.code, 0, c.stderr);
  const written = JSON.parse(readFileSync(join(snaps, "inventory.json"), "utf8")) as { name: string; hosts: { name: string }[]; clusters: unknown[] };
  assert.equal(written.name, "Contoso estate (Ansible inventory)");
  assert.deepEqual(written.hosts.map((h) => h.name), ["wg-node1", "wg-node2", "wg-node3", "hv01", "app2016"]);
  assert.deepEqual(written.clusters, [{ name: "wgclus", type: "workgroup", nodes: ["wg-node1", "wg-node2", "wg-node3"], adminAccount: "clusadmin" }]);
});

test("bad Ansible input: exit 3, the host and variable named, no stack trace, no password shown, nothing written", (t) => {
  if (!haveAnsible(t)) return;
  const dir = tempDir("hostproof-ansible-bad-");
  writeFileSync(join(dir, "hosts.ini"), "[web]\nweb3 ansible_connection=community.docker.docker\n[win]\nn1 ansible_connection=winrm ansible_user=auditor ansible_password=Hunter2!x\n");
  const json = ansibleList(join(dir, "hosts.ini"), join(dir, "estate.json"));
  const out = join(dir, "reports");
  for (const args of [["run", "--inventory", json, "--out", out, "--no-html"], ["validate", json]]) {
    const res = spawnCli(args);
    assert.equal(res.code, 3, res.stderr);
    assert.match(res.stderr, /_meta\.hostvars\.web3\.ansible_connection: host 'web3': ansible_connection 'community\.docker\.docker' is not a connection hostproof can use/);
    assert.match(res.stderr, /_meta\.hostvars\.n1\.ansible_password: host 'n1': ansible_password holds a password written into the inventory/);
    assert.doesNotMatch(res.stderr + res.stdout, /Hunter2/);
    assert.doesNotMatch(res.stderr, /\n\s+at /, "no stack trace");
  }
  assert.equal(existsSync(out), false, "nothing written");
});
