/**
 * One pwsh process driven by node-powershell, with the library's sharp edges filed off. Policy
 * (queueing, timeouts, restarts, error classes) lives in session.ts; this file only knows how to
 * start, run one command, watch output size and stop.
 *
 * How node-powershell 5 / child-shell 5 talk to pwsh (read from their dist/*.js):
 * - spawn `<exe> -NoLogo [options] -NoExit -Command -`, stdio pipes, no shell;
 * - per invoke, write 5 lines to stdin: stderr marker, stdout marker, the command, stderr
 *   marker, stdout marker. A marker line is `[Console]::Error.WriteLine("<16 random chars>")`
 *   (or Out); the random string changes per invoke;
 * - the result is what each stream printed between its two markers, trimmed of spaces/CR/LF.
 *   Both streams are buffered whole in memory and re-copied on every chunk (quadratic: 16 MiB
 *   takes ~1.3 s, 64 MiB ~24 s). The closing marker is only looked for near the end of the
 *   newest chunk, so stray text printed *between* invokes can make the next one miss its
 *   markers and wait for the timeout;
 * - `invocationTimeout` only stops waiting: the command keeps running and the next invoke reads
 *   its leftovers. We keep our own timer and kill the shell instead;
 * - with throwOnInvocationError (the default) any stderr text rejects; we turn that off;
 * - the process's exit promise is only observed by invoke() and dispose(): a shell that fails
 *   to spawn, or dies before its first invoke, is an unhandled rejection. So a Shell is created
 *   only to be invoked in the same tick;
 * - after the process exits, invoke() rejects with InvocationError("invoke called after process
 *   exited") without running anything; an exit mid-command with code 0 or SIGTERM resolves with
 *   no stdout/stderr at all, a non-zero code or other signal rejects with ProcessError;
 * - dispose() drops queued invokes without settling them (their promises hang forever), so we
 *   never queue more than one command in the library.
 */
import type { ChildProcess } from "node:child_process";
import { InvocationError, PowerShell, ProcessError } from "node-powershell";
import { descendants, isAlive, killTreeWindows, signalAll } from "./process-tree";

type InvocationResult = Awaited<ReturnType<PowerShell["invoke"]>>;

/** node-powershell with exactly the executable we resolved (its own lookup lets NODE_POWERSHELL win). */
class PinnedPowerShell extends PowerShell {
  protected override setExecutable({ executable }: { executable?: string }): string {
    if (!executable) throw new Error("PinnedPowerShell needs an executable");
    return executable;
  }

  /** child-shell keeps the ChildProcess private; we need its pid to stop what it started. */
  get pid(): number | undefined {
    return (this as unknown as { process: ChildProcess }).process.pid;
  }
}

/**
 * The environment pwsh runs in. TERM=dumb because pwsh 7.6 started with `-Command -` writes
 * `ESC[?1h ESC[?1l` to stdout around every line it reads from stdin otherwise
 * (PowerShell/PowerShell#26631), which would land inside every result.
 */
export function shellEnvironment(env: NodeJS.ProcessEnv | undefined): NodeJS.ProcessEnv {
  return { ...(env ?? process.env), TERM: "dumb" };
}

/** What became of one command. */
export type RunResult =
  | { kind: "done"; stdout: string; stderr: string }
  /** The process was gone before the command was written: nothing ran, safe to retry. */
  | { kind: "dead-before-run" }
  /** The process ended while the command ran. */
  | { kind: "exited"; exitCode: number | null; signal: string | null }
  | { kind: "spawn-failed"; code: string | undefined };

export class Shell {
  private readonly ps: PinnedPowerShell;
  private stopping: Promise<void> | undefined;

  constructor(executable: string, env: NodeJS.ProcessEnv | undefined) {
    this.ps = new PinnedPowerShell({
      executable,
      // No profile: its output and side effects would land in our first invoke. Non-interactive:
      // Read-Host and credential prompts must fail, not read our marker lines from stdin.
      executableOptions: { "-NoProfile": true, "-NonInteractive": true },
      spawnOptions: { env: shellEnvironment(env) },
      throwOnInvocationError: false,
    });
    // child-shell listens for one stdin 'error' only; a second EPIPE would be an uncaught exception.
    this.ps.streams.stdin.on("error", () => undefined);
  }

  /**
   * Runs one command. Never rejects for PowerShell reasons: every outcome is a RunResult.
   * `onOutput` sees each chunk's byte count, for the session's output cap.
   */
  async run(command: string, onOutput: (bytes: number) => void): Promise<RunResult> {
    const count = (chunk: string | Buffer) => onOutput(Buffer.byteLength(chunk));
    const { stdout, stderr } = this.ps.streams;
    try {
      // invoke() pipes both streams into its readers synchronously, so listening after it misses nothing.
      const pending = this.ps.invoke(command);
      stdout.on("data", count);
      stderr.on("data", count);
      return toRunResult(await pending);
    } catch (error) {
      return fromRejection(error);
    } finally {
      stdout.off("data", count);
      stderr.off("data", count);
      // The library keeps every command and its output forever: a leak, and a copy of secrets.
      this.ps.history.length = 0;
    }
  }

  /**
   * Stops the process and everything below it (a tool launcher's real pwsh, ssh clients):
   * SIGTERM, then SIGKILL for whatever lingers. Idempotent; never rejects.
   */
  stop(graceMs = 2000): Promise<void> {
    this.stopping ??= this.kill(graceMs);
    return this.stopping;
  }

  private async kill(graceMs: number): Promise<void> {
    const pid = this.ps.pid;
    if (pid !== undefined && process.platform === "win32") killTreeWindows(pid);
    // Listed before the first signal: once the launcher dies, its children are re-parented and
    // can no longer be found below it.
    const below = pid === undefined || process.platform === "win32" ? [] : descendants(pid);
    signalAll(below, "SIGTERM");
    // dispose() returns the exit promise, which rejects for any exit but a clean/SIGTERM one.
    const exited = this.ps.dispose("SIGTERM").catch(() => undefined);
    const rootGone = await settlesWithin(exited, graceMs);
    const lingering = below.filter(isAlive);
    signalAll(lingering, "SIGKILL");
    if (!rootGone) await settlesWithin(this.ps.dispose("SIGKILL").catch(() => undefined), graceMs);
  }
}

function toRunResult(result: InvocationResult): RunResult {
  // child-shell leaves stdout/stderr unset when the process exited before the closing markers.
  if (result.stdout === undefined || result.stderr === undefined) return { kind: "exited", exitCode: null, signal: null };
  return { kind: "done", stdout: result.stdout.toString("utf8"), stderr: result.stderr.toString("utf8") };
}

function fromRejection(error: unknown): RunResult {
  if (error instanceof ProcessError) {
    const code = errorCode(error.originalError);
    // A spawn failure arrives as ProcessError wrapping the ENOENT/EACCES from child_process.
    if (code !== undefined) return { kind: "spawn-failed", code };
    return { kind: "exited", exitCode: error.exitCode, signal: error.signalCode };
  }
  if (error instanceof InvocationError) return { kind: "dead-before-run" };
  throw error;
}

function errorCode(error: Error | undefined): string | undefined {
  if (error !== undefined && "code" in error && typeof error.code === "string") return error.code;
  return undefined;
}

async function settlesWithin(promise: Promise<unknown>, ms: number): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<false>((resolve) => {
    timer = setTimeout(() => resolve(false), ms);
  });
  try {
    return await Promise.race([promise.then(() => true), timeout]);
  } finally {
    clearTimeout(timer);
  }
}
