/**
 * Which formats a run writes: everything up to LARGE_ESTATE_HOSTS hosts (Allure's single file as
 * its HTML), the formats marked atScale and the pages above; --export and --no-export on top; and
 * every request that cannot be met refused (exit 3) before anything is read.
 */
import assert from "node:assert/strict";
import { test } from "node:test";
import { InputError } from "../../src/errors";
import { formatRegistry, FORMATS, REGISTRY } from "../../src/report/formats";
import { checkRequest, formatsForRun, formatsToExport, LARGE_ESTATE_HOSTS, type FormatRequest } from "../../src/report/formats/choose";
import { targetsTxtFormat } from "../fixtures/formats/targets-txt";

const auto: FormatRequest = { html: "auto", add: [], drop: [] };
const names = (request: FormatRequest, hosts: number): string[] => formatsForRun(REGISTRY, request, hosts).formats.map((f) => f.name);
const refusal = (request: FormatRequest, hosts = 10): InputError => {
  try {
    formatsForRun(REGISTRY, request, hosts);
  } catch (err) {
    if (err instanceof InputError) return err;
    throw err;
  }
  assert.fail(`${JSON.stringify(request)} was accepted`);
};

test("up to 2,000 hosts a run writes every format and Allure's single file; above, the record, junit, summary.md, results.csv and the pages", () => {
  assert.equal(LARGE_ESTATE_HOSTS, 2000);
  const all = ["summary", "summary-md", "junit", "hdf", "csv", "allure-results", "allure-report"];
  assert.deepEqual(names(auto, 1), all);
  assert.deepEqual(names(auto, LARGE_ESTATE_HOSTS), all);
  assert.deepEqual(names(auto, LARGE_ESTATE_HOSTS + 1), ["summary", "summary-md", "junit", "csv", "pages"]);
  const large = formatsForRun(REGISTRY, auto, 100_000);
  assert.equal(large.html, "pages");
  assert.deepEqual(large.left.map((f) => f.name), ["hdf", "hdf-targets", "allure-results", "xlsx", "pdf", "oscal", "ckl"]);
  assert.deepEqual(formatsForRun(REGISTRY, auto, 10).left, []);
});

test("--html and --no-html choose the HTML report at any size, as before", () => {
  assert.deepEqual(names({ ...auto, html: "pages" }, 10), ["summary", "summary-md", "junit", "hdf", "csv", "allure-results", "pages"]);
  assert.deepEqual(names({ ...auto, html: false }, 10), ["summary", "summary-md", "junit", "hdf", "csv", "allure-results"]);
  // Allure's single file on a large estate brings the results it is made from.
  assert.deepEqual(names({ ...auto, html: "single" }, 5000), ["summary", "summary-md", "junit", "csv", "allure-results", "allure-report"]);
  assert.deepEqual(names({ ...auto, html: false }, 5000), ["summary", "summary-md", "junit", "csv"]);
});

test("--export adds a format at any size, with what it needs; --no-export leaves a default out", () => {
  assert.deepEqual(names({ ...auto, add: ["hdf"] }, 5000), ["summary", "summary-md", "junit", "hdf", "csv", "pages"]);
  // An HTML report named by --export is the run's HTML report: the same as --html.
  assert.deepEqual(names({ ...auto, add: ["allure-report"] }, 5000), ["summary", "summary-md", "junit", "csv", "allure-results", "allure-report"]);
  assert.deepEqual(names({ ...auto, add: ["pages"] }, 10), ["summary", "summary-md", "junit", "hdf", "csv", "allure-results", "pages"]);
  assert.deepEqual(names({ ...auto, drop: ["hdf", "allure-results", "allure-report"] }, 10), ["summary", "summary-md", "junit", "csv"]);
  assert.deepEqual(names({ ...auto, drop: ["pages", "junit"] }, 5000), ["summary", "summary-md", "csv"]);
  // Leaving out what the size does not write anyway is no error.
  assert.deepEqual(names({ ...auto, drop: ["hdf"] }, 5000), ["summary", "summary-md", "junit", "csv", "pages"]);
  const left = formatsForRun(REGISTRY, { ...auto, drop: ["junit"] }, 10).left.map((f) => f.name);
  assert.deepEqual(left, ["junit"]);
});

test("a request that cannot be met is refused, naming the option and the fix", () => {
  const cases: [FormatRequest, RegExp, string][] = [
    [{ ...auto, add: ["docx"] }, /'docx' is not a format/, "--export"],
    [{ ...auto, drop: ["summary"] }, /summary holds the record's results/, "--no-export"],
    [{ ...auto, add: ["hdf"], drop: ["hdf"] }, /named by both/, "--export"],
    [{ ...auto, add: ["pages", "allure-report"] }, /both HTML reports/, "--export"],
    [{ ...auto, html: false, add: ["pages"] }, /--no-html for none/, "--export"],
    [{ ...auto, html: "single", add: ["pages"] }, /two HTML reports/, "--export"],
    [{ ...auto, drop: ["allure-results"] }, /allure-report needs allure-results/, "--no-export"],
  ];
  for (const [request, problem, field] of cases) {
    const err = refusal(request);
    const p = err.problems[0]!;
    assert.match(p.problem, problem, JSON.stringify(request));
    assert.equal(p.field, field);
    assert.equal(p.file, "command line");
    assert.ok(p.fix.length > 0);
  }
  // Without Allure's single file (above the size, or --html pages), allure-results may go.
  assert.deepEqual(names({ ...auto, html: "pages", drop: ["allure-results"] }, 10), ["summary", "summary-md", "junit", "hdf", "csv", "pages"]);
  // The refusals that hold at any size are made before the estate is read.
  assert.throws(() => checkRequest(REGISTRY, { ...auto, drop: ["summary"] }), InputError);
  assert.doesNotThrow(() => checkRequest(REGISTRY, { ...auto, drop: ["allure-results"] }));
});

test("a format added to the registry is on request above the size unless it says atScale; export derives any by name", () => {
  const registry = formatRegistry([...FORMATS, targetsTxtFormat]);
  const at = (hosts: number, request = auto): string[] => formatsForRun(registry, request, hosts).formats.map((f) => f.name);
  assert.ok(at(10).includes(targetsTxtFormat.name));
  assert.ok(!at(5000).includes(targetsTxtFormat.name));
  assert.ok(at(5000, { ...auto, add: [targetsTxtFormat.name] }).includes(targetsTxtFormat.name));
  const scaled = formatRegistry([...FORMATS, { ...targetsTxtFormat, atScale: true }]);
  assert.ok(formatsForRun(scaled, auto, 5000).formats.some((f) => f.name === targetsTxtFormat.name));
  assert.deepEqual(formatsToExport(REGISTRY, ["allure-report"]).map((f) => f.name), ["allure-results", "allure-report"]);
  assert.throws(() => formatsToExport(REGISTRY, []), /no format given/);
});
