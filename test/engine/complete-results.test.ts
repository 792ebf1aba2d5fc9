/**
 * The engine's guard behind the lint (src/engine/complete-results.ts): features the lint refuses
 * are handed to real Cucumber with the real steps, as if a lint rule were missing, and every
 * selected control must still end with one result per target, undetermined where a check did not
 * judge, and an internal error saying which control.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { catalogEntries } from "../../src/controls/catalog";
import { readFeatureFile } from "../../src/controls/feature-set";
import { lintFeatures } from "../../src/controls/lint";
import { completeResults } from "../../src/engine/complete-results";
import { recordResult } from "../../src/engine/combine";
import { runControls } from "../../src/engine/cucumber";
import { buildEstate } from "../../src/engine/estate";
import type { RunContext } from "../../src/engine/run-context";
import { loadInventory } from "../../src/input/inventory";
import type { Result } from "../../src/model/result";
import { AS_OF, DEMO, tempDir } from "../e2e/cli";

const HEAD = `    Rationale: r.
    Remediation: r.
    Source: s.
`;

const estate = () => buildEstate(loadInventory(DEMO), new Date(`${AS_OF}T00:00:00Z`));

test("a control whose check Cucumber fails before it judges, or that has no check, is undetermined on every host, never absent", async () => {
  const dir = tempDir();
  const file = join(dir, "refused.feature");
  writeFileSync(
    file,
    `Feature: What the lint refuses

  @ACME-DOC-001 @severity:high
  Scenario: A doc string under the Then (Cucumber fails the step: its definition takes no argument)
${HEAD}
    Given each host
    Then the host does not run Windows Server 2003
      """
      anything
      """

  @ACME-HALF-001 @severity:high
  Scenario: The first check judges, the second fails before it judges
${HEAD}
    Given each host
    Then the host's Windows version is within Microsoft's extended support
    Then the host does not run Windows Server 2003
      | a table it does not take |

  @ACME-GIVEN-001 @severity:high
  Scenario: Only a Given
${HEAD}
    Given each host

  @ACME-GOOD-001 @severity:high
  Scenario: A control the lint accepts
${HEAD}
    Given each host
    Then the host does not run Windows Server 2003
`,
  );
  const lint = lintFeatures([readFeatureFile(file, "refused.feature", dir)]);
  assert.ok(lint.problems.length >= 3, "the lint refuses these features; the engine is tested without it");
  const entries = catalogEntries(lint.features);
  const est = estate();
  const run = await runControls({ estate: est, features: lint.features.map((f) => f.file), expected: entries });

  assert.deepEqual(run.controls.map((c) => c.id), ["ACME-DOC-001", "ACME-HALF-001", "ACME-GIVEN-001", "ACME-GOOD-001"]);
  const hosts = est.hosts.map((h) => h.record.name);
  const of = (id: string): Result[] => run.results.filter((r) => r.control.id === id);
  for (const id of ["ACME-DOC-001", "ACME-HALF-001", "ACME-GIVEN-001"]) {
    assert.deepEqual(of(id).map((r) => r.target.name).sort(), [...hosts].sort(), `${id}: one result per host`);
    assert.ok(of(id).every((r) => r.status === "undetermined" || r.status === "failed"), `${id}: ${of(id).map((r) => r.status).join(", ")}`);
    assert.ok(of(id).some((r) => r.status === "undetermined"));
    assert.match(of(id).find((r) => r.status === "undetermined")!.reason!.message, /^internal error in hostproof \(please report it\): /);
    assert.ok(run.internalErrors.some((e) => e.startsWith(`${id}: `)), `${id} is an internal error:\n${run.internalErrors.join("\n")}`);
  }
  assert.match(run.internalErrors.find((e) => e.startsWith("ACME-DOC-001: "))!, /0 of 1 check\(s\) ran \(the scenario ended failed: (Error: )?function has 0 arguments/);
  assert.match(run.internalErrors.find((e) => e.startsWith("ACME-HALF-001: "))!, /1 of 2 check\(s\) ran/);
  // The check that judged keeps its evidence of failure: legacy2003 fails the version check.
  assert.equal(of("ACME-HALF-001").find((r) => r.target.name === "legacy2003")?.status, "failed");
  assert.match(run.internalErrors.find((e) => e.startsWith("ACME-GIVEN-001: "))!, /no check judged some of its targets; no result for /);

  // The control the lint accepts is judged as ever, with no internal error.
  assert.equal(of("ACME-GOOD-001").length, hosts.length);
  assert.deepEqual(of("ACME-GOOD-001").filter((r) => r.status === "failed").map((r) => r.target.name), ["legacy2003"]);
  assert.ok(of("ACME-GOOD-001").every((r) => r.status === "failed" || r.status === "passed"));
  assert.ok(!run.internalErrors.some((e) => e.startsWith("ACME-GOOD-001")));
});

test("completeResults: a missing (control, target) pair becomes undetermined; a control that never ran is listed and undetermined everywhere", () => {
  const est = estate();
  const [a, b] = est.hosts;
  const meta = (id: string) => ({ id, title: id, severity: "high" as const, feature: "x.feature", origin: "x", featureName: "x", tags: [`@${id}`] });
  const ran = meta("ACME-RAN-001");
  const run: RunContext = { estate: est, results: [], controls: [ran], internalErrors: [], unfinished: [] };
  recordResult(run, { status: "passed", control: ran, target: { kind: "host", name: a.record.name }, expected: "e", actual: "a", evidence: [] });
  recordResult(run, { status: "passed", control: ran, target: { kind: "host", name: b.record.name }, expected: "e", actual: "a", evidence: [] });
  const never = meta("ACME-NEVER-001");
  completeResults(run, [
    { meta: never, judges: ["cluster"] },
    { meta: ran, judges: ["host"] },
  ]);
  assert.deepEqual(run.controls.map((c) => c.id), ["ACME-NEVER-001", "ACME-RAN-001"], "in the selection's order");
  const ranResults = run.results.filter((r) => r.control.id === "ACME-RAN-001");
  assert.equal(ranResults.length, est.hosts.length);
  assert.deepEqual(ranResults.filter((r) => r.status === "passed").map((r) => r.target.name), [a.record.name, b.record.name]);
  assert.equal(ranResults.filter((r) => r.status === "undetermined").length, est.hosts.length - 2);
  const neverResults = run.results.filter((r) => r.control.id === "ACME-NEVER-001");
  assert.deepEqual(neverResults.map((r) => `${r.target.kind}:${r.target.name}:${r.status}`), est.clusters.map((c) => `cluster:${c.cluster.name}:undetermined`));
  assert.equal(run.internalErrors.length, 2);
  assert.match(run.internalErrors[0], /^ACME-NEVER-001: its scenario did not run; no result for /);
  assert.match(run.internalErrors[1], new RegExp(`^ACME-RAN-001: no check judged some of its targets; no result for .*, and ${est.hosts.length - 2 - 5} more\\. Its results are reported as undetermined\\.$`));
});
