/**
 * results.csv read back with a real CSV parser (csv-parse), as a spreadsheet import would:
 * quoting survives quotes, commas and newlines, and every cell that a spreadsheet would take as a
 * formula (OWASP's list: = + - @ tab CR) comes back with the leading single quote that defuses it.
 */
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { test } from "node:test";
import { parse } from "csv-parse/sync";
import type { Result } from "../../src/model/result";
import type { RunReport } from "../../src/model/run";
import { CSV_COLUMNS, CSV_FILE, CsvStream } from "../../src/report/formats/csv";
import { evidenceLookup, resultWindow } from "../../src/report/formats/evidence-view";
import { StreamFile } from "../../src/report/output/stream-file";
import { fixtureRunReport } from "../helpers/run-report";
import { scratch } from "./tmp";

function writeCsv(dir: string, report: RunReport, sliceSize = report.results.length): Buffer {
  const lookup = evidenceLookup(report);
  const windowOf = resultWindow(report.hosts, report.clusters);
  const stream = new CsvStream(new StreamFile(join(dir, CSV_FILE)));
  for (let i = 0; i < report.results.length; i += sliceSize) stream.add(report.results.slice(i, i + sliceSize), lookup, windowOf);
  stream.finish();
  return readFileSync(join(dir, CSV_FILE));
}

function rows(data: Buffer): string[][] {
  return parse(data, { bom: true, relax_column_count: false }) as string[][];
}

test("results.csv: a header and one row per result, with the columns an auditor filters on", (t) => {
  const data = writeCsv(scratch(t), fixtureRunReport());
  assert.deepEqual([...data.subarray(0, 3)], [0xef, 0xbb, 0xbf], "a UTF-8 byte-order mark, so that Excel reads UTF-8");
  assert.ok(data.toString("utf8").includes("\r\n"), "RFC 4180 line ends");
  const [header, ...body] = rows(data);
  assert.deepEqual(header, [...CSV_COLUMNS]);
  assert.equal(body.length, 12);
  const byKey = new Map(body.map((r) => [`${r[0]}|${r[1]}|${r[2]}`, r]));
  const cell = (key: string, column: (typeof CSV_COLUMNS)[number]): string | undefined => byKey.get(key)?.[CSV_COLUMNS.indexOf(column)];
  assert.deepEqual(byKey.get("node1|wgclus|HP-NIC-001"), [
    "node1",
    "wgclus",
    "HP-NIC-001",
    "Offloads that break Hyper-V networking are disabled",
    "high",
    "failed",
    "VMQ and RSS disabled on every adapter",
    "*VMQ is enabled on Ethernet 2",
    "",
    "",
    "",
    "",
    "",
    "",
    "2025-02-28T22:02:00.000Z",
    "2025-02-28T22:02:00.000Z",
    "CM-6 (ours)",
    "WN19-MS-000020 V-205715 CAT II",
    "CCI-001084",
    "WS2022 v4.0.0 18.4.1",
    "",
    // directory: a host's row leaves it empty.
    "",
  ]);
  // A cluster's own result: no host, the cluster's name.
  assert.deepEqual(byKey.get("|wgclus|HP-CLU-001")?.slice(0, 6), ["", "wgclus", "HP-CLU-001", "The cluster witness type is supported", "medium", "failed"]);
  assert.equal(cell("|wgclus|HP-CLU-001", "conflicts"), "STIG WN22-MS-000020 V-254429 CAT II");
  // Not applicable, citing no probe: the host's collection time.
  assert.equal(cell("node1|wgclus|HP-DNS-001", "collected from"), "2025-02-28T22:00:00.000Z");
  assert.equal(cell("node1|wgclus|HP-DNS-001", "collected to"), "2025-02-28T22:00:00.000Z");
});

test("results.csv: a waived row names its waiver in a column each, with the status it would have had; no other row does", (t) => {
  const [header, ...body] = rows(writeCsv(scratch(t), fixtureRunReport()));
  const at = (name: string): number => header!.indexOf(name);
  const waiverColumns = ["waiver id", "waiver justification", "waiver approver", "waiver reference", "waiver expires", "original status"];
  for (const name of waiverColumns) assert.ok(at(name) >= 0, `a '${name}' column`);
  const waived = body.filter((r) => r[at("status")] === "waived");
  assert.equal(waived.length, 1);
  assert.deepEqual(
    waiverColumns.map((name) => waived[0]![at(name)]),
    ["RISK-77", "legacy NIC driver needs VMQ; replacement ordered", "Jane Roe, CISO", "CHG-5001", "2025-06-30", "failed"],
  );
  for (const row of body.filter((r) => r[at("status")] !== "waived")) assert.deepEqual(waiverColumns.map((name) => row[at(name)]), waiverColumns.map(() => ""), row.join("|"));
  // A waiver without an id is named by its place in the file; an undetermined result waived keeps that.
  const report = fixtureRunReport();
  const template = report.results.find((r) => r.waiver !== undefined)!;
  report.results = [{ ...template, waiver: { ...template.waiver!, id: undefined, index: 3, originalStatus: "undetermined" } }];
  const [, row] = rows(writeCsv(scratch(t), report));
  assert.deepEqual([row![at("waiver id")], row![at("original status")]], ["waivers[3]", "undetermined"]);
});

test("results.csv: a cluster row's collection time is its nodes' window, earliest to latest collectedAt", (t) => {
  const report = fixtureRunReport();
  const node2 = report.hosts.find((h) => h.name === "node2")!;
  node2.snapshot = { ...node2.snapshot, collectedAt: "2025-02-28T22:04:00.000Z" };
  const [header, ...body] = rows(writeCsv(scratch(t), report));
  const clusterRows = body.filter((r) => r[0] === "" && r[1] === "wgclus");
  assert.ok(clusterRows.length > 0);
  for (const row of clusterRows) {
    assert.deepEqual([row[header!.indexOf("collected from")], row[header!.indexOf("collected to")]], ["2025-02-28T22:00:00.000Z", "2025-02-28T22:04:00.000Z"], row.join("|"));
  }
  // A host row keeps its own time: the probes it cites (both starts the same here), not its cluster's.
  const node1 = body.find((r) => r[0] === "node1" && r[2] === "HP-NIC-001")!;
  assert.equal(node1[header!.indexOf("collected to")], "2025-02-28T22:02:00.000Z");
});

test("quotes, commas and newlines round-trip; formula-leading cells get a leading quote (OWASP CSV injection)", (t) => {
  const report = fixtureRunReport();
  const hostile = [
    'say "hi", then go',
    "line one\nline two\r\nline three",
    "=HYPERLINK(\"http://evil.example\",\"click\")",
    "+1+1",
    "-2+3",
    "@SUM(A1:A2)",
    "\t=1+1",
    "\r=1+1",
    "＝1+1",
    "plain, with = inside",
  ];
  const template = report.results[0]!;
  report.results = hostile.map((text, i): Result => ({ ...template, target: { kind: "host", name: `h${i}` }, expected: text, actual: text, waiver: undefined, status: "failed" }));
  const [, ...body] = rows(writeCsv(scratch(t), report));
  const formula = /^[=+\-@\t\r\uFF1D\uFF0B\uFF0D\uFF20]/;
  assert.deepEqual(
    body.map((r) => r[6]),
    hostile.map((text) => (formula.test(text) ? `'${text}` : text)),
  );
  assert.deepEqual(body.map((r) => r[7]), body.map((r) => r[6]));
  // Not one cell that a spreadsheet would evaluate.
  for (const row of body) for (const cell of row) assert.doesNotMatch(cell, formula, JSON.stringify(cell));
});

test("waiver text is hostile too: every waiver column is defused like any other cell", (t) => {
  const report = fixtureRunReport();
  const template = report.results.find((r) => r.waiver !== undefined)!;
  const hostile = ["=HYPERLINK(\"http://evil.example\",\"x\")", "+cmd", "-1+1", "@SUM(A1)", "\t=1", "\r=1"];
  report.results = hostile.map((text, i): Result => ({
    ...template,
    target: { kind: "host", name: `h${i}` },
    waiver: { ...template.waiver!, id: text, justification: text, approver: text, reference: text, expires: text },
  }));
  const [header, ...body] = rows(writeCsv(scratch(t), report));
  const formula = /^[=+\-@\t\r\uFF1D\uFF0B\uFF0D\uFF20]/;
  for (const name of ["waiver id", "waiver justification", "waiver approver", "waiver reference", "waiver expires"]) {
    assert.deepEqual(body.map((r) => r[header!.indexOf(name)]), hostile.map((text) => `'${text}`), name);
  }
  for (const row of body) for (const cell of row) assert.doesNotMatch(cell, formula, JSON.stringify(cell));
});

test("a host name read from the estate cannot smuggle a formula either", (t) => {
  const report = fixtureRunReport();
  report.results = [{ ...report.results[0]!, target: { kind: "host", name: "=cmd|' /C calc'!A0", cluster: "@evil" } }];
  const [, row] = rows(writeCsv(scratch(t), report));
  assert.deepEqual(row?.slice(0, 2), ["'=cmd|' /C calc'!A0", "'@evil"]);
});

test("written in slices, the file is the same as written at once", (t) => {
  const report = fixtureRunReport();
  const whole = writeCsv(scratch(t), report);
  assert.ok(writeCsv(scratch(t), report, 5).equals(whole));
});
