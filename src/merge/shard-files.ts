/**
 * A shard's files checked against its manifest while the merge reads it, each file read once. The
 * files the merge uses (summary.json, the Cucumber messages, the kept snapshots) are hashed as they
 * are read (evidence/read-once.ts), so the bytes checked are the bytes merged and no file can be
 * swapped between a check and a read; the pool checks only that each is a regular file, reached
 * through no link. Every other file (allure-results, junit.xml, hdf.json, the pages...) the merge
 * does not read: the pool hashes it in worker threads while the merge works. Before the merged
 * report is put in place, every file must have matched and nothing unlisted be there, so a shard
 * that is not as it was written is refused, as `hostproof verify` of the shard would find it.
 *
 * Measured at 10,000 hosts in 4 shards (bench/merge.ts): hashing every shard in full before the
 * merge, then the used files again as they were read, was a third of the merge's time.
 */
import type { InputProblem } from "../errors";
import { briefProblems, unlistedEntries, type Manifest, type ManifestEntry, type VerifyProblem } from "../evidence/manifest";
import { sameBytes, type Digest } from "../evidence/read-once";
import type { FilePool } from "../evidence/file-pool";
import { shownArg } from "../util/shell-quote";

/** Thrown where a file merge reads is not the listed one: the merge stops, and refuses the shard by what `ShardFiles.problems` then finds. */
export class NotAsListed extends Error {
  constructor(readonly shown: string) {
    super(`${shown} is not as its manifest lists it`);
  }
}

type Found = { at: number; problem: VerifyProblem };

export class ShardFiles {
  private readonly read: Found[] = [];
  /** The entries of the files merge reads or has checked, with where each stands in the manifest: problems are listed in its order. */
  private readonly entries: ReadonlyMap<string, { at: number; entry: ManifestEntry }>;
  /** Held until every file is checked and the folder walked for unlisted ones: at 100,000 hosts the shards list 1.8 million files. */
  private manifest: Manifest | undefined;
  private readonly count: number;
  private where: Promise<Found[]> | undefined;
  private settled: Promise<{ found: Found[]; unlisted: VerifyProblem[] }> | undefined;

  constructor(
    private readonly dir: string,
    /** The shard folder as the user named it. */
    readonly shown: string,
    manifest: Manifest,
    private readonly pool: FilePool,
    /** The files merge reads itself, hashing them as it goes. */
    private readonly used: (path: string) => boolean,
    /** Files already read and checked whole on the main thread (evidence/shard.json). */
    private readonly checked: ReadonlySet<string>,
  ) {
    this.manifest = manifest;
    this.count = manifest.files.length;
    this.entries = new Map(manifest.files.flatMap((entry, at) => (used(entry.path) || checked.has(entry.path) ? [[entry.path, { at, entry }] as const] : [])));
  }

  /** Starts the check that the files merge reads are there as regular files; `usedThere` waits for it. */
  checkUsedThere(): void {
    this.where = this.pooled((path) => this.used(path), false);
  }

  /** Problems of the files merge reads, found before it reads them (missing, a link, a folder). */
  async usedThere(): Promise<VerifyProblem[]> {
    return (await this.where!).map((f) => f.problem);
  }

  /** Starts hashing every file merge does not read, then the walk for files the manifest does not list. */
  checkRest(): void {
    const manifest = this.manifest!;
    const rest = this.pooled((path) => !this.used(path) && !this.checked.has(path), true);
    const where = this.where ?? Promise.resolve([]);
    this.settled = (async () => {
      const found = [...(await where), ...(await rest)];
      const unlisted = await unlistedEntries(this.dir, new Set(manifest.files.map((f) => f.path)));
      this.manifest = undefined;
      return { found, unlisted };
    })();
    // Awaited by problems(); until then a failure must not count as unhandled.
    this.settled.catch(() => undefined);
  }

  /**
   * The bytes merge read of a listed file, compared with the manifest's: on a difference, the
   * problem is noted and NotAsListed thrown, so that nothing read from the file is used.
   */
  require(path: string, read: Digest): void {
    const listed = this.entries.get(path);
    if (listed !== undefined && sameBytes(listed.entry, read)) return;
    const expected = listed !== undefined ? `sha256:${listed.entry.sha256} (${listed.entry.bytes} bytes)` : "not listed";
    this.read.push({ at: listed?.at ?? this.count, problem: { path, kind: "modified", expected, actual: `sha256:${read.sha256} (${read.bytes} bytes)` } });
    throw new NotAsListed(`${this.shown}/${path}`);
  }

  /** A problem found on the main thread (evidence/shard.json, read there whole). */
  found(problem: VerifyProblem): void {
    this.read.push({ at: this.entries.get(problem.path)?.at ?? this.count, problem });
  }

  /** Every problem of the shard's files, once all are checked (checkRest), in the manifest's order; unlisted files last. */
  async problems(): Promise<VerifyProblem[]> {
    const { found, unlisted } = await this.settled!;
    return [...[...found, ...this.read].sort((a, b) => a.at - b.at).map((f) => f.problem), ...unlisted];
  }

  private pooled(which: (path: string) => boolean, contents: boolean): Promise<Found[]> {
    // Indexes and references, not copies.
    const files = this.manifest!.files;
    const ats: number[] = [];
    files.forEach((f, i) => which(f.path) && ats.push(i));
    const checking = this.pool.check(this.dir, ats.map((i) => files[i]!), contents).then((found) => found.map(({ index, problem }) => ({ at: ats[index]!, problem })));
    checking.catch(() => undefined);
    return checking;
  }
}

/** The one refusal of a shard whose files are not as its manifest lists them. */
export function notAsWritten(shown: string, problems: readonly VerifyProblem[]): InputProblem {
  return {
    file: shown,
    problem: `the shard is not as it was written: ${problems.length} file(s) differ from its manifest (${briefProblems(problems)})`,
    fix: `Run \`hostproof verify ${shownArg(shown)}\` for the list, then get the shard again from where its job stored it, or run that shard again.`,
  };
}
