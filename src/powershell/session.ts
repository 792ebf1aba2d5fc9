/**
 * A long-lived PowerShell for running many scripts, one at a time, where no failure of pwsh can
 * take the Node process down or poison later scripts:
 * - the process starts on the first invoke (a shell nobody invokes is never spawned);
 * - a timeout, a crash or runaway output kills that shell; the next invoke starts a fresh one;
 * - a shell that died while idle is replaced before the script is sent (nothing ran, so no harm);
 * - stderr text is returned, not thrown: warnings and non-terminating errors are normal;
 * - concurrent invokes queue here, because one shell runs one command at a time.
 * Every script runs in its own scope in the shared process: variables do not carry over, but
 * loaded modules, $env: changes and the working directory do. A new shell loses all of it.
 */
import { performance } from "node:perf_hooks";
import {
  PowerShellCrashedError,
  PowerShellDisposedError,
  PowerShellMissingError,
  PowerShellOutputTooLargeError,
  PowerShellTimeoutError,
} from "./errors";
import { resolvePwsh, type ResolvedExecutable } from "./find";
import { encodeInvocation } from "./invocation";
import { Shell, type RunResult } from "./shell";

export interface PowerShellSessionOptions {
  /** pwsh to run (a path, or a name looked up on PATH). Default: NODE_POWERSHELL, then pwsh on PATH. */
  executable?: string;
  /** Per script, counted from when it leaves the queue; includes starting a new shell (pwsh takes ~0.5-3 s). */
  invocationTimeoutMs: number;
  /** Environment for finding pwsh and for the pwsh process. Default: process.env. */
  env?: NodeJS.ProcessEnv;
  /** Cap on stdout + stderr bytes per script. node-powershell buffers it all and re-copies it per chunk. */
  maxOutputBytes?: number;
}

export interface InvokeOutcome {
  /** What the script printed to stdout, trimmed of leading/trailing spaces and line breaks. */
  stdout: string;
  /** Error records and warning/verbose/debug/information lines, trimmed likewise. May quote the script. */
  stderr: string;
  durationMs: number;
}

export const DEFAULT_MAX_OUTPUT_BYTES = 16 * 1024 * 1024;

type Attempt = RunResult | { kind: "timeout" } | { kind: "too-large" };

export class PowerShellSession {
  private shell: { shell: Shell; executable: ResolvedExecutable } | undefined;
  /** The tail of the invoke queue; never rejects. */
  private queue: Promise<unknown> = Promise.resolve();
  private readonly stopping = new Set<Promise<void>>();
  private disposing: Promise<void> | undefined;

  private constructor(
    private readonly options: Required<Omit<PowerShellSessionOptions, "executable">> & { executable?: string },
  ) {}

  /** Nothing is spawned until the first invoke. */
  static start(options: PowerShellSessionOptions): PowerShellSession {
    const { invocationTimeoutMs, maxOutputBytes = DEFAULT_MAX_OUTPUT_BYTES } = options;
    if (!Number.isFinite(invocationTimeoutMs) || invocationTimeoutMs <= 0) {
      throw new RangeError(`invocationTimeoutMs must be a positive number of milliseconds, got ${invocationTimeoutMs}`);
    }
    if (!Number.isFinite(maxOutputBytes) || maxOutputBytes <= 0) {
      throw new RangeError(`maxOutputBytes must be a positive number, got ${maxOutputBytes}`);
    }
    return new PowerShellSession({ ...options, env: options.env ?? process.env, maxOutputBytes });
  }

  /**
   * Runs `script` (any PowerShell, multi-line included) after every earlier invoke has settled.
   * Rejects only with the PowerShellError subclasses in ./errors.
   */
  invoke(script: string): Promise<InvokeOutcome> {
    const result = this.queue.then(() => this.run(script));
    this.queue = result.catch(() => undefined);
    return result;
  }

  /** Stops the shell and waits for it to exit. Idempotent; queued invokes reject as disposed. */
  dispose(): Promise<void> {
    this.disposing ??= (async () => {
      this.retire();
      await this.queue;
      await Promise.all(this.stopping);
    })();
    return this.disposing;
  }

  private async run(script: string): Promise<InvokeOutcome> {
    if (this.disposing) throw new PowerShellDisposedError();
    const command = encodeInvocation(script);
    const started = performance.now();
    const deadline = started + this.options.invocationTimeoutMs;
    for (let attempt = 1; ; attempt++) {
      const current = (this.shell ??= this.spawn());
      const outcome = await this.attempt(current.shell, command, deadline - performance.now());
      if (outcome.kind === "done") return { stdout: outcome.stdout, stderr: outcome.stderr, durationMs: Math.round(performance.now() - started) };
      this.retire(current.shell);
      if (this.disposing) throw new PowerShellDisposedError();
      // Died while idle: the script was never written, so sending it to a new shell is safe.
      if (outcome.kind === "dead-before-run" && attempt === 1) continue;
      throw this.failure(outcome, current.executable);
    }
  }

  private failure(outcome: Exclude<Attempt, { kind: "done" }>, executable: ResolvedExecutable): Error {
    switch (outcome.kind) {
      case "timeout":
        return new PowerShellTimeoutError(this.options.invocationTimeoutMs);
      case "too-large":
        return new PowerShellOutputTooLargeError(this.options.maxOutputBytes);
      case "spawn-failed":
        return new PowerShellMissingError(executable.path, executable.source, outcome.code);
      case "exited":
        return new PowerShellCrashedError(outcome.exitCode, outcome.signal);
      case "dead-before-run":
        return new PowerShellCrashedError(null, null);
    }
  }

  /** One try on one shell, bounded by the time left and the output cap. */
  private attempt(shell: Shell, command: string, msLeft: number): Promise<Attempt> {
    return new Promise<Attempt>((resolve, reject) => {
      let bytes = 0;
      const timer = setTimeout(() => resolve({ kind: "timeout" }), Math.max(0, msLeft));
      const onOutput = (n: number) => {
        bytes += n;
        if (bytes > this.options.maxOutputBytes) resolve({ kind: "too-large" });
      };
      // Once the timer or the cap has resolved, the shell is killed and run() settles late: ignored.
      shell
        .run(command, onOutput)
        .then(resolve, reject)
        .finally(() => clearTimeout(timer));
    });
  }

  private spawn(): { shell: Shell; executable: ResolvedExecutable } {
    const executable = resolvePwsh(this.options.executable, this.options.env);
    if (executable === undefined) throw new PowerShellMissingError(undefined, "PATH");
    return { shell: new Shell(executable.path, this.options.env), executable };
  }

  /** Kills `shell` (default: the current one) in the background; dispose() waits for it. */
  private retire(shell: Shell | undefined = this.shell?.shell): void {
    if (shell === undefined) return;
    if (this.shell?.shell === shell) this.shell = undefined;
    const stopped = shell.stop();
    this.stopping.add(stopped);
    void stopped.finally(() => this.stopping.delete(stopped));
  }
}
