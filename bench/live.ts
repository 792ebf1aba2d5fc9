/**
 * The live path over real SSH, measured: N simulated Windows hosts (the bench generator's specs,
 * each on its own loopback address behind OpenSSH, with PowerShell as the subsystem and the
 * stand-in module loaded per host), collected by hostproof's process at several concurrencies,
 * with two designs run back to back so that the comparison is paired on a noisy machine.
 * Run with --help for usage and what is measured.
 */
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { findPwsh } from "../src/powershell/find";
import { findSshd, startLoopbackSshd } from "../test/ssh/loopback-sshd";
import type { Design } from "./live/collect";
import { writeSimulatedEstate } from "./live/estate";
import { GNU_TIME, measureRun, type RunFigures } from "./live/measure";

const USAGE = `Usage: npm run bench:live -- [options]
       node --import tsx bench/live.ts [options]

Collects from N simulated hosts over real SSH (sshd on loopback addresses, pwsh as the
powershell subsystem, the stand-in module per host) and measures hostproof's own process tree.

Options:
  --hosts N              simulated hosts (default 200)
  --concurrency LIST     comma-separated concurrencies (default 1,16,64)
  --designs LIST         fanout (the default and the only one left): the product's reader,
                         src/collect/fanout-reader.ts, one local pwsh running the driver per host
                         under ForEach-Object -Parallel. The pool of sessions it replaced is gone;
                         bench/README.md keeps the paired comparison.
  --rounds N             runs of each design per concurrency, alternating the order (default 1)
  --stopped N            hosts stopped before the runs, which must fail (default 1)
  --seed N               estate generator seed (default 42)
  --port N               sshd port on every address (default 2222)
  --first-address A      first loopback address (default 127.0.1.1)
  -h, --help             this text

Figures per run: wall time; CPU seconds (user+sys, GNU time rusage of the measured child and every
descendant it reaped: node, local pwsh, ssh clients); peak of the summed RSS of that process tree
(sampled from /proc every 100 ms); round trips per host, counted on the server side (TCP
connections in sshd's log and PowerShell sessions in the subsystem's start script). The sshds and
server-side pwsh are started by this process, not by the measured child, and are not counted.

Every reachable host's snapshot must describe that host (computer name, domain, OS version and
caption from its own description); stopped hosts must fail.

Exit: 0 all good; 1 a target missed at concurrency 16 (0.2 CPU-s per host, 1.5 GiB peak,
exactly 1 round trip per host) by the fanout design, which is what ships; 2 a host failed that
should not have, read another host's data, or a stopped host did not fail; 3 bad usage.
Without pwsh, sshd or ${GNU_TIME} it says what is missing and exits 0.`;

const TARGET = { concurrency: 16, cpuPerHost: 0.2, peakBytes: 1.5 * 1024 ** 3 };

async function main(): Promise<number> {
  let values;
  try {
    ({ values } = parseArgs({
      options: {
        hosts: { type: "string", default: "200" },
        concurrency: { type: "string", default: "1,16,64" },
        designs: { type: "string", default: "fanout" },
        rounds: { type: "string", default: "1" },
        stopped: { type: "string", default: "1" },
        seed: { type: "string", default: "42" },
        port: { type: "string", default: "2222" },
        "first-address": { type: "string", default: "127.0.1.1" },
        help: { type: "boolean", short: "h", default: false },
      },
    }));
  } catch (err) {
    console.error(`${(err as Error).message}\n\n${USAGE}`);
    return 3;
  }
  if (values.help) {
    console.log(USAGE);
    return 0;
  }
  const hosts = Number(values.hosts);
  const concurrencies = values.concurrency.split(",").map(Number);
  const designs = values.designs.split(",") as Design[];
  const rounds = Number(values.rounds);
  const stopped = Number(values.stopped);
  const bad =
    !Number.isInteger(hosts) || hosts < 1 || concurrencies.some((c) => !Number.isInteger(c) || c < 1) ||
    designs.some((d) => d !== "fanout") || !(rounds >= 1) || !(stopped >= 0 && stopped < hosts);
  if (bad) {
    console.error(`bad option value\n\n${USAGE}`);
    return 3;
  }
  const pwsh = findPwsh();
  const sshd = findSshd();
  const missing = [pwsh ? "" : "pwsh (PowerShell 7 on PATH or NODE_POWERSHELL)", sshd ? "" : "sshd (openssh-server)", existsSync(GNU_TIME) ? "" : `${GNU_TIME} (apt-get install time)`].filter((m) => m);
  if (missing.length > 0 || pwsh === undefined || sshd === undefined) {
    console.log(`live path: skipped: missing ${missing.join(", ")}`);
    return 0;
  }

  const workDir = mkdtempSync(join(tmpdir(), "hostproof-bench-live-"));
  const estate = await startLoopbackSshd(hosts, { sshd, pwsh, port: Number(values.port), firstAddress: values["first-address"] });
  const cleanup = (): void => {
    estate.dispose();
    rmSync(workDir, { recursive: true, force: true });
  };
  process.once("SIGINT", () => {
    cleanup();
    process.exit(130);
  });
  try {
    const planFile = join(workDir, "plan.json");
    const plan = writeSimulatedEstate(estate, Number(values.seed), stopped, planFile);
    for (const h of plan.hosts) if (h.expect === null) await estate.stop(h.address);
    console.log(`${hosts} hosts on ${estate.sshdCount} sshd processes (${plan.hosts[0].address} … ${plan.hosts[hosts - 1].address}, port ${values.port}); ${stopped} stopped before the runs`);
    const runs: RunFigures[] = [];
    let turn = 0;
    for (const c of concurrencies) {
      for (let r = 0; r < rounds; r++) {
        // Alternate which design goes first, so that drift on the machine hits both alike.
        const order = turn++ % 2 === 0 ? designs : [...designs].reverse();
        for (const d of order) {
          const f = await measureRun(estate, plan, planFile, workDir, d, c);
          runs.push(f);
          console.log(line(f, hosts));
        }
      }
    }
    return report(runs, hosts);
  } finally {
    cleanup();
  }
}

const gib = (b: number): string => `${(b / 1024 ** 3).toFixed(2)} GiB`;

function line(f: RunFigures, hosts: number): string {
  const procs = Object.entries(f.peak.processes).map(([k, v]) => `${v} ${k}`).join(", ");
  const trips = (r: { min: number; max: number }): string => (r.min === r.max ? `${r.min}` : `${r.min}..${r.max}`);
  return [
    `${f.design.padEnd(6)} c=${String(f.concurrency).padEnd(3)}`,
    `wall ${f.wallS.toFixed(1)} s`,
    `cpu ${f.cpuS.toFixed(1)} s (${(f.cpuS / hosts).toFixed(3)} s/host)`,
    `peak ${gib(f.peak.rssBytes)} [${procs}]`,
    `round trips: connections ${trips(f.connections)}, sessions ${trips(f.sessions)}`,
    `ok ${f.ok}, expected failures ${f.expectedFailures}, unexpected ${f.unexpected.length}, wrong host ${f.wrongHost.length}`,
  ].join(" | ");
}

function report(runs: readonly RunFigures[], hosts: number): number {
  console.log("\n| design | concurrency | wall s | CPU s | CPU s/host | peak summed RSS | round trips (conn / sessions) | ok / failed as meant / unexpected / wrong host |");
  console.log("| --- | --- | --- | --- | --- | --- | --- | --- |");
  for (const f of runs) {
    const trips = (r: { min: number; max: number }): string => (r.min === r.max ? `${r.min}` : `${r.min}..${r.max}`);
    console.log(`| ${f.design} | ${f.concurrency} | ${f.wallS.toFixed(1)} | ${f.cpuS.toFixed(1)} | ${(f.cpuS / hosts).toFixed(3)} | ${gib(f.peak.rssBytes)} | ${trips(f.connections)} / ${trips(f.sessions)} | ${f.ok} / ${f.expectedFailures} / ${f.unexpected.length} / ${f.wrongHost.length} |`);
  }
  let code = 0;
  for (const f of runs) {
    for (const u of [...f.unexpected, ...f.wrongHost].slice(0, 5)) console.log(`  ${f.design} c=${f.concurrency}: ${u}`);
    for (const n of f.notFailed) console.log(`  ${f.design} c=${f.concurrency}: ${n} was stopped but did not fail`);
    if (f.unexpected.length + f.wrongHost.length + f.notFailed.length + f.strayedSessions > 0) code = 2;
  }
  console.log(`\nTargets at concurrency ${TARGET.concurrency}: ≤ ${TARGET.cpuPerHost} CPU-s/host, peak ≤ ${gib(TARGET.peakBytes)}, exactly 1 round trip per host`);
  for (const f of runs.filter((r) => r.concurrency === TARGET.concurrency)) {
    const checks = [
      `CPU ${(f.cpuS / hosts).toFixed(3)} s/host ${f.cpuS / hosts <= TARGET.cpuPerHost ? "met" : "MISSED"}`,
      `peak ${gib(f.peak.rssBytes)} ${f.peak.rssBytes <= TARGET.peakBytes ? "met" : "MISSED"}`,
      `round trips ${f.connections.min === 1 && f.connections.max === 1 && f.sessions.min === 1 && f.sessions.max === 1 ? "met" : "MISSED"}`,
    ];
    console.log(`  ${f.design}: ${checks.join(", ")}`);
    const missed = checks.some((c) => c.endsWith("MISSED"));
    if (missed && f.design === "fanout" && code === 0) code = 1;
  }
  return code;
}

main().then(
  (code) => process.exit(code),
  (err) => {
    console.error(err);
    process.exit(2);
  },
);
