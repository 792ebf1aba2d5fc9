import assert from "node:assert/strict";
import { test } from "node:test";
import type { ResultStatus, TargetKind } from "../../src/model/result";
import { driftBetween, formatDrift, hasDrift, type CurrentResult, type PreviousRun } from "../../src/report/bookkeeping/drift";
import { buildSummary } from "../../src/report/formats/summary";
import { fixtureRunReport } from "../helpers/run-report";

type Row = [kind: TargetKind, name: string, controlId: string, status: ResultStatus];

function previous(rows: Row[], startedAt = "2026-11-21T02:00:00.000Z"): PreviousRun {
  return { startedAt, results: rows.map(([kind, name, controlId, status]) => ({ controlId, target: { kind, name }, status })) };
}

function current(rows: Row[]): CurrentResult[] {
  return rows.map(([kind, name, id, status]) => ({ control: { id }, target: { kind, name }, status }));
}

const drift = (before: PreviousRun | undefined, now: Row[]) => driftBetween(before, current(now));

test("no previous run: nothing to compare, said so", () => {
  const d = drift(undefined, [["host", "a", "HP-1", "failed"]]);
  assert.equal(hasDrift(d), false);
  assert.equal(d.compared, false);
  assert.equal(d.comparedWith, undefined);
  assert.match(formatDrift(d), /no earlier run to compare with/);
});

test("newly failing, fixed, newly undetermined, new and gone hosts, matched by target and control", () => {
  const before = previous([
    ["host", "a", "HP-1", "passed"],
    ["host", "a", "HP-2", "failed"],
    ["host", "b", "HP-1", "failed"],
    ["host", "b", "HP-2", "waived"],
    ["host", "gone1", "HP-1", "passed"],
    ["cluster", "c", "HP-9", "passed"],
    ["host", "c", "HP-9", "failed"],
  ]);
  const d = drift(before, [
    ["host", "a", "HP-1", "failed"], // passed → failed
    ["host", "a", "HP-2", "passed"], // fixed
    ["host", "b", "HP-1", "undetermined"], // failed → unreadable: not fixed
    ["host", "b", "HP-2", "failed"], // waiver gone
    ["host", "new1", "HP-1", "failed"], // new host
    ["cluster", "c", "HP-9", "failed"], // a cluster target is not its namesake host
    ["host", "c", "HP-9", "failed"], // still failing: no drift
  ]);
  const items = (list: typeof d.newlyFailing) => list.map((i) => `${i.target.kind}:${i.target.name}:${i.controlId}:${i.was}->${i.now}`);
  assert.deepEqual(items(d.newlyFailing), ["host:a:HP-1:passed->failed", "host:b:HP-2:waived->failed", "host:new1:HP-1:absent->failed", "cluster:c:HP-9:passed->failed"]);
  assert.deepEqual(items(d.newlyFixed), ["host:a:HP-2:failed->passed"]);
  assert.deepEqual(items(d.newlyUndetermined), ["host:b:HP-1:failed->undetermined"]);
  assert.deepEqual(d.newHosts, ["new1"]);
  assert.deepEqual(d.hostsGone, ["gone1"]);
  assert.equal(d.comparedWith, "2026-11-21T02:00:00.000Z");

  const text = formatDrift(d);
  assert.match(text, /^Drift since the run of 2026-11-21T02:00:00\.000Z: 4 newly failing, 1 fixed, 1 newly undetermined, 1 new host, 1 host gone\n/);
  assert.match(text, /✘ newly failing +a +HP-1 +\(was passed\)/);
  assert.match(text, /✘ newly failing +new1 +HP-1 +\(no result before\)/);
  assert.match(text, /✘ newly failing +cluster c +HP-9/);
  assert.match(text, /✔ fixed +a +HP-2 +\(passes now\)/);
  assert.match(text, /\? newly undetermined +b +HP-1 +\(was failed, cannot be read now\)/);
  assert.match(text, /\+ new hosts: new1/);
  assert.match(text, /- hosts gone: gone1/);
});

test("host names compare without regard to case, like everywhere else", () => {
  const d = drift(previous([["host", "FS01", "HP-1", "failed"]]), [["host", "fs01", "HP-1", "failed"]]);
  assert.equal(hasDrift(d), false);
  assert.match(formatDrift(d), /: no change\.$/m);
});

test("long lists are cut with a count", () => {
  const rows: Row[] = Array.from({ length: 25 }, (_, i) => ["host", `h${String(i).padStart(2, "0")}`, "HP-1", "failed"]);
  const d = drift(previous(rows.map(([k, n, c]) => [k, n, c, "passed"])), rows);
  const text = formatDrift(d, 10);
  assert.equal(text.split("\n").filter((l) => l.includes("✘")).length, 10);
  assert.match(text, /… and 15 more newly failing/);
});

test("a parsed summary.json is a previous run as it is", () => {
  const report = fixtureRunReport();
  const summary = JSON.parse(JSON.stringify(buildSummary(report))) as PreviousRun;
  const d = driftBetween(summary, report.results);
  assert.equal(hasDrift(d), false);
  assert.equal(d.comparedWith, report.startedAt);
});
