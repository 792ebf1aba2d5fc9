/**
 * One slice of the estate loaded and judged: what a judge worker (engine/judge-worker.ts) does
 * with each slice it is sent, and what a run does in its own thread when it has no workers. Both
 * go through this one function, so a slice judged in a worker is judged exactly as in process.
 *
 * It never throws: a failure comes back as an outcome that says at which stage it happened. The
 * run needs the stage: after a bad snapshot it only goes on loading, to list every bad snapshot of
 * the estate, and a worker may already have judged a slice beyond it; whatever that judging did,
 * failure included, is then dropped, as if the slice had never been judged.
 */
import type { Envelope } from "@cucumber/messages";
import { InputError, type InputProblem } from "../errors";
import type { LoadedInventory } from "../input/inventory";
import type { FeatureFile } from "../controls/feature-set";
import type { ControlMeta, Result } from "../model/result";
import type { HostRecord } from "../model/run";
import type { Snapshot } from "../model/snapshot";
import type { ExpectedControl } from "./complete-results";
import { runControls } from "./cucumber";
import { buildEstate } from "./estate";
import type { Slice } from "./slices";
import type { DirectoryInput } from "./directory-target";

/** What every slice of a run is judged with. */
export interface JudgeSetup {
  asOf: Date;
  tags?: string;
  features: readonly FeatureFile[];
  expected: readonly ExpectedControl[];
  allowOutsideSnapshots: boolean;
  /** The estate's directory: its snapshot if one was given, and the inventory's names. */
  directory: DirectoryInput;
}

export interface SliceJob {
  slice: Slice;
  /** The slice's live hosts, already read, by host name. */
  collected: ReadonlyMap<string, Snapshot>;
  /** False once an earlier slice had a bad snapshot: load (to report its problems), do not judge. */
  judge: boolean;
}

export type SliceOutcome =
  | { kind: "problems"; problems: InputProblem[] }
  | { kind: "loaded"; loadMs: number }
  | {
      kind: "judged";
      hosts: HostRecord[];
      results: Result[];
      controls: ControlMeta[];
      internalErrors: string[];
      /** Steps Cucumber could not run: a defect in hostproof's features, for the run to refuse. */
      brokenSteps: string[];
      loadMs: number;
      judgeMs: number;
    }
  | { kind: "failed"; stage: "load" | "judge"; error: unknown };

export async function judgeSlice(loaded: LoadedInventory, setup: JudgeSetup, job: SliceJob, onMessage: (m: Envelope) => void): Promise<SliceOutcome> {
  const tl = performance.now();
  let estate;
  try {
    estate = await buildEstate(loaded, setup.asOf, job.collected, setup.allowOutsideSnapshots, job.slice, undefined, setup.directory);
  } catch (error) {
    return error instanceof InputError ? { kind: "problems", problems: error.problems } : { kind: "failed", stage: "load", error };
  }
  const tj = performance.now();
  if (!job.judge) return { kind: "loaded", loadMs: tj - tl };
  try {
    const run = await runControls({ estate, tags: setup.tags, features: setup.features, expected: setup.expected, onMessage });
    return {
      kind: "judged",
      hosts: estate.hosts.map((h) => h.record),
      results: run.results,
      controls: run.controls,
      internalErrors: run.internalErrors,
      brokenSteps: run.brokenSteps,
      loadMs: tj - tl,
      judgeMs: performance.now() - tj,
    };
  } catch (error) {
    return { kind: "failed", stage: "judge", error };
  }
}
