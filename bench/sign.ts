/**
 * Benchmark: what signing adds to a run (`run --sign-key`).
 *
 *   npm run bench:sign -- [--hosts 10000] [--repeat 3] [--out bench/out] [--seed 42]
 *
 * One synthetic estate (bench/generate.ts), judged with --no-html --no-history in paired rounds
 * whose order alternates: the same run unsigned, with a PKCS#8 key (the attestation only) and with
 * an OpenSSH key (the attestation and the manifest's SSH signature, which reads the manifest back:
 * 30 MB at 10,000 hosts). Per round, each signed run's wall time minus the unsigned one's; their
 * medians are what the pairing is for, since this shared 2-core machine's noise is larger than
 * the difference. Then the signing step alone, in this process, on the last round's report: the
 * statement built and the files written, as output-session.ts does it, timed directly.
 *
 * No target is asserted; the bound (under 1 s at 10,000 hosts) is printed beside the figures.
 */
import { spawnSync } from "node:child_process";
import { mkdirSync, readFileSync, rmSync } from "node:fs";
import { join, resolve } from "node:path";
import { benchArgs } from "./args";
import { generateEstate } from "./generate";
import { writeSignature } from "../src/sign/attestation";
import { signingKeyFromText } from "../src/sign/keys";
import { buildStatement } from "../src/sign/statement";
import { sha256Hex } from "../src/evidence/manifest";
import { median } from "./timed-cli";

const ROOT = resolve(__dirname, "..");
const CLI = join(ROOT, "bin", "hostproof.js");
const USAGE = "Usage: npm run bench:sign -- [--hosts 10000] [--repeat 3] [--out bench/out] [--seed 42]";


function timed(args: string[]): number {
  const t = performance.now();
  const r = spawnSync(process.execPath, [CLI, ...args], { encoding: "utf8", env: { ...process.env, NO_COLOR: "1" } });
  if (r.status !== 0 && r.status !== 1 && r.status !== 2) throw new Error(`hostproof exited ${r.status}: ${r.stderr}`);
  return (performance.now() - t) / 1000;
}

function main(): number {
  const values = benchArgs(USAGE, { hosts: { type: "string", default: "10000" }, repeat: { type: "string", default: "3" }, out: { type: "string", default: "bench/out" }, seed: { type: "string", default: "42" }, help: { type: "boolean", short: "h", default: false } });
  if (typeof values === "number") return values;
  const hosts = Number(values.hosts);
  const repeat = Number(values.repeat);
  const out = resolve(values.out, "sign");
  rmSync(out, { recursive: true, force: true });
  mkdirSync(out, { recursive: true });
  const estate = generateEstate(join(out, "estate"), { hosts, seed: Number(values.seed) });
  const pem = join(out, "signing.pem");
  const ssh = join(out, "signing_ssh");
  spawnSync("openssl", ["genpkey", "-algorithm", "ed25519", "-out", pem]);
  spawnSync("ssh-keygen", ["-q", "-t", "ed25519", "-N", "", "-f", ssh]);
  const base = ["run", "--inventory", estate.inventoryPath, "--as-of", "2026-11-22", "--no-html", "--no-history", "--exit-zero"];
  const kinds = { unsigned: [] as string[], pkcs8: ["--sign-key", pem], openssh: ["--sign-key", ssh] };
  const rounds: Record<keyof typeof kinds, number>[] = [];
  console.log(`${estate.hosts.toLocaleString("en-US")} hosts, ${estate.clusters} clusters; ${repeat} paired rounds (unsigned, PKCS#8 key, OpenSSH key; order alternating)`);
  for (let i = 0; i < repeat; i++) {
    const order = Object.keys(kinds) as (keyof typeof kinds)[];
    if (i % 2 === 1) order.reverse();
    const round = {} as Record<keyof typeof kinds, number>;
    for (const kind of order) round[kind] = timed([...base, "-o", join(out, `report-${kind}`), ...kinds[kind]]);
    rounds.push(round);
    console.log(`  round ${i + 1} (${order.join(", ")}): unsigned ${round.unsigned.toFixed(2)} s, PKCS#8 ${round.pkcs8.toFixed(2)} s (${(round.pkcs8 - round.unsigned).toFixed(2)}), OpenSSH ${round.openssh.toFixed(2)} s (${(round.openssh - round.unsigned).toFixed(2)})`);
  }
  console.log(`median of the paired differences: PKCS#8 ${median(rounds.map((r) => r.pkcs8 - r.unsigned)).toFixed(2)} s, OpenSSH ${median(rounds.map((r) => r.openssh - r.unsigned)).toFixed(2)} s (target: under 1 s at 10,000 hosts)`);

  // The signing step alone, on the report the last OpenSSH run wrote (its manifest as it is).
  const report = join(out, "report-openssh");
  const manifestSha256 = sha256Hex(readFileSync(join(report, "evidence", "manifest.json")));
  const summarySha256 = sha256Hex(readFileSync(join(report, "summary.json")));
  const summary = JSON.parse(readFileSync(join(report, "summary.json"), "utf8")) as { verdict: "compliant" | "non-compliant" | "undetermined" };
  for (const [name, file] of [["PKCS#8", pem], ["OpenSSH", ssh]] as const) {
    const key = signingKeyFromText(readFileSync(file), file);
    const times: number[] = [];
    for (let i = 0; i < 5; i++) {
      const t = performance.now();
      writeSignature(report, key, buildStatement({ manifestSha256, summarySha256, verdict: summary.verdict, perControl: [], configuration: [], url: undefined }));
      times.push(performance.now() - t);
    }
    console.log(`signing step alone (${name} key, manifest ${(readFileSync(join(report, "evidence", "manifest.json")).length / 1e6).toFixed(1)} MB): median ${median(times).toFixed(1)} ms of 5`);
  }
  return 0;
}

process.exitCode = main();
