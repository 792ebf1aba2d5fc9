/** `hostproof validate <file>...` */
import { formatProblem, InputError, type InputProblem } from "../../errors";
import { ansibleSourceProblem, checkInventoryReferences, loadAnsibleInventory } from "../../input/inventory";
import { inventoryForm } from "../../input/ansible/document";
import { readDocument, type LoadedDocument, type ReadDocument } from "../../input/read-document";
import { snapshotProblems } from "../../input/snapshot-checks";
import { loadSnapshot } from "../../input/snapshot";
import type { Inventory } from "../../model/inventory";
import type { Snapshot } from "../../model/snapshot";
import { EXIT, type ExitCode } from "../../model/run";
import type { WaiverFile } from "../../model/waiver";
import { checkSchema, formatPath } from "../../schema/validate";
import { snapshotPath } from "../../input/snapshot-path";
import { loadFeatureCatalogGivingTurns } from "../../controls/catalog";
import { giveTurn } from "../../util/turns";
import { DEFAULT_WARN_DAYS } from "../../waivers/apply";
import { expiredWaiverProblems, expiringWaiverLines } from "../../waivers/lint";
import { checkWaiverReferences } from "../../waivers/load";
import { statSync } from "node:fs";
import { FEATURE_OPTIONS, featureSelection, parse, usageError } from "../args";
import type { FeatureSelection } from "../../controls/feature-set";
import { isFeaturePath, validateFeaturePaths } from "./validate-features";
import { VALIDATE_HELP } from "../usage";
import type { Io } from "../io";
import { printHelp } from "../help-layout";

type Kind = "inventory" | "snapshot" | "waivers";

export async function validateCommand(argv: string[], io: Io): Promise<ExitCode> {
  const { values, positionals } = parse(argv, { help: { type: "boolean", short: "h" }, "allow-outside-snapshots": { type: "boolean" }, ...FEATURE_OPTIONS }, true);
  if (values.help) {
    printHelp(io, VALIDATE_HELP);
    return EXIT.compliant;
  }
  if (positionals.length === 0) throw usageError("no file given", "Name one or more inventory, snapshot, waiver or feature files (or a folder of features): hostproof validate estate.yaml");
  const selection = featureSelection(values);
  // Features are linted together (an ID used twice across them is a problem); documents one by one.
  const features = positionals.map((path) => ({ path, isDirectory: isDirectory(path) })).filter((p) => isFeaturePath(p.path, p.isDirectory));
  let bad = features.length > 0 ? await validateFeaturePaths(features, selection, io) : 0;
  for (const file of positionals) {
    if (features.some((f) => f.path === file)) continue;
    const problems = await validateFile(file, io, values["allow-outside-snapshots"] === true, selection);
    if (problems.length > 0) {
      bad++;
      for (const p of problems) io.err(`✘ ${formatProblem(p)}`);
    }
  }
  io.out(bad === 0 ? `${positionals.length} file(s) valid.` : `${bad} of ${positionals.length} file(s) invalid.`);
  return bad === 0 ? EXIT.compliant : EXIT.badInput;
}

function isDirectory(path: string): boolean {
  try {
    return statSync(path).isDirectory();
  } catch {
    return false;
  }
}

async function validateFile(file: string, io: Io, allowOutsideSnapshots: boolean, selection: FeatureSelection): Promise<InputProblem[]> {
  let doc: ReadDocument;
  try {
    doc = readDocument(file);
  } catch (err) {
    if (err instanceof InputError) return err.problems;
    throw err;
  }
  // ansible-inventory --list output is an inventory too: validated as run reads it (README, "Ansible inventories").
  const form = inventoryForm(doc.value);
  if (form === "ansible-json") {
    try {
      const loaded = loadAnsibleInventory(file, doc);
      const problems = await validateInventory(file, loaded.inventory, loaded.doc, [], io, allowOutsideSnapshots, " from ansible-inventory");
      return problems.map((p) => (p.field !== undefined && loaded.origin ? { ...p, field: loaded.origin(p.field) } : p));
    } catch (err) {
      if (err instanceof InputError) return err.problems;
      throw err;
    }
  }
  const kind = kindOf(doc.value);
  if (!kind && form === "ansible-source") return [ansibleSourceProblem(file)];
  if (!kind) {
    return [{ file, problem: "this is neither an inventory (no 'hosts'), a snapshot (no 'probes') nor a waiver file (no 'waivers')", fix: "Check that you named the right file." }];
  }
  const problems = checkSchema(kind, doc);
  if (problems.length > 0) return problems;
  if (kind === "waivers") return await validateWaivers(doc, io, selection);
  if (kind === "snapshot") {
    const inconsistent = snapshotProblems(doc, doc.value as Snapshot);
    if (inconsistent.length > 0) return inconsistent;
    io.out(`✔ ${file}: valid snapshot`);
    return [];
  }
  const inv = doc.value as Inventory;
  return await validateInventory(file, inv, doc, checkInventoryReferences(inv, doc), io, allowOutsideSnapshots, "");
}

async function validateInventory(file: string, inv: Inventory, doc: LoadedDocument, refs: InputProblem[], io: Io, allowOutsideSnapshots: boolean, source: string): Promise<InputProblem[]> {
  for (const [i, h] of inv.hosts.entries()) {
    // Every snapshot is read and checked: a turn of the event loop between them (util/turns.ts).
    await giveTurn();
    if (!h.snapshot) continue;
    const path = snapshotPath(file, h.snapshot, allowOutsideSnapshots);
    if ("problem" in path) {
      const field = ["hosts", i, "snapshot"];
      refs.push({ file: doc.file, field: formatPath(field), line: doc.lineOf(field), ...path });
      continue;
    }
    try {
      loadSnapshot(path.file, path.shown, h.name);
    } catch (err) {
      if (!(err instanceof InputError)) throw err;
      refs.push(...err.problems);
    }
  }
  if (refs.length === 0) io.out(`✔ ${file}: valid inventory${source} (${inv.hosts.length} host(s), ${(inv.clusters ?? []).length} cluster(s), snapshots valid)`);
  return refs;
}

/** A waiver may name a control of the --features folders: they are part of what the waivers apply to. */
async function validateWaivers(doc: LoadedDocument, io: Io, selection: FeatureSelection): Promise<InputProblem[]> {
  const { waivers } = doc.value as WaiverFile;
  // Validation is about today: a waiver past its last day no longer does what the file says.
  const today = io.now();
  const problems = [
    ...checkWaiverReferences(waivers, doc, (await loadFeatureCatalogGivingTurns(selection)).controls.map((c) => c.id)),
    ...expiredWaiverProblems(waivers, doc, today),
  ];
  if (problems.length > 0) return problems;
  io.out(`✔ ${doc.file}: valid waiver file (${waivers.length} waiver(s))`);
  for (const line of expiringWaiverLines(waivers, today, DEFAULT_WARN_DAYS)) io.out(`  ! ${line}`);
  return [];
}

function kindOf(value: unknown): Kind | undefined {
  if (value === null || typeof value !== "object" || Array.isArray(value)) return undefined;
  if ("probes" in value || "collectedAt" in value) return "snapshot";
  if ("hosts" in value || "clusters" in value) return "inventory";
  // Recognised by its `waivers` key alone, so that a waiver file with a missing version or a
  // malformed list is still checked as one and told what is wrong.
  if ("waivers" in value) return "waivers";
  return undefined;
}
