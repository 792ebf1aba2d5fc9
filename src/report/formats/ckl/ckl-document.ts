/**
 * One host's STIG checklist (a .ckl, DISA STIG Viewer 2's XML), laid out as STIG Viewer writes it:
 * CHECKLIST > ASSET, then STIGS > iSTIG per STIG > STIG_INFO and a VULN per STIG rule.
 *
 * A VULN is a STIG rule some control of the run maps (@stig tags), under the STIG of the host's
 * release (stig-choice.ts). Several controls may map one rule: the VULN is one, its STATUS the
 * worst of theirs (Open, then Not_Reviewed, then NotAFinding; Not_Applicable only when every one is
 * not applicable), and FINDING_DETAILS gives each control's verdict with its evidence.
 *
 * Status: passed is NotAFinding, failed Open, undetermined Not_Reviewed (a fact nobody could read
 * is never NotAFinding), not applicable Not_Applicable. A waived result keeps the status of what
 * the control found (a waived failure stays Open) and the waiver goes to COMMENTS: in eMASS a risk
 * acceptance is recorded against an open finding, it does not close it. Where the host's release
 * is unknown, a passed result is Not_Reviewed: which STIG the host is assessed by is not known.
 *
 * The rule's own text (DISA's title, discussion, check and fix) is not hostproof's to copy: the
 * VULN carries the STIG, Vuln and Rule IDs, the CAT and CCIs from the tags, and the control's own
 * title, rationale and remediation, saying that hostproof's check is the source.
 *
 * Text from a host, a feature file or a waiver is escaped; characters XML 1.0 cannot carry
 * (control characters) are shown as \uXXXX and the VULN says so.
 */
import { createHash } from "node:crypto";
import { isIP } from "node:net";
import type { StigCat, StigRef } from "../../../model/mapping";
import type { Result, ResultStatus } from "../../../model/result";
import type { JsonValue } from "../../../model/json";
import { waiverLabel } from "../../../waivers/describe";
import { detailsText, reasonLine } from "../../text";
import type { EvidenceLookup } from "../evidence-view";
import { escapeText, unrepresentable } from "../xml";
import { releaseInfo, STIG_BENCHMARKS, stigRefText, type StigBenchmark } from "./stig-benchmarks";
import { stigFits, type CklRole, type StigChoice } from "../stig-choice";

export const CKL_STATUSES = ["Open", "Not_Reviewed", "NotAFinding", "Not_Applicable"] as const;
export type CklStatus = (typeof CKL_STATUSES)[number];

/** Characters of a probe's output a VULN shows; the whole record is in the kept snapshot. */
export const CKL_EVIDENCE_CHARS = 2000;

const SEVERITY: Readonly<Record<StigCat, string>> = { I: "high", II: "medium", III: "low" };
const CAT_RANK: Readonly<Record<StigCat, number>> = { I: 0, II: 1, III: 2 };

/** What the control found, as a checklist says it. A waived result: what the control found before the waiver. */
export function cklStatusOf(status: ResultStatus, original?: Result["waiver"]): CklStatus {
  switch (status) {
    case "passed":
      return "NotAFinding";
    case "failed":
      return "Open";
    case "undetermined":
      return "Not_Reviewed";
    case "notApplicable":
      return "Not_Applicable";
    case "waived":
      return original?.originalStatus === "undetermined" ? "Not_Reviewed" : "Open";
  }
}

/** The worst first: Open, Not_Reviewed, NotAFinding; Not_Applicable only when all are. */
function worst(statuses: readonly CklStatus[]): CklStatus {
  for (const s of CKL_STATUSES) if (statuses.includes(s)) return s;
  return "Not_Reviewed";
}

export interface CklHost {
  name: string;
  cluster?: string;
  /** The inventory's address, when it is an IP address. */
  ip?: string;
  role: CklRole;
  choice: StigChoice;
  collectedAt?: string;
  /** The host's snapshot as the report keeps it. */
  snapshot?: { file: string; sha256: string };
}

export interface CklInput {
  host: CklHost;
  /** The host's results, in the run's order. */
  results: readonly Result[];
  lookup: EvidenceLookup;
  tool: { name: string; version: string };
}

export type StatusCounts = Record<CklStatus, number>;

export type CklBuilt =
  | { ok: true; xml: string; stigs: string[]; counts: StatusCounts; unplaced: string[] }
  | { ok: false; why: string; unplaced: string[] };

interface Vuln {
  ref: StigRef;
  cat: StigCat;
  results: Result[];
  /** Results of controls that contradict this rule on purpose (@conflict). */
  conflicts: Result[];
}

/** An RFC 4122 version-5 UUID (SHA-1, a fixed namespace): the same name gives the same UUID in every export. */
export function uuidV5(name: string): string {
  // The URL namespace of RFC 4122, with hostproof's names under it.
  const ns = Buffer.from("6ba7b8119dad11d180b400c04fd430c8", "hex");
  const h = createHash("sha1").update(ns).update(`hostproof:ckl:${name}`).digest();
  h[6] = (h[6]! & 0x0f) | 0x50;
  h[8] = (h[8]! & 0x3f) | 0x80;
  const x = h.subarray(0, 16).toString("hex");
  return `${x.slice(0, 8)}-${x.slice(8, 12)}-${x.slice(12, 16)}-${x.slice(16, 20)}-${x.slice(20)}`;
}

/** The STIG rules of `results` to write, by platform and STIG ID, and the rules no STIG of this host can hold. */
function collect(results: readonly Result[], choice: StigChoice): { byStig: Map<string, Map<string, Vuln>>; unplaced: Set<string> } {
  const byStig = new Map<string, Map<string, Vuln>>();
  const unplaced = new Set<string>();
  const wanted = (ref: StigRef): boolean => ref.platform !== undefined && STIG_BENCHMARKS[ref.platform] !== undefined && stigFits(ref, choice);
  for (const r of results) {
    for (const ref of r.control.mappings?.stig ?? []) {
      if (ref.platform === undefined || STIG_BENCHMARKS[ref.platform] === undefined) {
        unplaced.add(ref.stigId);
        continue;
      }
      if (!wanted(ref)) continue;
      let rules = byStig.get(ref.platform);
      if (rules === undefined) byStig.set(ref.platform, (rules = new Map()));
      const vuln = rules.get(ref.stigId);
      if (vuln === undefined) rules.set(ref.stigId, { ref, cat: ref.cat, results: [r], conflicts: [] });
      else {
        if (!vuln.results.includes(r)) vuln.results.push(r);
        if (CAT_RANK[ref.cat] < CAT_RANK[vuln.cat]) vuln.cat = ref.cat;
      }
    }
  }
  // A conflict is shown where the rule is a VULN of its own; it never makes one.
  for (const r of results) {
    for (const c of r.control.mappings?.conflicts ?? []) {
      if (c.framework !== "stig" || c.ref.platform === undefined) continue;
      const vuln = byStig.get(c.ref.platform)?.get(c.ref.stigId);
      if (vuln !== undefined && !vuln.conflicts.includes(r)) vuln.conflicts.push(r);
    }
  }
  return { byStig, unplaced };
}

function outputText(value: JsonValue | { error: unknown }): string {
  return JSON.stringify(value, null, 1) ?? "null";
}

const STATUS_SAID: Readonly<Record<ResultStatus, string>> = { passed: "passed", failed: "failed", undetermined: "undetermined", notApplicable: "not applicable", waived: "waived" };

function verdictLine(r: Result): string {
  const waived = r.waiver !== undefined ? ` (${r.waiver.originalStatus}, waived by ${waiverLabel(r.waiver, r.waiver.index)})` : "";
  return `${r.control.id} [${r.control.severity}]: ${STATUS_SAID[r.status]}${waived}`;
}

/** One control's verdict and its evidence, as FINDING_DETAILS lists it. */
function resultDetails(r: Result, input: CklInput): string {
  const { host } = input;
  const lines = [verdictLine(r), `  Control: ${r.control.title} (${r.control.feature})`, `  Expected: ${r.expected}`, `  Actual: ${r.actual}`];
  if (r.rule !== undefined) lines.push(`  Rule: ${r.rule}`);
  const reason = reasonLine(r);
  if (reason !== undefined) lines.push(`  ${reason}`);
  if (r.details !== undefined && r.details.length > 0) lines.push("  Details:", ...detailsText(r.details).split("\n").map((l) => `    ${l}`));
  if (r.evidence.length > 0) lines.push("  Evidence:");
  for (const ref of r.evidence) {
    const view = input.lookup(ref);
    const record = view.record;
    lines.push(`  - ${view.title} (probe ${ref.probe}${ref.host !== host.name ? ` on host ${ref.host}` : ""})`);
    lines.push(view.unshippedCommand === undefined ? `    Command: ${view.command}` : `    Command: none to run; the snapshot names a command hostproof does not run: ${view.unshippedCommand}`);
    if (record === undefined) {
      lines.push("    Output: the snapshot holds no record of this probe");
      continue;
    }
    lines.push(`    Collected: ${record.startedAt}`);
    const whole = outputText("error" in record ? { error: record.error } : record.output);
    const kept = ref.host === host.name ? host.snapshot : undefined;
    const where = kept !== undefined ? `${kept.file}, SHA-256 ${kept.sha256}` : `host ${ref.host}'s snapshot in evidence/snapshots/`;
    if (whole.length > CKL_EVIDENCE_CHARS) {
      lines.push(`    ${"error" in record ? "Error" : "Output"} (the first ${CKL_EVIDENCE_CHARS} of ${whole.length} characters; the whole record is in ${where}):`, whole.slice(0, CKL_EVIDENCE_CHARS));
    } else lines.push(`    ${"error" in record ? "Error" : "Output"} (whole; kept in ${where}):`, whole);
  }
  return lines.join("\n");
}

function findingDetails(v: Vuln, status: CklStatus, input: CklInput, unknownWhy: string | undefined): string {
  const { host, tool } = input;
  const head = [
    `${tool.name} ${tool.version} judged this rule with its own check${v.results.length > 1 ? "s" : ""}, below, from the snapshot of host ${host.name}${host.collectedAt !== undefined ? ` collected ${host.collectedAt}` : ""}${host.snapshot !== undefined ? ` (${host.snapshot.file}, SHA-256 ${host.snapshot.sha256})` : ""}. DISA's check text is in the STIG.`,
  ];
  if (v.results.length > 1) head.push(`STATUS ${status} is the worst of ${v.results.length} checks (Open, then Not_Reviewed, then NotAFinding; Not_Applicable only when every one is not applicable).`);
  if (unknownWhy !== undefined && v.results.some((r) => r.status === "passed")) {
    head.push(`Not NotAFinding although a check passed: hostproof could not tell which Windows Server release this host runs (${unknownWhy}), so which STIG it is assessed by is not known.`);
  }
  const parts = [head.join("\n"), ...v.results.map((r) => resultDetails(r, input))];
  for (const c of v.conflicts) {
    parts.push(`${verdictLine(c)}\n  ${c.control.id} contradicts this rule on purpose (${c.control.title}); its result does not change this rule's STATUS.\n  Actual: ${c.actual}`);
  }
  const text = parts.join("\n\n");
  const hidden = unrepresentable(text);
  return hidden === 0 ? text : `${text}\n\n${hidden} character${hidden === 1 ? "" : "s"} XML 1.0 cannot carry (control characters) are shown as \\uXXXX; the snapshot holds them as read.`;
}

function comments(v: Vuln, status: CklStatus): string {
  const waived = v.results.filter((r) => r.waiver !== undefined);
  return waived
    .map((r) => {
      const w = r.waiver!;
      return [
        `WAIVER :: ${waiverLabel(w, w.index)} waives ${r.control.id}'s ${w.originalStatus} result on this host. A waiver accepts the risk; it does not remove the finding, so STATUS stays ${status}.`,
        `Justification: ${w.justification}`,
        `Approved by: ${w.approver}; reference: ${w.reference}; expires: ${w.expires}`,
      ].join("\n");
    })
    .join("\n");
}

const el = (name: string, text: string, indent: string): string => (text === "" ? `${indent}<${name}></${name}>` : `${indent}<${name}>${escapeText(text).replace(/\r/g, "&#13;")}</${name}>`);

function stigData(attribute: string, data: string): string {
  return `\t\t\t\t<STIG_DATA>\n\t\t\t\t\t<VULN_ATTRIBUTE>${attribute}</VULN_ATTRIBUTE>\n${el("ATTRIBUTE_DATA", data, "\t\t\t\t\t")}\n\t\t\t\t</STIG_DATA>`;
}

function siData(name: string, data: string): string {
  return data === "" ? `\t\t\t\t<SI_DATA>\n\t\t\t\t\t<SID_NAME>${name}</SID_NAME>\n\t\t\t\t</SI_DATA>` : `\t\t\t\t<SI_DATA>\n\t\t\t\t\t<SID_NAME>${name}</SID_NAME>\n${el("SID_DATA", data, "\t\t\t\t\t")}\n\t\t\t\t</SI_DATA>`;
}

const perControl = (v: Vuln, pick: (r: Result) => string | undefined): string =>
  [...new Map(v.results.map((r) => [r.control.id, pick(r)] as const))].filter(([, t]) => t !== undefined && t !== "").map(([id, t]) => (v.results.length > 1 ? `${id}: ${t}` : t!)).join("\n\n");

function vulnXml(v: Vuln, b: StigBenchmark, uuid: string, input: CklInput, unknownWhy: string | undefined): { xml: string; status: CklStatus } {
  let statuses = v.results.map((r) => cklStatusOf(r.status, r.waiver));
  if (unknownWhy !== undefined) statuses = statuses.map((s) => (s === "NotAFinding" ? "Not_Reviewed" : s));
  const status = worst(statuses);
  const ids = [...new Set(v.results.map((r) => r.control.id))];
  const ccis = [...new Set(v.results.flatMap((r) => r.control.mappings?.cci ?? []))].sort();
  const data: [string, string][] = [
    ["Vuln_Num", v.ref.vulnId],
    ["Severity", SEVERITY[v.cat]],
    ["Group_Title", ""],
    ["Rule_ID", v.ref.ruleId ?? ""],
    ["Rule_Ver", v.ref.stigId],
    ["Rule_Title", [...new Map(v.results.map((r) => [r.control.id, `${r.control.id}: ${r.control.title}`]))].map(([, t]) => t).join(" / ")],
    ["Vuln_Discuss", perControl(v, (r) => r.control.rationale)],
    ["IA_Controls", ""],
    ["Check_Content", `hostproof checks this rule with ${ids.join(", ")} (${[...new Set(v.results.map((r) => r.control.feature))].join(", ")}). This is hostproof's check of the rule, not DISA's check text: read the STIG for the rule's own wording.`],
    ["Fix_Text", perControl(v, (r) => r.control.remediation)],
    ["False_Positives", ""],
    ["False_Negatives", ""],
    ["Documentable", "false"],
    ["Mitigations", ""],
    ["Potential_Impact", ""],
    ["Third_Party_Tools", ""],
    ["Mitigation_Control", ""],
    ["Responsibility", ""],
    ["Security_Override_Guidance", ""],
    ["Check_Content_Ref", ""],
    ["Weight", "10.0"],
    ["Class", "Unclass"],
    ["STIGRef", stigRefText(b)],
    ["TargetKey", ""],
    ["STIG_UUID", uuid],
    ...ccis.map((c): [string, string] => ["CCI_REF", c]),
  ];
  const xml = [
    "\t\t\t<VULN>",
    ...data.map(([a, d]) => stigData(a, d)),
    el("STATUS", status, "\t\t\t\t"),
    el("FINDING_DETAILS", findingDetails(v, status, input, unknownWhy), "\t\t\t\t"),
    el("COMMENTS", comments(v, status), "\t\t\t\t"),
    el("SEVERITY_OVERRIDE", "", "\t\t\t\t"),
    el("SEVERITY_JUSTIFICATION", "", "\t\t\t\t"),
    "\t\t\t</VULN>",
  ].join("\n");
  return { xml, status };
}

/** What the ASSET's TARGET_COMMENT says: where the checklist came from and which STIG it holds, and why. */
function targetComment(input: CklInput, stigs: readonly string[], unplaced: readonly string[]): string {
  const { host, tool, results } = input;
  const lines = [`Written by ${tool.name} ${tool.version} from the snapshot of ${host.name}${host.collectedAt !== undefined ? ` collected ${host.collectedAt}` : ""}${host.snapshot !== undefined ? ` (${host.snapshot.file}, SHA-256 ${host.snapshot.sha256})` : ""}.`];
  if (host.cluster !== undefined) lines.push(`A node of cluster ${host.cluster}.`);
  const c = host.choice;
  if (c.kind === "platform") lines.push(`STIG: ${c.platform}, chosen from ${c.basis}.`);
  else if (c.kind === "unknown") lines.push(`The host's Windows Server release is not known: ${c.why}. The checklist holds the rules of every Windows Server STIG the run's controls map (${stigs.join(", ")}), none of them NotAFinding.`);
  else lines.push(`No STIG: ${c.why}.`);
  if (unplaced.length > 0) lines.push(`Not in this checklist: ${unplaced.join(", ")}, rules of a STIG hostproof cannot tell applies to this host; the results are in the other reports.`);
  const mapped = results.filter((r) => (r.control.mappings?.stig.length ?? 0) > 0).length;
  lines.push(`${mapped} of the host's ${results.length} results map a STIG rule; the others are in the other reports.`);
  return lines.join("\n");
}

/**
 * The host's name as HOST_FQDN, where it is one: the SAF CLI refuses a checklist whose HOST_FQDN is
 * not an FQDN (a top-level label of two or more letters) or an IP address, and a short name is not.
 */
export function fqdnOf(name: string): string {
  if (isIP(name) !== 0) return name;
  const labels = name.split(".");
  return labels.length > 1 && /^[A-Za-z]{2,63}$/.test(labels[labels.length - 1]!) ? name : "";
}

/** The checklist of one host, or why it has none (no STIG applies, or no control maps a rule of it). */
export function buildCkl(input: CklInput): CklBuilt {
  const { host } = input;
  const { byStig, unplaced } = collect(input.results, host.choice);
  const unplacedList = [...unplaced].sort();
  if (host.choice.kind === "none") return { ok: false, why: `no STIG applies: ${host.choice.why}`, unplaced: unplacedList };
  if (byStig.size === 0) {
    const which = host.choice.kind === "platform" ? `the ${host.choice.platform} STIG` : "any Windows Server STIG";
    return { ok: false, why: `no control of the run judged on this host maps a rule of ${which}`, unplaced: unplacedList };
  }
  const unknownWhy = host.choice.kind === "unknown" ? host.choice.why : undefined;
  const platforms = Object.keys(STIG_BENCHMARKS).filter((p) => byStig.has(p));
  const counts: StatusCounts = { Open: 0, Not_Reviewed: 0, NotAFinding: 0, Not_Applicable: 0 };
  const istigs: string[] = [];
  for (const platform of platforms) {
    const b = STIG_BENCHMARKS[platform]!;
    const uuid = uuidV5(`${host.name.toLowerCase()}\u0000${b.stigid}`);
    const info = [
      siData("version", b.version),
      siData("classification", "UNCLASSIFIED"),
      siData("customname", ""),
      siData("stigid", b.stigid),
      siData("description", ""),
      siData("filename", b.filename),
      siData("releaseinfo", releaseInfo(b)),
      siData("title", b.title),
      siData("uuid", uuid),
      siData("notice", "terms-of-use"),
      siData("source", "STIG.DOD.MIL"),
    ];
    const rules = [...byStig.get(platform)!.values()].sort((x, y) => (x.ref.stigId < y.ref.stigId ? -1 : x.ref.stigId > y.ref.stigId ? 1 : 0));
    const vulns = rules.map((v) => vulnXml(v, b, uuid, input, unknownWhy));
    for (const v of vulns) counts[v.status] += 1;
    istigs.push(["\t\t<iSTIG>", "\t\t\t<STIG_INFO>", ...info, "\t\t\t</STIG_INFO>", ...vulns.map((v) => v.xml), "\t\t</iSTIG>"].join("\n"));
  }
  const stigs = platforms.map((p) => STIG_BENCHMARKS[p]!.stigid);
  const asset = [
    "\t<ASSET>",
    el("ROLE", host.role, "\t\t"),
    el("ASSET_TYPE", "Computing", "\t\t"),
    el("HOST_NAME", host.name, "\t\t"),
    el("HOST_IP", host.ip ?? "", "\t\t"),
    el("HOST_MAC", "", "\t\t"),
    el("HOST_FQDN", fqdnOf(host.name), "\t\t"),
    el("TARGET_COMMENT", targetComment(input, platforms, unplacedList), "\t\t"),
    el("TECH_AREA", "Windows OS", "\t\t"),
    el("TARGET_KEY", "", "\t\t"),
    el("WEB_OR_DATABASE", "false", "\t\t"),
    el("WEB_DB_SITE", "", "\t\t"),
    el("WEB_DB_INSTANCE", "", "\t\t"),
    "\t</ASSET>",
  ];
  const xml = ['<?xml version="1.0" encoding="UTF-8"?>', "<!--written by hostproof: TARGET_COMMENT says from what-->", "<CHECKLIST>", ...asset, "\t<STIGS>", ...istigs, "\t</STIGS>", "</CHECKLIST>", ""].join("\n");
  return { ok: true, xml, stigs, counts, unplaced: unplacedList };
}
