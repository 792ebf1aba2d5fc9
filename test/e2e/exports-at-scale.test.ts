/**
 * The on-request exports of the 10,000-host bench estate (bench/generate.ts, seed 42), each read
 * back by the independent tool that reads it at the demo's size: the workbook by python3-openpyxl
 * in its streaming mode, the PDF by poppler's pdftotext. The run writes the record only; one
 * `hostproof export` derives every format from it, as a GRC pipeline would, and `verify` checks
 * the export against its export.json. What is counted is what the record says: a Findings row per
 * result that did not pass, a Matrix row per target.
 */
import { before, test } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { createReadStream } from "node:fs";
import { join } from "node:path";
import { createInterface } from "node:readline";
import { generateEstate } from "../../bench/generate";
import { requireTool } from "../helpers/require-tool";
import { ROOT, spawnCli, tempDir, type CliOutcome } from "./cli";

const HOSTS = 10_000;
const FORMATS = ["xlsx", "pdf"];

const dir = tempDir("hostproof-scale-");
const report = join(dir, "report");
const exported = join(dir, "export");
let run: CliOutcome;
let exporting: CliOutcome;
const record = { verdict: "", targets: new Set<string>(), notPassed: 0, findings: 0 };

before(async () => {
  const estate = generateEstate(join(dir, "estate"), { hosts: HOSTS, seed: 42 });
  run = spawnCli(["run", "--inventory", estate.inventoryPath, "--out", report, "--no-export", "summary-md,junit,csv,pages"]);
  exporting = spawnCli(["export", report, "--format", FORMATS.join(","), "--out", exported]);
  // summary.json holds a result per line: read it a line at a time, as the README shows.
  for await (const line of createInterface({ input: createReadStream(join(report, "summary.json")) })) {
    const verdict = /^ {2}"verdict": "([a-z-]+)"/.exec(line);
    if (verdict !== null) record.verdict = verdict[1]!;
    if (!line.startsWith('    {"controlId"')) continue;
    const r = JSON.parse(line.replace(/,$/, "")) as { status: string; target: { kind: string; name: string } };
    record.targets.add(`${r.target.kind} ${r.target.name}`);
    if (r.status !== "passed") record.notPassed++;
    if (r.status === "failed" || r.status === "undetermined") record.findings++;
  }
});

test(`the ${HOSTS.toLocaleString("en")}-host bench report exports ${FORMATS.join(", ")}, and verify checks the export`, () => {
  assert.equal(run.code, 1, run.stderr);
  assert.equal(exporting.code, 0, exporting.stderr);
  assert.ok(record.targets.size > HOSTS, "hosts and clusters were read from the record");
  const verified = spawnCli(["verify", exported]);
  assert.equal(verified.code, 0, verified.stdout + verified.stderr);
});

test("results.xlsx of 10,000 hosts: openpyxl counts a Findings row per result that did not pass and a Matrix row per target", (t) => {
  const python = "/usr/bin/python3";
  const probe = spawnSync(python, ["-c", "import openpyxl"]);
  if (!requireTool(t, "openpyxl", probe.status === 0 ? python : undefined, "apt-get install python3-openpyxl")) return;
  const read = spawnSync(python, [join(ROOT, "test", "helpers", "read-xlsx.py"), "--counts", join(exported, "results.xlsx")], { encoding: "utf8" });
  assert.equal(read.status, 0, read.stderr);
  const sheets = new Map((JSON.parse(read.stdout) as { name: string; rows: number }[]).map((s) => [s.name, s.rows]));
  assert.deepEqual([...sheets.keys()], ["Summary", "Findings", "Matrix", "Waivers", "Controls"]);
  assert.equal(sheets.get("Findings")! - 1, record.notPassed);
  assert.equal(sheets.get("Matrix")! - 1, record.targets.size);
});

test("report.pdf of 10,000 hosts: pdftotext finds the verdict and the count of findings", (t) => {
  const probe = spawnSync("pdftotext", ["-v"]);
  if (!requireTool(t, "poppler", probe.error === undefined ? "pdftotext" : undefined, "apt-get install poppler-utils")) return;
  const text = spawnSync("pdftotext", ["-raw", join(exported, "report.pdf"), "-"], { encoding: "utf8", maxBuffer: 64 << 20 });
  assert.equal(text.status, 0, text.stderr);
  const flat = text.stdout.replace(/\s+/g, " ");
  assert.ok(flat.includes(record.verdict.toUpperCase()), record.verdict);
  assert.ok(flat.includes(`${record.findings} results failed or were undetermined`), `${record.findings} findings`);
});
