/**
 * The demo as `npm start` runs it, through bin/hostproof.js on a pipe (not a terminal): every
 * line of what it prints fits COLUMNS (80 when COLUMNS is not a number), the findings are listed
 * by severity with their severity, in what-was-found-first words, and summary.md lists them in the
 * same order and words (issue 21). Counts are taken from the run's own summary.json.
 */
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { test } from "node:test";
import { displayWidth } from "../../src/cli/display/fit";
import { SEVERITIES } from "../../src/model/severity";
import { ROOT, spawnCli, tempDir } from "./cli";

interface SummaryResult {
  controlId: string;
  severity: string;
  status: string;
  target: { kind: string; name: string };
}

/** `npm start`'s command, into a scratch folder, with COLUMNS as given (or none). */
function demo(columns: string | undefined) {
  const pkg = JSON.parse(readFileSync(join(ROOT, "package.json"), "utf8")) as { scripts: { start: string } };
  const args = pkg.scripts.start.replace(/^node bin\/hostproof\.js /, "").split(" ");
  const out = join(tempDir(), "reports");
  const env = { ...process.env };
  delete env.COLUMNS;
  if (columns !== undefined) env.COLUMNS = columns;
  const res = spawnCli([...args, "--out", out, "--no-history", "--no-html"], ROOT, env);
  assert.equal(res.code, 0, res.stderr);
  const summary = JSON.parse(readFileSync(join(out, "summary.json"), "utf8")) as { results: SummaryResult[] };
  return { stdout: res.stdout, out, summary };
}

function widest(stdout: string): { width: number; line: string } {
  return stdout
    .replace(/\n$/, "")
    .split("\n")
    .reduce((w, line) => (displayWidth(line) > w.width ? { width: displayWidth(line), line } : w), { width: 0, line: "" });
}

/** The finding lines' heads: glyph, severity, target, control. */
/** Each finding's head: glyph, severity, target label ("cluster wgclus", "directory corp.contoso.test" or a host), control. */
function findingHeads(stdout: string): string[][] {
  return stdout
    .split("\n")
    .map((l) => /^([✘?]) (critical|high|medium|low)\s+((?:cluster|directory) \S+|\S+)\s+(\S+)/.exec(l))
    .filter((m) => m !== null)
    .map((m) => m.slice(1, 5));
}

/** The target a finding's label names, as summary.json has it. */
function targetOf(label: string): { kind: string; name: string } {
  const [word, name] = label.split(" ");
  return word === "cluster" || word === "directory" ? { kind: word, name: name! } : { kind: "host", name: label };
}

test("the demo on a pipe with COLUMNS=80: no line wider than 80; findings by severity, each with its severity", () => {
  const { stdout, summary } = demo("80");
  const w = widest(stdout);
  assert.ok(w.width <= 80, `a line of ${w.width} columns: ${w.line}`);
  assert.match(stdout, /^wg-node1 \(wgclus\) +✔/m, "the demo's matrix fits 80 columns");

  const findings = summary.results.filter((r) => r.status === "failed" || r.status === "undetermined");
  const heads = findingHeads(stdout);
  assert.equal(heads.length, Math.min(20, findings.length), stdout);
  const ranks = heads.map((h) => SEVERITIES.indexOf(h[1] as (typeof SEVERITIES)[number]));
  assert.deepEqual(ranks, [...ranks].sort((a, b) => a - b), "most severe first");
  // Each finding's severity is its control's, as summary.json has it.
  for (const [glyph, severity, label, id] of heads) {
    const target = targetOf(label!);
    const match = findings.find((r) => r.target.kind === target.kind && r.target.name === target.name && r.controlId === id);
    assert.ok(match, `${glyph} ${label} ${id}`);
    assert.equal(match.severity, severity, `${label} ${id}`);
  }
  // What was found first, then the expectation: the demo's hv01, whose time service for app01 is off.
  assert.match(stdout, /HP-HV-001\n {4}app01 Time Synchronization: disabled \(high impact\); expected enabled\n/);
});

test("the demo at COLUMNS=40: every line within 40 but for a path or a digest that is one word; no matrix but counts per control", () => {
  const { stdout } = demo("40");
  for (const line of stdout.replace(/\n$/, "").split("\n")) {
    if (displayWidth(line) <= 40) continue;
    // The one exception, kept whole so that it can be copied: a single word (a path, a SHA-256), with a command's continuation.
    assert.match(line.trim(), /^\S+( \\)?$/, `a line of ${displayWidth(line)} columns: ${line}`);
  }
  assert.doesNotMatch(stdout, /│/, "no matrix");
  assert.match(stdout, /^ {2}✘ +\d+ {2}\? +\d+ {2}W +\d+ {2}– +\d+ {2}✔ +\d+$/m, "counts per control: failed, undetermined, waived, not applicable, passed");
});

test("the demo at COLUMNS=200 and with COLUMNS not a number (then 80)", () => {
  const wide = demo("200").stdout;
  assert.ok(widest(wide).width <= 200);
  assert.match(wide, /^✘ critical {2}legacy2003 +HP-EOS-001 {2}Microsoft\(R\) Windows\(R\) Server 2003/m, "a finding beside its head where the width allows");
  const { stdout } = demo("wide");
  const w = widest(stdout);
  assert.ok(w.width <= 80, `a line of ${w.width} columns: ${w.line}`);
});

test("summary.md lists the demo's findings in the terminal's order and words", () => {
  const { stdout, out } = demo("200");
  const md = readFileSync(join(out, "summary.md"), "utf8");
  const items = md.split("\n").filter((l) => /^- [❌❔] \*\*/.test(l));
  const heads = findingHeads(stdout);
  assert.equal(items.length, heads.length);
  heads.forEach(([glyph, severity, label, id], i) => {
    assert.ok(items[i]!.startsWith(`- ${glyph === "✘" ? "❌" : "❔"} **${severity}** · ${label} · ${id}: `), `${items[i]} vs ${heads[i]!.join(" ")}`);
  });
  assert.ok(md.includes("· hv01 · HP-HV-001: app01 Time Synchronization: disabled (high impact); expected enabled"), md);
});
