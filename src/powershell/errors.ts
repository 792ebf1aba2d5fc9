/**
 * Why an invocation failed, as classes a collector can branch on.
 *
 * No message here ever includes the script, its stdout or its stderr: scripts will carry
 * credentials and host secrets, and error messages end up in logs and reports. PowerShell's own
 * error records quote the failing source line, so even stderr is as sensitive as the script.
 * Messages say what happened, which executable (and where it came from), and what to do.
 */
import type { ExecutableSource } from "./find";

export const INSTALL_HINT =
  "install it (https://learn.microsoft.com/powershell/scripting/install/installing-powershell-on-linux, " +
  "or `dotnet tool install --global PowerShell`), or set NODE_POWERSHELL to its path";

/** Base class, so callers can tell "PowerShell failed" from bugs with one instanceof. */
export class PowerShellError extends Error {
  constructor(message: string) {
    super(message);
    this.name = new.target.name;
  }
}

/** Where the executable came from, for messages: "/opt/pwsh (from NODE_POWERSHELL)". */
export function describeExecutable(path: string, source: ExecutableSource): string {
  return source === "PATH" ? `${path} (found on PATH)` : `${path} (from ${source})`;
}

/** pwsh could not be found or started. Nothing ran. */
export class PowerShellMissingError extends PowerShellError {
  constructor(
    readonly executable: string | undefined,
    readonly source: ExecutableSource,
    /** The spawn error code, e.g. ENOENT or EACCES; undefined when PATH had no pwsh at all. */
    readonly code?: string,
  ) {
    const where =
      executable === undefined
        ? "was not found on PATH"
        : code === undefined || code === "ENOENT"
          ? `was not found at ${describeExecutable(executable, source)}`
          : `at ${describeExecutable(executable, source)} could not be started (${code})`;
    super(`PowerShell 7 (pwsh) ${where}: ${INSTALL_HINT}`);
  }
}

/**
 * The script did not finish within the session's timeout. The shell it ran in has been killed
 * (PowerShell cannot cancel a running command from stdin), so session state is gone too.
 */
export class PowerShellTimeoutError extends PowerShellError {
  constructor(readonly timeoutMs: number) {
    super(`PowerShell did not finish the script within ${timeoutMs} ms; its shell was stopped and the next script gets a new one`);
  }
}

/** The pwsh process ended while a script ran (a crash, a kill, or the script calling `exit`). */
export class PowerShellCrashedError extends PowerShellError {
  constructor(
    readonly exitCode: number | null,
    readonly signal: string | null,
  ) {
    const how =
      exitCode !== null ? `with exit code ${exitCode}` : signal !== null ? `on signal ${signal}` : "(exit code 0 or SIGTERM)";
    super(`the PowerShell process exited ${how} while running the script (a script that calls \`exit\` does this); the next script gets a new shell`);
  }
}

/** The script printed more than the session allows; its shell was killed to stop it. */
export class PowerShellOutputTooLargeError extends PowerShellError {
  constructor(readonly limitBytes: number) {
    super(`PowerShell printed more than ${limitBytes} bytes for one script; its shell was stopped. Return less (filter with Select-Object, or ConvertTo-Json -Compress) or raise maxOutputBytes`);
  }
}

/** invoke() after, or during, dispose(). */
export class PowerShellDisposedError extends PowerShellError {
  constructor() {
    super("the PowerShell session was disposed; start a new one");
  }
}
