/**
 * Builds realistic host snapshots for tests, the demo estate and the benchmark.
 *
 * Every probe `output` has the shape Windows PowerShell 5.1 `ConvertTo-Json` gives for the
 * command in src/probes/catalog.ts, after JSON.parse: properties in Select-Object order, enums as
 * integers, a single pipeline item as an object and several as an array, DateTime as
 * "/Date(ms)/" (the text `"\/Date(ms)\/"` once parsed), RegistryValue as a string array. Tests
 * that pass against these shapes therefore exercise the same normalisation a real host needs.
 *
 * Everything is derived from the spec with a seeded generator, so the same spec always yields the
 * same snapshot, byte for byte (the demo files and the drift test depend on it).
 */
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import type { JsonObject, JsonValue } from "../../src/model/json";
import type { ClusterType, ControlInputs, Inventory, InventoryCluster, InventoryHost, Transport } from "../../src/model/inventory";
import type { ProbeError, ProbeRecord, Snapshot, SnapshotProbes } from "../../src/model/snapshot";
import { hpJsonCommand, PROBE_IDS, PROBES, readingPipeline, type ProbeId } from "../../src/probes/catalog";
import { GENERIC_READERS, sameProbeId, uniqueProbes, type AnyProbeId, type GenericKind, type GenericProbe, type GenericProbeId } from "../../src/probes/generic";
import { REGISTRY_HIVES, registryProviderPath } from "../../src/probes/params";
import { CHECKS } from "../../src/controls/checks";
import { INTEGRATION_SERVICES, type IntegrationServiceKey } from "../../src/judge/integration-services";

// ---------------------------------------------------------------------------------------------
// Spec

export type WitnessType = "Cloud Witness" | "Physical Disk" | "File Share Witness" | null;

export interface ClusterSpec {
  name: string;
  /** Only steers defaults (access point, LATFP, domain join); the inventory says what it is. */
  type?: ClusterType;
  /** Local account the cluster was created with; added to users and Administrators by default. */
  adminAccount?: string;
  /** 0 None, 1 ActiveDirectoryAndDns, 2 Dns, 3 ActiveDirectory. Default 2 unless single-domain. */
  administrativeAccessPoint?: number;
  /** Witness resource type; null = no witness. Default Cloud Witness. */
  witness?: WitnessType;
  witnessResourceName?: string;
  /** Default 1 (Majority, the 2016+ enum value). */
  quorumType?: number | string;
  /** `Get-Cluster` Domain; default the node's primary DNS suffix. Same on every node of a cluster. */
  domain?: string;
  /** Default: a GUID derived from the cluster name, so all nodes agree. */
  id?: string;
}

export interface OsSpec {
  caption?: string;
  /** e.g. `10.0.17763`; caption, build and CSDVersion default from it. */
  version?: string;
  build?: string | number;
  productType?: number;
  /**
   * OperatingSystemSKU. Default 8 (Datacenter) for servers, 48 (Pro) for workstations, matching
   * the default captions; null leaves the property out, as in snapshots taken before it was read.
   */
  sku?: number | null;
  /** Localised on real hosts; null to emit JSON null. */
  architecture?: string | null;
  csdVersion?: string | null;
  /** The CurrentVersion key's InstallationType; default Server (Client for a workstation, Nano Server for SKU 143/144). */
  installationType?: string;
  /** Update Build Revision; default per release (WINDOWS_VERSION_DEFAULTS); null: the value is missing. */
  ubr?: number | null;
  /** DisplayVersion (21H2, 24H2); default per release; null: the value is missing. */
  displayVersion?: string | null;
}

/** A release's revision and DisplayVersion as the CurrentVersion key holds them on a patched host. */
const WINDOWS_VERSION_DEFAULTS: Record<string, { ubr: number; displayVersion: string | null }> = {
  "14393": { ubr: 7428, displayVersion: null },
  "17763": { ubr: 6414, displayVersion: null },
  "20348": { ubr: 2762, displayVersion: "21H2" },
  "26100": { ubr: 4946, displayVersion: "24H2" },
};

/** The windowsVersion probe's output: what Get-ItemProperty projects from the CurrentVersion key. */
function windowsVersionOutput(spec: HostSpec, build: string): JsonObject {
  const client = (spec.os?.productType ?? 3) === 1;
  const sku = spec.os?.sku;
  const nano = sku === 143 || sku === 144;
  const defaults = WINDOWS_VERSION_DEFAULTS[build];
  return {
    InstallationType: spec.os?.installationType ?? (client ? "Client" : nano ? "Nano Server" : "Server"),
    EditionID: client ? "Professional" : nano ? "ServerDatacenterNano" : "ServerDatacenter",
    CurrentBuild: build,
    UBR: spec.os?.ubr !== undefined ? spec.os.ubr : (defaults?.ubr ?? 1),
    DisplayVersion: spec.os?.displayVersion !== undefined ? spec.os.displayVersion : (defaults?.displayVersion ?? null),
  };
}

export interface LocalUserSpec {
  name: string;
  /** Relative id appended to the machine SID; default 1000 upward. Ignored when sid is given. */
  rid?: number;
  sid?: string;
  enabled?: boolean;
}

export interface AdminMemberSpec {
  /** `HOST\user`, `DOMAIN\Group`; a bare name is taken as a local account of this host. */
  name: string;
  objectClass?: "User" | "Group";
  /** Default: the local user's SID when the name is one; null for an orphan. */
  sid?: string | null;
  /** 0 Unknown, 1 Local, 2 ActiveDirectory. */
  principalSource?: number;
}

export interface AdapterSpec {
  name: string;
  /** Keyword -> RegistryValue; overrides a default or adds a keyword. Keys match case-insensitively. */
  values?: Record<string, string | string[]>;
  /** Keywords the driver does not expose (removed from the output). */
  missing?: string[];
}

export interface HotfixSpec {
  id: string;
  description?: string;
  /** yyyy-mm-dd, local midnight on a UTC host. */
  installedOn?: string;
}

export interface HostSpec {
  /** Inventory name; the snapshot's `host`. */
  name: string;
  /** ISO time the collection began; default 2026-11-20T09:00:00Z. */
  collectedAt?: string;
  /** Transport the collector used; default winrm (local for legacy2003, see below). */
  transport?: Transport;
  os?: OsSpec;
  /**
   * Windows Server 2003: no PowerShell on the host, so only Win32_OperatingSystem is read over WMI
   * from a management host; every other probe is recorded as not-supported.
   */
  legacy2003?: boolean;
  /** AD domain the host is joined to; null = workgroup. Default: the primary suffix, or null for workgroup clusters. */
  joinedDomain?: string | null;
  /** Primary DNS suffix in force (Tcpip `Domain`); null = none (Windows stores ""). Default corp.contoso.test. */
  domain?: string | null;
  /** Tcpip `NV Domain` (after restart); default = domain. */
  nvDomain?: string | null;
  /** Group Policy primary DNS suffix; default none (the key exists, the values do not). */
  policySuffix?: string | null;
  /** The policy key does not exist: Get-ItemProperty -ErrorAction Stop fails (error kind not-found). */
  policyKeyAbsent?: boolean;
  /** Default [primary suffix]. */
  searchList?: string[];
  /** Default true. */
  clusteringInstalled?: boolean;
  /** Replaces the default users (Administrator, DefaultAccount, Guest, WDAGUtilityAccount, the cluster account). */
  users?: LocalUserSpec[];
  /** Replaces the default Administrators members (Administrator, the cluster account, DOMAIN\Domain Admins). */
  admins?: Array<string | AdminMemberSpec>;
  /** LocalAccountTokenFilterPolicy; null = value absent. Default 1 on workgroup/multi-domain nodes with a non-built-in account, else 0. */
  latfp?: number | null;
  /** Replaces the default update list for the OS build. */
  hotfixes?: Array<string | HotfixSpec>;
  /** Default "Ethernet 1" and "Ethernet 2", every offload disabled. */
  adapters?: AdapterSpec[];
  /** Set on cluster nodes; absent/null = not a node (cluster cmdlets fail as on a real standalone host). */
  cluster?: ClusterSpec | null;
  /**
   * Error records instead of output for these probes: built-in ones, or generic ones by id (what
   * the collector got from the host, whatever the simulated state says: an unreachable host).
   */
  probeErrors?: Partial<Record<AnyProbeId, ProbeError>>;
  /** Probes with no record at all. */
  omitProbes?: ProbeId[];
  /**
   * Cmdlets this host lacks or that misbehave there (a Nano Server has no ServerManager, no
   * Get-HotFix, no Get-WmiObject). Every probe meets them, built-in and generic alike, and walks
   * its fallbacks the way the collector does (src/collect/script.ts), so the record names the
   * command that answered. Added to buildSnapshot's `cmdlets` option.
   */
  cmdlets?: Readonly<Partial<Record<string, CmdletBehaviour>>>;
  /** `$PSVersionTable.PSVersion` the collector ran under; default the build's Windows PowerShell 5.1. */
  powershell?: string;
  /** Host-level control inputs; used by writeEstate for the inventory entry only. */
  inputs?: ControlInputs;
  /** What the generic probes read beyond the fields above (see SystemSpec). */
  system?: SystemSpec;
  /**
   * Win32_ComputerSystem Manufacturer and Model. Default a physical server (Dell Inc., PowerEdge
   * R740), or a Hyper-V virtual machine (Microsoft Corporation, Virtual Machine) with hyperVGuest.
   */
  hardware?: { manufacturer: string; model: string };
  /** A Hyper-V host (see HyperVSpec). Absent: the role is available but not installed, and its PowerShell module is missing. */
  hyperV?: HyperVSpec;
  /** Windows inside a Hyper-V VM: the integration services' guest side (see HyperVGuestSpec). */
  hyperVGuest?: HyperVGuestSpec;
}

/** One VM on a Hyper-V host. */
export interface VmSpec {
  name: string;
  /** VMId; default a GUID derived from the host's and the VM's names. */
  id?: string;
  /** Default Running. A VM that is off reports no status descriptions (its guest does not answer). */
  state?: "Running" | "Off";
  /**
   * Each integration service's Enabled, by the inventory's key for it. Default what Hyper-V gives a
   * new VM: all enabled but GuestServiceInterface. null: the VM does not offer the service at all
   * (Guest Service Interface on a VM of an older configuration version).
   */
  services?: Partial<Record<IntegrationServiceKey, boolean | null>>;
  /** A Name other than the host language's for a service, e.g. to show that only the Id counts. */
  names?: Partial<Record<IntegrationServiceKey, string>>;
}

/** What a Hyper-V host has; the rest of the host is as any other. */
export interface HyperVSpec {
  /** InstallState of the Windows feature Hyper-V (DISM: Microsoft-Hyper-V); default 1, Installed. */
  installState?: number;
  /**
   * The Hyper-V PowerShell module (Get-VM, Get-VMIntegrationService). Default true when the role is
   * installed; false: the role installed without its management tools.
   */
  module?: boolean;
  /** The host's display language, which is the language of the integration services' Names. Default en-US. */
  language?: "en-US" | "de-DE";
  /** In the order Get-VM lists them. Default none. */
  vms?: VmSpec[];
}

/** The integration services' guest side: Windows services, trigger-started when the host offers them. */
export interface HyperVGuestSpec {
  /**
   * Changes to the guest services (see VMIC_SERVICES for the defaults, which are Microsoft's own
   * Get-Service -Name vm* listing): status and start type, or null for a service this Windows
   * does not have.
   */
  services?: Record<string, Partial<Pick<ServiceSpec, "status" | "startType" | "displayName">> | null>;
}

// ---------------------------------------------------------------------------------------------
// Spec: the simulated Windows state the generic probes read (src/probes/generic.ts)

/** RegistryKey.GetValueKind's names for the value types a check reads. */
export type RegistryValueKind = "String" | "ExpandString" | "DWord" | "QWord" | "MultiString" | "Binary";

/**
 * A registry value. A number is a DWORD (0 to 0xFFFFFFFF as regedit shows it; RegistryKey.GetValue
 * returns one above 0x7FFFFFFF as a negative Int32, and so does the output), a string a REG_SZ, an
 * array of strings a REG_MULTI_SZ. Any type as { kind, data }: QWord data a safe integer, Binary data
 * bytes or hex text ("01ff").
 */
export type RegistryValueSpec = string | number | string[] | { kind: RegistryValueKind; data: string | number | ReadonlyArray<string | number> };

/** ServiceControllerStatus. */
export const SERVICE_STATUS = { Stopped: 1, StartPending: 2, StopPending: 3, Running: 4, ContinuePending: 5, PausePending: 6, Paused: 7 } as const;
/** ServiceStartMode (.NET 4.6.1+, which Windows PowerShell 5.1 runs on). */
export const SERVICE_START_TYPE = { Boot: 0, System: 1, Automatic: 2, Manual: 3, Disabled: 4 } as const;

export interface ServiceSpec {
  /** The short name, as `sc.exe query` lists it. */
  name: string;
  /** Default: the name. */
  displayName?: string;
  /** By name or number; default Running. */
  status?: keyof typeof SERVICE_STATUS | number;
  /** By name or number; default Automatic. */
  startType?: keyof typeof SERVICE_START_TYPE | number;
}

export interface WindowsFeatureSpec {
  /** ServerManager's name (Get-WindowsFeature). */
  name: string;
  /** Default: the name. */
  displayName?: string;
  /** 0 Available, 1 Installed, 2 InstallPending, 3 UninstallPending, 4 Removed. */
  installState: number;
  /**
   * DISM's name for the same feature: the host then also has that optional feature, in the DISM
   * state matching installState, which is what a windowsFeature probe reads where ServerManager is
   * missing. Without it DISM does not know the feature.
   */
  optionalName?: string;
}

export interface OptionalFeatureSpec {
  /** DISM's FeatureName. */
  name: string;
  /** Default: the name. */
  displayName?: string;
  /** DISM FeatureState: 0 Disabled, 1 DisablePending, 2 Enabled, 3 EnablePending, 6 DisabledWithPayloadRemoved. */
  state: number;
}

export interface LocalGroupSpec {
  /** As this host names it: well-known groups have localised names (Remotedesktopbenutzer). */
  name: string;
  sid: string;
  /** As admins: `DOMAIN\name`, or a bare name for a local account of this host. Default none. */
  members?: Array<string | AdminMemberSpec>;
}

/** A CIM property value: what a check compares. */
export type CimValue = string | number | boolean | null | Array<string | number | boolean | null>;

/**
 * What the generic probes read beyond the built-in fields. The built-in fields already describe
 * part of it, and stay its only source (setting it here too is refused): the Tcpip, UAC and DNS
 * client policy keys (domain, latfp, policySuffix...), the Failover-Clustering feature and its DISM
 * twin FailoverCluster-FullServer (clusteringInstalled), the Hyper-V feature and its twin
 * Microsoft-Hyper-V (hyperV), a Hyper-V guest's vmic* services (hyperVGuest), the Administrators
 * group S-1-5-32-544 (admins), and in root\cimv2 the classes derived from the host's data: Win32_OperatingSystem,
 * Win32_ComputerSystem, Win32_UserAccount, Win32_Group, Win32_QuickFixEngineering, and
 * Win32_Service and Win32_OptionalFeature (from services and optional features here).
 */
export interface SystemSpec {
  /**
   * Key (HKLM\..., HKLM:\..., HKEY_LOCAL_MACHINE\..., HKU\..., Registry::HKEY_USERS\...) -> value
   * name ("" or "(default)" for the default value) -> value, in the order RegistryKey.GetValueNames
   * lists them. {} is a key without values. A key not listed does not exist.
   */
  registry?: Record<string, Record<string, RegistryValueSpec>>;
  services?: ServiceSpec[];
  windowsFeatures?: WindowsFeatureSpec[];
  optionalFeatures?: OptionalFeatureSpec[];
  /** Local groups other than Administrators. */
  localGroups?: LocalGroupSpec[];
  /**
   * Namespace (root\...) -> class -> instances. A class with [] exists without instances, a
   * namespace with {} without classes (and so do the namespaces above a listed one); any other
   * namespace or class does not exist.
   */
  cim?: Record<string, Record<string, Array<Record<string, CimValue>>>>;
}

// ---------------------------------------------------------------------------------------------
// Constants other helpers reuse

export const DEFAULT_COLLECTED_AT = "2026-11-20T09:00:00Z";
export const DEFAULT_DOMAIN = "corp.contoso.test";
export const DEFAULT_ADMIN_ACCOUNT = "clusadmin";
export const COLLECTOR = { name: "hostproof-collector", version: "0.1.0" } as const;

/** windows-facts.md §5: the keywords whose disabled value is "0". */
export const OFFLOAD_KEYWORDS = [
  "*VMQ",
  "*RSS",
  "*LsoV2IPv4",
  "*LsoV2IPv6",
  "*IPChecksumOffloadIPv4",
  "*TCPChecksumOffloadIPv4",
  "*TCPChecksumOffloadIPv6",
  "*UDPChecksumOffloadIPv4",
  "*UDPChecksumOffloadIPv6",
  "*RscIPv4",
  "*RscIPv6",
  "*SRIOV",
  "*EncapsulatedPacketTaskOffload",
  "*PMARPOffload",
  "*PMNSOffload",
] as const;

export const WMI_2003_MESSAGE = "Windows PowerShell is not installed on this host (Windows Server 2003)";

export function wmi2003Command(host: string): string {
  return `Get-WmiObject -Class Win32_OperatingSystem -ComputerName ${host} | Select-Object Caption, Version, BuildNumber, ProductType, CSDVersion | ConvertTo-Json -Depth 4 -Compress`;
}

interface KeywordInfo {
  displayName: string | null;
  defaultValue: string;
  /** RegistryValue -> DisplayValue as an English Intel/Mellanox driver shows it. */
  displayValues: Record<string, string>;
}

const ON_OFF = { "0": "Disabled", "1": "Enabled" };
const CHECKSUM = { "0": "Disabled", "1": "Tx Enabled", "2": "Rx Enabled", "3": "Rx & Tx Enabled" };

// Order is the order the adapter lists them in; offloads first, then ordinary tuning keywords
// (present so that a judge that checks "every keyword" rather than the offload list gets caught),
// then properties only -AllProperties shows, which have no display name.
const KEYWORDS: ReadonlyArray<[string, KeywordInfo]> = [
  ["*VMQ", { displayName: "Virtual Machine Queues", defaultValue: "0", displayValues: ON_OFF }],
  ["*RSS", { displayName: "Receive Side Scaling", defaultValue: "0", displayValues: ON_OFF }],
  ["*LsoV2IPv4", { displayName: "Large Send Offload V2 (IPv4)", defaultValue: "0", displayValues: ON_OFF }],
  ["*LsoV2IPv6", { displayName: "Large Send Offload V2 (IPv6)", defaultValue: "0", displayValues: ON_OFF }],
  ["*IPChecksumOffloadIPv4", { displayName: "IPv4 Checksum Offload", defaultValue: "0", displayValues: CHECKSUM }],
  ["*TCPChecksumOffloadIPv4", { displayName: "TCP Checksum Offload (IPv4)", defaultValue: "0", displayValues: CHECKSUM }],
  ["*TCPChecksumOffloadIPv6", { displayName: "TCP Checksum Offload (IPv6)", defaultValue: "0", displayValues: CHECKSUM }],
  ["*UDPChecksumOffloadIPv4", { displayName: "UDP Checksum Offload (IPv4)", defaultValue: "0", displayValues: CHECKSUM }],
  ["*UDPChecksumOffloadIPv6", { displayName: "UDP Checksum Offload (IPv6)", defaultValue: "0", displayValues: CHECKSUM }],
  ["*RscIPv4", { displayName: "Recv Segment Coalescing (IPv4)", defaultValue: "0", displayValues: ON_OFF }],
  ["*RscIPv6", { displayName: "Recv Segment Coalescing (IPv6)", defaultValue: "0", displayValues: ON_OFF }],
  ["*SRIOV", { displayName: "SR-IOV", defaultValue: "0", displayValues: ON_OFF }],
  ["*EncapsulatedPacketTaskOffload", { displayName: "Encapsulated Task Offload", defaultValue: "0", displayValues: ON_OFF }],
  ["*PMARPOffload", { displayName: "ARP Offload", defaultValue: "0", displayValues: ON_OFF }],
  ["*PMNSOffload", { displayName: "NS Offload", defaultValue: "0", displayValues: ON_OFF }],
  ["*JumboPacket", { displayName: "Jumbo Packet", defaultValue: "1514", displayValues: { "1514": "Disabled", "4088": "4088 Bytes", "9014": "9014 Bytes" } }],
  ["*SpeedDuplex", { displayName: "Speed & Duplex", defaultValue: "0", displayValues: { "0": "Auto Negotiation", "6": "1.0 Gbps Full Duplex", "7": "10 Gbps Full Duplex" } }],
  ["*FlowControl", { displayName: "Flow Control", defaultValue: "3", displayValues: CHECKSUM }],
  ["*InterruptModeration", { displayName: "Interrupt Moderation", defaultValue: "1", displayValues: ON_OFF }],
  ["*NumRssQueues", { displayName: "Maximum Number of RSS Queues", defaultValue: "8", displayValues: { "1": "1 Queue", "2": "2 Queues", "4": "4 Queues", "8": "8 Queues" } }],
  ["*PriorityVLANTag", { displayName: "Packet Priority & VLAN", defaultValue: "3", displayValues: { "0": "Packet Priority & VLAN Disabled", "3": "Packet Priority & VLAN Enabled" } }],
  ["*ReceiveBuffers", { displayName: "Receive Buffers", defaultValue: "512", displayValues: {} }],
  ["*TransmitBuffers", { displayName: "Transmit Buffers", defaultValue: "512", displayValues: {} }],
  ["VlanID", { displayName: "VLAN ID", defaultValue: "0", displayValues: {} }],
  ["*IfType", { displayName: null, defaultValue: "6", displayValues: {} }],
  ["*MediaType", { displayName: null, defaultValue: "0", displayValues: {} }],
  ["*PhysicalMediaType", { displayName: null, defaultValue: "14", displayValues: {} }],
];

interface OsDefaults {
  caption: string;
  csdVersion: string | null;
  /** `$PSVersionTable.PSVersion` of the Windows PowerShell 5.1 that ships with (or was added to) the build. */
  powershell: string | null;
  hotfixes: HotfixSpec[];
}

const OS_DEFAULTS: Record<string, OsDefaults> = {
  "5.2.3790": {
    // On 2003 R2 the caption does not say R2 (only OtherTypeDescription does), as on a real host.
    caption: "Microsoft(R) Windows(R) Server 2003, Enterprise Edition",
    csdVersion: "Service Pack 2",
    powershell: null,
    hotfixes: [],
  },
  "6.1.7601": {
    caption: "Microsoft Windows Server 2008 R2 Enterprise ",
    csdVersion: "Service Pack 1",
    powershell: "5.1.14409.1005",
    hotfixes: [
      { id: "KB3191566", description: "Update", installedOn: "2019-03-12" },
      { id: "KB4490628", description: "Update", installedOn: "2019-03-12" },
      { id: "KB4534310", description: "Security Update", installedOn: "2020-01-14" },
    ],
  },
  "6.3.9600": {
    caption: "Microsoft Windows Server 2012 R2 Datacenter",
    csdVersion: null,
    powershell: "5.1.14409.1018",
    hotfixes: [
      { id: "KB2919355", description: "Update", installedOn: "2022-03-08" },
      { id: "KB3191564", description: "Update", installedOn: "2022-03-08" },
      { id: "KB5029368", description: "Servicing Stack Update", installedOn: "2023-08-08" },
      { id: "KB5031419", description: "Security Update", installedOn: "2023-10-10" },
    ],
  },
  "10.0.14393": {
    caption: "Microsoft Windows Server 2016 Datacenter",
    csdVersion: null,
    powershell: "5.1.14393.7428",
    hotfixes: [
      { id: "KB3192137", description: "Update", installedOn: "2024-02-13" },
      { id: "KB4486129", description: "Update", installedOn: "2024-02-13" },
      { id: "KB4535680", description: "Security Update", installedOn: "2024-02-13" },
      { id: "KB5011570", description: "Update", installedOn: "2024-06-11" },
      { id: "KB5043124", description: "Servicing Stack Update", installedOn: "2024-09-10" },
      { id: "KB5044293", description: "Security Update", installedOn: "2024-10-08" },
    ],
  },
  "10.0.17763": {
    caption: "Microsoft Windows Server 2019 Datacenter",
    csdVersion: null,
    powershell: "5.1.17763.6414",
    hotfixes: [
      { id: "KB4486153", description: "Update", installedOn: "2024-03-12" },
      { id: "KB4535680", description: "Security Update", installedOn: "2024-03-12" },
      { id: "KB4589208", description: "Update", installedOn: "2024-03-12" },
      { id: "KB5043050", description: "Update", installedOn: "2024-09-10" },
      { id: "KB5044023", description: "Servicing Stack Update", installedOn: "2024-10-08" },
      { id: "KB5044277", description: "Security Update", installedOn: "2024-10-08" },
    ],
  },
  "10.0.20348": {
    caption: "Microsoft Windows Server 2022 Datacenter",
    csdVersion: null,
    powershell: "5.1.20348.2849",
    hotfixes: [
      { id: "KB5008882", description: "Update", installedOn: "2024-05-14" },
      { id: "KB5012170", description: "Security Update", installedOn: "2024-05-14" },
      { id: "KB5041948", description: "Update", installedOn: "2024-09-10" },
      { id: "KB5043050", description: "Update", installedOn: "2024-09-10" },
      { id: "KB5044025", description: "Update", installedOn: "2024-10-08" },
      { id: "KB5044281", description: "Security Update", installedOn: "2024-10-08" },
    ],
  },
  "10.0.26100": {
    caption: "Microsoft Windows Server 2025 Datacenter",
    csdVersion: null,
    powershell: "5.1.26100.2161",
    hotfixes: [
      { id: "KB5043080", description: "Security Update", installedOn: "2024-11-12" },
      { id: "KB5046617", description: "Security Update", installedOn: "2024-11-12" },
      { id: "KB5048667", description: "Update", installedOn: "2024-12-10" },
    ],
  },
};

const DEFAULT_OS_VERSION = "10.0.17763";

/** The update list a host of this version gets by default (a copy; edit freely). */
export function defaultHotfixes(version: string = DEFAULT_OS_VERSION): HotfixSpec[] {
  return (OS_DEFAULTS[version]?.hotfixes ?? OS_DEFAULTS[DEFAULT_OS_VERSION].hotfixes).map((h) => ({ ...h }));
}

/** The default caption for a version, as Win32_OperatingSystem reports it. */
export function defaultCaption(version: string): string {
  return OS_DEFAULTS[version]?.caption ?? `Microsoft Windows Server ${version}`;
}

// ---------------------------------------------------------------------------------------------
// Deterministic randomness: the same spec must give the same file, so nothing reads the clock
// or Math.random.

export function hashString(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

/** mulberry32: small, fast and good enough to scatter timings and pick deviations. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function between(rand: () => number, min: number, max: number): number {
  return Math.floor(min + rand() * (max - min + 1));
}

function sidTail(seedText: string): string {
  const rand = seededRandom(hashString(seedText));
  // Sub-authorities of machine and domain SIDs are 32-bit and usually above 2^30.
  return [0, 1, 2].map(() => String(1_000_000_000 + Math.floor(rand() * 3_000_000_000))).join("-");
}

function guid(seedText: string): string {
  const rand = seededRandom(hashString(seedText));
  const hex = Array.from({ length: 32 }, () => Math.floor(rand() * 16).toString(16)).join("");
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-4${hex.slice(13, 16)}-a${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}

// ---------------------------------------------------------------------------------------------
// Shape helpers

/** ConvertTo-Json on a pipeline: nothing -> no text (the collector records null), one -> object, more -> array. */
function pipeline(items: JsonObject[]): JsonValue {
  if (items.length === 0) return null;
  if (items.length === 1) return items[0];
  return items;
}

/** DateTime in 5.1 ConvertTo-Json is `"\/Date(ms)\/"`; JSON.parse turns `\/` into `/`. */
export function psDate(isoDay: string): string {
  return `/Date(${Date.parse(`${isoDay}T00:00:00Z`)})/`;
}

function netbios(host: string): string {
  return host.split(".")[0].toUpperCase().slice(0, 15);
}

function shortName(host: string): string {
  return host.split(".")[0];
}

function isBuiltinAdmin(account: string | undefined): boolean {
  return account !== undefined && account.toLowerCase() === "administrator";
}

// ---------------------------------------------------------------------------------------------
// Resolution of defaults

type ResolvedUser = { name: string; enabled: boolean; sid: string };

function resolveUsers(spec: HostSpec, build: number, adminAccount: string, machineSid: string): ResolvedUser[] {
  const specs: LocalUserSpec[] = spec.users ?? [
    { name: "Administrator", rid: 500, enabled: true },
    { name: "DefaultAccount", rid: 503, enabled: false },
    { name: "Guest", rid: 501, enabled: false },
    // Windows Defender Application Guard's account exists from 1709/2019 on.
    ...(build >= 17763 ? [{ name: "WDAGUtilityAccount", rid: 504, enabled: false }] : []),
    ...(isBuiltinAdmin(adminAccount) ? [] : [{ name: adminAccount, rid: 1000, enabled: true }]),
  ];
  let nextRid = 1000;
  return specs.map((u) => {
    const rid = u.rid ?? nextRid++;
    return { name: u.name, enabled: u.enabled ?? true, sid: u.sid ?? `${machineSid}-${rid}` };
  });
}

/** A group member as Get-LocalGroupMember's projection shows it; a bare name is a local account of this host. */
function groupMember(a: string | AdminMemberSpec, users: ReadonlyArray<{ name: string; sid: string }>, host: string): JsonObject {
  const m: AdminMemberSpec = typeof a === "string" ? { name: a } : a;
  const local = m.name.includes("\\") ? undefined : users.find((u) => u.name.toLowerCase() === m.name.toLowerCase());
  return {
    Name: m.name.includes("\\") ? m.name : `${host}\\${m.name}`,
    ObjectClass: m.objectClass ?? "User",
    SID: m.sid !== undefined ? m.sid : (local?.sid ?? null),
    PrincipalSource: m.principalSource ?? (m.name.includes("\\") && !m.name.toUpperCase().startsWith(`${host}\\`) ? 2 : 1),
  };
}

// ---------------------------------------------------------------------------------------------
// Probe outputs

/** The OperatingSystemSKU property, placed where the probe projects it; none when the spec says null. */
function skuProperty(spec: HostSpec): JsonObject {
  const sku = spec.os?.sku === undefined ? ((spec.os?.productType ?? 3) === 1 ? 48 : 8) : spec.os.sku;
  return sku === null ? {} : { OperatingSystemSKU: sku };
}

function osOutput(r: { version: string; build: string; caption: string; spec: HostSpec; csd: string | null }): JsonObject {
  return {
    Caption: r.caption,
    Version: r.version,
    BuildNumber: r.build,
    ProductType: r.spec.os?.productType ?? 3,
    ...skuProperty(r.spec),
    OSArchitecture: r.spec.os?.architecture === undefined ? "64-bit" : r.spec.os.architecture,
    CSDVersion: r.csd,
  };
}

function adapterRows(adapter: AdapterSpec): JsonObject[] {
  const overrides = new Map<string, { keyword: string; value: string[] }>();
  for (const [keyword, value] of Object.entries(adapter.values ?? {})) {
    overrides.set(keyword.toLowerCase(), { keyword, value: Array.isArray(value) ? value : [value] });
  }
  const missing = new Set((adapter.missing ?? []).map((k) => k.toLowerCase()));
  const rows: JsonObject[] = [];
  const emit = (keyword: string, info: KeywordInfo | undefined, value: string[]): void => {
    if (missing.has(keyword.toLowerCase())) return;
    const first = value[0] ?? "";
    const displayName = info ? info.displayName : keyword.replace(/^\*/, "");
    const displayValue = info?.displayName === null ? null : (info?.displayValues[first] ?? first);
    rows.push({
      Name: adapter.name,
      DisplayName: displayName,
      DisplayValue: displayValue,
      RegistryKeyword: keyword,
      RegistryValue: value,
    });
  };
  for (const [keyword, info] of KEYWORDS) {
    const over = overrides.get(keyword.toLowerCase());
    overrides.delete(keyword.toLowerCase());
    // The spelling given by the test wins so that case-insensitive matching can be exercised.
    emit(over?.keyword ?? keyword, info, over?.value ?? [info.defaultValue]);
  }
  for (const extra of overrides.values()) emit(extra.keyword, undefined, extra.value);
  return rows;
}

function clusterQuorumOutput(cluster: ClusterSpec): JsonObject {
  const witness = cluster.witness === undefined ? "Cloud Witness" : cluster.witness;
  const defaultResourceName: Record<Exclude<WitnessType, null>, string> = {
    "Cloud Witness": "Cloud Witness",
    "Physical Disk": "Cluster Disk 1",
    "File Share Witness": "File Share Witness",
  };
  return {
    Cluster: cluster.name,
    QuorumType: cluster.quorumType ?? 1,
    QuorumResource: witness === null ? null : (cluster.witnessResourceName ?? defaultResourceName[witness]),
    QuorumResourceType: witness,
  };
}

/** Where the spec says nothing: a physical server, or a Hyper-V VM's virtual firmware. */
const PHYSICAL_HARDWARE = { manufacturer: "Dell Inc.", model: "PowerEdge R740" } as const;
export const HYPER_V_VM_HARDWARE = { manufacturer: "Microsoft Corporation", model: "Virtual Machine" } as const;

function hardwareOf(spec: HostSpec): { manufacturer: string; model: string } {
  return spec.hardware ?? (spec.hyperVGuest ? HYPER_V_VM_HARDWARE : PHYSICAL_HARDWARE);
}

/**
 * Get-VMIntegrationService's Names. Takt and Zeitsynchronisierung are what a German host shows
 * (windows-facts.md section 7); the other German names are illustrative, which is the point: only
 * the GUID ending the Id may decide.
 */
const INTEGRATION_SERVICE_NAMES: Readonly<Record<NonNullable<HyperVSpec["language"]>, Readonly<Record<IntegrationServiceKey, string>>>> = {
  "en-US": Object.fromEntries(INTEGRATION_SERVICES.map((s) => [s.key, s.label])) as Record<IntegrationServiceKey, string>,
  "de-DE": {
    GuestServiceInterface: "Gastdienstschnittstelle",
    Heartbeat: "Takt",
    KeyValuePairExchange: "Austausch von Schlüssel-Wert-Paaren",
    Shutdown: "Herunterfahren",
    TimeSynchronization: "Zeitsynchronisierung",
    VSS: "VSS",
  },
};

/** The order Get-VMIntegrationService lists a VM's services in (Microsoft's sample output). */
const INTEGRATION_SERVICE_ORDER: readonly IntegrationServiceKey[] = ["GuestServiceInterface", "Heartbeat", "KeyValuePairExchange", "Shutdown", "TimeSynchronization", "VSS"];

/** Microsoft.HyperV.PowerShell.VMState. */
export const VM_STATE = { Running: 2, Off: 3 } as const;

/** A VM as the stand-in's Get-VM has it, with its Get-VMIntegrationService rows as the probe projects them. */
export interface ResolvedVm {
  Name: string;
  /** Lower case, as Guid.ToString() writes it. */
  Id: string;
  State: number;
  services: JsonObject[];
}

/** The Hyper-V module is there: the role is installed with its management tools. */
export function hasHyperVModule(spec: HostSpec): boolean {
  return spec.hyperV !== undefined && (spec.hyperV.module ?? (spec.hyperV.installState ?? 1) === 1);
}

/** The host's VMs and their integration services (none without the hyperV field). */
export function resolveVms(spec: HostSpec): ResolvedVm[] {
  const hv = spec.hyperV;
  if (hv === undefined) return [];
  const names = INTEGRATION_SERVICE_NAMES[hv.language ?? "en-US"];
  const seen = new Set<string>();
  return (hv.vms ?? []).map((vm) => {
    const id = (vm.id ?? guid(`vm:${spec.name.toLowerCase()}:${vm.name}`)).toLowerCase();
    if (seen.has(id)) throw new Error(`${spec.name}: VM ${vm.name} has the VMId ${id} of another VM`);
    seen.add(id);
    const running = (vm.state ?? "Running") === "Running";
    const services = INTEGRATION_SERVICE_ORDER.flatMap((key): JsonObject[] => {
      const service = INTEGRATION_SERVICES.find((s) => s.key === key)!;
      const given = vm.services?.[key];
      if (given === null) return [];
      const enabled = given ?? service.wanted === "enabled";
      return [
        {
          VMName: vm.name,
          VMId: id,
          Name: vm.names?.[key] ?? names[key],
          Id: `Microsoft:${id.toUpperCase()}\\${service.id}`,
          Enabled: enabled,
          // The guest's side answers only while the VM runs; Heartbeat adds the guest's own health.
          PrimaryStatusDescription: running ? "OK" : null,
          SecondaryStatusDescription: running && key === "Heartbeat" && enabled ? "OK" : null,
        },
      ];
    });
    // Get-VMIntegrationService fails for a VM without any; no real VM is like that.
    if (services.length === 0) throw new Error(`${spec.name}: VM ${vm.name} offers no integration service, which the builder does not model`);
    return { Name: vm.name, Id: id, State: running ? VM_STATE.Running : VM_STATE.Off, services };
  });
}

/**
 * The guest side of the integration services as Microsoft's own Get-Service -Name vm* listing
 * shows it (managing-integration-services, MicrosoftDocs/Virtualization-Documentation); all
 * trigger-started, so Manual.
 */
export const VMIC_SERVICES: readonly ServiceSpec[] = [
  { name: "vmicguestinterface", displayName: "Hyper-V Guest Service Interface", status: "Running", startType: "Manual" },
  { name: "vmicheartbeat", displayName: "Hyper-V Heartbeat Service", status: "Running", startType: "Manual" },
  { name: "vmickvpexchange", displayName: "Hyper-V Data Exchange Service", status: "Running", startType: "Manual" },
  { name: "vmicrdv", displayName: "Hyper-V Remote Desktop Virtualization Service", status: "Running", startType: "Manual" },
  { name: "vmicshutdown", displayName: "Hyper-V Guest Shutdown Service", status: "Running", startType: "Manual" },
  { name: "vmictimesync", displayName: "Hyper-V Time Synchronization Service", status: "Running", startType: "Manual" },
  { name: "vmicvmsession", displayName: "Hyper-V VM Session Service", status: "Stopped", startType: "Manual" },
  { name: "vmicvss", displayName: "Hyper-V Volume Shadow Copy Requestor", status: "Running", startType: "Manual" },
];

/** A guest's vmic services: the defaults with the spec's changes. */
function guestServices(spec: HostSpec): ServiceSpec[] {
  const changes = spec.hyperVGuest?.services ?? {};
  for (const name of Object.keys(changes)) {
    if (!VMIC_SERVICES.some((v) => eqi(v.name, name))) throw new Error(`${spec.name}: hyperVGuest.services.${name} is not one of ${VMIC_SERVICES.map((v) => v.name).join(", ")}`);
  }
  return VMIC_SERVICES.flatMap((v) => {
    const key = Object.keys(changes).find((k) => eqi(k, v.name));
    const change = key === undefined ? {} : changes[key];
    return change === null ? [] : [{ ...v, ...change }];
  });
}

const NOT_RECOGNIZED = (cmd: string): string =>
  `The term '${cmd}' is not recognized as the name of a cmdlet, function, script file, or operable program. Check the spelling of the name, or if a path was included, verify that the path is correct and try again.`;

const NOT_A_NODE =
  "The cluster service is not running. Make sure that the service is running on all nodes in the cluster. There are no more endpoints available from the endpoint mapper. (ClusterEndpointNotRegistered)";

// Typical run time of each probe on a healthy host, in ms. Get-WindowsFeature and the adapter
// query are the slow ones; registry reads take a few ms. The total stays within about two seconds.
const DURATION_MS: Record<ProbeId, [number, number]> = {
  os: [45, 110],
  computerSystem: [25, 60],
  tcpipParameters: [4, 12],
  dnsClientPolicy: [3, 9],
  dnsClientGlobalSetting: [40, 120],
  failoverClusteringFeature: [380, 720],
  localUsers: [15, 45],
  administratorsGroup: [30, 90],
  uacPolicy: [3, 8],
  hotfixes: [180, 420],
  netAdapterAdvancedProperty: [220, 520],
  vmIntegrationServices: [120, 480],
  cluster: [60, 160],
  clusterQuorum: [40, 120],
  windowsVersion: [3, 9],
};

type Outcome = { output: JsonValue } | { error: ProbeError };

function modernOutcomes(spec: HostSpec): Record<ProbeId, Outcome> {
  const version = spec.os?.version ?? DEFAULT_OS_VERSION;
  const build = String(spec.os?.build ?? version.split(".")[2] ?? "0");
  const osDefaults = OS_DEFAULTS[version];
  const cluster = spec.cluster ?? undefined;
  const clusteringInstalled = spec.clusteringInstalled ?? true;
  const domain = spec.domain === undefined ? DEFAULT_DOMAIN : spec.domain;
  const clusterType: ClusterType | undefined = cluster?.type;
  const joinedDomain =
    spec.joinedDomain !== undefined ? spec.joinedDomain : clusterType === "workgroup" ? null : domain;
  const adminAccount = cluster?.adminAccount ?? DEFAULT_ADMIN_ACCOUNT;
  const machineSid = `S-1-5-21-${sidTail(`machine:${spec.name}`)}`;
  const users = resolveUsers(spec, Number(build), adminAccount, machineSid);
  const host = netbios(spec.name);

  const adMode = clusterType !== undefined ? clusterType !== "single-domain" : joinedDomain === null;
  const latfp =
    spec.latfp !== undefined ? spec.latfp : cluster && adMode && !isBuiltinAdmin(adminAccount) ? 1 : 0;

  const adminSpecs: Array<string | AdminMemberSpec> = spec.admins ?? [
    "Administrator",
    ...(isBuiltinAdmin(adminAccount) ? [] : [adminAccount]),
    ...(joinedDomain
      ? [{ name: `${netbios(joinedDomain)}\\Domain Admins`, objectClass: "Group" as const, sid: `S-1-5-21-${sidTail(`domain:${joinedDomain.toLowerCase()}`)}-512`, principalSource: 2 }]
      : []),
  ];
  const admins: JsonObject[] = adminSpecs.map((a) => groupMember(a, users, host));

  const hotfixes = (spec.hotfixes ?? osDefaults?.hotfixes ?? defaultHotfixes()).map((h, i): JsonObject => {
    const hf: HotfixSpec = typeof h === "string" ? { id: h } : h;
    // Spread the dates so that the fixture looks like months of patching, not one day.
    const day = hf.installedOn ?? new Date(Date.UTC(2024, 9, 8) - (5 - i) * 28 * 86_400_000).toISOString().slice(0, 10);
    return { HotFixID: hf.id, Description: hf.description ?? "Update", InstalledOn: psDate(day) };
  });

  const adapters = spec.adapters ?? [{ name: "Ethernet 1" }, { name: "Ethernet 2" }];
  const adapterOutput = adapters.flatMap(adapterRows);

  const clusterError: ProbeError | undefined = !clusteringInstalled
    ? { kind: "not-supported", message: NOT_RECOGNIZED("Get-Cluster") }
    : !cluster
      ? { kind: "not-found", message: NOT_A_NODE }
      : undefined;
  const quorumError: ProbeError | undefined = !clusteringInstalled
    ? { kind: "not-supported", message: NOT_RECOGNIZED("Get-ClusterQuorum") }
    : clusterError;

  return {
    os: {
      output: osOutput({
        version,
        build,
        caption: spec.os?.caption ?? defaultCaption(version),
        spec,
        csd: spec.os?.csdVersion !== undefined ? spec.os.csdVersion : (osDefaults?.csdVersion ?? null),
      }),
    },
    computerSystem: {
      output: {
        Name: host,
        DNSHostName: shortName(spec.name),
        Domain: joinedDomain ?? "WORKGROUP",
        PartOfDomain: joinedDomain !== null,
        Workgroup: joinedDomain === null ? "WORKGROUP" : null,
        Manufacturer: hardwareOf(spec).manufacturer,
        Model: hardwareOf(spec).model,
      },
    },
    tcpipParameters: {
      output: {
        Hostname: shortName(spec.name),
        // Windows keeps the value as an empty string when there is no suffix.
        Domain: domain ?? "",
        "NV Domain": (spec.nvDomain === undefined ? domain : spec.nvDomain) ?? "",
      },
    },
    dnsClientPolicy: spec.policyKeyAbsent
      ? {
          error: {
            kind: "not-found",
            message: "Cannot find path 'HKLM:\\SOFTWARE\\Policies\\Microsoft\\System\\DNSClient' because it does not exist.",
          },
        }
      : { output: { PrimaryDnsSuffix: spec.policySuffix ?? null, "NV PrimaryDnsSuffix": spec.policySuffix ?? null } },
    dnsClientGlobalSetting: {
      output: {
        // A property holding an array stays an array even with one element (only pipelines unwrap).
        SuffixSearchList: spec.searchList ?? (domain ? [domain] : []),
        UseSuffixSearchList: true,
        UseDevolution: true,
        DevolutionLevel: 0,
      },
    },
    failoverClusteringFeature: {
      output: {
        Name: "Failover-Clustering",
        DisplayName: "Failover Clustering",
        Installed: clusteringInstalled,
        InstallState: clusteringInstalled ? 1 : 0,
      },
    },
    localUsers: { output: pipeline(users.map((u) => ({ Name: u.name, Enabled: u.enabled, SID: u.sid }))) },
    administratorsGroup: { output: pipeline(admins) },
    uacPolicy: { output: { LocalAccountTokenFilterPolicy: latfp, EnableLUA: 1 } },
    hotfixes: { output: pipeline(hotfixes) },
    netAdapterAdvancedProperty: { output: pipeline(adapterOutput) },
    vmIntegrationServices: hasHyperVModule(spec)
      ? { output: pipeline(resolveVms(spec).flatMap((vm) => vm.services)) }
      : { error: { kind: "not-supported", message: NOT_RECOGNIZED("Get-VM") } },
    cluster:
      clusterError || !cluster
        ? { error: clusterError ?? { kind: "not-found", message: NOT_A_NODE } }
        : {
            output: {
              Name: cluster.name,
              Domain: cluster.domain ?? domain ?? "",
              Id: cluster.id ?? guid(`cluster:${cluster.name.toLowerCase()}`),
              AdministrativeAccessPoint: cluster.administrativeAccessPoint ?? (adMode ? 2 : 1),
            },
          },
    clusterQuorum:
      quorumError || !cluster
        ? { error: quorumError ?? { kind: "not-found", message: NOT_A_NODE } }
        : { output: clusterQuorumOutput(cluster) },
    windowsVersion: { output: windowsVersionOutput(spec, build) },
  };
}

/** The Verb-Noun commands a catalog command's reading pipeline calls (Select-Object aside). */
function catalogCmdlets(command: string): string[] {
  return [...new Set(readingPipeline(command).match(/\b[A-Z][a-z]+-[A-Za-z]+\b/g) ?? [])].filter((c) => c !== "Select-Object");
}

/**
 * What the catalog's fallback `index` of a built-in probe gives where its primary gave `primary`:
 * the same facts in the shape that command writes them.
 */
function builtinFallbackOutput(spec: HostSpec, id: ProbeId, index: number, primary: JsonValue, sys: () => ResolvedSystem): JsonValue {
  const rows = (v: JsonValue): JsonObject[] => (v === null ? [] : (Array.isArray(v) ? v : [v]).filter((r): r is JsonObject => typeof r === "object" && r !== null && !Array.isArray(r)));
  switch (`${id}/${index}`) {
    case "os/1":
    case "computerSystem/1":
    case "localUsers/1":
      return primary;
    case "administratorsGroup/1":
      return pipeline(rows(primary).filter((m) => !isOrphaned(m)));
    case "hotfixes/1":
      return pipeline(derivedCimInstances(sys(), "Win32_QuickFixEngineering")!.map((h) => ({ HotFixID: h.HotFixID ?? null, Description: h.Description ?? null, InstalledOn: h.InstalledOn ?? null })));
    case "failoverClusteringFeature/1": {
      const f = sys().optionalFeatures.find((x) => eqi(x.FeatureName, OPTIONAL_FEATURE_NAME));
      if (!f) throw new Error(`${spec.name}: DISM does not know ${OPTIONAL_FEATURE_NAME}, which the builder does not model`);
      return { Name: f.FeatureName, DisplayName: f.DisplayName, Installed: f.State === 2, InstallState: DISM_TO_INSTALL_STATE[f.State] ?? null };
    }
    default:
      throw new Error(`${spec.name}: fallback ${index} of ${id} is not modelled by the builder`);
  }
}

/**
 * The collector's rule between a probe's commands: a not-supported or other failure moves on to
 * the next command ("next"); the last command's failure keeps the first one's message.
 */
function fallbackStep(outcome: Outcome, last: boolean, failures: { first?: string }): Outcome | "next" {
  if (!("error" in outcome)) return outcome;
  if (!last && (outcome.error.kind === "not-supported" || outcome.error.kind === "other")) {
    failures.first ??= outcome.error.message;
    return "next";
  }
  return failures.first === undefined ? outcome : { error: { kind: outcome.error.kind, message: `${outcome.error.message} (first command failed: ${failures.first})` } };
}

/**
 * A built-in probe on a host whose cmdlets misbehave (spec.cmdlets): the catalog's commands in
 * order, under the collector's rule (a not-supported or other failure moves on to the next one;
 * the last failure keeps the first one's message). Undefined when no command meets such a cmdlet.
 */
function builtinWithCmdlets(spec: HostSpec, id: ProbeId, outcome: Outcome, sys: () => ResolvedSystem, limit: number): { command: string; outcome: Outcome; hang: boolean } | undefined {
  const behaviours = spec.cmdlets ?? {};
  const commands = [PROBES[id].command, ...(PROBES[id].fallbacks ?? [])];
  if (!commands.some((c) => catalogCmdlets(c).some((name) => behaviours[name] !== undefined))) return undefined;
  const failures: { first?: string } = {};
  for (let i = 0; i < commands.length; i++) {
    const cmdlets = catalogCmdlets(commands[i]!);
    const failing = cmdlets.find((c) => behaviours[c] === "missing") ?? cmdlets.find((c) => behaviours[c] !== undefined);
    let result: Outcome;
    if (failing !== undefined) {
      const failure = behaviourFailure(failing, behaviours[failing]!);
      if (failure === "hang") return { command: commands[i]!, outcome: { error: { kind: "timeout", message: `no answer within ${limit} s (-ProbeTimeoutSeconds); the probe was stopped` } }, hang: true };
      result = { error: failure };
    } else if ("error" in outcome) {
      result = outcome;
    } else {
      result = { output: i === 0 ? outcome.output : builtinFallbackOutput(spec, id, i, outcome.output, sys) };
    }
    const step = fallbackStep(result, i === commands.length - 1, failures);
    if (step === "next") continue;
    return { command: commands[i]!, outcome: step, hang: false };
  }
  throw new Error(`${id}: no command`);
}

function legacyOutcomes(spec: HostSpec): Record<ProbeId, Outcome> {
  const version = spec.os?.version ?? "5.2.3790";
  const osDefaults = OS_DEFAULTS[version];
  const notSupported: Outcome = { error: { kind: "not-supported", message: WMI_2003_MESSAGE } };
  const outcomes = Object.fromEntries(PROBE_IDS.map((id) => [id, notSupported])) as Record<ProbeId, Outcome>;
  outcomes.os = {
    // WMI on 2003 has no OSArchitecture property, so it is not projected at all.
    output: {
      Caption: spec.os?.caption ?? defaultCaption(version),
      Version: version,
      BuildNumber: String(spec.os?.build ?? version.split(".")[2] ?? "0"),
      ProductType: spec.os?.productType ?? 3,
      CSDVersion: spec.os?.csdVersion !== undefined ? spec.os.csdVersion : (osDefaults?.csdVersion ?? null),
    },
  };
  return outcomes;
}

// ---------------------------------------------------------------------------------------------
// Simulated Windows state, resolved: the built-in fields and spec.system as one host

/** DISM's name for the feature ServerManager calls Failover-Clustering. */
export const OPTIONAL_FEATURE_NAME = "FailoverCluster-FullServer";
/** The Hyper-V role, by ServerManager's and DISM's names (HP-HV-001 reads it). */
export const HYPER_V_FEATURE = { name: "Hyper-V", optionalName: "Microsoft-Hyper-V" } as const;

/** Keys the built-in probes read (catalog commands), in PowerShell's provider form. */
export const REGISTRY_KEYS = {
  tcpipParameters: "HKLM:\\SYSTEM\\CurrentControlSet\\Services\\Tcpip\\Parameters",
  dnsClientPolicy: "HKLM:\\SOFTWARE\\Policies\\Microsoft\\System\\DNSClient",
  uacPolicy: "HKLM:\\SOFTWARE\\Microsoft\\Windows\\CurrentVersion\\Policies\\System",
  windowsVersion: "HKLM:\\SOFTWARE\\Microsoft\\Windows NT\\CurrentVersion",
} as const;

export const ADMINISTRATORS_SID = "S-1-5-32-544";

/** root\cimv2 classes the simulation derives from the host's data; spec.system.cim cannot set them. */
export const DERIVED_CIM_CLASSES = [
  "Win32_OperatingSystem",
  "Win32_ComputerSystem",
  "Win32_UserAccount",
  "Win32_Group",
  "Win32_QuickFixEngineering",
  "Win32_OptionalFeature",
  "Win32_Service",
] as const;

export interface ResolvedRegistryValue {
  /** "(default)" for the default value (GetValueNames calls it ""). */
  name: string;
  kind: RegistryValueKind;
  /** As stored: a DWORD as given (0 to 0xFFFFFFFF, or negative), Binary as bytes. */
  data: string | number | string[] | number[];
}

export interface ResolvedSystem {
  computerName: string;
  /** Keys in provider form (HKLM:\..., Registry::HKEY_USERS\...). */
  registry: Array<{ path: string; values: ResolvedRegistryValue[] }>;
  services: Array<{ Name: string; DisplayName: string; Status: number; StartType: number }>;
  windowsFeatures: Array<{ Name: string; DisplayName: string; InstallState: number }>;
  optionalFeatures: Array<{ FeatureName: string; DisplayName: string; State: number }>;
  /** Administrators first; members as Get-LocalGroupMember's projection has them. */
  localGroups: Array<{ Name: string; SID: string; members: JsonObject[] }>;
  /** spec.system.cim; the derived classes are not in it (see derivedCimInstances). */
  cim: Array<{ namespace: string; className: string; instances: JsonObject[] }>;
  /** The built-in probes' outputs the derived CIM classes come from. */
  os: JsonObject;
  computerSystem: JsonObject;
  users: JsonObject[];
  hotfixes: JsonObject[];
}

/** Get-WindowsFeature's InstallState -> DISM FeatureState (the reader's table, reversed). */
const INSTALL_STATE_TO_DISM: Readonly<Record<number, number>> = { 0: 0, 1: 2, 2: 3, 3: 1, 4: 6 };
/** The windowsFeature reader's DISM fallback: FeatureState -> InstallState. */
const DISM_TO_INSTALL_STATE: Readonly<Record<number, number>> = { 0: 0, 1: 3, 2: 1, 3: 2, 6: 4 };
/**
 * Win32_OptionalFeature.InstallState (1 Enabled, 2 Disabled, 3 Absent, 4 Unknown) for a DISM state.
 * WMI has no pending states; the simulation calls them Unknown rather than guess. Kept in step with
 * Get-FakeOptionalFeatureInstallState in HostproofFakeWindows.psm1.
 */
const DISM_TO_WMI: Readonly<Record<number, number>> = { 2: 1, 0: 2, 6: 3 };
/** The optionalFeature reader's WMI fallback: InstallState -> FeatureState. */
const WMI_TO_DISM: Readonly<Record<number, number>> = { 1: 2, 2: 0, 3: 6 };

const SERVICE_STATE_TEXT: Readonly<Record<number, string>> = {
  1: "Stopped",
  2: "Start Pending",
  3: "Stop Pending",
  4: "Running",
  5: "Continue Pending",
  6: "Pause Pending",
  7: "Paused",
};
const START_MODE_TEXT: Readonly<Record<number, string>> = { 0: "Boot", 1: "System", 2: "Auto", 3: "Manual", 4: "Disabled" };

const eqi = (a: string, b: string): boolean => a.toLowerCase() === b.toLowerCase();

/**
 * A registry key in provider form, from any way a spec writes it. Throws for a hive hostproof does
 * not read.
 */
export function registryPath(key: string): string {
  const qualified = /^(?:Microsoft\.PowerShell\.Core\\)?Registry::(HKEY_[A-Z_]+)\\(.+)$/i.exec(key);
  if (qualified) return qualified[1]!.toUpperCase() === "HKEY_LOCAL_MACHINE" ? `HKLM:\\${qualified[2]}` : `Registry::${qualified[1]!.toUpperCase()}\\${qualified[2]}`;
  const hive = /^(HK[A-Z_]+):?\\/i.exec(key)?.[1];
  if (hive === undefined || REGISTRY_HIVES[hive.toUpperCase()] === undefined) throw new Error(`registry key ${key}: not under HKLM, HKU or HKCR`);
  return registryProviderPath(key);
}

/**
 * What identifies a key whichever way a path names it, as the registry provider resolves it: the
 * provider qualifier and HKEY_LOCAL_MACHINE spelled out are the HKLM: drive, / is \, case does not
 * count. Kept in step with ConvertTo-FakeRegistryIdentity in HostproofFakeWindows.psm1.
 */
export function registryIdentity(path: string): string {
  let p = path.replace(/\//g, "\\").replace(/^Microsoft\.PowerShell\.Core\\/i, "");
  p = p.replace(/^Registry::HKEY_LOCAL_MACHINE(\\|$)/i, "HKLM:\\");
  return p.replace(/\\+$/, "").toLowerCase();
}

function resolveRegistryValue(where: string, value: RegistryValueSpec): Omit<ResolvedRegistryValue, "name"> {
  const fail = (why: string): never => {
    throw new Error(`${where}: ${why}`);
  };
  const dword = (n: unknown): number =>
    typeof n === "number" && Number.isInteger(n) && n >= -0x80000000 && n <= 0xffffffff ? n : fail(`a DWORD is an integer from -2147483648 to 4294967295, not ${JSON.stringify(n)}`);
  if (typeof value === "number") return { kind: "DWord", data: dword(value) };
  if (typeof value === "string") return { kind: "String", data: value };
  if (Array.isArray(value)) return { kind: "MultiString", data: value.map((v) => (typeof v === "string" ? v : fail("a REG_MULTI_SZ holds strings"))) };
  const { kind, data } = value as { kind: RegistryValueKind; data: unknown };
  switch (kind) {
    case "String":
    case "ExpandString":
      return { kind, data: typeof data === "string" ? data : fail(`${kind} data is a string`) };
    case "DWord":
      return { kind, data: dword(data) };
    case "QWord":
      return { kind, data: typeof data === "number" && Number.isSafeInteger(data) ? data : fail("QWord data is a safe integer") };
    case "MultiString":
      return { kind, data: Array.isArray(data) && data.every((v) => typeof v === "string") ? [...(data as string[])] : fail("MultiString data is an array of strings") };
    case "Binary": {
      const bytes = typeof data === "string" ? (/^(?:[0-9a-f]{2})*$/i.test(data) ? (data.match(/../g) ?? []).map((h) => parseInt(h, 16)) : fail("Binary hex text has two digits a byte")) : data;
      return Array.isArray(bytes) && bytes.every((b) => Number.isInteger(b) && b >= 0 && b <= 255) ? { kind, data: bytes as number[] } : fail("Binary data is bytes (0-255) or hex text");
    }
    default:
      return fail(`unknown registry value kind ${JSON.stringify(kind)}`);
  }
}

function enumValue(where: string, value: string | number | undefined, names: Readonly<Record<string, number>>, fallback: number): number {
  if (value === undefined) return fallback;
  if (typeof value === "number" && Object.values(names).includes(value)) return value;
  if (typeof value === "string" && names[value] !== undefined) return names[value]!;
  throw new Error(`${where}: ${JSON.stringify(value)} is none of ${Object.entries(names).map(([k, v]) => `${k} (${v})`).join(", ")}`);
}

function cimNamespace(ns: string): string {
  return ns.replace(/\//g, "\\");
}

function isCimValue(value: unknown): boolean {
  const scalar = (v: unknown): boolean => v === null || ["string", "number", "boolean"].includes(typeof v);
  return scalar(value) || (Array.isArray(value) && value.every(scalar));
}

/**
 * The whole simulated host the generic probes read: spec.system merged with what the built-in
 * fields say (see SystemSpec). test/pwsh/fake-host.ts writes this for the stand-in module, and the
 * generic records below are computed from it, so both sides read one state. Throws where
 * spec.system contradicts a built-in field or itself.
 */
export function resolveSystem(spec: HostSpec): ResolvedSystem {
  const outcomes = modernOutcomes(spec);
  const output = (id: ProbeId): JsonValue => {
    const o = outcomes[id];
    if (!("output" in o)) throw new Error(`${spec.name}: no ${id} output to derive the system from`);
    return o.output;
  };
  const obj = (v: JsonValue): JsonObject => (typeof v === "object" && v !== null && !Array.isArray(v) ? v : {});
  const rows = (v: JsonValue): JsonObject[] => (v === null ? [] : Array.isArray(v) ? v.map(obj) : [obj(v)]);
  const system = spec.system ?? {};
  const where = (what: string): string => `${spec.name}: system.${what}`;

  // Registry: the built-in keys first, as the built-in probes read them.
  const registry: ResolvedSystem["registry"] = [];
  const strings = (o: JsonObject): ResolvedRegistryValue[] =>
    Object.entries(o).flatMap(([name, v]) => (typeof v === "string" ? [{ name, kind: "String" as const, data: v }] : []));
  registry.push({ path: REGISTRY_KEYS.tcpipParameters, values: strings(obj(output("tcpipParameters"))) });
  const uac = obj(output("uacPolicy"));
  registry.push({
    path: REGISTRY_KEYS.uacPolicy,
    values: Object.entries(uac).flatMap(([name, v]) => (typeof v === "number" ? [{ name, kind: "DWord" as const, data: v }] : [])),
  });
  // CurrentVersion: strings except UBR (a DWORD); a null projection is a value the key lacks.
  registry.push({
    path: REGISTRY_KEYS.windowsVersion,
    values: Object.entries(obj(output("windowsVersion"))).flatMap(([name, v]): ResolvedRegistryValue[] =>
      typeof v === "string" ? [{ name, kind: "String", data: v }] : typeof v === "number" ? [{ name, kind: "DWord", data: v }] : [],
    ),
  });
  const policy = outcomes.dnsClientPolicy;
  const policyKey = "output" in policy ? { path: REGISTRY_KEYS.dnsClientPolicy, values: strings(obj(policy.output)) } : undefined;
  if (policyKey) registry.push(policyKey);
  for (const [key, values] of Object.entries(system.registry ?? {})) {
    const path = registryPath(key);
    const id = registryIdentity(path);
    if (id === registryIdentity(REGISTRY_KEYS.dnsClientPolicy) && !policyKey) {
      throw new Error(`${where("registry")}: ${key} is the DNS client policy key, which policyKeyAbsent says does not exist`);
    }
    let target = registry.find((k) => registryIdentity(k.path) === id);
    const builtIn = target !== undefined && Object.values(REGISTRY_KEYS).some((k) => registryIdentity(k) === id);
    if (target === undefined) {
      target = { path, values: [] };
      registry.push(target);
    } else if (!builtIn) {
      throw new Error(`${where("registry")}: ${key} is listed twice`);
    }
    for (const [rawName, value] of Object.entries(values)) {
      const name = rawName === "" ? "(default)" : rawName;
      if (target.values.some((v) => eqi(v.name, name))) {
        throw new Error(`${where("registry")}: ${key} value ${name} is ${builtIn ? "set by the built-in fields (domain, nvDomain, policySuffix, latfp)" : "listed twice"}`);
      }
      target.values.push({ name, ...resolveRegistryValue(`${where("registry")}: ${key} value ${name}`, value) });
    }
  }
  // The builder's "key exists, no suffix values" is a key that some other DNS client policy made;
  // an empty key would make Get-ItemProperty return nothing at all.
  if (policyKey && policyKey.values.length === 0) policyKey.values.push({ name: "EnableMulticast", kind: "DWord", data: 0 });

  const services: ResolvedSystem["services"] = [];
  const vmic = spec.hyperVGuest ? guestServices(spec) : [];
  for (const s of [...(system.services ?? []), ...vmic]) {
    if (vmic.length > 0 && VMIC_SERVICES.some((v) => eqi(v.name, s.name)) && !vmic.includes(s)) {
      throw new Error(`${where("services")}: ${s.name} is a Hyper-V guest service; set it in hyperVGuest.services`);
    }
    if (services.some((x) => eqi(x.Name, s.name))) throw new Error(`${where("services")}: ${s.name} is listed twice`);
    services.push({
      Name: s.name,
      DisplayName: s.displayName ?? s.name,
      Status: enumValue(`${where("services")}: ${s.name} status`, s.status, SERVICE_STATUS, SERVICE_STATUS.Running),
      StartType: enumValue(`${where("services")}: ${s.name} startType`, s.startType, SERVICE_START_TYPE, SERVICE_START_TYPE.Automatic),
    });
  }

  const clustering = obj(output("failoverClusteringFeature"));
  const featureSpecs: WindowsFeatureSpec[] = [
    { name: String(clustering.Name), displayName: String(clustering.DisplayName), installState: Number(clustering.InstallState), optionalName: OPTIONAL_FEATURE_NAME },
    // Every Windows Server can take the role; installed only on a Hyper-V host.
    { name: HYPER_V_FEATURE.name, displayName: "Hyper-V", installState: spec.hyperV ? (spec.hyperV.installState ?? 1) : 0, optionalName: HYPER_V_FEATURE.optionalName },
    ...(system.windowsFeatures ?? []),
  ];
  const windowsFeatures: ResolvedSystem["windowsFeatures"] = [];
  const optionalFeatures: ResolvedSystem["optionalFeatures"] = [];
  const addOptional = (f: { FeatureName: string; DisplayName: string; State: number }, what: string): void => {
    if (optionalFeatures.some((x) => eqi(x.FeatureName, f.FeatureName))) throw new Error(`${where(what)}: optional feature ${f.FeatureName} is already there (clusteringInstalled, or a Windows feature's optionalName)`);
    optionalFeatures.push(f);
  };
  for (const f of featureSpecs) {
    if (windowsFeatures.some((x) => eqi(x.Name, f.name))) throw new Error(`${where("windowsFeatures")}: ${f.name} is already there (clusteringInstalled sets Failover-Clustering, hyperV sets Hyper-V)`);
    if (INSTALL_STATE_TO_DISM[f.installState] === undefined) throw new Error(`${where("windowsFeatures")}: ${f.name} installState ${f.installState} is not 0-4`);
    const displayName = f.displayName ?? f.name;
    windowsFeatures.push({ Name: f.name, DisplayName: displayName, InstallState: f.installState });
    if (f.optionalName !== undefined) addOptional({ FeatureName: f.optionalName, DisplayName: displayName, State: INSTALL_STATE_TO_DISM[f.installState]! }, "windowsFeatures");
  }
  for (const f of system.optionalFeatures ?? []) {
    if (!Number.isInteger(f.state) || f.state < 0 || f.state > 7) throw new Error(`${where("optionalFeatures")}: ${f.name} state ${f.state} is not a DISM FeatureState`);
    addOptional({ FeatureName: f.name, DisplayName: f.displayName ?? f.name, State: f.state }, "optionalFeatures");
  }

  const computerName = String(obj(output("computerSystem")).Name);
  const users = rows(output("localUsers"));
  const localGroups: ResolvedSystem["localGroups"] = [{ Name: "Administrators", SID: ADMINISTRATORS_SID, members: rows(output("administratorsGroup")) }];
  const known = users.map((u) => ({ name: String(u.Name), sid: String(u.SID) }));
  for (const g of system.localGroups ?? []) {
    if (localGroups.some((x) => eqi(x.Name, g.name) || eqi(x.SID, g.sid))) {
      throw new Error(`${where("localGroups")}: ${g.name} (${g.sid}) is already there${eqi(g.sid, ADMINISTRATORS_SID) ? " (Administrators is admins)" : ""}`);
    }
    localGroups.push({ Name: g.name, SID: g.sid, members: (g.members ?? []).map((m) => groupMember(m, known, computerName)) });
  }

  const cim: ResolvedSystem["cim"] = [];
  for (const [rawNs, classes] of Object.entries(system.cim ?? {})) {
    const namespace = cimNamespace(rawNs);
    if (!/^root(\\[A-Za-z0-9_]+)*$/i.test(namespace)) throw new Error(`${where("cim")}: ${rawNs} is not a namespace under root`);
    // A namespace without classes still exists; it is kept as a class without a name.
    if (Object.keys(classes).length === 0) cim.push({ namespace, className: "", instances: [] });
    for (const [className, instances] of Object.entries(classes)) {
      if (eqi(namespace, "root\\cimv2") && DERIVED_CIM_CLASSES.some((c) => eqi(c, className))) {
        throw new Error(`${where("cim")}: root\\cimv2 ${className} is derived from the host's data; set that instead`);
      }
      if (cim.some((c) => eqi(c.namespace, namespace) && eqi(c.className, className))) throw new Error(`${where("cim")}: ${rawNs} ${className} is listed twice`);
      for (const instance of instances) {
        for (const [name, value] of Object.entries(instance)) {
          if (!isCimValue(value)) throw new Error(`${where("cim")}: ${className}.${name} must be a scalar or an array of scalars`);
        }
      }
      cim.push({ namespace, className, instances: instances.map((i) => ({ ...i }) as JsonObject) });
    }
  }

  return {
    computerName,
    registry,
    services,
    windowsFeatures,
    optionalFeatures,
    localGroups,
    cim,
    os: obj(output("os")),
    computerSystem: obj(output("computerSystem")),
    users,
    hotfixes: rows(output("hotfixes")),
  };
}

/**
 * A member Windows cannot resolve: no SID at all, or shown under its SID instead of a name (how
 * Get-LocalGroupMember lists an account deleted from its domain). WMI's Win32_GroupUser leaves
 * these out.
 */
export function isOrphaned(member: JsonObject): boolean {
  const account = String(member.Name).split("\\").pop() ?? "";
  return typeof member.SID !== "string" || /^S-1-/i.test(account);
}

/** Win32_OptionalFeature.InstallState for a DISM state. */
export function wmiOptionalFeatureState(dismState: number): number {
  return DISM_TO_WMI[dismState] ?? 4;
}

/** WMI's datetime-less InstalledOn text, M/d/yyyy, from 5.1's "/Date(ms)/" (UTC midnight in the builder). */
function wmiDay(value: JsonValue | undefined): string {
  const ms = typeof value === "string" ? /^\/Date\((-?\d+)\)\/$/.exec(value)?.[1] : undefined;
  if (ms === undefined) return "";
  const d = new Date(Number(ms));
  return `${d.getUTCMonth() + 1}/${d.getUTCDate()}/${d.getUTCFullYear()}`;
}

/**
 * The root\cimv2 classes the simulation derives from the host's data, as HostproofFakeWindows.psm1
 * derives them (Get-FakeCimObjects); undefined for any other class.
 */
export function derivedCimInstances(sys: ResolvedSystem, className: string): JsonObject[] | undefined {
  const derived = DERIVED_CIM_CLASSES.find((c) => eqi(c, className));
  switch (derived) {
    case "Win32_OperatingSystem":
      return [sys.os];
    case "Win32_ComputerSystem":
      return [sys.computerSystem];
    case "Win32_UserAccount":
      return sys.users.map((u) => ({ Name: u.Name ?? null, Domain: sys.computerName, SID: u.SID ?? null, Disabled: u.Enabled !== true, LocalAccount: true }));
    case "Win32_Group":
      return sys.localGroups.map((g) => ({ Name: g.Name, Domain: sys.computerName, SID: g.SID, LocalAccount: true }));
    case "Win32_QuickFixEngineering":
      return sys.hotfixes.map((h) => ({ HotFixID: h.HotFixID ?? null, Description: typeof h.Description === "string" ? h.Description : null, InstalledOn: wmiDay(h.InstalledOn) }));
    case "Win32_OptionalFeature":
      return sys.optionalFeatures.map((f) => ({ Name: f.FeatureName, Caption: f.DisplayName, InstallState: wmiOptionalFeatureState(f.State) }));
    case "Win32_Service":
      return sys.services.map((s) => ({
        Name: s.Name,
        DisplayName: s.DisplayName,
        State: SERVICE_STATE_TEXT[s.Status] ?? null,
        StartMode: START_MODE_TEXT[s.StartType] ?? null,
        Started: s.Status === SERVICE_STATUS.Running,
      }));
    default:
      return undefined;
  }
}

/** A class's instances, or why Get-CimInstance refuses it. Namespaces and classes compare without case. */
function cimInstances(sys: ResolvedSystem, namespace: string, className: string): JsonObject[] | "invalid-namespace" | "invalid-class" {
  const ns = cimNamespace(namespace);
  const isCimv2 = eqi(ns, "root\\cimv2");
  const exists =
    eqi(ns, "root") || isCimv2 || sys.cim.some((c) => eqi(c.namespace, ns) || c.namespace.toLowerCase().startsWith(`${ns.toLowerCase()}\\`));
  if (!exists) return "invalid-namespace";
  const listed = sys.cim.find((c) => c.className !== "" && eqi(c.namespace, ns) && eqi(c.className, className));
  if (listed) return listed.instances;
  const derived = isCimv2 ? derivedCimInstances(sys, className) : undefined;
  return derived ?? "invalid-class";
}

// ---------------------------------------------------------------------------------------------
// Generic probe records: what the collector records for each reader against the state above

/**
 * How a simulated cmdlet misbehaves; the table test/pwsh/fake-host.ts gives the stand-in module.
 * access-denied throws (terminating), access-denied-nonterminating writes the error and returns
 * nothing, hang never answers, invalid-operation is Get-LocalGroupMember's orphaned-SID failure,
 * missing is a command that does not exist.
 */
export type CmdletBehaviour = "missing" | "access-denied" | "access-denied-nonterminating" | "hang" | "invalid-operation";

export interface SnapshotOptions {
  /**
   * Generic probes to record after the built-in ones and those the built-in checks read
   * (BUILTIN_GENERIC_PROBES, always recorded), as the collector runs them (each id once).
   */
  generic?: readonly GenericProbe[];
  /** Cmdlets that misbehave on this host (for the generic probes; the built-in ones take probeErrors). */
  cmdlets?: Readonly<Partial<Record<string, CmdletBehaviour>>>;
  /** The collector's -ProbeTimeoutSeconds, for the message and duration of a hang. Default 30. */
  probeTimeoutSeconds?: number;
  /**
   * false: ConvertTo-Json does not work on the host (PowerShell 2.0), so each record names the
   * reading pipeline piped to the collector's own writer, as the collector records it.
   */
  convertToJson?: boolean;
}

/**
 * The cmdlets each reader command calls, in the order their misbehaviour shows under the
 * stand-in: in a pipeline every begin block runs before the first command produces anything, and
 * Get-CimAssociatedInstance's stand-in fails in its begin block. A missing one fails the command
 * before anything runs, wherever it is.
 */
const READER_CMDLETS: Readonly<Record<GenericKind, ReadonlyArray<readonly string[]>>> = {
  registry: [["Get-Item"]],
  service: [["Get-Service"]],
  windowsFeature: [["Get-WindowsFeature"], ["Get-WindowsOptionalFeature"]],
  optionalFeature: [["Get-WindowsOptionalFeature"], ["Get-WmiObject"]],
  localGroup: [["Get-LocalGroupMember"], ["Get-CimAssociatedInstance", "Get-CimInstance"]],
  cim: [["Get-CimInstance"], ["Get-WmiObject"]],
};

/** Typical run time of each reader command on a healthy host, in ms. */
const GENERIC_DURATION_MS: Readonly<Record<GenericKind, ReadonlyArray<[number, number]>>> = {
  registry: [[3, 12]],
  service: [[8, 30]],
  windowsFeature: [[380, 720], [900, 2400]],
  optionalFeature: [[700, 1900], [1200, 3200]],
  localGroup: [[25, 80], [60, 180]],
  cim: [[20, 110], [40, 160]],
};

const ACCESS_DENIED = "Access is denied. (Exception from HRESULT: 0x80070005 (E_ACCESSDENIED))";

function behaviourFailure(cmdlet: string, behaviour: CmdletBehaviour): ProbeError | "hang" {
  switch (behaviour) {
    case "missing":
      return { kind: "not-supported", message: NOT_RECOGNIZED(cmdlet) };
    case "access-denied":
    case "access-denied-nonterminating":
      // The registry provider words it as a SecurityException; WMI and the rest as E_ACCESSDENIED.
      return { kind: "access-denied", message: cmdlet === "Get-Item" ? "Requested registry access is not allowed." : ACCESS_DENIED };
    case "invalid-operation":
      return { kind: "other", message: "Failed to compare two elements in the array." };
    case "hang":
      return "hang";
  }
}

function param(probe: GenericProbe, name: string): string {
  const value = probe.parameters[name];
  if (value === undefined) throw new Error(`${probe.id}: no ${name} parameter`);
  return value;
}

/** The builder does not model PowerShell wildcards; the parameter forms refuse them anyway. */
function literalName(probe: GenericProbe, name: string): string {
  const value = param(probe, name);
  if (/[*?[]/.test(value)) throw new Error(`${probe.id}: ${name} ${value} holds a wildcard character, which the builder does not model`);
  return value;
}

/** `[string]$x` in PowerShell, for what a CIM property holds. */
function psString(value: JsonValue | undefined): string {
  if (value === null || value === undefined) return "";
  if (typeof value === "boolean") return value ? "True" : "False";
  if (Array.isArray(value)) return value.map(psString).join(" ");
  if (typeof value === "object") throw new Error("a CIM property holding an object is not modelled");
  return String(value);
}

/** DWORD data as RegistryKey.GetValue returns it: an Int32. */
function registryData(v: ResolvedRegistryValue): JsonValue {
  if (v.kind === "DWord") return (v.data as number) > 0x7fffffff ? (v.data as number) - 0x100000000 : (v.data as number);
  return Array.isArray(v.data) ? [...v.data] : v.data;
}

/** What reader command `index` of the probe's kind gives on this host, without misbehaving cmdlets. */
function readerOutcome(sys: ResolvedSystem, probe: GenericProbe, index: number): Outcome {
  const other = (message: string): Outcome => ({ error: { kind: "other", message } });
  const notFound = (message: string): Outcome => ({ error: { kind: "not-found", message } });
  switch (`${probe.kind}/${index}`) {
    case "registry/0": {
      const key = param(probe, "Key");
      if (!/^(?:Microsoft\.PowerShell\.Core\\)?(?:HK(?:LM|CU):|Registry::)/i.test(key)) throw new Error(`${probe.id}: ${key} is not a registry path`);
      const found = sys.registry.find((k) => registryIdentity(k.path) === registryIdentity(key));
      if (!found) return notFound(`Cannot find path '${key}' because it does not exist.`);
      return { output: pipeline(found.values.map((v) => ({ Name: v.name === "(default)" ? "" : v.name, Kind: v.kind, Data: registryData(v) }))) };
    }
    case "service/0": {
      const name = literalName(probe, "Name");
      const s = sys.services.find((x) => eqi(x.Name, name));
      if (!s) return notFound(`Cannot find any service with service name '${name}'.`);
      return { output: { Name: s.Name, DisplayName: s.DisplayName, Status: s.Status, StartType: s.StartType } };
    }
    case "windowsFeature/0": {
      const name = literalName(probe, "Name");
      // An unknown name is no output, not an error.
      return { output: pipeline(sys.windowsFeatures.filter((f) => eqi(f.Name, name)).map((f) => ({ Name: f.Name, DisplayName: f.DisplayName, Installed: f.InstallState === 1, InstallState: f.InstallState }))) };
    }
    case "windowsFeature/1":
    case "optionalFeature/0": {
      const name = literalName(probe, index === 1 ? "OptionalName" : "Name");
      const f = sys.optionalFeatures.find((x) => eqi(x.FeatureName, name));
      // DISM's COMException 0x800F080C, category NotSpecified: other.
      if (!f) return other(`Feature name ${name} is unknown.`);
      return probe.kind === "optionalFeature"
        ? { output: { FeatureName: f.FeatureName, State: f.State } }
        : { output: { Name: f.FeatureName, DisplayName: f.DisplayName, Installed: f.State === 2, InstallState: DISM_TO_INSTALL_STATE[f.State] ?? null } };
    }
    case "optionalFeature/1": {
      const name = param(probe, "Name");
      const rows = sys.optionalFeatures.filter((f) => eqi(f.FeatureName, name));
      return { output: pipeline(rows.map((f) => ({ FeatureName: f.FeatureName, State: WMI_TO_DISM[wmiOptionalFeatureState(f.State)] ?? null }))) };
    }
    case "localGroup/0": {
      const sid = probe.parameters.SID;
      const name = probe.parameters.Name;
      if (sid !== undefined && !/^S-1-\d+(-\d+)*$/i.test(sid)) {
        // Parameter binding's conversion to SecurityIdentifier, category InvalidArgument: other.
        return other(`Cannot bind parameter 'SID'. Cannot convert value "${sid}" to type "System.Security.Principal.SecurityIdentifier". Error: "Value was invalid.`);
      }
      const group = sys.localGroups.find((g) => (sid !== undefined ? eqi(g.SID, sid) : name !== undefined && eqi(g.Name, name)));
      if (sid === undefined && name === undefined) throw new Error(`${probe.id}: neither SID nor Name`);
      if (!group) return notFound(`Group ${sid ?? name} was not found.`);
      return { output: pipeline(group.members.map((m) => ({ Name: m.Name ?? null, ObjectClass: m.ObjectClass ?? null, SID: typeof m.SID === "string" ? m.SID : null, PrincipalSource: m.PrincipalSource ?? null }))) };
    }
    case "localGroup/1": {
      const sid = probe.parameters.SID;
      const name = probe.parameters.Name;
      const groups = sys.localGroups.filter((g) => (sid !== undefined && eqi(g.SID, sid)) || (name !== undefined && eqi(g.Name, name)));
      const members = groups.flatMap((g) => g.members.filter((m) => !isOrphaned(m)));
      return {
        output: pipeline(
          members.map((m) => {
            const account = String(m.Name);
            return {
              Name: account.includes("\\") ? account : `${sys.computerName}\\${account}`,
              ObjectClass: m.ObjectClass === "Group" ? "Group" : "User",
              SID: m.SID ?? null,
              PrincipalSource: m.PrincipalSource === 1 ? 1 : 2,
            };
          }),
        ),
      };
    }
    case "cim/0":
    case "cim/1": {
      const namespace = param(probe, "Namespace");
      const className = param(probe, "Class");
      const property = param(probe, "Property");
      const keyProperty = probe.parameters.KeyProperty;
      const keyValue = probe.parameters.KeyValue ?? "";
      const instances = cimInstances(sys, namespace, className);
      // CimException, category MetadataError (HRESULT 0x8004100E / 0x80041010); Get-WmiObject's
      // ManagementException, InvalidArgument / InvalidType: both other.
      if (instances === "invalid-namespace") return other(index === 0 ? "Invalid namespace " : `Invalid namespace "${namespace}"`);
      if (instances === "invalid-class") return other(index === 0 ? "Invalid class " : `Invalid class "${className}"`);
      const names = [...(keyProperty && !eqi(keyProperty, property) ? [keyProperty] : []), property];
      const selected = instances.filter((i) => !keyProperty || eqi(psString(i[Object.keys(i).find((k) => eqi(k, keyProperty)) ?? keyProperty]), keyValue));
      return {
        output: pipeline(
          selected.map((i) => {
            const row: JsonObject = {};
            for (const n of names) {
              // Select-Object names a found property as the object spells it.
              const actual = Object.keys(i).find((k) => eqi(k, n));
              row[actual ?? n] = actual !== undefined ? (i[actual] ?? null) : null;
            }
            return row;
          }),
        ),
      };
    }
    default:
      throw new Error(`${probe.id}: no reader command ${index} for kind ${probe.kind}`);
  }
}

interface GenericResult {
  command: string;
  outcome: Outcome;
  durationMs: number;
}

/** The collector's fallback rules (src/collect/script.ts) over the kind's reader commands. */
function genericResult(sys: ResolvedSystem, probe: GenericProbe, options: SnapshotOptions, rand: () => number): GenericResult {
  const commands = GENERIC_READERS[probe.kind];
  const shown = (command: string): string => (options.convertToJson === false ? hpJsonCommand(command) : command);
  const limit = options.probeTimeoutSeconds ?? 30;
  let durationMs = 0;
  const failures: { first?: string } = {};
  for (let i = 0; i < commands.length; i++) {
    const cmdlets = READER_CMDLETS[probe.kind][i]!;
    const behaviours = cmdlets.flatMap((c) => (options.cmdlets?.[c] !== undefined ? [[c, options.cmdlets[c]!] as const] : []));
    const missing = behaviours.find(([, b]) => b === "missing");
    const failing = missing ?? behaviours[0];
    const [min, max] = GENERIC_DURATION_MS[probe.kind][i]!;
    let outcome: Outcome;
    if (failing !== undefined) {
      const failure = behaviourFailure(failing[0], failing[1]);
      if (failure === "hang") {
        const message = `no answer within ${limit} s (-ProbeTimeoutSeconds); the probe was stopped`;
        return { command: shown(commands[i]!), outcome: { error: { kind: "timeout", message } }, durationMs: durationMs + limit * 1000 + between(rand, 1, 40) };
      }
      outcome = { error: failure };
      durationMs += between(rand, 2, 20);
    } else {
      outcome = readerOutcome(sys, probe, i);
      durationMs += "error" in outcome ? between(rand, 8, 60) : between(rand, min, max);
    }
    const step = fallbackStep(outcome, i === commands.length - 1, failures);
    if (step === "next") continue;
    return { command: shown(commands[i]!), outcome: step, durationMs };
  }
  throw new Error(`${probe.id}: kind ${probe.kind} has no reader commands`);
}

// ---------------------------------------------------------------------------------------------
// Public API

/**
 * The generic probes the built-in checks read (CheckBinding.generic): a built snapshot stands for
 * a collection for every built-in control, so it always records them, as it records every catalog
 * probe.
 */
export const BUILTIN_GENERIC_PROBES: readonly GenericProbe[] = uniqueProbes(CHECKS.flatMap((c) => c.generic ?? []));

/**
 * The snapshot the collector would write for this host: the built-in probes, the generic probes the
 * built-in checks read, then `options.generic` (all read from the simulated state, see SystemSpec
 * and resolveSystem) with the cmdlets' misbehaviour in `options.cmdlets`.
 */
export function buildSnapshot(spec: HostSpec, options: SnapshotOptions = {}): Snapshot {
  const collectedAt = spec.collectedAt ?? DEFAULT_COLLECTED_AT;
  const legacy = spec.legacy2003 === true;
  const outcomes = legacy ? legacyOutcomes(spec) : modernOutcomes(spec);
  const version = spec.os?.version ?? (legacy ? "5.2.3790" : DEFAULT_OS_VERSION);
  const rand = seededRandom(hashString(`${spec.name}|${collectedAt}`));
  const omitted = new Set(spec.omitProbes ?? []);

  const probes: SnapshotProbes = {};
  // The collector runs one script, probe after probe; start times follow each other.
  let clock = Date.parse(collectedAt) + between(rand, 120, 260);
  const limit = options.probeTimeoutSeconds ?? 30;
  let resolved: ResolvedSystem | undefined;
  const sys = (): ResolvedSystem => (resolved ??= resolveSystem(spec));
  for (const id of PROBE_IDS) {
    const forced = spec.probeErrors?.[id];
    const walked = forced || legacy ? undefined : builtinWithCmdlets(spec, id, outcomes[id], sys, limit);
    const outcome: Outcome = forced ? { error: { kind: forced.kind, message: forced.message } } : (walked?.outcome ?? outcomes[id]);
    const [min, max] = DURATION_MS[id];
    let durationMs: number;
    if (legacy) durationMs = id === "os" ? between(rand, 300, 900) : 0; // WMI over DCOM is slow; the rest never ran
    else if (walked?.hang) durationMs = limit * 1000 + between(rand, 1, 40);
    else if ("error" in outcome) durationMs = outcome.error.kind === "timeout" ? 30_000 : between(rand, 8, 60);
    else durationMs = between(rand, min, max);
    const startedAt = new Date(clock).toISOString();
    clock += durationMs + between(rand, 1, 9);
    if (omitted.has(id)) continue;
    const command = legacy && id === "os" ? wmi2003Command(spec.name) : (walked?.command ?? PROBES[id].command);
    probes[id] = "error" in outcome
      ? { command, startedAt, durationMs, error: outcome.error }
      : { command, startedAt, durationMs, output: outcome.output };
  }

  // The collector runs the generic probes after the built-in ones, in the list's order.
  const generic = uniqueProbes([...BUILTIN_GENERIC_PROBES, ...(options.generic ?? [])]);
  const system = generic.length > 0 && !legacy ? resolveSystem(spec) : undefined;
  for (const probe of generic) {
    const forced = Object.entries(spec.probeErrors ?? {}).find(([id]) => sameProbeId(id, probe.id))?.[1];
    const result: GenericResult = forced
      ? { command: GENERIC_READERS[probe.kind][0]!, outcome: { error: { kind: forced.kind, message: forced.message } }, durationMs: forced.kind === "timeout" ? 30_000 : between(rand, 8, 60) }
      : system
        ? genericResult(system, probe, { ...options, cmdlets: { ...spec.cmdlets, ...options.cmdlets } }, rand)
        : { command: GENERIC_READERS[probe.kind][0]!, outcome: { error: { kind: "not-supported", message: WMI_2003_MESSAGE } }, durationMs: 0 };
    const startedAt = new Date(clock).toISOString();
    clock += result.durationMs + between(rand, 1, 9);
    const base = { command: result.command, parameters: { ...probe.parameters }, startedAt, durationMs: result.durationMs };
    probes[probe.id] = "error" in result.outcome ? { ...base, error: result.outcome.error } : { ...base, output: result.outcome.output };
  }

  const powershell = legacy ? undefined : spec.powershell ?? OS_DEFAULTS[version]?.powershell ?? "5.1.17763.6414";
  return {
    schemaVersion: 1,
    host: spec.name,
    collectedAt,
    collector: {
      ...COLLECTOR,
      // A 2003 host is read by WMI from a management host's own shell, so the collector ran locally.
      transport: spec.transport ?? (legacy ? "local" : "winrm"),
      ...(powershell ? { powershell } : {}),
    },
    probes,
  };
}

/** The generic probes' records alone, as buildSnapshot(spec, { ...options, generic: probes }) has them. */
export function buildGenericRecords(spec: HostSpec, probes: readonly GenericProbe[], options: Omit<SnapshotOptions, "generic"> = {}): Record<GenericProbeId, ProbeRecord> {
  const snapshot = buildSnapshot(spec, { ...options, generic: probes });
  const out: Record<GenericProbeId, ProbeRecord> = {};
  for (const p of uniqueProbes(probes)) out[p.id] = snapshot.probes[p.id]!;
  return out;
}

export interface EstateSpec {
  name?: string;
  hosts: HostSpec[];
  clusters?: InventoryCluster[];
  inputs?: ControlInputs;
  /**
   * The inventory's directory: a snapshot's path, or `{ none }`. Test estates state they have none
   * unless they say otherwise, so the directory controls are not applicable there with that reason
   * rather than undetermined.
   */
  directory?: string | { none: string };
}

export const TEST_ESTATE_NO_DIRECTORY = { none: "test estate: no Active Directory" } as const;

/**
 * Fills a node's spec from its inventory cluster so that a bare `{ name }` is a compliant node:
 * cluster facts, workgroup membership, a suffix per domain and a search list holding every
 * domain of a multi-domain cluster. Anything the spec sets wins.
 */
export function applyClusterDefaults(spec: HostSpec, cluster: InventoryCluster, index: number, clusterDomain?: string): HostSpec {
  const out: HostSpec = { ...spec };
  const domains = cluster.domains ?? [];
  if (cluster.type === "multi-domain" && domains.length > 0) {
    if (out.domain === undefined) out.domain = domains[index % domains.length];
    if (out.searchList === undefined && out.domain) {
      const own = out.domain;
      out.searchList = [own, ...domains.filter((d) => d.toLowerCase() !== own.toLowerCase())];
    }
  }
  out.cluster = {
    name: cluster.name,
    type: cluster.type,
    ...(cluster.adminAccount ? { adminAccount: cluster.adminAccount } : {}),
    ...(clusterDomain ? { domain: clusterDomain } : {}),
    ...(spec.cluster ?? {}),
  };
  return out;
}

/** Every host spec with its cluster's defaults applied (see applyClusterDefaults). */
export function resolveEstate(estate: EstateSpec): HostSpec[] {
  const byHost = new Map<string, { cluster: InventoryCluster; index: number }>();
  for (const cluster of estate.clusters ?? []) {
    cluster.nodes.forEach((node, index) => byHost.set(node.toLowerCase(), { cluster, index }));
  }
  const firstDomain = new Map<string, string>();
  return estate.hosts.map((spec) => {
    const member = byHost.get(spec.name.toLowerCase());
    if (!member) return spec;
    const { cluster, index } = member;
    // Get-Cluster reports one Domain for the whole cluster; take it from the first node seen.
    const candidate = cluster.domains?.[0] ?? (spec.domain === undefined ? DEFAULT_DOMAIN : spec.domain) ?? undefined;
    if (!firstDomain.has(cluster.name) && candidate) firstDomain.set(cluster.name, candidate);
    return applyClusterDefaults(spec, cluster, index, firstDomain.get(cluster.name));
  });
}

/** The inventory writeEstate writes: every host read from `snapshots/<name>.json`. */
export function buildInventory(estate: EstateSpec): Inventory {
  const hosts: InventoryHost[] = estate.hosts.map((h) => ({
    name: h.name,
    transport: "snapshot",
    snapshot: `snapshots/${h.name}.json`,
    ...(h.inputs ? { inputs: h.inputs } : {}),
  }));
  return {
    version: 1,
    ...(estate.name ? { name: estate.name } : {}),
    ...(estate.inputs ? { inputs: estate.inputs } : {}),
    directory: estate.directory ?? TEST_ESTATE_NO_DIRECTORY,
    hosts,
    ...(estate.clusters && estate.clusters.length > 0 ? { clusters: estate.clusters } : {}),
  };
}

export interface WriteEstateOptions {
  /** Two-space indentation (default) or compact JSON, which the benchmark uses to save disk time. */
  pretty?: boolean;
  /** Generic probes every snapshot records besides the built-in checks' (buildSnapshot's option). */
  generic?: readonly GenericProbe[];
}

/** Writes `<dir>/inventory.json` and `<dir>/snapshots/<host>.json`; returns the inventory path. */
export function writeEstate(dir: string, estate: EstateSpec, options: WriteEstateOptions = {}): string {
  const indent = options.pretty === false ? undefined : 2;
  mkdirSync(join(dir, "snapshots"), { recursive: true });
  for (const spec of resolveEstate(estate)) {
    writeFileSync(join(dir, "snapshots", `${spec.name}.json`), `${JSON.stringify(buildSnapshot(spec, { generic: options.generic }), null, indent)}\n`);
  }
  const inventoryPath = join(dir, "inventory.json");
  writeFileSync(inventoryPath, `${JSON.stringify(buildInventory(estate), null, indent)}\n`);
  return inventoryPath;
}
