/**
 * The step library's judges: a fact read by a generic probe compared with what the feature states.
 * Each returns a HostJudge for one step's arguments, pure like every other judge. A fact that could
 * not be read (or was not collected) is undetermined, never passed.
 */
import * as facts from "../facts/generic";
import { integer } from "../facts/shape";
import type { Fact, HostFacts, HotfixFact, RegistryValueFact } from "../model/facts";
import type { JsonValue } from "../model/json";
import type { DetailRow, Judgement } from "../model/result";
import type { GenericProbe } from "../probes/generic";
import { accountNamePart, evidence, sameSid, undeterminedFromFact } from "./common";
import type { HostJudge } from "./context";

interface Verdict {
  pass: boolean;
  actual: string;
  details?: DetailRow[];
  /** Why the result came out so, where the bare values do not say it (e.g. "not present on this host"). */
  rule?: string;
}

/** The common frame: unread facts are undetermined; a read fact is decided by `decide`. */
function compare<T>(read: (f: HostFacts) => Fact<T>, expected: string, decide: (value: T) => Verdict): HostJudge {
  return ({ facts: hostFacts }) => {
    const fact = read(hostFacts);
    if (!fact.ok) return undeterminedFromFact(hostFacts.host, fact, expected);
    const v = decide(fact.value);
    const judgement: Judgement = { status: v.pass ? "passed" : "failed", expected, actual: v.actual, evidence: [evidence(hostFacts.host, fact.probe)] };
    if (v.details !== undefined) judgement.details = v.details;
    if (v.rule !== undefined) judgement.rule = v.rule;
    return judgement;
  };
}

// ------------------------------------------------------------------ registry

/** What a registry step states about one value. */
export type RegistryExpectation =
  | { is: number | string }
  | { oneOf: readonly string[] }
  | { atLeast: number }
  | { atMost: number }
  | { exists: true }
  | { absent: true }
  | { contains: readonly string[] };

function shownData(v: RegistryValueFact): string {
  const data = Array.isArray(v.data) ? `[${v.data.map((d) => JSON.stringify(d)).join(", ")}]` : typeof v.data === "string" ? JSON.stringify(v.data) : String(v.data);
  return `${data}${v.kind ? ` (${v.kind})` : ""}`;
}

function describeRegistry(e: RegistryExpectation): string {
  if ("is" in e) return `is ${typeof e.is === "number" ? e.is : JSON.stringify(e.is)}`;
  if ("oneOf" in e) return `is one of ${e.oneOf.map((x) => JSON.stringify(x)).join(", ")}`;
  if ("atLeast" in e) return `is at least ${e.atLeast}`;
  if ("atMost" in e) return `is at most ${e.atMost}`;
  if ("exists" in e) return "exists";
  if ("absent" in e) return "is absent";
  return `contains ${e.contains.map((x) => JSON.stringify(x)).join(", ")}`;
}

/** A table cell or argument as registry data: a whole number matches a DWORD/QWORD, text a string. */
function sameData(data: JsonValue, wanted: number | string): boolean {
  if (typeof data === "number") return typeof wanted === "number" ? data === wanted : /^-?\d+$/.test(wanted.trim()) && data === Number(wanted.trim());
  return typeof data === "string" && typeof wanted === "string" && data === wanted;
}

export function judgeRegistryValue(probe: GenericProbe, valueName: string, e: RegistryExpectation): HostJudge {
  const where = `${probe.id.slice("registry:".length)}\\${valueName}`;
  const expected = `${where} ${describeRegistry(e)}`;
  return compare((f) => facts.registryKey(f, probe), expected, (key) => {
    const value = key.exists ? facts.registryValue(key, valueName) : undefined;
    const missing = key.exists ? "the value is absent" : "the key does not exist";
    if ("absent" in e) return { pass: value === undefined, actual: value === undefined ? missing : `present: ${shownData(value)}` };
    if (value === undefined) return { pass: false, actual: missing };
    const actual = shownData(value);
    if ("exists" in e) return { pass: true, actual };
    // `is {string}` is exactly that text: a DWORD 1 is not the REG_SZ "1" a text setting needs (Windows ignores a value of the wrong type).
    if ("is" in e) return { pass: typeof e.is === "number" ? sameData(value.data, e.is) : typeof value.data === "string" && value.data === e.is, actual };
    if ("oneOf" in e) return { pass: e.oneOf.some((w) => sameData(value.data, w)), actual };
    if ("atLeast" in e || "atMost" in e) {
      if (typeof value.data !== "number") return { pass: false, actual: `${actual}, not a number` };
      return { pass: "atLeast" in e ? value.data >= e.atLeast : value.data <= e.atMost, actual };
    }
    const items = Array.isArray(value.data) ? value.data : [value.data];
    const lacking = e.contains.filter((w) => !items.some((i) => typeof i === "string" && i.toLowerCase() === w.toLowerCase()));
    return { pass: lacking.length === 0, actual: lacking.length === 0 ? actual : `${actual}; lacks ${lacking.map((l) => JSON.stringify(l)).join(", ")}` };
  });
}

// ------------------------------------------------------------------ service

export type ServiceExpectation = { exists: boolean } | { status: "Running" | "Stopped" } | { startType: string };

export function judgeService(probe: GenericProbe, name: string, e: ServiceExpectation): HostJudge {
  const expected =
    "exists" in e ? `the service ${name} ${e.exists ? "exists" : "does not exist"}`
    : "status" in e ? `the service ${name} is ${e.status.toLowerCase()}`
    : `the service ${name} has start type ${e.startType}`;
  return compare((f) => facts.service(f, probe), expected, (s) => {
    if (!s.exists) return { pass: "exists" in e && !e.exists, actual: `no service named ${name}` };
    const actual = `${name}${s.displayName ? ` (${s.displayName})` : ""}: status ${s.status ?? "not reported"}, start type ${s.startType ?? "not reported"}`;
    if ("exists" in e) return { pass: e.exists, actual };
    if ("status" in e) return { pass: s.status === e.status, actual };
    return { pass: s.startType !== null && s.startType.toLowerCase() === e.startType.toLowerCase(), actual };
  });
}

// ------------------------------------------------------------------ features

export function judgeWindowsFeature(probe: GenericProbe, name: string, installed: boolean): HostJudge {
  const expected = `the Windows feature ${name} is ${installed ? "installed" : "not installed"}`;
  return compare((f) => facts.windowsFeature(f, probe), expected, (feature) => {
    if (!feature.exists || feature.feature === null) return { pass: !installed, actual: `no feature named ${name} on this host`, rule: "a feature the host does not know is not installed" };
    const state = feature.feature.installState;
    return { pass: feature.feature.installed === installed, actual: `${feature.feature.name}: ${feature.feature.installed ? "installed" : "not installed"}${state !== null ? ` (InstallState ${state})` : ""}` };
  });
}

export function judgeOptionalFeature(probe: GenericProbe, name: string, enabled: boolean): HostJudge {
  const expected = `the Windows optional feature ${name} is ${enabled ? "enabled" : "disabled"}`;
  return compare((f) => facts.optionalFeature(f, probe), expected, (feature) => {
    if (!feature.exists) return { pass: !enabled, actual: `${name} is not present on this host`, rule: "an optional feature this Windows build does not have cannot run" };
    const off = facts.OFF_STATES.includes(feature.state ?? "");
    return { pass: enabled ? feature.state === "Enabled" : off, actual: `${name}: ${feature.state}` };
  });
}

// ------------------------------------------------------------------ updates (the built-in hotfixes probe)

function installedIds(list: readonly HotfixFact[]): Set<string> {
  return new Set(list.map((h) => h.id.toUpperCase()));
}

/**
 * `later`: updates that supersede `kb` (later cumulative updates), any one of which will do. A
 * cumulative update replaces the previous one in Win32_QuickFixEngineering, so only the feature
 * can say which later ones count.
 */
export function judgeUpdate(kb: string, installed: boolean, later: readonly string[] = []): HostJudge {
  const wanted = [kb, ...later].map((k) => k.toUpperCase());
  const expected = installed
    ? later.length > 0 ? `${kb.toUpperCase()} or a later cumulative update (${later.map((k) => k.toUpperCase()).join(", ")}) is installed` : `${kb.toUpperCase()} is installed`
    : `${kb.toUpperCase()} is not installed`;
  return compare((f) => f.hotfixes, expected, (list) => {
    const have = installedIds(list);
    const found = wanted.filter((k) => have.has(k));
    if (!installed) return { pass: !have.has(wanted[0]), actual: have.has(wanted[0]) ? `${wanted[0]} is installed` : `${wanted[0]} is not among the ${list.length} installed updates` };
    return {
      pass: found.length > 0,
      actual: found.length > 0 ? `installed: ${found.join(", ")}` : `none of ${wanted.join(", ")} is among the ${list.length} installed updates`,
    };
  });
}

// ------------------------------------------------------------------ local group

export type GroupExpectation = { has: readonly string[] } | { only: readonly string[] } | { lacks: string };

/** A member as the feature names it: a SID, `DOMAIN\name`, or a bare name (any domain). */
function isMember(member: { name: string; sid: string | null }, wanted: string): boolean {
  if (/^S-1-/i.test(wanted)) return member.sid !== null && sameSid(member.sid, wanted);
  if (wanted.includes("\\")) return member.name.toLowerCase() === wanted.toLowerCase();
  return accountNamePart(member.name).toLowerCase() === wanted.toLowerCase();
}

export function judgeLocalGroup(probe: GenericProbe, group: string, e: GroupExpectation): HostJudge {
  const expected =
    "has" in e ? `the local group ${group} has ${e.has.join(", ")} among its members`
    : "only" in e ? `the local group ${group} has only the members ${e.only.join(", ")}`
    : `the local group ${group} does not have ${e.lacks} as a member`;
  return compare((f) => facts.localGroup(f, probe), expected, (g) => {
    if (!g.exists) return { pass: "lacks" in e, actual: `no local group ${group} on this host` };
    const shown = g.members.length === 0 ? "no members" : `members: ${g.members.map((m) => m.name).join(", ")}`;
    if ("lacks" in e) return { pass: !g.members.some((m) => isMember(m, e.lacks)), actual: shown };
    const wanted = "has" in e ? e.has : e.only;
    const details: DetailRow[] = wanted.map((w) => {
      const found = g.members.find((m) => isMember(m, w));
      return { subject: w, expected: "a member", actual: found ? `member (${found.name}${found.sid ? `, ${found.sid}` : ""})` : "not a member", outcome: found ? "ok" : "deviation" };
    });
    if ("only" in e) {
      for (const m of g.members) {
        if (!wanted.some((w) => isMember(m, w))) details.push({ subject: m.name, expected: "not a member", actual: `member${m.sid ? ` (${m.sid})` : ""}`, outcome: "deviation" });
      }
    }
    return { pass: details.every((d) => d.outcome === "ok"), actual: shown, details };
  });
}

// ------------------------------------------------------------------ CIM

export type CimExpectation = { equals: string } | { oneOf: readonly string[] } | { atLeast: number };

export function judgeCim(probe: GenericProbe, what: string, property: string, e: CimExpectation): HostJudge {
  const expected =
    "equals" in e ? `${what}: ${property} equals ${JSON.stringify(e.equals)}`
    : "oneOf" in e ? `${what}: ${property} is one of ${e.oneOf.map((x) => JSON.stringify(x)).join(", ")}`
    : `${what}: ${property} is at least ${e.atLeast}`;
  return compare((f) => facts.cim(f, probe), expected, ({ instances }) => {
    if (instances.length === 0) return { pass: false, actual: `no instance of ${what}` };
    const rows: DetailRow[] = instances.map((instance, i) => {
      const raw = Object.entries(instance).find(([k]) => k.toLowerCase() === property.toLowerCase())?.[1];
      const shown = facts.cimText(raw) ?? "(none)";
      const ok =
        "equals" in e ? facts.cimText(raw) === e.equals
        : "oneOf" in e ? e.oneOf.includes(facts.cimText(raw) ?? "\u0000")
        : (integer(raw) ?? Number.NEGATIVE_INFINITY) >= e.atLeast;
      return { subject: instances.length === 1 ? property : `instance ${i + 1}: ${property}`, expected: expected.slice(what.length + 2), actual: shown, outcome: ok ? "ok" : "deviation" };
    });
    const actual = rows.length === 1 ? `${property} = ${rows[0].actual}` : `${rows.filter((r) => r.outcome !== "ok").length} of ${rows.length} instances differ`;
    return { pass: rows.every((r) => r.outcome === "ok"), actual, ...(rows.length > 1 ? { details: rows } : {}) };
  });
}
