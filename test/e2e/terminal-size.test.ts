/**
 * The run's terminal summary through the real CLI: the host × control matrix only while it fits
 * the terminal (its width, or COLUMNS, or 80 columns on a pipe), else the controls with their
 * counts; a bounded summary whatever the number of controls (issue 18: 10,000 controls made a
 * 200 MB matrix of 40,029-character lines).
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import { test } from "node:test";
import { scenarioFeatures } from "../../bench/outlines";
import { CONTROL_LINES, displayWidth, FINDING_LINES } from "../../src/cli/display/terminal";
import { loadControlCatalog } from "../../src/controls/catalog";
import { AS_OF, DEMO, ROOT, spawnCli, tempDir, workspace } from "./cli";

function run(extra: string[], cwd: string, columns?: string) {
  const env = { ...process.env };
  delete env.COLUMNS;
  if (columns !== undefined) env.COLUMNS = columns;
  return spawnCli(["run", "-i", DEMO, "-o", join(tempDir(), "out"), "--as-of", AS_OF, "--no-html", "--no-history", "--exit-zero", ...extra], cwd, env);
}

function summary(stdout: string): string[] {
  const lines = stdout.split("\n");
  return lines.slice(0, lines.findIndex((l) => l.startsWith("Verdict:")) + 1);
}

test("600 controls: no matrix, the controls with their counts, a summary of bounded lines", () => {
  const cwd = workspace({ "acme/many.feature": scenarioFeatures(600)[0]! });
  const res = run(["--features", join(cwd, "acme")], cwd);
  assert.equal(res.code, 0, res.stderr);
  const lines = summary(res.stdout);
  // The head, legend, totals and verdict; the control lines; at most 20 findings, each cut at FINDING_LINES and a note.
  const bound = 16 + CONTROL_LINES + 20 * (FINDING_LINES + 1);
  assert.ok(lines.length <= bound, `${lines.length} lines, more than ${bound}:\n${res.stdout.slice(0, 3000)}`);
  assert.ok(lines.every((l) => displayWidth(l) <= 80), "no line wider than 80 columns (a pipe)");
  assert.ok(!lines.some((l) => l.includes("│")), "no matrix");
  // The user's 600 and every built-in control.
  const controls = 600 + loadControlCatalog().length;
  assert.ok(lines.includes(`  No host × control matrix: ${controls} controls are more than 100 columns can show.`), res.stdout.slice(0, 3000));
  assert.equal(lines.filter((l) => /^ {2}✘ +[\d,]+ {2}\? /.test(l)).length, 20, "the 20 controls with the most failures");
  assert.match(res.stdout, new RegExp(`^ {2}… ${controls - CONTROL_LINES} more controls: [\\d,]+ with failed or undetermined results, [\\d,]+ without\\.$`, "m"));
});

test("the demo's matrix is drawn on a pipe (80 columns) and on a wide terminal, not on one narrower than it", () => {
  assert.match(run([], ROOT).stdout, /^wg-node1 \(wgclus\) +✔ ✔/m);
  assert.match(run([], ROOT, "200").stdout, /^wg-node1 \(wgclus\) +✔ ✔/m);
  const narrow = run([], ROOT, "60").stdout;
  assert.doesNotMatch(narrow, /│/);
  assert.match(narrow.replace(/\n\s+/g, " "), / No host × control matrix: \d+ controls need \d+ columns, the terminal has 60\. /);
});
