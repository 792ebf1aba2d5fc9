/** Hyper-V integration services: HP-HV-001 (on the host), HP-HV-002 (inside a VM). */
import { service as serviceFact, windowsFeature } from "../facts/generic";
import type { ComputerSystemFact, FactProblemKind, VmIntegrationServiceFact } from "../model/facts";
import type { IntegrationServiceAllowance } from "../model/inventory";
import type { DetailRow, EvidenceRef, Judgement } from "../model/result";
import { genericProbe, type GenericProbe } from "../probes/generic";
import { count, evidence, notApplicable, problemMessage, undeterminedFromFact } from "./common";
import type { HostJudge } from "./context";
import { GUEST_SERVICES, INTEGRATION_SERVICES, namesService, type IntegrationService } from "./integration-services";

/** The role, by ServerManager's name and DISM's (client SKUs and hosts without ServerManager). */
export const HYPER_V_ROLE: GenericProbe = genericProbe.windowsFeature("Hyper-V", "Microsoft-Hyper-V");

/** The guest side of each service the host keeps enabled, one service probe each. */
export const GUEST_SERVICE_PROBES: readonly GenericProbe[] = GUEST_SERVICES.map((s) => genericProbe.service(s.guestService));

function sameText(a: string, b: string): boolean {
  return a.trim().toLowerCase() === b.trim().toLowerCase();
}

function allowanceText(a: IntegrationServiceAllowance): string {
  return `${a.service} on ${a.vm ?? "every VM"}`;
}

/** Unused allowances are shown, not ignored: a stale exception is something an auditor wants to see. */
function unusedAllowanceRows(allowances: readonly IntegrationServiceAllowance[], used: ReadonlySet<IntegrationServiceAllowance>, checked: readonly IntegrationService[]): DetailRow[] {
  return allowances
    .filter((a) => !used.has(a))
    .map((a) => ({
      subject: `allowance ${a.service}`,
      expected: allowanceText(a),
      actual: `allowance for ${allowanceText(a)} matched no service out of line`,
      outcome: "info" as const,
      note: checked.some((s) => namesService(a.service, s)) ? a.reason : `${a.service} is not one of the services this control checks; ${a.reason}`,
    }));
}

// ------------------------------------------------------------------ HP-HV-001: the host

interface VmGroup {
  name: string;
  id: string | null;
  services: VmIntegrationServiceFact[];
}

/** VMs in the order Get-VM listed them. Names need not be unique on a host, so the VMId groups. */
function groupByVm(rows: readonly VmIntegrationServiceFact[]): VmGroup[] {
  const groups: VmGroup[] = [];
  for (const row of rows) {
    const group = groups.find((g) => (row.vmId !== null && g.id !== null ? sameText(g.id, row.vmId) : sameText(g.name, row.vmName)));
    if (group) group.services.push(row);
    else groups.push({ name: row.vmName, id: row.vmId, services: [row] });
  }
  return groups;
}

function shownVm(vm: VmGroup, all: readonly VmGroup[]): string {
  const twins = all.filter((g) => sameText(g.name, vm.name)).length > 1;
  return twins && vm.id !== null ? `${vm.name} (${vm.id})` : vm.name;
}

function state(enabled: boolean): string {
  return enabled ? "enabled" : "disabled";
}

/** What the host calls the service, where it is not the English name (a localised host). */
function localName(row: VmIntegrationServiceFact | undefined, service: IntegrationService): string {
  return row?.name && !sameText(row.name, service.label) ? `; shown on the host as '${row.name}'` : "";
}

function hostExpected(allowances: readonly IntegrationServiceAllowance[]): string {
  const wanted = "on every VM: Heartbeat, Shutdown, Time Synchronization, Key-Value Pair Exchange and VSS enabled, Guest Service Interface disabled";
  return allowances.length === 0 ? `${wanted} (the inventory allows no exception)` : `${wanted}, except ${count(allowances.length, "exception")} allowed in the inventory`;
}

export const judgeIntegrationServicesOnHost: HostJudge = (ctx) => {
  const { host } = ctx.facts;
  const allowances = ctx.inputs.integrationServices.allowed;
  const expected = hostExpected(allowances);
  const role = windowsFeature(ctx.facts, HYPER_V_ROLE);
  const roleRef = evidence(host, HYPER_V_ROLE.id);
  const listedVms = ctx.facts.vmIntegrationServices;
  // VMs that Get-VM lists prove the role runs: the role's record is not needed to judge them.
  if (!role.ok && !(listedVms.ok && listedVms.value.length > 0)) return undeterminedFromFact(host, role, expected);
  const feature = role.ok ? role.value.feature : null;
  if (role.ok && (!role.value.exists || feature === null || !feature.installed)) {
    const found = !role.value.exists || feature === null ? "this Windows has no Hyper-V feature" : `the Windows feature Hyper-V is not installed (InstallState ${feature.installState ?? "not reported"})`;
    // Get-VM listing VMs proves the role runs: the two facts cannot both be true, so neither decides.
    const listed = ctx.facts.vmIntegrationServices;
    if (listed.ok && listed.value.length > 0) {
      const vms = new Set(listed.value.map((r) => r.vmId ?? r.vmName)).size;
      const message = `${host}: ${found}, yet Get-VM listed ${count(vms, "virtual machine")} with integration services: the facts contradict each other`;
      return { status: "undetermined", expected, actual: message.slice(host.length + 2), reason: { kind: "inconsistent", message }, evidence: [roleRef, evidence(host, "vmIntegrationServices")] };
    }
    return { status: "notApplicable", expected, actual: found, reason: notApplicable(`${host} is not a Hyper-V host: ${found}`), evidence: [roleRef] };
  }

  const fact = ctx.facts.vmIntegrationServices;
  const refs: EvidenceRef[] = [roleRef, evidence(host, "vmIntegrationServices")];
  if (!fact.ok) {
    // The role is there but its PowerShell module is not (installed without management tools).
    const details: DetailRow[] =
      fact.problem.kind === "not-supported"
        ? [{ subject: host, expected: "the Hyper-V PowerShell module, to list the VMs", actual: "Get-VM is not available", outcome: "info", note: "the Hyper-V role is installed without its PowerShell module: Install-WindowsFeature Hyper-V-PowerShell" }]
        : [];
    return undeterminedFromFact(host, fact, expected, { evidence: refs, ...(details.length > 0 ? { details } : {}) });
  }
  const vms = groupByVm(fact.value);
  if (vms.length === 0) {
    return {
      status: "passed",
      expected,
      actual: "no VMs: Get-VM listed none (it lists only the VMs the collecting account may see)",
      evidence: refs,
    };
  }

  const details: DetailRow[] = [];
  const deviations: string[] = [];
  const unreadable: string[] = [];
  const used = new Set<IntegrationServiceAllowance>();
  let allowedTotal = 0;
  for (const vm of vms) {
    const name = shownVm(vm, vms);
    const rows: DetailRow[] = [];
    let asWanted = 0;
    for (const service of INTEGRATION_SERVICES) {
      const row = vm.services.find((s) => s.serviceId === service.id);
      const wantOn = service.wanted === "enabled";
      const subject = `${name} ${service.label}`;
      const rowExpected = wantOn ? "enabled" : "disabled (it lets the host copy files into the guest)";
      if (row !== undefined && row.enabled === null) {
        unreadable.push(`${name}: ${service.label}`);
        rows.push({ subject, expected: rowExpected, actual: `Enabled not reported${localName(row, service)}`, outcome: "unreadable" });
        continue;
      }
      // A service the VM does not offer at all is not enabled (Guest Service Interface is missing
      // on VMs of older configuration versions, which is as wanted).
      const enabled = row?.enabled ?? false;
      if (enabled === wantOn) {
        asWanted++;
        continue;
      }
      const highImpact = !enabled && service.highImpact !== undefined;
      const found = row === undefined ? "not offered to this VM" : state(enabled);
      const actual = `${found}${highImpact ? " (high impact)" : ""}${localName(row, service)}`;
      const allowance = allowances.find((a) => namesService(a.service, service) && (a.vm === undefined || sameText(a.vm, vm.name)));
      if (allowance) {
        used.add(allowance);
        allowedTotal++;
        asWanted++;
        rows.push({ subject, expected: rowExpected, actual, outcome: "allowed", note: allowance.reason });
        continue;
      }
      deviations.push(`${name}: ${service.label} ${found}${highImpact ? " (high impact)" : ""}`);
      rows.push({ subject, expected: rowExpected, actual, outcome: "deviation", ...(highImpact ? { note: `high impact: ${service.highImpact}` } : {}) });
    }
    const status = vm.services.find((s) => s.primaryStatus !== null)?.primaryStatus;
    details.push({
      subject: name,
      expected: "integration services as wanted",
      actual: `${asWanted} of ${INTEGRATION_SERVICES.length} as wanted${status === undefined ? "; no status reported (the VM is off)" : ""}`,
      outcome: rows.some((r) => r.outcome === "deviation" || r.outcome === "unreadable") ? "info" : "ok",
    });
    details.push(...rows);
  }
  details.push(...unusedAllowanceRows(allowances, used, INTEGRATION_SERVICES));

  if (deviations.length > 0) return { status: "failed", expected, actual: deviations.join("; "), details, evidence: refs };
  if (unreadable.length > 0) {
    return {
      status: "undetermined",
      expected,
      actual: `no deviation found, but Enabled was not reported for ${unreadable.join("; ")}`,
      reason: { kind: "malformed", message: `${host}: vmIntegrationServices reported no Enabled for ${unreadable.join("; ")}` },
      details,
      evidence: refs,
    };
  }
  const allowed = allowedTotal > 0 ? `, ${count(allowedTotal, "exception")} allowed` : "";
  return { status: "passed", expected, actual: `${count(vms.length, "VM")}: every integration service as wanted${allowed}`, details, evidence: refs };
};

// ------------------------------------------------------------------ HP-HV-002: the guest

export type Machine =
  | { kind: "hyper-v" }
  | { kind: "other-hypervisor"; hypervisor: string }
  | { kind: "physical" };

/**
 * Other hypervisors by the Win32_ComputerSystem text their virtual firmware reports. Anything
 * else is taken for physical hardware (an unknown hypervisor included): either way it is not a
 * Hyper-V guest, which is all the control needs to know.
 */
const OTHER_HYPERVISORS: ReadonlyArray<{ name: string; matches: (manufacturer: string, model: string) => boolean }> = [
  { name: "VMware", matches: (m, model) => /^vmware/i.test(m) || /^vmware/i.test(model) },
  { name: "VirtualBox", matches: (m, model) => /^innotek/i.test(m) || /virtualbox/i.test(model) },
  { name: "KVM/QEMU", matches: (m, model) => /^qemu/i.test(m) || /\bkvm\b/i.test(model) },
  { name: "Xen", matches: (m, model) => /^xen/i.test(m) || /\bhvm domu\b/i.test(model) },
  { name: "Amazon EC2", matches: (m) => /^amazon ec2/i.test(m) },
  { name: "Google Compute Engine", matches: (m, model) => /^google/i.test(m) && /compute engine/i.test(model) },
  { name: "Parallels", matches: (m) => /^parallels/i.test(m) },
  { name: "Nutanix AHV", matches: (m, model) => /^nutanix/i.test(m) || /^ahv$/i.test(model) },
];

/** Microsoft Corporation / Virtual Machine is a Hyper-V guest (Azure's too); Surface hardware is Microsoft Corporation as well. */
export function machineOf(cs: Pick<ComputerSystemFact, "manufacturer" | "model">): Machine | null {
  if (cs.manufacturer === null || cs.model === null) return null;
  if (sameText(cs.manufacturer, "Microsoft Corporation") && sameText(cs.model, "Virtual Machine")) return { kind: "hyper-v" };
  const other = OTHER_HYPERVISORS.find((h) => h.matches(cs.manufacturer!.trim(), cs.model!.trim()));
  return other ? { kind: "other-hypervisor", hypervisor: other.name } : { kind: "physical" };
}

const GUEST_EXPECTED = `inside a Hyper-V VM: ${GUEST_SERVICES.map((s) => s.guestService).join(", ")} present and running`;

/** The allowance for this guest: for every VM, or naming this host (its inventory or computer name). */
function guestAllowance(allowances: readonly IntegrationServiceAllowance[], service: IntegrationService, names: readonly string[]): IntegrationServiceAllowance | undefined {
  return allowances.find((a) => namesService(a.service, service) && (a.vm === undefined || names.some((n) => sameText(a.vm!, n))));
}

export const judgeIntegrationServicesInGuest: HostJudge = (ctx) => {
  const { host, computerSystem } = ctx.facts;
  const expected = GUEST_EXPECTED;
  if (!computerSystem.ok) return undeterminedFromFact(host, computerSystem, expected);
  const csRef = evidence(host, "computerSystem");
  const cs = computerSystem.value;
  const machine = machineOf(cs);
  if (machine === null) {
    return {
      status: "undetermined",
      expected,
      actual: "Manufacturer and Model of Win32_ComputerSystem were not reported",
      reason: { kind: "not-collected", message: `${host}: the computerSystem record has no Manufacturer or Model (a snapshot taken before they were read?), so it is unknown whether the host is a Hyper-V VM` },
      evidence: [csRef],
    };
  }
  const hardware = `Manufacturer '${cs.manufacturer}', Model '${cs.model}'`;
  if (machine.kind !== "hyper-v") {
    const found =
      machine.kind === "physical"
        ? `not a Hyper-V virtual machine (${hardware}): a physical host or an unrecognised platform`
        : `a virtual machine on ${machine.hypervisor}, not on Hyper-V (${hardware}): the Hyper-V integration services do not apply; ${machine.hypervisor}'s own guest tools take their place`;
    return { status: "notApplicable", expected, actual: found, reason: notApplicable(`${host}: ${found}`), evidence: [csRef] };
  }

  const allowances = ctx.inputs.integrationServices.allowed;
  const names = [host, host.split(".")[0]!, cs.name, ...(cs.dnsHostName ? [cs.dnsHostName] : [])];
  const refs: EvidenceRef[] = [csRef];
  const details: DetailRow[] = [{ subject: host, expected: "a Hyper-V virtual machine", actual: `a Hyper-V virtual machine (${hardware})`, outcome: "ok" }];
  const deviations: string[] = [];
  const problems: string[] = [];
  let firstProblemKind: FactProblemKind | undefined;
  const used = new Set<IntegrationServiceAllowance>();
  let running = 0;
  GUEST_SERVICES.forEach((service, index) => {
    const probe = GUEST_SERVICE_PROBES[index]!;
    refs.push(evidence(host, probe.id));
    const subject = `${service.guestService} (${service.label})`;
    const fact = serviceFact(ctx.facts, probe);
    if (!fact.ok) {
      problems.push(problemMessage(host, fact));
      firstProblemKind ??= fact.problem.kind;
      details.push({ subject, expected: "present and running", actual: `could not be read (${fact.problem.kind})`, outcome: "unreadable", note: problemMessage(host, fact) });
      return;
    }
    const s = fact.value;
    if (s.exists && s.status === "Running") {
      running++;
      details.push({ subject, expected: "present and running", actual: `Running, start type ${s.startType ?? "not reported"}`, outcome: "ok" });
      return;
    }
    const actual = s.exists ? `${s.status ?? "status not reported"}, start type ${s.startType ?? "not reported"}` : "no such service in this Windows";
    const allowance = guestAllowance(allowances, service, names);
    if (allowance) {
      used.add(allowance);
      details.push({ subject, expected: "present and running", actual, outcome: "allowed", note: allowance.reason });
      return;
    }
    const highImpact = service.highImpact !== undefined;
    deviations.push(`${service.guestService} ${s.exists ? (s.status ?? "status not reported").toLowerCase() : "missing"}${highImpact ? " (high impact)" : ""}`);
    details.push({ subject, expected: "present and running", actual, outcome: "deviation", ...(highImpact ? { note: `high impact: ${service.highImpact}` } : {}) });
  });
  details.push(...unusedAllowanceRows(allowances, used, GUEST_SERVICES));

  if (deviations.length > 0) return { status: "failed", expected, actual: deviations.join("; "), details, evidence: refs };
  if (problems.length > 0) {
    const judgement: Judgement = {
      status: "undetermined",
      expected,
      actual: `no deviation found on the services that could be read; ${count(problems.length, "service")} could not be read`,
      reason: { kind: firstProblemKind ?? "other", message: problems.join("; ") },
      details,
      evidence: refs,
    };
    return judgement;
  }
  const allowed = used.size > 0 ? `; ${count(details.filter((d) => d.outcome === "allowed").length, "exception")} allowed` : "";
  return { status: "passed", expected, actual: `a Hyper-V VM: ${running} of ${GUEST_SERVICES.length} integration services running${allowed}`, details, evidence: refs };
};
