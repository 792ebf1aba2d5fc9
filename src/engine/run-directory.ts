/**
 * The directory snapshot a run judges its estate-wide controls over: named by `run --directory`
 * (relative to where hostproof runs) or by the inventory's `directory` (relative to the inventory,
 * and held inside its folder as snapshot paths are, README "Snapshot paths"). The command line
 * wins: it is what the person running it chose for this run.
 *
 * The bytes read are kept in the report as evidence/directory/<file>, listed and hashed in the
 * manifest like every snapshot, so the estate-wide results can be re-judged from the report alone.
 */
import { mkdirSync } from "node:fs";
import { basename, extname, join, relative, resolve } from "node:path";
import { InputError } from "../errors";
import { loadDirectorySnapshot, type LoadedDirectory } from "../input/directory-snapshot";
import type { LoadedInventory } from "../input/inventory";
import { snapshotPath } from "../input/snapshot-path";
import { sha256Hex } from "../evidence/manifest";
import type { DirectoryRecord } from "../model/run";
import type { DirectoryInput } from "./directory-target";
import type { RunWriter } from "../report/run-writer";
import { formatPath } from "../schema/validate";

export const DIRECTORY_EVIDENCE_DIR = "evidence/directory";

export interface RunDirectory extends LoadedDirectory {
  /** The path read. */
  file: string;
}

/** `loaded` may be missing where only --directory is checked (validate --directory <file>). */
export function loadRunDirectory(loaded: LoadedInventory | undefined, given: string | undefined, allowOutside: boolean): RunDirectory | undefined {
  if (given !== undefined) {
    const file = resolve(given);
    return { ...loadDirectorySnapshot(file, relative(process.cwd(), file) || given), file };
  }
  if (loaded === undefined) return undefined;
  const named = loaded.inventory.directory;
  if (named === undefined || typeof named !== "string") return undefined;
  const path = snapshotPath(loaded.file, named, allowOutside);
  if ("problem" in path) {
    throw new InputError({ file: loaded.doc.file, field: formatPath(["directory"]), line: loaded.doc.lineOf(["directory"]), problem: path.problem.replace("the snapshot path", "the directory snapshot path"), fix: path.fix });
  }
  return { ...loadDirectorySnapshot(path.file, path.shown), file: path.file };
}

/** The file's own name where it is a plain one; else `directory` with its extension, which decides how it is read. */
export function keptDirectoryName(file: string): string {
  const name = basename(file);
  if (/^[A-Za-z0-9][A-Za-z0-9._-]{0,99}$/.test(name) && !/^(con|prn|aux|nul|com[0-9]|lpt[0-9])(\.|$)/i.test(name)) return name;
  const ext = extname(name).toLowerCase();
  return `directory${ext === ".yaml" || ext === ".yml" ? ext : ".json"}`;
}

/** The snapshot as summary.json lists it, known before anything is written: every format is opened with it. */
export function directoryRecord(d: RunDirectory): DirectoryRecord {
  const { snapshot } = d;
  return {
    name: d.domain,
    file: `${DIRECTORY_EVIDENCE_DIR}/${keptDirectoryName(d.file)}`,
    sha256: sha256Hex(d.raw),
    objects: snapshot.objects.length,
    collectedAt: snapshot.collectedAt,
    finishedAt: snapshot.finishedAt,
    url: snapshot.source.url,
    base: snapshot.source.base,
  };
}

/** Writes the bytes judged into the report at `record.file`, recorded in its manifest. */
export function keepDirectory(writer: RunWriter, d: RunDirectory, record: DirectoryRecord): string {
  mkdirSync(join(writer.dir, DIRECTORY_EVIDENCE_DIR), { recursive: true });
  writer.writeSmall(record.file, d.raw);
  return record.file;
}

/**
 * The snapshot as the judges are given it (engine/directory-target.ts). `evidence` is where it is
 * to be found: the report's copy for a run, the file itself for a bare cucumber-js run, which
 * writes no report.
 */
export function directorySnapshotInput(d: RunDirectory, evidence: string): NonNullable<DirectoryInput["snapshot"]> {
  return { domain: d.domain, collectedAt: d.snapshot.collectedAt, evidence, objects: d.snapshot.objects };
}
