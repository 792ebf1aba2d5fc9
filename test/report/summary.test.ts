import assert from "node:assert/strict";
import { mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "node:test";
import Ajv from "ajv";
import addFormats from "ajv-formats";
import { RESULT_STATUSES } from "../../src/model/result";
import { buildSummary, SUMMARY_FILE, writeSummary, type Summary } from "../../src/report/formats/summary";
import { fixtureRunReport, JAPANESE_ERROR, largeRunReport } from "../helpers/run-report";
import { scratch } from "./tmp";

const schemaPath = join(__dirname, "..", "..", "schemas", "summary.schema.json");

function validator(): (data: unknown) => string[] {
  const ajv = new Ajv({ allErrors: true, strict: false });
  addFormats(ajv);
  const validate = ajv.compile(JSON.parse(readFileSync(schemaPath, "utf8")) as object);
  return (data) => (validate(data) ? [] : (validate.errors ?? []).map((e) => `${e.instancePath} ${e.message ?? ""}`));
}

test("summary.json validates against schemas/summary.schema.json", async (t) => {
  const dir = scratch(t);
  const path = await writeSummary(dir, fixtureRunReport());
  assert.equal(path, join(dir, SUMMARY_FILE));
  const written = JSON.parse(readFileSync(path, "utf8")) as Summary;
  assert.deepEqual(validator()(written), []);
  assert.deepEqual(written, buildSummary(fixtureRunReport()), "what is written is what buildSummary returns");
  assert.deepEqual(validator()(buildSummary(largeRunReport(30))), []);
});

test("the schema is not vacuous: it rejects wrong values and unknown keys", () => {
  const validate = validator();
  const good = buildSummary(fixtureRunReport());
  const broken: unknown[] = [
    { ...good, schemaVersion: 2 },
    { ...good, verdict: "fine" },
    { ...good, surprise: true },
    { ...good, startedAt: "yesterday" },
    { ...good, results: [{ ...good.results[0]!, status: "bogus" }] },
    { ...good, results: [{ ...good.results[0]!, evidence: [{ host: "x", probe: "nope", command: "", collected: true }] }] },
  ];
  for (const b of broken) assert.notDeepEqual(validate(b), [], JSON.stringify(b).slice(0, 80));
  // A generic probe's id is evidence too: the step library's, or one a built-in check reads.
  const generic = { ...good, results: [{ ...good.results[0]!, evidence: [{ host: "x", probe: "windowsFeature:Hyper-V|Microsoft-Hyper-V" as const, command: "", collected: true }] }] };
  assert.deepEqual(validate(generic), []);
});

test("totals add up, per status and per severity", () => {
  const s = buildSummary(fixtureRunReport());
  assert.deepEqual(s.totals, { passed: 5, failed: 3, undetermined: 1, notApplicable: 2, waived: 1, total: 12 });
  assert.equal(RESULT_STATUSES.reduce((n, st) => n + s.totals[st], 0), s.totals.total);
  assert.equal(s.totals.total, s.results.length);
  for (const st of RESULT_STATUSES) assert.equal(s.totals[st], s.results.filter((r) => r.status === st).length, st);
  assert.deepEqual(s.totalsBySeverity, { critical: 1, high: 1, medium: 1, low: 0 });
  assert.equal(Object.values(s.totalsBySeverity).reduce((a, b) => a + b, 0), s.totals.failed);
});

test("results carry target, reason and evidence with probe times and error kinds", () => {
  const s = buildSummary(fixtureRunReport());
  assert.equal(s.schemaVersion, 1);
  assert.equal(s.estate, "demo & <lab>");
  assert.deepEqual(s.hosts.map((h) => [h.name, h.cluster]), [["node1", "wgclus"], ["node2", "wgclus"], ["solo1", undefined]]);
  assert.deepEqual(s.controls.map((c) => c.id), ["HP-NIC-001", "HP-EOS-001", "HP-DNS-001", "HP-UPD-001", "HP-CLU-001"]);

  const und = s.results.find((r) => r.status === "undetermined")!;
  assert.deepEqual(und.target, { kind: "host", name: "node2", cluster: "wgclus" });
  assert.deepEqual(und.reason, { kind: "access-denied", message: `Get-HotFix : ${JAPANESE_ERROR}` });
  const hotfixes = und.evidence.find((e) => e.probe === "hotfixes")!;
  assert.equal(hotfixes.errorKind, "access-denied");
  assert.equal(hotfixes.collected, true);
  assert.equal(hotfixes.startedAt, "2025-02-28T22:07:00.000Z");
  assert.match(hotfixes.command, /^Get-HotFix/);

  const cluster = s.results.find((r) => r.target.kind === "cluster")!;
  assert.deepEqual(cluster.target, { kind: "cluster", name: "wgclus", cluster: "wgclus" });
  const missing = cluster.evidence.find((e) => e.host === "node2")!;
  assert.equal(missing.collected, false, "node2 has no clusterQuorum record");
  assert.equal(missing.startedAt, undefined);
  assert.match(missing.command, /Get-ClusterQuorum/, "the catalog's command stands in");

  const passed = s.results.find((r) => r.status === "passed")!;
  assert.equal("reason" in passed, false);
  assert.deepEqual(passed.details, []);
});

test("a waived result keeps the waiver and its original status; the waivers section lists each waiver and the notices", () => {
  const s = buildSummary(fixtureRunReport());
  const waived = s.results.find((r) => r.status === "waived")!;
  assert.deepEqual(waived.waiver, {
    id: "RISK-77",
    controlId: "HP-NIC-001",
    scope: { host: "solo1" },
    justification: "legacy NIC driver needs VMQ; replacement ordered",
    approver: "Jane Roe, CISO",
    reference: "CHG-5001",
    expires: "2025-06-30",
    index: 0,
    runControl: true,
    originalStatus: "failed",
  });
  assert.equal(s.results.filter((r) => r.waiver !== undefined).length, 1, "only waived results carry a waiver");
  assert.equal(s.totalsBySeverity.high, 1, "a waived failure is not counted as failed");

  assert.equal(s.waivers?.file, "examples/demo/waivers.yaml");
  assert.equal(s.waivers?.warnDays, 14);
  assert.deepEqual(
    s.waivers?.waivers.map((w) => [w.index, w.controlId, w.state, w.applied, w.runControl]),
    [
      [0, "HP-NIC-001", "active", 1, true],
      [1, "HP-DNS-001", "expired", 0, true],
    ],
  );
  assert.deepEqual(s.waivers?.notices.map((n) => [n.kind, n.index]), [["expired", 1]]);
  assert.equal(buildSummary({ ...fixtureRunReport(), waivers: undefined }).waivers, undefined, "no waiver file, no section");
});

test("the schema ties the waiver to the waived status, both ways, and checks the waivers section", () => {
  const validate = validator();
  const good = buildSummary(fixtureRunReport());
  assert.deepEqual(validate(good), []);
  const waivedAt = good.results.findIndex((r) => r.status === "waived");
  const { waiver, ...bare } = good.results[waivedAt]!;
  const withResult = (r: unknown): unknown => ({ ...good, results: good.results.map((x, i) => (i === waivedAt ? r : x)) });
  const broken: unknown[] = [
    withResult(bare),
    withResult({ ...bare, status: "failed", waiver }),
    withResult({ ...good.results[waivedAt], waiver: { ...waiver, originalStatus: "passed" } }),
    withResult({ ...good.results[waivedAt], waiver: { ...waiver, scope: "everything" } }),
    { ...good, waivers: { ...good.waivers, notices: [{ ...good.waivers!.notices[0], kind: "stale" }] } },
    { ...good, waivers: { ...good.waivers, waivers: [{ ...good.waivers!.waivers[0], state: "lapsed" }] } },
    { ...good, waivers: { ...good.waivers, surprise: 1 } },
  ];
  for (const b of broken) assert.notDeepEqual(validate(b), [], JSON.stringify(b).slice(0, 120));
});

test("summary.json is streamed: it parses to the summary, one result and one host per line, the verdict at the end", async () => {
  for (const report of [fixtureRunReport(), { ...fixtureRunReport(), results: [] }]) {
    const dir = mkdtempSync(join(tmpdir(), "hostproof-summary-"));
    try {
      const written = readFileSync(await writeSummary(dir, report), "utf8");
      const summary = buildSummary(report);
      assert.deepEqual(JSON.parse(written), summary);
      const lines = written.split("\n");
      for (const r of summary.results) assert.ok(lines.includes(`    ${JSON.stringify(r)}${r === summary.results.at(-1) ? "" : ","}`), `${r.controlId} on ${r.target.name} is one line`);
      for (const h of summary.hosts) assert.ok(lines.some((l) => l.startsWith(`    ${JSON.stringify(h)}`)), `${h.name} is one line`);
      assert.ok(written.indexOf('"results"') < written.indexOf('"verdict"'), "results come before what is only known at the end");
      assert.ok(written.endsWith(`  "finishedAt": ${JSON.stringify(summary.finishedAt)}\n}\n`));
      assert.deepEqual(readdirSync(dir), ["summary.json"], "the hosts' spool is gone");
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }
});
