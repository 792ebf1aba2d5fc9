@area:containers @container-host
Feature: Windows container hosts are ready to run containers
  A container host is a host with the Containers feature installed or a container runtime service
  (docker or containerd); every other host is not applicable. A container host needs the feature,
  a runtime that runs and, on Windows Server 2016, the update the container feature needs
  (KB3176936 or a later one). Containers with Hyper-V isolation need the Hyper-V role as well.

  @nist-ours:CM-6
  @HP-CNT-001 @severity:high
  Scenario: A container host has the Containers feature, a running runtime and the update it needs
    Rationale: Without the feature or a running runtime no container starts; on Windows Server 2016
    Docker does not install or run before KB3176936 or a later update. The result names each part that
    is missing.
    Remediation: Install-WindowsFeature -Name Containers -Restart
    Start-Service -Name docker   # or containerd
    # Windows Server 2016: install the latest cumulative update (Windows Update, WSUS or Configuration Manager), then restart.
    Source: Microsoft Learn, "Windows container requirements" and "Prepare Windows operating system containers"; Microsoft Support KB3176936 (servicing stack update for Windows 10 version 1607 and Windows Server 2016, 2016-08-23); Microsoft's DockerMsftProvider ("KB3176936 or later is required for docker to work").

    Given each host
    Then a container host has the Containers feature, a running container runtime and, on Windows Server 2016, KB3176936 or later

  @nist-ours:CM-6
  @HP-CNT-002 @severity:low
  Scenario: A container host can run containers with Hyper-V isolation
    Rationale: Hyper-V isolation gives each container its own kernel, for untrusted workloads and for
    images built for another Windows version; without the Hyper-V role a container host offers process
    isolation only. A warning, not a defect: process isolation may be what is intended.
    Remediation: Install-WindowsFeature -Name Hyper-V -IncludeManagementTools -Restart
    Source: Microsoft Learn, "Isolation modes" (Windows containers) and "Windows container requirements" (Hyper-V isolation needs the Hyper-V role).

    Given each host
    Then a container host has the Hyper-V role for Hyper-V isolation
