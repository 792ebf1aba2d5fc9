/**
 * The Hyper-V integration services HP-HV-001 and HP-HV-002 check, by the GUID that ends each
 * service's Id on the host (`Microsoft:<VMId>\<GUID>`, Get-VMIntegrationService) and by the name of
 * its guest-side Windows service.
 *
 * A service's Name is localised (Takt, Zeitsynchronisierung on a German host); the GUID is the same
 * in every language. The Id has the form Microsoft documents for the Msvm_*Component classes'
 * DeviceID ("Microsoft:VMGUID\GUID": Msvm_HeartbeatComponent, Msvm_ShutdownComponent... in
 * learn.microsoft.com/windows/win32/hyperv_v2); the GUIDs themselves are not listed there. Heartbeat,
 * Key-Value Pair Exchange and Guest Service Interface are from windows-facts.md section 7; all six
 * are the ones hashicorp/vagrant matches services by (plugins/providers/hyperv/driver.rb,
 * INTEGRATION_SERVICES_MAP, there because of the same localisation problem) and
 * hashicorp/packer-plugin-hyperv enables them by (builder/hyperv/common/powershell/hyperv/hyperv.go,
 * EnableVirtualMachineIntegrationService).
 *
 * Guest services: the names Microsoft's "Managing Hyper-V integration services" lists
 * (MicrosoftDocs/Virtualization-Documentation, Get-Service -Name vm*).
 */

/** The key an inventory allowance names a service by (schemas/inventory.schema.json). */
export type IntegrationServiceKey = "Heartbeat" | "Shutdown" | "TimeSynchronization" | "KeyValuePairExchange" | "VSS" | "GuestServiceInterface";

export interface IntegrationService {
  key: IntegrationServiceKey;
  /** The English name, as an English host shows it and Enable-VMIntegrationService -Name takes it there. */
  label: string;
  /** Upper case, as compared. */
  id: string;
  /** What the host wants of it: Guest Service Interface lets the host copy files into the guest, so off. */
  wanted: "enabled" | "disabled";
  /** Why being off matters, for services whose loss is serious (windows-facts.md section 7). */
  highImpact?: string;
  /** The Windows service inside the guest. */
  guestService: string;
}

export const INTEGRATION_SERVICES: readonly IntegrationService[] = [
  { key: "Heartbeat", label: "Heartbeat", id: "84EAAE65-2F2E-45F5-9BB5-0E857DC8EB47", wanted: "enabled", guestService: "vmicheartbeat" },
  {
    key: "Shutdown",
    label: "Shutdown",
    id: "9F8233AC-BE49-4C79-8EE3-E7E1985B2077",
    wanted: "enabled",
    highImpact: "the host cannot shut the guest down cleanly: host shutdown, cluster drain and Stop-VM turn the guest off",
    guestService: "vmicshutdown",
  },
  {
    key: "TimeSynchronization",
    label: "Time Synchronization",
    id: "2497F4DE-E9FA-4204-80E4-4B75C46419C0",
    wanted: "enabled",
    highImpact: "the guest clock is not corrected after a restore, save or live migration and drifts (Kerberos fails beyond 5 minutes)",
    guestService: "vmictimesync",
  },
  { key: "KeyValuePairExchange", label: "Key-Value Pair Exchange", id: "2A34B1C2-FD73-4043-8A5B-DD2159BC743F", wanted: "enabled", guestService: "vmickvpexchange" },
  { key: "VSS", label: "VSS", id: "5CED1297-4598-4915-A5FC-AD21BB4D02A4", wanted: "enabled", guestService: "vmicvss" },
  { key: "GuestServiceInterface", label: "Guest Service Interface", id: "6C09BB55-D683-4DA0-8931-C9BF705F6480", wanted: "disabled", guestService: "vmicguestinterface" },
];

/** The guest-side services HP-HV-002 requires: those of the services the host keeps enabled. */
export const GUEST_SERVICES: readonly IntegrationService[] = INTEGRATION_SERVICES.filter((s) => s.wanted === "enabled");

/** An allowance's service (a key or a GUID, any case) is this service. */
export function namesService(allowanceService: string, service: IntegrationService): boolean {
  const wanted = allowanceService.trim().replace(/^\{|\}$/g, "").toUpperCase();
  return wanted === service.key.toUpperCase() || wanted === service.id;
}
