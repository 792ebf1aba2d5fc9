/**
 * What an output format is: a function of the run's record, written as the record streams past
 * slice by slice. Every format implements this one interface and is listed in one registry
 * (./index.ts); the run's writer (report/run-writer.ts), `--help`, the manifest's coverage and the
 * list of outputs a run prints all come from that list, so a new format is one module and one line.
 *
 * A format is opened once per report (`open`: its begin), takes every slice in the estate's order
 * (`add`), and is finished once (`finish`) or aborted (`abort`). It writes only under the files it
 * names, and records each file it writes through its context, so the manifest vouches for them.
 */
import type { ManifestShard } from "../../evidence/manifest";
import type { InventoryCluster } from "../../model/inventory";
import type { Progress } from "../../model/progress";
import type { Result } from "../../model/result";
import type { HostRecord } from "../../model/run";
import type { RunDigest } from "../bookkeeping/digest";
import type { Written } from "../output/stream-file";
import type { AllureExecutor } from "./allure/executor";
import type { EnvironmentInfo } from "./allure/allure-sdk";
import type { EvidenceLookup, ResultTime, ResultWindow } from "./evidence-view";
import type { SummaryHead, SummaryTail } from "./summary";

export interface Format {
  /** What `--format` and the registry call it: lower case, no spaces ("junit", "allure-results"). */
  readonly name: string;
  /** One line for `--help`: what the format holds and who reads it. */
  readonly description: string;
  /**
   * What it writes, relative to the report folder: files, and folders ending in `/` (every file
   * under one is the format's). These are what the manifest covers for it, and what `export` writes.
   */
  readonly files: readonly string[];
  /** The file a reader opens, when it is not the first of `files` (a folder's index.html). */
  readonly opens?: string;
  /** Formats whose files this one reads when it finishes (Allure's HTML reads allure-results/). */
  readonly needs?: readonly string[];
  /** An HTML report that `run --html` chooses between: at most one of them is written. */
  readonly html?: HtmlStyle;
  /** Never among a run's defaults, at any size: written when asked for (`run --export`, or `hostproof export`). */
  readonly onRequest?: boolean;
  /**
   * Written by default above LARGE_ESTATE_HOSTS hosts (./choose.ts) too: a format whose size and
   * file count grow gently with the estate and that a gate or a reader needs at once. The others
   * are written there only on request (`run --export`, or `hostproof export` later).
   */
  readonly atScale?: boolean;
  open(context: FormatContext): FormatWriter;
}

export type HtmlStyle = "single" | "pages";

export interface FormatWriter {
  /** One slice of the estate: every result of its targets, in the run's order. */
  add(slice: SliceView): Promise<void> | void;
  /** Writes what is only known at the end; every file is complete and recorded when it resolves. */
  finish(end: EndView): Promise<FormatOutcome | void> | FormatOutcome | void;
  /** On a failed run: lets go of open files and spools (the staging folder goes whole anyway). */
  abort(): Promise<void> | void;
}

/** A format that could not be made (Allure's HTML without Java) says why; the others are still written. */
export type FormatOutcome = { ok: true; warning?: string } | { ok: false; reason: string };

/** What a format is given when it is opened. */
export interface FormatContext {
  /** The folder being written (a staging folder, put in place when every format has finished). */
  readonly dir: string;
  /** The run's facts known before anything is judged. */
  readonly head: SummaryHead;
  /** Hosts and clusters of the whole report, known from the inventory before any is judged. */
  readonly targets: { hosts: number; clusters: number };
  /**
   * The keyid the report is signed with: a run's or a merge's --sign-key (known before anything is
   * written), an export's source report's signature (verified with --key, else as it claims).
   */
  readonly signer?: string;
  readonly progress: Progress;
  /** Records a file written under `dir` (its path relative to `dir`, `/`-separated) for the manifest. */
  record(rel: string, written: Written): void;
  /** Records every file under `rel`, a folder another program wrote (Allure's HTML), if it is there. */
  recordTree(rel: string): Promise<void>;
  /** Writes a small file whole (relative to `dir`) and records it. */
  writeSmall(rel: string, data: string | Buffer): void;
  /**
   * Hands a file to the background writer (report/output/write-queue.ts), which writes in order;
   * `drain` waits for it and throws its first error. The caller records what it hands over.
   */
  queue(path: string, data: string | Buffer): void;
  drain(): Promise<void>;
  /**
   * Puts the kept snapshot of one of the current slice's hosts at `rel` (relative to `dir`) and
   * records it: the same bytes as evidence/snapshots/ holds, linked where that is safe, else copied.
   * False when the slice has no such host.
   */
  attachSnapshot(host: string, rel: string): boolean;
}

/** One slice of the record, as every format takes it. */
export interface SliceView {
  hosts: readonly HostRecord[];
  clusters: readonly InventoryCluster[];
  results: readonly Result[];
  /** Resolves a result's evidence in these hosts' snapshots. */
  lookup: EvidenceLookup;
  /** When the facts a result relies on were read (report/formats/evidence-view.ts). */
  timeOf: ResultTime;
  /** The first and last reading of those facts; a cluster's is its nodes' (evidence-view.ts). */
  windowOf: ResultWindow;
  /** When the slice was written: results citing no probe are placed within the run's time so far. */
  writtenAt: string;
  /** A host's snapshot as the report keeps it: its path in the report and SHA-256, as the manifest lists them. */
  kept: (host: string) => { file: string; sha256: string } | undefined;
}

/** The end of the record: what is only known when every slice is in. */
export interface EndView {
  /** The run's facts (verdict, totals, controls, waivers, drift, times) and its bounded digest. */
  digest: RunDigest;
  /** What summary.json closes with. */
  tail: SummaryTail;
  /** Allure's Environment panel: the run's inputs and who ran it. */
  environment: EnvironmentInfo;
  /** Allure's executor.json: which CI build made the report. */
  executor?: AllureExecutor;
  /** A history folder this report may read, locked for it: Allure's trend comes from there. */
  history?: string;
  /** A merged report's shards (its manifest's and run record's `shards`). */
  shards?: ManifestShard[];
}
