/**
 * Benchmark: generate a synthetic estate, run the real CLI on it, compare with the targets.
 *
 *   npm run bench -- [--hosts 1000[,10000,100000]] [--repeat 3] [--html] [--export <formats>] [--out bench/out] [--seed 42]
 *
 * Per size, paired rounds on the same estate, the order rotated each round so that a noisy
 * moment of this shared 2-core machine does not always hit the same thing:
 * - bare: bench/bare.ts, the project's own judges over the snapshots and nothing else;
 * - first: `hostproof run` into a folder that does not exist;
 * - rerun: `hostproof run` into the same folder again, which replaces the first run's report.
 * Each CLI run is a child process under GNU time; the figures include process start, Cucumber
 * and (with --html) Java, as a user would see them. Medians are reported, and the ratios.
 *
 * Per format (and for the record: evidence/, the messages, summary.json): the time the run's writer
 * spent on it, as the run itself prints it with HOSTPROOF_TIMINGS=1 (src/report/write-cost.ts says
 * what it includes), and the bytes and files of its outputs in the report.
 */
import { spawn } from "node:child_process";
import { closeSync, existsSync, mkdirSync, openSync, readFileSync, readdirSync, readSync, rmSync, statSync } from "node:fs";
import { join, resolve } from "node:path";
import { benchArgs } from "./args";
import { generateEstate } from "./generate";
import { RECORD_FORMAT, REGISTRY } from "../src/report/formats";
import { MESSAGES_FILE } from "../src/report/record";
import { REPORT_MARKER } from "../src/report/output/output-dir";
import { BOOKKEEPING_ROW, parseCostTable, RECORD_PART, WRITING_ROW } from "../src/report/write-cost";
import { CLI, cli, footprint, median, ROOT, type Figures } from "./timed-cli";

const GIB_KIB = 1024 * 1024;

const BARE = join(ROOT, "bench", "bare.ts");
const AS_OF = "2026-11-22";

const TARGETS = {
  /** 1,000 hosts to verdict, summary, JUnit and allure-results. */
  coreSeconds1k: 30,
  /** The single-file HTML report, on top of the above, for 1,000 hosts. */
  htmlSeconds1k: 60,
  /** 10,000 hosts, every output but HTML, on ext4 (median). */
  seconds10k: 10,
  /** run ÷ bare judge loop, 10,000 hosts, same rounds. */
  ratioToBare: 4,
  /** Bytes written on disk ÷ the estate's bytes (issue 20), 10,000 hosts. */
  outputPerInput: 1.5,
  /** Files in the report at 10,000 hosts (issue 20): an artifact store carries them one by one. */
  files10k: 15_000,
  /** 100,000 hosts, every output but HTML. */
  seconds100k: 180,
  peakTreeKiB: GIB_KIB,
  /** A rerun into the same --out may be this much slower than a first run (noise), no more. */
  rerunSlack: 1.1,
  /** Seconds per host at 100,000 may be this many times those at 10,000 (linear, with noise). */
  linearSlack: 1.25,
} as const;

interface Timings {
  loadMs: number;
  judgeMs: number;
  writeMs: number;
  reportMs: number;
}

interface RunFigures extends Figures {
  timings: Timings | null;
  /** Seconds the run's writer spent per part (a format's name, "record", "bookkeeping", "writing"). */
  costs: Map<string, number> | null;
}

interface Measurement {
  hosts: number;
  generateSeconds: number;
  rounds: number;
  bare: number[];
  first: RunFigures[];
  rerun: RunFigures[];
  allureFiles: number;
  allureResults: number;
  files: number;
  htmlReport: boolean;
  logFile: string;
  /** Bytes of the estate (inventory and snapshots) on disk. */
  inputBytes: number;
  /** Each format's outputs, the record's and what neither names: bytes (a hard-linked file counted once) and files. */
  outputs: Footprint[];
}

interface Footprint {
  part: string;
  bytes: number;
  files: number;
}

/** The record's own files; its results are summary.json, the summary format's. */
const RECORD_PATHS = ["evidence/", MESSAGES_FILE, REPORT_MARKER];
const OTHER_PART = "other";

type Check = { label: string; status: "PASS" | "FAIL" | "n/a"; detail: string };


/** summary.json ends with the timings: its tail is read, since at 100,000 hosts it is over 1 GB. */
function readTimings(summaryFile: string): Timings | null {
  if (!existsSync(summaryFile)) return null;
  const size = statSync(summaryFile).size;
  const tail = Buffer.alloc(Math.min(size, 64 * 1024));
  const fd = openSync(summaryFile, "r");
  try {
    readSync(fd, tail, 0, tail.length, size - tail.length);
  } finally {
    closeSync(fd);
  }
  const m = /"timings": (\{[^}]*\})/.exec(tail.toString("utf8"));
  if (m === null) return null;
  const t = JSON.parse(m[1]!) as Record<string, unknown>;
  const num = (key: string): number => (typeof t[key] === "number" ? (t[key] as number) : NaN);
  return { loadMs: num("loadMs"), judgeMs: num("judgeMs"), writeMs: num("writeMs"), reportMs: num("reportMs") };
}


function findHtmlReport(dir: string): boolean {
  if (!existsSync(dir)) return false;
  return readdirSync(dir, { withFileTypes: true }).some((e) => (e.isDirectory() ? findHtmlReport(join(dir, e.name)) : e.name.endsWith(".html")));
}

function countFiles(dir: string): number {
  if (!existsSync(dir)) return 0;
  let n = 0;
  for (const e of readdirSync(dir, { withFileTypes: true })) n += e.isDirectory() ? countFiles(join(dir, e.name)) : 1;
  return n;
}

/**
 * The report's bytes and files by part: the record's own files, each format's (the registry's
 * `files`), and what none of them names. One set of inodes is shared, the record first, so that
 * Allure's evidence attachments, hard links to evidence/snapshots/, are billed once, to the record.
 */
function outputFootprints(runDir: string): Footprint[] {
  if (!existsSync(runDir)) return [];
  const seen = new Set<string>();
  const of = (part: string, paths: readonly string[]): Footprint => {
    const out: Footprint = { part, bytes: 0, files: 0 };
    for (const p of paths.map((rel) => join(runDir, rel)).filter((p) => existsSync(p))) {
      const f = footprint(p, seen);
      out.bytes += f.bytes;
      out.files += f.files;
    }
    return out;
  };
  const parts = [of(RECORD_PART, RECORD_PATHS), ...REGISTRY.formats.map((f) => of(f.name, f.files))];
  const all = footprint(runDir, seen);
  parts.push({ part: OTHER_PART, bytes: all.bytes, files: countFiles(runDir) - parts.reduce((n, p) => n + p.files, 0) });
  return parts.filter((p) => p.files > 0 || p.part === RECORD_PART);
}

/**
 * Lets the machine catch up before the next measurement, so that what the last one left running
 * is not billed to it: a rerun's background deletion of the earlier report (the hidden `.old-`
 * and `.trash-` folders beside it), then the dirty pages (sync).
 */
async function settle(runDir: string): Promise<void> {
  const parent = resolve(runDir, "..");
  const busy = (): boolean => existsSync(parent) && readdirSync(parent).some((n) => /\.(old|trash)-\d+-/.test(n));
  while (busy()) await new Promise((r) => setTimeout(r, 100));
  await new Promise<void>((done) => spawn("sync", { stdio: "ignore" }).once("close", () => done()).once("error", () => done()));
}

/** What the runs are asked to write besides the defaults for the estate's size. */
interface Outputs {
  html: boolean;
  /** --export: formats a run of this size leaves out by default (src/report/formats/choose.ts). */
  export: readonly string[];
}

async function cliRun(inventory: string, runDir: string, logFile: string, timeFile: string, outputs: Outputs): Promise<RunFigures> {
  const args = ["run", "--inventory", inventory, "--out", runDir, "--as-of", AS_OF, ...(outputs.html ? [] : ["--no-html"]), ...(outputs.export.length > 0 ? ["--export", outputs.export.join(",")] : [])];
  // HOSTPROOF_TIMINGS: the run prints what writing each format cost (src/report/write-cost.ts).
  const figures = await cli(args, logFile, timeFile, { env: { HOSTPROOF_TIMINGS: "1" }, logMode: "w" });
  return { ...figures, timings: readTimings(join(runDir, "summary.json")), costs: parseCostTable(readFileSync(logFile, "utf8")) ?? null };
}

async function bareRun(inventory: string): Promise<number> {
  const started = process.hrtime.bigint();
  const child = spawn(process.execPath, ["--import", "tsx", BARE, "--inventory", inventory, "--as-of", AS_OF], { cwd: ROOT, stdio: ["ignore", "ignore", "inherit"] });
  const code = await new Promise<number | null>((done) => child.once("close", (c) => done(c)));
  if (code !== 0) throw new Error(`bench/bare.ts exited ${code}`);
  return Number(process.hrtime.bigint() - started) / 1e9;
}

async function measure(hosts: number, seed: number, outRoot: string, outputs: Outputs, rounds: number): Promise<Measurement> {
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
  const logFile = join(outRoot, `run-${hosts}.log`);
  const timeFile = join(outRoot, `time-${hosts}.txt`);
  const m: Measurement = { hosts, generateSeconds, rounds, bare: [], first: [], rerun: [], allureFiles: 0, allureResults: 0, files: 0, htmlReport: false, logFile, inputBytes: footprint(estateDir).bytes, outputs: [] };
  const steps: Record<string, () => Promise<void>> = {
    bare: async () => {
      await settle(runDir);
      m.bare.push(await bareRun(estate.inventoryPath));
    },
    first: async () => {
      // Out of the way before timing starts: the earlier round's report is not this run's to delete.
      rmSync(runDir, { recursive: true, force: true });
      await settle(runDir);
      m.first.push(await cliRun(estate.inventoryPath, runDir, logFile, timeFile, outputs));
    },
    rerun: async () => {
      if (!existsSync(runDir)) await steps.first!();
      await settle(runDir);
      m.rerun.push(await cliRun(estate.inventoryPath, runDir, logFile, timeFile, outputs));
    },
  };
  const order = ["bare", "first", "rerun"];
  for (let r = 0; r < rounds; r++) {
    const rotated = [...order.slice(r % order.length), ...order.slice(0, r % order.length)];
    for (const step of rotated) {
      await steps[step]!();
      console.error(`  ${hosts} hosts, round ${r + 1}/${rounds}: ${step} done`);
    }
  }
  const allureDir = join(runDir, "allure-results");
  const allureEntries = existsSync(allureDir) ? readdirSync(allureDir) : [];
  m.allureFiles = allureEntries.length;
  m.allureResults = allureEntries.filter((f) => f.endsWith("-result.json")).length;
  m.files = countFiles(runDir);
  m.outputs = outputFootprints(runDir);
  m.htmlReport = outputs.html && findHtmlReport(runDir);
  return m;
}

/** 0, 1 and 2 are verdicts (compliant, non-compliant, undetermined); 3 and 4 mean the run broke. */
function completed(f: RunFigures): boolean {
  return f.exitCode !== null && f.exitCode >= 0 && f.exitCode <= 2 && f.timings !== null;
}

const wall = (runs: readonly RunFigures[]): number => median(runs.map((r) => r.wallSeconds));
const peakTree = (m: Measurement): number | null => {
  const peaks = [...m.first, ...m.rerun].map((r) => r.peakTreeKiB).filter((p): p is number => p !== null);
  return peaks.length > 0 ? Math.max(...peaks) : null;
};

function checks(m: Measurement, outputs: Outputs, all: readonly Measurement[]): Check[] {
  const html = outputs.html;
  // The targets at 10,000 and 100,000 hosts are those of a default run, not of one with --export.
  const defaults = !html && outputs.export.length === 0;
  const out: Check[] = [];
  const runs = [...m.first, ...m.rerun];
  const ok = runs.every(completed);
  out.push({ label: `${m.hosts} hosts: every run completes (exit 0-2, summary.json)`, status: ok ? "PASS" : "FAIL", detail: `exits ${runs.map((r) => r.exitCode ?? "signal").join(",")}; log ${m.logFile}` });
  const first = wall(m.first);
  const reportSeconds = median(m.first.map((r) => (r.timings?.reportMs ?? 0) / 1000));
  if (m.hosts <= 1000) {
    // With --html the HTML step is inside the same run; take it out to judge the core target.
    const core = html ? first - reportSeconds : first;
    out.push({ label: `${m.hosts} hosts: verdict+summary+JUnit+allure-results < ${TARGETS.coreSeconds1k} s`, status: ok && core < TARGETS.coreSeconds1k ? "PASS" : "FAIL", detail: `${core.toFixed(1)} s` });
    if (html) out.push({ label: `${m.hosts} hosts: single-file HTML < ${TARGETS.htmlSeconds1k} s more`, status: ok && m.htmlReport && reportSeconds < TARGETS.htmlSeconds1k ? "PASS" : "FAIL", detail: m.htmlReport ? `${reportSeconds.toFixed(1)} s` : "no .html file written" });
  }
  if (m.hosts === 10_000 && defaults) {
    out.push({ label: `10000 hosts: every output but HTML <= ${TARGETS.seconds10k} s (median)`, status: first <= TARGETS.seconds10k ? "PASS" : "FAIL", detail: `${first.toFixed(1)} s` });
    const ratio = first / median(m.bare);
    const bytes = m.outputs.reduce((n, o) => n + o.bytes, 0);
    out.push({ label: `10000 hosts: output <= ${TARGETS.outputPerInput}x the input bytes`, status: bytes <= TARGETS.outputPerInput * m.inputBytes ? "PASS" : "FAIL", detail: `${(bytes / m.inputBytes).toFixed(2)}x (${(bytes / 1e6).toFixed(0)} of ${(m.inputBytes / 1e6).toFixed(0)} MB)` });
    out.push({ label: `10000 hosts: <= ${TARGETS.files10k.toLocaleString("en-US")} files`, status: m.files <= TARGETS.files10k ? "PASS" : "FAIL", detail: m.files.toLocaleString("en-US") });
    out.push({ label: `10000 hosts: run / bare judge loop <= ${TARGETS.ratioToBare}x`, status: ratio <= TARGETS.ratioToBare ? "PASS" : "FAIL", detail: `${ratio.toFixed(1)}x (${first.toFixed(1)} / ${median(m.bare).toFixed(1)} s)` });
  }
  if (m.hosts === 100_000 && defaults) {
    out.push({ label: `100000 hosts: every output but HTML <= ${TARGETS.seconds100k} s`, status: first <= TARGETS.seconds100k ? "PASS" : "FAIL", detail: `${first.toFixed(1)} s` });
    const ten = all.find((x) => x.hosts === 10_000);
    if (ten !== undefined) {
      const growth = first / 100_000 / (wall(ten.first) / 10_000);
      out.push({ label: `10000 -> 100000 hosts: time per host grows <= ${TARGETS.linearSlack}x`, status: growth <= TARGETS.linearSlack ? "PASS" : "FAIL", detail: `${growth.toFixed(2)}x` });
    }
  }
  if (m.rerun.length > 0) {
    const ratio = wall(m.rerun) / first;
    out.push({ label: `${m.hosts} hosts: rerun into the same --out <= ${TARGETS.rerunSlack}x a first run`, status: ratio <= TARGETS.rerunSlack ? "PASS" : "FAIL", detail: `${ratio.toFixed(2)}x (${wall(m.rerun).toFixed(1)} / ${first.toFixed(1)} s)` });
  }
  const peak = peakTree(m);
  out.push(
    peak === null
      ? { label: `${m.hosts} hosts: peak memory of the process tree < 1 GiB`, status: "n/a", detail: "no /proc to sample" }
      : { label: `${m.hosts} hosts: peak memory of the process tree < 1 GiB`, status: peak < TARGETS.peakTreeKiB ? "PASS" : "FAIL", detail: `${(peak / 1024).toFixed(0)} MiB` },
  );
  return out;
}

function table(rows: string[][]): string {
  const widths = rows[0].map((_, c) => Math.max(...rows.map((r) => r[c].length)));
  return rows.map((r) => r.map((cell, c) => (c === 0 ? cell.padEnd(widths[c]) : cell.padStart(widths[c]))).join("  ")).join("\n");
}

const mb = (b: number): string => (b / 1e6).toFixed(1);
/** A figure with `digits` decimals, or one significant digit when it is smaller: a single file at 10,000 hosts is 0.0001 per host, not 0.00. */
const small = (n: number, digits: number): string => (n === 0 || n >= 10 ** (1 - digits) ? n.toFixed(digits) : n.toPrecision(1));

/**
 * The per-format table of one size: each format the run wrote, then the record (its own files
 * and summary.json, its results, whose format's row is above), what no format names, and the
 * writer's bookkeeping; times are medians of the first runs, shares of the writer's time.
 */
function formatRows(m: Measurement): string[][] {
  const cost = (part: string): number => median(m.first.map((r) => r.costs?.get(part) ?? NaN));
  const writing = cost(WRITING_ROW);
  const time = (ms: number): string => (Number.isNaN(ms) ? "-" : `${(ms / 1000).toFixed(2)} (${((100 * ms) / writing).toFixed(0)}%)`);
  const row = (label: string, ms: number, f: Footprint | undefined): string[] => [
    label,
    time(ms),
    f === undefined ? "-" : mb(f.bytes),
    f === undefined ? "-" : f.files.toLocaleString("en-US"),
    f === undefined ? "-" : small(f.bytes / m.inputBytes, 3),
    f === undefined ? "-" : small(f.files / m.hosts, 2),
  ];
  const footprintOf = (part: string): Footprint | undefined => m.outputs.find((o) => o.part === part);
  const rows = [["format", "time s (share of writing)", "MB", "files", "bytes per input byte", "files per host"]];
  for (const f of REGISTRY.formats) {
    const written = footprintOf(f.name);
    if (written !== undefined) rows.push(row(f.name, cost(f.name), written));
  }
  const own = footprintOf(RECORD_PART) ?? { part: RECORD_PART, bytes: 0, files: 0 };
  const results = footprintOf(RECORD_FORMAT) ?? { part: RECORD_FORMAT, bytes: 0, files: 0 };
  rows.push(row("record (evidence/, messages, summary.json)", cost(RECORD_PART) + cost(RECORD_FORMAT), { part: RECORD_PART, bytes: own.bytes + results.bytes, files: own.files + results.files }));
  const other = footprintOf(OTHER_PART);
  if (other !== undefined) rows.push(row("other files", NaN, other));
  rows.push(row("bookkeeping (digest)", cost(BOOKKEEPING_ROW), undefined));
  rows.push(row("writing in all", writing, undefined));
  return rows;
}

function fmtMs(ms: number | undefined): string {
  return ms === undefined || Number.isNaN(ms) ? "-" : (ms / 1000).toFixed(2);
}

const BENCH_HELP = `Usage: npm run bench -- [--hosts 1000[,10000,100000]] [--repeat <n>] [--html] [--export <formats>] [--out bench/out] [--seed 42]
       node --import tsx bench/run.ts [options]

Generates a synthetic estate per size (bench/generate.ts) and measures, in paired rounds whose
order rotates: the bare judge loop (bench/bare.ts), hostproof run into a new folder, and hostproof
run again into the same folder. Prints the medians, the phase table, peak memory of the whole
process tree, per size a table of each format and the record (the writer's time on it, as the
run prints it with HOSTPROOF_TIMINGS=1; bytes and files, per input byte and per host), and the
targets of bench/README.md.

Options:
  --hosts <n>[,<n>...]   estate sizes to measure (default: 1000)
  --repeat <n>           rounds per size (default: 3 up to 10,000 hosts, 1 above)
  --html                 also make the HTML report (needs Java up to 2,000 hosts)
  --export <f>[,<f>...]  also write these formats, as run --export does (above 2,000 hosts a run
                         leaves some out by default); the targets of 10,000 and 100,000 hosts,
                         which are a default run's, are then not checked
  --out <dir>            where the estates and reports go (default: bench/out)
  --seed <n>             the estate generator's seed; the same seed gives the same estate (default: 42)
  -h, --help             this help

Exit codes: 0 every target met, 1 a target missed, 2 a run did not complete, 3 bad usage.

Examples:
  npm run bench
      1,000 hosts, three rounds, no HTML
  npm run bench -- --hosts 1000,10000,100000 --out /tmp/bench
      the three sizes of the targets, written outside the repository (100,000 hosts: ~10 GB)
  npm run bench -- --hosts 1000 --html --repeat 1
      1,000 hosts with the single-file HTML report
  npm run bench -- --hosts 10000 --repeat 1 --html --export hdf,allure-results
      every format's cost at 10,000 hosts (the HTML report there is the browsable pages)
`;

async function main(): Promise<number> {
  const values = benchArgs(BENCH_HELP, {
    hosts: { type: "string", default: "1000" },
    repeat: { type: "string" },
    html: { type: "boolean", default: false },
    export: { type: "string" },
    out: { type: "string", default: join("bench", "out") },
    seed: { type: "string", default: "42" },
    help: { type: "boolean", short: "h", default: false },
  });
  if (typeof values === "number") return values;
  const sizes = values.hosts.split(",").map((s) => Number(s.trim()));
  if (sizes.some((n) => !Number.isInteger(n) || n < 1)) {
    console.error(`--hosts wants positive integers separated by commas, got "${values.hosts}"`);
    return 3;
  }
  const repeat = values.repeat !== undefined ? Number(values.repeat) : undefined;
  if (repeat !== undefined && (!Number.isInteger(repeat) || repeat < 1)) {
    console.error(`--repeat wants a whole number of rounds, 1 or more, got "${values.repeat}"`);
    return 3;
  }
  const seed = Number(values.seed);
  if (!existsSync(CLI)) {
    console.error(`${CLI} does not exist: nothing to benchmark.`);
    return 3;
  }
  const exported = values.export !== undefined ? values.export.split(",").map((s) => s.trim()) : [];
  if (exported.some((n) => REGISTRY.byName(n) === undefined)) {
    console.error(`--export wants format names separated by commas (${REGISTRY.formats.map((f) => f.name).join(", ")}), got "${values.export}"`);
    return 3;
  }
  const outputs: Outputs = { html: values.html, export: exported };
  const outRoot = resolve(values.out);
  const results: Measurement[] = [];
  for (const n of sizes) results.push(await measure(n, seed, outRoot, outputs, repeat ?? (n <= 10_000 ? 3 : 1)));

  const rows = [["hosts", "rounds", "bare s", "first run s", "rerun s", "run/bare", "load s", "judge s", "write s", "report s", "largest process MiB", "process tree MiB", "files", "allure files", "exit"]];
  for (const m of results) {
    const phase = (k: keyof Timings): string => fmtMs(median(m.first.map((r) => r.timings?.[k] ?? NaN)));
    const largest = Math.max(...[...m.first, ...m.rerun].map((r) => r.peakRssKiB ?? NaN));
    const tree = peakTree(m);
    rows.push([
      String(m.hosts),
      String(m.rounds),
      median(m.bare).toFixed(1),
      wall(m.first).toFixed(1),
      m.rerun.length > 0 ? wall(m.rerun).toFixed(1) : "-",
      (wall(m.first) / median(m.bare)).toFixed(1),
      phase("loadMs"),
      phase("judgeMs"),
      phase("writeMs"),
      phase("reportMs"),
      Number.isNaN(largest) ? "-" : (largest / 1024).toFixed(0),
      tree === null ? "-" : (tree / 1024).toFixed(0),
      String(m.files),
      String(m.allureFiles),
      [...new Set([...m.first, ...m.rerun].map((r) => String(r.exitCode ?? "signal")))].join(","),
    ]);
  }
  console.log(table(rows));
  console.log("");
  for (const m of results) {
    const bytes = m.outputs.reduce((n, o) => n + o.bytes, 0);
    console.log(`${m.hosts} hosts: input ${mb(m.inputBytes)} MB; output ${mb(bytes)} MB on disk (${(bytes / m.inputBytes).toFixed(2)}x the input) in ${m.files.toLocaleString("en-US")} files (${(m.files / m.hosts).toFixed(1)} per host)`);
    console.log(table(formatRows(m)));
    console.log("");
  }
  const all = results.flatMap((m) => checks(m, outputs, results));
  console.log(table([["target", "status", "measured"], ...all.map((c) => [c.label, c.status, c.detail])]));
  if (results.some((m) => ![...m.first, ...m.rerun].every(completed))) return 2;
  return all.some((c) => c.status === "FAIL") ? 1 : 0;
}

void main().then((code) => {
  process.exitCode = code;
});
