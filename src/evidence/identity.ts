/**
 * Which machine a snapshot describes, in the words an auditor matches against a CMDB: the
 * inventory name can be an alias, so the report also shows the name the host gave itself, its
 * operating system and when it was read.
 */
import type { Parameter } from "allure-js-commons";
import { normaliseComputerSystem } from "../facts/computerSystem";
import { normaliseDnsClientPolicy } from "../facts/dnsClientPolicy";
import { normaliseOs } from "../facts/os";
import { normaliseTcpipParameters } from "../facts/tcpipParameters";
import type { Snapshot } from "../model/snapshot";

export interface HostIdentity {
  /** The inventory name (the snapshot's `host`). */
  name: string;
  /**
   * DNSHostName plus the primary DNS suffix when one is known, else DNSHostName alone; null when
   * the computerSystem probe could not be read.
   */
  fqdn: string | null;
  /** Win32_OperatingSystem Caption as reported (localised display text); null when unreadable. */
  osCaption: string | null;
  /** The version with its build as Windows reports it, e.g. `10.0.17763`; null when unreadable. */
  osBuild: string | null;
  collectedAt: string;
}

function nonEmpty(value: string | null | undefined): string | null {
  return value !== null && value !== undefined && value.trim() !== "" ? value.trim() : null;
}

/**
 * The primary DNS suffix, by the precedence Windows itself applies: Group Policy, then the local
 * TCP/IP setting; only when neither was read, the AD domain of a joined machine.
 * Win32_ComputerSystem.Domain alone would be wrong twice: it says `WORKGROUP` on the workgroup
 * cluster nodes hostproof is about (whose suffix is local), and a joined machine may have a
 * disjoint namespace. The two DNS probes are read only when the selected controls need them.
 */
function primarySuffix(snapshot: Snapshot): string | null {
  const probes = snapshot.probes ?? {};
  const policy = normaliseDnsClientPolicy(probes.dnsClientPolicy);
  const fromPolicy = policy.ok ? nonEmpty(policy.value.primaryDnsSuffix) : null;
  if (fromPolicy !== null) return fromPolicy;
  const tcpip = normaliseTcpipParameters(probes.tcpipParameters);
  if (tcpip.ok) return nonEmpty(tcpip.value.domain);
  const cs = normaliseComputerSystem(probes.computerSystem);
  return cs.ok && cs.value.partOfDomain === true ? nonEmpty(cs.value.domain) : null;
}

export function hostIdentity(snapshot: Snapshot): HostIdentity {
  const probes = snapshot.probes ?? {};
  const cs = normaliseComputerSystem(probes.computerSystem);
  const os = normaliseOs(probes.os);
  // Win32_ComputerSystem.Name is the NetBIOS name (upper case, 15 characters); DNSHostName is the
  // DNS label, absent on very old systems.
  const label = cs.ok ? (nonEmpty(cs.value.dnsHostName) ?? cs.value.name.toLowerCase()) : null;
  const suffix = label === null ? null : primarySuffix(snapshot);
  return {
    name: snapshot.host,
    fqdn: label === null ? null : suffix !== null && !label.includes(".") ? `${label}.${suffix.replace(/\.$/, "")}` : label,
    osCaption: os.ok ? nonEmpty(os.value.caption) : null,
    osBuild: os.ok ? os.value.version : null,
    collectedAt: snapshot.collectedAt,
  };
}

const UNREADABLE = "(not readable from the snapshot)";

/**
 * The identity as Allure parameters (shown on every result). They are `excluded`: Allure hashes
 * the other parameters into its history key, and an OS upgrade must not start a new history for
 * the same host and control.
 */
export function identityParameters(identity: HostIdentity): Parameter[] {
  return [
    { name: "fqdn", value: identity.fqdn ?? UNREADABLE, excluded: true },
    { name: "os", value: identity.osCaption ?? UNREADABLE, excluded: true },
    { name: "os build", value: identity.osBuild ?? UNREADABLE, excluded: true },
    { name: "collected at", value: identity.collectedAt, excluded: true },
  ];
}
