/** The real CLI as a child process a test can watch, pause and signal while it runs. */
import assert from "node:assert/strict";
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { BIN, ROOT } from "../e2e/cli";

export interface Ended {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

export interface RunningCli {
  child: ChildProcess;
  /** What it has written to stderr so far. */
  stderr(): string;
  exit: Promise<Ended>;
}

export function startCli(args: string[], cwd: string = ROOT): RunningCli {
  const child = spawn(process.execPath, [BIN, ...args], { cwd, env: { ...process.env, NO_COLOR: "1" }, stdio: ["ignore", "pipe", "pipe"] });
  let stdout = "";
  let stderr = "";
  child.stdout!.on("data", (c: Buffer) => (stdout += c.toString("utf8")));
  child.stderr!.on("data", (c: Buffer) => (stderr += c.toString("utf8")));
  const exit = new Promise<Ended>((resolve) => child.on("close", (code, signal) => resolve({ code, signal, stdout, stderr })));
  return { child, stderr: () => stderr, exit };
}

/**
 * Polls `probe` until it returns a value; fails with `what` if one of `running` ends first. A wait
 * for a condition, never for a duration (the bound only stops a test that would hang).
 */
export async function until<T>(what: string, probe: () => T | undefined, ...running: RunningCli[]): Promise<T> {
  let ended: string | undefined;
  for (const r of running) void r.exit.then((e) => (ended ??= `exit ${e.code}: ${e.stderr}`));
  for (let i = 0; ; i++) {
    const value = probe();
    if (value !== undefined) return value;
    if (ended !== undefined) assert.fail(`a process ended before ${what} (${ended})`);
    if (i > 6000) assert.fail(`gave up waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

/** A pid that certainly ran and certainly no longer does: a child that has exited and been reaped. */
export function exitedPid(): number {
  return Number(spawnSync(process.execPath, ["-e", "process.stdout.write(String(process.pid))"], { encoding: "utf8" }).stdout);
}
