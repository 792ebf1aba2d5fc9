/**
 * Reading a file a manifest vouches for exactly once: the bytes that are hashed are the bytes that
 * are used. Checking a file's digest and then opening it again leaves a window in which another
 * file can take its place (a shard swapped between merge's check and its read is merged with
 * whatever it then holds, and the original put back verifies).
 *
 * Big files (a shard's summary.json is 1.9 GB at 100,000 hosts) are hashed as they are consumed,
 * a chunk at a time from one file descriptor, and the digest compared when the last byte has been
 * read: memory stays one chunk, and nothing read is trusted until then, so a caller only writes
 * into a staging folder it throws away on a mismatch. Copying to a private spool first would also
 * work, but doubles the disk traffic and needs gigabytes of room beside the shards.
 */
import { createHash, type Hash } from "node:crypto";
import { closeSync, constants, fstatSync, openSync, readSync } from "node:fs";
import { InputError } from "../errors";
import { whatItIs } from "../input/regular-file";

const CHUNK = 1 << 20;
const NEWLINE = 0x0a;

export interface Digest {
  sha256: string;
  bytes: number;
}

/** Where a read file's bytes go as they are hashed: a parser that never reads the file itself. */
export interface ChunkSink {
  update(chunk: Buffer): void;
  end(): void;
}

/** Whole lines out of chunks, split on the newline byte, so a UTF-8 character is never cut in two. */
export class LineSplitter implements ChunkSink {
  private carry: Buffer[] = [];

  constructor(private readonly onLine: (line: string) => void) {}

  update(chunk: Buffer): void {
    let from = 0;
    for (let at = chunk.indexOf(NEWLINE); at !== -1; at = chunk.indexOf(NEWLINE, from)) {
      const part = chunk.subarray(from, at);
      this.onLine(this.carry.length === 0 ? part.toString("utf8") : Buffer.concat([...this.carry, part]).toString("utf8"));
      this.carry = [];
      from = at + 1;
    }
    // Copied: the reader reuses its chunk buffer.
    if (from < chunk.length) this.carry.push(Buffer.from(chunk.subarray(from)));
  }

  end(): void {
    if (this.carry.length > 0) this.onLine(Buffer.concat(this.carry).toString("utf8"));
    this.carry = [];
  }
}

/** Keeps the bytes as read, up to `limit` (beyond it the file cannot be the one listed, and is not kept). */
export class KeepBytes implements ChunkSink {
  private parts: Buffer[] = [];
  private size = 0;
  private over = false;

  constructor(private readonly limit: number) {}

  update(chunk: Buffer): void {
    this.size += chunk.length;
    if (this.size > this.limit) this.over = true;
    if (!this.over) this.parts.push(Buffer.from(chunk));
    else this.parts = [];
  }

  end(): void {}

  /** The bytes read, or undefined when there were more than the limit. */
  bytes(): Buffer | undefined {
    return this.over ? undefined : Buffer.concat(this.parts);
  }
}

/**
 * A file read front to back from one descriptor, every byte hashed as it is read, handed out as
 * lines. `drain()` reads what is left and gives the digest of everything read.
 */
export class HashedLines {
  private readonly fd: number;
  private readonly hash: Hash = createHash("sha256");
  private readonly chunk = Buffer.allocUnsafe(CHUNK);
  private readonly lines: string[] = [];
  private readonly splitter = new LineSplitter((line) => this.lines.push(line));
  private next = 0;
  private bytes = 0;
  private eof = false;
  private closed = false;
  /** The bytes read, when kept. */
  private readonly parts: Buffer[] | undefined;

  /**
   * Refused (InputError) unless a regular file: one swapped for a FIFO must not hang the read.
   * `keep`: hold every byte read as well, for `kept()`.
   */
  constructor(
    readonly file: string,
    keep = false,
  ) {
    this.parts = keep ? [] : undefined;
    this.fd = openSync(file, constants.O_RDONLY | (constants.O_NONBLOCK ?? 0));
    const st = fstatSync(this.fd);
    if (!st.isFile()) {
      closeSync(this.fd);
      throw new InputError({ file, problem: whatItIs(st), fix: "Only regular files are read: put the file it stood for back in its place." });
    }
    this.size = st.size;
  }

  /** The file's size when it was opened. */
  readonly size: number;

  /** Bytes read so far. */
  get read(): number {
    return this.bytes;
  }

  /** The next line (without its newline), or undefined at the end of the file. */
  line(): string | undefined {
    while (this.next >= this.lines.length && !this.eof) this.fill();
    if (this.next >= this.lines.length) return undefined;
    const line = this.lines[this.next]!;
    this.next += 1;
    if (this.next === this.lines.length) {
      this.lines.length = 0;
      this.next = 0;
    }
    return line;
  }

  /** Reads to the end (the lines not taken are dropped), closes the file, and gives the digest of every byte read. */
  drain(): Digest {
    while (!this.eof) {
      this.fill();
      this.lines.length = 0;
      this.next = 0;
    }
    this.close();
    return { sha256: this.hash.digest("hex"), bytes: this.bytes };
  }

  /** True when the line last given was the last of the chunk read: the next line() reads from the file. */
  chunkEnded(): boolean {
    return this.lines.length === 0;
  }

  /** Every byte read, when the reader was made to keep them. */
  kept(): Buffer | undefined {
    return this.parts === undefined ? undefined : Buffer.concat(this.parts);
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    closeSync(this.fd);
  }

  private fill(): void {
    const n = readSync(this.fd, this.chunk, 0, CHUNK, null);
    if (n === 0) {
      this.eof = true;
      this.splitter.end();
      return;
    }
    const part = this.chunk.subarray(0, n);
    this.hash.update(part);
    this.bytes += n;
    this.parts?.push(Buffer.from(part));
    this.splitter.update(part);
  }
}

export function sameBytes(listed: Pick<Digest, "sha256" | "bytes">, read: Digest): boolean {
  return listed.sha256 === read.sha256 && listed.bytes === read.bytes;
}

/**
 * Refused (exit 3) when the bytes used are not the ones the manifest lists: the file was replaced
 * or changed between the check of the folder and its read, and whatever was read from it is void.
 * (where a caller has no ListedFiles to note it in: evidence/listed-files.ts.)
 */
export function requireListed(shown: string, listed: Pick<Digest, "sha256" | "bytes">, read: Digest, fix: string): void {
  if (sameBytes(listed, read)) return;
  throw new InputError({
    file: shown,
    problem: `the file changed after it was checked: its manifest lists sha256:${listed.sha256} (${listed.bytes} bytes), but the bytes read were sha256:${read.sha256} (${read.bytes} bytes); nothing read from it is used`,
    fix,
  });
}

export function digestOf(data: Buffer): Digest {
  return { sha256: createHash("sha256").update(data).digest("hex"), bytes: data.length };
}
