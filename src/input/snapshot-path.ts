/**
 * Where a host's snapshot is read from. Policy (README, "Snapshot paths"): a snapshot path is
 * resolved against the inventory's folder, symbolic links included, and must end up inside that
 * folder; `--allow-outside-snapshots` lifts the rule. An inventory is often handed over with its
 * snapshots (hostproof collect writes them side by side), and a path such as `../../etc/passwd`,
 * or a link to it, would otherwise make hostproof open and report on any file the user can read.
 */
import { realpathSync } from "node:fs";
import { dirname, isAbsolute, relative, resolve, sep } from "node:path";

export interface SnapshotPath {
  /** The path to read, as resolved from the inventory (links not yet followed). */
  file: string;
  /** How the path is shown in messages: relative to where hostproof runs. */
  shown: string;
}

export interface PathRefused {
  problem: string;
  fix: string;
}

/** Resolves `snapshot` (from the inventory) and checks the policy; a problem when it is broken. */
export function snapshotPath(inventoryFile: string, snapshot: string, allowOutside: boolean): SnapshotPath | PathRefused {
  const baseDir = dirname(resolve(inventoryFile));
  const file = resolve(baseDir, snapshot);
  const shown = relative(process.cwd(), file) || file;
  if (allowOutside) return { file, shown };
  const real = realOrSelf(file);
  const base = realOrSelf(baseDir);
  const rel = relative(base, real);
  if (rel === "" || (!rel.startsWith(`..${sep}`) && rel !== ".." && !isAbsolute(rel))) return { file, shown };
  return {
    problem: `the snapshot path '${snapshot}' resolves to ${real}, outside the inventory's folder ${base}`,
    fix: "Keep snapshots in the inventory's folder or below it (hostproof collect writes them so), or pass --allow-outside-snapshots if this file is meant",
  };
}

/** A path that does not exist yet is checked as written: reading it will say it is missing. */
function realOrSelf(path: string): string {
  try {
    return realpathSync(path);
  } catch {
    return path;
  }
}
