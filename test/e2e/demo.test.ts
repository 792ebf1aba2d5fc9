/** The bundled demo estate without its waiver file, end to end through the real CLI process (test/e2e/waivers.test.ts runs it with). */
import { test } from "node:test";
import assert from "node:assert/strict";
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import Ajv from "ajv";
import addFormats from "ajv-formats";
import { AS_OF, DEMO, ROOT, readJson, spawnCli, tempDir } from "./cli";
import { loadFeatureCatalog } from "../../src/controls/catalog";
import type { Summary, SummaryResult } from "../../src/report/formats/summary";

const out = join(tempDir(), "reports");
const run = spawnCli(["run", "--inventory", DEMO, "--out", out, "--as-of", AS_OF, "--no-html"]);
const summary = existsSync(join(out, "summary.json")) ? readJson<Summary>(join(out, "summary.json")) : undefined;

function result(target: string, control: string): SummaryResult {
  const r = summary?.results.find((x) => x.target.name === target && x.controlId === control);
  assert.ok(r, `no result for ${target} ${control}`);
  return r;
}

test("the demo exits 1 (non-compliant) and prints the matrix and where the report is", () => {
  assert.equal(run.code, 1, run.stderr);
  assert.match(run.stdout, /wg-node3 \(wgclus\)/);
  assert.match(run.stdout, /Verdict: NON-COMPLIANT/);
  assert.match(run.stdout, new RegExp(`Reports in ${out.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}`));
});

test("summary.json validates against its schema and its totals add up", () => {
  assert.ok(summary, "summary.json missing");
  const ajv = new Ajv({ allErrors: true, strict: false });
  addFormats(ajv);
  const validate = ajv.compile(readJson<object>(join(ROOT, "schemas", "summary.schema.json")));
  assert.ok(validate(summary), JSON.stringify(validate.errors, null, 2));
  const counted = summary.results.length;
  assert.equal(summary.totals.total, counted);
  assert.equal(summary.totals.passed + summary.totals.failed + summary.totals.undetermined + summary.totals.notApplicable + summary.totals.waived, counted);
  assert.equal(summary.exitCode, 1);
  assert.equal(summary.verdict, "non-compliant");
});

test("without --waivers nothing is waived: the password control stays undetermined, the warning-window host failed", () => {
  assert.equal(summary!.waivers, undefined);
  assert.equal(summary!.totals.waived, 0);
  assert.ok(summary!.results.every((r) => r.waiver === undefined));
  assert.equal(result("wgclus", "HP-CLU-004").status, "undetermined");
  assert.equal(result("mdclus", "HP-CLU-004").status, "undetermined");
  assert.doesNotMatch(run.stdout, /^Waivers/m);
});

test("the node out of line fails exactly its three drifts", () => {
  assert.equal(result("wg-node3", "HP-NIC-001").status, "failed");
  assert.match(result("wg-node3", "HP-NIC-001").actual, /Ethernet 2.*\*VMQ/);
  assert.equal(result("wg-node3", "HP-CLU-005").status, "failed");
  const hotfixes = result("wgclus", "HP-CLU-008");
  assert.equal(hotfixes.status, "failed");
  assert.match(hotfixes.actual, /wg-node3.*KB5044281/);
  for (const peer of ["wg-node1", "wg-node2"]) {
    assert.equal(result(peer, "HP-NIC-001").status, "passed");
    assert.equal(result(peer, "HP-CLU-005").status, "passed");
  }
});

test("the compliant multi-domain cluster passes everything a probe can verify but the STIG rule its LATFP = 1 contradicts, and the allowed offload is shown with its reason", () => {
  const mine = summary!.results.filter((r) => r.target.cluster === "mdclus");
  assert.ok(mine.length > 10);
  for (const r of mine) {
    if (r.controlId === "HP-CLU-004") assert.equal(r.status, "undetermined", "passwords are never verifiable");
    // Its nodes are domain members: HP-CLU-005's LATFP = 1 is an open STIG WNxx-MS-000020 finding until waived.
    else if (r.controlId === "HP-UAC-001") assert.match(`${r.status} ${r.rule}`, /^failed conflict: HP-CLU-005 requires 1/, r.target.name);
    else assert.ok(r.status === "passed" || r.status === "notApplicable", `${r.target.name} ${r.controlId} is ${r.status}`);
  }
  const nic = result("md-node1", "HP-NIC-001");
  assert.ok(nic.details?.some((d) => d.outcome === "allowed" && /SMB multichannel/.test(d.note ?? "")), JSON.stringify(nic.details));
  assert.equal(result("mdclus", "HP-DNS-003").status, "passed");
});

test("Windows Server 2003 and the host inside the warning window are flagged", () => {
  assert.equal(result("legacy2003", "HP-EOS-001").status, "failed");
  assert.equal(result("legacy2003", "HP-EOS-001").severity, "critical");
  assert.equal(result("legacy2003", "HP-EOS-002").status, "failed");
  assert.equal(result("app2016", "HP-EOS-002").status, "passed");
  assert.equal(result("app2016", "HP-EOS-003").status, "failed");
  assert.match(result("app2016", "HP-EOS-003").actual, /2027-01-12/);
});

test("a probe error makes its controls undetermined, never passed, with the error kind", () => {
  const r = result("fs01", "HP-NIC-001");
  assert.equal(r.status, "undetermined");
  assert.equal(r.reason?.kind, "access-denied");
  assert.equal(result("legacy2003", "HP-NIC-001").status, "undetermined");
  assert.equal(result("legacy2003", "HP-NIC-001").reason?.kind, "not-supported");
});

test("junit.xml has one test case per result and counts failures, errors and skips", () => {
  const xml = readFileSync(join(out, "junit.xml"), "utf8");
  const cases = xml.match(/<testcase /g) ?? [];
  assert.equal(cases.length, summary!.results.length);
  const top = /<testsuites[^>]*\btests="(\d+)"[^>]*\bfailures="(\d+)"[^>]*\berrors="(\d+)"/.exec(xml);
  assert.ok(top, xml.slice(0, 300));
  assert.equal(Number(top[1]), summary!.totals.total);
  assert.equal(Number(top[2]), summary!.totals.failed);
  assert.equal(Number(top[3]), summary!.totals.undetermined);
  assert.match(xml, /<failure [^>]*message="[^"]*\*VMQ/);
});

test("Allure results carry suites, labels and the probe evidence as attachments", () => {
  const dir = join(out, "allure-results");
  const files = readdirSync(dir);
  const results = files.filter((f) => f.endsWith("-result.json")).map((f) => readJson<{ name: string; status: string; labels: { name: string; value: string }[]; attachments: { source: string; name: string }[] }>(join(dir, f)));
  assert.equal(results.length, summary!.results.length);
  const label = (r: (typeof results)[number], name: string): string | undefined => r.labels.find((l) => l.name === name)?.value;
  const vmq = results.find((r) => label(r, "host") === "wg-node3" && label(r, "controlId") === "HP-NIC-001");
  assert.ok(vmq);
  assert.equal(vmq.status, "failed");
  assert.equal(label(vmq, "parentSuite"), "wgclus");
  assert.equal(label(vmq, "suite"), "wg-node3");
  assert.equal(label(vmq, "cluster"), "wgclus");
  assert.equal(label(vmq, "hostproofSeverity"), "high");
  assert.ok(vmq.labels.some((l) => l.name === "tag" && l.value === "@area:network"));
  assert.ok(vmq.attachments.length > 0);
  const evidence = readFileSync(join(dir, vmq.attachments[0].source), "utf8");
  assert.match(evidence, /Get-NetAdapterAdvancedProperty -AllProperties/);
  assert.match(evidence, /\*VMQ/);
  const undetermined = results.find((r) => label(r, "host") === "fs01" && label(r, "controlId") === "HP-NIC-001");
  assert.equal(undetermined?.status, "broken");
  assert.ok(files.includes("categories.json") && files.includes("environment.properties"));
});

test("the Cucumber message stream and the judged snapshots are kept with the report", () => {
  const ndjson = readFileSync(join(out, "cucumber-messages.ndjson"), "utf8").trim().split("\n");
  const pickles = ndjson.map((l) => JSON.parse(l) as { pickle?: { name: string } }).filter((m) => m.pickle);
  // One pickle per scenario of the built-in features (a count no test writes down: controls are added).
  assert.equal(pickles.length, loadFeatureCatalog().features.reduce((n, f) => n + f.pickles.length, 0));
  assert.ok(pickles.length >= 22);
  assert.ok(existsSync(join(out, "evidence", "snapshots", "wg-node3.json")));
});
