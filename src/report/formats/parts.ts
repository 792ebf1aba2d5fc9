/** A slice's results taken in parts, as every streaming format takes them. */
import type { Result } from "../../model/result";
import { giveTurn } from "../../util/turns";

/** Small enough that a part is well under util/turns.ts's TURN_MS of work. */
export const RESULTS_PER_TURN = 256;

/**
 * A slice's results RESULTS_PER_TURN at a time, with a turn of the event loop between parts
 * (util/turns.ts): a slice is seconds of work on a busy machine, and an interrupt must not wait for
 * it. `work` is called at least once (with no result for a slice that has none), `first` the first time.
 */
export async function inParts(results: readonly Result[], work: (part: readonly Result[], first: boolean) => void): Promise<void> {
  for (let i = 0; i === 0 || i < results.length; i += RESULTS_PER_TURN) {
    work(results.slice(i, i + RESULTS_PER_TURN), i === 0);
    await giveTurn();
  }
}
