/**
 * A long-running child (Allure's Java, the pwsh that reads hosts) started through a guardian that
 * stops it, with everything it started, once hostproof is gone.
 *
 * A SIGKILL (the OOM killer, a CI runner's hard stop, `kill -9`) runs no handler in hostproof, so
 * cli/interrupt.ts cannot stop the children, and they went on: Allure's Java (in a process group
 * of its own) finished its report into the staging folder after the next run had swept it away,
 * which brought the folder back; the pwsh of `collect` went on opening ssh sessions to every host
 * of the estate for nobody, and its temporary folder stayed in the system's temp folder.
 *
 * The guardian is this file run by Node: `node guardian.js <folder|-> <command> <args…>`. Its stdin
 * is a pipe from hostproof, never written to; when hostproof ends, however it ends, the kernel
 * closes the pipe, and the guardian kills every process below it and removes `<folder>` (the
 * child's temporary files; `-` for none). It exits as its child exits, with the child's code.
 */
import { spawn } from "node:child_process";
import { rmSync } from "node:fs";
import { join } from "node:path";
import { descendants, killTreeWindows, signalAll } from "../powershell/process-tree";
import { PACKAGE_ROOT } from "../package-root";

/**
 * The guardian's compiled script. From dist/ it is the file beside this one; from src/ (the tests,
 * through tsx) the compiled one in dist/, which `npm test` builds first.
 */
function guardianScript(): string {
  return __filename.endsWith(".js") ? join(__dirname, "guardian.js") : join(PACKAGE_ROOT, "dist", "src", "util", "guardian.js");
}

/**
 * The command and arguments that run `command args` under a guardian. Spawn them with a piped
 * stdin (stdio[0] "pipe") that is never ended: its end is the signal. `cleanup`: a folder the
 * guardian removes when it stops the child.
 */
export function guarded(command: string, args: readonly string[], cleanup?: string): { command: string; args: string[] } {
  return { command: process.execPath, args: [guardianScript(), cleanup ?? "-", command, ...args] };
}

function main([cleanup, command, ...args]: string[]): void {
  if (cleanup === undefined || command === undefined) {
    process.stderr.write("usage: guardian <folder to remove | -> <command> [args...]\n");
    process.exit(2);
  }
  const child = spawn(command, args, { stdio: ["ignore", "inherit", "inherit"], windowsHide: true });
  const stop = (): void => {
    if (process.platform === "win32") {
      if (child.pid !== undefined) killTreeWindows(child.pid);
    } else signalAll(descendants(process.pid), "SIGKILL");
    if (cleanup !== "-") rmSync(cleanup, { recursive: true, force: true, maxRetries: 3 });
    process.exit(1);
  };
  process.stdin.on("end", stop);
  process.stdin.on("error", stop);
  process.stdin.resume();
  child.on("error", (error) => {
    process.stderr.write(`${error.message}\n`);
    process.exit(1);
  });
  child.on("exit", (code, signal) => {
    if (signal !== null) process.kill(process.pid, signal);
    else process.exit(code ?? 1);
  });
}

if (require.main === module) main(process.argv.slice(2));
