/**
 * hdf.json against inspecjs, Heimdall's own HDF library: its exec-JSON checker (convertFile,
 * generated from the HDF 1.0 JSON schema) must accept the file, and its control status (what
 * Heimdall shows) must be what the mapping in src/report/formats/hdf/hdf.ts intends.
 */
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { test } from "node:test";
import { contextualizeEvaluation, convertFile, type ExecJSON } from "inspecjs";
import type { Result } from "../../src/model/result";
import type { RunReport } from "../../src/model/run";
import { collectedAt, evidenceLookup, type ResultTime } from "../../src/report/formats/evidence-view";
import { HDF_FILE, HDF_PROFILE, RAW_OUTPUT_LIMIT } from "../../src/report/formats/hdf/hdf";
import { HdfStream } from "../../src/report/formats/hdf/hdf-stream";
import { StreamFile } from "../../src/report/output/stream-file";
import { CONTROLS, fixtureRunReport, STARTED_AT } from "../helpers/run-report";
import { scratch } from "./tmp";

/** Writes a report's hdf.json through HdfStream, in slices of `sliceSize` results. */
async function writeHdf(dir: string, report: RunReport, sliceSize = report.results.length): Promise<string> {
  const lookup = evidenceLookup(report);
  const times = new Map(report.hosts.map((h) => [h.name, h.snapshot.collectedAt] as const));
  const timeOf: ResultTime = (r, views) => collectedAt(views, r.target.kind === "host" ? times.get(r.target.name) : undefined);
  const stream = new HdfStream(dir, report.startedAt);
  for (let i = 0; i < report.results.length; i += sliceSize) stream.add(report.results.slice(i, i + sliceSize), lookup, timeOf);
  const { tool, estate, inventoryFile, startedAt, finishedAt, asOf, failOn, tags, verdict, exitCode, totals, controls } = report;
  await stream.finish(new StreamFile(join(dir, HDF_FILE)), { tool, estate, inventoryFile, startedAt, finishedAt, asOf, failOn, tags, verdict, exitCode, totals, controls });
  return readFileSync(join(dir, HDF_FILE), "utf8");
}

/** inspecjs' own reading of the file; fails the test with its error when it does not accept it. */
function parse(text: string): ExecJSON.Execution {
  const converted = convertFile(text, true);
  assert.equal(converted.errors?.["1_0_ExecJson"], undefined, String(converted.errors?.["1_0_ExecJson"]));
  const exec = converted["1_0_ExecJson"];
  assert.ok(exec, "inspecjs did not read the file as exec JSON");
  return exec;
}

function heimdallStatus(exec: ExecJSON.Execution): Record<string, { status: string; severity: string; waived: boolean }> {
  const out: Record<string, { status: string; severity: string; waived: boolean }> = {};
  for (const profile of contextualizeEvaluation(exec).contains) {
    for (const c of profile.contains) out[c.data.id] = { status: c.hdf.status, severity: c.hdf.severity, waived: c.hdf.waived };
  }
  return out;
}

function control(exec: ExecJSON.Execution, id: string): ExecJSON.Control {
  const found = exec.profiles.flatMap((p) => p.controls).find((c) => c.id === id);
  assert.ok(found, id);
  return found;
}

test("hdf.json is exec JSON as inspecjs reads it: one profile, a group per feature, a control per ID, a result per target", async (t) => {
  const exec = parse(await writeHdf(scratch(t), fixtureRunReport()));
  // One profile: the SAF CLI counts a document's first profile only (hdf.ts: HDF_PROFILE). Its
  // title is text to Heimdall (File Info shows `&amp;` as typed), so it is not escaped.
  assert.deepEqual(
    exec.profiles.map((p) => [p.name, p.title, p.controls.map((c) => c.id)]),
    [[HDF_PROFILE, "hostproof controls on demo & <lab>", Object.values(CONTROLS).map((c) => c.id)]],
  );
  assert.deepEqual(
    exec.profiles[0]!.groups.map((g) => [g.id, g.title, g.controls]),
    Object.values(CONTROLS).map((c) => [c.feature, c.featureName, [c.id]]),
  );
  assert.equal(exec.version, "0.1.0");
  assert.ok(exec.profiles.every((p) => p.version === "0.1.0" && /^[0-9a-f]{64}$/.test(p.sha256)));
  assert.deepEqual(
    control(exec, "HP-NIC-001").results.map((r) => r.resource_id),
    ["node1", "node2", "solo1"],
  );
  assert.equal(exec.profiles.flatMap((p) => p.controls).flatMap((c) => c.results).length, 12);
});

test("Heimdall's status of each control follows from its results: error outranks failed, waived and not applicable are skipped", async (t) => {
  const exec = parse(await writeHdf(scratch(t), fixtureRunReport()));
  assert.deepEqual(heimdallStatus(exec), {
    // node1 failed, node2 passed, solo1's failure waived: the unwaived failure still shows.
    "HP-NIC-001": { status: "Failed", severity: "high", waived: false },
    "HP-EOS-001": { status: "Failed", severity: "critical", waived: false },
    // Two nodes not applicable, solo1 passed: the control is in scope, so it keeps its impact.
    "HP-DNS-001": { status: "Passed", severity: "medium", waived: false },
    // node2's installed updates could not be read: undetermined is HDF's error.
    "HP-UPD-001": { status: "Profile Error", severity: "low", waived: false },
    "HP-CLU-001": { status: "Failed", severity: "medium", waived: false },
  });
  assert.deepEqual(
    exec.profiles.flatMap((p) => p.controls).map((c) => [c.id, c.impact]),
    [["HP-NIC-001", 0.7], ["HP-EOS-001", 0.9], ["HP-DNS-001", 0.5], ["HP-UPD-001", 0.3], ["HP-CLU-001", 0.5]],
  );
  assert.deepEqual(
    control(exec, "HP-NIC-001").results.map((r) => r.status),
    ["failed", "passed", "skipped"],
  );
  assert.deepEqual(control(exec, "HP-UPD-001").results.map((r) => r.status), ["passed", "error"]);
  assert.deepEqual(exec.statistics.controls, { passed: { total: 5 }, failed: { total: 3 }, skipped: { total: 3 }, error: { total: 1 } });
});

test("a control no target is in scope for has impact 0, which Heimdall shows as Not Applicable", async (t) => {
  const report = fixtureRunReport();
  report.results = report.results.map((r): Result => (r.control.id === "HP-DNS-001" && r.target.name === "solo1" ? { ...r, status: "notApplicable", reason: { kind: "not-applicable", message: "solo1 is not a node" } } : r));
  const exec = parse(await writeHdf(scratch(t), report));
  const dns = control(exec, "HP-DNS-001");
  assert.equal(dns.impact, 0);
  assert.deepEqual(dns.results.map((r) => [r.status, r.skip_message]), [
    ["skipped", "Not applicable (not-applicable): workgroup cluster nodes need no domain suffix"],
    ["skipped", "Not applicable (not-applicable): workgroup cluster nodes need no domain suffix"],
    ["skipped", "Not applicable (not-applicable): solo1 is not a node"],
  ]);
  assert.equal(heimdallStatus(exec)["HP-DNS-001"]!.status, "Not Applicable");
  // The severity is still hostproof's: Heimdall reads tags.severity before the impact.
  assert.equal(dns.tags.severity, "medium");
});

test("waivers: waiver_data on the control names each waiver; skipped_due_to_waiver only when waivers account for every result in scope", async (t) => {
  const exec = parse(await writeHdf(scratch(t), fixtureRunReport()));
  const nic = control(exec, "HP-NIC-001");
  assert.deepEqual(nic.waiver_data, {
    justification: "legacy NIC driver needs VMQ; replacement ordered",
    expiration_date: "2025-06-30",
    run: true,
    skipped_due_to_waiver: false,
    message: "1 of 3 results waived: RISK-77 (HP-NIC-001 on host solo1) waived 1 failed (approved by Jane Roe, CISO; CHG-5001; expires 2025-06-30)",
  });
  const solo1 = nic.results.find((r) => r.resource_id === "solo1")!;
  assert.equal(solo1.skip_message, "Waived (failed): legacy NIC driver needs VMQ; replacement ordered (approved by Jane Roe, CISO; CHG-5001; expires 2025-06-30)");
  assert.match(solo1.message ?? "", /^Expected: VMQ and RSS disabled on every adapter\nActual: \*VMQ is enabled on Ethernet 1/);
  assert.equal(control(exec, "HP-EOS-001").waiver_data, undefined);

  // Every result of the control waived (two waivers, different expiries): the control is waived.
  const report = fixtureRunReport();
  const waiver = (index: number, expires: string, host: string): NonNullable<Result["waiver"]> => ({
    id: `W-${index}`,
    controlId: "HP-EOS-001",
    scope: { host },
    justification: `migration ${index}`,
    approver: "Jane Roe",
    reference: `CHG-${index}`,
    expires,
    index,
    runControl: true,
    originalStatus: "failed",
  });
  let n = 0;
  report.results = report.results.map((r): Result => {
    if (r.control.id !== "HP-EOS-001") return r;
    n += 1;
    return { ...r, status: "waived", waiver: waiver(n % 2, n % 2 === 0 ? "2025-09-01" : "2025-04-01", r.target.name) };
  });
  const all = parse(await writeHdf(scratch(t), report));
  const eos = control(all, "HP-EOS-001");
  assert.equal(eos.waiver_data?.skipped_due_to_waiver, true);
  assert.equal(eos.waiver_data?.expiration_date, "2025-04-01", "the earliest expiry: the day the control first loses a waiver");
  assert.equal(eos.waiver_data?.justification, "W-0 (HP-EOS-001 on host node2): migration 0; W-1 (HP-EOS-001 on host node1): migration 1");
  assert.deepEqual(heimdallStatus(all)["HP-EOS-001"], { status: "Not Applicable", severity: "critical", waived: true });
});

test("each result: the target and probe command as code_desc, expected, actual and raw output as message, the probe's time as start_time", async (t) => {
  const exec = parse(await writeHdf(scratch(t), fixtureRunReport()));
  const [node1] = control(exec, "HP-NIC-001").results;
  assert.ok(node1);
  assert.match(node1.code_desc, /^host node1 \(cluster wgclus\): Get-NetAdapterAdvancedProperty /);
  assert.equal(node1.start_time, "2025-02-28T22:02:00.000Z");
  assert.equal(node1.run_time, 0.122);
  assert.equal(node1.resource, "netAdapterAdvancedProperty");
  const message = node1.message ?? "";
  assert.match(message, /^Expected: VMQ and RSS disabled on every adapter\nActual: \*VMQ is enabled on Ethernet 2\nRule: 1 GbE adapters/);
  assert.match(message, /Ethernet 2 \*VMQ +0 +1 +deviation/);
  assert.ok(message.includes(`output: [{"Name":"Ethernet 2","DisplayName":"Virtual Machine Queues"`), message);
  assert.ok(message.includes("イーサネット 2"), "text outside ASCII is kept as is");

  // A probe that failed: its error is the raw output; a missing record says so.
  const [, node2Updates] = control(exec, "HP-UPD-001").results;
  assert.match(node2Updates?.message ?? "", /error \(access-denied\): Get-HotFix : アクセスが拒否されました。/);
  assert.equal(node2Updates?.start_time, "2025-02-28T22:05:00.000Z", "the earliest of the probes it cites");
  const [cluster] = control(exec, "HP-CLU-001").results;
  assert.match(cluster?.message ?? "", /not collected: the host's snapshot holds no record of this probe/);

  // A result citing no probe: the host's collection time; the control's title stands in for a command.
  const [node1Dns] = control(exec, "HP-DNS-001").results;
  assert.equal(node1Dns?.start_time, "2025-02-28T22:00:00.000Z");
  assert.equal(node1Dns?.code_desc, "host node1 (cluster wgclus): A primary DNS suffix is set");
});

test("a cluster result citing no probe is placed at the run's start", async (t) => {
  const report = fixtureRunReport();
  report.results = report.results.map((r): Result => (r.target.kind === "cluster" ? { ...r, evidence: [] } : r));
  const exec = parse(await writeHdf(scratch(t), report));
  assert.equal(control(exec, "HP-CLU-001").results[0]?.start_time, STARTED_AT);
});

test("a long raw output is cut, and the message says where the whole output is", async (t) => {
  const report = fixtureRunReport();
  const node1 = report.hosts.find((h) => h.name === "node1")!;
  const record = node1.snapshot.probes.netAdapterAdvancedProperty!;
  node1.snapshot.probes.netAdapterAdvancedProperty = { ...record, output: Array.from({ length: 200 }, (_, i) => ({ Name: `Ethernet ${i}`, RegistryKeyword: "*VMQ", RegistryValue: ["1"] })) };
  const exec = parse(await writeHdf(scratch(t), report));
  const message = control(exec, "HP-NIC-001").results[0]?.message ?? "";
  const cut = /output \(first 4096 of (\d+) characters; the whole output is in evidence\/snapshots\/ under node1\): (.*)$/m.exec(message);
  assert.ok(cut, message.slice(0, 500));
  assert.ok(Number(cut[1]) > RAW_OUTPUT_LIMIT);
  assert.equal(cut[2]!.length, RAW_OUTPUT_LIMIT);
});

test("written in slices, the file is the same as written at once: each control's results are spooled in order", async (t) => {
  const report = fixtureRunReport();
  const whole = await writeHdf(scratch(t), report);
  const dir = scratch(t);
  assert.equal(await writeHdf(dir, report, 2), whole);
  assert.equal(await writeHdf(dir, report, 1), whole);
});

test("the run's verdict, as-of day and estate travel in passthrough; platform and statistics are set", async (t) => {
  const exec = parse(await writeHdf(scratch(t), fixtureRunReport())) as ExecJSON.Execution & { passthrough?: { hostproof?: Record<string, unknown> } };
  assert.deepEqual(exec.platform, { name: "windows", release: "estate", target_id: "demo & <lab>" });
  assert.equal(exec.statistics.duration, 2.5);
  const run = exec.passthrough?.hostproof;
  assert.equal(run?.verdict, "non-compliant");
  assert.equal(run?.exitCode, 1);
  assert.equal(run?.asOf, "2025-03-01");
  assert.equal(run?.estate, "demo & <lab>");
  assert.equal(run?.failOn, "high");
});

test("inspecjs' checker can fail: a status HDF does not have, or an impact that is not a number, is refused", async (t) => {
  const text = await writeHdf(scratch(t), fixtureRunReport());
  for (const broken of [text.replace('"status":"passed"', '"status":"waived"'), text.replace('"impact":0.7', '"impact":"high"')]) {
    assert.notEqual(broken, text);
    assert.notEqual(convertFile(broken, true).errors?.["1_0_ExecJson"], undefined);
  }
});

test("a control with no result at all (no target of its kind) is listed, not applicable", async (t) => {
  const report = fixtureRunReport();
  report.results = report.results.filter((r) => r.target.kind !== "cluster");
  const dir = scratch(t);
  const exec = parse(await writeHdf(dir, report));
  const clu = control(exec, "HP-CLU-001");
  assert.deepEqual([clu.impact, clu.results.length], [0, 0]);
  assert.equal(heimdallStatus(exec)["HP-CLU-001"]!.status, "Not Applicable");
});
