/**
 * Bad input stops the run with exit 3, an error naming the file, the field and the fix, and leaves
 * the earlier contents of --out as they were.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { AS_OF, editJson, expectRejected, goodEstate, runCli, spawnCli, tempDir } from "./cli";

test("a missing inventory file", async () => {
  await expectRejected("/nonexistent/estate.yaml", [/estate\.yaml: the file does not exist/]);
});

test("an inventory that is not valid YAML names the line", async () => {
  const file = join(tempDir(), "estate.yaml");
  writeFileSync(file, "version: 1\nhosts:\n  - name: a\n   transport: snapshot\n");
  await expectRejected(file, [/estate\.yaml:\d+: the file is not valid YAML/, /Fix the YAML syntax/]);
});

test("an inventory that is not valid JSON", async () => {
  const file = join(tempDir(), "estate.json");
  writeFileSync(file, '{"version": 1, "hosts": [ }');
  await expectRejected(file, [/estate\.json:1: the file is not valid JSON/]);
});

test("a schema violation names the field, the line, the allowed values", async () => {
  const file = join(tempDir(), "estate.yaml");
  writeFileSync(
    file,
    ["version: 1", "hosts:", "  - name: a", "    transport: snapshot", "    snapshot: a.json", "clusters:", "  - name: c", "    type: stretched", "    nodes: [a]", ""].join("\n"),
  );
  await expectRejected(file, [/estate\.yaml:8: clusters\[0\]\.type: "stretched" is not allowed\. Use one of: "single-domain", "multi-domain", "workgroup"/]);
});

test("a missing required field and a misspelt one", async () => {
  const { inventory } = goodEstate();
  editJson(inventory, (v) => {
    const hosts = v.hosts as Record<string, unknown>[];
    delete hosts[0].transport;
    hosts[1].snaphsot = "x.json";
  });
  await expectRejected(inventory, [/hosts\[0\]\.transport: the required field 'transport' is missing/, /hosts\[1\]\.snaphsot: 'snaphsot' is not a known field/]);
});

test("a host name that is not a DNS name", async () => {
  const { inventory } = goodEstate();
  editJson(inventory, (v) => ((v.hosts as Record<string, unknown>[])[0].name = "bad_name; rm -rf"));
  await expectRejected(inventory, [/hosts\[0\]\.name: .* is not in the expected form\. Use a DNS host name/]);
});

test("a workgroup cluster without its admin account", async () => {
  const { inventory } = goodEstate();
  editJson(inventory, (v) => delete (v.clusters as Record<string, unknown>[])[0].adminAccount);
  await expectRejected(inventory, [/clusters\[0\]\.adminAccount: the required field 'adminAccount' is missing/]);
});

test("a cluster that names an unknown host", async () => {
  const { inventory } = goodEstate();
  editJson(inventory, (v) => ((v.clusters as { nodes: string[] }[])[0].nodes = ["n1", "n3"]));
  await expectRejected(inventory, [/clusters\[0\]\.nodes\[1\]: cluster 'wg' names the unknown host 'n3'\. Add 'n3' to 'hosts'/]);
});

test("duplicate host names, compared without regard to case", async () => {
  const { inventory } = goodEstate();
  editJson(inventory, (v) => {
    const hosts = v.hosts as Record<string, unknown>[];
    hosts.push({ ...hosts[0], name: "N1" });
  });
  await expectRejected(inventory, [/hosts\[2\]\.name: host 'N1' is listed twice \(first at hosts\[0\], as 'n1'\)\. Give every host one entry; names are compared without regard to case/]);
});

test("a snapshot that belongs to another host", async () => {
  const { inventory } = goodEstate();
  editJson(inventory, (v) => ((v.hosts as Record<string, unknown>[])[1].snapshot = "snapshots/n1.json"));
  await expectRejected(inventory, [/n1\.json: host: this snapshot belongs to host 'n1', but the inventory uses it for 'n2'/]);
});

test("a missing snapshot file", async () => {
  const { inventory } = goodEstate();
  editJson(inventory, (v) => ((v.hosts as Record<string, unknown>[])[1].snapshot = "snapshots/gone.json"));
  await expectRejected(inventory, [/gone\.json: the file does not exist/]);
});

test("a malformed snapshot: bad JSON", async () => {
  const { dir, inventory } = goodEstate();
  writeFileSync(join(dir, "snapshots", "n2.json"), '{"schemaVersion": 1, "host": "n2",');
  await expectRejected(inventory, [/n2\.json:\d+: the file is not valid JSON/]);
});

test("a malformed snapshot: a probe with an unknown error kind and a bad time", async () => {
  const { dir, inventory } = goodEstate();
  editJson(join(dir, "snapshots", "n2.json"), (v) => {
    const probes = v.probes as Record<string, Record<string, unknown>>;
    probes.os = { command: "Get-CimInstance Win32_OperatingSystem", startedAt: "yesterday", error: { kind: "flaky", message: "x" } };
  });
  await expectRejected(inventory, [/n2\.json: probes\.os\.error\.kind: "flaky" is not allowed/, /probes\.os\.startedAt: "yesterday" is not a valid date-time/]);
});

test("every bad snapshot is reported at once, not only the first", async () => {
  const { dir, inventory } = goodEstate();
  writeFileSync(join(dir, "snapshots", "n1.json"), "not json");
  writeFileSync(join(dir, "snapshots", "n2.json"), "not json either");
  await expectRejected(inventory, [/2 problem\(s\)/, /n1\.json/, /n2\.json/]);
});

test("a live transport on a machine without PowerShell stops with what to install, and writes nothing", () => {
  const { inventory } = goodEstate();
  editJson(inventory, (v) => ((v.hosts as Record<string, unknown>[])[0] = { name: "n1", address: "10.0.0.11", transport: "local" }));
  const parent = tempDir();
  const out = join(parent, "reports");
  const env = { ...process.env, PATH: "", NODE_POWERSHELL: "" };
  const res = spawnCli(["run", "-i", inventory, "-o", out, "--as-of", AS_OF, "--no-html"], undefined, env);
  assert.equal(res.code, 3, res.stdout + res.stderr);
  assert.match(res.stderr, /PowerShell 7 \(pwsh\) was not found on this machine, and live transports need it\. Install it \(https:/);
  assert.deepEqual(readdirSync(parent), []);
});

test("bad options: --fail-on, --tags, --as-of, a missing --inventory, an unknown option or command", async () => {
  const { inventory } = goodEstate();
  await expectRejected(inventory, [/--fail-on 'severe' is not a severity\. Use one of: critical, high, medium, low, any/], ["--fail-on", "severe"]);
  await expectRejected(inventory, [/--tags "@a and" is not a valid tag expression/], ["--tags", "@a and"]);
  await expectRejected(inventory, [/--as-of '2026-02-30' is not a date/], ["--as-of", "2026-02-30"]);
  assert.equal((await runCli(["run"])).code, 3);
  const unknown = await runCli(["run", "-i", inventory, "--colour"]);
  assert.equal(unknown.code, 3);
  assert.match(unknown.stderr, /Unknown option '--colour'/);
  const res = spawnCli(["frobnicate"]);
  assert.equal(res.code, 3);
  assert.match(res.stderr, /unknown command 'frobnicate'/);
});

test("the bin exits 3 for bad input as a process, too", () => {
  const res = spawnCli(["run", "-i", join(dirname(tempDir()), "no-such-inventory.yaml"), "-o", join(tempDir(), "out")]);
  assert.equal(res.code, 3);
  assert.match(res.stderr, /no-such-inventory\.yaml: the file does not exist\. Check the path/);
});

test("--out never replaces a folder hostproof did not write, nor a file", async () => {
  const { inventory } = goodEstate();
  const parent = tempDir();
  const precious = join(parent, "work");
  mkdirSync(precious);
  writeFileSync(join(precious, "notes.txt"), "keep me");
  const res = await runCli(["run", "-i", inventory, "-o", precious, "--as-of", AS_OF, "--no-html"]);
  assert.equal(res.code, 3);
  assert.match(res.stderr, /--out: '.*work' is not empty and was not written by hostproof/);
  assert.equal(readFileSync(join(precious, "notes.txt"), "utf8"), "keep me");
  const file = join(parent, "summary.json");
  writeFileSync(file, "{}");
  const onFile = await runCli(["run", "-i", inventory, "-o", file, "--as-of", AS_OF, "--no-html"]);
  assert.equal(onFile.code, 3);
  assert.match(onFile.stderr, /is a file, not a folder/);
  assert.deepEqual(readdirSync(parent).sort(), ["summary.json", "work"]);
});

test("a folder an earlier run wrote, or an empty one, is replaced", async () => {
  const { inventory } = goodEstate();
  const out = join(tempDir(), "reports");
  mkdirSync(out);
  assert.equal((await runCli(["run", "-i", inventory, "-o", out, "--as-of", AS_OF, "--no-html"])).code, 2);
  assert.ok(readdirSync(out).includes(".hostproof-report"));
  assert.equal((await runCli(["run", "-i", inventory, "-o", out, "--as-of", AS_OF, "--no-html"])).code, 2);
});

test("credentials: an unknown reference, a duplicate name, ssh without one", async () => {
  const { inventory } = goodEstate();
  editJson(inventory, (v) => {
    const hosts = v.hosts as Record<string, unknown>[];
    hosts[0].credential = "nope";
    hosts[1].transport = "ssh";
    v.credentials = [{ name: "a", username: "u" }, { name: "a", username: "v" }];
  });
  await expectRejected(inventory, [
    /hosts\[0\]\.credential: host 'n1' names the unknown credential 'nope'\. Use one of: a\./,
    /credentials\[1\]\.name: credential 'a' is defined twice/,
    /hosts\[1\]\.credential: host 'n2' uses ssh but names no credential/,
  ]);
});
