/**
 * What each Then phrase of the features checks: its judge, and the probes that judge reads.
 * The step definitions register these phrases with Cucumber; the collector derives from them which
 * probes a selection of controls needs, so that a host is read once for exactly those facts.
 */
import * as judges from "../judge";
import type { ClusterJudge, DirectoryJudge, HostJudge } from "../judge/context";
import type { ProbeId } from "../probes/catalog";
import type { GenericProbe } from "../probes/generic";
import { POWERSHELL_V2_FEATURE, POWERSHELL_V2_OPTIONAL } from "../judge/powershell-v2";
import { CONTAINER_HOST_PROBES, HYPERV_FEATURE } from "../judge/containers";
import { UPDATE_DEFERRAL_PROBES } from "../judge/update-deferral";
import { GUEST_SERVICE_PROBES, HYPER_V_ROLE } from "../judge/hyperv";

/**
 * `needs`: the built-in probes the judge reads. `generic`: generic probes it reads too (a registry
 * key, a service), fixed by the check, where a fact is only a value in a known place and needs no
 * probe of its own in the catalog (src/probes/generic.ts reads it, src/facts/generic.ts types it).
 */
export type CheckBinding =
  | { phrase: string; kind: "host"; judge: HostJudge; needs: ProbeId[]; generic?: readonly GenericProbe[] }
  | { phrase: string; kind: "cluster"; judge: ClusterJudge; needs: ProbeId[]; generic?: readonly GenericProbe[] }
  | { phrase: string; kind: "directory"; judge: DirectoryJudge; needs: ProbeId[]; generic?: readonly GenericProbe[] };

const host = (phrase: string, judge: HostJudge, needs: ProbeId[], generic?: readonly GenericProbe[]): CheckBinding => ({ phrase, kind: "host", judge, needs, ...(generic ? { generic } : {}) });
const cluster = (phrase: string, judge: ClusterJudge, needs: ProbeId[], generic?: readonly GenericProbe[]): CheckBinding => ({ phrase, kind: "cluster", judge, needs, ...(generic ? { generic } : {}) });
/** An estate-wide check: judged over the directory snapshot, reading no host. */
const directory = (phrase: string, judge: DirectoryJudge): CheckBinding => ({ phrase, kind: "directory", judge, needs: [] });

/** Read on every host whatever is selected: who the host is, for the report. */
export const IDENTITY_PROBES: ProbeId[] = ["os", "computerSystem"];

export const CHECKS: readonly CheckBinding[] = [
  // Cluster prerequisites (features/cluster-prerequisites.feature)
  host("the node runs Windows Server 2016 or later", judges.judgeOsSupportsWorkgroupCluster, ["os", "windowsVersion"]),
  host("the Failover-Clustering feature is installed", judges.judgeFailoverClusteringInstalled, ["failoverClusteringFeature"]),
  cluster(
    "the cluster administrator account exists on every node and is a member of its Administrators group",
    judges.judgeClusterAccountOnEveryNode,
    ["localUsers", "administratorsGroup"],
  ),
  cluster("the cluster administrator account has the same password on every node", judges.judgeClusterAccountPasswordsMatch, []),
  host("LocalAccountTokenFilterPolicy is 1 unless the cluster uses the built-in Administrator", judges.judgeTokenFilterPolicyForClusterAccount, ["localUsers", "uacPolicy"]),
  cluster("the administrative access point is DNS", judges.judgeAdministrativeAccessPointDns, ["cluster"]),
  cluster("the quorum witness is a Cloud or Disk witness", judges.judgeQuorumWitness, ["clusterQuorum"]),
  cluster("every node has the same set of hotfixes", judges.judgeSameHotfixes, ["hotfixes"]),

  // Primary DNS suffix (features/primary-dns-suffix.feature)
  host("the node has a primary DNS suffix", judges.judgePrimaryDnsSuffixPresent, ["tcpipParameters", "dnsClientPolicy"]),
  host("the primary DNS suffix in force equals the one set for the next restart", judges.judgeNoPendingDnsSuffixChange, ["tcpipParameters"]),
  cluster("every node's DNS suffix search list holds the suffix of every cluster domain", judges.judgeSearchListHoldsClusterDomains, ["dnsClientGlobalSetting"]),

  // LocalAccountTokenFilterPolicy (features/local-account-token-filter-policy.feature)
  host("LocalAccountTokenFilterPolicy is 0 or absent unless a cluster rule requires 1", judges.judgeTokenFilterPolicyBaseline, ["localUsers", "uacPolicy", "computerSystem", "os"]),

  // End of support (features/end-of-support.feature)
  host("the host does not run Windows Server 2003", judges.judgeNotWindowsServer2003, ["os", "windowsVersion"]),
  // windowsVersion: the installation type tells a Nano Server host apart where the SKU does not.
  host("the host's Windows version is within Microsoft's extended support", judges.judgeWithinExtendedSupport, ["os", "windowsVersion"]),
  host("the host's end of extended support is not within the warning window", judges.judgeNotNearEndOfSupport, ["os", "windowsVersion"]),

  // PowerShell 2.0 engine (features/powershell-v2.feature)
  host("the Windows PowerShell 2.0 engine is removed or disabled", judges.judgePowerShellV2Disabled, ["os", "windowsVersion"], [POWERSHELL_V2_FEATURE, ...POWERSHELL_V2_OPTIONAL]),

  // NIC hardware offloads (features/nic-offloads.feature)
  host("every standardized offload keyword is disabled on every adapter, unless the inventory allows it", judges.judgeOffloadsDisabled, ["netAdapterAdvancedProperty"]),

  // Update deferral and container hosts (features/update-deferral.feature, features/container-host.feature).
  // Their facts are values in known registry keys, services and features: generic probes, no catalog probe.
  host("quality updates are deferred within the inventory's window, unless WSUS or Configuration Manager decides", judges.judgeQualityUpdateDeferral, [], UPDATE_DEFERRAL_PROBES),
  host("a container host has the Containers feature, a running container runtime and, on Windows Server 2016, KB3176936 or later", judges.judgeContainerHostReady, ["os", "windowsVersion", "hotfixes"], CONTAINER_HOST_PROBES),
  host("a container host has the Hyper-V role for Hyper-V isolation", judges.judgeHyperVIsolationAvailable, [], [...CONTAINER_HOST_PROBES, HYPERV_FEATURE]),
  // Hyper-V integration services (features/hyper-v-integration-services.feature). The role and the
  // guest's vmic* services are values in known places, read by generic probes; the VMs' services
  // by a catalog probe of their own.
  host("every VM on a Hyper-V host has Heartbeat, Shutdown, Time Synchronization, Key-Value Pair Exchange and VSS enabled and Guest Service Interface disabled, unless the inventory allows it", judges.judgeIntegrationServicesOnHost, ["vmIntegrationServices"], [HYPER_V_ROLE]),
  // The estate's directory (features/directory.feature): judged over the directory snapshot.
  directory("no computer object active in the directory runs a Windows release past its end of extended support", judges.judgeDirectoryEndOfSupport),
  directory("every active server in the directory was checked by this run", judges.judgeDirectoryAuditedByRun),
  host("the directory and the host agree on the host's Windows release", judges.judgeDirectoryAgreesWithHost, ["os", "windowsVersion", "computerSystem"]),

  host("inside a Hyper-V VM, the guest services of Heartbeat, Shutdown, Time Synchronization, Key-Value Pair Exchange and VSS are present and running", judges.judgeIntegrationServicesInGuest, ["computerSystem"], GUEST_SERVICE_PROBES),
];

export function checkFor(phrase: string): CheckBinding | undefined {
  return CHECKS.find((c) => c.phrase === phrase);
}
