/**
 * A report checked against itself while verify hashes it: summary.json's results recomputed into
 * what it states (summary-check.ts), a shard's evidence/shard.json against that summary, and the
 * head of junit.xml and of summary.md, which repeat the totals and the verdict, against the same
 * recomputed values. Each file is read once: the parsers take the very chunks being hashed, and
 * what they found counts only when the digest then matches the manifest.
 *
 * Not checked against the results: hdf.json, results.csv, allure-results/ and the HTML repeat them
 * in full, and parsing each again would double verify's time for what the manifest already pins.
 */
import { createHash } from "node:crypto";
import { InputError } from "../errors";
import { checkSchema } from "../schema/validate";
import { junitHead, JUNIT_FILE } from "../report/formats/junit";
import { SHARD_RECORD_FILE, type ShardRecord } from "../report/bookkeeping/shard-record";
import { SUMMARY_FILE, type SummaryResult } from "../report/formats/summary";
import { SUMMARY_MD_FILE, summaryMdHead } from "../report/formats/summary-md";
import { SummaryParser, type SummaryRest } from "../report/formats/summary-read";
import { KeepBytes, LineSplitter, type ChunkSink } from "./read-once";
import { SummaryCheck, type Contradiction } from "./summary-check";

const NOT_OURS_FIX = "Treat the report as unverified: get it again from where the run stored it, or re-run hostproof on the original snapshots.";
/** evidence/shard.json lists every host of the shard: 10 MB at 100,000 hosts. */
const MAX_RECORD_BYTES = 256 << 20;
/** Lines of junit.xml and summary.md compared: the XML declaration and the root; the title, verdict and results. */
const JUNIT_LINES = 2;
const MD_LINES = 6;
const DIGEST_MASK = (1n << 256n) - 1n;

/** Only the first `n` lines are kept; the rest of the file is hashed, not split. */
class FirstLines implements ChunkSink {
  readonly lines: string[] = [];
  private readonly splitter = new LineSplitter((line) => this.lines.length < this.n && this.lines.push(line));

  constructor(private readonly n: number) {}

  update(chunk: Buffer): void {
    if (this.lines.length < this.n) this.splitter.update(chunk);
  }

  end(): void {
    if (this.lines.length < this.n) this.splitter.end();
  }
}

export class ReportCheck {
  private record: ShardRecord | undefined;
  private recordBytes: KeepBytes | undefined;
  private parser: SummaryParser | undefined;
  private check: SummaryCheck | undefined;
  private readonly junit = new FirstLines(JUNIT_LINES);
  private readonly md = new FirstLines(MD_LINES);
  private readonly found: Contradiction[] = [];
  private broken: Contradiction | undefined;
  /** Per control, the sum of its results' digests (resultDigests). */
  private readonly digests = new Map<string, bigint>();
  /** summary.json without its results, once read whole and intact (finish). */
  private rest: SummaryRest | undefined;

  /**
   * `shown`: the report folder as the user named it. `digests: false` when no one asks for
   * resultDigests (export): a SHA-256 per result saved.
   */
  constructor(
    private readonly shown: string,
    private readonly options: { digests?: boolean } = {},
  ) {}

  /** Whether the check reads `path` (sink gives it a place): the rest of a report it leaves to the manifest. */
  static reads(path: string): boolean {
    return path === SHARD_RECORD_FILE || path === SUMMARY_FILE || path === JUNIT_FILE || path === SUMMARY_MD_FILE;
  }

  /** The record first: the summary's results are checked slice by slice against it as they pass. */
  static order(path: string): number {
    return path === SHARD_RECORD_FILE ? 0 : 1;
  }

  /**
   * Where the bytes of `path` go while they are hashed, when this check reads it. `onResult`: each
   * result of summary.json as it is parsed and checked, for a caller that uses them (export): the
   * file is parsed once. None comes after one the check found wrong.
   */
  sink(path: string, onResult?: (r: SummaryResult) => void): ChunkSink | undefined {
    switch (path) {
      case SHARD_RECORD_FILE:
        this.recordBytes = new KeepBytes(MAX_RECORD_BYTES);
        return this.recordBytes;
      case SUMMARY_FILE:
        return this.summarySink(onResult);
      case JUNIT_FILE:
        return this.junit;
      case SUMMARY_MD_FILE:
        return this.md;
      default:
        return undefined;
    }
  }

  /** Called once the record's digest matched its manifest entry: only then is it used. */
  trustRecord(): void {
    const bytes = this.recordBytes?.bytes();
    if (bytes === undefined) return;
    let value: unknown;
    try {
      value = JSON.parse(bytes.toString("utf8"));
    } catch {
      this.found.push({ file: `${this.shown}/${SHARD_RECORD_FILE}`, field: "(top level)", stated: "text that is not JSON", recomputed: "a shard record" });
      return;
    }
    const problems = checkSchema("shard", { file: SHARD_RECORD_FILE, value, lineOf: () => undefined });
    if (problems.length > 0) this.found.push({ file: `${this.shown}/${SHARD_RECORD_FILE}`, field: problems[0]!.field ?? "(top level)", stated: problems[0]!.problem });
    else this.record = value as ShardRecord;
  }

  /**
   * What the report states that its results contradict. `intact(path)`: whether the file's digest
   * matched the manifest; a file that did not is already reported as modified, and is not read.
   */
  finish(intact: (path: string) => boolean): Contradiction[] {
    if (!intact(SUMMARY_FILE)) return this.found;
    if (this.broken !== undefined) return [...this.found, this.broken];
    let rest: SummaryRest;
    try {
      rest = this.parser!.rest();
    } catch (err) {
      if (!(err instanceof InputError)) throw err;
      return [...this.found, this.notOurs(err)];
    }
    this.rest = rest;
    const { contradictions, recomputed } = this.check!.finish(rest);
    const found = [...this.found, ...contradictions];
    if (intact(JUNIT_FILE)) {
      const expected = junitHead(rest.estate, recomputed.totals).split("\n").slice(0, JUNIT_LINES);
      const at = expected.findIndex((line, i) => this.junit.lines[i] !== line);
      if (at !== -1) found.push({ file: `${this.shown}/${JUNIT_FILE}`, field: `line ${at + 1}`, stated: JSON.stringify(this.junit.lines[at] ?? ""), recomputed: JSON.stringify(expected[at]) });
    }
    if (intact(SUMMARY_MD_FILE)) {
      const expected = summaryMdHead({ ...rest, totals: recomputed.totals, verdict: recomputed.verdict, exitCode: recomputed.exitCode, hostCount: recomputed.hosts, clusterCount: recomputed.clusters, controls: recomputed.controlsWithResults });
      const at = expected.findIndex((line, i) => this.md.lines[i] !== line);
      if (at !== -1) found.push({ file: `${this.shown}/${SUMMARY_MD_FILE}`, field: `line ${at + 1}`, stated: JSON.stringify(this.md.lines[at] ?? ""), recomputed: JSON.stringify(expected[at]) });
    }
    return found;
  }

  /** summary.json without its results, as the check read it, once `finish` found it whole and intact. */
  summaryRest(): SummaryRest | undefined {
    return this.rest;
  }

  private summarySink(onResult: ((r: SummaryResult) => void) | undefined): ChunkSink {
    const shown = `${this.shown}/${SUMMARY_FILE}`;
    this.parser = new SummaryParser(shown, NOT_OURS_FIX);
    this.check = new SummaryCheck(shown, this.record);
    const parser = this.parser;
    const check = this.check;
    const splitter = new LineSplitter((line) => {
      if (this.broken !== undefined) return;
      try {
        const r = parser.line(line);
        if (r === undefined) return;
        if (this.options.digests !== false) this.addDigest(r.controlId, line);
        const problem = check.add(r);
        if (problem !== undefined) this.broken = { file: shown, field: `results[${parser.count - 1}]`, stated: problem };
        else onResult?.(r);
      } catch (err) {
        if (!(err instanceof InputError)) throw err;
        this.broken = this.notOurs(err);
      }
    });
    return splitter;
  }

  /**
   * What the results of each control are, as a digest that does not depend on their order: the
   * sum, modulo 2^256, of the SHA-256 of each result as written (one line of summary.json). A
   * merged report's results are its shards' results, line for line, in another order; the sums
   * of its shards then add up to its own (evidence/chain.ts). A sum, not a set: memory holds one
   * number per control, whatever the estate's size. Undefined when the results were not all read
   * (summary.json modified, or not in hostproof's layout).
   */
  resultDigests(intact: (path: string) => boolean): ReadonlyMap<string, bigint> | undefined {
    return intact(SUMMARY_FILE) && this.broken === undefined && this.parser !== undefined ? this.digests : undefined;
  }

  /** What the report says it is of (its estate, as-of day, start, verdict), from the summary.json finish read intact; undefined otherwise. */
  summaryHead(): Pick<SummaryRest, "estate" | "inventoryFile" | "asOf" | "startedAt" | "verdict"> | undefined {
    if (this.rest === undefined) return undefined;
    const { estate, inventoryFile, asOf, startedAt, verdict } = this.rest;
    return { ...(estate !== undefined ? { estate } : {}), inventoryFile, asOf, startedAt, verdict };
  }

  private addDigest(controlId: string, line: string): void {
    const text = line.trim();
    const digest = BigInt(`0x${createHash("sha256").update(text.endsWith(",") ? text.slice(0, -1) : text).digest("hex")}`);
    this.digests.set(controlId, ((this.digests.get(controlId) ?? 0n) + digest) & DIGEST_MASK);
  }

  private notOurs(err: InputError): Contradiction {
    const p = err.problems[0]!;
    return { file: p.file, field: p.field ?? "(top level)", stated: p.problem };
  }
}
