/**
 * Staging folders this process has open, and the ones dead processes left behind.
 *
 * A run writes into `.<out>.staging-<pid>-<hex>` beside --out and renames it into place at the
 * end (output-dir.ts). Two things can leave such a folder behind:
 * - SIGINT/SIGTERM: the signal handler (cli/interrupt.ts) removes every folder still listed here;
 * - SIGKILL (or a power cut): nothing in the process runs, so the next run that writes beside the
 *   same --out removes the folders whose pid no longer runs. The pid in the name is what makes
 *   that safe: a folder of a live process (another hostproof writing the same --out) is kept.
 * A commit killed between its two renames leaves `.<out>.old-<pid>-<time>` (the earlier report,
 * moved aside): when --out is then missing, it is put back rather than deleted.
 *
 * Nothing large is deleted on the run's critical path: a stale folder is renamed to
 * `.<out>.trash-<pid>-<time>` and deleted by a background process (background-remove.ts), as is
 * the earlier report after a commit. A trash folder whose deleter was killed is swept again.
 */
import { randomBytes } from "node:crypto";
import { readdirSync, renameSync, rmSync } from "node:fs";
import { basename, dirname, join, resolve } from "node:path";
import { isAlive } from "../../powershell/process-tree";
import { removeInBackground } from "./background-remove";

/** staging folder → the folder it will replace. */
const open = new Map<string, string>();
/** Trash folders this process handed to a background deleter: not stale while it runs. */
const trashed = new Set<string>();

export function trackStaging(staging: string, outDir: string): void {
  open.set(resolve(staging), resolve(outDir));
}

export function untrackStaging(staging: string): void {
  open.delete(resolve(staging));
}

export interface Discarded {
  staging: string;
  outDir: string;
  removed: boolean;
}

/**
 * Takes every staging folder still open out of the way, to be deleted by a background process.
 * Synchronous, because it runs in a signal handler right before process.exit; a rename, not a
 * delete, because the handler must end within a second and a 10,000-host staging folder is over a
 * hundred thousand files (deleting them took 22 s on the bench's disk). Where the rename is
 * refused, the folder is deleted here, with retries: a child just killed may still be writing.
 */
export function discardAllStaging(): Discarded[] {
  const done: Discarded[] = [];
  for (const [staging, outDir] of open) {
    let removed = true;
    try {
      throwAway(staging, outDir);
    } catch {
      try {
        rmSync(staging, { recursive: true, force: true, maxRetries: 5, retryDelay: 50 });
      } catch {
        removed = false;
      }
    }
    done.push({ staging, outDir, removed });
    open.delete(staging);
  }
  return done;
}

/** Renames `folder` (beside `target`) to a trash name this process owns and deletes it in the background. */
function throwAway(folder: string, target: string): void {
  // Out of the staging pattern first, so that a run after this one does not start on it again.
  const trash = join(dirname(target), `.${basename(target)}.trash-${process.pid}-${Date.now().toString(36)}${randomBytes(3).toString("hex")}`);
  renameSync(folder, trash);
  trashed.add(trash);
  removeInBackground(trash);
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}

/**
 * Removes the staging (and moved-aside) folders of `outDir` whose process is gone, and returns a
 * sentence per folder for the user. A folder carrying our own pid that we did not open is stale
 * too: in a container every run may get the same pid.
 */
export function sweepStaleStaging(outDir: string, alive: (pid: number) => boolean = isAlive): string[] {
  const target = resolve(outDir);
  const parent = dirname(target);
  const base = escapeRegExp(basename(target));
  const pattern = new RegExp(`^\\.${base}\\.(staging|old|trash)-(\\d+)-[0-9a-z]+$`);
  let entries: string[];
  try {
    entries = readdirSync(parent);
  } catch {
    return [];
  }
  const notes: string[] = [];
  for (const name of entries) {
    const m = pattern.exec(name);
    if (m === null) continue;
    const pid = Number(m[2]);
    const full = join(parent, name);
    const ours = pid === process.pid;
    if (ours ? open.has(full) || trashed.has(full) : alive(pid)) continue;
    const why = ours ? "an earlier process with this process id" : `process ${pid}, which no longer runs`;
    try {
      if (m[1] === "old" && !entries.includes(basename(target))) {
        // Killed between moving the earlier report aside and putting the new one in place.
        renameSync(full, target);
        notes.push(`put back the earlier report ${target}, left moved aside as ${name} by ${why}`);
        entries.push(basename(target));
        continue;
      }
      throwAway(full, target);
      notes.push(`removing ${name} beside ${target} in the background, an unfinished output left by ${why}`);
    } catch (err) {
      notes.push(`could not remove ${full}, left by ${why}: ${(err as Error).message}`);
    }
  }
  return notes;
}

/**
 * The pid of a live process between the two renames of a commit (output-dir.ts): `outDir` is
 * missing for that instant, its earlier report moved aside as `.<out>.old-<pid>-…` and the new one
 * about to take its place. Undefined when `outDir` exists or no such process runs.
 */
export function replacementUnderway(outDir: string, alive: (pid: number) => boolean = isAlive): number | undefined {
  const target = resolve(outDir);
  const parent = dirname(target);
  const pattern = new RegExp(`^\\.${escapeRegExp(basename(target))}\\.old-(\\d+)-[0-9a-z]+$`);
  let entries: string[];
  try {
    entries = readdirSync(parent);
  } catch {
    return undefined;
  }
  if (entries.includes(basename(target))) return undefined;
  for (const name of entries) {
    const pid = Number(pattern.exec(name)?.[1]);
    if (Number.isInteger(pid) && pid !== process.pid && alive(pid)) return pid;
  }
  return undefined;
}
