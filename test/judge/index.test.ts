import { describe, it } from "node:test";
import assert from "node:assert/strict";
import type { FactProblemKind, HostFacts } from "../../src/model/facts";
import type { InventoryCluster } from "../../src/model/inventory";
import type { ProbeRecord } from "../../src/model/snapshot";
import { CHECKS } from "../../src/controls/checks";
import { PROBE_IDS } from "../../src/probes/catalog";
import { uniqueProbes } from "../../src/probes/generic";
import { JUDGES } from "../../src/judge";
import {
  accountNamePart,
  isBuiltInAdministratorSid,
  normalizeDnsName,
  sameAccountName,
  sameDnsName,
  undeterminedFromFact,
} from "../../src/judge/common";
import { clusterCtx, hostCtx, hostFacts, unreadable, workgroupCluster } from "../helpers/host-facts";

const CONTROL_IDS = [
  "HP-CLU-001", "HP-CLU-002", "HP-CLU-003", "HP-CLU-004", "HP-CLU-005", "HP-CLU-006", "HP-CLU-007", "HP-CLU-008",
  "HP-UAC-001", "HP-DNS-001", "HP-DNS-002", "HP-DNS-003", "HP-EOS-001", "HP-EOS-002", "HP-EOS-003", "HP-NIC-001",
  "HP-PS2-001", "HP-WU-001", "HP-CNT-001", "HP-CNT-002", "HP-HV-001", "HP-HV-002", "HP-DIR-001", "HP-DIR-002", "HP-DIR-003",
];
const CLUSTER_CONTROLS = ["HP-CLU-003", "HP-CLU-004", "HP-CLU-006", "HP-CLU-007", "HP-CLU-008", "HP-DNS-003"];
/** Judged over the directory snapshot, not over host facts (test/judge/directory.test.ts). */
const DIRECTORY_CONTROLS = ["HP-DIR-001", "HP-DIR-002"];
const HOST_FACT_CONTROLS = CONTROL_IDS.filter((id) => !DIRECTORY_CONTROLS.includes(id));

/** Every generic probe a built-in check reads (the records a judge reads them from). */
const GENERIC_IDS: readonly string[] = uniqueProbes(CHECKS.flatMap((c) => c.generic ?? [])).map((p) => p.id);

/** A host on which nothing at all could be read: the built-in probes' facts and the generic probes' records. */
function blind(name: string, kind: Exclude<FactProblemKind, "inconsistent">): HostFacts {
  const facts = hostFacts(name);
  const out: Record<string, unknown> = { ...facts };
  for (const probe of PROBE_IDS) out[probe] = unreadable(probe, kind, "simulated");
  const record = (): ProbeRecord | undefined =>
    kind === "not-collected" ? undefined
    : kind === "malformed" ? { command: "(test)", startedAt: facts.collectedAt, output: 42 }
    : { command: "(test)", startedAt: facts.collectedAt, error: { kind, message: "simulated" } };
  out.records = Object.fromEntries(GENERIC_IDS.flatMap((id) => (record() ? [[id, record()]] : [])));
  return out as unknown as HostFacts;
}

describe("JUDGES", () => {
  it("maps exactly the built-in controls, with the right kind", () => {
    assert.deepEqual(Object.keys(JUDGES).sort(), [...CONTROL_IDS].sort());
    for (const id of CONTROL_IDS) {
      assert.equal(JUDGES[id]!.kind, CLUSTER_CONTROLS.includes(id) ? "cluster" : DIRECTORY_CONTROLS.includes(id) ? "directory" : "host", id);
    }
  });

  const clusters: InventoryCluster[] = [
    workgroupCluster(["hv01", "hv02"]),
    { name: "HVCLU2", type: "multi-domain", nodes: ["hv01", "hv02"], adminAccount: "clusadmin", domains: ["hv.example.net"] },
    { name: "HVCLU3", type: "single-domain", nodes: ["hv01", "hv02"] },
  ];

  for (const kind of ["access-denied", "not-collected", "malformed", "timeout"] as const) {
    it(`never passes, and never waives, when every fact is unreadable (${kind})`, () => {
      for (const cluster of [undefined, ...clusters]) {
        const nodes = [blind("hv01", kind), blind("hv02", kind)];
        for (const id of HOST_FACT_CONTROLS) {
          const entry = JUDGES[id]!;
          const j =
            entry.kind === "host"
              ? entry.judge(cluster ? hostCtx(nodes[0]!, { cluster }) : hostCtx(nodes[0]!))
              : entry.kind === "cluster"
                ? entry.judge(clusterCtx(cluster ?? clusters[0]!, nodes))
                : assert.fail(id);
          assert.notEqual(j.status, "passed", `${id} on ${cluster?.type ?? "standalone"}`);
          assert.notEqual(j.status as string, "waived");
          assert.ok(j.expected && j.actual, id);
          if (j.status === "undetermined" && j.reason?.kind !== "not-verifiable") assert.equal(j.reason?.kind, kind, id);
        }
      }
    });
  }

  it("every judgement on compliant facts fills expected and actual and names existing probes", () => {
    const nodes = [hostFacts("hv01"), hostFacts("hv02")];
    for (const cluster of clusters) {
      for (const id of HOST_FACT_CONTROLS) {
        const entry = JUDGES[id]!;
        const j = entry.kind === "host" ? entry.judge(hostCtx(nodes[0]!, { cluster })) : entry.kind === "cluster" ? entry.judge(clusterCtx(cluster, nodes)) : assert.fail(id);
        assert.ok(j.expected.length > 0 && j.actual.length > 0, id);
        for (const e of j.evidence) {
          assert.ok((PROBE_IDS as readonly string[]).includes(e.probe) || GENERIC_IDS.includes(e.probe), `${id}: ${e.probe}`);
          assert.ok(["hv01", "hv02"].includes(e.host), `${id}: ${e.host}`);
        }
      }
    }
  });
});

describe("common helpers", () => {
  it("undeterminedFromFact carries the problem kind, names host and probe, and adds the evidence ref once", () => {
    const fact = { ok: false as const, probe: "hotfixes" as const, problem: { kind: "access-denied" as const, message: "Access is denied." } };
    const j = undeterminedFromFact("hv07", fact, "the same updates on every node", { evidence: [{ host: "hv07", probe: "hotfixes" }] });
    assert.equal(j.status, "undetermined");
    assert.equal(j.reason?.kind, "access-denied");
    assert.equal(j.reason?.message, "hv07: probe hotfixes could not be read (access-denied): Access is denied.");
    assert.deepEqual(j.evidence, [{ host: "hv07", probe: "hotfixes" }]);
  });

  it("compares DNS names case-insensitively, ignoring a trailing dot, with null equal to empty", () => {
    assert.ok(sameDnsName("htb.local", "HTB.LOCAL"));
    assert.ok(sameDnsName("htb.local.", "htb.local"));
    assert.ok(sameDnsName(null, ""));
    assert.ok(!sameDnsName("a.example", "b.example"));
    assert.equal(normalizeDnsName(" Corp.Example.COM. "), "corp.example.com");
  });

  it("compares account names case-insensitively on the part after the backslash", () => {
    assert.equal(accountNamePart("HV01\\clusadmin"), "clusadmin");
    assert.ok(sameAccountName("HV01\\ClusAdmin", "clusadmin"));
    assert.ok(sameAccountName(".\\clusadmin", "CLUSADMIN"));
    assert.ok(!sameAccountName("clusadmin2", "clusadmin"));
  });

  it("recognises the built-in Administrator by RID 500 only", () => {
    assert.ok(isBuiltInAdministratorSid("S-1-5-21-1004336348-1177238915-682003330-500"));
    assert.ok(!isBuiltInAdministratorSid("S-1-5-21-1004336348-1177238915-682003330-1500"));
    assert.ok(!isBuiltInAdministratorSid("S-1-5-21-1004336348-1177238915-682003330-5001"));
  });
});
