/**
 * `hostproof export`: every format derived from a report's record is what the run (or the merge)
 * wrote for it, byte for byte; the report is verified first, a tampered one is refused as verify
 * refuses it, a report without the record export needs is refused with why, and the report itself
 * is never touched. Real processes throughout: run, merge and export as a user starts them.
 */
import assert from "node:assert/strict";
import { existsSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { join, relative } from "node:path";
import { test } from "node:test";
import { writeManifest } from "../../src/evidence/manifest";
import { RUN_RECORD_FILE } from "../../src/report/bookkeeping/run-record";
import { REGISTRY } from "../../src/report/formats";
import { findJava } from "../../src/report/formats/allure/allure-html";
import { OSCAL_FILE } from "../../src/report/formats/oscal/oscal-stream";
import { assertOscalValid } from "../helpers/oscal-validate";
import { requireTool } from "../helpers/require-tool";
import { AS_OF, DEMO, ROOT, spawnCli, tempDir } from "./cli";

const WAIVERS = join(ROOT, "examples", "demo", "waivers.yaml");
const dir = tempDir();

/** Every file under `root/rel` (a file or a folder), by path relative to `root`. */
function filesOf(root: string, rel: string): Map<string, Buffer> {
  const out = new Map<string, Buffer>();
  const walk = (path: string): void => {
    if (!existsSync(path)) return;
    if (statSync(path).isDirectory()) for (const name of readdirSync(path)) walk(join(path, name));
    else out.set(relative(root, path), readFileSync(path));
  };
  walk(join(root, rel));
  return out;
}

/** The format's files in `derived` are the ones in `report`, byte for byte, and there is at least one. */
function assertSameFiles(report: string, derived: string, files: readonly string[], label: string): void {
  for (const rel of files) {
    const written = filesOf(report, rel);
    const exported = filesOf(derived, rel);
    assert.ok(written.size > 0, `${label}: the run wrote ${rel}`);
    assert.deepEqual([...exported.keys()].sort(), [...written.keys()].sort(), `${label}: the files of ${rel}`);
    for (const [path, bytes] of written) assert.ok(bytes.equals(exported.get(path)!), `${label}: ${path} differs from what the run wrote`);
  }
}

function snapshotOfFolder(root: string): string {
  return [...filesOf(root, ".")].map(([p, b]) => `${p} ${b.length} ${b.toString("base64").slice(0, 40)}`).sort().join("\n");
}

const report = join(dir, "report");
// The formats written only on request are asked for, so that every format is compared.
const ON_REQUEST = REGISTRY.formats.filter((f) => f.onRequest === true).map((f) => f.name);
const ASK = ON_REQUEST.length > 0 ? ["--export", ON_REQUEST.join(",")] : [];
const run = spawnCli(["run", "-i", DEMO, "-w", WAIVERS, "-o", report, "--as-of", AS_OF, "--html", "pages", "--no-history", ...ASK]);
const FORMATS = REGISTRY.formats.filter((f) => f.name !== "allure-report");

test("each format export derives from a run's report is what the run wrote, byte for byte; the report is left as it was", async (t) => {
  assert.equal(run.code, 1, run.stderr);
  const before = snapshotOfFolder(report);
  for (const format of FORMATS) {
    await t.test(format.name, async () => {
      const out = join(dir, `export-${format.name}`);
      const res = spawnCli(["export", report, "--format", format.name, "--out", out]);
      assert.equal(res.code, 0, res.stderr);
      assert.match(res.stdout, new RegExp(`Exported ${format.name} from .* \\(verified\\)`));
      assertSameFiles(report, out, format.files, format.name);
      // Every OSCAL document a test produces is validated against NIST's schema.
      if (format.files.includes(OSCAL_FILE)) await assertOscalValid(join(out, OSCAL_FILE));
      // Only the format's files, the marker that lets a later export replace the folder, and the export's record.
      assert.deepEqual(readdirSync(out).sort(), [".hostproof-report", "export.json", ...format.files.map((f) => f.replace(/\/$/, ""))].sort());
    });
  }
  assert.equal(snapshotOfFolder(report), before, "the report folder changed");
  assert.equal(spawnCli(["verify", report]).code, 0);
});

test("a merged report exports every format as the merge wrote it, several at once; the default --out is beside the report", async (t) => {
  const shards = [1, 2].map((k) => join(dir, `shard-${k}`));
  shards.forEach((s, i) => assert.equal(spawnCli(["run", "-i", DEMO, "-w", WAIVERS, "-o", s, "--as-of", AS_OF, "--shard", `${i + 1}/2`, "--no-html", "--no-history", "--exit-zero"]).code, 0));
  const merged = join(dir, "merged");
  const m = spawnCli(["merge", ...shards, "-o", merged, "--html", "pages", "--no-history", ...ASK]);
  assert.equal(m.code, 1, m.stderr);
  const names = FORMATS.map((f) => f.name);
  const res = spawnCli(["export", merged, "--format", names.join(",")]);
  assert.equal(res.code, 0, res.stderr);
  const out = `${merged}-${names.join("+")}`;
  t.after(() => rmSync(out, { recursive: true, force: true }));
  for (const format of FORMATS) assertSameFiles(merged, out, format.files, `merged ${format.name}`);
  if (FORMATS.some((f) => f.files.includes(OSCAL_FILE))) await assertOscalValid(join(out, OSCAL_FILE));
  // A shard is a report too.
  const junit = join(dir, "shard-1-junit");
  assert.equal(spawnCli(["export", shards[0]!, "-f", "junit", "-o", junit]).code, 0);
  assertSameFiles(shards[0]!, junit, ["junit.xml"], "shard junit");
});

test("allure-report: the export runs Allure over allure-results/ exactly as the run wrote them", { timeout: 300_000 }, (t) => {
  if (!requireTool(t, "java", findJava(), "install a JRE (apt-get install default-jre-headless) or set JAVA_HOME")) return;
  const single = join(dir, "single");
  assert.equal(spawnCli(["run", "-i", DEMO, "-o", single, "--as-of", AS_OF, "--html", "single", "--no-history", "--exit-zero"]).code, 0);
  const out = join(dir, "single-html");
  const res = spawnCli(["export", single, "--format", "allure-report", "-o", out]);
  assert.equal(res.code, 0, res.stderr);
  // Allure names its data files with fresh random ids each time it runs: its input is what is the same.
  assertSameFiles(single, out, ["allure-results/"], "allure-report's allure-results");
  const embedded = (html: string): number => (html.match(/d\('data\/test-cases\//g) ?? []).length;
  const written = readFileSync(join(single, "allure-report", "index.html"), "utf8");
  const exported = readFileSync(join(out, "allure-report", "index.html"), "utf8");
  assert.ok(embedded(written) > 0);
  assert.equal(embedded(exported), embedded(written));
});

test("a tampered report is refused as verify refuses it (exit 1), and nothing is written", () => {
  const tampered = join(dir, "tampered");
  assert.equal(spawnCli(["run", "-i", DEMO, "-o", tampered, "--as-of", AS_OF, "--no-html", "--no-history", "--exit-zero"]).code, 0);
  const snap = join(tampered, "evidence", "snapshots", "fs01.json");
  writeFileSync(snap, readFileSync(snap, "utf8").replace("fs01", "fs02"));
  const out = join(dir, "tampered-csv");
  const res = spawnCli(["export", tampered, "--format", "csv", "-o", out]);
  assert.equal(res.code, 1, res.stderr);
  assert.match(res.stderr, /modified +evidence\/snapshots\/fs01\.json/);
  assert.match(res.stderr, /nothing was exported/);
  assert.equal(existsSync(out), false);
  // A manifest other than the one the run printed is refused the same way.
  const intact = join(dir, "report");
  const pinned = spawnCli(["export", intact, "--format", "csv", "-o", out, "--expect", "0".repeat(64)]);
  assert.equal(pinned.code, 1, pinned.stderr);
  assert.match(pinned.stderr, /was expected: the manifest itself was replaced/);
  assert.equal(existsSync(out), false);
});

test("a report without evidence/run.json is refused with why (exit 3); a shard without it exports from its shard.json", () => {
  const old = join(dir, "old");
  assert.equal(spawnCli(["run", "-i", DEMO, "-o", old, "--as-of", AS_OF, "--no-html", "--no-history", "--exit-zero"]).code, 0);
  // As a hostproof before export wrote it: no run record, and a manifest that does not list one.
  rmSync(join(old, RUN_RECORD_FILE));
  writeManifest(old);
  assert.equal(spawnCli(["verify", old]).code, 0);
  const out = join(dir, "old-hdf");
  const res = spawnCli(["export", old, "--format", "hdf", "-o", out]);
  assert.equal(res.code, 3, res.stderr);
  assert.match(res.stderr, /has no evidence\/run\.json: it was made by a hostproof before 'export' existed/);
  assert.equal(existsSync(out), false);

  const shard = join(dir, "old-shard");
  assert.equal(spawnCli(["run", "-i", DEMO, "-w", WAIVERS, "-o", shard, "--as-of", AS_OF, "--shard", "1/2", "--no-html", "--no-history", "--exit-zero"]).code, 0);
  rmSync(join(shard, RUN_RECORD_FILE));
  writeManifest(shard);
  const fromShard = join(dir, "old-shard-out");
  const ok = spawnCli(["export", shard, "--format", "junit,hdf,pages", "-o", fromShard]);
  assert.equal(ok.code, 0, ok.stderr);
  assertSameFiles(shard, fromShard, ["junit.xml", "hdf.json"], "old shard");
});

test("export's bad usage is exit 3 with nothing written: an unknown format, no format, an --out inside the report", () => {
  const unknown = spawnCli(["export", report, "--format", "hdf,sarif"]);
  assert.equal(unknown.code, 3);
  assert.match(unknown.stderr, /'sarif' is not a format hostproof writes/);
  assert.match(unknown.stderr, /summary, summary-md, junit, hdf, hdf-targets, csv, allure-results, allure-report, pages, xlsx, pdf, oscal, ckl/);
  assert.equal(spawnCli(["export", report]).code, 3);
  const inside = spawnCli(["export", report, "--format", "csv", "--out", join(report, "csv")]);
  assert.equal(inside.code, 3);
  assert.match(inside.stderr, /inside the report/);
  assert.equal(existsSync(join(report, "csv")), false);
  assert.equal(spawnCli(["verify", report]).code, 0);
});
