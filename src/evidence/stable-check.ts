/**
 * Checking a report folder that a run may be replacing at that moment. A rerun puts its report in
 * place with two renames (report/output/output-dir.ts): the earlier folder aside, the new one in. A check
 * that reads the manifest of one and the files of the other reported "188 missing, 188
 * unexpected" for two intact reports.
 *
 * Why not a lock or a single atomic swap: the report is a plain folder that people copy, upload
 * and open, so it cannot become a symbolic link renamed over, Node has no renameat2(EXCHANGE), and
 * making verify wait for the writer's lock would make it wait for a whole run (minutes) when the
 * swap takes microseconds. Instead the check notes which folder (device, inode, birth time) and
 * which manifest it starts on, and again when it ends: a report is never changed in place, only
 * replaced, so the same folder and manifest at both ends mean every file came from that one
 * report. If they differ, the check is thrown away and run again on what is there now. A check
 * that finds the folder missing while a live run is between its two renames waits for the new one.
 */
import { statSync } from "node:fs";
import { join } from "node:path";
import { InputError } from "../errors";
import { replacementUnderway } from "../report/output/staging";
import { MANIFEST_PATH } from "./manifest";

/** How often a check may find the folder replaced under it before it gives up. */
const MAX_CHECKS = 5;
/** How long a folder may stay missing while a live run is between its two renames. */
const GAP_LIMIT_MS = 30_000;

/** Which file or folder is at `path` (an inode number may be reused once it is freed: the rest tells them apart). */
function identity(path: string, contentToo: boolean): string {
  try {
    const st = statSync(path, { bigint: true });
    return `${st.dev}:${st.ino}:${st.birthtimeNs}${contentToo ? `:${st.size}:${st.mtimeNs}` : ""}`;
  } catch {
    return "-";
  }
}

/** The folder and its manifest, as the file system knows them. */
function fingerprint(dir: string): string {
  return `${identity(dir, false)}|${identity(join(dir, MANIFEST_PATH), true)}`;
}

const pause = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/**
 * Runs `check` on `dir` until it ran start to end on one and the same report, and returns what it
 * returned (or throws what it threw). `note` is told when the check waits or starts over.
 */
export async function checkUnreplaced<T>(dir: string, check: () => T | Promise<T>, note: (message: string) => void): Promise<T> {
  const gapUntil = Date.now() + GAP_LIMIT_MS;
  let waitedFor: number | undefined;
  for (let attempt = 1; ; attempt++) {
    let before = fingerprint(dir);
    for (let pid = replacementUnderway(dir); pid !== undefined && Date.now() < gapUntil; pid = replacementUnderway(dir)) {
      if (waitedFor !== pid) note(`${dir} is being replaced by process ${pid} (its earlier report moved aside, the new one not yet in place); waiting for the new one`);
      waitedFor = pid;
      await pause(10);
      before = fingerprint(dir);
    }
    let value: T | undefined;
    let error: unknown;
    try {
      value = await check();
    } catch (err) {
      error = err;
    }
    if (fingerprint(dir) === before) {
      if (error !== undefined) throw error;
      return value as T;
    }
    if (attempt >= MAX_CHECKS) {
      throw new InputError({
        file: dir,
        problem: `the folder was replaced ${MAX_CHECKS} times while it was being checked (runs keep writing it)`,
        fix: "Check it when no run is writing to it, or check a copy.",
      });
    }
    note(`${dir} was replaced while it was being checked (a run put a new report in place); checking the new one`);
  }
}
