/**
 * `hostproof validate <folder or .feature file>`: the control lint on features before they are
 * used. They are linted together with the controls they would run beside (built-in unless
 * --no-builtin, and any --features folders), so that an ID already taken there is caught here.
 */
import { dirname, relative, resolve } from "node:path";
import { formatProblem, InputError, type InputProblem } from "../../errors";
import { readFeatureFile, selectFeatureFiles, type FeatureFile, type FeatureSelection } from "../../controls/feature-set";
import { lintFeatures } from "../../controls/lint";
import { catalogEntries } from "../../controls/catalog";
import type { Io } from "../io";

/** A positional `validate` names features when it is a folder or ends in .feature. */
export function isFeaturePath(path: string, isDirectory: boolean): boolean {
  return isDirectory || path.endsWith(".feature");
}

/** Prints each path's verdict and every problem; returns how many of `paths` are invalid. */
export function validateFeaturePaths(paths: readonly { path: string; isDirectory: boolean }[], selection: FeatureSelection, io: Io): number {
  const cwd = process.cwd();
  // `validate --no-builtin org/` lints org/ alone: no selection is not an error here.
  const context = selection.builtin === false && !selection.folders?.length ? [] : selectFeatureFiles(selection, cwd);
  const known = new Set(context.map((f) => f.path));
  const named = new Map<string, FeatureFile[]>();
  const problems: InputProblem[] = [];
  for (const { path, isDirectory } of paths) {
    let files: FeatureFile[];
    try {
      files = isDirectory ? selectFeatureFiles({ folders: [path], builtin: false }, cwd) : [featureFile(path, cwd)];
    } catch (err) {
      if (!(err instanceof InputError)) throw err;
      // Named on the validate line, not with --features: the problem is the path's own (a file
      // inside it keeps its own name).
      problems.push(...err.problems.map((p) => (p.file === "command line" ? { ...p, file: path, field: undefined } : p)));
      files = [];
    }
    named.set(path, files);
  }
  // A path both named and selected (validate features/ beside the built-ins) is linted once.
  const extra: FeatureFile[] = [];
  for (const f of [...named.values()].flat()) {
    if (known.has(f.path)) continue;
    known.add(f.path);
    extra.push(f);
  }
  const lint = lintFeatures([...context, ...extra]);
  problems.push(...lint.problems);
  for (const p of problems) io.err(`✘ ${formatProblem(p)}`);

  const badFiles = new Set(problems.map((p) => p.file));
  // What `run` and `controls` make of the files next, so that a file valid here is one they accept.
  const entries = catalogEntries(lint.features.filter((f) => !badFiles.has(f.file.shown)));
  const namedShown = new Set([...named.values()].flat().map((f) => f.shown));
  let bad = 0;
  for (const { path } of paths) {
    const files = named.get(path) ?? [];
    const shown = new Set(files.map((f) => f.shown));
    if (files.length === 0 || [...shown].some((s) => badFiles.has(s))) {
      bad++;
      continue;
    }
    const controls = entries.filter((e) => shown.has(e.meta.feature)).length;
    io.out(`✔ ${path}: valid controls (${controls} control(s) in ${files.length} feature file(s))`);
  }
  // A problem in the controls they were linted beside (--features) is no named path's, but still fails.
  const elsewhere = problems.some((p) => !namedShown.has(p.file));
  return bad === 0 && elsewhere ? 1 : bad;
}

/** A .feature file named on the line, read through the input reader as every feature file is. */
function featureFile(path: string, cwd: string): FeatureFile {
  const full = resolve(cwd, path);
  const { key: _key, ...file } = readFeatureFile(full, path, dirname(path));
  return { ...file, shown: relative(cwd, full).split("\\").join("/") };
}
