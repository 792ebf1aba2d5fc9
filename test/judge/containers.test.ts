/**
 * HP-CNT-001 and HP-CNT-002 on records as the collector writes them (the snapshot builder's
 * simulated features and services): which hosts are container hosts, each part of readiness named,
 * the Windows Server 2016 update, and what cannot be read.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import {
  CONTAINER_HOST_PROBES,
  CONTAINERS_FEATURE,
  DOCKER_SERVICE,
  HYPERV_FEATURE,
  judgeContainerHostReady,
  judgeHyperVIsolationAvailable,
  laterThanContainerUpdate,
} from "../../src/judge/containers";
import type { HotfixFact, WindowsVersionFact } from "../../src/model/facts";
import type { Judgement } from "../../src/model/result";
import type { ProbeRecord } from "../../src/model/snapshot";
import { expectStatus, hostCtx, hostFacts, ok, unreadable } from "../helpers/host-facts";
import { buildGenericRecords, type SnapshotOptions, type SystemSpec } from "../helpers/snapshot-builder";

const PROBES = [...CONTAINER_HOST_PROBES, HYPERV_FEATURE];
const CONTAINERS = { name: "Containers", installState: 1, optionalName: "Containers" };
const DOCKER = { name: "docker", displayName: "Docker Engine" };

/** `hyperV`: the host has the Hyper-V role (the builder derives the feature from it). */
function records(system: SystemSpec, options: Omit<SnapshotOptions, "generic"> = {}, hyperV = false): Record<string, ProbeRecord> {
  return buildGenericRecords({ name: "c1", system, ...(hyperV ? { hyperV: { vms: [] } } : {}) }, PROBES, options);
}

const server2016 = ok("os", { caption: "Microsoft Windows Server 2016 Datacenter", version: "10.0.14393", major: 10, minor: 0, build: 14393, productType: 3, sku: 8, architecture: "64-bit" });
/** Without the OS revision (a snapshot from before windowsVersion was read): the update list decides. */
const noRevision = unreadable<WindowsVersionFact>("windowsVersion", "not-collected", "windowsVersion was not collected");
const revision = (ubr: number) => ok<WindowsVersionFact>("windowsVersion", { installationType: "Server", editionId: "ServerDatacenter", currentBuild: 14393, ubr, displayVersion: null });
const updates = (...ids: string[]) => ok<HotfixFact[]>("hotfixes", ids.map((id) => ({ id, description: "Update", installedOn: "2024-10-08" })));

function both(recs: Record<string, ProbeRecord>, extra: Parameters<typeof hostFacts>[1] = {}): { ready: Judgement; hyperV: Judgement } {
  const facts = hostFacts("c1", { records: recs, ...extra });
  return { ready: judgeContainerHostReady(hostCtx(facts)), hyperV: judgeHyperVIsolationAvailable(hostCtx(facts)) };
}

const cited = (j: Judgement): string[] => j.evidence.map((e) => e.probe);
const outcomes = (j: Judgement): Record<string, string> => Object.fromEntries((j.details ?? []).map((d) => [d.subject, d.outcome]));

test("a host without the Containers feature or a runtime service is not a container host: both controls not applicable, saying so", () => {
  const { ready, hyperV } = both(records({}, {}, true));
  for (const j of [ready, hyperV]) {
    expectStatus(j, "notApplicable");
    assert.match(j.reason?.message ?? "", /^c1 is not a container host: the Containers feature is not installed and there is no docker or containerd service$/);
    assert.deepEqual(cited(j), CONTAINER_HOST_PROBES.map((p) => p.id));
  }
  // Available but not installed is no container host either.
  expectStatus(both(records({ windowsFeatures: [{ ...CONTAINERS, installState: 0 }] })).ready, "notApplicable");
});

test("a ready Windows Server 2019 container host passes: feature, running docker, no 2016 update needed", () => {
  const { ready, hyperV } = both(records({ windowsFeatures: [CONTAINERS], services: [DOCKER] }, {}, true));
  expectStatus(ready, "passed");
  assert.match(ready.actual, /^a container host: the Containers feature is installed, and it has the docker service; /);
  assert.deepEqual(outcomes(ready), { "Containers feature": "ok", "container runtime": "ok", "KB3176936 (Windows Server 2016)": "info" });
  assert.ok(!cited(ready).includes("hotfixes"), "the update list is read on 2016 only");
  expectStatus(hyperV, "passed");
  assert.ok(cited(hyperV).includes(HYPERV_FEATURE.id));
  // containerd alone is a runtime too.
  expectStatus(both(records({ windowsFeatures: [CONTAINERS], services: [{ name: "containerd" }] })).ready, "passed");
});

test("a container host missing its runtime, or whose runtime is stopped, fails naming that part", () => {
  const missing = expectStatus(both(records({ windowsFeatures: [CONTAINERS] })).ready, "failed");
  assert.match(missing.actual, /not ready: container runtime \(no docker or containerd service\)$/);
  assert.deepEqual(outcomes(missing), { "Containers feature": "ok", "container runtime": "deviation", "KB3176936 (Windows Server 2016)": "info" });
  const stopped = expectStatus(both(records({ windowsFeatures: [CONTAINERS], services: [{ ...DOCKER, status: "Stopped" }] })).ready, "failed");
  assert.match(stopped.actual, /container runtime \(docker Stopped: not running\)/);
});

test("a runtime service without the Containers feature makes a container host, which fails on the feature; a pending install fails until the restart", () => {
  const noFeature = expectStatus(both(records({ services: [DOCKER] })).ready, "failed");
  assert.match(noFeature.actual, /^a container host: it has the docker service; not ready: Containers feature \(this host has no Containers feature\)$/);
  const pending = expectStatus(both(records({ windowsFeatures: [{ ...CONTAINERS, installState: 2 }], services: [DOCKER] })).ready, "failed");
  assert.match(pending.actual, /Containers feature \(install pending: the host must restart\)/);
});

test("Windows Server 2016: KB3176936 or a later update passes; without one the update part fails, and the update list is cited", () => {
  const recs = records({ windowsFeatures: [CONTAINERS], services: [DOCKER] });
  const without = expectStatus(both(recs, { os: server2016, windowsVersion: noRevision, hotfixes: updates("KB3192137", "KB3176938") }).ready, "failed");
  assert.match(without.actual, /not ready: KB3176936 \(Windows Server 2016\) \(neither KB3176936 nor a later update is among the 2 installed updates: KB3192137, KB3176938\)$/);
  assert.deepEqual(cited(without).slice(-2), ["os", "hotfixes"]);
  expectStatus(both(recs, { os: server2016, windowsVersion: noRevision, hotfixes: updates("KB3176936") }).ready, "passed");
  const later = expectStatus(both(recs, { os: server2016, windowsVersion: noRevision, hotfixes: updates("KB4486129", "KB5044293") }).ready, "passed");
  assert.match(later.actual, /later updates installed: KB4486129, KB5044293/);
  expectStatus(both(recs, { os: server2016, windowsVersion: noRevision, hotfixes: updates("KB3194798") }).ready, "passed");
  // Every part that fails is named, not only the first.
  const twoParts = expectStatus(both(records({ windowsFeatures: [CONTAINERS] }), { os: server2016, windowsVersion: noRevision, hotfixes: updates() }).ready, "failed");
  assert.match(twoParts.actual, /not ready: container runtime \(.*\); KB3176936 \(Windows Server 2016\) \(neither KB3176936 nor a later update is among the 0 installed updates\)$/);
});

test("what counts as later than KB3176936: the named late-2016 cumulative updates and any KB4000000 or above, not September 2016's RTM updates", () => {
  for (const id of ["KB3176936", "kb3194798", "KB3216755", "KB4010672", "KB5044293"]) assert.ok(laterThanContainerUpdate(id), id);
  for (const id of ["KB3192137", "KB3176938", "KB3176934", "KB999999"]) assert.ok(!laterThanContainerUpdate(id), id);
});

test("HP-CNT-002: a container host without the Hyper-V role fails with process isolation only", () => {
  const { hyperV } = both(records({ windowsFeatures: [CONTAINERS], services: [DOCKER] }));
  expectStatus(hyperV, "failed");
  assert.match(hyperV.actual, /the Hyper-V role is not installed: process isolation only$/);
});

test("unreadable facts: undetermined with their kind where they could change the verdict, never passed", () => {
  // Cannot tell whether it is a container host.
  const blind = both(records({}, { cmdlets: { "Get-WindowsFeature": "access-denied" } }));
  for (const j of [blind.ready, blind.hyperV]) assert.equal(expectStatus(j, "undetermined").reason?.kind, "access-denied");
  // A runtime makes it a container host; the unreadable feature leaves readiness open.
  const feature = expectStatus(both(records({ services: [DOCKER] }, { cmdlets: { "Get-WindowsFeature": "access-denied" } })).ready, "undetermined");
  assert.equal(feature.reason?.kind, "access-denied");
  assert.equal(outcomes(feature)["Containers feature"], "unreadable");
  // A failed part is not repaired by an unreadable one.
  const recs = records({ windowsFeatures: [CONTAINERS] });
  const failing = expectStatus(both(recs, { os: server2016, windowsVersion: noRevision, hotfixes: unreadable("hotfixes") }).ready, "failed");
  assert.match(failing.actual, /; not read: KB3176936 \(Windows Server 2016\)$/);
  const open = expectStatus(both(records({ windowsFeatures: [CONTAINERS], services: [DOCKER] }), { os: server2016, windowsVersion: noRevision, hotfixes: unreadable("hotfixes", "timeout", "no answer") }).ready, "undetermined");
  assert.equal(open.reason?.kind, "timeout");
  // The Hyper-V feature unreadable on a container host.
  const hv = { ...records({ windowsFeatures: [CONTAINERS], services: [DOCKER] }), [HYPERV_FEATURE.id]: { command: "(reader)", startedAt: "2026-11-20T09:00:01.000Z", error: { kind: "access-denied" as const, message: "Access is denied." } } };
  assert.equal(expectStatus(both(hv).hyperV, "undetermined").reason?.kind, "access-denied");
  // A snapshot collected for other controls.
  assert.equal(expectStatus(both({}).ready, "undetermined").reason?.kind, "not-collected");
  // The docker service unreadable on a host with the feature: the running runtime might be it.
  const docker = { ...records({ windowsFeatures: [CONTAINERS] }), [DOCKER_SERVICE.id]: { command: "(reader)", startedAt: "2026-11-20T09:00:01.000Z", error: { kind: "access-denied" as const, message: "Access is denied." } } };
  assert.equal(outcomes(expectStatus(both(docker).ready, "undetermined"))["container runtime"], "unreadable");
  assert.ok(CONTAINERS_FEATURE.id === "windowsFeature:Containers");
});

test("Windows Server 2016 with its OS revision read: revision 206 or above passes whatever the update list says, below it fails", () => {
  const recs = records({ windowsFeatures: [CONTAINERS], services: [DOCKER] });
  const current = expectStatus(both(recs, { os: server2016, windowsVersion: revision(7428), hotfixes: updates() }).ready, "passed");
  assert.ok(cited(current).includes("windowsVersion") && !cited(current).includes("hotfixes"), "the revision decides; the update list is not read");
  const rtm = expectStatus(both(recs, { os: server2016, windowsVersion: revision(0), hotfixes: updates("KB3176936") }).ready, "failed");
  assert.match(rtm.actual, /OS revision 14393\.0: older than KB3176936's servicing/);
});
