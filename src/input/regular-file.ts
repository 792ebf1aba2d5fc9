/**
 * Reads an input file the user named, refusing anything but a regular file and anything over a
 * size limit. A snapshot path of /dev/zero once grew hostproof to 14 GB, a FIFO hung it for ever,
 * and a 50 MB inventory took 74 s and 3.6 GiB only to be rejected: the checks come before any byte
 * is parsed, and the read itself stops one byte past the limit whatever stat said (files in /proc
 * report a size of 0).
 */
import { closeSync, constants, fstatSync, openSync, readSync, statSync, type Stats } from "node:fs";
import { InputError } from "../errors";

export type DocumentKind = "inventory" | "snapshot" | "waivers" | "document";

const MiB = 1024 * 1024;

/**
 * Generous for real files: a 10,000-host inventory is about 2 MB, a snapshot of a host with
 * hundreds of hotfixes and adapters a few hundred KB. `document` is the largest, for `validate`,
 * which learns the kind only after reading.
 */
export const SIZE_LIMITS: Record<DocumentKind, number> = {
  inventory: 16 * MiB,
  waivers: 4 * MiB,
  snapshot: 32 * MiB,
  document: 32 * MiB,
};

/** HOSTPROOF_MAX_INPUT_MB raises (or lowers) every limit at once, for an estate that outgrows them. */
export const LIMIT_ENV = "HOSTPROOF_MAX_INPUT_MB";

export function sizeLimit(kind: DocumentKind, env: NodeJS.ProcessEnv = process.env): number {
  const override = env[LIMIT_ENV];
  if (override !== undefined && /^\d{1,6}$/.test(override.trim())) return Number(override.trim()) * MiB;
  return SIZE_LIMITS[kind];
}

export function formatBytes(n: number): string {
  return n >= MiB ? `${(n / MiB).toFixed(1)} MiB` : `${n} bytes`;
}

export function tooLarge(displayName: string, kind: DocumentKind, bytes: number | undefined, limit: number): InputError {
  const size = bytes !== undefined ? `the file is ${formatBytes(bytes)}, over` : "the file is over";
  return new InputError({
    file: displayName,
    problem: `${size} the ${formatBytes(limit)} size limit for ${kind === "document" ? "an input file" : `a${kind === "inventory" ? "n" : ""} ${kind === "waivers" ? "waiver" : kind} file`}`,
    fix: `Check that this is the file you meant; if it is, set ${LIMIT_ENV} to a larger number of MiB.`,
  });
}

function whatItIs(st: Stats): string {
  if (st.isDirectory()) return "this is a folder, not a file";
  if (st.isFIFO()) return "this is a named pipe (FIFO), not a regular file";
  if (st.isCharacterDevice() || st.isBlockDevice()) return "this is a device, not a regular file";
  if (st.isSocket()) return "this is a socket, not a regular file";
  return "this is not a regular file";
}

function unreadable(displayName: string, err: unknown): InputError {
  const code = (err as NodeJS.ErrnoException).code;
  return new InputError({
    file: displayName,
    problem: code === "ENOENT" ? "the file does not exist" : code === "EISDIR" ? "this is a folder, not a file" : `the file cannot be read (${code ?? String(err)})`,
    fix: "Check the path; relative paths in an inventory are resolved against the inventory's folder.",
  });
}

/** The file's bytes; InputError (exit 3) for a missing, special or oversized file. */
export function readRegularFile(file: string, displayName: string, kind: DocumentKind): Buffer {
  const limit = sizeLimit(kind);
  const notRegular = (st: Stats): InputError =>
    new InputError({ file: displayName, problem: whatItIs(st), fix: "Name a regular file (YAML or JSON); hostproof does not read devices, pipes or sockets." });
  let st: Stats;
  try {
    // stat before open: opening a FIFO for reading blocks until a writer comes.
    st = statSync(file);
  } catch (err) {
    throw unreadable(displayName, err);
  }
  if (!st.isFile()) throw notRegular(st);
  if (st.size > limit) throw tooLarge(displayName, kind, st.size, limit);
  let fd: number;
  try {
    // O_NONBLOCK: if the path was swapped for a FIFO since the stat, open must still not wait.
    fd = openSync(file, constants.O_RDONLY | (constants.O_NONBLOCK ?? 0));
  } catch (err) {
    throw unreadable(displayName, err);
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
    return Buffer.concat(chunks, total);
  } catch (err) {
    if (err instanceof InputError) throw err;
    throw unreadable(displayName, err);
  } finally {
    closeSync(fd);
  }
}
