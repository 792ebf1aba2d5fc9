/** Exit codes 0, 1, 2 on purpose-made estates, and what --fail-on, --tags and --exit-zero do to them. */
import { test } from "node:test";
import assert from "node:assert/strict";
import { join } from "node:path";
import type { EstateSpec } from "../helpers/snapshot-builder";
import { AS_OF, DEMO, expectRejected, readJson, runCli, spawnCli, tempDir, writeCompliantEstate } from "./cli";
import type { Summary } from "../../src/report/formats/summary";

/** Compliant but for what the test breaks (writeCompliantEstate: the update deferral policy too). */
function estate(spec: EstateSpec): string {
  return writeCompliantEstate(tempDir(), spec);
}

const run = (inventory: string, ...extra: string[]) => runCli(["run", "-i", inventory, "-o", join(tempDir(), "out"), "--as-of", AS_OF, "--no-html", ...extra]);

const compliantWorkgroup: EstateSpec = {
  name: "compliant",
  hosts: [{ name: "n1" }, { name: "n2" }, { name: "solo" }],
  clusters: [{ name: "wg", type: "workgroup", adminAccount: "clusadmin", nodes: ["n1", "n2"] }],
};

test("0: a compliant estate (the unverifiable password control left out) passes the gate", async () => {
  const res = await run(writeCompliantEstate(tempDir(), compliantWorkgroup), "--tags", "not @manual");
  assert.equal(res.code, 0, res.stdout + res.stderr);
  assert.match(res.stdout, /Verdict: COMPLIANT/);
});

test("2: with the password control selected the same estate is undetermined, never passed", async () => {
  const res = await run(writeCompliantEstate(tempDir(), compliantWorkgroup));
  assert.equal(res.code, 2, res.stdout + res.stderr);
});

test("2: a probe error on an otherwise compliant host gives undetermined, not compliant", async () => {
  const inv = estate({ hosts: [{ name: "solo", probeErrors: { uacPolicy: { kind: "timeout", message: "timed out after 30 s" } } }] });
  const res = await run(inv);
  assert.equal(res.code, 2, res.stdout + res.stderr);
});

test("2: a probe missing from the snapshot gives undetermined (not-collected)", async () => {
  const out = join(tempDir(), "out");
  const inv = estate({ hosts: [{ name: "solo", omitProbes: ["netAdapterAdvancedProperty"] }] });
  const res = await runCli(["run", "-i", inv, "-o", out, "--as-of", AS_OF, "--no-html"]);
  assert.equal(res.code, 2);
  const s = readJson<Summary>(join(out, "summary.json"));
  const nic = s.results.find((r) => r.controlId === "HP-NIC-001");
  assert.equal(nic?.status, "undetermined");
  assert.equal(nic?.reason?.kind, "not-collected");
});

test("1 and --fail-on: a low-severity failure fails the default gate but not --fail-on high", async () => {
  const inv = estate({ hosts: [{ name: "old", os: { version: "10.0.14393" } }] });
  const any = await run(inv, "--tags", "@area:lifecycle");
  assert.equal(any.code, 1, any.stdout);
  const high = await run(inv, "--tags", "@area:lifecycle", "--fail-on", "high");
  assert.equal(high.code, 0, high.stdout);
  const low = await run(inv, "--tags", "@area:lifecycle", "--fail-on", "low");
  assert.equal(low.code, 1);
});

test("--as-of moves the end-of-support judgement: Server 2016 is past support on 2027-01-13", async () => {
  const inv = estate({ hosts: [{ name: "old", os: { version: "10.0.14393" } }] });
  const out = join(tempDir(), "out");
  const res = await runCli(["run", "-i", inv, "-o", out, "--as-of", "2027-01-13", "--no-html", "--tags", "@HP-EOS-002"]);
  assert.equal(res.code, 1);
  const s = readJson<Summary>(join(out, "summary.json"));
  assert.equal(s.asOf, "2027-01-13");
  assert.equal(s.results[0].status, "failed");
});

test("--tags selects controls: only the chosen control's results are written", async () => {
  const out = join(tempDir(), "out");
  const res = await runCli(["run", "-i", DEMO, "-o", out, "--as-of", AS_OF, "--no-html", "--tags", "@HP-EOS-001"]);
  assert.equal(res.code, 1);
  const s = readJson<Summary>(join(out, "summary.json"));
  assert.deepEqual([...new Set(s.results.map((r) => r.controlId))], ["HP-EOS-001"]);
  assert.equal(s.results.length, s.hosts.length);
  assert.equal(s.tags, "@HP-EOS-001");
});

test("a tag expression that selects no control is a usage error: exit 3, the earlier report kept", async () => {
  await expectRejected(DEMO, [/--tags "@HP-NOPE-999" selects no control\. Run `hostproof controls`/], ["--tags", "@HP-NOPE-999"]);
  const collect = await runCli(["collect", "-i", DEMO, "-o", join(tempDir(), "snaps"), "--tags", "@HP-NOPE-999"]);
  assert.equal(collect.code, 3);
  assert.match(collect.stderr, /selects no control/);
});

test("--exit-zero reports the code the gate would have given, and exits 0", () => {
  const res = spawnCli(["run", "-i", DEMO, "-o", join(tempDir(), "out"), "--as-of", AS_OF, "--no-html", "--exit-zero"]);
  assert.equal(res.code, 0, res.stderr);
  assert.match(res.stdout, /Exit code would be 1/);
});

test("judging is deterministic: two runs give the same results", async () => {
  const a = join(tempDir(), "a");
  const b = join(tempDir(), "b");
  await runCli(["run", "-i", DEMO, "-o", a, "--as-of", AS_OF, "--no-html"]);
  await runCli(["run", "-i", DEMO, "-o", b, "--as-of", AS_OF, "--no-html"]);
  assert.deepEqual(readJson<Summary>(join(a, "summary.json")).results, readJson<Summary>(join(b, "summary.json")).results);
});
