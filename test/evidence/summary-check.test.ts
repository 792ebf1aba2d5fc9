/** The recount of a summary.json from its results, on small hand-made summaries: what each kind of contradiction says. */
import assert from "node:assert/strict";
import { test } from "node:test";
import { formatContradiction, SummaryCheck } from "../../src/evidence/summary-check";
import type { SummaryResult } from "../../src/report/formats/summary";
import type { SummaryRest } from "../../src/report/formats/summary-read";

const control = { id: "HP-A-001", title: "A", severity: "high" as const, feature: "f", featureName: "F", origin: "built-in", tags: [] };
const result = (host: string, status: SummaryResult["status"], extra: Partial<SummaryResult> = {}): SummaryResult => ({ controlId: control.id, title: "A", severity: "high", target: { kind: "host", name: host }, status, expected: "", actual: "", details: [], evidence: [], ...extra });

function rest(over: Partial<SummaryRest> = {}): SummaryRest {
  return {
    schemaVersion: 1,
    tool: { name: "hostproof", version: "1" },
    inventoryFile: "i.yaml",
    startedAt: "2026-01-01T00:00:00.000Z",
    finishedAt: "2026-01-01T00:00:01.000Z",
    asOf: "2026-01-01",
    failOn: "high",
    verdict: "non-compliant",
    exitCode: 1,
    totals: { passed: 1, failed: 1, undetermined: 0, notApplicable: 0, waived: 0, total: 2 },
    totalsBySeverity: { critical: 0, high: 1, medium: 0, low: 0 },
    controls: [control],
    hosts: [{ name: "a", collectedAt: "x" }, { name: "b", collectedAt: "x" }],
    clusters: [],
    timings: { loadMs: 0, judgeMs: 0, writeMs: 0, reportMs: 0 },
    ...over,
  };
}

function check(results: SummaryResult[], r: SummaryRest): { placed: (string | undefined)[]; found: string[] } {
  const c = new SummaryCheck("summary.json");
  const placed = results.map((x) => c.add(x));
  return { placed, found: c.finish(r).contradictions.map(formatContradiction) };
}

test("a summary that agrees with its results has nothing to say", () => {
  assert.deepEqual(check([result("a", "passed"), result("b", "failed")], rest()).found, []);
});

test("a host with no result, a second result of one control, a waiver without waivers", () => {
  assert.deepEqual(check([result("a", "passed")], rest({ totals: { passed: 1, failed: 0, undetermined: 0, notApplicable: 0, waived: 0, total: 1 }, totalsBySeverity: { critical: 0, high: 0, medium: 0, low: 0 }, verdict: "compliant", exitCode: 0 })).found, [
    "results (host b): no result at all, though every host has one per control of its kind: results are missing",
  ]);
  assert.equal(check([result("a", "passed"), result("A", "failed")], rest()).placed[1], "host A has two results of HP-A-001");
  const waiver = { controlId: control.id, scope: "all" as const, justification: "j", approver: "p", reference: "r", expires: "2027-01-01", index: 0, runControl: true, originalStatus: "failed" as const };
  assert.deepEqual(check([result("a", "passed"), result("b", "failed", { waiver })], rest()).found, [`results[1].waiver: states ${JSON.stringify(waiver)}, its results give none: the report was given no waivers`]);
});

test("--fail-on decides the verdict recomputed: a failure below it is non-compliant with exit 0", () => {
  const low = rest({ failOn: "critical", verdict: "non-compliant", exitCode: 1 });
  assert.deepEqual(check([result("a", "passed"), result("b", "failed")], low).found, ["exitCode: states 1, its results give 0 (with --fail-on critical)"]);
});
