import assert from "node:assert/strict";
import { test } from "node:test";
import { displayWidth, formatTerminalSummary } from "../../src/cli/display/terminal";
import { CONTROLS, fixtureRunReport, JAPANESE_ERROR, largeRunReport } from "../helpers/run-report";
import type { ControlMeta, Result } from "../../src/model/result";
import type { RunReport } from "../../src/model/run";

const ANSI = /\u001b\[[0-9;]*m/;

test("draws the host × control matrix, legend, totals, findings and verdict", () => {
  const text = formatTerminalSummary(fixtureRunReport(), { color: false, width: 120 });
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
    findings.map((l) => l.split(/\s+/).slice(0, 4).join(" ")),
    ["✘ critical solo1 HP-EOS-001", "✘ high node1 HP-NIC-001", "✘ medium cluster wgclus", "? low node2 HP-UPD-001"],
    "by severity, each with its severity",
  );
  assert.ok(findings[1]!.endsWith("HP-NIC-001  Ethernet 2 *VMQ: 1; expected 0"), findings[1]);
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
  const text = formatTerminalSummary(fixtureRunReport(), { color: false, maxRows: 1, width: 120 });
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
  const text = formatTerminalSummary(report, { color: false, width: 120 });
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
  const lines = formatTerminalSummary(fixtureRunReport(), { color: false, width: 160 }).split("\n");
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

/** Lines of a summary without colour, and the widest of them in terminal columns. */
function measure(text: string): { lines: string[]; widest: number } {
  const lines = text.replace(/\n$/, "").split("\n");
  return { lines, widest: Math.max(...lines.map(displayWidth)) };
}

/**
 * `controls` controls over `hosts` hosts: control i fails on (i mod 5) hosts and passes on the
 * rest, so the controls with four failures lead the list; control 3's title and the estate's name
 * are thousands of characters long, as a hostile feature file or inventory may make them.
 */
function manyControls(controls: number, hosts: number): RunReport {
  const base = fixtureRunReport();
  const metas: ControlMeta[] = Array.from({ length: controls }, (_, i) => ({ ...CONTROLS.nic, id: `ACME-U${Math.floor(i / 1000)}-${String(i % 1000).padStart(4, "0")}`, title: i === 3 ? "T".repeat(5000) : `Control ${i}` }));
  const results: Result[] = [];
  metas.forEach((control, i) => {
    for (let h = 0; h < hosts; h++) {
      const failed = h < i % 5;
      results.push({ control, target: { kind: "host", name: `host${h}` }, status: failed ? "failed" : "passed", expected: "x", actual: failed ? "not x" : "x", evidence: [] });
    }
  });
  const hostRecords = Array.from({ length: hosts }, (_, h) => ({ ...base.hosts[0]!, name: `host${h}` }));
  return { ...base, estate: "E".repeat(10_000), controls: metas, hosts: hostRecords, clusters: [], results, waivers: undefined };
}

test("10,000 controls: no matrix but the controls with the most failures and their counts, in a few dozen lines of the width", () => {
  const { lines, widest } = measure(formatTerminalSummary(manyControls(10_000, 20), { color: false }));
  assert.ok(lines.length < 80, `${lines.length} lines`);
  assert.ok(widest <= 80, `a line of ${widest} columns`);
  assert.ok(!lines.some((l) => l.includes("│")), "no matrix header");
  assert.ok(lines.includes("  No host × control matrix: 10,000 controls are more than 100 columns can show."), lines.join("\n"));
  assert.match(lines.join("\n"), /\n {2}Every result is in summary\.json, results\.csv and the HTML report\. Per control,\n {2}most failed first:\n/);
  const perControl = lines.filter((l) => /^ {2}✘ +\d/.test(l));
  assert.equal(perControl.length, 20);
  assert.match(perControl[0]!, /^ {2}✘ {2}4 {2}\? {2}0 {2}W {2}0 {2}– {2}0 {2}✔ 16 {2}ACME-U0-0004 {2}Control 4$/, "failed, undetermined, waived, not applicable, passed");
  assert.ok(perControl.every((l) => /✘ {2}4 /.test(l)), "the controls with most failures");
  assert.match(lines.join("\n"), /\n {2}… 9,980 more controls: 7,980 with failed or undetermined results, 2,000\n {4}without\./);
  assert.ok(lines.slice(0, 3).some((l) => /^ {2}E+…$/.test(l)), "the estate's name is cut, on a line of its own");
});

test("100,000 hosts: the summary stays a few dozen lines of the width", () => {
  const { lines, widest } = measure(formatTerminalSummary(largeRunReport(100_000), { color: false }));
  assert.ok(lines.length < 100, `${lines.length} lines`);
  assert.ok(widest <= 80, `a line of ${widest} columns`);
  assert.ok(lines.some((l) => l.endsWith("HP-UPD-001")), "3 controls fit: the matrix is drawn");
});

test("the matrix is drawn only while it fits the terminal's width; colour codes take no width", () => {
  // fixtureRunReport's widest matrix line: the label column (16) and the last header line "│ │ │ │ HP-CLU-001".
  const at = (width: number, color = false): string => formatTerminalSummary(fixtureRunReport(), { color, width });
  assert.ok(at(34).includes("│ │ │ │ HP-CLU-001"));
  assert.doesNotMatch(at(33), /│/);
  assert.match(at(33).replace(/\n {2}(?! )/g, " "), /No host × control matrix: 5 controls need 34 columns, the terminal has 33\./);
  assert.match(at(33), /^ {2}✘ 1 {2}\? 0 {2}W 1 {2}– 0 {2}✔ 1\n {4}HP-NIC-001\n {4}Offloads that break Hyper-V …$/m, "too narrow for the title beside the counts: under them, cut");
  assert.ok(at(34, true).includes("HP-CLU-001"), "the same with colour");
  for (const line of at(33, true).split("\n")) assert.ok(displayWidth(line) <= 33, line);
});

test("every line fits the width (colour kept balanced) and lists of waivers are capped", () => {
  const base = fixtureRunReport();
  const waivers = base.waivers!;
  // 300 waivers, each applied to one result, each approved by someone with a 3,000-character name.
  const many = { ...waivers, waivers: Array.from({ length: 300 }, (_, i) => ({ ...waivers.waivers[0]!, id: `W-${i}`, approver: "A".repeat(3000) })), notices: [] };
  const waived = Array.from({ length: 300 }, (_, i): Result => ({ ...base.results[0]!, target: { kind: "host", name: `h${i}` }, status: "waived", waiver: { ...base.results.find((r) => r.waiver !== undefined)!.waiver!, index: i } }));
  const report = { ...base, waivers: many, results: [...base.results.filter((r) => r.waiver === undefined), ...waived] } as RunReport;
  for (const color of [false, true]) {
    const text = formatTerminalSummary(report, { color });
    const { lines } = measure(text.replace(/\u001b\[[0-9;]*m/g, ""));
    assert.ok(lines.every((l) => displayWidth(l) <= 80), "no line wider than 80 columns");
    assert.ok(lines.some((l) => /^ {4}A+…$/.test(l)), "a waiver's 3,000-character approver is cut");
    assert.ok(lines.length < 100, `${lines.length} lines`); // 20 waivers of up to 3 lines each, then the rest counted
    assert.ok(lines.includes("  … and 280 more waivers applied: see summary.json"), lines.join("\n"));
    if (color) assert.equal((text.match(/\u001b\[(?!0m)[0-9;]*m/g) ?? []).length, (text.match(/\u001b\[0m/g) ?? []).length, "every colour is reset, cut lines included");
  }
});
