/**
 * hdf/ as its consumer opens it: a user derives hdf/ from a run's report with `hostproof export`,
 * picks the files of the targets that are not compliant from index.json, and loads them together
 * into Heimdall (Heimdall Lite, as the SAF CLI's `saf view heimdall` serves it) in real Chromium.
 * Heimdall must show each file, and status counts that are the index's.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { readFileSync } from "node:fs";
import { createServer } from "node:net";
import { basename, join } from "node:path";
import type { HdfIndexEntry } from "../../src/report/formats/hdf/hdf-targets";
import { requireTool } from "../helpers/require-tool";
import { safPath } from "../helpers/saf";
import { haveChromium, launchChromium } from "../helpers/browser";
import { AS_OF, DEMO, ROOT, spawnCli, tempDir } from "../e2e/cli";

const SAF = safPath();

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

test("Heimdall loads the non-compliant targets' files picked from index.json together, with the index's counts", { timeout: 300_000 }, async (t) => {
  if (!haveChromium(t)) return;
  if (!requireTool(t, "saf", SAF, "set HOSTPROOF_SAF to the SAF CLI's saf command (npm i @mitre/saf in a folder of its own; see docs/reports.md)")) return;
  const dir = tempDir();
  const report = join(dir, "reports");
  const run = spawnCli(["run", "-i", DEMO, "-w", join(ROOT, "examples", "demo", "waivers.yaml"), "-o", report, "--as-of", AS_OF, "--no-html", "--no-history", "--exit-zero"]);
  assert.equal(run.code, 0, run.stderr);
  const exported = join(dir, "hdf-export");
  const res = spawnCli(["export", report, "--format", "hdf-targets", "-o", exported]);
  assert.equal(res.code, 0, res.stderr);

  const hdf = join(exported, "hdf");
  const index = JSON.parse(readFileSync(join(hdf, "index.json"), "utf8")) as { files: HdfIndexEntry[] };
  const picked = index.files.filter((e) => e.verdict !== "compliant");
  assert.ok(picked.length >= 3 && picked.length < index.files.length, `${picked.length} of ${index.files.length} picked`);
  assert.ok(picked.some((e) => e.kind === "cluster") && picked.some((e) => e.undetermined > 0));
  const sum = (pick: (e: HdfIndexEntry) => number): number => picked.reduce((n, e) => n + pick(e), 0);

  const port = await freePort();
  const saf = spawn(SAF, ["view", "heimdall", "-p", String(port), "-n", "-f", ...picked.map((e) => e.file)], { cwd: hdf, stdio: ["ignore", "pipe", "pipe"] });
  let said = "";
  saf.stdout.on("data", (d: Buffer) => (said += d.toString()));
  saf.stderr.on("data", (d: Buffer) => (said += d.toString()));
  const browser = await launchChromium();
  try {
    // The SAF CLI says where it serves once it listens; Heimdall then loads the files it was given.
    for (let i = 0; i < 600 && !said.includes("Serving Heimdall at"); i++) await new Promise((r) => setTimeout(r, 100));
    assert.match(said, /Serving Heimdall at http:\/\/localhost:\d+\/\?predefinedLoad=true/);
    const page = await browser.newPage({ viewport: { width: 1500, height: 1100 } });
    await page.goto(`http://localhost:${port}/?predefinedLoad=true`);
    await page.getByText(`Result View (${picked.length} results selected)`).waitFor({ timeout: 120_000 });
    const body = await page.locator("body").innerText();
    for (const e of picked) assert.match(body, new RegExp(`Filename: ${basename(e.file).replace(/\./g, "\\.")}`), e.file);
    assert.match(body, new RegExp(`Passed: ${sum((e) => e.passed)}\\b`));
    assert.match(body, new RegExp(`Failed: ${sum((e) => e.failed)}\\b`));
    assert.match(body, new RegExp(`ALERT: ${sum((e) => e.undetermined)} Profile Errors`));
    // inspecjs 2.12.6 shows a waived control as Not Applicable.
    assert.match(body, new RegExp(`Not Applicable: ${sum((e) => e.notApplicable + e.waived)}\\b`));
  } finally {
    await browser.close();
    saf.kill();
  }
});
