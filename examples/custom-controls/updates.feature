@area:updates
Feature: The October 2024 security update is installed
  The October 2024 cumulative update for Windows Server 2022 fixes vulnerabilities exploited in the
  wild (CVE-2024-43572, CVE-2024-43573). A later cumulative update contains it.

  @ACME-UPD-001 @severity:critical
  Scenario: KB5044281 or a later cumulative update is installed
    Rationale: Each Windows cumulative update contains every earlier fix; a host without this one,
    or a later one, is open to the vulnerabilities it fixed.
    Remediation: Install the latest cumulative update through Windows Update, WSUS or Configuration Manager, then restart.
    Source: Microsoft Update Catalog, KB5044281 (2024-10-08, Windows Server 2022, OS build 20348.2762).

    Given each host running Windows build 20348
    Then the update "KB5044281" or a later cumulative update is installed:
      | KB5046616 |
      | KB5048654 |
