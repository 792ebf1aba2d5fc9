/**
 * What the step library costs (issue 10): fifty generic checks (bench/features/library.feature)
 * beside the built-in controls, against the built-in controls alone.
 *
 *   npm run bench:library                       # 1,000 hosts, 3 paired rounds, 5 live rounds
 *   npm run bench:library -- --hosts 1000 --rounds 5 --live-rounds 9 --out /tmp/bench-library
 *
 * - Run time: `hostproof run --no-html` on one generated estate whose snapshots hold every probe
 *   both ways need, in paired rounds whose order alternates (these 2-core machines are noisy: only
 *   the ratio within a round means much). Target: with the library under 2x without.
 * - The collector: the script's size with and without the generic section, and the list each
 *   host's target carries.
 * - One live host: the collector run by real pwsh against the stand-in Windows module (a simulated
 *   host of the same estate), with and without the generic probes, paired; the wall time of the
 *   whole pwsh process and the collector's own span (first probe start to last probe end).
 *
 * Exit code: 0 the target met, 1 missed, 3 bad usage.
 */
import { spawnSync } from "node:child_process";
import { existsSync, rmSync } from "node:fs";
import { join, resolve } from "node:path";
import { benchArgs } from "./args";
import { buildCollectorScript } from "../src/collect/script";
import { planProbes } from "../src/controls/probe-plan";
import type { Snapshot } from "../src/model/snapshot";
import { findPwsh } from "../src/powershell/find";
import { encodeGenericProbes } from "../src/probes/generic";
import { resolveEstate } from "../test/helpers/snapshot-builder";
import { collect } from "../test/pwsh/run-collector";
import { generateEstate, generateSpecs } from "./generate";
import { LIBRARY_FEATURES } from "./library-state";
import { median } from "./timed-cli";

const ROOT = resolve(__dirname, "..");
const BIN = join(ROOT, "bin", "hostproof.js");
const TARGET_RATIO = 2;

const HELP = `Usage: npm run bench:library -- [--hosts 1000] [--rounds 3] [--live-rounds 5] [--out bench/out] [--seed 42]

Measures fifty step-library checks (bench/features/library.feature) beside the built-in controls
against the built-in controls alone: run time at --hosts (paired rounds), the collector script's
size, and one live host's collection time under real pwsh and the stand-in module.
The CLI runs the compiled dist/: after editing src/ or steps/, npm run build first.

Exit codes: 0 the run time target (under ${TARGET_RATIO}x) met, 1 missed, 3 bad usage.`;


function timeRun(inventory: string, out: string, extra: string[]): number {
  rmSync(out, { recursive: true, force: true });
  spawnSync("sync");
  const started = performance.now();
  const res = spawnSync(process.execPath, [BIN, "run", "-i", inventory, "-o", out, "--no-html", "--no-history", "--as-of", "2026-11-22", "--exit-zero", ...extra], { encoding: "utf8" });
  const seconds = (performance.now() - started) / 1000;
  if (res.status !== 0) throw new Error(`hostproof run exited ${res.status}:\n${res.stderr}`);
  return seconds;
}

/** The collector's own time on the host: from the first probe's start to the last one's end. */
function span(s: Snapshot): number {
  const records = Object.values(s.probes).filter((r) => r !== undefined);
  const start = Math.min(...records.map((r) => Date.parse(r.startedAt)));
  const end = Math.max(...records.map((r) => Date.parse(r.startedAt) + (r.durationMs ?? 0)));
  return (end - start) / 1000;
}

function main(argv: string[]): number {
  const values = benchArgs(
    HELP,
    {
      hosts: { type: "string", default: "1000" },
      rounds: { type: "string", default: "3" },
      "live-rounds": { type: "string", default: "5" },
      out: { type: "string", default: join(ROOT, "bench", "out") },
      seed: { type: "string", default: "42" },
      help: { type: "boolean", short: "h", default: false },
    },
    argv,
  );
  if (typeof values === "number") return values;
  const [hosts, rounds, liveRounds, seed] = [values.hosts, values.rounds, values["live-rounds"], values.seed].map(Number);
  if (![hosts, rounds, liveRounds, seed].every((n) => Number.isInteger(n) && n! >= 0) || hosts! < 1 || rounds! < 1) {
    console.error(`--hosts and --rounds are positive whole numbers, --live-rounds and --seed whole numbers.\n\n${HELP}`);
    return 3;
  }
  if (!existsSync(join(ROOT, "dist", "src", "cli", "main.js"))) {
    console.error("dist/ is missing: run npm run build first.");
    return 3;
  }

  // The collector.
  const builtin = planProbes(undefined, {});
  const withLibrary = planProbes(undefined, { folders: [LIBRARY_FEATURES] });
  const checks = withLibrary.controls.filter((c) => c.origin !== "built-in").length;
  const scriptA = buildCollectorScript(builtin.probes).length;
  const scriptB = buildCollectorScript(withLibrary.probes, withLibrary.generic).length;
  const list = encodeGenericProbes(withLibrary.generic).length;
  console.log(`library: ${checks} controls, ${withLibrary.generic.length} generic probes (bench/features/library.feature)`);
  console.log(`collector script: ${scriptA} bytes built-in, ${scriptB} bytes with the library's readers (+${scriptB - scriptA}); the generic list each target carries: ${list} bytes of base64`);

  // Run time.
  const dir = join(resolve(values.out), `library-${hosts}`);
  const t0 = performance.now();
  const estate = generateEstate(dir, { hosts: hosts!, seed: seed!, library: true });
  console.log(`generated ${estate.hosts} hosts with the library's facts in ${((performance.now() - t0) / 1000).toFixed(1)} s: ${estate.inventoryPath}`);
  const a: number[] = [];
  const b: number[] = [];
  for (let round = 0; round < rounds!; round++) {
    const steps: Array<() => void> = [
      () => a.push(timeRun(estate.inventoryPath, join(dir, "out-builtin"), [])),
      () => b.push(timeRun(estate.inventoryPath, join(dir, "out-library"), ["--features", LIBRARY_FEATURES])),
    ];
    if (round % 2 === 1) steps.reverse();
    for (const step of steps) step();
    console.log(`round ${round + 1}: built-in ${a[round]!.toFixed(2)} s, with the library ${b[round]!.toFixed(2)} s (${(b[round]! / a[round]!).toFixed(2)}x)`);
  }
  const ratios = a.map((x, i) => b[i]! / x);
  const ratio = median(ratios);
  console.log(`\n| ${hosts} hosts | built-in (16 controls) | + library (${checks} controls, 50 checks) | ratio (median of rounds) |`);
  console.log(`| --- | --- | --- | --- |`);
  console.log(`| median of ${rounds} | ${median(a).toFixed(2)} s | ${median(b).toFixed(2)} s | ${ratio.toFixed(2)}x (target < ${TARGET_RATIO}x) |`);

  // One live host.
  const pwsh = findPwsh();
  if (liveRounds! > 0 && pwsh === undefined) console.log("\nlive host: skipped, no pwsh (set NODE_POWERSHELL)");
  else if (liveRounds! > 0) {
    const spec = resolveEstate({ hosts: generateSpecs({ hosts: 20, seed: seed!, library: true }).hosts.filter((h) => !h.legacy2003 && h.system !== undefined).slice(0, 1) })[0]!;
    const wall = { a: [] as number[], b: [] as number[] };
    const own = { a: [] as number[], b: [] as number[] };
    for (let round = 0; round < liveRounds!; round++) {
      const steps: Array<() => void> = [
        () => {
          const s = performance.now();
          const snap = collect(pwsh!, spec, {}, { probes: builtin.probes });
          wall.a.push((performance.now() - s) / 1000);
          own.a.push(span(snap));
        },
        () => {
          const s = performance.now();
          const snap = collect(pwsh!, spec, {}, { probes: withLibrary.probes, generic: withLibrary.generic });
          wall.b.push((performance.now() - s) / 1000);
          own.b.push(span(snap));
        },
      ];
      if (round % 2 === 1) steps.reverse();
      for (const step of steps) step();
    }
    console.log(`\nlive host ${spec.name} (pwsh ${pwsh}, stand-in module), medians of ${liveRounds} paired rounds:`);
    console.log(`| collection | pwsh process wall | collector's own span |`);
    console.log(`| --- | --- | --- |`);
    console.log(`| built-in probes (${builtin.probes.length}) | ${median(wall.a).toFixed(2)} s | ${median(own.a).toFixed(2)} s |`);
    console.log(`| + ${withLibrary.generic.length} generic probes | ${median(wall.b).toFixed(2)} s | ${median(own.b).toFixed(2)} s |`);
  }
  console.log(ratio < TARGET_RATIO ? `\ntarget met: ${ratio.toFixed(2)}x < ${TARGET_RATIO}x` : `\ntarget MISSED: ${ratio.toFixed(2)}x >= ${TARGET_RATIO}x`);
  return ratio < TARGET_RATIO ? 0 : 1;
}

if (require.main === module) process.exitCode = main(process.argv.slice(2));
