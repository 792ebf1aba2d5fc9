/**
 * Which feature files a command works on: hostproof's own (features/ in the package) unless
 * --no-builtin, then every folder given with --features, in the order given. One place, so that
 * `controls`, `validate`, `collect` and `run` list, lint, plan and run the same controls.
 */
import { createHash } from "node:crypto";
import { readdirSync, statSync, type Stats } from "node:fs";
import { join, relative, resolve } from "node:path";
import { InputError, type InputProblem } from "../errors";
import { readRegularFileStat } from "../input/regular-file";
import { decodeUtf8Text } from "../input/text-encoding";
import { FEATURES_DIR, PACKAGE_ROOT } from "../package-root";

/** The origin of the controls that ship with hostproof; a user folder's origin is the folder as given. */
export const BUILTIN_ORIGIN = "built-in";

/** What the command line chose: `--features <dir>` (repeatable) and `--no-builtin`. */
export interface FeatureSelection {
  folders?: readonly string[];
  /** Default true: the built-in controls are always there unless dropped on purpose. */
  builtin?: boolean;
}

export interface FeatureFile {
  /** Absolute: what Cucumber is given, whatever folder hostproof runs from. */
  path: string;
  /** As the user recognises it: relative to the package for built-ins, to the working folder for theirs. */
  shown: string;
  /** "built-in", or the --features folder as given. */
  origin: string;
  /**
   * The text as read once, through the input reader (a regular file within the size limit): what
   * the lint parses, what the digests cover, and what Cucumber must be found to have run.
   */
  text: string;
  /** SHA-256 of the bytes read. */
  sha256: string;
  /** Device, inode, size and time of last change when read: a file changed under the run differs. */
  identity: string;
}

const slashes = (p: string): string => p.split("\\").join("/");

const identityOf = (st: Stats): string => `${st.dev}:${st.ino}:${st.size}:${st.mtimeMs}:${st.ctimeMs}`;

/** Reads one feature file through the input reader; InputError (exit 3) when it is not one hostproof reads. */
export function readFeatureFile(path: string, shown: string, origin: string): FeatureFile & { key: string } {
  const { bytes, stat } = readRegularFileStat(path, shown, "feature");
  // Refused unless UTF-8; the text kept as read (a byte-order mark too), since what Cucumber runs is checked to be it.
  decodeUtf8Text(bytes, shown);
  return { path, shown, origin, text: bytes.toString("utf8"), sha256: createHash("sha256").update(bytes).digest("hex"), identity: identityOf(stat), key: `${stat.dev}:${stat.ino}` };
}

/**
 * The feature files whose file is no longer the one read (changed, replaced, removed). Stat only:
 * opening a file swapped for a FIFO would hang.
 */
export function changedFeatureFiles(files: readonly FeatureFile[]): FeatureFile[] {
  return files.filter((f) => {
    try {
      return identityOf(statSync(f.path)) !== f.identity;
    } catch {
      return true;
    }
  });
}

/**
 * Every .feature file under `dir`, sorted, so that the order of controls does not depend on the
 * file system; throws an InputError for what the walk must not pass over in silence. Links to
 * files are followed (the reader then refuses a pipe, a device or a missing target); a link to a
 * folder is refused rather than followed: it may loop, or lead to `/`, and rather than skipped:
 * its controls would silently not run. A dangling link is refused for the same reason: what it
 * pointed at may have been a folder of controls. Anything else not named .feature is left alone.
 */
export function featureFilesIn(dir: string, show: (path: string) => string = (p) => p): string[] {
  const out: string[] = [];
  const problems: InputProblem[] = [];
  const walk = (folder: string): void => {
    let entries;
    try {
      entries = readdirSync(folder, { withFileTypes: true });
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code ?? (err as Error).message;
      problems.push({ file: show(folder), problem: `this folder cannot be read (${code})`, fix: "Let the account hostproof runs as read it, or move it out of the --features folder." });
      return;
    }
    for (const entry of entries) {
      const full = join(folder, entry.name);
      const feature = entry.name.endsWith(".feature");
      if (entry.isDirectory()) walk(full);
      else if (entry.isSymbolicLink()) {
        let target: Stats | undefined;
        try {
          target = statSync(full);
        } catch {
          target = undefined;
        }
        if (target?.isDirectory()) {
          problems.push({ file: show(full), problem: "this is a symbolic link to a folder, which hostproof does not follow inside a --features folder (it may loop, or lead anywhere)", fix: "Give the folder it points to as another --features, or put the folder itself here." });
        } else if (feature) out.push(full);
        else if (target === undefined) {
          problems.push({ file: show(full), problem: "this is a symbolic link that leads nowhere (its target is missing, or it loops): it may have stood for a folder of controls", fix: "Restore what it points to, or remove the link." });
        }
      } else if (feature) out.push(full);
    }
  };
  walk(dir);
  if (problems.length > 0) throw new InputError(problems);
  return out.sort();
}

/** Throws an InputError naming every bad --features folder at once. */
export function selectFeatureFiles(selection: FeatureSelection = {}, cwd: string = process.cwd()): FeatureFile[] {
  const files: FeatureFile[] = [];
  const problems: InputProblem[] = [];
  const gather = (err: unknown): void => {
    if (!(err instanceof InputError)) throw err;
    problems.push(...err.problems);
  };
  // A folder given twice, or nested in another one given, or a file linked from another, would
  // define each of its controls twice: one file (device and inode) is read once.
  const seen = new Set<string>();
  const add = (path: string, shown: string, origin: string): void => {
    try {
      const { key, ...file } = readFeatureFile(path, shown, origin);
      if (seen.has(key)) return;
      seen.add(key);
      files.push(file);
    } catch (err) {
      gather(err);
    }
  };
  const builtinShown = (f: string): string => slashes(relative(PACKAGE_ROOT, f));
  if (selection.builtin !== false) {
    try {
      for (const f of featureFilesIn(FEATURES_DIR, builtinShown)) add(f, builtinShown(f), BUILTIN_ORIGIN);
    } catch (err) {
      gather(err);
    }
  }

  const bad = (folder: string, problem: string, fix: string): void => {
    problems.push({ file: "command line", field: "--features", problem: `'${folder}' ${problem}`, fix });
  };
  for (const folder of selection.folders ?? []) {
    const dir = resolve(cwd, folder);
    let isDir: boolean;
    try {
      isDir = statSync(dir).isDirectory();
    } catch {
      bad(folder, "does not exist", "Give a folder of .feature files, relative to where hostproof runs or absolute.");
      continue;
    }
    if (!isDir) {
      bad(folder, "is not a folder", "Give the folder that holds the .feature files, not a file: --features controls/");
      continue;
    }
    const shown = (f: string): string => slashes(relative(cwd, f)) || f;
    let found: string[];
    try {
      found = featureFilesIn(dir, shown);
    } catch (err) {
      gather(err);
      continue;
    }
    // An empty folder is almost always a wrong path; running without its controls would read as compliant.
    if (found.length === 0) {
      bad(folder, "holds no .feature file", "Check the path; controls are Gherkin files ending in .feature (subfolders are searched too).");
      continue;
    }
    for (const f of found) add(f, shown(f), folder);
  }
  if (problems.length === 0 && files.length === 0) {
    problems.push({
      file: "command line",
      field: "--no-builtin",
      problem: "--no-builtin without --features leaves no control to run",
      fix: "Add --features <dir> with your own controls, or leave --no-builtin out.",
    });
  }
  if (problems.length > 0) throw new InputError(problems);
  return files;
}
