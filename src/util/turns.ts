/**
 * Node runs a signal handler (cli/interrupt.ts) only between two turns of the event loop. A long
 * stretch of synchronous work, or a chain of promises that never waits for I/O (a Cucumber run is
 * one: every step of every scenario resolves in memory), holds Ctrl-C and SIGTERM off until it
 * ends: over a minute in a large judge phase (issue 18). So every loop whose length grows with the
 * estate, the controls or the report calls giveTurn() as it goes: once TURN_MS of work has passed
 * since the last turn, it lets the event loop run once. setImmediate, not a resolved promise: its
 * callback comes after the loop's poll phase, which is where a pending signal is delivered.
 *
 * The interrupt handler is synchronous and exits in its own turn, so a turn given here can never
 * let it see half of something that must be whole: the code that must (the staging folder's two
 * renames) gives no turn.
 */
export const TURN_MS = 50;

let since = performance.now();

/** True when the event loop has had no turn from here for TURN_MS. */
export function turnDue(): boolean {
  return performance.now() - since >= TURN_MS;
}

/** Lets the event loop run once if TURN_MS have passed since the last turn given; else resolves at once. */
export async function giveTurn(): Promise<void> {
  if (!turnDue()) return;
  await new Promise<void>((resolve) => setImmediate(resolve));
  since = performance.now();
}

/**
 * Work written once for both kinds of caller: a generator that yields wherever it may pause (a
 * file linted, a scenario checked) and returns its result. runToEnd runs it in one stretch, for
 * callers with nothing to wait for (`hostproof controls`, the tests); runGivingTurns gives the
 * event loop a turn at its pauses when one is due, for a run or a validation that may be long.
 */
export type Work<T> = Generator<void, T, void>;

export function runToEnd<T>(work: Work<T>): T {
  for (;;) {
    const step = work.next();
    if (step.done === true) return step.value;
  }
}

export async function runGivingTurns<T>(work: Work<T>): Promise<T> {
  for (;;) {
    const step = work.next();
    if (step.done === true) return step.value;
    await giveTurn();
  }
}
