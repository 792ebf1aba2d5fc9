/**
 * Text from snapshots, inventories and waiver files reaches the terminal only through here.
 *
 * A terminal obeys control characters: an OS caption holding `ESC[2K CR` erases the line it is
 * printed on (a host's ✘ line), `ESC]0;…BEL` sets the window title, and C1 codes (U+009B is a
 * one-character CSI) do the same on terminals that honour 8-bit controls. So every control
 * character is shown as a visible escape instead, as summary.md escapes Markdown:
 * C0 (U+0000–U+001F), DEL, C1 (U+0080–U+009F), and every Unicode format character (category Cf):
 * the bidirectional overrides and isolates, which reorder what is displayed ("Trojan Source"),
 * and the invisible ones (zero-width space and joiners, soft hyphen, U+FEFF, tag characters),
 * which make `h<U+200B>v01` print as `hv01`; the line and paragraph separators and lone
 * surrogates (which no encoding can write) too. Once ESC
 * itself is visible, the rest of an escape sequence is inert text. Backslashes are left alone:
 * Windows paths stay readable.
 */

export interface KeepControls {
  /** Keep line feeds: for whole outputs whose lines hostproof itself laid out. */
  newline?: boolean;
  /** Keep SGR colour sequences (ESC [ digits m): hostproof's own colours on a colour terminal. */
  sgr?: boolean;
}

const NAMED: Readonly<Record<string, string>> = { "\n": "\\n", "\r": "\\r", "\t": "\\t", "\u001b": "\\e", "\u0007": "\\a", "\b": "\\b" };

// eslint-disable-next-line no-control-regex
const CONTROL = /[\p{Cc}\p{Cf}\p{Cs}\p{Zl}\p{Zp}]/gu;
// eslint-disable-next-line no-control-regex
const SGR = /\u001b\[[0-9;]*m/y;

function visible(ch: string): string {
  const named = NAMED[ch];
  if (named !== undefined) return named;
  const cp = ch.codePointAt(0)!;
  if (cp < 0x100) return `\\x${cp.toString(16).padStart(2, "0")}`;
  return cp <= 0xffff ? `\\u${cp.toString(16).padStart(4, "0")}` : `\\u{${cp.toString(16)}}`;
}

/** `text` with every control character shown as a visible escape, except what `keep` allows. */
export function escapeControls(text: string, keep: KeepControls = {}): string {
  return text.replace(CONTROL, (ch, offset: number) => {
    if (ch === "\n" && keep.newline === true) return ch;
    if (ch === "\u001b" && keep.sgr === true) {
      SGR.lastIndex = offset;
      if (SGR.test(text)) return ch;
    }
    return visible(ch);
  });
}
