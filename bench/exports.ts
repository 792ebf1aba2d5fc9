/**
 * Benchmark: what each export that is written on request costs (`hostproof export <report>
 * --format <name>`), paired with the CSV export of the same report, the cheapest streaming
 * format, so that a noisy moment of this shared 2-core machine lands on both sides.
 *
 *   npm run bench:exports -- [--hosts 10000] [--repeat 3] [--formats xlsx,pdf,oscal,ckl] [--out bench/out/exports] [--seed 42]
 *
 * One synthetic estate (bench/generate.ts) is run once, writing the record only; then, per round,
 * each format and csv are exported in an order that alternates between rounds. Printed per format:
 * the median wall time, the median of the per-round ratios format ÷ csv, the peak RSS, and the
 * bytes and files written (an export's export.json included), per host too. No target is asserted.
 */
import { mkdirSync, rmSync } from "node:fs";
import { join, resolve } from "node:path";
import { benchArgs } from "./args";
import { generateEstate } from "./generate";
import { REGISTRY } from "../src/report/formats";
import { cli, footprint, median, ROOT, sync, type Figures } from "./timed-cli";

const USAGE = "usage: npm run bench:exports -- [--hosts 10000] [--repeat 3] [--formats xlsx,pdf,oscal,ckl] [--out bench/out/exports] [--seed 42]";
const BASELINE = "csv";

interface Measured {
  figures: Figures;
  bytes: number;
  files: number;
}

async function exportOnce(report: string, format: string, out: string, log: string): Promise<Measured> {
  rmSync(out, { recursive: true, force: true });
  await sync();
  const figures = await cli(["export", report, "--format", format, "--out", out], log, `${out}.time`);
  if (figures.exitCode !== 0) throw new Error(`export --format ${format} exited ${figures.exitCode}: see ${log}`);
  const { bytes, files } = footprint(out);
  rmSync(out, { recursive: true, force: true });
  return { figures, bytes, files };
}

const mb = (kib: number | null): string => (kib === null ? "n/a" : `${Math.round(kib / 1024)} MiB`);
const size = (bytes: number): string => (bytes >= 1 << 20 ? `${(bytes / (1 << 20)).toFixed(1)} MiB` : `${(bytes / 1024).toFixed(1)} KiB`);

async function main(): Promise<number> {
  const values = benchArgs(USAGE, {
    help: { type: "boolean", short: "h", default: false },
    hosts: { type: "string", default: "10000" },
    repeat: { type: "string", default: "3" },
    formats: { type: "string" },
    out: { type: "string", default: "bench/out/exports" },
    seed: { type: "string", default: "42" },
  });
  if (typeof values === "number") return values;
  const hosts = Number(values.hosts);
  const repeat = Number(values.repeat);
  const formats = (values.formats ?? REGISTRY.formats.filter((f) => f.onRequest).map((f) => f.name).join(",")).split(",");
  for (const f of formats) if (REGISTRY.byName(f) === undefined) throw new Error(`unknown format ${f}`);
  const out = resolve(ROOT, values.out);
  rmSync(out, { recursive: true, force: true });
  mkdirSync(out, { recursive: true });
  const log = join(out, "cli.log");

  const estate = generateEstate(join(out, "estate"), { hosts, seed: Number(values.seed) });
  const report = join(out, "report");
  const run = await cli(["run", "--inventory", estate.inventoryPath, "--out", report, "--no-export", "summary-md,junit,csv,pages", "--no-history"], log, join(out, "run.time"));
  if (run.exitCode !== 0 && run.exitCode !== 1 && run.exitCode !== 2) throw new Error(`run exited ${run.exitCode}: see ${log}`);
  console.log(`${hosts} hosts; the record: ${size(footprint(report).bytes)}, written in ${run.wallSeconds.toFixed(1)} s`);

  const rows: string[] = [];
  for (const format of formats) {
    const mine: Measured[] = [];
    const base: Measured[] = [];
    for (let round = 0; round < repeat; round++) {
      const pair = round % 2 === 0 ? [format, BASELINE] : [BASELINE, format];
      for (const name of pair) (name === format ? mine : base).push(await exportOnce(report, name, join(out, `export-${name}`), log));
    }
    const ratios = mine.map((m, i) => m.figures.wallSeconds / base[i]!.figures.wallSeconds);
    const last = mine[mine.length - 1]!;
    rows.push(
      `| ${format} | ${median(mine.map((m) => m.figures.wallSeconds)).toFixed(1)} s | ${median(ratios).toFixed(2)}x | ${mb(Math.max(...mine.map((m) => m.figures.peakRssKiB ?? 0)))} (csv ${mb(Math.max(...base.map((m) => m.figures.peakRssKiB ?? 0)))}) | ${size(last.bytes)} | ${size(last.bytes / hosts)} | ${last.files} |`,
    );
  }
  console.log(`\nEach export of the report, median of ${repeat} rounds paired with csv:\n`);
  console.log("| format | wall | ÷ csv | peak RSS | bytes | per host | files |");
  console.log("|---|---|---|---|---|---|---|");
  for (const row of rows) console.log(row);
  rmSync(out, { recursive: true, force: true });
  return 0;
}

main().then(
  (code) => process.exit(code),
  (err: unknown) => {
    console.error(err instanceof Error ? err.message : String(err));
    process.exit(4);
  },
);
