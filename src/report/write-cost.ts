/**
 * What writing a report costs, by format and for the record itself (issue 20: "measure each
 * format's cost"). A run measures it always (a clock read around each call: a few per slice and
 * format); HOSTPROOF_TIMINGS=1 prints it (costTable), as ESLint's TIMING=1 prints its rules' times.
 *
 * A figure is wall time on the main thread, which is what a run waits for:
 * - own: inside each call to the part (a format's add and finish; for the record, keeping each
 *   slice's snapshots, Cucumber's messages, the run record and the manifest), less the time the
 *   call waited for the background writer (output/write-queue.ts);
 * - wait: a share of every wait for the background writer, wherever the wait was (before each
 *   slice, at the end, inside a format that drains), shared among the parts that handed it files
 *   since the wait before, by their number of files: a small file costs its system calls (open,
 *   write, close, a directory entry) more than its bytes, and nearly all of them are small.
 * It does not include the writer thread's work that ran beside the main thread (on the other core
 * it costs no wall time until it is waited for), nor what the run does between the calls (judging,
 * the digest, drift, the staging folder's swap). A format that gives the event loop a turn
 * (util/turns.ts) is billed for whatever ran in that turn: little in a run, since nothing else is
 * due then but live collection's callbacks.
 */

export interface WriteCost {
  /** The format's name, or RECORD_PART. */
  name: string;
  addMs: number;
  finishMs: number;
  /** Its share of the waits for the background writer. */
  waitMs: number;
  /**
   * Files it handed to the background writer (written, linked or copied there), and their size: a
   * text's length in characters (its UTF-8 bytes only where it is not ASCII), a link's as 0.
   */
  queuedFiles: number;
  queuedBytes: number;
}

/** The record's own part: evidence/ (the snapshots kept), Cucumber's messages, the run record, the manifest. */
export const RECORD_PART = "record";

export interface WriteCosts {
  /** The formats written, in the registry's order. */
  formats: WriteCost[];
  record: WriteCost;
  /**
   * Main-thread time inside the report's writer in all (report/run-writer.ts: each slice, the
   * messages, the end). What the parts above leave of it is its own bookkeeping: the digest, the
   * run record's list of slices, stopping the background writer.
   */
  writerMs: number;
}

export function totalMs(c: WriteCost): number {
  return c.addMs + c.finishMs + c.waitMs;
}

export class WriteLedger {
  private readonly parts = new Map<string, WriteCost>();
  /** Files handed to the background writer since the last wait, by part. */
  private pending = new Map<string, number>();
  /** Every wait so far, so that a call's own time can leave out the waits inside it. */
  private waitedMs = 0;

  /** `now`: the clock, in milliseconds (a test gives its own). */
  constructor(private readonly now: () => number = () => performance.now()) {}

  part(name: string): WriteCost {
    let c = this.parts.get(name);
    if (c === undefined) {
      c = { name, addMs: 0, finishMs: 0, waitMs: 0, queuedFiles: 0, queuedBytes: 0 };
      this.parts.set(name, c);
    }
    return c;
  }

  /** One file (or link, or copy: `bytes` 0) handed to the background writer by `name`. */
  queued(name: string, bytes: number): void {
    const c = this.part(name);
    c.queuedFiles += 1;
    c.queuedBytes += bytes;
    this.pending.set(name, (this.pending.get(name) ?? 0) + 1);
  }

  /** Runs `work` as `name`'s add or finish, billing it the time less the waits inside it. */
  async time<T>(name: string, phase: "add" | "finish", work: () => Promise<T> | T): Promise<T> {
    const started = this.now();
    const waitedBefore = this.waitedMs;
    try {
      return await work();
    } finally {
      this.bill(name, phase, started, waitedBefore);
    }
  }

  /** `time` for synchronous work (a message line), which must not become a promise. */
  timeSync<T>(name: string, phase: "add" | "finish", work: () => T): T {
    const started = this.now();
    const waitedBefore = this.waitedMs;
    try {
      return work();
    } finally {
      this.bill(name, phase, started, waitedBefore);
    }
  }

  private bill(name: string, phase: "add" | "finish", started: number, waitedBefore: number): void {
    const own = this.now() - started - (this.waitedMs - waitedBefore);
    const c = this.part(name);
    if (phase === "add") c.addMs += own;
    else c.finishMs += own;
  }

  /**
   * A wait for the background writer (its drain), shared among the parts whose files it waited
   * for. With no file handed over since the last wait there was nothing to wait for: the call's
   * few microseconds stay with its caller.
   */
  async wait(drain: () => Promise<void>): Promise<void> {
    const started = this.now();
    try {
      await drain();
    } finally {
      const ms = this.now() - started;
      let files = 0;
      for (const n of this.pending.values()) files += n;
      if (files > 0) {
        for (const [name, n] of this.pending) this.part(name).waitMs += (ms * n) / files;
        this.waitedMs += ms;
        this.pending = new Map();
      }
    }
  }

  /** The parts named, in that order (one that did nothing yet reads as zeros). */
  costs(names: readonly string[]): WriteCost[] {
    return names.map((n) => ({ ...this.part(n) }));
  }
}

/** The table's last two rows: the writer's own work, and its time in all. */
export const BOOKKEEPING_ROW = "bookkeeping";
export const WRITING_ROW = "writing";

const COLUMNS = ["part", "add s", "finish s", "wait s", "total s", "share", "queued files", "queued MB"] as const;

/**
 * The table HOSTPROOF_TIMINGS=1 prints: a row per format, the record, and the writer's own
 * bookkeeping, with each one's share of the writer's time. bench/run.ts reads it back (parseCostTable).
 */
export function costTable(costs: WriteCosts): string {
  const s = (ms: number): string => (ms / 1000).toFixed(2);
  const share = (ms: number): string => (costs.writerMs > 0 ? `${((100 * ms) / costs.writerMs).toFixed(0)}%` : "-");
  const parts = [...costs.formats, costs.record];
  const accounted = parts.reduce((n, c) => n + totalMs(c), 0);
  const other = Math.max(0, costs.writerMs - accounted);
  const rows: string[][] = [
    [...COLUMNS],
    ...parts.map((c) => [c.name, s(c.addMs), s(c.finishMs), s(c.waitMs), s(totalMs(c)), share(totalMs(c)), String(c.queuedFiles), (c.queuedBytes / 1e6).toFixed(1)]),
    [BOOKKEEPING_ROW, "-", "-", "-", s(other), share(other), "-", "-"],
    [WRITING_ROW, "-", "-", "-", s(costs.writerMs), share(costs.writerMs), "-", "-"],
  ];
  const widths = COLUMNS.map((_, c) => Math.max(...rows.map((r) => r[c]!.length)));
  const lines = rows.map((r) => `  ${r.map((cell, c) => (c === 0 ? cell.padEnd(widths[c]!) : cell.padStart(widths[c]!))).join("  ")}`);
  return [`hostproof: ${COST_HEADING}`, ...lines].join("\n");
}

export const COST_HEADING = "what writing the report cost (HOSTPROOF_TIMINGS; main-thread seconds):";

/** The rows of costTable's text found in `text` (a run's stderr), by part: total milliseconds, to the 10 the table shows. */
export function parseCostTable(text: string): Map<string, number> | undefined {
  const at = text.lastIndexOf(COST_HEADING);
  if (at < 0) return undefined;
  const rows = new Map<string, number>();
  for (const line of text.slice(at).split("\n").slice(2)) {
    const cells = /^ {2}(\S+) +(\S+) +(\S+) +(\S+) +([\d.]+) /.exec(line);
    if (cells === null) break;
    rows.set(cells[1]!, Number(cells[5]) * 1000);
    if (cells[1] === WRITING_ROW) break;
  }
  return rows;
}
