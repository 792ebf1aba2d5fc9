import assert from "node:assert/strict";
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { test } from "node:test";
import type { Snapshot } from "../../src/model/snapshot";
import type { Label, TestResult } from "allure-js-commons";
import { parseEnvInfo, type Category } from "../../src/report/formats/allure/allure-sdk";
import { allureContext, buildTestResult, CLUSTER_SUITE, STANDALONE_SUITE, writeAllureResults } from "../../src/report/formats/allure/allure-results";
import { fixtureRunReport, JAPANESE_ADAPTER, JAPANESE_ERROR } from "../helpers/run-report";
import { scratch } from "./tmp";
import { mappingsOf } from "../../src/controls/mappings";

function readResults(dir: string): TestResult[] {
  return readdirSync(dir)
    .filter((f) => f.endsWith("-result.json"))
    .map((f) => JSON.parse(readFileSync(join(dir, f), "utf8")) as TestResult);
}

function find(results: TestResult[], target: string, controlId: string): TestResult {
  const r = results.find((x) => x.fullName === `${target}:${controlId}`);
  assert.ok(r, `${target}:${controlId}`);
  return r;
}

function labels(r: TestResult, name: string): string[] {
  return r.labels.filter((l: Label) => l.name === name).map((l) => l.value);
}

function param(r: TestResult, name: string): string | undefined {
  return r.parameters.find((p) => p.name === name)?.value;
}

test("writes one result per hostproof result, plus categories and environment", (t) => {
  const dir = scratch(t);
  const stats = writeAllureResults(dir, fixtureRunReport());
  const results = readResults(dir);
  assert.equal(results.length, 12);
  assert.equal(stats.results, 12);
  assert.ok(existsSync(join(dir, "categories.json")));
  assert.ok(existsSync(join(dir, "environment.properties")));
  assert.equal(readdirSync(dir).length, stats.files, "stats count every file written");
  assert.equal(new Set(results.map((r) => r.uuid)).size, 12);
});

test("labels build the Suites view cluster → host → control and carry the control's metadata", (t) => {
  const dir = scratch(t);
  writeAllureResults(dir, fixtureRunReport());
  const results = readResults(dir);

  const nic = find(results, "node1", "HP-NIC-001");
  // The target is in the name: the Categories tree shows nothing else of a result.
  assert.equal(nic.name, "HP-NIC-001 on node1: Offloads that break Hyper-V networking are disabled");
  assert.match(find(results, "wgclus", "HP-CLU-001").name ?? "", /^HP-CLU-001 on cluster wgclus: /);
  assert.deepEqual(labels(nic, "parentSuite"), ["wgclus"]);
  assert.deepEqual(labels(nic, "suite"), ["node1"]);
  assert.deepEqual(labels(nic, "subSuite"), []);
  assert.deepEqual(labels(nic, "host"), ["node1"]);
  assert.deepEqual(labels(nic, "cluster"), ["wgclus"]);
  assert.deepEqual(labels(nic, "controlId"), ["HP-NIC-001"]);
  assert.deepEqual(labels(nic, "severity"), ["critical"], "high maps to Allure critical");
  assert.deepEqual(labels(nic, "hostproofSeverity"), ["high"]);
  assert.deepEqual(labels(nic, "feature"), ["Network adapter offloads"]);
  assert.deepEqual(labels(nic, "story"), ["Offloads that break Hyper-V networking are disabled"]);
  assert.deepEqual(labels(nic, "tag"), ["@nic", "@hyper-v"]);
  assert.deepEqual(labels(nic, "epic"), [], "no epic: Behaviors groups by feature, then control");

  const cluster = find(results, "wgclus", "HP-CLU-001");
  assert.deepEqual(labels(cluster, "parentSuite"), ["wgclus"]);
  assert.deepEqual(labels(cluster, "suite"), [CLUSTER_SUITE]);

  const solo = find(results, "solo1", "HP-EOS-001");
  assert.deepEqual(labels(solo, "parentSuite"), [STANDALONE_SUITE]);
  assert.deepEqual(labels(solo, "cluster"), []);
  assert.deepEqual(labels(solo, "severity"), ["blocker"], "critical maps to Allure blocker");
  assert.deepEqual(labels(find(results, "wgclus", "HP-CLU-001"), "severity"), ["normal"]);
  assert.deepEqual(labels(find(results, "node1", "HP-UPD-001"), "severity"), ["minor"]);
});

test("status, auditor message, details trace, parameters and description", (t) => {
  const dir = scratch(t);
  writeAllureResults(dir, fixtureRunReport());
  const results = readResults(dir);

  const nic = find(results, "node1", "HP-NIC-001");
  assert.equal(nic.status, "failed");
  assert.equal(nic.stage, "finished");
  assert.equal(
    nic.statusDetails.message,
    "Expected: VMQ and RSS disabled on every adapter\nActual: *VMQ is enabled on Ethernet 2\nRule: 1 GbE adapters",
  );
  assert.match(nic.statusDetails.trace ?? "", /^Subject\s+Expected\s+Actual\s+Outcome\s+Note/);
  assert.ok(nic.statusDetails.trace?.includes(`${JAPANESE_ADAPTER} *RSS`));
  assert.deepEqual(
    nic.parameters.slice(0, 6).map((p) => [p.name, p.value]),
    [["severity", "high"], ["host", "node1"], ["cluster", "wgclus"], ["expected", "VMQ and RSS disabled on every adapter"], ["actual", "*VMQ is enabled on Ethernet 2"], ["rule", "1 GbE adapters"]],
  );
  // What changes from run to run is shown but kept out of Allure's history key.
  assert.deepEqual(nic.parameters.filter((p) => !p.excluded).map((p) => p.name), ["severity", "host", "cluster"]);
  // Host identity: the name, OS and build, and when the facts were read.
  const names = nic.parameters.map((p) => p.name);
  for (const n of ["fqdn", "os", "os build", "collected at"]) assert.ok(names.includes(n), `${n} in ${names.join(", ")}`);
  assert.equal(nic.description, undefined, "no Markdown: Allure would render text from hosts as Markdown");
  const html = nic.descriptionHtml ?? "";
  assert.match(html, /<p><b>Why it matters\.<\/b> VMQ on 1 GbE adapters drops packets/);
  assert.match(html, /<pre><code>Set-NetAdapterAdvancedProperty -Name &#39;Ethernet 2&#39; .*<\/code><\/pre>/);
  assert.match(html, /<tr><td>Ethernet 2 \*VMQ<\/td><td>0<\/td><td>1<\/td><td>deviation<\/td><td><\/td><\/tr>/);
  // A real table: a header row and one row per detail, five cells each.
  const rows = html.split("<table>")[1]!.split("<tr>").slice(1);
  assert.equal(rows[0], "<th>Subject</th><th>Expected</th><th>Actual</th><th>Outcome</th><th>Note</th></tr></thead><tbody>");
  assert.equal(rows.length, (nic.statusDetails.trace ?? "").split("\n").length - 1);
  for (const row of rows.slice(1)) assert.equal(row.split("<td>").length, 6, row);
  assert.equal(nic.start, Date.parse("2025-02-28T22:02:00.000Z"), "start is the evidence's startedAt");
  assert.equal(nic.stop, Date.parse("2025-02-28T22:02:00.000Z") + 122);

  const und = find(results, "node2", "HP-UPD-001");
  assert.equal(und.status, "broken");
  assert.ok(und.statusDetails.message?.endsWith(`\nReason (access-denied): Get-HotFix : ${JAPANESE_ERROR}`));
  assert.equal(find(results, "node1", "HP-DNS-001").status, "skipped");
  const waived = find(results, "solo1", "HP-NIC-001");
  // Waived is not "skipped" like not applicable: Allure's fifth status, its own word and colour.
  assert.equal(waived.status, "unknown");
  assert.equal(
    waived.statusDetails.message,
    "Expected: VMQ and RSS disabled on every adapter\nActual: *VMQ is enabled on Ethernet 1\n" +
      "Waived (failed): legacy NIC driver needs VMQ; replacement ordered (approved by Jane Roe, CISO; CHG-5001; expires 2025-06-30)",
  );
  assert.match(waived.statusDetails.trace ?? "", /Ethernet 1 \*VMQ\s+0\s+1\s+deviation/, "what the control found stays visible");
  assert.deepEqual(
    waived.parameters.filter((p) => /waiver|original/.test(p.name)).map((p) => [p.name, p.value]),
    [
      ["original status", "failed"],
      ["waiver justification", "legacy NIC driver needs VMQ; replacement ordered"],
      ["waiver approver", "Jane Roe, CISO"],
      ["waiver reference", "CHG-5001"],
      ["waiver expires", "2025-06-30 (end of day, UTC)"],
      ["waiver id", "RISK-77"],
    ],
  );
  assert.deepEqual(labels(waived, "waiverApprover"), ["Jane Roe, CISO"]);
  assert.deepEqual(labels(waived, "waiverId"), ["RISK-77"]);
  assert.ok(labels(waived, "tag").includes("waived"));
  assert.match(waived.descriptionHtml ?? "", /^<p><b>Waived<\/b> \(the control found: failed\)\. legacy NIC driver needs VMQ; replacement ordered<\/p><p>Approved by Jane Roe, CISO; CHG-5001; applies through 2025-06-30 \(end of day, UTC\)\./);
  assert.deepEqual(labels(nic, "waiverApprover"), [], "no waiver labels on a result that was not waived");
  assert.equal(nic.parameters.some((p) => p.name.startsWith("waiver")), false);
  assert.equal(find(results, "node1", "HP-EOS-001").status, "passed");

  const cluster = find(results, "wgclus", "HP-CLU-001");
  assert.equal(param(cluster, "host"), undefined, "cluster results have no host parameter");
  assert.equal(param(cluster, "cluster"), "wgclus");
  const na = find(results, "node1", "HP-DNS-001");
  const node1 = fixtureRunReport().hosts.find((h) => h.name === "node1")!;
  assert.equal(na.start, Date.parse(node1.snapshot.collectedAt), "no evidence: the host's collection time");
});

test("history ids are stable across runs and distinct across targets", (t) => {
  const a = readResults((() => { const d = scratch(t); writeAllureResults(d, fixtureRunReport()); return d; })());
  const report = fixtureRunReport();
  report.startedAt = "2025-04-01T10:00:00.000Z";
  const b = readResults((() => { const d = scratch(t); writeAllureResults(d, report); return d; })());
  const ids = (rs: TestResult[]): Map<string, string> => new Map(rs.map((r) => [r.fullName!, r.historyId!]));
  assert.deepEqual(ids(a), ids(b));
  assert.equal(new Set(a.map((r) => r.historyId)).size, 12);
  for (const r of a) assert.equal(r.testCaseId, r.historyId);
});

test("evidence is attached once per host, its snapshot as judged, and shared by every result citing it", (t) => {
  const dir = scratch(t);
  const stats = writeAllureResults(dir, fixtureRunReport());
  const results = readResults(dir);
  const attachmentFiles = readdirSync(dir).filter((f) => f.endsWith("-attachment.json"));
  // node1, node2 and solo1: one file each, however many of their probes results cite.
  assert.equal(attachmentFiles.length, 3);
  const citedFiles = readdirSync(dir).filter((f) => f.endsWith("-attachment.txt"));
  assert.equal(stats.attachments, 3 + citedFiles.length);
  for (const r of results) for (const a of r.attachments) assert.ok(existsSync(join(dir, a.source)), a.source);

  // First the probes the result cites, then the host's whole snapshot.
  const eos = find(results, "node1", "HP-EOS-001").attachments.slice(1);
  const upd = find(results, "node1", "HP-UPD-001").attachments.slice(1);
  assert.equal(eos.length, 1);
  assert.equal(upd.length, 1);
  assert.equal(upd[0]!.source, eos[0]!.source, "node1's one file is used by both results");
  assert.equal(eos[0]!.name, "Evidence: every probe read from node1");
  const cites = (r: TestResult): string | undefined => r.parameters.find((p) => p.name === "evidence")?.value;
  assert.equal(cites(find(results, "node1", "HP-EOS-001")), "Operating system (Win32_OperatingSystem) on node1");
  assert.match(cites(find(results, "node1", "HP-UPD-001")) ?? "", /^Operating system \(Win32_OperatingSystem\) on node1; Installed updates .* on node1$/);
  const clusterWide = find(results, "wgclus", "HP-CLU-001").attachments;
  assert.deepEqual(clusterWide.slice(1).map((a) => a.source).sort(), [eos[0]!.source, find(results, "node2", "HP-EOS-001").attachments[1]!.source].sort(), "a cluster result cites each node's file");

  // The attachment is the host's snapshot as judged: every probe's command, time and raw output or error.
  const snapshot = (r: TestResult): Snapshot => JSON.parse(readFileSync(join(dir, r.attachments[1]!.source), "utf8")) as Snapshot;
  assert.equal(eos[0]!.type, "application/json");
  const node1 = snapshot(find(results, "node1", "HP-NIC-001"));
  assert.equal(node1.host, "node1");
  const nic = node1.probes.netAdapterAdvancedProperty!;
  assert.match(nic.command, /^Get-NetAdapterAdvancedProperty -AllProperties/);
  assert.equal(nic.startedAt, "2025-02-28T22:02:00.000Z");
  assert.equal(nic.durationMs, 122);
  assert.ok(JSON.stringify(nic).includes("*VMQ") && JSON.stringify(nic).includes(JAPANESE_ADAPTER));
  const report = fixtureRunReport();
  assert.deepEqual(node1, report.hosts.find((h) => h.name === "node1")!.snapshot, "the snapshot as judged");

  const node2 = snapshot(find(results, "node2", "HP-UPD-001")).probes;
  assert.ok(node2.hotfixes !== undefined && "error" in node2.hotfixes);
  assert.equal(node2.hotfixes.error.kind, "access-denied");
  assert.match(node2.hotfixes.error.message, /^Get-HotFix : アクセスが拒否されました。/);
  assert.equal(node2.clusterQuorum, undefined, "a probe the host has no record of is simply absent");
});

test("a result's first attachment holds only the probes it cites: command, start, duration, output or error", (t) => {
  const dir = scratch(t);
  writeAllureResults(dir, fixtureRunReport());
  const results = readResults(dir);
  const text = (r: TestResult): string => readFileSync(join(dir, r.attachments[0]!.source), "utf8");
  const nic = find(results, "node1", "HP-NIC-001");
  assert.match(nic.attachments[0]!.name, /^Probes cited: .* on node1$/);
  assert.equal(nic.attachments[0]!.type, "text/plain");
  const cited = text(nic);
  assert.match(cited, /^Probe: {4}.*\[netAdapterAdvancedProperty\]\nHost: {5}node1\n/);
  assert.match(cited, /Get-NetAdapterAdvancedProperty -AllProperties/);
  assert.match(cited, /Started: {2}2025-02-28T22:02:00.000Z\nDuration: 122 ms\n\nOutput:\n/);
  assert.ok(cited.includes(JAPANESE_ADAPTER));
  assert.doesNotMatch(cited, /Win32_OperatingSystem|Get-HotFix/, "only the cited probe");
  const upd = text(find(results, "node2", "HP-UPD-001"));
  assert.match(upd, /Error \(access-denied\):\nGet-HotFix : /);
  // Two probes cited: both, one after the other.
  assert.equal((text(find(results, "node1", "HP-UPD-001")).match(/^Probe: /gm) ?? []).length, 2);
});

test("categories sort results by why they were not compliant", (t) => {
  const dir = scratch(t);
  writeAllureResults(dir, fixtureRunReport());
  const categories = JSON.parse(readFileSync(join(dir, "categories.json"), "utf8")) as Category[];
  const names = categories.map((c) => c.name);
  for (const n of ["Non-compliant", "Undetermined: access denied", "Undetermined: probe timed out", "Undetermined", "Waived", "Not applicable"]) {
    assert.ok(names.includes(n), n);
  }
  assert.ok(names.indexOf("Undetermined: access denied") < names.indexOf("Undetermined"), "specific before catch-all");

  // Allure 2 matches the whole message with Java regex; `(?s)` is JavaScript's `s` flag.
  const matcher = (c: Category): ((m: string) => boolean) => {
    if (typeof c.messageRegex !== "string") return () => true;
    const re = new RegExp(`^(?:${c.messageRegex.replace(/^\(\?s\)/, "")})$`, "s");
    return (m) => re.test(m);
  };
  const results = readResults(dir);
  const categoryOf = (r: TestResult): string | undefined =>
    categories.find((c) => (c.matchedStatuses ?? []).includes(r.status!) && matcher(c)(r.statusDetails.message ?? ""))?.name;
  assert.equal(categoryOf(find(results, "node2", "HP-UPD-001")), "Undetermined: access denied");
  assert.equal(categoryOf(find(results, "node1", "HP-NIC-001")), "Non-compliant");
  assert.equal(categoryOf(find(results, "solo1", "HP-NIC-001")), "Waived");
  assert.equal(categoryOf(find(results, "node1", "HP-DNS-001")), "Not applicable");
  assert.equal(categoryOf(find(results, "node1", "HP-EOS-001")), undefined);
});

test("environment.properties names the run", (t) => {
  const dir = scratch(t);
  writeAllureResults(dir, fixtureRunReport());
  const env = parseEnvInfo(readFileSync(join(dir, "environment.properties"), "utf8"));
  assert.deepEqual(env, {
    "hostproof.version": "0.1.0",
    estate: "demo & <lab>",
    "inventory.file": "examples/demo/inventory.yaml",
    asOf: "2025-03-01",
    tags: "not @slow",
    failOn: "high",
    waivers: "examples/demo/waivers.yaml",
  });
  const without = scratch(t);
  writeAllureResults(without, { ...fixtureRunReport(), waivers: undefined });
  assert.equal(parseEnvInfo(readFileSync(join(without, "environment.properties"), "utf8")).waivers, undefined);
});

test("a result citing no probe is placed at its target's collection time, not the run's", () => {
  const report = fixtureRunReport();
  const ctx = allureContext(report);
  const clusterResult = report.results.find((r) => r.target.kind === "cluster");
  assert.ok(clusterResult, "the fixture needs a cluster result");
  const noEvidence = { ...clusterResult, evidence: [] };
  const built = buildTestResult(noEvidence, 0, ctx);
  const nodes = report.clusters.find((c) => c.name === noEvidence.target.name)!.nodes;
  const first = Math.min(...report.hosts.filter((h) => nodes.includes(h.name)).map((h) => Date.parse(h.snapshot.collectedAt)));
  assert.equal(built.start, first);
  assert.notEqual(built.start, Date.parse(report.startedAt));
});

test("a result links its control's NIST, STIG, CCI and CIS references, typed so Allure groups them; a control without mappings has none", (t) => {
  const dir = scratch(t);
  const report = fixtureRunReport();
  const { mappings, problems } = mappingsOf(["@nist:SC-45(1).a", "@nist-ours:CM-6", "@stig:WN19-MS-000020/V-205715/CAT-II", "@cci:CCI-001084", "@cis:WS2022-v4.0.0/18.4.1", "@conflict:stig:WN22-00-000410/V-254278/CAT-II"], true);
  assert.deepEqual(problems, []);
  for (const r of report.results) if (r.control.id === "HP-NIC-001") r.control = { ...r.control, mappings };
  writeAllureResults(dir, report);
  const results = readResults(dir);
  assert.deepEqual(find(results, "node1", "HP-NIC-001").links, [
    { type: "nist", name: "NIST SP 800-53 rev5 SC-45 (1) (a)", url: "https://csrc.nist.gov/Projects/risk-management/sp800-53-controls/release-search#!/control?version=5.1&number=SC-45(1)" },
    { type: "nist", name: "NIST SP 800-53 rev5 CM-6 (hostproof's choice)", url: "https://csrc.nist.gov/Projects/risk-management/sp800-53-controls/release-search#!/control?version=5.1&number=CM-6" },
    { type: "stig", name: "DISA STIG WN19-MS-000020 (V-205715, CAT II, Windows Server 2019)", url: "https://public.cyber.mil/stigs/downloads/" },
    { type: "cci", name: "DISA CCI-001084", url: "https://public.cyber.mil/stigs/cci/" },
    { type: "cis", name: "CIS WS2022 v4.0.0 18.4.1", url: "https://www.cisecurity.org/cis-benchmarks" },
    { type: "stig", name: "contradicts DISA STIG WN22-00-000410 (V-254278, CAT II, Windows Server 2022) on purpose", url: "https://public.cyber.mil/stigs/downloads/" },
  ]);
  assert.deepEqual(find(results, "node1", "HP-DNS-001").links, []);
});
