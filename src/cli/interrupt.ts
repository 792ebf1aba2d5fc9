/**
 * SIGINT and SIGTERM: stop the children, remove the unfinished output, say what was kept, and
 * exit 128 + the signal number (130, 143), as a shell reports a process a signal ended.
 *
 * Everything here is synchronous. Node runs a signal handler between two turns of the event loop,
 * never inside synchronous code, so the handler can never see a commit half-done (commitStaging's
 * two renames run in one turn); and process.exit right after it leaves no later turn in which the
 * interrupted run could go on writing.
 */
import { relative } from "node:path";
import { discardAllStaging, type Discarded } from "../report/output/staging";
import { stopAllChildren } from "../util/children";
import { existsSync } from "node:fs";

export const SIGNAL_EXIT = { SIGINT: 130, SIGTERM: 143 } as const;
type HandledSignal = keyof typeof SIGNAL_EXIT;

function shown(path: string): string {
  const rel = relative(process.cwd(), path);
  return rel === "" || rel.startsWith("..") ? path : rel;
}

function keptLine(d: Discarded): string {
  const out = shown(d.outDir);
  const what = d.removed ? `removed the unfinished output ${shown(d.staging)} (deleted in the background)` : `could not remove the unfinished output ${shown(d.staging)}; delete it yourself`;
  const kept = existsSync(d.outDir) ? `${out} is as it was before this run (the earlier report is intact)` : `${out} was not created`;
  return `  ${what}; ${kept}.`;
}

/** The lines printed on stderr after an interrupt; exported for tests. */
export function interruptMessage(signal: HandledSignal, stopped: readonly string[], discarded: readonly Discarded[]): string {
  const lines = [`hostproof: interrupted by ${signal}; stopping.`];
  if (stopped.length > 0) lines.push(`  stopped ${stopped.join(", ")}.`);
  for (const d of discarded) lines.push(keptLine(d));
  if (discarded.length === 0) lines.push("  nothing was being written: every folder is as it was (or, after the final rename, complete).");
  return `${lines.join("\n")}\n`;
}

/** On a terminal, first erase the progress line (progress.ts) the message would otherwise follow. */
function defaultWrite(text: string): void {
  process.stderr.write(process.stderr.isTTY ? `\r\u001b[2K${text}` : text);
}

/** Installs the handlers; called once by the bin script (not by main(), which tests call in-process). */
export function installInterruptHandlers(write: (text: string) => void = defaultWrite): void {
  let handling = false;
  const handle = (signal: HandledSignal): void => {
    // A second Ctrl-C while the first is handled changes nothing: the first exits in this turn.
    if (handling) return;
    handling = true;
    const stopped = stopAllChildren();
    const discarded = discardAllStaging();
    write(interruptMessage(signal, stopped, discarded));
    process.exit(SIGNAL_EXIT[signal]);
  };
  process.on("SIGINT", () => handle("SIGINT"));
  process.on("SIGTERM", () => handle("SIGTERM"));
}
