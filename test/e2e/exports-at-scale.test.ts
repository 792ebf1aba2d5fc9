/**
 * The on-request exports of the 10,000-host bench estate (bench/generate.ts, seed 42), each read
 * back by the independent tool that reads it at the demo's size: the workbook by python3-openpyxl
 * in its streaming mode, the PDF by poppler's pdftotext, the OSCAL document by ajv against NIST's
 * schema (a line at a time: it is over 500 MB), the checklists by the SAF CLI (`ckl2hdf` on one,
 * its parser in one process on a sample of 1 in 25, since ckl2hdf takes 2 s a file). The run writes the record only; one
 * `hostproof export` derives every format from it, as a GRC pipeline would, and `verify` checks
 * the export against its export.json. What is counted is what the record says: a Findings row per
 * result that did not pass, a Matrix row per target.
 */
import { before, test } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { createReadStream, existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { createInterface } from "node:readline";
import { generateEstate } from "../../bench/generate";
import { CKL_DIR, CKL_INDEX_FILE, type CklIndexEntry } from "../../src/report/formats/ckl/ckl";
import { OSCAL_FILE } from "../../src/report/formats/oscal/oscal-stream";
import { checkOscalFile } from "../helpers/oscal-validate";
import { requireTool } from "../helpers/require-tool";
import { SAF_HINT, safChecklistParser, safPath } from "../helpers/saf";
import { ROOT, readJson, spawnCli, tempDir, type CliOutcome } from "./cli";

const HOSTS = 10_000;
const FORMATS = ["xlsx", "pdf", "oscal", "ckl"];
/** Every 25th checklist is read back in-process: about 400 of 10,000. */
const CKL_SAMPLE = 25;

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
  // summary.json holds a result per line: read it a line at a time, as docs/reports.md shows.
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

test("oscal-assessment-results.json of 10,000 hosts: valid against NIST's OSCAL 1.2.3 schema, every reference resolved, an inventory item per host", async () => {
  const check = await checkOscalFile(join(exported, OSCAL_FILE));
  assert.deepEqual(check.problems, []);
  assert.equal(check.counts["inventory-items"], HOSTS);
  assert.ok((check.counts.findings ?? 0) >= record.targets.size, "a finding per result at least");
});

test("ckl/ of 10,000 hosts: a checklist or a reason per host; ckl2hdf reads one, the SAF CLI's parser a sample, each VULN's status as the index counts it", (t) => {
  const saf = safPath();
  if (!requireTool(t, "saf", saf, SAF_HINT)) return;
  const index = readJson<{ hosts: CklIndexEntry[]; checklists: number; hostsWithoutChecklist: number }>(join(exported, CKL_INDEX_FILE));
  assert.equal(index.hosts.length, HOSTS);
  assert.equal(index.checklists + index.hostsWithoutChecklist, HOSTS);
  const files = index.hosts.filter((h): h is Extract<CklIndexEntry, { file: string }> => h.file !== null);
  assert.ok(files.length > HOSTS * 0.9, `${files.length} checklists`);

  const scratch = tempDir("hostproof-scale-ckl2hdf-");
  const converted = spawnSync(saf, ["convert", "ckl2hdf", "-i", join(exported, CKL_DIR, files[0]!.file), "-o", join(scratch, "out.json")], { encoding: "utf8", cwd: scratch });
  // ckl2hdf exits 0 on a checklist it cannot read: the file it writes is the proof.
  assert.ok(existsSync(join(scratch, "out.json")), converted.stdout + converted.stderr);

  const read = safChecklistParser(saf);
  const statusRead = (impact: number, status: string | undefined): string => (impact === 0 ? "Not_Applicable" : status === "passed" ? "NotAFinding" : status === "failed" ? "Open" : "Not_Reviewed");
  for (let i = 0; i < files.length; i += CKL_SAMPLE) {
    const entry = files[i]!;
    const controls = read(readFileSync(join(exported, CKL_DIR, entry.file), "utf8")).profiles.flatMap((p) => p.controls);
    const counts = { Open: 0, Not_Reviewed: 0, NotAFinding: 0, Not_Applicable: 0 } as Record<string, number>;
    for (const c of controls) counts[statusRead(c.impact, c.results[0]?.status)]! += 1;
    assert.deepEqual(counts, { Open: entry.Open, Not_Reviewed: entry.Not_Reviewed, NotAFinding: entry.NotAFinding, Not_Applicable: entry.Not_Applicable }, entry.file);
  }
});
