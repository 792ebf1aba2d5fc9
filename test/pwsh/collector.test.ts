/**
 * The collector script run by real PowerShell against a simulated host (HostproofFakeWindows.psm1),
 * compared with the snapshot the builder makes for the same HostSpec: the facts must be the same,
 * whichever command (primary or fallback) produced them. Needs pwsh; skips visibly without it.
 *
 * Facts that could not be read are compared by kind only: the messages come from PowerShell
 * (5.1 and 7 word "not recognized" differently) and from the builder, and never decide a control.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { probeCommands } from "../../src/collect/script";
import { normaliseSnapshot } from "../../src/facts";
import type { HostFacts } from "../../src/model/facts";
import { isProbeFailure, type ProbeError, type Snapshot } from "../../src/model/snapshot";
import { HP_JSON_TAIL, hpJsonCommand, PROBE_IDS, PROBES, type ProbeId } from "../../src/probes/catalog";
import { buildSnapshot, resolveEstate, type HostSpec } from "../helpers/snapshot-builder";
import { OPTIONAL_FEATURE_NAME, isOrphaned, type CmdletBehaviour, type FakedCmdlet } from "./fake-host";
import { collect, pwshOrSkip } from "./run-collector";
import { judgeNotWindowsServer2003 } from "../../src/judge";
import { DEFAULT_INPUTS } from "../../src/judge/context";

type Comparable = { ok: true; value: unknown } | { ok: false; kind: string };

function comparable(facts: HostFacts): Record<ProbeId, Comparable> {
  const out = {} as Record<ProbeId, Comparable>;
  for (const id of PROBE_IDS) {
    const fact = facts[id];
    out[id] = fact.ok ? { ok: true, value: fact.value } : { ok: false, kind: fact.problem.kind };
  }
  return out;
}

function expectedFacts(spec: HostSpec, probeErrors: Partial<Record<ProbeId, ProbeError["kind"]>> = {}): Record<ProbeId, Comparable> {
  const errors = Object.fromEntries(Object.entries(probeErrors).map(([id, kind]) => [id, { kind, message: "expected" }]));
  return comparable(normaliseSnapshot(buildSnapshot({ ...spec, probeErrors: errors })));
}

function commandOf(s: Snapshot, id: ProbeId): string {
  const r = s.probes[id];
  assert.ok(r, `${id} has a record`);
  return r.command;
}

const [clusterNode] = resolveEstate({
  hosts: [{ name: "wg-node1", os: { version: "10.0.20348" } }],
  clusters: [{ name: "wgclus", type: "workgroup", nodes: ["wg-node1"], adminAccount: "clusadmin" }],
});

test("pwsh: a compliant cluster node gives the builder's facts, every probe by its primary command", (t) => {
  const pwsh = pwshOrSkip(t);
  if (pwsh === undefined) return;
  const s = collect(pwsh, clusterNode, {});
  assert.deepEqual(comparable(normaliseSnapshot(s)), expectedFacts(clusterNode));
  for (const id of PROBE_IDS) assert.equal(commandOf(s, id), PROBES[id].command, id);
  assert.match(s.collector.powershell ?? "", /^\d+\.\d+/);
  // Probes follow each other: each starts no earlier than the previous one.
  const starts = PROBE_IDS.map((id) => Date.parse(s.probes[id]?.startedAt ?? ""));
  assert.ok(starts.every((at, i) => Number.isFinite(at) && (i === 0 || at >= starts[i - 1])), JSON.stringify(starts));
  assert.ok(starts[0] >= Date.parse(s.collectedAt));
});

test("pwsh: without CimCmdlets and the 2012+ modules, os and computerSystem come from WMI, the rest is not-supported", (t) => {
  const pwsh = pwshOrSkip(t);
  if (pwsh === undefined) return;
  const spec: HostSpec = { name: "old2008", os: { version: "6.1.7601" } };
  const s = collect(pwsh, spec, {
    "Get-CimInstance": "missing",
    "Get-LocalUser": "missing",
    "Get-LocalGroupMember": "missing",
    "Get-NetAdapterAdvancedProperty": "missing",
    "Get-DnsClientGlobalSetting": "missing",
  });
  const notSupported = { localUsers: "not-supported", administratorsGroup: "not-supported", netAdapterAdvancedProperty: "not-supported", dnsClientGlobalSetting: "not-supported" } as const;
  assert.deepEqual(comparable(normaliseSnapshot(s)), expectedFacts(spec, notSupported));
  assert.equal(commandOf(s, "os"), PROBES.os.fallbacks?.[0]);
  assert.equal(commandOf(s, "computerSystem"), PROBES.computerSystem.fallbacks?.[0]);
  assert.equal(commandOf(s, "hotfixes"), PROBES.hotfixes.command);
  // Both commands failed: the record names the last, and its message keeps the first failure.
  const users = s.probes.localUsers;
  assert.ok(users && isProbeFailure(users));
  assert.equal(users.command, PROBES.localUsers.fallbacks?.[0]);
  assert.match(users.error.message, /Get-CimInstance[\s\S]*first command failed: [\s\S]*Get-LocalUser/);
});

test("pwsh: without LocalAccounts and ServerManager, users, administrators and the feature come from the fallbacks", (t) => {
  const pwsh = pwshOrSkip(t);
  if (pwsh === undefined) return;
  const spec: HostSpec = { name: "app2012", os: { version: "6.3.9600" } };
  const s = collect(pwsh, spec, { "Get-LocalUser": "missing", "Get-LocalGroupMember": "missing", "Get-WindowsFeature": "missing" });
  const expected = expectedFacts(spec);
  const feature = expected.failoverClusteringFeature;
  assert.ok(feature.ok);
  // The evidence shows DISM's name for the feature; everything the controls decide on is equal.
  expected.failoverClusteringFeature = { ok: true, value: { ...(feature.value as object), name: OPTIONAL_FEATURE_NAME } };
  assert.deepEqual(comparable(normaliseSnapshot(s)), expected);
  for (const id of ["localUsers", "administratorsGroup", "failoverClusteringFeature"] as const) {
    assert.equal(commandOf(s, id), probeCommands(id)[1], id);
  }
});

test("pwsh: access denied is reported as such, and does not fall back", (t) => {
  const pwsh = pwshOrSkip(t);
  if (pwsh === undefined) return;
  const spec: HostSpec = { name: "fs01" };
  const s = collect(pwsh, spec, { "Get-NetAdapterAdvancedProperty": "access-denied", "Get-LocalUser": "access-denied" });
  assert.deepEqual(comparable(normaliseSnapshot(s)), expectedFacts(spec, { netAdapterAdvancedProperty: "access-denied", localUsers: "access-denied" }));
  assert.equal(commandOf(s, "localUsers"), PROBES.localUsers.command);
  // Not a cluster node: ClusterEndpointNotRegistered is not-found, as the builder has it.
  const cluster = s.probes.cluster;
  assert.ok(cluster && isProbeFailure(cluster) && cluster.error.kind === "not-found");
});

test("pwsh: Get-LocalGroupMember's orphaned-SID failure falls back to WMI, which lists the members it can resolve", (t) => {
  const pwsh = pwshOrSkip(t);
  if (pwsh === undefined) return;
  const orphan = "S-1-5-21-1004336348-1177238915-682003330-1107";
  const spec: HostSpec = { name: "app2019", admins: ["Administrator", "clusadmin", { name: orphan, sid: orphan, principalSource: 0 }] };
  const s = collect(pwsh, spec, { "Get-LocalGroupMember": "invalid-operation" });
  const expected = expectedFacts(spec);
  const admins = expected.administratorsGroup;
  assert.ok(admins.ok);
  expected.administratorsGroup = { ok: true, value: (admins.value as Array<{ name: string; sid: string | null }>).filter((m) => !isOrphaned({ Name: m.name, SID: m.sid })) };
  assert.deepEqual(comparable(normaliseSnapshot(s)), expected);
  assert.equal(commandOf(s, "administratorsGroup"), PROBES.administratorsGroup.fallbacks?.[0]);
});

test("pwsh: a standalone host without the DNS client policy key or the clustering feature", (t) => {
  const pwsh = pwshOrSkip(t);
  if (pwsh === undefined) return;
  const spec: HostSpec = { name: "web01", policyKeyAbsent: true, clusteringInstalled: false };
  const s = collect(pwsh, spec, {});
  assert.deepEqual(comparable(normaliseSnapshot(s)), expectedFacts(spec));
  const policy = s.probes.dnsClientPolicy;
  assert.ok(policy && isProbeFailure(policy) && policy.error.kind === "not-found", "ItemNotFoundException is not-found");
  const cluster = s.probes.cluster;
  assert.ok(cluster && isProbeFailure(cluster) && cluster.error.kind === "not-supported", "no FailoverClusters module");
});

test("pwsh: only the selected probes run", (t) => {
  const pwsh = pwshOrSkip(t);
  if (pwsh === undefined) return;
  const s = collect(pwsh, clusterNode, {}, { probes: ["uacPolicy", "os"] });
  assert.deepEqual(Object.keys(s.probes), ["os", "uacPolicy"]);
  const expected = expectedFacts(clusterNode);
  const facts = comparable(normaliseSnapshot(s));
  assert.deepEqual([facts.os, facts.uacPolicy], [expected.os, expected.uacPolicy]);
});

test("pwsh: a CDXML-style module function's access denied is access-denied, terminating or not", (t) => {
  const pwsh = pwshOrSkip(t);
  if (pwsh === undefined) return;
  const spec: HostSpec = { name: "fs02" };
  const s = collect(pwsh, spec, { "Get-NetAdapterAdvancedProperty": "access-denied-nonterminating", "Get-DnsClientGlobalSetting": "access-denied" });
  assert.deepEqual(comparable(normaliseSnapshot(s)), expectedFacts(spec, { netAdapterAdvancedProperty: "access-denied", dnsClientGlobalSetting: "access-denied" }));
  const nics = s.probes.netAdapterAdvancedProperty;
  assert.ok(nics && isProbeFailure(nics));
  assert.match(nics.error.message, /Access is denied/);
  assert.equal(nics.command, PROBES.netAdapterAdvancedProperty.command);
});

test("pwsh: without -ErrorAction Stop in the command, the collector's safety net still records access-denied", (t) => {
  const pwsh = pwshOrSkip(t);
  if (pwsh === undefined) return;
  const spec: HostSpec = { name: "fs03" };
  // A catalog command from before -ErrorAction Stop: the module function's error stays
  // non-terminating, the pipeline ends with no output, and only the collector can notice.
  const bare = "Get-NetAdapterAdvancedProperty -AllProperties |";
  const s = collect(pwsh, spec, { "Get-NetAdapterAdvancedProperty": "access-denied-nonterminating" }, {
    probes: ["netAdapterAdvancedProperty", "os"],
    edit: (script) => {
      const withStop = "Get-NetAdapterAdvancedProperty -AllProperties -ErrorAction Stop |";
      assert.ok(script.includes(withStop));
      return script.replace(withStop, bare);
    },
  });
  const nics = s.probes.netAdapterAdvancedProperty;
  assert.ok(nics && isProbeFailure(nics), JSON.stringify(nics));
  assert.equal(nics.error.kind, "access-denied");
  assert.ok(nics.command.startsWith(bare));
  const facts = comparable(normaliseSnapshot(s));
  assert.deepEqual(facts.os, expectedFacts(spec).os);
});

test("pwsh: a hung WMI is a timeout for the probes that use it, and the host's other probes still come back", (t) => {
  const pwsh = pwshOrSkip(t);
  if (pwsh === undefined) return;
  const spec: HostSpec = { name: "app2022" };
  // os and computerSystem read CIM first; the limit ends the probe, so their WMI fallbacks do not run.
  const s = collect(pwsh, spec, { "Get-CimInstance": "hang" }, { probeTimeoutSeconds: 2 });
  assert.deepEqual(comparable(normaliseSnapshot(s)), expectedFacts(spec, { os: "timeout", computerSystem: "timeout" }));
  for (const id of ["os", "computerSystem"] as const) {
    const record = s.probes[id];
    assert.ok(record && isProbeFailure(record), id);
    assert.equal(record.command, PROBES[id].command, `${id}: the record names the command that hung`);
    assert.match(record.error.message, /ProbeTimeoutSeconds/);
  }
  // A probe after the timeouts ran in a fresh worker, which has the stand-ins too.
  assert.equal(commandOf(s, "hotfixes"), PROBES.hotfixes.command);
});

test("pwsh: the host can reach the stand-in through $env:HOSTPROOF_FAKE_HOST alone, in the worker runspace too", (t) => {
  const pwsh = pwshOrSkip(t);
  if (pwsh === undefined) return;
  const s = collect(pwsh, clusterNode, { "Get-LocalUser": "access-denied" }, { hostFromEnv: true });
  assert.deepEqual(comparable(normaliseSnapshot(s)), expectedFacts(clusterNode, { localUsers: "access-denied" }));
});

test("pwsh: a Hyper-V host's VMs and their integration services come back as the builder has them, German names and all", (t) => {
  const pwsh = pwshOrSkip(t);
  if (pwsh === undefined) return;
  const spec: HostSpec = {
    name: "hv01",
    hyperV: {
      language: "de-DE",
      vms: [
        { name: "dc01", services: { TimeSynchronization: false } },
        { name: "old01", state: "Off", services: { GuestServiceInterface: null } },
        { name: "build01", services: { GuestServiceInterface: true } },
      ],
    },
  };
  const s = collect(pwsh, spec, {});
  assert.deepEqual(comparable(normaliseSnapshot(s)), expectedFacts(spec));
  assert.equal(commandOf(s, "vmIntegrationServices"), PROBES.vmIntegrationServices.command);
  // What Windows gives, stated outright: a Guid as text, Enabled a boolean, no status for a VM that is off.
  const record = s.probes.vmIntegrationServices;
  assert.ok(record && !isProbeFailure(record) && Array.isArray(record.output));
  assert.equal(record.output.length, 17);
  const first = record.output[0] as Record<string, unknown>;
  assert.deepEqual(Object.keys(first), ["VMName", "VMId", "Name", "Id", "Enabled", "PrimaryStatusDescription", "SecondaryStatusDescription"]);
  assert.match(String(first.VMId), /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);
  assert.deepEqual(
    (record.output as Array<Record<string, unknown>>).filter((r) => r.VMName === "dc01").map((r) => [r.Name, r.Enabled]),
    [["Gastdienstschnittstelle", false], ["Takt", true], ["Austausch von Schlüssel-Wert-Paaren", true], ["Herunterfahren", true], ["Zeitsynchronisierung", false], ["VSS", true]],
  );
  assert.ok((record.output as Array<Record<string, unknown>>).filter((r) => r.VMName === "old01").every((r) => r.PrimaryStatusDescription === null));

  // The same host without VMs: no output, which is no VMs.
  const empty = collect(pwsh, { name: "hv02", hyperV: {} }, {}, { probes: ["vmIntegrationServices"] });
  assert.deepEqual(comparable(normaliseSnapshot(empty)).vmIntegrationServices, { ok: true, value: [] });
});

test("pwsh: the Hyper-V role without its module is not-supported, and a denied VM listing is access-denied", (t) => {
  const pwsh = pwshOrSkip(t);
  if (pwsh === undefined) return;
  const noModule: HostSpec = { name: "hv03", hyperV: { module: false, vms: [{ name: "a" }] } };
  const s = collect(pwsh, noModule, {}, { probes: ["vmIntegrationServices"] });
  const record = s.probes.vmIntegrationServices;
  assert.ok(record && isProbeFailure(record) && record.error.kind === "not-supported", JSON.stringify(record));
  assert.match(record.error.message, /Get-VM/);
  const spec: HostSpec = { name: "hv04", hyperV: { vms: [{ name: "a" }] } };
  for (const cmdlet of ["Get-VM", "Get-VMIntegrationService"] as const) {
    const denied = collect(pwsh, spec, { [cmdlet]: "access-denied" }, { probes: ["vmIntegrationServices"] });
    const r = denied.probes.vmIntegrationServices;
    assert.ok(r && isProbeFailure(r) && r.error.kind === "access-denied", `${cmdlet}: ${JSON.stringify(r)}`);
    assert.equal(r.command, PROBES.vmIntegrationServices.command, "no fallback after access denied");
  }
});

test("pwsh: a Hyper-V guest's Manufacturer and Model come back from CIM and from the WMI fallback", (t) => {
  const pwsh = pwshOrSkip(t);
  if (pwsh === undefined) return;
  const spec: HostSpec = { name: "dc01", hyperVGuest: {} };
  for (const cmdlets of [{}, { "Get-CimInstance": "missing" as const }]) {
    const s = collect(pwsh, spec, cmdlets, { probes: ["computerSystem"] });
    const facts = normaliseSnapshot(s);
    assert.deepEqual(comparable(facts).computerSystem, expectedFacts(spec).computerSystem);
    assert.ok(facts.computerSystem.ok);
    assert.deepEqual([facts.computerSystem.value.manufacturer, facts.computerSystem.value.model], ["Microsoft Corporation", "Virtual Machine"]);
  }
});

// What cannot be tested here: a real PowerShell 2.0 engine (CLR 2, no ConvertTo-Json, 2.0's own
// parser and strict mode). These tests take the 2.0 code path on pwsh 7 with ConvertTo-Json removed
// and strict mode 2 on, and the 2.0 syntax is kept by review.

test("pwsh: without ConvertTo-Json and under strict mode 2, the collector's own writer gives the same facts", (t) => {
  const pwsh = pwshOrSkip(t);
  if (pwsh === undefined) return;
  const shapes: Array<{ spec: HostSpec; cmdlets: Partial<Record<FakedCmdlet, CmdletBehaviour>> }> = [
    { spec: clusterNode, cmdlets: {} },
    { spec: { name: "web01", policyKeyAbsent: true, clusteringInstalled: false }, cmdlets: {} },
    { spec: { name: "app2016", os: { version: "10.0.14393" }, policySuffix: "corp.contoso.test", latfp: null, searchList: ["corp.contoso.test", "contoso.test"] }, cmdlets: { "Get-LocalUser": "access-denied" } },
    { spec: { name: "old2008", os: { version: "6.1.7601" } }, cmdlets: { "Get-CimInstance": "missing", "Get-HotFix": "missing", "Get-LocalGroupMember": "missing" } },
    // The writer's Guid (VMId) and null status, as 5.1 writes them.
    { spec: { name: "hv01", hyperV: { vms: [{ name: "a" }, { name: "b", state: "Off" }] } }, cmdlets: {} },
  ];
  for (const { spec, cmdlets } of shapes) {
    const native = collect(pwsh, spec, cmdlets);
    const own = collect(pwsh, spec, cmdlets, { withoutConvertToJson: true });
    assert.deepEqual(comparable(normaliseSnapshot(own)), comparable(normaliseSnapshot(native)), spec.name);
    let written = 0;
    for (const id of PROBE_IDS) {
      const record = own.probes[id];
      assert.ok(record, `${spec.name} ${id}`);
      if (isProbeFailure(record)) continue;
      // The evidence names what ran: the reading pipeline into the collector's writer.
      assert.ok(record.command.endsWith(` | ${HP_JSON_TAIL}`), `${spec.name} ${id}: ${record.command}`);
      assert.equal(record.command, hpJsonCommand(commandOf(native, id)), `${spec.name} ${id}`);
      written++;
    }
    assert.ok(written >= 8, `${spec.name}: ${written} probes read`);
  }
});

test("pwsh: a PowerShell 2.0-style Windows Server 2003 host is read over WMI and fails HP-EOS-001", (t) => {
  const pwsh = pwshOrSkip(t);
  if (pwsh === undefined) return;
  const spec: HostSpec = { name: "legacy2003", legacy2003: true };
  const s = collect(pwsh, spec, {}, { fake: { powershell: "2.0" }, hostFromEnv: true });
  const facts = normaliseSnapshot(s);
  assert.ok(facts.os.ok, JSON.stringify(s.probes.os));
  assert.equal(facts.os.value.version, "5.2.3790");
  assert.ok(facts.computerSystem.ok, JSON.stringify(s.probes.computerSystem));
  for (const id of ["os", "computerSystem"] as const) assert.equal(commandOf(s, id), hpJsonCommand(probeCommands(id)[1]), id);
  // What 2.0 lacks is not-supported, not silently empty.
  for (const id of ["localUsers", "netAdapterAdvancedProperty", "dnsClientGlobalSetting", "cluster"] as const) {
    const record = s.probes[id];
    assert.ok(record && isProbeFailure(record) && record.error.kind === "not-supported", `${id}: ${JSON.stringify(record)}`);
  }
  const judgement = judgeNotWindowsServer2003({ facts, inputs: DEFAULT_INPUTS, asOf: new Date(Date.UTC(2026, 10, 20)) });
  assert.equal(judgement.status, "failed");
});
