/**
 * `hostproof merge`: the shards of one run (`run --shard K/N`) put back together into the report
 * one run over the whole estate would have written. Nothing is judged again: each shard's results
 * are read back from its summary.json and its evidence from its kept snapshots, regrouped into the
 * slices the whole estate would have been judged in, ordered as that run orders them, and written
 * through the same OutputSession as a run. Waivers are not applied again (the results carry them),
 * but their use is recounted over the whole estate, so that "matched nothing" means the estate.
 *
 * Shards are contiguous in the estate's order (engine/shard.ts), so the merge streams them in
 * order, holding one shard slice and the whole-estate slice being filled at a time.
 */
import { mkdirSync } from "node:fs";
import { join, relative, resolve } from "node:path";
import { DIRECTORY_EVIDENCE_DIR } from "../engine/run-directory";
import { hostFileName } from "../input/host-file-name";
import { readRegularFile } from "../input/regular-file";
import { loadSnapshotBytes } from "../input/snapshot";
import type { ControlMeta, Result } from "../model/result";
import type { HostRecord } from "../model/run";
import { noProgress, type Progress } from "../model/progress";
import { MESSAGES_FILE, SNAPSHOTS_DIR } from "../report/run-writer";
import { SUMMARY_FILE, type SummaryResult } from "../report/formats/summary";
import { FilePool } from "../evidence/file-pool";
import { digestOf, HashedLines } from "../evidence/read-once";
import { InputError } from "../errors";
import { DEFAULT_WARN_DAYS, waiverApplier } from "../waivers/apply";
import { chooseOutputs, claimOutput, OutputSession, type OutputChoice, type OutputClaim, type RunOutcome } from "../engine/output-session";
import { orderResults } from "../engine/result-order";
import { shardLabel } from "../engine/shard";
import type { Slice } from "../engine/slices";
import { estateLayout, type PlacedHost } from "./estate-layout";
import type { SigningKey, TrustedKey } from "../sign/keys";
import { inconsistent, openShards, type OpenShard } from "./open-shards";
import { ResultChecks, resultCount } from "./result-checks";
import { NotAsListed } from "../evidence/listed-files";
import { notAsWritten } from "./shard-files";
import { SummaryResults } from "./summary-results";
import { resultFromSummary } from "../report/formats/summary-read";

export interface MergeOptions extends OutputChoice {
  /** The shard folders, as the user named them. */
  shards: string[];
  out: string;
  /** Where Allure's history and the drift baseline are kept; false keeps none. Default beside --out. */
  history?: string | false;
  progress?: Progress;
  /** Every shard must be signed by one of these keys (merge --key); without, shards need not be signed. */
  trustedKeys?: readonly TrustedKey[];
  /** Sign the merged report (merge --sign-key). */
  signingKey?: SigningKey;
}

export async function mergeShards(options: MergeOptions): Promise<RunOutcome> {
  const progress = options.progress ?? noProgress;
  const claim: OutputClaim = {};
  // The shards' files that merge does not read are hashed here, on the cores the merge leaves.
  const pool = new FilePool();
  try {
    return await mergePhases(options, progress, claim, pool);
  } finally {
    await pool.close();
    claim.lock?.release();
    progress.end();
  }
}

async function mergePhases(options: MergeOptions, progress: Progress, claim: OutputClaim, pool: FilePool): Promise<RunOutcome> {
  const t0 = performance.now();
  const out = resolve(options.out);
  // --out replaces its folder: a shard in it would be deleted, and --out in a shard would tamper with it.
  claimOutput(claim, { out: options.out, history: options.history, command: "merge", inputs: options.shards.map((d) => ({ path: d, shown: d, what: "the shard", folder: true })) });
  const shards = await openShards(options.shards.map((dir) => ({ dir: resolve(dir), shown: dir })), pool, options.trustedKeys);
  const first = shards[0]!.record;
  const { estate } = first;
  const layout = estateLayout(shards);
  const { slices } = layout;
  const controls: ControlMeta[] = first.controls;
  const controlById = new Map(controls.map((c) => [c.id, c] as const));
  const controlIds = controls.map((c) => c.id);
  progress.phase("load", `${shards.length} shards of ${estate.hosts.toLocaleString("en-US")} hosts, ${estate.clusters.toLocaleString("en-US")} clusters`);

  const startedAt = shards.map((s) => s.record.head.startedAt).sort()[0]!;
  const head = { ...first.head, startedAt };
  const session = new OutputSession({ out: options.out, head, hosts: estate.hosts, clusters: estate.clusters, chosen: chooseOutputs(options, estate.hosts), history: options.history, progress, ...(options.signingKey !== undefined ? { signingKey: options.signingKey } : {}) });
  session.warnings.push(...claim.lock!.notes);
  try {
    const waivers = first.waivers;
    const asOf = new Date(`${head.asOf}T00:00:00Z`);
    const counter = waivers !== undefined ? waiverApplier(waivers.waivers, asOf, waivers.warnDays) : undefined;
    progress.phase("judge", `regrouping ${shards.length} shards' results into ${slices.length} slice${slices.length === 1 ? "" : "s"} (nothing is judged again)`);

    // Results wait by whole-estate slice until every target of that slice has been read.
    const waiting = new Map<number, SummaryResult[]>();
    const pending = slices.map((s) => s.hosts.length + s.clusters.length);
    let next = 0;
    const emit = async (): Promise<void> => {
      while (next < slices.length && pending[next] === 0) {
        const results = orderResults((waiting.get(next) ?? []).map((r) => resultOf(r, controlById)), controlIds, layout.positions);
        waiting.delete(next);
        for (const r of results) counter?.apply(asJudged(r));
        await session.add({ hosts: sliceHosts(slices[next]!, layout.hosts), clusters: slices[next]!.clusters.map((c) => layout.clusters[c]!), results });
        next += 1;
      }
    };
    keepShardDirectory(shards[0]!, session.writer);
    const checks = new ResultChecks();
    for (const shard of shards) {
      copyMessages(shard, session.writer.messageLine);
      const reader = new SummaryResults(join(shard.dir, SUMMARY_FILE), (read) => shard.files.require(SUMMARY_FILE, read), `${shard.shown}/${SUMMARY_FILE}`, shard.record, (what) => inconsistent(shard, what));
      let h = 0;
      let c = 0;
      try {
        for (const part of shard.record.slices) {
          const partHosts = shard.record.hosts.slice(h, h + part.hosts);
          const partClusters = shard.record.clusters.slice(c, c + part.clusters);
          const taken = reader.take(part.results);
          if (taken.length < part.results) {
            reader.requireIntact();
            throw inconsistent(shard, `its summary.json holds fewer results than the ${resultCount(shard)} its evidence/shard.json counts`);
          }
          for (const r of taken) {
            // The directory is judged by shard 1 alone (engine/directory-target.ts), on the snapshot every shard was given.
            if (r.target.kind === "directory" && shard.record.shard.index !== 1) throw inconsistent(shard, `it holds a result of ${r.controlId} on the directory ${r.target.name}, which only shard 1 judges`);
            const k = layout.sliceOf(r.target.kind, r.target.name);
            if (k === undefined) throw inconsistent(shard, `it holds a result of ${r.controlId} on ${r.target.kind} ${r.target.name}, which the shards' records do not name`);
            (waiting.get(k) ?? waiting.set(k, []).get(k)!).push(r);
          }
          for (const host of partHosts) pending[layout.sliceOf("host", host.name)!]! -= 1;
          for (const cl of partClusters) pending[layout.sliceOf("cluster", cl.name)!]! -= 1;
          h += part.hosts;
          c += part.clusters;
          await emit();
        }
        reader.finish(resultCount(shard));
      } finally {
        reader.close();
      }
      checks.shard(shard, reader.kinds());
    }
    checks.finish(shards);
    if (next !== slices.length) throw new Error(`merge: ${slices.length - next} slice(s) were never complete`);
    // Every file of every shard as its manifest lists it, before the merged report is put in place.
    await refuseTampered(shards);
    const t1 = performance.now();

    return await session.finish({
      controls,
      clusters: layout.clusters,
      failOn: head.failOn,
      environment: { ...first.environment },
      ...(waivers !== undefined && counter !== undefined ? { waivers: { file: waivers.file, warnDays: waivers.warnDays ?? DEFAULT_WARN_DAYS, waivers: waivers.waivers, notices: counter.notices() } } : {}),
      internalErrors: shards.flatMap((s) => s.record.internalErrors),
      // Reading the shards and writing the slices interleave: both are counted as loading.
      timings: (t3) => ({ loadMs: Math.round(t1 - t0), judgeMs: 0, writeMs: Math.round(t3 - t1), reportMs: Math.round(performance.now() - t3) }),
      shards: shards.map((s) => ({ shard: shardLabel(s.record.shard), manifestSha256: s.manifestSha256, report: relative(out, s.dir) || "." })),
      // Each shard by its manifest: a signed shard's own attestation names the inventory, features and waivers it was run from.
      configuration: shards.map((s) => ({ name: `shard ${shardLabel(s.record.shard)}`, uri: s.shown, digest: { sha256: s.manifestSha256 }, annotations: { role: "shard", ...(s.signedBy !== undefined ? { signedBy: s.signedBy } : {}) } })),
    });
  } catch (err) {
    await session.abort();
    if (err instanceof NotAsListed) {
      // Named with everything that differs in every shard, as for a shard found so before the merge began.
      await refuseTampered(shards);
      throw new Error(`merge: ${err.message}, yet no file of the shards differs from its manifest`);
    }
    throw err;
  }
}

/** Refuses (exit 3) every shard a file of which is not as its manifest lists it, or is there unlisted. */
async function refuseTampered(shards: readonly OpenShard[]): Promise<void> {
  const problems = [];
  for (const s of shards) {
    // A snapshot merge did not get to (it stopped at a file not as listed) is hashed now: every difference is named.
    s.files.checkUnread();
    const found = await s.files.problems();
    if (found.length > 0) problems.push(notAsWritten(s.shown, found));
  }
  if (problems.length > 0) throw new InputError(problems);
}

/** A result as summary.json holds it, back in the form the writers take. */
function resultOf(r: SummaryResult, controls: ReadonlyMap<string, ControlMeta>): Result {
  const control = controls.get(r.controlId);
  if (control === undefined) throw new Error(`merge: a result of ${r.controlId}, which the shards' controls do not list`);
  return resultFromSummary(r, control);
}

/** The result as its control gave it, before any waiver: what waiver use is counted from. */
function asJudged(r: Result): Result {
  return r.waiver !== undefined ? { ...r, status: r.waiver.originalStatus } : r;
}

/**
 * The slice's hosts as the run judged them: each read back from its shard's kept snapshot, and
 * used only when the bytes read are the ones the shard's manifest lists.
 */
function sliceHosts(slice: Slice, hosts: readonly PlacedHost[]): HostRecord[] {
  return slice.hosts.map((i) => {
    const { shard, host } = hosts[i]!;
    const rel = `${SNAPSHOTS_DIR}/${hostFileName(host.name)}`;
    const file = join(shard.dir, rel);
    const bytes = readRegularFile(file, `${shard.shown}/${rel}`, "snapshot");
    shard.files.require(rel, digestOf(bytes));
    const { snapshot, raw } = loadSnapshotBytes(bytes, file, `${shard.shown}/${rel}`, host.name);
    return { name: host.name, ...(host.cluster !== undefined ? { cluster: host.cluster } : {}), ...(host.snapshotFile !== undefined ? { snapshotFile: host.snapshotFile } : {}), snapshot, raw };
  });
}

/**
 * The directory snapshot the shards were given (their records agree on its SHA-256), copied from
 * shard 1, which judged it: used only when the bytes are the ones its manifest and record name.
 */
function keepShardDirectory(shard: OpenShard, writer: { dir: string; writeSmall(rel: string, data: Buffer): void }): void {
  const listed = shard.record.head.directory;
  if (listed === undefined) return;
  if (!listed.file.startsWith(`${DIRECTORY_EVIDENCE_DIR}/`) || listed.file.slice(DIRECTORY_EVIDENCE_DIR.length + 1).includes("/")) throw inconsistent(shard, `its record names the directory snapshot ${listed.file}, outside ${DIRECTORY_EVIDENCE_DIR}/`);
  const bytes = readRegularFile(join(shard.dir, listed.file), `${shard.shown}/${listed.file}`, "directory");
  const read = digestOf(bytes);
  shard.files.require(listed.file, read);
  if (read.sha256 !== listed.sha256) throw inconsistent(shard, `its ${listed.file} is not the directory snapshot its record names (SHA-256 ${listed.sha256})`);
  mkdirSync(join(writer.dir, DIRECTORY_EVIDENCE_DIR), { recursive: true });
  writer.writeSmall(listed.file, bytes);
}

/** Each shard's Cucumber runs, one after another: each is a complete test run of its own. */
function copyMessages(shard: OpenShard, write: (line: string) => void): void {
  const lines = new HashedLines(join(shard.dir, MESSAGES_FILE));
  try {
    for (let line = lines.line(); line !== undefined; line = lines.line()) if (line !== "") write(line);
    shard.files.require(MESSAGES_FILE, lines.drain());
  } finally {
    lines.close();
  }
}
