/**
 * A shard's results, read back from its summary.json a slice at a time, and the file checked on
 * the way. The file is read once, from one descriptor, every byte hashed as it is read
 * (evidence/read-once.ts): at the end the digest must be the one the shard's manifest lists, or
 * nothing read from it stands (the merge throws its staging folder away). Each result also passes
 * through the check of the summary against itself and the shard's record (evidence/summary-check.ts);
 * a result that cannot be placed stops the merge at once, the rest is compared at the end.
 *
 * Memory: one 1 MiB chunk and the slice being taken; a shard of 25,000 hosts has a summary.json
 * of half a gigabyte.
 */
import { InputError } from "../errors";
import { formatContradiction, SummaryCheck } from "../evidence/summary-check";
import { HashedLines, type Digest } from "../evidence/read-once";
import type { TargetKind } from "../model/result";
import type { ShardRecord } from "../report/bookkeeping/shard-record";
import type { SummaryResult } from "../report/formats/summary";
import { SummaryParser } from "../report/formats/summary-read";

const FIX = "Run that shard again with this hostproof, then merge.";

export class SummaryResults {
  private readonly lines: HashedLines;
  private readonly parser: SummaryParser;
  private readonly check: SummaryCheck;
  private ended = false;

  /** `asListed`: throws unless the bytes read are summary.json as the shard's manifest lists it; `shown`: the file as the user knows it. */
  constructor(
    file: string,
    private readonly asListed: (read: Digest) => void,
    shown: string,
    record: ShardRecord,
    /** The shard does not agree with itself: what to throw, given why. */
    private readonly inconsistent: (what: string) => InputError,
  ) {
    this.lines = new HashedLines(file);
    this.parser = new SummaryParser(shown, FIX);
    this.check = new SummaryCheck(shown, record);
  }

  /** The next `n` results; fewer only when the results list has no more. */
  take(n: number): SummaryResult[] {
    const out: SummaryResult[] = [];
    this.guard(() => {
      while (out.length < n) {
        const r = this.next();
        if (r === undefined) break;
        const problem = this.check.add(r);
        if (problem !== undefined) throw this.inconsistent(problem);
        out.push(r);
      }
    });
    return out;
  }

  /**
   * Reads the rest of the file: no more results than were taken, every byte the manifest's, and
   * everything the summary states agreeing with its results and the shard's record.
   */
  finish(taken: number): void {
    this.guard(() => {
      let more = 0;
      while (this.next() !== undefined) more += 1;
      this.end();
      if (more > 0) throw this.inconsistent(`its summary.json holds more results than the ${taken} its evidence/shard.json counts`);
      const { contradictions } = this.check.finish(this.parser.rest());
      if (contradictions.length > 0) {
        throw this.inconsistent(`${contradictions.slice(0, 3).map((c) => `${c.file}: ${formatContradiction(c)}`).join("; ")}${contradictions.length > 3 ? `; and ${contradictions.length - 3} more` : ""}`);
      }
    });
  }

  close(): void {
    this.lines.close();
  }

  /** The kind of target each control's results were of. */
  kinds(): Map<string, TargetKind> {
    return this.check.kinds();
  }

  private next(): SummaryResult | undefined {
    for (let line = this.lines.line(); line !== undefined; line = this.lines.line()) {
      const r = this.parser.line(line);
      if (r !== undefined) return r;
    }
    return undefined;
  }

  /** Reads what is left and compares the digest of every byte read with the manifest's: a problem found may be a swapped file's. */
  requireIntact(): void {
    this.guard(() => this.end());
  }

  /** Reads what is left and compares the digest of every byte read with the manifest's. */
  private end(): void {
    if (this.ended) return;
    this.ended = true;
    this.asListed(this.lines.drain());
  }

  /**
   * A problem found on the way may come from a file that is not the one listed: the digest, read
   * to the end, decides which is reported.
   */
  private guard(work: () => void): void {
    try {
      work();
    } catch (err) {
      if (err instanceof InputError && !this.ended) this.end();
      this.lines.close();
      throw err;
    }
  }
}
