/**
 * Waivers end to end: the demo with its waiver file through the real CLI process, and
 * purpose-made estates for what a waiver does to the gate, expiry, and a bad waiver file.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { existsSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import Ajv from "ajv";
import addFormats from "ajv-formats";
import { writeEstate, type EstateSpec } from "../helpers/snapshot-builder";
import { AS_OF, DEMO, ROOT, expectRejected, joinWrapped, readJson, runCli, spawnCli, tempDir, writeCompliantEstate } from "./cli";
import type { Summary, SummaryResult } from "../../src/report/formats/summary";

const DEMO_WAIVERS = join(ROOT, "examples", "demo", "waivers.yaml");

const demoOut = join(tempDir(), "reports");
const demo = spawnCli(["run", "--inventory", DEMO, "--waivers", DEMO_WAIVERS, "--out", demoOut, "--as-of", AS_OF, "--no-html"]);
const summary = existsSync(join(demoOut, "summary.json")) ? readJson<Summary>(join(demoOut, "summary.json")) : undefined;

function result(s: Summary | undefined, target: string, control: string): SummaryResult {
  const r = s?.results.find((x) => x.target.name === target && x.controlId === control);
  assert.ok(r, `no result for ${target} ${control}`);
  return r;
}

interface AllureFile {
  status: string;
  statusDetails: { message?: string };
  labels: { name: string; value: string }[];
  parameters: { name: string; value: string }[];
}

test("demo with waivers: the attested password control and the scheduled migration are waived; the rest still fails the gate", () => {
  assert.equal(demo.code, 1, demo.stderr);
  assert.ok(summary, "summary.json missing");
  for (const cluster of ["wgclus", "mdclus"]) {
    const r = result(summary, cluster, "HP-CLU-004");
    assert.equal(r.status, "waived");
    assert.equal(r.waiver?.originalStatus, "undetermined");
    assert.equal(r.waiver?.runControl, false);
    assert.equal(r.waiver?.reference, "CHG-30412");
    assert.equal(r.reason?.kind, "not-verifiable", "what the control said stays under the waiver");
  }
  const eos = result(summary, "app2016", "HP-EOS-003");
  assert.equal(eos.status, "waived");
  assert.equal(eos.waiver?.originalStatus, "failed");
  assert.equal(eos.waiver?.id, "WVR-2026-019");
  assert.match(eos.actual, /2027-01-12/);
  assert.equal(result(summary, "legacy2003", "HP-EOS-001").status, "failed");
  // Every host has a result of each of the 17 host controls (HP-DIR-003 among them), every cluster
  // of the 6 cluster controls, and the directory one of each of its 2; the totals are the results
  // counted by status (figures from the record, so that a host added to the demo changes no test).
  assert.equal(summary.totals.total, summary.hosts.length * 17 + summary.clusters.length * 6 + 2);
  assert.equal(summary.results.length, summary.totals.total);
  const counted = { passed: 0, failed: 0, undetermined: 0, notApplicable: 0, waived: 0 };
  for (const r of summary.results) counted[r.status] += 1;
  assert.deepEqual(summary.totals, { ...counted, total: summary.results.length });
  assert.equal(summary.totals.waived, 5);
  assert.equal(summary.verdict, "non-compliant");
  assert.deepEqual(
    summary.waivers?.waivers.map((w) => [w.id, w.state, w.applied]),
    [
      ["WVR-2026-011", "active", 1],
      ["WVR-2026-012", "active", 1],
      ["WVR-2026-019", "active", 1],
      ["WVR-2026-024", "active", 2],
      ["WVR-2026-031", "active", 1],
    ],
  );
  // The domain controllers' OU waiver accepts DC02 inside HP-DIR-002, which still fails on the 2003 server nobody listed.
  const audited = summary.results.find((r) => r.controlId === "HP-DIR-002")!;
  assert.equal(audited.status, "failed");
  assert.deepEqual(audited.details.filter((d) => d.outcome !== "info").map((d) => [d.subject, d.outcome, d.waiverIndex]), [["DC02", "allowed", 4], ["OLD2003", "deviation", undefined]]);
  assert.deepEqual(summary.waivers?.notices, []);
  assert.equal(summary.waivers?.file, "examples/demo/waivers.yaml");

  const ajv = new Ajv({ allErrors: true, strict: false });
  addFormats(ajv);
  const validate = ajv.compile(readJson<object>(join(ROOT, "schemas", "summary.schema.json")));
  assert.ok(validate(summary), JSON.stringify(validate.errors, null, 2));
});

test("demo with waivers: the terminal draws W and lists the waivers applied", () => {
  assert.match(demo.stdout, /^app2016 +– – {5}– {7}– – {5}✔ ✔ ✔ W – – ✔ ✔ ✘ – – {3}✔$/m);
  assert.match(demo.stdout, /^cluster wgclus +✔ W +✔ ✔ ✘ +–$/m);
  assert.match(demo.stdout, /^AD corp\.contoso\.test +✘ ✘$/m);
  assert.ok(summary);
  const t = summary.totals;
  assert.ok(joinWrapped(demo.stdout).includes(`Results: ${t.passed} passed, ${t.failed} failed, ${t.undetermined} undetermined, ${t.notApplicable} not applicable, ${t.waived} waived (${t.total} total)`), demo.stdout);
  assert.match(joinWrapped(demo.stdout), /^Waivers \(examples\/demo\/waivers\.yaml\): 5 in the file, 5 applied, 5 results waived, 1 directory object accepted$/m);
  assert.match(joinWrapped(demo.stdout), /^W WVR-2026-031 \(HP-DIR-002 on directory objects under OU=Domain Controllers,DC=corp,DC=contoso,DC=test\): 1 directory object waived; approved by/m);
  assert.match(joinWrapped(demo.stdout), /^W WVR-2026-019 \(HP-EOS-003 on host app2016\): 1 failed waived; approved by Priya Raman, Application Owner \(ERP\); MIG-2291; expires 2027-01-10$/m);
  assert.match(joinWrapped(demo.stdout), /^W WVR-2026-011 \(HP-CLU-004 on cluster wgclus and its nodes\): 1 undetermined waived/m);
  assert.doesNotMatch(joinWrapped(demo.stdout), /HP-CLU-004 {2}not-verifiable/, "a waived result is not listed as a finding");
});

test("demo with waivers: JUnit skips the waived results with the justification, approver, ticket and expiry", () => {
  const xml = readFileSync(join(demoOut, "junit.xml"), "utf8");
  assert.match(
    xml,
    /<skipped message="waived: in-place migration to Windows Server 2022 scheduled for the December maintenance window \(approved by Priya Raman, Application Owner \(ERP\); MIG-2291; expires 2027-01-10\)">/,
  );
  assert.match(xml, /<property name="originalStatus" value="undetermined"\/>/);
  const top = /<testsuites[^>]*\bfailures="(\d+)"[^>]*\berrors="(\d+)"[^>]*\bskipped="(\d+)"/.exec(xml);
  assert.ok(top);
  assert.ok(summary);
  const t = summary.totals;
  assert.deepEqual(top.slice(1).map(Number), [t.failed, t.undetermined, t.notApplicable + t.waived], "not applicable and waived are skipped");
});

test("demo with waivers: Allure puts the waived results in their own category, with approver and justification visible", () => {
  const dir = join(demoOut, "allure-results");
  const categories = readJson<{ name: string; matchedStatuses?: string[]; messageRegex?: string }[]>(join(dir, "categories.json"));
  const waivedCategory = categories.find((c) => c.name === "Waived");
  assert.ok(waivedCategory);
  // Waived has Allure's fifth status to itself: not applicable's "skipped" never catches it.
  assert.deepEqual(waivedCategory.matchedStatuses, ["unknown"]);
  const files = readdirSync(dir).filter((f) => f.endsWith("-result.json")).map((f) => readJson<AllureFile>(join(dir, f)));
  const label = (r: AllureFile, name: string): string[] => r.labels.filter((l) => l.name === name).map((l) => l.value);
  const eos = files.find((r) => label(r, "host")[0] === "app2016" && label(r, "controlId")[0] === "HP-EOS-003");
  assert.ok(eos);
  assert.equal(eos.status, "unknown");
  assert.match(eos.statusDetails.message ?? "", /\nWaived \(failed\): in-place migration .* \(approved by Priya Raman/);
  assert.deepEqual(label(eos, "waiverApprover"), ["Priya Raman, Application Owner (ERP)"]);
  assert.deepEqual(label(eos, "waiverId"), ["WVR-2026-019"]);
  assert.ok(label(eos, "tag").includes("waived"));
  // The Categories tree groups waived results by this tag: the third waiver of the file.
  assert.ok(label(eos, "tag").includes("waiver #3"));
  const param = (name: string): string | undefined => eos.parameters.find((p) => p.name === name)?.value;
  assert.equal(param("waiver approver"), "Priya Raman, Application Owner (ERP)");
  assert.match(param("waiver justification") ?? "", /^in-place migration/);
  assert.equal(param("original status"), "failed");
  const env = readFileSync(join(dir, "environment.properties"), "utf8");
  assert.match(env, /^waivers=examples\/demo\/waivers\.yaml$/m);
});

// --- purpose-made estates -------------------------------------------------------------------

const oldHost: EstateSpec = { hosts: [{ name: "old", os: { version: "10.0.14393" } }] };
const workgroup: EstateSpec = {
  hosts: [{ name: "n1" }, { name: "n2" }],
  clusters: [{ name: "wg", type: "workgroup", adminAccount: "clusadmin", nodes: ["n1", "n2"] }],
};

function waiverFile(waivers: object[], name = "waivers.yaml"): string {
  const path = join(tempDir(), name);
  writeFileSync(path, JSON.stringify({ version: 1, waivers }, null, 2));
  return path;
}

const eosWaiver = (over: object = {}): object => ({
  id: "W-1",
  controlId: "HP-EOS-003",
  scope: { host: "old" },
  justification: "migration scheduled",
  approver: "Jane Roe",
  reference: "MIG-1",
  expires: "2027-01-10",
  ...over,
});

async function run(inventory: string, ...extra: string[]): Promise<{ code: number; stdout: string; stderr: string; summary: Summary }> {
  const out = join(tempDir(), "out");
  const res = await runCli(["run", "-i", inventory, "-o", out, "--as-of", AS_OF, "--no-html", ...extra]);
  return { ...res, summary: readJson<Summary>(join(out, "summary.json")) };
}

test("exit code: a waived failure does not fail the gate; without the waiver it does", async () => {
  const inv = writeEstate(tempDir(), oldHost);
  const without = await run(inv, "--tags", "@area:lifecycle");
  assert.equal(without.code, 1, without.stdout);
  const waived = await run(inv, "--tags", "@area:lifecycle", "--waivers", waiverFile([eosWaiver()]));
  assert.equal(waived.code, 0, waived.stdout + waived.stderr);
  assert.match(waived.stdout, /Verdict: COMPLIANT/);
  assert.equal(waived.summary.results.find((r) => r.controlId === "HP-EOS-003")?.status, "waived");
  assert.equal(waived.summary.totalsBySeverity.low, 0);
});

test("exit code: HP-CLU-004 attested (runControl: false) turns 2 into 0; with runControl true it stays 2 and says why", async () => {
  const inv = writeCompliantEstate(tempDir(), workgroup);
  const attest = { controlId: "HP-CLU-004", scope: { cluster: "WG" }, justification: "same password set by the runbook", approver: "Jane Roe", reference: "CHG-9", expires: "2027-06-30" };
  assert.equal((await run(inv)).code, 2);
  const attested = await run(inv, "--waivers", waiverFile([{ ...attest, runControl: false }]));
  assert.equal(attested.code, 0, attested.stdout + attested.stderr);
  assert.equal(attested.summary.verdict, "compliant");
  const plain = await run(inv, "--waivers", waiverFile([attest]));
  assert.equal(plain.code, 2);
  assert.equal(plain.summary.waivers?.notices[0]?.kind, "not-needed");
  assert.match(joinWrapped(plain.stdout), /^! waivers\[0\] \(HP-CLU-004 on cluster WG and its nodes\) waived nothing: 1 result undetermined, which a waiver with runControl: true does not cover/m);
});

test("an expired waiver: the failure counts again, and the summary, the terminal and the result all say it expired", async () => {
  const inv = writeEstate(tempDir(), oldHost);
  const res = await run(inv, "--tags", "@area:lifecycle", "--waivers", waiverFile([eosWaiver({ expires: "2026-11-21" })]));
  assert.equal(res.code, 1, res.stdout);
  const r = res.summary.results.find((x) => x.controlId === "HP-EOS-003")!;
  assert.equal(r.status, "failed");
  assert.equal(r.waiver, undefined);
  assert.deepEqual(r.details.at(-1), {
    subject: "waiver W-1",
    expected: "a waiver valid on 2026-11-22",
    actual: "expired at the end of 2026-11-21 UTC",
    outcome: "info",
    note: "migration scheduled (approved by Jane Roe; MIG-1; expires 2026-11-21)",
  });
  const notice = res.summary.waivers?.notices[0];
  assert.equal(notice?.kind, "expired");
  assert.deepEqual(notice?.targets, ["host old"]);
  assert.equal(res.summary.waivers?.waivers[0]?.state, "expired");
  assert.match(joinWrapped(res.stdout), /^! W-1 \(HP-EOS-003 on host old\) expired at the end of 2026-11-21 UTC and no longer applies: 1 result that it covered counts again \(host old\)\./m);
  // The last day itself still counts.
  assert.equal((await run(inv, "--tags", "@area:lifecycle", "--waivers", waiverFile([eosWaiver({ expires: AS_OF })]))).code, 0);
});

test("expiring within --waiver-warn-days (default 14) is a warning, not a failure; a waiver matching nothing is a notice", async () => {
  const inv = writeEstate(tempDir(), oldHost);
  const file = waiverFile([eosWaiver({ expires: "2026-12-01" }), eosWaiver({ id: "W-2", scope: { host: "gone" } })]);
  const res = await run(inv, "--tags", "@area:lifecycle", "--waivers", file);
  assert.equal(res.code, 0, res.stdout);
  assert.deepEqual(res.summary.waivers?.notices.map((n) => [n.id, n.kind, n.daysLeft]), [["W-1", "expiring", 9], ["W-2", "unmatched", undefined]]);
  assert.equal(res.summary.waivers?.warnDays, 14);
  assert.match(joinWrapped(res.stdout), /^! W-1 \(HP-EOS-003 on host old\) expires at the end of 2026-12-01 UTC \(9 days left\)/m);
  assert.match(joinWrapped(res.stdout), /^! W-2 \(HP-EOS-003 on host gone\) matched no result in this run/m);
  const narrow = await run(inv, "--tags", "@area:lifecycle", "--waivers", file, "--waiver-warn-days", "5");
  assert.deepEqual(narrow.summary.waivers?.notices.map((n) => n.kind), ["unmatched"]);
  assert.equal(narrow.summary.waivers?.warnDays, 5);
});

test("a bad waiver file stops the run with exit 3 before anything is written; the earlier --out stays", async () => {
  const inv = writeEstate(tempDir(), oldHost);
  const yaml = join(tempDir(), "w.yaml");
  writeFileSync(yaml, "version: 1\nwaivers:\n  - controlId: HP-EOS-003\n   scope: all\n");
  await expectRejected(inv, [/w\.yaml:4: the file is not valid YAML/, /nothing was written/], ["--waivers", yaml]);
  await expectRejected(inv, [/missing\.yaml: the file does not exist/], ["--waivers", join(tempDir(), "missing.yaml")]);
  const { approver: _drop, ...noApprover } = eosWaiver() as Record<string, unknown>;
  await expectRejected(inv, [/waivers\.yaml:\d+: waivers\[0\]\.approver: the required field 'approver' is missing\. Add 'approver' \(who accepted the risk/], ["--waivers", waiverFile([noApprover])]);
  await expectRejected(inv, [/waivers\[0\]\.controlId: 'HP-EOS-009' is not a control of this hostproof/], ["--waivers", waiverFile([eosWaiver({ controlId: "HP-EOS-009" })])]);
  await expectRejected(inv, [/waivers\[0\]\.expires: "2027-02-30" is not a valid date\. Use a calendar date as yyyy-mm-dd/], ["--waivers", waiverFile([eosWaiver({ expires: "2027-02-30" })])]);
  await expectRejected(inv, [/waivers\[0\]\.scope: .* is not a host, a cluster or "all"/], ["--waivers", waiverFile([eosWaiver({ scope: { host: "old", cluster: "c" } })])]);
  await expectRejected(inv, [/--waiver-warn-days 'two weeks' is not a number of days/], ["--waivers", waiverFile([eosWaiver()]), "--waiver-warn-days", "two weeks"]);
  await expectRejected(inv, [/--waiver-warn-days was given without --waivers/], ["--waiver-warn-days", "30"]);
});

test("validate lints waiver files: unknown controls and a missing approver are problems (exit 3), an expired waiver a warning", async () => {
  const good = await runCli(["validate", DEMO_WAIVERS]);
  assert.equal(good.code, 0, good.stderr);
  assert.match(good.stdout, /waivers\.yaml: valid waiver file \(5 waiver\(s\)\)/);

  const { approver: _drop, ...noApprover } = eosWaiver({ id: "W-3" }) as Record<string, unknown>;
  const bad = waiverFile([eosWaiver({ controlId: "hp-eos-003" }), eosWaiver({ id: "W-2", expires: "2026-11-21" })], "bad.yaml");
  const missing = waiverFile([noApprover], "noapprover.json");
  const res = await runCli(["validate", bad, missing]);
  assert.equal(res.code, 3);
  assert.match(res.stderr, /bad\.yaml:\d+: waivers\[0\]\.controlId: 'hp-eos-003' is not a control of this hostproof\. Did you mean HP-EOS-003\?/);
  assert.match(res.stderr, /warning: \S*bad\.yaml:\d+: waivers\[1\]\.expires: W-2 \(HP-EOS-003 on host old\) expired at the end of 2026-11-21 UTC \(today is 2026-11-22\)\. Renew the approval/);
  assert.match(res.stderr, /noapprover\.json: waivers\[0\]\.approver: the required field 'approver' is missing/);
  assert.match(res.stdout, /2 of 2 file\(s\) invalid/);

  const notAList = join(tempDir(), "w.yaml");
  writeFileSync(notAList, "waivers:\n  controlId: HP-EOS-003\n");
  const shape = await runCli(["validate", notAList]);
  assert.equal(shape.code, 3);
  assert.match(shape.stderr, /w\.yaml:\d+: version: the required field 'version' is missing/);
  assert.match(shape.stderr, /w\.yaml:\d+: waivers: expected array, found an object\. Make it a list\./);

  const soon = await runCli(["validate", waiverFile([eosWaiver({ expires: "2026-11-30" })])]);
  assert.equal(soon.code, 0);
  assert.match(joinWrapped(soon.stdout), /! W-1 \(HP-EOS-003 on host old\) expires at the end of 2026-11-30 UTC \(8 days left\)/);
});
