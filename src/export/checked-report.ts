/**
 * A report as export reads it: checked against its manifest and against itself while it is read,
 * every file read once. What `hostproof verify` checks is checked here too (each file listed as
 * listed, nothing unlisted, summary.json's statements recomputed from its results, the heads of
 * junit.xml and summary.md), but not in a pass of its own before the export: summary.json, the
 * kept snapshots and the run record are hashed as the export reads them, and every other file is
 * hashed by worker threads meanwhile (evidence/listed-files.ts). Before: verify read summary.json
 * whole, export read it again for what it states after its results, and a third time for the
 * results, parsing every result three times; the snapshots were hashed by verify, then read again.
 *
 * Nothing read is trusted until `finish` says the report is whole: the export writes into a
 * staging folder that it throws away otherwise. A problem met on the way (a file not as listed,
 * or one that cannot be parsed) stops the export; `finishAfter` then completes the check, so that
 * a report that is not as it was written is refused as verify refuses it (exit 1), and only an
 * intact one that export cannot use is the problem it met (exit 3).
 */
import { isDeepStrictEqual } from "node:util";
import { join } from "node:path";
import { InputError } from "../errors";
import type { FilePool } from "../evidence/file-pool";
import { ListedFiles, NotAsListed } from "../evidence/listed-files";
import { checkListedFile, type ManifestEntry, type VerifyProblem } from "../evidence/manifest";
import type { ManifestHead } from "../evidence/manifest-lines";
import { digestOf, KeepBytes, type ChunkSink, type Digest } from "../evidence/read-once";
import { ReportCheck } from "../evidence/report-check";
import type { Contradiction } from "../evidence/summary-check";
import { hostFileName } from "../input/host-file-name";
import { readRegularFile } from "../input/regular-file";
import { loadSnapshotBytes } from "../input/snapshot";
import type { HostRecord } from "../model/run";
import { RUN_RECORD_FILE } from "../report/bookkeeping/run-record";
import { SHARD_RECORD_FILE } from "../report/bookkeeping/shard-record";
import { JUNIT_FILE } from "../report/formats/junit";
import { SUMMARY_FILE, type SummaryResult } from "../report/formats/summary";
import { SUMMARY_MD_FILE } from "../report/formats/summary-md";
import type { SummaryRest } from "../report/formats/summary-read";
import { SNAPSHOTS_DIR } from "../report/record";
import { checkSignature, type SignatureState } from "../sign/attestation";
import type { TrustedKey } from "../sign/keys";
import { giveTurn } from "../util/turns";
import { SummarySource } from "./summary-source";

/** For a report file that changed between its check and its read. */
export const CHANGED_FIX = "Export again once nothing writes to the report folder.";
export const NOT_OURS_FIX = "Export from a report folder as hostproof wrote it; `hostproof verify` checks one.";

/** The files read whole on this thread, before summary.json: the records kept, the others' heads checked. */
const READ_WHOLE = [SHARD_RECORD_FILE, RUN_RECORD_FILE, JUNIT_FILE, SUMMARY_MD_FILE] as const;
const KEPT: ReadonlySet<string> = new Set([SHARD_RECORD_FILE, RUN_RECORD_FILE]);
const usedByExport = (path: string): boolean => path === SUMMARY_FILE || path.startsWith(`${SNAPSHOTS_DIR}/`);

/** What the check of the report found: nothing, or why it is not as it was written. */
export interface ReportChecked {
  ok: boolean;
  problems: VerifyProblem[];
  contradictions: Contradiction[];
}

/** A host of summary.json with its kept snapshot, as read and checked. */
export interface KeptHost {
  host: HostRecord;
  /** The snapshot's bytes and their digest: Allure's evidence attachment is these bytes. */
  raw: Buffer;
  digest: Digest;
}

export class CheckedReport {
  private readonly check: ReportCheck;
  private readonly intact = new Set<string>();
  private readonly kept = new Map<string, Buffer>();
  private readonly found: Contradiction[] = [];
  private summary: SummarySource | undefined;
  private summarySink: ChunkSink | undefined;
  /** summary.json without its results, as read from its ends (rest). */
  private readRest: SummaryRest | undefined;
  private pending: SummaryResult[] = [];
  private next = 0;
  private ended = false;
  private settled: Promise<ReportChecked> | undefined;
  /** Whether begin() was called: only then has anything been read that the manifest does not vouch for yet. */
  begun = false;

  private constructor(
    private readonly dir: string,
    /** The report folder as the user named it. */
    readonly shown: string,
    private readonly files: ListedFiles,
    /** The manifest's members but its files. */
    readonly manifest: ManifestHead,
    /** The report's signature: checked with the keys given, else only what it claims. */
    readonly signature: SignatureState,
  ) {
    this.check = new ReportCheck(shown, { digests: false });
  }

  /** Reads the report's manifest (InputError, exit 3, when there is none to read) and its signature. */
  static async open(dir: string, shown: string, pool: FilePool, keys: readonly TrustedKey[] | undefined): Promise<CheckedReport> {
    const { files, head, raw } = await ListedFiles.open(dir, shown, pool, { used: usedByExport, checked: new Set(READ_WHOLE), keep: keys !== undefined });
    const summary = files.entry(SUMMARY_FILE);
    const signature = checkSignature(dir, shown, { manifest: { ...head, files: summary !== undefined ? [summary] : [] }, manifestSha256: files.manifestSha256, manifestBytes: raw ?? Buffer.alloc(0) }, keys);
    return new CheckedReport(dir, shown, files, head, signature);
  }

  get manifestSha256(): string {
    return this.files.manifestSha256;
  }

  /** The manifest's entry of a file export reads. */
  listed(path: string): ManifestEntry | undefined {
    return this.files.entry(path);
  }

  /**
   * Starts checking every file, reads the small ones export keeps (the run record; a shard's
   * record), and summary.json's facts around its results. Throws NotAsListed when a file export
   * reads is not there as listed, InputError when what it read is not what hostproof writes.
   */
  async begin(): Promise<{ rest: SummaryRest; kept: ReadonlyMap<string, Buffer> }> {
    this.begun = true;
    this.files.checkUsedThere();
    this.files.checkRest();
    for (const path of READ_WHOLE) {
      const entry = this.files.entry(path);
      if (entry === undefined) continue;
      const keeper = KEPT.has(path) ? new KeepBytes(entry.bytes) : undefined;
      const sinks = [keeper, this.check.sink(path)].filter((s): s is ChunkSink => s !== undefined);
      const problem = await checkListedFile(this.dir, entry, { update: (c) => sinks.forEach((s) => s.update(c)), end: () => sinks.forEach((s) => s.end()) });
      this.files.found(path, problem);
      if (problem !== undefined) continue;
      this.intact.add(path);
      if (keeper !== undefined) this.kept.set(path, keeper.bytes()!);
      if (path === SHARD_RECORD_FILE) this.check.trustRecord();
    }
    const entry = this.files.entry(SUMMARY_FILE);
    if (entry === undefined) {
      this.found.push({ file: `${this.shown}/${SUMMARY_FILE}`, field: "(the file)", stated: "not listed in the manifest", recomputed: "a summary.json, which every hostproof report holds" });
      throw new NotAsListed(`${this.shown}/${SUMMARY_FILE}`);
    }
    if ((await this.files.usedThere()).length > 0 || this.intact.size < READ_WHOLE.filter((p) => this.files.entry(p) !== undefined).length) throw new NotAsListed(this.shown);
    this.summary = new SummarySource(join(this.dir, SUMMARY_FILE), `${this.shown}/${SUMMARY_FILE}`, NOT_OURS_FIX);
    this.summarySink = this.check.sink(SUMMARY_FILE, (r) => this.pending.push(r))!;
    this.readRest = this.summary.rest();
    return { rest: this.readRest, kept: this.kept };
  }

  /** The next result of summary.json, parsed and checked as the whole file is read; undefined after the last. */
  nextResult(): SummaryResult | undefined {
    for (;;) {
      if (this.next < this.pending.length) return this.pending[this.next++];
      this.pending = [];
      this.next = 0;
      if (this.ended) return undefined;
      this.pump();
    }
  }

  /** A host of summary.json with its kept snapshot, used only when the bytes read are the ones listed. */
  host(host: SummaryRest["hosts"][number]): KeptHost {
    const rel = `${SNAPSHOTS_DIR}/${hostFileName(host.name)}`;
    const shown = `${this.shown}/${rel}`;
    if (this.files.entry(rel) === undefined) throw new InputError({ file: shown, problem: "the report's manifest does not list this file, which export reads", fix: NOT_OURS_FIX });
    const file = join(this.dir, rel);
    const bytes = readRegularFile(file, shown, "snapshot");
    const digest = digestOf(bytes);
    this.files.require(rel, digest);
    const { snapshot, raw } = loadSnapshotBytes(bytes, file, shown, host.name);
    return { host: { name: host.name, ...(host.cluster !== undefined ? { cluster: host.cluster } : {}), ...(host.snapshotFile !== undefined ? { snapshotFile: host.snapshotFile } : {}), snapshot, raw }, raw: bytes, digest };
  }

  /**
   * Once every result was taken: the rest of summary.json read, and the report found whole (every
   * file as listed, nothing unlisted, no contradiction), or not. InputError when the report is whole
   * but summary.json was not the same file from its first read to its last (CHANGED_FIX).
   */
  async finish(): Promise<ReportChecked> {
    const checked = await this.settle();
    const verified = this.check.summaryRest();
    if (checked.ok && (verified === undefined || !isDeepStrictEqual(verified, this.readRest))) {
      throw new InputError({ file: `${this.shown}/${SUMMARY_FILE}`, problem: "the file changed while it was read: what it states after its results, read first, is not what the whole read found", fix: CHANGED_FIX });
    }
    return checked;
  }

  /** After export stopped at a problem: the check of the report completed, to tell a report not as written from one export cannot use. */
  async finishAfter(): Promise<ReportChecked> {
    return this.settle();
  }

  close(): void {
    this.summary?.close();
  }

  private pump(): void {
    const chunk = this.summary!.read();
    if (chunk !== undefined) this.summarySink!.update(chunk);
    else {
      this.ended = true;
      this.summarySink!.end();
    }
  }

  /** Once: finish, then finishAfter when finish threw, must not read on. */
  private settle(): Promise<ReportChecked> {
    this.settled ??= this.settleOnce();
    return this.settled;
  }

  private async settleOnce(): Promise<ReportChecked> {
    if (this.summary !== undefined) {
      while (!this.ended) {
        this.pump();
        this.pending = [];
        await giveTurn();
      }
      try {
        this.files.require(SUMMARY_FILE, this.summary.drain());
        this.intact.add(SUMMARY_FILE);
      } catch (err) {
        if (!(err instanceof NotAsListed)) throw err;
      }
    }
    const contradictions = [...this.found, ...(this.files.entry(SUMMARY_FILE) !== undefined ? this.check.finish((path) => this.intact.has(path)) : [])];
    this.files.checkUnread();
    const problems = await this.files.problems();
    return { ok: problems.length === 0 && contradictions.length === 0, problems, contradictions };
  }
}
