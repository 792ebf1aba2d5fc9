/**
 * PowerShell's own character classes, and the one way to put a value into PowerShell text.
 *
 * PowerShell's tokenizer does not read quotes, dashes and white space as ASCII alone: the sets
 * below are those of its CharExtensions (IsSingleQuote, IsDoubleQuote, IsDash, IsWhitespace) and
 * SpecialChars, in src/System.Management.Automation/engine/parser/CharTraits.cs of the PowerShell
 * repository. A typographic quote (U+2018, U+201A…) ends a single-quoted string exactly as `'`
 * does, and an en dash starts a parameter exactly as `-` does, so a value quoted or checked for
 * ASCII only breaks out when it is pasted or run. Windows PowerShell 5.1 has the same sets.
 */

/** IsSingleQuote: `'` and U+2018, U+2019, U+201A, U+201B. */
export const SINGLE_QUOTES: readonly string[] = ["'", "\u2018", "\u2019", "\u201A", "\u201B"];
/** IsDoubleQuote: `"` and U+201C, U+201D, U+201E. */
export const DOUBLE_QUOTES: readonly string[] = ['"', "\u201C", "\u201D", "\u201E"];
/** IsDash: `-` and the en dash, the em dash and the horizontal bar. */
export const DASHES: readonly string[] = ["-", "\u2013", "\u2014", "\u2015"];
/** Newlines end a statement (CharTraits.Newline); they are not white space to the tokenizer. */
export const NEWLINES: readonly string[] = ["\n", "\r"];

/**
 * IsWhitespace: tab, vertical tab, form feed and space below 128; no-break space and next line
 * (U+0085) up to 256; above that every Unicode separator (categories Zs, Zl, Zp), which is what
 * .NET's char.IsSeparator tests.
 */
export function isPowerShellWhitespace(c: string): boolean {
  const code = c.codePointAt(0);
  if (code === undefined || [...c].length !== 1) return false;
  if (code < 128) return c === "\t" || c === "\v" || c === "\f" || c === " ";
  if (code <= 256) return code === 0xa0 || code === 0x85;
  return /^[\p{Zs}\p{Zl}\p{Zp}]$/u.test(c);
}

/** Every character PowerShell reads as a quote, a dash or white space, for tests and docs. */
export function powerShellSyntaxCharacters(): string[] {
  const separators: string[] = [];
  for (let code = 0x80; code <= 0xffff; code++) {
    const c = String.fromCharCode(code);
    if (isPowerShellWhitespace(c)) separators.push(c);
  }
  return [...SINGLE_QUOTES, ...DOUBLE_QUOTES, ...DASHES, "\t", "\v", "\f", " ", ...separators, ...NEWLINES];
}

const SINGLE_QUOTE_RE = new RegExp(`[${SINGLE_QUOTES.join("")}]`, "g");

/**
 * `value` as a PowerShell single-quoted string literal, as PowerShell parses one: inside it
 * nothing expands (`$(...)`, `$env:X`, backticks are text), and each of the five characters that
 * can end it is doubled, which is how the tokenizer reads that character as itself. Use this for
 * every value put into PowerShell text, whether hostproof runs it or shows it for pasting; never
 * node-powershell's PowerShell.command`` (it uses double quotes, which expand `$(...)`).
 */
export function psQuote(value: string): string {
  return `'${value.replace(SINGLE_QUOTE_RE, "$&$&")}'`;
}
