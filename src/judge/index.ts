/** Every control's judge, by control ID. Feature steps look controls up here. */
import type { ClusterJudge, DirectoryJudge, HostJudge } from "./context";
import { judgeAdministrativeAccessPointDns, judgeClusterAccountOnEveryNode, judgeClusterAccountPasswordsMatch, judgeQuorumWitness, judgeSameHotfixes } from "./cluster";
import { judgeFailoverClusteringInstalled, judgeOsSupportsWorkgroupCluster } from "./cluster-node";
import { judgeNoPendingDnsSuffixChange, judgePrimaryDnsSuffixPresent, judgeSearchListHoldsClusterDomains } from "./dns";
import { judgeIntegrationServicesInGuest, judgeIntegrationServicesOnHost } from "./hyperv";
import { judgeNotNearEndOfSupport, judgeNotWindowsServer2003, judgeWithinExtendedSupport } from "./lifecycle";
import { judgeOffloadsDisabled } from "./offloads";
import { judgePowerShellV2Disabled } from "./powershell-v2";
import { judgeTokenFilterPolicyBaseline, judgeTokenFilterPolicyForClusterAccount } from "./token-filter";
import { judgeQualityUpdateDeferral } from "./update-deferral";
import { judgeContainerHostReady, judgeHyperVIsolationAvailable } from "./containers";
import { judgeDirectoryAgreesWithHost, judgeDirectoryAuditedByRun, judgeDirectoryEndOfSupport } from "./directory";

export type JudgeEntry = { kind: "host"; judge: HostJudge } | { kind: "cluster"; judge: ClusterJudge } | { kind: "directory"; judge: DirectoryJudge };

const host = (judge: HostJudge): JudgeEntry => ({ kind: "host", judge });
const cluster = (judge: ClusterJudge): JudgeEntry => ({ kind: "cluster", judge });
const directory = (judge: DirectoryJudge): JudgeEntry => ({ kind: "directory", judge });

export const JUDGES: Readonly<Record<string, JudgeEntry>> = {
  "HP-CLU-001": host(judgeOsSupportsWorkgroupCluster),
  "HP-CLU-002": host(judgeFailoverClusteringInstalled),
  "HP-CLU-003": cluster(judgeClusterAccountOnEveryNode),
  "HP-CLU-004": cluster(judgeClusterAccountPasswordsMatch),
  "HP-CLU-005": host(judgeTokenFilterPolicyForClusterAccount),
  "HP-CLU-006": cluster(judgeAdministrativeAccessPointDns),
  "HP-CLU-007": cluster(judgeQuorumWitness),
  "HP-CLU-008": cluster(judgeSameHotfixes),
  "HP-UAC-001": host(judgeTokenFilterPolicyBaseline),
  "HP-DNS-001": host(judgePrimaryDnsSuffixPresent),
  "HP-DNS-002": host(judgeNoPendingDnsSuffixChange),
  "HP-DNS-003": cluster(judgeSearchListHoldsClusterDomains),
  "HP-EOS-001": host(judgeNotWindowsServer2003),
  "HP-EOS-002": host(judgeWithinExtendedSupport),
  "HP-EOS-003": host(judgeNotNearEndOfSupport),
  "HP-NIC-001": host(judgeOffloadsDisabled),
  "HP-PS2-001": host(judgePowerShellV2Disabled),
  "HP-WU-001": host(judgeQualityUpdateDeferral),
  "HP-CNT-001": host(judgeContainerHostReady),
  "HP-CNT-002": host(judgeHyperVIsolationAvailable),
  "HP-HV-001": host(judgeIntegrationServicesOnHost),
  "HP-HV-002": host(judgeIntegrationServicesInGuest),
  "HP-DIR-001": directory(judgeDirectoryEndOfSupport),
  "HP-DIR-002": directory(judgeDirectoryAuditedByRun),
  "HP-DIR-003": host(judgeDirectoryAgreesWithHost),
};

export {
  judgeAdministrativeAccessPointDns,
  judgeClusterAccountOnEveryNode,
  judgeClusterAccountPasswordsMatch,
  judgeFailoverClusteringInstalled,
  judgeIntegrationServicesInGuest,
  judgeIntegrationServicesOnHost,
  judgeNoPendingDnsSuffixChange,
  judgeNotNearEndOfSupport,
  judgeNotWindowsServer2003,
  judgeOffloadsDisabled,
  judgeOsSupportsWorkgroupCluster,
  judgePowerShellV2Disabled,
  judgePrimaryDnsSuffixPresent,
  judgeQuorumWitness,
  judgeSameHotfixes,
  judgeSearchListHoldsClusterDomains,
  judgeTokenFilterPolicyBaseline,
  judgeTokenFilterPolicyForClusterAccount,
  judgeWithinExtendedSupport,
  judgeQualityUpdateDeferral,
  judgeContainerHostReady,
  judgeHyperVIsolationAvailable,
  judgeDirectoryEndOfSupport,
  judgeDirectoryAuditedByRun,
  judgeDirectoryAgreesWithHost,
};
