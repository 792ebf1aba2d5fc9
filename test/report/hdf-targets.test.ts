/**
 * hdf/ (the hdf-targets format): one HDF document per host and per cluster and an index. Each file
 * is what hdf.json says of that one target, accepted by inspecjs (Heimdall's library) and by the
 * SAF CLI (summary, threshold, hdf2ckl); the index lists every file with its counts and hash; the
 * names are safe for any name an inventory may hold. (formats.test.ts: export derives the same bytes.)
 */
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { test, type TestContext } from "node:test";
import { contextualizeEvaluation, convertFile, type ExecJSON } from "inspecjs";
import { runEstate } from "../../src/engine/run";
import { InputError } from "../../src/errors";
import { sha256Hex, verifyReport, type Manifest } from "../../src/evidence/manifest";
import type { Result } from "../../src/model/result";
import { NO_DIRECTORY_NAME } from "../../src/model/run";
import { noProgress } from "../../src/model/progress";
import { sliceView } from "../../src/report/format-set";
import type { FormatContext } from "../../src/report/formats/format";
import { HDF_FILE, HDF_PROFILE } from "../../src/report/formats/hdf/hdf";
import { HDF_INDEX_FILE, HDF_TARGETS_DIR, hdfTargetsFormat, targetFileName, type HdfIndexEntry } from "../../src/report/formats/hdf/hdf-targets";
import type { Summary } from "../../src/report/formats/summary";
import { writtenOf } from "../../src/report/output/stream-file";
import { AS_OF, DEMO, ROOT } from "../e2e/cli";
import { fixtureRunReport } from "../helpers/run-report";
import { requireTool } from "../helpers/require-tool";
import { safPath } from "../helpers/saf";
import { renameHosts } from "../helpers/rename-hosts";
import { writeEstate } from "../helpers/snapshot-builder";
import { scratch } from "./tmp";

/** A run asked for hdf/ (--export hdf-targets): it is written on request only. */
const ASKED = [hdfTargetsFormat.name];

interface HdfIndex {
  schemaVersion: 1;
  failOn: string;
  files: HdfIndexEntry[];
  hostFiles: number;
  clusterFiles: number;
  directoryFiles: number;
  verdict: string;
  exitCode: number;
  totals: Summary["totals"];
}

/** Every file under `dir`, relative to it, `/`-separated. */
function filesUnder(dir: string, rel = ""): string[] {
  return readdirSync(join(dir, rel), { withFileTypes: true }).flatMap((e) => {
    const path = rel === "" ? e.name : `${rel}/${e.name}`;
    return e.isDirectory() ? filesUnder(dir, path) : [path];
  });
}

function parseHdf(text: string, label: string): ExecJSON.Execution {
  const converted = convertFile(text, true);
  assert.equal(converted.errors?.["1_0_ExecJson"], undefined, `${label}: ${String(converted.errors?.["1_0_ExecJson"])}`);
  const exec = converted["1_0_ExecJson"];
  assert.ok(exec, `${label}: inspecjs did not read it as exec JSON`);
  return exec;
}

async function demoReport(t: TestContext): Promise<{ out: string; summary: Summary; index: HdfIndex }> {
  const out = join(scratch(t), "report");
  // Slices of 4 hosts: a cluster's nodes and its own results come in one slice, the rest across several.
  await runEstate({ inventory: DEMO, waivers: join(ROOT, "examples", "demo", "waivers.yaml"), out, failOn: "any", asOf: new Date(`${AS_OF}T00:00:00Z`), html: false, history: false, sliceHosts: 4, export: ASKED });
  const summary = JSON.parse(readFileSync(join(out, "summary.json"), "utf8")) as Summary;
  const index = JSON.parse(readFileSync(join(out, HDF_INDEX_FILE), "utf8")) as HdfIndex;
  return { out, summary, index };
}

test("hdf/: a file per host and per cluster, each what hdf.json says of that target; index.json lists them with their counts and hashes", async (t) => {
  const { out, summary, index } = await demoReport(t);
  const key = (kind: string, name: string): string => `${kind} ${name}`;
  const expected = new Map<string, Summary["results"]>();
  for (const r of summary.results) expected.set(key(r.target.kind, r.target.name), [...(expected.get(key(r.target.kind, r.target.name)) ?? []), r]);

  // Every target once, and nothing under hdf/ that the index does not list.
  assert.deepEqual(index.files.map((e) => key(e.kind, e.target)).sort(), [...summary.hosts.map((h) => key("host", h.name)), ...summary.clusters.map((c) => key("cluster", c.name)), key("directory", summary.directory!.name)].sort());
  assert.deepEqual(filesUnder(join(out, HDF_TARGETS_DIR)).sort(), ["index.json", ...index.files.map((e) => e.file)].sort());
  assert.equal(index.hostFiles, summary.hosts.length);
  assert.equal(index.clusterFiles, summary.clusters.length);
  assert.equal(index.directoryFiles, 1);
  assert.deepEqual([index.verdict, index.exitCode, index.totals], [summary.verdict, summary.exitCode, summary.totals]);

  const manifest = JSON.parse(readFileSync(join(out, "evidence", "manifest.json"), "utf8")) as Manifest;
  const whole = parseHdf(readFileSync(join(out, HDF_FILE), "utf8"), HDF_FILE);
  const wholeControls = new Map(whole.profiles.flatMap((p) => p.controls).map((c) => [c.id, c] as const));
  for (const entry of index.files) {
    const label = `${entry.kind} ${entry.target}`;
    const mine = expected.get(key(entry.kind, entry.target))!;
    const count = (s: string): number => mine.filter((r) => r.status === s).length;
    assert.deepEqual([entry.passed, entry.failed, entry.undetermined, entry.notApplicable, entry.waived], [count("passed"), count("failed"), count("undetermined"), count("notApplicable"), count("waived")], label);
    // --fail-on any: a failed result is non-compliant, else an undetermined one is undetermined.
    assert.equal(entry.verdict, entry.failed > 0 ? "non-compliant" : entry.undetermined > 0 ? "undetermined" : "compliant", label);
    assert.equal(entry.cluster, entry.kind === "host" ? summary.hosts.find((h) => h.name === entry.target)!.cluster : undefined, label);

    const bytes = readFileSync(join(out, HDF_TARGETS_DIR, entry.file));
    assert.deepEqual({ sha256: entry.sha256, bytes: entry.bytes }, writtenOf(bytes), `${label}: index hash`);
    assert.deepEqual(manifest.files.find((f) => f.path === `${HDF_TARGETS_DIR}/${entry.file}`), { path: `${HDF_TARGETS_DIR}/${entry.file}`, sha256: sha256Hex(bytes), bytes: bytes.length }, `${label}: manifest`);

    const exec = parseHdf(bytes.toString("utf8"), label);
    assert.equal(exec.platform.target_id, entry.target);
    const metadata = (exec as unknown as { passthrough: { metadata: Record<string, unknown> } }).passthrough.metadata;
    // A directory has no hostname: its file names the snapshot judged instead.
    if (entry.kind === "directory") assert.deepEqual(metadata, { directory: entry.target, snapshot: summary.directory!.file, sha256: summary.directory!.sha256 }, label);
    else assert.deepEqual(metadata, { hostname: entry.target }, label);
    // One profile: the SAF CLI reads a document's first profile as the one that ran.
    assert.deepEqual(exec.profiles.map((p) => p.name), [HDF_PROFILE], label);
    const controls = exec.profiles[0]!.controls;
    assert.deepEqual(controls.map((c) => c.id).sort(), mine.map((r) => r.controlId).sort(), label);
    assert.deepEqual(exec.profiles[0]!.groups.flatMap((g) => g.controls).sort(), controls.map((c) => c.id).sort(), `${label}: groups`);
    for (const c of controls) {
      // hdf.json's mapping, scoped to the target: its results of the control, the same head.
      const w = wholeControls.get(c.id)!;
      assert.deepEqual(c.results, w.results.filter((r) => r.resource_id === entry.target), `${label} ${c.id}: results`);
      // The head is hdf.json's but for a host's STIG tags, which name its own release's rules (below).
      const { impact: _i, waiver_data: _w, results: _r, tags: tags, ...head } = c;
      const { impact: _wi, waiver_data: _ww, results: _wr, tags: wholeTags, ...wholeHead } = w;
      assert.deepEqual(head, wholeHead, `${label} ${c.id}: head`);
      const { stig_id: _s, gid: _g, rid: _rid, cci: _c, conflicts: _k, ...rest } = tags as Record<string, unknown>;
      const { stig_id: _ws, gid: _wg, rid: _wrid, cci: _wc, conflicts: _wk, ...wholeRest } = wholeTags as Record<string, unknown>;
      assert.deepEqual(rest, wholeRest, `${label} ${c.id}: tags`);
      if (entry.kind === "cluster") assert.deepEqual(tags, wholeTags, `${label} ${c.id}: a cluster's file keeps every release's rules`);
    }
    // What Heimdall shows adds up to the index's counts.
    const shown = contextualizeEvaluation(exec).contains[0]!.contains.map((c) => c.hdf.status);
    assert.equal(shown.filter((s) => s === "Failed").length, entry.failed, `${label}: Heimdall's failed`);
    assert.equal(shown.filter((s) => s === "Profile Error").length, entry.undetermined, `${label}: Heimdall's errors`);
    assert.equal(shown.filter((s) => s === "Passed").length, entry.passed, `${label}: Heimdall's passed`);
  }

  // Scoped to the target: HP-EOS-003 is waived on app2016 alone, so in app2016's file the control is
  // waived as a whole, while hdf.json keeps its own status (other hosts pass it).
  const app2016 = parseHdf(readFileSync(join(out, HDF_TARGETS_DIR, targetFileName({ kind: "host", name: "app2016" })), "utf8"), "app2016");
  const eos003 = app2016.profiles[0]!.controls.find((c) => c.id === "HP-EOS-003")!;
  assert.equal(eos003.waiver_data?.skipped_due_to_waiver, true);
  assert.equal(wholeControls.get("HP-EOS-003")!.waiver_data?.skipped_due_to_waiver, false);
  assert.equal(contextualizeEvaluation(app2016).contains[0]!.contains.find((c) => c.data.id === "HP-EOS-003")!.hdf.waived, true);

  // A host's file names the STIG rule of its own release: hdf2ckl makes its checklist of them.
  const uac = (host: string): Record<string, unknown> =>
    parseHdf(readFileSync(join(out, HDF_TARGETS_DIR, targetFileName({ kind: "host", name: host })), "utf8"), host).profiles[0]!.controls.find((c) => c.id === "HP-UAC-001")!.tags as Record<string, unknown>;
  const md = uac("md-node1");
  assert.deepEqual([md.stig_id, md.gid, md.rid, md.cci], ["WN19-MS-000020", "V-205715", "SV-205715r958518_rule", ["CCI-001084"]]);
  assert.match(String(wholeControls.get("HP-UAC-001")!.tags.stig_id), /^WN16-MS-000020, WN19-MS-000020, WN22-MS-000020, WN25-MS-000020$/);
  const nano = uac("nano2016");
  assert.deepEqual([nano.stig_id, nano.cci, nano.nist], [undefined, undefined, ["SC-3"]], "Nano Server: no STIG covers it, NIST stays");

  assert.deepEqual((await verifyReport(out)).problems, []);
});

test("the SAF CLI reads every file: summary adds them up, threshold gates each target on all its controls, hdf2ckl makes the target's checklist", async (t) => {
  const saf = safPath();
  if (!requireTool(t, "saf", saf, "set HOSTPROOF_SAF to the SAF CLI's saf command (npm i @mitre/saf in a folder of its own; see docs/reports.md)")) return;
  const { out, index } = await demoReport(t);
  const dir = join(out, HDF_TARGETS_DIR);
  const run = (args: string[]): ReturnType<typeof spawnSync> & { stdout: string; stderr: string } => spawnSync(saf, args, { encoding: "utf8", cwd: dir });

  // saf summary over every file: one profile, every file, the run's totals.
  const summary = run(["view", "summary", "-i", ...index.files.map((e) => e.file), "-f", "json", "-s"]);
  assert.equal(summary.status, 0, summary.stderr);
  const [only, ...more] = JSON.parse(summary.stdout) as { profileName: string; resultSets: string[]; passed: { total: number }; failed: { total: number }; error: { total: number }; skipped: { total: number }; no_impact: { total: number } }[];
  assert.deepEqual(more, []);
  assert.equal(only!.profileName, HDF_PROFILE);
  assert.equal(only!.resultSets.length, index.files.length);
  assert.deepEqual([only!.passed.total, only!.failed.total, only!.error.total], [index.totals.passed, index.totals.failed, index.totals.undetermined]);
  assert.equal(only!.skipped.total + only!.no_impact.total, index.totals.notApplicable + index.totals.waived);

  // A gate per target: fails exactly where the target has a failed or undetermined result, even
  // when that result's control is not in the first feature file of the target's controls.
  const picked = ["wg-node1", "fs01", "app01", "wgclus"].map((name) => index.files.find((e) => e.target === name)!);
  const app01 = JSON.parse(readFileSync(join(dir, picked[2]!.file), "utf8")) as ExecJSON.Execution;
  const firstGroup = app01.profiles[0]!.groups[0]!.controls;
  assert.ok(app01.profiles[0]!.controls.some((c) => !firstGroup.includes(c.id) && c.results.some((r) => r.status === "failed")), "app01 fails a control beyond its first feature file");
  for (const entry of picked) {
    const gate = run(["validate", "threshold", "-i", entry.file, "-I", "{failed.total.max: 0}, {error.total.max: 0}"]);
    assert.equal(gate.status, entry.failed + entry.undetermined > 0 ? 1 : 0, `${entry.target}: ${gate.stdout}${gate.stderr}`);
  }

  // One checklist per file, its asset the target.
  for (const entry of [picked[2]!, picked[3]!]) {
    const ckl = join(out, `${entry.target}.ckl`);
    const made = run(["convert", "hdf2ckl", "-i", entry.file, "-o", ckl]);
    assert.equal(made.status, 0, made.stderr);
    assert.ok(existsSync(ckl), `${entry.target}: no checklist (${made.stderr})`);
    const text = readFileSync(ckl, "utf8");
    assert.match(text, new RegExp(`<HOST_NAME>${entry.target}</HOST_NAME>`));
    assert.equal((text.match(/<VULN>/g) ?? []).length, entry.passed + entry.failed + entry.undetermined + entry.notApplicable + entry.waived);
    assert.equal((text.match(/<STATUS>Open<\/STATUS>/g) ?? []).length, entry.failed);
  }
});

const label = (c: string, n: number): string => c.repeat(n);
/** Two schema-valid 253-character FQDNs that share their first 200 characters. */
const LONG_A = [label("a", 63), label("b", 63), label("c", 63), label("d", 61)].join(".");
const LONG_B = [label("a", 63), label("b", 63), label("c", 63), label("e", 61)].join(".");

test("file names: the name where it is an ordinary file name; device names and long names renamed; case variants one file; hosts and clusters apart", () => {
  assert.equal(targetFileName({ kind: "host", name: "wg-node1" }), "hosts/wg-node1.json");
  assert.equal(targetFileName({ kind: "cluster", name: "wgclus" }), "clusters/wgclus.json");
  assert.notEqual(targetFileName({ kind: "host", name: "x1" }), targetFileName({ kind: "cluster", name: "x1" }));
  for (const device of ["con", "CON", "nul", "Aux", "prn", "com1", "LPT9", "con.corp.example", "lpt1.x"]) {
    const name = targetFileName({ kind: "host", name: device });
    const base = name.slice("hosts/".length).split(".")[0]!;
    assert.doesNotMatch(base, /^(con|prn|aux|nul|com[0-9]|lpt[0-9])$/i, `${device} → ${name}`);
  }
  const a = targetFileName({ kind: "host", name: LONG_A });
  const b = targetFileName({ kind: "host", name: LONG_B });
  for (const f of [a, b]) assert.ok(Buffer.byteLength(f.split("/")[1]!) <= 255, f);
  assert.notEqual(a.toLowerCase(), b.toLowerCase());
  // One host, as DNS and Windows compare names: the writer refuses the second (next test).
  assert.equal(targetFileName({ kind: "host", name: LONG_A.toUpperCase() }).toLowerCase(), a.toLowerCase());
  assert.equal(targetFileName({ kind: "host", name: "Node1" }).toLowerCase(), targetFileName({ kind: "host", name: "node1" }).toLowerCase());
});

/** A format context writing straight to `dir`, as the run's does through its write queue. */
function directContext(dir: string, recorded: Map<string, string>): FormatContext {
  const report = fixtureRunReport();
  const { tool, estate, inventoryFile, startedAt, asOf, tags, failOn } = report;
  return {
    dir,
    head: { tool, inventoryFile, startedAt, asOf, failOn, ...(estate !== undefined ? { estate } : {}), ...(tags !== undefined ? { tags } : {}) },
    targets: { hosts: report.hosts.length, clusters: report.clusters.length },
    progress: noProgress,
    record: (rel, written) => void recorded.set(rel, written.sha256),
    recordTree: async () => undefined,
    writeSmall: (rel, data) => writeFileSync(join(dir, rel), data),
    queue: (path, data) => {
      mkdirSync(dirname(path), { recursive: true });
      writeFileSync(path, data);
    },
    drain: async () => undefined,
    attachSnapshot: () => false,
  };
}

test("each target's file is written when its slice is added; a target seen again, in any case, is refused, never written over", async (t) => {
  const dir = scratch(t);
  const recorded = new Map<string, string>();
  const report = fixtureRunReport();
  const writer = hdfTargetsFormat.open(directContext(dir, recorded));
  const first = report.results.filter((r) => r.target.name === "node1" && r.target.kind === "host");
  await writer.add(sliceView({ hosts: report.hosts.filter((h) => h.name === "node1"), clusters: [], results: first }, report.startedAt));
  const node1 = join(dir, HDF_TARGETS_DIR, "hosts", "node1.json");
  assert.ok(existsSync(node1), "node1's file is written with its slice, before the run ends");
  const before = readFileSync(node1);

  const refused: Record<string, string> = {
    node1: "host 'node1' comes twice in the results: its file hdf/hosts/node1.json is written already",
    NODE1: "host 'NODE1' and host 'node1' are one host (names are compared without regard to case): its file hdf/hosts/node1.json is written already",
  };
  for (const [name, problem] of Object.entries(refused)) {
    const again: Result[] = first.map((r) => ({ ...r, target: { ...r.target, name } }));
    await assert.rejects(
      async () => writer.add(sliceView({ hosts: [], clusters: [], results: again }, report.startedAt)),
      (err: unknown) => err instanceof InputError && err.problems.some((p) => p.problem.startsWith(problem)),
    );
  }
  // Within one slice too: the second name is refused, not folded into the first's file.
  const both: Result[] = [...first, ...first.map((r) => ({ ...r, target: { ...r.target, name: "Solo1" } }))].map((r) => (r.target.name === "node1" ? { ...r, target: { ...r.target, name: "solo1" } } : r));
  await assert.rejects(
    async () => writer.add(sliceView({ hosts: [], clusters: [], results: both }, report.startedAt)),
    (err: unknown) => err instanceof InputError && err.problems.some((p) => p.problem.startsWith("host 'Solo1' and host 'solo1' are one host")),
  );
  assert.ok(readFileSync(node1).equals(before), "node1's file was written over");
  assert.deepEqual(readdirSync(join(dir, HDF_TARGETS_DIR, "hosts")).sort(), ["node1.json", "solo1.json"]);
  const solo1 = parseHdf(readFileSync(join(dir, HDF_TARGETS_DIR, "hosts", "solo1.json"), "utf8"), "solo1");
  assert.deepEqual([...new Set(solo1.profiles[0]!.controls.flatMap((c) => c.results.map((r) => r.resource_id)))], ["solo1"]);
  await writer.abort();
});

test("a run over hosts named con, LPT1.corp and 253-character FQDNs writes a file for each, distinct without regard to case", async (t) => {
  const dir = scratch(t);
  const inventory = writeEstate(dir, { hosts: [{ name: "h1" }, { name: "h2" }, { name: "h3" }, { name: "h4" }, { name: "n1" }] });
  renameHosts(dir, inventory, { h1: LONG_A, h2: LONG_B, h3: "con", h4: "LPT1.corp.example" });
  const out = join(dir, "report");
  await runEstate({ inventory, out, failOn: "any", asOf: new Date(`${AS_OF}T00:00:00Z`), html: false, history: false, export: ASKED });
  const index = JSON.parse(readFileSync(join(out, HDF_INDEX_FILE), "utf8")) as HdfIndex;
  // Each host, and the directory the estate states it has none of (its controls not applicable, with the reason).
  assert.deepEqual(index.files.map((e) => `${e.kind} ${e.target}`).sort(), [...[LONG_A, LONG_B, "con", "LPT1.corp.example", "n1"].map((h) => `host ${h}`), `directory ${NO_DIRECTORY_NAME}`].sort());
  const files = readdirSync(join(out, HDF_TARGETS_DIR, "hosts"));
  assert.equal(files.length, 5);
  assert.equal(new Set(files.map((f) => f.toLowerCase())).size, 5);
  assert.ok(files.includes("n1.json"));
  for (const f of files) assert.doesNotMatch(f.split(".")[0]!, /^(con|lpt1)$/i, f);
  for (const entry of index.files) {
    const exec = parseHdf(readFileSync(join(out, HDF_TARGETS_DIR, entry.file), "utf8"), entry.target);
    assert.equal(exec.platform.target_id, entry.target);
  }
  assert.deepEqual((await verifyReport(out)).problems, []);
});
