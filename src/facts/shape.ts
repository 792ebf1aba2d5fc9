/**
 * Shared reading of probe output. ConvertTo-Json output varies with the PowerShell edition, the
 * number of items and the serialiser's moods; every normaliser reads it through these helpers so
 * that the variations are handled once and the normalisers stay small and pure.
 */
import type { Fact, FactProblemKind } from "../model/facts";
import type { JsonObject, JsonValue } from "../model/json";
import { PROBE_ERROR_KINDS, type ProbeError, type ProbeErrorKind, type ProbeRecord } from "../model/snapshot";
import type { AnyProbeId as ProbeId } from "../probes/generic";

/** The result of reading one piece of output: a value, or what was wrong with the output. */
export type Parsed<T> = { ok: true; value: T } | { ok: false; message: string };

export function parsed<T>(value: T): Parsed<T> {
  return { ok: true, value };
}

export function wrong(message: string): { ok: false; message: string } {
  return { ok: false, message };
}

// ---------------------------------------------------------------- facts

export function okFact<T>(probe: ProbeId, value: T): Fact<T> {
  return { ok: true, probe, value };
}

export function problemFact<T>(probe: ProbeId, kind: FactProblemKind, message: string): Fact<T> {
  return { ok: false, probe, problem: { kind, message } };
}

export function notCollected<T>(probe: ProbeId): Fact<T> {
  return problemFact(probe, "not-collected", `${probe} was not collected`);
}

export function malformed<T>(probe: ProbeId, message: string): Fact<T> {
  return problemFact(probe, "malformed", `${probe}: ${message}`);
}

/** A snapshot that skipped schema validation may carry an unknown kind; keep the fact readable. */
export function probeFailed<T>(probe: ProbeId, error: ProbeError): Fact<T> {
  const kind: ProbeErrorKind = (PROBE_ERROR_KINDS as readonly string[]).includes(error.kind) ? error.kind : "other";
  const message = typeof error.message === "string" && error.message.trim() !== "" ? error.message : `${probe} failed (${kind})`;
  return problemFact(probe, kind, message);
}

/** The error of a failed record, or undefined for a success (tolerates records that are not objects). */
export function recordError(record: ProbeRecord | undefined): ProbeError | undefined {
  if (record === undefined || record === null || typeof record !== "object") return undefined;
  return "error" in record && record.error !== undefined && record.error !== null ? record.error : undefined;
}

/**
 * The one entry point every normaliser goes through: no record, an error record and a parse
 * failure become problem facts here. The try/catch is a last line of defence: a normaliser must
 * never throw, because one odd host must not stop a run over the whole estate.
 */
export function normaliseRecord<T>(
  probe: ProbeId,
  record: ProbeRecord | undefined,
  parse: (output: JsonValue) => Parsed<T>,
): Fact<T> {
  if (record === undefined || record === null) return notCollected(probe);
  if (typeof record !== "object") return malformed(probe, `record is ${describe(record)}, not an object`);
  const error = recordError(record);
  if (error !== undefined) return probeFailed(probe, error);
  const output: JsonValue = "output" in record && record.output !== undefined ? record.output : null;
  try {
    const result = parse(output);
    return result.ok ? okFact(probe, result.value) : malformed(probe, result.message);
  } catch (thrown) {
    return malformed(probe, `could not read output (${thrown instanceof Error ? thrown.message : String(thrown)})`);
  }
}

// ---------------------------------------------------------------- JSON shapes

export function isObject(value: JsonValue | undefined): value is JsonObject {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** For messages: what kind of JSON value arrived. */
export function describe(value: unknown): string {
  if (value === null) return "null";
  if (value === undefined) return "missing";
  if (Array.isArray(value)) return "an array";
  if (typeof value === "object") return "an object";
  return `a ${typeof value}`;
}

/** Output that means "nothing": no pipeline output at all, or an empty document. */
function isNothing(value: JsonValue): boolean {
  return value === null || (typeof value === "string" && value.trim() === "") || (Array.isArray(value) && value.length === 0);
}

/**
 * Windows PowerShell 5.1 serialises some collections wrapped in a PSObject as
 * `{"value":[...],"Count":n}` instead of a plain array. Unwrap exactly that shape (only those two
 * properties) so that an ordinary object that happens to have a `value` property is left alone.
 */
export function unwrapCollection(value: JsonValue): JsonValue {
  if (!isObject(value)) return value;
  const keys = Object.keys(value).map((k) => k.toLowerCase());
  if (!keys.includes("value") || !keys.every((k) => k === "value" || k === "count")) return value;
  const inner = prop(value, "value");
  return Array.isArray(inner) ? inner : value;
}

/** Output of a probe that returns one object. PowerShell 7 `-AsArray` may wrap it in an array of one. */
export function singleObject(output: JsonValue): Parsed<JsonObject> {
  const value = unwrapCollection(output);
  if (isNothing(value)) return wrong("no object returned");
  if (isObject(value)) return parsed(value);
  if (Array.isArray(value)) {
    if (value.length > 1) return wrong(`expected one object, got an array of ${value.length}`);
    const [only] = value;
    return isObject(only) ? parsed(only) : wrong(`expected an object, got an array holding ${describe(only)}`);
  }
  return wrong(`expected an object, got ${describe(value)}`);
}

/** Output of a list probe: one item comes as an object, several as an array, none as null. */
export function objectList(output: JsonValue): Parsed<JsonObject[]> {
  const value = unwrapCollection(output);
  if (isNothing(value)) return parsed([]);
  if (isObject(value)) return parsed([value]);
  if (!Array.isArray(value)) return wrong(`expected an object or an array of objects, got ${describe(value)}`);
  const rows: JsonObject[] = [];
  for (const [index, item] of value.entries()) {
    if (!isObject(item)) return wrong(`item ${index + 1} is ${describe(item)}, not an object`);
    rows.push(item);
  }
  return parsed(rows);
}

/**
 * Reads every row; a row parser returns null to drop a row on purpose (e.g. no keyword) and a
 * failure to reject the whole output, because a silently shortened list could make a control pass.
 */
export function mapRows<T>(rows: JsonObject[], parseRow: (row: JsonObject) => Parsed<T | null>): Parsed<T[]> {
  const out: T[] = [];
  for (const [index, row] of rows.entries()) {
    const result = parseRow(row);
    if (!result.ok) return wrong(`item ${index + 1}: ${result.message}`);
    if (result.value !== null) out.push(result.value);
  }
  return parsed(out);
}

// ---------------------------------------------------------------- properties

/** PowerShell property names are case-insensitive; an exact match wins over a folded one. */
export function prop(obj: JsonObject, name: string): JsonValue | undefined {
  if (Object.prototype.hasOwnProperty.call(obj, name)) return obj[name];
  const folded = name.toLowerCase();
  const key = Object.keys(obj).find((k) => k.toLowerCase() === folded);
  return key === undefined ? undefined : obj[key];
}

export function hasProp(obj: JsonObject, name: string): boolean {
  return prop(obj, name) !== undefined;
}

/** The first two names equal without case, as written. */
export function firstDuplicate(names: readonly string[]): [string, string] | undefined {
  const seen = new Map<string, string>();
  for (const name of names) {
    const first = seen.get(name.toLowerCase());
    if (first !== undefined) return [first, name];
    seen.set(name.toLowerCase(), name);
  }
  return undefined;
}

// ---------------------------------------------------------------- coercion

/** Text, trimmed; empty or whitespace-only text counts as no value (registry values are often ""). */
export function text(value: JsonValue | undefined): string | null {
  if (typeof value === "string") return value.trim() === "" ? null : value.trim();
  if (typeof value === "number" || typeof value === "boolean") return String(value);
  return null;
}

/**
 * Text that may arrive wrapped: an unprojected SID is `{"Value":"S-1-..."}` and an unprojected
 * resource is `{"Name":"..."}`; the inner property is read then.
 */
export function innerText(value: JsonValue | undefined, innerName: string): string | null {
  return isObject(value) ? text(prop(value, innerName)) : text(value);
}

export function requiredText(obj: JsonObject, name: string): Parsed<string> {
  const value = prop(obj, name);
  if (value === undefined || value === null) return wrong(`property ${name} is missing`);
  const result = text(value);
  return result === null ? wrong(`property ${name} is ${describe(value) === "a string" ? "empty" : describe(value)}`) : parsed(result);
}

/**
 * Whole numbers, also when a registry value or a projection turned them into text. Only exact
 * ones: a number past 2^53 (or text naming one) has already lost digits in JSON.parse, and a
 * fraction is not a whole number, so both are null rather than rounded into something else.
 */
export function integer(value: JsonValue | undefined): number | null {
  if (typeof value === "number") return Number.isSafeInteger(value) ? value : null;
  if (typeof value === "string" && /^\s*[-+]?\d+\s*$/.test(value)) {
    const n = Number.parseInt(value, 10);
    return Number.isSafeInteger(n) ? n : null;
  }
  return null;
}

/** Absent (missing, null, empty) is null; anything present must be a whole number. */
export function optionalInteger(obj: JsonObject, name: string): Parsed<number | null> {
  const value = prop(obj, name);
  if (value === undefined || value === null || (typeof value === "string" && value.trim() === "")) return parsed(null);
  const result = integer(value);
  return result === null ? wrong(`property ${name} is not a whole number: ${JSON.stringify(value)}`) : parsed(result);
}

/** A whole number's domain: what the value can be on Windows, in words for the message. */
export interface IntegerDomain {
  min: number;
  max: number;
  what: string;
}

/** optionalInteger, and inside `domain`: a value outside it is malformed, never clamped or wrapped. */
export function optionalIntegerIn(obj: JsonObject, name: string, domain: IntegerDomain): Parsed<number | null> {
  const result = optionalInteger(obj, name);
  if (!result.ok || result.value === null) return result;
  return result.value < domain.min || result.value > domain.max
    ? wrong(`property ${name} is ${result.value}, outside ${domain.what} (${domain.min} to ${domain.max})`)
    : result;
}

/**
 * REG_DWORD and REG_QWORD as they reach a snapshot. Windows PowerShell 5.1's Get-ItemProperty and
 * RegistryKey.GetValue (the registry probes' readers) return a REG_DWORD as a signed Int32 and a
 * REG_QWORD as a signed Int64 (.NET's RegistryKey.GetValue maps the two kinds to those types,
 * and ConvertTo-Json writes them unquoted; the getperf capture in the project reference shows
 * Get-ItemProperty's DWORDs as plain integers): 0xFFFFFFFF arrives as -1. A DWORD is therefore one of the 2^32 values from -2^31
 * (Int32's least) to 2^32 - 1 (the unsigned form, as other writers give it): negative ones are
 * the Int32 form of the upper half and are read back as unsigned. Anything else (-4294967295,
 * 2^32, 1.5, "1") was never a DWORD and is malformed: wrapping it (-4294967295 + 2^32 = 1) would
 * turn a lie into a pass. A QWORD is read the same way, within what JSON.parse keeps exactly: its
 * non-negative values up to 2^53 - 1. Larger ones, and negative ones (2^63 and above unsigned),
 * cannot be compared exactly as JavaScript numbers and are malformed too.
 */
export const DWORD: IntegerDomain = { min: -(2 ** 31), max: 2 ** 32 - 1, what: "a REG_DWORD's range" };
export const QWORD: IntegerDomain = { min: 0, max: Number.MAX_SAFE_INTEGER, what: "the REG_QWORD values hostproof can compare exactly" };

/**
 * A Windows version part (major, minor, build): the version resource holds each in 16 bits
 * (VS_FIXEDFILEINFO), so 17763 is a build and 4294967295 is not.
 */
export const VERSION_PART: IntegerDomain = { min: 0, max: 65535, what: "a Windows version number's range" };
/** A 32-bit unsigned WMI property (uint32), such as OperatingSystemSKU. */
export const UINT32: IntegerDomain = { min: 0, max: 2 ** 32 - 1, what: "a uint32's range" };

/** A registry number in its unsigned form, or why it is no such number. */
export function registryNumber(value: JsonValue | undefined, kind: "dword" | "qword"): Parsed<number> {
  const domain = kind === "dword" ? DWORD : QWORD;
  // Only a JSON number: Int32/Int64 are written unquoted, and text in a DWORD's place is another type.
  if (typeof value !== "number" || !Number.isSafeInteger(value)) return wrong(`a REG_${kind.toUpperCase()} must be a whole number, got ${JSON.stringify(value ?? null)}`);
  if (value < domain.min || value > domain.max) return wrong(`${value} is outside ${domain.what} (${domain.min} to ${domain.max})`);
  return parsed(kind === "dword" && value < 0 ? value + 2 ** 32 : value);
}

/**
 * optionalInteger for a REG_DWORD read by Get-ItemProperty (Int32 on 5.1): unsigned, or malformed
 * outside DWORD. Only a JSON number: Get-ItemProperty gives a DWORD as an Int32, which
 * ConvertTo-Json writes unquoted, so text ("1") is a value of another registry type (REG_SZ),
 * which Windows does not read as the DWORD policy it stands in for. Read as the number it spells,
 * a REG_SZ "1" would pass a rule that needs the policy on.
 */
export function optionalDword(obj: JsonObject, name: string): Parsed<number | null> {
  const value = prop(obj, name);
  if (typeof value === "string" && value.trim() !== "") {
    return wrong(`property ${name} is the text ${JSON.stringify(value)}, not a REG_DWORD (a number): a value of another registry type, which Windows does not read as this setting`);
  }
  const result = optionalIntegerIn(obj, name, DWORD);
  if (!result.ok || result.value === null) return result;
  return parsed(result.value < 0 ? result.value + 2 ** 32 : result.value);
}

/** JSON booleans, and the text/number forms that registry values and CSV-ish projections produce. */
export function bool(value: JsonValue | undefined): boolean | null {
  if (typeof value === "boolean") return value;
  if (typeof value === "number") return value === 1 ? true : value === 0 ? false : null;
  if (typeof value === "string") {
    const folded = value.trim().toLowerCase();
    if (folded === "true" || folded === "1") return true;
    if (folded === "false" || folded === "0") return false;
  }
  return null;
}

/**
 * A boolean property: absent (missing or null) is null, anything present must read as a boolean.
 * A value that does not ("no", "Disabled", 2) is malformed, never null: null reads as "not
 * reported", which a judge may take the lenient way, while whoever wrote "no" meant false.
 */
export function optionalBool(obj: JsonObject, name: string): Parsed<boolean | null> {
  const value = prop(obj, name);
  if (value === undefined || value === null) return parsed(null);
  const result = bool(value);
  return result === null ? wrong(`property ${name} is ${JSON.stringify(value)}, not a boolean`) : parsed(result);
}

/**
 * An enum as emitted, for facts whose type allows "number or its name": integers (5.1, or a
 * numeric string) become numbers, names (PowerShell 7 -EnumsAsStrings) stay as written.
 */
export function enumAsEmitted(value: JsonValue | undefined): number | string | null {
  const asInt = integer(value);
  if (asInt !== null) return asInt;
  return typeof value === "string" ? text(value) : null;
}

/** An enum whose names are known: name (any case) or integer → its integer. null when absent. */
export function enumCode(value: JsonValue | undefined, names: readonly string[], what: string): Parsed<number | null> {
  if (value === undefined || value === null || (typeof value === "string" && value.trim() === "")) return parsed(null);
  const asInt = integer(value);
  // An integer is an enum value only where a name stands at that index: 7 is no AdminAccessPoint.
  if (asInt !== null) return asInt >= 0 && asInt < names.length ? parsed(asInt) : wrong(`${what} ${asInt} is not a known value`);
  const name = text(value);
  const index = name === null ? -1 : names.findIndex((n) => n.toLowerCase() === name.toLowerCase());
  return index >= 0 ? parsed(index) : wrong(`${what} ${JSON.stringify(value)} is not a known value`);
}

/**
 * A list of strings from an array, a single scalar or a 5.1 `{value,Count}` wrapper; absent or null
 * is the empty list. Numbers are written as text (a registry DWORD may come back unquoted); an
 * object or nested array is an error rather than a silently shorter list.
 */
export function stringList(obj: JsonObject, name: string): Parsed<string[]> {
  const value = prop(obj, name);
  if (value === undefined || value === null) return parsed([]);
  const unwrapped = unwrapCollection(value);
  const items = Array.isArray(unwrapped) ? unwrapped : [unwrapped];
  const out: string[] = [];
  for (const item of items) {
    if (item === null) continue;
    if (typeof item === "object") return wrong(`property ${name} holds ${describe(item)}, not text`);
    const itemText = text(item);
    if (itemText !== null) out.push(itemText);
  }
  return parsed(out);
}
