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
import { createReadStream } from "node:fs";
import { join, relative, resolve, sep } from "node:path";
import { createInterface } from "node:readline";
import { InputError } from "../errors";
import { hostFileName } from "../input/host-file-name";
import { nameKey } from "../input/inventory";
import { loadSnapshotFile } from "../input/snapshot";
import type { InventoryCluster } from "../model/inventory";
import type { ControlMeta, Result } from "../model/result";
import type { HostRecord } from "../model/run";
import { noProgress, type Progress } from "../report/progress";
import { MESSAGES_FILE, SNAPSHOTS_DIR } from "../report/run-writer";
import type { ShardHost } from "../report/shard-record";
import type { SummaryResult } from "../report/summary";
import { DEFAULT_WARN_DAYS, waiverApplier } from "../waivers/apply";
import { OutputSession, type HtmlStyle, type RunOutcome } from "../engine/output-session";
import { orderResults, positionsOf } from "../engine/result-order";
import { shardLabel, shardUnits } from "../engine/shard";
import { planSlices, type Slice } from "../engine/slices";
import { openShards, type OpenShard } from "./open-shards";
import { SummaryResults } from "./summary-results";

export interface MergeOptions {
  /** The shard folders, as the user named them. */
  shards: string[];
  out: string;
  html: boolean;
  htmlStyle?: HtmlStyle;
  /** Where Allure's history and the drift baseline are kept; false keeps none. Default beside --out. */
  history?: string | false;
  progress?: Progress;
}

export async function mergeShards(options: MergeOptions): Promise<RunOutcome> {
  const progress = options.progress ?? noProgress;
  try {
    return await mergePhases(options, progress);
  } finally {
    progress.end();
  }
}

interface Placed {
  shard: OpenShard;
  host: ShardHost;
}

async function mergePhases(options: MergeOptions, progress: Progress): Promise<RunOutcome> {
  const t0 = performance.now();
  const out = resolve(options.out);
  // --out replaces its folder: a shard in it would be deleted, and --out in a shard would tamper with it.
  const within = (inner: string, outer: string): boolean => inner === outer || inner.startsWith(outer.endsWith(sep) ? outer : outer + sep);
  const overwritten = options.shards.find((d) => resolve(d) === out);
  if (overwritten !== undefined) {
    throw new InputError({ file: "command line", field: "--out", problem: `--out ${options.out} is one of the shards being merged: it would be replaced while it is read`, fix: "Write the merged report to a folder of its own, e.g. --out merged." });
  }
  const tangled = options.shards.find((d) => within(out, resolve(d)) || within(resolve(d), out));
  if (tangled !== undefined) {
    const inShard = within(out, resolve(tangled));
    throw new InputError({
      file: "command line",
      field: "--out",
      problem: inShard ? `--out ${options.out} is inside the shard ${tangled}: the shard would no longer be as it was written, and verify would find the merged report in it` : `the shard ${tangled} is inside --out ${options.out}: replacing --out would delete it`,
      fix: "Write the merged report to a folder beside the shards, e.g. --out merged.",
    });
  }
  OutputSession.check(options.out);
  const shards = openShards(options.shards.map((dir) => ({ dir: resolve(dir), shown: dir })));
  const first = shards[0]!.record;
  const { estate } = first;

  // The whole estate's shape, rebuilt from where each shard says its hosts and clusters stand
  // (openShards has checked that every place is filled once).
  const hosts: Placed[] = new Array<Placed>(estate.hosts);
  const clusters: InventoryCluster[] = new Array<InventoryCluster>(estate.clusters);
  for (const shard of shards) {
    for (const host of shard.record.hosts) hosts[host.index] = { shard, host };
    for (const { index, ...cluster } of shard.record.clusters) clusters[index] = cluster;
  }
  const shape = { hosts: hosts.map((p) => ({ name: p.host.name })), clusters };
  // Each shard must hold the share --shard K/N gives of that estate: a record edited to claim
  // other hosts would otherwise put results where no run would have.
  for (const shard of shards) {
    const share = shardUnits(shape, shard.record.shard);
    const sorted = (xs: number[]): string => JSON.stringify(xs.sort((a, b) => a - b));
    const expected = sorted(share.flatMap((u) => u.hosts)) + sorted(share.flatMap((u) => (u.cluster !== undefined ? [u.cluster] : [])));
    const actual = sorted(shard.record.hosts.map((h) => h.index)) + sorted(shard.record.clusters.map((c) => c.index));
    if (actual !== expected) throw inconsistent(shard, `its hosts and clusters are not shard ${shardLabel(shard.record.shard)} of the estate the shards describe`);
  }
  const slices = planSlices(shape, estate.sliceHosts);
  const positions = positionsOf(shape);
  const sliceOfHost = new Map<string, number>();
  const sliceOfCluster = new Map<string, number>();
  slices.forEach((s, k) => {
    for (const i of s.hosts) sliceOfHost.set(nameKey(shape.hosts[i]!.name), k);
    for (const c of s.clusters) sliceOfCluster.set(nameKey(clusters[c]!.name), k);
  });
  const controls: ControlMeta[] = first.controls;
  const controlById = new Map(controls.map((c) => [c.id, c] as const));
  const controlIds = controls.map((c) => c.id);
  progress.phase("load", `${shards.length} shards of ${estate.hosts.toLocaleString("en-US")} hosts, ${estate.clusters.toLocaleString("en-US")} clusters`);

  const startedAt = shards.map((s) => s.record.head.startedAt).sort()[0]!;
  const head = { ...first.head, startedAt };
  const session = new OutputSession({ out: options.out, head, hosts: estate.hosts, clusters: estate.clusters, html: options.html ? (options.htmlStyle ?? "auto") : false, history: options.history, progress });
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
        const results = orderResults((waiting.get(next) ?? []).map((r) => resultOf(r, controlById)), controlIds, positions);
        waiting.delete(next);
        for (const r of results) counter?.apply(asJudged(r));
        await session.add({ hosts: sliceHosts(slices[next]!, hosts), clusters: slices[next]!.clusters.map((c) => clusters[c]!), results });
        next += 1;
      }
    };
    // Every host and cluster has one result per selected control of its kind (engine/scope.ts):
    // checked as the results pass, so that a shard's summary.json edited to drop, repeat or move a
    // result is refused rather than merged into a report that silently lacks it.
    const kindOf = new Map<string, "host" | "cluster">();
    for (const shard of shards) {
      await copyMessages(shard, session.writer.messageLine);
      const reader = new SummaryResults(join(shard.dir, "summary.json"), `${shard.shown}/summary.json`);
      let h = 0;
      let c = 0;
      for (const part of shard.record.slices) {
        const partHosts = shard.record.hosts.slice(h, h + part.hosts);
        const partClusters = shard.record.clusters.slice(c, c + part.clusters);
        const targets = new Set([...partHosts.map((x) => `host ${nameKey(x.name)}`), ...partClusters.map((x) => `cluster ${nameKey(x.name)}`)]);
        const seen = new Set<string>();
        const taken = await reader.take(part.results);
        if (taken.length < part.results) throw inconsistent(shard, `its summary.json holds fewer results than the ${total(shard)} its evidence/shard.json counts`);
        for (const r of taken) {
          const target = `${r.target.kind} ${nameKey(r.target.name)}`;
          if (!targets.has(target)) throw inconsistent(shard, `a result of ${r.controlId} names ${r.target.kind} ${r.target.name}, which is not among the hosts and clusters of the slice that wrote it`);
          if (!controlById.has(r.controlId)) throw inconsistent(shard, `a result names control ${r.controlId}, which its controls do not list`);
          if ((kindOf.get(r.controlId) ?? r.target.kind) !== r.target.kind) throw inconsistent(shard, `control ${r.controlId} has results for both hosts and clusters`);
          kindOf.set(r.controlId, r.target.kind);
          if (seen.has(`${target} ${r.controlId}`)) throw inconsistent(shard, `${r.target.kind} ${r.target.name} has two results of ${r.controlId}`);
          seen.add(`${target} ${r.controlId}`);
          const k = r.target.kind === "host" ? sliceOfHost.get(nameKey(r.target.name))! : sliceOfCluster.get(nameKey(r.target.name))!;
          (waiting.get(k) ?? waiting.set(k, []).get(k)!).push(r);
        }
        for (const host of partHosts) pending[sliceOfHost.get(nameKey(host.name))!]! -= 1;
        for (const cl of partClusters) pending[sliceOfCluster.get(nameKey(cl.name))!]! -= 1;
        h += part.hosts;
        c += part.clusters;
        await emit();
      }
      if (await reader.hasMore()) throw inconsistent(shard, `its summary.json holds more results than the ${total(shard)} its evidence/shard.json counts`);
    }
    const perKind = (kind: "host" | "cluster"): number => [...kindOf.values()].filter((k) => k === kind).length;
    for (const shard of shards) {
      const count = total(shard);
      const expected = shard.record.hosts.length * perKind("host") + shard.record.clusters.length * perKind("cluster");
      if (count !== expected) throw inconsistent(shard, `it holds ${count} results, but its ${shard.record.hosts.length} hosts and ${shard.record.clusters.length} clusters have ${expected} (one per control of their kind): results are missing`);
    }
    if (next !== slices.length) throw new Error(`merge: ${slices.length - next} slice(s) were never complete`);
    const t1 = performance.now();

    const environment = { ...first.environment };
    return await session.finish({
      controls,
      clusters,
      failOn: head.failOn,
      environment,
      ...(waivers !== undefined && counter !== undefined ? { waivers: { file: waivers.file, warnDays: waivers.warnDays ?? DEFAULT_WARN_DAYS, waivers: waivers.waivers, notices: counter.notices() } } : {}),
      internalErrors: shards.flatMap((s) => s.record.internalErrors),
      // Reading the shards and writing the slices interleave: both are counted as loading.
      timings: (t3) => ({ loadMs: Math.round(t1 - t0), judgeMs: 0, writeMs: Math.round(t3 - t1), reportMs: Math.round(performance.now() - t3) }),
      shards: shards.map((s) => ({ shard: `${s.record.shard.index}/${s.record.shard.count}`, manifestSha256: s.manifestSha256, report: relative(out, s.dir) || "." })),
    });
  } catch (err) {
    await session.abort();
    throw err;
  }
}

/** A result as summary.json holds it, back in the form the writers take. */
function resultOf(r: SummaryResult, controls: ReadonlyMap<string, ControlMeta>): Result {
  const control = controls.get(r.controlId);
  if (control === undefined) throw new Error(`merge: a result of ${r.controlId}, which the shards' controls do not list`);
  const result: Result = { status: r.status, control, target: r.target, expected: r.expected, actual: r.actual, details: r.details, evidence: r.evidence.map((e) => ({ host: e.host, probe: e.probe })) };
  if (r.rule !== undefined) result.rule = r.rule;
  if (r.reason !== undefined) result.reason = r.reason;
  if (r.waiver !== undefined) result.waiver = r.waiver;
  return result;
}

/** The result as its control gave it, before any waiver: what waiver use is counted from. */
function asJudged(r: Result): Result {
  return r.waiver !== undefined ? { ...r, status: r.waiver.originalStatus } : r;
}

/** The slice's hosts as the run judged them: each read back from its shard's kept snapshot. */
function sliceHosts(slice: Slice, hosts: readonly Placed[]): HostRecord[] {
  return slice.hosts.map((i) => {
    const { shard, host } = hosts[i]!;
    const name = hostFileName(host.name);
    const { snapshot, raw } = loadSnapshotFile(join(shard.dir, SNAPSHOTS_DIR, name), `${shard.shown}/${SNAPSHOTS_DIR}/${name}`, host.name);
    return { name: host.name, ...(host.cluster !== undefined ? { cluster: host.cluster } : {}), ...(host.snapshotFile !== undefined ? { snapshotFile: host.snapshotFile } : {}), snapshot, raw };
  });
}

/** Each shard's Cucumber runs, one after another: each is a complete test run of its own. */
async function copyMessages(shard: OpenShard, write: (line: string) => void): Promise<void> {
  const lines = createInterface({ input: createReadStream(join(shard.dir, MESSAGES_FILE), { encoding: "utf8" }), crlfDelay: Infinity });
  for await (const line of lines) if (line !== "") write(line);
}

/** The results a shard's record counts. */
function total(shard: OpenShard): number {
  return shard.record.slices.reduce((n, p) => n + p.results, 0);
}

function inconsistent(shard: OpenShard, what: string): InputError {
  return new InputError({ file: shard.shown, problem: `the shard does not agree with itself: ${what}`, fix: "Run that shard again with this hostproof, then merge." });
}
