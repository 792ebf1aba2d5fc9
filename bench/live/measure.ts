/**
 * One measured run: bench/live/collect.ts as a child process under GNU time, its tree sampled for
 * memory, and the sshd side's logs read before and after for the round trips each host cost.
 * The sshds belong to the caller's process, not to this child, so none of the target side is in
 * the figures.
 */
import { spawn } from "node:child_process";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import type { LoopbackEstate } from "../../test/ssh/loopback-sshd";
import type { CollectResult, Design } from "./collect";
import type { LivePlan } from "./estate";
import { parseGnuTime, watchTree, type TreeSample } from "./sample";

export const GNU_TIME = "/usr/bin/time";

export interface RunFigures {
  design: Design;
  concurrency: number;
  wallS: number;
  /** user + system seconds of the child and every descendant it waited for */
  cpuS: number;
  peak: TreeSample;
  /** per reachable host: TCP connections its address accepted during the run (sshd log) */
  connections: { min: number; max: number };
  /** per reachable host: remote PowerShell sessions started during the run (start.ps1 log) */
  sessions: { min: number; max: number };
  /** sessions started on hosts that were stopped (must be 0) */
  strayedSessions: number;
  ok: number;
  expectedFailures: number;
  /** hosts that failed though they should not have, with the first reason */
  unexpected: string[];
  /** hosts whose snapshot describes another host */
  wrongHost: string[];
  /** stopped hosts that did not fail */
  notFailed: string[];
}

export async function measureRun(
  estate: LoopbackEstate,
  plan: LivePlan,
  planFile: string,
  workDir: string,
  design: Design,
  concurrency: number,
): Promise<RunFigures> {
  const out = join(workDir, `result-${design}-${concurrency}.json`);
  const timeFile = join(workDir, `time-${design}-${concurrency}.txt`);
  const connBefore = estate.connections();
  const sessBefore = estate.sessions();
  const t0 = performance.now();
  const child = spawn(
    GNU_TIME,
    ["-f", "%U %S %M %e", "-o", timeFile, process.execPath, "--import", "tsx", join(__dirname, "collect.ts"),
      "--plan", planFile, "--design", design, "--concurrency", String(concurrency), "--out", out],
    // The estate's ssh on PATH checks the hosts' real keys (the driver passes no host-key options).
    { env: { ...process.env, TERM: "dumb" }, stdio: ["ignore", "inherit", "inherit"] },
  );
  const watcher = watchTree(child.pid ?? -1, 100);
  const code = await new Promise<number | null>((resolve, reject) => {
    child.once("error", reject);
    child.once("exit", (c) => resolve(c));
  });
  const peak = watcher.stop();
  const wallS = (performance.now() - t0) / 1000;
  if (code !== 0) throw new Error(`the ${design} run at concurrency ${concurrency} exited ${code}`);
  const time = parseGnuTime(readFileSync(timeFile, "utf8"));
  if (time === undefined) throw new Error(`GNU time wrote nothing readable to ${timeFile}`);
  const result = JSON.parse(readFileSync(out, "utf8")) as CollectResult;

  const connAfter = estate.connections();
  const sessAfter = estate.sessions();
  const delta = (before: Map<string, number>, after: Map<string, number>, a: string): number => (after.get(a) ?? 0) - (before.get(a) ?? 0);
  const reachable = plan.hosts.filter((h) => h.expect !== null);
  const conns = reachable.map((h) => delta(connBefore, connAfter, h.address));
  const sess = reachable.map((h) => delta(sessBefore, sessAfter, h.address));
  const figures: RunFigures = {
    design,
    concurrency,
    wallS,
    cpuS: time.userS + time.sysS,
    peak,
    connections: { min: Math.min(...conns), max: Math.max(...conns) },
    sessions: { min: Math.min(...sess), max: Math.max(...sess) },
    strayedSessions: plan.hosts.filter((h) => h.expect === null).reduce((n, h) => n + delta(sessBefore, sessAfter, h.address), 0),
    ok: 0,
    expectedFailures: 0,
    unexpected: [],
    wrongHost: [],
    notFailed: [],
  };
  const byHost = new Map(result.hosts.map((h) => [h.host, h]));
  for (const h of plan.hosts) {
    const got = byHost.get(h.host);
    if (h.expect === null) {
      if (got?.failure !== undefined) figures.expectedFailures++;
      else figures.notFailed.push(h.host);
    } else if (got === undefined || got.failure !== undefined || got.identity === undefined) {
      figures.unexpected.push(`${h.host}: ${got?.failure ?? "no result"}`);
    } else if (JSON.stringify(got.identity) !== JSON.stringify(h.expect)) {
      figures.wrongHost.push(`${h.host}: got ${JSON.stringify(got.identity)}, expected ${JSON.stringify(h.expect)}`);
    } else {
      figures.ok++;
    }
  }
  return figures;
}
