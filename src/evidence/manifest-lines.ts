/**
 * evidence/manifest.json read a line at a time, its entries handed out as they are read and never
 * held together. Every hostproof writes the manifest one entry to a line (serialiseManifest,
 * ManifestRecorder), and the entries are most of it: a shard of 25,000 hosts lists 450,000 files,
 * 110 MB of text that, read whole and parsed (readManifest), became some 300 MB of buffer, string
 * and objects, held for as long as anything used the manifest. Read here, memory is one chunk and
 * the set of path keys that finds a file listed twice, let go when the read ends.
 *
 * Each entry is checked as readManifest checks it (the schema's shape and pattern, the path
 * written the one way hostproof writes it, no two entries naming one file) before it is handed
 * out. A manifest in another layout, or one with any problem, is read again whole by readManifest,
 * which says what is wrong exactly as verify always has (or, for a valid manifest laid out another
 * way, gives its entries again after `restart`): only such a manifest costs its whole size in memory.
 */
import { readFileSync } from "node:fs";
import { giveTurn } from "../util/turns";
import { entryProblems, manifestFile, MANIFEST_PATH, MANIFEST_SCHEMA_FILE, pathProblem, PLAIN_PATH, readManifest, sameFileKey, schemaProblems, type Manifest, type ManifestEntry } from "./manifest";
import { sizeLimit, tooLarge } from "../input/regular-file";
import { HashedLines } from "./read-once";

export type ManifestHead = Omit<Manifest, "files">;

export interface ManifestVisitor {
  /** Each listed file, in the manifest's order; `at` is its index in `files`. */
  entry(entry: ManifestEntry, at: number): void;
  /** The entries given so far are void: every entry is given again, from the first. */
  restart(): void;
  /** Awaited between chunks of the file: where a caller that hands entries on waits for room. */
  between?(): Promise<void>;
}

export interface ManifestRead {
  head: ManifestHead;
  /** SHA-256 of the file as read: every byte the entries came from. */
  sha256: string;
  bytes: number;
  /** How many files it lists. */
  count: number;
  /** The file's bytes, when `keep` asked for them (an SSH signature is checked against them). */
  raw?: Buffer;
}

const FILES_OPEN = '  "files": [';
const FILES_CLOSE = "  ]";
/** The members before `files` are a few hundred bytes (a merged report's shards a few more): past this, it is not a hostproof manifest. */
const MAX_HEAD_LINES = 10_000;
/** Entries given between two awaits of `between`, when the whole manifest is read. */
const REPLAY_BATCH = 4096;

/** Not the layout hostproof writes, or an entry with a problem: readManifest says which. */
class NotLines extends Error {}

/**
 * Reads the manifest of `reportDir` front to back once, giving each entry to `visitor` as it is
 * read. InputError (exit 3) as readManifest: not a folder, no manifest, or a manifest that is not one.
 */
export async function readManifestLines(reportDir: string, shownAs: string, visitor: ManifestVisitor, options: { keep?: boolean } = {}): Promise<ManifestRead> {
  const file = manifestFile(reportDir, shownAs);
  try {
    return await readLines(file, `${shownAs}/${MANIFEST_PATH}`, visitor, options.keep === true);
  } catch (err) {
    if (!(err instanceof NotLines)) throw err;
  }
  visitor.restart();
  // Throws what is wrong, as verify always said it; else the manifest is good, only laid out otherwise.
  const { manifest, sha256, raw } = readManifest(reportDir, shownAs);
  const { files, ...head } = manifest;
  for (let at = 0; at < files.length; at++) {
    visitor.entry(files[at]!, at);
    if ((at + 1) % REPLAY_BATCH === 0) await visitor.between?.();
  }
  return { head, sha256, bytes: raw.length, count: files.length, ...(options.keep === true ? { raw } : {}) };
}

/**
 * Read a line at a time, a manifest is never held whole, so it may be larger than one read whole
 * (SIZE_LIMITS): the 128 MiB limit was met by a report of some 40,000 hosts. What is held grows
 * with its entries all the same (the keys that find a file listed twice), so a bound stays.
 */
const STREAMED_LIMIT_TIMES = 4;

async function readLines(file: string, shown: string, visitor: ManifestVisitor, keep: boolean): Promise<ManifestRead> {
  const lines = new HashedLines(file, keep);
  const limit = STREAMED_LIMIT_TIMES * sizeLimit("manifest");
  try {
    if (lines.size > limit) throw tooLarge(shown, "manifest", lines.size, limit);
    const headLines: string[] = [];
    for (let line = lines.line(); line !== FILES_OPEN; line = lines.line()) {
      if (line === undefined || headLines.length >= MAX_HEAD_LINES) throw new NotLines();
      headLines.push(line);
    }
    const head = parseHead(headLines);
    const keys = new Set<string>();
    let count = 0;
    let comma = true;
    let line = lines.line();
    // An empty list is written as one empty line between its brackets.
    if (line === "") {
      line = lines.line();
      if (line !== FILES_CLOSE) throw new NotLines();
    }
    for (; line !== FILES_CLOSE; line = lines.line()) {
      if (line === undefined || !comma) throw new NotLines();
      comma = line.endsWith(",");
      visitor.entry(parseEntry(comma ? line.slice(0, -1) : line, keys), count);
      count += 1;
      if (lines.chunkEnded()) {
        if (lines.read > limit) throw tooLarge(shown, "manifest", undefined, limit);
        await visitor.between?.();
        await giveTurn();
      }
    }
    if (comma && count > 0) throw new NotLines();
    if (lines.line() !== "}" || lines.line() !== undefined) throw new NotLines();
    const { sha256, bytes } = lines.drain();
    return { head, sha256, bytes, count, ...(keep ? { raw: lines.kept()! } : {}) };
  } finally {
    lines.close();
  }
}

/** The members before `files`, with an empty `files`: the schema and the lists it holds checked as readManifest checks them. */
function parseHead(lines: readonly string[]): ManifestHead {
  let value: unknown;
  try {
    value = JSON.parse(`${lines.join("\n")}\n${FILES_OPEN}]\n}`);
  } catch {
    throw new NotLines();
  }
  if (typeof value !== "object" || value === null || Array.isArray(value)) throw new NotLines();
  const manifest = value as Manifest;
  if (!Array.isArray(manifest.files) || manifest.files.length !== 0) throw new NotLines();
  if (!Array.isArray(manifest.covers) || !manifest.covers.every((c) => typeof c === "string")) throw new NotLines();
  if (schemaProblems(manifest).length > 0 || entryProblems(manifest).length > 0) throw new NotLines();
  const { files: _none, ...head } = manifest;
  return head;
}

let relativePath: RegExp | undefined;

/** The schema's pattern for a path, compiled as Ajv compiles it. */
function pathPattern(): RegExp {
  if (relativePath === undefined) {
    const schema = JSON.parse(readFileSync(MANIFEST_SCHEMA_FILE, "utf8")) as { definitions: { relativePath: { pattern: string } } };
    relativePath = new RegExp(schema.definitions.relativePath.pattern, "u");
  }
  return relativePath;
}

const SHA256 = /^[0-9a-f]{64}$/;
/**
 * An entry as hostproof writes it, its path a JSON string with nothing escaped (so its text is its
 * value): read without JSON.parse, which cost a third of export's reading of a 10,000-host
 * report's manifest. Anything else is parsed as JSON.
 */
const WRITTEN_ENTRY = /^ {4}\{"path":"([^"\\\u0000-\u001f]*)","sha256":"([0-9a-f]{64})","bytes":(0|[1-9][0-9]{0,14})\}$/;

/** One entry line as the schema has it (`{"path", "sha256", "bytes"}` and nothing else), its path safe and not one already listed. */
function parseEntry(text: string, keys: Set<string>): ManifestEntry {
  const written = WRITTEN_ENTRY.exec(text);
  const entry = written !== null ? { path: written[1]!, sha256: written[2]!, bytes: Number(written[3]) } : parseJsonEntry(text);
  const { path } = entry;
  if (pathProblem(path) !== undefined || (!PLAIN_PATH.test(path) && !pathPattern().test(path))) throw new NotLines();
  const key = sameFileKey(path);
  if (keys.has(key)) throw new NotLines();
  keys.add(key);
  return entry;
}

function parseJsonEntry(text: string): ManifestEntry {
  if (!text.startsWith("    {")) throw new NotLines();
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw new NotLines();
  }
  if (typeof value !== "object" || value === null || Array.isArray(value)) throw new NotLines();
  const e = value as Record<string, unknown>;
  let members = 0;
  for (const _ in e) members += 1;
  const { path, sha256, bytes } = e;
  if (members !== 3 || typeof path !== "string" || typeof sha256 !== "string" || typeof bytes !== "number") throw new NotLines();
  if (!SHA256.test(sha256) || !Number.isInteger(bytes) || bytes < 0) throw new NotLines();
  return { path, sha256, bytes };
}
