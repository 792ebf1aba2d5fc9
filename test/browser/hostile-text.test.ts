/**
 * Text from a host, a waiver file or a feature file is shown as the characters it is, in a real
 * browser, and opening a report calls nobody. A snapshot's adapter name and VM name and a waiver's
 * justification and approver hold Markdown images, <img>, <script> and a javascript: link aimed at
 * a local server; the single-file Allure report and the browsable pages are opened in headless
 * Chromium (Debian's, driven by playwright-core) with every request intercepted: the text must be
 * visible literally, and no request but file: may be made (the local server counts what reaches it).
 */
import { test, type TestContext } from "node:test";
import assert from "node:assert/strict";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { copyFileSync, mkdirSync, readFileSync, readdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import type { Browser, Page } from "playwright-core";
import { findJava } from "../../src/report/formats/allure/allure-html";
import { requireTool } from "../helpers/require-tool";
import { haveChromium, launchChromium, offlinePage } from "../helpers/browser";
import { AS_OF, editJson, ROOT, spawnCli, tempDir } from "../e2e/cli";


/** Every way Markdown or HTML could fetch, run or link, each naming where it came from. */
function hostile(port: number, where: string): string {
  const at = `http://127.0.0.1:${port}/${where}`;
  return `${where} ![x](${at}-md) <img src="${at}-img"> <script>fetch("${at}-script")</script> [link](javascript:alert(1)) **bold** <b>b</b> ${at}-bare`;
}

function estate(port: number): { dir: string; inventory: string; waivers: string; waiverId: string; texts: { adapter: string; vm: string; justification: string; approver: string; estate: string } } {
  const dir = tempDir();
  mkdirSync(join(dir, "snapshots"));
  copyFileSync(join(ROOT, "examples", "demo", "snapshots", "hv01.json"), join(dir, "snapshots", "hv01.json"));
  // The estate's name is the report's title, in Allure's page template and the pages' <title>.
  const estateName = `${hostile(port, "estate")} </title><script>fetch("http://127.0.0.1:${port}/title")</script>`;
  const texts = { adapter: hostile(port, "adapter"), vm: hostile(port, "vm"), justification: hostile(port, "justification"), approver: hostile(port, "approver"), estate: estateName };
  editJson(join(dir, "snapshots", "hv01.json"), (snap) => {
    const probes = snap.probes as Record<string, { output: Array<Record<string, unknown>> }>;
    // The adapter's VMQ on: HP-NIC-001 fails, naming the adapter in its actual and its details.
    const nics = probes.netAdapterAdvancedProperty!.output;
    for (const p of nics) if (p.Name === "Ethernet 1") p.Name = texts.adapter;
    const vmq = nics.find((p) => p.Name === texts.adapter && p.RegistryKeyword === "*VMQ")!;
    vmq.RegistryValue = ["1"];
    vmq.DisplayValue = "Enabled";
    for (const s of probes.vmIntegrationServices!.output) if (s.VMName === "app01") s.VMName = texts.vm;
  });
  const inventory = join(dir, "inventory.yaml");
  writeFileSync(inventory, `version: 1\nname: ${JSON.stringify(estateName)}\ndirectory: { none: "test estate: no Active Directory" }\nhosts:\n  - name: hv01\n    transport: snapshot\n    snapshot: snapshots/hv01.json\n`);
  const waivers = join(dir, "waivers.yaml");
  // The waiver's id names its group in Allure's Categories and its line on the Overview.
  const waiver = { id: hostile(port, "waiverid"), controlId: "HP-HV-001", scope: { host: "hv01" }, justification: texts.justification, approver: texts.approver, reference: "CHG-1", expires: "2027-06-30" };
  writeFileSync(waivers, JSON.stringify({ version: 1, waivers: [waiver] }, null, 2));
  return { dir, inventory, waivers, waiverId: waiver.id, texts };
}

interface Watch {
  server: Server;
  port: number;
  hits: string[];
}

async function listen(): Promise<Watch> {
  const hits: string[] = [];
  const server = createServer((req, res) => {
    hits.push(req.url ?? "");
    res.end("");
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return { server, port: (server.address() as AddressInfo).port, hits };
}


async function launch(t: TestContext): Promise<Browser | undefined> {
  return haveChromium(t) ? launchChromium() : undefined;
}

type Texts = ReturnType<typeof estate>["texts"];

/**
 * Runs hostproof on the hostile estate with `--html <html>`, opens a watched page, hands both to
 * `check`, then requires that no request but file: was made and nothing reached the local server.
 */
async function withHostileReport(t: TestContext, html: "single" | "pages", check: (r: { out: string; texts: Texts; waiverId: string; page: Page }) => Promise<void>, env: (port: number) => NodeJS.ProcessEnv = () => process.env): Promise<void> {
  const browser = await launch(t);
  if (browser === undefined) return;
  const watch = await listen();
  try {
    const { dir, inventory, waivers, waiverId, texts } = estate(watch.port);
    const out = join(dir, "out");
    const run = spawnCli(["run", "-i", inventory, "-w", waivers, "-o", out, "--as-of", AS_OF, "--exit-zero", "--no-history", "--html", html], ROOT, env(watch.port));
    assert.equal(run.code, 0, run.stderr);
    assert.doesNotMatch(run.stderr, /warning/);
    const { page, refused: requests } = await offlinePage(browser, { width: 1500, height: 1100 });
    await check({ out, texts, waiverId, page });
    assert.deepEqual(requests, [], "the report asked for something that is not a local file");
    assert.deepEqual(watch.hits, []);
  } finally {
    await browser.close();
    watch.server.close();
  }
}

test("the single-file Allure report shows host and waiver text literally and makes no request but file:", { timeout: 240_000 }, async (t) => {
  if (!requireTool(t, "java", findJava(), "apt-get install default-jre-headless")) return;
  await withHostileReport(t, "single", async ({ out, texts, waiverId, page }) => {
    const url = pathToFileURL(join(out, "allure-report", "index.html")).href;

    await page.goto(`${url}#suites`);
    await page.waitForSelector(".side-nav", { timeout: 30_000 });
    assert.equal(await page.title(), `hostproof: ${texts.estate}`);
    await page.getByText("Standalone hosts", { exact: true }).first().click();
    await page.getByText("hv01", { exact: true }).first().click();
    await page.getByText(/HP-NIC-001 on hv01/).first().click();
    await page.locator(".description__text table").first().waitFor({ timeout: 15_000 });
    // The details table's cell holds the adapter's name as written, and nothing was made of it.
    const cells = await page.locator(".description__text td").allTextContents();
    assert.ok(cells.includes(`${texts.adapter} *VMQ`), JSON.stringify(cells));
    assert.equal(await page.locator(".description__text img, .description__text a, .description__text script, .description__text b b").count(), 0);
    const nic = await page.locator("body").innerText();
    assert.ok(nic.includes(`Actual: ${texts.adapter}: *VMQ = 1`), "the status message shows the adapter's name literally");

    await page.getByText(/HP-HV-001 on hv01/).first().click();
    await page.getByText(/waiver approver/).first().waitFor({ timeout: 15_000 });
    await page.locator(".description__text").first().waitFor({ timeout: 15_000 });
    const description = await page.locator(".description__text").first().innerText();
    assert.ok(description.includes(texts.justification), description);
    assert.ok(description.includes(`Approved by ${texts.approver}`), description);
    const waived = await page.locator("body").innerText();
    for (const text of [texts.adapter, texts.vm, texts.justification, texts.approver]) assert.ok(waived.includes(text), `${text.slice(0, 12)}… is not shown literally`);
    assert.equal(await page.locator(".description__text img, .description__text a, .description__text script").count(), 0);

    // The overview and the other tabs, which show names, categories and the environment.
    for (const hash of ["#", "#categories", "#graph", "#timeline", "#behaviors"]) {
      await page.goto(`${url}${hash}`);
      await page.waitForSelector(".side-nav", { timeout: 30_000 });
      await page.waitForTimeout(300);
      if (hash === "#") {
        // The Environment widget lists the estate's name among the run's facts.
        await page.getByText("Environment", { exact: true }).first().waitFor({ timeout: 15_000 });
        const overview = await page.locator("body").innerText();
        assert.ok(overview.includes(texts.estate), "the environment does not show the estate's name literally");
        // hostproof's verdict block names each waiver applied: its id and approver as written.
        const verdict = page.locator("[data-testid=hostproof-verdict]");
        const line = await verdict.innerText();
        assert.ok(line.includes(`${waiverId}: HP-HV-001 on host hv01; approved by ${texts.approver};`), line);
        assert.equal(await verdict.locator("img, a, script, b").count(), 0);
      }
      if (hash === "#categories") {
        // The waiver's group in the Categories tree: named by its id, approver and ticket, literally.
        await page.getByText("Waived", { exact: true }).first().click();
        const group = page.getByText(`${waiverId}: HP-HV-001 on host hv01; approved by ${texts.approver}; CHG-1; expires 2027-06-30`, { exact: true }).first();
        await group.waitFor({ timeout: 15_000 });
        await group.click();
        await page.getByText(/^HP-HV-001 on hv01:/).first().waitFor({ timeout: 15_000 });
        assert.equal(await page.locator(".app__content img, .app__content script, .app__content b b").count(), 0);
        // The probe the result cites is its first attachment: the VM's name in it is text.
        await page.getByText(/^HP-HV-001 on hv01:/).first().click();
        await page.getByText(/^Probes cited: /).first().click();
        await page.locator("pre").filter({ hasText: texts.vm }).first().waitFor({ timeout: 15_000 });
        assert.equal(await page.locator(".app__content img, .app__content script").count(), 0);
      }
    }
    const html = readFileSync(join(out, "allure-report", "index.html"), "utf8").replace(/'[A-Za-z0-9+/=]{64,}'/g, "''");
    assert.doesNotMatch(html, /googletagmanager|gtag\(|dataLayer/);
  });
});

test("the browsable pages show host and waiver text literally and make no request but file:", { timeout: 240_000 }, async (t) => {
  await withHostileReport(t, "pages", async ({ out, texts, page }) => {
    const pages = ["index.html", "targets.html", "findings.html", "waivers.html", ...readdirSync(join(out, "pages")).filter((f) => f.startsWith("control-")), ...readdirSync(join(out, "pages", "t")).map((f) => `t/${f}`)];
    let seen = "";
    for (const p of pages) {
      await page.goto(pathToFileURL(join(out, "pages", p)).href);
      // Evidence sits in closed <details>: open them, as a reader would.
      await page.locator("details").evaluateAll((ds) => ds.forEach((d) => d.setAttribute("open", "")));
      seen += await page.locator("body").innerText();
      assert.equal(await page.locator("main img, main script, main b b").count(), 0, p);
      assert.equal(await page.locator('a[href^="http"], a[href^="javascript"]').count(), 0, p);
    }
    for (const text of Object.values(texts)) assert.ok(seen.includes(text), `${text.slice(0, 12)}… is not shown literally`);
    // The CI run the first page names, from the runner's environment: text, never a link.
    for (const where of ["workflow", "repository"]) assert.ok(seen.includes(hostile(port(texts), where)), `the CI ${where} is not shown literally`);

    // hdf.json as Heimdall draws it: each field it shows as HTML (sanitize-html, then v-html),
    // set as a div's innerHTML here, must make no element and read as the text.
    const hdf = JSON.parse(readFileSync(join(out, "hdf.json"), "utf8")) as { profiles: { controls: { title: string; desc: string; results: { code_desc: string; message: string; skip_message?: string }[] }[] }[] };
    const fields = hdf.profiles.flatMap((p) => p.controls.flatMap((c) => [c.title, c.desc, ...c.results.flatMap((r) => [r.code_desc, r.message, r.skip_message ?? ""])]));
    const drawn = await page.evaluate((html: string[]) => {
      const doc = (globalThis as unknown as { document: { createElement(t: string): { innerHTML: string; textContent: string | null; children: { length: number } } } }).document;
      return html.map((h) => {
        const div = doc.createElement("div");
        div.innerHTML = h;
        return { elements: div.children.length, text: div.textContent ?? "" };
      });
    }, fields);
    assert.deepEqual(drawn.filter((d) => d.elements > 0), [], "an HDF field became markup in Heimdall");
    const heimdall = drawn.map((d) => d.text).join("\n");
    for (const text of [texts.adapter, texts.vm, texts.justification]) assert.ok(heimdall.includes(text), `${text.slice(0, 12)}… is not shown literally in Heimdall`);
  }, (p) => ({ ...process.env, GITHUB_ACTIONS: "true", GITHUB_WORKFLOW: hostile(p, "workflow"), GITHUB_REPOSITORY: hostile(p, "repository"), GITHUB_RUN_ID: "1" }));
});

/** The local server's port, as the hostile texts name it. */
function port(texts: Texts): number {
  return Number(/127\.0\.0\.1:(\d+)\//.exec(texts.adapter)![1]);
}
