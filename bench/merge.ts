/**
 * Benchmark: `hostproof run --shard K/N` and `hostproof merge` against one unsharded run.
 *
 *   npm run bench:merge -- [--hosts 10000] [--shards 4] [--repeat 3] [--out bench/out] [--seed 42] [--export csv]
 *
 * One synthetic estate (bench/generate.ts, clusters and all), judged with --no-html --no-history
 * in paired rounds whose order alternates, so that a noisy moment of this shared 2-core machine
 * does not always land on the same side:
 * - whole: `hostproof run` over the whole estate;
 * - sharded: `hostproof run --shard K/N` for K = 1..N one after another, then `hostproof merge` of
 *   the N folders.
 * Each CLI process is a child under GNU time (its wall time and %M, the peak RSS of that process)
 * with its process tree sampled from /proc every 100 ms. Medians are reported, and per round the
 * ratios merge ÷ whole and (shards + merge) ÷ whole, whose medians are what the pairing is for.
 *
 * Then, not timed: the merged summary.json must equal the whole run's apart from startedAt,
 * finishedAt and timings. Both files are compared line by line as they stream past (at 100,000
 * hosts each is over a gigabyte: neither is parsed whole), a differing line parsed and compared as
 * JSON before it counts as a difference.
 *
 * No target is asserted on time; merge's peak RSS is shown beside a run's, since it must stay
 * bounded by a slice, not grow with the estate.
 *
 * With --export <names>, the last round's merged report is then exported (`hostproof export
 * --format <names>`), timed the same way, and each exported file that the merged report also holds
 * must be byte for byte the merged report's.
 */
import { createReadStream, existsSync, mkdirSync, openSync, closeSync, readdirSync, readSync, renameSync, rmSync } from "node:fs";
import { isDeepStrictEqual } from "node:util";
import { join, resolve } from "node:path";
import { createInterface } from "node:readline";
import { benchArgs } from "./args";
import { generateEstate } from "./generate";
import { CLI, cli, median, sync, type Figures } from "./timed-cli";

const AS_OF = "2026-11-22";

interface Round {
  order: string;
  whole: Figures;
  shards: Figures[];
  merge: Figures;
  same: SameSummary;
}

interface SameSummary {
  equal: boolean;
  lines: number;
  /** The first difference, when not equal. */
  detail?: string;
}

/**
 * summary.json's top-level members sit at two spaces (report/formats/summary.ts): the run's own times are
 * `startedAt`, `finishedAt` and the `timings` object, which spans lines up to its closing brace.
 * Those lines are dropped; every other line is kept with its number.
 */
async function* comparableLines(file: string): AsyncGenerator<{ n: number; line: string }> {
  const lines = createInterface({ input: createReadStream(file, { encoding: "utf8", highWaterMark: 1 << 20 }), crlfDelay: Infinity });
  let n = 0;
  let inTimings = false;
  for await (const line of lines) {
    n += 1;
    if (inTimings) {
      if (/^ {2}\},?$/.test(line)) inTimings = false;
      continue;
    }
    if (/^ {2}"(startedAt|finishedAt)": /.test(line)) continue;
    if (/^ {2}"timings": \{/.test(line)) {
      inTimings = !/\},?$/.test(line);
      continue;
    }
    yield { n, line };
  }
}

/** A line as JSON, when it is a whole value (a result line, a one-line member): else undefined. */
function asJson(line: string): unknown {
  let text = line.trim().replace(/,$/, "");
  if (text.startsWith('"')) text = `{${text}}`;
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

export async function sameSummary(wholeFile: string, mergedFile: string): Promise<SameSummary> {
  const a = comparableLines(wholeFile)[Symbol.asyncIterator]();
  const b = comparableLines(mergedFile)[Symbol.asyncIterator]();
  let lines = 0;
  try {
    for (;;) {
      const [x, y] = await Promise.all([a.next(), b.next()]);
      if (x.done === true || y.done === true) {
        if (x.done === true && y.done === true) return { equal: lines > 0, lines, ...(lines === 0 ? { detail: "both files are empty" } : {}) };
        return { equal: false, lines, detail: x.done === true ? `the merged summary.json has more lines (from its line ${y.value!.n})` : `the merged summary.json ends early (the whole run's line ${x.value.n} has no counterpart)` };
      }
      lines += 1;
      if (x.value.line === y.value.line) continue;
      const jx = asJson(x.value.line);
      if (jx !== undefined && isDeepStrictEqual(jx, asJson(y.value.line))) continue;
      // Shown from a little before the first character that differs: result lines are long.
      let at = 0;
      while (at < x.value.line.length && x.value.line[at] === y.value.line[at]) at += 1;
      const from = Math.max(0, at - 60);
      const part = (line: string): string => `${from > 0 ? "…" : ""}${line.slice(from, from + 160)}`;
      return { equal: false, lines, detail: `whole run's line ${x.value.n}: ${part(x.value.line)}\n    merged line ${y.value.n}: ${part(y.value.line)}` };
    }
  } finally {
    await a.return?.(undefined);
    await b.return?.(undefined);
  }
}

/** The files of `exported` that `report` holds too and that differ from it (compared a chunk at a time: hdf.json is gigabytes at 100,000 hosts). */
function exportedDiffering(report: string, exported: string): string[] {
  const differ: string[] = [];
  const a = Buffer.allocUnsafe(1 << 20);
  const b = Buffer.allocUnsafe(1 << 20);
  const walk = (rel: string): void => {
    for (const entry of readdirSync(join(exported, rel), { withFileTypes: true })) {
      const path = rel === "" ? entry.name : `${rel}/${entry.name}`;
      if (entry.isDirectory()) walk(path);
      else if (existsSync(join(report, path)) && path !== ".hostproof-report" && !sameFile(join(report, path), join(exported, path), a, b)) differ.push(path);
    }
  };
  walk("");
  return differ;
}

function sameFile(x: string, y: string, a: Buffer, b: Buffer): boolean {
  const fx = openSync(x, "r");
  const fy = openSync(y, "r");
  try {
    for (;;) {
      const n = readSync(fx, a, 0, a.length, null);
      const m = readSync(fy, b, 0, b.length, null);
      if (n !== m || !a.subarray(0, n).equals(b.subarray(0, m))) return false;
      if (n === 0) return true;
    }
  } finally {
    closeSync(fx);
    closeSync(fy);
  }
}

const mib = (kib: number | null): string => (kib === null ? "-" : (kib / 1024).toFixed(0));
const secs = (s: number): string => (Number.isNaN(s) ? "-" : s.toFixed(1));

function table(rows: string[][]): string {
  const widths = rows[0]!.map((_, c) => Math.max(...rows.map((r) => r[c]!.length)));
  return rows.map((r) => r.map((cell, c) => (c === 0 ? cell.padEnd(widths[c]!) : cell.padStart(widths[c]!))).join("  ")).join("\n");
}

/** 0, 1 and 2 are verdicts; 3 and above mean the run broke. */
const completed = (f: Figures): boolean => f.exitCode !== null && f.exitCode >= 0 && f.exitCode <= 2;

const HELP = `Usage: npm run bench:merge -- [--hosts 10000] [--shards 4] [--repeat 3] [--out bench/out] [--seed 42] [--export <names>]
       node --import tsx bench/merge.ts [options]

Generates a synthetic estate (bench/generate.ts) and measures, in paired rounds whose order
alternates: one hostproof run over the whole estate, and N runs --shard K/N one after another
followed by hostproof merge of the N folders (all --no-html --no-history). Prints per round and
as medians the wall time and peak RSS of each process, the ratios merge / whole run and
(shards + merge) / whole run, and whether the merged summary.json equals the whole run's apart
from startedAt, finishedAt and timings.

Options:
  --hosts <n>     hosts in the estate (default: 10000)
  --shards <n>    shards N (default: 4)
  --repeat <n>    rounds (default: 3 up to 10,000 hosts, 1 above)
  --out <dir>     where the estate and the reports go (default: bench/out); every round's
                  reports are kept until the last round ends: 3x a run's output per round
                  (whole run, shards, merged report), ~4 GB per round at 10,000 hosts
  --seed <n>      the generator's seed (default: 42)
  --export <names>  then export the last merged report with these formats (hostproof export
                  --format <names>), timed, its files compared with the merged report's
  -h, --help      this help

Exit codes: 0 merged equals whole every round (and the export equals the merged report's files),
1 it did not, 2 a CLI run broke (exit 3 or more), 3 bad usage.
`;

async function main(): Promise<number> {
  const values = benchArgs(HELP, {
    hosts: { type: "string", default: "10000" },
    shards: { type: "string", default: "4" },
    repeat: { type: "string" },
    out: { type: "string", default: join("bench", "out") },
    seed: { type: "string", default: "42" },
    export: { type: "string" },
    help: { type: "boolean", short: "h", default: false },
  });
  if (typeof values === "number") return values;
  const whole = (text: string | undefined, what: string): number | undefined => {
    if (text === undefined) return undefined;
    const n = Number(text);
    if (!Number.isInteger(n) || n < 1) throw new Error(`${what} wants a whole number, 1 or more, got "${text}"`);
    return n;
  };
  let hosts: number, shards: number, rounds: number, seed: number;
  try {
    hosts = whole(values.hosts, "--hosts")!;
    shards = whole(values.shards, "--shards")!;
    rounds = whole(values.repeat, "--repeat") ?? (hosts <= 10_000 ? 3 : 1);
    seed = Number(values.seed);
  } catch (err) {
    console.error((err as Error).message);
    return 3;
  }
  if (!existsSync(CLI)) {
    console.error(`${CLI} does not exist: nothing to benchmark (npm run build).`);
    return 3;
  }

  const outRoot = resolve(values.out);
  const base = join(outRoot, `merge-${hosts}`);
  const estateDir = join(base, "estate");
  rmSync(base, { recursive: true, force: true });
  mkdirSync(base, { recursive: true });
  const t0 = process.hrtime.bigint();
  const estate = generateEstate(estateDir, { hosts, seed });
  console.error(
    `generated ${estate.hosts} hosts (${estate.clusters} clusters, ${estate.standalone} standalone, ` +
      `${estate.deviations} deviations, ${estate.probeErrors} probe errors) in ${(Number(process.hrtime.bigint() - t0) / 1e9).toFixed(1)} s`,
  );
  const logFile = join(base, "cli.log");
  const timeFile = join(base, "time.txt");
  const common = ["--as-of", AS_OF, "--no-html", "--no-history"];
  const wholeDir = join(base, "whole");
  const shardDir = (k: number): string => join(base, `shard-${k}`);
  const mergedDir = join(base, "merged");

  /**
   * Out of the way and on disk before the clock starts: neither deletion nor writeback is billed.
   * The previous round's report is renamed into a trash folder, not deleted: on this VM's ext4
   * (mounted with discard) unlinking a report of 10,000 hosts (125,000 files) took minutes, each
   * unlink waiting for its discard. The trash is deleted after the last round.
   */
  const trash = join(base, "trash");
  let trashed = 0;
  const fresh = async (dir: string): Promise<void> => {
    if (existsSync(dir)) {
      mkdirSync(trash, { recursive: true });
      renameSync(dir, join(trash, String(trashed++)));
    }
    await sync();
  };
  const runWhole = async (): Promise<Figures> => {
    await fresh(wholeDir);
    return cli(["run", "--inventory", estate.inventoryPath, "--out", wholeDir, ...common], logFile, timeFile);
  };
  const runSharded = async (): Promise<{ shards: Figures[]; merge: Figures }> => {
    const figures: Figures[] = [];
    for (let k = 1; k <= shards; k++) {
      await fresh(shardDir(k));
      figures.push(await cli(["run", "--inventory", estate.inventoryPath, "--shard", `${k}/${shards}`, "--out", shardDir(k), ...common], logFile, timeFile));
      console.error(`    shard ${k}/${shards}: ${figures.at(-1)!.wallSeconds.toFixed(1)} s, ${mib(figures.at(-1)!.peakRssKiB)} MiB`);
    }
    await fresh(mergedDir);
    const merge = await cli(["merge", ...Array.from({ length: shards }, (_, i) => shardDir(i + 1)), "--out", mergedDir, "--no-html", "--no-history"], logFile, timeFile);
    console.error(`    merge: ${merge.wallSeconds.toFixed(1)} s, ${mib(merge.peakRssKiB)} MiB`);
    return { shards: figures, merge };
  };

  const done: Round[] = [];
  for (let r = 0; r < rounds; r++) {
    const wholeFirst = r % 2 === 0;
    console.error(`  round ${r + 1}/${rounds}: ${wholeFirst ? "whole, then sharded" : "sharded, then whole"}`);
    let w: Figures | undefined;
    if (wholeFirst) {
      w = await runWhole();
      console.error(`    whole: ${w.wallSeconds.toFixed(1)} s, ${mib(w.peakRssKiB)} MiB`);
    }
    const s = await runSharded();
    if (!wholeFirst) {
      w = await runWhole();
      console.error(`    whole: ${w.wallSeconds.toFixed(1)} s, ${mib(w.peakRssKiB)} MiB`);
    }
    const broke = [w!, ...s.shards, s.merge].some((f) => !completed(f));
    const same: SameSummary = broke ? { equal: false, lines: 0, detail: `a CLI run broke; see ${logFile}` } : await sameSummary(join(wholeDir, "summary.json"), join(mergedDir, "summary.json"));
    console.error(`    merged summary.json ${same.equal ? "equals" : "DIFFERS FROM"} the whole run's (${same.lines.toLocaleString("en-US")} lines compared)`);
    done.push({ order: wholeFirst ? "whole first" : "sharded first", whole: w!, shards: s.shards, merge: s.merge, same });
  }

  if (existsSync(trash)) {
    console.error(`  deleting the earlier rounds' reports (${trash})`);
    rmSync(trash, { recursive: true, force: true });
  }

  const sum = (fs: readonly Figures[]): number => fs.reduce((n, f) => n + f.wallSeconds, 0);
  const maxRss = (fs: readonly Figures[]): number | null => {
    const v = fs.map((f) => f.peakRssKiB).filter((x): x is number => x !== null);
    return v.length > 0 ? Math.max(...v) : null;
  };
  const header = ["round", "order", "whole s", "whole MiB", ...Array.from({ length: shards }, (_, i) => `shard ${i + 1}/${shards} s (MiB)`), "shards sum s", "merge s", "merge MiB", "merge/whole", "(shards+merge)/whole", "summary.json"];
  const rows: string[][] = [header];
  for (const [i, r] of done.entries()) {
    rows.push([
      String(i + 1),
      r.order,
      secs(r.whole.wallSeconds),
      mib(r.whole.peakRssKiB),
      ...r.shards.map((f) => `${secs(f.wallSeconds)} (${mib(f.peakRssKiB)})`),
      secs(sum(r.shards)),
      secs(r.merge.wallSeconds),
      mib(r.merge.peakRssKiB),
      (r.merge.wallSeconds / r.whole.wallSeconds).toFixed(2),
      ((sum(r.shards) + r.merge.wallSeconds) / r.whole.wallSeconds).toFixed(2),
      r.same.equal ? "equal" : "DIFFERS",
    ]);
  }
  const med = (f: (r: Round) => number): number => median(done.map(f));
  const medKiB = (f: (r: Round) => number | null): number | null => {
    const v = done.map(f).filter((x): x is number => x !== null);
    return v.length > 0 ? median(v) : null;
  };
  rows.push([
    "median",
    `${done.length} round${done.length === 1 ? "" : "s"}`,
    secs(med((r) => r.whole.wallSeconds)),
    mib(medKiB((r) => r.whole.peakRssKiB)),
    ...Array.from({ length: shards }, (_, k) => `${secs(med((r) => r.shards[k]!.wallSeconds))} (${mib(medKiB((r) => r.shards[k]!.peakRssKiB))})`),
    secs(med((r) => sum(r.shards))),
    secs(med((r) => r.merge.wallSeconds)),
    mib(medKiB((r) => r.merge.peakRssKiB)),
    med((r) => r.merge.wallSeconds / r.whole.wallSeconds).toFixed(2),
    med((r) => (sum(r.shards) + r.merge.wallSeconds) / r.whole.wallSeconds).toFixed(2),
    done.every((r) => r.same.equal) ? "equal" : "DIFFERS",
  ]);
  console.log(`${hosts.toLocaleString("en-US")} hosts (${estate.clusters.toLocaleString("en-US")} clusters), ${shards} shards, --no-html --no-history, as of ${AS_OF}, seed ${seed}`);
  console.log("wall time in s (GNU time %e), peak RSS of the process in MiB (GNU time %M); ratios are per round, their median below");
  console.log("");
  console.log(table(rows));
  console.log("");
  const trees = (pick: (r: Round) => Figures[]): string => mib(done.flatMap(pick).reduce<number | null>((m, f) => (f.peakTreeKiB === null ? m : Math.max(m ?? 0, f.peakTreeKiB)), null));
  console.log(`largest process tree (summed RSS, /proc every 100 ms): whole run ${trees((r) => [r.whole])} MiB, a shard run ${trees((r) => r.shards)} MiB, merge ${trees((r) => [r.merge])} MiB`);
  console.log(`merge peak RSS / whole run peak RSS (medians): ${((medKiB((r) => r.merge.peakRssKiB) ?? NaN) / (medKiB((r) => r.whole.peakRssKiB) ?? NaN)).toFixed(2)}; largest shard run: ${mib(maxRss(done.flatMap((r) => r.shards)))} MiB`);
  for (const [i, r] of done.entries()) {
    console.log(
      r.same.equal
        ? `round ${i + 1}: the merged summary.json equals the whole run's apart from startedAt, finishedAt and timings (${r.same.lines.toLocaleString("en-US")} lines compared)`
        : `round ${i + 1}: the merged summary.json DIFFERS from the whole run's: ${r.same.detail}`,
    );
  }
  let exportSame = true;
  if (values.export !== undefined) {
    const exportDir = join(base, "merged-export");
    await fresh(exportDir);
    const figures = await cli(["export", mergedDir, "--format", values.export, "--out", exportDir], logFile, timeFile);
    if (!completed(figures)) return 2;
    const differ = exportedDiffering(mergedDir, exportDir);
    exportSame = differ.length === 0;
    console.log(`export --format ${values.export} of the merged report: ${secs(figures.wallSeconds)} s, peak RSS ${mib(figures.peakRssKiB)} MiB (process tree ${mib(figures.peakTreeKiB)} MiB); ${exportSame ? "every exported file the merged report holds is byte for byte the same" : `DIFFERS: ${differ.slice(0, 5).join(", ")}`}`);
  }
  console.log(`CLI output: ${logFile}; reports in ${base}`);
  if (done.some((r) => ![r.whole, ...r.shards, r.merge].every(completed))) return 2;
  return done.every((r) => r.same.equal) && exportSame ? 0 : 1;
}

if (require.main === module) {
  void main().then(
    (code) => {
      process.exitCode = code;
    },
    (err: unknown) => {
      console.error(err);
      process.exitCode = 2;
    },
  );
}
