import { describe, it } from "node:test";
import assert from "node:assert/strict";
import type { ClusterQuorumFact, HostFacts, HotfixFact } from "../../src/model/facts";
import type { InventoryCluster } from "../../src/model/inventory";
import {
  judgeAdministrativeAccessPointDns,
  judgeClusterAccountOnEveryNode,
  judgeClusterAccountPasswordsMatch,
  judgeQuorumWitness,
  judgeSameHotfixes,
} from "../../src/judge/cluster";
import { clusterCtx, expectStatus, hostFacts, machineSid, ok, probesOf, unreadable, workgroupCluster } from "../helpers/host-facts";

const WG = workgroupCluster(["hv01", "hv02"]);
const MD: InventoryCluster = { name: "HVCLU2", type: "multi-domain", nodes: ["hv01", "hv02"], adminAccount: "clusadmin", domains: ["a.example", "b.example"] };
const SD: InventoryCluster = { name: "HVCLU3", type: "single-domain", nodes: ["hv01", "hv02"] };

const two = (hv02: Partial<Omit<HostFacts, "host">> = {}, hv01: Partial<Omit<HostFacts, "host">> = {}) => [hostFacts("hv01", hv01), hostFacts("hv02", hv02)];

describe("HP-CLU-003 judgeClusterAccountOnEveryNode", () => {
  it("passes when the account exists and is an administrator on every node, one row per node", () => {
    const j = expectStatus(judgeClusterAccountOnEveryNode(clusterCtx(WG, two())), "passed");
    assert.deepEqual(j.details?.map((d) => [d.subject, d.outcome]), [["hv01", "ok"], ["hv02", "ok"]]);
    assert.deepEqual(probesOf(j), ["hv01/localUsers", "hv01/administratorsGroup", "hv02/localUsers", "hv02/administratorsGroup"]);
  });

  it("matches the account name case-insensitively", () => {
    expectStatus(judgeClusterAccountOnEveryNode(clusterCtx(workgroupCluster(["hv01", "hv02"], { adminAccount: "ClusAdmin" }), two())), "passed");
  });

  it("fails a node where the account does not exist", () => {
    const j = expectStatus(
      judgeClusterAccountOnEveryNode(clusterCtx(WG, two({ localUsers: ok("localUsers", [{ name: "Administrator", sid: `${machineSid("hv02")}-500`, enabled: true }]) }))),
      "failed",
    );
    assert.match(j.actual, /hv02: no local user 'clusadmin'/);
    assert.equal(j.details!.find((d) => d.subject === "hv02")!.outcome, "deviation");
  });

  it("fails a node where the account is not in Administrators", () => {
    const sid = machineSid("hv02");
    const group = ok("administratorsGroup", [{ name: "HV02\\Administrator", sid: `${sid}-500`, objectClass: "User", principalSource: 1 }]);
    const j = expectStatus(judgeClusterAccountOnEveryNode(clusterCtx(WG, two({ administratorsGroup: group }))), "failed");
    assert.match(j.actual, /hv02: clusadmin not a member of Administrators/);
  });

  it("matches membership by SID: a domain account with the same name is someone else", () => {
    const group = ok("administratorsGroup", [{ name: "CONTOSO\\clusadmin", sid: "S-1-5-21-111-222-333-4444", objectClass: "User", principalSource: 2 }]);
    expectStatus(judgeClusterAccountOnEveryNode(clusterCtx(WG, two({ administratorsGroup: group }))), "failed");
  });

  it("falls back to the name after the backslash when the member SID is unknown (orphan-safe WMI fallback)", () => {
    const group = ok("administratorsGroup", [{ name: "HV02\\CLUSADMIN", sid: null, objectClass: "User", principalSource: null }]);
    expectStatus(judgeClusterAccountOnEveryNode(clusterCtx(WG, two({ administratorsGroup: group }))), "passed");
  });

  it("is undetermined, never passed, where whether the account is enabled was not reported", () => {
    const sid = machineSid("hv02");
    const users = ok("localUsers", [{ name: "clusadmin", sid: `${sid}-1001`, enabled: null }]);
    const j = expectStatus(judgeClusterAccountOnEveryNode(clusterCtx(WG, two({ localUsers: users }))), "undetermined");
    assert.equal(j.details!.find((d) => d.subject === "hv02")!.outcome, "unreadable");
    assert.match(j.details!.find((d) => d.subject === "hv02")!.note ?? "", /whether clusadmin is enabled is not reported/);
  });

  it("fails a disabled account", () => {
    const sid = machineSid("hv02");
    const users = ok("localUsers", [{ name: "clusadmin", sid: `${sid}-1001`, enabled: false }]);
    const j = expectStatus(judgeClusterAccountOnEveryNode(clusterCtx(WG, two({ localUsers: users }))), "failed");
    assert.match(j.actual, /disabled/);
  });

  it("is undetermined when a node cannot be read and no node fails", () => {
    const j = expectStatus(
      judgeClusterAccountOnEveryNode(clusterCtx(WG, two({ administratorsGroup: unreadable("administratorsGroup", "other", "Failed to compare two elements in the array.") }))),
      "undetermined",
    );
    assert.equal(j.reason?.kind, "other");
    assert.match(j.reason!.message, /hv02: probe administratorsGroup/);
    assert.equal(j.details!.find((d) => d.subject === "hv02")!.outcome, "unreadable");
  });

  it("is undetermined when a node's local users cannot be read, and looks no further on that node", () => {
    const j = expectStatus(judgeClusterAccountOnEveryNode(clusterCtx(WG, two({ localUsers: unreadable("localUsers", "not-supported") }))), "undetermined");
    assert.equal(j.reason?.kind, "not-supported");
    assert.deepEqual(probesOf(j), ["hv01/localUsers", "hv01/administratorsGroup", "hv02/localUsers"]);
  });

  it("fails when one node fails even though another is unreadable, and lists both", () => {
    const nodes = two(
      { localUsers: unreadable("localUsers", "access-denied") },
      { localUsers: ok("localUsers", [{ name: "Administrator", sid: `${machineSid("hv01")}-500`, enabled: true }]) },
    );
    const j = expectStatus(judgeClusterAccountOnEveryNode(clusterCtx(WG, nodes)), "failed");
    assert.deepEqual(j.details?.map((d) => d.outcome), ["deviation", "unreadable"]);
    assert.match(j.actual, /not read on hv02/);
  });

  it("is undetermined (not-verifiable) without an admin account in the inventory", () => {
    const c: InventoryCluster = { name: "HVCLU1", type: "workgroup", nodes: ["hv01", "hv02"] };
    const j = expectStatus(judgeClusterAccountOnEveryNode(clusterCtx(c, two())), "undetermined");
    assert.equal(j.reason?.kind, "not-verifiable");
  });

  it("is notApplicable for a single-domain cluster and applies to multi-domain ones", () => {
    expectStatus(judgeClusterAccountOnEveryNode(clusterCtx(SD, two())), "notApplicable");
    expectStatus(judgeClusterAccountOnEveryNode(clusterCtx(MD, two())), "passed");
  });
});

describe("HP-CLU-004 judgeClusterAccountPasswordsMatch", () => {
  it("is always undetermined (not-verifiable), never passed, with no evidence", () => {
    for (const c of [WG, MD]) {
      const j = expectStatus(judgeClusterAccountPasswordsMatch(clusterCtx(c, two())), "undetermined");
      assert.equal(j.reason?.kind, "not-verifiable");
      assert.match(j.reason!.message, /password cannot be read/);
      assert.match(j.reason!.message, /attested/);
      assert.deepEqual(j.evidence, []);
    }
  });

  it("is notApplicable for a single-domain cluster", () => {
    expectStatus(judgeClusterAccountPasswordsMatch(clusterCtx(SD, two())), "notApplicable");
  });
});

describe("HP-CLU-006 judgeAdministrativeAccessPointDns", () => {
  const aap = (value: number | null) => ({ cluster: ok("cluster", { name: "HVCLU1", administrativeAccessPoint: value }) });

  it("passes Dns (2) read on every node", () => {
    const j = expectStatus(judgeAdministrativeAccessPointDns(clusterCtx(WG, two())), "passed");
    assert.match(j.actual, /Dns \(2\), read on hv01, hv02/);
    assert.deepEqual(probesOf(j), ["hv01/cluster", "hv02/cluster"]);
    assert.ok(j.details!.every((d) => d.outcome === "ok"));
  });

  for (const [value, name] of [[0, "None"], [1, "ActiveDirectoryAndDns"], [3, "ActiveDirectory"]] as const) {
    it(`fails ${name} (${value}) and notes it cannot be changed after creation`, () => {
      const j = expectStatus(judgeAdministrativeAccessPointDns(clusterCtx(WG, two(aap(value), aap(value)))), "failed");
      assert.match(j.actual, new RegExp(`^${name} \\(${value}\\)`));
      assert.match(j.details!.find((d) => d.subject === "remediation")!.actual, /cannot be changed after the cluster is created/);
    });
  }

  it("fails when nodes disagree and says so", () => {
    const j = expectStatus(judgeAdministrativeAccessPointDns(clusterCtx(WG, two(aap(1)))), "failed");
    assert.match(j.actual, /nodes disagree: hv01 reports Dns \(2\), hv02 reports ActiveDirectoryAndDns \(1\)/);
  });

  it("uses the nodes that could read it when another could not", () => {
    const j = expectStatus(judgeAdministrativeAccessPointDns(clusterCtx(WG, two({ cluster: unreadable("cluster", "other", "ClusterEndpointNotRegistered") }))), "passed");
    assert.match(j.actual, /read on hv01$/);
    assert.equal(j.details!.find((d) => d.subject === "hv02")!.outcome, "unreadable");
  });

  it("is undetermined when no node could read it", () => {
    const bad = { cluster: unreadable<never>("cluster", "timeout") };
    const j = expectStatus(judgeAdministrativeAccessPointDns(clusterCtx(WG, two(bad, bad))), "undetermined");
    assert.equal(j.reason?.kind, "timeout");
  });

  it("is undetermined (not-verifiable) when no node reports the property", () => {
    const j = expectStatus(judgeAdministrativeAccessPointDns(clusterCtx(WG, two(aap(null), aap(null)))), "undetermined");
    assert.equal(j.reason?.kind, "not-verifiable");
  });

  it("is notApplicable for a single-domain cluster", () => {
    expectStatus(judgeAdministrativeAccessPointDns(clusterCtx(SD, two(aap(1), aap(1)))), "notApplicable");
  });
});

describe("HP-CLU-007 judgeQuorumWitness", () => {
  const quorum = (q: Partial<ClusterQuorumFact>) => ({
    clusterQuorum: ok("clusterQuorum", { cluster: null, quorumType: "NodeAndDiskMajority", witness: "disk", witnessResourceType: "Physical Disk", witnessResourceName: "Cluster Disk 1", ...q } satisfies ClusterQuorumFact),
  });
  const both = (q: Partial<ClusterQuorumFact>) => two(quorum(q), quorum(q));

  it("passes a cloud witness", () => {
    const j = expectStatus(judgeQuorumWitness(clusterCtx(WG, two())), "passed");
    assert.match(j.actual, /cloud witness/);
    assert.deepEqual(probesOf(j), ["hv01/clusterQuorum", "hv02/clusterQuorum"]);
  });

  it("passes a disk witness", () => {
    const j = expectStatus(judgeQuorumWitness(clusterCtx(MD, both({}))), "passed");
    assert.match(j.actual, /disk witness 'Cluster Disk 1'/);
  });

  it("fails a File Share Witness as unsupported", () => {
    const j = expectStatus(
      judgeQuorumWitness(clusterCtx(WG, both({ witness: "file-share", witnessResourceType: "File Share Witness", witnessResourceName: "File Share Witness" }))),
      "failed",
    );
    assert.match(j.actual, /File Share Witness is not supported for workgroup and multi-domain clusters/);
  });

  it("fails no witness", () => {
    const j = expectStatus(judgeQuorumWitness(clusterCtx(WG, both({ witness: "none", witnessResourceType: null, witnessResourceName: null }))), "failed");
    assert.equal(j.actual, "no witness");
  });

  it("fails another witness type and names it", () => {
    const j = expectStatus(judgeQuorumWitness(clusterCtx(WG, both({ witness: "other", witnessResourceType: "Storage Pool", witnessResourceName: "Pool 1" }))), "failed");
    assert.match(j.actual, /Storage Pool/);
  });

  it("fails when nodes disagree", () => {
    const j = expectStatus(judgeQuorumWitness(clusterCtx(WG, two(quorum({})))), "failed");
    assert.match(j.actual, /nodes disagree/);
  });

  it("uses the readable nodes, and is undetermined when none could read it", () => {
    expectStatus(judgeQuorumWitness(clusterCtx(WG, two({ clusterQuorum: unreadable("clusterQuorum") }))), "passed");
    const bad = { clusterQuorum: unreadable<never>("clusterQuorum", "not-found") };
    const j = expectStatus(judgeQuorumWitness(clusterCtx(WG, two(bad, bad))), "undetermined");
    assert.equal(j.reason?.kind, "not-found");
  });

  it("is notApplicable for a single-domain cluster", () => {
    expectStatus(judgeQuorumWitness(clusterCtx(SD, both({ witness: "file-share" }))), "notApplicable");
  });
});

describe("HP-CLU-008 judgeSameHotfixes", () => {
  const fixes = (...ids: string[]) => ({ hotfixes: ok("hotfixes", ids.map((id): HotfixFact => ({ id, description: "Security Update", installedOn: "2023-10-11" }))) });

  it("passes when every node has the same updates", () => {
    const j = expectStatus(judgeSameHotfixes(clusterCtx(WG, two())), "passed");
    assert.match(j.actual, /all 2 nodes have the same 3 updates/);
    assert.deepEqual(probesOf(j), ["hv01/hotfixes", "hv02/hotfixes"]);
  });

  it("applies to single-domain clusters too", () => {
    expectStatus(judgeSameHotfixes(clusterCtx(SD, two())), "passed");
  });

  it("fails and names each node's missing updates", () => {
    const j = expectStatus(judgeSameHotfixes(clusterCtx(WG, two(fixes("KB5031361", "KB5005112", "KB5032196"), fixes("KB5031361", "KB5030505")))), "failed");
    assert.deepEqual(
      j.details?.map((d) => [d.subject, d.outcome, d.actual]),
      [
        ["hv01", "deviation", "missing KB5005112, KB5032196"],
        ["hv02", "deviation", "missing KB5030505"],
      ],
    );
  });

  it("compares HotFixIDs case-insensitively", () => {
    expectStatus(judgeSameHotfixes(clusterCtx(WG, two(fixes("kb5031361"), fixes("KB5031361")))), "passed");
  });

  it("is undetermined when a node is unreadable and the others agree", () => {
    const j = expectStatus(judgeSameHotfixes(clusterCtx(WG, two({ hotfixes: unreadable("hotfixes", "access-denied") }))), "undetermined");
    assert.equal(j.reason?.kind, "access-denied");
    assert.match(j.reason!.message, /hv02: probe hotfixes/);
  });

  it("fails when another difference is found even though a node is unreadable", () => {
    const c: InventoryCluster = { ...WG, nodes: ["hv01", "hv02", "hv03"] };
    const nodes = [hostFacts("hv01", fixes("KB5031361")), hostFacts("hv02", fixes("KB5031361", "KB5030505")), hostFacts("hv03", { hotfixes: unreadable("hotfixes") })];
    const j = expectStatus(judgeSameHotfixes(clusterCtx(c, nodes)), "failed");
    assert.equal(j.details!.find((d) => d.subject === "hv03")!.outcome, "unreadable");
  });

  it("passes a one-node cluster trivially and says so", () => {
    const c: InventoryCluster = { ...WG, nodes: ["hv01"] };
    const j = expectStatus(judgeSameHotfixes(clusterCtx(c, [hostFacts("hv01")])), "passed");
    assert.match(j.actual, /only one node/);
    assert.match(j.rule ?? "", /one-node cluster/);
  });

  it("is undetermined for a one-node cluster whose node is unreadable", () => {
    const c: InventoryCluster = { ...WG, nodes: ["hv01"] };
    expectStatus(judgeSameHotfixes(clusterCtx(c, [hostFacts("hv01", { hotfixes: unreadable("hotfixes") })])), "undetermined");
  });

  it("is undetermined when the cluster has no nodes", () => {
    const c: InventoryCluster = { ...WG, nodes: [] };
    const j = expectStatus(judgeSameHotfixes(clusterCtx(c, [])), "undetermined");
    assert.equal(j.reason?.kind, "not-verifiable");
  });
});
