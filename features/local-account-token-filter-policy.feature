@area:uac @local-account-token-filter-policy
Feature: Remote UAC filters local administrator tokens wherever no cluster needs otherwise
  LocalAccountTokenFilterPolicy = 1 lets local administrators keep full rights over the network.
  The security baseline wants it 0 or absent. A workgroup or multi-domain cluster created with a
  local account other than the built-in Administrator needs it 1; that case is control HP-CLU-005.
  DISA's STIG rule (WNxx-MS-000020) applies to domain-member servers only: on a workgroup cluster
  node this control is not applicable, but on a domain-member node of a multi-domain cluster both
  rules apply, and a node that follows HP-CLU-005 is an open finding here until a waiver accepts it.

  @stig:WN16-MS-000020/V-225008/CAT-II/SV-225008r958518_rule @stig:WN19-MS-000020/V-205715/CAT-II/SV-205715r958518_rule
  @stig:WN22-MS-000020/V-254429/CAT-II/SV-254429r958518_rule @stig:WN25-MS-000020/V-278178/CAT-II/SV-278178r1182282_rule
  @cci:CCI-001084 @nist:SC-3 @cis:WS2019-v4.0.0/18.4.1 @cis:WS2022-v4.0.0/18.4.1
  @HP-UAC-001 @severity:high
  Scenario: LocalAccountTokenFilterPolicy is 0 or absent, and a cluster rule that requires 1 is shown as the conflict it is
    Rationale: With the value 1, a stolen local administrator password gives full remote control of
    the host (pass-the-hash over SMB and WinRM).
    Remediation: Remove-ItemProperty -Path HKLM:\SOFTWARE\Microsoft\Windows\CurrentVersion\Policies\System -Name LocalAccountTokenFilterPolicy
    Source: Microsoft Security Baseline for Windows Server ("Apply UAC restrictions to local accounts on network logons").

    Given each host
    Then LocalAccountTokenFilterPolicy is 0 or absent unless a cluster rule requires 1
