/**
 * Memory and CPU of one process tree on Linux.
 *
 * Memory: every `intervalMs` the tree below a root pid is found from /proc/<pid>/stat (ppid) and
 * the resident set sizes of all its processes are summed; the peak of that sum is reported, with
 * which commands made it up. A summed RSS counts pages the processes share (the .NET runtime
 * mapped into every pwsh) once per process: it over-states, never under-states, the tree's memory.
 * A process that lives shorter than one interval can be missed; the long-lived ones (node, pwsh)
 * are what the peak is made of.
 *
 * CPU: GNU time's %U and %S, the rusage of the measured child including every descendant that was
 * waited for (pwsh reaps its ssh clients, Node its pwsh), which sampling could not see whole.
 */
import { readdirSync, readFileSync } from "node:fs";

const PAGE_BYTES = 4096;

interface Proc {
  ppid: number;
  comm: string;
  rssBytes: number;
}

function readProcs(): Map<number, Proc> {
  const procs = new Map<number, Proc>();
  for (const entry of readdirSync("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, "utf8");
      const close = stat.lastIndexOf(")");
      const comm = stat.slice(stat.indexOf("(") + 1, close);
      // Fields after the command: state(3) ppid(4) … rss(24), counted from 3 here.
      const rest = stat.slice(close + 2).split(" ");
      procs.set(Number(entry), { ppid: Number(rest[1]), comm, rssBytes: Number(rest[21]) * PAGE_BYTES });
    } catch {
      // Gone while we looked.
    }
  }
  return procs;
}

export interface TreeSample {
  rssBytes: number;
  /** command name → how many processes of it */
  processes: Record<string, number>;
}

export function sampleTree(root: number): TreeSample {
  const procs = readProcs();
  const children = new Map<number, number[]>();
  for (const [pid, p] of procs) children.set(p.ppid, [...(children.get(p.ppid) ?? []), pid]);
  const sample: TreeSample = { rssBytes: 0, processes: {} };
  const queue = [root];
  while (queue.length > 0) {
    const pid = queue.shift() as number;
    const p = procs.get(pid);
    if (p !== undefined) {
      sample.rssBytes += p.rssBytes;
      sample.processes[p.comm] = (sample.processes[p.comm] ?? 0) + 1;
    }
    queue.push(...(children.get(pid) ?? []));
  }
  return sample;
}

/** Samples the tree below `root` until stop() is called; stop() returns the peak sample. */
export function watchTree(root: number, intervalMs: number): { stop(): TreeSample } {
  let peak: TreeSample = { rssBytes: 0, processes: {} };
  const tick = (): void => {
    const s = sampleTree(root);
    if (s.rssBytes > peak.rssBytes) peak = s;
  };
  const timer = setInterval(tick, intervalMs);
  tick();
  return {
    stop() {
      clearInterval(timer);
      return peak;
    },
  };
}

/** GNU time's `-f '%U %S %M %e'` output: user s, system s, max RSS of one process (KiB), wall s. */
export function parseGnuTime(text: string): { userS: number; sysS: number; maxOneKiB: number; wallS: number } | undefined {
  const m = /(\d+(?:\.\d+)?) (\d+(?:\.\d+)?) (\d+) (\d+(?:\.\d+)?)\s*$/.exec(text.trim());
  if (m === null) return undefined;
  return { userS: Number(m[1]), sysS: Number(m[2]), maxOneKiB: Number(m[3]), wallS: Number(m[4]) };
}
