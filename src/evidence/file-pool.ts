/**
 * A report's listed files checked against its manifest in worker threads. Node hashes on the
 * thread that calls it, so one thread hashing a report of 10,000 hosts (185,000 files, 1.7 GB) did
 * it one file after another on one core, 20 s of a verify on the 2-core reference machine, with
 * the lstat, open and read of every file on that thread too. Here the files go, in batches, to a
 * few workers that each do the whole check of a file (what it is, whether a link leads to it, its
 * digest) with plain synchronous calls, while the main thread reads what it parses itself (verify's
 * self-check, the files a merge uses) or writes (a merge).
 *
 * The check of one file is the one manifest.ts's checkEntry makes on the main thread, written again
 * here because a worker runs source text (as report/write-queue.ts's does): no build step or
 * loader is needed to start it, from dist/ or under tsx. test/evidence/file-pool.test.ts holds the
 * two to the same answers.
 */
import { availableParallelism } from "node:os";
import { Worker } from "node:worker_threads";
import type { ManifestEntry, VerifyProblem } from "./manifest";

/** What the worker runs: for each file of a batch, the problem found (or none). */
const WORKER = `
const { parentPort } = require("node:worker_threads");
const { closeSync, constants, fstatSync, lstatSync, openSync, readSync } = require("node:fs");
const { createHash } = require("node:crypto");
const { join } = require("node:path");
const CHUNK = 1 << 20;
const buffer = Buffer.allocUnsafe(CHUNK);
const what = (st) => (st.isSymbolicLink() ? "a symbolic link" : st.isDirectory() ? "a folder" : "not a regular file");
function check(root, f, folders) {
  const full = join(root, f.path);
  const expected = "sha256:" + f.sha256 + " (" + f.bytes + " bytes)";
  let st;
  try { st = lstatSync(full); } catch { return { path: f.path, kind: "missing", expected }; }
  // lstat follows links in the parent folders: a folder swapped for a link to a copy must not pass file by file.
  const parts = f.path.split("/");
  for (let k = 1; k < parts.length; k++) {
    const rel = parts.slice(0, k).join("/");
    let real = folders.get(rel);
    if (real === undefined) {
      try { real = lstatSync(join(root, rel)).isDirectory(); } catch { real = true; }
      folders.set(rel, real);
    }
    if (!real) return { path: f.path, kind: "modified", expected, actual: "reached through a symbolic link (" + rel + ")" };
  }
  if (!st.isFile()) return { path: f.path, kind: "modified", expected, actual: what(st) };
  if (!f.contents) return undefined;
  // Opened without waiting: a file swapped for a FIFO since the lstat must not hang the read.
  const fd = openSync(full, constants.O_RDONLY | (constants.O_NONBLOCK || 0));
  try {
    const now = fstatSync(fd);
    if (!now.isFile()) return { path: f.path, kind: "modified", expected, actual: what(now) };
    const hash = createHash("sha256");
    let bytes = 0;
    for (let n = readSync(fd, buffer, 0, CHUNK, null); n > 0; n = readSync(fd, buffer, 0, CHUNK, null)) {
      hash.update(buffer.subarray(0, n));
      bytes += n;
    }
    const sha256 = hash.digest("hex");
    if (sha256 !== f.sha256 || bytes !== f.bytes) return { path: f.path, kind: "modified", expected, actual: "sha256:" + sha256 + " (" + bytes + " bytes)" };
    return undefined;
  } finally {
    closeSync(fd);
  }
}
parentPort.on("message", ({ id, root, files }) => {
  const problems = [];
  // Per batch: a batch is a moment, and a folder swapped later is seen by the next one.
  const folders = new Map();
  try {
    files.forEach((f, i) => {
      const problem = check(root, f, folders);
      if (problem !== undefined) problems.push([i, problem]);
    });
  } catch (err) {
    parentPort.postMessage({ id, error: { message: err.message, code: err.code, syscall: err.syscall, path: err.path } });
    return;
  }
  parentPort.postMessage({ id, problems });
});
`;

/** Files per batch: small enough that the workers share a report's last files, large enough that a message costs little beside its files. */
const BATCH = 128;
/** Batches sent to a worker ahead of its answer, so that it never waits for the main thread between two. */
const AHEAD = 2;

interface Job {
  left: number;
  found: { index: number; problem: VerifyProblem }[];
  failed?: Error;
  done: (found: { index: number; problem: VerifyProblem }[]) => void;
  fail: (err: Error) => void;
}

/** BATCH files of a check from `offset`: sent as the worker wants them, so the check's list is never copied whole. */
interface Batch {
  job: Job;
  offset: number;
  root: string;
  files: readonly ManifestEntry[];
  contents: boolean;
}

interface Thread {
  worker: Worker;
  /** Batches sent to it, by message id, in the order sent. */
  busy: Map<number, Batch>;
}

export class FilePool {
  private readonly queue: Batch[] = [];
  private readonly threads: Thread[] = [];
  private nextId = 0;
  private broken: Error | undefined;

  /** `size`: worker threads, started when there is work; by default one per core but the one the caller works on. */
  constructor(private readonly size = Math.max(1, availableParallelism() - 1)) {}

  /**
   * Checks `files` of the report at `root`; resolves with the problems found, each with the index
   * of its file in `files`, in that order. Rejects with a file-system error (its errno code kept)
   * when a file could not be read at all. `contents: false` when the caller hashes the files'
   * bytes itself as it reads them (read-once.ts): only what is there is checked here.
   */
  check(root: string, files: readonly ManifestEntry[], contents = true): Promise<{ index: number; problem: VerifyProblem }[]> {
    if (this.broken !== undefined) return Promise.reject(this.broken);
    if (files.length === 0) return Promise.resolve([]);
    const promise = new Promise<{ index: number; problem: VerifyProblem }[]>((done, fail) => {
      const job: Job = { left: 0, found: [], done, fail };
      for (let offset = 0; offset < files.length; offset += BATCH) {
        job.left += 1;
        this.queue.push({ job, offset, root, files, contents });
      }
    });
    while (this.threads.length < this.size && this.threads.length * AHEAD < this.queue.length) this.threads.push(this.start());
    for (const t of this.threads) this.feed(t);
    return promise;
  }

  /** Stops the workers; checks not yet answered are rejected. */
  async close(): Promise<void> {
    const threads = this.threads.splice(0);
    this.broken ??= new Error("the file pool was closed");
    for (const t of threads) for (const b of t.busy.values()) this.settle(b.job, this.broken);
    for (const b of this.queue.splice(0)) this.settle(b.job, this.broken);
    for (const t of threads) t.busy.clear();
    // Referenced while they stop: a batch answered after this must not unreference a worker (feed),
    // or a process whose only wait is that stop would end there, with exit code 0 and nothing said.
    await Promise.all(threads.map((t) => (t.worker.ref(), t.worker.terminate())));
  }

  private start(): Thread {
    const worker = new Worker(WORKER, { eval: true });
    const thread: Thread = { worker, busy: new Map() };
    worker.on("message", (m: { id: number; problems?: [number, VerifyProblem][]; error?: { message: string; code?: string; syscall?: string; path?: string } }) => {
      const batch = thread.busy.get(m.id);
      // An answer after close(): the batch was already settled.
      if (batch === undefined) return;
      thread.busy.delete(m.id);
      if (m.error !== undefined) this.settle(batch.job, Object.assign(new Error(m.error.message), m.error));
      else {
        for (const [i, problem] of m.problems ?? []) batch.job.found.push({ index: batch.offset + i, problem });
        batch.job.left -= 1;
        if (batch.job.left === 0 && batch.job.failed === undefined) batch.job.done(batch.job.found.sort((a, b) => a.index - b.index));
      }
      this.feed(thread);
    });
    worker.on("error", (err) => {
      // A worker that died takes the pool with it: what it held is unchecked.
      this.broken ??= err;
      void this.close();
    });
    worker.unref();
    return thread;
  }

  /** Sends the thread work up to AHEAD batches; it keeps hostproof running only while it has some. */
  private feed(thread: Thread): void {
    while (thread.busy.size < AHEAD) {
      const batch = this.queue.shift();
      if (batch === undefined) break;
      if (batch.job.failed !== undefined) continue;
      const id = (this.nextId += 1);
      thread.busy.set(id, batch);
      const files = batch.files.slice(batch.offset, batch.offset + BATCH).map(({ path, sha256, bytes }) => ({ path, sha256, bytes, contents: batch.contents }));
      thread.worker.postMessage({ id, root: batch.root, files });
    }
    if (thread.busy.size > 0) thread.worker.ref();
    else thread.worker.unref();
  }

  private settle(job: Job, err: Error): void {
    if (job.failed !== undefined || job.left === 0) return;
    job.failed = err;
    job.fail(err);
  }
}
