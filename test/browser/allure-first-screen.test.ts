/**
 * The demo's single-file Allure report as an auditor first sees it, in headless Chromium (Debian's,
 * driven by playwright-core), with every request that is not file: or data: refused and counted:
 * - the verdict, its exit code, the as-of day, failures per severity and the waivers applied are
 *   on the Overview's first screen, as summary.json says them;
 * - hostproof's five outcome words, and never Allure's "Broken" or "Skipped", on every tab, in
 *   English and after switching the UI to German and to Japanese; every language table in the
 *   UI bundle says them;
 * - Categories: non-compliant by control with its targets right under it, waived by waiver,
 *   undetermined by reason;
 * - a result's first attachment is the probes it cites, the host's snapshot second;
 * - dates ISO 8601 with the zone; widget labels are not broken inside a word.
 * Expected figures come from the report's own summary.json, so the test follows the demo.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { closeSync, mkdirSync, openSync, readFileSync, readSync } from "node:fs";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import type { Page } from "playwright-core";
import { findJava } from "../../src/report/formats/allure/allure-html";
import { requireTool } from "../helpers/require-tool";
import { haveChromium, launchChromium, offlinePage } from "../helpers/browser";
import { AS_OF, DEMO, ROOT, spawnCli, tempDir } from "../e2e/cli";

const SHOTS = join(ROOT, "test-output");
const WORDS = ["Passed", "Failed", "Undetermined", "Not applicable", "Waived"];
/** Allure's own words for broken, skipped and unknown in the languages the test switches to. */
const ALLURE_WORDS: Record<string, RegExp> = {
  en: /\b(Broken|Skipped)\b|New broken/i,
  de: /Defekt|Übersprungen|Unbekannt/,
  ja: /故障|スキップ|不明/,
};
/** The browser's own date formats (11/20/2026, 20.11.2026, 2026/11/20) and times without a zone. */
const LOCALE_DATE = /\b\d{1,2}[/.]\d{1,2}[/.]\d{4}\b|\b\d{4}\/\d{1,2}\/\d{1,2}\b/;

interface Summary {
  verdict: string;
  exitCode: number;
  asOf: string;
  totals: Record<"passed" | "failed" | "undetermined" | "notApplicable" | "waived", number>;
  totalsBySeverity: Record<string, number>;
  results: { controlId: string; title: string; severity: string; status: string; target: { kind: string; name: string }; reason?: { kind: string }; evidence?: { probe: string; command: string }[]; waiver?: { index: number } }[];
  waivers?: { waivers: { id?: string; controlId: string; applied: number; index: number }[] };
}

/** Visible text plus every tooltip the UI keeps in attributes. */
async function seen(page: Page): Promise<string> {
  const text = await page.locator("body").innerText();
  const tips = await page.locator("[data-tooltip], [title]").evaluateAll((es) => es.map((e) => `${e.getAttribute("data-tooltip") ?? ""} ${e.getAttribute("title") ?? ""}`).join("\n"));
  return `${text}\n${tips}`;
}

async function open(page: Page, url: string, hash: string): Promise<void> {
  await page.goto(`${url}${hash}`);
  await page.waitForSelector(".side-nav", { timeout: 30_000 });
  await page.waitForTimeout(400);
}

/** The UI script of the report, decoded (it sits in the file's head). */
function uiScript(index: string): string {
  const fd = openSync(index, "r");
  try {
    const head = Buffer.alloc(16 * 1024 * 1024);
    const n = readSync(fd, head, 0, head.length, 0);
    const text = head.subarray(0, n).toString("latin1");
    const m = /src="data:text\/javascript; charset=utf-8;base64,([^"]*)"/.exec(text);
    assert.ok(m !== null, "no UI script in the report");
    return Buffer.from(m[1]!, "base64").toString("utf8");
  } finally {
    closeSync(fd);
  }
}

test("the Allure report's first screen tells the truth: verdict, hostproof's words, categories by control and waiver, cited probes, ISO dates", { timeout: 300_000 }, async (t) => {
  if (!haveChromium(t)) return;
  if (!requireTool(t, "java", findJava(), "apt-get install default-jre-headless")) return;
  const out = join(tempDir(), "reports");
  const run = spawnCli(["run", "-i", DEMO, "-w", join(ROOT, "examples", "demo", "waivers.yaml"), "-o", out, "--as-of", AS_OF, "--exit-zero", "--no-history"]);
  assert.equal(run.code, 0, run.stderr);
  assert.doesNotMatch(run.stderr, /warning/i);
  const summary = JSON.parse(readFileSync(join(out, "summary.json"), "utf8")) as Summary;
  const index = join(out, "allure-report", "index.html");
  const url = pathToFileURL(index).href;
  mkdirSync(SHOTS, { recursive: true });
  const shot = async (page: Page, name: string): Promise<void> => {
    const path = join(SHOTS, name);
    await page.screenshot({ path, fullPage: false });
    t.diagnostic(`screenshot: ${path}`);
  };

  await t.test("every language table of the UI bundle says hostproof's words", () => {
    const js = uiScript(index);
    const tables = [...js.matchAll(/status:\{broken:`([^`]*)`,failed:`([^`]*)`,passed:`([^`]*)`,skipped:`([^`]*)`,unknown:`([^`]*)`\}/g)];
    assert.ok(tables.length >= 20, `${tables.length} status tables`);
    for (const m of tables) assert.deepEqual(m.slice(1), ["Undetermined", "Failed", "Passed", "Not applicable", "Waived"]);
    assert.doesNotMatch(js, /newBroken:`(?!New undetermined`)/);
  });

  const browser = await launchChromium();
  try {
    // The UI is one data: script; anything else but a file is refused and recorded.
    const { page, refused: requests } = await offlinePage(browser, { width: 1366, height: 768 }, { data: true });

    await t.test("the verdict, exit code, as-of day, failures by severity and waivers are on the first screen", async () => {
      // The first screen: the verdict block, in view without scrolling or clicking.
      await open(page, url, "#");
      const verdict = page.locator("[data-testid=hostproof-verdict]");
      await verdict.waitFor({ timeout: 15_000 });
      const box = await verdict.boundingBox();
      assert.ok(box !== null && box.y >= 0 && box.y + box.height <= 768, `the verdict is not on the first screen: ${JSON.stringify(box)}`);
      const v = await verdict.innerText();
      assert.match(v, new RegExp(`^${summary.verdict.toUpperCase()}\\b`));
      assert.match(v, new RegExp(`exit code ${summary.exitCode}\\b`));
      assert.match(v, new RegExp(`as of ${summary.asOf}\\b`));
      for (const [severity, n] of Object.entries(summary.totalsBySeverity)) assert.match(v, new RegExp(`\\b${severity} ${n}\\b`));
      const t5 = summary.totals;
      for (const [word, n] of [["Failed", t5.failed], ["Undetermined", t5.undetermined], ["Waived", t5.waived], ["Passed", t5.passed], ["Not applicable", t5.notApplicable]] as const) assert.match(v, new RegExp(`${word} ${n}\\b`));
      for (const w of summary.waivers?.waivers ?? []) if (w.applied > 0) assert.ok(v.includes(`${w.id}: ${w.controlId}`), `waiver ${w.id} is not on the first screen`);
      await shot(page, "allure-first-screen-overview.png");
    });

    await t.test("dates are ISO 8601 with the zone, and widget labels break between words", async () => {
      await open(page, url, "#");    // The header date: ISO 8601, times with their zone.
      const header = await page.locator(".widget").filter({ hasText: "test cases" }).first().innerText();
      assert.match(header, / \d{4}-\d{2}-\d{2}(?=\d{2}:|\s)/);
      assert.match(header, /\d{2}:\d{2}:\d{2}Z - \d{2}:\d{2}:\d{2}Z/);
      // Widget labels wrap between words: Allure's break-all cut "close" into "clo se".
      const breaks = await page.locator(".widget__table .table__col").evaluateAll((cs) => {
        const g = globalThis as unknown as { getComputedStyle(e: unknown): { wordBreak: string } };
        return cs.map((c) => g.getComputedStyle(c).wordBreak);
    });
    assert.ok(breaks.length > 0 && !breaks.includes("break-all"), JSON.stringify([...new Set(breaks)]));
    });

    await t.test("hostproof's five words and no Broken or Skipped on every tab, in English, German and Japanese", async () => {
      // hostproof's words on every tab, in three of the UI's languages.
      const tabs = ["#", "#categories", "#suites", "#graph", "#timeline", "#behaviors"];
      const englishMenu = await page.locator(".side-nav__menu").innerText();
      for (const lang of ["en", "de", "ja"]) {
        if (lang !== "en") {
          await open(page, url, "#");
          // The footer's second item is the language picker.
          await page.locator(".side-nav__footer .side-nav__item").nth(1).click();
          await page.locator(`.language-select__item[data-id=${lang}]`).click();
          await page.waitForTimeout(400);
          assert.notEqual(await page.locator(".side-nav__menu").innerText(), englishMenu, `the UI did not switch to ${lang}`);
        }
        let all = "";
        for (const hash of tabs) {
          await open(page, url, hash);
          all += await seen(page);
        }
        // A result's own page, its status shown in the language's word.
        await open(page, url, "#suites");
        await page.getByText("Standalone hosts", { exact: true }).first().click();
        await page.getByText("fs01", { exact: true }).first().click();
        await page.getByText(/HP-NIC-001 on fs01/).first().click();
        await page.waitForTimeout(500);
        all += await seen(page);
        assert.doesNotMatch(all, ALLURE_WORDS[lang]!, `Allure's status words remain (${lang})`);
        assert.doesNotMatch(all, ALLURE_WORDS.en!, `Allure's status words remain (${lang})`);
        assert.doesNotMatch(all, LOCALE_DATE, `a locale date remains (${lang})`);
        for (const w of WORDS) assert.ok(all.includes(w), `"${w}" not shown (${lang})`);
        if (lang !== "en") await shot(page, `allure-first-screen-${lang}.png`);
      }
      await open(page, url, "#graph");
      await shot(page, "allure-first-screen-graphs.png");
    });

    await t.test("Categories: non-compliant by control, waived by waiver, undetermined by reason", async () => {
      // Categories: each failed control is one group, its targets right under it.
      await open(page, url, "#categories");
      await page.getByText("Non-compliant", { exact: true }).first().click();
      const failed = summary.results.filter((r) => r.status === "failed");
      for (const id of new Set(failed.map((r) => r.controlId))) {
        const r = failed.find((x) => x.controlId === id)!;
        await page.getByText(`${id} (${r.severity}): ${r.title}`, { exact: true }).first().waitFor({ timeout: 15_000 });
      }
      const nic = failed.find((r) => r.controlId === "HP-NIC-001")!;
      await page.getByText(`HP-NIC-001 (${nic.severity}): ${nic.title}`, { exact: true }).first().click();
      await page.getByText(new RegExp(`^HP-NIC-001 on ${nic.target.name}:`)).first().waitFor({ timeout: 15_000 });
      await shot(page, "allure-first-screen-categories-control.png");
      const listed = await page.locator(".app__content").innerText();
      assert.doesNotMatch(listed, /^Expected: /m, "a category still groups by the expected/actual message");

      // Waived: one group per waiver, named by its id.
      await page.getByText("Waived", { exact: true }).first().click();
      // A group per waiver that waived a result; a directory waiver accepts rows inside a result that keeps its own status.
      const applied = (summary.waivers?.waivers ?? []).filter((w) => summary.results.some((r) => r.waiver?.index === w.index));
      assert.ok(applied.length >= 2);
      for (const w of applied) await page.getByText(new RegExp(`^${w.id}: ${w.controlId} on `)).first().waitFor({ timeout: 15_000 });
      const waiver = applied.find((w) => w.controlId === "HP-EOS-003")!;
      await page.getByText(new RegExp(`^${waiver.id}: `)).first().click();
      await page.getByText(/^HP-EOS-003 on app2016:/).first().waitFor({ timeout: 15_000 });
      await shot(page, "allure-first-screen-categories-waiver.png");

      // Undetermined by reason: the results right under the reason.
      const denied = summary.results.find((r) => r.status === "undetermined" && r.reason?.kind === "access-denied")!;
      await page.getByText("Undetermined: access denied", { exact: true }).first().click();
      await page.getByText(new RegExp(`^${denied.controlId} on ${denied.target.name}:`)).first().waitFor({ timeout: 15_000 });
    });

    await t.test("a result's first attachment is the probes it cites, the host's snapshot second", async () => {
      await open(page, url, "#categories");
      const denied = summary.results.find((r) => r.status === "undetermined" && r.reason?.kind === "access-denied")!;
      const leaf = page.getByText(new RegExp(`^${denied.controlId} on ${denied.target.name}:`)).first();
      // The tree remembers what was open.
      if (!(await leaf.isVisible())) await page.getByText("Undetermined: access denied", { exact: true }).first().click();
      await leaf.click();

      // Its first attachment: the probe it cites (command, start, output or error), then the snapshot.
      await page.getByText(/^Probes cited: /).first().waitFor({ timeout: 15_000 });
      const names = await page.getByText(/^(Probes cited: |Evidence: every probe read from )/).allInnerTexts();
      assert.match(names[0]!, /^Probes cited: /, JSON.stringify(names));
      assert.match(names[1]!, new RegExp(`^Evidence: every probe read from ${denied.target.name}`), JSON.stringify(names));
      await page.getByText(/^Probes cited: /).first().click();
      const probe = denied.evidence![0]!;
      await page.getByText(probe.command.slice(0, 40), { exact: false }).first().waitFor({ timeout: 15_000 });
      const cited = await page.locator(".app__content").innerText();
      assert.match(cited, /Started: {2}\d{4}-\d{2}-\d{2}T/);
      assert.match(cited, /Error \(access-denied\):/);
      assert.doesNotMatch(cited, /"schemaVersion"/, "the whole snapshot is shown instead of the cited probe");
      await shot(page, "allure-first-screen-cited-probes.png");
    });

    assert.deepEqual(requests, [], "the report asked for something that is not a local file");
  } finally {
    await browser.close();
  }
});
