/**
 * The formats of one report being written: each opened once with the same context, given every
 * slice in order, and finished in rounds (formats/index.ts: finishRounds), or aborted together.
 * What a run writes (run-writer.ts) and what `export` derives from a report (export/) go
 * through it, which is what makes the two the same bytes.
 */
import type { InventoryCluster } from "../model/inventory";
import type { Result } from "../model/result";
import type { DirectoryRecord, HostRecord } from "../model/run";
import { finishRounds } from "./formats";
import { collectedAt, evidenceLookup, resultWindow, type ResultTime } from "./formats/evidence-view";
import type { EndView, Format, FormatContext, FormatOutcome, FormatWriter, SliceView } from "./formats/format";
import { WriteLedger, type WriteCost } from "./write-cost";

export interface FormatsFinished {
  /** The end view the last round was finished with: the run's facts as written. */
  end: EndView;
  /** What a format said of itself when it finished (Allure's HTML without Java), by name. */
  outcomes: Map<string, FormatOutcome>;
}

export class FormatSet {
  private readonly writers: { name: string; needs?: readonly string[]; writer: FormatWriter }[];

  /**
   * `ledger` is where each format's time goes (./write-cost.ts says what it includes); the run's
   * writer passes its own, which also holds the record's part and the waits outside the formats.
   */
  constructor(
    readonly formats: readonly Format[],
    context: FormatContext,
    readonly ledger: WriteLedger = new WriteLedger(),
  ) {
    // Opening a format (its begin) is billed as the start of its adding.
    this.writers = formats.map((f) => ({ name: f.name, ...(f.needs !== undefined ? { needs: f.needs } : {}), writer: ledger.timeSync(f.name, "add", () => f.open(billed(context, f.name, ledger))) }));
  }

  async add(slice: SliceView): Promise<void> {
    for (const { name, writer } of this.writers) await this.ledger.time(name, "add", () => writer.add(slice));
  }

  /**
   * `end` is asked for at the start of each round, so that the times the last formats carry
   * include the rounds before (Allure's HTML).
   */
  async finish(end: () => EndView): Promise<FormatsFinished> {
    const outcomes = new Map<string, FormatOutcome>();
    let view: EndView | undefined;
    for (const round of finishRounds(this.writers)) {
      const current = end();
      view = current;
      for (const { name, writer } of round) {
        const outcome = await this.ledger.time(name, "finish", () => writer.finish(current));
        if (outcome !== undefined) outcomes.set(name, outcome);
      }
    }
    return { end: view ?? end(), outcomes };
  }

  async abort(): Promise<void> {
    for (const { writer } of this.writers) await writer.abort();
  }

  /** What each format has cost so far, in the registry's order. */
  costs(): WriteCost[] {
    return this.ledger.costs(this.writers.map((w) => w.name));
  }
}

/**
 * A format's own view of the context: the files it hands to the background writer are counted as
 * its own, and its waits for that writer are shared among those whose files they waited for.
 */
function billed(context: FormatContext, name: string, ledger: WriteLedger): FormatContext {
  return {
    ...context,
    queue(path, data) {
      context.queue(path, data);
      // A string's length, not its UTF-8 bytes: counting those is a pass over every file's text.
      ledger.queued(name, typeof data === "string" ? data.length : data.byteLength);
    },
    drain: () => ledger.wait(() => context.drain()),
    attachSnapshot(host, rel) {
      const attached = context.attachSnapshot(host, rel);
      // A link, or a copy of bytes the record already wrote: one file for the writer, no new bytes.
      if (attached) ledger.queued(name, 0);
      return attached;
    },
  };
}

/**
 * A slice as every format takes it: its hosts' evidence resolved, and when each result's facts were read.
 * `kept`: a host's snapshot as the report keeps it in evidence/snapshots/ (its digest), where the caller wrote one.
 */
export function sliceView(
  slice: { hosts: readonly HostRecord[]; clusters: readonly InventoryCluster[]; results: readonly Result[] },
  writtenAt: string,
  kept: (host: string) => { file: string; sha256: string } | undefined = () => undefined,
  directory?: Pick<DirectoryRecord, "collectedAt" | "finishedAt">,
): SliceView {
  const snapshotTimes = new Map(slice.hosts.map((h) => [h.name, h.snapshot.collectedAt] as const));
  // A directory result's facts were read when its snapshot's query began.
  const timeOf: ResultTime = (r, views) => collectedAt(views, r.target.kind === "host" ? snapshotTimes.get(r.target.name) : r.target.kind === "directory" ? directory?.collectedAt : undefined);
  return { hosts: slice.hosts, clusters: slice.clusters, results: slice.results, lookup: evidenceLookup(slice), timeOf, windowOf: resultWindow(slice.hosts, slice.clusters, directory), writtenAt, kept };
}
