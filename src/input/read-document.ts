/** Reads a YAML or JSON file into a value, remembering where each field sits for error messages. */
import { readFileSync } from "node:fs";
import { extname } from "node:path";
import { LineCounter, isNode, parseDocument, type Document } from "yaml";
import { InputError } from "../errors";

export interface LoadedDocument {
  file: string;
  value: unknown;
  /** Line (1-based) of the value at a path such as ["clusters", 0, "nodes"], when known. */
  lineOf(path: (string | number)[]): number | undefined;
}

export function readDocument(file: string, displayName: string = file): LoadedDocument {
  let text: string;
  try {
    text = readFileSync(file, "utf8");
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    throw new InputError({
      file: displayName,
      problem: code === "ENOENT" ? "the file does not exist" : code === "EISDIR" ? "this is a folder, not a file" : `the file cannot be read (${code ?? String(err)})`,
      fix: "Check the path; relative paths in an inventory are resolved against the inventory's folder.",
    });
  }
  if (text.charCodeAt(0) === 0xfeff) text = text.slice(1); // a BOM, as Windows editors write it
  const ext = extname(file).toLowerCase();
  return ext === ".yaml" || ext === ".yml" ? parseYaml(text, displayName) : parseJson(text, displayName);
}

function parseJson(text: string, file: string): LoadedDocument {
  try {
    return { file, value: JSON.parse(text), lineOf: () => undefined };
  } catch (err) {
    const message = (err as Error).message;
    const pos = /position (\d+)/.exec(message);
    const line = pos ? text.slice(0, Number(pos[1])).split("\n").length : jsonErrorLine(text);
    throw new InputError({
      file,
      line,
      problem: `the file is not valid JSON (${message})`,
      fix: "Fix the JSON syntax; `hostproof validate <file>` re-checks it.",
    });
  }
}

function parseYaml(text: string, file: string): LoadedDocument {
  const lineCounter = new LineCounter();
  const doc: Document = parseDocument(text, { lineCounter, prettyErrors: false, uniqueKeys: true });
  if (doc.errors.length > 0) {
    throw new InputError(
      doc.errors.slice(0, 5).map((e) => ({
        file,
        line: lineCounter.linePos(e.pos[0]).line,
        problem: `the file is not valid YAML (${e.message.split("\n")[0]})`,
        fix: "Fix the YAML syntax (indentation, a missing colon or quote); `hostproof validate <file>` re-checks it.",
      })),
    );
  }
  return {
    file,
    value: doc.toJS({ maxAliasCount: 100 }),
    lineOf(path) {
      for (let depth = path.length; depth >= 0; depth--) {
        const node = depth === 0 ? doc.contents : doc.getIn(path.slice(0, depth), true);
        if (isNode(node) && node.range) return lineCounter.linePos(node.range[0]).line;
      }
      return undefined;
    },
  };
}

/**
 * Node's JSON.parse names a position for some errors only. JSON is (nearly) YAML, and the YAML
 * parser locates the first error of the same text, which is where a person should look.
 */
function jsonErrorLine(text: string): number | undefined {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter });
  return doc.errors.length > 0 ? lineCounter.linePos(doc.errors[0].pos[0]).line : undefined;
}
