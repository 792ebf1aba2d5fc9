@area:lifecycle @end-of-support
Feature: No host runs a Windows version past, or close to, the end of its support
  A Windows version past the end of extended support gets no security updates. The dates are
  Microsoft's lifecycle dates; a host is supported until the end of its end date (UTC).

  @HP-EOS-001 @severity:critical
  Scenario: No host runs Windows Server 2003
    Rationale: Windows Server 2003 and 2003 R2 (version 5.2) left extended support on 2015-07-14 and
    cannot run current security tooling.
    Remediation: Migrate the workload to a supported Windows Server version and decommission the host.
    Source: Microsoft Lifecycle, Windows Server 2003.

    Given each host
    Then the host does not run Windows Server 2003

  @HP-EOS-002 @severity:critical
  Scenario: No host is past the end of Microsoft's extended support
    Rationale: Past the end of extended support Microsoft publishes no security updates for the version.
    Remediation: Upgrade the host in place or migrate its workload to a supported version.
    Source: Microsoft Lifecycle (fixed lifecycle policy) for each Windows Server version.

    Given each host
    Then the host's Windows version is within Microsoft's extended support

  @HP-EOS-003 @severity:low
  Scenario: No host is within the warning window before the end of its support
    Rationale: Upgrades take planning; a host whose support ends within the warning window (inventory
    input endOfSupport.warningDays, 90 days unless set) needs a plan now.
    Remediation: Schedule the upgrade or migration before the end-of-support date named in the result.
    Source: Microsoft Lifecycle (fixed lifecycle policy); Windows Server 2016 ends 2027-01-12.

    Given each host
    Then the host's end of extended support is not within the warning window
