/**
 * The simulated estate the live bench collects from: the bench generator's host specs (clusters of
 * 2-16 nodes of several types, standalone servers, deviations), each turned into a host
 * description for the stand-in module and placed on its own loopback address.
 *
 * The plan records, per host, what its snapshot must say about itself (computer name, domain, OS
 * version and caption). Every computer name is unique, so a snapshot that carries another host's
 * data, as the old serial bench's did when a reused session kept the first host loaded, is caught.
 */
import { writeFileSync } from "node:fs";
import type { FakedCmdlet, CmdletBehaviour } from "../../test/pwsh/fake-host";
import { toFakeHost, writeFakeHost } from "../../test/pwsh/fake-host";
import { resolveEstate, type HostSpec } from "../../test/helpers/snapshot-builder";
import type { LoopbackEstate } from "../../test/ssh/loopback-sshd";
import type { ProbeId } from "../../src/probes/catalog";
import { generateSpecs } from "../generate";

/** What a host's own snapshot says about it. */
export interface Identity {
  computerName: string;
  domain: string;
  osVersion: string;
  caption: string;
}

export interface PlanHost {
  host: string;
  address: string;
  port: number;
  /** null: the host is stopped before the runs and must fail. */
  expect: Identity | null;
}

export interface LivePlan {
  user: string;
  keyFile: string;
  /** The estate's real host keys: the reads check them strictly. */
  knownHostsFile: string;
  hosts: PlanHost[];
}

/**
 * The generator's probe failures, as the cmdlet behaviour that produces them on the stand-in (a
 * failure belongs to a cmdlet there, see fake-host.ts). A timeout would be a cmdlet that hangs for
 * the whole run: it is dropped.
 */
const CMDLET_OF: Partial<Record<ProbeId, FakedCmdlet>> = {
  netAdapterAdvancedProperty: "Get-NetAdapterAdvancedProperty",
  hotfixes: "Get-HotFix",
  administratorsGroup: "Get-LocalGroupMember",
  localUsers: "Get-LocalUser",
  clusterQuorum: "Get-ClusterQuorum",
};

function simulable(spec: HostSpec): { spec: HostSpec; cmdlets: Partial<Record<FakedCmdlet, CmdletBehaviour>> } {
  const cmdlets: Partial<Record<FakedCmdlet, CmdletBehaviour>> = {};
  for (const [probe, error] of Object.entries(spec.probeErrors ?? {})) {
    const cmdlet = CMDLET_OF[probe as ProbeId];
    if (cmdlet === undefined || error === undefined) continue;
    if (error.kind === "access-denied") cmdlets[cmdlet] = "access-denied";
    else if (error.kind === "other") cmdlets[cmdlet] = "invalid-operation";
  }
  // Windows Server 2003 has no PowerShell to reach over SSH: simulate a current standalone instead.
  const base: HostSpec = spec.legacy2003 ? { name: spec.name, os: { version: "10.0.17763" }, clusteringInstalled: false } : spec;
  return { spec: { ...base, probeErrors: undefined }, cmdlets };
}

/**
 * Writes one host description per estate address and returns the plan. The last `stopped` hosts
 * are left out of the run on purpose (the caller stops them) and expected to fail.
 */
export function writeSimulatedEstate(estate: LoopbackEstate, seed: number, stopped: number, planFile: string): LivePlan {
  const specs = resolveEstate(generateSpecs({ hosts: estate.hosts.length, seed }));
  const hosts = specs.map((raw, i): PlanHost => {
    const { address, port } = estate.hosts[i];
    const { spec, cmdlets } = simulable(raw);
    const fake = toFakeHost(spec, cmdlets);
    writeFakeHost(estate.hostFile(address), fake);
    const meantToFail = i >= specs.length - stopped;
    const expect: Identity = {
      computerName: fake.computerName,
      domain: String(fake.computerSystem.Domain),
      osVersion: String(fake.os.Version),
      caption: String(fake.os.Caption),
    };
    return { host: spec.name, address, port, expect: meantToFail ? null : expect };
  });
  const plan: LivePlan = { user: estate.user, keyFile: estate.keyFile, knownHostsFile: estate.knownHostsFile, hosts };
  writeFileSync(planFile, JSON.stringify(plan));
  return plan;
}
