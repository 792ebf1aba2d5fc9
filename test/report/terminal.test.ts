import assert from "node:assert/strict";
import { test } from "node:test";
import { displayWidth, formatTerminalSummary } from "../../src/report/terminal";
import { fixtureRunReport, JAPANESE_ERROR, largeRunReport } from "../helpers/run-report";

const ANSI = /\u001b\[[0-9;]*m/;

test("draws the host × control matrix, legend, totals, findings and verdict", () => {
  const text = formatTerminalSummary(fixtureRunReport(), { color: false });
  const lines = text.split("\n");
  assert.doesNotMatch(text, ANSI);
  assert.match(lines[0]!, /^hostproof 0\.1\.0 · demo & <lab> · 3 hosts, 1 cluster, 5 controls · as of 2025-03-01$/);

  // Staircase header: one control ID per line, in the run's order.
  const header = ["HP-NIC-001", "HP-EOS-001", "HP-DNS-001", "HP-UPD-001", "HP-CLU-001"];
  header.forEach((id, i) => assert.ok(lines[2 + i]!.endsWith(`${"│ ".repeat(i)}${id}`), lines[2 + i]));
  assert.ok(lines.includes("node1 (wgclus)  ✘ ✔ – ✔"));
  assert.ok(lines.includes("node2 (wgclus)  ✔ ✔ – ?"));
  assert.ok(lines.includes("solo1           W ✘ ✔"), "blank cell where no result");
  assert.ok(lines.includes("cluster wgclus          ✘"), "cluster row after hosts, only its column");
  assert.ok(lines.indexOf("cluster wgclus          ✘") > lines.indexOf("solo1           W ✘ ✔"));

  assert.ok(text.includes("✔ passed   ✘ failed   ? undetermined   – not applicable   W waived   (blank) not checked"));
  assert.ok(lines.includes("Results: 5 passed, 3 failed, 1 undetermined, 2 not applicable, 1 waived (12 total)"));

  const findings = lines.filter((l) => /^[✘?] /.test(l));
  assert.deepEqual(
    findings.map((l) => l.split(/\s+/).slice(0, 3).join(" ")),
    ["✘ solo1 HP-EOS-001", "✘ node1 HP-NIC-001", "✘ cluster wgclus", "? node2 HP-UPD-001"],
    "failed by severity first, then undetermined",
  );
  assert.ok(findings[1]!.endsWith("HP-NIC-001  Ethernet 2 *VMQ: 1"));
  assert.ok(findings[3]!.endsWith(`access-denied: Get-HotFix : ${JAPANESE_ERROR}`));
  assert.equal(lines.at(-2), "Verdict: NON-COMPLIANT (fail on high or above; exit code 1)");
});

test("colours only when asked", () => {
  const text = formatTerminalSummary(fixtureRunReport(), { color: true });
  assert.match(text, /\u001b\[31m✘\u001b\[0m/);
  assert.match(text, /\u001b\[32m✔\u001b\[0m/);
  assert.equal(text.replace(new RegExp(ANSI.source, "g"), ""), formatTerminalSummary(fixtureRunReport(), { color: false }));
});

test("maxRows caps the finding lines and says how many were left out", () => {
  const text = formatTerminalSummary(fixtureRunReport(), { color: false, maxRows: 1 });
  assert.equal(text.split("\n").filter((l) => /^[✘?] /.test(l)).length, 1);
  assert.match(text, /… and 3 more: see summary\.json or the Allure report\./);
});

test("large estates show only rows needing attention and count the rest", () => {
  // 100 hosts: every 7th fails, every 11th is undetermined (77 is both) → 22 rows shown.
  const text = formatTerminalSummary(largeRunReport(100), { color: false });
  const rows = text.split("\n").filter((l) => /^host\d{5}\s/.test(l));
  assert.equal(rows.length, 22);
  assert.ok(rows.every((r) => /[✘?]/.test(r)));
  assert.match(text, /… 78 of 100 rows not shown: nothing failed or undetermined there\./);

  const huge = formatTerminalSummary(largeRunReport(1000), { color: false });
  assert.equal(huge.split("\n").filter((l) => /^host\d{5}\s/.test(l)).length, 40);
  assert.match(huge, /… 780 of 1000 rows not shown/);
  assert.match(huge, /… 180 more rows with failed or undetermined results: see summary\.json\./);
  assert.match(huge, /1,000 hosts, 0 clusters, 3 controls/);
});

test("an empty run still reads as intentional", () => {
  const report = { ...fixtureRunReport(), results: [], verdict: "compliant" as const, exitCode: 0 as const };
  const text = formatTerminalSummary(report, { color: false });
  assert.match(text, /No results: no control applied to any host in this run\./);
  assert.match(text, /Results: 0 passed, 0 failed, 0 undetermined, 0 not applicable, 0 waived \(0 total\)/);
  assert.match(text, /Verdict: COMPLIANT \(fail on high or above; exit code 0\)/);
});

test("displayWidth counts East Asian wide characters as two columns", () => {
  assert.equal(displayWidth("node1"), 5);
  assert.equal(displayWidth("イーサネット"), 12);
  assert.equal(displayWidth("✔"), 1);
});

test("waivers: one line per waiver applied, then every notice; nothing when no waiver file was given", () => {
  const lines = formatTerminalSummary(fixtureRunReport(), { color: false }).split("\n");
  const head = lines.indexOf("Waivers (examples/demo/waivers.yaml): 2 in the file, 1 applied, 1 result waived");
  assert.ok(head > 0, lines.join("\n"));
  assert.equal(lines[head + 1], "W RISK-77 (HP-NIC-001 on host solo1): 1 failed waived; approved by Jane Roe, CISO; CHG-5001; expires 2025-06-30");
  assert.match(lines[head + 2]!, /^! waivers\[1\] \(HP-DNS-001 on cluster wgclus and its nodes\) expired at the end of 2025-02-01 UTC and no longer applies/);
  assert.ok(head < lines.findIndex((l) => l.startsWith("Verdict:")), "before the verdict");
  assert.ok(lines.includes("solo1           W ✘ ✔"), "the matrix shows W");

  const coloured = formatTerminalSummary(fixtureRunReport(), { color: true });
  assert.match(coloured, /\u001b\[36mW\u001b\[0m RISK-77/);
  assert.match(coloured, /\u001b\[31m!\u001b\[0m waivers\[1\]/, "an expired waiver is red");

  const none = formatTerminalSummary({ ...fixtureRunReport(), waivers: undefined }, { color: false });
  assert.doesNotMatch(none, /^Waivers/m);
});
