/**
 * oscal-assessment-results.json from real runs of the CLI: the demo (`run --export oscal`), its
 * export (the same bytes, and again the same bytes), a merged report, a signed report and a
 * hostile demo-like estate. Every document goes through test/helpers/oscal-validate.ts: ajv with
 * ajv-formats against NIST's OSCAL 1.2.3 schema, and every reference resolved.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { copyFileSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import type { Summary } from "../../src/report/formats/summary";
import { OSCAL_FILE } from "../../src/report/formats/oscal/oscal-stream";
import { checkOscalFile } from "../helpers/oscal-validate";
import { opensslKey } from "../sign/keytools";
import { AS_OF, DEMO, DEMO_HOSTS, editJson, readJson, ROOT, spawnCli, tempDir } from "./cli";

/* eslint-disable @typescript-eslint/no-explicit-any -- the document is read back as JSON */
type Doc = any;

const WAIVERS = join(ROOT, "examples", "demo", "waivers.yaml");
const dir = tempDir();
const out = join(dir, "run");

async function valid(file: string): Promise<Doc> {
  const check = await checkOscalFile(file);
  assert.deepEqual(check.problems, [], `${file} is valid OSCAL 1.2.3`);
  return JSON.parse(readFileSync(file, "utf8")) as Doc;
}

const same = (a: string, b: string): boolean => readFileSync(a).equals(readFileSync(b));
const propOf = (o: Doc, name: string): string | undefined => (o.props ?? []).find((p: Doc) => p.name === name)?.value;

test("the demo: run --export oscal validates; export derives the same bytes, twice; undetermined is never satisfied; the UAC conflict's waiver is an approved deviation", async () => {
  const run = spawnCli(["run", "--inventory", DEMO, "--waivers", WAIVERS, "--out", out, "--as-of", AS_OF, "--no-html", "--no-history", "--export", "oscal"]);
  assert.equal(run.code, 1, run.stderr);
  const doc = await valid(join(out, OSCAL_FILE));
  for (const [k, again] of [1, 2].entries()) {
    const derived = join(dir, `export-${again}`);
    const res = spawnCli(["export", out, "--format", "oscal", "--out", derived]);
    assert.equal(res.code, 0, res.stderr);
    assert.ok(same(join(out, OSCAL_FILE), join(derived, OSCAL_FILE)), `export ${k + 1} gives the bytes the run wrote`);
  }

  const summary = readJson<Summary>(join(out, "summary.json"));
  const result = doc["assessment-results"].results[0];
  assert.equal(result["local-definitions"]["inventory-items"].length, DEMO_HOSTS);
  // A component per cluster, and the directory's.
  assert.equal(result["local-definitions"].components.length, summary.clusters.length + 1);
  // Every result is in, under every NIST control its control maps to.
  const findings = result.findings as Doc[];
  const keys = new Set(findings.map((f) => `${propOf(f, "control-id")} ${propOf(f, "host") ?? propOf(f, "cluster") ?? propOf(f, "directory")}`));
  for (const r of summary.results) assert.ok(keys.has(`${r.controlId} ${r.target.name}`), `${r.controlId} on ${r.target.name}`);
  for (const f of findings) {
    const status = propOf(f, "result");
    if (status === "undetermined" || status === "failed") assert.equal(f.target.status.state, "not-satisfied", f.title);
    if (status === "not applicable") assert.equal(f.target.status.reason, "not-applicable", f.title);
  }
  const uac = findings.filter((f) => propOf(f, "control-id") === "HP-UAC-001" && propOf(f, "result") === "waived");
  assert.ok(uac.length > 0, "HP-UAC-001 is waived on the multi-domain nodes");
  for (const f of uac) {
    assert.equal(f.target.status.state, "not-satisfied", "a waived failure is still a failure");
    const risk = result.risks.find((r: Doc) => r.uuid === f["related-risks"][0]["risk-uuid"]);
    assert.equal(risk.status, "deviation-approved");
    assert.equal(propOf(risk, "waiver-id"), "WVR-2026-024");
    assert.match(risk.deadline, /^\d{4}-\d{2}-\d{2}T23:59:59Z$/);
  }
  // reviewed-controls: SC-3 (DISA's for the UAC rule) among them.
  const include = result["reviewed-controls"]["control-selections"][0]["include-controls"] as Doc[];
  assert.ok(include.some((c) => c["control-id"] === "sc-3"));
});

test("a merged report's OSCAL validates and its export is the same bytes", async () => {
  const shards = [1, 2].map((k) => join(dir, `shard-${k}`));
  shards.forEach((s, i) => assert.equal(spawnCli(["run", "-i", DEMO, "-w", WAIVERS, "-o", s, "--as-of", AS_OF, "--shard", `${i + 1}/2`, "--no-html", "--no-history", "--exit-zero"]).code, 0));
  const merged = join(dir, "merged");
  const m = spawnCli(["merge", ...shards, "-o", merged, "--no-html", "--no-history", "--export", "oscal"]);
  assert.equal(m.code, 1, m.stderr);
  const doc = await valid(join(merged, OSCAL_FILE));
  assert.equal(doc["assessment-results"].results[0]["local-definitions"]["inventory-items"].length, DEMO_HOSTS);
  const derived = join(dir, "merged-oscal");
  assert.equal(spawnCli(["export", merged, "--format", "oscal", "--out", derived]).code, 0);
  assert.ok(same(join(merged, OSCAL_FILE), join(derived, OSCAL_FILE)));
  // A shard exported alone is another document: none of its UUIDs is the merged report's.
  const shardOut = join(dir, "shard-1-oscal");
  assert.equal(spawnCli(["export", shards[0]!, "--format", "oscal", "--out", shardOut]).code, 0);
  const shardDoc = await valid(join(shardOut, OSCAL_FILE));
  assert.notEqual(shardDoc["assessment-results"].uuid, doc["assessment-results"].uuid);
});

test("a signed report's OSCAL names the signer's keyid as a party, and its export (which reads the signature) is the same bytes", async () => {
  const key = opensslKey(dir, "signer.pem");
  const signed = join(dir, "signed");
  const res = spawnCli(["run", "--inventory", DEMO, "--out", signed, "--as-of", AS_OF, "--no-html", "--no-history", "--export", "oscal", "--sign-key", key]);
  assert.equal(res.code, 1, res.stderr);
  const keyid = /Signed by keyid ([0-9a-f]{64})/.exec(res.stdout)?.[1];
  assert.ok(keyid, res.stdout);
  const doc = await valid(join(signed, OSCAL_FILE));
  const party = doc["assessment-results"].metadata.parties.find((p: Doc) => propOf(p, "keyid") === keyid);
  assert.ok(party, "the signer is a party of the metadata");
  const again = join(dir, "signed-export");
  assert.equal(spawnCli(["export", signed, "--format", "oscal", "--out", again]).code, 0);
  assert.ok(same(join(signed, OSCAL_FILE), join(again, OSCAL_FILE)));
});

test("a hostile demo-like estate: markup, quotes, control characters and a line break in the estate, an adapter, a probe error and a waiver; the document validates and keeps every result", async () => {
  const hostile = 'q"uo\'te <img src=x onerror=alert(1)> ![i](http://127.0.0.1:9/x) [l](javascript:alert(1)) **b** \u0001\u001b[31m ü 日本\n# heading';
  const estate = join(dir, "hostile");
  mkdirSync(join(estate, "snapshots"), { recursive: true });
  copyFileSync(join(ROOT, "examples", "demo", "snapshots", "hv01.json"), join(estate, "snapshots", "hv01.json"));
  editJson(join(estate, "snapshots", "hv01.json"), (snap) => {
    const probes = snap.probes as Record<string, { output?: Array<Record<string, unknown>>; error?: unknown; startedAt: string; command: string }>;
    const nic = probes.netAdapterAdvancedProperty!.output!.find((p) => p.RegistryKeyword === "*VMQ")!;
    nic.Name = hostile;
    nic.RegistryValue = ["1"];
    nic.DisplayValue = "Enabled";
    probes.hotfixes = { command: probes.hotfixes!.command, startedAt: probes.hotfixes!.startedAt, error: { kind: "other", message: hostile } };
  });
  const inventory = join(estate, "inventory.yaml");
  writeFileSync(inventory, `version: 1\nname: ${JSON.stringify(hostile)}\ndirectory: { none: "test estate: no Active Directory" }\nhosts:\n  - name: hv01\n    transport: snapshot\n    snapshot: snapshots/hv01.json\n`);
  const waivers = join(estate, "waivers.json");
  writeFileSync(waivers, JSON.stringify({ version: 1, waivers: [{ id: "W-1", controlId: "HP-NIC-001", scope: { host: "hv01" }, justification: `<script>alert(1)</script> ${hostile}`, approver: ` ${hostile} `, reference: "CHG-1", expires: "2027-06-30" }] }));
  const report = join(dir, "hostile-report");
  const res = spawnCli(["run", "-i", inventory, "-w", waivers, "-o", report, "--as-of", AS_OF, "--no-html", "--no-history", "--export", "oscal", "--exit-zero"]);
  assert.equal(res.code, 0, res.stderr);
  const doc = await valid(join(report, OSCAL_FILE));
  const summary = readJson<Summary>(join(report, "summary.json"));
  const result = doc["assessment-results"].results[0];
  assert.ok(summary.results.length > 0);
  assert.equal(new Set(result.findings.map((f: Doc) => propOf(f, "control-id"))).size, new Set(summary.results.map((r) => r.controlId)).size, "every control's results are in");
  const risk = result.risks[0];
  assert.equal(propOf(risk, "justification"), `<script>alert(1)</script> ${hostile}`.replace("\n", " ").replace("\u0001", "\uFFFD").replace("\u001b", "\uFFFD"));
  assert.equal(propOf(result, "estate"), hostile.replace("\n", " ").replace("\u0001", "\uFFFD").replace("\u001b", "\uFFFD"));
  assert.ok(!doc["assessment-results"].metadata.title.includes("<img"), "the title escapes the tag");
  assert.equal(spawnCli(["export", report, "--format", "oscal", "--out", join(dir, "hostile-export")]).code, 0);
  assert.ok(same(join(report, OSCAL_FILE), join(dir, "hostile-export", OSCAL_FILE)));
});
