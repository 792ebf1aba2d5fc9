/**
 * Loads a waiver file and checks what the schema cannot: that every control it names exists and
 * that ids are unique. Anything wrong here is bad input (exit 3): a waiver that silently matched
 * nothing because of a typo would leave an approved risk failing the gate, or, worse, make a
 * reader believe a risk was accepted when it was not.
 */
import { InputError, type InputProblem } from "../errors";
import { readDocument, type LoadedDocument } from "../input/read-document";
import type { Waiver, WaiverFile } from "../model/waiver";
import { checkSchema, formatPath } from "../schema/validate";

export interface LoadedWaivers {
  file: string;
  waivers: Waiver[];
  doc: LoadedDocument;
}

/** `knownControlIds`: the catalog's IDs (loadControlCatalog), whatever --tags selects. */
export function loadWaivers(file: string, displayName: string, knownControlIds: readonly string[]): LoadedWaivers {
  const doc = readDocument(file, displayName, "waivers");
  const schemaProblems = checkSchema("waivers", doc);
  if (schemaProblems.length > 0) throw new InputError(schemaProblems);
  const { waivers } = doc.value as WaiverFile;
  const problems = checkWaiverReferences(waivers, doc, knownControlIds);
  if (problems.length > 0) throw new InputError(problems);
  return { file: displayName, waivers, doc };
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
    const first = ids.get(w.id);
    if (first !== undefined) at(["waivers", i, "id"], `the id '${w.id}' is used twice (first at waivers[${first}])`, "Give every waiver its own id, or leave it out.");
    else ids.set(w.id, i);
  });
  return problems;
}
