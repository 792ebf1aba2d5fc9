@area:lifecycle @end-of-support
Feature: No host runs a Windows version past, or close to, the end of its support
  A Windows version past the end of extended support gets no security updates. The dates are
  Microsoft's lifecycle dates; a host is supported until the end of its end date (UTC).

  @nist-ours:SA-22
  @HP-EOS-001 @severity:critical
  Scenario: No host runs Windows Server 2003
    Rationale: Windows Server 2003 and 2003 R2 (version 5.2) left extended support on 2015-07-14 and
    cannot run current security tooling.
    Remediation: Migrate the workload to a supported Windows Server version and decommission the host.
    Source: Microsoft Lifecycle, Windows Server 2003.

    Given each host
    Then the host does not run Windows Server 2003

  @stig:WN16-00-000110/V-224828/CAT-I/SV-224828r1059570_rule @stig:WN19-00-000100/V-205849/CAT-I/SV-205849r991589_rule
  @stig:WN22-00-000100/V-254247/CAT-II/SV-254247r991589_rule @cci:CCI-000366 @nist:CM-6.b @nist-ours:SA-22
  @HP-EOS-002 @severity:critical
  Scenario: No host is past the end of Microsoft's extended support
    Rationale: Past the end of extended support Microsoft publishes no security updates for the version.
    Every host is judged, whatever it runs: fixed-lifecycle Windows Server releases, Windows Server
    releases of the Semi-Annual Channel and the Annual Channel, Windows 10 and Windows 11 by
    edition, and Nano Server. A Nano Server host always fails: support for the Nano Server
    installation option ended on 2018-10-09, and since version 1709 Microsoft supports Nano Server
    only as a container base image, so no build of Nano Server is supported as a host's operating
    system. A host is taken for Nano Server when its edition (OperatingSystemSKU 143 or 144) or its
    InstallationType says so.
    Remediation: Upgrade the host in place or migrate its workload to a supported version. A Nano
    Server host cannot be upgraded in place: reinstall it as Windows Server (Server Core), or run
    its workload in a container on a supported container host.
    Source: Microsoft Lifecycle (fixed and modern lifecycle policies) for each Windows version; for
    Nano Server, Windows container base image lifecycle and "Changes to Nano Server in Windows Server".

    Given each host
    Then the host's Windows version is within Microsoft's extended support

  @nist-ours:SA-22
  @HP-EOS-003 @severity:low
  Scenario: No host is within the warning window before the end of its support
    Rationale: Upgrades take planning; a host whose support ends within the warning window (inventory
    input endOfSupport.warningDays, 90 days unless set) needs a plan now.
    Remediation: Schedule the upgrade or migration before the end-of-support date named in the result.
    Source: Microsoft Lifecycle (fixed lifecycle policy); Windows Server 2016 ends 2027-01-12.

    Given each host
    Then the host's end of extended support is not within the warning window
