/**
 * The run that step definitions report into. Cucumber clones world parameters per scenario, so
 * live objects cannot travel that way; a process-wide slot keyed by a registered symbol can, and it
 * survives the support code being loaded as a separate module instance.
 */
import type { FeatureFile } from "../controls/feature-set";
import type { ControlMeta, Result } from "../model/result";
import type { Estate } from "./estate";

export interface RunContext {
  estate: Estate;
  results: Result[];
  /** Controls whose scenarios ran, in run order. */
  controls: ControlMeta[];
  /** Judges that threw: bugs, reported on the results as undetermined and on the terminal. */
  internalErrors: string[];
  /** Scenarios whose checks did not all run (a step failed before judging): engine/complete-results.ts. */
  unfinished: { controlId: string; reason: string }[];
  /** The feature files being run, to give each control its origin and path as the user knows it; none in a bare cucumber-js run. */
  features?: readonly FeatureFile[];
}

const SLOT = Symbol.for("hostproof.activeRun");
type Slot = { [SLOT]?: RunContext };

export function setActiveRun(ctx: RunContext | undefined): void {
  (globalThis as Slot)[SLOT] = ctx;
}

export function hasActiveRun(): boolean {
  return (globalThis as Slot)[SLOT] !== undefined;
}

export function activeRun(): RunContext {
  const ctx = (globalThis as Slot)[SLOT];
  if (!ctx) {
    throw new Error("No hostproof run is active: run the controls with `hostproof run`, or set HOSTPROOF_INVENTORY for a bare cucumber-js run.");
  }
  return ctx;
}
