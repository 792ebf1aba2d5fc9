/**
 * README.md and docs/*.md read as the docs tests need them: their fenced blocks (which shell
 * blocks are marked to run, and the commands in them), their links and their headings' anchors.
 */
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";

export const ROOT = join(__dirname, "..", "..");

/** The marker a shell block carries, on the line before its fence, to be run by the tests. */
export const RUN_MARKER = "<!-- run: demo -->";

const SHELL = new Set(["sh", "bash", "shell"]);

/** README.md and every docs/*.md, as paths relative to the repository. */
export function docFiles(): string[] {
  return ["README.md", ...readdirSync(join(ROOT, "docs")).filter((f) => f.endsWith(".md")).sort().map((f) => `docs/${f}`)];
}

export interface Block {
  file: string;
  /** 1-based line of the opening fence. */
  line: number;
  info: string;
  /** The line before the fence (blank lines skipped), where a marker sits. */
  before: string;
  body: string[];
}

/** Every fenced block (``` or ~~~) of a Markdown text. */
export function fencedBlocks(file: string, text: string): Block[] {
  const lines = text.split("\n");
  const blocks: Block[] = [];
  for (let i = 0; i < lines.length; i++) {
    const open = /^(`{3,}|~{3,})\s*([^\s`]*)/.exec(lines[i]!);
    if (open === null) continue;
    const fence = open[1]!;
    let before = "";
    for (let j = i - 1; j >= 0; j--) if (lines[j]!.trim() !== "") { before = lines[j]!.trim(); break; }
    const body: string[] = [];
    let j = i + 1;
    for (; j < lines.length && !lines[j]!.startsWith(fence); j++) body.push(lines[j]!);
    blocks.push({ file, line: i + 1, info: open[2]!, before, body });
    i = j;
  }
  return blocks;
}

export function isShell(block: Block): boolean {
  return SHELL.has(block.info);
}

export interface Command {
  /** 1-based line in the file where the command starts. */
  line: number;
  text: string;
  /** What it must exit with: 0 unless its last line's comment says `exit N`. */
  exit: number;
}

/**
 * The commands of a shell block: lines joined where one ends in `\`, blank and comment lines left
 * out. `# exit N` anywhere in a command's trailing comment is the exit code it must give.
 */
export function commandsOf(block: Block): Command[] {
  const commands: Command[] = [];
  let text = "";
  let start = 0;
  block.body.forEach((raw, k) => {
    const line = block.line + 1 + k;
    if (text === "" && (raw.trim() === "" || raw.trim().startsWith("#"))) return;
    if (text === "") start = line;
    if (raw.endsWith("\\")) {
      text += `${raw}\n`;    // bash reads the continuation as the reader does
      return;
    }
    text += raw;
    const exit = /\s#.*\bexit (\d+)\b/.exec(raw);
    commands.push({ line: start, text, exit: exit === null ? 0 : Number(exit[1]) });
    text = "";
  });
  if (text !== "") throw new Error(`${block.file}:${start}: a command ends in a line continuation`);
  return commands;
}

/** GitHub's anchor for a heading: its text lower-cased, punctuation dropped, spaces as hyphens. */
export function slug(heading: string): string {
  const text = heading
    .replace(/\[([^\]]*)\]\([^)]*\)/g, "$1")
    .replace(/[`*]/g, "")
    .trim()
    .toLowerCase();
  return [...text].filter((c) => /[\p{L}\p{N}\p{M}\- _]/u.test(c)).join("").replace(/ /g, "-");
}

/** The anchors a Markdown text's headings (outside fenced blocks) and `<a id>`s give. */
export function anchorsOf(text: string): Set<string> {
  const anchors = new Set<string>();
  const seen = new Map<string, number>();
  let fence: string | undefined;
  for (const line of text.split("\n")) {
    const f = /^(`{3,}|~{3,})/.exec(line)?.[1];
    if (f !== undefined && (fence === undefined || line.startsWith(fence))) {
      fence = fence === undefined ? f : undefined;
      continue;
    }
    if (fence !== undefined) continue;
    const h = /^#{1,6}\s+(.*?)\s*#*\s*$/.exec(line);
    if (h !== null) {
      const s = slug(h[1]!);
      const n = seen.get(s) ?? 0;
      seen.set(s, n + 1);
      anchors.add(n === 0 ? s : `${s}-${n}`);
    }
    for (const a of line.matchAll(/<a (?:id|name)="([^"]+)"/g)) anchors.add(a[1]!);
  }
  return anchors;
}

export interface Link {
  file: string;
  line: number;
  target: string;
}

/** Inline links and images `[text](target)` outside fenced blocks and code spans. */
export function linksOf(file: string, text: string): Link[] {
  const links: Link[] = [];
  let fence: string | undefined;
  text.split("\n").forEach((line, k) => {
    const f = /^(`{3,}|~{3,})/.exec(line)?.[1];
    if (f !== undefined && (fence === undefined || line.startsWith(fence))) {
      fence = fence === undefined ? f : undefined;
      return;
    }
    if (fence !== undefined) return;
    const prose = line.replace(/`[^`]*`/g, "``");
    for (const m of prose.matchAll(/\]\(([^)\s]+)(?:\s+"[^"]*")?\)/g)) links.push({ file, line: k + 1, target: m[1]! });
  });
  return links;
}

export function read(file: string): string {
  return readFileSync(join(ROOT, file), "utf8");
}
