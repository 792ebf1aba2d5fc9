/**
 * An estate whose hosts are live (ssh), for runs whose round trips a test answers itself: the
 * inventory as writeEstate writes it, each host given an address, the ssh transport and a
 * credential, and a snapshot for any of its hosts as the collector would return it.
 */
import { readFileSync, writeFileSync } from "node:fs";
import type { Snapshot } from "../../src/model/snapshot";
import type { ProbeId } from "../../src/probes/catalog";
import type { GenericProbe } from "../../src/probes/generic";
import { buildSnapshot, resolveEstate, writeEstate, type EstateSpec } from "./snapshot-builder";

/** Writes the estate into `dir` with every host live; returns the inventory's path. */
export function writeLiveEstate(dir: string, estate: EstateSpec): string {
  const inventory = writeEstate(dir, estate);
  const inv = JSON.parse(readFileSync(inventory, "utf8")) as { hosts: Record<string, unknown>[]; credentials?: unknown[] };
  inv.credentials = [{ name: "audit", username: "auditor", keyFile: "/keys/id_ed25519" }];
  inv.hosts = inv.hosts.map((h) => ({ name: h.name, address: `${String(h.name)}.lab.test`, transport: "ssh", credential: "audit" }));
  writeFileSync(inventory, JSON.stringify(inv));
  return inventory;
}

/**
 * The snapshot a host of the estate answers with: only the probes asked for, as on a real run.
 * The specs are resolved as writeEstate completes them (cluster facts on nodes), so a live host
 * and the same host given as a snapshot file are one host.
 */
export function liveAnswers(estate: EstateSpec): (host: string, probes: readonly ProbeId[], generic: readonly GenericProbe[]) => Snapshot {
  const specs = new Map(resolveEstate(estate).map((s) => [s.name, s] as const));
  return (host, probes, generic) => {
    const full = buildSnapshot(specs.get(host)!, { generic });
    return { ...full, probes: Object.fromEntries([...probes, ...generic.map((g) => g.id)].map((p) => [p, full.probes[p as keyof typeof full.probes]!])) } as Snapshot;
  };
}
