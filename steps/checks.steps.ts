/** The Then steps: each phrase is one judge. The phrases say what is checked, never how it is read. */
import * as judges from "../src/judge";
import { clusterCheck, hostCheck } from "./support/define-check";

// Cluster prerequisites (features/cluster-prerequisites.feature)
hostCheck("the node runs Windows Server 2016 or later", judges.judgeOsSupportsWorkgroupCluster);
hostCheck("the Failover-Clustering feature is installed", judges.judgeFailoverClusteringInstalled);
clusterCheck("the cluster administrator account exists on every node and is a member of its Administrators group", judges.judgeClusterAccountOnEveryNode);
clusterCheck("the cluster administrator account has the same password on every node", judges.judgeClusterAccountPasswordsMatch);
hostCheck("LocalAccountTokenFilterPolicy is 1 unless the cluster uses the built-in Administrator", judges.judgeTokenFilterPolicyForClusterAccount);
clusterCheck("the administrative access point is DNS", judges.judgeAdministrativeAccessPointDns);
clusterCheck("the quorum witness is a Cloud or Disk witness", judges.judgeQuorumWitness);
clusterCheck("every node has the same set of hotfixes", judges.judgeSameHotfixes);

// Primary DNS suffix (features/primary-dns-suffix.feature)
hostCheck("the node has a primary DNS suffix", judges.judgePrimaryDnsSuffixPresent);
hostCheck("the primary DNS suffix in force equals the one set for the next restart", judges.judgeNoPendingDnsSuffixChange);
clusterCheck("every node's DNS suffix search list holds the suffix of every cluster domain", judges.judgeSearchListHoldsClusterDomains);

// LocalAccountTokenFilterPolicy (features/local-account-token-filter-policy.feature)
hostCheck("LocalAccountTokenFilterPolicy is 0 or absent unless a cluster rule requires 1", judges.judgeTokenFilterPolicyBaseline);

// End of support (features/end-of-support.feature)
hostCheck("the host does not run Windows Server 2003", judges.judgeNotWindowsServer2003);
hostCheck("the host's Windows version is within Microsoft's extended support", judges.judgeWithinExtendedSupport);
hostCheck("the host's end of extended support is not within the warning window", judges.judgeNotNearEndOfSupport);

// NIC hardware offloads (features/nic-offloads.feature)
hostCheck("every standardized offload keyword is disabled on every adapter, unless the inventory allows it", judges.judgeOffloadsDisabled);
