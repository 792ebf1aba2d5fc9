/**
 * A report's files checked against its manifest while a command reads it, each file read once.
 * The files the command uses (merge: a shard's summary.json, Cucumber messages and snapshots;
 * export: the report's summary.json and snapshots) are hashed as they are read
 * (evidence/read-once.ts), so the bytes checked are the bytes used and no file can be swapped
 * between a check and a read; the pool checks only that each is a regular file, reached through no
 * link. Every other file the pool hashes in worker threads while the command works. Before anything
 * is put in place, every file must have matched and nothing unlisted be there, so a report that is
 * not as it was written is refused, as `hostproof verify` would find it.
 *
 * The manifest is read a line at a time (manifest-lines.ts), and only the entries of the files the
 * command reads are held: at 100,000 hosts the four shards of a merge list 1.8 million files,
 * which held as parsed manifests were most of the merge's memory. The other entries are read again
 * when their turn in the pool comes, handed to it as they are read, and that second read must give
 * the manifest's digest again: a manifest changed in between is reported as modified.
 *
 * Measured at 10,000 hosts in 4 shards (bench/merge.ts): hashing every shard in full before the
 * merge, then the used files again as they were read, was a third of the merge's time.
 */
import { InputError } from "../errors";
import type { FilePool } from "./file-pool";
import { MANIFEST_PATH, unlistedEntries, type ManifestEntry, type VerifyProblem } from "./manifest";
import { readManifestLines, type ManifestHead } from "./manifest-lines";
import { sameBytes, type Digest } from "./read-once";

/** Thrown where a file the command reads is not the listed one: it stops, and says what `ListedFiles.problems` then finds. */
export class NotAsListed extends Error {
  constructor(readonly shown: string) {
    super(`${shown} is not as its manifest lists it`);
  }
}

type Found = { at: number; problem: VerifyProblem };

interface Held {
  at: number;
  entry: ManifestEntry;
  /** Read and hashed by the command (require), or checked whole (found). */
  read: boolean;
}

export interface ListedOptions {
  /** The files the command reads itself, hashing them as it goes. */
  used: (path: string) => boolean;
  /** Files the command reads and checks whole on its own thread before the rest (checkListedFile). */
  checked: ReadonlySet<string>;
  /** Keep the manifest's bytes (an SSH signature is checked against them). */
  keep?: boolean;
}

/** Entries handed to the pool at once, and how many such batches may wait for it. */
const BATCH = 1024;
const WAITING = 8;

export class ListedFiles {
  private readonly read: Found[] = [];
  private where: Promise<Found[]> | undefined;
  private settled: Promise<{ found: Found[]; unlisted: VerifyProblem[] }> | undefined;
  private unread: Promise<Found[]> | undefined;

  private constructor(
    private readonly dir: string,
    /** The report folder as the user named it. */
    readonly shown: string,
    private readonly pool: FilePool,
    private readonly options: ListedOptions,
    /** The entries of the files the command reads or checks, with where each stands in the manifest: problems are listed in its order. */
    private readonly held: ReadonlyMap<string, Held>,
    /** SHA-256 of evidence/manifest.json as read. */
    readonly manifestSha256: string,
    private readonly manifestBytes: number,
    /** Files the manifest lists. */
    readonly count: number,
  ) {}

  /** Reads the manifest (InputError, exit 3, when it is not one), holding the entries of the files the command reads. */
  static async open(dir: string, shown: string, pool: FilePool, options: ListedOptions): Promise<{ files: ListedFiles; head: ManifestHead; raw?: Buffer }> {
    const held = new Map<string, Held>();
    const read = await readManifestLines(
      dir,
      shown,
      {
        entry: (entry, at) => {
          if (options.used(entry.path) || options.checked.has(entry.path)) held.set(entry.path, { at, entry, read: false });
        },
        restart: () => held.clear(),
      },
      { keep: options.keep === true },
    );
    const files = new ListedFiles(dir, shown, pool, options, held, read.sha256, read.bytes, read.count);
    return { files, head: read.head, ...(read.raw !== undefined ? { raw: read.raw } : {}) };
  }

  /** The manifest's entry for `path`, when it is a file the command reads or checks. */
  entry(path: string): ManifestEntry | undefined {
    return this.held.get(path)?.entry;
  }

  /** The listed files the command reads or checks whose path starts with `prefix`. */
  paths(prefix: string): string[] {
    return [...this.held.keys()].filter((p) => p.startsWith(prefix));
  }

  /** Starts the check that the files the command reads are there as regular files; `usedThere` waits for it. */
  checkUsedThere(): void {
    this.where = this.pooled([...this.held.values()].filter((h) => this.options.used(h.entry.path)), false);
  }

  /** Problems of the files the command reads, found before it reads them (missing, a link, a folder). */
  async usedThere(): Promise<VerifyProblem[]> {
    return (await this.where!).map((f) => f.problem);
  }

  /**
   * Starts hashing every file the command does not read, once `after` has settled (one report's
   * entries read again at a time), then the walk for files the manifest does not list.
   */
  checkRest(after: Promise<unknown> = Promise.resolve()): Promise<unknown> {
    const where = this.where ?? Promise.resolve([]);
    this.settled = (async () => {
      await after.catch(() => undefined);
      const { found, listed } = await this.rest();
      const unlisted = await unlistedEntries(this.dir, listed);
      return { found: [...(await where), ...found], unlisted };
    })();
    // Awaited by problems(); until then a failure must not count as unhandled.
    this.settled.catch(() => undefined);
    return this.settled;
  }

  /**
   * The bytes the command read of a listed file, compared with the manifest's: on a difference,
   * the problem is noted and NotAsListed thrown, so that nothing read from the file is used.
   */
  require(path: string, read: Digest): void {
    const held = this.held.get(path);
    if (held !== undefined) held.read = true;
    if (held !== undefined && sameBytes(held.entry, read)) return;
    const expected = held !== undefined ? `sha256:${held.entry.sha256} (${held.entry.bytes} bytes)` : "not listed";
    this.read.push({ at: held?.at ?? this.count, problem: { path, kind: "modified", expected, actual: `sha256:${read.sha256} (${read.bytes} bytes)` } });
    throw new NotAsListed(`${this.shown}/${path}`);
  }

  /** A listed file checked whole on the command's thread: its problem, if it had one. */
  found(path: string, problem: VerifyProblem | undefined): void {
    const held = this.held.get(path);
    if (held !== undefined) held.read = true;
    if (problem !== undefined) this.read.push({ at: held?.at ?? this.count, problem });
  }

  /** Hashes, in the pool, the held files the command did not get to read (it stopped early, or they were not the ones it needed). */
  checkUnread(): void {
    this.unread = this.pooled([...this.held.values()].filter((h) => !h.read), true);
  }

  /** Every problem of the report's files, once all are checked (checkRest), in the manifest's order; unlisted files last. */
  async problems(): Promise<VerifyProblem[]> {
    const { found, unlisted } = await this.settled!;
    const unread = this.unread !== undefined ? await this.unread : [];
    return [...[...found, ...unread, ...this.read].sort((a, b) => a.at - b.at).map((f) => f.problem), ...unlisted];
  }

  /** The manifest read again, every entry not held handed to the pool as it is read; the paths it lists, for the walk. */
  private async rest(): Promise<{ found: Found[]; listed: Set<string> }> {
    const listed = new Set<string>();
    const waiting: Promise<Found[]>[] = [];
    const found: Found[] = [];
    let batch: Held[] = [];
    // After a restart the entries are given again from the first: those already handed over are not handed twice.
    let sentThrough = 0;
    const send = (): void => {
      if (batch.length === 0) return;
      sentThrough = batch[batch.length - 1]!.at + 1;
      waiting.push(this.pooled(batch, true));
      batch = [];
    };
    const visitor = {
      entry: (entry: ManifestEntry, at: number): void => {
        listed.add(entry.path);
        if (at < sentThrough || this.held.has(entry.path)) return;
        batch.push({ at, entry, read: false });
        if (batch.length === BATCH) send();
      },
      restart: (): void => {
        batch = [];
      },
      between: async (): Promise<void> => {
        while (waiting.length > WAITING) found.push(...(await waiting.shift()!));
      },
    };
    try {
      const again = await readManifestLines(this.dir, this.shown, visitor);
      send();
      if (again.sha256 !== this.manifestSha256 || again.count !== this.count) found.push({ at: -1, problem: this.manifestChanged(`sha256:${again.sha256} (${again.bytes} bytes)`) });
    } catch (err) {
      if (!(err instanceof InputError)) throw err;
      send();
      found.push({ at: -1, problem: this.manifestChanged(err.problems[0]?.problem ?? "not a manifest") });
    }
    for (const w of waiting) found.push(...(await w));
    return { found, listed };
  }

  private manifestChanged(actual: string): VerifyProblem {
    return { path: MANIFEST_PATH, kind: "modified", expected: `sha256:${this.manifestSha256} (${this.manifestBytes} bytes), as read when the report was opened`, actual };
  }

  private pooled(entries: readonly Held[], contents: boolean): Promise<Found[]> {
    const checking = this.pool.check(this.dir, entries.map((h) => h.entry), contents).then((found) => found.map(({ index, problem }) => ({ at: entries[index]!.at, problem })));
    checking.catch(() => undefined);
    return checking;
  }
}
