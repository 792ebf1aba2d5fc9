/**
 * Findings as the terminal summary and summary.md list them (issue 21): by severity, then control,
 * then host, each with its severity, saying first what was found and then what was expected, in
 * the terminal's width without a silent cut.
 */
import assert from "node:assert/strict";
import { test } from "node:test";
import { formatTerminalSummary } from "../../src/cli/display/terminal";
import { displayWidth } from "../../src/cli/display/fit";
import { renderSummaryMarkdown } from "../../src/report/formats/summary-md";
import { findingText } from "../../src/report/finding";
import { DigestBuilder } from "../../src/report/bookkeeping/digest";
import { combine } from "../../src/engine/combine";
import type { ControlMeta, Result } from "../../src/model/result";
import type { RunReport } from "../../src/model/run";
import { CONTROLS, fixtureRunReport } from "../helpers/run-report";

const TIME: ControlMeta = { ...CONTROLS.dns, id: "ACME-TIME-001", title: "The Windows Time service runs", severity: "medium", origin: "acme" };

/** What an organisation's control of two Then steps on one service gives (combine.ts), as md-node1 has it in the demo. */
function stoppedTimeService(): Result {
  const part = (expected: string): Result => ({
    control: TIME,
    target: { kind: "host", name: "solo1" },
    status: "failed",
    expected,
    actual: "W32Time (Windows Time): status Stopped, start type Manual",
    evidence: [{ host: "solo1", probe: "service:W32Time" }],
  });
  return combine([part("the service W32Time is running"), part("the service W32Time has start type Automatic")]);
}

/** The fixture with an undetermined critical result and a combined finding of an organisation's control. */
function mixedReport(): RunReport {
  const report = fixtureRunReport();
  const undeterminedCritical: Result = {
    control: CONTROLS.eos,
    target: { kind: "host", name: "node2" },
    status: "undetermined",
    expected: "supported until at least 2025-05-30",
    actual: "not read",
    reason: { kind: "timeout", message: "node2: probe os did not answer within 60 s" },
    evidence: [],
  };
  report.results = report.results.filter((r) => !(r.control.id === "HP-EOS-001" && r.target.name === "node2"));
  report.results.push(undeterminedCritical, stoppedTimeService());
  report.controls = [...report.controls, TIME];
  return report;
}

test("a finding says what was found, then what was expected, for a check that states its expectation as the detail's subject", () => {
  const text = findingText(stoppedTimeService());
  assert.equal(text, "W32Time (Windows Time): status Stopped, start type Manual; expected the service W32Time is running and the service W32Time has start type Automatic");
  const plain = fixtureRunReport().results.find((r) => r.control.id === "HP-EOS-001" && r.status === "failed")!;
  assert.equal(findingText(plain), "Windows Server 2012 R2: extended support ended 2023-10-10; expected supported until at least 2025-05-30");
  const detailed = fixtureRunReport().results.find((r) => r.control.id === "HP-NIC-001" && r.status === "failed")!;
  assert.equal(findingText(detailed), "Ethernet 2 *VMQ: 1; expected 0", "a detail row: its subject and what it holds, then its expectation");
});

test("terminal: findings by severity (undetermined among them), then control, then host (inventory order), each with its severity and the found-first text", () => {
  const lines = formatTerminalSummary(mixedReport(), { color: false, width: 200 }).split("\n");
  const findings = lines.filter((l) => /^[✘?] /.test(l)).map((l) => l.split(/\s+/).slice(0, 4).join(" "));
  assert.deepEqual(findings, [
    "? critical node2 HP-EOS-001",
    "✘ critical solo1 HP-EOS-001",
    "✘ high node1 HP-NIC-001",
    "✘ medium cluster wgclus",
    "✘ medium solo1 ACME-TIME-001",
    "? low node2 HP-UPD-001",
  ]);
  const time = lines.find((l) => l.includes("ACME-TIME-001  "))!;
  assert.match(time, /ACME-TIME-001 {2}W32Time \(Windows Time\): status Stopped, start type Manual; expected the service W32Time is running/);
});

test("summary.md: the same findings in the same order and words, undetermined included, each with its severity", () => {
  const md = renderSummaryMarkdown(mixedReport());
  const items = md.slice(md.indexOf("### Findings")).split("\n").filter((l) => l.startsWith("- "));
  assert.deepEqual(items, [
    "- ❔ **critical** · node2 · HP-EOS-001: timeout: node2: probe os did not answer within 60 s",
    "- ❌ **critical** · solo1 · HP-EOS-001: Windows Server 2012 R2: extended support ended 2023-10-10; expected supported until at least 2025-05-30",
    "- ❌ **high** · node1 · HP-NIC-001: Ethernet 2 \\*VMQ: 1; expected 0",
    "- ❌ **medium** · cluster wgclus · HP-CLU-001: node1: File Share Witness; expected Cloud Witness or Physical Disk",
    "- ❌ **medium** · solo1 · ACME-TIME-001: W32Time (Windows Time): status Stopped, start type Manual; expected the service W32Time is running and the service W32Time has start type Automatic",
    "- ❔ **low** · node2 · HP-UPD-001: access-denied: Get-HotFix : アクセスが拒否されました。",
  ]);
});

test("the order holds across slices: a streamed run's findings are by control, then host, not by slice", () => {
  const base = fixtureRunReport();
  const failed = (control: ControlMeta, host: string): Result => ({ control, target: { kind: "host", name: host }, status: "failed", expected: "x", actual: "not x", evidence: [] });
  const a = { ...CONTROLS.nic, id: "A-1", severity: "high" as const };
  const b = { ...CONTROLS.nic, id: "B-1", severity: "high" as const };
  const builder = new DigestBuilder(4);
  // Two slices of two hosts each, results in the run's order within a slice (control, then host).
  builder.add({ hosts: [{ name: "h1" }, { name: "h2" }], clusters: [], results: [failed(a, "h1"), failed(b, "h1")] });
  builder.add({ hosts: [{ name: "h3" }, { name: "h4" }], clusters: [], results: [failed(a, "h3"), failed(b, "h4")] });
  const { results: _r, hosts: _h, clusters: _c, ...rest } = base;
  const digest = builder.finish({ ...rest, totals: builder.totals }, { hosts: 4, clusters: 0 }, ["A-1", "B-1"]);
  assert.deepEqual(digest.findings.map((r) => `${r.control.id}@${r.target.name}`), ["A-1@h1", "A-1@h3", "B-1@h1", "B-1@h4"]);
});

test("a long finding wraps to the width instead of being cut at 110 characters; one past FINDING_LINES lines says where the whole is", () => {
  const report = fixtureRunReport();
  const eos = report.results.find((r) => r.control.id === "HP-EOS-001" && r.status === "failed")!;
  eos.actual = `Windows Server 2012 R2 ${"and a long story ".repeat(8)}END-OF-STORY`;
  const text = formatTerminalSummary(report, { color: false, width: 80 });
  const lines = text.split("\n");
  assert.ok(lines.every((l) => displayWidth(l) <= 80), text);
  const at = lines.findIndex((l) => l.startsWith("✘ critical"));
  const body = lines.slice(at, at + 5).join(" ").replace(/\s+/g, " ");
  assert.ok(body.includes("END-OF-STORY; expected supported until at least 2025-05-30"), `wrapped whole:\n${lines.slice(at, at + 5).join("\n")}`);

  eos.actual = "long ".repeat(400);
  const cut = formatTerminalSummary(report, { color: false, width: 80 }).split("\n");
  const start = cut.findIndex((l) => l.startsWith("✘ critical"));
  assert.match(cut.slice(start, start + 7).join("\n"), /…\n {4}\(cut: see summary\.json\)/, "a cut finding says so and where the whole text is");
});

test("an undetermined finding names its reason's kind once: the probe's message already says it", () => {
  const unread = (message: string): Result => ({
    control: CONTROLS.dns,
    target: { kind: "host", name: "fs01" },
    status: "undetermined",
    expected: "the adapter's VMQ is disabled",
    actual: "could not be read",
    evidence: [],
    reason: { kind: "access-denied", message },
  });
  const probeMessage = "fs01: probe netAdapterAdvancedProperty could not be read (access-denied): Access is denied.";
  assert.equal(findingText(unread(probeMessage)), probeMessage);
  // A message that does not say its kind still gets it, so the reader learns why.
  assert.equal(findingText(unread("Access is denied.")), "access-denied: Access is denied.");
});
