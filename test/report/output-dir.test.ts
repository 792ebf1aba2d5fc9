import assert from "node:assert/strict";
import { existsSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { basename, dirname, join } from "node:path";
import { test } from "node:test";
import type { HostRecord } from "../../src/model/run";
import { writeAllureResults, writeJunit, writeSummary } from "../../src/report";
import type { RunReport } from "../../src/model/run";

/** The writers as src/engine/run.ts uses them, minus Cucumber and HTML. */
const writeReports = (outDir: string, report: RunReport) =>
  writeAtomically(outDir, async (staging) => {
    await writeSummary(staging, report);
    await writeJunit(staging, report);
    return { allure: writeAllureResults(join(staging, "allure-results"), report) };
  });
import { commitStaging, discardStaging, openStaging, writeAtomically } from "../../src/report/output/output-dir";
import { fixtureRunReport } from "../helpers/run-report";
import { scratch } from "./tmp";

/** An earlier report, to check it survives failures byte for byte. */
function earlierReport(outDir: string): void {
  mkdirSync(join(outDir, "allure-results"), { recursive: true });
  writeFileSync(join(outDir, "summary.json"), '{"earlier":true}\n');
  writeFileSync(join(outDir, "allure-results", "x-result.json"), "{}");
}

function snapshotOf(dir: string): Record<string, string> {
  const out: Record<string, string> = {};
  const walk = (d: string, prefix: string): void => {
    for (const e of readdirSync(d, { withFileTypes: true })) {
      if (e.isDirectory()) walk(join(d, e.name), `${prefix}${e.name}/`);
      else out[`${prefix}${e.name}`] = readFileSync(join(d, e.name), "utf8");
    }
  };
  walk(dir, "");
  return out;
}

test("openStaging makes a hidden sibling with normal permissions", (t) => {
  const root = scratch(t);
  const outDir = join(root, "reports", "demo");
  const staging = openStaging(outDir);
  assert.equal(dirname(staging), join(root, "reports"), "same parent, so rename is atomic");
  assert.match(basename(staging), new RegExp(`^\\.demo\\.staging-${process.pid}-[0-9a-f]{12}$`));
  const plain = join(root, "plain");
  mkdirSync(plain);
  assert.equal(statSync(staging).mode & 0o777, statSync(plain).mode & 0o777, "mode follows the umask, not mkdtemp's 0700");
  assert.notEqual(openStaging(outDir), staging, "each call gets its own directory");
});

test("commitStaging replaces an existing report and leaves nothing behind, the earlier one deleted in the background", async (t) => {
  const root = scratch(t);
  const outDir = join(root, "out");
  earlierReport(outDir);
  const staging = openStaging(outDir);
  writeFileSync(join(staging, "summary.json"), '{"new":true}\n');
  const { removed } = commitStaging(staging, outDir);
  assert.deepEqual(snapshotOf(outDir), { "summary.json": '{"new":true}\n' });
  await removed.wait();
  assert.deepEqual(readdirSync(root), ["out"]);

  const fresh = join(root, "fresh");
  const s2 = openStaging(fresh);
  writeFileSync(join(s2, "a"), "1");
  commitStaging(s2, fresh);
  assert.deepEqual(snapshotOf(fresh), { a: "1" });
});

test("commitStaging puts the old report back when the new one cannot be moved in", (t) => {
  const root = scratch(t);
  const outDir = join(root, "out");
  earlierReport(outDir);
  const before = snapshotOf(outDir);
  assert.throws(() => commitStaging(join(root, ".out.staging-gone"), outDir), /ENOENT/);
  assert.deepEqual(snapshotOf(outDir), before);
  assert.deepEqual(readdirSync(root), ["out"]);
});

test("a failing writer leaves the earlier report untouched and removes its staging", async (t) => {
  const root = scratch(t);
  const outDir = join(root, "out");
  earlierReport(outDir);
  const before = snapshotOf(outDir);
  await assert.rejects(
    writeAtomically(outDir, (staging) => {
      writeFileSync(join(staging, "summary.json"), "half");
      throw new Error("disk full");
    }),
    /disk full/,
  );
  assert.deepEqual(snapshotOf(outDir), before);
  assert.deepEqual(readdirSync(root), ["out"]);
  discardStaging(join(root, "does-not-exist"));
});

test("the writers, run atomically, write every report, and a failure keeps the earlier one, and a failure keeps the earlier one", async (t) => {
  const root = scratch(t);
  const outDir = join(root, "out");
  const written = await writeReports(outDir, fixtureRunReport());
  assert.equal(written.allure.results, 12);
  for (const f of ["summary.json", "junit.xml", "allure-results/categories.json", "allure-results/environment.properties"]) {
    assert.ok(existsSync(join(outDir, f)), f);
  }
  const before = snapshotOf(outDir);

  // A report the summary writer chokes on, part-way through writing.
  const broken = { ...fixtureRunReport(), hosts: null as unknown as HostRecord[] };
  await assert.rejects(writeReports(outDir, broken), TypeError);
  assert.deepEqual(snapshotOf(outDir), before);
  assert.deepEqual(readdirSync(root), ["out"]);
});
