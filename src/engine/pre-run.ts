/**
 * What `run` checks of its inputs before anything is collected or written, and what `validate`
 * checks of the same inputs: one function, so that a file set `validate` approves is one `run`
 * accepts, and a problem one prints the other prints in the same words.
 *
 * Every input is checked and every problem gathered, not only the first: an input that cannot be
 * read is left out of the checks that need it (no waiver is compared with an inventory that did
 * not load). Checked here:
 * - the controls (built-in and --features): the control lint;
 * - the inventory: its schema and references, and the transports this machine cannot use (WinRM
 *   off Windows, a live host with no usable pwsh) unless a test reads hosts its own way;
 * - the directory snapshot, from --directory or the inventory's `directory` (held inside the
 *   inventory's folder unless --allow-outside-snapshots);
 * - the waiver file: schema, unknown control ids, ids used twice, `{ directory: <DN> }` scopes on
 *   controls that are not estate-wide, and, against the inventory, scopes that would cover nothing
 *   while reading as if they applied.
 *
 * Warnings never stop anything: a waiver past its last day and a scope naming no host or cluster
 * of this inventory (one waiver file may serve several estates). `validate` prints them; a run
 * reports the same facts as its waiver notices (expired, unmatched), from the results it judged.
 */
import { relative, resolve } from "node:path";
import { InputError, type InputProblem } from "../errors";
import { loadFeatureCatalogGivingTurns, type FeatureCatalog } from "../controls/catalog";
import type { FeatureSelection } from "../controls/feature-set";
import { loadInventory, nameKey, type LoadedInventory } from "../input/inventory";
import { checkLiveTransports } from "../collect/collect-estate";
import { checkWaiverTargets, readWaivers, type LoadedWaivers } from "../waivers/load";
import { expiredWaiverProblems } from "../waivers/lint";
import { formatPath } from "../schema/validate";
import { didYouMean } from "../util/closest";
import { loadRunDirectory, type RunDirectory } from "./run-directory";
import { shardUnits, type Shard } from "./shard";

export interface PreRunRequest {
  /** The files as given on the command line (relative to where hostproof runs). */
  inventory?: string;
  waivers?: string;
  directory?: string;
  features: FeatureSelection;
  allowOutsideSnapshots: boolean;
  /** The day waivers are judged as of: a run's --as-of, validate's today (UTC). */
  asOf: Date;
  /**
   * False when a test reads hosts its own way (RunOptions.reader): this machine's transports and
   * pwsh are then not what reads them.
   */
  checkTransports: boolean;
  /** A run's share of the estate: only its hosts are read, so only theirs need a transport here. */
  shard?: Shard;
  env?: NodeJS.ProcessEnv;
  platform?: NodeJS.Platform;
}

export interface PreRunInputs {
  catalog?: FeatureCatalog;
  inventory?: LoadedInventory;
  waivers?: LoadedWaivers;
  directory?: RunDirectory;
  /** Each stops a run with exit 3 before anything is written; validate exits 3 on them too. */
  problems: InputProblem[];
  /** Worth saying, never a reason to stop (see the module's comment). */
  warnings: InputProblem[];
}

/** Problems an input's loader throws become this input's problems; anything else is a bug and goes on up. */
function attempt<T>(problems: InputProblem[], load: () => T): T | undefined {
  try {
    return load();
  } catch (err) {
    if (!(err instanceof InputError)) throw err;
    problems.push(...err.problems);
    return undefined;
  }
}

async function attemptAsync<T>(problems: InputProblem[], load: () => Promise<T>): Promise<T | undefined> {
  try {
    return await load();
  } catch (err) {
    if (!(err instanceof InputError)) throw err;
    problems.push(...err.problems);
    return undefined;
  }
}

export async function preRunChecks(request: PreRunRequest): Promise<PreRunInputs> {
  const problems: InputProblem[] = [];
  const warnings: InputProblem[] = [];
  const catalog = await attemptAsync(problems, () => loadFeatureCatalogGivingTurns(request.features));
  const inventory = request.inventory !== undefined ? attempt(problems, () => loadInventory(resolve(request.inventory!), request.inventory)) : undefined;
  if (inventory !== undefined && request.checkTransports) {
    const hosts = request.shard !== undefined ? new Set(shardUnits(inventory.inventory, request.shard).flatMap((u) => u.hosts)) : undefined;
    await attemptAsync(problems, () => checkLiveTransports(inventory, { env: request.env ?? process.env, platform: request.platform, ...(hosts !== undefined ? { hosts } : {}) }));
  }
  // --directory stands on its own; the inventory's `directory` needs the inventory.
  const directory = inventory !== undefined || request.directory !== undefined ? attempt(problems, () => loadRunDirectory(inventory, request.directory, request.allowOutsideSnapshots)) : undefined;
  let waivers: LoadedWaivers | undefined;
  if (request.waivers !== undefined) {
    const given = request.waivers;
    const known = catalog?.controls.map((c) => c.id) ?? [];
    const directoryControls = catalog?.entries.filter((e) => e.judges.includes("directory")).map((e) => e.meta.id) ?? [];
    const read = attempt(problems, () => readWaivers(resolve(given), given, known, directoryControls));
    // Without the controls (the lint refused them) no control id can be told unknown: the lint's problems stand for them.
    problems.push(...(read?.problems ?? []).filter((p) => catalog !== undefined || !/\.controlId$/.test(p.field ?? "")));
    waivers = read?.waivers;
  }
  if (waivers !== undefined) {
    if (inventory !== undefined) {
      const refused = checkWaiverTargets(waivers.waivers, waivers.doc, inventory.inventory);
      problems.push(...refused);
      const told = new Set(refused.map((p) => p.field));
      warnings.push(...unknownTargetWarnings(waivers, inventory).filter((w) => !told.has(w.field)));
    }
    warnings.push(...expiredWaiverProblems(waivers.waivers, waivers.doc, request.asOf));
  }
  return { catalog, inventory, waivers, directory, problems, warnings };
}

/**
 * A scope naming a host or cluster this inventory does not have at all (checkWaiverTargets refuses
 * the near misses): the waiver covers nothing in this estate. Not refused, as one waiver file may
 * serve several estates; a run says it as the waiver's `unmatched` notice.
 */
function unknownTargetWarnings(waivers: LoadedWaivers, loaded: LoadedInventory): InputProblem[] {
  const hosts = loaded.inventory.hosts.map((h) => h.name);
  const clusters = (loaded.inventory.clusters ?? []).map((c) => c.name);
  const names = new Set([...hosts, ...clusters].map(nameKey));
  const shown = relative(process.cwd(), resolve(loaded.file)) || loaded.file;
  return waivers.waivers.flatMap((w, i): InputProblem[] => {
    if (w.scope === "all" || "directory" in w.scope) return [];
    const [kind, name] = "host" in w.scope ? ["host", w.scope.host] : ["cluster", w.scope.cluster];
    if (names.has(nameKey(name))) return [];
    const path = ["waivers", i, "scope"];
    return [
      {
        file: waivers.doc.file,
        field: formatPath(path),
        line: waivers.doc.lineOf(path),
        problem: `the inventory ${shown} has no ${kind} '${name}': this waiver covers nothing in that estate`,
        fix: `${didYouMean(name, kind === "host" ? hosts : clusters)}Correct the name to one the inventory lists, or ignore this if the waiver file serves another estate too.`,
      },
    ];
  });
}
