/**
 * Every fact hostproof reads, with the PowerShell that reads it.
 *
 * The command text is what the live collector runs (one script per host, each probe in its own
 * try/catch) and what a snapshot records as evidence. Commands project the properties the
 * controls need with Select-Object so that the output stays small and its shape is stable across
 * Windows PowerShell 5.1 and PowerShell 7; enums are left as ConvertTo-Json emits them (integers
 * on 5.1) and the TypeScript normalisers accept both integers and names.
 *
 * Fallbacks are alternative commands for hosts where the primary's cmdlet or module is missing
 * (or, for administratorsGroup, where it fails on the host's data). Each projects exactly the
 * primary's property names, in the same order, so that the normalisers read the output of any
 * of them without knowing which one ran; the snapshot records the command that did run. Which
 * failures move on to the next command is decided by the collector (src/collect/script.ts).
 *
 * Every cmdlet that reads the host is called with -ErrorAction Stop, in the command text itself.
 * The collector's own $ErrorActionPreference = 'Stop' does not reach functions defined in modules
 * (PowerShell/PowerShell#4568), and on Windows the CDXML cmdlets (Get-NetAdapter*, Get-DnsClient*)
 * are such functions: without the parameter their access-denied is a non-terminating error, the
 * pipeline ends with no output, and "no adapter properties" would be recorded instead. Writing it
 * in the command also shows an auditor, in the evidence, that a failure cannot pass as "nothing".
 * The collector still treats any error record a command writes as that command's failure.
 */

export const PROBE_IDS = [
  "os",
  "computerSystem",
  "tcpipParameters",
  "dnsClientPolicy",
  "dnsClientGlobalSetting",
  "failoverClusteringFeature",
  "localUsers",
  "administratorsGroup",
  "uacPolicy",
  "hotfixes",
  "netAdapterAdvancedProperty",
  "vmIntegrationServices",
  "cluster",
  "clusterQuorum",
  "windowsVersion",
] as const;

export type ProbeId = (typeof PROBE_IDS)[number];

export interface ProbeDefinition {
  id: ProbeId;
  /** What the probe reads, in words for the report. */
  title: string;
  command: string;
  /** Tried in order when the previous command failed as not-supported or other (see src/collect/script.ts). */
  fallbacks?: string[];
}

/**
 * Every command is its reading pipeline followed by this tail, which turns the objects into the
 * JSON the snapshot records. Where ConvertTo-Json is missing (PowerShell 2.0), the collector runs
 * the reading pipeline into its own writer instead (HP_JSON_TAIL, see src/collect/script.ts), and
 * records that text.
 */
export const JSON_TAIL = "ConvertTo-Json -Depth 4 -Compress";
/** The collector's writer: the same JSON shapes as Windows PowerShell 5.1's ConvertTo-Json. */
export const HP_JSON_TAIL = "ConvertTo-HpJson -Depth 4";

/** A command from its reading pipeline: the pipeline piped to ConvertTo-Json. */
function json(pipeline: string): string {
  return `${pipeline} | ${JSON_TAIL}`;
}

/** The reading pipeline of a catalog command (the command without its JSON tail). */
export function readingPipeline(command: string): string {
  const tail = ` | ${JSON_TAIL}`;
  if (!command.endsWith(tail)) throw new Error(`a probe command must end with '${tail}': ${command}`);
  return command.slice(0, -tail.length);
}

/** What runs, and is recorded, where ConvertTo-Json is missing: the pipeline into the collector's writer. */
export function hpJsonCommand(command: string): string {
  return `${readingPipeline(command)} | ${HP_JSON_TAIL}`;
}

export const PROBES: Readonly<Record<ProbeId, ProbeDefinition>> = {
  os: {
    id: "os",
    title: "Operating system (Win32_OperatingSystem)",
    // OperatingSystemSKU is the edition as a number, the same in every language: Windows 10/11
    // editions share builds but not end dates, and it tells Nano Server (143/144) and Semi-Annual
    // Channel Server Core (145/146) apart (src/judge/editions.ts). The Caption is localised.
    command: json(`Get-CimInstance -ClassName Win32_OperatingSystem -ErrorAction Stop | Select-Object Caption, Version, BuildNumber, ProductType, OperatingSystemSKU, OSArchitecture, CSDVersion`),
    // For shells without the CimCmdlets module, such as PowerShell 2.0 (where the collector writes
    // the JSON itself, as 2.0 has no ConvertTo-Json).
    fallbacks: [json(`Get-WmiObject -Class Win32_OperatingSystem -ErrorAction Stop | Select-Object Caption, Version, BuildNumber, ProductType, OperatingSystemSKU, OSArchitecture, CSDVersion`)],
  },
  computerSystem: {
    id: "computerSystem",
    title: "Computer system (Win32_ComputerSystem)",
    // Manufacturer and Model say whether the host is a virtual machine, and on which hypervisor
    // (Microsoft Corporation / Virtual Machine is Hyper-V, Azure included); firmware text, not
    // localised.
    command: json(`Get-CimInstance -ClassName Win32_ComputerSystem -ErrorAction Stop | Select-Object Name, DNSHostName, Domain, PartOfDomain, Workgroup, Manufacturer, Model`),
    fallbacks: [json(`Get-WmiObject -Class Win32_ComputerSystem -ErrorAction Stop | Select-Object Name, DNSHostName, Domain, PartOfDomain, Workgroup, Manufacturer, Model`)],
  },
  tcpipParameters: {
    id: "tcpipParameters",
    title: "TCP/IP parameters: primary DNS suffix now and after restart",
    command: json(`Get-ItemProperty -Path 'HKLM:\\SYSTEM\\CurrentControlSet\\Services\\Tcpip\\Parameters' -ErrorAction Stop | Select-Object Hostname, Domain, 'NV Domain'`),
  },
  dnsClientPolicy: {
    id: "dnsClientPolicy",
    title: "DNS client policy: primary DNS suffix set by Group Policy",
    command: json(`Get-ItemProperty -Path 'HKLM:\\SOFTWARE\\Policies\\Microsoft\\System\\DNSClient' -ErrorAction Stop | Select-Object PrimaryDnsSuffix, 'NV PrimaryDnsSuffix'`),
  },
  dnsClientGlobalSetting: {
    id: "dnsClientGlobalSetting",
    title: "DNS client global settings: suffix search list",
    command: json(`Get-DnsClientGlobalSetting -ErrorAction Stop | Select-Object SuffixSearchList, UseSuffixSearchList, UseDevolution, DevolutionLevel`),
  },
  failoverClusteringFeature: {
    id: "failoverClusteringFeature",
    title: "Windows feature Failover-Clustering",
    command: json(`Get-WindowsFeature -Name Failover-Clustering -ErrorAction Stop | Select-Object Name, DisplayName, Installed, InstallState`),
    // Without ServerManager (Nano Server, client SKUs): DISM's FeatureState (0 Disabled,
    // 1 DisablePending, 2 Enabled, 3 EnablePending, 6 DisabledWithPayloadRemoved) is translated
    // to the InstallState the normaliser reads (0 Available, 3 UninstallPending, 1 Installed,
    // 2 InstallPending, 4 Removed); other states give null. Name stays DISM's feature name
    // (FailoverCluster-FullServer), so the evidence shows which source answered.
    fallbacks: [
      json(`Get-WindowsOptionalFeature -Online -FeatureName FailoverCluster-FullServer -ErrorAction Stop | Select-Object @{Name='Name';Expression={$_.FeatureName}}, DisplayName, @{Name='Installed';Expression={[int]$_.State -eq 2}}, @{Name='InstallState';Expression={@{0=0;1=3;2=1;3=2;6=4}[[int]$_.State]}}`),
    ],
  },
  localUsers: {
    id: "localUsers",
    title: "Local user accounts",
    command: json(`Get-LocalUser -ErrorAction Stop | Select-Object Name, Enabled, @{Name='SID';Expression={$_.SID.Value}}`),
    // The LocalAccounts module is missing on 2012 R2 / 2008 R2 with WMF 5.1 and in 32-bit
    // PowerShell on 64-bit Windows. The filter keeps WMI from enumerating the domain's accounts.
    fallbacks: [
      json(`Get-CimInstance -ClassName Win32_UserAccount -Filter "LocalAccount=True" -ErrorAction Stop | Select-Object Name, @{Name='Enabled';Expression={-not $_.Disabled}}, SID`),
    ],
  },
  administratorsGroup: {
    id: "administratorsGroup",
    // The group is addressed by its well-known SID because its name is localised.
    title: "Members of the local Administrators group (S-1-5-32-544)",
    command: json(`Get-LocalGroupMember -SID 'S-1-5-32-544' -ErrorAction Stop | Select-Object Name, ObjectClass, @{Name='SID';Expression={$_.SID.Value}}, PrincipalSource`),
    // Get-LocalGroupMember throws "Failed to compare two elements in the array" when the group
    // holds a SID it cannot resolve (PowerShell issues 2996 and 21617), and is missing where
    // LocalAccounts is. WMI's Win32_GroupUser association lists the members it can resolve, so
    // an orphaned SID is absent from this output rather than listed. PrincipalSource is derived
    // from LocalAccount: 1 Local or 2 ActiveDirectory (WMI cannot tell Azure AD apart).
    fallbacks: [
      json(`Get-CimInstance -ClassName Win32_Group -Filter "LocalAccount=True AND SID='S-1-5-32-544'" -ErrorAction Stop | Get-CimAssociatedInstance -Association Win32_GroupUser -ErrorAction Stop | Select-Object @{Name='Name';Expression={$_.Domain + '\\' + $_.Name}}, @{Name='ObjectClass';Expression={if ($_.CimClass.CimClassName -eq 'Win32_Group') {'Group'} else {'User'}}}, SID, @{Name='PrincipalSource';Expression={if ($_.LocalAccount) {1} else {2}}}`),
    ],
  },
  uacPolicy: {
    id: "uacPolicy",
    title: "UAC policy: LocalAccountTokenFilterPolicy",
    command: json(`Get-ItemProperty -Path 'HKLM:\\SOFTWARE\\Microsoft\\Windows\\CurrentVersion\\Policies\\System' -ErrorAction Stop | Select-Object LocalAccountTokenFilterPolicy, EnableLUA`),
  },
  hotfixes: {
    id: "hotfixes",
    title: "Installed updates (Win32_QuickFixEngineering)",
    command: json(`Get-HotFix -ErrorAction Stop | Select-Object HotFixID, Description, InstalledOn`),
    // The raw class gives InstalledOn as WMI's text ("3/12/2024"), which the normaliser reads.
    fallbacks: [json(`Get-CimInstance -ClassName Win32_QuickFixEngineering -ErrorAction Stop | Select-Object HotFixID, Description, InstalledOn`)],
  },
  netAdapterAdvancedProperty: {
    id: "netAdapterAdvancedProperty",
    title: "Network adapter advanced properties (all standardized keywords)",
    command: json(`Get-NetAdapterAdvancedProperty -AllProperties -ErrorAction Stop | Select-Object Name, DisplayName, DisplayValue, RegistryKeyword, RegistryValue`),
  },
  vmIntegrationServices: {
    id: "vmIntegrationServices",
    title: "Hyper-V integration services of every virtual machine (Get-VMIntegrationService)",
    // Name is localised (Takt, Zeitsynchronisierung): the judge matches a service by the GUID that
    // ends Id (Microsoft:<VMId>\<GUID>). Enabled is a bool and the descriptions are text, so the
    // shape is the same on 5.1 and 7; VMId is a Guid, which both write as a string. Get-VM lists
    // only the VMs the account may see: in a session without Administrators or Hyper-V
    // Administrators rights (a UAC-filtered token) it may list none, without an error, which the
    // judge therefore reports with its "no VMs". No fallback: without the Hyper-V module (the role installed without
    // its management tools) the same facts are in root\virtualization\v2 only as a join of the VM
    // list with six Msvm_*ComponentSettingData classes (status from the running devices), which
    // could not be checked against a real host here; a wrong join could pass a host, so the probe
    // is not-supported there instead.
    command: json(`Get-VM -ErrorAction Stop | Get-VMIntegrationService -ErrorAction Stop | Select-Object VMName, VMId, Name, Id, Enabled, PrimaryStatusDescription, SecondaryStatusDescription`),
  },
  cluster: {
    id: "cluster",
    title: "Failover cluster (Get-Cluster)",
    command: json(`Get-Cluster -ErrorAction Stop | Select-Object Name, Domain, Id, AdministrativeAccessPoint`),
  },
  windowsVersion: {
    id: "windowsVersion",
    title: "Windows installation type and revision (HKLM\\SOFTWARE\\Microsoft\\Windows NT\\CurrentVersion)",
    // InstallationType ("Server", "Server Core", "Nano Server", "Client") is the same in every
    // language, and UBR is the revision a cumulative update brings (26100.4946). The projection
    // is deliberate: the key also holds DigitalProductId, from which a product key can be
    // decoded, and that must never become evidence.
    command: json(`Get-ItemProperty -Path 'HKLM:\\SOFTWARE\\Microsoft\\Windows NT\\CurrentVersion' -ErrorAction Stop | Select-Object InstallationType, EditionID, CurrentBuild, UBR, DisplayVersion`),
  },
  clusterQuorum: {
    id: "clusterQuorum",
    title: "Cluster quorum and witness (Get-ClusterQuorum)",
    command: json(`Get-ClusterQuorum -ErrorAction Stop | Select-Object @{Name='Cluster';Expression={$_.Cluster.Name}}, QuorumType, @{Name='QuorumResource';Expression={$_.QuorumResource.Name}}, @{Name='QuorumResourceType';Expression={$_.QuorumResource.ResourceType.Name}}`),
  },
};
