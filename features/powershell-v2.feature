@area:powershell @powershell-v2
Feature: The PowerShell 2.0 engine cannot be used to escape PowerShell's defences
  Windows PowerShell 2.0 has no script block logging, no AMSI and no constrained language mode.
  Anyone who can start `powershell -Version 2` runs PowerShell that none of them sees. Microsoft
  deprecated the engine in 2017 and removed it from Windows 11 24H2 (August 2025 update) and
  Windows Server 2025 (September 2025 update); older Windows keeps it as a feature to turn off.

  @stig:WN16-00-000420/V-224859/CAT-II/SV-224859r958478_rule @stig:WN19-00-000410/V-205685/CAT-II/SV-205685r958478_rule
  @stig:WN22-00-000410/V-254278/CAT-II/SV-254278r958478_rule @stig:WN25-00-000410/V-278026/CAT-II/SV-278026r1180784_rule
  @cci:CCI-000381 @nist:CM-7.a
  @HP-PS2-001 @severity:high
  Scenario: The Windows PowerShell 2.0 engine is removed or disabled
    Rationale: A downgrade to the 2.0 engine hides an attacker's PowerShell from script block
    logging and antimalware scanning; DISA STIG flags the engine on Windows Server. On servers the
    feature PowerShell-V2 is judged, on workstations the optional features
    MicrosoftWindowsPowerShellV2Root and MicrosoftWindowsPowerShellV2; where Microsoft removed the
    engine the control passes and says so.
    Remediation: Uninstall-WindowsFeature -Name PowerShell-V2 (servers); Disable-WindowsOptionalFeature -Online -FeatureName MicrosoftWindowsPowerShellV2Root -NoRestart (workstations)
    Source: Microsoft, "Windows PowerShell 2.0 deprecation" (PowerShell team blog, 2017-08-24); KB5065506 "PowerShell 2.0 removal from Windows"; DISA Windows Server STIG ("Windows PowerShell 2.0 must not be installed").

    Given each host
    Then the Windows PowerShell 2.0 engine is removed or disabled
