/**
 * Which copy of the step definitions `hostproof run` has Cucumber load, as a profile of cucumber.js:
 * "compiled" (the JavaScript in dist/steps/, plain Node) when this module runs compiled, as the
 * shipped CLI does; "source" (the TypeScript in steps/, through tsx) when it runs from source, as
 * the tests do. Each copy's steps import the src modules of the same copy, so a run never mixes
 * the two.
 *
 * One copy per process: with both, every step would be defined twice and Cucumber would call each
 * one ambiguous. A process that already chose one copy is refused the other, loudly.
 */
export type SupportProfile = "compiled" | "source";

export const SUPPORT_PROFILE: SupportProfile = __filename.endsWith(".ts") ? "source" : "compiled";

const SLOT = Symbol.for("hostproof.supportProfile");
type Slot = { [SLOT]?: SupportProfile };

/** The profile to run with; throws when this process already loaded the other copy's steps. */
export function claimSupportProfile(): SupportProfile {
  const slot = globalThis as Slot;
  const prior = slot[SLOT];
  if (prior !== undefined && prior !== SUPPORT_PROFILE) {
    throw new Error(`hostproof's ${prior} step definitions are already loaded in this process; loading the ${SUPPORT_PROFILE} ones too would define every step twice`);
  }
  slot[SLOT] = SUPPORT_PROFILE;
  return SUPPORT_PROFILE;
}
