/**
 * Worker threads that load and judge slices (engine/judge-worker.ts) while the main thread writes
 * the slices already judged. Loading (reading, parsing and checking a thousand snapshots) and
 * judging are a slice's CPU work that needs nothing of the report; writing must stay in one
 * thread, in estate order. So a run with several slices judges ahead on the other cores.
 *
 * A worker that dies (an uncaught error, out of memory, exited) takes the pool with it: every slice
 * sent or waiting is rejected with what happened, so the run ends as an internal error, never
 * waiting for an answer that cannot come.
 */
import { availableParallelism } from "node:os";
import type { Worker } from "node:worker_threads";
import type { InputProblem } from "../errors";
import { checkedEnv, JUDGE_WORKERS, JUDGE_WORKERS_RANGE } from "../input/env-vars";
import type { LoadedInventory } from "../input/inventory";
import { formatPath } from "../schema/validate";
import { fromWire, unseal, type InventoryHead, type WireJob, type WireOutcome, type WireReply, type WorkerSetup } from "./judge-wire";
import { siblingModule, startModuleWorker } from "./module-worker";
import type { JudgeSetup, SliceJob, SliceOutcome } from "./slice-judge";

/**
 * The most judge workers a run starts (HOSTPROOF_JUDGE_WORKERS's range). Each holds its own
 * Cucumber and a slice, 250-400 MiB at the peak (bench/README.md), and a second already covers a
 * main thread that writes faster than one worker loads and judges.
 */
export const MAX_JUDGE_WORKERS = JUDGE_WORKERS_RANGE.max;

/**
 * HOSTPROOF_JUDGE_WORKERS when set; else a worker per core beyond two, at most MAX_JUDGE_WORKERS.
 * One core is the main thread's, which writes; the second is for the threads the writing hands
 * work to (the write queue's files) and the rest of the machine. On the 2-core reference machine,
 * shared, a worker measured no faster and 250-400 MiB larger than judging in the main thread
 * (bench/README.md, "Judging in worker threads"), which would cost the 1 GiB bound at 100,000 hosts.
 */
export function judgeWorkers(env: NodeJS.ProcessEnv = process.env): number {
  const asked = checkedEnv(JUDGE_WORKERS, env);
  if (asked !== undefined) return Number(asked.trim());
  return Math.max(0, Math.min(MAX_JUDGE_WORKERS, availableParallelism() - 2));
}

/** A judged slice as the main thread receives it: its Cucumber messages as the lines to write. */
export type PooledOutcome = Exclude<SliceOutcome, { kind: "judged" }> | (Extract<SliceOutcome, { kind: "judged" }> & { messages: string });

/** An outcome that is there, opened (deserialized) when it is wanted (engine/judge-wire.ts). */
export interface Sealed<T> {
  open(): T;
}

interface Pending {
  done: (outcome: Sealed<PooledOutcome>) => void;
  fail: (err: Error) => void;
}

interface Thread {
  worker: Worker;
  /** The slice it is judging. */
  busy?: number;
}

export class JudgePool {
  private readonly threads: Thread[] = [];
  /** Slices waiting for a worker, in the order asked. */
  private readonly queue: WireJob[] = [];
  private readonly pending = new Map<number, Pending>();
  private nextId = 0;
  private broken: Error | undefined;
  private closing = false;
  private readonly setup: WorkerSetup;
  private readonly entry: string;

  /** `entry`: the worker's module; tests give one that fails, to see the pool fail cleanly. */
  constructor(
    private readonly loaded: LoadedInventory,
    judge: JudgeSetup,
    private readonly size: number,
    entry?: string,
  ) {
    if (size < 1) throw new Error("a judge pool needs at least one worker");
    this.entry = entry ?? siblingModule("judge-worker");
    const { hosts: _hosts, clusters: _clusters, credentials: _credentials, collection: _collection, ...head } = loaded.inventory;
    const inventory: InventoryHead = head;
    this.setup = { inventoryFile: loaded.file, docFile: loaded.doc.file, inventory, judge };
  }

  /** Loads and judges a slice in a worker; the answer says how it went (engine/slice-judge.ts). */
  judge(job: SliceJob): Promise<Sealed<PooledOutcome>> {
    if (this.broken !== undefined) return Promise.reject(this.broken);
    const inv = this.loaded.inventory;
    const id = (this.nextId += 1);
    const promise = new Promise<Sealed<PooledOutcome>>((done, fail) => this.pending.set(id, { done, fail }));
    this.queue.push({
      id,
      slice: job.slice,
      hosts: job.slice.hosts.map((i) => [i, inv.hosts[i]!]),
      clusters: job.slice.clusters.map((ci) => [ci, inv.clusters![ci]!]),
      collected: job.collected,
      judge: job.judge,
    });
    if (this.threads.length < this.size && this.threads.every((t) => t.busy !== undefined)) this.threads.push(this.start());
    this.feed();
    return promise;
  }

  /** Stops every worker; slices not yet answered are rejected. */
  async close(): Promise<void> {
    this.closing = true;
    this.fail(new Error("the judge pool was closed"));
    await Promise.all(this.threads.splice(0).map((t) => t.worker.terminate()));
  }

  private start(): Thread {
    const worker = startModuleWorker(this.entry, this.setup);
    const thread: Thread = { worker };
    worker.on("message", (reply: WireReply) => {
      const pending = this.pending.get(reply.id);
      thread.busy = undefined;
      if (pending !== undefined) {
        this.pending.delete(reply.id);
        // Opened once; the sealed bytes are let go then, not when the slice is written.
        let held: WireReply | undefined = reply;
        pending.done({
          open: () => {
            const sealed = held!;
            held = undefined;
            return this.received(unseal(sealed));
          },
        });
      }
      this.feed();
    });
    worker.on("error", (err) => this.fail(new Error(`a judge worker thread failed: ${err.stack ?? err.message}`)));
    worker.on("exit", (code) => {
      if (!this.closing) this.fail(new Error(`a judge worker thread stopped unexpectedly (exit code ${code})`));
    });
    return thread;
  }

  /** Each idle worker gets the next slice waiting; a worker keeps the process alive only while it has one. */
  private feed(): void {
    for (const thread of this.threads) {
      if (thread.busy === undefined) {
        const job = this.queue.shift();
        if (job !== undefined) {
          thread.busy = job.id;
          thread.worker.postMessage(job);
        }
      }
      if (thread.busy !== undefined) thread.worker.ref();
      else thread.worker.unref();
    }
  }

  /** The outcome as the run uses it: errors as errors, problems with their lines. */
  private received(outcome: WireOutcome): PooledOutcome {
    switch (outcome.kind) {
      case "failed":
        return { kind: "failed", stage: outcome.stage, error: fromWire(outcome.error) };
      case "problems":
        return { kind: "problems", problems: this.withLines(outcome.problems, outcome.asked) };
      default:
        return outcome;
    }
  }

  /** The line of each inventory field a problem names, from the document only the main thread holds. */
  private withLines(problems: InputProblem[], asked: (string | number)[][]): InputProblem[] {
    if (asked.length === 0) return problems;
    const doc = this.loaded.doc;
    const byField = new Map(asked.map((path) => [formatPath(path), path] as const));
    return problems.map((p) => {
      const path = p.file === doc.file && p.field !== undefined && p.line === undefined ? byField.get(p.field) : undefined;
      return path !== undefined ? { ...p, line: doc.lineOf(path) } : p;
    });
  }

  /** The pool is of no more use: everything sent or waiting fails with `err`. */
  private fail(err: Error): void {
    this.broken ??= err;
    this.queue.splice(0);
    const pending = [...this.pending.values()];
    this.pending.clear();
    for (const p of pending) p.fail(this.broken);
  }
}
