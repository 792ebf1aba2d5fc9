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
import type { Progress } from "../../model/progress";
import { clip, DEFAULT_WIDTH, displayWidth } from "./fit";

/** The part of a stream progress needs; a test passes a fake. */
export interface ProgressStream {
  write(text: string): unknown;
  isTTY?: boolean;
  columns?: number;
}

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
    // Counted as displayed: `▸` and `·` are one column each, a wide character two.
    const width = Math.max(20, (stream.columns || DEFAULT_WIDTH) - 1);
    stream.write(ERASE + (displayWidth(line) > width ? clip(line, width) : line));
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
