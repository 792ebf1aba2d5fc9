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
import { checkNoAnalytics } from "./allure-analytics";
import { escapeControls } from "../../../util/terminal-safe";

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
  const patched = patchAllureUi(index);
  const analytics = checkNoAnalytics(index);
  if (analytics !== undefined) {
    // A report that would call Google when an auditor opens it is not left to be opened.
    rmSync(index, { force: true });
    return { ok: false, reason: `the Allure report would load Google Analytics ('${analytics}' remained after generating with ALLURE_NO_ANALYTICS=true and removing it): it was deleted.` };
  }
  return patched.ok ? { ok: true } : { ok: true, warning: `the Allure report shows Allure's severity words (blocker, critical, normal, minor) and unstyled tables: ${patched.reason}` };
}
