/**
 * results.xlsx and report.pdf from a real run of the demo (the real CLI, `run --export xlsx,pdf`),
 * then exported again from the report: the same bytes, read back by independent tools. The PDF by
 * poppler (pdftotext finds the verdict and every finding, pdftoppm draws page 1 into test-output/
 * to be looked at), the workbook by python3-openpyxl (a Findings row per result that did not pass).
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import type { Summary } from "../../src/report/formats/summary";
import { targetTitle } from "../../src/report/text";
import { requireTool } from "../helpers/require-tool";
import { opensslKey } from "../sign/keytools";
import { AS_OF, DEMO, ROOT, readJson, spawnCli, tempDir } from "./cli";

const dir = tempDir();
const out = join(dir, "run");
const derived = join(dir, "export");
const run = spawnCli(["run", "--inventory", DEMO, "--waivers", join(ROOT, "examples", "demo", "waivers.yaml"), "--out", out, "--as-of", AS_OF, "--no-html", "--export", "xlsx,pdf"]);
const exported = spawnCli(["export", out, "--format", "xlsx,pdf", "--out", derived]);
const summary = existsSync(join(out, "summary.json")) ? readJson<Summary>(join(out, "summary.json")) : undefined;

const found = (tool: string): string | undefined => (spawnSync(tool, ["-v"]).error === undefined ? tool : undefined);

test("run --export xlsx,pdf writes both, and export derives the same bytes from the report", () => {
  assert.equal(run.code, 1, run.stderr);
  assert.equal(exported.code, 0, exported.stderr);
  for (const file of ["results.xlsx", "report.pdf"]) {
    assert.ok(statSync(join(out, file)).size > 0, file);
    assert.ok(readFileSync(join(out, file)).equals(readFileSync(join(derived, file))), `${file}: the export differs from what the run wrote`);
  }
});

test("report.pdf: pdftotext finds the verdict and every finding of the demo; pdftoppm draws page 1", (t) => {
  if (!requireTool(t, "poppler", found("pdftotext"), "apt-get install poppler-utils")) return;
  assert.ok(summary);
  const text = spawnSync("pdftotext", ["-raw", join(out, "report.pdf"), "-"], { encoding: "utf8" });
  assert.equal(text.status, 0, text.stderr);
  // Lines wrap where the page ends: compare with the whitespace folded.
  const flat = text.stdout.replace(/\s+/g, " ");
  assert.ok(flat.includes(summary.verdict.toUpperCase()), "the verdict");
  const findings = summary.results.filter((r) => r.status === "failed" || r.status === "undetermined");
  assert.ok(findings.length > 0);
  for (const r of findings) {
    const target = targetTitle(r.target);
    const heading = new RegExp(`\\] ${r.controlId} [^\\[\\]]*?target: ${target.replace(/[()]/g, "\\$&")} status: ${r.status}`);
    assert.match(flat, heading, `${r.controlId} on ${target}`);
  }
  assert.match(flat, new RegExp(`${findings.length} results failed or were undetermined`));
  assert.match(flat, /Evidence appendix/);
  // The controls section carries each control's framework references, the conflict included.
  assert.match(flat, /HP-UAC-001 [^\[]*?NIST SP 800-53: SC-3 DISA STIG: WN16-MS-000020 \(V-225008, CAT II, Windows Server 2016\)/);
  assert.match(flat, /HP-CLU-005 [^\[]*?contradicts on purpose: DISA STIG WN16-MS-000020/);

  const shots = join(ROOT, "test-output");
  mkdirSync(shots, { recursive: true });
  const png = spawnSync("pdftoppm", ["-png", "-r", "60", "-f", "1", "-l", "1", "-singlefile", join(out, "report.pdf"), join(shots, "report-pdf-page1")], { encoding: "utf8" });
  assert.equal(png.status, 0, png.stderr);
  assert.ok(statSync(join(shots, "report-pdf-page1.png")).size > 1000);
});

test("results.xlsx of the demo: openpyxl reads a Findings row per result that did not pass", (t) => {
  const python = "/usr/bin/python3";
  if (!requireTool(t, "openpyxl", existsSync(python) && spawnSync(python, ["-c", "import openpyxl"]).status === 0 ? python : undefined, "apt-get install python3-openpyxl")) return;
  assert.ok(summary);
  const read = spawnSync(python, [join(ROOT, "test", "helpers", "read-xlsx.py"), join(out, "results.xlsx")], { encoding: "utf8", maxBuffer: 64 << 20 });
  assert.equal(read.status, 0, read.stderr);
  const sheets = JSON.parse(read.stdout) as { name: string; rows: { v: unknown }[][] }[];
  assert.deepEqual(sheets.map((s) => s.name), ["Summary", "Findings", "Matrix", "Waivers", "Controls"]);
  assert.equal(sheets[1]!.rows.length - 1, summary.results.filter((r) => r.status !== "passed").length);
  // A Matrix row per host, cluster and the directory.
  assert.equal(sheets[2]!.rows.length - 1, summary.hosts.length + summary.clusters.length + 1);
});

test("report.pdf of a signed run names the signer's keyid on its cover, and its export (which reads the signature) is the same bytes", (t) => {
  if (!requireTool(t, "poppler", found("pdftotext"), "apt-get install poppler-utils")) return;
  const key = opensslKey(dir, "signer.pem");
  const signed = join(dir, "signed");
  const res = spawnCli(["run", "--inventory", DEMO, "--out", signed, "--as-of", AS_OF, "--no-html", "--no-history", "--export", "pdf", "--sign-key", key]);
  assert.equal(res.code, 1, res.stderr);
  const keyid = /Signed by keyid ([0-9a-f]{64})/.exec(res.stdout)?.[1];
  assert.ok(keyid, res.stdout);
  const again = join(dir, "signed-export");
  assert.equal(spawnCli(["export", signed, "--format", "pdf", "--out", again]).code, 0);
  assert.ok(readFileSync(join(signed, "report.pdf")).equals(readFileSync(join(again, "report.pdf"))));
  const cover = spawnSync("pdftotext", ["-l", "1", join(signed, "report.pdf"), "-"], { encoding: "utf8" }).stdout.replace(/\s+/g, " ");
  assert.match(cover, new RegExp(`signed: by keyid ${keyid}`));
  // The unsigned demo's says so.
  const unsigned = spawnSync("pdftotext", ["-l", "1", join(out, "report.pdf"), "-"], { encoding: "utf8" }).stdout.replace(/\s+/g, " ");
  assert.match(unsigned, /signed: no/);
});
