/**
 * A command's outputs kept apart from its own inputs. `run -o snaps`, where snaps is the folder
 * `collect` wrote and the run reads its inventory and snapshots from, replaced them with the
 * report: the evidence the report was made from, gone. So every path a command reads (inventory,
 * each snapshot, the waiver file, each --features folder, ssh key and known_hosts files, merge's
 * shards, the history folder) is checked against each folder it writes (--out and the history
 * folder), and an output that is, holds or lies inside an input is bad usage (exit 3) before
 * anything is written. An input inside the names kept beside --out while it is replaced
 * (`.<out>.staging-…`, `.<out>.lock`, …) counts as inside --out.
 *
 * Paths are compared as the file system sees them, not as written: by device and inode number of
 * the input and every folder above it (after following links), so `..`, symbolic links, bind
 * mounts and a case-insensitive file system's other spellings of a name all resolve to the same
 * folder. Hard links are no danger: replacing --out removes one name of such a file, not its data.
 */
import { existsSync, lstatSync, realpathSync, statSync } from "node:fs";
import { basename, dirname, join, resolve, sep } from "node:path";
import { InputError, type InputProblem } from "../../errors";
import type { LoadedInventory } from "../../input/inventory";
import { snapshotPath } from "../../input/snapshot-path";

export interface OwnInput {
  path: string;
  /** As the user wrote or would recognise it. */
  shown: string;
  /** What it is, for the message: "the inventory", "the snapshot of host n1", "the shard". */
  what: string;
  folder?: boolean;
}

export interface OwnOutput {
  path: string;
  shown: string;
  /** The option naming it: --out, --history. */
  flag: string;
  /** What writing it does to an input found there; default: replacing it deletes it. */
  effect?: string;
}

interface Node {
  id: string;
  name: string;
}

function idOf(path: string): string | undefined {
  try {
    const st = statSync(path, { bigint: true });
    return `${st.dev}:${st.ino}`;
  } catch {
    return undefined;
  }
}

/** Nodes of a real (link-free) folder path and every folder above it, nearest first; memoised. */
class Ancestry {
  private readonly dirs = new Map<string, Node[]>();
  /** Folder as written → its real path: the snapshots of an estate share a folder or a few. */
  private readonly reals = new Map<string, string>();

  ofDir(real: string): Node[] {
    const known = this.dirs.get(real);
    if (known !== undefined) return known;
    const id = idOf(real);
    const up = dirname(real);
    const above = up === real ? [] : this.ofDir(up);
    const chain = id === undefined ? above : [{ id, name: basename(real) }, ...above];
    this.dirs.set(real, chain);
    return chain;
  }

  private real(dir: string): string {
    let known = this.reals.get(dir);
    if (known === undefined) this.reals.set(dir, (known = realpathSync(dir)));
    return known;
  }

  /** The path (links followed) and every folder above it; undefined when it does not exist. */
  of(path: string): Node[] | undefined {
    const abs = resolve(path);
    try {
      // A plain file in a folder already seen costs one lstat: only links need realpath.
      const st = lstatSync(abs, { bigint: true });
      if (!st.isSymbolicLink()) return [{ id: `${st.dev}:${st.ino}`, name: basename(abs) }, ...this.ofDir(this.real(dirname(abs)))];
      const real = realpathSync(abs);
      return this.ofDir(real);
    } catch {
      return undefined;
    }
  }
}

/** The nearest folder of `path` that exists, and its chain (for an output not made yet). */
function existingAncestry(path: string, ancestry: Ancestry): Node[] {
  for (let p = resolve(path); ; p = dirname(p)) {
    const chain = ancestry.of(p);
    if (chain !== undefined) return chain;
    if (dirname(p) === p) return [];
  }
}

/** `path` with links and `..` resolved as far as it exists, the rest as written (an output not made yet). */
function canonical(path: string): string {
  const abs = resolve(path);
  try {
    return realpathSync(abs);
  } catch {
    const up = dirname(abs);
    return up === abs ? abs : join(canonical(up), basename(abs));
  }
}

function within(inner: string, outer: string): boolean {
  return inner === outer || inner.startsWith(outer.endsWith(sep) ? outer : outer + sep);
}

/**
 * Throws an InputError (exit 3) for every output that is, holds or lies inside an input, or
 * another output; inputs that do not exist are left to the reading to report.
 */
export function checkOutputsApart(outputs: readonly OwnOutput[], inputs: readonly OwnInput[], fix: string): void {
  const ancestry = new Ancestry();
  const problems: InputProblem[] = [];
  const inputChains = inputs.map((input) => ({ input, chain: ancestry.of(input.path) }));
  for (const out of outputs) {
    const target = resolve(out.path);
    const outId = idOf(target);
    const outChain = existingAncestry(target, ancestry);
    const parentId = idOf(dirname(target));
    const working = `.${basename(target)}.`;
    const effect = out.effect ?? `replacing ${out.flag} would delete it`;
    let snapshotsInside = 0;
    for (const { input, chain } of inputChains) {
      if (chain === undefined || chain.length === 0) continue;
      let problem: string | undefined;
      if (outId !== undefined && chain[0]!.id === outId) problem = `${out.flag} ${out.shown} is ${input.what} ${input.shown}: ${effect}`;
      else if (outId !== undefined && chain.some((n) => n.id === outId)) problem = `${input.what} ${input.shown} is inside ${out.flag} ${out.shown}: ${effect}`;
      else if (parentId !== undefined && chain.some((n, i) => n.name.startsWith(working) && chain[i + 1]?.id === parentId)) {
        problem = `${input.what} ${input.shown} is inside ${out.flag}'s working files beside ${out.shown}, which hostproof creates and deletes`;
      } else if (input.folder === true && outChain.some((n) => n.id === chain[0]!.id)) problem = `${out.flag} ${out.shown} is inside ${input.what} ${input.shown}: writing there would change it`;
      if (problem === undefined) continue;
      // Thousands of snapshots in one folder are one mistake: said once, with a count.
      if (input.what.startsWith("the snapshot of") && ++snapshotsInside > 1) continue;
      problems.push({ file: "command line", field: out.flag, problem, fix });
    }
    if (snapshotsInside > 1) problems.push({ file: "command line", field: out.flag, problem: `${snapshotsInside - 1} more snapshot(s) are there too`, fix });
  }
  // Outputs against each other (--history inside --out would be deleted with it), either of
  // which may not exist yet: compared as paths, links resolved as far as they exist.
  outputs.forEach((a, k) => {
    for (const b of outputs.slice(k + 1)) {
      const [ca, cb] = [canonical(a.path), canonical(b.path)];
      if (!within(ca, cb) && !within(cb, ca)) continue;
      const problem = ca === cb ? `${a.flag} ${a.shown} and ${b.flag} ${b.shown} are the same folder` : within(ca, cb) ? `${a.flag} ${a.shown} is inside ${b.flag} ${b.shown}` : `${b.flag} ${b.shown} is inside ${a.flag} ${a.shown}`;
      problems.push({ file: "command line", field: a.flag, problem: `${problem}: one would overwrite the other`, fix });
    }
  });
  if (problems.length > 0) throw new InputError(problems);
}

/**
 * An output inside a folder hostproof wrote (a report, a shard, a collection) would change that
 * folder (verify then finds it tampered with), and the next command writing that folder would
 * delete it. Replacing such a folder itself is what --out is for; writing inside it is refused.
 */
export function checkNotInsideWritten(outputs: readonly OwnOutput[], marker: string, fix: string): void {
  const problems: InputProblem[] = [];
  for (const out of outputs) {
    const target = canonical(out.path);
    for (let dir = dirname(target); ; dir = dirname(dir)) {
      if (existsSync(join(dir, marker))) {
        problems.push({ file: "command line", field: out.flag, problem: `${out.flag} ${out.shown} is inside ${dir}, a folder hostproof wrote (a report or a collection): writing there would change it, and the next command writing ${dir} would delete it`, fix });
        break;
      }
      if (dirname(dir) === dir) break;
    }
  }
  if (problems.length > 0) throw new InputError(problems);
}

/** The files an inventory makes a command read: itself, its hosts' snapshots, ssh key and known_hosts files. */
export function inventoryInputs(loaded: LoadedInventory, shown: string, allowOutsideSnapshots: boolean): OwnInput[] {
  const inv = loaded.inventory;
  const inputs: OwnInput[] = [{ path: loaded.file, shown, what: "the inventory" }];
  for (const h of inv.hosts) {
    if (h.transport !== "snapshot" || h.snapshot === undefined) continue;
    const p = snapshotPath(loaded.file, h.snapshot, allowOutsideSnapshots);
    if ("file" in p) inputs.push({ path: p.file, shown: p.shown, what: `the snapshot of host ${h.name}` });
  }
  for (const c of inv.credentials ?? []) if (c.keyFile !== undefined) inputs.push({ path: c.keyFile, shown: c.keyFile, what: `the key file of credential ${c.name}` });
  const knownHosts = inv.collection?.ssh?.knownHostsFile;
  if (knownHosts !== undefined) inputs.push({ path: resolve(dirname(resolve(loaded.file)), knownHosts), shown: knownHosts, what: "the known_hosts file" });
  return inputs;
}

/** Each --features folder (and the built-in one), as inputs. */
export function featureInputs(folders: readonly string[], builtinDir: string | undefined): OwnInput[] {
  return [...folders.map((f) => ({ path: f, shown: f, what: "the --features folder", folder: true })), ...(builtinDir !== undefined ? [{ path: builtinDir, shown: builtinDir, what: "the built-in controls' folder", folder: true }] : [])];
}
