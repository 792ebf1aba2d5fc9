@area:network @nic-offloads
Feature: Network adapter hardware offloads are off unless allowed on purpose
  VMQ and other offloads in certified drivers and firmware have broken Hyper-V hosts. The operator
  keeps them off by default and turns one on only after verifying it, recording why in the
  inventory (offloads.allowed). A keyword an adapter does not expose is reported as not present,
  which is neither a pass nor a failure.

  @nist-ours:CM-6
  @HP-NIC-001 @severity:high
  Scenario: Hardware offloads are disabled on every adapter unless allowed on purpose
    Rationale: A misbehaving offload (VMQ, RSS, LSO, checksum, RSC, SR-IOV, encapsulation, ARP/NS
    offload) causes packet loss and host hangs that are hard to diagnose.
    Remediation: Set-NetAdapterAdvancedProperty -Name '<adapter>' -RegistryKeyword '<keyword>' -RegistryValue 0  (1514 for *JumboPacket)
    Source: Microsoft windows-driver-docs, "Standardized INF keywords" for VMQ, RSS, LSO, checksum, RSC, SR-IOV and power management offloads.

    Given each host
    Then every standardized offload keyword is disabled on every adapter, unless the inventory allows it
