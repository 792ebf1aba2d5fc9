/**
 * Loads a waiver file and checks what the schema cannot: that every control it names exists and
 * that ids are unique. Anything wrong here is bad input (exit 3): a waiver that silently matched
 * nothing because of a typo would leave an approved risk failing the gate, or, worse, make a
 * reader believe a risk was accepted when it was not.
 */
import { InputError, type InputProblem } from "../errors";
import { readDocument, type LoadedDocument, type ReadDocument } from "../input/read-document";
import type { Inventory } from "../model/inventory";
import type { Waiver, WaiverFile } from "../model/waiver";
import { nameKey } from "../input/inventory";
import { checkSchema, formatPath } from "../schema/validate";

export interface LoadedWaivers {
  file: string;
  waivers: Waiver[];
  doc: ReadDocument;
}

/** `knownControlIds`: the catalog's IDs (loadControlCatalog), whatever --tags selects. */
export function loadWaivers(file: string, displayName: string, knownControlIds: readonly string[], directoryControlIds: readonly string[] = []): LoadedWaivers {
  const read = readWaivers(file, displayName, knownControlIds, directoryControlIds);
  if (read.problems.length > 0) throw new InputError(read.problems);
  return read.waivers!;
}

/**
 * As loadWaivers, the problems returned rather than thrown, with the waivers whenever the schema
 * holds: what else is checked of them (engine/pre-run.ts) is checked too, and every problem told at once.
 */
export function readWaivers(file: string, displayName: string, knownControlIds: readonly string[], directoryControlIds: readonly string[] = []): { waivers?: LoadedWaivers; problems: InputProblem[] } {
  const doc = readDocument(file, displayName, "waivers");
  const schemaProblems = checkSchema("waivers", doc);
  if (schemaProblems.length > 0) return { problems: schemaProblems };
  const { waivers } = doc.value as WaiverFile;
  return { waivers: { file: displayName, waivers, doc }, problems: [...checkWaiverReferences(waivers, doc, knownControlIds), ...checkDirectoryScopes(waivers, doc, knownControlIds, directoryControlIds)] };
}

/**
 * Waiver ids are references a person reads, says and types into a ticket: `W-1` and `w-1` are the
 * same id to every reader, so they compare without case (Unicode case folding, as far as
 * JavaScript has it), width, surrounding spaces or invisible characters (Unicode format
 * characters: a zero-width space or joiner, a soft hyphen, a bidirectional mark), which no reader
 * sees: `W-1` and `W-1<U+200B>` print alike.
 */
export function idKey(id: string): string {
  return id.normalize("NFKC").replace(/\p{Cf}/gu, "").trim().toUpperCase().toLowerCase();
}

export function checkWaiverReferences(waivers: readonly Waiver[], doc: LoadedDocument, knownControlIds: readonly string[]): InputProblem[] {
  const problems: InputProblem[] = [];
  const at = (path: (string | number)[], problem: string, fix: string): void => {
    problems.push({ file: doc.file, field: formatPath(path), line: doc.lineOf(path), problem, fix });
  };
  const known = new Set(knownControlIds);
  const ids = new Map<string, number>();
  waivers.forEach((w, i) => {
    if (!known.has(w.controlId)) {
      const near = knownControlIds.find((id) => id.toLowerCase() === w.controlId.toLowerCase());
      at(["waivers", i, "controlId"], `'${w.controlId}' is not a control of this hostproof`, near !== undefined ? `Did you mean ${near}?` : "Use an ID that `hostproof controls` lists.");
    }
    if (w.id === undefined) return;
    const key = idKey(w.id);
    const first = ids.get(key);
    if (first === undefined) {
      ids.set(key, i);
      return;
    }
    const firstId = waivers[first]!.id!;
    const line = doc.lineOf(["waivers", first, "id"]);
    const where = `first at waivers[${first}]${line !== undefined ? `, line ${line}` : ""}${firstId !== w.id ? `, as '${firstId}'` : ""}`;
    at(["waivers", i, "id"], `the id '${w.id}' is used twice (${where})`, `Give every waiver its own id, or leave it out; ids are compared without regard to case${firstId.trim() !== firstId || w.id.trim() !== w.id ? " or surrounding spaces" : ""}${/\p{Cf}/u.test(firstId + w.id) ? " or invisible characters" : ""}.`);
  });
  return problems;
}

/**
 * What the inventory can tell of a waiver's scope. A scope naming a cluster as a host (or a host as
 * a cluster), or a host by its short name where the inventory has its full name (or the other way
 * round), would cover nothing while its author believes it applies: Windows would take `web1` for
 * `web1.contoso.com`, hostproof will not guess which is meant, so both are refused with the name
 * to write. A name found nowhere in the inventory stays a notice (`unmatched`): one waiver file may
 * serve several estates.
 */
export function checkWaiverTargets(waivers: readonly Waiver[], doc: LoadedDocument, inventory: Inventory): InputProblem[] {
  const hosts = new Map(inventory.hosts.map((h) => [nameKey(h.name), h.name]));
  const clusters = new Map((inventory.clusters ?? []).map((c) => [nameKey(c.name), c.name]));
  const short = (name: string): string => nameKey(name).split(".")[0]!;
  // One written short, the other in full: web1.contoso.com and web1.fabrikam.com are two machines.
  const sameShort = (name: string, among: Map<string, string>): string[] => [...among.values()].filter((n) => short(n) === short(name) && n.includes(".") !== name.includes("."));
  const problems: InputProblem[] = [];
  waivers.forEach((w, i) => {
    // A directory scope names a DN, not an inventory target: checkWaiverReferences checks it.
    if (w.scope === "all" || "directory" in w.scope) return;
    const path = ["waivers", i, "scope"];
    const at = (problem: string, fix: string): void => void problems.push({ file: doc.file, field: formatPath(path), line: doc.lineOf(path), problem, fix });
    const [kind, name, own, other] = "host" in w.scope ? (["host", w.scope.host, hosts, clusters] as const) : (["cluster", w.scope.cluster, clusters, hosts] as const);
    if (own.has(nameKey(name))) return;
    const otherKind = kind === "host" ? "cluster" : "host";
    if (other.has(nameKey(name))) {
      at(`'${name}' is a ${otherKind} of the inventory, not a ${kind}: this waiver would cover nothing`, `Write scope: { ${otherKind}: ${other.get(nameKey(name))} }.`);
      return;
    }
    const near = sameShort(name, own);
    if (near.length > 0) at(`the inventory has no ${kind} '${name}', but has ${near.map((n) => `'${n}'`).join(" and ")}: this waiver would cover nothing`, `Write the name as the inventory does: scope: { ${kind}: ${near[0]} }.`);
  });
  return problems;
}
/**
 * A `{ directory: <DN> }` scope acts in the rows of the estate-wide controls only: on a host or
 * cluster control it would cover nothing while its author believes it does.
 */
export function checkDirectoryScopes(waivers: readonly Waiver[], doc: LoadedDocument, knownControlIds: readonly string[], directoryControlIds: readonly string[]): InputProblem[] {
  const directory = new Set(directoryControlIds);
  return waivers.flatMap((w, i): InputProblem[] => {
    if (typeof w.scope !== "object" || !("directory" in w.scope) || directory.has(w.controlId) || !knownControlIds.includes(w.controlId)) return [];
    const path = ["waivers", i, "scope"];
    return [{ file: doc.file, field: formatPath(path), line: doc.lineOf(path), problem: `${w.controlId} is not judged over the directory: a { directory: <DN> } scope would cover nothing`, fix: `Use { directory: <DN> } only with ${[...directory].join(", ") || "a control whose Given is \"the estate's directory\""}; name a host or cluster for ${w.controlId}.` }];
  });
}
