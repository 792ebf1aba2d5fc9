/**
 * Issue 18, class 2: snapshots that lie. A snapshot of another host with `host` renamed, one dated
 * in the future, one holding a probe or a property twice in different case, and one whose generic
 * record answers for another key than its id: none may pass.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { AS_OF, editJson, expectRejected, goodEstate, readJson, runCli, tempDir } from "./cli";
/** A result as summary.json holds it. */
interface Result {
  controlId: string;
  target: { kind: "host" | "cluster"; name: string };
  status: string;
  reason?: { kind: string; message: string };
}

const noStack = (text: string): void => assert.doesNotMatch(text, /\n\s+at |internal error/);

async function judged(inventory: string): Promise<{ code: number; results: Result[]; stderr: string }> {
  const out = join(tempDir(), "out");
  const res = await runCli(["run", "-i", inventory, "-o", out, "--as-of", AS_OF, "--no-html"]);
  assert.ok(res.code === 0 || res.code === 1 || res.code === 2, `exit ${res.code}\n${res.stderr}`);
  return { code: res.code, results: readJson<{ results: Result[] }>(join(out, "summary.json")).results, stderr: res.stderr };
}

const ofHost = (results: Result[], host: string): Result[] => results.filter((r) => r.target.kind === "host" && r.target.name === host);

test("a snapshot copied from another host with only `host` renamed is undetermined, naming both names, never passed", async () => {
  const { dir, inventory } = goodEstate();
  const copy = readJson<Record<string, unknown>>(join(dir, "snapshots", "n1.json"));
  writeFileSync(join(dir, "snapshots", "n2.json"), JSON.stringify({ ...copy, host: "n2" }, null, 2));
  const { code, results } = await judged(inventory);
  assert.equal(code, 2, "undetermined, not compliant");
  const n2 = ofHost(results, "n2");
  assert.ok(n2.length > 10);
  for (const r of n2) {
    assert.ok(r.status === "undetermined" || r.status === "notApplicable", `${r.controlId}: ${r.status}`);
    if (r.status === "undetermined") {
      assert.equal(r.reason?.kind, "inconsistent", r.controlId);
      assert.match(r.reason?.message ?? "", /names the host 'N1' \(computerSystem Name\), but the inventory's host is 'n2'/);
    }
  }
  assert.ok(ofHost(results, "n1").some((r) => r.status === "passed"), "the honest node is judged as before");
  // A check that compares every node cannot pass on a node that is not what it says. (HP-CLU-006
  // and HP-CLU-007 read the cluster's one setting, which the honest node reports.)
  for (const r of results.filter((x) => x.target.kind === "cluster" && ["HP-CLU-003", "HP-CLU-008"].includes(x.controlId))) {
    assert.equal(r.status, "undetermined", r.controlId);
    assert.match(r.reason?.message ?? "", /n2: probe \w+ could not be read \(inconsistent\)/);
  }
});

test("with `identity: strict` in the inventory the copied snapshot stops the run (exit 3), naming both names", async () => {
  const { dir, inventory } = goodEstate();
  const copy = readJson<Record<string, unknown>>(join(dir, "snapshots", "n1.json"));
  writeFileSync(join(dir, "snapshots", "n2.json"), JSON.stringify({ ...copy, host: "n2" }, null, 2));
  editJson(inventory, (v) => (v.identity = "strict"));
  noStack(await expectRejected(inventory, [/n2\.json: n2: the snapshot names the host 'N1' \(computerSystem Name\), but the inventory's host is 'n2'/]));
});

test("a collectedAt in the future, or a probe outside its collection, is undetermined (exit 3 when strict)", async () => {
  const { dir, inventory } = goodEstate();
  editJson(join(dir, "snapshots", "n2.json"), (v) => {
    v.collectedAt = "2099-01-01T00:00:00Z";
  });
  const { results } = await judged(inventory);
  const n2 = ofHost(results, "n2").filter((r) => r.status !== "notApplicable");
  assert.ok(n2.length > 0 && n2.every((r) => r.status === "undetermined" && /collectedAt is 2099-01-01T00:00:00Z, .* after this run's clock .*5 minutes allowed/.test(r.reason?.message ?? "")), JSON.stringify(n2[0]?.reason));

  const late = goodEstate();
  editJson(join(late.dir, "snapshots", "n1.json"), (v) => {
    const probes = v.probes as Record<string, { startedAt: string }>;
    probes.uacPolicy!.startedAt = "2026-11-20T13:00:00Z";
  });
  const lateResults = (await judged(late.inventory)).results;
  assert.ok(ofHost(lateResults, "n1").every((r) => r.status !== "passed"), "a probe read hours after its collection began does not pass");
  assert.match(ofHost(lateResults, "n1").find((r) => r.status === "undetermined")?.reason?.message ?? "", /probe uacPolicy ran until .* after the collection that began at/);

  editJson(inventory, (v) => (v.identity = "strict"));
  await expectRejected(inventory, [/n2: collectedAt is 2099-01-01T00:00:00Z/]);
});

test("--as-of does not move the clock a snapshot is checked against: an old snapshot is judged as of any day", async () => {
  const { inventory } = goodEstate();
  for (const asOf of ["2020-01-01", "2030-06-30"]) {
    const out = join(tempDir(), "out");
    const res = await runCli(["run", "-i", inventory, "-o", out, "--as-of", asOf, "--no-html"]);
    assert.ok([0, 1, 2].includes(res.code), res.stderr);
    assert.ok(!readJson<{ results: Result[] }>(join(out, "summary.json")).results.some((r) => r.reason?.kind === "inconsistent"));
  }
});

test("the same probe id twice in different case is refused (exit 3), naming both spellings and their lines", async () => {
  const { dir, inventory } = goodEstate();
  const file = join(dir, "snapshots", "n1.json");
  const snapshot = readJson<{ probes: Record<string, Record<string, unknown>> }>(file);
  const id = Object.keys(snapshot.probes).find((k) => k.startsWith("registry:"))!;
  const lower = id.toLowerCase();
  assert.notEqual(lower, id);
  const { error: _error, ...record } = snapshot.probes[id]!;
  snapshot.probes[lower] = { ...record, output: [{ Name: "DeferQualityUpdates", Kind: "DWord", Data: 0 }] };
  writeFileSync(file, JSON.stringify(snapshot, null, 2));
  const stderr = await expectRejected(inventory, [/n1\.json:\d+: probes: the probe ids .* \(line \d+\) and .* \(line \d+\) differ only in case/]);
  assert.ok(stderr.includes(JSON.stringify(id).slice(1, 20)) && stderr.includes(JSON.stringify(lower).slice(1, 20)), stderr);
  const res = await runCli(["validate", file]);
  assert.equal(res.code, 3);
  assert.match(res.stderr, /differ only in case/);
});

test("the same property twice in different case, at any depth, is refused (exit 3) naming both", async () => {
  const { dir, inventory } = goodEstate();
  const file = join(dir, "snapshots", "n1.json");
  const text = readFileSync(file, "utf8").replace('"LocalAccountTokenFilterPolicy": 1', '"LocalAccountTokenFilterPolicy": 1,\n        "localaccounttokenfilterpolicy": 0');
  assert.match(text, /localaccounttokenfilterpolicy/);
  writeFileSync(file, text);
  await expectRejected(inventory, [/n1\.json:\d+: probes\.uacPolicy\.output: the keys "LocalAccountTokenFilterPolicy" \(line \d+\) and "localaccounttokenfilterpolicy" \(line \d+\) differ only in case/]);
  const deep = goodEstate();
  editJson(join(deep.dir, "snapshots", "n1.json"), (v) => {
    const probes = v.probes as Record<string, { output: Record<string, unknown>[] }>;
    probes.localUsers!.output[0]!.sid = "S-1-5-21-1-2-3-500";
  });
  await expectRejected(deep.inventory, [/probes\.localUsers\.output\[0\]: the keys "SID" .* and "sid" .* differ only in case/]);
});

test("a generic record whose parameters name another key than its id is refused (exit 3)", async () => {
  const { dir, inventory } = goodEstate();
  const file = join(dir, "snapshots", "n1.json");
  editJson(file, (v) => {
    const probes = v.probes as Record<string, { parameters?: Record<string, string> }>;
    const id = Object.keys(probes).find((k) => k.startsWith("registry:"))!;
    probes[id]!.parameters = { Key: "HKLM:\\SOFTWARE\\Contoso\\Elsewhere" };
  });
  noStack(await expectRejected(inventory, [/n1\.json: probes\["registry:.*"\]\.parameters: the record 'registry:.*' does not agree with itself: its parameters \(Key = .*Elsewhere.*\) are those of 'registry:HKLM\\SOFTWARE\\Contoso\\Elsewhere'/]));
});
