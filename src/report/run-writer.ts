/**
 * Every output of a run, written as the run streams past slice by slice (engine/slices.ts), each
 * file hashed as it is written into the manifest's record. What is only known at the end (totals,
 * verdict, drift, timings) goes at the end of summary.json or into a header written last.
 *
 * Order of a run: new RunWriter → message() and addSlice() per slice → finishResults() (JUnit,
 * Allure's categories and environment, the message stream) → Allure's HTML, if any, by the caller
 * → finish() (summary.json, summary.md, hdf.json, results.csv, the manifest).
 */
import type { Envelope } from "@cucumber/messages";
import { mkdirSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { hostFileName } from "../input/host-file-name";
import type { InventoryCluster } from "../model/inventory";
import type { Result } from "../model/result";
import type { HostRecord } from "../model/run";
import { ManifestRecorder, sha256Hex, type ManifestShard } from "../evidence/manifest";
import { ALLURE_RESULTS_DIR, allureContext, AllureResultsStream, keptSnapshot } from "./formats/allure/allure-results";
import type { EnvironmentInfo } from "./formats/allure/allure-sdk";
import { PlainFileWriter } from "./formats/allure/allure-writer";
import { DigestBuilder, type RunDigest } from "./bookkeeping/digest";
import { CSV_FILE, CsvStream } from "./formats/csv";
import { collectedAt, evidenceLookup, type ResultTime } from "./formats/evidence-view";
import { HDF_FILE } from "./formats/hdf/hdf";
import { HdfStream } from "./formats/hdf/hdf-stream";
import { JUNIT_FILE, JunitStream } from "./formats/junit";
import { REPORT_MARKER } from "./output/output-dir";
import { SUMMARY_FILE, SummaryStream, type SummaryHead, type SummaryTail } from "./formats/summary";
import { SUMMARY_MD_FILE, renderSummaryMarkdown } from "./formats/summary-md";
import { Spool, StreamFile, type Written } from "./output/stream-file";
import { WriteQueue } from "./output/write-queue";
import { giveTurn } from "../util/turns";
import { PagesWriter } from "./formats/pages/writer";

/** Small enough that a part is well under util/turns.ts's TURN_MS of work. */
const RESULTS_PER_TURN = 256;

export const MESSAGES_FILE = "cucumber-messages.ndjson";
export const SNAPSHOTS_DIR = "evidence/snapshots";

export interface RunSlice {
  hosts: HostRecord[];
  clusters: InventoryCluster[];
  results: Result[];
}

interface KeptSnapshot {
  path: string;
  written: Written;
}

export class RunWriter {
  readonly manifest: ManifestRecorder;
  readonly digest: DigestBuilder;
  private readonly messages: StreamFile;
  private readonly summary: SummaryStream;
  private readonly junit: JunitStream;
  private readonly allure: AllureResultsStream;
  private readonly hdf: HdfStream;
  private readonly csv: CsvStream;
  private readonly snapshots: string;
  private readonly queue = new WriteQueue();
  /** The current slice's snapshots, by host name. */
  private readonly kept = new Map<string, KeptSnapshot>();
  private snapshotsMade = false;

  private readonly pages: PagesWriter | undefined;

  /** `pages`: also write the browsable report (pages/writer.ts). */
  constructor(
    readonly dir: string,
    private readonly head: SummaryHead,
    targets: number,
    pages = false,
  ) {
    this.manifest = new ManifestRecorder(dir);
    this.writeSmall(REPORT_MARKER, `hostproof ${head.tool.version} report of ${head.inventoryFile}, started ${head.startedAt}\n`);
    this.digest = new DigestBuilder(targets);
    this.messages = new StreamFile(join(dir, MESSAGES_FILE));
    this.summary = new SummaryStream(new StreamFile(join(dir, SUMMARY_FILE)), new Spool(join(dir, `.${SUMMARY_FILE}.hosts`)), head);
    this.junit = new JunitStream(new Spool(join(dir, `.${JUNIT_FILE}.suites`)), head.startedAt);
    this.hdf = new HdfStream(dir, head.startedAt);
    this.csv = new CsvStream(new StreamFile(join(dir, CSV_FILE)));
    const resultsDir = join(dir, ALLURE_RESULTS_DIR);
    const record = (name: string, data: string | Buffer): void => this.manifest.record(`${ALLURE_RESULTS_DIR}/${name}`, { sha256: sha256Hex(data), bytes: Buffer.byteLength(data) });
    this.allure = new AllureResultsStream(new PlainFileWriter(resultsDir, record, this.queue.write), (host, source) => this.linkEvidence(host, source));
    // Made with the first snapshot: a shard with no hosts (more shards than hosts) keeps no empty
    // folder that the manifest, which lists files, would call unexpected.
    this.snapshots = join(dir, SNAPSHOTS_DIR);
    mkdirSync(dirname(this.snapshots), { recursive: true });
    this.pages = pages ? new PagesWriter(dir, (rel, written) => this.manifest.record(rel, written)) : undefined;
  }

  /** Cucumber's messages, as its own message formatter writes them: one JSON document per line. */
  readonly message = (m: Envelope): void => {
    this.messages.write(`${JSON.stringify(m)}\n`);
  };

  /** A message line as another run wrote it (a merge copies its shards' messages). */
  readonly messageLine = (line: string): void => {
    this.messages.write(`${line}\n`);
  };

  /**
   * Waits for the previous slice's files first: two slices at most are in memory. Each output takes
   * the slice's results RESULTS_PER_TURN at a time (JUnit a target's suite at a time), giving the
   * event loop a turn between parts (util/turns.ts): a slice is seconds of work on a busy machine,
   * and an interrupt must not wait for it. Every file gets the same bytes as from one call.
   */
  async addSlice(slice: RunSlice): Promise<void> {
    await this.queue.drain();
    this.kept.clear();
    // Results citing no probe are placed at the run's time span (allure-results.ts): so far.
    const report = { startedAt: this.head.startedAt, finishedAt: new Date().toISOString(), hosts: slice.hosts, clusters: slice.clusters };
    for (const h of slice.hosts) {
      this.keepSnapshot(h);
      await giveTurn();
    }
    const lookup = evidenceLookup(report);
    const allure = allureContext(report, lookup);
    const snapshotTimes = new Map(slice.hosts.map((h) => [h.name, h.snapshot.collectedAt] as const));
    const timeOf: ResultTime = (r, views) => collectedAt(views, r.target.kind === "host" ? snapshotTimes.get(r.target.name) : undefined);
    const { results } = slice;
    for (let i = 0; i === 0 || i < results.length; i += RESULTS_PER_TURN) {
      const part = results.slice(i, i + RESULTS_PER_TURN);
      this.summary.add(part, i === 0 ? slice.hosts : [], lookup);
      this.allure.add(part, allure);
      this.hdf.add(part, lookup, timeOf);
      this.csv.add(part, lookup, timeOf);
      await giveTurn();
    }
    for (const suite of JunitStream.suites(results)) {
      this.junit.addSuite(suite);
      await giveTurn();
    }
    this.digest.add(slice);
    await this.pages?.add(slice.hosts, slice.clusters, results, lookup);
  }

  /**
   * The snapshot judged is kept beside the report, so that the verdict can be re-checked from it:
   * a snapshot file as the bytes that were read and judged, a live one as the document judged.
   * A byte copy, not a link to the estate's file: an edit of that file in place would otherwise
   * rewrite the report's evidence (bench/README.md weighs the two).
   */
  private keepSnapshot(h: HostRecord): void {
    const data = keptSnapshot(h);
    const name = hostFileName(h.name);
    if (!this.snapshotsMade) mkdirSync(this.snapshots, { recursive: true });
    this.snapshotsMade = true;
    const path = join(this.snapshots, name);
    const written = { sha256: sha256Hex(data), bytes: Buffer.byteLength(data) };
    this.kept.set(h.name, { path, written });
    this.queue.write(path, data);
    this.manifest.record(`${SNAPSHOTS_DIR}/${name}`, written);
  }

  /**
   * A host's Allure evidence attachment is its kept snapshot, hard-linked: the same bytes under a
   * second name inside the same report, so nothing is written twice (10,000 files and 200 MB less
   * at 10,000 hosts). The queue writes in order, so the snapshot is there when the link is made;
   * where links are refused, it is copied.
   */
  private linkEvidence(host: string, source: string): void {
    const kept = this.kept.get(host);
    if (kept === undefined) return;
    this.queue.link(kept.path, join(this.dir, ALLURE_RESULTS_DIR, source));
    this.manifest.record(`${ALLURE_RESULTS_DIR}/${source}`, kept.written);
  }

  /** On a failed run: stops the writing, so that the staging folder can be removed whole. */
  async abort(): Promise<void> {
    await this.queue.close();
    this.pages?.discard();
    this.hdf.discard();
    this.csv.abandon();
    this.manifest.discard();
  }

  /** Closes everything Allure's HTML generator may read, and the message stream. */
  async finishResults(environment: EnvironmentInfo, estate: string | undefined): Promise<void> {
    this.allure.finish(environment);
    await this.queue.drain();
    await this.queue.close();
    this.manifest.record(JUNIT_FILE, await this.junit.finish(new StreamFile(join(this.dir, JUNIT_FILE)), estate));
    this.manifest.record(MESSAGES_FILE, this.messages.close());
  }

  /** Writes summary.json, summary.md, hdf.json and results.csv, then the manifest over everything; returns its digest and summary.json's. */
  async finish(tail: SummaryTail, digest: RunDigest, after: { recordTrees: string[]; shards?: ManifestShard[] }): Promise<{ manifestSha256: string; summarySha256: string }> {
    this.pages?.finish(digest);
    for (const tree of after.recordTrees) await this.manifest.recordTree(tree);
    const summary = await this.summary.finish(tail);
    this.manifest.record(SUMMARY_FILE, summary);
    const { tool, estate, inventoryFile, startedAt, asOf, failOn, tags } = this.head;
    const { finishedAt, verdict, exitCode, totals, controls } = tail;
    const run = { tool, inventoryFile, startedAt, finishedAt, asOf, failOn, verdict, exitCode, totals, controls, ...(estate !== undefined ? { estate } : {}), ...(tags !== undefined ? { tags } : {}) };
    this.manifest.record(HDF_FILE, await this.hdf.finish(new StreamFile(join(this.dir, HDF_FILE)), run));
    this.manifest.record(CSV_FILE, this.csv.finish());
    this.writeSmall(SUMMARY_MD_FILE, renderSummaryMarkdown(digest, digest.drift));
    const { manifestSha256 } = await this.manifest.write({ version: this.head.tool.version, ...(after.shards !== undefined ? { shards: after.shards } : {}) });
    return { manifestSha256, summarySha256: summary.sha256 };
  }

  /** A small file of the report, written whole and recorded in the manifest. */
  writeSmall(rel: string, text: string): void {
    writeFileSync(join(this.dir, rel), text);
    this.manifest.record(rel, { sha256: sha256Hex(text), bytes: Buffer.byteLength(text) });
  }
}
