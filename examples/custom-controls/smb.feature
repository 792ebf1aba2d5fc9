@area:smb
Feature: File sharing speaks no SMBv1
  SMBv1 has no pre-authentication integrity and was the vector of WannaCry and NotPetya. Windows
  Server 2019 and later do not install it; older hosts and in-place upgrades may still serve it.

  @ACME-SMB-001 @severity:high
  Scenario: The SMBv1 server is disabled
    Rationale: An SMBv1 server lets an attacker on the network downgrade a session and relay or
    tamper with it; the protocol was the entry point of WannaCry (MS17-010).
    Remediation: Set-SmbServerConfiguration -EnableSMB1Protocol $false -Force
    Source: Microsoft, "How to detect, enable and disable SMBv1, SMBv2, and SMBv3 in Windows" (KB2696547); CIS Microsoft Windows Server Benchmark 18.3.3.

    Given each host
    Then the CIM property "EnableSMB1Protocol" of "MSFT_SmbServerConfiguration" in "root\Microsoft\Windows\SMB" equals "False"
