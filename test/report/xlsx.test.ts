/**
 * results.xlsx read back by an independent reader, Debian's python3-openpyxl: the five sheets, a
 * frozen header and an autofilter on each list, fills by status in the matrix, a Findings row per
 * result that did not pass, the split past the row limit said on Summary, and hostile text
 * (= + - @, control characters) kept as text, never a formula.
 */
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import { join } from "node:path";
import { test, type TestContext } from "node:test";
import type { RunReport } from "../../src/model/run";
import { digestOf } from "../../src/report/bookkeeping/digest";
import { evidenceLookup, resultWindow } from "../../src/report/formats/evidence-view";
import { findingText } from "../../src/report/finding";
import { FINDING_COLUMNS, XLSX_FILE, XlsxWriter } from "../../src/report/formats/xlsx";
import { MAPPING_COLUMNS, NO_MAPPINGS, mappingTexts } from "../../src/model/mapping";
import { fixtureRunReport } from "../helpers/run-report";
import { requireTool } from "../helpers/require-tool";
import { ROOT } from "../e2e/cli";
import { scratch } from "./tmp";

const PYTHON = "/usr/bin/python3";
const READER = join(ROOT, "test", "helpers", "read-xlsx.py");

interface Cell {
  v: string | number | null;
  t: string;
  fill: string | null;
}
interface Sheet {
  name: string;
  freeze: string | null;
  filter: string | null;
  rows: Cell[][];
}

function hasOpenpyxl(): string | undefined {
  return existsSync(PYTHON) && spawnSync(PYTHON, ["-c", "import openpyxl"]).status === 0 ? PYTHON : undefined;
}

/** The workbook of `report`, in slices of `slice` results, read back by openpyxl. */
async function workbook(t: TestContext, report: RunReport, options: { maxRows?: number; slice?: number } = {}): Promise<Map<string, Sheet>> {
  const file = join(scratch(t), XLSX_FILE);
  const writer = new XlsxWriter(file, report.startedAt, options.maxRows);
  const lookup = evidenceLookup(report);
  const windowOf = resultWindow(report.hosts, report.clusters);
  const size = options.slice ?? report.results.length;
  for (let i = 0; i < report.results.length; i += size) writer.add({ results: report.results.slice(i, i + size), lookup, windowOf });
  await writer.finish({ digest: digestOf(report), environment: { "run.by": "auditor@host" } });
  const read = spawnSync(PYTHON, [READER, file], { encoding: "utf8", maxBuffer: 64 << 20 });
  assert.equal(read.status, 0, read.stderr);
  return new Map((JSON.parse(read.stdout) as Sheet[]).map((s) => [s.name, s]));
}

const values = (row: Cell[] | undefined): (string | number | null)[] => (row ?? []).map((c) => c.v);

test("results.xlsx: Summary, Findings, Matrix, Waivers and Controls, as openpyxl reads them", async (t) => {
  if (!requireTool(t, "openpyxl", hasOpenpyxl(), "apt-get install python3-openpyxl")) return;
  const report = fixtureRunReport();
  const sheets = await workbook(t, report);
  assert.deepEqual([...sheets.keys()], ["Summary", "Findings", "Matrix", "Waivers", "Controls"]);

  const summary = sheets.get("Summary")!;
  const fact = (label: string): string | number | null | undefined => summary.rows.find((r) => r[0]?.v === label)?.[1]?.v;
  assert.equal(fact("verdict"), `${report.verdict.toUpperCase()} (exit code ${report.exitCode}; fails on ${report.failOn})`);
  assert.equal(fact("run by"), "auditor@host");
  assert.match(String(fact("scope")), /^3 hosts, 1 clusters, \d+ controls$/);
  // Counts per severity: numbers, adding up to the run's totals.
  const head = summary.rows.findIndex((r) => r[0]?.v === "severity");
  const counts = summary.rows.slice(head + 1, head + 5);
  assert.deepEqual(counts.map((r) => r[0]!.v), ["critical", "high", "medium", "low"]);
  assert.equal(counts.flatMap((r) => r.slice(1).map((c) => c.v as number)).reduce((a, b) => a + b, 0), report.results.length);
  assert.equal(counts.reduce((a, r) => a + (r[1]!.v as number), 0), report.totals.failed);

  for (const name of ["Findings", "Matrix", "Waivers", "Controls"]) {
    const s = sheets.get(name)!;
    assert.equal(s.freeze, "A2", `${name}: header row frozen`);
    assert.match(s.filter ?? "", /^A1:[A-Z]+1$/, `${name}: an autofilter on the header`);
  }
  const findings = sheets.get("Findings")!;
  assert.deepEqual(values(findings.rows[0]), [...FINDING_COLUMNS]);
  assert.equal(findings.rows.length - 1, report.results.filter((r) => r.status !== "passed").length);
  const nic = findings.rows.find((r) => r[0]?.v === "node1" && r[2]?.v === "HP-NIC-001")!;
  assert.equal(nic[5]!.v, "failed");
  assert.equal(nic[5]!.fill, "FFFFC7CE", "a failed status cell is red");
  const nicResult = report.results.find((r) => r.target.name === "node1" && r.control.id === "HP-NIC-001")!;
  assert.equal(nic[6]!.v, findingText(nicResult), "found first, then expected");

  // Matrix: a row per target, a column per control, each cell filled by its status.
  const matrix = sheets.get("Matrix")!;
  const ids = matrix.rows[0]!.slice(1).map((c) => c.v);
  const node1 = matrix.rows.find((r) => r[0]?.v === "node1 (wgclus)")!;
  const fills: Record<string, string> = { passed: "FFC6EFCE", failed: "FFFFC7CE", undetermined: "FFFFEB9C", "not applicable": "FFD9D9D9", waived: "FFBDD7EE" };
  for (const r of report.results.filter((x) => x.target.kind === "host" && x.target.name === "node1")) {
    const cell = node1[ids.indexOf(r.control.id) + 1]!;
    assert.equal(cell.fill, fills[String(cell.v)], `${r.control.id}: ${String(cell.v)}`);
  }
  assert.ok(matrix.rows.some((r) => r[0]?.v === "cluster wgclus"));

  const waivers = sheets.get("Waivers")!;
  assert.equal(waivers.rows.length - 1, report.waivers?.waivers.length ?? 0);
  const controls = sheets.get("Controls")!;
  assert.deepEqual(values(controls.rows[0]), ["id", "title", "severity", "feature", "origin", "rationale", "remediation", "nist", "stig", "cci", "cis", "conflicts"]);
  // Each control's mapping columns are what the CSV carries for it: one text, two readers.
  assert.ok(report.controls.some((c) => (c.mappings?.conflicts.length ?? 0) > 0 && c.mappings!.nist.length > 0), "the fixture maps its controls");
  for (const c of report.controls) {
    const row = controls.rows.find((r) => r[0]?.v === c.id)!;
    const m = mappingTexts(c.mappings ?? NO_MAPPINGS);
    assert.deepEqual(row.slice(7).map((x) => x?.v ?? ""), MAPPING_COLUMNS.map((k) => m[k]), c.id);
  }
  const nicControl = controls.rows.find((r) => r[0]?.v === "HP-NIC-001")!;
  assert.equal(nicControl[6]!.v, "Set-NetAdapterAdvancedProperty -Name 'Ethernet 2' -RegistryKeyword '*VMQ' -RegistryValue 0");
});

test("results.xlsx: text from a host that looks like a formula stays text, and characters XML cannot hold do not break the file", async (t) => {
  if (!requireTool(t, "openpyxl", hasOpenpyxl(), "apt-get install python3-openpyxl")) return;
  const report = fixtureRunReport();
  const hostile = ["=HYPERLINK(\"http://evil.example/\",\"click\")", "+1+1", "-2+3", "@SUM(A1:A2)", "=1+1\u0001\u001f"];
  const notPassed = report.results.flatMap((r, i) => (r.status !== "passed" ? [i] : []));
  assert.ok(notPassed.length >= hostile.length);
  hostile.forEach((text, n) => {
    const i = notPassed[n]!;
    report.results[i] = { ...report.results[i]!, actual: text, expected: text, details: [] };
  });
  const sheets = await workbook(t, report);
  const cells = [...sheets.values()].flatMap((s) => s.rows.flat());
  assert.equal(cells.filter((c) => c.t === "f").length, 0, "no formula anywhere");
  const findings = sheets.get("Findings")!;
  const expected = findings.rows.slice(1).map((r) => r[FINDING_COLUMNS.indexOf("expected")]!);
  for (const text of hostile.slice(0, 4)) {
    const cell = expected.find((c) => c.v === text);
    assert.ok(cell, `${text} written as it was`);
    assert.equal(cell.t, "s", `${text} is a string`);
  }
  assert.ok(expected.some((c) => c.v === "=1+1\uFFFD\uFFFD"), "control characters become U+FFFD");
});

test("results.xlsx: past the row limit Findings continues in Findings 2, with the header again, and Summary says so", async (t) => {
  if (!requireTool(t, "openpyxl", hasOpenpyxl(), "apt-get install python3-openpyxl")) return;
  const report = fixtureRunReport();
  const notPassed = report.results.filter((r) => r.status !== "passed").length;
  const sheets = await workbook(t, report, { maxRows: 4, slice: 2 });
  const parts = [...sheets.keys()].filter((n) => n.startsWith("Findings"));
  assert.deepEqual(parts, ["Findings", "Findings 2", "Findings 3"].slice(0, Math.ceil(notPassed / 3)));
  assert.equal(parts.reduce((a, n) => a + sheets.get(n)!.rows.length - 1, 0), notPassed);
  for (const n of parts) {
    assert.deepEqual(values(sheets.get(n)!.rows[0]), [...FINDING_COLUMNS]);
    assert.equal(sheets.get(n)!.freeze, "A2");
  }
  const split = sheets.get("Summary")!.rows.find((r) => r[0]?.v === "split");
  assert.match(String(split?.[1]?.v), new RegExp(`Findings is in ${parts.join(", ")}`));
});
