/**
 * What a run or merge says about itself while it works: the phases and their counts. The engine
 * reports to this; the CLI draws it (cli/display/progress.ts), a test or a library caller may not.
 */

export type Phase = "load" | "collect" | "judge" | "write" | "html";

export interface Progress {
  /** A phase begins; `detail` carries its counts ("8 hosts, 2 clusters"). */
  phase(phase: Phase, detail: string): void;
  /** A line that must stay on screen (a warning), printed above the progress line. */
  note(text: string): void;
  /** The run is over: erase the line (terminal) so the summary starts on a clean line. */
  end(): void;
}

export const noProgress: Progress = { phase: () => undefined, note: () => undefined, end: () => undefined };
