/**
 * Normalisers: one per probe, all with the same interface, each turning a snapshot's raw record
 * into the typed fact the judges read. None of them throws; anything unreadable becomes a fact
 * with a problem.
 */
import type { HostFacts } from "../model/facts";
import type { ProbeRecord, Snapshot } from "../model/snapshot";
import type { ProbeId } from "../probes/catalog";
import { normaliseAdministratorsGroup } from "./administratorsGroup";
import { normaliseCluster } from "./cluster";
import { normaliseClusterQuorum } from "./clusterQuorum";
import { normaliseComputerSystem } from "./computerSystem";
import { normaliseDnsClientGlobalSetting } from "./dnsClientGlobalSetting";
import { normaliseDnsClientPolicy } from "./dnsClientPolicy";
import { normaliseFailoverClusteringFeature } from "./failoverClusteringFeature";
import { normaliseHotfixes } from "./hotfixes";
import { normaliseLocalUsers } from "./localUsers";
import { normaliseNetAdapterAdvancedProperty } from "./netAdapterAdvancedProperty";
import { normaliseOs } from "./os";
import { normaliseTcpipParameters } from "./tcpipParameters";
import { normaliseUacPolicy } from "./uacPolicy";
import { normaliseWindowsVersion } from "./windowsVersion";
import { normaliseVmIntegrationServices } from "./vmIntegrationServices";

export type Normaliser<K extends ProbeId> = (record: ProbeRecord | undefined) => HostFacts[K];

export const NORMALISERS: { readonly [K in ProbeId]: Normaliser<K> } = {
  os: normaliseOs,
  computerSystem: normaliseComputerSystem,
  tcpipParameters: normaliseTcpipParameters,
  dnsClientPolicy: normaliseDnsClientPolicy,
  dnsClientGlobalSetting: normaliseDnsClientGlobalSetting,
  failoverClusteringFeature: normaliseFailoverClusteringFeature,
  localUsers: normaliseLocalUsers,
  administratorsGroup: normaliseAdministratorsGroup,
  uacPolicy: normaliseUacPolicy,
  hotfixes: normaliseHotfixes,
  netAdapterAdvancedProperty: normaliseNetAdapterAdvancedProperty,
  vmIntegrationServices: normaliseVmIntegrationServices,
  cluster: normaliseCluster,
  clusterQuorum: normaliseClusterQuorum,
  windowsVersion: normaliseWindowsVersion,
};

export function normaliseSnapshot(snapshot: Snapshot): HostFacts {
  // A snapshot read without schema validation may lack `probes`; every fact is then not-collected.
  const probes: Snapshot["probes"] = snapshot.probes ?? {};
  const fact = <K extends ProbeId>(id: K): HostFacts[K] => NORMALISERS[id](probes[id]);
  return {
    host: snapshot.host,
    collectedAt: snapshot.collectedAt,
    os: fact("os"),
    computerSystem: fact("computerSystem"),
    tcpipParameters: fact("tcpipParameters"),
    dnsClientPolicy: fact("dnsClientPolicy"),
    dnsClientGlobalSetting: fact("dnsClientGlobalSetting"),
    failoverClusteringFeature: fact("failoverClusteringFeature"),
    localUsers: fact("localUsers"),
    administratorsGroup: fact("administratorsGroup"),
    uacPolicy: fact("uacPolicy"),
    hotfixes: fact("hotfixes"),
    netAdapterAdvancedProperty: fact("netAdapterAdvancedProperty"),
    vmIntegrationServices: fact("vmIntegrationServices"),
    cluster: fact("cluster"),
    clusterQuorum: fact("clusterQuorum"),
    windowsVersion: fact("windowsVersion"),
    records: probes,
  };
}
