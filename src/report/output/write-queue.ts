/**
 * Small files written by a worker thread while the run goes on judging. At 10,000 hosts a run
 * writes about 115,000 small files (Allure results, evidence). Written one synchronous call after
 * another they held the main thread on the file system; handed to libuv's pool one by one
 * (fs.writeFile), each file cost three requests and their callbacks on the main thread, 2.1 s of
 * it at 10,000 hosts (a CPU profile). Here files go to one worker thread in batches, which it
 * writes in order with plain synchronous calls on the machine's other core: the main thread only
 * hands them over.
 *
 * `drain` waits for everything handed over so far: the run calls it before each slice, so at most
 * two slices' files are ever in memory, and the first error (a full disk) is thrown there, with
 * its code, before anything is put in place.
 */
import { Worker } from "node:worker_threads";

type Job = { write: string; data: string | Uint8Array } | { link: string; to: string } | { copy: string; to: string };

/** What the worker runs: writes, links and copies in order; a refused link becomes a copy. */
const WORKER = `
const { parentPort } = require("node:worker_threads");
const { copyFileSync, linkSync, writeFileSync } = require("node:fs");
let failed = false;
parentPort.on("message", ({ id, jobs }) => {
  if (!failed) {
    for (const job of jobs) {
      try {
        if ("write" in job) writeFileSync(job.write, job.data);
        else if ("copy" in job) copyFileSync(job.copy, job.to);
        else {
          try { linkSync(job.link, job.to); } catch { copyFileSync(job.link, job.to); }
        }
      } catch (err) {
        failed = true;
        parentPort.postMessage({ id, error: { message: err.message, code: err.code, syscall: err.syscall, path: err.path } });
        return;
      }
    }
  }
  parentPort.postMessage({ id });
});
`;

const BATCH = 256;

export class WriteQueue {
  private worker: Worker | undefined;
  private jobs: Job[] = [];
  private sent = 0;
  private settled = 0;
  private error: Error | undefined;
  private idle: (() => void) | undefined;

  readonly write = (path: string, data: string | Buffer): void => {
    this.push({ write: path, data });
  };

  /** A hard link `to` → `from` once `from` is written (a copy where links are refused). */
  link(from: string, to: string): void {
    this.push({ link: from, to });
  }

  /** A copy of `from` at `to` once `from` is written: the same bytes, not the same file. */
  copy(from: string, to: string): void {
    this.push({ copy: from, to });
  }

  private push(job: Job): void {
    if (this.error !== undefined) throw this.error;
    this.jobs.push(job);
    if (this.jobs.length >= BATCH) this.send();
  }

  private send(): void {
    if (this.jobs.length === 0) return;
    const worker = (this.worker ??= this.start());
    this.sent += 1;
    worker.postMessage({ id: this.sent, jobs: this.jobs });
    this.jobs = [];
  }

  private start(): Worker {
    const worker = new Worker(WORKER, { eval: true });
    worker.on("message", (m: { id: number; error?: { message: string; code?: string; syscall?: string; path?: string } }) => {
      this.settled = m.id;
      if (m.error !== undefined && this.error === undefined) this.error = Object.assign(new Error(m.error.message), m.error);
      if (this.settled === this.sent) this.idle?.();
    });
    worker.on("error", (err) => {
      this.error ??= err;
      this.settled = this.sent;
      this.idle?.();
    });
    // Never what keeps hostproof running: drain() is what waits for it.
    worker.unref();
    return worker;
  }

  /** Resolves when every file handed over so far is written; rejects with the first that failed. */
  async drain(): Promise<void> {
    this.send();
    if (this.settled < this.sent) {
      this.worker?.ref();
      while (this.settled < this.sent) await new Promise<void>((done) => (this.idle = done));
      this.worker?.unref();
    }
    this.idle = undefined;
    if (this.error !== undefined) throw this.error;
  }

  /** Stops the worker; call after the last drain. */
  async close(): Promise<void> {
    const worker = this.worker;
    this.worker = undefined;
    if (worker !== undefined) await worker.terminate();
  }
}
