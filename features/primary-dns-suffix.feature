@area:dns @primary-dns-suffix
Feature: Every cluster node has a primary DNS suffix
  Without Active Directory, cluster nodes find each other through DNS names, so every node needs a
  primary DNS suffix that is in force now, and in a multi-domain cluster every node must be able
  to resolve the names of every other domain. DNS names are compared without regard to case.

  @nist-ours:CM-6
  @HP-DNS-001 @severity:high
  Scenario: Every cluster node has a primary DNS suffix
    Rationale: A workgroup node without a primary DNS suffix registers no fully qualified name, and
    the cluster cannot resolve it.
    Remediation: Set-ItemProperty -Path HKLM:\SYSTEM\CurrentControlSet\Services\Tcpip\Parameters -Name 'NV Domain' -Value <suffix>; Restart-Computer
    Source: Microsoft Learn, "Workgroup and Multi-domain clusters in Windows Server", step 2 (primary DNS suffix).

    Given each cluster node
    Then the node has a primary DNS suffix

  @nist-ours:CM-6
  @HP-DNS-002 @severity:medium
  Scenario: No primary DNS suffix change is waiting for a restart
    Rationale: When the suffix in force (Domain) differs from the configured one (NV Domain), the
    node changes its name at the next restart and the cluster sees a different node.
    Remediation: Restart the node at a planned time, or set 'NV Domain' back to the suffix in force.
    Source: TCP/IP registry parameters Domain and NV Domain (Microsoft documentation of Tcpip\Parameters).

    Given each cluster node
    Then the primary DNS suffix in force equals the one set for the next restart

  @nist-ours:CM-6
  @HP-DNS-003 @severity:high
  Scenario: In a multi-domain cluster, every node's DNS suffix search list holds every cluster domain
    Rationale: Nodes of a multi-domain cluster resolve each other by short name only when the suffix
    of every domain in the cluster is in their search list.
    Remediation: Set-DnsClientGlobalSetting -SuffixSearchList @('<domain 1>', '<domain 2>')
    Source: Microsoft Learn, "Workgroup and Multi-domain clusters in Windows Server", multi-domain DNS suffixes.

    Given each multi-domain cluster
    Then every node's DNS suffix search list holds the suffix of every cluster domain
