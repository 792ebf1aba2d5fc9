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
import { enumCode, isObject, mapRows, normaliseRecord, objectList, okFact, parsed, prop, recordError, firstDuplicate, registryNumber, singleObject, text, wrong, type Parsed } from "./shape";

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
 * DWORD and QWORD in their unsigned form, from the Int32/Int64 RegistryKey.GetValue gives
 * (0xFFFFFFFF arrives as -1); a number outside what the kind can hold is malformed, never wrapped
 * (see registryNumber in shape.ts for the ranges and the evidence they rest on).
 */
function registryData(kind: string | null, data: JsonValue): Parsed<JsonValue> {
  const k = kind?.toLowerCase();
  return k === "dword" || k === "qword" ? registryNumber(data, k) : parsed(data);
}

/** The value `name` ("(default)" or "" for the default value); names compare without case. */
export function registryValue(key: RegistryKeyFact, name: string): RegistryValueFact | undefined {
  const wanted = name.toLowerCase() === "(default)" ? "" : name.toLowerCase();
  return key.values.find((v) => v.name.toLowerCase() === wanted);
}

// ------------------------------------------------------------------ service

const SERVICE_STATUS = ["", "Stopped", "StartPending", "StopPending", "Running", "ContinuePending", "PausePending", "Paused"] as const;
const START_TYPES = ["Boot", "System", "Automatic", "Manual", "Disabled"] as const;

export function service(facts: HostFacts, probe: GenericProbe): Fact<ServiceFact> {
  return readOrAbsent<ServiceFact>(facts, probe, { exists: false, displayName: null, status: null, startType: null }, (output) => {
    const obj = singleObject(output);
    if (!obj.ok) return obj;
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
    return rows.ok ? parsed({ instances: rows.value }) : rows;
  });
}

/** A CIM property as text to compare: numbers as written, booleans as PowerShell shows them. */
export function cimText(value: JsonValue | undefined): string | null {
  if (typeof value === "boolean") return value ? "True" : "False";
  if (isObject(value) || Array.isArray(value)) return JSON.stringify(value);
  return text(value);
}
