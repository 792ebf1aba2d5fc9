/**
 * A finished RunReport for reporter tests: a workgroup cluster `wgclus` (node1, node2), a
 * standalone host `solo1`, results of every status, a probe that failed with access denied,
 * evidence whose record is missing, and Japanese text in adapter names and error messages.
 *
 * Results (12): passed 5, failed 3, undetermined 1, notApplicable 2, waived 1.
 * solo1 has no HP-UPD-001 result, so the terminal matrix has a blank cell. HP-EOS-001 and
 * HP-UPD-001 both cite the `os` record of node1 and node2, so evidence files are shared; the
 * cluster result cites node2's clusterQuorum, which node2's snapshot does not hold.
 */
import type { HostRecord, RunReport } from "../../src/model/run";
import type { ControlMeta, EvidenceRef, JudgedStatus, Result, Target } from "../../src/model/result";
import type { JsonValue } from "../../src/model/json";
import type { ProbeError, ProbeRecord, Snapshot } from "../../src/model/snapshot";
import { PROBES, type ProbeId } from "../../src/probes/catalog";
import type { Waiver, WaiverReport } from "../../src/model/waiver";

export const STARTED_AT = "2025-03-01T10:00:00.000Z";
export const COLLECTED_AT = "2025-02-28T22:00:00.000Z";
export const JAPANESE_ADAPTER = "イーサネット 2";
export const JAPANESE_ERROR = "アクセスが拒否されました。";

export const CONTROLS = {
  nic: {
    id: "HP-NIC-001",
    title: "Offloads that break Hyper-V networking are disabled",
    severity: "high",
    feature: "features/network/offloads.feature",
    featureName: "Network adapter offloads",
    origin: "built-in",
    tags: ["@nic", "@hyper-v"],
    rationale: "VMQ on 1 GbE adapters drops packets under load on Hyper-V hosts.",
    remediation: "Set-NetAdapterAdvancedProperty -Name 'Ethernet 2' -RegistryKeyword '*VMQ' -RegistryValue 0",
    source: "https://learn.microsoft.com/windows-server/networking/technologies/vmq/vmq",
    mappings: {
      nist: [{ id: "CM-6", ours: true }],
      stig: [{ stigId: "WN19-MS-000020", vulnId: "V-205715", cat: "II", ruleId: "SV-205715r958518_rule", platform: "Windows Server 2019" }],
      cci: ["CCI-001084"],
      cis: [{ benchmark: "WS2022", version: "4.0.0", recommendation: "18.4.1" }],
      conflicts: [],
    },
  },
  eos: {
    id: "HP-EOS-001",
    title: "The operating system is within extended support",
    severity: "critical",
    feature: "features/lifecycle/end-of-support.feature",
    featureName: "Lifecycle",
    origin: "built-in",
    tags: ["@lifecycle"],
  },
  dns: {
    id: "HP-DNS-001",
    title: "A primary DNS suffix is set",
    severity: "medium",
    feature: "features/identity/dns-suffix.feature",
    featureName: "Name resolution",
    origin: "built-in",
    tags: ["@dns"],
  },
  upd: {
    id: "HP-UPD-001",
    title: "Cluster hotfixes are installed",
    severity: "low",
    feature: "features/updates/hotfixes.feature",
    featureName: "Updates",
    origin: "built-in",
    tags: [],
  },
  clu: {
    id: "HP-CLU-001",
    title: "The cluster witness type is supported",
    severity: "medium",
    feature: "features/cluster/witness.feature",
    featureName: "Failover clustering",
    origin: "built-in",
    tags: ["@cluster"],
    mappings: {
      nist: [{ id: "SC-3", ours: false }],
      stig: [],
      cci: [],
      cis: [],
      conflicts: [{ framework: "stig", ref: { stigId: "WN22-MS-000020", vulnId: "V-254429", cat: "II", platform: "Windows Server 2022" } }],
    },
  },
} as const satisfies Record<string, ControlMeta>;

/**
 * The fixture's waiver file: the first waiver waived solo1's VMQ failure, the second expired and
 * matched nothing. The notices are what applyWaivers says of them on the fixture's as-of day.
 */
export const WAIVERS = [
  {
    id: "RISK-77",
    controlId: "HP-NIC-001",
    scope: { host: "solo1" },
    justification: "legacy NIC driver needs VMQ; replacement ordered",
    approver: "Jane Roe, CISO",
    reference: "CHG-5001",
    expires: "2025-06-30",
  },
  {
    controlId: "HP-DNS-001",
    scope: { cluster: "wgclus" },
    justification: "suffix set by the build",
    approver: "Sam Poe",
    reference: "CHG-4000",
    expires: "2025-02-01",
  },
] as const satisfies readonly Waiver[];

export function fixtureWaiverReport(): WaiverReport {
  return {
    file: "examples/demo/waivers.yaml",
    warnDays: 14,
    waivers: WAIVERS.map((w) => ({ ...w, scope: { ...w.scope } })),
    notices: [
      {
        kind: "expired",
        index: 1,
        controlId: "HP-DNS-001",
        expires: "2025-02-01",
        message: "waivers[1] (HP-DNS-001 on cluster wgclus and its nodes) expired at the end of 2025-02-01 UTC and no longer applies: no result it matches needed it. Renew the approval with a new expiry date, or remove the waiver.",
        targets: [],
      },
    ],
  };
}

/** A record as the collector writes it; `minute` spreads start times so ordering is visible. */
function record(probe: ProbeId, minute: number, body: { output: JsonValue } | { error: ProbeError }): ProbeRecord {
  return { command: PROBES[probe].command, startedAt: `2025-02-28T22:${String(minute).padStart(2, "0")}:00.000Z`, durationMs: 120 + minute, ...body };
}

function snapshot(host: string, probes: Snapshot["probes"]): Snapshot {
  return { schemaVersion: 1, host, collectedAt: COLLECTED_AT, collector: { name: "hostproof-collector", version: "0.1.0", transport: "snapshot" }, probes };
}

function hosts(): HostRecord[] {
  return [
    {
      name: "node1",
      cluster: "wgclus",
      snapshotFile: "examples/demo/snapshots/node1.json",
      snapshot: snapshot("node1", {
        os: record("os", 1, { output: { Caption: "Microsoft Windows Server 2019 Datacenter", Version: "10.0.17763", BuildNumber: "17763", ProductType: 3 } }),
        netAdapterAdvancedProperty: record("netAdapterAdvancedProperty", 2, {
          output: [
            { Name: "Ethernet 2", DisplayName: "Virtual Machine Queues", DisplayValue: "Enabled", RegistryKeyword: "*VMQ", RegistryValue: ["1"] },
            { Name: JAPANESE_ADAPTER, DisplayName: "受信側スケーリング", DisplayValue: "有効", RegistryKeyword: "*RSS", RegistryValue: ["1"] },
          ],
        }),
        hotfixes: record("hotfixes", 3, { output: [{ HotFixID: "KB5031361", Description: "Security Update", InstalledOn: null }] }),
        clusterQuorum: record("clusterQuorum", 4, {
          output: { Cluster: "wgclus", QuorumType: 1, QuorumResource: "File Share Witness", QuorumResourceType: "File Share Witness" },
        }),
      }),
    },
    {
      name: "node2",
      cluster: "wgclus",
      snapshotFile: "examples/demo/snapshots/node2.json",
      snapshot: snapshot("node2", {
        os: record("os", 5, { output: { Caption: "Microsoft Windows Server 2019 Datacenter", Version: "10.0.17763", BuildNumber: "17763", ProductType: 3 } }),
        netAdapterAdvancedProperty: record("netAdapterAdvancedProperty", 6, { output: [] }),
        hotfixes: record("hotfixes", 7, { error: { kind: "access-denied", message: `Get-HotFix : ${JAPANESE_ERROR}` } }),
      }),
    },
    {
      name: "solo1",
      snapshotFile: "examples/demo/snapshots/solo1.json",
      snapshot: snapshot("solo1", {
        os: record("os", 8, { output: { Caption: "Microsoft Windows Server 2012 R2 Standard", Version: "6.3.9600", BuildNumber: "9600", ProductType: 3 } }),
        netAdapterAdvancedProperty: record("netAdapterAdvancedProperty", 9, { output: [] }),
        tcpipParameters: record("tcpipParameters", 10, { output: { Hostname: "solo1", Domain: "corp.example", "NV Domain": "corp.example" } }),
      }),
    },
  ];
}

const node1: Target = { kind: "host", name: "node1", cluster: "wgclus" };
const node2: Target = { kind: "host", name: "node2", cluster: "wgclus" };
const solo1: Target = { kind: "host", name: "solo1" };
const wgclus: Target = { kind: "cluster", name: "wgclus", cluster: "wgclus" };

function ev(host: string, probe: ProbeId): EvidenceRef {
  return { host, probe };
}

function result(control: ControlMeta, target: Target, status: JudgedStatus, rest: Omit<Result, "control" | "target" | "status">): Result {
  return { control, target, status, ...rest };
}

function results(): Result[] {
  const { nic, eos, dns, upd, clu } = CONTROLS;
  return [
    result(nic, node1, "failed", {
      expected: "VMQ and RSS disabled on every adapter",
      actual: "*VMQ is enabled on Ethernet 2",
      rule: "1 GbE adapters",
      details: [
        { subject: "Ethernet 2 *VMQ", expected: "0", actual: "1", outcome: "deviation" },
        { subject: `${JAPANESE_ADAPTER} *RSS`, expected: "0", actual: "1", outcome: "allowed", note: "RSS kept for SMB (change CHG-1234)" },
      ],
      evidence: [ev("node1", "netAdapterAdvancedProperty")],
    }),
    result(nic, node2, "passed", { expected: "VMQ and RSS disabled on every adapter", actual: "no offload keyword enabled", evidence: [ev("node2", "netAdapterAdvancedProperty")] }),
    // A failure waived by the fixture's waiver file (see WAIVERS below).
    {
      ...result(nic, solo1, "failed", {
        expected: "VMQ and RSS disabled on every adapter",
        actual: "*VMQ is enabled on Ethernet 1",
        details: [{ subject: "Ethernet 1 *VMQ", expected: "0", actual: "1", outcome: "deviation" }],
        evidence: [ev("solo1", "netAdapterAdvancedProperty")],
      }),
      status: "waived",
      waiver: { ...WAIVERS[0]!, index: 0, runControl: true, originalStatus: "failed" },
    },
    result(eos, node1, "passed", { expected: "supported until at least 2025-05-30", actual: "Windows Server 2019: extended support until 2029-01-09", evidence: [ev("node1", "os")] }),
    result(eos, node2, "passed", { expected: "supported until at least 2025-05-30", actual: "Windows Server 2019: extended support until 2029-01-09", evidence: [ev("node2", "os")] }),
    result(eos, solo1, "failed", {
      expected: "supported until at least 2025-05-30",
      actual: "Windows Server 2012 R2: extended support ended 2023-10-10",
      evidence: [ev("solo1", "os")],
    }),
    result(dns, node1, "notApplicable", {
      expected: "a primary DNS suffix",
      actual: "not checked",
      reason: { kind: "not-applicable", message: "workgroup cluster nodes need no domain suffix" },
      evidence: [],
    }),
    result(dns, node2, "notApplicable", {
      expected: "a primary DNS suffix",
      actual: "not checked",
      reason: { kind: "not-applicable", message: "workgroup cluster nodes need no domain suffix" },
      evidence: [],
    }),
    result(dns, solo1, "passed", { expected: "a primary DNS suffix", actual: "corp.example", evidence: [ev("solo1", "tcpipParameters")] }),
    result(upd, node1, "passed", { expected: "KB5031361 installed", actual: "KB5031361 installed", evidence: [ev("node1", "os"), ev("node1", "hotfixes")] }),
    result(upd, node2, "undetermined", {
      expected: "KB5031361 installed",
      actual: "installed updates could not be read",
      reason: { kind: "access-denied", message: `Get-HotFix : ${JAPANESE_ERROR}` },
      evidence: [ev("node2", "os"), ev("node2", "hotfixes")],
    }),
    result(clu, wgclus, "failed", {
      expected: "a Cloud or Disk witness (workgroup clusters do not support File Share Witness)",
      actual: "File Share Witness",
      details: [
        { subject: "node1", expected: "Cloud Witness or Physical Disk", actual: "File Share Witness", outcome: "deviation" },
        { subject: "node2", expected: "Cloud Witness or Physical Disk", actual: "(no record)", outcome: "not-present" },
      ],
      evidence: [ev("node1", "clusterQuorum"), ev("node2", "clusterQuorum")],
    }),
  ];
}

/** A fresh report on every call, so a test may change it freely. */
export function fixtureRunReport(): RunReport {
  const all = results();
  return {
    tool: { name: "hostproof", version: "0.1.0" },
    estate: "demo & <lab>",
    inventoryFile: "examples/demo/inventory.yaml",
    startedAt: STARTED_AT,
    finishedAt: "2025-03-01T10:00:02.500Z",
    asOf: "2025-03-01",
    tags: "not @slow",
    failOn: "high",
    verdict: "non-compliant",
    exitCode: 1,
    totals: { passed: 5, failed: 3, undetermined: 1, notApplicable: 2, waived: 1, total: all.length },
    controls: Object.values(CONTROLS),
    hosts: hosts(),
    clusters: [{ name: "wgclus", type: "workgroup", nodes: ["node1", "node2"], adminAccount: "clusadmin" }],
    results: all,
    waivers: fixtureWaiverReport(),
    timings: { loadMs: 12, judgeMs: 3, writeMs: 0, reportMs: 0 },
  };
}

/**
 * A synthetic estate of `hostCount` standalone hosts × the fixture's host controls, for the
 * terminal's large-estate layout and for write benchmarks. Every 7th host fails HP-NIC-001 and
 * every 11th is undetermined for HP-UPD-001.
 */
export function largeRunReport(hostCount: number): RunReport {
  const base = fixtureRunReport();
  const template = base.hosts[0]!.snapshot;
  const { nic, eos, upd } = CONTROLS;
  const hostsOut: HostRecord[] = [];
  const resultsOut: Result[] = [];
  for (let i = 1; i <= hostCount; i++) {
    const name = `host${String(i).padStart(5, "0")}`;
    hostsOut.push({ name, snapshot: { ...template, host: name } });
    const target: Target = { kind: "host", name };
    resultsOut.push(
      result(nic, target, i % 7 === 0 ? "failed" : "passed", {
        expected: "VMQ and RSS disabled on every adapter",
        actual: i % 7 === 0 ? "*VMQ is enabled on Ethernet 2" : "no offload keyword enabled",
        details: i % 7 === 0 ? [{ subject: "Ethernet 2 *VMQ", expected: "0", actual: "1", outcome: "deviation" }] : [],
        evidence: [ev(name, "netAdapterAdvancedProperty")],
      }),
      result(eos, target, "passed", { expected: "supported", actual: "Windows Server 2019", evidence: [ev(name, "os")] }),
      i % 11 === 0
        ? result(upd, target, "undetermined", {
            expected: "KB5031361 installed",
            actual: "not read",
            reason: { kind: "timeout", message: "Get-HotFix did not answer within 60 s" },
            evidence: [ev(name, "hotfixes")],
          })
        : result(upd, target, "passed", { expected: "KB5031361 installed", actual: "KB5031361 installed", evidence: [ev(name, "hotfixes")] }),
    );
  }
  const failed = resultsOut.filter((r) => r.status === "failed").length;
  const undetermined = resultsOut.filter((r) => r.status === "undetermined").length;
  return {
    ...base,
    hosts: hostsOut,
    clusters: [],
    results: resultsOut,
    totals: { passed: resultsOut.length - failed - undetermined, failed, undetermined, notApplicable: 0, waived: 0, total: resultsOut.length },
  };
}
