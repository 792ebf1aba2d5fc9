/**
 * The browsable report at 10,000 hosts, opened in real Chromium: an auditor reaches every host,
 * every finding with its evidence and every waiver within three clicks of the landing page. How
 * long each page took to load is reported (t.diagnostic), never asserted.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { existsSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import type { Page } from "playwright-core";
import { generateEstate } from "../../bench/generate";
import { haveChromium, launchChromium } from "../helpers/browser";
import { AS_OF, shownCommand, spawnCli, tempDir } from "../e2e/cli";
import type { Summary } from "../../src/report/formats/summary";

const HOSTS = 10_000;

async function timed(t: { diagnostic(m: string): void }, what: string, page: Page, action: () => Promise<unknown>): Promise<void> {
  const started = Date.now();
  await action();
  await page.waitForLoadState("load");
  t.diagnostic(`${what}: ${Date.now() - started} ms`);
}

test(`the browsable report of ${HOSTS.toLocaleString("en-US")} hosts: every host, finding with evidence and waiver within three clicks`, { timeout: 600_000 }, async (t) => {
  if (!haveChromium(t)) return;
  const dir = tempDir();
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const estate = generateEstate(join(dir, "estate"), { hosts: HOSTS, seed: 42 });
  // One waiver over every host for the offloads control: the waived results must be listed with it.
  const waivers = join(dir, "waivers.yaml");
  writeFileSync(
    waivers,
    [
      "version: 1",
      "waivers:",
      "  - id: WVR-BENCH-1",
      "    controlId: HP-NIC-001",
      "    scope: all",
      "    justification: offload settings are owned by the NIC vendor's tuning baseline until Q3",
      "    approver: Dana Whitfield, Head of Infrastructure Security",
      "    reference: CHG-77",
      "    expires: 2099-12-31",
      "",
    ].join("\n"),
  );
  const out = join(dir, "reports");
  // No --html: above 2,000 hosts the default is the browsable report.
  const run = spawnCli(["run", "-i", estate.inventoryPath, "-w", waivers, "-o", out, "--as-of", AS_OF, "--exit-zero", "--no-history"]);
  assert.equal(run.code, 0, run.stderr);
  assert.match(run.stdout, /Browsable report \(pages\/; open it in a browser, the folder travels whole\):\n {4}\S*pages\/index\.html$/m);
  assert.ok(!existsSync(join(out, "allure-report")), "no single-file report at this size");
  // Above 2,000 hosts the defaults are the record, junit.xml, summary.md, results.csv and the pages;
  // the formats that grow fastest are one export away, and the run says how.
  for (const file of ["summary.json", "summary.md", "junit.xml", "results.csv", "pages/index.html", "evidence/run.json"]) assert.ok(existsSync(join(out, file)), file);
  for (const file of ["hdf.json", "allure-results"]) assert.ok(!existsSync(join(out, file)), `${file} is not written by default at this size`);
  assert.match(run.stdout.replace(/\n\s+/g, " "), /Not written by this run: hdf, hdf-targets, allure-results, xlsx, pdf, oscal, ckl; derive them from this report when needed:/);
  assert.match(shownCommand(run.stdout, "when needed:")?.line ?? run.stdout, /^hostproof export \S+ --format hdf,hdf-targets,allure-results,xlsx,pdf,oscal,ckl$/);
  const summary = JSON.parse(readFileSync(join(out, "summary.json"), "utf8")) as Summary;
  assert.equal(summary.hosts.length, HOSTS);

  const browser = await launchChromium();
  try {
    const page = await browser.newPage({ viewport: { width: 1400, height: 1000 } });
    const index = pathToFileURL(join(out, "pages", "index.html")).href;
    await timed(t, "landing page", page, () => page.goto(index));
    const landing = await page.locator("body").innerText();
    assert.match(landing, new RegExp(`verdict\\s+${summary.verdict.toUpperCase()} \\(exit code ${summary.exitCode};`, "i"));
    assert.match(landing, new RegExp(`${HOSTS.toLocaleString("en-US")} hosts`));

    // Every host: click 1 the list, click 2 the host.
    await timed(t, "hosts and clusters", page, () => page.getByRole("link", { name: "Hosts and clusters" }).first().click());
    const hostLinks = page.locator('a[href*="#host-"]');
    assert.equal(await hostLinks.count(), HOSTS, "every host is listed");
    const someHost = summary.hosts[HOSTS - 7]!.name;
    await timed(t, `host ${someHost}`, page, () => page.getByRole("link", { name: someHost, exact: true }).first().click());
    const section = page.locator(`section:target`);
    assert.match(await section.locator("h2").innerText(), new RegExp(`^${someHost}$`));
    assert.ok((await section.locator("tr").count()) > 1, "its results are shown");

    // A finding with its evidence: click 1 its control, click 2 the finding, click 3 the evidence.
    const failed = summary.results.find((r) => r.status === "failed" && r.target.kind === "host" && r.evidence.length > 0)!;
    await page.goto(index);
    await timed(t, `control ${failed.controlId}`, page, () => page.getByRole("link", { name: failed.controlId, exact: true }).click());
    const controlPage = await page.locator("body").innerText();
    const failedHere = summary.results.filter((r) => r.controlId === failed.controlId && (r.status === "failed" || r.status === "undetermined" || r.status === "waived")).length;
    assert.equal(await page.locator("table").last().locator("tr").count() - 1, failedHere, "every non-passing result of the control is listed");
    assert.match(controlPage, /remediation/);
    await timed(t, `finding on ${failed.target.name}`, page, () => page.getByRole("link", { name: failed.target.name, exact: true }).first().click());
    const row = page.locator("section:target tr", { hasText: failed.controlId }).first();
    await row.locator("summary").click();
    const evidence = await row.locator("pre").first().innerText();
    assert.match(evidence, new RegExp(`Host: +${failed.target.name}`));
    assert.match(evidence, /Command: {2}\S/);
    assert.ok(/Output:|Error \(/.test(evidence), "the raw output or the error");

    // Every finding is listed once.
    await page.goto(index);
    await timed(t, "findings", page, () => page.getByRole("link", { name: /findings$/ }).first().click());
    assert.equal((await page.locator("table tr").count()) - 1, summary.totals.failed + summary.totals.undetermined);

    // A waiver: click 1, with its justification, approval and every result it waived.
    await page.goto(index);
    await timed(t, "waivers", page, () => page.getByRole("link", { name: /waived results$/ }).click());
    const waiverPage = await page.locator("body").innerText();
    assert.match(waiverPage, /WVR-BENCH-1/);
    assert.match(waiverPage, /offload settings are owned by the NIC vendor's tuning baseline/);
    assert.match(waiverPage, /Dana Whitfield/);
    assert.ok(summary.totals.waived > 0);
    assert.equal((await page.locator("table").last().locator("tr").count()) - 1, summary.totals.waived);
  } finally {
    await browser.close();
  }
});
