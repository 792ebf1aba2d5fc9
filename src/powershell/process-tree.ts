/**
 * The processes below a pid, so that stopping a shell stops everything it started.
 *
 * Why this is needed: `dotnet tool install --tool-path` writes a launcher that starts the real
 * pwsh as its child, and pwsh's SSH remoting starts one `ssh` child per connection. Signalling
 * only the process we spawned leaves those running after a timeout. node-powershell (child-shell)
 * forces `detached: false`, so the shell cannot get a process group of its own to signal whole;
 * we list its descendants instead and signal each.
 */
import { spawnSync } from "node:child_process";
import { readdirSync, readFileSync } from "node:fs";

/** pid → parent pid of every process we can see; empty when the platform offers no way to tell. */
function parentMap(): Map<number, number> {
  const parents = new Map<number, number>();
  if (process.platform === "linux") {
    for (const entry of readdirSync("/proc")) {
      if (!/^\d+$/.test(entry)) continue;
      try {
        // The command name (field 2) is in parentheses and may hold spaces or ')': the ppid is
        // the second field after the last ')'.
        const stat = readFileSync(`/proc/${entry}/stat`, "utf8");
        const rest = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
        parents.set(Number(entry), Number(rest[1]));
      } catch {
        // The process ended while we looked: it needs no stopping.
      }
    }
    return parents;
  }
  if (process.platform === "win32") return parents;
  const ps = spawnSync("ps", ["-A", "-o", "pid=,ppid="], { encoding: "utf8" });
  for (const line of (ps.stdout ?? "").split("\n")) {
    const [pid, ppid] = line.trim().split(/\s+/).map(Number);
    if (Number.isInteger(pid) && Number.isInteger(ppid)) parents.set(pid as number, ppid as number);
  }
  return parents;
}

/** Every process below `pid`, children before grandchildren. */
export function descendants(pid: number): number[] {
  const parents = parentMap();
  const children = new Map<number, number[]>();
  for (const [child, parent] of parents) {
    const list = children.get(parent);
    if (list) list.push(child);
    else children.set(parent, [child]);
  }
  const found: number[] = [];
  const queue = [pid];
  while (queue.length > 0) {
    for (const child of children.get(queue.shift() as number) ?? []) {
      found.push(child);
      queue.push(child);
    }
  }
  return found;
}

/** Signals each pid, ignoring those already gone. */
export function signalAll(pids: readonly number[], signal: NodeJS.Signals): void {
  for (const pid of pids) {
    try {
      process.kill(pid, signal);
    } catch {
      // ESRCH: it ended on its own.
    }
  }
}

/** On Windows, taskkill stops a whole tree by itself. */
export function killTreeWindows(pid: number): void {
  spawnSync("taskkill", ["/pid", String(pid), "/T", "/F"], { stdio: "ignore", windowsHide: true });
}

/** Whether a process with this pid exists (EPERM: it does, as another user's). */
export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === "EPERM";
  }
}
