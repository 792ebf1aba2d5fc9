/**
 * Turns allure-results into a single-file HTML report with the Allure 2 command line.
 *
 * allure-commandline is run by path through the current Node: `npx allure` may start the
 * Allure 3 package instead when both are installed, and the package's own bin script picks the
 * right launcher (sh or cmd) for the platform. Allure 2 is Java: without a JRE we say so and
 * let the caller carry on with the other reports rather than fail the run.
 */
import { spawn } from "node:child_process";
import { totalmem } from "node:os";
import { existsSync, rmSync } from "node:fs";
import { dirname, join } from "node:path";
import { trackChild } from "../../../util/children";
import { guarded } from "../../../util/guardian";
import { findOnPath, isExecutableFile } from "../../../util/executables";
import { patchAllureUi } from "./allure-ui-patch";
import { allurePageFacts, type AllurePageFacts } from "./allure-verdict-widget";
import { checkNoAnalytics } from "./allure-analytics";
import { escapeControls } from "../../../util/terminal-safe";
import { seedHistory } from "../../bookkeeping/history";
import type { Format } from "../format";
import { ALLURE_RESULTS_DIR, allureResultsFormat } from "./allure-results";

/** `warning`: the report was made, but something about it is not as hostproof wants it. */
export type HtmlOutcome = { ok: true; warning?: string } | { ok: false; reason: string };

export const ALLURE_REPORT_DIR = "allure-report";

const JAVA_MISSING =
  "Java was not found (no `java` on PATH and JAVA_HOME is not set): the Allure HTML report needs it. " +
  "Install a JRE (apt-get install default-jre-headless) or set JAVA_HOME; the other reports were written.";

/** The java the Allure launcher will use, with the same precedence: JAVA_HOME, then PATH. */
export function findJava(env: NodeJS.ProcessEnv = process.env): string | undefined {
  const exe = process.platform === "win32" ? "java.exe" : "java";
  // JAVA_HOME first, as the Allure launcher does.
  const home = env.JAVA_HOME;
  if (home !== undefined && home !== "") {
    const candidate = join(home, "bin", exe);
    if (isExecutableFile(candidate)) return candidate;
  }
  return findOnPath("java", env);
}

/** Path of allure-commandline's bin script, or undefined when the package is not installed. */
export function findAllureCommandline(): string | undefined {
  try {
    const pkg = require.resolve("allure-commandline/package.json");
    const bin = join(dirname(pkg), "bin", "allure");
    return existsSync(bin) ? bin : undefined;
  } catch {
    return undefined;
  }
}

export interface HtmlOptions {
  /** Kill Allure after this long; 10,000 results take about 10 s to render. Default 10 minutes. */
  timeoutMs?: number;
  env?: NodeJS.ProcessEnv;
  /** How many results there are, to size Allure's heap. */
  results?: number;
  /** Shown as the report's title instead of "Allure Report". */
  name?: string;
  /** The run's verdict for the Overview and the names the Categories tree is regrouped by. */
  facts?: AllurePageFacts;
}

/** The exception line (the cause, e.g. OutOfMemoryError) and the end of Allure's output. */
function tail(text: string, lines = 8): string {
  const all = text.trim().split(/\r?\n/);
  const cause = all.find((l) => /^(Exception|Caused by|java\.lang\.|Error)/.test(l.trim()) || /(Exception|Error):/.test(l));
  const end = all.slice(-lines);
  return (cause !== undefined && !end.includes(cause) ? [cause, "...", ...end] : end).join("\n");
}

/**
 * The JVM's default heap is a quarter of RAM: on a 24 GiB machine Allure grew to 1 GiB for 1,000
 * hosts (~9,000 results), and 512 MiB made the same report in the same time. At 85,000 results
 * 512 MiB ran out, so the heap grows with the results (measured need: well under 40 KiB each), up
 * to half the machine. JAVA_OPTS, when set, wins.
 */
export function heapMiB(results: number, totalMiB: number = Math.floor(totalmem() / 1048576)): number {
  return Math.max(512, Math.min(Math.floor(totalMiB / 2), 256 + Math.ceil((results * 40) / 1024)));
}

/** The most characters of a report name put on Allure's command line (Linux takes 128 KiB per argument). */
export const REPORT_NAME_MAX = 1000;

/**
 * The report's name as one argument of Allure's command line. It comes from the inventory (the
 * estate's name), so it may hold what no command line carries (a NUL ends a C string, and Node
 * refuses it: exit 4), line breaks (refused by allure-commandline's Windows launcher) or
 * megabytes (E2BIG): control characters are shown as visible escapes, as on the terminal, and a
 * long name is cut. The whole name is in the report's Environment and in summary.json.
 */
export function reportNameArgument(name: string): string {
  const chars = [...escapeControls(name)];
  return chars.length <= REPORT_NAME_MAX ? chars.join("") : `${chars.slice(0, REPORT_NAME_MAX - 1).join("")}…`;
}

export async function generateAllureHtml(resultsDir: string, reportDir: string, options: HtmlOptions = {}): Promise<HtmlOutcome> {
  const env = options.env ?? process.env;
  if (findJava(env) === undefined) return { ok: false, reason: JAVA_MISSING };
  const allure = findAllureCommandline();
  if (allure === undefined) {
    return { ok: false, reason: "allure-commandline is not installed (npm install allure-commandline): no HTML report was made." };
  }

  const args = [allure, "generate", "--single-file", "--clean", ...(options.name ? ["--report-name", reportNameArgument(options.name)] : []), "-o", reportDir, resultsDir];
  const javaOpts = env.JAVA_OPTS ?? `-Xmx${heapMiB(options.results ?? 0)}m`;
  const run = await new Promise<{ code: number | null; output: string; error?: Error }>((resolve) => {
    // Its own process group on POSIX, so a timeout can stop the JVM the launcher started too.
    const detached = process.platform !== "win32";
    // ALLURE_NO_ANALYTICS: the page template leaves out Google's gtag.js only for exactly "true".
    // Through a guardian (util/guardian.ts): if hostproof is killed outright, Java stops too.
    const run = guarded(process.execPath, args);
    const child = spawn(run.command, run.args, { env: { ...env, JAVA_OPTS: javaOpts, ALLURE_NO_ANALYTICS: "true" }, stdio: ["pipe", "pipe", "pipe"], windowsHide: true, detached });
    // Being in its own group, it hears no Ctrl-C: the interrupt handler stops the group.
    const untrack = child.pid !== undefined ? trackChild(child.pid, "Allure (Java)", detached) : () => undefined;
    let output = "";
    const keep = (chunk: Buffer): void => {
      // Allure logs a line per plugin; only the tail is ever shown, so cap what is held.
      output = (output + chunk.toString("utf8")).slice(-20_000);
    };
    child.stdout.on("data", keep);
    child.stderr.on("data", keep);
    const timer = setTimeout(() => {
      try {
        if (detached && child.pid !== undefined) process.kill(-child.pid, "SIGKILL");
        else child.kill();
      } catch {
        /* already gone */
      }
    }, options.timeoutMs ?? 600_000);
    child.on("error", (error) => {
      clearTimeout(timer);
      untrack();
      resolve({ code: null, output, error });
    });
    child.on("close", (code) => {
      clearTimeout(timer);
      untrack();
      resolve({ code, output });
    });
  });

  if (run.error !== undefined) return { ok: false, reason: `could not start Allure: ${run.error.message}` };
  if (run.code !== 0) {
    return { ok: false, reason: `Allure exited with ${run.code ?? "a signal (timeout?)"}:\n${tail(run.output)}` };
  }
  if (!existsSync(join(reportDir, "index.html"))) {
    return { ok: false, reason: `Allure reported success but wrote no index.html:\n${tail(run.output)}` };
  }
  const index = join(reportDir, "index.html");
  const patched = patchAllureUi(index, options.facts);
  const analytics = checkNoAnalytics(index);
  if (analytics !== undefined) {
    // A report that would call Google when an auditor opens it is not left to be opened.
    rmSync(index, { force: true });
    return { ok: false, reason: `the Allure report would load Google Analytics ('${analytics}' remained after generating with ALLURE_NO_ANALYTICS=true and removing it): it was deleted.` };
  }
  return patched.ok ? { ok: true } : { ok: true, warning: `the Allure report may show Allure's own words (Broken, Skipped; blocker, normal), locale dates, no verdict on its Overview or Allure's grouping of Categories: ${patched.reason}` };
}

/** Measured: 125 MB per 1,000 hosts (8,676 results), 284 MB at 2,000 hosts: about 15 kB a result. */
const HTML_BYTES_PER_RESULT = 15_000;
/** Above this a browser opens the single file slowly or not at all. */
export const HTML_WARN_BYTES = 100_000_000;

export function estimateHtmlBytes(results: number): number {
  return results * HTML_BYTES_PER_RESULT;
}

/** The warning before a large single-file report, or undefined when it is small enough. */
export function htmlSizeWarning(results: number): string | undefined {
  const bytes = estimateHtmlBytes(results);
  if (bytes < HTML_WARN_BYTES) return undefined;
  return (
    `warning: the single-file HTML report of ${results.toLocaleString("en-US")} results will be about ${Math.round(bytes / 1_000_000)} MB ` +
    "(about 125 MB per 1,000 hosts); a browser may struggle to open it. --no-html skips it (allure-results/ is still written), " +
    "or --tags narrows the run."
  );
}

/**
 * Allure's single-file HTML as a format. It is made by another program (Allure 2, Java) from the
 * files of allure-results/, so it takes no slice: it needs allure-results finished, and the run
 * finishes it right after (report/run-writer.ts), before the formats that carry the run's last
 * times. A history folder, when the run has one, is copied into allure-results/history/ first, so
 * that Allure draws its trend. Without Java the other formats are still written, and it says why.
 */
export const allureReportFormat: Format = {
  name: "allure-report",
  description: "the Allure report as one self-contained file (needs Java)",
  files: [`${ALLURE_REPORT_DIR}/`],
  opens: `${ALLURE_REPORT_DIR}/index.html`,
  needs: [allureResultsFormat.name],
  html: "single",
  open(ctx) {
    return {
      add: () => undefined,
      async finish(end) {
        const resultsDir = join(ctx.dir, ALLURE_RESULTS_DIR);
        // Allure draws its Trend and per-result History from the previous report's history files.
        if (end.history !== undefined && seedHistory(end.history, resultsDir).length > 0) await ctx.recordTree(`${ALLURE_RESULTS_DIR}/history`);
        const results = end.digest.totals.total;
        const large = htmlSizeWarning(results);
        if (large !== undefined) ctx.progress.note(large);
        ctx.progress.phase("html", `Allure single-file report of ${results.toLocaleString("en-US")} result${results === 1 ? "" : "s"} (Java)`);
        const outcome = await generateAllureHtml(resultsDir, join(ctx.dir, ALLURE_REPORT_DIR), { results, name: allureReportName(ctx.head), facts: allurePageFacts(end.digest) });
        await ctx.recordTree(ALLURE_REPORT_DIR);
        return outcome;
      },
      abort: () => undefined,
    };
  },
};

/** The report's title in Allure, and its executor's report name. */
export function allureReportName(head: { estate?: string; inventoryFile: string }): string {
  return `hostproof: ${head.estate ?? head.inventoryFile}`;
}
