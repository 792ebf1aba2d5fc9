/**
 * The OSCAL assessment results built from a finished record, every document validated by the
 * shared helper (ajv + ajv-formats against NIST's 1.2.3 schema, and every reference resolved):
 * what maps to what, statuses as OSCAL words them (undetermined never satisfied, not applicable
 * its own reason), waivers as approved deviations, v5 UUIDs stable for one run and not another,
 * and hostile text that can neither break the document nor render as Markdown.
 */
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { test, type TestContext } from "node:test";
import { MANIFEST_PATH } from "../../src/evidence/manifest";
import type { ControlMappings } from "../../src/model/mapping";
import type { ControlMeta } from "../../src/model/result";
import type { RunReport } from "../../src/model/run";
import { digestOf } from "../../src/report/bookkeeping/digest";
import { StreamFile } from "../../src/report/output/stream-file";
import { evidenceLookup } from "../../src/report/formats/evidence-view";
import { nistTargets, runNamer } from "../../src/report/formats/oscal/oscal-ids";
import { endOfDay, markdownText, oscalDateTime, stringValue } from "../../src/report/formats/oscal/oscal-text";
import { OSCAL_FILE, OscalStream, PLAN_MANIFEST } from "../../src/report/formats/oscal/oscal-stream";
import { buildSummary } from "../../src/report/formats/summary";
import { findOnPath } from "../../src/util/executables";
import { NAMESPACE_DNS, uuidV5 } from "../../src/util/uuid-v5";
import { checkOscalFile, checkOscalText } from "../helpers/oscal-validate";
import { requireTool } from "../helpers/require-tool";
import { fixtureRunReport } from "../helpers/run-report";
import { scratch } from "./tmp";

/* eslint-disable @typescript-eslint/no-explicit-any -- the document is read back as JSON */
type Doc = any;

const SHA = (host: string): string => Buffer.from(host).toString("hex").padEnd(64, "0").slice(0, 64);

/** The fixture with NIST references: two on HP-NIC-001 (a statement, a control), an enhancement's part on HP-DNS-001, HP-UPD-001 none. */
function mapped(report: RunReport): RunReport {
  const maps: Record<string, ControlMappings> = {
    "HP-NIC-001": { nist: [{ id: "CM-7 a", ours: false }, { id: "SC-3", ours: false }], stig: [{ stigId: "WN19-00-000001", vulnId: "V-1", cat: "II" }], cci: ["CCI-000381"], cis: [], conflicts: [] },
    "HP-EOS-001": { nist: [{ id: "SA-22", ours: true }], stig: [], cci: [], cis: [], conflicts: [] },
    "HP-DNS-001": { nist: [{ id: "SC-45 (1) (a)", ours: true }], stig: [], cci: [], cis: [], conflicts: [] },
    "HP-CLU-001": { nist: [{ id: "CM-6", ours: true }], stig: [], cci: [], cis: [], conflicts: [] },
  };
  const withMap = (c: ControlMeta): ControlMeta => (maps[c.id] !== undefined ? { ...c, mappings: maps[c.id] } : c);
  return { ...report, controls: report.controls.map(withMap), results: report.results.map((r) => ({ ...r, control: withMap(r.control) })) };
}

interface Built {
  text: string;
  doc: Doc;
  dir: string;
}

/** The document of `report`, a slice per `sliceHosts` hosts (their clusters and results with them), validated. */
async function oscalOf(t: TestContext, report: RunReport, options: { signer?: string; sliceHosts?: number } = {}): Promise<Built> {
  const dir = scratch(t);
  const { tool, estate, inventoryFile, startedAt, asOf, tags, failOn } = report;
  const head = { tool, inventoryFile, startedAt, asOf, failOn, ...(estate !== undefined ? { estate } : {}), ...(tags !== undefined ? { tags } : {}) };
  const stream = new OscalStream(dir, head, { hosts: report.hosts.length, clusters: report.clusters.length }, options.signer);
  const lookup = evidenceLookup(report);
  const kept = (host: string) => ({ file: `evidence/snapshots/${host}.json`, sha256: SHA(host) });
  const size = options.sliceHosts ?? report.hosts.length;
  for (let i = 0; i < report.hosts.length; i += size) {
    const hosts = report.hosts.slice(i, i + size);
    const names = new Set(hosts.map((h) => h.name));
    const clusters = report.clusters.filter((c) => c.nodes.some((n) => names.has(n)) && !report.hosts.slice(0, i).some((h) => h.cluster === c.name));
    const clusterNames = new Set(clusters.map((c) => c.name));
    const results = report.results.filter((r) => (r.target.kind === "host" ? names.has(r.target.name) : clusterNames.has(r.target.name)));
    await stream.add({ hosts, clusters, results, lookup, kept: (h) => (names.has(h) ? kept(h) : undefined) });
  }
  await stream.finish(new StreamFile(join(dir, OSCAL_FILE)), { tail: buildSummary(report), digest: digestOf(report) });
  assert.deepEqual(readdirSync(dir), [OSCAL_FILE], "no spool is left behind");
  const check = await checkOscalFile(join(dir, OSCAL_FILE));
  assert.deepEqual(check.problems, [], "valid OSCAL 1.2.3, every reference resolved");
  const text = readFileSync(join(dir, OSCAL_FILE), "utf8");
  return { text, doc: JSON.parse(text) as Doc, dir };
}

const propOf = (o: Doc, name: string): string | undefined => (o.props ?? []).find((p: Doc) => p.name === name)?.value;

test("uuidV5 gives RFC 9562's and Python's known vectors", () => {
  assert.equal(uuidV5("www.example.com", NAMESPACE_DNS), "2ed6657d-e927-568b-95e1-2665a8aea6a2");
  assert.equal(uuidV5("python.org", NAMESPACE_DNS), "886313e1-3b8a-5372-9b90-0c9aee199e5d");
  assert.throws(() => uuidV5("x", "not-a-uuid"), /not a UUID/);
});

test("NIST references become the catalog's objective and statement ids; one not in the mapping's form is left to the finding", () => {
  const targets = (...ids: string[]) => nistTargets({ mappings: { nist: ids.map((id) => ({ id, ours: false })), stig: [], cci: [], cis: [], conflicts: [] } }).map((t) => `${t.type}:${t.id}`);
  assert.deepEqual(targets("SC-3", "CM-7 a", "SC-45 (1) (a)", "AC-6 (1)", "SC-3"), ["objective-id:sc-3_obj", "statement-id:cm-7_smt.a", "statement-id:sc-45.1_smt.a", "objective-id:ac-6.1_obj"]);
  assert.deepEqual(targets("sc-3", "SC 3", "SC-3\n", ""), []);
  assert.deepEqual(nistTargets({}), []);
});

test("times OSCAL cannot carry are made UTC or left out; a waiver's last day ends at 23:59:59 UTC", () => {
  assert.equal(oscalDateTime("2025-02-28T22:01:00.000Z"), "2025-02-28T22:01:00.000Z");
  assert.equal(oscalDateTime("2025-02-28T22:01:00+05:45"), "2025-02-28T22:01:00+05:45");
  assert.equal(oscalDateTime("2025-02-28T22:01:00+01:15"), "2025-02-28T20:46:00.000Z", "an offset the schema does not list");
  assert.equal(oscalDateTime("2025-02-28t22:01:00z"), "2025-02-28T22:01:00.000Z");
  assert.equal(oscalDateTime("2025-02-28T22:01:00"), undefined, "no zone: not an instant");
  assert.equal(oscalDateTime("3025-02-28T22:01:00Z"), undefined, "past the schema's years");
  assert.equal(oscalDateTime("yesterday"), undefined);
  assert.equal(oscalDateTime("2025-02-30T10:00:00+01:15"), undefined, "no such day");
  assert.equal(endOfDay("2027-06-30"), "2027-06-30T23:59:59Z");
  assert.equal(endOfDay("2027-02-30"), undefined);
  assert.equal(stringValue("  a\nb\u0001 "), "a b\uFFFD");
  assert.equal(stringValue(" \n "), undefined);
});

test("the fixture as OSCAL: an observation per probe read per host and per snapshot, findings per NIST target with their observations, waivers as risks", async (t) => {
  const report = mapped(fixtureRunReport());
  const { doc } = await oscalOf(t, report);
  const ar = doc["assessment-results"];
  assert.equal(ar.metadata["oscal-version"], "1.2.3");
  assert.equal(ar.metadata["last-modified"], report.finishedAt, "the record's end, not the clock");
  assert.match(ar["import-ap"].href, /^#/);
  const plan = ar["back-matter"].resources.find((r: Doc) => `#${r.uuid}` === ar["import-ap"].href);
  assert.deepEqual(plan.rlinks.map((l: Doc) => l.href), ["evidence/run.json", "summary.json", MANIFEST_PATH]);
  assert.equal(PLAN_MANIFEST, MANIFEST_PATH);
  assert.equal(ar.results.length, 1, "one result per run");
  const result = ar.results[0];

  // Hosts and clusters.
  assert.deepEqual(result["local-definitions"]["inventory-items"].map((i: Doc) => propOf(i, "asset-id")), report.hosts.map((h) => h.name));
  assert.deepEqual(result["local-definitions"].components.map((c: Doc) => c.title), ["cluster wgclus"]);
  const node1 = result["local-definitions"]["inventory-items"][0];
  assert.equal(propOf(node1, "os-name"), "Microsoft Windows Server 2019 Datacenter");
  assert.equal(node1["implemented-components"][0]["component-uuid"], result["local-definitions"].components[0].uuid);

  // Observations: one per snapshot and one per probe record, each collected when its probe started.
  const observations = result.observations as Doc[];
  const expected = report.hosts.reduce((n, h) => n + 1 + Object.keys(h.snapshot.probes).length, 0);
  assert.equal(observations.length, expected);
  for (const o of observations) assert.deepEqual(o.methods, ["TEST"]);
  const denied = observations.find((o) => propOf(o, "probe") === "hotfixes" && o.title.includes("node2"))!;
  assert.equal(denied.collected, report.hosts[1]!.snapshot.probes.hotfixes!.startedAt);
  assert.match(denied.description, /the probe failed \(access-denied\)/);
  const evidence = denied["relevant-evidence"][0];
  const resource = ar["back-matter"].resources.find((r: Doc) => `#${r.uuid}` === evidence.href);
  assert.deepEqual(resource.rlinks[0], { href: "evidence/snapshots/node2.json", "media-type": "application/json", hashes: [{ algorithm: "SHA-256", value: SHA("node2") }] });
  assert.match(evidence.description, new RegExp(SHA("node2")));

  // Findings: one per result and NIST target; statuses as OSCAL words them.
  const findings = result.findings as Doc[];
  assert.equal(findings.length, report.results.reduce((n, r) => n + Math.max(1, nistTargets(r.control).length), 0));
  const byResult = (id: string, target: string): Doc[] => findings.filter((f) => propOf(f, "control-id") === id && (propOf(f, "host") ?? propOf(f, "cluster")) === target);
  const nic = byResult("HP-NIC-001", "node1");
  assert.deepEqual(nic.map((f) => [f.target.type, f.target["target-id"], f.target.status.state, f.target.status.reason]), [
    ["statement-id", "cm-7_smt.a", "not-satisfied", "fail"],
    ["objective-id", "sc-3_obj", "not-satisfied", "fail"],
  ]);
  const netObs = observations.find((o) => propOf(o, "probe") === "netAdapterAdvancedProperty" && o.title.endsWith("node1"))!;
  assert.deepEqual(nic[0]["related-observations"], [{ "observation-uuid": netObs.uuid }]);
  assert.equal(propOf(nic[0], "stig-id"), "WN19-00-000001");
  for (const r of report.results) {
    for (const f of byResult(r.control.id, r.target.name)) {
      const status = r.status === "waived" ? r.waiver!.originalStatus : r.status;
      if (status === "undetermined" || status === "failed") assert.equal(f.target.status.state, "not-satisfied", `${r.control.id} ${r.target.name}: ${r.status} is never satisfied`);
      if (status === "undetermined") {
        assert.equal(f.target.status.reason, "undetermined");
        assert.ok(f.target.status.remarks.length > 0, "the reason is said");
      }
      if (status === "notApplicable") {
        assert.deepEqual([f.target.status.state, f.target.status.reason, f.target["implementation-status"].state], ["satisfied", "not-applicable", "not-applicable"]);
        assert.equal(f.target.status.remarks, markdownText(r.reason!.message, true));
      }
      if (status === "passed") assert.deepEqual(f.target.status, { state: "satisfied", reason: "pass" });
    }
  }
  // A cluster result relates to what it cites; HP-UPD-001 maps to nothing and is still reported.
  const upd = findings.filter((f) => propOf(f, "control-id") === "HP-UPD-001");
  assert.ok(upd.length > 0 && upd.every((f) => f.target["target-id"] === "hostproof-unmapped"));
  assert.ok(findings.every((f) => (f["related-observations"] ?? []).length > 0 || f.remarks !== undefined));

  // The waived failure: not-satisfied as found, related to an approved deviation.
  const waived = byResult("HP-NIC-001", "solo1");
  assert.equal(waived.length, 2);
  assert.equal(waived[0].target.status.state, "not-satisfied");
  assert.equal(propOf(waived[0], "result"), "waived");
  const risk = result.risks.find((r: Doc) => r.uuid === waived[0]["related-risks"][0]["risk-uuid"]);
  assert.equal(risk.status, "deviation-approved");
  assert.equal(risk.deadline, "2025-06-30T23:59:59Z");
  assert.equal(propOf(risk, "justification"), "legacy NIC driver needs VMQ; replacement ordered");
  assert.equal(propOf(risk, "approver"), "Jane Roe, CISO");
  assert.equal(propOf(risk, "reference"), "CHG-5001");
  assert.equal(risk["risk-log"].entries[0]["status-change"], "deviation-approved");
  assert.equal(result.risks.length, 1, "the expired waiver waived nothing: no risk");
  assert.ok(ar.metadata.parties.some((p: Doc) => p.name === "Jane Roe, CISO" && p.uuid === risk["risk-log"].entries[0]["logged-by"][0]["party-uuid"]));

  // reviewed-controls: the NIST controls the run's controls map to.
  const include = result["reviewed-controls"]["control-selections"][0]["include-controls"];
  assert.deepEqual(include, [
    { "control-id": "cm-7", "statement-ids": ["cm-7_smt.a"] },
    { "control-id": "sc-3" },
    { "control-id": "sa-22" },
    { "control-id": "sc-45.1", "statement-ids": ["sc-45.1_smt.a"] },
    { "control-id": "cm-6" },
    { "control-id": "hostproof-unmapped" },
  ].filter((c) => include.some((i: Doc) => i["control-id"] === c["control-id"])));
  assert.ok(include.length >= 5);
});

test("the same record gives the same bytes, and the same UUIDs sliced otherwise; another run gives other UUIDs, and a signed report names its keyid", async (t) => {
  const report = mapped(fixtureRunReport());
  const a = await oscalOf(t, report);
  assert.equal((await oscalOf(t, report)).text, a.text);
  // Sliced otherwise, the objects come in another order, under the same names: a UUID names an object, not a place.
  const b = await oscalOf(t, report, { sliceHosts: 1 });
  const uuids = (text: string): Set<string> => new Set(text.match(/[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}/g));
  assert.deepEqual([...uuids(b.text)].sort(), [...uuids(a.text)].sort());
  const other = await oscalOf(t, { ...report, startedAt: "2025-03-02T10:00:00.000Z" });
  const shared = [...uuids(other.text)].filter((u) => uuids(a.text).has(u));
  assert.deepEqual(shared, [], "no UUID of one run names an object of another");
  const named = runNamer({ ...report, hosts: 3, clusters: 1 });
  assert.equal(a.doc["assessment-results"].uuid, named("document"));

  const keyid = "ab".repeat(32);
  const signed = await oscalOf(t, report, { signer: keyid });
  const meta = signed.doc["assessment-results"].metadata;
  const signer = meta.parties.find((p: Doc) => propOf(p, "keyid") === keyid);
  assert.ok(signer, "the signer is a party");
  assert.deepEqual(meta["responsible-parties"].find((r: Doc) => r["role-id"] === "report-signer")["party-uuids"], [signer.uuid]);
  assert.equal(a.doc["assessment-results"].metadata.parties.some((p: Doc) => propOf(p, "keyid") !== undefined), false);
});

const HOSTILE = 'x"y\' <img src=http://127.0.0.1:9/img> ![i](http://127.0.0.1:9/md) [l](javascript:alert(1)) **b** `c` | ~~d~~ &amp; \u0001\u001b[31m \u202eRTL ü 日本';

test("hostile text: host names, outputs, the estate and waiver text break neither the schema nor the references, and never render as Markdown", async (t) => {
  const base = mapped(fixtureRunReport());
  // solo1 renamed everywhere the record names it: quotes, markup, control characters, a line break, leading space.
  const name = ` solo1 ${HOSTILE}\n# heading\n- item `;
  const report = JSON.parse(JSON.stringify(base).replaceAll('"solo1"', JSON.stringify(name))) as RunReport;
  report.estate = `\n=== ${HOSTILE}\n1. list`;
  report.hosts[1]!.snapshot.probes.hotfixes = { command: "Get-HotFix", startedAt: "2025-02-28T22:07:00+01:15", error: { kind: "access-denied", message: `denied ${HOSTILE}\n> quoted` } };
  report.hosts[0]!.snapshot.probes.os!.startedAt = "not a time";
  const w = report.results.find((r) => r.waiver !== undefined)!.waiver!;
  Object.assign(w, { id: `W ${HOSTILE}`, justification: `<script>alert(1)</script>\n# H\n1. one\n${HOSTILE}`, approver: ` Eve "<b>" ${HOSTILE} `, reference: "\u0000", expires: "2025-13-45" });
  report.waivers!.waivers[0] = { ...report.waivers!.waivers[0]!, ...w, scope: { host: name } };
  const failed = report.results.find((r) => r.status === "failed")!;
  failed.actual = `${HOSTILE}\n2. two`;
  failed.expected = "\u2028\u2029\r\n";

  const { doc, text } = await oscalOf(t, report);
  assert.deepEqual(checkOscalText(text).problems, []);
  const result = doc["assessment-results"].results[0];
  // Strings carry the text as it was, but for what a string datatype cannot hold.
  const item = result["local-definitions"]["inventory-items"].find((i: Doc) => propOf(i, "asset-id")?.includes("solo1"));
  assert.equal(propOf(item, "asset-id"), stringValue(name));
  assert.ok(propOf(item, "asset-id")!.includes('x"y\' <img src=http://127.0.0.1:9/img>'));
  const risk = result.risks[0];
  assert.equal(propOf(risk, "justification"), stringValue(w.justification));
  assert.equal(propOf(risk, "reference"), "\uFFFD", "NUL is no character XML carries");
  assert.equal(risk.deadline, undefined, "an impossible last day is no deadline");
  assert.ok(doc["assessment-results"].metadata.parties.some((p: Doc) => p.name === stringValue(w.approver)));
  const os = result.observations.find((o: Doc) => propOf(o, "probe") === "os" && o.title.endsWith("node1"));
  assert.equal(os.collected, report.hosts[0]!.snapshot.collectedAt, "a probe time OSCAL cannot carry falls back to the snapshot's");
  assert.match(os.remarks, /not a time OSCAL can carry/);

  // Every markup field, rendered by GitHub's cmark-gfm: no tag, link, image, heading, list, quote, code or emphasis.
  const cmark = findOnPath("cmark-gfm");
  if (!requireTool(t, "cmark-gfm", cmark, "apt-get install cmark-gfm")) return;
  const markup: string[] = [];
  const walk = (v: Doc, key = ""): void => {
    if (Array.isArray(v)) v.forEach((x) => walk(x, key));
    else if (v !== null && typeof v === "object") for (const [k, x] of Object.entries(v)) walk(x, k);
    else if (typeof v === "string" && ["title", "description", "remarks", "statement"].includes(key)) markup.push(v);
  };
  walk(doc);
  const ours = /\*\*(NON-COMPLIANT|COMPLIANT|UNDETERMINED)\*\*|`hostproof-unmapped`/g;
  const rendered = spawnSync(cmark!, ["-e", "table", "-e", "autolink", "-e", "tagfilter", "-e", "strikethrough"], { input: markup.map((m) => m.replace(ours, "")).join("\n\n---\n\n"), encoding: "utf8" });
  assert.equal(rendered.status, 0, rendered.stderr);
  for (const tag of ["<a ", "<img", "<script", "<code", "<del", "<em", "<strong", "<h1", "<h2", "<ol", "<ul", "<blockquote", "<table"]) assert.ok(!rendered.stdout.includes(tag), `${tag} rendered from:\n${rendered.stdout.split("\n").filter((l) => l.includes(tag.slice(1))).join("\n")}`);
});

test("the validator a line at a time (a large document's way) passes what passes whole and finds a broken member past the first", async (t) => {
  const { dir, text } = await oscalOf(t, mapped(fixtureRunReport()));
  const file = join(dir, OSCAL_FILE);
  const whole = await checkOscalFile(file);
  const lines = await checkOscalFile(file, { streaming: true });
  assert.deepEqual(lines.problems, []);
  assert.deepEqual([lines.counts.observations, lines.counts.findings], [whole.counts.observations, whole.counts.findings]);
  const findings = text.split("\n").filter((l) => l.includes('"target-id"'));
  const third = findings[2]!;
  for (const [broken, problem] of [
    [third.replace('"state":"', '"state":"un'), /findings batch: .*state/],
    [third.replace(/"observation-uuid":"[0-9a-f]{8}/, '"observation-uuid":"00000000'), /does not define/],
  ] as const) {
    writeFileSync(file, text.replace(third, broken));
    assert.match((await checkOscalFile(file, { streaming: true })).problems.join("\n"), problem);
  }
});

test("the validator fails: NIST's minimal document passes, and broken variants of it are refused", () => {
  const minimal = readFileSync(join(__dirname, "..", "fixtures", "oscal", "minimal-assessment-results.json"), "utf8");
  assert.deepEqual(checkOscalText(minimal).problems, []);
  const broken = (edit: (d: Doc) => void): string[] => {
    const d = JSON.parse(minimal) as Doc;
    edit(d);
    return checkOscalText(JSON.stringify(d)).problems;
  };
  const f = (d: Doc): Doc => d["assessment-results"].results[0].findings[0];
  assert.notDeepEqual(broken((d) => (f(d).target.status.state = "not-applicable")), []);
  assert.notDeepEqual(broken((d) => (d["assessment-results"].results[0].observations[0].collected = "2026-01-15T11:56:30")), []);
  assert.notDeepEqual(broken((d) => (f(d).target["target-id"] = "sc-3 obj")), []);
  assert.notDeepEqual(broken((d) => (f(d).uuid = "9f4e1c7b-3d2a-1b8e-a6f1-0e5c9d2b7a38")), [], "a v1 UUID");
  assert.notDeepEqual(broken((d) => (f(d).title = "two\nlines")), []);
  assert.match(broken((d) => (f(d)["related-observations"][0]["observation-uuid"] = "5d8b3e6f-1a2c-4d7e-9b0f-6c4a8e2d1f96")).join("\n"), /does not define/);
  assert.match(broken((d) => (f(d).uuid = d["assessment-results"].results[0].observations[0].uuid)).join("\n"), /defined twice/);
});
