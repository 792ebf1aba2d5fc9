/**
 * The objects of an OSCAL 1.2.3 assessment-results document made from hostproof's record, one at
 * a time, so that the stream (./oscal-stream.ts) holds a slice's worth and never the estate's.
 *
 * What maps to what (docs/oscal.md says it for a GRC engineer):
 * - a host is an inventory item, a cluster a component (type system), hostproof itself a component
 *   (type software) of the assessment platform, the actor of every finding;
 * - each probe record a host's snapshot holds is an observation (method TEST, collected when the
 *   probe started), and so is the snapshot as a whole (collected at its collectedAt), for results
 *   that cite no probe or one the snapshot lacks; each points at the kept snapshot, a back-matter
 *   resource carrying its SHA-256;
 * - each result is a finding per NIST SP 800-53 control its control maps to (target the catalog's
 *   objective `sc-3_obj` or statement `cm-7_smt.a`), related to the observations of the probes it
 *   cites;
 * - each waiver that waived a result is a risk, deviation-approved, with its justification,
 *   approver, reference and last day (deadline), and a risk-log entry for the approval.
 *
 * Statuses: OSCAL's target state is `satisfied` or `not-satisfied` and nothing else, and `reason`
 * is a token. passed: satisfied (pass). failed: not-satisfied (fail). undetermined: not-satisfied
 * (undetermined), since what could not be read was not shown to be met, never satisfied. not
 * applicable: satisfied (not-applicable) with implementation-status not-applicable: the objective
 * asks nothing of that target (a standalone host and a cluster control), which is how FedRAMP and
 * OSCAL's own implementation-status word it; `not-satisfied` would be a deficiency that is not there.
 * waived: the state of what the control found (a waived failure is not-satisfied, fail), with the
 * waiver's risk related; the acceptance is the risk's, not the finding's.
 */
import type { InventoryCluster } from "../../../model/inventory";
import type { Result, ResultStatus } from "../../../model/result";
import type { DirectoryRecord, HostRecord } from "../../../model/run";
import type { ProbeRecord } from "../../../model/snapshot";
import type { AppliedWaiver } from "../../../model/waiver";
import type { WaivedCounts } from "../../bookkeeping/digest";
import { hostIdentity } from "../../../evidence/identity";
import { scopeText } from "../../../waivers/describe";
import { STATUS_WORDS, targetTitle } from "../../text";
import type { EvidenceView } from "../evidence-view";
import { nistTargets, UNMAPPED, type NistTarget } from "./oscal-ids";
import { markdownText, markupLine, markupMulti, oscalDateTime, endOfDay, pathHref, stringValue } from "./oscal-text";

/** hostproof's own prop names live here, as OSCAL asks of props outside NIST's vocabulary. */
export const HOSTPROOF_NS = "https://hostproof.dev/ns/oscal";

export interface Prop {
  name: string;
  value: string;
  ns?: string;
}

/** A prop of hostproof's namespace (or NIST's, `nist`), left out when the value is empty once made a string. */
export function prop(name: string, value: string | undefined | null, nist = false): Prop[] {
  const v = stringValue(value);
  if (v === undefined) return [];
  return [nist ? { name, value: v } : { name, ns: HOSTPROOF_NS, value: v }];
}

/** The UUIDs of one report (oscal-ids.ts: runNamer). */
export type Namer = (kind: string, ...parts: string[]) => string;

export const ids = {
  tool: (n: Namer) => n("tool"),
  platform: (n: Namer) => n("platform"),
  host: (n: Namer, host: string) => n("host", host),
  /** The estate's directory: a component, its snapshot a resource, the snapshot as a whole an observation. */
  directory: (n: Namer, name: string) => n("directory", name),
  directorySnapshot: (n: Namer, name: string) => n("directory-snapshot", name),
  directoryWhole: (n: Namer, name: string) => n("directory-observation", name),
  cluster: (n: Namer, cluster: string) => n("cluster", cluster),
  snapshot: (n: Namer, host: string) => n("snapshot", host),
  /** The observation of a host's snapshot as a whole. */
  whole: (n: Namer, host: string) => n("observation", host),
  probe: (n: Namer, host: string, probe: string) => n("observation", host, probe),
  finding: (n: Namer, r: Pick<Result, "control" | "target">, t: NistTarget) => n("finding", r.control.id, r.target.kind, r.target.name, t.id),
  risk: (n: Namer, index: number) => n("risk", String(index)),
  riskLog: (n: Namer, index: number) => n("risk-log", String(index)),
  party: (n: Namer, who: string) => n("party", who),
  plan: (n: Namer) => n("plan"),
};

/** Where a host's kept snapshot is, and its digest (SliceView.kept). */
export type Kept = { file: string; sha256: string } | undefined;

export function inventoryItem(n: Namer, h: HostRecord, clusterKnown: boolean): object {
  const who = hostIdentity(h.snapshot);
  const described = `Windows host ${markdownText(h.name)}${h.cluster !== undefined ? `, a node of cluster ${markdownText(h.cluster)}` : ""}, as its snapshot describes it.`;
  return {
    uuid: ids.host(n, h.name),
    description: markupMulti(described),
    props: [
      ...prop("asset-id", h.name, true),
      ...prop("asset-type", "os", true),
      ...prop("fqdn", who.fqdn, true),
      ...prop("os-name", who.osCaption, true),
      ...prop("os-version", who.osBuild, true),
      ...(h.cluster !== undefined ? prop("cluster", h.cluster) : []),
    ],
    ...(h.cluster !== undefined && clusterKnown ? { "implemented-components": [{ "component-uuid": ids.cluster(n, h.cluster) }] } : {}),
  };
}

export function clusterComponent(n: Namer, c: InventoryCluster): object {
  return {
    uuid: ids.cluster(n, c.name),
    type: "system",
    title: markupLine(`cluster ${c.name}`),
    description: markupMulti(`Failover cluster ${markdownText(c.name)} (${markdownText(c.type)}) of ${c.nodes.length} nodes: ${c.nodes.map((node) => markdownText(node)).join(", ")}.`),
    props: [...prop("cluster-type", c.type), ...prop("nodes", String(c.nodes.length))],
    status: { state: "operational" },
  };
}

/** The estate's directory (issue 23): a component, never a host's inventory item. */
export function directoryComponent(n: Namer, name: string, d: DirectoryRecord | undefined): object {
  const described = d !== undefined ? `Active Directory domain ${markdownText(name)}: ${d.objects} computer objects under ${markdownText(d.base)}, read from ${markdownText(d.url)}.` : `The estate's directory: no directory snapshot was given, so nothing of it was read.`;
  return {
    uuid: ids.directory(n, name),
    type: "service",
    title: markupLine(`directory ${name}`),
    description: markupMulti(described),
    props: [...prop("directory", name), ...(d !== undefined ? [...prop("base-dn", d.base), ...prop("objects", String(d.objects))] : [])],
    status: { state: "operational" },
  };
}

/** The back-matter resource the directory's observation points at: the kept snapshot and its SHA-256. */
export function directoryResource(n: Namer, d: DirectoryRecord): object {
  return {
    uuid: ids.directorySnapshot(n, d.name),
    title: markupLine(`Directory snapshot of ${d.name}`),
    description: markupMulti(`Every computer object hostproof read from ${markdownText(d.url)} under ${markdownText(d.base)}, as the report keeps it at ${markdownText(d.file)} (relative to the report folder).`),
    rlinks: [{ href: pathHref(d.file), "media-type": "application/json", hashes: [{ algorithm: "SHA-256", value: d.sha256 }] }],
  };
}

/** The observation of the directory snapshot as a whole: what every directory result relies on. */
export function directoryObservation(n: Namer, d: DirectoryRecord, fallback: string): object {
  const at = oscalDateTime(d.collectedAt);
  return {
    uuid: ids.directoryWhole(n, d.name),
    title: markupLine(`Directory snapshot of ${d.name}`),
    description: markupMulti(`hostproof read ${d.objects} computer objects from ${markdownText(d.url)} under ${markdownText(d.base)}, from ${markdownText(d.collectedAt)} to ${markdownText(d.finishedAt)}.`),
    methods: ["TEST"],
    subjects: [{ "subject-uuid": ids.directory(n, d.name), type: "component" }],
    "relevant-evidence": [{ href: `#${ids.directorySnapshot(n, d.name)}`, description: markupMulti(`${markdownText(d.file)}, SHA-256 ${d.sha256}`) }],
    collected: at ?? fallback,
  };
}

/** The back-matter resource a host's observations point at: the kept snapshot and its SHA-256. */
export function snapshotResource(n: Namer, host: string, kept: NonNullable<Kept>): object {
  return {
    uuid: ids.snapshot(n, host),
    title: markupLine(`Snapshot of ${host}`),
    description: markupMulti(`Every probe hostproof read from ${markdownText(host)}, as the report keeps it at ${markdownText(kept.file)} (relative to the report folder).`),
    rlinks: [{ href: pathHref(kept.file), "media-type": "application/json", hashes: [{ algorithm: "SHA-256", value: kept.sha256 }] }],
  };
}

function evidenceOf(n: Namer, host: string, kept: Kept): object {
  if (kept === undefined) return {};
  return { "relevant-evidence": [{ href: `#${ids.snapshot(n, host)}`, description: markupMulti(`${markdownText(kept.file)}, SHA-256 ${kept.sha256}`) }] };
}

/**
 * The observation of a host's snapshot as a whole. `fallback`: the run's start, for a snapshot
 * whose collectedAt OSCAL cannot carry (collected is required).
 */
export function snapshotObservation(n: Namer, h: HostRecord, kept: Kept, fallback: string): object {
  const s = h.snapshot;
  const at = oscalDateTime(s.collectedAt);
  const probes = Object.keys(s.probes ?? {}).length;
  const collector = `${s.collector?.name ?? "?"} ${s.collector?.version ?? ""}`.trim();
  return {
    uuid: ids.whole(n, h.name),
    title: markupLine(`Snapshot of ${h.name}`),
    description: markupMulti(`${markdownText(collector)} read ${probes} probes from ${markdownText(h.name)} over ${markdownText(String(s.collector?.transport ?? "?"))}.`),
    methods: ["TEST"],
    subjects: [{ "subject-uuid": ids.host(n, h.name), type: "inventory-item" }],
    ...evidenceOf(n, h.name, kept),
    collected: at ?? fallback,
    ...(at === undefined ? { remarks: markupMulti(`The snapshot's collectedAt, ${markdownText(String(s.collectedAt))}, is not a time OSCAL can carry: this is the run's start.`) } : {}),
  };
}

/** The observation of one probe record of a host's snapshot. */
export function probeObservation(n: Namer, host: string, probe: string, title: string, record: ProbeRecord, kept: Kept, fallback: string): object {
  const at = oscalDateTime(record.startedAt);
  const outcome = "error" in record ? `the probe failed (${markdownText(String(record.error?.kind))}): ${markdownText(String(record.error?.message))}` : "it answered; its output is in the snapshot";
  return {
    uuid: ids.probe(n, host, probe),
    title: markupLine(`${title} on ${host}`),
    description: markupMulti(`hostproof read ${markdownText(title)} from ${markdownText(host)}: ${outcome}.`),
    props: prop("probe", probe),
    methods: ["TEST"],
    subjects: [{ "subject-uuid": ids.host(n, host), type: "inventory-item" }],
    ...evidenceOf(n, host, kept),
    collected: at ?? fallback,
    ...(at === undefined ? { remarks: markupMulti(`The probe's startedAt, ${markdownText(String(record.startedAt))}, is not a time OSCAL can carry: this is when the snapshot was collected.`) } : {}),
  };
}

/** A finding's target status for a result (see the module's comment). */
export function targetStatus(r: Pick<Result, "status" | "waiver" | "reason">): { state: "satisfied" | "not-satisfied"; reason: string; remarks?: string } {
  const underlying: ResultStatus = r.status === "waived" ? (r.waiver?.originalStatus ?? "failed") : r.status;
  const why = r.reason?.message !== undefined ? markupMulti(markdownText(r.reason.message, true)) : undefined;
  switch (underlying) {
    case "passed":
      return { state: "satisfied", reason: "pass" };
    case "notApplicable":
      return { state: "satisfied", reason: "not-applicable", ...(why !== undefined ? { remarks: why } : {}) };
    case "undetermined":
      return { state: "not-satisfied", reason: "undetermined", ...(why !== undefined ? { remarks: why } : {}) };
    default:
      return { state: "not-satisfied", reason: "fail" };
  }
}

/** What a finding relates to: its observations' UUIDs, each once, and the risk of its waiver. */
export interface FindingLinks {
  observations: string[];
  /** The risks of the waivers that accepted the result, or objects in its rows. */
  risks?: readonly string[];
}

/**
 * The observations a result relies on: the probe records it cites, as the hosts' snapshots hold
 * them; a cited probe the snapshot lacks, or a result citing none, relies on the snapshot as a
 * whole (a cluster's: its nodes'). Only hosts in `present` (the slice's, whose observations the
 * document holds) are named, so that no reference dangles.
 */
export function observationsOf(n: Namer, r: Result, views: readonly EvidenceView[], keyOf: (host: string, probe: string) => string | undefined, nodes: (cluster: string) => readonly string[], present: (host: string) => boolean): string[] {
  const out = new Set<string>();
  for (const v of views) {
    if (!present(v.host)) continue;
    const key = v.record !== undefined ? keyOf(v.host, v.probe) : undefined;
    out.add(key !== undefined ? ids.probe(n, v.host, key) : ids.whole(n, v.host));
  }
  if (out.size === 0) {
    const hosts = r.target.kind === "host" ? [r.target.name] : nodes(r.target.name);
    for (const h of hosts) if (present(h)) out.add(ids.whole(n, h));
  }
  return [...out];
}

/** The words of a finding: what was found, what was expected, why, and the waiver. */
function findingDescription(r: Result, t: NistTarget): string {
  const lines = [
    `hostproof control ${markdownText(r.control.id)} (${markdownText(r.control.title)}) on ${markdownText(targetTitle(r.target))}: ${STATUS_WORDS[r.status]}.`,
    `Expected: ${markdownText(r.expected)}`,
    `Actual: ${markdownText(r.actual)}`,
  ];
  if (r.rule !== undefined) lines.push(`Rule applied: ${markdownText(r.rule)}`);
  if (r.reason !== undefined) lines.push(`Reason (${markdownText(r.reason.kind)}): ${markdownText(r.reason.message)}`);
  if (r.waiver !== undefined) lines.push(`Waived by ${markdownText(waiverName(r.waiver))}, approved by ${markdownText(r.waiver.approver)}, through ${markdownText(r.waiver.expires)}: ${markdownText(r.waiver.justification)}`);
  if (t === UNMAPPED) lines.push("This control names no NIST SP 800-53 control: its target is hostproof's `hostproof-unmapped`.");
  else lines.push(`NIST SP 800-53 rev5 ${markdownText(t.shown)}${t.ours ? ", chosen by the control's author (no authority maps it)" : ""}.`);
  return markupMulti(lines.join("\n\n"));
}

export function waiverName(w: Pick<AppliedWaiver, "id" | "index">): string {
  return w.id ?? `waivers[${w.index}]`;
}

/** The findings of one result: one per NIST target of its control (UNMAPPED when it has none). */
export function findings(n: Namer, r: Result, links: FindingLinks, tool: string): object[] {
  const targets = nistTargets(r.control);
  const unread = (r.control.mappings?.nist ?? []).filter((ref) => !targets.some((t) => t.shown === ref.id)).map((ref) => ref.id);
  return (targets.length > 0 ? targets : [UNMAPPED]).map((t) => {
    const status = targetStatus(r);
    return {
      uuid: ids.finding(n, r, t),
      title: markupLine(`${t === UNMAPPED ? r.control.id : t.shown} on ${targetTitle(r.target)}: ${r.control.title}`),
      description: findingDescription(r, t),
      props: [
        ...prop("control-id", r.control.id),
        ...prop("severity", r.control.severity),
        ...prop("result", STATUS_WORDS[r.status]),
        ...prop(r.target.kind, r.target.name),
        ...(r.target.kind === "host" && r.target.cluster !== undefined ? prop("cluster", r.target.cluster) : []),
        ...(r.control.mappings?.stig ?? []).flatMap((s) => prop("stig-id", s.stigId)),
        ...(r.control.mappings?.cci ?? []).flatMap((c) => prop("cci", c)),
        ...unread.flatMap((id) => prop("nist-unread", id)),
      ],
      origins: [{ actors: [{ type: "tool", "actor-uuid": tool }] }],
      target: {
        type: t.type,
        "target-id": t.id,
        status,
        ...(status.reason === "not-applicable" ? { "implementation-status": { state: "not-applicable", ...(status.remarks !== undefined ? { remarks: status.remarks } : {}) } } : {}),
      },
      ...(links.observations.length > 0 ? { "related-observations": links.observations.map((u) => ({ "observation-uuid": u })) } : {}),
      ...(links.risks !== undefined && links.risks.length > 0 ? { "related-risks": links.risks.map((id) => ({ "risk-uuid": id })) } : {}),
      ...(links.observations.length === 0 ? { remarks: "No observation of this document holds what this result relied on." } : {}),
    };
  });
}

/** A waiver as the stream knows it at the end: what a result carried, and how many it waived. */
export interface RiskWaiver {
  waiver: Omit<AppliedWaiver, "originalStatus">;
  /** What it took: results by the status they had, and directory objects. */
  waived: WaivedCounts;
}

/** A waiver that waived results of this run, as a risk whose deviation is approved. */
export function risk(n: Namer, { waiver: w, waived }: RiskWaiver, runStart: string, approver: string): object {
  const name = waiverName(w);
  const deadline = endOfDay(w.expires);
  const count = waived.failed + waived.undetermined;
  const statement = [
    waived.objects > 0
      ? `${waived.objects} directory objects in the results of hostproof control ${markdownText(w.controlId)} are accepted as they are (${markdownText(scopeText(w.scope))}); each is a row of that result naming this waiver, and the result keeps its own status.`
      : `${count} results of hostproof control ${markdownText(w.controlId)} on ${markdownText(scopeText(w.scope))} are accepted as they are: ${waived.failed} failed, ${waived.undetermined} undetermined.`,
    w.runControl ? "The control was still judged: only failures are waived, and an undetermined result stays undetermined." : "The approver's attestation stands in for the check (runControl: false): undetermined results are waived too.",
    `Approved by ${markdownText(w.approver)} under reference ${markdownText(w.reference)}; the waiver applies through ${markdownText(w.expires)} (UTC).`,
  ];
  return {
    uuid: ids.risk(n, w.index),
    title: markupLine(`Waiver ${name}: ${w.controlId} accepted on ${scopeText(w.scope)}`),
    description: markupMulti(markdownText(w.justification, true)),
    statement: markupMulti(statement.join("\n\n")),
    props: [
      ...prop("waiver-id", name),
      ...prop("control-id", w.controlId),
      ...prop("scope", scopeText(w.scope)),
      ...prop("justification", w.justification),
      ...prop("approver", w.approver),
      ...prop("reference", w.reference),
      ...prop("expires", w.expires),
      ...prop("run-control", String(w.runControl)),
    ],
    status: "deviation-approved",
    ...(deadline !== undefined ? { deadline } : {}),
    "risk-log": {
      entries: [
        {
          uuid: ids.riskLog(n, w.index),
          title: "Deviation approved",
          description: markupMulti(`Approved by ${markdownText(w.approver)} under reference ${markdownText(w.reference)}.`),
          start: runStart,
          "logged-by": [{ "party-uuid": approver, "role-id": "waiver-approver" }],
          "status-change": "deviation-approved",
          remarks: "The waiver file does not say when the deviation was approved: this entry is dated by the run that applied it.",
        },
      ],
    },
  };
}
