/**
 * A shard's results, read back from its summary.json a slice at a time. summary.json holds one
 * result per line between `"results": [` and `]` (report/summary.ts), so a reader takes them line
 * by line and never holds the file: a shard of 25,000 hosts has a summary.json of half a gigabyte.
 */
import { createReadStream } from "node:fs";
import { createInterface } from "node:readline";
import { InputError } from "../errors";
import type { SummaryResult } from "../report/summary";

export class SummaryResults {
  private readonly lines: AsyncIterator<string>;
  private inResults = false;
  private done = false;
  /** Results read so far. */
  count = 0;

  /** `shown`: the file as the user knows it, for the message when a line is not a result. */
  constructor(
    file: string,
    private readonly shown: string = file,
  ) {
    this.lines = createInterface({ input: createReadStream(file, { encoding: "utf8" }), crlfDelay: Infinity })[Symbol.asyncIterator]();
  }

  /** The next `n` results; fewer only when the file has no more. */
  async take(n: number): Promise<SummaryResult[]> {
    const out: SummaryResult[] = [];
    while (out.length < n) {
      const r = await this.next();
      if (r === undefined) break;
      out.push(r);
    }
    return out;
  }

  /** Whether the results list still holds any after those taken. */
  async hasMore(): Promise<boolean> {
    const r = await this.next();
    await this.close();
    return r !== undefined;
  }

  async close(): Promise<void> {
    await this.lines.return?.();
  }

  private parse(text: string): SummaryResult {
    let r: unknown;
    try {
      r = JSON.parse(text);
    } catch {
      r = undefined;
    }
    const ok = (x: unknown): x is SummaryResult => {
      const v = x as Partial<SummaryResult> | undefined;
      return typeof v === "object" && v !== null && typeof v.controlId === "string" && typeof v.target?.name === "string" && (v.target.kind === "host" || v.target.kind === "cluster") && Array.isArray(v.evidence);
    };
    if (!ok(r)) throw new InputError({ file: this.shown, field: `results[${this.count - 1}]`, problem: "is not a result as hostproof writes it", fix: "Run that shard again with this hostproof, then merge." });
    return r;
  }

  private async next(): Promise<SummaryResult | undefined> {
    while (!this.done) {
      const { value, done } = await this.lines.next();
      if (done === true) {
        this.done = true;
        break;
      }
      const line = value.trim();
      if (!this.inResults) {
        if (line === '"results": [],') this.done = true;
        else if (line === '"results": [') this.inResults = true;
        continue;
      }
      if (!line.startsWith("{")) {
        this.done = true;
        break;
      }
      this.count += 1;
      return this.parse(line.endsWith(",") ? line.slice(0, -1) : line);
    }
    return undefined;
  }
}
