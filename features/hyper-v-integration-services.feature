@area:hyper-v @hyper-v-integration-services
Feature: Hyper-V integration services are on where they are needed, and only there
  Integration services let the host and a VM work together: the host shuts the guest down
  cleanly, keeps its clock right, sees that it is alive, exchanges data with it and takes
  consistent backups. They work only when enabled on the host and running in the guest. Guest
  Service Interface, which lets the host copy files into the guest, stays off. A service left
  off (or Guest Service Interface left on) on purpose is recorded in the inventory with the
  reason (integrationServices.allowed) and reported as allowed. Services are matched by the GUID
  ending their Id, so a host in any display language is judged the same.

  @nist-ours:CM-6 @nist-ours:CM-7
  @HP-HV-001 @severity:high
  Scenario: Every VM on a Hyper-V host has its integration services enabled, and Guest Service Interface off
    Rationale: Without Shutdown the host cannot shut a guest down cleanly (host shutdown and cluster
    drain turn it off), and without Time Synchronization a guest's clock drifts after a restore or a
    live migration until Kerberos fails; both are high impact. Heartbeat, Key-Value Pair Exchange and
    VSS give the host the guest's health, its data and application-consistent backups. Guest Service
    Interface is off by default because it lets the host write files into the guest.
    Remediation: Enable-VMIntegrationService -VMName '<vm>' -Name '<service>'  (Disable-VMIntegrationService -VMName '<vm>' -Name 'Guest Service Interface'; on a host in another language use the name the result shows, or Get-VMIntegrationService -VMName '<vm>' | Where-Object Id -like '*<GUID>' | Enable-VMIntegrationService)
    Source: Microsoft Docs, "Managing Hyper-V integration services" (MicrosoftDocs/Virtualization-Documentation) and the Enable-VMIntegrationService / Disable-VMIntegrationService cmdlet reference (Hyper-V module).

    Given each host
    Then every VM on a Hyper-V host has Heartbeat, Shutdown, Time Synchronization, Key-Value Pair Exchange and VSS enabled and Guest Service Interface disabled, unless the inventory allows it

  @nist-ours:CM-6
  @HP-HV-002 @severity:medium
  Scenario: Inside a Hyper-V VM, the integration services' guest side is present and running
    Rationale: An integration service works only if its Windows service runs in the guest as well;
    a stopped or disabled guest service silently undoes what the host enables (Shutdown and Time
    Synchronization being the high-impact ones). Physical hosts and VMs on other hypervisors are not
    applicable.
    Remediation: Set-Service -Name '<service>' -StartupType Manual; Start-Service -Name '<service>'  (the vmic* services start on demand when the host offers the service; keep the guest patched through Windows Update, which brings their updates)
    Source: Microsoft Docs, "Managing Hyper-V integration services" (MicrosoftDocs/Virtualization-Documentation): Manage integration services from the guest OS (Windows).

    Given each host
    Then inside a Hyper-V VM, the guest services of Heartbeat, Shutdown, Time Synchronization, Key-Value Pair Exchange and VSS are present and running
