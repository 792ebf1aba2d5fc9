/**
 * HP-WU-001: quality updates are held back for a while before they deploy (Windows Update for
 * Business deferral), so that a bad monthly update is found on someone else's machines first.
 *
 * Three registry keys, read by generic probes:
 * - the Group Policy key `…\Policies\Microsoft\Windows\WindowsUpdate`: DeferQualityUpdates (1 on)
 *   and DeferQualityUpdatesPeriodInDays, and WUServer;
 * - its `AU` subkey: UseWUServer = 1 sends the host to WSUS or Configuration Manager, where the
 *   delay lives (approval rules, the available time of deployment rules) and cannot be read on the
 *   host: not applicable, never passed;
 * - the MDM key `…\PolicyManager\current\device\Update`, where the Update CSP's
 *   DeferQualityUpdatesPeriodInDays lands (the CSP has no separate on/off value; 0 is no delay).
 *
 * Precedence: where both set a deferral, Group Policy wins, and MDMWinsOverGP is not read. Microsoft
 * documents that MDMWinsOverGP (ControlPolicyConflict CSP) does not apply to the Update policy CSP,
 * so reading it would only make the control claim a precedence Windows does not give. The user
 * setting under `…\WindowsUpdate\UX\Settings` is not policy and is not read.
 *
 * A key that does not exist is an answer (no policy there); one that cannot be read leaves the
 * result undetermined, unless what was read already decides it.
 */
import { registryKey, registryValue } from "../facts/generic";
import type { RegistryKeyFact, RegistryValueFact } from "../model/facts";
import type { DetailRow, EvidenceRef, Judgement } from "../model/result";
import { genericProbe, type GenericProbe } from "../probes/generic";
import { evidence, notApplicable, notVerifiable, undeterminedFromFact } from "./common";
import type { HostJudge } from "./context";

export const WINDOWS_UPDATE_POLICY_KEY = genericProbe.registry("HKLM\\SOFTWARE\\Policies\\Microsoft\\Windows\\WindowsUpdate");
export const WINDOWS_UPDATE_AU_POLICY_KEY = genericProbe.registry("HKLM\\SOFTWARE\\Policies\\Microsoft\\Windows\\WindowsUpdate\\AU");
export const UPDATE_MDM_POLICY_KEY = genericProbe.registry("HKLM\\SOFTWARE\\Microsoft\\PolicyManager\\current\\device\\Update");

/** What HP-WU-001 reads, for its check binding. */
export const UPDATE_DEFERRAL_PROBES: readonly GenericProbe[] = [WINDOWS_UPDATE_AU_POLICY_KEY, WINDOWS_UPDATE_POLICY_KEY, UPDATE_MDM_POLICY_KEY];

const PRECEDENCE = "Group Policy wins over MDM (Microsoft: MDMWinsOverGP does not apply to the Update policy CSP)";
const POLICY_SOURCE = "the policy key (Group Policy)";
const MDM_SOURCE = "the MDM PolicyManager key";

/** A DWORD as Windows reads a policy: a value of another type is ignored. */
interface Dword {
  present: boolean;
  value: number | null;
  shown: string;
}

function dword(key: RegistryKeyFact, name: string): Dword {
  const v: RegistryValueFact | undefined = key.exists ? registryValue(key, name) : undefined;
  if (v === undefined) return { present: false, value: null, shown: `${name} not set` };
  const isDword = typeof v.data === "number" && (v.kind === null || v.kind.toLowerCase() === "dword");
  if (isDword) return { present: true, value: v.data as number, shown: `${name} = ${v.data as number}` };
  return { present: true, value: null, shown: `${name} = ${JSON.stringify(v.data)} (${v.kind ?? "unknown type"}), ignored: not a DWORD` };
}

function text(key: RegistryKeyFact, name: string): string | null {
  const v = key.exists ? registryValue(key, name) : undefined;
  return typeof v?.data === "string" && v.data.trim() !== "" ? v.data.trim() : null;
}

function keyName(probe: GenericProbe): string {
  return probe.id.slice("registry:".length);
}

interface Deferral {
  /** Whether the source sets a deferral at all (a source that does not is passed over). */
  configured: boolean;
  /** The days in force from this source; null when the source turns deferral off or sets no usable number. */
  days: number | null;
  shown: string;
}

function policyDeferral(key: RegistryKeyFact): Deferral {
  const on = dword(key, "DeferQualityUpdates");
  const period = dword(key, "DeferQualityUpdatesPeriodInDays");
  const shown = key.exists ? `${on.shown}, ${period.shown}` : "the key does not exist";
  // The ADMX writes both values or deletes both; either alone still means Group Policy holds the setting.
  const configured = on.present || period.present;
  if (!configured) return { configured, days: null, shown: key.exists ? "no deferral values" : shown };
  if (on.value !== 1) return { configured, days: null, shown: `${shown}: deferral is off` };
  if (period.value === null) return { configured, days: null, shown: `${shown}: no period in force` };
  return { configured, days: period.value, shown };
}

function mdmDeferral(key: RegistryKeyFact): Deferral {
  const period = dword(key, "DeferQualityUpdatesPeriodInDays");
  const shown = key.exists ? period.shown : "the key does not exist";
  if (!period.present) return { configured: false, days: null, shown };
  return { configured: true, days: period.value, shown };
}

function sourceRow(subject: string, d: Deferral, inWindow: (days: number) => boolean, expected: string, overriddenBy?: string): DetailRow {
  if (!d.configured) return { subject, expected, actual: d.shown, outcome: "not-present" };
  if (overriddenBy !== undefined) return { subject, expected, actual: d.shown, outcome: "info", note: `not in force: ${overriddenBy}` };
  return { subject, expected, actual: d.shown, outcome: d.days !== null && inWindow(d.days) ? "ok" : "deviation" };
}

export const judgeQualityUpdateDeferral: HostJudge = ({ facts, inputs }) => {
  const { host } = facts;
  const { minDays, maxDays } = inputs.updateDeferral;
  const window = `${minDays} to ${maxDays} days`;
  const expected = `quality updates deferred ${window} by policy (Windows Update for Business), unless WSUS or Configuration Manager holds them back on the server`;
  const mdmExpected = `DeferQualityUpdatesPeriodInDays ${window}`;
  const gpExpected = `DeferQualityUpdates = 1 and ${mdmExpected}`;
  const inWindow = (days: number): boolean => days >= minDays && days <= maxDays;

  const au = registryKey(facts, WINDOWS_UPDATE_AU_POLICY_KEY);
  if (!au.ok) return undeterminedFromFact(host, au, expected);
  const policy = registryKey(facts, WINDOWS_UPDATE_POLICY_KEY);
  const refs: EvidenceRef[] = [evidence(host, WINDOWS_UPDATE_AU_POLICY_KEY.id), evidence(host, WINDOWS_UPDATE_POLICY_KEY.id)];
  const useWuServer = dword(au.value, "UseWUServer");
  const wsusRow: DetailRow = {
    subject: "WSUS / Configuration Manager",
    expected: "UseWUServer = 1 hands the decision to the update server",
    actual: au.value.exists ? useWuServer.shown : `${keyName(WINDOWS_UPDATE_AU_POLICY_KEY)} does not exist`,
    outcome: useWuServer.value === 1 ? "info" : "not-present",
  };

  if (useWuServer.value === 1) {
    // The host is managed by the server whatever WUServer says; an unreadable WUServer only hides its name.
    const server = policy.ok ? text(policy.value, "WUServer") ?? "(WUServer is not set)" : `(WUServer could not be read: ${policy.problem.kind})`;
    return {
      status: "notApplicable",
      expected,
      actual: `managed by WSUS or Configuration Manager: UseWUServer = 1, WUServer ${server}`,
      rule: "a host that takes its updates from WSUS or Configuration Manager keeps its delay on that server, which the host cannot show",
      reason: notApplicable(`${host} takes its updates from ${server} (UseWUServer = 1): the delay is set there (approval rules, the available time of a deployment rule), not on the host`),
      details: [{ ...wsusRow, actual: `${useWuServer.shown}, WUServer ${server}` }],
      evidence: policy.ok ? refs : [refs[0]!, evidence(host, policy.probe)],
    };
  }
  if (!policy.ok) return undeterminedFromFact(host, policy, expected, { evidence: refs, details: [wsusRow] });
  if (minDays > maxDays) {
    return {
      status: "undetermined",
      expected,
      actual: `the inventory's window is empty: updateDeferral.minDays ${minDays} is above maxDays ${maxDays}`,
      reason: notVerifiable(`${host}: inputs.updateDeferral gives minDays ${minDays} and maxDays ${maxDays}; no deferral can be within that`),
      evidence: [],
    };
  }

  const gp = policyDeferral(policy.value);
  const mdm = registryKey(facts, UPDATE_MDM_POLICY_KEY);
  const verdict = (source: string, d: Deferral, details: DetailRow[], cited: EvidenceRef[]): Judgement => {
    const pass = d.days !== null && inWindow(d.days);
    const days = d.days === null ? "no deferral in force" : `${d.days} day${d.days === 1 ? "" : "s"}${pass ? "" : `, outside ${window}`}`;
    return { status: pass ? "passed" : "failed", expected, actual: `${days}, from ${source}: ${d.shown}`, rule: `source: ${source}; ${PRECEDENCE}`, details, evidence: cited };
  };

  if (gp.configured) {
    // The MDM key cannot change the outcome here; it is shown when readable so that a conflict is visible.
    const details = [wsusRow, sourceRow(POLICY_SOURCE, gp, inWindow, gpExpected)];
    const cited = [...refs];
    if (mdm.ok) {
      const m = mdmDeferral(mdm.value);
      if (m.configured) {
        details.push(sourceRow(MDM_SOURCE, m, inWindow, mdmExpected, "Group Policy sets the deferral and wins"));
        cited.push(evidence(host, UPDATE_MDM_POLICY_KEY.id));
      }
    }
    return verdict(POLICY_SOURCE, gp, details, cited);
  }

  if (!mdm.ok) return undeterminedFromFact(host, mdm, expected, { evidence: refs, details: [wsusRow, sourceRow(POLICY_SOURCE, gp, inWindow, gpExpected)] });
  const cited = [...refs, evidence(host, UPDATE_MDM_POLICY_KEY.id)];
  const m = mdmDeferral(mdm.value);
  const details = [wsusRow, sourceRow(POLICY_SOURCE, gp, inWindow, gpExpected), sourceRow(MDM_SOURCE, m, inWindow, mdmExpected)];
  if (m.configured) return verdict(MDM_SOURCE, m, details, cited);
  return {
    status: "failed",
    expected,
    actual: "no deferral policy: neither the policy key nor the MDM PolicyManager key sets DeferQualityUpdatesPeriodInDays, so quality updates install as soon as they are offered",
    rule: `source: none; ${PRECEDENCE}`,
    details,
    evidence: cited,
  };
};

