/**
 * The formats of one report being written: each opened once with the same context, given every
 * slice in order, and finished in rounds (formats/index.ts: finishRounds), or aborted together.
 * What a run writes (run-writer.ts) and what `export` derives from a report (export/) go
 * through it, which is what makes the two the same bytes.
 */
import type { InventoryCluster } from "../model/inventory";
import type { Result } from "../model/result";
import type { HostRecord } from "../model/run";
import { finishRounds } from "./formats";
import { collectedAt, evidenceLookup, type ResultTime } from "./formats/evidence-view";
import type { EndView, Format, FormatContext, FormatOutcome, FormatWriter, SliceView } from "./formats/format";

export interface FormatsFinished {
  /** The end view the last round was finished with: the run's facts as written. */
  end: EndView;
  /** What a format said of itself when it finished (Allure's HTML without Java), by name. */
  outcomes: Map<string, FormatOutcome>;
}

export class FormatSet {
  private readonly writers: { name: string; needs?: readonly string[]; writer: FormatWriter }[];

  constructor(
    readonly formats: readonly Format[],
    context: FormatContext,
  ) {
    this.writers = formats.map((f) => ({ name: f.name, ...(f.needs !== undefined ? { needs: f.needs } : {}), writer: f.open(context) }));
  }

  async add(slice: SliceView): Promise<void> {
    for (const { writer } of this.writers) await writer.add(slice);
  }

  /**
   * `end` is asked for at the start of each round, so that the times the last formats carry
   * include the rounds before (Allure's HTML).
   */
  async finish(end: () => EndView): Promise<FormatsFinished> {
    const outcomes = new Map<string, FormatOutcome>();
    let view: EndView | undefined;
    for (const round of finishRounds(this.writers)) {
      view = end();
      for (const { name, writer } of round) {
        const outcome = await writer.finish(view);
        if (outcome !== undefined) outcomes.set(name, outcome);
      }
    }
    return { end: view ?? end(), outcomes };
  }

  async abort(): Promise<void> {
    for (const { writer } of this.writers) await writer.abort();
  }
}

/** A slice as every format takes it: its hosts' evidence resolved, and when each result's facts were read. */
export function sliceView(slice: { hosts: readonly HostRecord[]; clusters: readonly InventoryCluster[]; results: readonly Result[] }, writtenAt: string): SliceView {
  const snapshotTimes = new Map(slice.hosts.map((h) => [h.name, h.snapshot.collectedAt] as const));
  const timeOf: ResultTime = (r, views) => collectedAt(views, r.target.kind === "host" ? snapshotTimes.get(r.target.name) : undefined);
  return { hosts: slice.hosts, clusters: slice.clusters, results: slice.results, lookup: evidenceLookup(slice), timeOf, writtenAt };
}
