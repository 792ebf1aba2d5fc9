/**
 * One output file written beside its final name and renamed into place, so a reader never sees
 * half a file and an interrupted discover leaves the earlier file as it was. The temporary name
 * follows the staging folders' pattern (`.<name>.staging-<pid>-<hex>`), so the same machinery
 * removes it on SIGINT/SIGTERM (cli/interrupt.ts) and sweeps it after a SIGKILL (staging.ts).
 */
import { randomBytes } from "node:crypto";
import { closeSync, mkdirSync, openSync, renameSync, rmSync, writeSync } from "node:fs";
import { basename, dirname, join, resolve } from "node:path";
import { sweepStaleStaging, trackStaging, untrackStaging } from "../report/output/staging";

export interface AtomicFile {
  readonly target: string;
  write(text: string): void;
  /** Closes and renames into place. */
  commit(): void;
  /** Closes and removes the temporary file; never throws (it runs on error paths). */
  discard(): void;
}

export function openAtomicFile(path: string): AtomicFile {
  const target = resolve(path);
  mkdirSync(dirname(target), { recursive: true });
  sweepStaleStaging(target);
  const temp = join(dirname(target), `.${basename(target)}.staging-${process.pid}-${randomBytes(6).toString("hex")}`);
  // "wx": never follows or reuses something already there.
  let fd: number | undefined = openSync(temp, "wx", 0o644);
  trackStaging(temp, target);
  const close = (): void => {
    if (fd !== undefined) closeSync(fd);
    fd = undefined;
  };
  return {
    target,
    write(text) {
      if (fd === undefined) throw new Error("write after close");
      writeSync(fd, text);
    },
    commit() {
      close();
      renameSync(temp, target);
      untrackStaging(temp);
    },
    discard() {
      try {
        close();
      } catch {
        /* already failing */
      }
      untrackStaging(temp);
      rmSync(temp, { force: true });
    },
  };
}
