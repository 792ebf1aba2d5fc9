/**
 * Start-up cost of the CLI against a bare Node, paired: each round runs `node -e 0`, then each
 * measured command, so that both see the same machine load (2-core machines are noisy). Prints the
 * median of each and its difference from the bare Node.
 *
 *   npm run bench:startup -- [--rounds 15]
 *
 * Goal (issue 9): `hostproof --version` and `hostproof controls` within 0.15 s of `node -e 0`.
 */
import { spawnSync } from "node:child_process";
import { join } from "node:path";
import { parseArgs } from "node:util";

const BIN = join(__dirname, "..", "bin", "hostproof.js");
const CASES: Array<[string, string[]]> = [
  ["node -e 0", ["-e", "0"]],
  ["hostproof --version", [BIN, "--version"]],
  ["hostproof controls", [BIN, "controls"]],
];
const GOAL_S = 0.15;

function timeOnce(args: string[]): number {
  const started = process.hrtime.bigint();
  const res = spawnSync(process.execPath, args, { stdio: "ignore" });
  if (res.status !== 0) throw new Error(`${args.join(" ")} exited ${res.status}`);
  return Number(process.hrtime.bigint() - started) / 1e9;
}

const median = (xs: number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
};

function main(): number {
  const { values } = parseArgs({ options: { rounds: { type: "string", default: "15" }, help: { type: "boolean", short: "h" } } });
  if (values.help) {
    console.log("Usage: npm run bench:startup -- [--rounds N]\n\nPaired start-up times of node -e 0, hostproof --version and hostproof controls (medians).");
    return 0;
  }
  const rounds = Number(values.rounds);
  if (!Number.isInteger(rounds) || rounds < 1) {
    console.error(`--rounds '${values.rounds}' is not a positive whole number`);
    return 3;
  }
  const times = CASES.map((): number[] => []);
  timeOnce(CASES[2][1]); // one unmeasured run first, so that the first round does not read dist/ from disk
  for (let r = 0; r < rounds; r++) CASES.forEach(([, args], i) => times[i].push(timeOnce(args)));
  const bare = median(times[0]);
  let missed = false;
  console.log(`${rounds} paired rounds, medians:`);
  CASES.forEach(([name], i) => {
    const m = median(times[i]);
    const over = m - bare;
    const verdict = i === 0 ? "" : over <= GOAL_S ? `  +${over.toFixed(3)} s over node (goal ≤ ${GOAL_S} s: met)` : `  +${over.toFixed(3)} s over node (goal ≤ ${GOAL_S} s: MISSED)`;
    if (i > 0 && over > GOAL_S) missed = true;
    console.log(`  ${name.padEnd(22)} ${m.toFixed(3)} s${verdict}`);
  });
  return missed ? 1 : 0;
}

process.exitCode = main();
