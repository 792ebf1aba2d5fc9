/** validate, controls, --help and --version. */
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync, writeFileSync } from "node:fs";
import { parse } from "yaml";
import { join } from "node:path";
import { DEMO, ROOT, runCli, spawnCli, tempDir } from "./cli";

test("validate accepts the demo inventory (and the snapshots it names) and a single snapshot", async () => {
  const res = await runCli(["validate", DEMO, join(ROOT, "examples/demo/snapshots/wg-node3.json")]);
  assert.equal(res.code, 0, res.stderr);
  const inventory = parse(readFileSync(DEMO, "utf8")) as { hosts: unknown[]; clusters: unknown[] };
  assert.ok(res.stdout.includes(`valid inventory (${inventory.hosts.length} host(s), ${inventory.clusters.length} cluster(s), snapshots valid, directory snapshot valid)`), res.stdout);
  assert.match(res.stdout, /wg-node3\.json: valid snapshot/);
});

test("validate reports every bad file with field and fix, and exits 3", async () => {
  const dir = tempDir();
  const badSnap = join(dir, "snap.json");
  writeFileSync(badSnap, JSON.stringify({ schemaVersion: 2, host: "a", collectedAt: "2026-11-20T09:00:00Z", collector: { name: "x", version: "1", transport: "ftp" }, probes: {} }));
  const other = join(dir, "other.json");
  writeFileSync(other, "[1, 2]");
  const res = await runCli(["validate", DEMO, badSnap, other]);
  assert.equal(res.code, 3);
  assert.match(res.stderr, /snap\.json: schemaVersion: 2 is not allowed\. Use 1\./);
  assert.match(res.stderr, /snap\.json: collector\.transport: "ftp" is not allowed/);
  assert.match(res.stderr, /other\.json: this is neither an inventory/);
  assert.match(res.stdout, /2 of 3 file\(s\) invalid/);
  assert.equal((await runCli(["validate"])).code, 3);
});

test("controls lists ID, severity, origin, title and feature; --tags filters; --json is machine-readable", async () => {
  const all = await runCli(["controls"]);
  assert.equal(all.code, 0);
  assert.match(all.stdout, /^ID\s+SEVERITY\s+ORIGIN\s+TITLE\s+\(FEATURE\)$/m);
  assert.match(all.stdout, /HP-NIC-001\s+high\s+built-in\s+Hardware offloads are disabled.*\(features\/nic-offloads\.feature\)/);
  const count = (JSON.parse((await runCli(["controls", "--json"])).stdout) as unknown[]).length;
  assert.match(all.stdout, new RegExp(`^${count} control\\(s\\)`, "m"));
  const crit = await runCli(["controls", "--tags", "@severity:critical", "--json"]);
  const list = JSON.parse(crit.stdout) as { id: string }[];
  assert.deepEqual(list.map((c) => c.id).sort(), ["HP-DIR-001", "HP-EOS-001", "HP-EOS-002"]);
});

test("--help on every command and --version, from the bin", () => {
  for (const cmd of [["--help"], ["run", "--help"], ["validate", "--help"], ["controls", "--help"], ["help", "run"]]) {
    const res = spawnCli(cmd);
    assert.equal(res.code, 0, cmd.join(" "));
    assert.match(res.stdout, /Usage:/);
  }
  // The 0 line may wrap (help fits the terminal's width); its continuation is indented under it.
  assert.match(spawnCli(["run", "--help"]).stdout, /Exit codes:\n  0  compliant.*\n( {5}\S.*\n)*  1  non-compliant/);
  const v = spawnCli(["--version"]);
  assert.equal(v.code, 0);
  assert.equal(v.stdout.trim(), (require(join(ROOT, "package.json")) as { version: string }).version);
});

test("controls --probes shows what each control reads and what a host is read for", async () => {
  const res = await runCli(["controls", "--tags", "@HP-NIC-001", "--probes"]);
  assert.equal(res.code, 0);
  assert.match(res.stdout, /reads: netAdapterAdvancedProperty/);
  assert.match(res.stdout, /A host is read for: os, computerSystem, netAdapterAdvancedProperty\./);
  const manual = await runCli(["controls", "--tags", "@manual", "--probes"]);
  assert.match(manual.stdout, /reads: nothing \(not verifiable by a probe\)/);
});
