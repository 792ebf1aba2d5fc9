/**
 * report.pdf read back by poppler's pdftotext: text the font cannot draw (Japanese from a host,
 * control characters) does not stop the PDF, the rest of the text is there; the findings are
 * bounded at PDF_FINDINGS, with the count of all of them and where the rest are; a probe's long
 * output is cut with a pointer to the kept snapshot.
 */
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { join } from "node:path";
import { test, type TestContext } from "node:test";
import type { RunReport } from "../../src/model/run";
import { digestOf } from "../../src/report/bookkeeping/digest";
import { evidenceLookup } from "../../src/report/formats/evidence-view";
import { PDF_EVIDENCE_CHARS, PDF_FILE, PDF_FINDINGS, PdfWriter } from "../../src/report/formats/pdf";
import { fixtureRunReport, JAPANESE_ERROR } from "../helpers/run-report";
import { requireTool } from "../helpers/require-tool";
import { scratch } from "./tmp";

const found = (tool: string): string | undefined => (spawnSync(tool, ["-v"]).error === undefined ? tool : undefined);

async function pdfText(t: TestContext, report: RunReport): Promise<string> {
  const file = join(scratch(t), PDF_FILE);
  const writer = new PdfWriter(file, report.startedAt);
  writer.add({ results: report.results, lookup: evidenceLookup(report), kept: (host) => ({ file: `evidence/snapshots/${host}.json`, sha256: "ab".repeat(32) }) });
  const outcome = await writer.finish({ digest: digestOf(report), environment: {} });
  assert.deepEqual(outcome, { ok: true });
  const text = spawnSync("pdftotext", ["-raw", file, "-"], { encoding: "utf8" });
  assert.equal(text.status, 0, text.stderr);
  return text.stdout.replace(/\s+/g, " ");
}

test("report.pdf: Japanese and control characters from a host are drawn or boxed, never an error; the rest reads", async (t) => {
  if (!requireTool(t, "poppler", found("pdftotext"), "apt-get install poppler-utils")) return;
  const report = fixtureRunReport();
  const i = report.results.findIndex((r) => r.status === "failed");
  report.results[i] = { ...report.results[i]!, actual: "bell\u0007 and form feed\u000c: 漢字のホスト名", details: [] };
  const text = await pdfText(t, report);
  assert.ok(text.includes(report.verdict.toUpperCase()));
  assert.ok(text.includes("bell\uFFFD and form feed\uFFFD:"), "control characters shown as U+FFFD");
  // The undetermined result's reason carries JAPANESE_ERROR: the text around it is whole.
  assert.match(text, /Get-HotFix : /);
  // DejaVu has no kana: each character is drawn (and read back) as U+FFFD, not dropped.
  assert.ok(text.includes(`Get-HotFix : ${"\uFFFD".repeat([...JAPANESE_ERROR].length - 1)}。`) || text.includes(`Get-HotFix : ${"\uFFFD".repeat([...JAPANESE_ERROR].length)}`), "Japanese shown as U+FFFD, one per character");
  assert.ok(text.includes(": \uFFFD\uFFFD\uFFFD\uFFFD\uFFFD"), "the host's CJK text, one U+FFFD per character");
});

test(`report.pdf: at most ${PDF_FINDINGS} findings, the count of all and where the rest are; long output cut with the snapshot named`, async (t) => {
  if (!requireTool(t, "poppler", found("pdftotext"), "apt-get install poppler-utils")) return;
  const report = fixtureRunReport();
  const failed = report.results.find((r) => r.status === "failed" && r.evidence.length > 0)!;
  const host = report.hosts.find((h) => h.name === failed.evidence[0]!.host)!;
  const probe = failed.evidence[0]!.probe;
  const probes = host.snapshot.probes as Record<string, { output?: unknown }>;
  probes[probe] = { ...probes[probe], output: "x".repeat(PDF_EVIDENCE_CHARS * 3) };
  const many = Array.from({ length: PDF_FINDINGS + 20 }, (_, n) => ({ ...failed, target: { ...failed.target, name: n === 0 ? failed.target.name : `${failed.target.name}-${n}` } }));
  report.results = [...report.results, ...many.slice(1)];
  const failedTotal = report.results.filter((r) => r.status === "failed").length;
  report.totals = { ...report.totals, failed: failedTotal, total: report.results.length };
  const text = await pdfText(t, report);
  const total = failedTotal + report.results.filter((r) => r.status === "undetermined").length;
  assert.match(text, new RegExp(`${total} results failed or were undetermined\\. The ${PDF_FINDINGS} below come first`));
  assert.match(text, /every one is in summary\.json, results\.csv and results\.xlsx/);
  assert.ok(text.includes(`F${PDF_FINDINGS}. `) && !text.includes(`F${PDF_FINDINGS + 1}. `), `F1 … F${PDF_FINDINGS}, no more`);
  assert.match(text, new RegExp(`cut at ${PDF_EVIDENCE_CHARS} characters; the whole record is in evidence/snapshots/${host.name}\\.json \\(SHA-256 ${"ab".repeat(32)}\\)`));
});
