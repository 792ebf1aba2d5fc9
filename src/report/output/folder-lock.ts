/**
 * One writer per folder: `run`, `merge` and `collect` hold a lock on their --out while they write
 * it, and a run holds one on its history folder while it updates it. Without it two runs into one
 * --out both exit 0, each printing the digest of its own report, and one report is silently gone.
 *
 * The lock is a file beside the folder, `.<name>.lock` (the folder itself is replaced by a run,
 * so the lock cannot live inside it). It is made atomically: the holder's details are written to
 * a temporary file, which is then hard-linked to the lock's name; link(2) fails if the name
 * exists, so there is never a lock file without its holder in it, and two processes can never both
 * succeed (a file system without hard links falls back to an O_EXCL create).
 *
 * A lock whose holder is gone is stale and taken over with a note. "Gone" is decided only where
 * it can be known: the holder ran on this machine (same host name, same boot, same pid
 * namespace: a container sharing the folder has pids of its own) and its pid no longer runs, or
 * now belongs to a process started at another time (a recycled pid). A holder on another machine
 * (a shared mount) is never declared dead: the message names it and the lock file, for a person
 * to remove. Taking over goes through a second file, `.<name>.lock.takeover`, made the same way,
 * so that two processes that both found the same stale lock cannot both take it.
 *
 * Released on every way out: the command's own `finally`, and process 'exit' (process.exit() in
 * the SIGINT/SIGTERM handler, an EPIPE, the end of main). A SIGKILL leaves the file; the next
 * command finds its holder gone.
 */
import { randomBytes } from "node:crypto";
import { linkSync, lstatSync, mkdirSync, readFileSync, readlinkSync, readdirSync, rmSync, unlinkSync, writeFileSync } from "node:fs";
import { hostname } from "node:os";
import { basename, dirname, join, resolve } from "node:path";
import { InputError } from "../../errors";
import { isAlive } from "../../powershell/process-tree";

export interface LockHolder {
  pid: number;
  host: string;
  /** Linux: /proc/sys/kernel/random/boot_id, so that a lock from before a restart is stale. */
  boot?: string;
  /** Linux: the pid namespace, so that a container's pid 12 is not taken for ours. */
  pidNamespace?: string;
  /** Linux: the process's start time (clock ticks since boot), so that a recycled pid is told apart. */
  processStart?: string;
  /** When the holder started, for people. */
  startedAt: string;
  /** What holds it: "run", "merge", "collect", "history". */
  command: string;
}

/** Locks this process holds: lock file → the text it wrote there. */
const held = new Map<string, { text: string }>();

/** Whether a lock's holder still holds it, and why not. */
type Judgement = { live: true; why?: string } | { live: false; why: string };

/** How long an unreadable lock (a holder killed in an O_EXCL create's window) is given before it is stale. */
const UNREADABLE_GRACE_MS = 10_000;

export function lockFileOf(folder: string): string {
  const target = resolve(folder);
  return join(dirname(target), `.${basename(target)}.lock`);
}

function readLinux(path: string): string | undefined {
  if (process.platform !== "linux") return undefined;
  try {
    return readFileSync(path, "utf8").trim();
  } catch {
    return undefined;
  }
}

/** Field 22 of /proc/<pid>/stat: when the process started, in clock ticks after boot. */
function processStart(pid: number): string | undefined {
  const stat = readLinux(`/proc/${pid}/stat`);
  if (stat === undefined) return undefined;
  return stat.slice(stat.lastIndexOf(")") + 2).split(" ")[19];
}

function pidNamespace(): string | undefined {
  if (process.platform !== "linux") return undefined;
  try {
    return readlinkSync("/proc/self/ns/pid");
  } catch {
    return undefined;
  }
}

function self(command: string): LockHolder {
  const h: LockHolder = { pid: process.pid, host: hostname(), startedAt: new Date(Date.now() - process.uptime() * 1000).toISOString(), command };
  const boot = readLinux("/proc/sys/kernel/random/boot_id");
  const ns = pidNamespace();
  const start = processStart(process.pid);
  if (boot !== undefined) h.boot = boot;
  if (ns !== undefined) h.pidNamespace = ns;
  if (start !== undefined) h.processStart = start;
  return h;
}

function parseHolder(text: string): LockHolder | undefined {
  try {
    const v = JSON.parse(text) as Partial<LockHolder>;
    if (typeof v.pid !== "number" || !Number.isInteger(v.pid) || v.pid <= 0 || typeof v.host !== "string" || typeof v.startedAt !== "string" || typeof v.command !== "string") return undefined;
    return v as LockHolder;
  } catch {
    return undefined;
  }
}

/** Whether the holder named in `file` still holds it. */
export function judge(holder: LockHolder, file: string, alive: (pid: number) => boolean = isAlive): Judgement {
  const me = self("");
  if (holder.host !== me.host) return { live: true, why: `it runs on another machine (${holder.host}), where hostproof cannot tell whether it still runs` };
  if (holder.boot !== undefined && me.boot !== undefined && holder.boot !== me.boot) return { live: false, why: "this machine has restarted since" };
  if (holder.pidNamespace !== undefined && me.pidNamespace !== undefined && holder.pidNamespace !== me.pidNamespace) {
    return { live: true, why: "it runs in another container (pid namespace), where hostproof cannot tell whether it still runs" };
  }
  if (holder.pid === process.pid) {
    // This process holds it (two commands of one process on one folder), or an earlier process
    // with our pid left it: containers start every run as the same pid.
    return held.has(file) ? { live: true } : { live: false, why: "an earlier process with this process id left it" };
  }
  if (!alive(holder.pid)) return { live: false, why: `process ${holder.pid} no longer runs` };
  const now = holder.processStart !== undefined ? processStart(holder.pid) : undefined;
  if (now !== undefined && now !== holder.processStart) return { live: false, why: `process ${holder.pid} no longer runs (its pid now belongs to another process)` };
  return { live: true };
}

export function describeHolder(holder: LockHolder): string {
  return `hostproof ${holder.command}, process ${holder.pid} on ${holder.host}, started ${holder.startedAt}`;
}

/** The lock as it stands: its holder, or why it has none that can be read. */
function readLock(file: string): { text: string; holder?: LockHolder; ageMs: number; notAFile?: boolean } | undefined {
  let st;
  try {
    st = lstatSync(file);
  } catch {
    return undefined;
  }
  if (!st.isFile()) return { text: "", ageMs: Date.now() - st.mtimeMs, notAFile: true };
  let text: string;
  try {
    text = readFileSync(file, "utf8");
  } catch {
    return undefined;
  }
  const holder = parseHolder(text);
  return { text, ageMs: Date.now() - st.mtimeMs, ...(holder !== undefined ? { holder } : {}) };
}

/** Makes `file` holding `text`, failing with EEXIST if it is there; never a file without its text. */
function createExclusive(file: string, text: string): void {
  const tmp = `${file}.tmp-${process.pid}-${randomBytes(4).toString("hex")}`;
  writeFileSync(tmp, text, { flag: "wx" });
  try {
    linkSync(tmp, file);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === "EEXIST" || !["EPERM", "ENOTSUP", "ENOSYS", "EOPNOTSUPP", "EMLINK"].includes(code ?? "")) throw err;
    // No hard links here (some network and FUSE file systems): O_EXCL, with a moment in which
    // the file is empty; a reader gives such a file UNREADABLE_GRACE_MS.
    writeFileSync(file, text, { flag: "wx" });
  } finally {
    rmSync(tmp, { force: true });
  }
}

function sleepSync(ms: number): void {
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
}

let exitHook = false;

/** Every lock this process holds, released: for a way out that does not pass process.exit (which does it itself). */
export function releaseAllLocks(): void {
  for (const file of [...held.keys()]) release(file);
}

function release(file: string): void {
  const mine = held.get(file);
  if (mine === undefined) return;
  held.delete(file);
  try {
    // Only our own: a lock taken over from us (wrongly judged stale) belongs to its new holder.
    if (readFileSync(file, "utf8") === mine.text) unlinkSync(file);
  } catch {
    /* gone already */
  }
}

export interface FolderLock {
  file: string;
  /** Said to the user: a stale lock taken over, debris of a dead holder removed. */
  notes: string[];
  release(): void;
}

export type LockAttempt = { lock: FolderLock } | { heldBy: LockHolder | undefined; why?: string; file: string };

/**
 * Takes the lock on `folder` if it is free or stale; else says who holds it. Creates the folder's
 * parent if needed. File system errors (a read-only parent) are thrown as they are.
 */
export function tryLockFolder(folder: string, command: string, alive: (pid: number) => boolean = isAlive): LockAttempt {
  const file = lockFileOf(folder);
  mkdirSync(dirname(file), { recursive: true });
  const notes = sweepLockDebris(file, alive);
  const text = `${JSON.stringify(self(command))}\n`;
  for (let attempt = 0; ; attempt++) {
    try {
      createExclusive(file, text);
      held.set(file, { text });
      if (!exitHook) {
        exitHook = true;
        process.on("exit", releaseAllLocks);
      }
      return { lock: { file, notes, release: () => release(file) } };
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== "EEXIST") throw err;
    }
    const now = readLock(file);
    if (now === undefined) continue; // released between our attempt and the read
    let verdict: Judgement;
    if (now.notAFile) verdict = { live: true, why: "it is not a lock file hostproof wrote" };
    else if (now.holder === undefined) verdict = now.ageMs > UNREADABLE_GRACE_MS ? { live: false, why: "it holds no holder hostproof can read" } : { live: true, why: "it is being written" };
    else verdict = judge(now.holder, file, alive);
    if (verdict.live || attempt >= 5) return { heldBy: now.holder, file, ...(verdict.why !== undefined ? { why: verdict.why } : {}) };
    if (takeOver(file, now.text, alive)) notes.push(`took over the lock ${file}${now.holder !== undefined ? ` of ${describeHolder(now.holder)}` : ""}: ${verdict.why}`);
    else sleepSync(20);
  }
}

/**
 * Removes the stale lock whose text is `staleText`, unless someone else changed it meanwhile.
 * Only the holder of `.takeover` may remove a lock, so that of two processes that judged the same
 * lock stale, the second cannot remove the lock the first has just made.
 */
function takeOver(file: string, staleText: string, alive: (pid: number) => boolean): boolean {
  const guard = `${file}.takeover`;
  try {
    createExclusive(guard, `${JSON.stringify(self("takeover"))}\n`);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== "EEXIST") throw err;
    const other = readLock(guard);
    // A guard is held for microseconds: one whose holder is gone was killed inside them.
    if (other !== undefined && (other.holder !== undefined ? !judge(other.holder, guard, alive).live : other.ageMs > UNREADABLE_GRACE_MS)) rmSync(guard, { force: true });
    return false;
  }
  try {
    if (readLock(file)?.text !== staleText) return false;
    unlinkSync(file);
    return true;
  } finally {
    rmSync(guard, { force: true });
  }
}

/** The temporary files of lock makers killed mid-way (`.<name>.lock.tmp-<pid>-<hex>`) whose process is gone. */
function sweepLockDebris(file: string, alive: (pid: number) => boolean): string[] {
  const dir = dirname(file);
  const prefix = `${basename(file)}.tmp-`;
  const notes: string[] = [];
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch {
    return notes;
  }
  for (const name of names) {
    if (!name.startsWith(prefix)) continue;
    const pid = Number(/^(\d+)-[0-9a-f]+$/.exec(name.slice(prefix.length))?.[1]);
    if (!Number.isInteger(pid) || pid === process.pid || alive(pid)) continue;
    rmSync(join(dir, name), { force: true });
    notes.push(`removed ${name} beside ${dirname(file)}, left by process ${pid}, which no longer runs`);
  }
  return notes;
}

/** The lock or an InputError (exit 3) naming the holder and what to do. */
export function lockFolder(folder: string, command: string, flag: string, shown: string = folder): FolderLock {
  const attempt = tryLockFolder(folder, command);
  if ("lock" in attempt) return attempt.lock;
  throw new InputError({ file: "command line", field: flag, problem: heldProblem(shown, flag, attempt), fix: heldFix(attempt) });
}

export function heldProblem(shown: string, flag: string, attempt: Extract<LockAttempt, { heldBy: unknown }>): string {
  const by = attempt.heldBy !== undefined ? describeHolder(attempt.heldBy) : "a process hostproof cannot name";
  return `${flag} ${shown} is being written by another ${by}${attempt.why !== undefined ? ` (${attempt.why})` : ""}; two writers would leave one report silently replaced by the other`;
}

function heldFix(attempt: Extract<LockAttempt, { heldBy: unknown }>): string {
  return `Wait for that one to finish, or choose another folder. If it is certainly not running any more, delete ${attempt.file}`;
}

/**
 * Waits up to `waitMs` for the lock, polling without blocking the event loop (signals are still
 * handled); `onWait` is told once who holds it. Undefined when the wait ran out.
 */
export async function lockFolderWaiting(folder: string, command: string, waitMs: number, onWait: (message: string) => void): Promise<FolderLock | { timedOut: string }> {
  const until = Date.now() + waitMs;
  let told = false;
  for (;;) {
    const attempt = tryLockFolder(folder, command);
    if ("lock" in attempt) return attempt.lock;
    const by = attempt.heldBy !== undefined ? describeHolder(attempt.heldBy) : `a process hostproof cannot name (${attempt.file})`;
    if (Date.now() >= until) return { timedOut: `${folder} was still being updated by ${by} after ${Math.round(waitMs / 1000)} s` };
    if (!told) onWait(`waiting for ${folder}, which ${by} is updating`);
    told = true;
    await new Promise((r) => setTimeout(r, 200));
  }
}
