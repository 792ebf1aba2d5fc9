import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { test } from "node:test";
import { ALL_ROWS_UP_TO, MAX_FAILURES, MAX_ROWS, mdText, renderSummaryMarkdown, SUMMARY_MD_FILE, writeSummaryMarkdown } from "../../src/report/formats/summary-md";
import { driftBetween } from "../../src/report/bookkeeping/drift";
import { fixtureRunReport, largeRunReport } from "../helpers/run-report";
import { scratch } from "./tmp";

const tableRows = (md: string): string[] => md.split("\n").filter((l) => l.startsWith("| ") && !l.startsWith("| target"));

test("a small estate: verdict, totals, every row (hosts, then clusters), a cell per status, the findings by severity", () => {
  const md = renderSummaryMarkdown(fixtureRunReport());
  assert.match(md, /^## hostproof: demo &amp; &lt;lab&gt;\n/);
  assert.match(md, /\*\*Verdict: ❌ NON-COMPLIANT\*\* \(fail on high or above; exit code 1\) · as of 2025-03-01/);
  assert.match(md, /\*\*Results:\*\* ✅ 5 passed · ❌ 3 failed · ❔ 1 undetermined · ➖ 2 not applicable · W 1 waived \(12 total; 3 hosts, 1 cluster, 5 controls\)/);
  assert.match(md, /^\| target \| HP-NIC-001 \| HP-EOS-001 \| HP-DNS-001 \| HP-UPD-001 \| HP-CLU-001 \|$/m);
  assert.deepEqual(tableRows(md), [
    "| node1 (wgclus) | ❌ | ✅ | ➖ | ✅ |   |",
    "| node2 (wgclus) | ✅ | ✅ | ➖ | ❔ |   |",
    "| solo1 | W | ❌ | ✅ |   |   |",
    "| cluster wgclus |   |   |   |   | ❌ |",
  ]);
  const findings = md.slice(md.indexOf("### Findings (most severe first)")).split("\n").filter((l) => l.startsWith("- "));
  assert.deepEqual(findings, [
    "- ❌ **critical** · solo1 · HP-EOS-001: Windows Server 2012 R2: extended support ended 2023-10-10; expected supported until at least 2025-05-30",
    "- ❌ **high** · node1 · HP-NIC-001: Ethernet 2 \\*VMQ: 1; expected 0",
    "- ❌ **medium** · cluster wgclus · HP-CLU-001: node1: File Share Witness; expected Cloud Witness or Physical Disk",
    "- ❔ **low** · node2 · HP-UPD-001: access-denied: Get-HotFix : アクセスが拒否されました。",
  ]);
  assert.doesNotMatch(md, /not shown/);
});

test("over 50 hosts only rows with something other than passed or not applicable are drawn, the rest counted", () => {
  const report = largeRunReport(ALL_ROWS_UP_TO + 20);
  const md = renderSummaryMarkdown(report);
  const rows = tableRows(md);
  // Every 7th host fails HP-NIC-001 and every 11th is undetermined for HP-UPD-001.
  const notClean = Array.from({ length: 70 }, (_, i) => i + 1).filter((i) => i % 7 === 0 || i % 11 === 0).length;
  assert.equal(rows.length, notClean);
  assert.ok(rows.every((r) => r.includes("❌") || r.includes("❔")));
  assert.match(md, new RegExp(`_${70 - notClean} rows of 70 not shown: every result there passed or was not applicable\\._`));
  // 50 hosts: all rows.
  assert.equal(tableRows(renderSummaryMarkdown(largeRunReport(ALL_ROWS_UP_TO))).length, ALL_ROWS_UP_TO);
});

test("10,000 hosts stay small enough for a GitHub job summary: capped rows and failures, counts of the rest", () => {
  const md = renderSummaryMarkdown(largeRunReport(10_000));
  assert.ok(Buffer.byteLength(md) < 64 * 1024, `${Buffer.byteLength(md)} bytes`);
  assert.equal(tableRows(md).length, MAX_ROWS);
  assert.match(md, /_7,792 rows of 10,000 not shown/);
  assert.match(md, /_2,008 more rows with failed, undetermined or waived results not shown/);
  // 1,428 failed and 909 undetermined: the first 20 by severity, then control, then host.
  assert.match(md, new RegExp(`### Findings \\(the first ${MAX_FAILURES} of 2,337, most severe first\\)`));
  assert.match(md, /- … and 2,317 more: see summary\.json or the Allure report\./);
});

test("text from hosts cannot inject Markdown or HTML", () => {
  assert.equal(mdText("a|b <img src=x onerror=alert(1)> [link](http://x) *em* `c` ~s~ \\ & _u_\nnext"), "a\\|b &lt;img src=x onerror=alert(1)&gt; \\[link\\](http\\://x) \\*em\\* \\`c\\` \\~s\\~ \\\\ &amp; \\_u\\_ ⏎ next");
  const report = fixtureRunReport();
  report.results[0]!.details = [{ subject: "NIC | <b>", expected: "0", actual: "1\n| forged | row |", outcome: "deviation" }];
  const md = renderSummaryMarkdown(report);
  assert.doesNotMatch(md, /<b>/);
  assert.match(md, /NIC \\\| &lt;b&gt;: 1 ⏎ \\\| forged \\\| row \\\|; expected 0/);
});

test("no results: said so, no empty table", () => {
  const report = fixtureRunReport();
  report.results = [];
  const md = renderSummaryMarkdown(report);
  assert.match(md, /No results: no control applied/);
  assert.doesNotMatch(md, /\| target/);
  assert.doesNotMatch(md, /### Findings/);
});

test("writeSummaryMarkdown writes summary.md", (t) => {
  const dir = scratch(t);
  const path = writeSummaryMarkdown(dir, fixtureRunReport());
  assert.equal(path, join(dir, SUMMARY_MD_FILE));
  assert.equal(readFileSync(path, "utf8"), renderSummaryMarkdown(fixtureRunReport()));
});

test("with drift: a 'since the previous run' section, newly failing listed", () => {
  const report = fixtureRunReport();
  const previous = { startedAt: "2025-02-28T10:00:00.000Z", results: [{ controlId: "HP-NIC-001", target: { kind: "host" as const, name: "node1" }, status: "notApplicable" }] };
  const md = renderSummaryMarkdown(report, driftBetween(previous, report.results));
  assert.match(md, /### Since the previous run \(2025-02-28T10:00:00\.000Z\)\n\n❌ 3 newly failing · ✅ 0 fixed · ❔ 0 newly undetermined · 2 new hosts · 0 gone/);
  assert.match(md, /- ❌ \*\*node1\*\* HP-NIC-001 \(was not applicable\)/);
  assert.match(md, /- ❌ \*\*solo1\*\* HP-EOS-001 \(no result before\)/);
  assert.ok(md.indexOf("### Since") < md.indexOf("| target"), "drift comes before the matrix");
  assert.match(renderSummaryMarkdown(report, driftBetween({ results: [] }, [])), /### Since the previous run\n\nNo change\./);
  assert.doesNotMatch(renderSummaryMarkdown(report, driftBetween(undefined, report.results)), /### Since/);
});
