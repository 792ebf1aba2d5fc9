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
import { collectedAt, evidenceLookup, type ResultTime } from "../../src/report/formats/evidence-view";
import { StreamFile } from "../../src/report/output/stream-file";
import { fixtureRunReport } from "../helpers/run-report";
import { scratch } from "./tmp";

function writeCsv(dir: string, report: RunReport, sliceSize = report.results.length): Buffer {
  const lookup = evidenceLookup(report);
  const times = new Map(report.hosts.map((h) => [h.name, h.snapshot.collectedAt] as const));
  const timeOf: ResultTime = (r, views) => collectedAt(views, r.target.kind === "host" ? times.get(r.target.name) : undefined);
  const stream = new CsvStream(new StreamFile(join(dir, CSV_FILE)));
  for (let i = 0; i < report.results.length; i += sliceSize) stream.add(report.results.slice(i, i + sliceSize), lookup, timeOf);
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
    "2025-02-28T22:02:00.000Z",
  ]);
  // The waived result names its waiver: id, justification and expiry.
  assert.equal(byKey.get("solo1||HP-NIC-001")?.[5], "waived");
  assert.equal(byKey.get("solo1||HP-NIC-001")?.[8], "RISK-77: legacy NIC driver needs VMQ; replacement ordered (expires 2025-06-30)");
  // A cluster's own result: no host, the cluster's name.
  assert.deepEqual(byKey.get("|wgclus|HP-CLU-001")?.slice(0, 6), ["", "wgclus", "HP-CLU-001", "The cluster witness type is supported", "medium", "failed"]);
  // Not applicable, citing no probe: the host's collection time.
  assert.equal(byKey.get("node1|wgclus|HP-DNS-001")?.[9], "2025-02-28T22:00:00.000Z");
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
