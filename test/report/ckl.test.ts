/**
 * The STIG checklist of one host (report/formats/ckl): the STIG chosen from the host's release,
 * statuses mapped and aggregated worst first, waivers in COMMENTS with the finding left Open,
 * evidence cut with a pointer to the kept snapshot, hostile text escaped into well-formed XML
 * (read back by a strict parser and by the SAF CLI's ckl2hdf), and the same bytes every time.
 */
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { test } from "node:test";
import { parseMappingTag } from "../../src/controls/mappings";
import type { ControlMappings, StigRef } from "../../src/model/mapping";
import type { ControlMeta, Result, ResultStatus } from "../../src/model/result";
import type { ProbeRecord, Snapshot } from "../../src/model/snapshot";
import { PROBES } from "../../src/probes/catalog";
import { evidenceLookup } from "../../src/report/formats/evidence-view";
import { buildCkl, CKL_EVIDENCE_CHARS, fqdnOf, type CklHost } from "../../src/report/formats/ckl/ckl-document";
import { stigChoiceOf } from "../../src/report/formats/stig-choice";
import { requireTool } from "../helpers/require-tool";
import { safPath } from "../helpers/saf";
import { findAll, parseXml, type XmlElement } from "./mini-xml";
import { scratch } from "./tmp";

const stig = (tag: string): StigRef => {
  const parsed = parseMappingTag(tag);
  assert.ok(parsed !== undefined && "kind" in parsed && parsed.kind === "stig", tag);
  return parsed.ref;
};
const UAC19 = stig("@stig:WN19-MS-000020/V-205715/CAT-II/SV-205715r958518_rule");
const UAC22 = stig("@stig:WN22-MS-000020/V-254429/CAT-II/SV-254429r958518_rule");
const EOS19 = stig("@stig:WN19-00-000100/V-205849/CAT-I/SV-205849r991589_rule");
const RHEL = stig("@stig:RHEL-08-010010/V-230221/CAT-I");

const mappings = (m: Partial<ControlMappings>): ControlMappings => ({ nist: [], stig: [], cci: [], cis: [], conflicts: [], ...m });
const control = (id: string, m: Partial<ControlMappings>, extra: Partial<ControlMeta> = {}): ControlMeta => ({
  id,
  title: `${id} title`,
  severity: "high",
  feature: `features/${id}.feature`,
  origin: "built-in",
  featureName: id,
  tags: [],
  rationale: `${id} rationale`,
  remediation: `${id} remediation`,
  mappings: mappings(m),
  ...extra,
});
const UAC = control("HP-UAC-001", { stig: [UAC19, UAC22], cci: ["CCI-001084"] });
const UAC_TWIN = control("ORG-UAC-002", { stig: [UAC19], cci: ["CCI-001084"] });
const EOS = control("HP-EOS-002", { stig: [EOS19], cci: ["CCI-000366"] });
const CLU = control("HP-CLU-005", { conflicts: [{ framework: "stig", ref: UAC19 }, { framework: "stig", ref: UAC22 }] });
const LINUX = control("ORG-RHEL-001", { stig: [RHEL] });

const rec = (output: unknown, minute = 0, command = "Get-Thing | ConvertTo-Json"): ProbeRecord => ({ command, startedAt: `2026-11-20T09:${String(minute).padStart(2, "0")}:00Z`, output: output as never });

function snapshot(host: string, os: Record<string, unknown> | undefined, more: Record<string, ProbeRecord> = {}): Snapshot {
  const probes: Record<string, ProbeRecord> = { ...more };
  if (os !== undefined) probes.os = rec(os);
  probes.computerSystem ??= rec({ Name: host.toUpperCase(), DNSHostName: host, Domain: "corp.example", PartOfDomain: true, Workgroup: null });
  return { schemaVersion: 1, host, collectedAt: "2026-11-20T09:00:00Z", collector: { name: "hostproof-collector", version: "0.1.0", transport: "snapshot" }, probes: probes as Snapshot["probes"] };
}
const WS2019 = { Caption: "Microsoft Windows Server 2019 Datacenter", Version: "10.0.17763", BuildNumber: "17763", ProductType: 3, OperatingSystemSKU: 8 };

const result = (c: ControlMeta, host: string, status: ResultStatus, extra: Partial<Result> = {}): Result => ({
  control: c,
  target: { kind: "host", name: host },
  status,
  expected: `${c.id} expected`,
  actual: `${c.id} actual on ${host}`,
  evidence: [{ host, probe: "uacPolicy" }],
  ...extra,
});

const WAIVER = { index: 0, id: "WVR-1", controlId: "HP-UAC-001", scope: { host: "h1" }, justification: "the cluster needs it", approver: "Dana W.", reference: "DEV-1", expires: "2027-06-30", runControl: true } as const;

function hostOf(snap: Snapshot, name = snap.host): CklHost {
  const { choice, role } = stigChoiceOf(snap);
  return { name, role, choice, collectedAt: snap.collectedAt, snapshot: { file: `evidence/snapshots/${name}.json`, sha256: "ab".repeat(32) } };
}

function build(snap: Snapshot, results: Result[], name = snap.host): { xml: string; doc: XmlElement; built: ReturnType<typeof buildCkl> } {
  const built = buildCkl({ host: hostOf(snap, name), results, lookup: evidenceLookup({ hosts: [{ name, snapshot: snap }] }), tool: { name: "hostproof", version: "9.9.9" } });
  assert.ok(built.ok, built.ok ? "" : built.why);
  return { xml: built.xml, doc: parseXml(built.xml), built };
}

const text = (el: XmlElement | undefined, name: string): string => (el === undefined ? "" : findAll(el, name)[0]?.text ?? "");
const attr = (vuln: XmlElement, name: string): string[] =>
  findAll(vuln, "STIG_DATA")
    .filter((d) => text(d, "VULN_ATTRIBUTE") === name)
    .map((d) => text(d, "ATTRIBUTE_DATA"));
const vulnOf = (doc: XmlElement, stigId: string): XmlElement | undefined => findAll(doc, "VULN").find((v) => attr(v, "Rule_Ver")[0] === stigId);

test("the STIG is the host's release's: Windows Server 2019 from its facts; Nano Server, 2012 R2 and workstations have none; unread or contradictory facts are unknown", () => {
  const ws2019 = stigChoiceOf(snapshot("h1", WS2019));
  assert.deepEqual(ws2019.choice, { kind: "platform", platform: "Windows Server 2019", basis: "Win32_OperatingSystem version 10.0.17763, ProductType 3, OperatingSystemSKU 8" });
  assert.equal(ws2019.role, "Member Server");
  assert.equal(stigChoiceOf(snapshot("dc", { ...WS2019, ProductType: 2 })).role, "Domain Controller");
  const nano = stigChoiceOf(snapshot("n", { Caption: "Microsoft Windows Server 2016 Datacenter", Version: "10.0.14393", BuildNumber: "14393", ProductType: 3, OperatingSystemSKU: 143 }));
  assert.equal(nano.choice.kind, "none");
  assert.match(nano.choice.kind === "none" ? nano.choice.why : "", /Nano Server/);
  const r2 = stigChoiceOf(snapshot("old", { Caption: "Microsoft Windows Server 2012 R2 Standard", Version: "6.3.9600", BuildNumber: "9600", ProductType: 3, OperatingSystemSKU: 7 }));
  assert.equal(r2.choice.kind, "none");
  const client = stigChoiceOf(snapshot("pc", { Caption: "Microsoft Windows 10 Pro", Version: "10.0.17763", BuildNumber: "17763", ProductType: 1, OperatingSystemSKU: 48 }));
  assert.equal(client.choice.kind, "none");
  assert.equal(client.role, "Workstation");
  assert.equal(stigChoiceOf(snapshot("gone", undefined)).choice.kind, "unknown");
  const lying = stigChoiceOf(snapshot("liar", { ...WS2019, Caption: "Microsoft Windows Server 2022 Datacenter" }));
  assert.equal(lying.choice.kind, "unknown");
  assert.match(lying.choice.kind === "unknown" ? lying.choice.why : "", /contradict/);
  assert.equal(stigChoiceOf(snapshot("sac", { Caption: "Microsoft Windows Server Datacenter", Version: "10.0.19042", BuildNumber: "19042", ProductType: 3, OperatingSystemSKU: 145 })).choice.kind, "none");
});

test("Windows 11 Enterprise multi-session reports ProductType 3 at build 26100, like Server 2025, and gets no Windows Server STIG", () => {
  const avd = stigChoiceOf(snapshot("avd01", { Caption: "Microsoft Windows 11 Enterprise multi-session", Version: "10.0.26100", BuildNumber: "26100", ProductType: 3, OperatingSystemSKU: 175 }));
  assert.equal(avd.choice.kind, "none");
  assert.match(avd.choice.kind === "none" ? avd.choice.why : "", /workstation/);
  assert.equal(avd.role, "Workstation");
});

test("a VULN per STIG rule of the host's STIG only; several controls on one rule give one VULN, the worst status first; CCIs, severity from CAT, IDs from the tags", () => {
  const snap = snapshot("h1", WS2019);
  const { doc, built } = build(snap, [result(UAC, "h1", "passed"), result(UAC_TWIN, "h1", "failed"), result(EOS, "h1", "passed"), result(LINUX, "h1", "passed")]);
  assert.ok(built.ok);
  assert.deepEqual(built.stigs, ["MS_Windows_Server_2019_STIG"]);
  assert.deepEqual(built.unplaced, ["RHEL-08-010010"]);
  const vulns = findAll(doc, "VULN");
  assert.deepEqual(vulns.map((v) => attr(v, "Rule_Ver")[0]), ["WN19-00-000100", "WN19-MS-000020"], "WN22 and RHEL rules are not in a 2019 host's checklist");
  const uac = vulnOf(doc, "WN19-MS-000020")!;
  assert.equal(text(uac, "STATUS"), "Open");
  assert.deepEqual(attr(uac, "Vuln_Num"), ["V-205715"]);
  assert.deepEqual(attr(uac, "Rule_ID"), ["SV-205715r958518_rule"]);
  assert.deepEqual(attr(uac, "Severity"), ["medium"]);
  assert.deepEqual(attr(uac, "CCI_REF"), ["CCI-001084"]);
  assert.match(attr(uac, "STIGRef")[0]!, /^Microsoft Windows Server 2019 Security Technical Implementation Guide :: Version 3, Release: 8 Benchmark Date: /);
  const details = text(uac, "FINDING_DETAILS");
  assert.match(details, /HP-UAC-001 \[high\]: passed/);
  assert.match(details, /ORG-UAC-002 \[high\]: failed/);
  assert.match(details, /STATUS Open is the worst of 2 checks/);
  assert.match(attr(uac, "Check_Content")[0]!, /hostproof checks this rule with HP-UAC-001, ORG-UAC-002 .*not DISA's check text/);
  const eos = vulnOf(doc, "WN19-00-000100")!;
  assert.deepEqual([text(eos, "STATUS"), attr(eos, "Severity")[0]], ["NotAFinding", "high"]);
  assert.match(text(findAll(doc, "ASSET")[0], "TARGET_COMMENT"), /Not in this checklist: RHEL-08-010010/);
  assert.equal(text(findAll(doc, "ASSET")[0], "ROLE"), "Member Server");

  // Worst first, across every pair.
  const pair = (a: ResultStatus, b: ResultStatus): string => text(vulnOf(build(snap, [result(UAC, "h1", a), result(UAC_TWIN, "h1", b)]).doc, "WN19-MS-000020"), "STATUS");
  assert.equal(pair("passed", "undetermined"), "Not_Reviewed");
  assert.equal(pair("undetermined", "failed"), "Open");
  assert.equal(pair("notApplicable", "passed"), "NotAFinding");
  assert.equal(pair("notApplicable", "notApplicable"), "Not_Applicable");
  assert.equal(pair("notApplicable", "undetermined"), "Not_Reviewed");
});

test("a waived failure stays Open with the waiver in COMMENTS; a waived undetermined result stays Not_Reviewed; a conflicting control is shown, not counted", () => {
  const snap = snapshot("h1", WS2019);
  const waived = result(UAC, "h1", "waived", { waiver: { ...WAIVER, scope: { ...WAIVER.scope }, originalStatus: "failed" } });
  const { doc } = build(snap, [waived, result(CLU, "h1", "passed", { actual: "LocalAccountTokenFilterPolicy = 1" })]);
  const uac = vulnOf(doc, "WN19-MS-000020")!;
  assert.equal(text(uac, "STATUS"), "Open");
  const comments = text(uac, "COMMENTS");
  assert.match(comments, /^WAIVER :: WVR-1 \(HP-UAC-001 on host h1\) waives HP-UAC-001's failed result on this host\. .*STATUS stays Open\./);
  assert.match(comments, /Justification: the cluster needs it\nApproved by: Dana W\.; reference: DEV-1; expires: 2027-06-30/);
  assert.match(text(uac, "FINDING_DETAILS"), /HP-CLU-005 \[high\]: passed\n {2}HP-CLU-005 contradicts this rule on purpose .*its result does not change this rule's STATUS\.\n {2}Actual: LocalAccountTokenFilterPolicy = 1/);
  assert.equal(findAll(doc, "VULN").length, 1, "a conflict makes no VULN of its own");
  const attested = result(UAC, "h1", "waived", { waiver: { ...WAIVER, scope: { ...WAIVER.scope }, runControl: false, originalStatus: "undetermined" } });
  assert.equal(text(vulnOf(build(snap, [attested]).doc, "WN19-MS-000020"), "STATUS"), "Not_Reviewed");
  assert.equal(text(vulnOf(build(snap, [result(UAC, "h1", "passed")]).doc, "WN19-MS-000020"), "COMMENTS"), "");
});

test("a host whose release is unknown: every Windows Server STIG the controls map, and no rule NotAFinding; a host no STIG applies to has no checklist, saying why", () => {
  const { doc, built } = build(snapshot("h2", undefined), [result(UAC, "h2", "passed"), result(EOS, "h2", "failed")]);
  assert.ok(built.ok);
  assert.deepEqual(built.stigs, ["MS_Windows_Server_2019_STIG", "MS_Windows_Server_2022_STIG"]);
  assert.deepEqual(built.counts, { Open: 1, Not_Reviewed: 2, NotAFinding: 0, Not_Applicable: 0 });
  assert.match(text(vulnOf(doc, "WN22-MS-000020"), "FINDING_DETAILS"), /Not NotAFinding although a check passed: hostproof could not tell which Windows Server release/);
  assert.match(text(findAll(doc, "ASSET")[0], "TARGET_COMMENT"), /release is not known: its operating system could not be read/);
  assert.equal(text(vulnOf(doc, "WN19-00-000100"), "STATUS"), "Open", "a failure is a finding whichever STIG applies");

  const nano = snapshot("n1", { Caption: "Microsoft Windows Server 2016 Datacenter", Version: "10.0.14393", BuildNumber: "14393", ProductType: 3, OperatingSystemSKU: 143 });
  const none = buildCkl({ host: hostOf(nano), results: [result(UAC, "n1", "failed")], lookup: evidenceLookup({ hosts: [] }), tool: { name: "hostproof", version: "9.9.9" } });
  assert.equal(none.ok, false);
  assert.match(none.ok ? "" : none.why, /^no STIG applies: it runs Nano Server/);
  const unmapped = buildCkl({ host: hostOf(snapshot("h3", WS2019)), results: [result(LINUX, "h3", "failed")], lookup: evidenceLookup({ hosts: [] }), tool: { name: "hostproof", version: "9.9.9" } });
  assert.match(unmapped.ok ? "" : unmapped.why, /no control of the run judged on this host maps a rule of the Windows Server 2019 STIG/);
});

test("evidence: the command, its time and its output, cut past CKL_EVIDENCE_CHARS with the snapshot file and SHA-256 named; expected and actual", () => {
  const long = "x".repeat(CKL_EVIDENCE_CHARS * 2);
  const snap = snapshot("h1", WS2019, { uacPolicy: rec({ LocalAccountTokenFilterPolicy: 1, Note: long }, 7, PROBES.uacPolicy.command) });
  const details = text(vulnOf(build(snap, [result(UAC, "h1", "failed")]).doc, "WN19-MS-000020"), "FINDING_DETAILS");
  assert.match(details, /Expected: HP-UAC-001 expected\n {2}Actual: HP-UAC-001 actual on h1/);
  assert.ok(details.includes(`Command: ${PROBES.uacPolicy.command}`));
  // A command hostproof does not ship is shown as the snapshot's claim, never as one to run.
  const claimed = text(vulnOf(build(snapshot("h1", WS2019, { uacPolicy: rec({ LocalAccountTokenFilterPolicy: 1 }) }), [result(UAC, "h1", "failed")]).doc, "WN19-MS-000020"), "FINDING_DETAILS");
  assert.match(claimed, /Command: none to run; the snapshot names a command hostproof does not run: Get-Thing \| ConvertTo-Json/);
  assert.match(details, /Collected: 2026-11-20T09:07:00Z/);
  assert.match(details, new RegExp(`Output \\(the first ${CKL_EVIDENCE_CHARS} of \\d+ characters; the whole record is in evidence/snapshots/h1\\.json, SHA-256 (ab){32}\\):`));
  assert.ok(!details.includes(long), "the output is cut");
});

test("hostile text: markup, ]]>, quotes, control characters and emoji in the host name, the output, the control and the waiver give well-formed XML that says what it replaced, and ckl2hdf reads it", (t) => {
  const name = `h<1>&"'é🙂\u0001`;
  const evil = `]]><script>alert(1)</script>&amp;\u0000\u001b[31m</ATTRIBUTE_DATA></STIG_DATA>`;
  const snap = snapshot(name, WS2019, { uacPolicy: rec({ LocalAccountTokenFilterPolicy: 1, Evil: evil }) });
  const hostile = control("HP-UAC-001", { stig: [UAC19], cci: ["CCI-001084"] }, { title: `<b>${evil}</b>`, rationale: evil, remediation: "Set-Item 'a' -Value \"<x>\"" });
  const waived = result(hostile, name, "waived", { actual: evil, waiver: { ...WAIVER, id: `W</COMMENTS>${evil}`, justification: `${evil}\nSTATUS :: NotAFinding`, scope: { host: name }, originalStatus: "failed" } });
  const { xml, doc } = build(snap, [waived], name);
  assert.equal(text(findAll(doc, "ASSET")[0], "HOST_NAME"), `h<1>&"'é🙂\\u0001`, "a control character is shown as \\u0001");
  assert.equal(text(findAll(doc, "ASSET")[0], "HOST_FQDN"), "", "not an FQDN, so not claimed as one");
  const vuln = findAll(doc, "VULN");
  assert.equal(vuln.length, 1);
  assert.equal(text(vuln[0], "STATUS"), "Open");
  const details = text(vuln[0], "FINDING_DETAILS");
  assert.ok(details.includes("]]><script>alert(1)</script>&amp;\\u0000\\u001B[31m</ATTRIBUTE_DATA>"), "the output as text, the control characters visible");
  assert.match(details, /\d+ characters XML 1\.0 cannot carry \(control characters\) are shown as \\uXXXX/);
  assert.ok(text(vuln[0], "COMMENTS").includes("W</COMMENTS>]]>"));
  assert.ok(!xml.includes("]]>"), "never a literal ]]>");
  assert.ok(!/[\u0000-\u0008\u000B\u000C\u000E-\u001F]/.test(xml));

  const saf = safPath();
  if (!requireTool(t, "saf", saf, "set HOSTPROOF_SAF to the SAF CLI's saf command (npm i @mitre/saf in a folder of its own; see docs/reports.md)")) return;
  const dir = scratch(t);
  writeFileSync(join(dir, "hostile.ckl"), xml);
  const read = spawnSync(saf, ["convert", "ckl2hdf", "-i", join(dir, "hostile.ckl"), "-o", join(dir, "hostile.json")], { encoding: "utf8", cwd: dir });
  // ckl2hdf exits 0 on a checklist it cannot read: the HDF file is the proof.
  assert.ok(existsSync(join(dir, "hostile.json")), read.stdout + read.stderr);
  const hdf = JSON.parse(readFileSync(join(dir, "hostile.json"), "utf8")) as { profiles: { controls: { id: string; results: { status: string; code_desc: string }[]; descriptions: { label: string; data: string }[] }[] }[] };
  const c = hdf.profiles[0]!.controls[0]!;
  assert.equal(c.id, "V-205715");
  assert.equal(c.results[0]!.status, "failed");
  assert.ok(c.results[0]!.code_desc.includes("]]><script>"));
  assert.ok(c.descriptions.some((d) => d.label === "waiver" && d.data.startsWith("W</COMMENTS>")));
});

test("the same input gives the same bytes; the STIG's uuid is stable per host and STIG, and HOST_FQDN is given only where the name is one", () => {
  const snap = snapshot("h1.corp.example", WS2019);
  const results = [result(UAC, "h1.corp.example", "failed"), result(EOS, "h1.corp.example", "passed")];
  const a = build(snap, results).xml;
  assert.equal(build(snap, results).xml, a);
  assert.match(a, /<SID_NAME>uuid<\/SID_NAME>\n\t+<SID_DATA>[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}<\/SID_DATA>/);
  assert.match(a, /<HOST_FQDN>h1\.corp\.example<\/HOST_FQDN>/);
  assert.deepEqual(["app01", "10.0.0.5", "a.b1", "x.corp.example"].map(fqdnOf), ["", "10.0.0.5", "", "x.corp.example"]);
});
