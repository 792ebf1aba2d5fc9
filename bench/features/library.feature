@area:bench-library
Feature: Fifty checks written with the step library (the cost benchmark's features)
  Ten controls of five checks each, over 18 registry keys, 10 services and 11 Windows features:
  the shape of a team's own baseline. bench/library.ts measures what they cost.

  @ACME-SMB-001 @severity:high
  Scenario: SMB is signed and SMBv1 is off
    Rationale: The Acme baseline requires it.
    Remediation: Apply the Acme baseline GPO.
    Source: Acme Windows Server baseline 2026.

    Given each host
    Then the registry value "RequireSecuritySignature" under "HKLM\SYSTEM\CurrentControlSet\Services\LanmanServer\Parameters" is 1
    And the registry value "EnableSecuritySignature" under "HKLM\SYSTEM\CurrentControlSet\Services\LanmanServer\Parameters" is 1
    And the registry value "SMB1" under "HKLM\SYSTEM\CurrentControlSet\Services\LanmanServer\Parameters" is 0
    And the registry value "RequireSecuritySignature" under "HKLM\SYSTEM\CurrentControlSet\Services\LanmanWorkstation\Parameters" is 1
    And the Windows feature "FS-SMB1" is not installed

  @ACME-RDP-001 @severity:high
  Scenario: Remote Desktop is locked down
    Rationale: The Acme baseline requires it.
    Remediation: Apply the Acme baseline GPO.
    Source: Acme Windows Server baseline 2026.

    Given each host
    Then the registry value "UserAuthentication" under "HKLM\SYSTEM\CurrentControlSet\Control\Terminal Server\WinStations\RDP-Tcp" is 1
    And the registry value "SecurityLayer" under "HKLM\SYSTEM\CurrentControlSet\Control\Terminal Server\WinStations\RDP-Tcp" is 2
    And the registry value "MinEncryptionLevel" under "HKLM\SYSTEM\CurrentControlSet\Control\Terminal Server\WinStations\RDP-Tcp" is at least 3
    And the registry value "fDisableCdm" under "HKLM\SOFTWARE\Policies\Microsoft\Windows NT\Terminal Services" is 1
    And the registry value "fPromptForPassword" under "HKLM\SOFTWARE\Policies\Microsoft\Windows NT\Terminal Services" is 1

  @ACME-LSA-001 @severity:critical
  Scenario: Credentials are protected
    Rationale: The Acme baseline requires it.
    Remediation: Apply the Acme baseline GPO.
    Source: Acme Windows Server baseline 2026.

    Given each host
    Then the registry value "RunAsPPL" under "HKLM\SYSTEM\CurrentControlSet\Control\Lsa" is 1
    And the registry value "LmCompatibilityLevel" under "HKLM\SYSTEM\CurrentControlSet\Control\Lsa" is 5
    And the registry value "NoLMHash" under "HKLM\SYSTEM\CurrentControlSet\Control\Lsa" is 1
    And the registry value "RestrictAnonymous" under "HKLM\SYSTEM\CurrentControlSet\Control\Lsa" is 1
    And the registry value "UseLogonCredential" under "HKLM\SYSTEM\CurrentControlSet\Control\SecurityProviders\WDigest" is 0

  @ACME-LOG-001 @severity:medium
  Scenario: Event logs are large enough
    Rationale: The Acme baseline requires it.
    Remediation: Apply the Acme baseline GPO.
    Source: Acme Windows Server baseline 2026.

    Given each host
    Then the registry value "MaxSize" under "HKLM\SOFTWARE\Policies\Microsoft\Windows\EventLog\Application" is at least 32768
    And the registry value "MaxSize" under "HKLM\SOFTWARE\Policies\Microsoft\Windows\EventLog\Security" is at least 196608
    And the registry value "MaxSize" under "HKLM\SOFTWARE\Policies\Microsoft\Windows\EventLog\System" is at least 32768
    And the registry value "EnableScriptBlockLogging" under "HKLM\SOFTWARE\Policies\Microsoft\Windows\PowerShell\ScriptBlockLogging" is 1
    And the registry value "EnableModuleLogging" under "HKLM\SOFTWARE\Policies\Microsoft\Windows\PowerShell\ModuleLogging" is 1

  @ACME-WRM-001 @severity:high
  Scenario: WinRM accepts no weak authentication
    Rationale: The Acme baseline requires it.
    Remediation: Apply the Acme baseline GPO.
    Source: Acme Windows Server baseline 2026.

    Given each host
    Then the registry value "AllowBasic" under "HKLM\SOFTWARE\Policies\Microsoft\Windows\WinRM\Service" is 0
    And the registry value "AllowUnencryptedTraffic" under "HKLM\SOFTWARE\Policies\Microsoft\Windows\WinRM\Service" is 0
    And the registry value "DisableRunAs" under "HKLM\SOFTWARE\Policies\Microsoft\Windows\WinRM\Service" is 1
    And the registry value "AllowBasic" under "HKLM\SOFTWARE\Policies\Microsoft\Windows\WinRM\Client" is 0
    And the registry value "AllowDigest" under "HKLM\SOFTWARE\Policies\Microsoft\Windows\WinRM\Client" is 0

  @ACME-TLS-001 @severity:high
  Scenario: Old TLS and SSL are off
    Rationale: The Acme baseline requires it.
    Remediation: Apply the Acme baseline GPO.
    Source: Acme Windows Server baseline 2026.

    Given each host
    Then the registry value "Enabled" under "HKLM\SYSTEM\CurrentControlSet\Control\SecurityProviders\SCHANNEL\Protocols\SSL 3.0\Server" is 0
    And the registry value "Enabled" under "HKLM\SYSTEM\CurrentControlSet\Control\SecurityProviders\SCHANNEL\Protocols\TLS 1.0\Server" is 0
    And the registry value "Enabled" under "HKLM\SYSTEM\CurrentControlSet\Control\SecurityProviders\SCHANNEL\Protocols\TLS 1.1\Server" is 0
    And the registry value "Enabled" under "HKLM\SYSTEM\CurrentControlSet\Control\SecurityProviders\SCHANNEL\Protocols\TLS 1.2\Server" is 1
    And the registry value "SchUseStrongCrypto" under "HKLM\SOFTWARE\Microsoft\.NETFramework\v4.0.30319" is 1

  @ACME-SVC-001 @severity:medium
  Scenario: The services the estate relies on run
    Rationale: The Acme baseline requires it.
    Remediation: Apply the Acme baseline GPO.
    Source: Acme Windows Server baseline 2026.

    Given each host
    Then the service "W32Time" is running
    And the service "EventLog" is running
    And the service "WinDefend" is running
    And the service "MpsSvc" is running
    And the service "WinRM" has start type "Automatic"

  @ACME-SVC-002 @severity:medium
  Scenario: Services nobody needs on a server are off
    Rationale: The Acme baseline requires it.
    Remediation: Apply the Acme baseline GPO.
    Source: Acme Windows Server baseline 2026.

    Given each host
    Then the service "Spooler" has start type "Disabled"
    And the service "RemoteRegistry" has start type "Disabled"
    And the service "XblGameSave" does not exist
    And the service "SSDPSRV" does not exist
    And the service "upnphost" does not exist

  @ACME-FEA-001 @severity:medium
  Scenario: Legacy features are not installed
    Rationale: The Acme baseline requires it.
    Remediation: Apply the Acme baseline GPO.
    Source: Acme Windows Server baseline 2026.

    Given each host
    Then the Windows feature "PowerShell-V2" is not installed
    And the Windows feature "Telnet-Client" is not installed
    And the Windows feature "TFTP-Client" is not installed
    And the Windows feature "Web-Ftp-Server" is not installed
    And the Windows feature "Simple-TCPIP" is not installed

  @ACME-FEA-002 @severity:low
  Scenario: Management features are present
    Rationale: The Acme baseline requires it.
    Remediation: Apply the Acme baseline GPO.
    Source: Acme Windows Server baseline 2026.

    Given each host
    Then the Windows feature "RSAT-Clustering-PowerShell" is installed
    And the Windows feature "Windows-Defender" is installed
    And the Windows feature "NET-Framework-45-Core" is installed
    And the Windows feature "Failover-Clustering" is installed
    And the Windows feature "Hyper-V-PowerShell" is installed
