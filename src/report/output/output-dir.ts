/**
 * Atomic report output. Everything is written into a staging directory next to the final one
 * and swapped in with renames, so a crash, a full disk or a failing writer never leaves an
 * earlier report half-overwritten: before the commit the old directory is untouched, after it
 * the new one is complete.
 *
 * The staging directory is a sibling (same parent) because rename(2) is only atomic within one
 * file system; a directory under os.tmpdir() could be on another mount.
 */
import { randomBytes } from "node:crypto";
import { existsSync, lstatSync, mkdirSync, readdirSync, readlinkSync, renameSync, rmSync, statSync, writeFileSync } from "node:fs";
import { InputError } from "../../errors";
import { basename, dirname, join, resolve } from "node:path";
import { removeInBackground, type BackgroundRemoval } from "./background-remove";
import { sweepStaleStaging, trackStaging, untrackStaging } from "./staging";

/** Creates an empty staging directory beside `outDir` and returns its path. */
export function openStaging(outDir: string): string {
  const target = resolve(outDir);
  const parent = dirname(target);
  mkdirSync(parent, { recursive: true });
  // Debris of runs that were killed (SIGKILL) beside the same folder; see staging.ts.
  sweepStaleStaging(target);
  // Not mkdtemp: it creates mode 0700, and after the rename that would be the report's own mode,
  // unreadable to CI artifact uploaders and web servers. mkdir honours the umask and, like
  // mkdtemp, fails rather than reuse an existing directory.
  const staging = join(parent, `.${basename(target)}.staging-${process.pid}-${randomBytes(6).toString("hex")}`);
  mkdirSync(staging);
  // Listed so that SIGINT/SIGTERM remove it (cli/interrupt.ts).
  trackStaging(staging, target);
  return staging;
}

/**
 * Puts `staging` in place of `outDir`. An existing `outDir` is moved aside first and only
 * deleted once the new one is in place; if the second rename fails the old one is put back.
 * The deletion runs in the background (background-remove.ts); `removed.wait()` waits for it.
 */
export function commitStaging(staging: string, outDir: string): { removed: BackgroundRemoval } {
  const target = resolve(outDir);
  let aside: string | undefined;
  if (existsSync(target)) {
    aside = join(dirname(target), `.${basename(target)}.old-${process.pid}-${Date.now().toString(36)}`);
    renameSync(target, aside);
  }
  try {
    renameSync(staging, target);
    untrackStaging(staging);
  } catch (error) {
    if (aside !== undefined) renameSync(aside, target);
    throw error;
  }
  // The new report is already in place; a leftover hidden directory is untidy, not wrong, so a
  // failure to delete it must not turn a good run into a failed one (the next run sweeps it).
  return { removed: aside !== undefined ? removeInBackground(aside) : { wait: () => Promise.resolve() } };
}

/** Removes a staging directory after a failure. Never throws: it runs on error paths. */
export function discardStaging(staging: string): void {
  untrackStaging(staging);
  try {
    rmSync(staging, { recursive: true, force: true });
  } catch {
    /* nothing better to do on an error path */
  }
}

/**
 * Runs `write` against a fresh staging directory and commits it to `outDir` only if `write`
 * resolves; on any error the staging directory is removed and `outDir` is left as it was.
 */
export async function writeAtomically<T>(outDir: string, write: (staging: string) => Promise<T> | T): Promise<T> {
  const staging = openStaging(outDir);
  let value: T;
  try {
    value = await write(staging);
  } catch (error) {
    discardStaging(staging);
    throw error;
  }
  try {
    commitStaging(staging, outDir);
  } catch (error) {
    discardStaging(staging);
    throw error;
  }
  return value;
}

/** Every report folder carries this file; only such a folder (or an empty one) may be replaced. */
export const REPORT_MARKER = ".hostproof-report";

export function markReport(staging: string, text: string): void {
  writeFileSync(join(staging, REPORT_MARKER), `${text}\n`);
}

/**
 * Replacing `--out` deletes what was there. A typo such as `--out .` or `--out ~` must not delete
 * a working folder, so only a folder an earlier run wrote (it holds the marker), an empty folder
 * or a new path is accepted.
 */
export function checkReplaceable(outDir: string, shownAs: string = outDir): void {
  checkFolderPath(outDir, "--out", shownAs);
  const target = resolve(outDir);
  // /proc holds no files of ours, and Node 20's recursive mkdir loops forever under it.
  if (target === "/proc" || target.startsWith("/proc/")) {
    throw new InputError({ file: "command line", field: "--out", problem: `'${shownAs}' is inside /proc, the kernel's process file system, where no report can be written`, fix: "Choose a folder on a real file system for --out." });
  }
  if (!existsSync(target)) return;
  const fix = "Choose a new or empty folder for --out, or remove this one yourself.";
  if (!statSync(target).isDirectory()) {
    throw new InputError({ file: "command line", field: "--out", problem: `'${shownAs}' is a file, not a folder`, fix });
  }
  const entries = readdirSync(target);
  if (entries.length > 0 && !entries.includes(REPORT_MARKER)) {
    throw new InputError({ file: "command line", field: "--out", problem: `'${shownAs}' is not empty and was not written by hostproof; a run would replace everything in it`, fix });
  }
}

const errnoOf = (err: unknown): string | undefined => (err as NodeJS.ErrnoException).code;

/**
 * A folder hostproof is to write (`flag`: --out, --history) must be one it can make or use: the
 * path itself nothing or a folder (a symbolic link to one counts), and what exists of the path
 * above it folders. A file, or a link that leads nowhere or loops, anywhere on the way is bad
 * usage (exit 3) said before anything is read, not a stack trace from mkdir or a file-system
 * refusal after the whole run.
 */
export function checkFolderPath(folder: string, flag: string, shownAs: string = folder): void {
  const target = resolve(folder);
  const refuse = (problem: string): never => {
    throw new InputError({ file: "command line", field: flag, problem, fix: `Choose a folder path for ${flag} whose parts are folders (or nothing yet), e.g. ${flag} ${flag === "--history" ? ".hostproof-history/reports" : "reports"}.` });
  };
  const part = (p: string): string => (p === target ? `'${shownAs}'` : `'${p}' (in ${flag} '${shownAs}')`);
  for (let p = target; ; p = dirname(p)) {
    let link: string | undefined;
    try {
      if (lstatSync(p).isSymbolicLink()) link = readlinkSync(p);
    } catch (err) {
      // Not there yet, or below a file or a looping link: a part above decides.
      if (["ENOENT", "ENOTDIR", "ELOOP"].includes(errnoOf(err) ?? "")) {
        if (dirname(p) === p) return;
        continue;
      }
      throw err;
    }
    try {
      const st = statSync(p);
      const kind = st.isFile() ? "a file" : st.isFIFO() ? "a named pipe" : st.isCharacterDevice() || st.isBlockDevice() ? "a device" : st.isSocket() ? "a socket" : "no folder";
      if (!st.isDirectory()) refuse(`${part(p)} is ${link !== undefined ? `a symbolic link to '${link}', which is ` : ""}${kind}, not a folder`);
    } catch (err) {
      if (err instanceof InputError) throw err;
      const code = errnoOf(err);
      if (code === "ELOOP") refuse(`${part(p)} is a symbolic link that loops (to '${link ?? "?"}')`);
      if (code === "ENOENT" || code === "ENOTDIR") refuse(`${part(p)} is a symbolic link to '${link ?? "?"}', which does not exist`);
      throw err;
    }
    return; // the nearest part that exists is a folder: the rest can be made in it
  }
}
