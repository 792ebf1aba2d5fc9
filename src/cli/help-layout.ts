/**
 * --help laid out in the terminal's width. The help texts (usage.ts) are written as logical
 * blocks, and this reflows each one at word boundaries, never inside a word:
 *
 * - An unindented line is prose: consecutive ones are one paragraph, rewrapped (a heading such as
 *   `Options:` is one because a table or a blank line follows it). A `Usage:` line is a paragraph
 *   of its own, continued under its arguments.
 * - An indented line is a table row: a term (an option, a command, an exit code) and its
 *   description, which starts at the row's description column: where its continuation lines (the
 *   deeper-indented lines after it) start, else after the first run of two or more spaces. The
 *   description is rewrapped at that column, so the table keeps its alignment; a term too wide
 *   for its column stands on a line of its own, the description under it.
 * - When the width leaves a description column too little room, the descriptions move under their
 *   terms, indented a little, rather than shrink into a sliver.
 *
 * A word wider than the room it has (a long path) stands alone on its line and may exceed the width:
 * a path cut in two is no longer the path a user copies.
 */
import { displayWidth, layoutWidth, pad, wrap } from "./display/fit";
import type { Io } from "./io";

/**
 * Help is not stretched past this, whatever the terminal's width: prose over 100 columns is hard
 * to read (clap, the Rust CLI parser, stops at 100 by default for the same reason).
 */
export const HELP_MAX_WIDTH = 100;
/** Below this many columns of room, a table's descriptions go under their terms. */
const MIN_DESCRIPTION_ROOM = 30;
/** How far a description under its term (narrow layout) is indented past the row's indent; a term's own next line, half that. */
const UNDER = 4;

/** The width help is laid out for: the terminal's (io.columns: stdout's, else COLUMNS), else 80, at most HELP_MAX_WIDTH. */
export function helpWidth(columns: number | undefined): number {
  return Math.min(HELP_MAX_WIDTH, layoutWidth(columns));
}

interface Row {
  indent: number;
  term: string;
  description: string;
  /** The column the description starts at in the text as written; undefined when the row has none. */
  column: number | undefined;
}

const indentOf = (line: string): number => line.length - line.trimStart().length;

/** `help` reflowed to `width` columns. */
export function layoutHelp(help: string, width: number): string {
  const lines = help.replace(/\n$/, "").split("\n");
  const out: string[] = [];
  let i = 0;
  while (i < lines.length) {
    const line = lines[i]!;
    if (line.trim() === "") {
      out.push("");
      i += 1;
    } else if (indentOf(line) === 0) {
      const paragraph = [line.trim()];
      i += 1;
      while (!line.startsWith("Usage:") && i < lines.length && lines[i]!.trim() !== "" && indentOf(lines[i]!) === 0 && !lines[i]!.startsWith("Usage:")) {
        paragraph.push(lines[i]!.trim());
        i += 1;
      }
      out.push(...proseLines(paragraph.join(" "), width));
    } else {
      const indent = indentOf(line);
      // A row with its description beside the term is continued only at that column: a line less
      // deep is the next row (an option without a short form, indented past those with one).
      const least = Math.max(indent + 1, gapColumn(line) ?? 0);
      const more: string[] = [];
      i += 1;
      while (i < lines.length && lines[i]!.trim() !== "" && indentOf(lines[i]!) >= least) {
        more.push(lines[i]!);
        i += 1;
      }
      out.push(...rowLines(readRow(line, more), width));
    }
  }
  return `${out.join("\n")}\n`;
}

/**
 * A paragraph. A `Usage:` line continues under its first argument, and breaks only between
 * arguments: `[--features <dir>]` stays whole on its line.
 */
function proseLines(text: string, width: number): string[] {
  const usage = /^Usage: (\S+ )?(\S+ )?/.exec(text);
  if (usage === null) return wrap(text, width, { indent: "", keepWords: true });
  const hang = Math.max(2, Math.min(usage[0].length, width - MIN_DESCRIPTION_ROOM));
  return wrapArguments(text, width, "", " ".repeat(hang));
}

/**
 * A command line's words wrapped, breaking only between arguments where each fits a line; an
 * argument wider than a line (`[--allowed-signers <file> [--identity <principal>]]` in a narrow
 * terminal) is broken between its own words instead.
 */
function wrapArguments(text: string, width: number, first: string, indent: string): string[] {
  return wrap(joinBracketed(text), width, { first, indent, keepWords: true }).flatMap((line, i) => {
    const plain = line.replaceAll(NBSP, " ");
    if (displayWidth(line) <= width) return [plain];
    const lead = i === 0 ? first : indent;
    return wrap(plain.slice(lead.length), width, { first: lead, indent, keepWords: true });
  });
}

const NBSP = "\u00a0";

/** The spaces inside brackets and angle brackets made unbreakable, so that wrap keeps each argument whole. */
function joinBracketed(text: string): string {
  let depth = 0;
  let out = "";
  for (const ch of text) {
    if (ch === "[" || ch === "<") depth += 1;
    else if ((ch === "]" || ch === ">") && depth > 0) depth -= 1;
    out += ch === " " && depth > 0 ? NBSP : ch;
  }
  return out;
}

/** A row and its continuation lines, split into term and description. */
function readRow(line: string, more: readonly string[]): Row {
  const indent = indentOf(line);
  const below = more.length > 0 ? indentOf(more[0]!) : undefined;
  const joined = (first: string): string => [first, ...more.map((l) => l.trim())].filter((t) => t !== "").join(" ");
  // The continuation lines say where the description starts, when the row's line has a word boundary there.
  if (below !== undefined && line.length > below && line[below - 1] === " " && line[below] !== " ") {
    return { indent, term: line.slice(indent, below).trim(), description: joined(line.slice(below).trim()), column: below };
  }
  const column = gapColumn(line);
  if (column !== undefined) return { indent, term: line.slice(0, column).trim(), description: joined(line.slice(column).trim()), column };
  return { indent, term: line.trim(), description: joined(""), column: below };
}

/** Where a row's description starts when it stands beside the term: after the first run of two or more spaces. */
function gapColumn(line: string): number | undefined {
  const indent = indentOf(line);
  const gap = / {2,}(?=\S)/.exec(line.slice(indent));
  return gap !== null ? indent + gap.index + gap[0].length : undefined;
}

function rowLines(row: Row, width: number): string[] {
  const lead = " ".repeat(row.indent);
  const termLines = (): string[] => wrapArguments(row.term, width, lead, " ".repeat(row.indent + UNDER / 2));
  if (row.description === "" || row.column === undefined) return termLines();
  const column = width - row.column >= MIN_DESCRIPTION_ROOM ? row.column : Math.min(row.column, row.indent + UNDER);
  const under = " ".repeat(column);
  const head = `${lead}${row.term}`;
  // Beside the term when the term leaves two spaces before the column (and the column is the row's own).
  if (column === row.column && displayWidth(head) + 2 <= column) {
    return wrap(row.description, width, { first: pad(head, column), indent: under, keepWords: true });
  }
  return [...termLines(), ...wrap(row.description, width, { first: under, indent: under, keepWords: true })];
}

/** A command's --help, laid out for the terminal its output goes to. */
export function printHelp(io: Pick<Io, "out" | "columns">, help: string): void {
  io.out(layoutHelp(help, helpWidth(io.columns)));
}
