/**
 * HP-WU-001 on records as the collector writes them (the snapshot builder's simulated registry):
 * which source is read, Group Policy over MDM, WSUS as not applicable, and what an unreadable key
 * becomes.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import {
  judgeQualityUpdateDeferral,
  UPDATE_DEFERRAL_PROBES,
  UPDATE_MDM_POLICY_KEY,
  WINDOWS_UPDATE_AU_POLICY_KEY,
  WINDOWS_UPDATE_POLICY_KEY,
} from "../../src/judge/update-deferral";
import type { ProbeRecord } from "../../src/model/snapshot";
import type { Judgement } from "../../src/model/result";
import { expectStatus, hostCtx, hostFacts, inputs } from "../helpers/host-facts";
import { buildGenericRecords, type HostSpec, type SnapshotOptions } from "../helpers/snapshot-builder";

const POLICY = "HKLM\\SOFTWARE\\Policies\\Microsoft\\Windows\\WindowsUpdate";
const AU = `${POLICY}\\AU`;
const MDM = "HKLM\\SOFTWARE\\Microsoft\\PolicyManager\\current\\device\\Update";

type Registry = NonNullable<HostSpec["system"]>["registry"];

function records(registry: Registry, options: Omit<SnapshotOptions, "generic"> = {}): Record<string, ProbeRecord> {
  return buildGenericRecords({ name: "h1", system: { registry } }, UPDATE_DEFERRAL_PROBES, options);
}

function judge(recs: Record<string, ProbeRecord>, window?: { minDays: number; maxDays: number }): Judgement {
  const facts = hostFacts("h1", { records: recs });
  return judgeQualityUpdateDeferral(hostCtx(facts, window ? { inputs: inputs({ updateDeferral: window }) } : {}));
}

const cited = (j: Judgement): string[] => j.evidence.map((e) => e.probe);
const row = (j: Judgement, subject: string) => j.details?.find((d) => d.subject.startsWith(subject));
const denied = (): ProbeRecord => ({ command: "(reader)", startedAt: "2026-11-20T09:00:01.000Z", error: { kind: "access-denied", message: "Requested registry access is not allowed." } });

test("Group Policy deferral within the window passes, naming the policy key as the source", () => {
  const j = expectStatus(judge(records({ [POLICY]: { DeferQualityUpdates: 1, DeferQualityUpdatesPeriodInDays: 14 } })), "passed");
  assert.equal(j.actual, "14 days, from the policy key (Group Policy): DeferQualityUpdates = 1, DeferQualityUpdatesPeriodInDays = 14");
  assert.match(j.rule ?? "", /^source: the policy key \(Group Policy\); Group Policy wins over MDM/);
  assert.deepEqual(cited(j), [WINDOWS_UPDATE_AU_POLICY_KEY.id, WINDOWS_UPDATE_POLICY_KEY.id]);
  assert.equal(row(j, "the policy key")?.outcome, "ok");
  assert.equal(row(j, "WSUS")?.actual, `${AU} does not exist`);
});

test("a period outside the window fails and says so; the window comes from the inventory", () => {
  const short = expectStatus(judge(records({ [POLICY]: { DeferQualityUpdates: 1, DeferQualityUpdatesPeriodInDays: 3 } })), "failed");
  assert.match(short.actual, /^3 days, outside 7 to 30 days, from the policy key/);
  assert.equal(row(short, "the policy key")?.outcome, "deviation");
  const strict = expectStatus(judge(records({ [POLICY]: { DeferQualityUpdates: 1, DeferQualityUpdatesPeriodInDays: 14 } }), { minDays: 21, maxDays: 30 }), "failed");
  assert.match(strict.actual, /^14 days, outside 21 to 30 days/);
  assert.match(strict.expected, /deferred 21 to 30 days/);
  expectStatus(judge(records({ [POLICY]: { DeferQualityUpdates: 1, DeferQualityUpdatesPeriodInDays: 21 } }), { minDays: 21, maxDays: 30 }), "passed");
});

test("Group Policy with deferral off, without a period, or with a value of the wrong type fails: Windows defers nothing", () => {
  const off = expectStatus(judge(records({ [POLICY]: { DeferQualityUpdates: 0, DeferQualityUpdatesPeriodInDays: 14 } })), "failed");
  assert.match(off.actual, /^no deferral in force, from the policy key \(Group Policy\): DeferQualityUpdates = 0, DeferQualityUpdatesPeriodInDays = 14: deferral is off$/);
  const noPeriod = expectStatus(judge(records({ [POLICY]: { DeferQualityUpdates: 1 } })), "failed");
  assert.match(noPeriod.actual, /DeferQualityUpdatesPeriodInDays not set: no period in force$/);
  const asText = expectStatus(judge(records({ [POLICY]: { DeferQualityUpdates: 1, DeferQualityUpdatesPeriodInDays: "14" } })), "failed");
  assert.match(asText.actual, /DeferQualityUpdatesPeriodInDays = "14" \(String\), ignored: not a DWORD/);
});

test("the MDM key alone: its DeferQualityUpdatesPeriodInDays decides, and the result names the MDM key as the source", () => {
  const j = expectStatus(judge(records({ [MDM]: { DeferQualityUpdatesPeriodInDays: 10, DeferQualityUpdatesPeriodInDays_ProviderSet: 1 } })), "passed");
  assert.equal(j.actual, "10 days, from the MDM PolicyManager key: DeferQualityUpdatesPeriodInDays = 10");
  assert.match(j.rule ?? "", /^source: the MDM PolicyManager key;/);
  assert.deepEqual(cited(j), [WINDOWS_UPDATE_AU_POLICY_KEY.id, WINDOWS_UPDATE_POLICY_KEY.id, UPDATE_MDM_POLICY_KEY.id]);
  assert.equal(row(j, "the policy key")?.outcome, "not-present");
  const zero = expectStatus(judge(records({ [MDM]: { DeferQualityUpdatesPeriodInDays: 0 } })), "failed");
  assert.match(zero.actual, /^0 days, outside 7 to 30 days, from the MDM PolicyManager key/);
});

test("both set: Group Policy wins, either way, and the MDM value is shown as not in force", () => {
  const gpWins = expectStatus(judge(records({ [POLICY]: { DeferQualityUpdates: 1, DeferQualityUpdatesPeriodInDays: 14 }, [MDM]: { DeferQualityUpdatesPeriodInDays: 3 } })), "passed");
  assert.match(gpWins.actual, /from the policy key \(Group Policy\)/);
  const mdmRow = row(gpWins, "the MDM");
  assert.equal(mdmRow?.outcome, "info");
  assert.match(mdmRow?.note ?? "", /Group Policy sets the deferral and wins/);
  assert.ok(cited(gpWins).includes(UPDATE_MDM_POLICY_KEY.id), "a key shown in the details is cited");
  const gpOff = expectStatus(judge(records({ [POLICY]: { DeferQualityUpdates: 0 }, [MDM]: { DeferQualityUpdatesPeriodInDays: 14 } })), "failed");
  assert.match(gpOff.actual, /from the policy key \(Group Policy\)/);
});

test("no policy anywhere (keys that do not exist are an answer) fails with 'no deferral policy' and source none", () => {
  const j = expectStatus(judge(records({})), "failed");
  assert.match(j.actual, /^no deferral policy:/);
  assert.match(j.rule ?? "", /^source: none;/);
  assert.deepEqual(j.details?.map((d) => d.outcome), ["not-present", "not-present", "not-present"]);
  // The policy key with unrelated values is no deferral policy either.
  expectStatus(judge(records({ [POLICY]: { ElevateNonAdmins: 1 } })), "failed");
});

test("WSUS or Configuration Manager: not applicable, naming the server, never passed, whatever the deferral values say", () => {
  const server = "https://wsus01.corp.contoso.test:8531";
  for (const deferral of [{}, { DeferQualityUpdates: 1, DeferQualityUpdatesPeriodInDays: 14 }] as Record<string, number>[]) {
    const j = expectStatus(judge(records({ [AU]: { UseWUServer: 1, NoAutoUpdate: 0 }, [POLICY]: { WUServer: server, WUStatusServer: server, ...deferral } })), "notApplicable");
    assert.match(j.reason?.message ?? "", new RegExp(`h1 takes its updates from ${server.replace(/\./g, "\\.")} \\(UseWUServer = 1\\)`));
    assert.match(j.actual, /managed by WSUS or Configuration Manager/);
    assert.deepEqual(cited(j), [WINDOWS_UPDATE_AU_POLICY_KEY.id, WINDOWS_UPDATE_POLICY_KEY.id]);
  }
  const noServer = expectStatus(judge(records({ [AU]: { UseWUServer: 1 } })), "notApplicable");
  assert.match(noServer.reason?.message ?? "", /\(WUServer is not set\)/);
  // UseWUServer 0 is Windows Update: judged.
  expectStatus(judge(records({ [AU]: { UseWUServer: 0 }, [POLICY]: { WUServer: server, DeferQualityUpdates: 1, DeferQualityUpdatesPeriodInDays: 14 } })), "passed");
});

test("unreadable keys: undetermined with the problem's kind, unless what was read already decides", () => {
  const all = expectStatus(judge(records({ [POLICY]: { DeferQualityUpdates: 1, DeferQualityUpdatesPeriodInDays: 14 } }, { cmdlets: { "Get-Item": "access-denied" } })), "undetermined");
  assert.equal(all.reason?.kind, "access-denied");
  assert.deepEqual(cited(all), [WINDOWS_UPDATE_AU_POLICY_KEY.id]);

  const gp = records({ [POLICY]: { DeferQualityUpdates: 1, DeferQualityUpdatesPeriodInDays: 14 } });
  const policyDenied = expectStatus(judge({ ...gp, [WINDOWS_UPDATE_POLICY_KEY.id]: denied() }), "undetermined");
  assert.equal(policyDenied.reason?.kind, "access-denied");
  assert.match(policyDenied.reason?.message ?? "", /probe registry:HKLM\\SOFTWARE\\Policies\\Microsoft\\Windows\\WindowsUpdate could not be read/);

  // Group Policy decides: an unreadable MDM key cannot change that, and is not cited.
  const mdmDenied = expectStatus(judge({ ...gp, [UPDATE_MDM_POLICY_KEY.id]: denied() }), "passed");
  assert.ok(!cited(mdmDenied).includes(UPDATE_MDM_POLICY_KEY.id));
  // Without Group Policy the MDM key decides, so not reading it leaves the result open.
  const open = expectStatus(judge({ ...records({}), [UPDATE_MDM_POLICY_KEY.id]: denied() }), "undetermined");
  assert.equal(open.reason?.kind, "access-denied");

  // WSUS is known from the AU key; an unreadable policy key only hides the server's name.
  const wsus = records({ [AU]: { UseWUServer: 1 } });
  const hidden = expectStatus(judge({ ...wsus, [WINDOWS_UPDATE_POLICY_KEY.id]: denied() }), "notApplicable");
  assert.match(hidden.reason?.message ?? "", /\(WUServer could not be read: access-denied\)/);

  // A snapshot collected for other controls.
  assert.equal(expectStatus(judge({}), "undetermined").reason?.kind, "not-collected");
});

test("an empty window in the inventory is undetermined (not verifiable), not a failure of the host", () => {
  const j = expectStatus(judge(records({ [POLICY]: { DeferQualityUpdates: 1, DeferQualityUpdatesPeriodInDays: 14 } }), { minDays: 20, maxDays: 10 }), "undetermined");
  assert.equal(j.reason?.kind, "not-verifiable");
});
