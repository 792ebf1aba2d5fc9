/**
 * Generic probes: the facts the step library reads, parameterised by a feature (a registry key, a
 * service name, a CIM class...). Each kind has fixed reader commands, written once here and
 * reviewed once; what a feature gives them is data. It reaches PowerShell as `$HpProbe`, a
 * hashtable the collector builds from the base64 list in the driver's target (see
 * encodeGenericProbes), and is never spliced into script text. The record keeps both: the
 * command exactly as it ran and the parameters it ran with, which is what an auditor needs to run
 * it again (src/probes/run-again.ts).
 *
 * The commands follow the built-in catalog's rules (src/probes/catalog.ts): one line, every cmdlet
 * with -ErrorAction Stop, a Select-Object projection, the JSON tail, and fallbacks projecting the
 * same property names. They run on Windows PowerShell 5.1 and PowerShell 7, and keep to 2.0
 * syntax for the collector's 2.0 path.
 *
 * A probe's id is stable and readable (`registry:HKLM\SOFTWARE\…`, `service:W32Time`): it is the
 * key of its record in a snapshot, so a snapshot collected for one set of features can be judged
 * against another, and two steps that read the same key read it once.
 */
import { JSON_TAIL, type ProbeId } from "./catalog";
import { checkParam, registryProviderPath, type ParamKind } from "./params";

export const GENERIC_KINDS = ["registry", "service", "windowsFeature", "optionalFeature", "localGroup", "cim"] as const;
export type GenericKind = (typeof GENERIC_KINDS)[number];
export type GenericProbeId = `${GenericKind}:${string}`;
/** What a fact, a piece of evidence or a snapshot record is keyed by. */
export type AnyProbeId = ProbeId | GenericProbeId;

/** Parameter name to value, in the order the record shows them. */
export type ProbeParameters = Readonly<Record<string, string>>;

export interface GenericProbe {
  id: GenericProbeId;
  kind: GenericKind;
  parameters: ProbeParameters;
  /** What the probe reads, in words for the report. */
  title: string;
}

const json = (pipeline: string): string => `${pipeline} | ${JSON_TAIL}`;

/**
 * The reader commands of each kind, primary first, then fallbacks (tried on not-supported or
 * other, as for the built-in probes).
 */
export const GENERIC_READERS: Readonly<Record<GenericKind, readonly string[]>> = {
  // Every value of the key with its type, so that evidence shows a DWORD 1 apart from a string
  // "1" (Windows ignores a policy value of the wrong type). The default value is named "" by
  // GetValueNames. DoNotExpandEnvironmentNames keeps an ExpandString as stored. A key without
  // values gives no output; a missing key gives ItemNotFoundException, classified not-found,
  // which the judges read as "the key does not exist". RegistryKey.GetValue's three-argument
  // form exists in .NET 2.0, so the same line runs on PowerShell 2.0.
  registry: [
    json(`Get-Item -LiteralPath $HpProbe.Key -ErrorAction Stop | ForEach-Object { $key = $_; foreach ($name in $key.GetValueNames()) { New-Object PSObject -Property @{ Name = $name; Kind = [string]$key.GetValueKind($name); Data = $key.GetValue($name, $null, 'DoNotExpandEnvironmentNames') } } } | Select-Object Name, Kind, Data`),
  ],
  // Status and StartType are enums: integers from 5.1's ConvertTo-Json, names from 7's with
  // -EnumsAsStrings; the normaliser reads both. StartType needs .NET 4.6.1 (Windows PowerShell
  // 5.1 has it); where the property is missing the projection gives null and a start-type step
  // is undetermined. A service that does not exist throws NoServiceFoundForGivenName
  // (ObjectNotFound, so not-found): an answer, "no such service".
  service: [json(`Get-Service -Name $HpProbe.Name -ErrorAction Stop | Select-Object Name, DisplayName, Status, StartType`)],
  // Get-WindowsFeature gives nothing, not an error, for a name it does not know. Without
  // ServerManager (client SKUs, some Server Core images) DISM answers under its own name for the
  // feature, which the step may give (OptionalName; the same name by default); its State is
  // translated to InstallState as for the built-in failoverClusteringFeature probe.
  windowsFeature: [
    json(`Get-WindowsFeature -Name $HpProbe.Name -ErrorAction Stop | Select-Object Name, DisplayName, Installed, InstallState`),
    json(`Get-WindowsOptionalFeature -Online -FeatureName $HpProbe.OptionalName -ErrorAction Stop | Select-Object @{Name='Name';Expression={$_.FeatureName}}, DisplayName, @{Name='Installed';Expression={[int]$_.State -eq 2}}, @{Name='InstallState';Expression={@{0=0;1=3;2=1;3=2;6=4}[[int]$_.State]}}`),
  ],
  // DISM's State (0 Disabled, 1 DisablePending, 2 Enabled, 3 EnablePending, 5 EnabledPending...,
  // 6 DisabledWithPayloadRemoved). Where the DISM module is missing (PowerShell 2.0, 32-bit
  // shells), Win32_OptionalFeature's InstallState (1 Enabled, 2 Disabled, 3 Absent) is
  // translated to the same numbers.
  optionalFeature: [
    json(`Get-WindowsOptionalFeature -Online -FeatureName $HpProbe.Name -ErrorAction Stop | Select-Object FeatureName, State`),
    json(`Get-WmiObject -Class Win32_OptionalFeature -ErrorAction Stop | Where-Object { $_.Name -eq $HpProbe.Name } | Select-Object @{Name='FeatureName';Expression={$_.Name}}, @{Name='State';Expression={@{1=2;2=0;3=6}[[int]$_.InstallState]}}`),
  ],
  // The group by SID (well-known groups have localised names) or by name: $HpProbe holds exactly
  // one of SID and Name. Each is passed to its own parameter by name, never splatted, so that the
  // list cannot choose which parameters the cmdlet gets. The fallback (no
  // LocalAccounts module, or Get-LocalGroupMember failing on an orphaned SID) lists the members
  // WMI resolves, as the built-in administratorsGroup probe does.
  localGroup: [
    json(`$(if ($HpProbe.SID) { Get-LocalGroupMember -SID $HpProbe.SID -ErrorAction Stop } else { Get-LocalGroupMember -Name $HpProbe.Name -ErrorAction Stop }) | Select-Object Name, ObjectClass, @{Name='SID';Expression={$_.SID.Value}}, PrincipalSource`),
    json(`Get-CimInstance -ClassName Win32_Group -Filter "LocalAccount=True" -ErrorAction Stop | Where-Object { ($HpProbe.SID -and $_.SID -eq $HpProbe.SID) -or ($HpProbe.Name -and $_.Name -eq $HpProbe.Name) } | Get-CimAssociatedInstance -Association Win32_GroupUser -ErrorAction Stop | Select-Object @{Name='Name';Expression={$_.Domain + '\\' + $_.Name}}, @{Name='ObjectClass';Expression={if ($_.CimClass.CimClassName -eq 'Win32_Group') {'Group'} else {'User'}}}, SID, @{Name='PrincipalSource';Expression={if ($_.LocalAccount) {1} else {2}}}`),
  ],
  // The key filter is applied by Where-Object, not WQL, so that no value is ever part of a query
  // text. Only the property read (and the key) are projected: -ne $null drops an absent key, and
  // -ne Property a key that is the property read, which Select-Object would refuse as named twice
  // ("the property already exists"; -ne ignores case, as Select-Object does).
  cim: [
    json(`Get-CimInstance -Namespace $HpProbe.Namespace -ClassName $HpProbe.Class -ErrorAction Stop | Where-Object { -not $HpProbe.KeyProperty -or [string]$_.($HpProbe.KeyProperty) -eq $HpProbe.KeyValue } | Select-Object -Property (@(@($HpProbe.KeyProperty) -ne $null -ne $HpProbe.Property) + $HpProbe.Property)`),
    json(`Get-WmiObject -Namespace $HpProbe.Namespace -Class $HpProbe.Class -ErrorAction Stop | Where-Object { -not $HpProbe.KeyProperty -or [string]$_.($HpProbe.KeyProperty) -eq $HpProbe.KeyValue } | Select-Object -Property (@(@($HpProbe.KeyProperty) -ne $null -ne $HpProbe.Property) + $HpProbe.Property)`),
  ],
};

function probe(kind: GenericKind, name: string, parameters: ProbeParameters, title: string): GenericProbe {
  return { id: `${kind}:${name}`, kind, parameters, title };
}

/** Hive as the short name, the rest as written: `HKEY_LOCAL_MACHINE\X` and `HKLM:\X` are one key. */
function registryKeyName(key: string): string {
  const path = registryProviderPath(key);
  return path.startsWith("HKLM:\\") ? `HKLM\\${path.slice(6)}` : path.replace(/^Registry::HKEY_USERS\\/, "HKU\\").replace(/^Registry::HKEY_CLASSES_ROOT\\/, "HKCR\\");
}

/** Constructors: every parameter must already have passed its strict form (src/probes/params.ts). */
export const genericProbe = {
  registry: (key: string): GenericProbe => probe("registry", registryKeyName(key), { Key: registryProviderPath(key) }, `Registry key ${registryKeyName(key)}`),
  service: (name: string): GenericProbe => probe("service", name, { Name: name }, `Service ${name}`),
  windowsFeature: (name: string, optionalName = name): GenericProbe =>
    probe("windowsFeature", optionalName === name ? name : `${name}|${optionalName}`, { Name: name, OptionalName: optionalName }, `Windows feature ${name}`),
  optionalFeature: (name: string): GenericProbe => probe("optionalFeature", name, { Name: name }, `Windows optional feature ${name}`),
  localGroup: (group: string): GenericProbe =>
    probe("localGroup", group, /^S-1-/i.test(group) ? { SID: group.toUpperCase() } : { Name: group }, `Members of the local group ${group}`),
  cim: (namespace: string, className: string, property: string, key?: { property: string; value: string }): GenericProbe =>
    probe(
      "cim",
      `${namespace}\\${className}${key ? `[${key.property}=${key.value}]` : ""}.${property}`,
      { Namespace: namespace, Class: className, Property: property, ...(key ? { KeyProperty: key.property, KeyValue: key.value } : {}) },
      `CIM ${namespace}\\${className}${key ? ` where ${key.property} = ${key.value}` : ""}: ${property}`,
    ),
};

/**
 * The parameter names each kind's readers take, with the strict form of each; optional ones are
 * marked. A record's parameters are what its command read, so they decide what the record is about.
 */
const PARAMETER_FORMS: Readonly<Record<GenericKind, ReadonlyArray<readonly [name: string, form: ParamKind, optional?: true]>>> = {
  registry: [["Key", "registryKey"]],
  service: [["Name", "serviceName"]],
  windowsFeature: [["Name", "featureName"], ["OptionalName", "featureName"]],
  optionalFeature: [["Name", "featureName"]],
  localGroup: [["SID", "localGroup", true], ["Name", "localGroup", true]],
  cim: [["Namespace", "cimNamespace"], ["Class", "cimName"], ["Property", "cimName"], ["KeyProperty", "cimName", true], ["KeyValue", "cimFilterValue", true]],
};

/**
 * Why a snapshot's generic record does not describe itself consistently, or undefined when it
 * does: its id must be exactly the id its parameters make (compared without case, as ids are), and
 * the parameters exactly what that probe's reader takes. A record for `registry:HKLM\A` whose
 * parameters name `HKLM:\B` holds B's values under A's name: judged, it would answer for the wrong
 * key. An error record may lack parameters (the collector could not even read its list line): it
 * holds no fact, so there is nothing for them to contradict. `strictForms` false skips the
 * parameters' strict forms (the collector's echo of a plan the feature lint already checked, which
 * the tests also feed hostile values on purpose); the agreement with the id is checked either way.
 */
export function genericRecordProblem(id: string, parameters: Readonly<Record<string, unknown>> | undefined, hasOutput = true, strictForms = true): string | undefined {
  const colon = id.indexOf(":");
  const kind = id.slice(0, colon) as GenericKind;
  if (!isGenericProbeId(id)) return `'${id}' is not a generic probe id`;
  if ((parameters === undefined || parameters === null) && !hasOutput) return undefined;
  if (parameters === undefined || parameters === null) return `the record has no parameters, so nothing says what its command read (a ${kind} probe reads ${PARAMETER_FORMS[kind].map(([n]) => n).join(", ")})`;
  const forms = PARAMETER_FORMS[kind];
  const unknown = Object.keys(parameters).filter((k) => !forms.some(([n]) => n === k));
  if (unknown.length > 0) return `its parameters hold ${unknown.map((k) => `'${k}'`).join(", ")}, which a ${kind} probe does not read (it reads ${forms.map(([n]) => n).join(", ")})`;
  const values: Record<string, string> = {};
  for (const [name, form, optional] of forms) {
    const value = parameters[name];
    if (value === undefined && optional) continue;
    if (typeof value !== "string") return `its parameter ${name} is ${value === undefined ? "missing" : "not text"}`;
    // The registry reader takes the provider form (Registry::HKEY_USERS\…); its strict form is the key's.
    const checked = name === "Key" ? value.replace(/^Registry::/i, "") : value;
    const bad = strictForms ? checkParam(form, checked) : undefined;
    if (bad !== undefined) return `its parameter ${name} is not ${bad.expected}: ${bad.problem}`;
    values[name] = checked;
  }
  const made = probeOf(kind, values);
  if (made === undefined) return `its parameters do not name one ${kind} probe`;
  if (!sameProbeId(made.id, id)) return `its parameters (${describeParameters(parameters)}) are those of '${made.id}', not of its id '${id}'`;
  const normal = Object.entries(made.parameters);
  if (normal.length !== Object.keys(parameters).length || normal.some(([k, v]) => typeof parameters[k] !== "string" || (parameters[k] as string).toLowerCase() !== v.toLowerCase())) {
    return `its parameters (${describeParameters(parameters)}) are not as hostproof writes them for '${made.id}' (${describeParameters(made.parameters)})`;
  }
  return undefined;
}

function describeParameters(parameters: Readonly<Record<string, unknown>>): string {
  return Object.entries(parameters).map(([k, v]) => `${k} = ${JSON.stringify(v)}`).join("; ");
}

/** The probe that reads exactly these parameters (each already in its strict form). */
function probeOf(kind: GenericKind, p: Readonly<Record<string, string>>): GenericProbe | undefined {
  switch (kind) {
    case "registry":
      return genericProbe.registry(p.Key!);
    case "service":
      return genericProbe.service(p.Name!);
    case "windowsFeature":
      return genericProbe.windowsFeature(p.Name!, p.OptionalName!);
    case "optionalFeature":
      return genericProbe.optionalFeature(p.Name!);
    case "localGroup": {
      // Exactly one of SID and Name (the reader's own rule); a SID under Name is a name Windows forbids.
      const one = p.SID !== undefined ? p.SID : p.Name;
      if ((p.SID === undefined) === (p.Name === undefined) || one === undefined) return undefined;
      if (p.SID !== undefined && !/^S-1-/i.test(p.SID)) return undefined;
      if (p.Name !== undefined && /^S-1-/i.test(p.Name)) return undefined;
      return genericProbe.localGroup(one);
    }
    case "cim": {
      if ((p.KeyProperty === undefined) !== (p.KeyValue === undefined)) return undefined;
      const key = p.KeyProperty !== undefined ? { property: p.KeyProperty, value: p.KeyValue! } : undefined;
      return genericProbe.cim(p.Namespace!, p.Class!, p.Property!, key);
    }
  }
}

export function isGenericProbeId(id: string): id is GenericProbeId {
  const colon = id.indexOf(":");
  return colon > 0 && (GENERIC_KINDS as readonly string[]).includes(id.slice(0, colon)) && colon < id.length - 1;
}

/** Ids compare without case, as Windows compares keys, services and features. */
export function sameProbeId(a: string, b: string): boolean {
  return a.toLowerCase() === b.toLowerCase();
}

/** The probes once each (by id, without case), in first-seen order. */
export function uniqueProbes(probes: Iterable<GenericProbe>): GenericProbe[] {
  const seen = new Map<string, GenericProbe>();
  for (const p of probes) if (!seen.has(p.id.toLowerCase())) seen.set(p.id.toLowerCase(), p);
  return [...seen.values()];
}

/**
 * The list the collector reads, as the driver's target carries it: one line per probe,
 * `id<TAB>kind<TAB>Name=value<TAB>…`, UTF-8, base64. Not JSON, because PowerShell 2.0 has no
 * ConvertFrom-Json; tabs and newlines cannot occur in a value, as every parameter form refuses
 * control characters, and this refuses them again rather than trust that.
 */
export function encodeGenericProbes(probes: readonly GenericProbe[]): string {
  const field = (s: string): string => {
    if (/[\t\r\n]/.test(s)) throw new Error(`a generic probe field holds a tab or newline: ${JSON.stringify(s)}`);
    return s;
  };
  const lines = probes.map((p) => [p.id, p.kind, ...Object.entries(p.parameters).map(([k, v]) => `${field(k)}=${v}`)].map(field).join("\t"));
  return Buffer.from(lines.join("\n"), "utf8").toString("base64");
}

const TITLE_WORDS: Readonly<Record<GenericKind, string>> = {
  registry: "Registry key",
  service: "Service",
  windowsFeature: "Windows feature",
  optionalFeature: "Windows optional feature",
  localGroup: "Members of the local group",
  cim: "CIM",
};

/** A generic probe's title from its id alone, for evidence whose step is not at hand. */
export function genericProbeTitle(id: GenericProbeId): string {
  const colon = id.indexOf(":");
  return `${TITLE_WORDS[id.slice(0, colon) as GenericKind]} ${id.slice(colon + 1)}`;
}

/** A snapshot's record for `id`: generic ids compare without case (see sameProbeId). */
export function recordFor<R>(records: Readonly<Record<string, R | undefined>> | undefined, id: string): R | undefined {
  const key = recordKeyFor(records, id);
  return key === undefined ? undefined : records![key];
}

/** The key of a snapshot's record for `id`, as the snapshot writes it (recordFor's record). */
export function recordKeyFor(records: Readonly<Record<string, unknown>> | undefined, id: string): string | undefined {
  if (records === undefined || records === null) return undefined;
  if (Object.hasOwn(records, id) && records[id] !== undefined) return id;
  if (!isGenericProbeId(id)) return undefined;
  const folded = id.toLowerCase();
  return Object.keys(records).find((k) => k.toLowerCase() === folded && records[k] !== undefined);
}
