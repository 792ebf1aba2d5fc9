/**
 * Normalised facts: what the judges reason about. Each comes from one probe through a normaliser
 * in src/facts/. A fact either holds a value or says why it could not be read; a fact that could
 * not be read must never make a control pass.
 */
import type { ProbeErrorKind } from "./snapshot";
import type { JsonObject, JsonValue } from "./json";
import type { AnyProbeId } from "../probes/generic";
import type { SnapshotProbes } from "./snapshot";

/**
 * Why a fact has no value: the probe's own error, no record at all, output we cannot read, or
 * facts that contradict each other or the inventory (a snapshot of another host, collected in the
 * future, an OS that is two releases at once): then none of them can be believed.
 */
export type FactProblemKind = ProbeErrorKind | "not-collected" | "malformed" | "inconsistent";

export type Fact<T> =
  | { ok: true; probe: AnyProbeId; value: T }
  | { ok: false; probe: AnyProbeId; problem: { kind: FactProblemKind; message: string } };

export interface OsFact {
  caption: string;
  /** As Windows reports it, e.g. `10.0.17763`. */
  version: string;
  major: number;
  minor: number;
  build: number;
  /** 1 workstation, 2 domain controller, 3 server. */
  productType: number | null;
  /**
   * OperatingSystemSKU, the edition as a number (GetProductInfo's PRODUCT_*); null when the
   * snapshot predates it being read, or on Server 2003, which lacks it.
   */
  sku: number | null;
  /** Localised display text; never decide on it. */
  architecture: string | null;
  /**
   * CSName, the computer's NetBIOS name, where the command projected it (the WMI read of a host
   * without PowerShell does): one of the facts that say which host this is (engine/snapshot-trust.ts).
   */
  csName?: string | null;
}

export interface ComputerSystemFact {
  name: string;
  dnsHostName: string | null;
  /** `WORKGROUP` (or the workgroup name) when not joined. */
  domain: string | null;
  partOfDomain: boolean | null;
  workgroup: string | null;
  /**
   * Firmware's text, not localised: Microsoft Corporation / Virtual Machine on Hyper-V (Azure
   * too), VMware, Inc. on VMware. null when not reported, or in a snapshot taken before they were read.
   */
  manufacturer: string | null;
  model: string | null;
}

/** Primary DNS suffix as the TCP/IP parameters hold it. Empty strings are read as null. */
export interface TcpipParametersFact {
  hostname: string | null;
  /** In force now. */
  domain: string | null;
  /** In force after the next restart. */
  nvDomain: string | null;
}

/** Group Policy's primary DNS suffix; both null when no policy sets one (the key may not exist). */
export interface DnsClientPolicyFact {
  primaryDnsSuffix: string | null;
  nvPrimaryDnsSuffix: string | null;
}

export interface DnsClientGlobalSettingFact {
  suffixSearchList: string[];
  useSuffixSearchList: boolean | null;
  useDevolution: boolean | null;
}

export interface WindowsFeatureFact {
  name: string;
  installed: boolean;
  /** InstallState as emitted: 0 Available, 1 Installed, 2 InstallPending, 3 UninstallPending, 4 Removed; or its name. */
  installState: number | string | null;
}

export interface LocalUserFact {
  name: string;
  sid: string;
  enabled: boolean | null;
}

export interface GroupMemberFact {
  /** As Windows shows it: `HOST\user` or `DOMAIN\user`. */
  name: string;
  sid: string | null;
  objectClass: string | null;
  /** 0 Unknown, 1 Local, 2 ActiveDirectory, 3 AzureAD, 4 MicrosoftAccount; or its name. */
  principalSource: number | string | null;
}

export interface UacPolicyFact {
  /** null when the value is absent, which Windows treats as 0. */
  localAccountTokenFilterPolicy: number | null;
}

export interface HotfixFact {
  /** Upper-cased, e.g. `KB5031361`. */
  id: string;
  description: string | null;
  /** ISO date (yyyy-mm-dd) when it could be read. */
  installedOn: string | null;
}

export interface AdapterPropertyFact {
  adapter: string;
  /** As the driver spells it; compare case-insensitively. */
  keyword: string;
  /** RegistryValue is a string array on Windows; a scalar is wrapped. */
  value: string[];
  displayName: string | null;
  displayValue: string | null;
}

/** One integration service of one virtual machine, as Get-VMIntegrationService reports it on the host. */
export interface VmIntegrationServiceFact {
  vmName: string;
  /** VMId as text; VM names need not be unique on a host, ids are. */
  vmId: string | null;
  /** Localised (Takt, Zeitsynchronisierung): shown, never decided on. */
  name: string | null;
  /** `Microsoft:<VMId>\<GUID>` as reported. */
  id: string;
  /** The GUID ending the Id, upper-cased: the same in every language. null when the Id does not end in one. */
  serviceId: string | null;
  /** null when not reported. */
  enabled: boolean | null;
  /** Null when the VM is off (the guest side does not answer then). */
  primaryStatus: string | null;
  secondaryStatus: string | null;
}

export interface ClusterFact {
  name: string;
  /** 0 None, 1 ActiveDirectoryAndDns, 2 Dns, 3 ActiveDirectory; null when not reported. */
  administrativeAccessPoint: number | null;
}

export type WitnessKind = "disk" | "cloud" | "file-share" | "none" | "other";

export interface ClusterQuorumFact {
  /** The cluster whose quorum this is (Get-ClusterQuorum's Cluster), as reported; null where not projected. */
  cluster: string | null;
  quorumType: string | null;
  witness: WitnessKind;
  /** The witness resource type as reported (`Physical Disk`, `Cloud Witness`, `File Share Witness`). */
  witnessResourceType: string | null;
  witnessResourceName: string | null;
}

/** The CurrentVersion key's installation type and revision; each null where the key lacks it. */
export interface WindowsVersionFact {
  /** "Server", "Server Core", "Nano Server" or "Client", in every language. */
  installationType: string | null;
  editionId: string | null;
  currentBuild: number | null;
  /** Update Build Revision: the number after the build (26100.4946), raised by each cumulative update. */
  ubr: number | null;
  /** "24H2", "23H2"...: absent before Windows 10 20H2. */
  displayVersion: string | null;
}

/** Every fact of one host, normalised. */
export interface HostFacts {
  host: string;
  collectedAt: string;
  os: Fact<OsFact>;
  computerSystem: Fact<ComputerSystemFact>;
  tcpipParameters: Fact<TcpipParametersFact>;
  dnsClientPolicy: Fact<DnsClientPolicyFact>;
  dnsClientGlobalSetting: Fact<DnsClientGlobalSettingFact>;
  failoverClusteringFeature: Fact<WindowsFeatureFact>;
  localUsers: Fact<LocalUserFact[]>;
  administratorsGroup: Fact<GroupMemberFact[]>;
  uacPolicy: Fact<UacPolicyFact>;
  hotfixes: Fact<HotfixFact[]>;
  netAdapterAdvancedProperty: Fact<AdapterPropertyFact[]>;
  vmIntegrationServices: Fact<VmIntegrationServiceFact[]>;
  cluster: Fact<ClusterFact>;
  clusterQuorum: Fact<ClusterQuorumFact>;
  windowsVersion: Fact<WindowsVersionFact>;
  /** Every record of the snapshot, for the step library's generic probes (facts/generic.ts reads them). */
  records: SnapshotProbes;
  /**
   * Set when the snapshot cannot be believed to be this host's, as collected when it says
   * (engine/snapshot-trust.ts): why. Every fact, the generic ones included, is then unreadable
   * with kind `inconsistent` and this message (facts/distrust.ts).
   */
  untrusted?: string;
}

// ------------------------------------------------------------------ the step library's facts

export interface RegistryValueFact {
  /** "" is the key's default value. */
  name: string;
  /** RegistryValueKind as text: String, ExpandString, DWord, QWord, MultiString, Binary; null if not reported. */
  kind: string | null;
  /** DWORD and QWORD as unsigned numbers; text; a multi-string's strings; binary as its bytes. */
  data: JsonValue;
}

/** A key that does not exist is a fact too: every value under it is absent. */
export interface RegistryKeyFact {
  exists: boolean;
  values: RegistryValueFact[];
}

export interface ServiceFact {
  /** false when Windows has no service of that name. */
  exists: boolean;
  displayName: string | null;
  /** Stopped, StartPending, StopPending, Running, ContinuePending, PausePending, Paused; null when not reported. */
  status: string | null;
  /** Boot, System, Automatic, Manual, Disabled; null where the shell does not report it. */
  startType: string | null;
}

export interface NamedFeatureFact {
  /** false when the host knows no feature of that name. */
  exists: boolean;
  feature: WindowsFeatureFact | null;
}

export interface OptionalFeatureFact {
  exists: boolean;
  /** Disabled, DisablePending, Enabled, EnablePending, DisabledWithPayloadRemoved...; null if not reported. */
  state: string | null;
}

export interface LocalGroupFact {
  exists: boolean;
  members: GroupMemberFact[];
}

/** The instances that matched (the key filter, if any, applied on the host). */
export interface CimFact {
  instances: JsonObject[];
}
