/**
 * Child processes this process has running, so that an interrupt can stop them.
 *
 * Allure's Java runs in a process group of its own (allure-html.ts: so that a timeout can stop
 * the JVM the launcher started). A terminal's Ctrl-C signals only the foreground process group,
 * so Java never hears it, and a SIGTERM sent to hostproof alone reaches no child at all: the
 * interrupt handler has to stop them itself.
 */
import { rmSync } from "node:fs";
import { descendants, killTreeWindows, signalAll } from "../powershell/process-tree";

interface Tracked {
  pid: number;
  /** What the user knows it as, for the "stopped …" message. */
  label: string;
  /** Leader of its own process group (spawned with detached: true on POSIX). */
  group: boolean;
  /** A small temporary folder of the child's, removed once it is stopped (its scripts, its list of hosts). */
  cleanup?: string;
}

const running = new Set<Tracked>();

/** Lists a child; call the returned function once it has exited. */
export function trackChild(pid: number, label: string, group: boolean, cleanup?: string): () => void {
  const entry: Tracked = { pid, label, group, ...(cleanup !== undefined ? { cleanup } : {}) };
  running.add(entry);
  return () => {
    running.delete(entry);
  };
}

/**
 * SIGKILLs every listed child with everything below it, synchronously (it runs in a signal
 * handler right before process.exit), and returns their labels. SIGKILL, not SIGTERM: nothing a
 * half-made report generator could still do is worth waiting for.
 */
export function stopAllChildren(): string[] {
  const stopped: string[] = [];
  for (const child of running) {
    if (process.platform === "win32") killTreeWindows(child.pid);
    else if (child.group) signalAll([-child.pid], "SIGKILL");
    else signalAll([...descendants(child.pid), child.pid], "SIGKILL");
    if (child.cleanup !== undefined) rmSync(child.cleanup, { recursive: true, force: true, maxRetries: 3 });
    stopped.push(child.label);
  }
  running.clear();
  return stopped;
}
