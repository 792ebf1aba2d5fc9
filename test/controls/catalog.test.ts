/** The features are the control catalog: every control must carry what an auditor signs. */
import { test } from "node:test";
import assert from "node:assert/strict";
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { loadControlCatalog } from "../../src/controls/catalog";
import { descriptionFields } from "../../src/controls/meta";
import { InputError } from "../../src/errors";
import { tempDir } from "../e2e/cli";

const controls = loadControlCatalog();

test("there are the 16 seed controls and the later ones, each with a unique, stable ID", () => {
  assert.equal(controls.length, 25);
  assert.equal(new Set(controls.map((c) => c.id)).size, 25);
  for (const id of ["HP-DIR-001", "HP-DIR-002", "HP-DIR-003", "HP-CLU-001", "HP-CLU-008", "HP-DNS-003", "HP-UAC-001", "HP-EOS-001", "HP-EOS-003", "HP-NIC-001", "HP-PS2-001", "HP-WU-001", "HP-CNT-001", "HP-CNT-002", "HP-HV-001", "HP-HV-002"]) {
    assert.ok(controls.some((c) => c.id === id), id);
  }
});

test("every control has a severity, rationale, remediation and source", () => {
  for (const c of controls) {
    assert.ok(["critical", "high", "medium", "low"].includes(c.severity), c.id);
    assert.ok(c.rationale && c.rationale.length > 20, `${c.id} rationale`);
    assert.ok(c.remediation && c.remediation.length > 10, `${c.id} remediation`);
    assert.ok(c.source && c.source.length > 10, `${c.id} source`);
    assert.ok(c.tags.some((t) => t.startsWith("@area:")), `${c.id} area tag`);
  }
});

test("remediation keeps its PowerShell; continuation lines join their field", () => {
  const f = descriptionFields("    Rationale: first line\n    second line\n    Remediation: Set-Thing -Value 1\n    Source: docs");
  assert.equal(f.rationale, "first line second line");
  assert.equal(f.remediation, "Set-Thing -Value 1");
  assert.equal(f.source, "docs");
});

function catalogOf(feature: string): () => unknown {
  const dir = tempDir();
  mkdirSync(join(dir, "features"));
  writeFileSync(join(dir, "features", "x.feature"), feature);
  return () => loadControlCatalog({ folders: [join(dir, "features")], builtin: false });
}

test("a scenario without a control ID, or with a bad severity, or a reused ID, is refused (the control lint)", () => {
  assert.throws(catalogOf("Feature: f\n  @severity:high\n  Scenario: s\n    Given each host\n"), (err) => err instanceof InputError && /has no control ID tag/.test(err.message));
  assert.throws(catalogOf("Feature: f\n  @HP-ABC-001 @severity:urgent\n  Scenario: s\n    Given each host\n"), /'urgent' \(@severity:urgent\) is not a severity\. Tag it with one of @severity:critical, @severity:high/);
  assert.throws(
    catalogOf("Feature: f\n  @HP-ABC-001 @severity:high\n  Scenario: s\n    Given each host\n  @HP-ABC-001 @severity:low\n  Scenario: t\n    Given each host\n"),
    /x\.feature:5: Scenario 't': control ID HP-ABC-001 is already used at .*x\.feature:2/,
  );
});
