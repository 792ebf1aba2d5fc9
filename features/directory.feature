@area:directory @directory
Feature: The estate's directory: what exists, not only what the inventory lists
  An inventory lists the hosts someone remembered; a forgotten server is, by definition, not in it.
  Active Directory holds a computer object for every joined machine, with the release it last
  reported and when it last logged on. These controls judge the directory snapshot that
  `hostproof discover` wrote (run --directory, or the inventory's directory field). An object is
  active when it is enabled and logged on or changed its machine password in the N days before
  the directory was read (inventory input directory.activeDays, 90 unless set), so a snapshot
  judged again later says what it said then; enabled objects seen neither way are
  stale, listed in the results as information, neither passed nor failed. Without a snapshot the
  results are undetermined, unless the inventory states the estate has no directory
  (`directory: { none: <why> }`), which makes them not applicable with that reason.

  @nist-ours:SA-22
  @HP-DIR-001 @severity:critical
  Scenario: No computer object active in the directory runs a Windows release past its end of extended support
    Rationale: A server the inventory forgot still runs, still holds credentials and still gets no
    security updates. The directory's operatingSystem and operatingSystemVersion (such as
    "Windows Server 2003", "5.2 (3790)") date every joined machine against Microsoft's lifecycle,
    the same data the end-of-support controls use. Each offending object is a row with its DN,
    last logon and password age.
    Remediation: Migrate the workload of each object listed to a supported Windows release and
    decommission the machine; then disable and delete its computer object.
    Source: Microsoft Lifecycle (fixed and modern lifecycle policies); PingCastle rule
    "Obsolete OS" (computer objects running an unsupported Windows release).

    Given the estate's directory
    Then no computer object active in the directory runs a Windows release past its end of extended support

  @nist-ours:CM-8
  @HP-DIR-002 @severity:high
  Scenario: Every active server in the directory was checked by this run
    Rationale: A verdict over the inventory says nothing of the servers it does not list. Every
    server active in the directory is matched to the inventory by DNS host name, or by name
    against the hosts' first labels; each one not matched is "not audited", a row with its DN.
    A waiver with scope { directory: <DN> } accepts one object, or every object of an OU, with
    its justification shown in the row.
    Remediation: Add each server listed to the inventory and judge it, or waive it (per object
    or per OU) with a justification when it is out of the audit's scope.
    Source: NIST SP 800-53 rev5 CM-8 (system component inventory: accurate and complete).

    Given the estate's directory
    Then every active server in the directory was checked by this run

  @nist-ours:CM-8
  @HP-DIR-003 @severity:medium
  Scenario: The directory and each host agree on the host's Windows release and its membership
    Rationale: The directory is what discovery, other tools and auditors read; where it says
    Windows Server 2003 and the host says 2022 (or the reverse), one of them is wrong, and a
    decision made from the directory is made on a false record. The host's own report (its os
    fact) is compared with its computer object's operatingSystemVersion and whether it is a server.
    A host that says it is a member of the directory's domain but has no object in it is a finding
    too; a host of another domain, or of none, is not this directory's to hold.
    Remediation: Find why the record differs: a computer object reused by another machine, a host
    rebuilt under the same name whose object was not updated, or a stale duplicate. Let the host
    update its object (it does so at startup) or delete the wrong object. A member without an
    object has lost its trust: rejoin it to the domain.
    Source: Microsoft Learn, "Computer object attributes" (operatingSystem, operatingSystemVersion);
    Win32_ComputerSystem (PartOfDomain, Domain).

    Given each host and its computer object in the directory
    Then the directory and the host agree on the host's Windows release
