/**
 * `hostproof validate [<file>...] [-i <inventory>] [--waivers <file>] [--directory <file>]`: the
 * checks `run` makes before anything is collected or written (engine/pre-run.ts), the same
 * function, so that what validate approves run accepts and a problem reads the same in both; then
 * every snapshot an inventory reads, as the run would read it (engine/estate.ts readHost).
 *
 * Files named without an option are recognised by their content: an inventory (hostproof's, or
 * ansible-inventory's JSON), a waiver file, a host snapshot, a directory snapshot (`kind`
 * "hostproof-directory"), or features (a folder, or a name ending in .feature). Waiver files are
 * checked against every inventory given, as a run with that pair would check them.
 */
import { resolve } from "node:path";
import { statSync } from "node:fs";
import { formatProblem, InputError, type InputProblem } from "../../errors";
import { ansibleSourceProblem } from "../../input/inventory";
import { inventoryForm } from "../../input/ansible/document";
import { readDocument, type ReadDocument } from "../../input/read-document";
import { loadSnapshot } from "../../input/snapshot";
import { EXIT, type ExitCode } from "../../model/run";
import { giveTurn } from "../../util/turns";
import { escapeControls } from "../../util/terminal-safe";
import { DEFAULT_WARN_DAYS } from "../../waivers/apply";
import { expiringWaiverLines } from "../../waivers/lint";
import { clustersOfNodes, readHost } from "../../engine/estate";
import { isLive } from "../../collect/collect-estate";
import { preRunChecks, type PreRunInputs, type PreRunRequest } from "../../engine/pre-run";
import { FEATURE_OPTIONS, featureSelection, parse, usageError } from "../args";
import { isFeaturePath, validateFeaturePaths } from "./validate-features";
import { VALIDATE_HELP } from "../usage";
import type { Io } from "../io";
import { printHelp } from "../help-layout";

type Kind = "inventory" | "snapshot" | "waivers" | "directory";

/** A file named without an option, as given, and what its content says it is. */
interface Named {
  given: string;
  kind: Kind;
}

export async function validateCommand(argv: string[], io: Io): Promise<ExitCode> {
  const { values, positionals } = parse(
    argv,
    {
      help: { type: "boolean", short: "h" },
      inventory: { type: "string", short: "i" },
      waivers: { type: "string", short: "w" },
      directory: { type: "string" },
      "allow-outside-snapshots": { type: "boolean" },
      ...FEATURE_OPTIONS,
    },
    true,
  );
  if (values.help) {
    printHelp(io, VALIDATE_HELP);
    return EXIT.compliant;
  }
  if (positionals.length === 0 && values.inventory === undefined && values.waivers === undefined && values.directory === undefined) {
    throw usageError("no file given", "Name the files to check, as run is given them (hostproof validate -i estate.yaml --waivers waivers.yaml), or any inventory, snapshot, waiver, directory or feature files (or a folder of features): hostproof validate estate.yaml");
  }
  const selection = featureSelection(values);
  const allowOutside = values["allow-outside-snapshots"] === true;
  const say = (line: string): void => io.err(escapeControls(line));
  // Features are linted together (an ID used twice across them is a problem); documents by kind.
  const features = positionals.map((path) => ({ path, isDirectory: isDirectory(path) })).filter((p) => isFeaturePath(p.path, p.isDirectory));
  let bad = features.length > 0 ? await validateFeaturePaths(features, selection, io) : 0;

  const named: Named[] = [];
  const unreadable = new Map<string, InputProblem[]>();
  for (const file of positionals) {
    if (features.some((f) => f.path === file)) continue;
    const kind = recognise(file);
    if ("problems" in kind) unreadable.set(file, kind.problems);
    else named.push({ given: file, kind: kind.kind });
  }
  const of = (kind: Kind): string[] => named.filter((n) => n.kind === kind).map((n) => n.given);
  const inventories = [...(values.inventory !== undefined ? [values.inventory] : []), ...of("inventory")];
  const waiverFiles = [...(values.waivers !== undefined ? [values.waivers] : []), ...of("waivers")];
  const today = io.now();
  const base = { features: selection, allowOutsideSnapshots: allowOutside, asOf: today, checkTransports: true };

  // The runs these files describe: each inventory with each waiver file and --directory, as run
  // would be given them; waiver files and directory snapshots on their own where no inventory is.
  const requests: PreRunRequest[] = [];
  for (const inventory of inventories) {
    for (const waivers of waiverFiles.length > 0 ? waiverFiles : [undefined]) requests.push({ ...base, inventory, ...(waivers !== undefined ? { waivers } : {}), ...(values.directory !== undefined ? { directory: values.directory } : {}) });
  }
  if (inventories.length === 0) for (const waivers of waiverFiles) requests.push({ ...base, waivers });
  const directories = [...(values.directory !== undefined && inventories.length === 0 ? [values.directory] : []), ...of("directory")];
  for (const directory of directories) requests.push({ ...base, directory });

  const problems = new Map<string, InputProblem[]>(unreadable);
  const warnings: InputProblem[] = [];
  const verdicts = new Map<string, string[]>();
  const blame = (owner: string, list: readonly InputProblem[]): void => {
    const all = problems.get(owner) ?? [];
    problems.set(owner, all);
    for (const p of list) if (!all.some((q) => formatProblem(q) === formatProblem(p))) all.push(p);
  };
  const inputs = [...new Set([...inventories, ...waiverFiles, ...(values.directory !== undefined ? [values.directory] : []), ...directories])];
  // A problem is its own file's when that file was named; else (a snapshot or the directory an
  // inventory names, a --features control) the named file that led to it.
  const ownerOf = (p: InputProblem, request: PreRunRequest): string => inputs.find((f) => sameFile(f, p.file)) ?? request.inventory ?? request.waivers ?? request.directory!;
  for (const request of requests) {
    const checked = await preRunChecks(request);
    for (const p of checked.problems) blame(ownerOf(p, request), [p]);
    for (const w of checked.warnings) if (!warnings.some((q) => formatProblem(q) === formatProblem(w))) warnings.push(w);
    if (checked.inventory !== undefined && request.inventory !== undefined) blame(request.inventory, await snapshotsOf(checked, allowOutside));
    for (const v of verdictLines(request, checked, today)) verdicts.set(v.file, v.lines);
  }
  for (const snapshot of of("snapshot")) blame(snapshot, checkSnapshotFile(snapshot));

  for (const list of problems.values()) for (const p of list) say(`✘ ${formatProblem(p)}`);
  for (const w of warnings) say(`warning: ${formatProblem(w)}`);
  const files = [...new Set([...inputs, ...of("snapshot"), ...unreadable.keys()])];
  for (const f of of("snapshot")) verdicts.set(f, [`${f}: valid snapshot`]);
  for (const [file, [head, ...notes]] of verdicts) {
    if ((problems.get(file)?.length ?? 0) > 0) continue;
    io.out(escapeControls(`✔ ${head!}`));
    for (const note of notes) io.out(`  ! ${escapeControls(note)}`);
  }
  bad += files.filter((f) => (problems.get(f)?.length ?? 0) > 0).length;
  const total = files.length + features.length;
  io.out(bad === 0 ? `${total} file(s) valid.` : `${bad} of ${total} file(s) invalid.`);
  return bad === 0 ? EXIT.compliant : EXIT.badInput;
}

function isDirectory(path: string): boolean {
  try {
    return statSync(path).isDirectory();
  } catch {
    return false;
  }
}

function sameFile(given: string, shown: string): boolean {
  return given === shown || resolve(given) === resolve(shown);
}

/** What a file named without an option is, from its content. */
function recognise(file: string): { kind: Kind } | { problems: InputProblem[] } {
  let doc: ReadDocument;
  try {
    doc = readDocument(file);
  } catch (err) {
    if (err instanceof InputError) return { problems: err.problems };
    throw err;
  }
  const form = inventoryForm(doc.value);
  // ansible-inventory --list output is an inventory too: validated as run reads it (README, "Ansible inventories").
  if (form === "ansible-json") return { kind: "inventory" };
  const kind = kindOf(doc.value);
  if (kind !== undefined) return { kind };
  if (form === "ansible-source") return { problems: [ansibleSourceProblem(file)] };
  return { problems: [{ file, problem: "this is neither an inventory (no 'hosts'), a snapshot (no 'probes'), a directory snapshot (no kind: hostproof-directory) nor a waiver file (no 'waivers')", fix: "Check that you named the right file." }] };
}

function kindOf(value: unknown): Kind | undefined {
  if (value === null || typeof value !== "object" || Array.isArray(value)) return undefined;
  // Before the host snapshot's test: a directory snapshot has a collectedAt too.
  if ("kind" in value && value.kind === "hostproof-directory") return "directory";
  if ("probes" in value || "collectedAt" in value) return "snapshot";
  if ("hosts" in value || "clusters" in value) return "inventory";
  // Recognised by its `waivers` key alone, so that a waiver file with a missing version or a
  // malformed list is still checked as one and told what is wrong.
  if ("waivers" in value) return "waivers";
  return undefined;
}

/** Every snapshot the inventory's hosts are read from, as a run reads each (engine/estate.ts readHost). */
async function snapshotsOf(checked: PreRunInputs, allowOutside: boolean): Promise<InputProblem[]> {
  const loaded = checked.inventory!;
  const clusterOf = clustersOfNodes(loaded.inventory.clusters ?? []);
  const now = new Date();
  const problems: InputProblem[] = [];
  for (const [i, h] of loaded.inventory.hosts.entries()) {
    if (isLive(h)) continue;
    // Every snapshot is read and checked: a turn of the event loop between them (util/turns.ts).
    await giveTurn();
    const read = readHost(loaded, i, clusterOf, allowOutside, now);
    if ("problems" in read) problems.push(...read.problems);
  }
  // Read from ansible-inventory output: a field of the inventory built is named by the Ansible variable it came from.
  return problems.map((p) => (p.field !== undefined && p.file === loaded.doc.file && loaded.origin ? { ...p, field: loaded.origin(p.field) } : p));
}

/** A host snapshot named on its own, read as run reads one (input/snapshot.ts), its host unknown. */
function checkSnapshotFile(file: string): InputProblem[] {
  try {
    loadSnapshot(resolve(file), file);
    return [];
  } catch (err) {
    if (err instanceof InputError) return err.problems;
    throw err;
  }
}

/** What is valid about each file a request named, said only when that file has no problem. */
function verdictLines(request: PreRunRequest, checked: PreRunInputs, today: Date): { file: string; lines: string[] }[] {
  const lines: { file: string; lines: string[] }[] = [];
  const inv = checked.inventory;
  if (request.inventory !== undefined && inv !== undefined) {
    const live = inv.inventory.hosts.filter(isLive).length;
    const directory = inv.inventory.directory;
    const dir = request.directory !== undefined ? "" : typeof directory === "string" ? ", directory snapshot valid" : directory !== undefined ? ", no directory" : "";
    lines.push({ file: request.inventory, lines: [`${request.inventory}: valid inventory${inv.origin !== undefined ? " from ansible-inventory" : ""} (${inv.inventory.hosts.length} host(s), ${(inv.inventory.clusters ?? []).length} cluster(s), ${live > 0 ? `${live} live, ` : ""}snapshots valid${dir})`] });
  }
  const w = checked.waivers;
  if (request.waivers !== undefined && w !== undefined) {
    lines.push({ file: request.waivers, lines: [`${request.waivers}: valid waiver file (${w.waivers.length} waiver(s))`, ...expiringWaiverLines(w.waivers, today, DEFAULT_WARN_DAYS)] });
  }
  const d = checked.directory;
  if (request.directory !== undefined && d !== undefined) lines.push({ file: request.directory, lines: [`${request.directory}: valid directory snapshot (${d.snapshot.objects.length} object(s) of ${d.domain}, read ${d.snapshot.collectedAt})`] });
  return lines;
}

