/**
 * Every text file hostproof reads (inventory, waiver file, snapshot, feature file, a shard's
 * record) is UTF-8, a byte-order mark allowed. Anything else is refused with its encoding named,
 * before any parser sees it. Decoded leniently, a UTF-16 file (what Windows PowerShell 5.1's `>`
 * and Out-File write) reached the parsers as NUL-riddled text: "not valid JSON (line 1 column 1)",
 * "its top level is a string", eleven Gherkin errors quoting `\x00`; and a Latin-1 byte became
 * U+FFFD in the reports, a host's text silently not the text the file holds.
 */
import { isUtf8 } from "node:buffer";
import { InputError } from "../errors";

const SAVE_AS_UTF8 =
  "Save it as UTF-8 (an editor's 'Save with encoding: UTF-8'; in Windows PowerShell 5.1, `> file` and Out-File write UTF-16: use `Out-File -Encoding utf8` or `Set-Content -Encoding UTF8`)";

/** Line and column (1-based, in bytes) of byte `offset`. */
function where(bytes: Buffer, offset: number): { line: number; column: number } {
  let line = 1;
  let start = 0;
  for (let i = bytes.indexOf(0x0a); i !== -1 && i < offset; i = bytes.indexOf(0x0a, i + 1)) {
    line++;
    start = i + 1;
  }
  return { line, column: offset - start + 1 };
}

/** The offset of the first byte that does not belong to a well-formed UTF-8 sequence (RFC 3629). */
export function firstNonUtf8(bytes: Uint8Array): number | undefined {
  for (let i = 0; i < bytes.length; ) {
    const b = bytes[i]!;
    if (b < 0x80) {
      i++;
      continue;
    }
    let n: number;
    let min: number;
    let max = 0xbf;
    if (b >= 0xc2 && b <= 0xdf) [n, min] = [1, 0x80];
    else if (b >= 0xe0 && b <= 0xef) [n, min, max] = [2, b === 0xe0 ? 0xa0 : 0x80, b === 0xed ? 0x9f : 0xbf];
    else if (b >= 0xf0 && b <= 0xf4) [n, min, max] = [3, b === 0xf0 ? 0x90 : 0x80, b === 0xf4 ? 0x8f : 0xbf];
    else return i;
    for (let k = 1; k <= n; k++) {
      const c = bytes[i + k];
      if (c === undefined || c < (k === 1 ? min : 0x80) || c > (k === 1 ? max : 0xbf)) return i;
    }
    i += n + 1;
  }
  return undefined;
}

function utf16Or32(bytes: Buffer): string | undefined {
  if (bytes.length >= 4 && bytes[0] === 0xff && bytes[1] === 0xfe && bytes[2] === 0 && bytes[3] === 0) return "UTF-32 (it starts with a UTF-32 little-endian byte-order mark)";
  if (bytes.length >= 4 && bytes[0] === 0 && bytes[1] === 0 && bytes[2] === 0xfe && bytes[3] === 0xff) return "UTF-32 (it starts with a UTF-32 big-endian byte-order mark)";
  if (bytes.length >= 2 && bytes[0] === 0xff && bytes[1] === 0xfe) return "UTF-16 (it starts with a UTF-16 little-endian byte-order mark)";
  if (bytes.length >= 2 && bytes[0] === 0xfe && bytes[1] === 0xff) return "UTF-16 (it starts with a UTF-16 big-endian byte-order mark)";
  // Without a mark: ASCII text in UTF-16 is every other byte NUL.
  const head = bytes.subarray(0, 64);
  if (head.length >= 4) {
    const zeros = (parity: number): number => head.filter((b, i) => i % 2 === parity && b === 0).length;
    const half = Math.floor(head.length / 2);
    if (zeros(1) >= half - 1 && zeros(0) === 0) return "UTF-16 (little-endian, without a byte-order mark: every other byte is zero)";
    if (zeros(0) >= half - 1 && zeros(1) === 0) return "UTF-16 (big-endian, without a byte-order mark: every other byte is zero)";
  }
  return undefined;
}

/**
 * `bytes` as text, without a leading byte-order mark; an InputError (exit 3) naming the file, the
 * encoding or the first byte that is not UTF-8, and what to do, for anything that is not UTF-8 text.
 * A NUL is refused too: no file hostproof reads holds one, and in a JSON or YAML string it is no
 * character either format allows.
 */
export function decodeUtf8Text(bytes: Buffer, displayName: string): string {
  const wide = utf16Or32(bytes);
  if (wide !== undefined) throw new InputError({ file: displayName, problem: `the file is ${wide}; hostproof reads UTF-8 text`, fix: `${SAVE_AS_UTF8}.` });
  if (!isUtf8(bytes)) {
    const at = firstNonUtf8(bytes) ?? 0;
    const { line, column } = where(bytes, at);
    throw new InputError({
      file: displayName,
      line,
      problem: `the file is not UTF-8 text: byte 0x${bytes[at]!.toString(16).toUpperCase().padStart(2, "0")} at line ${line}, column ${column} (counting bytes) is not part of a UTF-8 character (Latin-1 or Windows-1252 text, or not a text file)`,
      fix: `Check that this is the right file. ${SAVE_AS_UTF8}.`,
    });
  }
  const nul = bytes.indexOf(0);
  if (nul !== -1) {
    const { line, column } = where(bytes, nul);
    throw new InputError({ file: displayName, line, problem: `the file holds a NUL byte at line ${line}, column ${column}: it is not a text file`, fix: "Check that this is the right file; a text file holds no NUL byte." });
  }
  const text = bytes.toString("utf8");
  return text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
}
