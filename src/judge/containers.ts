/**
 * Windows container hosts: HP-CNT-001 (ready to run containers) and HP-CNT-002 (Hyper-V isolation
 * possible). Both judge container hosts only: a host with the Containers feature installed (or
 * pending a restart to install it) or with a container runtime service. Every other host is not
 * applicable, and says why.
 *
 * The runtime is the `docker` service (Docker Engine, Mirantis Container Runtime) or `containerd`.
 *
 * Windows Server 2016 (build 14393) needs KB3176936, the August 2016 servicing stack update, or a
 * later update before Docker runs. The OS revision decides where it was read (the windowsVersion
 * probe projects UBR from the CurrentVersion key, never its DigitalProductId): revision
 * CONTAINER_REVISION_2016 or above. Where it was not, Win32_QuickFixEngineering cannot say what an
 * update supersedes, so "or later" is read from the update list:
 * KB3176936 itself; the Server 2016 cumulative updates from September 2016 to January 2017, which
 * install on KB3176936's servicing stack or a later one (Microsoft's Nano Server servicing guide names
 * KB3176936 as the prerequisite of the first); or any update numbered KB4000000 or above, numbers
 * Microsoft reached in January 2017, after all of these. Two limits follow: a host whose only later
 * update is a .NET Framework one passes, and an update of mid-2016 that is not in the list
 * (KB3192137, found on Server 2016 images of that time) does not count. The row's note says what
 * counted.
 */
import { service, windowsFeature } from "../facts/generic";
import type { Fact, HostFacts, NamedFeatureFact, ServiceFact } from "../model/facts";
import type { DetailRow, EvidenceRef, Judgement } from "../model/result";
import { genericProbe, type GenericProbe } from "../probes/generic";
import { count, evidence, notApplicable, problemMessage, undeterminedFromFact, type UnreadFact } from "./common";
import type { HostJudge } from "./context";

export const CONTAINERS_FEATURE = genericProbe.windowsFeature("Containers");
export const DOCKER_SERVICE = genericProbe.service("docker");
export const CONTAINERD_SERVICE = genericProbe.service("containerd");
export const HYPERV_FEATURE = genericProbe.windowsFeature("Hyper-V", "Microsoft-Hyper-V");

/** What tells a container host from another host; every container check reads these. */
export const CONTAINER_HOST_PROBES: readonly GenericProbe[] = [CONTAINERS_FEATURE, DOCKER_SERVICE, CONTAINERD_SERVICE];

export const SERVER_2016_BUILD = 14393;
export const CONTAINER_UPDATE_2016 = "KB3176936";
/**
 * Windows Server 2016 cumulative updates after KB3176936 and below KB4000000, from Microsoft's
 * Windows 10 1607 / Server 2016 update history: 2016-09-26 (KB3192366, for which Microsoft's Nano
 * Server servicing guide names KB3176936 as the prerequisite), 2016-09-29, 2016-10-11, 2016-10-27,
 * 2016-11-08, 2016-12-09, 2016-12-13, 2017-01-10, 2017-01-26. From 2016-09-29 on they bring OS
 * revision 222 or above, past the bar (206) Microsoft's DockerMsftProvider set for "KB3176936 or
 * later".
 */
export const LATER_2016_UPDATES: readonly string[] = ["KB3192366", "KB3194496", "KB3194798", "KB3197954", "KB3200970", "KB3201845", "KB3206632", "KB3213986", "KB3216755"];
const LATER_BY_NUMBER = 4_000_000;
/**
 * The OS revision (UBR) KB3176936 brought to build 14393 is below this bar, which Microsoft's
 * DockerMsftProvider checked for "KB3176936 or later": where the windowsVersion probe read the
 * revision, it decides, whatever the update list says (cumulative updates replace each other there).
 */
export const CONTAINER_REVISION_2016 = 206;

interface Role {
  kind: "container-host" | "other" | "unknown";
  /** Why, in words. */
  why: string;
  evidence: EvidenceRef[];
  /** For "unknown": the first fact that could not be read. */
  unread?: UnreadFact;
  /** The runtime services that exist, read. */
  runtimes: { name: string; fact: ServiceFact }[];
  feature: Fact<NamedFeatureFact>;
  services: { name: string; fact: Fact<ServiceFact> }[];
}

const INSTALL_PENDING = 2;

function featureState(f: NamedFeatureFact): "installed" | "pending" | "absent" {
  if (!f.exists || f.feature === null) return "absent";
  const state = f.feature.installState;
  if (state === INSTALL_PENDING || (typeof state === "string" && state.toLowerCase() === "installpending")) return "pending";
  return f.feature.installed ? "installed" : "absent";
}

function containerRole(facts: HostFacts): Role {
  const { host } = facts;
  const feature = windowsFeature(facts, CONTAINERS_FEATURE);
  const services = [
    { name: "docker", fact: service(facts, DOCKER_SERVICE) },
    { name: "containerd", fact: service(facts, CONTAINERD_SERVICE) },
  ];
  const refs = CONTAINER_HOST_PROBES.map((p) => evidence(host, p.id));
  const runtimes = services.flatMap((s) => (s.fact.ok && s.fact.value.exists ? [{ name: s.name, fact: s.fact.value }] : []));
  const state = feature.ok ? featureState(feature.value) : null;
  const base = { evidence: refs, runtimes, feature, services };
  if (state === "installed" || state === "pending" || runtimes.length > 0) {
    const why = [
      state === "installed" ? "the Containers feature is installed" : state === "pending" ? "the Containers feature is installed pending a restart" : null,
      runtimes.length > 0 ? `it has the ${runtimes.map((r) => r.name).join(" and ")} service` : null,
    ].filter((w) => w !== null).join(", and ");
    return { kind: "container-host", why: `a container host: ${why}`, ...base };
  }
  const unread = [feature, ...services.map((s) => s.fact)].find((f): f is UnreadFact => !f.ok);
  if (unread !== undefined) return { kind: "unknown", why: "whether this is a container host could not be read", unread, ...base };
  return { kind: "other", why: "not a container host: the Containers feature is not installed and there is no docker or containerd service", ...base };
}

function notAContainerHost(host: string, role: Role, expected: string): Judgement {
  return { status: "notApplicable", expected, actual: role.why, reason: notApplicable(`${host} is ${role.why}`), evidence: role.evidence };
}

function unknownRole(host: string, role: Role, expected: string): Judgement {
  return undeterminedFromFact(host, role.unread!, expected, { evidence: role.evidence });
}

/** One part of readiness: its detail row, and the fact behind it when that could not be read. */
interface Part {
  row: DetailRow;
  unread?: UnreadFact;
}

function unreadPart(host: string, subject: string, expected: string, what: string, fact: UnreadFact): Part {
  return { row: { subject, expected, actual: `${what} could not be read (${fact.problem.kind})`, outcome: "unreadable", note: problemMessage(host, fact) }, unread: fact };
}

function featurePart(host: string, role: Role): Part {
  const subject = "Containers feature";
  const expected = "installed";
  if (!role.feature.ok) return unreadPart(host, subject, expected, "the feature", role.feature);
  const state = featureState(role.feature.value);
  if (state === "installed") return { row: { subject, expected, actual: "installed", outcome: "ok" } };
  if (state === "pending") return { row: { subject, expected, actual: "install pending: the host must restart", outcome: "deviation" } };
  return { row: { subject, expected, actual: role.feature.value.exists ? "not installed" : "this host has no Containers feature", outcome: "deviation" } };
}

function runtimePart(host: string, role: Role): Part {
  const subject = "container runtime";
  const expected = "the docker or containerd service, running";
  const shownAll = role.runtimes.map((r) => `${r.name} ${r.fact.status ?? "status not reported"}`).join(", ");
  if (role.runtimes.some((r) => r.fact.status === "Running")) return { row: { subject, expected, actual: shownAll, outcome: "ok" } };
  // A service that could not be read might be the running one.
  for (const s of role.services) if (!s.fact.ok) return unreadPart(host, subject, expected, `${shownAll ? `${shownAll}; ` : ""}${s.name}`, s.fact);
  if (role.runtimes.length === 0) return { row: { subject, expected, actual: "no docker or containerd service", outcome: "deviation" } };
  return { row: { subject, expected, actual: `${shownAll}: not running`, outcome: "deviation" } };
}

/** Whether `id` is KB3176936 or an update this control counts as later (see the file comment). */
export function laterThanContainerUpdate(id: string): boolean {
  const upper = id.toUpperCase();
  if (upper === CONTAINER_UPDATE_2016 || LATER_2016_UPDATES.includes(upper)) return true;
  const m = /^KB(\d+)$/.exec(upper);
  return m !== null && Number(m[1]) >= LATER_BY_NUMBER;
}

/** The Server 2016 update; `refs` gains the probes read, which depend on the build. */
function updatePart(facts: HostFacts, refs: EvidenceRef[]): Part {
  const { host, os, hotfixes } = facts;
  const subject = `${CONTAINER_UPDATE_2016} (Windows Server 2016)`;
  const expected = `on build ${SERVER_2016_BUILD}: ${CONTAINER_UPDATE_2016} or a later update installed`;
  refs.push(evidence(host, "os"));
  const version = facts.windowsVersion;
  // The build from Win32_OperatingSystem, or else from the CurrentVersion key: either decides.
  const build = os.ok ? os.value.build : version.ok ? version.value.currentBuild : null;
  if (build === null && !os.ok) return unreadPart(host, subject, expected, "the Windows build", os);
  if (!os.ok) refs.push(evidence(host, "windowsVersion"));
  if (build !== null && build !== SERVER_2016_BUILD) return { row: { subject, expected, actual: `not needed: build ${build}${os.ok ? "" : " (the CurrentVersion key's CurrentBuild; Win32_OperatingSystem could not be read)"}`, outcome: "info" } };
  if (version.ok && version.value.ubr !== null) {
    if (os.ok) refs.push(evidence(host, "windowsVersion"));
    const ubr = version.value.ubr;
    const ok = ubr >= CONTAINER_REVISION_2016;
    return {
      row: {
        subject,
        expected,
        actual: `OS revision 14393.${ubr}: ${ok ? `${CONTAINER_UPDATE_2016} or a later update is in place` : `older than ${CONTAINER_UPDATE_2016}'s servicing`}`,
        outcome: ok ? "ok" : "deviation",
        note: `revision ${CONTAINER_REVISION_2016} or above counts, the bar Microsoft's DockerMsftProvider set for ${CONTAINER_UPDATE_2016} or later`,
      },
    };
  }
  refs.push(evidence(host, "hotfixes"));
  if (!hotfixes.ok) return unreadPart(host, subject, expected, "the installed updates", hotfixes);
  const ids = hotfixes.value.map((h) => h.id);
  if (ids.includes(CONTAINER_UPDATE_2016)) return { row: { subject, expected, actual: `${CONTAINER_UPDATE_2016} installed`, outcome: "ok" } };
  const later = ids.filter(laterThanContainerUpdate);
  if (later.length > 0) {
    return {
      row: {
        subject,
        expected,
        actual: `later update${later.length === 1 ? "" : "s"} installed: ${later.join(", ")}`,
        outcome: "ok",
        note: `counted as later: the Server 2016 cumulative updates of September 2016 to January 2017 (${LATER_2016_UPDATES.join(", ")}) and any update numbered KB${LATER_BY_NUMBER} or above`,
      },
    };
  }
  const listed = ids.length > 0 ? `: ${ids.join(", ")}` : "";
  return { row: { subject, expected, actual: `neither ${CONTAINER_UPDATE_2016} nor a later update is among the ${count(ids.length, "installed update")}${listed}`, outcome: "deviation" } };
}

export const judgeContainerHostReady: HostJudge = ({ facts }) => {
  const { host } = facts;
  const expected = `a container host has the Containers feature installed and a running container runtime (docker or containerd); on Windows Server 2016 also ${CONTAINER_UPDATE_2016} or a later update`;
  const role = containerRole(facts);
  if (role.kind === "other") return notAContainerHost(host, role, expected);
  if (role.kind === "unknown") return unknownRole(host, role, expected);
  const refs = [...role.evidence];
  const parts = [featurePart(host, role), runtimePart(host, role), updatePart(facts, refs)];
  const details = parts.map((p) => p.row);
  const failed = details.filter((d) => d.outcome === "deviation");
  const unread = parts.filter((p) => p.unread !== undefined);
  const named = (rows: DetailRow[]): string => rows.map((d) => `${d.subject} (${d.actual})`).join("; ");
  if (failed.length > 0) {
    // An unreadable part cannot repair a failed one; it is still named.
    const alsoUnread = unread.length > 0 ? `; not read: ${unread.map((p) => p.row.subject).join(", ")}` : "";
    return { status: "failed", expected, actual: `${role.why}; not ready: ${named(failed)}${alsoUnread}`, details, evidence: refs };
  }
  if (unread.length > 0) {
    return {
      status: "undetermined",
      expected,
      actual: `${role.why}; no part found lacking, but not read: ${named(unread.map((p) => p.row))}`,
      reason: { kind: unread[0]!.unread!.problem.kind, message: unread.map((p) => p.row.note!).join("; ") },
      details,
      evidence: refs,
    };
  }
  const ready = details.filter((d) => d.outcome === "ok").map((d) => `${d.subject}: ${d.actual}`).join("; ");
  return { status: "passed", expected, actual: `${role.why}; ${ready}`, details, evidence: refs };
};

export const judgeHyperVIsolationAvailable: HostJudge = (ctx) => {
  const { host } = ctx.facts;
  const expected = "a container host has the Hyper-V role (Windows feature Hyper-V), so that containers can run with Hyper-V isolation";
  const role = containerRole(ctx.facts);
  if (role.kind === "other") return notAContainerHost(host, role, expected);
  if (role.kind === "unknown") return unknownRole(host, role, expected);
  const refs = [...role.evidence, evidence(host, HYPERV_FEATURE.id)];
  const hyperV = windowsFeature(ctx.facts, HYPERV_FEATURE);
  if (!hyperV.ok) return undeterminedFromFact(host, hyperV, expected, { evidence: refs });
  const state = featureState(hyperV.value);
  if (state === "installed") return { status: "passed", expected, actual: `${role.why}; the Hyper-V role is installed: Hyper-V isolation is available`, evidence: refs };
  const lacking = state === "pending" ? "the Hyper-V role is installed pending a restart" : hyperV.value.exists ? "the Hyper-V role is not installed" : "this host has no Hyper-V feature";
  return { status: "failed", expected, actual: `${role.why}; ${lacking}: process isolation only`, evidence: refs };
};
