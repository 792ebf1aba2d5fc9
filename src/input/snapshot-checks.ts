/**
 * What a snapshot must be beyond its schema, checked when it is read: things that make it say two
 * things at once, so that which one a judge saw would depend on lookup order. Each is refused
 * (exit 3) with the file, the line where known, and both spellings or both names.
 */
import type { InputProblem } from "../errors";
import type { Snapshot } from "../model/snapshot";
import { genericRecordProblem, isGenericProbeId } from "../probes/generic";
import { formatPath } from "../schema/validate";
import { lineAndColumn, scanJson } from "./json-scan";
import { MAX_DEPTH, type LoadedDocument } from "./read-document";

export interface CaseDuplicate {
  /** The object holding both keys. */
  path: (string | number)[];
  keys: [string, string];
}

/**
 * The first object anywhere in `value` with two keys equal without case. PowerShell's objects and
 * hashtables ignore case, and so does every lookup hostproof makes in a snapshot (probe ids,
 * property names at any depth): a document with `Caption` and `caption`, or `registry:HKLM\A` and
 * `registry:hklm\a`, did not come from PowerShell whole, and the first spelling would win
 * silently. Iterative, so that no nesting can overflow the stack.
 */
export function findCaseDuplicate(value: unknown): CaseDuplicate | undefined {
  const stack: { v: unknown; path: (string | number)[] }[] = [{ v: value, path: [] }];
  while (stack.length > 0) {
    const { v, path } = stack.pop()!;
    if (v === null || typeof v !== "object") continue;
    if (Array.isArray(v)) {
      v.forEach((item: unknown, k) => stack.push({ v: item, path: [...path, k] }));
      continue;
    }
    const seen = new Map<string, string>();
    for (const [key, item] of Object.entries(v as Record<string, unknown>)) {
      const first = seen.get(key.toLowerCase());
      if (first !== undefined) return { path, keys: [first, key] };
      seen.set(key.toLowerCase(), key);
      stack.push({ v: item, path: [...path, key] });
    }
  }
  return undefined;
}

/** Every problem of a schema-valid snapshot; `raw` (the bytes read) lets a JSON file's lines be named. */
export function snapshotProblems(doc: LoadedDocument & { raw?: Buffer }, snapshot: Snapshot): InputProblem[] {
  const problems: InputProblem[] = [];
  const twice = findCaseDuplicate(snapshot);
  if (twice !== undefined) problems.push(caseProblem(doc, twice));
  for (const [id, record] of Object.entries(snapshot.probes ?? {})) {
    if (!isGenericProbeId(id) || record === undefined) continue;
    const why = genericRecordProblem(id, record.parameters, "output" in record);
    if (why === undefined) continue;
    const field = ["probes", id, "parameters"];
    problems.push({
      file: doc.file,
      field: formatPath(field),
      line: doc.lineOf(field),
      problem: `the record '${id}' does not agree with itself: ${why}`,
      fix: "A generic record's id and parameters are written together by hostproof collect; collect the host again rather than edit either.",
    });
  }
  return problems;
}

function caseProblem(doc: LoadedDocument & { raw?: Buffer }, twice: CaseDuplicate): InputProblem {
  const [a, b] = twice.keys.map((k) => JSON.stringify(k.length > 80 ? `${k.slice(0, 80)}…` : k));
  const what = twice.path.length === 1 && twice.path[0] === "probes" ? "the probe ids" : "the keys";
  const lines = jsonLines(doc.raw);
  const line = lines?.line ?? doc.lineOf(twice.path);
  return {
    file: doc.file,
    ...(twice.path.length > 0 ? { field: formatPath(twice.path) } : {}),
    ...(line !== undefined ? { line } : {}),
    problem: `${what} ${a}${lines ? ` (line ${lines.firstLine})` : ""} and ${b}${lines ? ` (line ${lines.line})` : ""} differ only in case; PowerShell reads them as one, so a snapshot it wrote never holds both, and which one counts cannot be told`,
    fix: "Keep the one the host reported (collect the host again if unsure); the file was edited or assembled by hand.",
  };
}

/** Where the first case duplicate of a JSON file sits; undefined for YAML (or no duplicate). */
function jsonLines(raw: Buffer | undefined): { line: number; firstLine: number } | undefined {
  if (raw === undefined) return undefined;
  let text = raw.toString("utf8");
  if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
  const found = scanJson(text, MAX_DEPTH, { foldCase: true });
  if (found?.keys === undefined || found.firstOffset === undefined) return undefined;
  return { line: lineAndColumn(text, found.offset).line, firstLine: lineAndColumn(text, found.firstOffset).line };
}
