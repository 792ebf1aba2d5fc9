/**
 * A strict JSON scanner that builds nothing. JSON.parse keeps the last of two equal keys and says
 * nothing, and its syntax errors quote the text ("root:x:0:0" of a file that is not JSON at all);
 * this scanner finds duplicate keys and over-deep nesting, and locates a syntax error by offset so
 * the message can name the line without quoting the file. Depth is bounded before recursing, so the
 * scanner itself cannot overflow the stack.
 */
export interface JsonProblem {
  offset: number;
  problem: string;
  /** For a duplicate key: where the first one is. */
  firstOffset?: number;
  /** For keys equal without case (foldCase): both spellings, the first one first. */
  keys?: [string, string];
}

export interface ScanOptions {
  /**
   * Two keys of one object that differ only in case are a problem too: where PowerShell wrote the
   * document, its properties and hashtable keys ignore case, so it never writes both.
   */
  foldCase?: boolean;
}

class Stop extends Error {
  constructor(readonly at: JsonProblem) {
    super(at.problem);
  }
}

const STRING_RUN = /[^"\\\u0000-\u001f]*/y;
const NUMBER = /-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?/y;
const ESCAPE = /\\(?:["\\/bfnrt]|u[0-9a-fA-F]{4})/y;

/** The first problem of `text` as JSON, or undefined when it is valid, unique-keyed and shallow enough. */
export function scanJson(text: string, maxDepth: number, options: ScanOptions = {}): JsonProblem | undefined {
  let i = 0;
  const n = text.length;
  const stop = (problem: string, at: number = i, firstOffset?: number, keys?: [string, string]): never => {
    throw new Stop({ offset: at, problem, ...(firstOffset !== undefined ? { firstOffset } : {}), ...(keys !== undefined ? { keys } : {}) });
  };
  const shortKey = (key: string): string => JSON.stringify(key.length > 60 ? `${key.slice(0, 60)}…` : key);
  const ws = (): void => {
    while (i < n) {
      const c = text.charCodeAt(i);
      if (c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09) i++;
      else break;
    }
  };
  /** Reads a string at text[i] === '"' and returns its raw content. */
  const string = (): string => {
    const start = ++i;
    let escaped = false;
    for (;;) {
      STRING_RUN.lastIndex = i;
      STRING_RUN.exec(text);
      i = STRING_RUN.lastIndex;
      if (i >= n) stop("a string is not closed", start - 1);
      const c = text.charCodeAt(i);
      if (c === 0x22) break;
      if (c === 0x5c) {
        ESCAPE.lastIndex = i;
        if (!ESCAPE.test(text)) stop("an invalid escape sequence in a string");
        i = ESCAPE.lastIndex;
        escaped = true;
        continue;
      }
      stop("a control character inside a string (write it as an escape, e.g. \\n)");
    }
    const raw = text.slice(start, i++);
    // "a" and "\u0061" are the same key.
    return escaped ? (JSON.parse(`"${raw}"`) as string) : raw;
  };
  const value = (depth: number): void => {
    ws();
    if (i >= n) stop("the file ends where a value was expected");
    const c = text[i];
    if (c === "{" || c === "[") {
      if (depth >= maxDepth) stop(`values are nested more than ${maxDepth} levels deep`);
      if (c === "{") object(depth + 1);
      else array(depth + 1);
    } else if (c === '"') string();
    else if (c === "-" || (c >= "0" && c <= "9")) {
      NUMBER.lastIndex = i;
      if (!NUMBER.test(text)) stop("an invalid number");
      i = NUMBER.lastIndex;
    } else if (text.startsWith("true", i)) i += 4;
    else if (text.startsWith("false", i)) i += 5;
    else if (text.startsWith("null", i)) i += 4;
    else stop("an unexpected character where a value was expected");
  };
  const object = (depth: number): void => {
    i++;
    ws();
    if (text[i] === "}") {
      i++;
      return;
    }
    const keys = new Map<string, { at: number; key: string }>();
    for (;;) {
      ws();
      if (text[i] !== '"') stop("a key in double quotes was expected");
      const at = i;
      const key = string();
      const first = keys.get(options.foldCase ? key.toLowerCase() : key);
      if (first !== undefined && first.key === key) stop(`the key ${shortKey(key)} appears twice in the same object`, at, first.at);
      if (first !== undefined) stop(`the keys ${shortKey(first.key)} and ${shortKey(key)} of one object differ only in case`, at, first.at, [first.key, key]);
      keys.set(options.foldCase ? key.toLowerCase() : key, { at, key });
      ws();
      if (text[i] !== ":") stop("':' was expected after the key");
      i++;
      value(depth);
      ws();
      if (text[i] === ",") {
        i++;
        continue;
      }
      if (text[i] === "}") {
        i++;
        return;
      }
      stop("',' or '}' was expected");
    }
  };
  const array = (depth: number): void => {
    i++;
    ws();
    if (text[i] === "]") {
      i++;
      return;
    }
    for (;;) {
      value(depth);
      ws();
      if (text[i] === ",") {
        i++;
        continue;
      }
      if (text[i] === "]") {
        i++;
        return;
      }
      stop("',' or ']' was expected");
    }
  };
  try {
    value(0);
    ws();
    if (i < n) stop("more text after the end of the JSON value");
    return undefined;
  } catch (err) {
    if (err instanceof Stop) return err.at;
    throw err;
  }
}

/** 1-based line and column of an offset. */
export function lineAndColumn(text: string, offset: number): { line: number; column: number } {
  let line = 1;
  let lineStart = 0;
  for (let k = text.indexOf("\n"); k !== -1 && k < offset; k = text.indexOf("\n", k + 1)) {
    line++;
    lineStart = k + 1;
  }
  return { line, column: offset - lineStart + 1 };
}
