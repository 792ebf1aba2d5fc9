@area:rdp
Feature: Remote Desktop authenticates before it opens a session
  Network Level Authentication makes a client prove who it is before the host draws a logon screen.

  @ACME-RDP-001 @severity:high
  Scenario: Remote Desktop requires Network Level Authentication
    Rationale: Without NLA the host creates a session, and spends its resources, for anyone who
    connects, and exposes the pre-authentication code path that BlueKeep (CVE-2019-0708) attacked.
    Remediation: Set-ItemProperty -Path 'HKLM:\SYSTEM\CurrentControlSet\Control\Terminal Server\WinStations\RDP-Tcp' -Name UserAuthentication -Value 1
    Source: CIS Microsoft Windows Server Benchmark 18.10.57.3.9.4 ("Require user authentication for remote connections by using Network Level Authentication").

    Given each host
    Then the registry value "UserAuthentication" under "HKLM\SYSTEM\CurrentControlSet\Control\Terminal Server\WinStations\RDP-Tcp" is 1
