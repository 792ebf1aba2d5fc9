/**
 * Failures of the file system hostproof writes to: a read-only --out, permission denied, a full
 * disk. They are the environment's fault, not a bug, so they get their own message and exit code
 * (5, README "Exit codes") instead of "internal error (please report it)". Recognised by the
 * errno code Node puts on every file-system error, wherever in a run it was thrown.
 */
const MEANING: Record<string, [string, string]> = {
  EACCES: ["permission denied", "Give the user running hostproof write access there, or choose another folder."],
  EPERM: ["the operation is not permitted there", "Choose a folder this user may write to."],
  EROFS: ["the file system is read-only", "Choose a folder on a writable file system."],
  ENOSPC: ["no space is left on the device", "Free some space or choose a folder on another disk."],
  EDQUOT: ["the disk quota is exceeded", "Free some space or ask for a larger quota."],
  EFBIG: ["a file is larger than the file system allows", "Choose a folder on another file system."],
  EIO: ["an input/output error from the device", "Check the disk; then run again."],
  EMFILE: ["too many files are open", "Raise the open-file limit (ulimit -n), then run again."],
  ENFILE: ["too many files are open on this system", "Raise the system's open-file limit, then run again."],
  ENOTDIR: ["a part of the path is a file, not a folder", "Check the path."],
  ENAMETOOLONG: ["a path is too long for the file system", "Choose a shorter folder path."],
  EBUSY: ["the file or folder is in use", "Close what holds it (an editor, a file explorer, a virus scanner), then run again."],
  EXDEV: ["the staging folder and --out are on different file systems", "Choose an --out whose parent folder is on one file system."],
};

export interface FileSystemRefusal {
  code: string;
  syscall?: string;
  path?: string;
}

export function fileSystemRefusal(err: unknown): FileSystemRefusal | undefined {
  if (!(err instanceof Error)) return undefined;
  const e = err as NodeJS.ErrnoException;
  if (typeof e.code !== "string" || !(e.code in MEANING)) return undefined;
  return { code: e.code, syscall: e.syscall, path: e.path };
}

/** Two lines for the terminal: what was refused, and what to do. */
export function formatRefusal(r: FileSystemRefusal): string[] {
  const [meaning, fix] = MEANING[r.code]!;
  const what = `${r.syscall ?? "write"}${r.path !== undefined ? ` '${r.path}'` : ""}`;
  return [
    `hostproof: the file system refused to ${what}: ${meaning} (${r.code}). ${fix}`,
    "This is the environment, not a bug in hostproof; no report was put in place, and an earlier one in --out is as it was.",
  ];
}
