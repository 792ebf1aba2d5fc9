/**
 * Which feature files a command works on: hostproof's own (features/ in the package) unless
 * --no-builtin, then every folder given with --features, in the order given. One place, so that
 * `controls`, `validate`, `collect` and `run` list, lint, plan and run the same controls.
 */
import { readdirSync, realpathSync, statSync } from "node:fs";
import { join, relative, resolve } from "node:path";
import { InputError, type InputProblem } from "../errors";
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
}

const slashes = (p: string): string => p.split("\\").join("/");

/** Every .feature file under `dir`, sorted, so that the order of controls does not depend on the file system. */
export function featureFilesIn(dir: string): string[] {
  const out: string[] = [];
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const full = join(dir, entry.name);
    if (entry.isDirectory()) out.push(...featureFilesIn(full));
    else if (entry.name.endsWith(".feature")) out.push(full);
  }
  return out.sort();
}

/** Throws an InputError naming every bad --features folder at once. */
export function selectFeatureFiles(selection: FeatureSelection = {}, cwd: string = process.cwd()): FeatureFile[] {
  const files: FeatureFile[] = [];
  // A folder given twice, or nested in another one given, would define each of its controls twice.
  const seen = new Set<string>();
  const add = (path: string, shown: string, origin: string): void => {
    const real = realpathSync(path);
    if (seen.has(real)) return;
    seen.add(real);
    files.push({ path, shown, origin });
  };
  if (selection.builtin !== false) for (const f of featureFilesIn(FEATURES_DIR)) add(f, slashes(relative(PACKAGE_ROOT, f)), BUILTIN_ORIGIN);

  const problems: InputProblem[] = [];
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
    let found: string[];
    try {
      found = featureFilesIn(dir);
    } catch (err) {
      bad(folder, `cannot be read (${(err as NodeJS.ErrnoException).code ?? (err as Error).message})`, "Check the folder's permissions.");
      continue;
    }
    // An empty folder is almost always a wrong path; running without its controls would read as compliant.
    if (found.length === 0) {
      bad(folder, "holds no .feature file", "Check the path; controls are Gherkin files ending in .feature (subfolders are searched too).");
      continue;
    }
    for (const f of found) add(f, slashes(relative(cwd, f)) || f, folder);
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
