import type { ProgressStream } from "../report/progress";
import { escapeControls } from "../report/terminal-safe";

/** What commands may touch of the outside world; tests pass their own. */
export interface Io {
  out(text: string): void;
  err(text: string): void;
  color: boolean;
  now(): Date;
  /** Where progress is drawn (stderr); none in tests that call main() in-process. */
  progress?: ProgressStream;
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
};
