/** The demo's single-file Allure report, made by the real allure-commandline (needs Java). */
import { test } from "node:test";
import assert from "node:assert/strict";
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { findJava } from "../../src/report/formats/allure/allure-html";
import { requireTool } from "../helpers/require-tool";
import { AS_OF, DEMO, ROOT, spawnCli, tempDir } from "./cli";

/** The single-file report embeds each data file as base64: `d('data/suites.json','<base64>')`. */
function embedded(html: string, name: string): string {
  const m = new RegExp(`d\\('${name.replace(/[./]/g, "\\$&")}','([^']*)'`).exec(html);
  assert.ok(m, `${name} is not embedded in the report`);
  return Buffer.from(m[1], "base64").toString("utf8");
}

test("npm start's run makes one self-contained HTML report whose suites are cluster → host → control", { timeout: 180_000 }, (t) => {
  if (!requireTool(t, "java", findJava(), "install a JRE (apt-get install default-jre-headless) or set JAVA_HOME")) return;
  const out = join(tempDir(), "reports");
  const res = spawnCli(["run", "-i", DEMO, "--waivers", join(ROOT, "examples", "demo", "waivers.yaml"), "-o", out, "--as-of", AS_OF, "--exit-zero"]);
  assert.equal(res.code, 0, res.stderr);
  const file = join(out, "allure-report", "index.html");
  assert.ok(existsSync(file), res.stderr);
  assert.match(res.stdout, /Allure report \(one file; open it in a browser\):\n {4}\S*allure-report\/index\.html$/m);
  const html = readFileSync(file, "utf8");
  const suites = JSON.parse(embedded(html, "data/suites.json")) as { children: { name: string; children: { name: string; children: { name: string; status: string }[] }[] }[] };
  const wgclus = suites.children.find((c) => c.name === "wgclus");
  assert.ok(wgclus, JSON.stringify(suites.children.map((c) => c.name)));
  const node3 = wgclus.children.find((h) => h.name === "wg-node3");
  assert.ok(node3);
  const nic = node3.children.find((c) => c.name.startsWith("HP-NIC-001"));
  assert.equal(nic?.status, "failed");
  assert.ok(suites.children.some((c) => c.name === "Standalone hosts"));

  // Allure itself (Java regex, whole-message match) files the waived results under "Waived".
  type Node = { name: string; children?: Node[] };
  const categories = JSON.parse(embedded(html, "data/categories.json")) as Node;
  const waived = categories.children?.find((c) => c.name === "Waived");
  assert.ok(waived, JSON.stringify(categories.children?.map((c) => c.name)));
  const tests = (waived.children ?? []).flatMap((message) => message.children ?? []).map((r) => r.name.split(" ")[0]);
  assert.deepEqual(tests.sort(), ["HP-CLU-004", "HP-CLU-004", "HP-EOS-003", "HP-UAC-001", "HP-UAC-001"]);
});
