@area:cluster @cluster-prerequisites
Feature: Failover Cluster prerequisites for workgroup and multi-domain clusters
  A workgroup or multi-domain cluster has no Active Directory to vouch for its nodes. It runs
  only on Windows Server 2016 or later, with the same local administrator account on every
  node, a DNS administrative access point, and a Cloud or Disk witness.
  Source: Microsoft Learn, "Workgroup and Multi-domain clusters in Windows Server".

  @nist-ours:CM-6 @nist-ours:SA-22
  @HP-CLU-001 @severity:high
  Scenario: Every node runs Windows Server 2016 or later
    Rationale: Clusters detached from Active Directory are supported from Windows Server 2016 on;
    an older node cannot join one.
    Remediation: Upgrade or replace the node with Windows Server 2016 or later before creating the cluster.
    Source: Microsoft Learn, "Workgroup and Multi-domain clusters in Windows Server", prerequisites.

    Given each node of a workgroup or multi-domain cluster
    Then the node runs Windows Server 2016 or later

  @nist-ours:CM-6
  @HP-CLU-002 @severity:high
  Scenario: The Failover Clustering feature is installed on every node
    Rationale: A node without the feature cannot join the cluster or be validated by Test-Cluster.
    Remediation: Install-WindowsFeature -Name Failover-Clustering -IncludeManagementTools; Restart-Computer
    Source: Microsoft Learn, "Install the Failover Clustering feature".

    Given each node of a workgroup or multi-domain cluster
    Then the Failover-Clustering feature is installed

  @nist-ours:CM-6
  @HP-CLU-003 @severity:high
  Scenario: The cluster administrator account exists on every node and is a local administrator there
    Rationale: Without a domain, the cluster authenticates node to node with one local account that
    must exist, with the same name, in the Administrators group of every node.
    Remediation: New-LocalUser -Name <account> -Password (Read-Host -AsSecureString); Add-LocalGroupMember -SID S-1-5-32-544 -Member <account>
    Source: Microsoft Learn, "Workgroup and Multi-domain clusters in Windows Server", step 1: create a consistent local user account on all nodes.

    Given each workgroup or multi-domain cluster
    Then the cluster administrator account exists on every node and is a member of its Administrators group

  @nist-ours:CM-6
  @HP-CLU-004 @severity:medium @manual
  Scenario: The cluster administrator account has the same password on every node
    Rationale: The cluster account must have the same password on every node. No probe can read a
    password, so this is never reported as passed: it is reported as not verifiable until someone attests it.
    Remediation: Set-LocalUser -Name <account> -Password (Read-Host -AsSecureString) on every node, with the same password.
    Source: Microsoft Learn, "Workgroup and Multi-domain clusters in Windows Server", step 1.

    Given each workgroup or multi-domain cluster
    Then the cluster administrator account has the same password on every node

  @nist-ours:CM-6
  @conflict:stig:WN16-MS-000020/V-225008/CAT-II @conflict:stig:WN19-MS-000020/V-205715/CAT-II
  @conflict:stig:WN22-MS-000020/V-254429/CAT-II @conflict:stig:WN25-MS-000020/V-278178/CAT-II
  @conflict:cis:WS2019-v4.0.0/18.4.1 @conflict:cis:WS2022-v4.0.0/18.4.1
  @HP-CLU-005 @severity:high
  Scenario: LocalAccountTokenFilterPolicy is 1 on every node when the cluster account is not the built-in Administrator
    Rationale: Remote UAC strips the administrator token from local accounts other than the built-in
    Administrator; the cluster then cannot manage its nodes over the network.
    Remediation: New-ItemProperty -Path HKLM:\SOFTWARE\Microsoft\Windows\CurrentVersion\Policies\System -Name LocalAccountTokenFilterPolicy -Value 1 -PropertyType DWord -Force
    Source: Microsoft Learn, "Workgroup and Multi-domain clusters in Windows Server", step 1.

    Given each node of a workgroup or multi-domain cluster
    Then LocalAccountTokenFilterPolicy is 1 unless the cluster uses the built-in Administrator

  @nist-ours:CM-6
  @HP-CLU-006 @severity:high
  Scenario: The cluster's administrative access point is DNS
    Rationale: A cluster without Active Directory cannot create a computer object; it must be
    created with a DNS access point, which cannot be changed afterwards.
    Remediation: Re-create the cluster: New-Cluster -Name <name> -Node <nodes> -AdministrativeAccessPoint DNS
    Source: Microsoft Learn, "Workgroup and Multi-domain clusters in Windows Server", step 3.

    Given each workgroup or multi-domain cluster
    Then the administrative access point is DNS

  @nist-ours:CM-6
  @HP-CLU-007 @severity:high
  Scenario: The quorum witness is a Cloud or Disk witness, never a File Share witness
    Rationale: A File Share Witness needs Kerberos to the share, which a cluster without a common
    domain cannot use; Microsoft supports only Cloud or Disk witnesses for these clusters.
    Remediation: Set-ClusterQuorum -CloudWitness -AccountName <storage account> -AccessKey <key>  (or -DiskWitness "<disk>")
    Source: Microsoft Learn, "Workgroup and Multi-domain clusters in Windows Server", quorum.

    Given each workgroup or multi-domain cluster
    Then the quorum witness is a Cloud or Disk witness

  @nist-ours:CM-6 @nist-ours:SI-2
  @HP-CLU-008 @severity:medium
  Scenario: Every node has the same set of updates
    Rationale: Nodes with different updates behave differently after a failover; Test-Cluster
    reports mismatched updates for the same reason.
    Remediation: Install the missing updates named in the result on each node (Windows Update, WSUS or Cluster-Aware Updating in remote-updating mode).
    Source: Microsoft Learn, "Validate hardware for a failover cluster" (software update levels).

    Given each cluster
    Then every node has the same set of hotfixes
