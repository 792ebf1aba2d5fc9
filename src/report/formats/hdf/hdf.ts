/**
 * hostproof's results in MITRE's Heimdall Data Format (HDF, the "exec JSON" that `inspec exec
 * --reporter json` writes and Heimdall, the SAF CLI and eMASS tooling read). This module maps one
 * control or one result; hdf-stream.ts writes the file as the run streams past.
 *
 * The shape follows inspecjs 2.12.6's exec-json (HDF 1.0): a profile per feature file, a control
 * per control ID, a result per host or cluster. The types below are what hostproof writes, a
 * subset of inspecjs' ExecJSON; test/report/hdf.test.ts checks a written file with inspecjs itself.
 */
import { createHash } from "node:crypto";
import type { ControlMeta, Result, ResultStatus } from "../../../model/result";
import { cisShown, NO_MAPPINGS, type ControlMappings } from "../../../model/mapping";
import type { StatusTotals } from "../../../model/run";
import type { Severity } from "../../../model/severity";
import type { AppliedWaiver } from "../../../model/waiver";
import { approvalText, waiverLabel } from "../../../waivers/describe";
import { commandLines, type EvidenceView } from "../evidence-view";
import { auditorMessage, detailsText, reasonLine, targetTitle, waiverLine } from "../../text";

export const HDF_FILE = "hdf.json";

/**
 * Heimdall, HDF's viewer, shows a result's code_desc, message and skip_message and a control's
 * title, desc, descriptions, tags and refs as HTML (sanitize-html, then v-html): text from a host,
 * a waiver or a feature file holding `<b>` or `<a href=…>` would be drawn as markup, or vanish.
 * So those fields carry their text with &, < and > as entities, which Heimdall shows as the
 * characters they are. Other fields (ids, statuses, times, waiver_data) are shown as text there
 * and stay as they are.
 */
export function heimdallText(text: string): string {
  return text.replace(/[&<>]/g, (c) => (c === "&" ? "&amp;" : c === "<" ? "&lt;" : "&gt;"));
}

/** HDF's result statuses that hostproof uses (inspecjs 2.12.6 knows these four). */
export type HdfStatus = "passed" | "failed" | "skipped" | "error";

export interface HdfResult {
  status: HdfStatus;
  code_desc: string;
  start_time: string;
  run_time?: number;
  resource: string;
  resource_id: string;
  message: string;
  skip_message?: string;
}

export interface HdfWaiverData {
  justification: string;
  expiration_date: string;
  run: boolean;
  skipped_due_to_waiver: boolean;
  message: string;
}

export interface HdfDescription {
  label: string;
  data: string;
}

/** A control without its results, which hdf-stream.ts writes from a spool behind it. */
export interface HdfControlHead {
  id: string;
  title: string;
  desc: string;
  descriptions: HdfDescription[];
  impact: number;
  refs: { ref: string }[];
  tags: Record<string, string | string[]>;
  source_location: { ref: string; line: null };
  waiver_data?: HdfWaiverData;
}

/**
 * InSpec's impact per severity (InSpec's own scale: low 0.01-0.39, medium 0.4-0.69, high
 * 0.7-0.89, critical 0.9-1.0; Heimdall converts back with the same bands). 0 is reserved for
 * "not applicable", which Heimdall shows for impact 0 whatever the results say.
 */
export const SEVERITY_IMPACT: Readonly<Record<Severity, number>> = { critical: 0.9, high: 0.7, medium: 0.5, low: 0.3 };

/**
 * passed and failed are HDF's own. undetermined → error: HDF's `error` is a test that could not
 * be run to a verdict (an InSpec resource raised), which is exactly "the fact could not be read";
 * Heimdall then shows the control as "Profile Error", never as passed. notApplicable → skipped
 * with the reason as skip_message (the control's impact is 0 when every result is, see
 * controlImpact). waived → skipped with the waiver as skip_message, the finding kept in message,
 * and the control's waiver_data saying which waivers (waiverData).
 */
export function hdfStatus(status: ResultStatus): HdfStatus {
  switch (status) {
    case "passed":
      return "passed";
    case "failed":
      return "failed";
    case "undetermined":
      return "error";
    case "notApplicable":
    case "waived":
      return "skipped";
  }
}

/**
 * A raw probe output longer than this is cut in HDF messages: at 100,000 hosts a hotfix list or
 * an adapter table per result would make the file many gigabytes, and the whole output is in the
 * host's snapshot under evidence/snapshots/, which the message names.
 */
export const RAW_OUTPUT_LIMIT = 4096;

function rawText(view: EvidenceView): string {
  const record = view.record;
  if (record === undefined) return "not collected: the host's snapshot holds no record of this probe";
  if ("error" in record) return `error (${record.error.kind}): ${record.error.message}`;
  const json = JSON.stringify(record.output) ?? "null";
  if (json.length <= RAW_OUTPUT_LIMIT) return `output: ${json}`;
  return `output (first ${RAW_OUTPUT_LIMIT} of ${json.length} characters; the whole output is in evidence/snapshots/ under ${view.host}): ${json.slice(0, RAW_OUTPUT_LIMIT)}`;
}

function evidenceText(views: readonly EvidenceView[]): string {
  if (views.length === 0) return "";
  const lines = ["Evidence:"];
  for (const v of views) {
    const ran = v.record !== undefined ? `, ran ${v.record.startedAt}${v.record.durationMs !== undefined ? ` (${v.record.durationMs} ms)` : ""}` : "";
    lines.push(`- ${v.title} on ${v.host}${ran}`, ...commandLines(v).map((l) => `  ${l}`), `  ${rawText(v)}`);
  }
  return lines.join("\n");
}

/**
 * One result. code_desc names the target (every result of a control sits in one list in
 * Heimdall) and the PowerShell that read the facts; message is expected vs actual, the working
 * and each probe's raw output or error; start_time is when the facts were read (`collectedAt`,
 * evidence.ts), else the run's start for a result citing no probe.
 */
export function hdfResult(r: Result, views: readonly EvidenceView[], collectedAt: string | undefined, runStartedAt: string): HdfResult {
  const commands = views.map((v) => v.command).filter((c) => c !== "");
  const status = hdfStatus(r.status);
  const out: HdfResult = {
    status,
    code_desc: heimdallText(`${targetTitle(r.target)}: ${commands.length > 0 ? commands.join("\n") : r.control.title}`),
    start_time: collectedAt ?? runStartedAt,
    resource: views.length > 0 ? [...new Set(views.map((v) => v.probe))].join(", ") : r.target.kind,
    resource_id: r.target.name,
    message: heimdallText([auditorMessage(r), detailsText(r.details ?? []), evidenceText(views)].filter((s) => s !== "").join("\n\n")),
  };
  const durations = views.map((v) => v.record?.durationMs).filter((d): d is number => d !== undefined);
  if (durations.length > 0) out.run_time = durations.reduce((a, b) => a + b, 0) / 1000;
  if (status === "skipped") out.skip_message = heimdallText(waiverLine(r) ?? reasonLine(r) ?? "not applicable");
  return out;
}

/** What a control's results add up to, kept per control while the run streams past. */
export interface ControlTally {
  meta: ControlMeta;
  counts: Record<ResultStatus, number>;
  total: number;
  /** Each waiver that waived a result of the control, by its index in the waiver file. */
  waivers: Map<number, WaiverUse>;
}

export interface WaiverUse {
  waiver: AppliedWaiver;
  failed: number;
  undetermined: number;
}

export function newTally(meta: ControlMeta): ControlTally {
  return { meta, counts: { passed: 0, failed: 0, undetermined: 0, notApplicable: 0, waived: 0 }, total: 0, waivers: new Map() };
}

export function tallyResult(tally: ControlTally, r: Result): void {
  tally.counts[r.status] += 1;
  tally.total += 1;
  if (r.waiver === undefined) return;
  const use = tally.waivers.get(r.waiver.index) ?? { waiver: r.waiver, failed: 0, undetermined: 0 };
  use[r.waiver.originalStatus] += 1;
  tally.waivers.set(r.waiver.index, use);
}

/**
 * Impact 0 is how HDF says "not applicable" (Heimdall shows such a control as Not Applicable), but
 * impact belongs to the control and applicability to each target: the control keeps its
 * severity's impact while any target is in scope, and drops to 0 only when no target is (every
 * result not applicable, or no result at all: a cluster control in an estate without clusters).
 */
export function controlImpact(tally: ControlTally): number {
  return tally.counts.notApplicable === tally.total ? 0 : SEVERITY_IMPACT[tally.meta.severity];
}

/**
 * HDF has one waiver_data per control (InSpec waives a control on a node), hostproof waives a
 * control on a host or a cluster. So waiver_data is set when any result of the control was
 * waived and tells all of them: the justification (each waiver's, labelled, when there are
 * several), the earliest expiry (the day the control first loses a waiver) and a message listing
 * each waiver with its approval and how many results it took. Each waived result carries its own
 * waiver in skip_message too.
 *
 * run is always true: hostproof judges every control on every target and applies waivers to the
 * outcome (InSpec's run: false means the control was not executed). skipped_due_to_waiver, which
 * makes Heimdall show the whole control as waived (Not Applicable in inspecjs 2.12.6), is true
 * only when the waivers account for every result that is in scope: with one host failing
 * unwaived, or passing, the control's own status must still show.
 */
export function waiverData(tally: ControlTally): HdfWaiverData | undefined {
  if (tally.waivers.size === 0) return undefined;
  const uses = [...tally.waivers.values()].sort((a, b) => a.waiver.index - b.waiver.index);
  const label = (w: AppliedWaiver): string => waiverLabel(w, w.index);
  const counted = (u: WaiverUse): string =>
    [u.failed > 0 ? `${u.failed} failed` : "", u.undetermined > 0 ? `${u.undetermined} undetermined` : ""].filter((s) => s !== "").join(", ");
  return {
    justification: uses.length === 1 ? uses[0]!.waiver.justification : uses.map((u) => `${label(u.waiver)}: ${u.waiver.justification}`).join("; "),
    expiration_date: uses.map((u) => u.waiver.expires).reduce((a, b) => (b < a ? b : a)),
    run: true,
    skipped_due_to_waiver: tally.counts.waived > 0 && tally.counts.waived + tally.counts.notApplicable === tally.total,
    message: `${tally.counts.waived} of ${tally.total} results waived: ${uses.map((u) => `${label(u.waiver)} waived ${counted(u)} (${approvalText(u.waiver)})`).join("; ")}`,
  };
}

/**
 * A control's HDF head. desc is the rationale (HDF's "default" description), the remediation is
 * the `fix` description as InSpec profiles and STIG converters label it, and the control's
 * source is its reference. `code` is left out: a hostproof control's code is its Gherkin
 * scenario, which ControlMeta does not carry; source_location names the feature file.
 */
export function controlHead(tally: ControlTally, mappings: ControlMappings = tally.meta.mappings ?? NO_MAPPINGS): HdfControlHead {
  const c = tally.meta;
  const h = heimdallText;
  const descriptions: HdfDescription[] = [{ label: "default", data: h(c.rationale ?? c.title) }];
  if (c.rationale !== undefined) descriptions.push({ label: "rationale", data: h(c.rationale) });
  if (c.remediation !== undefined) descriptions.push({ label: "fix", data: h(c.remediation) });
  const tags: Record<string, string | string[]> = { severity: c.severity, feature: h(c.feature), featureName: h(c.featureName), origin: h(c.origin), gherkin: c.tags.map(h) };
  if (c.source !== undefined) tags.source = h(c.source);
  Object.assign(tags, mappingTags(mappings));
  const head: HdfControlHead = {
    id: c.id,
    title: h(c.title),
    desc: h(c.rationale ?? c.title),
    descriptions,
    impact: controlImpact(tally),
    refs: c.source !== undefined ? [{ ref: h(c.source) }] : [],
    tags,
    source_location: { ref: c.feature, line: null },
  };
  const waivers = waiverData(tally);
  if (waivers !== undefined) head.waiver_data = waivers;
  return head;
}

/**
 * The tags MITRE's tools read a control's frameworks from: `nist` and `cci` as lists, `stig_id`,
 * `gid` and `rid` as text (hdf2ckl and hdf2xccdf take one value; a control that maps the rule of
 * several Windows Server STIGs lists them all, comma-separated, in the same order in each).
 * `nist_ours` names the NIST ids no authority maps (README, "Framework mappings").
 */
export function mappingTags(m: ControlMappings): Record<string, string | string[]> {
  const tags: Record<string, string | string[]> = {};
  if (m.nist.length > 0) tags.nist = m.nist.map((n) => n.id);
  const ours = m.nist.filter((n) => n.ours).map((n) => n.id);
  if (ours.length > 0) tags.nist_ours = ours;
  if (m.cci.length > 0) tags.cci = [...m.cci];
  if (m.stig.length > 0) {
    tags.stig_id = m.stig.map((s) => s.stigId).join(", ");
    tags.gid = m.stig.map((s) => s.vulnId).join(", ");
    const rids = m.stig.map((s) => s.ruleId).filter((r): r is string => r !== undefined);
    if (rids.length > 0) tags.rid = rids.join(", ");
  }
  if (m.cis.length > 0) tags.cis = m.cis.map(cisShown);
  if (m.conflicts.length > 0) tags.conflicts = m.conflicts.map((k) => (k.framework === "stig" ? `STIG ${k.ref.stigId} (${k.ref.vulnId})` : cisShown(k.ref)));
  return tags;
}

/**
 * HDF's profile checksum. A profile here is a feature file, but the report must not depend on
 * reading it again (merge replays shards elsewhere): this is the SHA-256 of the controls'
 * definitions as the run used them (id, title, severity, tags, rationale, remediation, source).
 */
export function profileSha256(controls: readonly ControlMeta[]): string {
  const defs = controls.map((c) => [c.id, c.title, c.severity, c.tags, c.rationale ?? null, c.remediation ?? null, c.source ?? null]);
  return createHash("sha256").update(JSON.stringify(defs)).digest("hex");
}

/**
 * The name of the one profile a document holds: every control of the run (hdf.json) or judged on
 * one target (hdf/), with a group per feature file. The SAF CLI reads a document's first profile as
 * the one that ran (InSpec lists an overlay's dependencies after it): with a profile per feature,
 * its `summary` and `validate threshold` counted the first feature's controls only, and a pipeline
 * gate passed over the others' failures. One name in every document, so `saf summary` adds files up.
 */
export const HDF_PROFILE = "hostproof";

/** `items` with each feature file's together, the features in the order of their first item. */
export function byFeature<T>(items: Iterable<T>, meta: (item: T) => ControlMeta): T[] {
  const groups = new Map<string, T[]>();
  for (const item of items) {
    const feature = meta(item).feature;
    const list = groups.get(feature);
    if (list === undefined) groups.set(feature, [item]);
    else list.push(item);
  }
  return [...groups.values()].flat();
}

/** A profile without its controls, which the writers put behind it. */
export interface HdfProfileHead {
  name: string;
  title: string;
  version: string;
  sha256: string;
  supports: { "platform-family": string }[];
  attributes: never[];
  groups: { id: string; title: string; controls: string[] }[];
  status: "loaded";
}

/** A profile of `controls`, with a group per feature file they come from (in the order of their first control). */
export function profileHead(name: string, title: string, controls: readonly ControlMeta[], version: string): HdfProfileHead {
  const groups = new Map<string, { id: string; title: string; controls: string[] }>();
  for (const c of controls) {
    const group = groups.get(c.feature);
    if (group === undefined) groups.set(c.feature, { id: c.feature, title: c.featureName, controls: [c.id] });
    else group.controls.push(c.id);
  }
  return { name, title, version, sha256: profileSha256(controls), supports: [{ "platform-family": "windows" }], attributes: [], groups: [...groups.values()], status: "loaded" };
}

/** HDF's statistics.controls: results counted by HDF status (error: undetermined; skipped: not applicable and waived). */
export function hdfStatistics(counts: Omit<StatusTotals, "total">, duration?: number): object {
  return {
    ...(duration !== undefined && Number.isFinite(duration) ? { duration } : {}),
    controls: {
      passed: { total: counts.passed },
      failed: { total: counts.failed },
      skipped: { total: counts.notApplicable + counts.waived },
      error: { total: counts.undetermined },
    },
  };
}
