/**
 * Every fact hostproof reads, with the PowerShell that reads it.
 *
 * The command text is what the live collector runs (one script per host, each probe in its own
 * try/catch) and what a snapshot records as evidence. Commands project the properties the
 * controls need with Select-Object so that the output stays small and its shape is stable across
 * Windows PowerShell 5.1 and PowerShell 7; enums are left as ConvertTo-Json emits them (integers
 * on 5.1) and the TypeScript normalisers accept both integers and names.
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
  "cluster",
  "clusterQuorum",
] as const;

export type ProbeId = (typeof PROBE_IDS)[number];

export interface ProbeDefinition {
  id: ProbeId;
  /** What the probe reads, in words for the report. */
  title: string;
  command: string;
}

const JSON_TAIL = "ConvertTo-Json -Depth 4 -Compress";

export const PROBES: Readonly<Record<ProbeId, ProbeDefinition>> = {
  os: {
    id: "os",
    title: "Operating system (Win32_OperatingSystem)",
    command: `Get-CimInstance -ClassName Win32_OperatingSystem | Select-Object Caption, Version, BuildNumber, ProductType, OSArchitecture, CSDVersion | ${JSON_TAIL}`,
  },
  computerSystem: {
    id: "computerSystem",
    title: "Computer system (Win32_ComputerSystem)",
    command: `Get-CimInstance -ClassName Win32_ComputerSystem | Select-Object Name, DNSHostName, Domain, PartOfDomain, Workgroup | ${JSON_TAIL}`,
  },
  tcpipParameters: {
    id: "tcpipParameters",
    title: "TCP/IP parameters: primary DNS suffix now and after restart",
    command: `Get-ItemProperty -Path 'HKLM:\\SYSTEM\\CurrentControlSet\\Services\\Tcpip\\Parameters' | Select-Object Hostname, Domain, 'NV Domain' | ${JSON_TAIL}`,
  },
  dnsClientPolicy: {
    id: "dnsClientPolicy",
    title: "DNS client policy: primary DNS suffix set by Group Policy",
    command: `Get-ItemProperty -Path 'HKLM:\\SOFTWARE\\Policies\\Microsoft\\System\\DNSClient' -ErrorAction Stop | Select-Object PrimaryDnsSuffix, 'NV PrimaryDnsSuffix' | ${JSON_TAIL}`,
  },
  dnsClientGlobalSetting: {
    id: "dnsClientGlobalSetting",
    title: "DNS client global settings: suffix search list",
    command: `Get-DnsClientGlobalSetting | Select-Object SuffixSearchList, UseSuffixSearchList, UseDevolution, DevolutionLevel | ${JSON_TAIL}`,
  },
  failoverClusteringFeature: {
    id: "failoverClusteringFeature",
    title: "Windows feature Failover-Clustering",
    command: `Get-WindowsFeature -Name Failover-Clustering | Select-Object Name, DisplayName, Installed, InstallState | ${JSON_TAIL}`,
  },
  localUsers: {
    id: "localUsers",
    title: "Local user accounts",
    command: `Get-LocalUser | Select-Object Name, Enabled, @{Name='SID';Expression={$_.SID.Value}} | ${JSON_TAIL}`,
  },
  administratorsGroup: {
    id: "administratorsGroup",
    // The group is addressed by its well-known SID because its name is localised.
    title: "Members of the local Administrators group (S-1-5-32-544)",
    command: `Get-LocalGroupMember -SID 'S-1-5-32-544' | Select-Object Name, ObjectClass, @{Name='SID';Expression={$_.SID.Value}}, PrincipalSource | ${JSON_TAIL}`,
  },
  uacPolicy: {
    id: "uacPolicy",
    title: "UAC policy: LocalAccountTokenFilterPolicy",
    command: `Get-ItemProperty -Path 'HKLM:\\SOFTWARE\\Microsoft\\Windows\\CurrentVersion\\Policies\\System' | Select-Object LocalAccountTokenFilterPolicy, EnableLUA | ${JSON_TAIL}`,
  },
  hotfixes: {
    id: "hotfixes",
    title: "Installed updates (Win32_QuickFixEngineering)",
    command: `Get-HotFix | Select-Object HotFixID, Description, InstalledOn | ${JSON_TAIL}`,
  },
  netAdapterAdvancedProperty: {
    id: "netAdapterAdvancedProperty",
    title: "Network adapter advanced properties (all standardized keywords)",
    command: `Get-NetAdapterAdvancedProperty -AllProperties | Select-Object Name, DisplayName, DisplayValue, RegistryKeyword, RegistryValue | ${JSON_TAIL}`,
  },
  cluster: {
    id: "cluster",
    title: "Failover cluster (Get-Cluster)",
    command: `Get-Cluster | Select-Object Name, Domain, Id, AdministrativeAccessPoint | ${JSON_TAIL}`,
  },
  clusterQuorum: {
    id: "clusterQuorum",
    title: "Cluster quorum and witness (Get-ClusterQuorum)",
    command: `Get-ClusterQuorum | Select-Object @{Name='Cluster';Expression={$_.Cluster.Name}}, QuorumType, @{Name='QuorumResource';Expression={$_.QuorumResource.Name}}, @{Name='QuorumResourceType';Expression={$_.QuorumResource.ResourceType.Name}} | ${JSON_TAIL}`,
  },
};
