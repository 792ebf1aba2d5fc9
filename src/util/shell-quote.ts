/**
 * A value put into a command line that hostproof prints for a person to paste: quoted for the
 * shell it will be pasted into, so that a folder named `reports $(rm -rf ~)` stays one argument.
 * On Windows that shell is PowerShell (psQuote, which knows PowerShell's own quote characters);
 * elsewhere a POSIX shell, where nothing inside single quotes is special and a single quote is
 * written as '\''. A value made only of characters no shell treats specially is left as it is.
 */
import { psQuote } from "../powershell/quote";

/** What each shell reads as plain text (PowerShell: `,` makes an array, a leading `@` splats, `-` a parameter). */
const PLAIN_SH = /^[A-Za-z0-9_./:@%+=,-]+$/;
const PLAIN_PS = /^[A-Za-z0-9_./:\\][A-Za-z0-9_./:\\-]*$/;

/** `value` as one word of a POSIX shell (sh, bash, zsh) command line. */
export function shQuote(value: string): string {
  if (PLAIN_SH.test(value)) return value;
  return `'${value.replace(/'/g, "'\\''")}'`;
}

/** `value` as one argument of a command shown for pasting on `platform`. */
export function shownArg(value: string, platform: NodeJS.Platform = process.platform): string {
  if (platform === "win32") return PLAIN_PS.test(value) ? value : psQuote(value);
  return shQuote(value);
}
