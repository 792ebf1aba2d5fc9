/**
 * Files written front to back as a run streams past, hashed as they are written: the evidence
 * manifest (evidence/manifest.ts) then never reads back what the run just wrote. At 10,000 hosts
 * that read-back was a third of the manifest's time, and at 100,000 the output is gigabytes.
 *
 * Writes are buffered up to 1 MiB: one write(2) per result would be a million system calls.
 */
import { createHash, type Hash } from "node:crypto";
import { appendFileSync, closeSync, openSync, readSync, rmSync, writeSync } from "node:fs";
import { giveTurn } from "../../util/turns";

const FLUSH_AT = 1 << 20;

export interface Written {
  sha256: string;
  bytes: number;
}

/** What a manifest records of data written whole. */
export function writtenOf(data: string | Buffer): Written {
  return { sha256: createHash("sha256").update(data).digest("hex"), bytes: Buffer.byteLength(data) };
}

export class StreamFile {
  private readonly fd: number;
  private readonly hash: Hash | undefined;
  private pending: (string | Buffer)[] = [];
  private pendingBytes = 0;
  private total = 0;
  private closed = false;

  /** `hashed: false` for a spool, whose bytes are hashed when appended to their file. */
  constructor(
    readonly path: string,
    hashed = true,
  ) {
    this.fd = openSync(path, "w");
    this.hash = hashed ? createHash("sha256") : undefined;
  }

  write(data: string | Buffer): void {
    this.pending.push(data);
    // String length undercounts UTF-8 bytes, which only delays a flush a little.
    this.pendingBytes += data.length;
    if (this.pendingBytes >= FLUSH_AT) this.flush();
  }

  /**
   * Appends another file's bytes (a spool), read in chunks, and deletes it. A spool can be a
   * gigabyte (summary.json's results at 100,000 hosts): the event loop gets a turn between chunks.
   */
  async append(spool: Pick<Spool, "path" | "finish">): Promise<void> {
    this.flush();
    spool.finish();
    const fd = openSync(spool.path, "r");
    const chunk = Buffer.allocUnsafe(FLUSH_AT);
    try {
      for (;;) {
        const n = readSync(fd, chunk, 0, chunk.length, null);
        if (n === 0) break;
        this.emit(chunk.subarray(0, n));
        await giveTurn();
      }
    } finally {
      closeSync(fd);
    }
    rmSync(spool.path, { force: true });
  }

  private flush(): void {
    if (this.pending.length === 0) return;
    const data = Buffer.from(this.pending.length === 1 && typeof this.pending[0] === "string" ? this.pending[0] : this.pending.join(""), "utf8");
    this.pending = [];
    this.pendingBytes = 0;
    this.emit(data);
  }

  private emit(data: Buffer): void {
    this.hash?.update(data);
    let off = 0;
    while (off < data.length) off += writeSync(this.fd, data, off, data.length - off);
    this.total += data.length;
  }

  /** Closes the file and returns what a manifest records of it. */
  close(): Written {
    if (this.closed) throw new Error(`${this.path} is already closed`);
    this.flush();
    this.closed = true;
    closeSync(this.fd);
    return { sha256: this.hash?.digest("hex") ?? "", bytes: this.total };
  }

  /** On an error path: closes without a digest. */
  abandon(): void {
    if (this.closed) return;
    this.closed = true;
    closeSync(this.fd);
  }
}

/**
 * A part of a file that can only be written once the run is over (a header carrying totals):
 * the parts that come after it are written here first, then appended behind the header.
 */
export class Spool {
  private readonly file: StreamFile;
  private done = false;

  constructor(readonly path: string) {
    this.file = new StreamFile(path, false);
  }

  write(data: string): void {
    this.file.write(data);
  }

  finish(): void {
    if (this.done) return;
    this.done = true;
    this.file.close();
  }

  discard(): void {
    this.file.abandon();
    rmSync(this.path, { force: true });
  }
}

/**
 * A spool that holds no file descriptor: each write opens, appends and closes. For writers that
 * keep one spool per control (hdf.ts nests results under their control), where a user's
 * features could otherwise hold hundreds of descriptors open; they write once per control and
 * slice, so the open and close are paid a few thousand times per 100,000 hosts, not per result.
 */
export class AppendSpool {
  constructor(readonly path: string) {
    appendFileSync(path, "");
  }

  write(data: string): void {
    appendFileSync(this.path, data);
  }

  /** Nothing is held open; kept so that StreamFile.append treats both spools alike. */
  finish(): void {}

  discard(): void {
    rmSync(this.path, { force: true });
  }
}
