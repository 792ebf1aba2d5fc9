import { describe, it } from "node:test";
import assert from "node:assert/strict";
import type { ComputerSystemFact, HostFacts, LocalUserFact } from "../../src/model/facts";
import type { InventoryCluster } from "../../src/model/inventory";
import { judgeTokenFilterPolicyBaseline, judgeTokenFilterPolicyForClusterAccount } from "../../src/judge/token-filter";
import { expectStatus, hostCtx, hostFacts, machineSid, ok, probesOf, unreadable, workgroupCluster } from "../helpers/host-facts";

const SID = machineSid("hv01");

function node(policy: number | null, overrides: Partial<Omit<HostFacts, "host">> = {}): HostFacts {
  return hostFacts("hv01", { uacPolicy: ok("uacPolicy", { localAccountTokenFilterPolicy: policy }), ...overrides });
}

const users = (list: LocalUserFact[]) => ok("localUsers", list);

/** hostFacts' computer system (a workgroup member), changed where a test says. */
function computerSystem(change: Partial<ComputerSystemFact>): HostFacts["computerSystem"] {
  const base = hostFacts("hv01").computerSystem;
  assert.ok(base.ok);
  return ok("computerSystem", { ...base.value, ...change });
}

/** A node joined to an AD domain, as the nodes of a multi-domain cluster are. */
function member(policy: number | null, overrides: Partial<Omit<HostFacts, "host">> = {}): HostFacts {
  return node(policy, { computerSystem: computerSystem({ domain: "a.example", partOfDomain: true, workgroup: null }), ...overrides });
}

const WORKGROUP = workgroupCluster(["hv01", "hv02"]);
const MULTI_DOMAIN: InventoryCluster = {
  name: "HVCLU2",
  type: "multi-domain",
  nodes: ["hv01", "hv02"],
  adminAccount: "clusadmin",
  domains: ["a.example", "b.example"],
};
const SINGLE_DOMAIN: InventoryCluster = { name: "HVCLU3", type: "single-domain", nodes: ["hv01", "hv02"] };
const BUILT_IN = workgroupCluster(["hv01", "hv02"], { adminAccount: "Administrator" });

describe("HP-CLU-005 judgeTokenFilterPolicyForClusterAccount", () => {
  it("passes a workgroup node with a non-built-in account and the value 1", () => {
    const j = expectStatus(judgeTokenFilterPolicyForClusterAccount(hostCtx(node(1), { cluster: WORKGROUP })), "passed");
    assert.equal(j.rule, "workgroup/multi-domain cluster with non-built-in account: must be 1");
    assert.equal(j.actual, "LocalAccountTokenFilterPolicy = 1");
    assert.deepEqual(probesOf(j), ["hv01/localUsers", "hv01/uacPolicy"]);
  });

  it("passes a multi-domain node the same way", () => {
    expectStatus(judgeTokenFilterPolicyForClusterAccount(hostCtx(node(1), { cluster: MULTI_DOMAIN })), "passed");
  });

  it("fails the value 0", () => {
    const j = expectStatus(judgeTokenFilterPolicyForClusterAccount(hostCtx(node(0), { cluster: WORKGROUP })), "failed");
    assert.equal(j.actual, "LocalAccountTokenFilterPolicy = 0");
  });

  it("fails an absent value, which Windows treats as 0", () => {
    const j = expectStatus(judgeTokenFilterPolicyForClusterAccount(hostCtx(node(null), { cluster: WORKGROUP })), "failed");
    assert.equal(j.actual, "absent (treated as 0)");
  });

  it("fails any other value such as 2", () => {
    expectStatus(judgeTokenFilterPolicyForClusterAccount(hostCtx(node(2), { cluster: WORKGROUP })), "failed");
  });

  it("matches the account name case-insensitively", () => {
    const cluster = workgroupCluster(["hv01"], { adminAccount: "CLUSADMIN" });
    const j = expectStatus(judgeTokenFilterPolicyForClusterAccount(hostCtx(node(1), { cluster })), "passed");
    assert.equal(j.rule, "workgroup/multi-domain cluster with non-built-in account: must be 1");
  });

  it("is notApplicable when the cluster uses the built-in Administrator (SID -500)", () => {
    const j = expectStatus(judgeTokenFilterPolicyForClusterAccount(hostCtx(node(0), { cluster: BUILT_IN })), "notApplicable");
    assert.match(j.reason!.message, new RegExp(`built-in Administrator \\(SID ${SID}-500\\)`));
    assert.match(j.reason!.message, /HP-UAC-001 governs this node/);
    assert.deepEqual(probesOf(j), ["hv01/localUsers"]);
  });

  it("recognises a renamed built-in Administrator by its SID", () => {
    const renamed = users([
      { name: "hvadmin", sid: `${SID}-500`, enabled: true },
      { name: "Guest", sid: `${SID}-501`, enabled: false },
    ]);
    const cluster = workgroupCluster(["hv01"], { adminAccount: "HVADMIN" });
    expectStatus(judgeTokenFilterPolicyForClusterAccount(hostCtx(node(0, { localUsers: renamed }), { cluster })), "notApplicable");
  });

  it("does not take a user named Administrator for the built-in one when its SID is not -500", () => {
    const impostor = users([
      { name: "Administrator", sid: `${SID}-1005`, enabled: true },
      { name: "hvadmin", sid: `${SID}-500`, enabled: true },
    ]);
    expectStatus(judgeTokenFilterPolicyForClusterAccount(hostCtx(node(1, { localUsers: impostor }), { cluster: BUILT_IN })), "passed");
  });

  it("treats an account missing from the local users as non-built-in and says so in the rule", () => {
    const cluster = workgroupCluster(["hv01"], { adminAccount: "svc-cluster" });
    const j = expectStatus(judgeTokenFilterPolicyForClusterAccount(hostCtx(node(null), { cluster })), "failed");
    assert.match(j.rule ?? "", /must be 1/);
    assert.match(j.rule ?? "", /'svc-cluster' not found among local users; treated as non-built-in/);
  });

  it("is undetermined when the local users cannot be read", () => {
    const facts = node(1, { localUsers: unreadable("localUsers", "not-supported", "Get-LocalUser is not recognized (32-bit PowerShell)") });
    const j = expectStatus(judgeTokenFilterPolicyForClusterAccount(hostCtx(facts, { cluster: WORKGROUP })), "undetermined");
    assert.equal(j.reason?.kind, "not-supported");
    assert.match(j.reason!.message, /hv01: probe localUsers/);
    assert.deepEqual(probesOf(j), ["hv01/localUsers"]);
  });

  it("is undetermined when the UAC policy cannot be read, and never passes", () => {
    const facts = node(1, { uacPolicy: unreadable("uacPolicy", "access-denied") });
    const j = expectStatus(judgeTokenFilterPolicyForClusterAccount(hostCtx(facts, { cluster: WORKGROUP })), "undetermined");
    assert.equal(j.reason?.kind, "access-denied");
    assert.deepEqual(probesOf(j), ["hv01/localUsers", "hv01/uacPolicy"]);
  });

  it("is undetermined (not-verifiable) when the inventory names no admin account", () => {
    const cluster = workgroupCluster(["hv01"], { adminAccount: undefined });
    delete cluster.adminAccount;
    const j = expectStatus(judgeTokenFilterPolicyForClusterAccount(hostCtx(node(1), { cluster })), "undetermined");
    assert.equal(j.reason?.kind, "not-verifiable");
    assert.match(j.reason!.message, /adminAccount/);
  });

  it("is notApplicable for a standalone host and for a single-domain cluster node", () => {
    const a = expectStatus(judgeTokenFilterPolicyForClusterAccount(hostCtx(node(0))), "notApplicable");
    assert.match(a.reason!.message, /HP-UAC-001/);
    assert.deepEqual(a.evidence, []);
    const b = expectStatus(judgeTokenFilterPolicyForClusterAccount(hostCtx(node(0), { cluster: SINGLE_DOMAIN })), "notApplicable");
    assert.match(b.reason!.message, /single-domain/);
  });
});

describe("HP-UAC-001 judgeTokenFilterPolicyBaseline", () => {
  it("passes a standalone host with the value absent", () => {
    const j = expectStatus(judgeTokenFilterPolicyBaseline(hostCtx(node(null))), "passed");
    assert.equal(j.rule, "security baseline: 0 or absent (host is not a node of a workgroup or multi-domain cluster)");
    assert.equal(j.actual, "absent (treated as 0)");
    assert.equal(j.expected, "LocalAccountTokenFilterPolicy is 0 or absent (security baseline)");
    assert.deepEqual(probesOf(j), ["hv01/uacPolicy"]);
  });

  it("passes the value 0", () => {
    expectStatus(judgeTokenFilterPolicyBaseline(hostCtx(node(0))), "passed");
  });

  it("fails the value 1 on a standalone host", () => {
    const j = expectStatus(judgeTokenFilterPolicyBaseline(hostCtx(node(1))), "failed");
    assert.equal(j.actual, "LocalAccountTokenFilterPolicy = 1");
  });

  it("applies the baseline to single-domain cluster nodes", () => {
    const j = expectStatus(judgeTokenFilterPolicyBaseline(hostCtx(node(1), { cluster: SINGLE_DOMAIN })), "failed");
    assert.match(j.rule ?? "", /^security baseline: 0 or absent \(host is not a node of a workgroup or multi-domain cluster/);
  });

  it("applies the baseline when the workgroup cluster uses the built-in Administrator", () => {
    const j = expectStatus(judgeTokenFilterPolicyBaseline(hostCtx(node(1), { cluster: BUILT_IN })), "failed");
    assert.equal(j.rule, "security baseline: 0 or absent (cluster uses the built-in Administrator)");
    assert.deepEqual(probesOf(j), ["hv01/localUsers", "hv01/uacPolicy"]);
    expectStatus(judgeTokenFilterPolicyBaseline(hostCtx(node(null), { cluster: BUILT_IN })), "passed");
  });

  it("is notApplicable on a workgroup node with a non-built-in account: HP-CLU-005 governs it, the STIG rule does not apply", () => {
    const j = expectStatus(judgeTokenFilterPolicyBaseline(hostCtx(node(1), { cluster: WORKGROUP })), "notApplicable");
    assert.match(j.reason!.message, /^governed by HP-CLU-005 \(.*\); STIG WN16\/WN19\/WN22\/WN25-MS-000020 and CIS 18\.4\.1 do not apply to a node that is not domain-joined$/);
    assert.deepEqual(probesOf(j), ["hv01/localUsers", "hv01/computerSystem"]);
  });

  it("fails a domain-member node that sets 1 for its multi-domain cluster, naming the conflict (an open finding for a waiver)", () => {
    const j = expectStatus(judgeTokenFilterPolicyBaseline(hostCtx(member(1), { cluster: MULTI_DOMAIN })), "failed");
    assert.equal(j.rule, "conflict: HP-CLU-005 requires 1 on this node, STIG WN16/WN19/WN22/WN25-MS-000020 and CIS 18.4.1 require 0 on a domain-member server");
    assert.match(j.actual, /^LocalAccountTokenFilterPolicy = 1 on a domain-member node: multi-domain cluster HVCLU2 .*open finding against STIG .* until a waiver accepts the deviation$/);
    assert.deepEqual(probesOf(j), ["hv01/localUsers", "hv01/computerSystem", "hv01/uacPolicy"]);
    expectStatus(judgeTokenFilterPolicyForClusterAccount(hostCtx(member(1), { cluster: MULTI_DOMAIN })), "passed");
  });

  it("passes a domain-member node left at 0, which HP-CLU-005 fails instead: one of the two is always open", () => {
    expectStatus(judgeTokenFilterPolicyBaseline(hostCtx(member(null), { cluster: MULTI_DOMAIN })), "passed");
    expectStatus(judgeTokenFilterPolicyForClusterAccount(hostCtx(member(null), { cluster: MULTI_DOMAIN })), "failed");
  });

  it("is notApplicable on a domain controller node (the STIG rule is NA there), undetermined when membership cannot be read", () => {
    const os = hostFacts("hv01").os;
    assert.ok(os.ok);
    const dc = member(1, { os: ok("os", { ...os.value, productType: 2 }) });
    assert.match(expectStatus(judgeTokenFilterPolicyBaseline(hostCtx(dc, { cluster: MULTI_DOMAIN })), "notApplicable").reason!.message, /a node that is a domain controller$/);
    const unknown = node(1, { computerSystem: computerSystem({ partOfDomain: null }) });
    expectStatus(judgeTokenFilterPolicyBaseline(hostCtx(unknown, { cluster: MULTI_DOMAIN })), "undetermined");
    const unread = node(1, { computerSystem: unreadable("computerSystem") });
    expectStatus(judgeTokenFilterPolicyBaseline(hostCtx(unread, { cluster: MULTI_DOMAIN })), "undetermined");
  });

  it("is notApplicable on a multi-domain node whose account is not among the local users", () => {
    const cluster: InventoryCluster = { ...MULTI_DOMAIN, adminAccount: "svc-cluster" };
    const j = expectStatus(judgeTokenFilterPolicyBaseline(hostCtx(node(1), { cluster })), "notApplicable");
    assert.match(j.reason!.message, /treated as non-built-in/);
  });

  it("is undetermined on a workgroup node whose local users cannot be read", () => {
    const facts = node(0, { localUsers: unreadable("localUsers", "other", "Failed to compare two elements in the array.") });
    const j = expectStatus(judgeTokenFilterPolicyBaseline(hostCtx(facts, { cluster: WORKGROUP })), "undetermined");
    assert.equal(j.reason?.kind, "other");
    assert.deepEqual(probesOf(j), ["hv01/localUsers"]);
  });

  it("does not need the local users for a standalone host", () => {
    const facts = node(0, { localUsers: unreadable("localUsers", "not-supported") });
    expectStatus(judgeTokenFilterPolicyBaseline(hostCtx(facts)), "passed");
  });

  it("is undetermined, never passed, when the UAC policy cannot be read", () => {
    const facts = node(0, { uacPolicy: unreadable("uacPolicy", "not-collected", "no record for this probe") });
    const j = expectStatus(judgeTokenFilterPolicyBaseline(hostCtx(facts)), "undetermined");
    assert.equal(j.reason?.kind, "not-collected");
    assert.match(j.reason!.message, /hv01: probe uacPolicy/);
    assert.deepEqual(probesOf(j), ["hv01/uacPolicy"]);
  });

  it("is undetermined (not-verifiable) on a workgroup node when the inventory names no admin account", () => {
    const cluster: InventoryCluster = { name: "HVCLU1", type: "workgroup", nodes: ["hv01"] };
    const j = expectStatus(judgeTokenFilterPolicyBaseline(hostCtx(node(0), { cluster })), "undetermined");
    assert.equal(j.reason?.kind, "not-verifiable");
  });
});

describe("HP-CLU-005 and HP-UAC-001 together", () => {
  const scenarios: [string, HostFacts, InventoryCluster | undefined][] = [
    ["standalone", node(0), undefined],
    ["single-domain", node(0), SINGLE_DOMAIN],
    ["workgroup, non-built-in", node(1), WORKGROUP],
    ["multi-domain, non-built-in", node(1), MULTI_DOMAIN],
    ["workgroup, built-in", node(0), BUILT_IN],
  ];
  for (const [name, facts, cluster] of scenarios) {
    it(`exactly one of them judges the host (${name})`, () => {
      const ctx = cluster ? hostCtx(facts, { cluster }) : hostCtx(facts);
      const statuses = [judgeTokenFilterPolicyForClusterAccount(ctx).status, judgeTokenFilterPolicyBaseline(ctx).status];
      assert.equal(statuses.filter((s) => s === "notApplicable").length, 1, statuses.join(","));
      assert.ok(statuses.includes("passed"), statuses.join(","));
    });
  }
  it("on a domain-member node of a multi-domain cluster both judge it, and whatever the value, exactly one is an open finding", () => {
    for (const value of [0, 1, null]) {
      const ctx = hostCtx(member(value), { cluster: MULTI_DOMAIN });
      const statuses = [judgeTokenFilterPolicyForClusterAccount(ctx).status, judgeTokenFilterPolicyBaseline(ctx).status];
      assert.deepEqual([...statuses].sort(), ["failed", "passed"], `${value}: ${statuses.join(",")}`);
    }
  });
});
