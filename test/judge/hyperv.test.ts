/**
 * HP-HV-001 and HP-HV-002, judged from snapshots the builder makes for a HostSpec (the probes'
 * 5.1 shapes, normalised as a run normalises them), and from hand-made facts for what a builder
 * host cannot be.
 */
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { normaliseSnapshot } from "../../src/facts";
import type { HostFacts } from "../../src/model/facts";
import type { IntegrationServiceAllowance } from "../../src/model/inventory";
import { GUEST_SERVICE_PROBES, HYPER_V_ROLE, judgeIntegrationServicesInGuest, judgeIntegrationServicesOnHost, machineOf } from "../../src/judge/hyperv";
import { GUEST_SERVICES, INTEGRATION_SERVICES, namesService } from "../../src/judge/integration-services";
import { buildSnapshot, type HostSpec } from "../helpers/snapshot-builder";
import { expectStatus, hostCtx, inputs, ok, probesOf, unreadable } from "../helpers/host-facts";

const PROBES = [HYPER_V_ROLE, ...GUEST_SERVICE_PROBES];

function factsOf(spec: HostSpec): HostFacts {
  return normaliseSnapshot(buildSnapshot(spec, { generic: PROBES }));
}

/** As collected for other controls: the generic records these checks read are not there. */
function withoutGeneric(spec: HostSpec): HostFacts {
  const snapshot = buildSnapshot(spec);
  for (const p of PROBES) delete snapshot.probes[p.id];
  return normaliseSnapshot(snapshot);
}

function onHost(spec: HostSpec, allowed: IntegrationServiceAllowance[] = []) {
  return judgeIntegrationServicesOnHost(hostCtx(factsOf(spec), { inputs: inputs({ integrationServices: { allowed } }) }));
}

function inGuest(spec: HostSpec, allowed: IntegrationServiceAllowance[] = []) {
  return judgeIntegrationServicesInGuest(hostCtx(factsOf(spec), { inputs: inputs({ integrationServices: { allowed } }) }));
}

const HV = (vms: NonNullable<HostSpec["hyperV"]>["vms"], extra: Partial<NonNullable<HostSpec["hyperV"]>> = {}): HostSpec => ({ name: "hv01", hyperV: { vms, ...extra } });

describe("integration service table", () => {
  it("holds six services by GUID, Guest Service Interface wanted off, Shutdown and Time Synchronization high impact", () => {
    assert.equal(new Set(INTEGRATION_SERVICES.map((s) => s.id)).size, 6);
    assert.ok(INTEGRATION_SERVICES.every((s) => /^[0-9A-F]{8}-[0-9A-F]{4}-[0-9A-F]{4}-[0-9A-F]{4}-[0-9A-F]{12}$/.test(s.id)));
    assert.deepEqual(INTEGRATION_SERVICES.filter((s) => s.wanted === "disabled").map((s) => s.key), ["GuestServiceInterface"]);
    assert.deepEqual(INTEGRATION_SERVICES.filter((s) => s.highImpact).map((s) => s.key), ["Shutdown", "TimeSynchronization"]);
    assert.deepEqual(GUEST_SERVICES.map((s) => s.guestService), ["vmicheartbeat", "vmicshutdown", "vmictimesync", "vmickvpexchange", "vmicvss"]);
  });

  it("an allowance names a service by its key or its GUID, in any case, braces allowed", () => {
    const timeSync = INTEGRATION_SERVICES.find((s) => s.key === "TimeSynchronization")!;
    for (const name of ["TimeSynchronization", "timesynchronization", "2497f4de-e9fa-4204-80e4-4b75c46419c0", "{2497F4DE-E9FA-4204-80E4-4B75C46419C0}"]) assert.ok(namesService(name, timeSync), name);
    assert.ok(!namesService("Time Synchronization", timeSync), "the display name is localised, so it is not a key");
    assert.ok(!namesService("Shutdown", timeSync));
  });
});

describe("HP-HV-001 judgeIntegrationServicesOnHost", () => {
  it("passes a host whose VMs have the services Hyper-V gives a new VM, with a row per VM", () => {
    const j = expectStatus(onHost(HV([{ name: "app01" }, { name: "web01", state: "Off" }])), "passed");
    assert.equal(j.actual, "2 VMs: every integration service as wanted");
    assert.match(j.expected, /Heartbeat, Shutdown, Time Synchronization, Key-Value Pair Exchange and VSS enabled, Guest Service Interface disabled \(the inventory allows no exception\)/);
    assert.deepEqual(
      j.details?.map((d) => [d.subject, d.outcome, d.actual]),
      [
        ["app01", "ok", "6 of 6 as wanted"],
        ["web01", "ok", "6 of 6 as wanted; no status reported (the VM is off)"],
      ],
    );
    assert.deepEqual(probesOf(j), [`hv01/${HYPER_V_ROLE.id}`, "hv01/vmIntegrationServices"]);
  });

  it("fails each VM and service out of line, naming them, Time Synchronization and Shutdown as high impact", () => {
    const j = expectStatus(
      onHost(HV([{ name: "app01", services: { TimeSynchronization: false } }, { name: "web01", services: { GuestServiceInterface: true, Shutdown: false, VSS: false } }, { name: "ok01" }])),
      "failed",
    );
    assert.equal(j.actual, "app01: Time Synchronization disabled (high impact); web01: Shutdown disabled (high impact); web01: VSS disabled; web01: Guest Service Interface enabled");
    const rows = j.details!.filter((d) => d.outcome === "deviation");
    assert.deepEqual(rows.map((d) => [d.subject, d.expected, d.actual]), [
      ["app01 Time Synchronization", "enabled", "disabled (high impact)"],
      ["web01 Shutdown", "enabled", "disabled (high impact)"],
      ["web01 VSS", "enabled", "disabled"],
      ["web01 Guest Service Interface", "disabled (it lets the host copy files into the guest)", "enabled"],
    ]);
    assert.match(rows[0]!.note ?? "", /^high impact: the guest clock/);
    assert.match(rows[1]!.note ?? "", /^high impact: the host cannot shut the guest down cleanly/);
    assert.equal(rows[2]!.note, undefined);
    assert.deepEqual(j.details!.filter((d) => !d.subject.includes(" ")).map((d) => [d.subject, d.outcome, d.actual]), [
      ["app01", "info", "5 of 6 as wanted"],
      ["web01", "info", "3 of 6 as wanted"],
      ["ok01", "ok", "6 of 6 as wanted"],
    ]);
  });

  it("matches services by the GUID ending the Id, never by Name: a German host is judged as an English one", () => {
    const de = expectStatus(onHost(HV([{ name: "dc01", services: { TimeSynchronization: false } }], { language: "de-DE" })), "failed");
    assert.equal(de.actual, "dc01: Time Synchronization disabled (high impact)");
    assert.equal(de.details!.find((d) => d.outcome === "deviation")?.actual, "disabled (high impact); shown on the host as 'Zeitsynchronisierung'");
    expectStatus(onHost(HV([{ name: "dc01" }], { language: "de-DE" })), "passed");
    // Names that lie: Heartbeat called "Time Synchronization" and the other way round change nothing.
    const swapped = expectStatus(onHost(HV([{ name: "x", services: { Heartbeat: false }, names: { Heartbeat: "Time Synchronization", TimeSynchronization: "Heartbeat" } }])), "failed");
    assert.equal(swapped.actual, "x: Heartbeat disabled");
  });

  it("reports an allowed exception with its reason, for one VM or every VM, by key or GUID; an unused one as info", () => {
    const allowed: IntegrationServiceAllowance[] = [
      { vm: "DC01", service: "TimeSynchronization", reason: "domain controller keeps domain time (CHG-2201)" },
      { service: "6c09bb55-d683-4da0-8931-c9bf705f6480", reason: "file copy for the build pipeline (CHG-2202)" },
      { vm: "gone01", service: "VSS", reason: "VM decommissioned" },
    ];
    const j = expectStatus(onHost(HV([{ name: "dc01", services: { TimeSynchronization: false } }, { name: "build01", services: { GuestServiceInterface: true } }]), allowed), "passed");
    assert.equal(j.actual, "2 VMs: every integration service as wanted, 2 exceptions allowed");
    assert.match(j.expected, /except 3 exceptions allowed in the inventory/);
    assert.deepEqual(j.details!.filter((d) => d.outcome === "allowed").map((d) => [d.subject, d.actual, d.note]), [
      ["dc01 Time Synchronization", "disabled (high impact)", "domain controller keeps domain time (CHG-2201)"],
      ["build01 Guest Service Interface", "enabled", "file copy for the build pipeline (CHG-2202)"],
    ]);
    const info = j.details!.find((d) => d.outcome === "info")!;
    assert.equal(info.actual, "allowance for VSS on gone01 matched no service out of line");
    // An allowance for another VM does not cover this one.
    expectStatus(onHost(HV([{ name: "app01", services: { TimeSynchronization: false } }]), allowed.slice(0, 1)), "failed");
  });

  it("a service the VM does not offer: Guest Service Interface is as wanted, Shutdown is out of line", () => {
    expectStatus(onHost(HV([{ name: "old01", services: { GuestServiceInterface: null } }])), "passed");
    const j = expectStatus(onHost(HV([{ name: "old01", services: { Shutdown: null } }])), "failed");
    assert.equal(j.actual, "old01: Shutdown not offered to this VM (high impact)");
  });

  it("tells VMs with the same name apart by their VMId", () => {
    const j = expectStatus(onHost(HV([{ name: "twin", id: "11111111-1111-4111-a111-111111111111" }, { name: "twin", id: "22222222-2222-4222-a222-222222222222", services: { VSS: false } }])), "failed");
    assert.equal(j.actual, "twin (22222222-2222-4222-a222-222222222222): VSS disabled");
  });

  it("passes a Hyper-V host without VMs, saying Get-VM lists only what the account may see", () => {
    const j = expectStatus(onHost(HV([])), "passed");
    assert.match(j.actual, /^no VMs: Get-VM listed none \(it lists only the VMs the collecting account may see\)$/);
  });

  it("is not applicable without the Hyper-V role, saying why", () => {
    const j = expectStatus(onHost({ name: "fs01" }), "notApplicable");
    assert.equal(j.actual, "the Windows feature Hyper-V is not installed (InstallState 0)");
    assert.equal(j.reason?.message, "fs01 is not a Hyper-V host: the Windows feature Hyper-V is not installed (InstallState 0)");
    assert.deepEqual(probesOf(j), [`fs01/${HYPER_V_ROLE.id}`]);
    expectStatus(onHost({ name: "hv02", hyperV: { installState: 2, vms: [{ name: "x", services: { Shutdown: false } }] } }), "notApplicable");
    // A Windows that does not know the feature at all (Get-WindowsFeature gives nothing).
    const facts = factsOf({ name: "ws01" });
    const none = { ...facts, records: { ...facts.records, [HYPER_V_ROLE.id]: { command: "x", startedAt: facts.collectedAt, output: null } } };
    const unknown = expectStatus(judgeIntegrationServicesOnHost(hostCtx(none)), "notApplicable");
    assert.equal(unknown.actual, "this Windows has no Hyper-V feature");
  });

  it("is undetermined when the role or the VMs cannot be read, and says when the module is missing", () => {
    const notRead = expectStatus(judgeIntegrationServicesOnHost(hostCtx(withoutGeneric({ name: "hv01", hyperV: {} }))), "undetermined");
    assert.equal(notRead.reason?.kind, "not-collected");
    const noModule = expectStatus(onHost({ name: "hv01", hyperV: { module: false, vms: [{ name: "a" }] } }), "undetermined");
    assert.equal(noModule.reason?.kind, "not-supported");
    assert.match(noModule.details?.[0]?.note ?? "", /Install-WindowsFeature Hyper-V-PowerShell/);
    assert.deepEqual(probesOf(noModule), [`hv01/${HYPER_V_ROLE.id}`, "hv01/vmIntegrationServices"]);
    const denied = expectStatus(judgeIntegrationServicesOnHost(hostCtx({ ...factsOf(HV([])), vmIntegrationServices: unreadable("vmIntegrationServices") })), "undetermined");
    assert.equal(denied.reason?.kind, "access-denied");
    assert.equal(denied.details, undefined);
  });

  it("is undetermined when Enabled is not reported, unless another service already fails", () => {
    const base = factsOf(HV([{ name: "a" }]));
    assert.ok(base.vmIntegrationServices.ok);
    const rows = base.vmIntegrationServices.value.map((r) => (r.name === "VSS" ? { ...r, enabled: null } : r));
    const j = expectStatus(judgeIntegrationServicesOnHost(hostCtx({ ...base, vmIntegrationServices: ok("vmIntegrationServices", rows) })), "undetermined");
    assert.equal(j.reason?.kind, "malformed");
    assert.match(j.actual, /Enabled was not reported for a: VSS/);
    const failing = rows.map((r) => (r.name === "Shutdown" ? { ...r, enabled: false } : r));
    expectStatus(judgeIntegrationServicesOnHost(hostCtx({ ...base, vmIntegrationServices: ok("vmIntegrationServices", failing) })), "failed");
  });
});

describe("HP-HV-002 judgeIntegrationServicesInGuest", () => {
  it("tells a Hyper-V VM, another hypervisor's VM and physical hardware apart by Manufacturer and Model", () => {
    assert.deepEqual(machineOf({ manufacturer: "Microsoft Corporation", model: "Virtual Machine" }), { kind: "hyper-v" });
    // test/fixtures/samples/getperf_...txt, w2016/system.
    assert.deepEqual(machineOf({ manufacturer: "VMware, Inc.", model: "VMware Virtual Platform" }), { kind: "other-hypervisor", hypervisor: "VMware" });
    assert.deepEqual(machineOf({ manufacturer: "QEMU", model: "Standard PC (Q35 + ICH9, 2009)" }), { kind: "other-hypervisor", hypervisor: "KVM/QEMU" });
    assert.deepEqual(machineOf({ manufacturer: "Microsoft Corporation", model: "Surface Pro 7" }), { kind: "physical" });
    assert.deepEqual(machineOf({ manufacturer: "HPE", model: "ProLiant DL380 Gen10" }), { kind: "physical" });
    assert.equal(machineOf({ manufacturer: null, model: "Virtual Machine" }), null);
  });

  it("passes a Hyper-V VM whose guest services are present and running", () => {
    const j = expectStatus(inGuest({ name: "dc01", hyperVGuest: {} }), "passed");
    assert.equal(j.actual, "a Hyper-V VM: 5 of 5 integration services running");
    assert.deepEqual(j.details?.map((d) => [d.subject, d.outcome]), [
      ["dc01", "ok"],
      ["vmicheartbeat (Heartbeat)", "ok"],
      ["vmicshutdown (Shutdown)", "ok"],
      ["vmictimesync (Time Synchronization)", "ok"],
      ["vmickvpexchange (Key-Value Pair Exchange)", "ok"],
      ["vmicvss (VSS)", "ok"],
    ]);
    assert.equal(j.details?.[3]?.actual, "Running, start type Manual");
    assert.deepEqual(probesOf(j), ["dc01/computerSystem", ...GUEST_SERVICE_PROBES.map((p) => `dc01/${p.id}`)]);
  });

  it("fails a stopped or missing guest service, naming it, Shutdown and Time Synchronization as high impact", () => {
    const j = expectStatus(inGuest({ name: "app01", hyperVGuest: { services: { vmictimesync: { status: "Stopped", startType: "Disabled" }, vmicshutdown: null, vmickvpexchange: { status: "Paused" } } } }), "failed");
    assert.equal(j.actual, "vmicshutdown missing (high impact); vmictimesync stopped (high impact); vmickvpexchange paused");
    assert.deepEqual(j.details!.filter((d) => d.outcome === "deviation").map((d) => [d.subject, d.actual]), [
      ["vmicshutdown (Shutdown)", "no such service in this Windows"],
      ["vmictimesync (Time Synchronization)", "Stopped, start type Disabled"],
      ["vmickvpexchange (Key-Value Pair Exchange)", "Paused, start type Manual"],
    ]);
    // Guest Service Interface and PowerShell Direct are not required in the guest.
    expectStatus(inGuest({ name: "app01", hyperVGuest: { services: { vmicguestinterface: { status: "Stopped" }, vmicvmsession: null } } }), "passed");
  });

  it("allows what the inventory allows for every VM or for this one (by inventory or computer name)", () => {
    const spec: HostSpec = { name: "dc01.corp.contoso.test", hyperVGuest: { services: { vmictimesync: { status: "Stopped" } } } };
    for (const vm of [undefined, "dc01", "DC01", "dc01.corp.contoso.test"]) {
      const j = expectStatus(inGuest(spec, [{ ...(vm ? { vm } : {}), service: "TimeSynchronization", reason: "domain time from the PDC emulator" }]), "passed");
      assert.equal(j.details!.find((d) => d.outcome === "allowed")?.note, "domain time from the PDC emulator", String(vm));
      assert.match(j.actual, /1 exception allowed/);
    }
    expectStatus(inGuest(spec, [{ vm: "dc02", service: "TimeSynchronization", reason: "other VM" }]), "failed");
    const unused = expectStatus(inGuest({ name: "dc01", hyperVGuest: {} }, [{ service: "GuestServiceInterface", reason: "build file copy" }]), "passed");
    assert.match(unused.details!.at(-1)!.note ?? "", /GuestServiceInterface is not one of the services this control checks/);
  });

  it("is not applicable on physical hardware and on another hypervisor, saying which", () => {
    const physical = expectStatus(inGuest({ name: "hv01" }), "notApplicable");
    assert.equal(physical.actual, "not a Hyper-V virtual machine (Manufacturer 'Dell Inc.', Model 'PowerEdge R740'): a physical host or an unrecognised platform");
    assert.deepEqual(probesOf(physical), ["hv01/computerSystem"]);
    const vmware = expectStatus(inGuest({ name: "app2016", hardware: { manufacturer: "VMware, Inc.", model: "VMware Virtual Platform" } }), "notApplicable");
    assert.match(vmware.actual, /^a virtual machine on VMware, not on Hyper-V \(Manufacturer 'VMware, Inc.', Model 'VMware Virtual Platform'\)/);
    assert.match(vmware.reason?.message ?? "", /^app2016: a virtual machine on VMware/);
  });

  it("is undetermined when the machine or a service cannot be read", () => {
    const facts = factsOf({ name: "dc01", hyperVGuest: {} });
    expectStatus(judgeIntegrationServicesInGuest(hostCtx({ ...facts, computerSystem: unreadable("computerSystem", "timeout") })), "undetermined");
    assert.ok(facts.computerSystem.ok);
    const old = expectStatus(judgeIntegrationServicesInGuest(hostCtx({ ...facts, computerSystem: ok("computerSystem", { ...facts.computerSystem.value, manufacturer: null, model: null }) })), "undetermined");
    assert.equal(old.reason?.kind, "not-collected");
    // Collected for other controls: the service records are not there.
    const noServices = expectStatus(judgeIntegrationServicesInGuest(hostCtx(withoutGeneric({ name: "dc01", hyperVGuest: {} }))), "undetermined");
    assert.equal(noServices.reason?.kind, "not-collected");
    assert.match(noServices.actual, /5 services could not be read/);
    // A failing service still fails the host, whatever else could not be read.
    const mixed = factsOf({ name: "dc01", hyperVGuest: { services: { vmicvss: { status: "Stopped" } } } });
    const records = { ...mixed.records };
    delete records[GUEST_SERVICE_PROBES[0]!.id];
    expectStatus(judgeIntegrationServicesInGuest(hostCtx({ ...mixed, records })), "failed");
  });
});
