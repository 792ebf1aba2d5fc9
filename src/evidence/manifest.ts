/**
 * The evidence chain: evidence/manifest.json records the SHA-256 of every file an auditor relies
 * on, so that a report copied around (CI artifact, e-mail, audit folder) can be checked for a
 * changed, removed or planted file with `hostproof verify`.
 *
 * A manifest inside the folder it describes only proves integrity against accidents and careless
 * edits: whoever can rewrite a snapshot can rewrite the manifest too. That is why the manifest's
 * own digest is returned (and printed by the run and by verify): recorded outside the report (CI
 * log, job summary, audit ticket) it pins the whole folder.
 *
 * Hashing is synchronous with one reused buffer: the run is already past its parallel part when
 * this is called, a 1.2 GB single-file HTML report must not be read into memory at once, and a
 * per-file promise would cost more than it saves on 170,000 small files. verifyReport checks the
 * files it does not parse in worker threads (file-pool.ts), and gives the event loop a turn between
 * the files and chunks it hashes itself (util/turns.ts), so that Ctrl-C is not held off for minutes.
 */
import { createHash } from "node:crypto";
import { availableParallelism } from "node:os";
import { closeSync, constants, existsSync, fstatSync, lstatSync, openSync, readdirSync, readFileSync, readSync, statSync, writeFileSync } from "node:fs";
import { join, posix } from "node:path";
import Ajv from "ajv";
import addFormats from "ajv-formats";
import { InputError } from "../errors";
import { readRegularFile, whatItIs } from "../input/regular-file";
import { SCHEMAS_DIR } from "../package-root";
import { VERSION } from "../version";
import { Spool, StreamFile, type Written } from "../report/output/stream-file";
import { giveTurn } from "../util/turns";
import { SHARD_RECORD_FILE } from "../report/bookkeeping/shard-record";
import { REPORT_COVERAGE } from "../report/record";
import { SUMMARY_FILE } from "../report/formats/summary";
import { FilePool } from "./file-pool";
import { KeepBytes, type ChunkSink } from "./read-once";
import { ReportCheck } from "./report-check";
type SummaryHeadRead = NonNullable<ReturnType<ReportCheck["summaryHead"]>>;
import type { Contradiction } from "./summary-check";

/** Where the manifest lives, relative to the report folder (POSIX separators, as in the file). */
export const MANIFEST_PATH = "evidence/manifest.json";
export const MANIFEST_SCHEMA_FILE = join(SCHEMAS_DIR, "manifest.schema.json");

/**
 * What a manifest covers by default: the report's record and every format of the registry
 * (report/record.ts). A folder entry ends in `/`: every file under it is listed, and a file under it
 * that the manifest does not list is "unexpected". allure-results/ is covered although it holds
 * ~168,000 files (757 MB) at 10,000 hosts: the whole manifest took 3.6-3.9 s there on the 2-core
 * reference machine with the files just written (0.5 s without allure-results; 14 s from a cold
 * disk), verify 4.2-4.9 s, and the manifest is 30 MB. That is small beside the write phase and the
 * 139 s of HTML, and above a few thousand hosts the README sends auditors to `allure serve
 * allure-results`, so those files are the report they read.
 */
export const DEFAULT_COVERAGE: readonly string[] = REPORT_COVERAGE;

/**
 * A signed report's signature files (sign/attestation.ts): written after the manifest, over it, so
 * never in it. They are the files verify expects beside the manifest; any other unlisted file is
 * unexpected.
 */
export const ATTESTATION_FILE = "attestation.intoto.jsonl";
export const SSH_SIGNATURE_FILE = `${MANIFEST_PATH}.sig`;
const SIGNATURE_FILES: ReadonlySet<string> = new Set([ATTESTATION_FILE, SSH_SIGNATURE_FILE]);

/** Written by every run; manifests older than the whole-folder check did not list it. */
const REPORT_MARKER = ".hostproof-report";

export interface ManifestEntry {
  /** Relative to the report folder, `/`-separated on every platform. */
  path: string;
  sha256: string;
  bytes: number;
}

/**
 * A shard a merged report was made from (`hostproof merge`): the digest of its manifest, which
 * vouches for every file of the shard. `verify` follows the chain when the shard is at hand.
 */
export interface ManifestShard {
  /** K/N. */
  shard: string;
  manifestSha256: string;
  /** The shard's folder, relative to the merged report's: where verify looks for it. */
  report: string;
}

export interface Manifest {
  schemaVersion: 1;
  tool: { name: "hostproof"; version: string };
  createdAt: string;
  algorithm: "sha256";
  /** What the manifest vouches for (see DEFAULT_COVERAGE): verify looks for planted files there. */
  covers: string[];
  /** Present in a merged report: the shards it was made from, in order. */
  shards?: ManifestShard[];
  files: ManifestEntry[];
}

export interface WriteManifestOptions {
  now?: Date;
  /** Defaults to DEFAULT_COVERAGE. Entries that do not exist are skipped (e.g. --no-html). */
  covers?: readonly string[];
  version?: string;
  shards?: readonly ManifestShard[];
}

export interface WrittenManifest {
  manifest: Manifest;
  /** SHA-256 of evidence/manifest.json as written: record it outside the report to pin the folder. */
  manifestSha256: string;
}

export type ProblemKind = "modified" | "missing" | "unexpected";

export interface VerifyProblem {
  path: string;
  kind: ProblemKind;
  /** For `modified`: the recorded `sha256:<hex> (<n> bytes)`. */
  expected?: string;
  /** For `modified`: what is there now; for a non-file, what it is. */
  actual?: string;
}

export interface VerifyOutcome {
  /** Every file as listed, nothing else there, and the report agreeing with itself. */
  ok: boolean;
  /** Files the manifest lists (each once: a manifest listing one twice is refused), all of which were checked. */
  checked: number;
  problems: VerifyProblem[];
  /** What the report states that its own results contradict (report-check.ts); empty when not checked. */
  contradictions: Contradiction[];
  /** Per control, an order-free digest of its results as summary.json holds them (ReportCheck.resultDigests); absent when not checked or not all read. */
  resultDigests?: ReadonlyMap<string, bigint>;
  manifestSha256: string;
  manifest: Manifest;
  /** What summary.json says the report is of, as read (and hashed) by the self-check; absent when not checked or not read whole. */
  summary?: SummaryHeadRead;
  /** evidence/manifest.json as read and hashed: what its SSH signature is checked against. */
  manifestBytes: Buffer;
  /** The bytes of the files asked for with `keep`, as hashed, for those whose digest matched. */
  kept: Map<string, Buffer>;
}

export interface VerifyOptions {
  /**
   * Check that the report agrees with itself (default true). A merge checks each shard's
   * summary.json as it streams it instead, and reads no junit.xml or summary.md of a shard.
   */
  selfCheck?: boolean;
  /** Files (small ones: each is held whole) whose bytes the caller will use: read once, here. */
  keep?: readonly string[];
  /** A test seam, called between reading the manifest and the files (stable-check.ts). */
  manifestRead?: () => void;
  /** Worker threads to check the files in; by default a pool of one thread per core, closed at the end. */
  pool?: FilePool;
}

const CHUNK = 1 << 20;
let buffer: Buffer | undefined;

/**
 * SHA-256 and size of a regular file, read in 1 MiB chunks. Opened without waiting, and refused
 * (InputError) unless the open file is a regular one: a file swapped for a FIFO after its caller
 * looked at it must not hang the read. `sink` takes the same chunks as they are hashed
 * (read-once.ts): whatever it makes of them is of exactly the bytes the digest is of.
 */
export function hashFile(file: string, sink?: ChunkSink): { sha256: string; bytes: number } {
  const hashing = new FileHash(file, sink);
  try {
    while (hashing.step());
  } finally {
    hashing.close();
  }
  return hashing.result();
}

/** As hashFile, with a turn of the event loop between chunks when one is due. */
export async function hashFileGivingTurns(file: string, sink?: ChunkSink): Promise<{ sha256: string; bytes: number }> {
  const hashing = new FileHash(file, sink);
  try {
    while (hashing.step()) await giveTurn();
  } finally {
    hashing.close();
  }
  return hashing.result();
}

/** A regular file being hashed a chunk at a time; the shared buffer is only used within a step. */
class FileHash {
  private readonly hash = createHash("sha256");
  private readonly fd: number;
  private bytes = 0;

  constructor(
    file: string,
    private readonly sink: ChunkSink | undefined,
  ) {
    this.fd = openSync(file, constants.O_RDONLY | (constants.O_NONBLOCK ?? 0));
    try {
      const st = fstatSync(this.fd);
      if (!st.isFile()) throw new InputError({ file, problem: whatItIs(st), fix: "Only regular files are hashed: remove it, or put the file it stood for in its place." });
    } catch (err) {
      closeSync(this.fd);
      throw err;
    }
  }

  /** Hashes the next chunk; false at the end of the file. */
  step(): boolean {
    buffer ??= Buffer.allocUnsafe(CHUNK);
    const n = readSync(this.fd, buffer, 0, CHUNK, null);
    if (n === 0) return false;
    this.hash.update(buffer.subarray(0, n));
    this.sink?.update(buffer.subarray(0, n));
    this.bytes += n;
    return true;
  }

  close(): void {
    closeSync(this.fd);
  }

  /** Once every chunk is hashed. */
  result(): { sha256: string; bytes: number } {
    this.sink?.end();
    return { sha256: this.hash.digest("hex"), bytes: this.bytes };
  }
}

export function sha256Hex(data: string | Buffer): string {
  return createHash("sha256").update(data).digest("hex");
}

/**
 * Every path under `dir` (relative to `root`, POSIX), files and non-files apart. Symbolic links
 * are never followed: a link in a report is not evidence, and following it would vouch for
 * whatever it points at.
 */
function walk(root: string, dir: string, files: string[], others: string[]): void {
  for (const entry of readdirSync(join(root, dir), { withFileTypes: true })) {
    const rel = dir === "" ? entry.name : `${dir}/${entry.name}`;
    if (entry.isDirectory()) walk(root, rel, files, others);
    else if (entry.isFile()) files.push(rel);
    else others.push(rel);
  }
}

/** The paths present under the coverage entries, split into regular files and anything else. */
function coveredPaths(reportDir: string, covers: readonly string[]): { files: string[]; others: string[] } {
  const files: string[] = [];
  const others: string[] = [];
  for (const entry of covers) {
    const rel = entry.replace(/\/+$/, "");
    const full = join(reportDir, rel);
    if (!existsSync(full) && !isLink(full)) continue;
    const st = lstatSync(full);
    if (entry.endsWith("/") && st.isDirectory()) walk(reportDir, rel, files, others);
    else if (st.isFile()) files.push(rel);
    else others.push(rel);
  }
  const notManifest = (p: string): boolean => p !== MANIFEST_PATH;
  return { files: [...new Set(files)].filter(notManifest).sort(), others: [...new Set(others)].sort() };
}

function isLink(path: string): boolean {
  try {
    return lstatSync(path).isSymbolicLink();
  } catch {
    return false;
  }
}

/** Builds the manifest of `reportDir` without writing anything. */
export function buildManifest(reportDir: string, options: WriteManifestOptions = {}): Manifest {
  const covers = [...(options.covers ?? DEFAULT_COVERAGE)];
  const { files } = coveredPaths(reportDir, covers);
  return {
    schemaVersion: 1,
    tool: { name: "hostproof", version: options.version ?? VERSION },
    createdAt: (options.now ?? new Date()).toISOString(),
    algorithm: "sha256",
    covers,
    ...(options.shards !== undefined ? { shards: [...options.shards] } : {}),
    files: files.map((path) => ({ path, ...hashFile(join(reportDir, path)) })),
  };
}

/** One entry per line: a 170,000-entry manifest stays greppable and diffs line by line. */
export function serialiseManifest(manifest: Manifest): string {
  const { files, ...head } = manifest;
  const headJson = JSON.stringify(head, null, 2);
  const lines = files.map((f) => `    ${JSON.stringify(f)}`);
  return `${headJson.slice(0, -2)},\n  "files": [\n${lines.join(",\n")}\n  ]\n}\n`;
}

/**
 * Hashes everything the manifest covers and writes evidence/manifest.json. Call it after the last
 * covered file is written (summary.json and the HTML included) and before the folder is swapped in.
 */
export function writeManifest(reportDir: string, options: WriteManifestOptions = {}): WrittenManifest {
  const manifest = buildManifest(reportDir, options);
  const text = serialiseManifest(manifest);
  const dir = join(reportDir, "evidence");
  if (!existsSync(dir)) throw new Error(`writeManifest: ${dir} does not exist; the snapshots must be written first`);
  writeFileSync(join(reportDir, MANIFEST_PATH), text);
  return { manifest, manifestSha256: sha256Hex(text) };
}

/**
 * The manifest of a report written as a stream: each file the run writes is recorded with the
 * digest taken while writing it (report/output/stream-file.ts), so nothing is read back; only what others
 * write (Allure's HTML, the history it is seeded with) is walked and hashed at the end. Entries
 * are in the order written, not sorted, and wait in a spool: at 100,000 hosts there are a million.
 */
export class ManifestRecorder {
  private readonly spool: Spool;
  private count = 0;

  constructor(private readonly reportDir: string) {
    this.spool = new Spool(join(reportDir, ".manifest-entries"));
  }

  record(path: string, written: Written): void {
    this.spool.write(`${this.count === 0 ? "" : ",\n"}    ${JSON.stringify({ path, sha256: written.sha256, bytes: written.bytes })}`);
    this.count += 1;
  }

  /** Hashes every file under `rel` (a folder written by another program), if it exists. */
  async recordTree(rel: string): Promise<void> {
    const full = join(this.reportDir, rel);
    if (!existsSync(full)) return;
    const files: string[] = [];
    const others: string[] = [];
    if (lstatSync(full).isDirectory()) walk(this.reportDir, rel, files, others);
    else files.push(rel);
    for (const f of files.sort()) this.record(f, await hashFileGivingTurns(join(this.reportDir, f)));
  }

  /** Writes evidence/manifest.json (the evidence folder must exist) and returns its digest. */
  async write(options: WriteManifestOptions = {}): Promise<{ manifestSha256: string; files: number }> {
    const head = {
      schemaVersion: 1,
      tool: { name: "hostproof", version: options.version ?? VERSION },
      createdAt: (options.now ?? new Date()).toISOString(),
      algorithm: "sha256",
      covers: [...(options.covers ?? DEFAULT_COVERAGE)],
      ...(options.shards !== undefined ? { shards: options.shards } : {}),
    };
    const { sha256, files } = await this.writeAs(MANIFEST_PATH, head);
    return { manifestSha256: sha256, files };
  }

  /**
   * Writes the entries recorded, after the members of `head`, into `rel` (its folder must exist),
   * laid out as evidence/manifest.json is: an export's export.json is the same list of files.
   */
  async writeAs(rel: string, head: object): Promise<{ sha256: string; files: number }> {
    const file = new StreamFile(join(this.reportDir, rel));
    file.write(`${JSON.stringify(head, null, 2).slice(0, -2)},\n  "files": [\n`);
    await file.append(this.spool);
    file.write(`\n  ]\n}\n`);
    return { sha256: file.close().sha256, files: this.count };
  }

  discard(): void {
    this.spool.discard();
  }
}

let validateManifest: ((data: unknown) => boolean) & { errors?: { instancePath: string; message?: string }[] | null } | undefined;

export function schemaProblems(value: unknown): string[] {
  if (validateManifest === undefined) {
    const ajv = new Ajv({ allErrors: true, strict: false });
    addFormats(ajv);
    validateManifest = ajv.compile(JSON.parse(readFileSync(MANIFEST_SCHEMA_FILE, "utf8")) as object);
  }
  if (validateManifest(value)) return [];
  return (validateManifest.errors ?? []).slice(0, 5).map((e) => `${e.instancePath || "(top)"} ${e.message ?? "is invalid"}`);
}

/**
 * A path from the manifest is used to open files, so one that climbs out of the report
 * (`../`, absolute, drive letters, backslashes) is refused before anything is read, and so is one
 * not written the one way the writer writes it (`./a`, `a//b`): two spellings could list one file twice.
 */
export function isSafeRelativePath(path: string): boolean {
  return pathProblem(path) === undefined;
}

/** Names of folders and files as hostproof writes them: no problem to look for. */
export const PLAIN_PATH = /^[A-Za-z0-9_-][A-Za-z0-9_.-]*(\/[A-Za-z0-9_-][A-Za-z0-9_.-]*)*$/;

export function pathProblem(path: string): string | undefined {
  if (PLAIN_PATH.test(path) && !path.includes("/..") && !path.startsWith("..")) return undefined;
  if (path === "") return "is empty";
  if (path.includes("\0")) return "holds a NUL character";
  if (path.includes("\\")) return "holds a backslash, which Windows reads as a folder separator";
  if (path.startsWith("/") || /^[A-Za-z]:/.test(path)) return "is absolute: it points outside the report";
  if (path.split("/").includes("..")) return "climbs out of its folder with '..': it points outside the report";
  if (path.split("/").some((part) => part === "" || part === ".") || posix.normalize(path) !== path) return `is not written the one way hostproof writes it (it means ${JSON.stringify(posix.normalize(path).replace(/\/$/, ""))})`;
  return undefined;
}

/**
 * The name two paths share when Windows or macOS, where auditors open reports, would take them for
 * one file: letters compared without case, Unicode in one normal form, Windows dropping trailing
 * dots and spaces from each name, and `./` and `//` spelled out.
 */
export function sameFileKey(path: string): string {
  const normal = PLAIN_PATH.test(path) ? path : posix.normalize(path).normalize("NFC");
  return normal
    .toLowerCase()
    .replace(/\/\.?(?=\/|$)/g, "")
    .replace(/^\.\//, "")
    .replace(/[. ]+(?=\/|$)/g, "");
}

export function whyAlike(a: string, b: string): string {
  if (a === b) return "the same path twice";
  if (posix.normalize(a).replace(/\/$/, "") === posix.normalize(b).replace(/\/$/, "")) return "the same file, spelled two ways";
  if (a.toLowerCase() === b.toLowerCase()) return "names that differ only in case, one file on Windows and macOS";
  if (a.normalize("NFC") === b.normalize("NFC")) return "one name in two Unicode forms, one file on macOS";
  return "one file on Windows, which ignores case and trailing dots and spaces";
}

/**
 * Every entry must name its own file: a manifest listing one file twice would say "221 files
 * match" of 220, and two spellings of a name would be checked against one file on Windows.
 */
export function entryProblems(manifest: Pick<Manifest, "files" | "covers" | "shards">): string[] {
  const problems: string[] = [];
  const lists: [string, string[]][] = [
    ["files", manifest.files.map((f) => f.path)],
    ["covers", manifest.covers.map((c) => c.replace(/\/+$/, ""))],
  ];
  for (const [list, paths] of lists) {
    const seen = new Map<string, number>();
    paths.forEach((path, i) => {
      const bad = pathProblem(path);
      if (bad !== undefined) problems.push(`${list}[${i}] ${JSON.stringify(path)} ${bad}`);
      const key = sameFileKey(path);
      const first = seen.get(key);
      if (first !== undefined) problems.push(`${list}[${first}] ${JSON.stringify(paths[first])} and ${list}[${i}] ${JSON.stringify(path)} are ${whyAlike(paths[first]!, path)}`);
      else seen.set(key, i);
    });
  }
  const shards = manifest.shards ?? [];
  for (const k of ["shard", "manifestSha256", "report"] as const) {
    const seen = new Map<string, number>();
    shards.forEach((s, i) => {
      const key = k === "report" ? sameFileKey(s[k]) : s[k];
      const first = seen.get(key);
      if (first !== undefined) problems.push(`shards[${first}] and shards[${i}] have the same ${k} ${JSON.stringify(s[k])}: one shard would be checked twice`);
      else seen.set(key, i);
    });
  }
  const counts = new Set(shards.map((s) => s.shard.split("/")[1]));
  const indexes = shards.map((s) => Number(s.shard.split("/")[0]));
  if (counts.size > 1) problems.push(`shards name different numbers of shards (${[...counts].join(", ")}): they are not the shards of one run`);
  else if (shards.length > 0) {
    const n = Number([...counts][0]);
    if (indexes.some((k) => k > n) || shards.length !== n) problems.push(`shards lists ${shards.length} of ${n} shards (${shards.map((s) => s.shard).join(", ")}): a merge is made of every shard, each once`);
  }
  return problems;
}

/** Whether the value has the lists entryProblems reads, each entry with its string (the schema checks the rest). */
function pathsOf(value: unknown): true | undefined {
  const v = value as Partial<Record<"files" | "covers" | "shards", unknown>> | null;
  if (typeof v !== "object" || v === null) return undefined;
  const list = (x: unknown, ok: (e: unknown) => boolean): boolean => Array.isArray(x) && x.every(ok);
  const str = (k: string) => (e: unknown) => typeof e === "object" && e !== null && typeof (e as Record<string, unknown>)[k] === "string";
  const shardOk = (e: unknown): boolean => str("shard")(e) && str("manifestSha256")(e) && str("report")(e);
  return list(v.files, str("path")) && list(v.covers, (e) => typeof e === "string") && (v.shards === undefined || list(v.shards, shardOk)) ? true : undefined;
}

/**
 * evidence/manifest.json of `reportDir`; InputError (exit 3) when there is nothing to verify
 * against: not a folder, or no manifest.
 */
export function manifestFile(reportDir: string, shownAs: string): string {
  if (!existsSync(reportDir) || !statSync(reportDir).isDirectory()) {
    throw new InputError({ file: shownAs, problem: existsSync(reportDir) ? "this is a file, not a report folder" : "no such folder", fix: "Name the folder hostproof run wrote (its --out), e.g. hostproof verify reports." });
  }
  const file = join(reportDir, MANIFEST_PATH);
  if (!existsSync(file) && !isLink(file)) {
    throw new InputError({
      file: `${shownAs}/${MANIFEST_PATH}`,
      problem: "the report has no manifest (it was written by a hostproof without evidence manifests, or the file was removed)",
      fix: `Re-run this hostproof (${VERSION}, which writes the manifest) on the original snapshots, or get the report again from where the run stored it.`,
    });
  }
  return file;
}

export const FIX_UNVERIFIABLE = "Treat the report as unverified: get the report again from where the run stored it, or re-run hostproof on the original snapshots.";

export function readManifest(reportDir: string, shownAs: string): { manifest: Manifest; sha256: string; raw: Buffer } {
  const fixUnverifiable = FIX_UNVERIFIABLE;
  const file = manifestFile(reportDir, shownAs);
  // Through the input reader: a manifest that is a pipe, a device or huge is refused, not read.
  const raw = readRegularFile(file, `${shownAs}/${MANIFEST_PATH}`, "manifest");
  let value: unknown;
  try {
    value = JSON.parse(raw.toString("utf8"));
  } catch (err) {
    throw new InputError({ file: `${shownAs}/${MANIFEST_PATH}`, problem: `not valid JSON (${(err as Error).message})`, fix: fixUnverifiable });
  }
  // The paths first, where they can be read: the schema's pattern refuses the same ones, but says
  // only which regular expression they fail.
  const wrong = pathsOf(value) !== undefined ? entryProblems(value as Manifest) : [];
  if (wrong.length > 0) {
    throw new InputError(
      wrong.slice(0, 10).map((problem, i) => ({
        file: `${shownAs}/${MANIFEST_PATH}`,
        field: problem.split("[")[0],
        problem: `${problem}${i === 9 && wrong.length > 10 ? ` (and ${wrong.length - 10} more problems)` : ""}`,
        fix: `${fixUnverifiable} hostproof writes each file once, by one relative path.`,
      })),
    );
  }
  const problems = schemaProblems(value);
  if (problems.length > 0) {
    throw new InputError({ file: `${shownAs}/${MANIFEST_PATH}`, field: problems[0]!.split(" ")[0], problem: `not a hostproof manifest: ${problems.join("; ")}`, fix: fixUnverifiable });
  }
  const manifest = value as Manifest;
  return { manifest, sha256: sha256Hex(raw), raw };
}

/**
 * Checks every file the manifest lists (modified, missing) and looks for files it does not list
 * in what it covers (unexpected). An unexpected file is a problem: a snapshot planted in
 * evidence/ would be read as evidence, and a stray allure result would show in the HTML.
 * Throws InputError (exit 3) when there is nothing to verify against: not a folder, no manifest,
 * or a manifest that is not one.
 */
export async function verifyReport(reportDir: string, shownAs: string = reportDir, options: VerifyOptions = {}): Promise<VerifyOutcome> {
  const { manifest, sha256, raw } = readManifest(reportDir, shownAs);
  options.manifestRead?.();
  const found: { at: number; problem: VerifyProblem }[] = [];
  const listed = new Set<string>();
  const intact = new Set<string>();
  const kept = new Map<string, Buffer>();
  const keep = new Set(options.keep ?? []);
  const self = options.selfCheck === false ? undefined : new ReportCheck(shownAs);
  // What this thread reads (to keep or to parse) it hashes itself; every other file is checked in worker threads meanwhile.
  const here = (path: string): boolean => keep.has(path) || (self !== undefined && ReportCheck.reads(path));
  const elsewhere = manifest.files.map((entry, at) => ({ entry, at })).filter(({ entry }) => !here(entry.path));
  const pool = options.pool ?? new FilePool(availableParallelism());
  const pooled = pool.check(reportDir, elsewhere.map(({ entry }) => entry));
  // Awaited below; until then a failure must not count as unhandled.
  pooled.catch(() => undefined);
  try {
    for (const entry of manifest.files) listed.add(entry.path);
    // In the order the self-check needs them (a shard's record before its summary); problems are listed in the manifest's.
    const order = manifest.files.map((entry, at) => ({ entry, at })).filter(({ entry }) => here(entry.path)).sort((a, b) => ReportCheck.order(a.entry.path) - ReportCheck.order(b.entry.path) || a.at - b.at);
    for (const { entry, at } of order) {
      await giveTurn();
      const problem = await checkEntry(reportDir, entry, async (full) => {
        const keeper = keep.has(entry.path) ? new KeepBytes(entry.bytes) : undefined;
        const selfSink = self?.sink(entry.path);
        const sinks = [keeper, selfSink].filter((x): x is ChunkSink => x !== undefined);
        const now = await hashFileGivingTurns(full, sinks.length === 0 ? undefined : sinks.length === 1 ? sinks[0] : { update: (c) => sinks.forEach((k) => k.update(c)), end: () => sinks.forEach((k) => k.end()) });
        if (now.sha256 === entry.sha256 && now.bytes === entry.bytes) {
          intact.add(entry.path);
          const bytes = keeper?.bytes();
          if (bytes !== undefined) kept.set(entry.path, bytes);
          if (entry.path === SHARD_RECORD_FILE) self?.trustRecord();
        }
        return now;
      });
      if (problem !== undefined) found.push({ at, problem });
    }
    const unlisted = await unlistedEntries(reportDir, listed);
    for (const { index, problem } of await pooled) found.push({ at: elsewhere[index]!.at, problem });
    const problems = found.sort((a, b) => a.at - b.at).map((f) => f.problem);
    problems.push(...unlisted);
    const contradictions = self === undefined ? [] : listed.has(SUMMARY_FILE) ? self.finish((path) => intact.has(path)) : [{ file: `${shownAs}/${SUMMARY_FILE}`, field: "(the file)", stated: "not listed in the manifest", recomputed: "a summary.json, which every hostproof report holds" }];
    const directory = self?.summaryRest()?.directory;
    if (directory !== undefined) {
      // The snapshot summary.json names must be the one the manifest pins: the file judged, not another beside it.
      const entry = manifest.files.find((f) => f.path === directory.file);
      if (entry === undefined || entry.sha256 !== directory.sha256) {
        contradictions.push({ file: `${shownAs}/${SUMMARY_FILE}`, field: "directory", stated: `${directory.file} with SHA-256 ${directory.sha256}`, recomputed: entry === undefined ? "no such file in the manifest" : `SHA-256 ${entry.sha256}, as the manifest lists it` });
      }
    }
    const resultDigests = self?.resultDigests((path) => intact.has(path));
    const summary = self?.summaryHead();
    return { ok: problems.length === 0 && contradictions.length === 0, checked: manifest.files.length, problems, contradictions, ...(resultDigests !== undefined ? { resultDigests } : {}), ...(summary !== undefined ? { summary } : {}), manifestSha256: sha256, manifest, manifestBytes: raw, kept };
  } finally {
    if (options.pool === undefined) await pool.close();
  }
}

/** One listed file checked on this thread, its bytes handed to `sink` as they are hashed; undefined when it is as listed. */
export async function checkListedFile(reportDir: string, entry: ManifestEntry, sink?: ChunkSink): Promise<VerifyProblem | undefined> {
  return checkEntry(reportDir, entry, (full) => hashFileGivingTurns(full, sink));
}

/** One listed file: missing, not a regular file, reached through a link, or hashed by `hash` and compared. */
async function checkEntry(reportDir: string, entry: ManifestEntry, hash: (full: string) => Promise<{ sha256: string; bytes: number }>): Promise<VerifyProblem | undefined> {
  const full = join(reportDir, entry.path);
  const expected = `sha256:${entry.sha256} (${entry.bytes} bytes)`;
  let st;
  try {
    st = lstatSync(full);
  } catch {
    return { path: entry.path, kind: "missing", expected };
  }
  // lstat follows links in the parent folders: allure-report/ swapped for a link to a copy
  // would otherwise pass file by file.
  const linkedParent = linkedAncestor(reportDir, entry.path);
  if (linkedParent !== undefined) return { path: entry.path, kind: "modified", expected, actual: `reached through a symbolic link (${linkedParent})` };
  if (!st.isFile()) return { path: entry.path, kind: "modified", expected, actual: st.isSymbolicLink() ? "a symbolic link" : st.isDirectory() ? "a folder" : "not a regular file" };
  const now = await hash(full);
  if (now.sha256 !== entry.sha256 || now.bytes !== entry.bytes) return { path: entry.path, kind: "modified", expected, actual: `sha256:${now.sha256} (${now.bytes} bytes)` };
  return undefined;
}

/** The first folder on the way to `path` (inside the report) that is not a real folder. */
function linkedAncestor(reportDir: string, path: string): string | undefined {
  const parts = path.split("/").slice(0, -1);
  for (let k = 1; k <= parts.length; k++) {
    const rel = parts.slice(0, k).join("/");
    try {
      if (!lstatSync(join(reportDir, rel)).isDirectory()) return rel;
    } catch {
      return undefined; // missing: reported as such by the caller
    }
  }
  return undefined;
}

/**
 * Everything in the report folder that the manifest does not list, wherever it is: files, links,
 * devices, and folders that hold no listed file. Links are reported, never followed. `besides`:
 * the files that may be there unlisted; in a report, the manifest (not listed in itself), the
 * signature files (written over it), and the marker, which older manifests did not list.
 */
export async function unlistedEntries(reportDir: string, listed: ReadonlySet<string>, besides: (rel: string, isFile: boolean) => boolean = besideManifest): Promise<VerifyProblem[]> {
  const problems: VerifyProblem[] = [];
  const listedDirs = new Set<string>();
  for (const path of listed) {
    const parts = path.split("/");
    for (let k = 1; k < parts.length; k++) listedDirs.add(parts.slice(0, k).join("/"));
  }
  const visit = async (dir: string): Promise<void> => {
    for (const entry of readdirSync(join(reportDir, dir), { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : 1))) {
      await giveTurn();
      const rel = dir === "" ? entry.name : `${dir}/${entry.name}`;
      if (entry.isDirectory()) {
        if (listedDirs.has(rel)) await visit(rel);
        else problems.push({ path: rel, kind: "unexpected", actual: "a folder" });
      } else if (listed.has(rel) || besides(rel, entry.isFile())) {
        continue;
      } else if (entry.isFile()) problems.push({ path: rel, kind: "unexpected" });
      else problems.push({ path: rel, kind: "unexpected", actual: entry.isSymbolicLink() ? "a symbolic link" : "not a regular file" });
    }
  };
  await visit("");
  return problems;
}

function besideManifest(rel: string, isFile: boolean): boolean {
  return rel === MANIFEST_PATH || (isFile && (rel === REPORT_MARKER || SIGNATURE_FILES.has(rel)));
}

/** The first few problems in a few words ("modified evidence/snapshots/a.json, …"), for one message. */
export function briefProblems(problems: readonly VerifyProblem[]): string {
  return `${problems.slice(0, 3).map((p) => `${p.kind} ${p.path}`).join(", ")}${problems.length > 3 ? ", …" : ""}`;
}

/** One line per problem, for the terminal. */
export function formatProblemLine(p: VerifyProblem): string {
  switch (p.kind) {
    case "modified":
      return `✘ modified    ${p.path}: expected ${p.expected ?? "?"}, found ${p.actual ?? "?"}`;
    case "missing":
      return `✘ missing     ${p.path}: listed in the manifest (${p.expected ?? "?"}) but not in the report`;
    case "unexpected":
      return `✘ unexpected  ${p.path}: ${p.actual !== undefined ? `${p.actual}, ` : ""}not in the manifest`;
  }
}
