@area:updates @update-deferral
Feature: Quality updates are held back for a while before they deploy
  The practice does not install a monthly quality update on the day it is released: it waits about
  three weeks, so that a faulty update shows itself elsewhere first. On a host that takes its
  updates from Windows Update, Windows Update for Business policy holds them back
  (DeferQualityUpdates and DeferQualityUpdatesPeriodInDays, by Group Policy or by MDM). A host
  that takes its updates from WSUS or Configuration Manager keeps its delay on that server, where
  the host cannot show it: the result is not applicable and names the server. Where Group Policy
  and MDM both set a deferral, Group Policy wins: Microsoft documents that "MDM wins over Group
  Policy" does not apply to the Update policies.

  @cis:WS2019-v4.0.0/18.10.93.4.3 @cis:WS2022-v4.0.0/18.10.93.4.3 @nist-ours:SI-2
  @HP-WU-001 @severity:medium
  Scenario: Quality updates are deferred within the window, unless an update server decides
    Rationale: A quality update installed on release day reaches every host before anyone has seen
    it fail; a deferral of a week or more lets known issues surface first, and the window's upper end
    (inventory input updateDeferral, 7 to 30 days unless set) keeps security fixes from waiting too long.
    Remediation: $key = 'HKLM:\SOFTWARE\Policies\Microsoft\Windows\WindowsUpdate'
    New-Item -Path $key -Force | Out-Null
    New-ItemProperty -Path $key -Name DeferQualityUpdates -Value 1 -PropertyType DWord -Force | Out-Null
    New-ItemProperty -Path $key -Name DeferQualityUpdatesPeriodInDays -Value 14 -PropertyType DWord -Force | Out-Null
    Source: Microsoft Learn, "Configure Windows Update for Business" (Select when Quality Updates are received) and the Update policy CSP (DeferQualityUpdatesPeriodInDays); "Policy CSP - ControlPolicyConflict" (MDMWinsOverGP does not apply to the Update policy CSP); "Configure automatic updates" for WSUS (UseWUServer, WUServer).

    Given each host
    Then quality updates are deferred within the inventory's window, unless WSUS or Configuration Manager decides
