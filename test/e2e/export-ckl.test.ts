/**
 * STIG checklists from a real run of the demo (`run --export ckl`, the real CLI), read back with
 * MITRE's SAF CLI: `saf convert ckl2hdf` on the hosts that show the rules (md-node1's waived UAC
 * finding, a workgroup node's not applicable rule), and the same parser (hdf-converters, loaded
 * from the SAF CLI's own install) on every checklist, whose statuses must be what summary.json's
 * results give for that host's STIG. ckl2hdf is a process of ~2-3 s per file; its parser in one
 * process reads a checklist in tens of milliseconds. `export` deriving the same bytes from a run's
 * and a merged report is test/e2e/export.test.ts's (every format of the registry).
 */
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { copyFileSync, cpSync, existsSync, mkdirSync, readFileSync, readdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { test, type TestContext } from "node:test";
import { verifyReport } from "../../src/evidence/manifest";
import type { StigRef } from "../../src/model/mapping";
import { CKL_DIR, CKL_INDEX_FILE, type CklIndexEntry } from "../../src/report/formats/ckl/ckl";
import type { Summary } from "../../src/report/formats/summary";
import { requireTool } from "../helpers/require-tool";
import { SAF_HINT, safChecklistParser, safPath, type CklHdf, type CklHdfControl } from "../helpers/saf";
import { AS_OF, DEMO, DEMO_HOSTS, ROOT, readJson, spawnCli, tempDir } from "./cli";

const WAIVERS = join(ROOT, "examples", "demo", "waivers.yaml");
const dir = tempDir();
const out = join(dir, "run");
const run = spawnCli(["run", "--inventory", DEMO, "--waivers", WAIVERS, "--out", out, "--as-of", AS_OF, "--no-html", "--no-history", "--export", "ckl"]);
const summary = existsSync(join(out, "summary.json")) ? readJson<Summary>(join(out, "summary.json")) : undefined;

interface Index {
  hosts: CklIndexEntry[];
  checklists: number;
  hostsWithoutChecklist: number;
}
/** What a checklist's STATUS must be for `stigId` on `host`: summary.json's results, worst first. */
function expectedStatuses(s: Summary, host: string, release: string): Map<string, string> {
  const mapped = new Map(s.controls.map((c) => [c.id, (c.mappings?.stig ?? []) as StigRef[]] as const));
  const rank = ["Open", "Not_Reviewed", "NotAFinding", "Not_Applicable"];
  const of = (r: Summary["results"][number]): string =>
    r.status === "passed" ? "NotAFinding" : r.status === "failed" ? "Open" : r.status === "undetermined" ? "Not_Reviewed" : r.status === "notApplicable" ? "Not_Applicable" : r.waiver?.originalStatus === "undetermined" ? "Not_Reviewed" : "Open";
  const out = new Map<string, string>();
  for (const r of s.results.filter((x) => x.target.kind === "host" && x.target.name === host)) {
    for (const ref of mapped.get(r.controlId) ?? []) {
      if (ref.platform !== release) continue;
      const before = out.get(ref.vulnId);
      const now = of(r);
      if (before === undefined || rank.indexOf(now) < rank.indexOf(before)) out.set(ref.vulnId, now);
    }
  }
  return out;
}

/** ckl2hdf's statuses, back to the checklist's words: impact 0 is Not_Applicable, a skipped result Not_Reviewed. */
function statusRead(c: CklHdfControl): string {
  if (c.impact === 0) return "Not_Applicable";
  const s = c.results[0]?.status;
  return s === "passed" ? "NotAFinding" : s === "failed" ? "Open" : "Not_Reviewed";
}

function convert(t: TestContext, saf: string, ckl: string): CklHdf {
  const scratch = tempDir("hostproof-ckl2hdf-");
  const target = join(scratch, "out.json");
  // In a folder of its own: the SAF CLI leaves a saf-cli.log where it runs.
  const res = spawnSync(saf, ["convert", "ckl2hdf", "-i", ckl, "-o", target], { encoding: "utf8", cwd: scratch });
  // ckl2hdf says "Unable to process input file" and exits 0 on a checklist it cannot read: the file is the proof.
  assert.ok(existsSync(target), `${ckl}: ${res.stdout}${res.stderr}`);
  t.diagnostic(`ckl2hdf read ${ckl}`);
  return JSON.parse(readFileSync(target, "utf8")) as CklHdf;
}

test("run --export ckl: a checklist per demo host with a STIG, index.json names each host's file or why it has none, the manifest covers them", async () => {
  assert.equal(run.code, 1, run.stderr);
  const index = readJson<Index>(join(out, CKL_INDEX_FILE));
  assert.equal(index.hosts.length, DEMO_HOSTS);
  assert.equal(index.checklists + index.hostsWithoutChecklist, DEMO_HOSTS);
  const files = index.hosts.flatMap((h) => (h.file !== null ? [h.file] : []));
  assert.deepEqual(readdirSync(join(out, CKL_DIR)).sort(), [...files, "index.json"].sort());
  const byHost = new Map(index.hosts.map((h) => [h.host, h]));
  assert.equal(byHost.get("md-node1")?.release, "Windows Server 2019");
  assert.equal(byHost.get("app2016")?.release, "Windows Server 2016");
  assert.equal(byHost.get("wg-node1")?.release, "Windows Server 2022");
  const nano = byHost.get("nano2016")!;
  assert.ok(nano.file === null && /Nano Server/.test(nano.why));
  // run and export both say so; the index says why for each host.
  const said = new RegExp(`warning: ckl: ${index.hostsWithoutChecklist} of ${DEMO_HOSTS} hosts have no STIG checklist .*${CKL_INDEX_FILE} says why`);
  assert.match(run.stderr, said);
  const exported = spawnCli(["export", out, "--format", "ckl", "--out", join(dir, "export")]);
  assert.equal(exported.code, 0, exported.stderr);
  assert.match(exported.stderr, said);
  const manifest = readJson<{ files: { path: string }[] }>(join(out, "evidence", "manifest.json"));
  for (const f of [...files.map((f) => `${CKL_DIR}/${f}`), CKL_INDEX_FILE]) assert.ok(manifest.files.some((e) => e.path === f), f);
  assert.deepEqual((await verifyReport(out)).problems, []);
});

test("every checklist, read by the SAF CLI's parser, has a VULN per STIG rule of its host's release, with the status summary.json's results give", (t) => {
  const saf = safPath();
  if (!requireTool(t, "saf", saf, SAF_HINT)) return;
  assert.ok(summary);
  const read = safChecklistParser(saf);
  const index = readJson<Index>(join(out, CKL_INDEX_FILE));
  let vulns = 0;
  for (const h of index.hosts) {
    if (h.file === null) continue;
    const hdf = read(readFileSync(join(out, CKL_DIR, h.file), "utf8"));
    const controls = hdf.profiles.flatMap((p) => p.controls);
    const got = new Map(controls.map((c) => [c.id, statusRead(c)]));
    assert.deepEqual(Object.fromEntries(got), Object.fromEntries(expectedStatuses(summary, h.host, h.release!)), h.host);
    assert.deepEqual(hdf.profiles.map((p) => p.name), h.stigs, h.host);
    vulns += controls.length;
  }
  assert.ok(vulns > 0);
});

test("saf convert ckl2hdf: md-node1's WN19-MS-000020 is an open finding carrying waiver WVR-2026-024; a workgroup node's is not applicable", (t) => {
  const saf = safPath();
  if (!requireTool(t, "saf", saf, SAF_HINT)) return;
  const md = convert(t, saf, join(out, CKL_DIR, "md-node1.ckl")).profiles[0]!;
  assert.equal(md.name, "MS_Windows_Server_2019_STIG");
  const uac = md.controls.find((c) => c.tags.stig_id === "WN19-MS-000020")!;
  assert.equal(uac.id, "V-205715");
  assert.equal(uac.results[0]!.status, "failed");
  assert.deepEqual(uac.tags.cci, ["CCI-001084"]);
  assert.match(uac.results[0]!.code_desc, /HP-UAC-001 \[high\]: waived \(failed, waived by WVR-2026-024/);
  assert.match(uac.results[0]!.code_desc, /HP-CLU-005 contradicts this rule on purpose/);
  const waiver = uac.descriptions.find((d) => d.label === "waiver");
  assert.match(waiver?.data ?? "", /^WVR-2026-024 .*STATUS stays Open\.\nJustification: .*\nApproved by: /s);
  const wg = convert(t, saf, join(out, CKL_DIR, "wg-node1.ckl")).profiles[0]!;
  const wgUac = wg.controls.find((c) => c.tags.stig_id === "WN22-MS-000020")!;
  assert.equal(wgUac.impact, 0, "not applicable on a workgroup node");
});

test("a hostile snapshot: markup, ]]> and control characters in a host's output give a checklist ckl2hdf reads, the text shown as text", (t) => {
  const saf = safPath();
  if (!requireTool(t, "saf", saf, SAF_HINT)) return;
  const estate = join(dir, "hostile");
  mkdirSync(estate);
  cpSync(join(ROOT, "examples", "demo", "snapshots"), join(estate, "snapshots"), { recursive: true });
  copyFileSync(DEMO, join(estate, "inventory.yaml"));
  copyFileSync(join(ROOT, "examples", "demo", "directory.json"), join(estate, "directory.json"));
  const file = join(estate, "snapshots", "fs01.json");
  const snap = JSON.parse(readFileSync(file, "utf8")) as { probes: { uacPolicy: { output: Record<string, unknown> }; os: { output: Record<string, unknown> } } };
  const evil = "]]><VULN><STATUS>NotAFinding</STATUS></VULN>&lt;\u0001\u001b[2J\"'🙂";
  snap.probes.uacPolicy.output.LocalAccountTokenFilterPolicy = 1;
  snap.probes.uacPolicy.output.Evil = evil;
  snap.probes.os.output.Caption = `${String(snap.probes.os.output.Caption)} ${evil}`;
  writeFileSync(file, JSON.stringify(snap, null, 2));
  const report = join(dir, "hostile-report");
  const res = spawnCli(["run", "--inventory", join(estate, "inventory.yaml"), "--out", report, "--as-of", AS_OF, "--no-html", "--no-history", "--export", "ckl", "--exit-zero"]);
  assert.equal(res.code, 0, res.stderr);
  const xml = readFileSync(join(report, CKL_DIR, "fs01.ckl"), "utf8");
  assert.ok(!xml.includes("]]>") && !xml.includes("\u0001"));
  const hdf = convert(t, saf, join(report, CKL_DIR, "fs01.ckl"));
  const controls = hdf.profiles.flatMap((p) => p.controls);
  const uac = controls.find((c) => c.tags.stig_id === "WN19-MS-000020")!;
  assert.equal(uac.results[0]!.status, "failed", "the host's text cannot add or close a VULN");
  // The output as the snapshot holds it, JSON-escaped; the caption, in the actual text, with its control characters shown.
  assert.ok(uac.results[0]!.code_desc.includes(JSON.stringify(evil)), uac.results[0]!.code_desc);
  const eos = controls.find((c) => c.tags.stig_id === "WN19-00-000100")!;
  assert.ok(eos.results[0]!.code_desc.includes("]]><VULN><STATUS>NotAFinding</STATUS></VULN>&lt;\\u0001\\u001B[2J\"'🙂"), eos.results[0]!.code_desc);
  assert.match(eos.results[0]!.code_desc, /characters XML 1\.0 cannot carry \(control characters\) are shown as \\uXXXX/);
  assert.equal(controls.filter((c) => c.id === "V-205715").length, 1);
});
