/**
 * The estate, slice by slice (engine/slices.ts): each slice loaded and judged, then written, in
 * estate order. With judge workers (engine/judge-pool.ts) the next slices are loaded and judged on
 * other cores while the main thread writes; the writing itself stays here, one slice after the
 * other in estate order, so the report is the same byte for byte (times apart) as a run that
 * judged every slice in this thread.
 *
 * Every bad snapshot of the estate is reported at once: after the first, the remaining slices are
 * still read, but not judged (or, when a worker judged one ahead already, its judging is dropped).
 */
import { InputError, type InputProblem } from "../errors";
import type { LoadedInventory } from "../input/inventory";
import type { LiveReader } from "../collect/collect-estate";
import type { ControlMeta } from "../model/result";
import type { Snapshot } from "../model/snapshot";
import type { ShardRecordBuilder } from "../report/bookkeeping/shard-record";
import type { WaiverApplier } from "../waivers/apply";
import { JudgePool, type PooledOutcome, type Sealed } from "./judge-pool";
import type { OutputSession } from "./output-session";
import { orderResults, positionsOf } from "./result-order";
import { judgeSlice, type JudgeSetup, type SliceOutcome } from "./slice-judge";
import { planSlices, type Unit } from "./slices";

export interface StreamOptions {
  loaded: LoadedInventory;
  units: readonly Unit[];
  sliceHosts: number;
  judge: JudgeSetup;
  readLive: LiveReader | undefined;
  session: OutputSession;
  waivers: WaiverApplier | undefined;
  record: ShardRecordBuilder | undefined;
  /** Judge workers for an estate of more than one slice; 0 judges every slice in this thread. */
  workers: number;
  /** The judge workers' module, when not engine/judge-worker (tests). */
  workerModule?: string;
}

export interface Streamed {
  /** The controls that ran, from the first slice (every slice runs the same ones). */
  controls: ControlMeta[] | undefined;
  internalErrors: string[];
  /** Loading slices (and waiting for their live hosts to be read), summed over the slices, on whichever thread. */
  loadMs: number;
  /** Judging, summed over the slices, on whichever thread. */
  judgeMs: number;
  /** The main thread's time not spent writing: loading and judging in process, or waiting for a worker. */
  waitMs: number;
}

export async function streamSlices(options: StreamOptions): Promise<Streamed> {
  const { loaded, session, waivers, record } = options;
  const problems: InputProblem[] = [];
  const out: Streamed = { controls: undefined, internalErrors: [], loadMs: 0, judgeMs: 0, waitMs: 0 };
  const positions = positionsOf(loaded.inventory);
  const slices = planSlices(loaded.inventory, options.sliceHosts, options.units);
  // One slice has nothing to overlap its judging with: a worker would only add its start.
  const workers = slices.length > 1 ? Math.min(options.workers, slices.length) : 0;
  const pool = workers > 0 ? new JudgePool(loaded, options.judge, workers, options.workerModule) : undefined;
  // Slices sent to be judged and not yet written: one per worker and the one being written, so
  // that a worker never waits for the writing, and memory holds a few slices whatever the estate.
  const ahead = pool !== undefined ? workers + 1 : 1;
  const reads = liveReads(options.readLive, slices);
  const judged = new Map<number, Promise<Sealed<SliceOutcome | PooledOutcome>>>();

  const send = (j: number): void => {
    const tc = performance.now();
    const outcome = reads(j).then((collected) => {
      out.loadMs += performance.now() - tc;
      const job = { slice: slices[j]!, collected, judge: problems.length === 0 };
      return pool !== undefined ? pool.judge(job) : judgeSlice(loaded, options.judge, job, session.writer.message).then((outcome) => ({ open: () => outcome }));
    });
    // Awaited in its turn; until then (or if the run fails first) it must not be "unhandled".
    outcome.catch(() => undefined);
    judged.set(j, outcome);
  };

  const write = async (outcome: SliceOutcome | PooledOutcome, k: number): Promise<void> => {
    switch (outcome.kind) {
      case "problems":
        problems.push(...outcome.problems);
        return;
      case "failed":
        // A slice judged ahead of a bad snapshot would not have been judged at all.
        if (outcome.stage === "judge" && problems.length > 0) return;
        throw outcome.error;
      case "loaded":
        return;
    }
    out.loadMs += outcome.loadMs;
    out.judgeMs += outcome.judgeMs;
    if (problems.length > 0) return;
    if (outcome.brokenSteps.length > 0) throw new Error(`the features could not run: ${outcome.brokenSteps.join("; ")}`);
    out.controls ??= outcome.controls;
    out.internalErrors.push(...outcome.internalErrors);
    if ("messages" in outcome && outcome.messages !== "") session.writer.messageLine(outcome.messages);
    const ordered = orderResults(outcome.results, out.controls.map((c) => c.id), positions);
    const results = waivers !== undefined ? ordered.map(waivers.apply) : ordered;
    const slice = slices[k]!;
    const clusters = slice.clusters.map((ci) => loaded.inventory.clusters![ci]!);
    await session.add({ hosts: outcome.hosts, clusters, results });
    record?.addSlice(slice, outcome.hosts, clusters, results.length);
  };

  // Each slice is handled in a call of its own: a suspended async function keeps every local it
  // ever assigned until it returns, so locals of the loop below would keep the last slice's
  // results reachable while the next slice is judged.
  const oneSlice = async (k: number): Promise<void> => {
    const tw = performance.now();
    const sealed = await judged.get(k)!;
    judged.delete(k);
    out.waitMs += performance.now() - tw;
    await write(sealed.open(), k);
  };
  try {
    let sent = 0;
    for (let k = 0; k < slices.length; k++) {
      while (sent < slices.length && sent < k + ahead) send(sent++);
      await oneSlice(k);
    }
  } finally {
    await pool?.close();
  }
  if (problems.length > 0) throw new InputError(problems);
  return out;
}

/**
 * The slices' live hosts, read one slice at a time in estate order, the next one while this one
 * is judged and written: what is held of live snapshots is bounded by the slices in flight, not
 * by the estate. A run without live hosts gets empty maps.
 */
function liveReads(readLive: LiveReader | undefined, slices: readonly { hosts: number[] }[]): (j: number) => Promise<ReadonlyMap<string, Snapshot>> {
  const read = (j: number): Promise<ReadonlyMap<string, Snapshot>> => (readLive !== undefined && j < slices.length ? readLive(slices[j]!.hosts).then((c) => c.snapshots) : Promise.resolve(new Map()));
  let next = read(0);
  return (j) => {
    const current = next;
    next = current.then(() => read(j + 1));
    // A read that fails is reported by the call that awaits it; until then it must not be "unhandled".
    next.catch(() => undefined);
    return current;
  };
}
