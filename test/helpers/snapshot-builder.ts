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
import type { ProbeError, ProbeRecord, Snapshot } from "../../src/model/snapshot";
import { PROBE_IDS, PROBES, type ProbeId } from "../../src/probes/catalog";

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
  /** Error records instead of output for these probes. */
  probeErrors?: Partial<Record<ProbeId, ProbeError>>;
  /** Probes with no record at all. */
  omitProbes?: ProbeId[];
  /** Host-level control inputs; used by writeEstate for the inventory entry only. */
  inputs?: ControlInputs;
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
  cluster: [60, 160],
  clusterQuorum: [40, 120],
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
  const admins: JsonObject[] = adminSpecs.map((a) => {
    const m: AdminMemberSpec = typeof a === "string" ? { name: a } : a;
    const local = m.name.includes("\\") ? undefined : users.find((u) => u.name.toLowerCase() === m.name.toLowerCase());
    return {
      Name: m.name.includes("\\") ? m.name : `${host}\\${m.name}`,
      ObjectClass: m.objectClass ?? "User",
      SID: m.sid !== undefined ? m.sid : (local?.sid ?? null),
      PrincipalSource: m.principalSource ?? (m.name.includes("\\") && !m.name.toUpperCase().startsWith(`${host}\\`) ? 2 : 1),
    };
  });

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
  };
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
// Public API

export function buildSnapshot(spec: HostSpec): Snapshot {
  const collectedAt = spec.collectedAt ?? DEFAULT_COLLECTED_AT;
  const legacy = spec.legacy2003 === true;
  const outcomes = legacy ? legacyOutcomes(spec) : modernOutcomes(spec);
  const version = spec.os?.version ?? (legacy ? "5.2.3790" : DEFAULT_OS_VERSION);
  const rand = seededRandom(hashString(`${spec.name}|${collectedAt}`));
  const omitted = new Set(spec.omitProbes ?? []);

  const probes: Partial<Record<ProbeId, ProbeRecord>> = {};
  // The collector runs one script, probe after probe; start times follow each other.
  let clock = Date.parse(collectedAt) + between(rand, 120, 260);
  for (const id of PROBE_IDS) {
    const forced = spec.probeErrors?.[id];
    const outcome: Outcome = forced ? { error: { kind: forced.kind, message: forced.message } } : outcomes[id];
    const [min, max] = DURATION_MS[id];
    let durationMs: number;
    if (legacy) durationMs = id === "os" ? between(rand, 300, 900) : 0; // WMI over DCOM is slow; the rest never ran
    else if ("error" in outcome) durationMs = outcome.error.kind === "timeout" ? 30_000 : between(rand, 8, 60);
    else durationMs = between(rand, min, max);
    const startedAt = new Date(clock).toISOString();
    clock += durationMs + between(rand, 1, 9);
    if (omitted.has(id)) continue;
    const command = legacy && id === "os" ? wmi2003Command(spec.name) : PROBES[id].command;
    probes[id] = "error" in outcome
      ? { command, startedAt, durationMs, error: outcome.error }
      : { command, startedAt, durationMs, output: outcome.output };
  }

  const powershell = legacy ? undefined : OS_DEFAULTS[version]?.powershell ?? "5.1.17763.6414";
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

export interface EstateSpec {
  name?: string;
  hosts: HostSpec[];
  clusters?: InventoryCluster[];
  inputs?: ControlInputs;
}

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
    hosts,
    ...(estate.clusters && estate.clusters.length > 0 ? { clusters: estate.clusters } : {}),
  };
}

export interface WriteEstateOptions {
  /** Two-space indentation (default) or compact JSON, which the benchmark uses to save disk time. */
  pretty?: boolean;
}

/** Writes `<dir>/inventory.json` and `<dir>/snapshots/<host>.json`; returns the inventory path. */
export function writeEstate(dir: string, estate: EstateSpec, options: WriteEstateOptions = {}): string {
  const indent = options.pretty === false ? undefined : 2;
  mkdirSync(join(dir, "snapshots"), { recursive: true });
  for (const spec of resolveEstate(estate)) {
    writeFileSync(join(dir, "snapshots", `${spec.name}.json`), `${JSON.stringify(buildSnapshot(spec), null, indent)}\n`);
  }
  const inventoryPath = join(dir, "inventory.json");
  writeFileSync(inventoryPath, `${JSON.stringify(buildInventory(estate), null, indent)}\n`);
  return inventoryPath;
}
