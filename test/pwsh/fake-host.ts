/**
 * A snapshot-builder HostSpec as a simulated Windows host for HostproofFakeWindows.psm1
 * (format: fake-host.schema.json), so that one host can be judged from a built snapshot and
 * collected by the real collector script from the simulation, and the two compared.
 *
 * The host is derived from buildSnapshot's own outputs, and what the generic probes read from
 * resolveSystem (the builder's simulated state, which generic records are computed from too), so
 * both sides agree by construction on every value; what the comparison then tests is the
 * collector, the probe commands and their fallbacks, and the stand-ins' fidelity to the cmdlets.
 * Cmdlet misbehaviour is given explicitly through `cmdlets`, not through the spec's probeErrors,
 * because a failure is a property of a cmdlet (it hits every probe and fallback that uses it), not
 * of a probe.
 */
import { writeFileSync } from "node:fs";
import type { JsonObject, JsonValue } from "../../src/model/json";
import type { ProbeRecord, Snapshot } from "../../src/model/snapshot";
import type { ProbeId } from "../../src/probes/catalog";
import { installedOnDate } from "../../src/facts/hotfixes";
import {
  buildSnapshot,
  hasHyperVModule,
  isOrphaned,
  resolveSystem,
  resolveVms,
  type CmdletBehaviour,
  type HostSpec,
  type RegistryValueKind,
  type ResolvedRegistryValue,
  type ResolvedSystem,
} from "../helpers/snapshot-builder";

/**
 * How a simulated cmdlet misbehaves. access-denied throws (terminating, as a compiled cmdlet under
 * Stop does); access-denied-nonterminating writes the error record and returns nothing, as a CDXML
 * function does when -ErrorAction Stop did not reach it (see HostproofFakeWindows.psm1). The
 * builder reads the same table for the generic probes (buildSnapshot's cmdlets option).
 */
export type { CmdletBehaviour };
export { isOrphaned, OPTIONAL_FEATURE_NAME, REGISTRY_KEYS } from "../helpers/snapshot-builder";

/** Every command the module simulates; each catalog command and generic reader uses only these (and core cmdlets). */
export const FAKED_CMDLETS = [
  "Get-CimInstance",
  "Get-WmiObject",
  "Get-CimAssociatedInstance",
  "Get-ItemProperty",
  "Get-NetAdapterAdvancedProperty",
  "Get-WindowsFeature",
  "Get-WindowsOptionalFeature",
  "Get-Cluster",
  "Get-ClusterQuorum",
  "Get-LocalUser",
  "Get-LocalGroupMember",
  "Get-DnsClientGlobalSetting",
  "Get-HotFix",
  // Registry paths only: every other path reaches the real cmdlet, which cannot be missing.
  "Get-Item",
  "Get-Service",
  "Get-VM",
  "Get-VMIntegrationService",
] as const;

export type FakedCmdlet = (typeof FAKED_CMDLETS)[number];

export interface FakeAdministrator {
  Name: string;
  ObjectClass: string;
  SID: string | null;
  PrincipalSource: number;
  orphaned?: boolean;
}

/** A VM of a Hyper-V host, with its integration services as Get-VMIntegrationService reports them. */
export interface FakeVm {
  Name: string;
  /** VMId. */
  Id: string;
  /** Microsoft.HyperV.PowerShell.VMState: 2 Running, 3 Off. */
  State: number;
  integrationServices: Array<{ Name: string; Id: string; Enabled: boolean; PrimaryStatusDescription: string | null; SecondaryStatusDescription: string | null }>;
}

export interface FakeCluster {
  Name: string;
  Domain?: string;
  Id?: string;
  AdministrativeAccessPoint?: number;
  QuorumType?: number | string;
  QuorumResource?: { Name: string; ResourceType: string | null } | null;
}

/**
 * Commands a PowerShell 2.0 host does not have (CIM is 3.0+, the rest come with 2012-era modules);
 * the module also hides ConvertTo-Json (3.0+) on such a host. Kept in step with the module's list.
 */
export const MISSING_ON_POWERSHELL_2: readonly FakedCmdlet[] = [
  "Get-CimInstance",
  "Get-CimAssociatedInstance",
  "Get-LocalUser",
  "Get-LocalGroupMember",
  "Get-NetAdapterAdvancedProperty",
  "Get-DnsClientGlobalSetting",
  "Get-WindowsOptionalFeature",
  "Get-VM",
  "Get-VMIntegrationService",
];

/** A number is a DWORD, a string a REG_SZ, an array a REG_MULTI_SZ; other types explicitly. */
export type FakeRegistryValue = string | number | string[] | { kind: RegistryValueKind; data: string | number | number[] };

/** Simulation options that are about the shell rather than the host's data. */
export interface FakeHostOptions {
  /**
   * "2.0": a PowerShell 2.0-style host (Windows Server 2003 or 2008 with WMF 2.0): no CIM cmdlets,
   * only Get-WmiObject, and no ConvertTo-Json. The only way toFakeHost takes a legacy2003 spec.
   */
  powershell?: "2.0";
}

/** The JSON the module reads; see fake-host.schema.json for what each part means. */
export interface FakeHost {
  computerName: string;
  /** "2.0": see FakeHostOptions. Absent: a shell with every command the host's data implies. */
  powershell?: "2.0";
  os: JsonObject;
  computerSystem: JsonObject;
  /** Key (provider form) -> value name ("(default)" for the default value) -> value. */
  registry: Record<string, Record<string, FakeRegistryValue>>;
  dnsClientGlobalSetting?: JsonObject;
  windowsFeatures?: Array<{ Name: string; DisplayName?: string; InstallState: number }>;
  optionalFeatures?: Array<{ FeatureName: string; DisplayName?: string; State: number }>;
  localUsers?: Array<{ Name: string; SID: string; Enabled: boolean }>;
  administrators?: FakeAdministrator[];
  /** Local groups other than Administrators. */
  localGroups?: Array<{ Name: string; SID: string; members: FakeAdministrator[] }>;
  services?: Array<{ Name: string; DisplayName: string; Status: number; StartType: number }>;
  /** Namespace -> class -> instances, beyond the root\cimv2 classes the module derives. */
  cim?: Record<string, Record<string, JsonObject[]>>;
  hotfixes?: Array<{ HotFixID: string; Description: string | null; InstalledOn: string | null }>;
  netAdapterAdvancedProperties?: JsonObject[];
  cluster?: FakeCluster | null;
  virtualMachines?: FakeVm[];
  cmdlets?: Partial<Record<FakedCmdlet, CmdletBehaviour>>;
}

export function toFakeHost(spec: HostSpec, cmdlets: Partial<Record<FakedCmdlet, CmdletBehaviour>> = {}, options: FakeHostOptions = {}): FakeHost {
  const ps2 = options.powershell === "2.0";
  if (spec.legacy2003 && !ps2) {
    throw new Error(`${spec.name}: a Windows Server 2003 host has PowerShell only with WMF 2.0; simulate it with { powershell: "2.0" }`);
  }
  if (spec.probeErrors && Object.keys(spec.probeErrors).length > 0) {
    throw new Error(`${spec.name}: probeErrors cannot be simulated per probe; give the cmdlet's behaviour in cmdlets`);
  }
  // The collector itself calls Get-Item (function: paths); the stand-in can only fail registry paths.
  if (cmdlets["Get-Item"] === "missing" || spec.cmdlets?.["Get-Item"] === "missing") throw new Error(`${spec.name}: Get-Item is a core cmdlet and cannot be missing; its behaviours apply to registry paths`);
  // A 2003 host's data: WMI's Win32_OperatingSystem as the builder has it for 2003 (no
  // OSArchitecture), everything else as any host of that version.
  const legacy = spec.legacy2003 === true;
  // The data is the host's; its cmdlets' behaviour (spec.cmdlets) is the stand-in's, given below.
  const { cmdlets: specCmdlets, ...withCmdlets } = spec;
  const bare: HostSpec = withCmdlets;
  const dataSpec = legacy ? { ...bare, legacy2003: false, os: { ...spec.os, version: spec.os?.version ?? "5.2.3790" } } : bare;
  const snapshot = buildSnapshot(dataSpec);
  const system = resolveSystem(dataSpec);
  const os = object(outputOf(legacy ? buildSnapshot(spec) : snapshot, "os"));
  const computerSystem = object(outputOf(snapshot, "computerSystem"));
  const installed = object(outputOf(snapshot, "failoverClusteringFeature")).InstallState === 1;

  const behaviours: Partial<Record<FakedCmdlet, CmdletBehaviour>> = {};
  if (!installed) {
    // Without the feature the FailoverClusters module is not there at all.
    behaviours["Get-Cluster"] = "missing";
    behaviours["Get-ClusterQuorum"] = "missing";
  }
  if (!hasHyperVModule(spec)) {
    // The Hyper-V module comes with the role's management tools.
    behaviours["Get-VM"] = "missing";
    behaviours["Get-VMIntegrationService"] = "missing";
  }
  if (ps2) for (const name of MISSING_ON_POWERSHELL_2) behaviours[name] = "missing";
  if (legacy) {
    // 2003 has neither ServerManager's Get-WindowsFeature nor the FailoverClusters module.
    for (const name of ["Get-WindowsFeature", "Get-Cluster", "Get-ClusterQuorum"] as const) behaviours[name] = "missing";
  }
  Object.assign(behaviours, specCmdlets, cmdlets);

  return {
    computerName: String(computerSystem.Name),
    ...(ps2 ? { powershell: "2.0" as const } : {}),
    os,
    computerSystem,
    registry: fakeRegistry(system),
    dnsClientGlobalSetting: object(outputOf(snapshot, "dnsClientGlobalSetting")),
    windowsFeatures: system.windowsFeatures,
    optionalFeatures: system.optionalFeatures,
    localUsers: list(outputOf(snapshot, "localUsers")).map((u) => ({ Name: String(u.Name), SID: String(u.SID), Enabled: u.Enabled === true })),
    administrators: system.localGroups[0]!.members.map(fakeMember),
    ...(system.localGroups.length > 1 ? { localGroups: system.localGroups.slice(1).map((g) => ({ Name: g.Name, SID: g.SID, members: g.members.map(fakeMember) })) } : {}),
    ...(system.services.length > 0 ? { services: system.services } : {}),
    ...(system.cim.length > 0 ? { cim: fakeCim(system) } : {}),
    hotfixes: list(outputOf(snapshot, "hotfixes")).map((h) => ({
      HotFixID: String(h.HotFixID),
      Description: typeof h.Description === "string" ? h.Description : null,
      InstalledOn: installedOnDate(h.InstalledOn),
    })),
    netAdapterAdvancedProperties: list(outputOf(snapshot, "netAdapterAdvancedProperty")),
    cluster: fakeCluster(snapshot),
    ...(spec.hyperV?.vms?.length ? { virtualMachines: fakeVms(dataSpec) } : {}),
    ...(Object.keys(behaviours).length > 0 ? { cmdlets: behaviours } : {}),
  };
}

export function writeFakeHost(file: string, host: FakeHost): void {
  writeFileSync(file, `${JSON.stringify(host, null, 2)}\n`);
}

function fakeCluster(snapshot: Snapshot): FakeCluster | null {
  const cluster = snapshot.probes.cluster;
  const quorum = snapshot.probes.clusterQuorum;
  if (cluster === undefined || !("output" in cluster)) return null;
  const c = object(cluster.output);
  const q = quorum !== undefined && "output" in quorum ? object(quorum.output) : {};
  return {
    Name: String(c.Name),
    Domain: String(c.Domain),
    Id: String(c.Id),
    AdministrativeAccessPoint: Number(c.AdministrativeAccessPoint),
    ...(typeof q.QuorumType === "number" || typeof q.QuorumType === "string" ? { QuorumType: q.QuorumType } : {}),
    QuorumResource:
      typeof q.QuorumResource === "string"
        ? { Name: q.QuorumResource, ResourceType: typeof q.QuorumResourceType === "string" ? q.QuorumResourceType : null }
        : null,
  };
}

function fakeVms(spec: HostSpec): FakeVm[] {
  const text = (v: JsonValue | undefined): string | null => (typeof v === "string" ? v : null);
  return resolveVms(spec).map((vm) => ({
    Name: vm.Name,
    Id: vm.Id,
    State: vm.State,
    integrationServices: vm.services.map((s) => ({ Name: String(s.Name), Id: String(s.Id), Enabled: s.Enabled === true, PrimaryStatusDescription: text(s.PrimaryStatusDescription), SecondaryStatusDescription: text(s.SecondaryStatusDescription) })),
  }));
}

function fakeMember(m: JsonObject): FakeAdministrator {
  return {
    Name: String(m.Name),
    ObjectClass: String(m.ObjectClass),
    SID: typeof m.SID === "string" ? m.SID : null,
    PrincipalSource: Number(m.PrincipalSource),
    ...(isOrphaned(m) ? { orphaned: true } : {}),
  };
}

/** Compact where the JSON type says it (DWORD, REG_SZ, REG_MULTI_SZ), explicit otherwise. */
function fakeRegistry(system: ResolvedSystem): FakeHost["registry"] {
  const value = (v: ResolvedRegistryValue): FakeRegistryValue => {
    if (v.kind === "DWord" || v.kind === "String" || v.kind === "MultiString") return v.data as number | string | string[];
    return { kind: v.kind, data: v.data as string | number | number[] };
  };
  return Object.fromEntries(system.registry.map((k) => [k.path, Object.fromEntries(k.values.map((v) => [v.name, value(v)]))]));
}

function fakeCim(system: ResolvedSystem): NonNullable<FakeHost["cim"]> {
  const out: NonNullable<FakeHost["cim"]> = {};
  for (const c of system.cim) {
    const ns = (out[c.namespace] ??= {});
    if (c.className !== "") ns[c.className] = c.instances;
  }
  return out;
}

function outputOf(snapshot: Snapshot, id: ProbeId): JsonValue {
  const record: ProbeRecord | undefined = snapshot.probes[id];
  if (record === undefined || !("output" in record)) throw new Error(`${snapshot.host}: the built snapshot has no output for ${id}`);
  return record.output;
}

function object(value: JsonValue): JsonObject {
  if (typeof value !== "object" || value === null || Array.isArray(value)) throw new Error(`expected an object, got ${JSON.stringify(value)}`);
  return value;
}

/** ConvertTo-Json's pipeline shapes back to a list: null none, an object one, an array many. */
function list(value: JsonValue): JsonObject[] {
  if (value === null) return [];
  return Array.isArray(value) ? value.map(object) : [object(value)];
}
