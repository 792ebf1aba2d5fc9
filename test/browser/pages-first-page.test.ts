/**
 * The demo's browsable pages as an auditor used to InSpec's or CIS-CAT's HTML report reads them, in
 * headless Chromium (Debian's, driven by playwright-core): the first page says the verdict, the
 * exit code and who ran what on which inputs; findings are most severe first; each host row counts
 * its results; the waivers page says what each waived result would have been and how long each
 * waiver has left; a reason is said once. pages/ is then copied alone to another folder and every
 * link followed there: each must resolve inside the copy, and no request may leave the machine.
 * axe-core, run in the page, must find no serious or critical violation. Expected figures come from
 * the report's own summary.json and the input files, not from today's demo.
 * Screenshots are kept in test-output/.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { createHash } from "node:crypto";
import { cpSync, existsSync, mkdirSync, readFileSync } from "node:fs";
import { hostname, userInfo } from "node:os";
import { join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import type { Page } from "playwright-core";
import { haveChromium, launchChromium, offlinePage } from "../helpers/browser";
import { AS_OF, DEMO, readJson, ROOT, spawnCli, tempDir } from "../e2e/cli";

const SHOTS = join(ROOT, "test-output");
const WAIVERS = join(ROOT, "examples", "demo", "waivers.yaml");
const AXE = join(ROOT, "node_modules", "axe-core", "axe.min.js");
const SEVERITIES = ["critical", "high", "medium", "low"];
const STATUS_WORDS: Record<string, string> = { passed: "passed", failed: "failed", undetermined: "undetermined", notApplicable: "not applicable", waived: "waived" };

interface SummaryResult {
  controlId: string;
  severity: string;
  target: { kind: "host" | "cluster"; name: string };
  status: string;
  actual: string;
  reason?: { kind: string; message: string };
  waiver?: { index: number; originalStatus: string };
}
interface Summary {
  tool: { version: string };
  verdict: string;
  exitCode: number;
  asOf: string;
  hosts: { name: string; collectedAt: string }[];
  results: SummaryResult[];
  waivers: { waivers: { index: number; expires: string }[] };
}

const sha256 = (file: string): string => createHash("sha256").update(readFileSync(file)).digest("hex");
const collate = new Intl.Collator("en", { numeric: true }).compare;

/** Every table row's cells as text, tables in page order. */
async function tableRows(page: Page, selector = "main table"): Promise<string[][][]> {
  return page.locator(selector).evaluateAll((tables) => tables.map((t) => [...t.querySelectorAll("tr")].map((tr) => [...tr.querySelectorAll("th,td")].map((c) => (c.textContent ?? "").trim()))));
}

async function shoot(page: Page, name: string, t: { diagnostic(m: string): void }): Promise<void> {
  mkdirSync(SHOTS, { recursive: true });
  const path = join(SHOTS, name);
  await page.screenshot({ path, fullPage: true });
  t.diagnostic(`screenshot: ${path}`);
}

interface AxeViolation {
  id: string;
  impact: string | null;
  help: string;
  nodes: { target: unknown }[];
}

async function axeViolations(page: Page): Promise<AxeViolation[]> {
  await page.addScriptTag({ path: AXE });
  const found = await page.evaluate(async () => {
    const axe = (globalThis as unknown as { axe: { run(o: object): Promise<{ violations: AxeViolation[] }> } }).axe;
    const res = await axe.run({ resultTypes: ["violations"] });
    return res.violations.map((v) => ({ id: v.id, impact: v.impact, help: v.help, nodes: v.nodes.slice(0, 3).map((n) => ({ target: n.target })) }));
  });
  return found.filter((v) => v.impact === "serious" || v.impact === "critical");
}

test("the pages' first page, findings, hosts and waivers as an auditor reads them; pages/ copied alone has every link alive; axe-core clean", { timeout: 240_000 }, async (t) => {
  if (!haveChromium(t)) return;
  const dir = tempDir();
  const out = join(dir, "report");
  // A GitHub Actions job, as its runner's environment says: the first page names the run by its URL.
  const env: NodeJS.ProcessEnv = { ...process.env, GITHUB_ACTIONS: "true", GITHUB_SERVER_URL: "https://github.example", GITHUB_REPOSITORY: "contoso/hyperv-compliance", GITHUB_RUN_ID: "4242", GITHUB_RUN_NUMBER: "17", GITHUB_WORKFLOW: "compliance" };
  for (const k of ["TF_BUILD", "GITLAB_CI", "JENKINS_URL"]) delete env[k];
  const run = spawnCli(["run", "-i", DEMO, "-w", WAIVERS, "-o", out, "--as-of", AS_OF, "--exit-zero", "--no-history", "--html", "pages"], ROOT, env);
  assert.equal(run.code, 0, run.stderr);
  const summary = readJson<Summary>(join(out, "summary.json"));
  const record = readJson<{ environment: Record<string, string> }>(join(out, "evidence", "run.json"));

  // pages/ alone, in a folder of its own: nothing else of the report beside it.
  const alone = join(tempDir("hostproof-pages-alone-"), "pages");
  cpSync(join(out, "pages"), alone, { recursive: true });
  const at = (rel: string): string => pathToFileURL(join(alone, rel)).href;

  const browser = await launchChromium();
  try {
    const { page, refused: leaving } = await offlinePage(browser, { width: 1400, height: 1000 });

    await t.test("the first page: verdict, exit code, as-of day, version, who ran it, each input by digest, the collection window", async () => {
      await page.goto(at("index.html"));
      const facts = new Map((await tableRows(page, "table#run"))[0]!.map((r) => [r[0]!, r[1]!] as const));
      assert.match(facts.get("verdict")!, new RegExp(`^${summary.verdict.toUpperCase()} \\(exit code ${summary.exitCode};`));
      assert.equal(facts.get("as of"), summary.asOf);
      assert.equal(facts.get("hostproof"), summary.tool.version);
      assert.equal(facts.get("hostproof"), readJson<{ version: string }>(join(ROOT, "package.json")).version);
      let user: string;
      try {
        user = userInfo().username;
      } catch {
        user = process.env.USER ?? "";
      }
      assert.equal(facts.get("run by"), `${user}@${hostname()}`);
      assert.match(facts.get("CI run")!, /^GitHub Actions · compliance #17 · https:\/\/github\.example\/contoso\/hyperv-compliance\/actions\/runs\/4242$/);
      assert.equal(facts.get("inventory"), `examples/demo/inventory.yaml · SHA-256 ${sha256(DEMO)}`);
      assert.equal(facts.get("waivers"), `examples/demo/waivers.yaml · SHA-256 ${sha256(WAIVERS)}`);
      const features = facts.get("built-in features")!;
      assert.match(features, new RegExp(`SHA-256 ${record.environment["features.sha256"]} · git commit ${record.environment["features.commit"]}`));
      assert.match(features, /SHA-256 [0-9a-f]{64}/);
      const times = summary.hosts.map((h) => h.collectedAt).sort((a, b) => Date.parse(a) - Date.parse(b));
      assert.equal(facts.get("hosts read"), `${times[0]} to ${times[times.length - 1]}`);
      // The CI run is named, not linked: the pages link nowhere but within themselves.
      assert.equal(await page.locator('a[href^="http"]').count(), 0);
      await shoot(page, "pages-index.png", t);
    });

    await t.test("findings: most severe first, then by control, then by host", async () => {
      await page.goto(at("findings.html"));
      const [rows] = await tableRows(page);
      assert.deepEqual(rows![0], ["target", "control", "severity", "status", "expected", "found"]);
      const body = rows!.slice(1);
      const expected = summary.results.filter((r) => r.status === "failed" || r.status === "undetermined");
      assert.equal(body.length, expected.length);
      const key = (r: string[]): [number, string, string] => [SEVERITIES.indexOf(r[2]!), r[1]!, r[0]!.replace(/^cluster /, "")];
      for (let i = 1; i < body.length; i++) {
        const [a, b] = [key(body[i - 1]!), key(body[i]!)];
        assert.ok(a[0] < b[0] || (a[0] === b[0] && (collate(a[1], b[1]) < 0 || (a[1] === b[1] && collate(a[2], b[2]) <= 0))), `row ${i}: ${body[i - 1]!.slice(0, 3).join(" ")} before ${body[i]!.slice(0, 3).join(" ")}`);
      }
      assert.ok(SEVERITIES.indexOf(body[0]![2]!) <= Math.min(...expected.map((r) => SEVERITIES.indexOf(r.severity))));
      await shoot(page, "pages-findings.png", t);
    });

    await t.test("every host and cluster row counts its results by status and its failures by severity", async () => {
      await page.goto(at("targets.html"));
      const [rows] = await tableRows(page);
      const head = rows![0]!;
      const statuses = Object.keys(STATUS_WORDS);
      assert.deepEqual(head.slice(3), [...statuses.map((s) => STATUS_WORDS[s]), "results", ...SEVERITIES.map((s) => `failed ${s}`)]);
      const body = rows!.slice(1);
      assert.equal(body.length, new Set(summary.results.map((r) => `${r.target.kind} ${r.target.name}`)).size);
      for (const row of body) {
        const kind = row[0] === "cluster" || row[0] === "directory" ? row[0] : "host";
        const mine = summary.results.filter((r) => r.target.kind === kind && r.target.name === row[1]);
        const want = [...statuses.map((s) => mine.filter((r) => r.status === s).length), mine.length, ...SEVERITIES.map((s) => mine.filter((r) => r.status === "failed" && r.severity === s).length)];
        assert.deepEqual(row.slice(3).map(Number), want, `${kind} ${row[1]}`);
      }
      await shoot(page, "pages-targets.png", t);
    });

    await t.test("the waivers page: each waiver's days to expiry from the as-of day, and the original status of what it waived", async () => {
      await page.goto(at("waivers.html"));
      const waived = summary.results.filter((r) => r.waiver !== undefined);
      assert.ok(waived.length > 0);
      for (const w of summary.waivers.waivers) {
        const heading = page.locator(`h2#waiver-${w.index}`);
        const facts = new Map(
          await heading.evaluate((h) => {
            const table = h.nextElementSibling!;
            return [...table.querySelectorAll("tr")].map((tr) => [(tr.querySelector("th")?.textContent ?? "").trim(), (tr.querySelector("td")?.textContent ?? "").trim()] as const);
          }),
        );
        const days = Math.round((Date.parse(`${w.expires}T00:00:00Z`) - Date.parse(`${summary.asOf}T00:00:00Z`)) / 86_400_000);
        assert.ok(days > 0, "the demo's waivers are all in force");
        assert.match(facts.get("expiry")!, new RegExp(`^${days.toLocaleString("en-US")} days? to expiry \\(last day ${w.expires}; as of ${summary.asOf}\\)$`));
        const mine = waived.filter((r) => r.waiver!.index === w.index);
        const by = ["failed", "undetermined"].filter((s) => mine.some((r) => r.waiver!.originalStatus === s)).map((s) => `${s} ${mine.filter((r) => r.waiver!.originalStatus === s).length}`);
        assert.equal(facts.get("original status of the results it waived"), by.length > 0 ? by.join(" · ") : "none");
      }
      // Each waived result's row says what it would have been.
      const cells = (await tableRows(page)).flatMap((table) => table.filter((r) => r.length === 6 && r[0] !== "target").map((r) => `${r[1]} ${r[0]}: ${r[3]}`));
      const want = waived.map((r) => `${r.controlId} ${r.target.kind === "cluster" ? `cluster ${r.target.name}` : r.target.name}: waived was ${STATUS_WORDS[r.waiver!.originalStatus]}`);
      assert.deepEqual(cells.sort(), want.sort());
      await shoot(page, "pages-waivers.png", t);
    });

    await t.test("a reason is said once: an undetermined or not-applicable result's found text does not restate it", async () => {
      const pages = [...new Set(await page.goto(at("targets.html")).then(() => page.locator("main a").evaluateAll((as) => as.map((a) => (a.getAttribute("href") ?? "").split("#")[0]!))))];
      const rows: { target: string; control: string; found: string }[] = [];
      for (const p of pages) {
        await page.goto(at(p));
        rows.push(
          ...(await page.locator("section.target").evaluateAll((sections) =>
            sections.flatMap((s) => {
              const target = s.id;
              return [...s.querySelectorAll("tr")].slice(1).map((tr) => {
                const cells = [...tr.querySelectorAll("td")];
                // The found cell without its evidence, which is the probe's own words.
                const found = cells[5]!.cloneNode(true) as typeof cells[number];
                found.querySelector("details")?.remove();
                return { target, control: (cells[0]!.textContent ?? "").trim(), found: found.textContent ?? "" };
              });
            }),
          )),
        );
      }
      const withReason = summary.results.filter((r) => r.reason !== undefined && r.status !== "passed");
      assert.ok(withReason.some((r) => r.status === "undetermined") && withReason.some((r) => r.status === "notApplicable"));
      for (const r of withReason) {
        const id = `${r.target.kind}-${encodeURIComponent(r.target.name.toLowerCase()).replace(/%/g, "_")}`;
        const row = rows.find((x) => x.target === id && x.control === r.controlId);
        assert.ok(row !== undefined, `${r.controlId} on ${r.target.name}`);
        assert.equal(row.found.split(r.reason!.message).length - 1, 1, `${r.controlId} on ${r.target.name}: the reason once`);
        const rest = row.found.replace(r.reason!.message, "");
        assert.ok(!rest.includes(r.actual), `${r.controlId} on ${r.target.name}: its actual restates the reason: ${row.found}`);
      }
      await page.goto(at(pages[0]!));
      await shoot(page, "pages-host.png", t);
    });

    await t.test("pages/ copied alone: every link resolves within the copy, and nothing leaves the machine", async () => {
      const root = pathToFileURL(alone).href;
      const seen = new Set<string>(["index.html"]);
      const queue = ["index.html"];
      const ids = new Map<string, Set<string>>();
      const links: { from: string; to: string }[] = [];
      while (queue.length > 0) {
        const rel = queue.shift()!;
        const response = await page.goto(at(rel));
        assert.ok(response === null || response.ok(), rel);
        ids.set(rel, new Set(await page.locator("[id]").evaluateAll((es) => es.map((e) => e.id))));
        // Every reference a page makes, followed or fetched: anchors, and anything with a src or an href.
        const refs = await page.locator("[href],[src]").evaluateAll((es) => es.map((e) => (e as unknown as { href?: string; src?: string }).href || (e as unknown as { src?: string }).src || ""));
        for (const to of refs) {
          links.push({ from: rel, to });
          assert.ok(to.startsWith(`${root}/`), `${rel} links outside the copied pages/: ${to}`);
          const target = decodeURIComponent(to.slice(root.length + 1).split("#")[0]!);
          assert.ok(existsSync(fileURLToPath(`${root}/${target}`)), `${rel} links to ${target}, which is not in pages/`);
          if (!seen.has(target)) {
            seen.add(target);
            queue.push(target);
          }
        }
      }
      // Each link's fragment names an element of its page.
      for (const { from, to } of links) {
        const [file, hash] = to.slice(root.length + 1).split("#");
        if (hash === undefined || hash === "") continue;
        assert.ok(ids.get(decodeURIComponent(file!))?.has(decodeURIComponent(hash)), `${from} links to ${to}, whose #${hash} is on no element`);
      }
      assert.ok(seen.has("findings.html") && seen.has("waivers.html") && seen.has("targets.html") && [...seen].some((s) => s.startsWith("t/")), [...seen].join(", "));
      assert.ok(links.length > 50, `${links.length} links`);
      t.diagnostic(`${seen.size} pages and ${links.length} links followed in ${alone}`);
      assert.deepEqual(leaving, [], "a request left the machine");
    });

    await t.test("axe-core finds no serious or critical violation on each kind of page", async () => {
      for (const rel of ["index.html", "targets.html", "t/1.html", "findings.html", "waivers.html", "control-1.html"]) {
        await page.goto(at(rel));
        await page.locator("details").evaluateAll((ds) => ds.forEach((d) => d.setAttribute("open", "")));
        assert.deepEqual(await axeViolations(page), [], rel);
      }
      assert.deepEqual(leaving, [], "a request left the machine");
    });
  } finally {
    await browser.close();
  }
});
