/**
 * Benchmark: generate a synthetic estate, run the real CLI on it, compare with the targets.
 *
 *   node --import tsx bench/run.ts [--hosts 1000[,10000]] [--html] [--out bench/out] [--seed 42]
 *
 * The CLI runs as a child process under GNU time so that the figures include process start,
 * Cucumber and (with --html) the Java report generator, as a user would experience them.
 */
import { spawn } from "node:child_process";
import { watchTree } from "./live/sample";
import { closeSync, existsSync, mkdirSync, openSync, readFileSync, readdirSync, rmSync } from "node:fs";
import { join, resolve } from "node:path";
import { parseArgs } from "node:util";
import { generateEstate } from "./generate";

const ROOT = resolve(__dirname, "..");
const CLI = join(ROOT, "bin", "hostproof.js");
const GNU_TIME = "/usr/bin/time";
const GIB_KIB = 1024 * 1024;

const TARGETS = {
  /** 1,000 hosts to verdict, summary, JUnit and allure-results. */
  coreSeconds1k: 30,
  /** The single-file HTML report, on top of the above, for 1,000 hosts. */
  htmlSeconds1k: 60,
  peakRssKiB: GIB_KIB,
} as const;

interface Timings {
  loadMs: number;
  judgeMs: number;
  writeMs: number;
  reportMs: number;
}

interface Measurement {
  hosts: number;
  generateSeconds: number;
  exitCode: number | null;
  wallSeconds: number;
  /** GNU time's %M: the largest single process (node or Java), not their sum. */
  peakRssKiB: number | null;
  /** Peak of the summed RSS of the whole process tree (node, Allure's Java), sampled from /proc. */
  peakTreeKiB: number | null;
  timings: Timings | null;
  allureFiles: number;
  allureResults: number;
  htmlReport: boolean;
  logFile: string;
}

type Check = { label: string; status: "PASS" | "FAIL" | "n/a"; detail: string };

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function readTimings(summaryFile: string): Timings | null {
  if (!existsSync(summaryFile)) return null;
  const summary: unknown = JSON.parse(readFileSync(summaryFile, "utf8"));
  if (!isRecord(summary) || !isRecord(summary.timings)) return null;
  const t = summary.timings;
  const num = (key: string): number => (typeof t[key] === "number" ? (t[key] as number) : NaN);
  return { loadMs: num("loadMs"), judgeMs: num("judgeMs"), writeMs: num("writeMs"), reportMs: num("reportMs") };
}

/** GNU time appends "%M %e" as the last line; an earlier line may say the command failed. */
function readGnuTime(file: string): { rssKiB: number; seconds: number } | null {
  if (!existsSync(file)) return null;
  const last = readFileSync(file, "utf8").trim().split("\n").pop() ?? "";
  const match = /^(\d+) ([\d.]+)$/.exec(last.trim());
  return match ? { rssKiB: Number(match[1]), seconds: Number(match[2]) } : null;
}

function findHtmlReport(dir: string): boolean {
  if (!existsSync(dir)) return false;
  return readdirSync(dir, { withFileTypes: true }).some((e) =>
    e.isDirectory() ? findHtmlReport(join(dir, e.name)) : e.name.endsWith(".html"),
  );
}

async function measure(hosts: number, seed: number, outRoot: string, html: boolean): Promise<Measurement> {
  const estateDir = join(outRoot, `estate-${hosts}`);
  const runDir = join(outRoot, `run-${hosts}`);
  rmSync(estateDir, { recursive: true, force: true });
  rmSync(runDir, { recursive: true, force: true });
  mkdirSync(outRoot, { recursive: true });

  const t0 = process.hrtime.bigint();
  const estate = generateEstate(estateDir, { hosts, seed });
  const generateSeconds = Number(process.hrtime.bigint() - t0) / 1e9;
  console.error(
    `generated ${estate.hosts} hosts (${estate.clusters} clusters, ${estate.standalone} standalone, ` +
      `${estate.deviations} deviations, ${estate.probeErrors} probe errors) in ${generateSeconds.toFixed(1)} s`,
  );

  const cliArgs = [CLI, "run", "--inventory", estate.inventoryPath, "--out", runDir, ...(html ? [] : ["--no-html"])];
  const timeFile = join(outRoot, `time-${hosts}.txt`);
  const logFile = join(outRoot, `run-${hosts}.log`);
  rmSync(timeFile, { force: true });
  const useGnuTime = existsSync(GNU_TIME);
  // The CLI's own output goes to a file: a terminal report for 10,000 hosts is not the point, and
  // piping it back into this process would add buffering we do not want to measure.
  const log = openSync(logFile, "w");
  const started = process.hrtime.bigint();
  const child = useGnuTime
    ? spawn(GNU_TIME, ["-o", timeFile, "-f", "%M %e", process.execPath, ...cliArgs], { cwd: ROOT, stdio: ["ignore", log, log] })
    : spawn(process.execPath, cliArgs, { cwd: ROOT, stdio: ["ignore", log, log] });
  // The whole tree: Allure's Java runs beside node, and GNU time's %M sees only the larger one.
  const tree = process.platform === "linux" && child.pid !== undefined ? watchTree(child.pid, 100) : undefined;
  const status = await new Promise<number | null>((resolve) => child.once("close", (code) => resolve(code)));
  const treePeak = tree?.stop();
  const measuredSeconds = Number(process.hrtime.bigint() - started) / 1e9;
  closeSync(log);

  const gnu = useGnuTime ? readGnuTime(timeFile) : null;
  const allureDir = join(runDir, "allure-results");
  const allureEntries = existsSync(allureDir) ? readdirSync(allureDir) : [];
  return {
    hosts,
    generateSeconds,
    exitCode: status,
    wallSeconds: gnu?.seconds ?? measuredSeconds,
    peakRssKiB: gnu?.rssKiB ?? null,
    peakTreeKiB: treePeak === undefined ? null : Math.round(treePeak.rssBytes / 1024),
    timings: readTimings(join(runDir, "summary.json")),
    allureFiles: allureEntries.length,
    allureResults: allureEntries.filter((f) => f.endsWith("-result.json")).length,
    htmlReport: html && findHtmlReport(runDir),
    logFile,
  };
}

/** 0, 1 and 2 are verdicts (compliant, non-compliant, undetermined); 3 and 4 mean the run broke. */
function completed(m: Measurement): boolean {
  return m.exitCode !== null && m.exitCode >= 0 && m.exitCode <= 2 && m.timings !== null;
}

function checks(m: Measurement, html: boolean): Check[] {
  const out: Check[] = [];
  const ok = completed(m);
  out.push({ label: `${m.hosts} hosts: run completes (exit 0-2, summary.json)`, status: ok ? "PASS" : "FAIL", detail: `exit ${m.exitCode ?? "signal"}; log ${m.logFile}` });
  const reportSeconds = (m.timings?.reportMs ?? 0) / 1000;
  if (m.hosts <= 1000) {
    // With --html the HTML step is inside the same run; take it out to judge the core target.
    const core = html ? m.wallSeconds - reportSeconds : m.wallSeconds;
    out.push({ label: `${m.hosts} hosts: verdict+summary+JUnit+allure-results < ${TARGETS.coreSeconds1k} s`, status: ok && core < TARGETS.coreSeconds1k ? "PASS" : "FAIL", detail: `${core.toFixed(1)} s` });
    if (html) {
      out.push({ label: `${m.hosts} hosts: single-file HTML < ${TARGETS.htmlSeconds1k} s more`, status: ok && m.htmlReport && reportSeconds < TARGETS.htmlSeconds1k ? "PASS" : "FAIL", detail: m.htmlReport ? `${reportSeconds.toFixed(1)} s` : "no .html file written" });
    }
  }
  out.push(
    m.peakTreeKiB === null
      ? { label: `${m.hosts} hosts: peak memory of the process tree < 1 GiB`, status: "n/a", detail: "no /proc to sample" }
      : { label: `${m.hosts} hosts: peak memory of the process tree < 1 GiB`, status: m.peakTreeKiB < TARGETS.peakRssKiB ? "PASS" : "FAIL", detail: `${(m.peakTreeKiB / 1024).toFixed(0)} MiB` },
  );
  return out;
}

function table(rows: string[][]): string {
  const widths = rows[0].map((_, c) => Math.max(...rows.map((r) => r[c].length)));
  return rows.map((r) => r.map((cell, c) => (c === 0 ? cell.padEnd(widths[c]) : cell.padStart(widths[c]))).join("  ")).join("\n");
}

function fmtMs(ms: number | undefined): string {
  return ms === undefined || Number.isNaN(ms) ? "-" : (ms / 1000).toFixed(2);
}

const BENCH_HELP = `Usage: node --import tsx bench/run.ts [--hosts 1000[,10000]] [--html] [--out bench/out] [--seed 42]
       npm run bench -- [options]

Generates a synthetic estate (bench/generate.ts), runs the real CLI on it as a child process under
GNU time, and compares the times and peak memory with the targets in bench/README.md.

Options:
  --hosts <n>[,<n>...]   estate sizes to measure, one run each (default: 1000)
  --html                 also make the single-file Allure HTML report (needs Java)
  --out <dir>            where the estates and reports go (default: bench/out)
  --seed <n>             the estate generator's seed; the same seed gives the same estate (default: 42)
  -h, --help             this help

Exit codes: 0 every target met, 1 a target missed, 2 a run did not complete, 3 bad usage.

Examples:
  npm run bench
      1,000 hosts, no HTML
  npm run bench -- --hosts 1000 --html
      1,000 hosts with the single-file HTML report
  node --import tsx bench/run.ts --hosts 100,1000,10000 --out /tmp/bench
      three sizes, written outside the repository
`;

async function main(): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs({
      options: {
        hosts: { type: "string", default: "1000" },
        html: { type: "boolean", default: false },
        out: { type: "string", default: join("bench", "out") },
        seed: { type: "string", default: "42" },
        help: { type: "boolean", short: "h", default: false },
      },
      strict: true,
    });
  } catch (err) {
    console.error(`${(err as Error).message}\n\n${BENCH_HELP}`);
    return 3;
  }
  const { values } = parsed;
  if (values.help) {
    console.log(BENCH_HELP);
    return 0;
  }
  const sizes = values.hosts.split(",").map((s) => Number(s.trim()));
  if (sizes.some((n) => !Number.isInteger(n) || n < 1)) {
    console.error(`--hosts wants positive integers separated by commas, got "${values.hosts}"`);
    return 3;
  }
  const seed = Number(values.seed);
  if (!existsSync(CLI)) {
    console.error(`${CLI} does not exist: nothing to benchmark.`);
    return 3;
  }
  const outRoot = resolve(values.out);
  const results: Measurement[] = [];
  for (const n of sizes) results.push(await measure(n, seed, outRoot, values.html));

  const rows = [["hosts", "generate s", "wall s", "load s", "judge s", "write s", "report s", "largest process MiB", "process tree MiB", "allure files", "results", "exit"]];
  for (const m of results) {
    rows.push([
      String(m.hosts),
      m.generateSeconds.toFixed(1),
      m.wallSeconds.toFixed(1),
      fmtMs(m.timings?.loadMs),
      fmtMs(m.timings?.judgeMs),
      fmtMs(m.timings?.writeMs),
      fmtMs(m.timings?.reportMs),
      m.peakRssKiB === null ? "-" : (m.peakRssKiB / 1024).toFixed(0),
      m.peakTreeKiB === null ? "-" : (m.peakTreeKiB / 1024).toFixed(0),
      String(m.allureFiles),
      String(m.allureResults),
      String(m.exitCode ?? "signal"),
    ]);
  }
  console.log(table(rows));
  console.log("");
  const all = results.flatMap((m) => checks(m, values.html));
  console.log(table([["target", "status", "measured"], ...all.map((c) => [c.label, c.status, c.detail])]));
  if (results.some((m) => !completed(m))) return 2;
  return all.some((c) => c.status === "FAIL") ? 1 : 0;
}

void main().then((code) => {
  process.exitCode = code;
});
