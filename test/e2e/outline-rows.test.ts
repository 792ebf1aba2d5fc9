/**
 * A Scenario Outline with many Examples rows, through the real CLI: every row is a check of every
 * host, and each host's one result for the control holds every row, in the rows' order, with the
 * worst outcome of them (engine/combine.ts). Rows are combined once, when the slice's checks have
 * all run; combining as each row arrived cost rows² per host (issue 18; the figures are in
 * bench/README.md, "Scenario Outlines").
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { join } from "node:path";
import { AS_OF, DEMO, DEMO_HOSTS, readJson, spawnCli, workspace } from "./cli";
import type { Summary } from "../../src/report/formats/summary";

const ROWS = 1500;

function outline(rows: number): string {
  const lines = [
    "Feature: Acme's required updates",
    "",
    "  @ACME-UPD-001 @severity:high",
    "  Scenario Outline: Acme's updates are as required",
    "    Rationale: Acme security policy 7.",
    "    Remediation: Install the update.",
    "    Source: Acme IT security policy 7.",
    "",
    "    Given each host",
    '    Then the update "<kb>" is <state>',
    "",
    "    Examples:",
    "      | kb | state |",
  ];
  // Even rows name an update no host has and want it installed (a deviation wherever the hotfix
  // list was read); odd rows want it absent (compliant).
  for (let i = 0; i < rows; i++) lines.push(`      | KB${5900000 + i} | ${i % 2 === 0 ? "installed" : "not installed"} |`);
  return `${lines.join("\n")}\n`;
}

test(`an outline of ${ROWS} Examples rows: one result per host, holding every row's check in order`, () => {
  const cwd = workspace({ "acme/updates.feature": outline(ROWS) });
  const res = spawnCli(["run", "-i", DEMO, "-o", "out", "--as-of", AS_OF, "--no-html", "--no-history", "--no-builtin", "--features", "acme"], cwd);
  assert.equal(res.code, 1, `exit ${res.code}\n${res.stdout}\n${res.stderr}`);
  const summary = readJson<Summary>(join(cwd, "out", "summary.json"));
  assert.deepEqual(summary.controls.map((c) => c.id), ["ACME-UPD-001"]);
  const hosts = summary.hosts.map((h) => h.name);
  assert.equal(hosts.length, DEMO_HOSTS);
  assert.deepEqual(summary.results.map((r) => r.target.name), hosts, "one result per host, in inventory order");
  let judged = 0;
  for (const r of summary.results) {
    assert.equal(r.details.length, ROWS, `${r.target.name}: one detail row per Examples row`);
    r.details.forEach((d, i) => {
      const kb = `KB${5900000 + i}`;
      assert.equal(d.subject, i % 2 === 0 ? `${kb} is installed` : `${kb} is not installed`, `${r.target.name}, row ${i + 1}`);
    });
    if (r.status === "undetermined") {
      assert.ok(r.details.every((d) => d.outcome === "unreadable"), `${r.target.name}: undetermined only when no row could be judged`);
      continue;
    }
    judged++;
    assert.equal(r.status, "failed", r.target.name);
    assert.deepEqual(r.details.map((d) => d.outcome), r.details.map((_, i) => (i % 2 === 0 ? "deviation" : "ok")), r.target.name);
    assert.match(r.actual, new RegExp(`^${ROWS / 2} of ${ROWS} checks fail: none of KB5900000 is among`), r.target.name);
  }
  assert.ok(judged >= 9, `most demo hosts have a readable hotfix list (${judged} judged)`);
  assert.equal(summary.totals.failed, judged);
});
