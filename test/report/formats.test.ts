/**
 * The format registry: a format is one module (test/fixtures/formats/targets-txt.ts) and one line
 * in a registry, and a run given that registry writes its file, lists it in the manifest and the
 * outputs it prints, and `--help`'s list comes from the same registry.
 */
import assert from "node:assert/strict";
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join, relative, sep } from "node:path";
import { test } from "node:test";
import { reportOutcome } from "../../src/cli/commands/run";
import { formatLines, RUN_HELP } from "../../src/cli/usage";
import { runEstate } from "../../src/engine/run";
import { exportReport } from "../../src/export/export";
import { DEFAULT_COVERAGE, verifyReport, type Manifest } from "../../src/evidence/manifest";
import { finishRounds, formatRegistry, FORMATS, REGISTRY } from "../../src/report/formats";
import { formatsForRun, LARGE_ESTATE_HOSTS } from "../../src/report/formats/choose";
import type { Format } from "../../src/report/formats/format";
import { sha256Hex } from "../../src/evidence/manifest";
import { AS_OF, DEMO, ROOT } from "../e2e/cli";
import { TARGETS_FILE, targetsTxtFormat } from "../fixtures/formats/targets-txt";
import { OSCAL_FILE } from "../../src/report/formats/oscal/oscal-stream";
import { assertOscalValid } from "../helpers/oscal-validate";
import { scratch } from "./tmp";

test("a format added in one module and one registry line is written, listed in the manifest and printed, and export derives it", async (t) => {
  const out = join(scratch(t), "report");
  const registry = formatRegistry([...FORMATS, targetsTxtFormat]);
  const outcome = await runEstate({ inventory: DEMO, out, failOn: "any", asOf: new Date(`${AS_OF}T00:00:00Z`), html: false, history: false, registry });

  const text = readFileSync(join(out, TARGETS_FILE), "utf8");
  const lines = text.trimEnd().split("\n");
  // The demo's hosts, clusters and directory, each a line, then the count.
  const targets = outcome.report.hostCount + outcome.report.clusterCount + 1;
  assert.equal(lines.length, targets + 1, text);
  assert.match(lines.at(-1)!, new RegExp(`^${targets} targets, ${outcome.report.totals.failed} failed results$`));
  for (const line of lines.slice(0, -1)) assert.match(line, /^(host|cluster|directory) \S+: \d+ failed$/);
  assert.deepEqual(lines.filter((l) => l.startsWith("cluster ")).map((l) => l.split(":")[0]).sort(), ["cluster mdclus", "cluster wgclus"]);
  assert.deepEqual(lines.filter((l) => l.startsWith("directory ")), ["directory corp.contoso.test: 2 failed"]);
  const failed = lines.slice(0, -1).reduce((n, l) => n + Number(/(\d+) failed$/.exec(l)![1]), 0);
  assert.equal(failed, outcome.report.totals.failed);

  const manifest = JSON.parse(readFileSync(join(out, "evidence", "manifest.json"), "utf8")) as Manifest;
  const entry = manifest.files.find((f) => f.path === TARGETS_FILE);
  assert.deepEqual(entry, { path: TARGETS_FILE, sha256: sha256Hex(text), bytes: Buffer.byteLength(text) });
  assert.ok(manifest.covers.includes(TARGETS_FILE), manifest.covers.join(", "));
  const verified = await verifyReport(out);
  assert.equal(verified.ok, true, JSON.stringify(verified.problems));

  const printed: string[] = [];
  reportOutcome(outcome, { color: false, exitZero: true }, { out: (s) => printed.push(s), err: () => undefined, color: false, now: () => new Date() });
  const list = printed.find((l) => l.includes("summary.json,"));
  assert.ok(list?.includes(`${TARGETS_FILE},`), list);
  assert.match(formatLines(registry.formats), /^ {2}targets\.txt +one line per target with the number of its failed results$/m);

  // And derived again from the report by export, the same bytes.
  const derived = join(scratch(t), "derived");
  const exported = await exportReport({ report: out, formats: [targetsTxtFormat.name], out: derived, registry });
  assert.equal(exported.ok, true);
  assert.equal(readFileSync(join(derived, TARGETS_FILE), "utf8"), text);
});

test("the default registry: every format's file in --help and in the manifest's coverage", () => {
  for (const f of REGISTRY.formats) {
    assert.ok(RUN_HELP.includes(`  ${f.opens ?? f.files[0]!}`), `${f.name} in run --help`);
    for (const file of f.files) assert.ok(DEFAULT_COVERAGE.includes(file), `${file} covered`);
  }
  const names = (formats: readonly Format[]): string[] => formats.map((f) => f.name);
  assert.deepEqual(names(REGISTRY.withNeeds(["allure-report"])), ["allure-results", "allure-report"]);
});

test("a format written on request is not among a run's defaults at any size; a run asked for it writes it, and export derives the same bytes", async (t) => {
  const onRequest = REGISTRY.formats.filter((f) => f.onRequest === true);
  assert.deepEqual(onRequest.map((f) => f.name), ["hdf-targets", "xlsx", "pdf", "oscal", "ckl"]);
  for (const hosts of [1, LARGE_ESTATE_HOSTS, 100_000]) {
    for (const html of [false, "auto", "single", "pages"] as const) {
      const chosen = formatsForRun(REGISTRY, { html, add: [], drop: [] }, hosts).formats;
      for (const f of onRequest) assert.ok(!chosen.includes(f), `${f.name} written by default at ${hosts} hosts, --html ${html}`);
    }
  }

  const out = join(scratch(t), "report");
  const names = onRequest.map((f) => f.name);
  await runEstate({ inventory: DEMO, waivers: join(ROOT, "examples", "demo", "waivers.yaml"), out, failOn: "any", asOf: new Date(`${AS_OF}T00:00:00Z`), html: false, history: false, sliceHosts: 4, export: names });
  const derived = join(scratch(t), "derived");
  const exported = await exportReport({ report: out, formats: names, out: derived });
  assert.equal(exported.ok, true);
  for (const f of onRequest) {
    for (const rel of f.files) {
      const written = filesUnder(out, rel);
      assert.ok(written.length > (rel.endsWith("/") ? 1 : 0) && existsSync(join(out, written[0]!)), `${f.name}: the run wrote ${rel}`);
      assert.deepEqual(filesUnder(derived, rel), written, `${f.name}: the files of ${rel}`);
      for (const file of written) assert.ok(readFileSync(join(out, file)).equals(readFileSync(join(derived, file))), `${f.name}: ${file} differs from what the run wrote`);
    }
  }
  // Every OSCAL document a test produces is validated against NIST's schema.
  await assertOscalValid(join(out, OSCAL_FILE));
});

/** The files under `rel` of `root` (a file, or a folder ending in /), relative to `root`, sorted. */
function filesUnder(root: string, rel: string): string[] {
  if (!rel.endsWith("/")) return [rel];
  return readdirSync(join(root, rel), { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile())
    .map((e) => relative(root, join(e.parentPath, e.name)).split(sep).join("/"))
    .sort();
}

test("formats finish after those they need; the others after them, in the registry's order", () => {
  const f = (name: string, needs?: string[]): Pick<Format, "name" | "needs"> => ({ name, ...(needs !== undefined ? { needs } : {}) });
  const rounds = finishRounds([f("summary"), f("html", ["results"]), f("junit"), f("results"), f("pages")]);
  assert.deepEqual(rounds.map((r) => r.map((x) => x.name)), [["results", "html"], ["summary", "junit", "pages"]]);
  assert.deepEqual(finishRounds([f("summary"), f("junit")]).map((r) => r.map((x) => x.name)), [["summary", "junit"]]);
});

test("a registry refuses two formats of one name, a need it does not hold, and a registry without the record's format", () => {
  assert.throws(() => formatRegistry([...FORMATS, { ...targetsTxtFormat, name: "junit" }]), /two formats are named junit/);
  assert.throws(() => formatRegistry([...FORMATS, { ...targetsTxtFormat, needs: ["nothing"] }]), /needs nothing/);
  assert.throws(() => formatRegistry(FORMATS.filter((x) => x.name !== "summary")), /without summary/);
});
