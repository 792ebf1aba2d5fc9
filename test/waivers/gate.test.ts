/** The gate after waivers: a waived result neither fails it nor keeps it from compliant. */
import { test } from "node:test";
import assert from "node:assert/strict";
import type { ControlMeta, Result, ResultStatus } from "../../src/model/result";
import { verdictOf } from "../../src/engine/verdict";
import { applyWaivers } from "../../src/waivers/apply";

const control: ControlMeta = { id: "HP-EOS-003", title: "t", severity: "low", feature: "f", featureName: "F", origin: "built-in", tags: [] };
const res = (status: ResultStatus, name = "h1"): Result => ({ control, target: { kind: "host", name }, status, expected: "e", actual: "a", evidence: [] });
const waiver = { controlId: "HP-EOS-003", scope: { host: "h1" }, justification: "j", approver: "a", reference: "r", expires: "2027-01-10", runControl: false };
const AS_OF = new Date("2026-11-22T00:00:00Z");

test("a waived failure passes the gate; the same failure unwaived fails it", () => {
  assert.deepEqual(verdictOf([res("failed")], "any"), { verdict: "non-compliant", exitCode: 1 });
  const { results } = applyWaivers([res("failed"), res("passed", "h2")], [waiver], AS_OF, 14);
  assert.deepEqual(verdictOf(results, "any"), { verdict: "compliant", exitCode: 0 });
});

test("a waived undetermined result no longer makes the run undetermined; other findings still count", () => {
  const { results } = applyWaivers([res("undetermined"), res("undetermined", "h2")], [waiver], AS_OF, 14);
  assert.deepEqual(verdictOf(results, "any"), { verdict: "undetermined", exitCode: 2 }, "h2 is not waived");
  assert.deepEqual(verdictOf(results.slice(0, 1), "any"), { verdict: "compliant", exitCode: 0 });
});

test("an expired waiver gives the failure back to the gate", () => {
  const { results } = applyWaivers([res("failed")], [{ ...waiver, expires: "2026-11-21" }], AS_OF, 14);
  assert.deepEqual(verdictOf(results, "any"), { verdict: "non-compliant", exitCode: 1 });
  assert.deepEqual(verdictOf(results, "high"), { verdict: "non-compliant", exitCode: 0 }, "--fail-on still decides what fails the gate");
});
