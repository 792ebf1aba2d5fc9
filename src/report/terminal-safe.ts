/**
 * Text from snapshots, inventories and waiver files reaches the terminal only through here.
 *
 * A terminal obeys control characters: an OS caption holding `ESC[2K CR` erases the line it is
 * printed on (a host's ✘ line), `ESC]0;…BEL` sets the window title, and C1 codes (U+009B is a
 * one-character CSI) do the same on terminals that honour 8-bit controls. So every control
 * character is shown as a visible escape instead, as summary.md escapes Markdown:
 * C0 (U+0000–U+001F), DEL, C1 (U+0080–U+009F), and the bidirectional overrides and isolates,
 * which reorder what is displayed ("Trojan Source"). Once ESC itself is visible, the rest of an
 * escape sequence is inert text. Backslashes are left alone: Windows paths stay readable.
 */

export interface KeepControls {
  /** Keep line feeds: for whole outputs whose lines hostproof itself laid out. */
  newline?: boolean;
  /** Keep SGR colour sequences (ESC [ digits m): hostproof's own colours on a colour terminal. */
  sgr?: boolean;
}

const NAMED: Readonly<Record<string, string>> = { "\n": "\\n", "\r": "\\r", "\t": "\\t", "\u001b": "\\e", "\u0007": "\\a", "\b": "\\b" };

// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u001f\u007f-\u009f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/g;
// eslint-disable-next-line no-control-regex
const SGR = /\u001b\[[0-9;]*m/y;

function visible(ch: string): string {
  const named = NAMED[ch];
  if (named !== undefined) return named;
  const cp = ch.codePointAt(0)!;
  return cp < 0x100 ? `\\x${cp.toString(16).padStart(2, "0")}` : `\\u${cp.toString(16).padStart(4, "0")}`;
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
