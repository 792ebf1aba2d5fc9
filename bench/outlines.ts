/**
 * What a Scenario Outline's Examples rows cost (issue 18): one outline of N rows against N
 * equivalent scenarios (the same step, one row's values each, each its own control).
 *
 *   npm run bench:outlines                                  # 1,000, 4,000 and 10,000 rows, 10 hosts, 3 paired rounds
 *   npm run bench:outlines -- --rows 1000,2000,4000 --hosts 10 --rounds 1
 *
 * Per size, paired rounds whose order alternates: `hostproof run --no-html --no-builtin` on one
 * generated estate with the outline's folder, then with the scenarios' folder. Each run is a child
 * under GNU time (wall, user + system CPU, peak RSS). Two figures answer the issue:
 * - outline ÷ scenarios at the largest size (target: at most 2x), the median of the rounds' ratios;
 * - the outline's CPU for each further 1,000 rows, between successive sizes (linear: the same at
 *   every size; it was quadratic: 1,000 rows took 33 s and 4,000 did not finish in 5 minutes).
 * The two sides write different reports (the outline is one control: one result per host holding
 * every row; the scenarios are N controls: N results per host), so the scenarios side is the
 * heavier one; what the bench guards is that rows are no dearer than scenarios.
 *
 * Exit code: 0 the target met, 1 missed, 2 a CLI run broke, 3 bad usage.
 */
import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { benchArgs } from "./args";
import { generateEstate } from "./generate";
import { defaultHotfixes } from "../test/helpers/snapshot-builder";
import { GNU_TIME, median } from "./timed-cli";

const ROOT = resolve(__dirname, "..");
const CLI = join(ROOT, "bin", "hostproof.js");
const TARGET_RATIO = 2;

const HELP = `Usage: npm run bench:outlines -- [--rows 1000,4000,10000] [--hosts 10] [--rounds 3] [--out bench/out] [--seed 42]

Times one Scenario Outline of N Examples rows against N equivalent scenarios (hostproof run
--no-html --no-builtin, paired rounds, order alternating) on a generated estate of --hosts hosts,
for each N of --rows. Prints wall and CPU seconds, outline ÷ scenarios, and the outline's CPU for
each further 1,000 rows. The CLI runs the compiled dist/: npm run build first.

Exit codes: 0 the target (outline within ${TARGET_RATIO}x the scenarios at the largest N) met, 1 missed,
2 a CLI run broke, 3 bad usage.`;

/** The check a row makes: a third fail on every host, a third pass, a third depend on the host's OS. */
function row(i: number): { kb: string; state: "installed" | "not installed" } {
  const real = defaultHotfixes("10.0.20348").map((h) => h.id);
  if (i % 3 === 0) return { kb: `KB${5900000 + i}`, state: "installed" };
  if (i % 3 === 1) return { kb: `KB${5900000 + i}`, state: "not installed" };
  return { kb: real[i % real.length]!, state: "installed" };
}

const DESCRIPTION = "    Rationale: The bench's baseline requires it.\n    Remediation: Install the update.\n    Source: bench/outlines.ts.\n";

/** One control: a Scenario Outline whose `rows` Examples rows each name an update. */
export function outlineFeature(rows: number): string {
  const lines = [
    "@area:bench-outline",
    "Feature: Updates, as one Scenario Outline",
    "",
    "  @BENCH-UPD-001 @severity:high",
    "  Scenario Outline: The baseline's updates are as required",
    DESCRIPTION,
    "    Given each host",
    '    Then the update "<kb>" is <state>',
    "",
    "    Examples:",
    "      | kb | state |",
  ];
  for (let i = 0; i < rows; i++) {
    const r = row(i);
    lines.push(`      | ${r.kb} | ${r.state} |`);
  }
  return `${lines.join("\n")}\n`;
}

/** Scenarios per feature file: a file is read whole, and over 1 MiB is refused (HOSTPROOF_MAX_INPUT_MB). */
const SCENARIOS_PER_FILE = 1000;

/**
 * `count` controls, the same checks as outlineFeature's rows, one scenario each (IDs
 * BENCH-U<k>-<nnnn>), as the text of one feature file per SCENARIOS_PER_FILE of them.
 */
export function scenarioFeatures(count: number): string[] {
  const files: string[] = [];
  for (let from = 0; from < count; from += SCENARIOS_PER_FILE) files.push(scenariosFeature(from, Math.min(count, from + SCENARIOS_PER_FILE)));
  return files;
}

function scenariosFeature(from: number, to: number): string {
  const lines = ["@area:bench-outline", `Feature: Updates, one scenario each (${from + 1} to ${to})`, ""];
  for (let i = from; i < to; i++) {
    const r = row(i);
    lines.push(
      `  @BENCH-U${Math.floor(i / 10000)}${Math.floor((i % 10000) / 1000)}-${String(i % 1000).padStart(4, "0")} @severity:high`,
      `  Scenario: Update ${r.kb} is ${r.state}`,
      DESCRIPTION,
      "    Given each host",
      `    Then the update "${r.kb}" is ${r.state}`,
      "",
    );
  }
  return `${lines.join("\n")}\n`;
}

interface Figures {
  wallS: number;
  cpuS: number;
  rssMiB: number;
}

/** Writes each feature text as bench-<n>.feature in `dir` (made if missing). */
export function writeFeatures(dir: string, texts: readonly string[]): void {
  mkdirSync(dir, { recursive: true });
  texts.forEach((text, i) => writeFileSync(join(dir, `bench-${String(i + 1).padStart(3, "0")}.feature`), text));
}

function timeRun(inventory: string, features: string, out: string, timeFile: string): Figures | string {
  rmSync(out, { recursive: true, force: true });
  spawnSync("sync");
  const res = spawnSync(
    GNU_TIME,
    ["-o", timeFile, "-f", "%U %S %M %e", process.execPath, CLI, "run", "-i", inventory, "-o", out, "--no-html", "--no-history", "--no-builtin", "--features", features, "--as-of", "2026-11-22"],
    { encoding: "utf8", env: { ...process.env, CI: "1" }, maxBuffer: 1 << 30 },
  );
  // 1: non-compliant, as a third of the checks are meant to be.
  if (res.status !== 1) return `hostproof run exited ${res.status}:\n${res.stderr.slice(-2000)}`;
  const m = /(\d+(?:\.\d+)?) (\d+(?:\.\d+)?) (\d+) (\d+(?:\.\d+)?)\s*$/.exec(readFileSync(timeFile, "utf8").trim());
  if (m === null) return `GNU time wrote nothing usable to ${timeFile}`;
  return { cpuS: Number(m[1]) + Number(m[2]), rssMiB: Number(m[3]) / 1024, wallS: Number(m[4]) };
}


function main(argv: string[]): number {
  const values = benchArgs(
    HELP,
    {
      rows: { type: "string", default: "1000,4000,10000" },
      hosts: { type: "string", default: "10" },
      rounds: { type: "string", default: "3" },
      out: { type: "string", default: join(ROOT, "bench", "out") },
      seed: { type: "string", default: "42" },
      help: { type: "boolean", short: "h", default: false },
    },
    argv,
  );
  if (typeof values === "number") return values;
  const sizes = values.rows.split(",").map(Number);
  const [hosts, rounds, seed] = [values.hosts, values.rounds, values.seed].map(Number);
  if (!sizes.every((n) => Number.isInteger(n) && n >= 1 && n <= 99_999) || ![hosts, rounds].every((n) => Number.isInteger(n) && n! >= 1) || !Number.isInteger(seed)) {
    console.error(`--rows is a list of whole numbers from 1 to 99999, --hosts and --rounds positive whole numbers, --seed a whole number.\n\n${HELP}`);
    return 3;
  }
  if (!existsSync(join(ROOT, "dist", "src", "cli", "main.js"))) {
    console.error("dist/ is missing: run npm run build first.");
    return 3;
  }
  if (!existsSync(GNU_TIME)) {
    console.error(`${GNU_TIME} (GNU time) is needed for the CPU figures.`);
    return 3;
  }
  const dir = join(resolve(values.out), `outlines-${hosts}`);
  const estate = generateEstate(dir, { hosts: hosts!, seed: seed! });
  console.log(`estate: ${estate.hosts} hosts, ${estate.inventoryPath}`);

  const table: { rows: number; outline: Figures[]; scenarios: Figures[] }[] = [];
  for (const rows of sizes) {
    const outlineDir = join(dir, `outline-${rows}`);
    const scenariosDir = join(dir, `scenarios-${rows}`);
    for (const folder of [outlineDir, scenariosDir]) rmSync(folder, { recursive: true, force: true });
    mkdirSync(outlineDir, { recursive: true });
    writeFileSync(join(outlineDir, "bench.feature"), outlineFeature(rows));
    writeFeatures(scenariosDir, scenarioFeatures(rows));
    const entry = { rows, outline: [] as Figures[], scenarios: [] as Figures[] };
    for (let round = 0; round < rounds!; round++) {
      const steps: Array<() => string | undefined> = [
        () => {
          const f = timeRun(estate.inventoryPath, outlineDir, join(dir, "out-outline"), join(dir, "time-outline.txt"));
          if (typeof f === "string") return f;
          entry.outline.push(f);
        },
        () => {
          const f = timeRun(estate.inventoryPath, scenariosDir, join(dir, "out-scenarios"), join(dir, "time-scenarios.txt"));
          if (typeof f === "string") return f;
          entry.scenarios.push(f);
        },
      ];
      if (round % 2 === 1) steps.reverse();
      for (const step of steps) {
        const broke = step();
        if (broke !== undefined) {
          console.error(broke);
          return 2;
        }
      }
      const [o, s] = [entry.outline[round]!, entry.scenarios[round]!];
      console.log(`${rows} rows, round ${round + 1}: outline ${o.wallS.toFixed(2)} s (CPU ${o.cpuS.toFixed(2)} s), scenarios ${s.wallS.toFixed(2)} s (CPU ${s.cpuS.toFixed(2)} s): ${(o.wallS / s.wallS).toFixed(2)}x wall, ${(o.cpuS / s.cpuS).toFixed(2)}x CPU`);
    }
    table.push(entry);
  }

  // Linear in rows: each further 1,000 rows cost the same CPU whatever the size (start-up and the
  // estate are the fixed part, which a plain per-row figure would spread).
  const cpu = (e: (typeof table)[number]): number => median(e.outline.map((f) => f.cpuS));
  const marginal = (i: number): string => (i === 0 ? "" : `${(((cpu(table[i]!) - cpu(table[i - 1]!)) / (table[i]!.rows - table[i - 1]!.rows)) * 1000).toFixed(2)} s`);
  console.log(`\n| rows (${hosts} hosts) | outline: wall / CPU / peak RSS | scenarios: wall / CPU / peak RSS | outline ÷ scenarios (wall, CPU; median of rounds) | outline CPU per 1,000 more rows |`);
  console.log("| --- | --- | --- | --- | --- |");
  for (const [i, e] of table.entries()) {
    const m = (fs: Figures[], k: keyof Figures): number => median(fs.map((f) => f[k]));
    const wallRatio = median(e.outline.map((f, i) => f.wallS / e.scenarios[i]!.wallS));
    const cpuRatio = median(e.outline.map((f, i) => f.cpuS / e.scenarios[i]!.cpuS));
    console.log(
      `| ${e.rows.toLocaleString("en-US")} | ${m(e.outline, "wallS").toFixed(2)} s / ${m(e.outline, "cpuS").toFixed(2)} s / ${m(e.outline, "rssMiB").toFixed(0)} MiB | ${m(e.scenarios, "wallS").toFixed(2)} s / ${m(e.scenarios, "cpuS").toFixed(2)} s / ${m(e.scenarios, "rssMiB").toFixed(0)} MiB | ${wallRatio.toFixed(2)}x, ${cpuRatio.toFixed(2)}x | ${marginal(i)} |`,
    );
  }
  const last = table[table.length - 1]!;
  const ratio = median(last.outline.map((f, i) => f.wallS / last.scenarios[i]!.wallS));
  const met = ratio <= TARGET_RATIO;
  console.log(met ? `\ntarget met: ${last.rows} rows take ${ratio.toFixed(2)}x the time of ${last.rows} scenarios (at most ${TARGET_RATIO}x)` : `\ntarget MISSED: ${ratio.toFixed(2)}x > ${TARGET_RATIO}x`);
  return met ? 0 : 1;
}

if (require.main === module) process.exitCode = main(process.argv.slice(2));
