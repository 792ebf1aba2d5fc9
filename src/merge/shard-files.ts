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
import { briefProblems, unlistedEntries, type Manifest, type VerifyProblem } from "../evidence/manifest";
import { sameBytes, type Digest } from "../evidence/read-once";
import type { FilePool } from "../evidence/file-pool";
import { shownArg } from "../util/shell-quote";

/** Thrown where a file merge reads is not the listed one: the merge stops, and refuses the shard by what `ShardFiles.problems` then finds. */
export class NotAsListed extends Error {
  constructor(readonly shown: string) {
    super(`${shown} is not as its manifest lists it`);
  }
}

export class ShardFiles {
  private readonly read: { at: number; problem: VerifyProblem }[] = [];
  private readonly at: ReadonlyMap<string, number>;
  private where: Promise<{ at: number; problem: VerifyProblem }[]> | undefined;
  private rest: Promise<{ at: number; problem: VerifyProblem }[]> | undefined;

  constructor(
    private readonly dir: string,
    /** The shard folder as the user named it. */
    readonly shown: string,
    private readonly manifest: Manifest,
    private readonly pool: FilePool,
    /** The files merge reads itself, hashing them as it goes. */
    private readonly used: (path: string) => boolean,
    /** Files already read and checked whole on the main thread (evidence/shard.json). */
    private readonly checked: ReadonlySet<string>,
  ) {
    this.at = new Map(manifest.files.map((f, i) => [f.path, i] as const));
  }

  /** Starts the check that the files merge reads are there as regular files; `usedThere` waits for it. */
  checkUsedThere(): void {
    this.where = this.pooled((path) => this.used(path), false);
  }

  /** Problems of the files merge reads, found before it reads them (missing, a link, a folder). */
  async usedThere(): Promise<VerifyProblem[]> {
    return (await this.where!).map((f) => f.problem);
  }

  /** Starts hashing every file merge does not read. */
  checkRest(): void {
    this.rest = this.pooled((path) => !this.used(path) && !this.checked.has(path), true);
  }

  /**
   * The bytes merge read of a listed file, compared with the manifest's: on a difference, the
   * problem is noted and NotAsListed thrown, so that nothing read from the file is used.
   */
  require(path: string, read: Digest): void {
    const entry = this.manifest.files[this.at.get(path) ?? -1];
    if (entry !== undefined && sameBytes(entry, read)) return;
    const expected = entry !== undefined ? `sha256:${entry.sha256} (${entry.bytes} bytes)` : "not listed";
    this.read.push({ at: this.at.get(path) ?? this.manifest.files.length, problem: { path, kind: "modified", expected, actual: `sha256:${read.sha256} (${read.bytes} bytes)` } });
    throw new NotAsListed(`${this.shown}/${path}`);
  }

  /** A problem found on the main thread (evidence/shard.json, read there whole). */
  found(problem: VerifyProblem): void {
    this.read.push({ at: this.at.get(problem.path) ?? this.manifest.files.length, problem });
  }

  /** Every problem of the shard's files, once the pool has checked them all, in the manifest's order; unlisted files last. */
  async problems(): Promise<VerifyProblem[]> {
    const found = [...(await this.where ?? []), ...(await this.rest ?? []), ...this.read].sort((a, b) => a.at - b.at).map((f) => f.problem);
    const listed = new Set(this.manifest.files.map((f) => f.path));
    return [...found, ...(await unlistedEntries(this.dir, listed))];
  }

  private pooled(which: (path: string) => boolean, contents: boolean): Promise<{ at: number; problem: VerifyProblem }[]> {
    const files = this.manifest.files.map((entry, at) => ({ entry, at })).filter(({ entry }) => which(entry.path));
    const checking = this.pool.check(this.dir, files.map(({ entry }) => ({ ...entry, contents }))).then((found) => found.map(({ index, problem }) => ({ at: files[index]!.at, problem })));
    // Awaited by problems(); until then a failure must not count as unhandled.
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
