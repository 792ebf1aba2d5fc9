/**
 * hdf.json and results.csv from a real run of the demo with its waivers (the real CLI process):
 * both are written, agree with summary.json, are covered by the evidence manifest, and hdf.json
 * is accepted by MITRE's own tools: inspecjs here, and the SAF CLI's hdf2csv and hdf2ckl where
 * the SAF CLI is installed (HOSTPROOF_SAF: the path of its `saf` command; see docs/reports.md for why
 * it is not a dependency).
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { appendFileSync, existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { parse } from "csv-parse/sync";
import { contextualizeEvaluation, convertFile } from "inspecjs";
import { verifyReport } from "../../src/evidence/manifest";
import { CSV_COLUMNS } from "../../src/report/formats/csv";
import type { Summary } from "../../src/report/formats/summary";
import { requireTool } from "../helpers/require-tool";
import { safPath } from "../helpers/saf";
import { AS_OF, DEMO, ROOT, readJson, spawnCli, tempDir } from "./cli";

const out = join(tempDir(), "reports");
const run = spawnCli(["run", "--inventory", DEMO, "--waivers", join(ROOT, "examples", "demo", "waivers.yaml"), "--out", out, "--as-of", AS_OF, "--no-html"]);
const summary = existsSync(join(out, "summary.json")) ? readJson<Summary>(join(out, "summary.json")) : undefined;

test("the demo's hdf.json is exec JSON to inspecjs, with a result for every result of summary.json", () => {
  assert.equal(run.code, 1, run.stderr);
  assert.ok(summary);
  const converted = convertFile(readFileSync(join(out, "hdf.json"), "utf8"), true);
  assert.equal(converted.errors?.["1_0_ExecJson"], undefined, String(converted.errors?.["1_0_ExecJson"]));
  const exec = converted["1_0_ExecJson"]!;
  const controls = exec.profiles.flatMap((p) => p.controls);
  assert.deepEqual(controls.map((c) => c.id).sort(), summary.controls.map((c) => c.id).sort());
  assert.equal(controls.flatMap((c) => c.results).length, summary.totals.total);
  // One profile, a group per feature file of the run.
  assert.deepEqual(exec.profiles.map((p) => p.name), ["hostproof"]);
  assert.deepEqual(exec.profiles[0]!.groups.map((g) => g.id).sort(), [...new Set(summary.controls.map((c) => c.feature))].sort());

  const status = new Map(contextualizeEvaluation(exec).contains.flatMap((p) => p.contains).map((c) => [c.data.id, c.hdf] as const));
  // HP-CLU-004 is waived on both clusters (an attestation): the whole control is waived.
  assert.equal(status.get("HP-CLU-004")?.waived, true);
  const clu004 = controls.find((c) => c.id === "HP-CLU-004")!;
  assert.equal(clu004.waiver_data?.expiration_date, "2027-06-30");
  assert.equal(clu004.waiver_data?.skipped_due_to_waiver, true);
  // HP-EOS-003 is waived on app2016 only: the waiver is recorded, the control's own status stands.
  const eos003 = controls.find((c) => c.id === "HP-EOS-003")!;
  assert.equal(eos003.waiver_data?.skipped_due_to_waiver, false);
  assert.match(eos003.waiver_data?.message ?? "", /WVR-2026-019 \(HP-EOS-003 on host app2016\) waived 1 failed/);
  assert.equal(status.get("HP-EOS-001")?.status, "Failed");
});

test("the demo's results.csv has a row per result, statuses as in summary.json", () => {
  assert.ok(summary);
  const [header, ...rows] = parse(readFileSync(join(out, "results.csv")), { bom: true }) as string[][];
  assert.deepEqual(header, [...CSV_COLUMNS]);
  assert.equal(rows.length, summary.totals.total);
  const count = (s: string): number => rows.filter((r) => r[5] === s).length;
  assert.deepEqual(
    { passed: count("passed"), failed: count("failed"), undetermined: count("undetermined"), notApplicable: count("notApplicable"), waived: count("waived") },
    { passed: summary.totals.passed, failed: summary.totals.failed, undetermined: summary.totals.undetermined, notApplicable: summary.totals.notApplicable, waived: summary.totals.waived },
  );
});

test("the demo's results.csv: each row names its control's NIST, STIG, CCI and CIS references, and the rules it contradicts", () => {
  const [header, ...rows] = parse(readFileSync(join(out, "results.csv")), { bom: true }) as string[][];
  const row = (host: string, control: string): Record<string, string> => Object.fromEntries(header!.map((h, i) => [h, rows.find((r) => r[0] === host && r[2] === control)![i]!]));
  const uac = row("md-node1", "HP-UAC-001");
  assert.equal(uac.nist, "SC-3");
  assert.equal(uac.stig, "WN16-MS-000020 V-225008 CAT II; WN19-MS-000020 V-205715 CAT II; WN22-MS-000020 V-254429 CAT II; WN25-MS-000020 V-278178 CAT II");
  assert.equal(uac.cci, "CCI-001084");
  assert.equal(uac.cis, "WS2019 v4.0.0 18.4.1; WS2022 v4.0.0 18.4.1");
  assert.match(uac.actual!, /open finding against STIG/);
  const clu = row("md-node1", "HP-CLU-005");
  assert.equal(clu.nist, "CM-6 (ours)");
  assert.match(clu.conflicts!, /^STIG WN16-MS-000020 V-225008 CAT II; STIG WN19-MS-000020 V-205715 CAT II; .*CIS WS2022 v4\.0\.0 18\.4\.1$/);
});

test("the demo's results.csv: each waived row carries its waiver's id, justification, approver, reference, expiry and original status", () => {
  assert.ok(summary);
  const [header, ...rows] = parse(readFileSync(join(out, "results.csv")), { bom: true }) as string[][];
  const cell = (row: string[], name: string): string => {
    assert.ok(header!.includes(name), `a '${name}' column`);
    return row[header!.indexOf(name)]!;
  };
  const key = (host: string, cluster: string, control: string): string => `${host}|${cluster}|${control}`;
  const byKey = new Map(rows.map((r) => [key(cell(r, "host"), cell(r, "cluster"), cell(r, "control")), r] as const));
  const waived = summary.results.filter((r) => r.waiver !== undefined);
  assert.equal(waived.length, summary.totals.waived);
  assert.ok(waived.length > 0);
  for (const r of waived) {
    const row = byKey.get(key(r.target.kind === "host" ? r.target.name : "", r.target.cluster ?? "", r.controlId));
    assert.ok(row, `${r.target.name} ${r.controlId}`);
    const w = r.waiver!;
    assert.deepEqual(
      ["waiver id", "waiver justification", "waiver approver", "waiver reference", "waiver expires", "original status"].map((n) => cell(row, n)),
      [w.id ?? `waivers[${w.index}]`, w.justification, w.approver, w.reference, w.expires, w.originalStatus],
    );
  }
  const app2016 = byKey.get(key("app2016", "", "HP-EOS-003"));
  assert.ok(app2016);
  assert.deepEqual([cell(app2016, "waiver id"), cell(app2016, "waiver approver"), cell(app2016, "original status")], ["WVR-2026-019", "Priya Raman, Application Owner (ERP)", "failed"]);
  for (const row of rows.filter((r) => cell(r, "status") !== "waived")) assert.equal(cell(row, "waiver id") + cell(row, "original status"), "");
});

test("the demo's results.csv: a cluster row's collection time is its nodes' window from summary.json", () => {
  assert.ok(summary);
  const [header, ...rows] = parse(readFileSync(join(out, "results.csv")), { bom: true }) as string[][];
  const col = (name: string): number => {
    assert.ok(header!.includes(name), `a '${name}' column`);
    return header!.indexOf(name);
  };
  const [host, cluster, from, to] = [col("host"), col("cluster"), col("collected from"), col("collected to")];
  for (const c of summary.clusters) {
    const times = summary.hosts.filter((h) => c.nodes.includes(h.name)).map((h) => h.collectedAt).sort((a, b) => Date.parse(a) - Date.parse(b));
    assert.ok(times.length > 1 && times[0] !== times.at(-1), `${c.name}: its nodes were read one after another`);
    const own = rows.filter((r) => r[host] === "" && r[cluster] === c.name);
    assert.ok(own.length > 0, c.name);
    for (const r of own) assert.deepEqual([r[from], r[to]], [times[0], times.at(-1)], `${c.name} ${r[col("control")]}`);
  }
  // Every row has a time: a host row's own probes' (or its snapshot's), in order.
  for (const r of rows) assert.ok(r[from] !== "" && Date.parse(r[from]!) <= Date.parse(r[to]!), r.join("|"));
});

test("both files are in the evidence manifest, and a changed byte in either is reported", async () => {
  const manifest = readJson<{ covers: string[]; files: { path: string }[] }>(join(out, "evidence", "manifest.json"));
  for (const f of ["hdf.json", "results.csv"]) {
    assert.ok(manifest.covers.includes(f), f);
    assert.ok(manifest.files.some((e) => e.path === f), f);
  }
  assert.equal((await verifyReport(out)).ok, true);
  assert.match(run.stdout, /summary\.json, summary\.md, junit\.xml, hdf\.json, results\.csv,/);
  // No spool is left behind.
  assert.deepEqual((await verifyReport(out)).problems, []);
  appendFileSync(join(out, "results.csv"), "x");
  assert.deepEqual((await verifyReport(out)).problems.map((p) => [p.kind, p.path]), [["modified", "results.csv"]]);
});

test("the SAF CLI converts hostproof's hdf.json: hdf2csv and hdf2ckl, one row and one checklist item per control", (t) => {
  const saf = safPath();
  if (!requireTool(t, "saf", saf, "set HOSTPROOF_SAF to the SAF CLI's saf command (npm i @mitre/saf in a folder of its own; see docs/reports.md)")) return;
  const dir = tempDir("hostproof-saf-");
  const csv = spawnSync(saf, ["convert", "hdf2csv", "-i", join(out, "hdf.json"), "-o", join(dir, "saf.csv")], { encoding: "utf8" });
  assert.equal(csv.status, 0, csv.stderr + csv.stdout);
  const [header, ...rows] = parse(readFileSync(join(dir, "saf.csv")), { bom: true, relax_column_count: true }) as string[][];
  assert.ok(header?.includes("Status"), String(header));
  assert.equal(rows.length, summary!.controls.length);
  const status = header!.indexOf("Status");
  const id = header!.indexOf("ID");
  assert.equal(rows.find((r) => r[id] === "HP-EOS-001")?.[status], "Failed");
  // The control's framework tags reach MITRE's tools: the CCI column (hdf2csv writes its NIST
  // column into the CCI one and then overwrites it, so only the CCIs show), the checklist's STIG
  // rule and CCI, and Heimdall's NIST chart.
  assert.equal(rows.find((r) => r[id] === "HP-UAC-001")?.[header!.indexOf("CCI IDs")], "CCI-001084");

  const ckl = spawnSync(saf, ["convert", "hdf2ckl", "-i", join(out, "hdf.json"), "-o", join(dir, "saf.ckl")], { encoding: "utf8" });
  assert.equal(ckl.status, 0, ckl.stderr + ckl.stdout);
  assert.equal((readFileSync(join(dir, "saf.ckl"), "utf8").match(/<VULN>/g) ?? []).length, summary!.controls.length);
  const vuln = readFileSync(join(dir, "saf.ckl"), "utf8").split("<VULN>").find((v) => /<ATTRIBUTE_DATA>HP-PS2-001<\/ATTRIBUTE_DATA>/.test(v)) ?? "";
  assert.match(vuln, /<VULN_ATTRIBUTE>Rule_Ver<\/VULN_ATTRIBUTE>\s*<ATTRIBUTE_DATA>WN16-00-000420, WN19-00-000410, WN22-00-000410, WN25-00-000410<\/ATTRIBUTE_DATA>/);
  assert.match(vuln, /<VULN_ATTRIBUTE>CCI_REF<\/VULN_ATTRIBUTE>\s*<ATTRIBUTE_DATA>CCI-000381<\/ATTRIBUTE_DATA>/);
  // A pipeline gate on the file counts every control: the SAF CLI reads a document's first profile
  // only, so the controls must all be in it. The demo's controls that Heimdall shows as failed:
  const exec = convertFile(readFileSync(join(out, "hdf.json"), "utf8"), true)["1_0_ExecJson"]!;
  const failed = contextualizeEvaluation(exec).contains.flatMap((p) => p.contains).filter((c) => c.hdf.status === "Failed").length;
  const uac = contextualizeEvaluation(exec).contains.flatMap((p) => p.contains).find((c) => c.data.id === "HP-UAC-001");
  assert.deepEqual(uac?.hdf.rawNistTags, ["SC-3"]);
  assert.ok(failed > 1);
  const gate = (max: number): number | null => spawnSync(saf, ["validate", "threshold", "-i", join(out, "hdf.json"), "-I", `{failed.total.max: ${max}}`], { encoding: "utf8" }).status;
  assert.equal(gate(failed), 0);
  assert.equal(gate(failed - 1), 1, `saf validate threshold counted fewer than the ${failed} failed controls`);
  const sum = spawnSync(saf, ["view", "summary", "-i", join(out, "hdf.json"), "-f", "json", "-s"], { encoding: "utf8" });
  assert.equal(sum.status, 0, sum.stderr);
  const [counted] = JSON.parse(sum.stdout) as { failed: { total: number } }[];
  assert.equal(counted!.failed.total, failed);
});
