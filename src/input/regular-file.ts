/**
 * Reads an input file the user named, refusing anything but a regular file and anything over a
 * size limit. A snapshot path of /dev/zero once grew hostproof to 14 GB, a FIFO hung it for ever,
 * and a 50 MB inventory took 74 s and 3.6 GiB only to be rejected: the checks come before any byte
 * is parsed, and the read itself stops one byte past the limit whatever stat said (files in /proc
 * report a size of 0). Every file hostproof reads from the user goes through here: inventories,
 * snapshots, waiver files, feature files, a report's manifest, the history of earlier runs, keys.
 */
import { closeSync, constants, fstatSync, lstatSync, openSync, readlinkSync, readSync, statSync, type Stats } from "node:fs";
import { InputError } from "../errors";
import { checkedEnv, MAX_INPUT_MB } from "./env-vars";

export type DocumentKind = "inventory" | "snapshot" | "waivers" | "document" | "feature" | "manifest" | "history" | "key" | "signature" | "directory";

const MiB = 1024 * 1024;

/**
 * Generous for real files: a 10,000-host inventory is about 2 MB, a snapshot of a host with
 * hundreds of hotfixes and adapters a few hundred KB, the largest built-in feature file 6 KB, the
 * manifest of a 10,000-host report about 25 MB, its drift baseline 7 MB, a key file (a signing
 * key, public keys, an allowed_signers file) a few KB. `document` is for `validate`, which learns
 * the kind only after reading.
 */
export const SIZE_LIMITS: Record<DocumentKind, number> = {
  inventory: 16 * MiB,
  waivers: 4 * MiB,
  snapshot: 32 * MiB,
  document: 32 * MiB,
  feature: 1 * MiB,
  manifest: 128 * MiB,
  history: 64 * MiB,
  key: 1 * MiB,
  signature: 16 * MiB,
  // About 1 KiB an object: a domain of 100,000 computers is about 100 MiB.
  directory: 256 * MiB,
};

/** What a file of each kind is called, and what it should be instead of a device or a pipe. */
const KINDS: Record<DocumentKind, { noun: string; instead: string }> = {
  inventory: { noun: "an inventory file", instead: "Name a regular file (YAML or JSON)" },
  waivers: { noun: "a waiver file", instead: "Name a regular file (YAML or JSON)" },
  snapshot: { noun: "a snapshot file", instead: "Name a regular file (YAML or JSON)" },
  document: { noun: "an input file", instead: "Name a regular file (YAML or JSON)" },
  feature: { noun: "a feature file", instead: "Make it a regular .feature file, or remove it from the --features folder" },
  manifest: { noun: "an evidence manifest", instead: "Treat the report as unverified: get it again from where the run stored it" },
  history: { noun: "a history file", instead: "Remove it from the history folder (the next run starts a new history), or pass --no-history" },
  key: { noun: "a key file", instead: "Name the regular file that holds the key" },
  signature: { noun: "a report's signature", instead: "Treat the report as unverified: get it again from where the run stored it" },
  directory: { noun: "a directory snapshot", instead: "Name the directory.json hostproof discover wrote" },
};

/** HOSTPROOF_MAX_INPUT_MB raises (or lowers) every limit at once, for an estate that outgrows them. */
export const LIMIT_ENV = MAX_INPUT_MB.name;

/** The limit for `kind`; an InputError when HOSTPROOF_MAX_INPUT_MB is set to something it cannot mean. */
export function sizeLimit(kind: DocumentKind, env: NodeJS.ProcessEnv = process.env): number {
  const override = checkedEnv(MAX_INPUT_MB, env);
  return override !== undefined ? Number(override.trim()) * MiB : SIZE_LIMITS[kind];
}

export function formatBytes(n: number): string {
  return n >= MiB ? `${(n / MiB).toFixed(1)} MiB` : `${n} bytes`;
}

export function tooLarge(displayName: string, kind: DocumentKind, bytes: number | undefined, limit: number): InputError {
  const size = bytes !== undefined ? `the file is ${formatBytes(bytes)}, over` : "the file is over";
  return new InputError({
    file: displayName,
    problem: `${size} the ${formatBytes(limit)} size limit for ${KINDS[kind].noun}`,
    fix: `Check that this is the file you meant; if it is, set ${LIMIT_ENV} to a larger number of MiB.`,
  });
}

export function whatItIs(st: Stats): string {
  if (st.isDirectory()) return "this is a folder, not a file";
  if (st.isFIFO()) return "this is a named pipe (FIFO), not a regular file";
  if (st.isCharacterDevice() || st.isBlockDevice()) return "this is a device, not a regular file";
  if (st.isSocket()) return "this is a socket, not a regular file";
  return "this is not a regular file";
}

/** The target of a link, or undefined when `file` is none. */
function linkTarget(file: string): string | undefined {
  try {
    return lstatSync(file).isSymbolicLink() ? readlinkSync(file) : undefined;
  } catch {
    return undefined;
  }
}

function unreadable(displayName: string, file: string, kind: DocumentKind, err: unknown): InputError {
  const code = (err as NodeJS.ErrnoException).code;
  const target = code === "ENOENT" || code === "ELOOP" ? linkTarget(file) : undefined;
  const problem =
    target !== undefined
      ? code === "ELOOP"
        ? `this is a symbolic link to ${JSON.stringify(target)} that leads round in a loop`
        : `this is a symbolic link to ${JSON.stringify(target)}, which does not exist`
      : code === "ENOENT"
        ? "the file does not exist"
        : code === "EISDIR"
          ? "this is a folder, not a file"
          : code === "EACCES" || code === "EPERM"
            ? `permission denied (${code})`
            : `the file cannot be read (${code ?? String(err)})`;
  const fix =
    code === "EACCES" || code === "EPERM"
      ? "Let the account hostproof runs as read it, or name another file."
      : target !== undefined
        ? "Point the link at an existing file, or remove it."
        : kind === "feature" || kind === "manifest" || kind === "history" || kind === "key"
          ? `${KINDS[kind].instead}.`
          : "Check the path; relative paths in an inventory are resolved against the inventory's folder.";
  return new InputError({ file: displayName, problem, fix });
}

export interface RegularFile {
  bytes: Buffer;
  /** The file as read (fstat of the open file): what a later read can be compared with. */
  stat: Stats;
}

/** The file's bytes; InputError (exit 3) for a missing, special or oversized file. */
export function readRegularFile(file: string, displayName: string, kind: DocumentKind): Buffer {
  return readRegularFileStat(file, displayName, kind).bytes;
}

/** As readRegularFile, with the stat of the file read. */
export function readRegularFileStat(file: string, displayName: string, kind: DocumentKind): RegularFile {
  const limit = sizeLimit(kind);
  const notRegular = (st: Stats): InputError => {
    const fix = kind === "feature" || kind === "manifest" || kind === "history" || kind === "key" ? `${KINDS[kind].instead}.` : `${KINDS[kind].instead}; hostproof does not read devices, pipes or sockets.`;
    return new InputError({ file: displayName, problem: whatItIs(st), fix });
  };
  let st: Stats;
  try {
    // stat before open: opening a FIFO for reading blocks until a writer comes.
    st = statSync(file);
  } catch (err) {
    throw unreadable(displayName, file, kind, err);
  }
  if (!st.isFile()) throw notRegular(st);
  if (st.size > limit) throw tooLarge(displayName, kind, st.size, limit);
  let fd: number;
  try {
    // O_NONBLOCK: if the path was swapped for a FIFO since the stat, open must still not wait.
    fd = openSync(file, constants.O_RDONLY | (constants.O_NONBLOCK ?? 0));
  } catch (err) {
    throw unreadable(displayName, file, kind, err);
  }
  try {
    const now = fstatSync(fd);
    if (!now.isFile()) throw notRegular(now);
    const chunks: Buffer[] = [];
    let total = 0;
    for (;;) {
      const chunk = Buffer.allocUnsafe(Math.min(1 << 20, limit + 1 - total));
      const n = readSync(fd, chunk, 0, chunk.length, null);
      if (n === 0) break;
      chunks.push(chunk.subarray(0, n));
      total += n;
      if (total > limit) throw tooLarge(displayName, kind, undefined, limit);
    }
    return { bytes: Buffer.concat(chunks, total), stat: now };
  } catch (err) {
    if (err instanceof InputError) throw err;
    throw unreadable(displayName, file, kind, err);
  } finally {
    closeSync(fd);
  }
}
