/**
 * Issue 18, class 2 (engine/snapshot-trust.ts): whether a snapshot is believably the inventory
 * host's, collected when it says. Built snapshots stand for real ones (test/helpers/snapshot-builder).
 */
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { normaliseSnapshot } from "../../src/facts";
import { clusterProblem, identityProblem, timeProblem } from "../../src/engine/snapshot-trust";
import type { Snapshot } from "../../src/model/snapshot";
import { buildSnapshot, wmi2003Command, type HostSpec } from "../helpers/snapshot-builder";

const snap = (spec: HostSpec): Snapshot => buildSnapshot(spec);
const identity = (inventoryName: string, s: Snapshot): string | undefined => identityProblem(inventoryName, normaliseSnapshot(s), s);
const NOW = new Date("2026-11-20T10:00:00Z");

describe("identity", () => {
  it("accepts the host's own snapshot by short name, FQDN and any case", () => {
    const s = snap({ name: "node1", domain: "corp.contoso.test", joinedDomain: "corp.contoso.test" });
    for (const name of ["node1", "NODE1", "node1.corp.contoso.test", "Node1.CORP.contoso.test."]) assert.equal(identity(name, s), undefined, name);
  });

  it("refuses a snapshot of another host, naming both names", () => {
    const s = snap({ name: "node1" });
    assert.match(identity("node2", s) ?? "", /names the host 'NODE1' \(computerSystem Name\), but the inventory's host is 'node2'/);
  });

  it("refuses an FQDN whose domain is none of the host's", () => {
    const s = snap({ name: "node1", domain: "emea.contoso.test", joinedDomain: "emea.contoso.test" });
    assert.match(identity("node1.corp.contoso.test", s) ?? "", /its domains are 'emea\.contoso\.test' .* none of them 'corp\.contoso\.test'/);
  });

  it("compares a NetBIOS name with the first 15 characters of a long host name", () => {
    const s = snap({ name: "hyperv-node-0001-east" });
    assert.equal(identity("hyperv-node-0001-east", s), undefined);
    assert.match(identity("hyperv-node-0001-west", s) ?? "", /the inventory's host is 'hyperv-node-0001-west'/);
  });

  it("counts every probe that names the host: the DNS host name, TCP/IP Hostname and the local accounts' HOST\\ prefix", () => {
    const base = snap({ name: "node1" });
    const edit = (probe: string, change: (o: Record<string, unknown>) => void): Snapshot => {
      const s = structuredClone(base);
      const out = (s.probes as Record<string, { output: unknown }>)[probe]!.output;
      change((Array.isArray(out) ? out[0] : out) as Record<string, unknown>);
      return s;
    };
    // A forger who fixed computerSystem's names still leaves the others.
    const fixed = (s: Snapshot): Snapshot => {
      const cs = (s.probes.computerSystem as { output: Record<string, unknown> }).output;
      cs.Name = "NODE2";
      cs.DNSHostName = "node2";
      return s;
    };
    assert.match(identity("node2", fixed(structuredClone(base))) ?? "", /'node1' \(tcpipParameters Hostname\)/);
    const tcpFixed = fixed(edit("tcpipParameters", (o) => (o.Hostname = "node2")));
    assert.match(identity("node2", tcpFixed) ?? "", /'NODE1' \(administratorsGroup member NODE1\\Administrator\)/);
  });

  it("takes a host read by WMI from elsewhere by the -ComputerName its command names", () => {
    const legacy = snap({ name: "legacy2003", legacy2003: true });
    assert.equal(identity("legacy2003", legacy), undefined);
    assert.match(identity("legacy2004", legacy) ?? "", /'legacy2003' \(the os command's -ComputerName\)/);
    assert.match(wmi2003Command("x"), /-ComputerName x/);
  });

  it("does not trust a snapshot whose names could not be read while other facts were", () => {
    const s = snap({ name: "node1", probeErrors: { computerSystem: { kind: "access-denied", message: "Access is denied." }, tcpipParameters: { kind: "access-denied", message: "Access is denied." }, localUsers: { kind: "access-denied", message: "Access is denied." } } });
    assert.match(identity("node1", s) ?? "", /none of the facts that name the host could be read \(computerSystem \(access-denied\), tcpipParameters \(access-denied\)\)/);
  });

  it("leaves a host of which nothing was read alone: its probes' own reasons stand", () => {
    const s = snap({ name: "node1" });
    for (const record of Object.values(s.probes)) {
      const r = record as unknown as Record<string, unknown>;
      delete r.output;
      r.error = { kind: "unreachable", message: "no route" };
    }
    assert.equal(identity("node1", s), undefined);
  });
});

describe("cluster membership", () => {
  it("names both clusters when a node reports another", () => {
    const facts = normaliseSnapshot(snap({ name: "n1", cluster: { name: "otherclus", type: "workgroup" } }));
    assert.match(clusterProblem({ name: "wgclus", type: "workgroup", nodes: ["n1"] }, facts) ?? "", /node of cluster 'otherclus' .* the inventory puts it in cluster 'wgclus'/);
    assert.equal(clusterProblem({ name: "OtherClus", type: "workgroup", nodes: ["n1"] }, facts), undefined);
    assert.equal(clusterProblem(undefined, facts), undefined);
  });

  it("names both clusters when the node's quorum is another cluster's, even where Get-Cluster could not be read", () => {
    const s = snap({ name: "n1", cluster: { name: "wgclus", type: "workgroup" } });
    const quorum = s.probes.clusterQuorum as { output: Record<string, unknown> };
    assert.equal(quorum.output.Cluster, "wgclus", "the builder writes the probe's Cluster projection");
    assert.equal(clusterProblem({ name: "wgclus", type: "workgroup", nodes: ["n1"] }, normaliseSnapshot(s)), undefined);
    quorum.output.Cluster = "otherclus";
    s.probes.cluster = { command: "Get-Cluster", startedAt: "2026-11-20T09:00:01Z", error: { kind: "access-denied", message: "Access is denied." } };
    assert.match(clusterProblem({ name: "wgclus", type: "workgroup", nodes: ["n1"] }, normaliseSnapshot(s)) ?? "", /node of cluster 'otherclus' \(clusterQuorum Cluster\), but the inventory puts it in cluster 'wgclus'/);
  });
});

describe("time", () => {
  const s = snap({ name: "n1", collectedAt: "2026-11-20T09:00:00Z" });

  it("accepts a snapshot from the past, and one up to 5 minutes ahead of the run's clock", () => {
    assert.equal(timeProblem(s, NOW), undefined);
    assert.equal(timeProblem(s, new Date("2026-11-20T08:56:00Z")), undefined, "4 minutes of clock difference");
  });

  it("refuses a collectedAt beyond the allowance, naming both times", () => {
    assert.match(timeProblem(s, new Date("2026-11-20T08:50:00Z")) ?? "", /collectedAt is 2026-11-20T09:00:00Z, 10 minutes after this run's clock \(2026-11-20T08:50:00\.000Z\), beyond the 5 minutes allowed/);
  });

  it("refuses a probe that started before its collection began or ran past its end", () => {
    const early = structuredClone(s);
    early.probes.os!.startedAt = "2026-11-20T08:00:00Z";
    assert.match(timeProblem(early, NOW) ?? "", /probe os started at 2026-11-20T08:00:00Z, before the collection began/);
    const late = structuredClone(s);
    late.probes.os!.durationMs = 2 * 3600_000;
    assert.match(timeProblem(late, new Date("2026-11-21T00:00:00Z")) ?? "", /probe os ran until .* after the collection that began at 2026-11-20T09:00:00Z must have ended/);
    const future = structuredClone(s);
    future.probes.os!.startedAt = "2026-11-20T09:30:00Z";
    assert.match(timeProblem(future, new Date("2026-11-20T09:10:00Z")) ?? "", /probe os started at 2026-11-20T09:30:00Z, after this run's clock/);
  });
});
