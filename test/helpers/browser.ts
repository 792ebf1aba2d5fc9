/**
 * Real Chromium for the browser tests: where it is, how it starts, and a page that cannot reach
 * the network, so that "no request leaves the machine" is something a test sees, not assumes.
 */
import { existsSync } from "node:fs";
import type { TestContext } from "node:test";
import { chromium, type Browser, type Page } from "playwright-core";
import { requireTool } from "./require-tool";

const CHROMIUM = ["/usr/bin/chromium", "/usr/bin/chromium-browser"].find((p) => existsSync(p));

/** False (the test skips, or fails under HOSTPROOF_REQUIRE_TOOLS) when Chromium is not installed. */
export function haveChromium(t: TestContext): boolean {
  return requireTool(t, "chromium", CHROMIUM, "apt-get install chromium");
}

/** Headless, and with none of Chromium's own calls home (background networking, updates, sync). */
export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run"],
  });
}

/**
 * A page whose every request is seen: file: ones (and data: ones when `data`) go on; any other is
 * recorded in `refused` and aborted.
 */
export async function offlinePage(browser: Browser, viewport: { width: number; height: number }, { data = false } = {}): Promise<{ page: Page; refused: string[] }> {
  const page = await browser.newPage({ viewport });
  const refused: string[] = [];
  await page.route("**/*", (route) => {
    const url = route.request().url();
    if (url.startsWith("file:") || (data && url.startsWith("data:"))) return route.continue();
    refused.push(url);
    return route.abort();
  });
  return { page, refused };
}
