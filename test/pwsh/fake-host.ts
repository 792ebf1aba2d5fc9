/**
 * A snapshot-builder HostSpec as a simulated Windows host for HostproofFakeWindows.psm1
 * (format: fake-host.schema.json), so that one host can be judged from a built snapshot and
 * collected by the real collector script from the simulation, and the two compared.
 *
 * The host is derived from buildSnapshot's own outputs, so both sides agree by construction on
 * every value; what the comparison then tests is the collector, the probe commands and their
 * fallbacks. Cmdlet misbehaviour is given explicitly through `cmdlets`, not through the spec's
 * probeErrors, because a failure is a property of a cmdlet (it hits every probe and fallback that
 * uses it), not of a probe.
 */
import { writeFileSync } from "node:fs";
import type { JsonObject, JsonValue } from "../../src/model/json";
import type { ProbeRecord, Snapshot } from "../../src/model/snapshot";
import type { ProbeId } from "../../src/probes/catalog";
import { installedOnDate } from "../../src/facts/hotfixes";
import { buildSnapshot, type HostSpec } from "../helpers/snapshot-builder";

/**
 * How a simulated cmdlet misbehaves. access-denied throws (terminating, as a compiled cmdlet under
 * Stop does); access-denied-nonterminating writes the error record and returns nothing, as a CDXML
 * function does when -ErrorAction Stop did not reach it (see HostproofFakeWindows.psm1).
 */
export type CmdletBehaviour = "missing" | "access-denied" | "access-denied-nonterminating" | "hang" | "invalid-operation";

/** Every command the module simulates; each catalog command uses only these (and core cmdlets). */
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
] as const;

export type FakedCmdlet = (typeof FAKED_CMDLETS)[number];

export const REGISTRY_KEYS = {
  tcpipParameters: "HKLM:\\SYSTEM\\CurrentControlSet\\Services\\Tcpip\\Parameters",
  dnsClientPolicy: "HKLM:\\SOFTWARE\\Policies\\Microsoft\\System\\DNSClient",
  uacPolicy: "HKLM:\\SOFTWARE\\Microsoft\\Windows\\CurrentVersion\\Policies\\System",
} as const;

/** DISM's name for the feature ServerManager calls Failover-Clustering. */
export const OPTIONAL_FEATURE_NAME = "FailoverCluster-FullServer";

export interface FakeAdministrator {
  Name: string;
  ObjectClass: string;
  SID: string | null;
  PrincipalSource: number;
  orphaned?: boolean;
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
];

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
  registry: Record<string, Record<string, string | number | string[]>>;
  dnsClientGlobalSetting?: JsonObject;
  windowsFeatures?: Array<{ Name: string; DisplayName?: string; InstallState: number }>;
  optionalFeatures?: Array<{ FeatureName: string; DisplayName?: string; State: number }>;
  localUsers?: Array<{ Name: string; SID: string; Enabled: boolean }>;
  administrators?: FakeAdministrator[];
  hotfixes?: Array<{ HotFixID: string; Description: string | null; InstalledOn: string | null }>;
  netAdapterAdvancedProperties?: JsonObject[];
  cluster?: FakeCluster | null;
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
  // A 2003 host's data: WMI's Win32_OperatingSystem as the builder has it for 2003 (no
  // OSArchitecture), everything else as any host of that version.
  const legacy = spec.legacy2003 === true;
  const snapshot = buildSnapshot(legacy ? { ...spec, legacy2003: false, os: { ...spec.os, version: spec.os?.version ?? "5.2.3790" } } : spec);
  const os = object(outputOf(legacy ? buildSnapshot(spec) : snapshot, "os"));
  const computerSystem = object(outputOf(snapshot, "computerSystem"));
  const feature = object(outputOf(snapshot, "failoverClusteringFeature"));
  const installed = feature.InstallState === 1;

  const registry: FakeHost["registry"] = {
    [REGISTRY_KEYS.tcpipParameters]: values(object(outputOf(snapshot, "tcpipParameters"))),
    [REGISTRY_KEYS.uacPolicy]: values(object(outputOf(snapshot, "uacPolicy"))),
  };
  const policy = snapshot.probes.dnsClientPolicy;
  if (policy !== undefined && "output" in policy) {
    const set = values(object(policy.output));
    // The builder's "key exists, no suffix values" is a key some other DNS client policy
    // created; an empty key would make Get-ItemProperty return nothing at all.
    registry[REGISTRY_KEYS.dnsClientPolicy] = Object.keys(set).length > 0 ? set : { EnableMulticast: 0 };
  }

  const behaviours: Partial<Record<FakedCmdlet, CmdletBehaviour>> = {};
  if (!installed) {
    // Without the feature the FailoverClusters module is not there at all.
    behaviours["Get-Cluster"] = "missing";
    behaviours["Get-ClusterQuorum"] = "missing";
  }
  if (ps2) for (const name of MISSING_ON_POWERSHELL_2) behaviours[name] = "missing";
  if (legacy) {
    // 2003 has neither ServerManager's Get-WindowsFeature nor the FailoverClusters module.
    for (const name of ["Get-WindowsFeature", "Get-Cluster", "Get-ClusterQuorum"] as const) behaviours[name] = "missing";
  }
  Object.assign(behaviours, cmdlets);

  return {
    computerName: String(computerSystem.Name),
    ...(ps2 ? { powershell: "2.0" as const } : {}),
    os,
    computerSystem,
    registry,
    dnsClientGlobalSetting: object(outputOf(snapshot, "dnsClientGlobalSetting")),
    windowsFeatures: [{ Name: String(feature.Name), DisplayName: String(feature.DisplayName), InstallState: Number(feature.InstallState) }],
    optionalFeatures: [{ FeatureName: OPTIONAL_FEATURE_NAME, DisplayName: String(feature.DisplayName), State: installed ? 2 : 0 }],
    localUsers: list(outputOf(snapshot, "localUsers")).map((u) => ({ Name: String(u.Name), SID: String(u.SID), Enabled: u.Enabled === true })),
    administrators: list(outputOf(snapshot, "administratorsGroup")).map((m) => ({
      Name: String(m.Name),
      ObjectClass: String(m.ObjectClass),
      SID: typeof m.SID === "string" ? m.SID : null,
      PrincipalSource: Number(m.PrincipalSource),
      ...(isOrphaned(m) ? { orphaned: true } : {}),
    })),
    hotfixes: list(outputOf(snapshot, "hotfixes")).map((h) => ({
      HotFixID: String(h.HotFixID),
      Description: typeof h.Description === "string" ? h.Description : null,
      InstalledOn: installedOnDate(h.InstalledOn),
    })),
    netAdapterAdvancedProperties: list(outputOf(snapshot, "netAdapterAdvancedProperty")),
    cluster: fakeCluster(snapshot),
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

/**
 * A member Windows cannot resolve: no SID at all, or shown under its SID instead of a name (how
 * Get-LocalGroupMember lists an account deleted from its domain).
 */
export function isOrphaned(member: JsonObject): boolean {
  const account = String(member.Name).split("\\").pop() ?? "";
  return typeof member.SID !== "string" || /^S-1-/i.test(account);
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

/** Registry values from a projection: null means the value does not exist. */
function values(obj: JsonObject): Record<string, string | number | string[]> {
  const out: Record<string, string | number | string[]> = {};
  for (const [name, value] of Object.entries(obj)) {
    if (typeof value === "string" || typeof value === "number") out[name] = value;
    else if (value !== null) throw new Error(`registry value ${name} cannot be ${JSON.stringify(value)}`);
  }
  return out;
}
