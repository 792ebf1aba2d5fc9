@area:powershell
Feature: The PowerShell 2.0 engine cannot be used to evade logging
  PowerShell 2.0 has no script block logging, no AMSI and no constrained language mode; an attacker
  who can start `powershell -Version 2` escapes all three.

  @ACME-PS-001 @severity:medium
  Scenario Outline: The PowerShell 2.0 engine is disabled
    Rationale: The 2.0 engine bypasses script block logging and AMSI, so a downgrade hides an
    attacker's PowerShell from the defences that later versions give.
    Remediation: Disable-WindowsOptionalFeature -Online -FeatureName MicrosoftWindowsPowerShellV2Root -NoRestart (on Server: Uninstall-WindowsFeature PowerShell-V2)
    Source: Microsoft Security Baseline for Windows Server; Microsoft, "PowerShell 2.0 removal from Windows" (KB5065506).

    Given each host
    Then the Windows optional feature "<feature>" is disabled

    Examples:
      | feature                          |
      | MicrosoftWindowsPowerShellV2Root |
      | MicrosoftWindowsPowerShellV2     |
