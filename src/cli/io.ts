import type { ProgressStream } from "./display/progress";
import { escapeControls } from "../util/terminal-safe";

/** What commands may touch of the outside world; tests pass their own. */
export interface Io {
  out(text: string): void;
  err(text: string): void;
  color: boolean;
  now(): Date;
  /** Where progress is drawn (stderr); none in tests that call main() in-process. */
  progress?: ProgressStream;
  /** The width of the terminal stdout is, for what must fit it (the run's matrix); unknown when not a terminal. */
  columns?: number;
}

/** stdout's width on a terminal; else COLUMNS when it is a number (set by a shell or a CI runner); else unknown. */
function stdoutColumns(): number | undefined {
  if (process.stdout.isTTY && process.stdout.columns > 0) return process.stdout.columns;
  const fromEnv = Number(process.env.COLUMNS);
  return Number.isInteger(fromEnv) && fromEnv > 0 ? fromEnv : undefined;
}

const color = Boolean(process.stdout.isTTY) && !process.env.NO_COLOR;

/**
 * The terminal boundary: whatever a command prints passes escapeControls, so no control character
 * from an input file reaches the terminal even where a formatter forgot one. Line feeds stay
 * (hostproof lays out lines), and so do colour codes when colour is on; the formatters escape the
 * fields they take from input files themselves, line feeds and colour codes included.
 */
export const processIo: Io = {
  out: (t) => process.stdout.write(escapeControls(t.endsWith("\n") ? t : `${t}\n`, { newline: true, sgr: color })),
  err: (t) => process.stderr.write(escapeControls(t.endsWith("\n") ? t : `${t}\n`, { newline: true })),
  color,
  now: () => new Date(),
  progress: process.stderr,
  get columns() {
    return stdoutColumns();
  },
};
