/**
 * The demo's single-file Allure report, opened in headless Chromium (Debian's package, driven by
 * playwright-core; never a downloaded browser) and read the way an auditor would: find the node
 * that is out of line, its failing offload control, expected against actual, the evidence, and a
 * waiver's justification and approver.
 * A screenshot of what was found is kept in test-output/.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { existsSync, mkdirSync } from "node:fs";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import type { Page } from "playwright-core";
import { findJava } from "../../src/report/formats/allure/allure-html";
import { requireTool } from "../helpers/require-tool";
import { haveChromium, launchChromium } from "../helpers/browser";
import { AS_OF, DEMO, ROOT, spawnCli, tempDir } from "../e2e/cli";

const SHOTS = join(ROOT, "test-output");

async function open(page: Page, url: string, hash: string): Promise<void> {
  await page.goto(`${url}${hash}`);
  await page.waitForSelector(".side-nav", { timeout: 30_000 });
}

test("an auditor finds the out-of-line node, its failing offload control, expected and actual, the evidence, and a waiver's justification", { timeout: 240_000 }, async (t) => {
  if (!haveChromium(t)) return;
  if (!requireTool(t, "java", findJava(), "apt-get install default-jre-headless")) return;
  const out = join(tempDir(), "reports");
  const waivers = join(ROOT, "examples", "demo", "waivers.yaml");
  const run = spawnCli(["run", "-i", DEMO, "-w", waivers, "-o", out, "--as-of", AS_OF, "--exit-zero", "--no-history"]);
  assert.equal(run.code, 0, run.stderr);
  const url = pathToFileURL(join(out, "allure-report", "index.html")).href;

  const browser = await launchChromium();
  try {
    const page = await browser.newPage({ viewport: { width: 1500, height: 1100 } });
    await open(page, url, "#suites");

    // Suites: cluster → host → control.
    await page.getByText("wgclus", { exact: true }).first().click();
    await page.getByText("wg-node3", { exact: true }).first().click();
    await page.getByText(/HP-NIC-001 on wg-node3: Hardware offloads/).first().click();

    await page.getByText("Failed", { exact: true }).first().waitFor({ timeout: 15_000 });
    const body = await page.locator("body").innerText();
    assert.match(body, /Expected: every standardized offload keyword disabled on every adapter/);
    assert.match(body, /Actual: Ethernet 2: \*VMQ = 1/);
    assert.match(body, /severity\s*:?\s*high/i);
    // One severity vocabulary: Allure's own "Severity:" line says hostproof's word too.
    assert.match(body, /Severity: high/);
    assert.doesNotMatch(body, /Severity: (critical|blocker|normal|minor)/);

    // The evidence: the probe's command and its raw output, in the host's evidence attachment.
    assert.match(body, /evidence\s*:?\s*Network adapter advanced properties .* on wg-node3/);
    await page.getByText("Evidence: every probe read from wg-node3").first().click();
    await page.getByText(/Get-NetAdapterAdvancedProperty -AllProperties/).first().waitFor({ timeout: 15_000 });
    const withEvidence = await page.locator("body").innerText();
    assert.match(withEvidence, /RegistryKeyword/);

    mkdirSync(SHOTS, { recursive: true });
    const shot = join(SHOTS, "allure-wg-node3-HP-NIC-001.png");
    await page.screenshot({ path: shot, fullPage: false });
    t.diagnostic(`screenshot: ${shot}`);
    assert.ok(existsSync(shot));

    // A waiver: its own category, with the justification and the approver in view.
    await open(page, url, "#categories");
    await page.getByText("Waived", { exact: true }).first().click();
    // One group per waiver, named by its id, with its approver, ticket and expiry.
    const group = page.getByText(/^WVR-2026-019: HP-EOS-003 on host app2016; approved by/).first();
    await group.waitFor({ timeout: 15_000 });
    const listed = await page.locator("body").innerText();
    assert.match(listed, /approved by Priya Raman, Application Owner \(ERP\); MIG-2291; expires 2027-01-10/);
    await group.click();
    await page.getByText(/HP-EOS-003 on app2016: No host is within the warning window/).first().click();
    await page.getByText(/waiver approver/).first().waitFor({ timeout: 15_000 });
    const waived = await page.locator("body").innerText();
    assert.match(waived, /waiver justification\s*:?\s*in-place migration/);
    assert.match(waived, /app2016/);
    const waiverShot = join(SHOTS, "allure-waiver-app2016-HP-EOS-003.png");
    await page.screenshot({ path: waiverShot, fullPage: false });
    t.diagnostic(`screenshot: ${waiverShot}`);

    // Categories: each leaf names its host or cluster, without a click.
    await open(page, url, "#categories");
    await page.getByText("Non-compliant", { exact: true }).first().click();
    await page.getByText(/^HP-CLU-008 \(medium\): Every node has the same set of updates/).first().click();
    await page.getByText(/HP-CLU-008 on cluster wgclus: Every node has the same set of updates/).first().waitFor({ timeout: 15_000 });
    await page.getByText(/^HP-NIC-001 \(high\): Hardware offloads/).first().click();
    await page.getByText(/HP-NIC-001 on wg-node3: Hardware offloads/).first().waitFor({ timeout: 15_000 });
    await page.screenshot({ path: join(SHOTS, "allure-categories-non-compliant.png"), fullPage: false });

    // The Details table is a table: one cell per column, with room between them.
    await page.getByText(/HP-CLU-008 on cluster wgclus: Every node has the same set of updates/).first().click();
    const table = page.locator(".description__text table").first();
    await table.waitFor({ timeout: 15_000 });
    const rows = await table.evaluate((t) => [...t.querySelectorAll("tr")].map((tr) => [...tr.querySelectorAll("th,td")].map((c) => (c.textContent ?? "").trim())));
    assert.deepEqual(rows[0], ["Subject", "Expected", "Actual", "Outcome", "Note"]);
    assert.ok(rows.length >= 4, JSON.stringify(rows));
    assert.ok(rows.slice(1).every((r) => r.length === 5), JSON.stringify(rows));
    assert.ok(rows.some((r) => r[0] === "wg-node3" && r[3] === "deviation"), JSON.stringify(rows));
    // Rendered with borders and padding: adjacent cells do not touch.
    const gap = await table.locator("td").first().evaluate((td) => {
      // This project's TypeScript has no DOM library: the one browser function used, typed here.
      const { getComputedStyle } = globalThis as unknown as { getComputedStyle(e: unknown): { paddingLeft: string; paddingRight: string; borderTopStyle: string } };
      const s = getComputedStyle(td);
      return { padding: parseFloat(s.paddingLeft) + parseFloat(s.paddingRight), border: s.borderTopStyle };
    });
    assert.ok(gap.padding >= 8, JSON.stringify(gap));
    assert.equal(gap.border, "solid");
    const tableShot = join(SHOTS, "allure-details-wgclus-HP-CLU-008.png");
    await table.scrollIntoViewIfNeeded();
    await page.screenshot({ path: tableShot, fullPage: false });
    t.diagnostic(`screenshot: ${tableShot}`);
  } finally {
    await browser.close();
  }
});
