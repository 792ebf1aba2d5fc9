/**
 * `hostproof run`: load and validate the estate (or its --shard share), judge it through the
 * features slice by slice, and write every output through an OutputSession, which puts the report
 * in place only when all of it is written.
 */
import { relative, resolve, sep } from "node:path";
import { sha256Hex } from "../evidence/manifest";
import { folderDigest, type ResourceDescriptor } from "../sign/statement";
import type { SigningKey } from "../sign/keys";
import { InputError } from "../errors";
import type { Severity } from "../model/severity";
import { noProgress, type Progress } from "../model/progress";
import { ShardRecordBuilder } from "../report/bookkeeping/shard-record";
import { VERSION } from "../version";
import { isLive, liveReader } from "../collect/collect-estate";
import type { HostReader } from "../collect/collect-hosts";
import { planProbes } from "../controls/probe-plan";
import type { FeatureFile } from "../controls/feature-set";
import { DEFAULT_WARN_DAYS, waiverApplier } from "../waivers/apply";
import { FEATURES_DIR, selectControls } from "../controls/catalog";
import { runEnvironment } from "../report/bookkeeping/environment";
import type { ExpectedControl } from "./complete-results";
import { judgeWorkers } from "./judge-pool";
import { featureInputs, inventoryInputs } from "../report/output/own-inputs";
import type { FormatRegistry } from "../report/formats";
import { chooseOutputs, claimOutput, OutputSession, type OutputChoice, type OutputClaim, type RunOutcome } from "./output-session";
import { estateDigest, shardLabel, shardUnits, type Shard } from "./shard";
import { directoryRecord, directorySnapshotInput, keepDirectory, type RunDirectory } from "./run-directory";
import { preRunChecks } from "./pre-run";
import { directoryInput } from "./directory-target";
import { planUnits, SLICE_HOSTS } from "./slices";
import { streamSlices } from "./stream-slices";

export { MESSAGES_FILE } from "../report/run-writer";
export type { HtmlStyle, RunOutcome } from "./output-session";

export interface RunOptions extends OutputChoice {
  inventory: string;
  out: string;
  tags?: string;
  failOn: Severity | "any";
  asOf: Date;
  /** A waiver file (YAML or JSON); its waivers are applied to the results before the verdict. */
  waivers?: string;
  /** A waiver this many days or fewer from its last day is reported as expiring (default 14). */
  waiverWarnDays?: number;
  /** For tests: how live hosts are read (default: PowerShell). */
  reader?: HostReader;
  /** Where Allure's history and the drift baseline are kept; false keeps none. Default beside --out. */
  history?: string | false;
  /** Told each phase as it starts (the CLI draws it on stderr); default silent. */
  progress?: Progress;
  /** Read snapshot paths that resolve outside the inventory's folder (src/input/snapshot-path.ts). */
  allowOutsideSnapshots?: boolean;
  /**
   * A directory snapshot (hostproof discover) for the estate-wide controls, as given on the
   * command line (relative to where hostproof runs); overrides the inventory's `directory`.
   */
  directory?: string;
  /** Folders of .feature files added to the built-in controls (`--features`, repeatable). */
  features?: string[];
  /** False drops the built-in controls (`--no-builtin`); default true. */
  builtin?: boolean;
  /** Hosts per slice (engine/slices.ts); default SLICE_HOSTS. Smaller holds less in memory, at a Cucumber run per slice. */
  sliceHosts?: number;
  /** Judge only this share of the estate (engine/shard.ts), for `hostproof merge` to combine. */
  shard?: Shard;
  /** Sign the report with this key (sign/attestation.ts); loaded and checked before anything is read. */
  signingKey?: SigningKey;
  /** The formats there are (default: report/formats/index.ts's registry); a test adds its own. */
  registry?: FormatRegistry;
  /**
   * Worker threads that load and judge slices ahead while this thread writes (engine/judge-pool.ts),
   * for an estate of more than one slice; 0 judges every slice in this thread. Default:
   * HOSTPROOF_JUDGE_WORKERS, else as judgeWorkers() decides from the cores.
   */
  judgeWorkers?: number;
  /** For tests: the judge workers' module (default engine/judge-worker), to see a worker fail. */
  judgeWorkerModule?: string;
}

export async function runEstate(options: RunOptions): Promise<RunOutcome> {
  const startedAt = new Date();
  const t0 = performance.now();
  const progress = options.progress ?? noProgress;
  const claim: OutputClaim = {};
  try {
    return await runPhases(options, progress, startedAt, t0, claim);
  } finally {
    claim.lock?.release();
    progress.end();
  }
}

function plural(n: number, word: string): string {
  return `${n.toLocaleString("en-US")} ${word}${n === 1 ? "" : "s"}`;
}

async function runPhases(options: RunOptions, progress: Progress, startedAt: Date, t0: number, claim: OutputClaim): Promise<RunOutcome> {
  OutputSession.check(options.out);
  // Read before anything is: a HOSTPROOF_JUDGE_WORKERS out of range is bad input, exit 3.
  const workers = options.judgeWorkers ?? judgeWorkers();
  // Every input checked before anything is collected or written, as `validate` checks them
  // (engine/pre-run.ts): the controls' lint, the inventory and the transports this machine can
  // use, the directory snapshot, the waivers against the controls and the inventory. Any problem
  // stops the run with exit 3, nothing collected and nothing written; its warnings are the
  // waiver notices the run reports from its results.
  const checked = await preRunChecks({
    inventory: options.inventory,
    waivers: options.waivers,
    directory: options.directory,
    features: { folders: options.features, builtin: options.builtin },
    allowOutsideSnapshots: options.allowOutsideSnapshots === true,
    asOf: options.asOf,
    checkTransports: options.reader === undefined,
    ...(options.shard !== undefined ? { shard: options.shard } : {}),
  });
  if (checked.problems.length > 0) throw new InputError(checked.problems);
  const catalog = checked.catalog!;
  const loaded = checked.inventory!;
  const inv = loaded.inventory;
  const units = options.shard !== undefined ? shardUnits(inv, options.shard) : planUnits(inv);
  const hostCount = units.reduce((n, u) => n + u.hosts.length, 0);
  // A shard's clusters, in inventory order (a run without --shard has every one).
  const clusters = options.shard === undefined ? (inv.clusters ?? []) : units.flatMap((u) => (u.cluster !== undefined ? [u.cluster] : [])).sort((a, b) => a - b).map((ci) => inv.clusters![ci]!);
  const clusterCount = clusters.length;
  // Before anything is read: what the command line asks to be written must be possible at this size.
  // A shard writes what a run over its whole estate would, as the merge of the shards does.
  const chosen = chooseOutputs(options, inv.hosts.length, options.registry);
  const selected = selectControls(catalog.entries, options.tags);
  checkSomethingJudged(selected, inv.clusters?.length ?? 0, options.tags);
  const share = options.shard !== undefined ? `shard ${shardLabel(options.shard)} of ${plural(inv.hosts.length, "host")}: ` : "";
  const estateCounts = `${share}${plural(hostCount, "host")}, ${plural(clusterCount, "cluster")}`;
  progress.phase("load", estateCounts);
  const waiverFile = checked.waivers;
  const directory = checked.directory;
  const inputs = [
    ...inventoryInputs(loaded, options.inventory, options.allowOutsideSnapshots === true),
    ...(directory !== undefined ? [{ path: directory.file, shown: directory.shown, what: "the directory snapshot" }] : []),
    ...(options.waivers !== undefined ? [{ path: options.waivers, shown: options.waivers, what: "the waiver file" }] : []),
    ...featureInputs(options.features ?? [], options.builtin === false ? undefined : FEATURES_DIR),
  ];
  // Before a host is contacted, so that a second run into the same --out stops at once.
  claimOutput(claim, { out: options.out, history: options.history, command: "run", inputs });
  // Hosts with a live transport are read once each, for exactly the probes the selected controls
  // need, a slice at a time as it is judged (streamSlices); a host that cannot be read comes back
  // with every probe saying why. A shard reads its own share only. What would refuse every host
  // (WinRM off Windows, no pwsh) was refused with the other inputs (preRunChecks).
  const mine = new Set(units.flatMap((u) => u.hosts));
  const liveHosts = inv.hosts.filter((h, i) => mine.has(i) && isLive(h)).length;
  if (liveHosts > 0) progress.phase("collect", `${plural(liveHosts, "live host")}, one PowerShell round trip each, slice by slice as they are judged`);
  const plan = liveHosts > 0 ? planProbes(options.tags, catalog) : { probes: [], generic: [] };
  const readLive = liveHosts > 0 ? await liveReader(loaded, { probes: plan.probes, generic: plan.generic, collectorVersion: VERSION, reader: options.reader, checked: true }) : undefined;
  const t1 = performance.now();

  const directoryListed = directory !== undefined ? directoryRecord(directory) : undefined;
  const head = {
    tool: { name: "hostproof" as const, version: VERSION },
    estate: inv.name,
    inventoryFile: displayPath(options.inventory),
    startedAt: startedAt.toISOString(),
    asOf: options.asOf.toISOString().slice(0, 10),
    tags: options.tags,
    failOn: options.failOn,
    ...(directoryListed !== undefined ? { directory: directoryListed } : {}),
  };
  const session = new OutputSession({ out: options.out, head, hosts: hostCount, clusters: clusterCount, chosen, history: options.history, progress, ...(options.signingKey !== undefined ? { signingKey: options.signingKey } : {}), ...(options.registry !== undefined ? { registry: options.registry } : {}) });
  session.warnings.push(...claim.lock!.notes);
  try {
    const kept = directory !== undefined ? keepDirectory(session.writer, directory, directoryListed!) : undefined;
    const estateDirectory = directoryInput(inv, directory !== undefined ? directorySnapshotInput(directory, kept!) : undefined, waiverFile?.waivers);
    const warnDays = options.waiverWarnDays ?? DEFAULT_WARN_DAYS;
    const waivers = waiverFile !== undefined ? waiverApplier(waiverFile.waivers, options.asOf, warnDays) : undefined;
    const sliceHosts = options.sliceHosts ?? SLICE_HOSTS;
    const record = options.shard !== undefined ? new ShardRecordBuilder(options.shard, { sha256: estateDigest(inv), hosts: inv.hosts.length, clusters: (inv.clusters ?? []).length, sliceHosts }) : undefined;

    // One slice at a time: loaded, judged by Cucumber, written, dropped (engine/slices.ts).
    progress.phase("judge", estateCounts);
    const judge = { asOf: options.asOf, tags: options.tags, features: catalog.files, expected: selected, allowOutsideSnapshots: options.allowOutsideSnapshots === true, directory: estateDirectory };
    const streamed = await streamSlices({ loaded, units, sliceHosts, judge, readLive, session, waivers, record, workers, workerModule: options.judgeWorkerModule });
    const { controls, internalErrors } = streamed;
    // checkSomethingJudged and complete-results.ts make this unreachable; a run that judged nothing must never read as compliant.
    if (options.shard === undefined && session.writer.digest.totals.total === 0) throw new Error("the run judged no control on any target");

    const environment = runEnvironment({
      version: VERSION,
      featuresDir: FEATURES_DIR,
      userFeatures: catalog.files.filter((f) => f.origin !== "built-in"),
      builtin: catalog.files.some((f) => f.origin === "built-in"),
      inventoryFile: resolve(options.inventory),
      inventorySha256: loaded.sha256,
      ...(waiverFile !== undefined ? { waiversSha256: sha256Hex(waiverFile.doc.raw) } : {}),
      startedAt: head.startedAt,
    });
    const waiverReport = waiverFile !== undefined && waivers !== undefined ? { file: displayPath(waiverFile.file), warnDays, waivers: waiverFile.waivers, notices: waivers.notices() } : undefined;
    return await session.finish({
      controls: controls ?? [],
      clusters,
      failOn: options.failOn,
      environment,
      ...(waiverReport !== undefined ? { waivers: waiverReport } : {}),
      internalErrors,
      // The phases interleave slice by slice: load and judge are each the sum of their share of
      // every slice, wherever it ran (judge workers overlap them with the writing); write is the
      // main thread's time from the first slice to the last written, less its waits for slices.
      timings: (t3) => ({ loadMs: Math.round(t1 - t0 + streamed.loadMs), judgeMs: Math.round(streamed.judgeMs), writeMs: Math.round(t3 - t1 - streamed.waitMs), reportMs: Math.round(performance.now() - t3) }),
      configuration: runConfiguration(options, loaded.sha256, catalog.files, waiverFile, directory),
      ...(record !== undefined ? { extra: (writer) => record.write(writer, { head, controls: controls ?? [], environment, internalErrors, userFeatures: userFeaturesDigest(catalog.files), waivers: waiverFile !== undefined ? { file: waiverReport!.file, warnDays, waivers: waiverFile.waivers } : undefined }) } : {}),
    });
  } catch (err) {
    await session.abort();
    throw err;
  }
}

/**
 * A run that would judge nothing must not read as compliant: a selection with no control (as
 * `--tags` matching none already is at the command line), or one whose controls judge only
 * clusters in an estate that has none. Checked on the whole estate, so that a shard without
 * clusters still runs its share.
 */
function checkSomethingJudged(selected: readonly ExpectedControl[], clusters: number, tags: string | undefined): void {
  const field = tags !== undefined ? "--tags" : "--features";
  if (selected.length === 0) {
    throw new InputError({ file: "command line", field, problem: `${tags !== undefined ? `--tags "${tags}"` : "the features"} select no control`, fix: "Run `hostproof controls` for the IDs and tags; a run that judges nothing is not compliant." });
  }
  // A directory control always has its target (engine/directory-target.ts), snapshot or not.
  if (clusters === 0 && selected.every((c) => c.judges.every((k) => k === "cluster"))) {
    throw new InputError({
      file: "command line",
      field,
      problem: `the ${selected.length} selected control(s) judge only clusters, and the inventory has none, so the run would judge nothing`,
      fix: "Select controls that judge hosts too (`hostproof controls` lists them), or add the clusters to the inventory; a run that judges nothing is not compliant.",
    });
  }
}

/** The organisation's features as a shard records them: content and path within their folder, not where the folder is. */
function userFeaturesDigest(files: readonly FeatureFile[]): string | undefined {
  const user = files.filter((f) => f.origin !== "built-in");
  if (user.length === 0) return undefined;
  return sha256Hex(user.map((f) => `${f.sha256}  ${relative(resolve(f.origin), f.path).split(sep).join("/")}\n`).join(""));
}

/**
 * The inputs a signed attestation names, each by the digest of the bytes the run read: the
 * inventory, each feature folder (built-in included) and the waiver file. Snapshots need no entry:
 * they are kept in evidence/snapshots/, which the manifest pins. The directory snapshot is kept
 * in evidence/directory/ too, and named here as well: it is an input of the run's own choosing.
 */
function runConfiguration(options: RunOptions, inventorySha256: string | undefined, files: readonly FeatureFile[], waivers: { doc: { raw: Buffer } } | undefined, directory: RunDirectory | undefined): ResourceDescriptor[] {
  const out: ResourceDescriptor[] = [];
  if (inventorySha256 !== undefined) out.push({ name: displayPath(options.inventory), digest: { sha256: inventorySha256 }, annotations: { role: "inventory" } });
  const folders = new Map<string, FeatureFile[]>();
  for (const f of files) (folders.get(f.origin) ?? folders.set(f.origin, []).get(f.origin)!).push(f);
  for (const [origin, list] of folders) {
    const root = origin === "built-in" ? FEATURES_DIR : resolve(origin);
    const within = list.map((f) => ({ sha256: f.sha256, within: relative(root, f.path).split(sep).join("/") }));
    out.push({ name: origin === "built-in" ? `hostproof ${VERSION} built-in features` : displayPath(origin), digest: { sha256: folderDigest(within) }, annotations: { role: "features", files: list.length } });
  }
  if (waivers !== undefined && options.waivers !== undefined) out.push({ name: displayPath(options.waivers), digest: { sha256: sha256Hex(waivers.doc.raw) }, annotations: { role: "waivers" } });
  if (directory !== undefined) out.push({ name: directory.shown, digest: { sha256: sha256Hex(directory.raw) }, annotations: { role: "directory" } });
  return out;
}

/** Paths in the report are relative to where hostproof ran, as a reader of the CI log saw them. */
function displayPath(file: string): string {
  return relative(process.cwd(), resolve(file)) || file;
}
