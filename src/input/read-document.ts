/** Reads a YAML or JSON file into a value, remembering where each field sits for error messages. */
import { extname } from "node:path";
import { LineCounter, isNode, parseDocument, type Document } from "yaml";
import { InputError } from "../errors";
import { lineAndColumn, scanJson } from "./json-scan";
import { readRegularFile, type DocumentKind } from "./regular-file";
import { decodeUtf8Text } from "./text-encoding";

export interface LoadedDocument {
  file: string;
  value: unknown;
  /** Line (1-based) of the value at a path such as ["clusters", 0, "nodes"], when known. */
  lineOf(path: (string | number)[]): number | undefined;
  /** Size of the file in bytes. */
  bytes?: number;
}

export interface ReadDocument extends LoadedDocument {
  /** The bytes read. */
  raw: Buffer;
}

/**
 * No hostproof document nests deeper than about 12 levels (a probe's ConvertTo-Json output is cut
 * at depth 4). The limit keeps a hostile file from overflowing the stack of every recursive
 * reader later on (JSON.stringify of the evidence threw a RangeError at 5,000 levels), and makes
 * `validate` refuse what `run` could not report.
 */
export const MAX_DEPTH = 64;

/** The most aliases a YAML file may expand: an alias bomb expands nine levels into 9^9 nodes. */
const MAX_ALIAS_COUNT = 100;

export function readDocument(file: string, displayName: string = file, kind: DocumentKind = "document"): ReadDocument {
  return parseDocumentBytes(readRegularFile(file, displayName, kind), file, displayName);
}

/** A document from bytes already read (and hashed) by the caller; `file` gives the format by its extension. */
export function parseDocumentBytes(bytes: Buffer, file: string, displayName: string = file): ReadDocument {
  const text = decodeUtf8Text(bytes, displayName);
  const ext = extname(file).toLowerCase();
  const doc = ext === ".yaml" || ext === ".yml" ? parseYaml(text, displayName) : parseJson(text, displayName);
  return { ...doc, bytes: bytes.length, raw: bytes };
}

function parseJson(text: string, file: string): LoadedDocument {
  let value: unknown;
  let parsed = true;
  try {
    value = JSON.parse(text);
  } catch {
    parsed = false;
  }
  // Run even when JSON.parse succeeded: it is the only check for duplicate keys and depth.
  const problem = scanJson(text, MAX_DEPTH);
  if (problem !== undefined || !parsed) {
    // JSON.parse's own message quotes the text; the scanner's never does.
    const at = problem !== undefined ? lineAndColumn(text, problem.offset) : undefined;
    const what = problem?.problem ?? "a syntax error";
    const duplicate = what.includes("appears twice");
    throw new InputError({
      file,
      line: at?.line,
      problem: duplicate ? `${what} (first at line ${lineAndColumn(text, problem?.firstOffset ?? 0).line}; JSON readers differ on which one counts)` : `the file is not valid JSON (${what}${at ? `, line ${at.line} column ${at.column}` : ""})`,
      fix: duplicate ? "Keep one of the two entries." : what.includes("nested") ? "Nothing hostproof reads is nested this deep: check that this is the right file." : "Fix the JSON syntax; `hostproof validate <file>` re-checks it.",
    });
  }
  return { file, value, lineOf: () => undefined };
}

function parseYaml(text: string, file: string): LoadedDocument {
  const lineCounter = new LineCounter();
  const doc: Document = parseDocument(text, { lineCounter, prettyErrors: false, uniqueKeys: true });
  if (doc.errors.length > 0) {
    throw new InputError(
      doc.errors.slice(0, 5).map((e) => {
        const deep = /call stack/i.test(e.message);
        return {
          file,
          line: lineCounter.linePos(e.pos[0]).line,
          problem: deep ? `the file is not valid YAML (values are nested too deeply)` : `the file is not valid YAML (${e.message.split("\n")[0]})`,
          fix: deep ? "Nothing hostproof reads is nested this deep: check that this is the right file." : "Fix the YAML syntax (indentation, a missing colon or quote); `hostproof validate <file>` re-checks it.",
        };
      }),
    );
  }
  let value: unknown;
  try {
    value = doc.toJS({ maxAliasCount: MAX_ALIAS_COUNT });
  } catch (err) {
    // The yaml package throws a ReferenceError when aliases expand past maxAliasCount (an alias
    // bomb), and a RangeError when nesting overflows the stack.
    const bomb = err instanceof ReferenceError;
    if (!bomb && !(err instanceof RangeError)) throw err;
    throw new InputError({
      file,
      problem: bomb ? `its aliases (*name) expand to more than ${MAX_ALIAS_COUNT} copies of anchored values, as an alias bomb does` : "the file is not valid YAML (values are nested too deeply)",
      fix: bomb ? "Write the repeated values out, or use fewer aliases; hostproof's files need none." : "Nothing hostproof reads is nested this deep: check that this is the right file.",
    });
  }
  const loaded: LoadedDocument = {
    file,
    value,
    lineOf(path) {
      for (let depth = path.length; depth >= 0; depth--) {
        const node = depth === 0 ? doc.contents : doc.getIn(path.slice(0, depth), true);
        if (isNode(node) && node.range) return lineCounter.linePos(node.range[0]).line;
      }
      return undefined;
    },
  };
  const tooDeep = pathDeeperThan(value, MAX_DEPTH);
  if (tooDeep !== undefined) {
    throw new InputError({
      file,
      line: loaded.lineOf(tooDeep),
      problem: `values are nested more than ${MAX_DEPTH} levels deep`,
      fix: "Nothing hostproof reads is nested this deep: check that this is the right file.",
    });
  }
  return loaded;
}

/** The path of the first container nested deeper than `max` levels, found without recursion. */
export function pathDeeperThan(value: unknown, max: number): (string | number)[] | undefined {
  const stack: { v: unknown; path: (string | number)[] }[] = [{ v: value, path: [] }];
  while (stack.length > 0) {
    const { v, path } = stack.pop()!;
    if (v === null || typeof v !== "object") continue;
    if (path.length >= max) return path;
    if (Array.isArray(v)) v.forEach((item: unknown, k) => stack.push({ v: item, path: [...path, k] }));
    else for (const [k, item] of Object.entries(v)) stack.push({ v: item, path: [...path, k] });
  }
  return undefined;
}
