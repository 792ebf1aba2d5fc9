/**
 * The step library: Then steps an organisation writes its own controls with, in Gherkin only.
 * Each states a fact about a host in words (never how PowerShell reads it), names the generic
 * probe it reads from its arguments (src/probes/generic.ts), and judges with src/judge/generic.ts.
 *
 * Every argument has a strict form (src/probes/params.ts), checked by the control lint before
 * anything is contacted, so a feature that carries PowerShell in a key path or a name is refused
 * with its file, line and the form expected; the probes then receive only checked values.
 * Lists come from a one-column data table, one item per row, without a header row.
 */
import { checkParam, powerShellSyntaxProblem, type ParamKind, type ParamProblem } from "../probes/params";
import { genericProbe, type GenericProbe } from "../probes/generic";
import type { ProbeId } from "../probes/catalog";
import * as judge from "../judge/generic";
import type { HostJudge } from "../judge/context";

/** The form of one argument: a parameter kind, a whole number, a start type, or free text that is only compared. */
export type ArgForm = ParamKind | "int" | "startType" | "text";

export interface StepArgs {
  /** The expression's arguments in order: {int} as a number, {string} as its text. */
  values: readonly (string | number)[];
  /** The data table's rows (first cell of each), when the step takes one. */
  rows: readonly string[];
}

export interface LibraryStep {
  phrase: string;
  args: readonly ArgForm[];
  /** The data table the step needs: what one row holds, and its form. */
  table?: { row: string; form: ArgForm };
  /** What it checks, for the step list. */
  what: string;
  /** What it reads, for the step list: the probe ids its arguments make (`registry:<key>`) or built-in probe ids. */
  reads: readonly string[];
  /** The generic probes it reads, from its arguments. */
  probes(a: StepArgs): GenericProbe[];
  /** The built-in probes it reads (the update steps read the installed updates). */
  builtin?: readonly ProbeId[];
  judge(a: StepArgs): HostJudge;
}

const START_TYPES = ["Automatic", "Manual", "Disabled", "Boot", "System"];

const s = (a: StepArgs, i: number): string => String(a.values[i]);
const n = (a: StepArgs, i: number): number => Number(a.values[i]);

function registry(tail: string, what: string, expectation: (a: StepArgs) => judge.RegistryExpectation, extra: Partial<LibraryStep> = {}): LibraryStep {
  const args: ArgForm[] = ["registryValueName", "registryKey"];
  if (tail.includes("{int}")) args.push("int");
  if (tail.includes("{string}")) args.push("text");
  return {
    phrase: `the registry value {string} under {string} ${tail}`,
    args,
    what,
    reads: ["registry:<key>"],
    probes: (a) => [genericProbe.registry(s(a, 1))],
    judge: (a) => judge.judgeRegistryValue(genericProbe.registry(s(a, 1)), s(a, 0), expectation(a)),
    ...extra,
  };
}

function service(tail: string, what: string, expectation: (a: StepArgs) => judge.ServiceExpectation, args: ArgForm[] = ["serviceName"]): LibraryStep {
  return {
    phrase: `the service {string} ${tail}`,
    args,
    what,
    reads: ["service:<name>"],
    probes: (a) => [genericProbe.service(s(a, 0))],
    judge: (a) => judge.judgeService(genericProbe.service(s(a, 0)), s(a, 0), expectation(a)),
  };
}

function feature(installed: boolean, dism: boolean): LibraryStep {
  const probe = (a: StepArgs): GenericProbe => (dism ? genericProbe.windowsFeature(s(a, 0), s(a, 1)) : genericProbe.windowsFeature(s(a, 0)));
  return {
    phrase: `the Windows feature {string}${dism ? ", known to DISM as {string}," : ""} is ${installed ? "installed" : "not installed"}`,
    args: dism ? ["featureName", "featureName"] : ["featureName"],
    reads: ["windowsFeature:<name>"],
    what: `Server Manager's feature ${installed ? "is installed" : "is not installed (or unknown to the host)"}; where Server Manager is missing, DISM's optional feature of ${dism ? "the second" : "the same"} name`,
    probes: (a) => [probe(a)],
    judge: (a) => judge.judgeWindowsFeature(probe(a), s(a, 0), installed),
  };
}

function group(tail: string, what: string, expectation: (a: StepArgs) => judge.GroupExpectation, extra: Partial<LibraryStep> = {}): LibraryStep {
  return {
    phrase: `the local group {string} ${tail}`,
    args: tail.includes("{string}") ? ["localGroup", "localGroup"] : ["localGroup"],
    what,
    reads: ["localGroup:<group>"],
    probes: (a) => [genericProbe.localGroup(s(a, 0))],
    judge: (a) => judge.judgeLocalGroup(genericProbe.localGroup(s(a, 0)), s(a, 0), expectation(a)),
    ...extra,
  };
}

/** `of {string} in {string}` or `of {string} where {string} is {string}, in {string}`. */
function cim(keyed: boolean, tail: string, what: string, expectation: (a: StepArgs, at: number) => judge.CimExpectation, last?: { arg?: ArgForm; table?: LibraryStep["table"] }): LibraryStep {
  const probe = (a: StepArgs): GenericProbe =>
    keyed ? genericProbe.cim(s(a, 4), s(a, 1), s(a, 0), { property: s(a, 2), value: s(a, 3) }) : genericProbe.cim(s(a, 2), s(a, 1), s(a, 0));
  const subject = (a: StepArgs): string => (keyed ? `${s(a, 4)}\\${s(a, 1)} where ${s(a, 2)} = ${s(a, 3)}` : `${s(a, 2)}\\${s(a, 1)}`);
  const at = keyed ? 5 : 3;
  const keyArgs: ArgForm[] = keyed ? ["cimName", "cimFilterValue"] : [];
  return {
    phrase: `the CIM property {string} of {string}${keyed ? " where {string} is {string}," : ""} in {string}${keyed ? "," : ""} ${tail}`,
    args: ["cimName", "cimName", ...keyArgs, "cimNamespace", ...(last?.arg ? [last.arg] : [])],
    ...(last?.table ? { table: last.table } : {}),
    reads: ["cim:<namespace>\\<class>.<property>"],
    what: `${what}, on every instance of the class${keyed ? " whose key property has that value" : ""}, of which there is at least one`,
    probes: (a) => [probe(a)],
    judge: (a) => judge.judgeCim(probe(a), subject(a), s(a, 0), expectation(a, at)),
  };
}

export const LIBRARY: readonly LibraryStep[] = [
  // Registry: a value under a key, named as regedit shows them (HKLM\..., or (default)).
  registry("is {int}", "the value is that number (a DWORD or QWORD)", (a) => ({ is: n(a, 2) })),
  registry("is {string}", "the value is exactly that text", (a) => ({ is: s(a, 2) })),
  registry("is one of:", "the value is one of the rows (numbers match DWORD/QWORD values, text matches text)", (a) => ({ oneOf: a.rows }), { table: { row: "a value", form: "text" } }),
  registry("is at least {int}", "the value is a number no smaller than that", (a) => ({ atLeast: n(a, 2) })),
  registry("is at most {int}", "the value is a number no larger than that", (a) => ({ atMost: n(a, 2) })),
  registry("exists", "the value is set, whatever it holds", () => ({ exists: true })),
  registry("is absent", "the value is not set (or its key does not exist)", () => ({ absent: true })),
  registry("contains {string}", "one of the value's strings (a multi-string) is that text, without regard to case", (a) => ({ contains: [s(a, 2)] })),
  registry("contains:", "the value's strings include every row", (a) => ({ contains: a.rows }), { table: { row: "a string", form: "text" } }),

  // Services, by their short name (sc.exe query's SERVICE_NAME, not the localised display name).
  service("exists", "Windows has a service of that name", () => ({ exists: true })),
  service("does not exist", "Windows has no service of that name", () => ({ exists: false })),
  service("is running", "the service exists and is running", () => ({ status: "Running" })),
  service("is stopped", "the service exists and is stopped", () => ({ status: "Stopped" })),
  service("has start type {string}", `the service exists and starts ${START_TYPES.join(", ")}`, (a) => ({ startType: s(a, 1) }), ["serviceName", "startType"]),

  // Windows features (Server Manager) and optional features (DISM).
  feature(true, false),
  feature(false, false),
  feature(true, true),
  feature(false, true),
  {
    phrase: "the Windows optional feature {string} is enabled",
    args: ["featureName"],
    reads: ["optionalFeature:<name>"],
    what: "DISM reports the optional feature Enabled",
    probes: (a) => [genericProbe.optionalFeature(s(a, 0))],
    judge: (a) => judge.judgeOptionalFeature(genericProbe.optionalFeature(s(a, 0)), s(a, 0), true),
  },
  {
    phrase: "the Windows optional feature {string} is disabled",
    args: ["featureName"],
    reads: ["optionalFeature:<name>"],
    what: "DISM reports it Disabled or DisabledWithPayloadRemoved, or the build does not have it",
    probes: (a) => [genericProbe.optionalFeature(s(a, 0))],
    judge: (a) => judge.judgeOptionalFeature(genericProbe.optionalFeature(s(a, 0)), s(a, 0), false),
  },

  // Updates, from the installed updates (Get-HotFix).
  { phrase: "the update {string} is installed", args: ["hotfixId"], what: "the update is listed as installed", builtin: ["hotfixes"], reads: ["hotfixes"], probes: () => [], judge: (a) => judge.judgeUpdate(s(a, 0), true) },
  { phrase: "the update {string} is not installed", args: ["hotfixId"], what: "the update is not listed as installed", builtin: ["hotfixes"], reads: ["hotfixes"], probes: () => [], judge: (a) => judge.judgeUpdate(s(a, 0), false) },
  {
    phrase: "the update {string} or a later cumulative update is installed:",
    args: ["hotfixId"],
    table: { row: "a later update that supersedes it", form: "hotfixId" },
    what: "the update, or one of the later ones listed, is installed (a cumulative update replaces the one before it in the list Windows keeps)",
    builtin: ["hotfixes"],
    reads: ["hotfixes"],
    probes: () => [],
    judge: (a) => judge.judgeUpdate(s(a, 0), true, a.rows),
  },

  // Local groups, by name or well-known SID (names are localised: S-1-5-32-555 is Remote Desktop Users everywhere).
  group("has the member {string}", "the account or group (DOMAIN\\name, a bare name, or a SID) is a member", (a) => ({ has: [s(a, 1)] })),
  group("does not have the member {string}", "the account or group is not a member (or the group does not exist)", (a) => ({ lacks: s(a, 1) })),
  group("has these members:", "every row is a member; others may be too", (a) => ({ has: a.rows }), { table: { row: "a member", form: "localGroup" } }),
  group("has only these members:", "every row is a member, and nothing else is", (a) => ({ only: a.rows }), { table: { row: "a member", form: "localGroup" } }),

  // CIM: a property of every instance of a class in a namespace, optionally one instance by a key property.
  ...[false, true].flatMap((keyed) => [
    cim(keyed, "equals {string}", "the property has that value (True/False for a boolean)", (a, at) => ({ equals: s(a, at) }), { arg: "text" }),
    cim(keyed, "is one of:", "the property has one of the rows' values", (a) => ({ oneOf: a.rows }), { table: { row: "a value", form: "text" } }),
    cim(keyed, "is at least {int}", "the property is a number no smaller than that", (a, at) => ({ atLeast: n(a, at) }), { arg: "int" }),
  ]),
];

/** Why an argument does not have its form; undefined when it does. */
export function checkArg(form: ArgForm, value: string | number): ParamProblem | undefined {
  if (form === "text" || form === "startType") {
    const syntax = typeof value === "string" ? powerShellSyntaxProblem(value) : undefined;
    if (syntax !== undefined) return { problem: syntax, expected: "text without quotes, dashes other than -, or white space other than the space (PowerShell reads them as its own syntax)" };
  }
  if (form === "int") return Number.isSafeInteger(value) ? undefined : { problem: "it is not a whole number", expected: "a whole number, e.g. 0 or 4294967295" };
  if (form === "text") return typeof value === "string" && !/[\u0000-\u001f]/.test(value) ? undefined : { problem: "it holds a control character", expected: "text on one line" };
  if (form === "startType") {
    return START_TYPES.some((t) => t.toLowerCase() === String(value).toLowerCase()) ? undefined : { problem: `'${String(value)}' is not a start type`, expected: `one of ${START_TYPES.join(", ")}` };
  }
  return checkParam(form, String(value));
}
