/**
 * Issue 23: the directory result in every format, read back with the tools the other tests use.
 * The directory is shown as a directory with its name (corp.example), never as a cluster or a
 * host; summary.json lists its snapshot; `hostproof export` derives the same bytes.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { parse } from "csv-parse/sync";
import { convertFile } from "inspecjs";
import { REGISTRY } from "../../src/report/formats";
import { assertOscalValid } from "../helpers/oscal-validate";
import { findAll, parseXml } from "../report/mini-xml";
import { AS_OF, goodEstate, readJson, ROOT, spawnCli } from "./cli";
import { ACME_DIRECTORY_FEATURE, directoryObject, directorySnapshot, directoryText } from "../helpers/directory-snapshot";

const asOf = new Date(`${AS_OF}T00:00:00Z`);

const FEATURE = ACME_DIRECTORY_FEATURE;

const { dir, inventory } = goodEstate();
mkdirSync(join(dir, "acme"));
writeFileSync(join(dir, "acme", "dir.feature"), FEATURE);
writeFileSync(
  join(dir, "directory.json"),
  directoryText(directorySnapshot([directoryObject({ name: "OLD2003", os: "Windows Server 2003", version: "5.2 (3790)", seenDaysAgo: 5, ou: "OU=Legacy" }, asOf)])),
);
const ALL = REGISTRY.formats.filter((f) => f.name !== "allure-report");
const run = spawnCli(["run", "-i", inventory, "-o", "r", "--as-of", AS_OF, "--html", "pages", "--no-history", "--features", "acme", "--no-builtin", "--directory", "directory.json", "--export", ALL.map((f) => f.name).join(",")], dir);
const out = join(dir, "r");
const NAME = "corp.example";

test("the run writes every format with the directory's one result; summary.json lists the snapshot; the report verifies", () => {
  assert.equal(run.code, 1, run.stderr);
  const summary = readJson<{ directory: { name: string; file: string; sha256: string }; results: { target: unknown }[] }>(join(out, "summary.json"));
  assert.equal(summary.directory.name, NAME);
  assert.equal(summary.directory.file, "evidence/directory/directory.json");
  assert.deepEqual(summary.results.map((r) => r.target), [{ kind: "directory", name: NAME }]);
  assert.equal(spawnCli(["verify", "r"], dir).code, 0);
});

test("junit: a testsuite for the directory, named as one, with no hostname", () => {
  const suites = findAll(parseXml(readFileSync(join(out, "junit.xml"), "utf8")), "testsuite");
  assert.deepEqual(suites.map((s) => s.attrs.name), [`directory ${NAME}`]);
  assert.equal(suites[0]!.attrs.hostname, undefined);
  assert.deepEqual(findAll(suites[0]!, "testcase").map((c) => c.attrs.classname), ["hostproof.directory.corp_example"]);
});

test("csv and xlsx: the directory's name in a directory column, host and cluster empty; the matrix says directory", () => {
  const [header, row] = parse(readFileSync(join(out, "results.csv"), "utf8"), { bom: true }) as string[][];
  const cell = (name: string): string => row![header!.indexOf(name)]!;
  assert.deepEqual([cell("host"), cell("cluster"), cell("directory")], ["", "", NAME]);
  // As test/e2e/export-xlsx-pdf reads a workbook: the system's python3 with openpyxl.
  const read = spawnSync("/usr/bin/python3", [join(ROOT, "test", "helpers", "read-xlsx.py"), join(out, "results.xlsx")], { encoding: "utf8", maxBuffer: 64 << 20 });
  assert.equal(read.status, 0, read.stderr);
  const book = JSON.parse(read.stdout) as { name: string; rows: { v: unknown }[][] }[];
  const findings = book.find((s) => s.name === "Findings")!;
  const head = findings.rows[0]!.map((c) => c.v);
  const first = findings.rows[1]!.map((c) => c.v);
  assert.deepEqual(["host", "cluster", "directory"].map((h) => first[head.indexOf(h)] ?? ""), ["", "", NAME]);
  const matrix = book.find((s) => s.name === "Matrix")!;
  assert.ok(matrix.rows.some((r) => r.some((c) => c.v === `directory ${NAME}`)), "the matrix has a row `directory corp.example`");
  assert.ok(!JSON.stringify(book).includes(`cluster ${NAME}`));
});

test("pdf, summary.md, pages: the directory by kind and name, never as a cluster", (t) => {
  const md = readFileSync(join(out, "summary.md"), "utf8");
  assert.match(md, new RegExp(`directory ${NAME.replace(".", "\\.")}`));
  const pdf = spawnSync("pdftotext", ["-layout", join(out, "report.pdf"), "-"], { encoding: "utf8" });
  if (pdf.error !== undefined) t.diagnostic("pdftotext is not installed: the PDF is not read");
  else assert.match(pdf.stdout, /directory corp\.example/);
  const pages = readdirSync(join(out, "pages", "t")).map((f) => readFileSync(join(out, "pages", "t", f), "utf8")).join("\n");
  assert.match(pages, /<h2>Directory corp\.example<\/h2>/);
  assert.match(pages, /directory snapshot: evidence\/directory\/directory\.json in the report folder, SHA-256 [0-9a-f]{64}/);
  assert.match(readFileSync(join(out, "pages", "targets.html"), "utf8"), /<td>directory<\/td><td><a href="[^"]+">corp\.example<\/a>/);
  for (const text of [md, pdf.stdout ?? "", pages]) assert.ok(!text.includes(`cluster ${NAME}`));
});

test("allure-results: a Directory parent suite, the directory as a parameter", () => {
  const results = readdirSync(join(out, "allure-results"))
    .filter((f) => f.endsWith("-result.json"))
    .map((f) => readJson<{ labels: { name: string; value: string }[]; parameters: { name: string; value: string }[]; name: string }>(join(out, "allure-results", f)));
  assert.equal(results.length, 1);
  const label = (name: string): string | undefined => results[0]!.labels.find((l) => l.name === name)?.value;
  assert.deepEqual([label("parentSuite"), label("suite")], ["Directory", NAME]);
  assert.ok(results[0]!.parameters.some((p) => p.name === "directory" && p.value === NAME));
  assert.match(results[0]!.name, /^ACME-DIR-001 on directory corp\.example: /);
});

test("hdf: inspecjs reads hdf.json and hdf/directory/corp.example.json, an active-directory platform, no hostname", () => {
  for (const file of ["hdf.json", `hdf/directory/${NAME}.json`]) {
    const converted = convertFile(readFileSync(join(out, file), "utf8"), true);
    assert.equal(converted.errors?.["1_0_ExecJson"], undefined, `${file}: ${String(converted.errors?.["1_0_ExecJson"])}`);
  }
  const own = readJson<{ platform: { name: string; target_id: string }; passthrough: { metadata: Record<string, string> } }>(join(out, "hdf", "directory", `${NAME}.json`));
  assert.deepEqual([own.platform.name, own.platform.target_id], ["active-directory", NAME]);
  assert.equal(own.passthrough.metadata.hostname, undefined);
  assert.equal(own.passthrough.metadata.snapshot, "evidence/directory/directory.json");
  const index = readJson<{ files: { kind: string; target: string; file: string }[] }>(join(out, "hdf", "index.json"));
  assert.deepEqual(index.files.map((f) => [f.kind, f.target, f.file]), [["directory", NAME, `directory/${NAME}.json`]]);
});

test("oscal: valid; the directory a component, its snapshot an observation with the file and SHA-256 as evidence", async () => {
  const file = join(out, "oscal-assessment-results.json");
  await assertOscalValid(file);
  const doc = JSON.stringify(readJson<unknown>(file));
  const sha256 = readJson<{ directory: { sha256: string } }>(join(out, "summary.json")).directory.sha256;
  assert.match(doc, /"title":"directory corp\.example"/);
  assert.match(doc, /"subjects":\[\{"subject-uuid":"[^"]+","type":"component"\}\]/);
  assert.ok(doc.includes(`evidence/directory/directory.json, SHA-256 ${sha256}`));
  assert.ok(doc.includes(`"value":"${sha256}"`));
  assert.ok(!doc.includes(`cluster ${NAME}`));
});

test("ckl: no checklist for the directory; its result mapping no STIG rule is counted as none", () => {
  const index = readJson<{ hosts: unknown[]; directoryResultsMappingStig: number; clusterResultsMappingStig: number }>(join(out, "ckl", "index.json"));
  assert.equal(index.directoryResultsMappingStig, 0);
  assert.ok(!readdirSync(join(out, "ckl")).some((f) => f.toLowerCase().includes(NAME)));
});

test("hostproof export of the report gives every format's bytes again", () => {
  const derived = join(dir, "derived");
  const res = spawnCli(["export", "r", "--format", ALL.map((f) => f.name).join(","), "--out", derived], dir);
  assert.equal(res.code, 0, res.stderr);
  for (const format of ALL) {
    for (const rel of format.files) {
      if (rel.endsWith("/")) {
        const walk = (sub: string): string[] => readdirSync(join(out, sub), { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? walk(join(sub, e.name)) : [join(sub, e.name)]));
        for (const f of walk(rel)) assert.ok(readFileSync(join(out, f)).equals(readFileSync(join(derived, f))), `${f} differs`);
      } else assert.ok(readFileSync(join(out, rel)).equals(readFileSync(join(derived, rel))), `${rel} differs`);
    }
  }
});
