/**
 * Test builders: a complete, compliant Windows Server 2019 host, so that each test overrides
 * exactly the fact it is about.
 */
import assert from "node:assert/strict";
import type { JudgedStatus, Judgement } from "../../src/model/result";
import type { AdapterPropertyFact, Fact, FactProblemKind, HostFacts } from "../../src/model/facts";
import type { InventoryCluster } from "../../src/model/inventory";
import type { ProbeId } from "../../src/probes/catalog";
import { DEFAULT_INPUTS, type ClusterContext, type HostContext, type ResolvedInputs } from "../../src/judge/context";
import { OFFLOAD_KEYWORDS } from "../../src/judge/offload-keywords";

/** The day tests judge as "today" unless they say otherwise. */
export const AS_OF = new Date("2026-11-22T09:30:00Z");

export function ok<T>(probe: ProbeId, value: T): Fact<T> {
  return { ok: true, probe, value };
}

export function unreadable<T = never>(probe: ProbeId, kind: FactProblemKind = "access-denied", message = "Access is denied."): Fact<T> {
  return { ok: false, probe, problem: { kind, message } };
}

/** A stable machine SID per host name, so SIDs differ between nodes as they do on real hosts. */
export function machineSid(host: string): string {
  let h = 0;
  for (const c of host) h = (h * 31 + c.charCodeAt(0)) >>> 0;
  return `S-1-5-21-${1000000000 + (h % 999999999)}-${2000000000 + ((h * 7) % 99999999)}-${3000000000 + ((h * 13) % 99999999)}`;
}

/** Every standardized offload keyword, disabled, for one adapter. */
export function disabledOffloads(adapter: string): AdapterPropertyFact[] {
  return OFFLOAD_KEYWORDS.map((k) => ({
    adapter,
    keyword: k.keyword,
    value: [k.disabled],
    displayName: k.keyword.slice(1),
    displayValue: k.keyword === "*JumboPacket" ? "1514" : "Disabled",
  }));
}

export function hostFacts(name: string, overrides: Partial<Omit<HostFacts, "host">> = {}): HostFacts {
  const sid = machineSid(name);
  const base: HostFacts = {
    records: {},
    windowsVersion: ok("windowsVersion", { installationType: "Server", editionId: "ServerDatacenter", currentBuild: 17763, ubr: 6414, displayVersion: null }),
    host: name,
    collectedAt: "2026-11-22T08:00:00Z",
    os: ok("os", {
      caption: "Microsoft Windows Server 2019 Datacenter",
      version: "10.0.17763",
      major: 10,
      minor: 0,
      build: 17763,
      productType: 3,
      sku: 8,
      architecture: "64-bit",
    }),
    computerSystem: ok("computerSystem", {
      name: name.toUpperCase(),
      dnsHostName: name.toLowerCase(),
      domain: "WORKGROUP",
      partOfDomain: false,
      workgroup: "WORKGROUP",
      manufacturer: "Dell Inc.",
      model: "PowerEdge R740",
    }),
    tcpipParameters: ok("tcpipParameters", { hostname: name.toLowerCase(), domain: "hv.example.net", nvDomain: "hv.example.net" }),
    dnsClientPolicy: ok("dnsClientPolicy", { primaryDnsSuffix: null, nvPrimaryDnsSuffix: null }),
    dnsClientGlobalSetting: ok("dnsClientGlobalSetting", {
      suffixSearchList: ["hv.example.net"],
      useSuffixSearchList: true,
      useDevolution: true,
    }),
    failoverClusteringFeature: ok("failoverClusteringFeature", { name: "Failover-Clustering", installed: true, installState: 1 }),
    localUsers: ok("localUsers", [
      { name: "Administrator", sid: `${sid}-500`, enabled: true },
      { name: "Guest", sid: `${sid}-501`, enabled: false },
      { name: "DefaultAccount", sid: `${sid}-503`, enabled: false },
      { name: "clusadmin", sid: `${sid}-1001`, enabled: true },
    ]),
    administratorsGroup: ok("administratorsGroup", [
      { name: `${name.toUpperCase()}\\Administrator`, sid: `${sid}-500`, objectClass: "User", principalSource: 1 },
      { name: `${name.toUpperCase()}\\clusadmin`, sid: `${sid}-1001`, objectClass: "User", principalSource: 1 },
    ]),
    uacPolicy: ok("uacPolicy", { localAccountTokenFilterPolicy: null }),
    hotfixes: ok("hotfixes", [
      { id: "KB5031361", description: "Security Update", installedOn: "2023-10-11" },
      { id: "KB5030505", description: "Update", installedOn: "2023-09-13" },
      { id: "KB5005112", description: "Security Update", installedOn: "2021-08-11" },
    ]),
    netAdapterAdvancedProperty: ok("netAdapterAdvancedProperty", [...disabledOffloads("Ethernet 1"), ...disabledOffloads("Ethernet 2")]),
    vmIntegrationServices: ok("vmIntegrationServices", []),
    cluster: ok("cluster", { name: "HVCLU1", administrativeAccessPoint: 2 }),
    clusterQuorum: ok("clusterQuorum", {
      cluster: "HVCLU1",
      quorumType: "NodeAndCloudMajority",
      witness: "cloud",
      witnessResourceType: "Cloud Witness",
      witnessResourceName: "Cloud Witness",
    }),
  };
  // A test that gives the os fact gets a CurrentVersion key that agrees with it, as a real host's
  // does: the release facts must not contradict each other unless a test says so (judge/os-release.ts).
  const os = overrides.os;
  if (os?.ok && overrides.windowsVersion === undefined) {
    const { build, productType, sku } = os.value;
    const installationType = productType === 1 ? "Client" : sku === 143 || sku === 144 ? "Nano Server" : sku === 145 || sku === 146 ? "Server Core" : "Server";
    base.windowsVersion = ok("windowsVersion", { installationType, editionId: productType === 1 ? "Professional" : "ServerDatacenter", currentBuild: build, ubr: 1, displayVersion: null });
  }
  return { ...base, ...overrides };
}

export function inputs(overrides: Partial<ResolvedInputs> = {}): ResolvedInputs {
  return {
    offloads: overrides.offloads ?? { allowed: [...DEFAULT_INPUTS.offloads.allowed] },
    endOfSupport: overrides.endOfSupport ?? { ...DEFAULT_INPUTS.endOfSupport },
    integrationServices: overrides.integrationServices ?? { allowed: [...DEFAULT_INPUTS.integrationServices.allowed] },
    updateDeferral: overrides.updateDeferral ?? { ...DEFAULT_INPUTS.updateDeferral },
  };
}

export function hostCtx(facts: HostFacts, extra: Partial<Omit<HostContext, "facts">> = {}): HostContext {
  const ctx: HostContext = { facts, inputs: extra.inputs ?? inputs(), asOf: extra.asOf ?? AS_OF };
  if (extra.cluster) ctx.cluster = extra.cluster;
  if (extra.directory) ctx.directory = extra.directory;
  return ctx;
}

export function workgroupCluster(nodes: string[], overrides: Partial<InventoryCluster> = {}): InventoryCluster {
  return { name: "HVCLU1", type: "workgroup", nodes, adminAccount: "clusadmin", ...overrides };
}

export function clusterCtx(cluster: InventoryCluster, nodes: HostFacts[], asOf: Date = AS_OF): ClusterContext {
  return { cluster, nodes, asOf };
}

/**
 * Checks what every judgement owes an auditor, then the status. Returns the judgement so a test
 * can go on to look at its text.
 */
export function expectStatus(j: Judgement, status: JudgedStatus): Judgement {
  assert.equal(j.status, status, `status ${j.status}, actual: ${j.actual}; reason: ${j.reason?.message ?? "-"}`);
  assert.ok(j.expected.trim().length > 0, "expected must be filled");
  assert.ok(j.actual.trim().length > 0, "actual must be filled");
  assert.notEqual(j.status as string, "waived");
  if (status === "undetermined" || status === "notApplicable") {
    assert.ok(j.reason, "undetermined and notApplicable judgements carry a reason");
    assert.ok(j.reason.message.trim().length > 0);
  }
  if (status === "notApplicable") assert.equal(j.reason?.kind, "not-applicable");
  if (status === "undetermined") assert.notEqual(j.reason?.kind, "not-applicable");
  return j;
}

export function probesOf(j: Judgement): string[] {
  return j.evidence.map((e) => `${e.host}/${e.probe}`);
}
