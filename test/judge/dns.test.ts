import { describe, it } from "node:test";
import assert from "node:assert/strict";
import type { HostFacts } from "../../src/model/facts";
import type { InventoryCluster } from "../../src/model/inventory";
import { judgeNoPendingDnsSuffixChange, judgePrimaryDnsSuffixPresent, judgeSearchListHoldsClusterDomains } from "../../src/judge/dns";
import { clusterCtx, expectStatus, hostCtx, hostFacts, ok, probesOf, unreadable, workgroupCluster } from "../helpers/host-facts";

const tcpip = (domain: string | null, nvDomain: string | null = domain) => ok("tcpipParameters", { hostname: "hv01", domain, nvDomain });
const policy = (primaryDnsSuffix: string | null, nvPrimaryDnsSuffix: string | null = null) =>
  ok("dnsClientPolicy", { primaryDnsSuffix, nvPrimaryDnsSuffix });

describe("HP-DNS-001 judgePrimaryDnsSuffixPresent", () => {
  it("passes on the local suffix and says where it came from", () => {
    const j = expectStatus(judgePrimaryDnsSuffixPresent(hostCtx(hostFacts("hv01"))), "passed");
    assert.match(j.actual, /hv\.example\.net, from the local setting/);
    assert.deepEqual(probesOf(j), ["hv01/dnsClientPolicy", "hv01/tcpipParameters"]);
  });

  it("passes on a Group Policy suffix, which overrides an empty local one", () => {
    const facts = hostFacts("hv01", { dnsClientPolicy: policy("corp.example.com"), tcpipParameters: tcpip(null) });
    const j = expectStatus(judgePrimaryDnsSuffixPresent(hostCtx(facts)), "passed");
    assert.match(j.actual, /corp\.example\.com, set by Group Policy/);
    assert.deepEqual(probesOf(j), ["hv01/dnsClientPolicy"]);
  });

  it("prefers the policy suffix over a different local one", () => {
    const facts = hostFacts("hv01", { dnsClientPolicy: policy("corp.example.com"), tcpipParameters: tcpip("hv.example.net") });
    const j = expectStatus(judgePrimaryDnsSuffixPresent(hostCtx(facts)), "passed");
    assert.match(j.actual, /corp\.example\.com/);
  });

  it("does not need TCP/IP parameters when the policy sets the suffix", () => {
    const facts = hostFacts("hv01", { dnsClientPolicy: policy("corp.example.com"), tcpipParameters: unreadable("tcpipParameters") });
    expectStatus(judgePrimaryDnsSuffixPresent(hostCtx(facts)), "passed");
  });

  it("fails when neither policy nor local setting holds a suffix", () => {
    const j = expectStatus(judgePrimaryDnsSuffixPresent(hostCtx(hostFacts("hv01", { tcpipParameters: tcpip(null) }))), "failed");
    assert.match(j.actual, /no primary DNS suffix/);
  });

  it("treats empty and blank strings as no suffix", () => {
    const facts = hostFacts("hv01", { dnsClientPolicy: policy("  "), tcpipParameters: tcpip("") });
    expectStatus(judgePrimaryDnsSuffixPresent(hostCtx(facts)), "failed");
  });

  it("notes a staged NV PrimaryDnsSuffix policy without judging on it", () => {
    const facts = hostFacts("hv01", { dnsClientPolicy: policy(null, "next.example.com"), tcpipParameters: tcpip(null) });
    const j = expectStatus(judgePrimaryDnsSuffixPresent(hostCtx(facts)), "failed");
    assert.equal(j.details?.[0]?.outcome, "info");
    assert.match(j.details![0]!.actual, /next\.example\.com/);
  });

  it("is undetermined when the policy cannot be read, even if a local suffix exists", () => {
    const facts = hostFacts("hv01", { dnsClientPolicy: unreadable("dnsClientPolicy", "access-denied") });
    const j = expectStatus(judgePrimaryDnsSuffixPresent(hostCtx(facts)), "undetermined");
    assert.equal(j.reason?.kind, "access-denied");
    assert.match(j.reason!.message, /hv01: probe dnsClientPolicy/);
    assert.deepEqual(probesOf(j), ["hv01/dnsClientPolicy"]);
  });

  it("is undetermined when no policy is set and TCP/IP parameters cannot be read", () => {
    const facts = hostFacts("hv01", { tcpipParameters: unreadable("tcpipParameters", "malformed", "not JSON") });
    const j = expectStatus(judgePrimaryDnsSuffixPresent(hostCtx(facts)), "undetermined");
    assert.equal(j.reason?.kind, "malformed");
    assert.deepEqual(probesOf(j), ["hv01/dnsClientPolicy", "hv01/tcpipParameters"]);
  });
});

describe("HP-DNS-002 judgeNoPendingDnsSuffixChange", () => {
  it("passes when Domain equals NV Domain", () => {
    const j = expectStatus(judgeNoPendingDnsSuffixChange(hostCtx(hostFacts("hv01"))), "passed");
    assert.equal(j.actual, "Domain = hv.example.net, NV Domain = hv.example.net");
    assert.deepEqual(probesOf(j), ["hv01/tcpipParameters"]);
  });

  it("compares case-insensitively and ignores a trailing dot", () => {
    expectStatus(judgeNoPendingDnsSuffixChange(hostCtx(hostFacts("hv01", { tcpipParameters: tcpip("htb.local", "HTB.LOCAL") }))), "passed");
    expectStatus(judgeNoPendingDnsSuffixChange(hostCtx(hostFacts("hv01", { tcpipParameters: tcpip("htb.local.", "htb.local") }))), "passed");
  });

  it("treats null and empty as equal (no suffix now, none pending)", () => {
    expectStatus(judgeNoPendingDnsSuffixChange(hostCtx(hostFacts("hv01", { tcpipParameters: tcpip(null, "") }))), "passed");
    expectStatus(judgeNoPendingDnsSuffixChange(hostCtx(hostFacts("hv01", { tcpipParameters: tcpip(null, null) }))), "passed");
  });

  it("fails a pending change and words it for an auditor", () => {
    const j = expectStatus(judgeNoPendingDnsSuffixChange(hostCtx(hostFacts("hv01", { tcpipParameters: tcpip("a.example", "b.example") }))), "failed");
    assert.equal(j.actual, "Domain = a.example, NV Domain = b.example: a change is pending until restart");
  });

  it("fails a suffix being added or removed at restart", () => {
    expectStatus(judgeNoPendingDnsSuffixChange(hostCtx(hostFacts("hv01", { tcpipParameters: tcpip(null, "b.example") }))), "failed");
    const j = expectStatus(judgeNoPendingDnsSuffixChange(hostCtx(hostFacts("hv01", { tcpipParameters: tcpip("a.example", null) }))), "failed");
    assert.match(j.actual, /NV Domain = \(none\)/);
  });

  it("is undetermined when TCP/IP parameters cannot be read", () => {
    const j = expectStatus(
      judgeNoPendingDnsSuffixChange(hostCtx(hostFacts("hv01", { tcpipParameters: unreadable("tcpipParameters", "timeout") }))),
      "undetermined",
    );
    assert.equal(j.reason?.kind, "timeout");
    assert.deepEqual(probesOf(j), ["hv01/tcpipParameters"]);
  });
});

describe("HP-DNS-003 judgeSearchListHoldsClusterDomains", () => {
  const cluster: InventoryCluster = {
    name: "HVCLU2",
    type: "multi-domain",
    nodes: ["hv01", "hv02"],
    adminAccount: "clusadmin",
    domains: ["a.example", "b.example"],
  };
  const withList = (name: string, list: string[]): HostFacts =>
    hostFacts(name, { dnsClientGlobalSetting: ok("dnsClientGlobalSetting", { suffixSearchList: list, useSuffixSearchList: true, useDevolution: true }) });

  it("passes when every node's search list holds every domain", () => {
    const j = expectStatus(
      judgeSearchListHoldsClusterDomains(clusterCtx(cluster, [withList("hv01", ["a.example", "b.example"]), withList("hv02", ["b.example", "a.example", "c.example"])])),
      "passed",
    );
    assert.equal(j.details?.length, 2);
    assert.ok(j.details!.every((d) => d.outcome === "ok"));
    assert.deepEqual(probesOf(j), ["hv01/dnsClientGlobalSetting", "hv02/dnsClientGlobalSetting"]);
  });

  it("compares case-insensitively and ignores a trailing dot", () => {
    const c: InventoryCluster = { ...cluster, domains: ["htb.local", "B.Example."] };
    expectStatus(judgeSearchListHoldsClusterDomains(clusterCtx(c, [withList("hv01", ["HTB.LOCAL", "b.example"]), withList("hv02", ["htb.local.", "B.EXAMPLE"])])), "passed");
  });

  it("fails and names each node's missing suffixes", () => {
    const j = expectStatus(
      judgeSearchListHoldsClusterDomains(clusterCtx(cluster, [withList("hv01", ["a.example", "b.example"]), withList("hv02", ["b.example"])])),
      "failed",
    );
    assert.match(j.actual, /hv02: missing a\.example/);
    const row = j.details!.find((d) => d.subject === "hv02")!;
    assert.equal(row.outcome, "deviation");
    assert.equal(row.actual, "missing a.example");
  });

  it("fails an empty search list", () => {
    const j = expectStatus(judgeSearchListHoldsClusterDomains(clusterCtx(cluster, [withList("hv01", []), withList("hv02", ["a.example", "b.example"])])), "failed");
    assert.match(j.actual, /hv01: missing a\.example, b\.example/);
  });

  it("is undetermined when a node cannot be read and no other node deviates", () => {
    const hv02 = hostFacts("hv02", { dnsClientGlobalSetting: unreadable("dnsClientGlobalSetting", "not-supported", "Get-DnsClientGlobalSetting is not recognized") });
    const j = expectStatus(judgeSearchListHoldsClusterDomains(clusterCtx(cluster, [withList("hv01", ["a.example", "b.example"]), hv02])), "undetermined");
    assert.equal(j.reason?.kind, "not-supported");
    assert.match(j.reason!.message, /hv02: probe dnsClientGlobalSetting/);
    assert.equal(j.details!.find((d) => d.subject === "hv02")!.outcome, "unreadable");
  });

  it("fails when one node deviates even though another cannot be read, and still lists the unreadable node", () => {
    const hv02 = hostFacts("hv02", { dnsClientGlobalSetting: unreadable("dnsClientGlobalSetting") });
    const j = expectStatus(judgeSearchListHoldsClusterDomains(clusterCtx(cluster, [withList("hv01", ["a.example"]), hv02])), "failed");
    assert.equal(j.details!.find((d) => d.subject === "hv02")!.outcome, "unreadable");
  });

  it("reports an inventory node without facts as not collected", () => {
    const c: InventoryCluster = { ...cluster, nodes: ["hv01", "hv02", "hv03"] };
    const j = expectStatus(
      judgeSearchListHoldsClusterDomains(clusterCtx(c, [withList("hv01", ["a.example", "b.example"]), withList("hv02", ["a.example", "b.example"])])),
      "undetermined",
    );
    assert.equal(j.reason?.kind, "not-collected");
    assert.match(j.reason!.message, /hv03/);
  });

  it("is notApplicable for workgroup and single-domain clusters", () => {
    const nodes = [withList("hv01", []), withList("hv02", [])];
    expectStatus(judgeSearchListHoldsClusterDomains(clusterCtx(workgroupCluster(["hv01", "hv02"]), nodes)), "notApplicable");
    const j = expectStatus(
      judgeSearchListHoldsClusterDomains(clusterCtx({ name: "HVCLU3", type: "single-domain", nodes: ["hv01", "hv02"] }, nodes)),
      "notApplicable",
    );
    assert.deepEqual(j.evidence, []);
  });

  it("is undetermined (not-verifiable) when the inventory lists no domains", () => {
    const c: InventoryCluster = { ...cluster, domains: [] };
    const j = expectStatus(judgeSearchListHoldsClusterDomains(clusterCtx(c, [withList("hv01", ["a.example"])])), "undetermined");
    assert.equal(j.reason?.kind, "not-verifiable");
  });
});
