/**
 * Issue 8, item 9: verify vouches for the whole report folder, not only evidence/ and
 * allure-results/: a file or link planted at the top level or in allure-report/, or allure-report/
 * swapped for a link to a copy, is reported.
 */
import assert from "node:assert/strict";
import { cpSync, mkdirSync, renameSync, symlinkSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { test, type TestContext } from "node:test";
import { verifyCommand } from "../../src/cli/commands/verify";
import { verifyReport, writeManifest } from "../../src/evidence/manifest";
import { scratch } from "../report/tmp";
import { writeEmptyRun } from "./empty-report";

/** A report folder as run writes it, with an HTML report. */
async function report(t: TestContext): Promise<string> {
  const dir = join(scratch(t), "reports");
  mkdirSync(join(dir, "evidence", "snapshots"), { recursive: true });
  mkdirSync(join(dir, "allure-results"));
  mkdirSync(join(dir, "allure-report", "history"), { recursive: true });
  writeFileSync(join(dir, "evidence", "snapshots", "fs01.json"), "{}\n");
  await writeEmptyRun(dir, { junit: false });
  writeFileSync(join(dir, "allure-results", "a-result.json"), "{}");
  writeFileSync(join(dir, "allure-report", "index.html"), "<html></html>");
  writeFileSync(join(dir, "allure-report", "history", "history.json"), "{}");
  writeFileSync(join(dir, ".hostproof-report"), "marker\n");
  writeManifest(dir);
  return dir;
}

const kinds = async (dir: string): Promise<string[][]> => (await verifyReport(dir)).problems.map((p) => [p.kind, p.path]);

test("a file planted at the top level or in allure-report/ is unexpected", async (t) => {
  const dir = await report(t);
  assert.deepEqual(await kinds(dir), []);
  writeFileSync(join(dir, "extra.html"), "<script>");
  writeFileSync(join(dir, "allure-report", "extra.js"), "x");
  mkdirSync(join(dir, "empty"));
  assert.deepEqual(await kinds(dir), [
    ["unexpected", "allure-report/extra.js"],
    ["unexpected", "empty"],
    ["unexpected", "extra.html"],
  ]);
});

test("a link at the top level is unexpected, and allure-report/ swapped for a link is caught", async (t) => {
  const dir = await report(t);
  symlinkSync(join(dir, "summary.json"), join(dir, "link.json"));
  const copy = join(dir, "..", "copy");
  cpSync(join(dir, "allure-report"), copy, { recursive: true });
  renameSync(join(dir, "allure-report"), join(dir, "..", "moved"));
  symlinkSync(copy, join(dir, "allure-report"));
  const outcome = await verifyReport(dir);
  assert.equal(outcome.ok, false);
  const lines = outcome.problems.map((p) => `${p.kind} ${p.path} ${p.actual ?? ""}`);
  assert.ok(lines.includes("unexpected link.json a symbolic link"), lines.join("\n"));
  assert.ok(lines.includes("modified allure-report/index.html reached through a symbolic link (allure-report)"), lines.join("\n"));
});

test("verify says exactly what it checked", async (t) => {
  const dir = await report(t);
  let out = "";
  const io = { out: (s: string) => (out += s), err: () => undefined, color: false, now: () => new Date() };
  assert.equal(await verifyCommand([dir], io), 0);
  assert.match(out, /evidence intact: 6 files match the manifest, and the folder holds nothing else \(every file, folder and link under .*reports checked; links not followed\)/);
});
