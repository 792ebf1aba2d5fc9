/**
 * A command printed for a person to paste, laid out in the terminal's width without making it a
 * different command: on lines of its own, broken only between arguments (an option stays with its
 * value) and each break continued the way the shell it is pasted into reads it (POSIX `\`,
 * PowerShell's backtick, as shell-quote.ts quotes for the same shells). An argument wider than the
 * line (a long path, a SHA-256) is one unbreakable word and may exceed the width on its line.
 */
import { displayWidth } from "./fit";

/** `words`: the command's words, each already quoted for the shell (shownArg). */
export function commandLines(words: readonly string[], width: number, indent = "    ", platform: NodeJS.Platform = process.platform): string[] {
  const more = platform === "win32" ? " `" : " \\";
  // An option and its value stay together: `--expect <sha256>` reads as one.
  // An option and its value stay together (`--expect <sha256>` reads as one) while the pair fits a line.
  const next = `${indent}  `;
  const groups: string[] = [];
  for (const w of words) {
    const last = groups.at(-1);
    const pair = `${last} ${w}`;
    const together = last !== undefined && /^--?[A-Za-z]/.test(last) && !last.includes(" ") && !/^-/.test(w) && displayWidth(`${next}${pair}${more}`) <= width;
    if (together) groups[groups.length - 1] = pair;
    else groups.push(w);
  }
  const lines: string[] = [];
  let line = "";
  for (const g of groups) {
    const prefix = lines.length === 0 ? indent : next;
    if (line !== "" && displayWidth(`${prefix}${line} ${g}${more}`) > width) {
      lines.push(`${prefix}${line}${more}`);
      line = g;
    } else line = line === "" ? g : `${line} ${g}`;
  }
  lines.push((lines.length === 0 ? indent : next) + line);
  return lines;
}
