/**
 * What bench/features/library.feature reads, as a compliant host has it, and the ways a host
 * drifts from it: the generated estate's hosts carry this state (spec.system), so that their
 * snapshots hold every generic probe's record and the fifty checks are judged, not undetermined.
 */
import { join } from "node:path";
import { planProbes } from "../src/controls/probe-plan";
import type { GenericProbe } from "../src/probes/generic";
import type { SystemSpec } from "../test/helpers/snapshot-builder";

export const LIBRARY_FEATURES = join(__dirname, "features");

/** The generic probes of the bench's library features, once each. */
export function libraryProbes(): GenericProbe[] {
  return planProbes(undefined, { folders: [LIBRARY_FEATURES], builtin: false }).generic;
}

const K = {
  server: "HKLM\\SYSTEM\\CurrentControlSet\\Services\\LanmanServer\\Parameters",
  workstation: "HKLM\\SYSTEM\\CurrentControlSet\\Services\\LanmanWorkstation\\Parameters",
  rdp: "HKLM\\SYSTEM\\CurrentControlSet\\Control\\Terminal Server\\WinStations\\RDP-Tcp",
  tsPolicy: "HKLM\\SOFTWARE\\Policies\\Microsoft\\Windows NT\\Terminal Services",
  lsa: "HKLM\\SYSTEM\\CurrentControlSet\\Control\\Lsa",
  wdigest: "HKLM\\SYSTEM\\CurrentControlSet\\Control\\SecurityProviders\\WDigest",
  logApp: "HKLM\\SOFTWARE\\Policies\\Microsoft\\Windows\\EventLog\\Application",
  logSec: "HKLM\\SOFTWARE\\Policies\\Microsoft\\Windows\\EventLog\\Security",
  logSys: "HKLM\\SOFTWARE\\Policies\\Microsoft\\Windows\\EventLog\\System",
  sbl: "HKLM\\SOFTWARE\\Policies\\Microsoft\\Windows\\PowerShell\\ScriptBlockLogging",
  ml: "HKLM\\SOFTWARE\\Policies\\Microsoft\\Windows\\PowerShell\\ModuleLogging",
  winrmService: "HKLM\\SOFTWARE\\Policies\\Microsoft\\Windows\\WinRM\\Service",
  winrmClient: "HKLM\\SOFTWARE\\Policies\\Microsoft\\Windows\\WinRM\\Client",
  schannel: (p: string) => `HKLM\\SYSTEM\\CurrentControlSet\\Control\\SecurityProviders\\SCHANNEL\\Protocols\\${p}\\Server`,
  dotnet: "HKLM\\SOFTWARE\\Microsoft\\.NETFramework\\v4.0.30319",
};

/** A compliant host; `drift` (0 to DRIFTS - 1) breaks one check, as about 5 % of hosts do. */
export function librarySystem(drift?: number): SystemSpec {
  const registry: Record<string, Record<string, number>> = {
    [K.server]: { RequireSecuritySignature: 1, EnableSecuritySignature: 1, SMB1: 0 },
    [K.workstation]: { RequireSecuritySignature: 1 },
    [K.rdp]: { UserAuthentication: 1, SecurityLayer: 2, MinEncryptionLevel: 3 },
    [K.tsPolicy]: { fDisableCdm: 1, fPromptForPassword: 1 },
    [K.lsa]: { RunAsPPL: 1, LmCompatibilityLevel: 5, NoLMHash: 1, RestrictAnonymous: 1 },
    [K.wdigest]: { UseLogonCredential: 0 },
    [K.logApp]: { MaxSize: 32768 },
    [K.logSec]: { MaxSize: 196608 },
    [K.logSys]: { MaxSize: 32768 },
    [K.sbl]: { EnableScriptBlockLogging: 1 },
    [K.ml]: { EnableModuleLogging: 1 },
    [K.winrmService]: { AllowBasic: 0, AllowUnencryptedTraffic: 0, DisableRunAs: 1 },
    [K.winrmClient]: { AllowBasic: 0, AllowDigest: 0 },
    [K.schannel("SSL 3.0")]: { Enabled: 0 },
    [K.schannel("TLS 1.0")]: { Enabled: 0 },
    [K.schannel("TLS 1.1")]: { Enabled: 0 },
    [K.schannel("TLS 1.2")]: { Enabled: 1 },
    [K.dotnet]: { SchUseStrongCrypto: 1 },
  };
  const services: NonNullable<SystemSpec["services"]> = [
    ...["W32Time", "EventLog", "WinDefend", "MpsSvc", "WinRM"].map((name) => ({ name })),
    { name: "Spooler", status: "Stopped" as const, startType: "Disabled" as const },
    { name: "RemoteRegistry", status: "Stopped" as const, startType: "Disabled" as const },
  ];
  const absent = ["FS-SMB1", "PowerShell-V2", "Telnet-Client", "TFTP-Client", "Web-Ftp-Server", "Simple-TCPIP"];
  const present = ["RSAT-Clustering-PowerShell", "Windows-Defender", "NET-Framework-45-Core", "Hyper-V-PowerShell"];
  const windowsFeatures = [...absent.map((name) => ({ name, installState: 0 })), ...present.map((name) => ({ name, installState: 1 }))];
  switch (drift) {
    case 0: registry[K.server]!.SMB1 = 1; break;
    case 1: registry[K.rdp]!.UserAuthentication = 0; break;
    case 2: delete registry[K.lsa]!.RunAsPPL; break;
    case 3: registry[K.logSec]!.MaxSize = 20480; break;
    case 4: registry[K.schannel("TLS 1.0")]!.Enabled = 1; break;
    case 5: services[0] = { name: "W32Time", status: "Stopped", startType: "Manual" }; break;
    case 6: services.push({ name: "upnphost" }); break;
    case 7: windowsFeatures[2] = { name: "Telnet-Client", installState: 1 }; break;
  }
  return { registry, services, windowsFeatures };
}

export const DRIFTS = 8;
