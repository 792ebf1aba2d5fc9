/**
 * Allure history carried from run to run, so the report's Trend widget and each result's History
 * tab show earlier runs, plus the compact baseline drift.ts compares the next run with.
 *
 * Allure keeps history only if it is handed back: it reads allure-results/history/*.json and
 * writes the updated files into the report. With --single-file it writes no history/ folder at
 * all (measured with allure-commandline 2.46.1: the report folder holds index.html only), but it
 * embeds the files as `d('history/history.json','<base64>')`, so they are taken from there. That
 * keeps Allure's own format, including its history keys (our historyId + "." + an MD5 of the
 * result's non-excluded parameters), which we could not reproduce safely ourselves.
 *
 * Layout of a history folder (default: <parent of --out>/.hostproof-history/<name of --out>/,
 * beside the report because the report folder itself is replaced on every run):
 *   history/*.json      Allure's history files, as the last HTML report embedded them
 *   last-results.json   the last run's results, compact, for drift (DRIFT_BASELINE_FILE)
 * A run without HTML (--no-html) cannot advance Allure's history; the baseline still advances.
 */
import { closeSync, copyFileSync, existsSync, lstatSync, mkdirSync, openSync, readdirSync, readFileSync, readSync, renameSync, rmSync, statSync, writeFileSync } from "node:fs";
import { InputError } from "../../errors";
import { readRegularFile } from "../../input/regular-file";
import { StreamFile } from "../output/stream-file";
import { basename, dirname, join, resolve } from "node:path";
import { commitStaging, discardStaging, openStaging } from "../output/output-dir";
import type { CurrentResult, PreviousRun } from "./drift";
import { isAlive } from "../../powershell/process-tree";

export const HISTORY_SUBDIR = "history";
export const DRIFT_BASELINE_FILE = "last-results.json";

/** Allure names its history files like this; anything else (a path, a dotfile) is not copied. */
const HISTORY_NAME = /^[A-Za-z0-9][A-Za-z0-9._-]*\.json$/;

/** `<parent>/.hostproof-history/<name>`: one history per output folder, never inside it. */
export function defaultHistoryDir(outDir: string): string {
  const out = resolve(outDir);
  return join(dirname(out), ".hostproof-history", basename(out));
}

function historyFiles(dir: string): string[] {
  if (!existsSync(dir) || !statSync(dir).isDirectory()) return [];
  return readdirSync(dir, { withFileTypes: true })
    .filter((e) => e.isFile() && HISTORY_NAME.test(e.name))
    .map((e) => e.name)
    .sort();
}

/**
 * Copies the saved history into allure-results/history/ so that the next `allure generate` adds
 * this run to it. Call after the results are written and before the HTML is generated. Returns
 * the names copied (none on a first run).
 */
export function seedHistory(historyDir: string, allureResultsDir: string): string[] {
  const from = join(historyDir, HISTORY_SUBDIR);
  const names = historyFiles(from);
  if (names.length === 0) return [];
  const to = join(allureResultsDir, HISTORY_SUBDIR);
  mkdirSync(to, { recursive: true });
  for (const name of names) copyFileSync(join(from, name), join(to, name));
  return names;
}

const MARK = Buffer.from("d('history/", "latin1");
const NAME_END = Buffer.from("','", "latin1");
const QUOTE = "'".charCodeAt(0);
const MAX_HEADER = 200;

function isNameByte(b: number): boolean {
  // A-Z a-z 0-9 . _ -
  return (b >= 0x30 && b <= 0x39) || (b >= 0x41 && b <= 0x5a) || (b >= 0x61 && b <= 0x7a) || b === 0x2e || b === 0x5f || b === 0x2d;
}

/**
 * The `history/*` files a single-file Allure report embeds, decoded. The file is scanned in
 * chunks: at 10,000 hosts it is 1.2 GB, beyond what one JavaScript string may hold.
 */
export function embeddedHistory(indexHtml: string, chunkSize = 8 << 20): Map<string, Buffer> {
  const found = new Map<string, Buffer>();
  const fd = openSync(indexHtml, "r");
  try {
    const chunk = Buffer.allocUnsafe(chunkSize);
    let pending: Buffer = Buffer.alloc(0);
    let capture: { name: string; parts: Buffer[] } | undefined;
    for (;;) {
      const n = readSync(fd, chunk, 0, chunkSize, null);
      if (n === 0) break;
      pending = pending.length === 0 ? Buffer.from(chunk.subarray(0, n)) : Buffer.concat([pending, chunk.subarray(0, n)]);
      for (;;) {
        if (capture !== undefined) {
          const end = pending.indexOf(QUOTE);
          if (end < 0) {
            capture.parts.push(pending);
            pending = Buffer.alloc(0);
            break;
          }
          capture.parts.push(pending.subarray(0, end));
          found.set(capture.name, Buffer.from(Buffer.concat(capture.parts).toString("latin1"), "base64"));
          pending = pending.subarray(end + 1);
          capture = undefined;
          continue;
        }
        const at = pending.indexOf(MARK);
        if (at < 0) {
          // Keep a tail long enough to hold a marker cut by the chunk boundary.
          pending = pending.subarray(Math.max(0, pending.length - MARK.length));
          break;
        }
        // The name runs over file-name characters only; then `','` must follow, else this is not
        // a data header (Allure's own script contains the text too).
        let nameEnd = at + MARK.length;
        while (nameEnd < pending.length && nameEnd - at < MAX_HEADER && isNameByte(pending[nameEnd]!)) nameEnd++;
        if (nameEnd + NAME_END.length > pending.length && nameEnd - at < MAX_HEADER) {
          // Cut by the chunk boundary: wait for the next chunk.
          pending = pending.subarray(at);
          break;
        }
        if (!pending.subarray(nameEnd, nameEnd + NAME_END.length).equals(NAME_END)) {
          pending = pending.subarray(at + MARK.length);
          continue;
        }
        const name = pending.subarray(at + MARK.length, nameEnd).toString("latin1");
        pending = pending.subarray(nameEnd + NAME_END.length);
        if (HISTORY_NAME.test(name)) capture = { name, parts: [] };
      }
    }
  } finally {
    closeSync(fd);
  }
  return found;
}

export type SaveHistoryOutcome = { saved: string[]; from: "history folder" | "single-file report" } | { saved: []; reason: string };

/**
 * Keeps the history Allure wrote into the report made by this run, replacing the saved one in one
 * swap (a crash leaves the earlier history, never half of each). Call after the HTML is generated;
 * the report may be the staging folder or the committed one.
 */
export function saveHistory(allureReportDir: string, historyDir: string): SaveHistoryOutcome {
  const folder = join(allureReportDir, HISTORY_SUBDIR);
  const index = join(allureReportDir, "index.html");
  let files: Map<string, Buffer>;
  let from: "history folder" | "single-file report";
  if (historyFiles(folder).length > 0) {
    files = new Map(historyFiles(folder).map((n) => [n, readFileSync(join(folder, n))]));
    from = "history folder";
  } else if (existsSync(index)) {
    files = embeddedHistory(index);
    from = "single-file report";
  } else {
    return { saved: [], reason: `no Allure report in ${allureReportDir} (was the HTML skipped?)` };
  }
  if (!files.has("history.json")) return { saved: [], reason: `the Allure report in ${allureReportDir} holds no history/history.json` };

  const target = join(historyDir, HISTORY_SUBDIR);
  mkdirSync(historyDir, { recursive: true });
  const staging = openStaging(target);
  try {
    for (const [name, data] of files) writeFileSync(join(staging, name), data);
    commitStaging(staging, target);
  } catch (err) {
    discardStaging(staging);
    throw err;
  }
  return { saved: [...files.keys()].sort(), from };
}

interface TrendEntry {
  buildOrder?: number;
}

/**
 * The next run's number for a local executor: one more than the highest in the saved trend (or
 * than the number of runs in it). CI executors bring their own run number.
 */
export function nextBuildOrder(historyDir: string): number {
  try {
    const file = join(historyDir, HISTORY_SUBDIR, "history-trend.json");
    const trend = JSON.parse(readRegularFile(file, file, "history").toString("utf8")) as unknown;
    if (!Array.isArray(trend)) return 1;
    const orders = (trend as TrendEntry[]).map((e) => (typeof e?.buildOrder === "number" ? e.buildOrder : 0));
    return Math.max(trend.length, ...orders) + 1;
  } catch {
    return 1;
  }
}

/** The compact form of a run drift needs: at 10,000 hosts ~7 MB where summary.json is ~110 MB. */
export interface DriftBaseline extends PreviousRun {
  schemaVersion: 1;
}

/** Saves this run's results as the baseline the next run's drift compares with (write, then rename). */
export function saveDriftBaseline(historyDir: string, startedAt: string, results: readonly CurrentResult[]): void {
  mkdirSync(historyDir, { recursive: true });
  const baseline = new DriftBaselineWriter(join(historyDir, `${DRIFT_BASELINE_FILE}.tmp-${process.pid}`), startedAt);
  baseline.add(results);
  baseline.commit(historyDir);
}

/**
 * The baseline written as the run streams past, into a temporary file (in the run's staging
 * folder, which an interrupted run removes) that replaces the baseline only at commit.
 */
export class DriftBaselineWriter {
  private readonly tmp: StreamFile;
  private first = true;
  private staged: string | undefined;

  constructor(tmpFile: string, startedAt: string) {
    this.tmp = new StreamFile(tmpFile, false);
    this.tmp.write(`{"schemaVersion":1,"startedAt":${JSON.stringify(startedAt)},"results":[`);
  }

  add(results: readonly CurrentResult[]): void {
    for (const r of results) {
      this.tmp.write(`${this.first ? "\n" : ",\n"}${JSON.stringify({ controlId: r.control.id, target: { kind: r.target.kind, name: r.target.name }, status: r.status })}`);
      this.first = false;
    }
  }

  /**
   * Moves the finished baseline next to the one it replaces, out of the staging folder before that
   * becomes the report; `commit` then replaces the baseline in one rename.
   */
  stage(historyDir: string): void {
    this.tmp.write("\n]}\n");
    this.tmp.close();
    mkdirSync(historyDir, { recursive: true });
    this.staged = join(historyDir, `${DRIFT_BASELINE_FILE}.tmp-${process.pid}`);
    try {
      renameSync(this.tmp.path, this.staged);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== "EXDEV") throw err;
      // --history on another file system than --out.
      copyFileSync(this.tmp.path, this.staged);
      rmSync(this.tmp.path, { force: true });
    }
  }

  commit(historyDir: string): void {
    if (this.staged === undefined) this.stage(historyDir);
    renameSync(this.staged!, join(historyDir, DRIFT_BASELINE_FILE));
  }

  discard(): void {
    this.tmp.abandon();
    rmSync(this.tmp.path, { force: true });
    if (this.staged !== undefined) rmSync(this.staged, { force: true });
  }
}

/**
 * Baselines staged by runs killed before they committed them (`last-results.json.tmp-<pid>`),
 * whose process is gone. Call holding the history folder's lock (folder-lock.ts).
 */
export function sweepBaselineDebris(historyDir: string, alive: (pid: number) => boolean = isAlive): string[] {
  const notes: string[] = [];
  let names: string[];
  try {
    names = readdirSync(historyDir);
  } catch {
    return notes;
  }
  for (const name of names) {
    const pid = Number(/^last-results\.json\.tmp-(\d+)$/.exec(name)?.[1]);
    // Our own pid too: under the lock, before this run stages its baseline, one is an earlier
    // process's (containers reuse pids).
    if (!Number.isInteger(pid) || (pid !== process.pid && alive(pid))) continue;
    rmSync(join(historyDir, name), { force: true });
    notes.push(`removed ${name} from ${historyDir}, left by ${pid === process.pid ? "an earlier process with this process id" : `process ${pid}, which no longer runs`}`);
  }
  return notes;
}

/**
 * The previous run's baseline, or undefined on a first run. A baseline that cannot be read is
 * reported as `unreadable` rather than thrown: drift is a convenience and must not stop a run.
 */
export function readDriftBaseline(historyDir: string): { baseline?: PreviousRun; unreadable?: string } {
  const file = join(historyDir, DRIFT_BASELINE_FILE);
  if (!present(file)) return {};
  try {
    // Through the input reader: the history folder may come from a CI cache, and a pipe or a link
    // to /dev/zero there once hung or filled the run.
    const value = JSON.parse(readRegularFile(file, file, "history").toString("utf8")) as Partial<DriftBaseline>;
    if (value.schemaVersion !== 1 || !Array.isArray(value.results)) return { unreadable: `${file}: not a hostproof drift baseline` };
    return { baseline: { startedAt: value.startedAt, results: value.results } };
  } catch (err) {
    return { unreadable: err instanceof InputError ? err.message : `${file}: ${(err as Error).message}` };
  }
}

/** There, as a file or as a link (a dangling one too: that is worth saying). */
function present(path: string): boolean {
  try {
    lstatSync(path);
    return true;
  } catch {
    return false;
  }
}
