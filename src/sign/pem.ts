/**
 * Key files as lines of text, and the PEM blocks in them (RFC 7468), read strictly: a block's
 * body must be canonical base64 and end with the END line of its own label.
 */
import { decodeBase64 } from "./base64";

export interface TextLine {
  text: string;
  /** 1-based. */
  number: number;
}

/**
 * The lines of `text`: CRLF is taken as LF (a key pasted into a Windows CI secret), and spaces and
 * tabs around a line are dropped (a key indented in a YAML file), as no key format gives them meaning.
 */
export function textLines(text: string): TextLine[] {
  return text.split("\n").map((line, i) => ({ text: line.replace(/^[ \t]+|[ \t\r]+$/g, ""), number: i + 1 }));
}

const BEGIN = /^-----BEGIN ([A-Z0-9]+(?: [A-Z0-9]+)*)-----$/;
const BODY_LINE = /^[A-Za-z0-9+/=]+$/;

/** The label of a BEGIN line ("PRIVATE KEY"), or undefined when `line` is none. */
export function pemBeginLabel(line: string): string | undefined {
  return BEGIN.exec(line)?.[1];
}

export function looksLikePemBegin(line: string): boolean {
  return line.trimStart().startsWith("-----BEGIN");
}

export interface PemBlock {
  label: string;
  /** The body's bytes; undefined when the body is not canonical base64. */
  der: Buffer | undefined;
  /** RFC 1421 headers ("Proc-Type: 4,ENCRYPTED") came before the body. */
  headers: boolean;
  /** Index in the lines of the BEGIN line, and of the END line. */
  first: number;
  last: number;
}

/** The block that starts at lines[first] (a BEGIN line); undefined when its END line never comes. */
export function readPemBlock(lines: readonly TextLine[], first: number): PemBlock | undefined {
  const label = pemBeginLabel(lines[first]!.text);
  if (label === undefined) return undefined;
  const end = `-----END ${label}-----`;
  let headers = false;
  let inHeaders = true;
  let valid = true;
  const body: string[] = [];
  for (let i = first + 1; i < lines.length; i++) {
    const line = lines[i]!.text;
    if (line === end) {
      const der = valid && body.length > 0 ? decodeBase64(body.join("")) : undefined;
      return { label, der, headers, first, last: i };
    }
    if (looksLikePemBegin(line) || line.startsWith("-----END")) return undefined;
    if (inHeaders && body.length === 0 && line.includes(":")) {
      headers = true;
      continue;
    }
    if (headers && inHeaders && line === "") {
      inHeaders = false;
      continue;
    }
    inHeaders = false;
    if (!BODY_LINE.test(line)) valid = false;
    body.push(line);
  }
  return undefined;
}

/**
 * True when `bytes` is one whole DER SEQUENCE: its length field accounts for every byte. Node's
 * DER readers stop at the end of the outer structure and ignore what follows.
 */
export function isOneDerSequence(bytes: Buffer): boolean {
  if (bytes.length < 2 || bytes[0] !== 0x30) return false;
  const first = bytes[1]!;
  if (first < 0x80) return 2 + first === bytes.length;
  const n = first & 0x7f;
  if (n === 0 || n > 4 || bytes.length < 2 + n || bytes[2] === 0) return false;
  let length = 0;
  for (let i = 0; i < n; i++) length = length * 256 + bytes[2 + i]!;
  return length >= 0x80 && 2 + n + length === bytes.length;
}
