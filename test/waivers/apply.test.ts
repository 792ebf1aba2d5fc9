/** applyWaivers: scopes, statuses, expiry at the end of the UTC day, the warning window, notices. */
import { test } from "node:test";
import assert from "node:assert/strict";
import type { ControlMeta, JudgedStatus, Result, Target } from "../../src/model/result";
import type { Waiver } from "../../src/model/waiver";
import { applyWaivers, DEFAULT_WARN_DAYS, scopeCovers } from "../../src/waivers/apply";
import { daysLeft, expiryInstant, isExpired } from "../../src/waivers/expiry";
import { fixtureRunReport } from "../helpers/run-report";

const control = (id: string): ControlMeta => ({ id, title: `${id} title`, severity: "high", feature: "features/x.feature", featureName: "X", origin: "built-in", tags: [] });
const NIC = control("HP-NIC-001");
const CLU4 = control("HP-CLU-004");

const node1: Target = { kind: "host", name: "node1", cluster: "wgclus" };
const node2: Target = { kind: "host", name: "node2", cluster: "wgclus" };
const solo: Target = { kind: "host", name: "solo" };
const wgclus: Target = { kind: "cluster", name: "wgclus", cluster: "wgclus" };
const other: Target = { kind: "cluster", name: "mdclus", cluster: "mdclus" };

function res(c: ControlMeta, target: Target, status: JudgedStatus): Result {
  return {
    control: c,
    target,
    status,
    expected: "x",
    actual: "y",
    ...(status === "undetermined" ? { reason: { kind: "not-verifiable" as const, message: "no probe can read a password" } } : {}),
    details: [{ subject: "a", expected: "0", actual: "1", outcome: "deviation" as const }],
    evidence: [],
  };
}

const waiver = (over: Partial<Waiver> = {}): Waiver => ({
  controlId: "HP-NIC-001",
  scope: { host: "solo" },
  justification: "vendor driver needs VMQ",
  approver: "Jane Roe, CISO",
  reference: "CHG-1",
  expires: "2026-12-31",
  ...over,
});

const AS_OF = new Date("2026-11-22T00:00:00Z");

test("a failed result is waived, keeps its original status and everything the control found", () => {
  const input = [res(NIC, solo, "failed")];
  const { results, notices } = applyWaivers(input, [waiver({ id: "W-1" })], AS_OF, 14);
  const r = results[0]!;
  assert.equal(r.status, "waived");
  assert.deepEqual(r.waiver, {
    id: "W-1",
    index: 0,
    controlId: "HP-NIC-001",
    scope: { host: "solo" },
    justification: "vendor driver needs VMQ",
    approver: "Jane Roe, CISO",
    reference: "CHG-1",
    expires: "2026-12-31",
    runControl: true,
    originalStatus: "failed",
  });
  assert.equal(r.actual, "y");
  assert.deepEqual(r.details, input[0]!.details);
  assert.deepEqual(notices, []);
  assert.equal(input[0]!.status, "failed", "the input is not changed");
  assert.equal(input[0]!.waiver, undefined);
});

test("results keep their order and results of other controls are untouched (same object)", () => {
  const input = [res(CLU4, solo, "failed"), res(NIC, solo, "failed"), res(NIC, node1, "failed")];
  const { results } = applyWaivers(input, [waiver()], AS_OF, 14);
  assert.deepEqual(results.map((r) => r.status), ["failed", "waived", "failed"]);
  assert.equal(results[0], input[0]);
  assert.equal(results[2], input[2]);
});

test("scopes: a host covers that host only, a cluster its own result and its nodes', all every target", () => {
  assert.equal(scopeCovers({ host: "node1" }, node1), true);
  assert.equal(scopeCovers({ host: "NODE1" }, node1), true, "names compare without regard to case");
  assert.equal(scopeCovers({ host: "node1" }, node2), false);
  assert.equal(scopeCovers({ host: "wgclus" }, wgclus), false, "a host scope never covers a cluster result");
  assert.equal(scopeCovers({ cluster: "wgclus" }, wgclus), true);
  assert.equal(scopeCovers({ cluster: "WGclus" }, node2), true);
  assert.equal(scopeCovers({ cluster: "wgclus" }, solo), false);
  assert.equal(scopeCovers({ cluster: "wgclus" }, other), false);
  for (const t of [node1, solo, wgclus, other]) assert.equal(scopeCovers("all", t), true);

  const all = [res(NIC, node1, "failed"), res(NIC, node2, "failed"), res(NIC, solo, "failed"), res(NIC, wgclus, "failed"), res(NIC, other, "failed")];
  const statuses = (w: Waiver): string[] => applyWaivers(all, [w], AS_OF, 14).results.map((r) => r.status);
  assert.deepEqual(statuses(waiver({ scope: { host: "node2" } })), ["failed", "waived", "failed", "failed", "failed"]);
  assert.deepEqual(statuses(waiver({ scope: { cluster: "wgclus" } })), ["waived", "waived", "failed", "waived", "failed"]);
  assert.deepEqual(statuses(waiver({ scope: "all" })), ["waived", "waived", "waived", "waived", "waived"]);
});

test("undetermined: not waived by default (runControl true), waived with runControl false, with its reason kept", () => {
  const input = [res(CLU4, wgclus, "undetermined")];
  const plain = applyWaivers(input, [waiver({ controlId: "HP-CLU-004", scope: { cluster: "wgclus" } })], AS_OF, 14);
  assert.equal(plain.results[0]!.status, "undetermined");
  assert.equal(plain.notices.length, 1);
  assert.equal(plain.notices[0]!.kind, "not-needed");
  assert.match(plain.notices[0]!.message, /waived nothing: 1 result undetermined, which a waiver with runControl: true does not cover \(set runControl: false/);

  const attested = applyWaivers(input, [waiver({ controlId: "HP-CLU-004", scope: { cluster: "wgclus" }, runControl: false })], AS_OF, 14);
  const r = attested.results[0]!;
  assert.equal(r.status, "waived");
  assert.equal(r.waiver?.originalStatus, "undetermined");
  assert.equal(r.waiver?.runControl, false);
  assert.deepEqual(r.reason, { kind: "not-verifiable", message: "no probe can read a password" });
  assert.deepEqual(attested.notices, []);
});

test("runControl false still waives a failure, and never touches a pass or a not-applicable result", () => {
  const input = [res(NIC, node1, "failed"), res(NIC, node2, "passed"), res(NIC, wgclus, "notApplicable")];
  const { results, notices } = applyWaivers(input, [waiver({ scope: { cluster: "wgclus" }, runControl: false })], AS_OF, 14);
  assert.deepEqual(results.map((r) => r.status), ["waived", "passed", "notApplicable"]);
  assert.equal(results[1], input[1]);
  assert.equal(results[2], input[2]);
  assert.deepEqual(notices, []);
});

test("expiry: the waiver holds through 23:59:59.999 UTC of its day and not a millisecond longer", () => {
  assert.equal(expiryInstant("2026-12-31"), Date.parse("2026-12-31T23:59:59.999Z"));
  const input = [res(NIC, solo, "failed")];
  const at = (iso: string): string => applyWaivers(input, [waiver()], new Date(iso), 0).results[0]!.status;
  assert.equal(at("2026-12-31T00:00:00.000Z"), "waived");
  assert.equal(at("2026-12-31T23:59:59.999Z"), "waived");
  assert.equal(at("2027-01-01T00:00:00.000Z"), "failed");
  // A local time zone plays no part: 2026-12-31T20:00-05:00 is already 2027-01-01 in UTC.
  assert.equal(at("2026-12-31T20:00:00-05:00"), "failed");
  assert.equal(at("2026-12-31T23:30:00+01:00"), "waived");
  assert.equal(isExpired("2024-02-29", new Date("2024-02-29T23:59:59.999Z")), false, "leap day");
  assert.equal(isExpired("2024-02-29", new Date("2024-03-01T00:00:00Z")), true);
});

test("an expired waiver waives nothing; the result says so in its details and the notice names the targets", () => {
  const input = [res(NIC, node1, "failed"), res(NIC, node2, "passed")];
  const { results, notices } = applyWaivers(input, [waiver({ id: "W-9", scope: { cluster: "wgclus" }, expires: "2026-10-31" })], AS_OF, 14);
  assert.equal(results[0]!.status, "failed");
  assert.equal(results[0]!.waiver, undefined);
  assert.deepEqual(results[0]!.details?.at(-1), {
    subject: "waiver W-9",
    expected: "a waiver valid on 2026-11-22",
    actual: "expired at the end of 2026-10-31 UTC",
    outcome: "info",
    note: "vendor driver needs VMQ (approved by Jane Roe, CISO; CHG-1; expires 2026-10-31)",
  });
  assert.equal(results[0]!.details?.length, 2, "the judge's own details stay first");
  assert.equal(results[1], input[1], "a passing result is not annotated");
  assert.equal(notices.length, 1);
  const n = notices[0]!;
  assert.equal(n.kind, "expired");
  assert.deepEqual(n.targets, ["host node1"]);
  assert.equal(n.id, "W-9");
  assert.equal(n.index, 0);
  assert.match(n.message, /^W-9 \(HP-NIC-001 on cluster wgclus and its nodes\) expired at the end of 2026-10-31 UTC and no longer applies: 1 result that it covered counts again \(host node1\)\. Renew the approval/);
});

test("an expired waiver that matched nothing says so; one without id is named by its position", () => {
  const { notices } = applyWaivers([res(NIC, solo, "failed")], [waiver(), waiver({ scope: { host: "gone" }, expires: "2025-01-01" })], AS_OF, 14);
  assert.equal(notices.length, 1);
  assert.equal(notices[0]!.kind, "expired");
  assert.match(notices[0]!.message, /^waivers\[1\] \(HP-NIC-001 on host gone\) expired .*it matched no result in this run either/);
});

test("the warning window: inclusive of warnDays, counted in whole UTC days, 0 on the last day", () => {
  const input = [res(NIC, solo, "failed")];
  const warned = (expires: string, warnDays: number, asOf: Date = AS_OF) => applyWaivers(input, [waiver({ expires })], asOf, warnDays).notices.filter((n) => n.kind === "expiring");
  assert.equal(daysLeft("2026-12-06", AS_OF), 14);
  assert.equal(warned("2026-12-06", 14).length, 1);
  assert.equal(warned("2026-12-07", 14).length, 0);
  assert.equal(warned("2026-12-06", 14)[0]!.daysLeft, 14);
  assert.match(warned("2026-12-06", 14)[0]!.message, /expires at the end of 2026-12-06 UTC \(14 days left\): renew the approval or fix what it waives\./);
  const last = warned("2026-11-22", 0, new Date("2026-11-22T18:00:00Z"));
  assert.equal(last.length, 1);
  assert.equal(last[0]!.daysLeft, 0);
  assert.match(last[0]!.message, /today is its last day/);
  assert.equal(warned("2026-11-23", 1)[0]!.message.includes("(1 day left)"), true);
  assert.equal(DEFAULT_WARN_DAYS, 14);
  // Expiring soon still waives.
  assert.equal(applyWaivers(input, [waiver({ expires: "2026-11-23" })], AS_OF, 14).results[0]!.status, "waived");
  // Expired is not also "expiring".
  assert.deepEqual(applyWaivers(input, [waiver({ expires: "2026-11-21" })], AS_OF, 14).notices.map((n) => n.kind), ["expired"]);
});

test("a waiver that matches no result: a notice saying what to check", () => {
  const input = [res(NIC, solo, "failed")];
  const { notices } = applyWaivers(input, [waiver({ controlId: "HP-DNS-001" }), waiver({ scope: { host: "nosuch" } }), waiver({ scope: { cluster: "nosuch" } })], AS_OF, 14);
  assert.deepEqual(notices.map((n) => [n.kind, n.index]), [["unmatched", 0], ["unmatched", 1], ["unmatched", 2]]);
  assert.match(notices[0]!.message, /^waivers\[0\] \(HP-DNS-001 on host solo\) matched no result in this run: check that its scope names a host or cluster of the inventory, and that --tags selects HP-DNS-001\./);
});

test("a waiver whose results all pass is not needed, and says why; one that is both expiring and unmatched gets both notices", () => {
  const { notices } = applyWaivers([res(NIC, node1, "passed"), res(NIC, node2, "notApplicable")], [waiver({ scope: "all" }), waiver({ scope: { host: "x" }, expires: "2026-11-25" })], AS_OF, 14);
  assert.deepEqual(notices.map((n) => [n.index, n.kind]), [[0, "not-needed"], [1, "expiring"], [1, "unmatched"]]);
  assert.match(notices[0]!.message, /waived nothing: 1 result passed; 1 result not applicable\./);
});

test("precedence: host over cluster over all, then the later expiry, then file order; an outranked waiver is not needed", () => {
  const input = [res(NIC, node1, "failed"), res(NIC, node2, "failed")];
  const ws = [waiver({ id: "all", scope: "all" }), waiver({ id: "clu", scope: { cluster: "wgclus" } }), waiver({ id: "host", scope: { host: "node1" } })];
  const { results, notices } = applyWaivers(input, ws, AS_OF, 14);
  assert.deepEqual(results.map((r) => r.waiver?.id), ["host", "clu"]);
  assert.deepEqual(notices.map((n) => [n.id, n.kind]), [["all", "not-needed"]]);
  assert.match(notices[0]!.message, /2 results waived by a more specific or longer waiver/);

  const later = applyWaivers(input, [waiver({ id: "a", scope: "all", expires: "2026-12-01" }), waiver({ id: "b", scope: "all", expires: "2027-03-01" })], AS_OF, 14);
  assert.deepEqual(later.results.map((r) => r.waiver?.id), ["b", "b"]);
  const same = applyWaivers(input, [waiver({ id: "a", scope: "all" }), waiver({ id: "b", scope: "all" })], AS_OF, 14);
  assert.deepEqual(same.results.map((r) => r.waiver?.id), ["a", "a"]);
});

test("an expired specific waiver gives way to a valid broader one; the expired one is reported, the result waived", () => {
  const input = [res(NIC, node1, "failed")];
  const { results, notices } = applyWaivers(input, [waiver({ id: "old", scope: { host: "node1" }, expires: "2026-01-31" }), waiver({ id: "new", scope: { cluster: "wgclus" } })], AS_OF, 14);
  assert.equal(results[0]!.status, "waived");
  assert.equal(results[0]!.waiver?.id, "new");
  assert.equal(results[0]!.details?.length, 1, "no lapse row: a valid waiver covers it");
  assert.deepEqual(notices.map((n) => [n.id, n.kind, n.targets]), [["old", "expired", []]]);
  assert.match(notices[0]!.message, /no result it matches needed it/);
});

test("no waivers: the results come back as they were, with no notices", () => {
  const input = [res(NIC, node1, "failed"), res(CLU4, wgclus, "undetermined")];
  const { results, notices } = applyWaivers(input, [], AS_OF, 14);
  assert.deepEqual(results, input);
  assert.deepEqual(notices, []);
});

test("applying twice changes nothing more: an already waived result is not waived again", () => {
  const ws = [waiver({ scope: "all" })];
  const once = applyWaivers([res(NIC, solo, "failed")], ws, AS_OF, 14).results;
  const twice = applyWaivers(once, ws, AS_OF, 14);
  assert.deepEqual(twice.results, once);
  assert.match(twice.notices[0]!.message, /waived nothing: 1 result already waived\./);
});

test("the reporters' fixture agrees with applyWaivers: its waived result and notices are what applying its waivers gives", () => {
  const report = fixtureRunReport();
  const judged = report.results.map(({ waiver: w, ...r }): Result => (w === undefined ? r : { ...r, status: w.originalStatus }));
  const { results, notices } = applyWaivers(judged, report.waivers!.waivers, new Date(`${report.asOf}T00:00:00Z`), report.waivers!.warnDays);
  assert.deepEqual(results, report.results);
  assert.deepEqual(notices, report.waivers!.notices);
});

test("a { directory: <DN> } waiver is applied in the rows by the judge; its use, or its lapse, is read back from them", () => {
  const DIR2 = control("HP-DIR-002");
  const directory: Target = { kind: "directory", name: "corp.example" };
  const rows = [
    { subject: "OLD2003", expected: "in the inventory", actual: "not audited", outcome: "allowed" as const, note: "…; waived by L-1", waiverIndex: 0 },
    { subject: "OLD2000", expected: "in the inventory", actual: "not audited", outcome: "deviation" as const, note: "…; waiver L-2 expired", waiverIndex: 1 },
  ];
  const result: Result = { control: DIR2, target: directory, status: "failed", expected: "x", actual: "y", details: rows, evidence: [] };
  const w = (id: string, directoryDn: string, expires: string): Waiver => waiver({ id, controlId: "HP-DIR-002", scope: { directory: directoryDn }, expires });
  const { results, notices } = applyWaivers([result], [w("L-1", "OU=Legacy,DC=corp,DC=example", "2027-06-30"), w("L-2", "OU=Old,DC=corp,DC=example", "2026-12-01"), w("L-3", "OU=None,DC=corp,DC=example", "2027-06-30")], new Date("2026-12-06T00:00:00Z"));
  assert.equal(results[0]!.status, "failed", "the result's status is the judge's: a directory waiver never waives the whole directory");
  assert.equal(scopeCovers({ directory: "DC=corp,DC=example" }, directory), false);
  assert.deepEqual(notices.map((n) => [n.id, n.kind]), [["L-2", "expired"], ["L-3", "unmatched"]], "L-1 was used: no notice");
  assert.match(notices[0]!.message, /counts again \(OLD2000 in directory corp\.example\)/);
  assert.match(notices[1]!.message, /an object or OU of the directory snapshot/);
});
