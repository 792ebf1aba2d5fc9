/**
 * A report written as the run streams past slice by slice (engine/slices.ts): the record (the
 * snapshots judged, Cucumber's messages, the marker, and at the end the manifest over everything)
 * and every format it is given (report/formats/), each file hashed as it is written into the
 * manifest's record. What is only known at the end (totals, verdict, drift, timings) goes into
 * each format's end.
 *
 * Order of a run: new RunWriter → message() and addSlice() per slice → finish(), which finishes
 * the formats (those another format needs first: Allure's HTML reads allure-results/) and writes
 * the manifest.
 */
import type { Envelope } from "@cucumber/messages";
import { mkdirSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { hostFileName } from "../input/host-file-name";
import type { InventoryCluster } from "../model/inventory";
import type { Progress } from "../model/progress";
import type { Result } from "../model/result";
import type { HostRecord } from "../model/run";
import { ManifestRecorder, type ManifestShard } from "../evidence/manifest";
import { keptSnapshot } from "./formats/allure/allure-results";
import { DigestBuilder } from "./bookkeeping/digest";
import { RECORD_FORMAT } from "./formats";
import type { EndView, Format, FormatContext, FormatOutcome } from "./formats/format";
import { FormatSet, sliceView } from "./format-set";
import { RecordSlices, RUN_RECORD_FILE, runRecordText } from "./bookkeeping/run-record";
import { SUMMARY_FILE, type SummaryHead } from "./formats/summary";
import { REPORT_MARKER } from "./output/output-dir";
import { StreamFile, writtenOf, type Written } from "./output/stream-file";
import { WriteQueue } from "./output/write-queue";
import { MESSAGES_FILE, reportCoverage, SNAPSHOTS_DIR } from "./record";
import { giveTurn } from "../util/turns";
import { checkedEnv, TIMINGS } from "../input/env-vars";
import { costTable, RECORD_PART, WriteLedger, type WriteCosts } from "./write-cost";

export { MESSAGES_FILE, SNAPSHOTS_DIR } from "./record";

export interface RunSlice {
  hosts: HostRecord[];
  clusters: InventoryCluster[];
  results: Result[];
}

interface KeptSnapshot {
  path: string;
  written: Written;
}

export interface RunWriterOptions {
  /** Hosts and clusters of the whole report, known before any is judged. */
  targets: { hosts: number; clusters: number };
  /** The formats to write, in the registry's order (report/formats/index.ts). */
  formats: readonly Format[];
  /** What the manifest says it covers: every format of the registry, written or not. */
  coverage: readonly Format[];
  progress: Progress;
  /** The keyid the report will be signed with (--sign-key), for the formats that name it. */
  signer?: string;
  /**
   * How a host's kept snapshot is put at a second place in the report (Allure's evidence
   * attachment): "link", a hard link (a copy where links are refused), or "copy".
   */
  attach?: "link" | "copy";
  /** Prints what writing cost, by format, when finished (./write-cost.ts); default: HOSTPROOF_TIMINGS=1. */
  timings?: boolean;
}

export interface Finished {
  manifestSha256: string;
  summarySha256: string;
  /** The end view the last formats were finished with: the run's facts as written. */
  end: EndView;
  /** What a format said of itself when it finished (Allure's HTML without Java), by name. */
  outcomes: Map<string, FormatOutcome>;
  /** What writing each format and the record cost (./write-cost.ts). */
  costs: WriteCosts;
}

export class RunWriter {
  readonly manifest: ManifestRecorder;
  readonly digest: DigestBuilder;
  private readonly messages: StreamFile;
  private readonly snapshots: string;
  private readonly queue = new WriteQueue();
  /** The current slice's snapshots, by host name. */
  private readonly kept = new Map<string, KeptSnapshot>();
  private snapshotsMade = false;
  private readonly formats: FormatSet;
  /** The slices as written, for evidence/run.json. */
  private readonly slices = new RecordSlices();
  /** The record's results as written: the attestation names summary.json by its digest. */
  private summaryWritten: Written | undefined;
  /** What each format and the record cost, and the writer's time in all (./write-cost.ts). */
  private readonly ledger = new WriteLedger();
  private writerMs = 0;

  constructor(
    readonly dir: string,
    private readonly head: SummaryHead,
    private readonly options: RunWriterOptions,
  ) {
    if (!options.formats.some((f) => f.name === RECORD_FORMAT)) throw new Error(`RunWriter: no ${RECORD_FORMAT} format, which holds the record's results`);
    this.manifest = new ManifestRecorder(dir);
    this.writeSmall(REPORT_MARKER, `hostproof ${head.tool.version} report of ${head.inventoryFile}, started ${head.startedAt}\n`);
    this.digest = new DigestBuilder(options.targets.hosts + options.targets.clusters);
    this.messages = new StreamFile(join(dir, MESSAGES_FILE));
    // Made with the first snapshot: a shard with no hosts (more shards than hosts) keeps no empty
    // folder that the manifest, which lists files, would call unexpected.
    this.snapshots = join(dir, SNAPSHOTS_DIR);
    mkdirSync(dirname(this.snapshots), { recursive: true });
    this.formats = new FormatSet(options.formats, this.context(), this.ledger);
  }

  private context(): FormatContext {
    return {
      dir: this.dir,
      head: this.head,
      targets: this.options.targets,
      ...(this.options.signer !== undefined ? { signer: this.options.signer } : {}),
      progress: this.options.progress,
      record: (rel, written) => {
        if (rel === SUMMARY_FILE) this.summaryWritten = written;
        this.manifest.record(rel, written);
      },
      recordTree: (rel) => this.manifest.recordTree(rel),
      writeSmall: (rel, data) => this.writeSmall(rel, data),
      queue: this.queue.write,
      drain: () => this.drain(),
      attachSnapshot: (host, rel) => this.attachSnapshot(host, rel),
    };
  }

  /** Cucumber's messages, as its own message formatter writes them: one JSON document per line. */
  readonly message = (m: Envelope): void => {
    this.timed(() => this.ledger.timeSync(RECORD_PART, "add", () => this.messages.write(`${JSON.stringify(m)}\n`)));
  };

  /** A message line as another run wrote it (a merge copies its shards' messages). */
  readonly messageLine = (line: string): void => {
    this.timed(() => this.ledger.timeSync(RECORD_PART, "add", () => this.messages.write(`${line}\n`)));
  };

  /**
   * Waits for the previous slice's files first: two slices at most are in memory. Each format
   * takes the slice in parts, giving the event loop a turn between them (formats/format.ts).
   */
  async addSlice(slice: RunSlice): Promise<void> {
    const started = performance.now();
    await this.drain();
    this.kept.clear();
    const writtenAt = new Date().toISOString();
    await this.ledger.time(RECORD_PART, "add", async () => {
      for (const h of slice.hosts) {
        this.keepSnapshot(h);
        await giveTurn();
      }
    });
    await this.formats.add(sliceView(slice, writtenAt, (host) => this.keptFile(host), this.head.directory));
    this.digest.add(slice);
    this.slices.add(slice);
    this.writerMs += performance.now() - started;
  }

  /** Waits for the background writer, the wait shared among those whose files it was writing. */
  private drain(): Promise<void> {
    return this.ledger.wait(() => this.queue.drain());
  }

  private timed<T>(work: () => T): T {
    const started = performance.now();
    try {
      return work();
    } finally {
      this.writerMs += performance.now() - started;
    }
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
    const written = writtenOf(data);
    this.kept.set(h.name, { path, written });
    this.queue.write(path, data);
    this.ledger.queued(RECORD_PART, written.bytes);
    this.manifest.record(`${SNAPSHOTS_DIR}/${name}`, written);
  }

  /** Where a host's snapshot is kept in the report, and its digest, as the manifest lists it. */
  private keptFile(host: string): { file: string; sha256: string } | undefined {
    const kept = this.kept.get(host);
    return kept !== undefined ? { file: `${SNAPSHOTS_DIR}/${hostFileName(host)}`, sha256: kept.written.sha256 } : undefined;
  }

  /**
   * A host's kept snapshot under a second name inside the same report (Allure's evidence
   * attachment), hard-linked: nothing is written twice (10,000 files and 200 MB less at 10,000
   * hosts). The queue writes in order, so the snapshot is there when the link is made; where links
   * are refused, it is copied.
   */
  private attachSnapshot(host: string, rel: string): boolean {
    const kept = this.kept.get(host);
    if (kept === undefined) return false;
    const to = join(this.dir, rel);
    if (this.options.attach === "copy") this.queue.copy(kept.path, to);
    else this.queue.link(kept.path, to);
    this.manifest.record(rel, kept.written);
    return true;
  }

  /** On a failed run: stops the writing, so that the staging folder can be removed whole. */
  async abort(): Promise<void> {
    await this.queue.close();
    await this.formats.abort();
    this.messages.abandon();
    this.manifest.discard();
  }

  /**
   * Writes the run record (evidence/run.json), finishes the formats (report/format-set.ts), then
   * writes the manifest over everything. `end` is asked for at the start of each round of formats.
   */
  async finish(end: () => EndView, after: { shards?: ManifestShard[] } = {}): Promise<Finished> {
    const started = performance.now();
    await this.ledger.time(RECORD_PART, "finish", async () => {
      this.manifest.record(MESSAGES_FILE, this.messages.close());
      await this.drain();
      const first = end();
      this.writeSmall(RUN_RECORD_FILE, runRecordText({ schemaVersion: 1, controls: first.digest.controls, environment: first.environment, ...(first.executor !== undefined ? { executor: first.executor } : {}), slices: this.slices.slices, ...(first.shards !== undefined ? { shards: first.shards } : {}) }));
    });
    const { end: view, outcomes } = await this.formats.finish(end);
    await this.drain();
    await this.queue.close();
    const { manifestSha256 } = await this.ledger.time(RECORD_PART, "finish", () => this.manifest.write({ version: this.head.tool.version, covers: reportCoverage(this.options.coverage), ...(after.shards !== undefined ? { shards: after.shards } : {}) }));
    this.writerMs += performance.now() - started;
    const costs: WriteCosts = { formats: this.formats.costs(), record: this.ledger.costs([RECORD_PART])[0]!, writerMs: this.writerMs };
    if (this.options.timings ?? checkedEnv(TIMINGS) === "1") this.options.progress.note(costTable(costs));
    return { manifestSha256, summarySha256: this.summaryWritten!.sha256, end: view, outcomes, costs };
  }

  /** A small file of the report, written whole and recorded in the manifest. */
  writeSmall(rel: string, data: string | Buffer): void {
    writeFileSync(join(this.dir, rel), data);
    this.manifest.record(rel, writtenOf(data));
  }
}
