/**
 * What the benches share to time one hostproof process: the median of paired rounds, and a CLI
 * child under GNU time (its wall time and %M, the peak RSS of that process) with its process tree
 * sampled from /proc every 100 ms; and what a process left on disk.
 */
import { spawn } from "node:child_process";
import { closeSync, existsSync, lstatSync, openSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { join, resolve } from "node:path";
import { watchTree } from "./live/sample";

export const ROOT = resolve(__dirname, "..");
export const CLI = join(ROOT, "bin", "hostproof.js");
export const GNU_TIME = "/usr/bin/time";

export interface Figures {
  exitCode: number | null;
  wallSeconds: number;
  /** GNU time's %M: the largest single process (node, or Allure's Java), not their sum. */
  peakRssKiB: number | null;
  /** Peak of the summed RSS of its process tree, sampled from /proc. */
  peakTreeKiB: number | null;
}

export function median(values: readonly number[]): number {
  const v = [...values].sort((a, b) => a - b);
  if (v.length === 0) return NaN;
  const mid = Math.floor(v.length / 2);
  return v.length % 2 === 1 ? v[mid]! : (v[mid - 1]! + v[mid]!) / 2;
}

/** GNU time appends "%M %e" as the last line; an earlier line may say the command failed. */
export function readGnuTime(file: string): { rssKiB: number; seconds: number } | null {
  if (!existsSync(file)) return null;
  const last = readFileSync(file, "utf8").trim().split("\n").pop() ?? "";
  const match = /^(\d+) ([\d.]+)$/.exec(last.trim());
  return match ? { rssKiB: Number(match[1]), seconds: Number(match[2]) } : null;
}

/** The disk's dirty pages written before the clock starts, so that one step's writes are not billed to the next. */
export async function sync(): Promise<void> {
  await new Promise<void>((done) => spawn("sync", { stdio: "ignore" }).once("close", () => done()).once("error", () => done()));
}

/**
 * One CLI process, timed; its output goes to `logFile` (appended, one log per size, unless `logMode`
 * is "w"), never the terminal: a terminal report of 10,000 hosts is not the point. `env` adds to
 * the environment (HOSTPROOF_TIMINGS=1 makes a run print what each format cost).
 */
export async function cli(args: string[], logFile: string, timeFile: string, options: { env?: Record<string, string>; logMode?: "a" | "w" } = {}): Promise<Figures> {
  rmSync(timeFile, { force: true });
  const useGnuTime = existsSync(GNU_TIME);
  const log = openSync(logFile, options.logMode ?? "a");
  const started = process.hrtime.bigint();
  const cliArgs = [CLI, ...args];
  const env = { ...process.env, CI: "1", ...options.env };
  const child = useGnuTime
    ? spawn(GNU_TIME, ["-o", timeFile, "-f", "%M %e", process.execPath, ...cliArgs], { cwd: ROOT, stdio: ["ignore", log, log], env })
    : spawn(process.execPath, cliArgs, { cwd: ROOT, stdio: ["ignore", log, log], env });
  // The whole tree: Allure's Java runs beside node, and GNU time's %M sees only the larger one.
  const tree = process.platform === "linux" && child.pid !== undefined ? watchTree(child.pid, 100) : undefined;
  const status = await new Promise<number | null>((done) => child.once("close", (code) => done(code)));
  const treePeak = tree?.stop();
  const measured = Number(process.hrtime.bigint() - started) / 1e9;
  closeSync(log);
  const gnu = useGnuTime ? readGnuTime(timeFile) : null;
  return { exitCode: status, wallSeconds: gnu?.seconds ?? measured, peakRssKiB: gnu?.rssKiB ?? null, peakTreeKiB: treePeak === undefined ? null : Math.round(treePeak.rssBytes / 1024) };
}

/**
 * Bytes and files under `path`, a file with several links counted once (by device and inode): the
 * bytes on disk, which is what a CI artifact store or an auditor's copy carries.
 */
export function footprint(path: string, seen: Set<string> = new Set()): { bytes: number; files: number } {
  const st = lstatSync(path);
  if (!st.isDirectory()) {
    const key = `${st.dev}:${st.ino}`;
    const first = !seen.has(key);
    seen.add(key);
    return { bytes: first ? st.size : 0, files: 1 };
  }
  let bytes = 0;
  let files = 0;
  for (const e of readdirSync(path)) {
    const f = footprint(join(path, e), seen);
    bytes += f.bytes;
    files += f.files;
  }
  return { bytes, files };
}
