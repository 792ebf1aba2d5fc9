/**
 * Normalisers for the step library's generic probes (src/probes/generic.ts): one per kind, all
 * reading a host's record by the probe's id. A record the snapshot lacks is not-collected (the
 * snapshot was collected for other controls): never a pass.
 *
 * "Does not exist" is an answer, not a failure to read: a registry key, service or local group
 * that Windows reports missing (error kind not-found), or a feature it does not list, gives a fact
 * with exists: false, which the judges compare like any other value.
 */
import type {
  CimFact,
  Fact,
  HostFacts,
  LocalGroupFact,
  NamedFeatureFact,
  OptionalFeatureFact,
  RegistryKeyFact,
  RegistryValueFact,
  ServiceFact,
} from "../model/facts";
import type { JsonObject, JsonValue } from "../model/json";
import type { ProbeRecord } from "../model/snapshot";
import { recordFor, type GenericProbe } from "../probes/generic";
import { readMember } from "./administratorsGroup";
import { distrusted } from "./distrust";
import { readFeatureRow } from "./failoverClusteringFeature";
import { describe, enumCode, isObject, mapRows, normaliseRecord, objectList, okFact, parsed, prop, recordError, firstDuplicate, registryNumber, singleObject, text, unwrapCollection, wrong, type Parsed } from "./shape";

function record(facts: HostFacts, probe: GenericProbe): ProbeRecord | undefined {
  return recordFor<ProbeRecord>(facts.records, probe.id);
}

/** Every generic fact is read here: a snapshot that cannot be believed gives none (facts/distrust.ts). */
function read<T>(facts: HostFacts, probe: GenericProbe, parse: (output: JsonValue) => Parsed<T>): Fact<T> {
  return distrusted(normaliseRecord(probe.id, record(facts, probe), parse), facts.untrusted);
}

/** not-found from the host means the thing is not there; anything else goes the usual way. */
function readOrAbsent<T>(facts: HostFacts, probe: GenericProbe, absent: T, parse: (output: JsonValue) => Parsed<T>): Fact<T> {
  if (recordError(record(facts, probe))?.kind === "not-found") return distrusted(okFact(probe.id, absent), facts.untrusted);
  return read(facts, probe, parse);
}

// ------------------------------------------------------------------ registry

export function registryKey(facts: HostFacts, probe: GenericProbe): Fact<RegistryKeyFact> {
  return readOrAbsent<RegistryKeyFact>(facts, probe, { exists: false, values: [] }, (output) => {
    const rows = objectList(output);
    if (!rows.ok) return rows;
    const values = mapRows(rows.value, readRegistryValue);
    if (!values.ok) return values;
    // Value names are case-insensitive in the registry: one key cannot hold Foo and FOO, and
    // registryValue() would silently pick the first of them.
    const twice = firstDuplicate(values.value.map((v) => v.name));
    if (twice !== undefined) return wrong(`the key lists the value ${JSON.stringify(twice[0])} twice (as ${JSON.stringify(twice[0])} and ${JSON.stringify(twice[1])}); value names ignore case, so one of them is not the key's`);
    return parsed({ exists: true, values: values.value });
  });
}

function readRegistryValue(row: JsonObject): Parsed<RegistryValueFact> {
  const name = prop(row, "Name");
  if (typeof name !== "string") return wrong("property Name is missing");
  const kind = text(prop(row, "Kind"));
  const data = registryData(kind, prop(row, "Data") ?? null);
  return data.ok ? parsed({ name, kind, data: data.value }) : wrong(`value ${JSON.stringify(name)}: ${data.message}`);
}

/**
 * A value's data as its Kind says it must be. The reader writes every value's Kind
 * (RegistryKey.GetValueKind: String, ExpandString, Binary, DWord, MultiString, QWord, Unknown,
 * None) beside the data RegistryKey.GetValue gives for it, so the two always agree: a number only
 * for DWord and QWord (in their unsigned form, from the Int32/Int64 GetValue gives, 0xFFFFFFFF
 * arriving as -1; a number outside what the kind can hold is malformed, never wrapped: see
 * registryNumber in shape.ts), text for String and ExpandString, strings for MultiString, bytes
 * (or nothing) for the others. A row without a Kind, with one Windows does not have, or whose data
 * is of another type, was not written by the reader: a number under Kind "String" would pass
 * `is 1`, though Windows ignores a policy value of the wrong type. Malformed, never compared.
 */
function registryData(kind: string | null, data: JsonValue): Parsed<JsonValue> {
  const k = kind?.toLowerCase();
  const of = (what: string): Parsed<JsonValue> => wrong(`its Kind is ${kind}, but its data is ${describe(data)} (${JSON.stringify(data)?.slice(0, 40)}), where a ${kind} value holds ${what}`);
  switch (k) {
    case "dword":
    case "qword":
      return registryNumber(data, k);
    case "string":
    case "expandstring":
      return typeof data === "string" ? parsed(data) : of("text");
    case "multistring": {
      const items = unwrapCollection(data);
      if (typeof items === "string") return parsed(items);
      return Array.isArray(items) && items.every((i) => typeof i === "string") ? parsed(items) : of("a list of strings");
    }
    case "binary":
    case "none":
    case "unknown": {
      if (data === null) return parsed(data);
      const bytes = unwrapCollection(data);
      // ConvertTo-Json writes a byte[] as numbers 0 to 255.
      return Array.isArray(bytes) && bytes.every((b) => typeof b === "number" && Number.isInteger(b) && b >= 0 && b <= 255) ? parsed(bytes) : of("bytes");
    }
    default:
      return wrong(kind === null ? "it has no Kind, which the reader writes for every value, so nothing says what its data is" : `its Kind ${JSON.stringify(kind)} is not a registry value type`);
  }
}

/** The value `name` ("(default)" or "" for the default value); names compare without case. */
export function registryValue(key: RegistryKeyFact, name: string): RegistryValueFact | undefined {
  const wanted = name.toLowerCase() === "(default)" ? "" : name.toLowerCase();
  return key.values.find((v) => v.name.toLowerCase() === wanted);
}

/**
 * A reader that names what it read answers for what its parameters asked: Get-Service -Name gives
 * the service of that name, Get-WindowsFeature the feature, the CIM readers only instances whose
 * key property has the value asked for. A row naming another thing (a copy of another service's
 * record under this id) or nothing did not come from this record's command, and judged, it would
 * answer for the thing asked: the output is malformed. Windows names ignore case, as the
 * cmdlets' matching does. `properties`: where the row names it, the first present counting.
 */
function answersFor(row: JsonObject, properties: readonly string[], asked: readonly string[], what: string): Parsed<true> {
  const property = properties.find((p) => prop(row, p) !== undefined && prop(row, p) !== null) ?? properties[0]!;
  const named = prop(row, property);
  if (typeof named === "string" && asked.some((a) => a.toLowerCase() === named.toLowerCase())) return parsed(true);
  const said = named === undefined || named === null ? `no ${property}` : `${property} ${JSON.stringify(named)}`;
  return wrong(`the output has ${said}, but the record reads the ${what} ${asked.map((a) => JSON.stringify(a)).join(" or ")}: it answers for something else`);
}

// ------------------------------------------------------------------ service

const SERVICE_STATUS = ["", "Stopped", "StartPending", "StopPending", "Running", "ContinuePending", "PausePending", "Paused"] as const;
const START_TYPES = ["Boot", "System", "Automatic", "Manual", "Disabled"] as const;

export function service(facts: HostFacts, probe: GenericProbe): Fact<ServiceFact> {
  return readOrAbsent<ServiceFact>(facts, probe, { exists: false, displayName: null, status: null, startType: null }, (output) => {
    const obj = singleObject(output);
    if (!obj.ok) return obj;
    const named = answersFor(obj.value, ["Name"], [probe.parameters.Name ?? ""], "service");
    if (!named.ok) return named;
    const status = enumName(prop(obj.value, "Status"), SERVICE_STATUS, "Status");
    if (!status.ok) return status;
    const startType = enumName(prop(obj.value, "StartType"), START_TYPES, "StartType");
    if (!startType.ok) return startType;
    return parsed({ exists: true, displayName: text(prop(obj.value, "DisplayName")), status: status.value, startType: startType.value });
  });
}

/** An enum as its name, whether it came as 5.1's integer or 7's name. */
function enumName(value: JsonValue | undefined, names: readonly string[], what: string): Parsed<string | null> {
  const code = enumCode(value, names, what);
  if (!code.ok) return code;
  if (code.value === null) return parsed(null);
  const name = names[code.value];
  return name ? parsed(name) : wrong(`${what} ${JSON.stringify(value)} is not a known value`);
}

// ------------------------------------------------------------------ features

export function windowsFeature(facts: HostFacts, probe: GenericProbe): Fact<NamedFeatureFact> {
  return readOrAbsent<NamedFeatureFact>(facts, probe, { exists: false, feature: null }, (output) => {
    if (output === null) return parsed({ exists: false, feature: null });
    const obj = singleObject(output);
    if (!obj.ok) return obj;
    // Server Manager's name, or DISM's where the fallback answered.
    const named = answersFor(obj.value, ["Name", "FeatureName"], [probe.parameters.Name ?? "", probe.parameters.OptionalName ?? probe.parameters.Name ?? ""], "Windows feature");
    if (!named.ok) return named;
    const feature = readFeatureRow(obj.value);
    return feature.ok ? parsed({ exists: true, feature: feature.value }) : feature;
  });
}

const DISM_STATES = ["Disabled", "DisablePending", "Enabled", "EnablePending", "Superseded", "EnabledPending", "DisabledWithPayloadRemoved"] as const;

/** DISM states under which the feature's code cannot run. */
export const OFF_STATES: readonly string[] = ["Disabled", "DisabledWithPayloadRemoved", "Removed"];

export function optionalFeature(facts: HostFacts, probe: GenericProbe): Fact<OptionalFeatureFact> {
  return readOrAbsent<OptionalFeatureFact>(facts, probe, { exists: false, state: null }, (output) => {
    if (output === null) return parsed({ exists: false, state: null });
    const obj = singleObject(output);
    if (!obj.ok) return obj;
    const named = answersFor(obj.value, ["FeatureName"], [probe.parameters.Name ?? ""], "optional feature");
    if (!named.ok) return named;
    const state = enumName(prop(obj.value, "State"), DISM_STATES, "State");
    if (!state.ok) return state;
    return state.value === null ? wrong("property State is missing") : parsed({ exists: true, state: state.value });
  });
}

// ------------------------------------------------------------------ local group

export function localGroup(facts: HostFacts, probe: GenericProbe): Fact<LocalGroupFact> {
  return readOrAbsent<LocalGroupFact>(facts, probe, { exists: false, members: [] }, (output) => {
    const rows = objectList(output);
    if (!rows.ok) return rows;
    const members = mapRows(rows.value, readMember);
    return members.ok ? parsed({ exists: true, members: members.value }) : members;
  });
}

// ------------------------------------------------------------------ CIM

export function cim(facts: HostFacts, probe: GenericProbe): Fact<CimFact> {
  return read(facts, probe, (output) => {
    const rows = objectList(output);
    if (!rows.ok) return rows;
    const { KeyProperty: key, KeyValue: value } = probe.parameters;
    if (key !== undefined && value !== undefined) {
      // The reader keeps only instances whose key, as PowerShell's [string] writes it, is -eq (without case) the value.
      const other = rows.value.findIndex((row) => psString(prop(row, key))?.toLowerCase() !== value.toLowerCase());
      if (other >= 0) {
        const found = prop(rows.value[other]!, key);
        return wrong(`instance ${other + 1} has ${found === undefined || found === null ? `no ${key}` : `${key} ${JSON.stringify(found)}`}, but the record reads only instances whose ${key} is ${JSON.stringify(value)}: it answers for another instance`);
      }
    }
    return parsed({ instances: rows.value });
  });
}

/** A scalar as PowerShell's [string] casts it (booleans True/False, arrays joined by spaces); null for nothing. */
function psString(value: JsonValue | undefined): string | null {
  if (value === undefined || value === null) return null;
  if (typeof value === "boolean") return value ? "True" : "False";
  if (typeof value === "number" || typeof value === "string") return String(value);
  if (Array.isArray(value)) return value.map((v) => psString(v) ?? "").join(" ");
  return null;
}

/** A CIM property as text to compare: numbers as written, booleans as PowerShell shows them. */
export function cimText(value: JsonValue | undefined): string | null {
  if (typeof value === "boolean") return value ? "True" : "False";
  if (isObject(value) || Array.isArray(value)) return JSON.stringify(value);
  return text(value);
}
