/**
 * Laying text out in a terminal's width: how wide a string is as displayed, and wrapping a line at
 * spaces into lines no wider than the width. Colour codes (SGR) take no width, and a colour open
 * where a line breaks is closed at its end and reopened on the next line, so that a wrapped line
 * never leaves the terminal painted.
 *
 * Two kinds of words: text (a finding, a title, a host name) may be broken inside a word that is
 * wider than the line; a path or a command's argument (`keepWords`) never is, because a path cut
 * in two is no longer the path a user copies. Such a word may exceed the width on a line of its own.
 */

/** Where the output is not a terminal (a pipe, a CI log) and COLUMNS does not say. */
export const DEFAULT_WIDTH = 80;
/** Narrower than this, nothing can be laid out: a claimed width of 5 is taken as this. */
export const MIN_WIDTH = 20;
/** Whatever width a terminal claims, no line is longer than this. */
export const MAX_WIDTH = 500;

/** The width to lay out for: the given one, within MIN_WIDTH..MAX_WIDTH, else DEFAULT_WIDTH. */
export function layoutWidth(width: number | undefined): number {
  if (width === undefined || !Number.isFinite(width)) return DEFAULT_WIDTH;
  return Math.min(MAX_WIDTH, Math.max(MIN_WIDTH, Math.floor(width)));
}

// Combining and enclosing marks sit on the character before them.
const ZERO_WIDTH = /^[\p{Mn}\p{Me}]$/u;

/** Terminal columns one character occupies: East Asian wide characters and emoji take two. */
function charWidth(ch: string): number {
  const cp = ch.codePointAt(0)!;
  if (cp < 0x300) return 1;
  if (ZERO_WIDTH.test(ch)) return 0;
  const wide =
    (cp >= 0x1100 && cp <= 0x115f) ||
    (cp >= 0x2e80 && cp <= 0xa4cf) ||
    (cp >= 0xac00 && cp <= 0xd7a3) ||
    (cp >= 0xf900 && cp <= 0xfaff) ||
    (cp >= 0xfe30 && cp <= 0xfe4f) ||
    (cp >= 0xff00 && cp <= 0xff60) ||
    (cp >= 0xffe0 && cp <= 0xffe6) ||
    (cp >= 0x1f300 && cp <= 0x1f64f) ||
    (cp >= 0x1f900 && cp <= 0x1f9ff) ||
    (cp >= 0x20000 && cp <= 0x3fffd);
  return wide ? 2 : 1;
}

const SGR_ALL = /\u001b\[[0-9;]*m/g;

/** Terminal columns a string occupies: wide characters take two, colour codes none. */
export function displayWidth(text: string): number {
  let width = 0;
  for (const ch of text.includes("\u001b") ? text.replace(SGR_ALL, "") : text) width += charWidth(ch);
  return width;
}

export function pad(text: string, width: number): string {
  return text + " ".repeat(Math.max(0, width - displayWidth(text)));
}

/** `text` (no colour codes) cut to `width` columns, with `…` where it was cut. */
export function clip(text: string, width: number): string {
  if (displayWidth(text) <= width) return text;
  let out = "";
  let used = 0;
  for (const ch of text) {
    const w = charWidth(ch);
    if (used + w > width - 1) break;
    out += ch;
    used += w;
  }
  return `${out}…`;
}

export interface WrapOptions {
  /** What the first line starts with (counted in the width); default none. */
  first?: string;
  /** What every further line starts with; default two spaces. */
  indent?: string;
  /** Never break inside a word (paths, commands): a word wider than the line stands alone on one. */
  keepWords?: boolean;
  /** At most this many lines; the last then ends with `…`. */
  maxLines?: number;
}

interface Piece {
  text: string;
  width: number;
}

const SGR_AT = /\u001b\[[0-9;]*m/y;
const RESET = "\u001b[0m";

/** A piece of text split into characters and colour codes, each with its width. */
function pieces(text: string): Piece[] {
  const out: Piece[] = [];
  for (let i = 0; i < text.length; ) {
    SGR_AT.lastIndex = i;
    const sgr = SGR_AT.exec(text);
    if (sgr !== null) {
      out.push({ text: sgr[0], width: 0 });
      i += sgr[0].length;
      continue;
    }
    const ch = String.fromCodePoint(text.codePointAt(i)!);
    out.push({ text: ch, width: charWidth(ch) });
    i += ch.length;
  }
  return out;
}

/**
 * `text` (one line) wrapped at spaces into lines of at most `width` columns, `first` before the
 * first and `indent` before the others. Runs of spaces inside the text (alignment) are kept where
 * the line does not break.
 */
export function wrap(text: string, width: number, options: WrapOptions = {}): string[] {
  const first = options.first ?? "";
  const indent = options.indent ?? "  ";
  const all = pieces(text);
  const lines: string[] = [];
  let line: Piece[] = [];
  let used = 0;
  let open = "";
  const room = (): number => width - (lines.length === 0 ? displayWidth(first) : displayWidth(indent));
  const flush = (): void => {
    while (line.length > 0 && line[line.length - 1]!.text === " ") line.pop();
    const body = line.map((p) => p.text).join("");
    lines.push((lines.length === 0 ? first : indent) + body + (open !== "" ? RESET : ""));
    line = open !== "" ? [{ text: open, width: 0 }] : [];
    used = 0;
  };
  // Words: runs of non-spaces, each followed by the spaces after it.
  let i = 0;
  while (i < all.length) {
    let j = i;
    while (j < all.length && all[j]!.text !== " ") j += 1;
    const word = all.slice(i, j);
    let k = j;
    while (k < all.length && all[k]!.text === " ") k += 1;
    const spaces = all.slice(j, k);
    const wordWidth = word.reduce((n, p) => n + p.width, 0);
    if (used > 0 && used + wordWidth > room()) flush();
    if (wordWidth > room() && !options.keepWords) {
      for (const p of word) {
        if (used + p.width > room() && used > 0) flush();
        line.push(p);
        used += p.width;
        if (p.width === 0) open = p.text === RESET ? "" : p.text;
      }
    } else {
      for (const p of word) {
        line.push(p);
        used += p.width;
        if (p.width === 0) open = p.text === RESET ? "" : p.text;
      }
    }
    if (k < all.length) {
      for (const s of spaces) {
        line.push(s);
        used += 1;
      }
    }
    i = k;
  }
  if (line.some((p) => p.width > 0) || lines.length === 0) flush();
  const max = options.maxLines;
  if (max === undefined || lines.length <= max) return lines;
  const kept = lines.slice(0, max);
  const prefix = max === 1 ? first : indent;
  const body = kept[max - 1]!.slice(prefix.length).replace(SGR_ALL, "");
  const space = width - displayWidth(prefix);
  let cut = [...body];
  while (cut.length > 0 && displayWidth(cut.join("")) + 1 > space) cut.pop();
  kept[max - 1] = `${prefix}${cut.join("").trimEnd()}…`;
  return kept;
}

/**
 * Items (a legend's entries, counts) packed into lines of `width`, `separator` between them on a
 * line; an item is never split across lines.
 */
export function pack(items: readonly string[], width: number, separator: string, options: { first?: string; indent?: string } = {}): string[] {
  const first = options.first ?? "";
  const indent = options.indent ?? "  ";
  const lines: string[] = [];
  let line = "";
  for (const item of items) {
    const prefix = lines.length === 0 ? first : indent;
    if (line !== "" && displayWidth(prefix + line + separator + item) > width) {
      lines.push(prefix + line);
      line = item;
    } else line = line === "" ? item : line + separator + item;
  }
  lines.push((lines.length === 0 ? first : indent) + line);
  // An item wider than a line on its own is wrapped like text.
  return lines.flatMap((l) => (displayWidth(l) > width ? wrap(l, width, { indent }) : [l]));
}
