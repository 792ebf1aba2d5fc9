/**
 * What a run is doing while it runs: a 2,000-host run is silent for most of a minute otherwise.
 *
 * Goes to stderr, so that stdout stays the summary (a pipe to a file or `tee` gets only that).
 * - On a terminal: one line, redrawn in place (carriage return, erase line) with the phase, its
 *   counts and the time since the run began, and erased at the end, as npm's and Allure's are;
 *   the summary then prints on a clean screen.
 * - Otherwise, or with CI set (CI logs keep every byte, and some runners fake a TTY): one plain
 *   line per phase as it starts.
 * The text is hostproof's own words and numbers, never input text, so it needs no escaping.
 */

export type Phase = "load" | "collect" | "judge" | "write" | "html";

/** The part of a stream progress needs; a test passes a fake. */
export interface ProgressStream {
  write(text: string): unknown;
  isTTY?: boolean;
  columns?: number;
}

export interface Progress {
  /** A phase begins; `detail` carries its counts ("8 hosts, 2 clusters"). */
  phase(phase: Phase, detail: string): void;
  /** A line that must stay on screen (a warning), printed above the progress line. */
  note(text: string): void;
  /** The run is over: erase the line (terminal) so the summary starts on a clean line. */
  end(): void;
}

export const noProgress: Progress = { phase: () => undefined, note: () => undefined, end: () => undefined };

const ERASE = "\r\u001b[2K";
/** How often the elapsed time is redrawn on a terminal; only while the event loop is free. */
const TICK_MS = 250;

function seconds(ms: number): string {
  return `${(ms / 1000).toFixed(1)} s`;
}

export function createProgress(stream: ProgressStream, env: NodeJS.ProcessEnv = process.env, now: () => number = () => performance.now()): Progress {
  const started = now();
  const live = stream.isTTY === true && (env.CI === undefined || env.CI === "" || env.CI === "false");
  if (!live) {
    return {
      phase: (phase, detail) => void stream.write(`hostproof: ${phase}: ${detail} (after ${seconds(now() - started)})\n`),
      note: (text) => void stream.write(`${text}\n`),
      end: () => undefined,
    };
  }
  let current = "";
  let timer: NodeJS.Timeout | undefined;
  const draw = (): void => {
    const line = `hostproof ▸ ${current} · ${seconds(now() - started)}`;
    // Never wider than the terminal: a wrapped line can no longer be redrawn in place.
    const width = Math.max(20, (stream.columns || 80) - 1);
    stream.write(ERASE + (line.length > width ? `${line.slice(0, width - 1)}…` : line));
  };
  return {
    phase(phase, detail) {
      current = `${phase}: ${detail}`;
      draw();
      timer ??= setInterval(draw, TICK_MS);
      // A pending redraw must not keep a finished process alive.
      timer.unref();
    },
    note(text) {
      stream.write(`${ERASE}${text}\n`);
      if (current !== "") draw();
    },
    end() {
      if (timer !== undefined) clearInterval(timer);
      timer = undefined;
      if (current !== "") stream.write(ERASE);
      current = "";
    },
  };
}

/** Measured: 125 MB per 1,000 hosts (8,676 results), 284 MB at 2,000 hosts: about 15 kB a result. */
const HTML_BYTES_PER_RESULT = 15_000;
/** Above this a browser opens the single file slowly or not at all. */
export const HTML_WARN_BYTES = 100_000_000;

export function estimateHtmlBytes(results: number): number {
  return results * HTML_BYTES_PER_RESULT;
}

/** The warning before a large single-file report, or undefined when it is small enough. */
export function htmlSizeWarning(results: number): string | undefined {
  const bytes = estimateHtmlBytes(results);
  if (bytes < HTML_WARN_BYTES) return undefined;
  return (
    `warning: the single-file HTML report of ${results.toLocaleString("en-US")} results will be about ${Math.round(bytes / 1_000_000)} MB ` +
    "(about 125 MB per 1,000 hosts); a browser may struggle to open it. --no-html skips it (allure-results/ is still written), " +
    "or --tags narrows the run."
  );
}
