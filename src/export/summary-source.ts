/**
 * A report's summary.json as export reads it: once, front to back, every byte hashed as it is read.
 * The formats need what the file states after its results (the hosts, their clusters, the verdict)
 * before the first slice of results, so that part and the few lines before the results are read
 * first, from the ends of the file, and parsed; the results in between are not. Then the whole
 * file is read from the start, hashed and parsed by the report's self-check, which hands each
 * result on as it passes. At 100,000 hosts the file is 1.9 GB and the part after its results a
 * few tens of MB: reading that part twice is what reading the results once costs.
 *
 * Nothing read is trusted until the end. The whole read must give the digest the manifest lists,
 * and what it parsed around the results must equal what was read from the ends (export compares
 * the two): else the bytes used are not the bytes checked, and the export is thrown away.
 */
import { createHash, type Hash } from "node:crypto";
import { closeSync, constants, fstatSync, openSync, readSync } from "node:fs";
import { InputError } from "../errors";
import type { Digest } from "../evidence/read-once";
import { whatItIs } from "../input/regular-file";
import { SummaryParser, type SummaryRest } from "../report/formats/summary-read";

const CHUNK = 1 << 20;
/** The run's facts before the results are a few hundred bytes. */
const MAX_HEAD = 16 << 20;
/** After the results: the controls, a line per host, the clusters, totals; about 15 MB at 100,000 hosts. */
const MAX_TAIL = 1 << 30;
/** summary.json's first member after its results, at the top level (two spaces in): SummaryStream writes it so. */
const TAIL_START = Buffer.from('\n  "controls": ');
const NEWLINE = 0x0a;

export class SummarySource {
  private readonly fd: number;
  private readonly size: number;
  private readonly hash: Hash = createHash("sha256");
  private readonly chunk = Buffer.allocUnsafe(CHUNK);
  private at = 0;
  private closed = false;

  /** Refused (InputError) unless a regular file: one swapped for a FIFO must not hang the read. */
  constructor(
    file: string,
    /** The file as the user knows it. */
    private readonly shown: string,
    /** What to do when it is not a summary.json as hostproof writes it. */
    private readonly fix: string,
  ) {
    this.fd = openSync(file, constants.O_RDONLY | (constants.O_NONBLOCK ?? 0));
    const st = fstatSync(this.fd);
    if (!st.isFile()) {
      closeSync(this.fd);
      throw new InputError({ file: shown, problem: whatItIs(st), fix: "Only regular files are read: put the file it stood for back in its place." });
    }
    this.size = st.size;
  }

  /** summary.json without its results, from its first lines and its last; not yet checked against anything. */
  rest(): SummaryRest {
    const parser = new SummaryParser(this.shown, this.fix);
    const head = this.head();
    for (const line of head.lines) parser.line(line);
    if (!head.empty) parser.line("  ],");
    for (const line of this.tail(head.end).split("\n")) parser.line(line);
    return parser.rest();
  }

  /** The next chunk of the whole read, hashed; undefined at the end of the file. The chunk is reused: take what is needed before the next. */
  read(): Buffer | undefined {
    const n = readSync(this.fd, this.chunk, 0, CHUNK, this.at);
    if (n === 0) return undefined;
    this.at += n;
    const part = this.chunk.subarray(0, n);
    this.hash.update(part);
    return part;
  }

  /** Reads what is left of the whole read, closes the file, and gives the digest of every byte it read. */
  drain(): Digest {
    while (this.read() !== undefined);
    this.close();
    return { sha256: this.hash.digest("hex"), bytes: this.at };
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    closeSync(this.fd);
  }

  /** The lines up to and including `"results": [` (or `"results": [],`), and where they end. */
  private head(): { lines: string[]; empty: boolean; end: number } {
    const lines: string[] = [];
    let text = Buffer.alloc(0);
    let from = 0;
    for (;;) {
      let nl = text.indexOf(NEWLINE, from);
      while (nl === -1) {
        if (text.length >= MAX_HEAD || text.length >= this.size) throw this.notOurs("it has no results list where hostproof writes it");
        // A few hundred bytes: read in small steps, doubling, so that little past them is read twice.
        const more = Buffer.allocUnsafe(Math.min(Math.max(4096, text.length), CHUNK, this.size - text.length));
        const n = readSync(this.fd, more, 0, more.length, text.length);
        if (n === 0) throw this.notOurs("it has no results list where hostproof writes it");
        text = Buffer.concat([text, more.subarray(0, n)]);
        nl = text.indexOf(NEWLINE, from);
      }
      const line = text.subarray(from, nl).toString("utf8");
      from = nl + 1;
      lines.push(line);
      const trimmed = line.trim();
      if (trimmed === '"results": [' || trimmed === '"results": [],') return { lines, empty: trimmed.endsWith(","), end: from };
    }
  }

  /** The file from its last top-level `"controls"` member to its end: what summary.json states after its results. */
  private tail(notBefore: number): string {
    let text = Buffer.alloc(0);
    let start = this.size;
    for (;;) {
      // From 64 KiB, doubling up to a chunk: little before the controls is read twice, however long the part after them.
      const from = Math.max(notBefore, start - Math.min(CHUNK, Math.max(64 << 10, text.length)));
      if (from === start || this.size - from > MAX_TAIL) throw this.notOurs("it has no controls list after its results where hostproof writes it");
      const part = Buffer.allocUnsafe(start - from);
      if (readSync(this.fd, part, 0, part.length, from) !== part.length) throw this.notOurs("it changed while it was read");
      text = Buffer.concat([part, text]);
      start = from;
      // Searched in all that has been read: the marker may straddle two reads.
      const at = text.lastIndexOf(TAIL_START);
      if (at !== -1) return text.subarray(at + 1).toString("utf8");
    }
  }

  private notOurs(problem: string): InputError {
    return new InputError({ file: this.shown, problem: `not a summary.json as hostproof writes it: ${problem}`, fix: this.fix });
  }
}
