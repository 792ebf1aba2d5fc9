import assert from "node:assert/strict";
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { test } from "node:test";
import { findAllureCommandline, findJava, generateAllureHtml, heapMiB } from "../../src/report/formats/allure/allure-html";
import { writeAllureResults } from "../../src/report/formats/allure/allure-results";
import { fixtureRunReport } from "../helpers/run-report";
import { requireTool } from "../helpers/require-tool";
import { scratch } from "./tmp";

/** A --single-file report embeds every data file base64-encoded as d('path','<base64>'). */
function embeddedData(html: string): Map<string, string> {
  const files = new Map<string, string>();
  for (const m of html.matchAll(/d\('([^']+)',\s*'([A-Za-z0-9+/=]*)'\)/g)) {
    files.set(m[1]!, Buffer.from(m[2]!, "base64").toString("utf8"));
  }
  return files;
}

test("without Java it returns a reason instead of crashing", async (t) => {
  const dir = scratch(t);
  const outcome = await generateAllureHtml(join(dir, "results"), join(dir, "report"), { env: { PATH: join(dir, "no-bin") } });
  assert.equal(outcome.ok, false);
  assert.ok(!outcome.ok);
  assert.match(outcome.reason, /^Java was not found/);
  assert.match(outcome.reason, /apt-get install default-jre-headless/);
  assert.match(outcome.reason, /JAVA_HOME/);
  assert.equal(existsSync(join(dir, "report")), false);
});

test("JAVA_HOME is honoured before PATH", (t) => {
  const java = findJava();
  if (!requireTool(t, "java", java, "install a JRE (apt-get install default-jre-headless) or set JAVA_HOME")) return;
  const home = join(java, "..", "..");
  assert.equal(findJava({ JAVA_HOME: home, PATH: "" }), join(home, "bin", "java"));
  assert.equal(findJava({ JAVA_HOME: join(home, "nope"), PATH: join(home, "bin") }), join(home, "bin", "java"));
});

test("renders a single-file Allure report with allure-commandline", { timeout: 180_000 }, async (t) => {
  if (!requireTool(t, "java", findJava(), "install a JRE (apt-get install default-jre-headless) or set JAVA_HOME")) return;
  if (!requireTool(t, "allure-commandline", findAllureCommandline(), "npm install (it is a dependency)")) return;
  const dir = scratch(t);
  const results = join(dir, "allure-results");
  const report = join(dir, "allure-report");
  writeAllureResults(results, fixtureRunReport());

  const outcome = await generateAllureHtml(results, report);
  assert.deepEqual(outcome, { ok: true });
  const html = readFileSync(join(report, "index.html"), "utf8");
  const data = embeddedData(html);
  assert.ok(data.size > 10, `embedded data files: ${data.size}`);
  const testCases = [...data.entries()].filter(([p]) => p.startsWith("data/test-cases/"));
  assert.equal(testCases.length, 12);
  assert.ok(testCases.some(([, body]) => body.includes("HP-NIC-001")), "a control ID is in the report");
  const suites = data.get("data/suites.json") ?? "";
  for (const name of ["wgclus", "Standalone hosts", "Cluster-wide checks", "node1"]) assert.ok(suites.includes(name), name);
  assert.ok((data.get("data/categories.json") ?? "").includes("Undetermined: access denied"));
  // Shared evidence stays shared: one snapshot per host (node1, node2, solo1), not one per citation;
  // beside them, the cited probes' text files.
  const attachments = [...data.keys()].filter((p) => p.startsWith("data/attachments/"));
  assert.equal(attachments.filter((p) => p.endsWith(".json")).length, 3);
  assert.ok(attachments.some((p) => p.endsWith(".txt")), JSON.stringify(attachments));
  // One severity vocabulary: the UI of this Allure version was found and says hostproof's words.
  const ui = /src="data:text\/javascript; charset=utf-8;base64,([^"]+)"/.exec(html);
  assert.ok(ui);
  assert.match(Buffer.from(ui[1]!, "base64").toString("utf8"), /blocker:`critical`,critical:`high`,normal:`medium`,minor:`low`/);
});

test("Allure's heap grows with the results: 512 MiB floor, half the machine at most", () => {
  assert.equal(heapMiB(0, 24576), 512);
  assert.equal(heapMiB(9000, 24576), 608);
  assert.equal(heapMiB(85_000, 24576), 3577);
  assert.equal(heapMiB(1_000_000, 4096), 2048);
});
