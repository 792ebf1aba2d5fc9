@area:time
Feature: Hosts keep time
  Kerberos refuses tickets from a clock more than five minutes adrift, and evidence with wrong
  timestamps cannot be correlated.

  @ACME-TIME-001 @severity:medium
  Scenario: The Windows Time service runs and starts by itself
    Rationale: A host whose Windows Time service is stopped drifts until Kerberos authentication to
    and from it fails, and its logs stop lining up with the rest of the estate.
    Remediation: Set-Service -Name W32Time -StartupType Automatic; Start-Service -Name W32Time
    Source: Microsoft, "Windows Time service tools and settings"; Kerberos maximum tolerance for computer clock synchronization (5 minutes).

    Given each host
    Then the service "W32Time" is running
    And the service "W32Time" has start type "Automatic"
