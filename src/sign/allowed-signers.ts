/**
 * `verify --allowed-signers <file>`: OpenSSH's allowed_signers format (ssh-keygen(1), ALLOWED
 * SIGNERS), so that one file serves `ssh-keygen -Y verify` and hostproof alike. A line is
 *
 *     principals [options] keytype base64-key [comment]
 *
 * with principals a comma-separated list of patterns (quoted when it holds spaces) and options
 * cert-authority, namespaces="…", valid-after="…", valid-before="…", read as OpenSSH 9 reads
 * them (sshsig.c, sshsigopt_parse; misc.c, parse_absolute_time).
 *
 * A line that is not well formed is refused with its line number: ssh-keygen stops at it too, and
 * a verifier whose trust file does not say what they think it says must hear so. A well-formed
 * line that cannot verify a hostproof signature in `namespace` at `now` is skipped, not trusted,
 * for the same reasons ssh-keygen would not accept a signature with it:
 *   - no identity matches its principals (negations only, as "!*"), so `-Y verify -I` never uses it;
 *   - its namespaces="…" list does not match `namespace` (a pattern over 1022 bytes matches nothing);
 *   - valid-after is later than `now`, or valid-before earlier;
 *   - cert-authority: it trusts certificates the key signed, and hostproof signs with plain keys;
 *   - its key is not Ed25519 (RSA, ECDSA, DSA, FIDO security keys, certificates): hostproof
 *     signs with Ed25519 keys only, so such a key verifies no hostproof signature.
 * A file where every line is skipped is refused, each line's reason given.
 */
import { InputError, type InputProblem } from "../errors";
import { readRegularFile } from "../input/regular-file";
import { decodeBase64 } from "./base64";
import { SSH_ED25519 } from "./ed25519";
import { isSshCertificateType, isSshKeyType, sshKeyKind } from "./key-names";
import type { TrustedKey } from "./keys";
import { textLines } from "./pem";
import { publicKeysText, readSshPublicKey, refusePrivateKey, trustedKey } from "./public-key";
import { WireReader } from "./ssh-wire";

interface SignerOptions {
  certAuthority: boolean;
  namespaces?: string;
  /** Seconds since the epoch, as OpenSSH keeps them. */
  validAfter?: number;
  validBefore?: number;
}

interface SignerLine {
  principals: string[];
  options: SignerOptions;
  type: string;
  base64: string;
}

const LINE_FORM = "Write each line as ssh-keygen(1) ALLOWED SIGNERS describes: principals [options] ssh-ed25519 AAAA… [comment]";

/** A short, quoted piece of the file for a message (an allowed_signers file holds public keys only). */
function quote(text: string): string {
  return JSON.stringify(text.length > 60 ? `${text.slice(0, 60)}…` : text);
}

export function readAllowedSigners(file: string, namespace: string, now: Date): TrustedKey[] {
  const lines = textLines(publicKeysText(readRegularFile(file, file, "key"), file));
  refusePrivateKey(lines, file);
  const nowSeconds = Math.floor(now.getTime() / 1000);
  const keys: TrustedKey[] = [];
  const problems: InputProblem[] = [];
  const skipped: string[] = [];
  for (const { text, number } of lines) {
    const parsed = parseSignerLine(text);
    if (parsed === undefined) continue;
    if (typeof parsed === "string") {
      problems.push({ file, line: number, problem: parsed, fix: `${LINE_FORM}.` });
      continue;
    }
    const { principals, options, type, base64 } = parsed;
    if (type !== SSH_ED25519) {
      // Not read as a key, but it must be what the line says it is, as ssh-keygen requires.
      const blob = decodeBase64(base64);
      if (blob === undefined || blobType(blob) !== type) {
        problems.push({ file, line: number, problem: "its key data is damaged (not the base64 of the key type the line names)", fix: "Copy the public key again, whole, from its .pub file." });
        continue;
      }
      skipped.push(`line ${number}: ${isSshCertificateType(type) ? "a certificate" : `${sshKeyKind(type)} key`}, and hostproof signs with Ed25519 keys only`);
      continue;
    }
    const read = readSshPublicKey(type, base64);
    if (!read.ok) {
      problems.push({ file, line: number, problem: read.problem, fix: read.fix });
      continue;
    }
    if (!someIdentityMatches(principals)) {
      skipped.push(`line ${number}: no identity matches its principals ${quote(principals.join(","))}, so \`ssh-keygen -Y verify -I <identity>\` accepts no signature with it`);
      continue;
    }
    if (options.certAuthority) {
      skipped.push(`line ${number}: cert-authority trusts certificates signed by the key, and hostproof signs with plain keys`);
      continue;
    }
    if (options.namespaces !== undefined && matchPatternList(namespace, options.namespaces) !== 1) {
      skipped.push(`line ${number}: namespaces=${quote(options.namespaces)} does not allow ${quote(namespace)}`);
      continue;
    }
    if (options.validAfter !== undefined && options.validAfter > nowSeconds) {
      skipped.push(`line ${number}: not valid until ${isoSeconds(options.validAfter)} (valid-after)`);
      continue;
    }
    if (options.validBefore !== undefined && options.validBefore < nowSeconds) {
      skipped.push(`line ${number}: expired at ${isoSeconds(options.validBefore)} (valid-before)`);
      continue;
    }
    keys.push(trustedKey(read.publicKey, `${file}:${number}`, principals));
  }
  if (problems.length > 0) throw new InputError(problems);
  if (keys.length === 0) {
    throw new InputError({
      file,
      problem: skipped.length === 0 ? "the file names no signer" : `no line can verify a hostproof signature in namespace ${quote(namespace)} now: ${skipped.join("; ")}`,
      fix: `Add a line for the key that signs the reports: \`<principal> namespaces="${namespace}" ssh-ed25519 AAAA…\` (the key from its .pub file).`,
    });
  }
  return keys;
}

function isoSeconds(seconds: number): string {
  return new Date(seconds * 1000).toISOString().replace(/\.000Z$/, "Z");
}

function blobType(blob: Buffer): string | undefined {
  try {
    return new WireReader(blob).text();
  } catch {
    return undefined;
  }
}

const isSpace = (c: string | undefined): boolean => c === " " || c === "\t";

function skipSpace(line: string, i: number): number {
  while (isSpace(line[i])) i++;
  return i;
}

function wordEnd(line: string, i: number): number {
  while (i < line.length && !isSpace(line[i])) i++;
  return i;
}

/** The line's fields; undefined for a blank or comment line; a string saying what is wrong. */
export function parseSignerLine(line: string): SignerLine | string | undefined {
  let i = skipSpace(line, 0);
  if (i === line.length || line[i] === "#") return undefined;
  let principalsText: string;
  if (line[i] === '"') {
    const close = line.indexOf('"', i + 1);
    if (close === -1) return "its principals open a quote that never closes";
    principalsText = line.slice(i + 1, close);
    i = close + 1;
    if (i < line.length && !isSpace(line[i])) return "text follows the quoted principals without a space";
  } else {
    const end = wordEnd(line, i);
    principalsText = line.slice(i, end);
    if (principalsText.includes('"')) return "its principals hold a quote that does not enclose them";
    i = end;
  }
  const principals = principalsText.split(",").filter((p) => p !== "");
  if (principals.length === 0) return "it names no principal";
  i = skipSpace(line, i);
  if (i === line.length) return "it names principals but no key";

  let options: SignerOptions = { certAuthority: false };
  if (!isSshKeyType(line.slice(i, wordEnd(line, i)))) {
    const parsed = parseOptions(line, i);
    if (typeof parsed === "string") return parsed;
    options = parsed.options;
    i = skipSpace(line, parsed.end);
  }
  const typeEnd = wordEnd(line, i);
  const type = line.slice(i, typeEnd);
  if (type === "") return "it has options but no key";
  if (!isSshKeyType(type)) return `${quote(type)} is not a key type OpenSSH writes`;
  i = skipSpace(line, typeEnd);
  const base64 = line.slice(i, wordEnd(line, i));
  if (base64 === "") return "the key's data is missing after its type";
  return { principals, options, type, base64 };
}

const VALUE_OPTIONS = ["namespaces", "valid-after", "valid-before"] as const;

/** Options from line[start], up to the first space or tab outside quotes (sshsigopt_parse). */
function parseOptions(line: string, start: number): { options: SignerOptions; end: number } | string {
  const options: SignerOptions = { certAuthority: false };
  let i = start;
  for (;;) {
    const rest = line.slice(i);
    const flag = /^cert-authority(?=$|[ \t,])/i.exec(rest);
    const valued = /^(namespaces|valid-after|valid-before)=/i.exec(rest);
    if (flag !== null) {
      options.certAuthority = true;
      i += flag[0].length;
    } else if (valued !== null) {
      const name = valued[1]!.toLowerCase() as (typeof VALUE_OPTIONS)[number];
      const value = dequote(line, i + valued[0].length);
      if (typeof value === "string") return `option ${name}: ${value}`;
      i = value.end;
      if (name === "namespaces") {
        if (options.namespaces !== undefined) return 'it has more than one namespaces="…" option';
        options.namespaces = value.text;
      } else {
        const key = name === "valid-after" ? "validAfter" : "validBefore";
        if (options[key] !== undefined) return `it has more than one ${name}="…" option`;
        const seconds = parseAbsoluteTime(value.text);
        if (seconds === undefined || seconds === 0) return `${name}=${quote(value.text)} is not a time as YYYYMMDD, YYYYMMDDHHMM or YYYYMMDDHHMMSS (with Z for UTC)`;
        options[key] = seconds;
      }
    } else {
      return `${quote(rest.slice(0, wordEnd(rest, 0)))} is not an option (cert-authority, namespaces, valid-after, valid-before) nor a key type`;
    }
    if (i === line.length || isSpace(line[i])) break;
    if (line[i] !== ",") return "its options hold text that is no option";
    i++;
    if (i === line.length || isSpace(line[i])) return "its options end with a comma";
  }
  if (options.validAfter !== undefined && options.validBefore !== undefined && options.validBefore <= options.validAfter) {
    return "its valid-before time is not later than its valid-after time";
  }
  return { options, end: i };
}

/** A double-quoted option value from line[start], where \" stands for a quote (opt_dequote). */
function dequote(line: string, start: number): { text: string; end: number } | string {
  if (line[start] !== '"') return "its value must be in double quotes";
  let text = "";
  let i = start + 1;
  for (; i < line.length && line[i] !== '"'; i++) {
    if (line[i] === "\\" && line[i + 1] === '"') i++;
    text += line[i];
  }
  if (i === line.length) return "its value's closing quote is missing";
  return { text, end: i + 1 };
}

/**
 * OpenSSH's time for valid-after/valid-before: YYYYMMDD, YYYYMMDDHHMM or YYYYMMDDHHMMSS, in UTC
 * with a "Z" or "UTC" suffix, else local time. Local time is read as mktime() reads a struct tm
 * whose tm_isdst is 0, as ssh-keygen leaves it: standard time all year round.
 */
export function parseAbsoluteTime(text: string): number | undefined {
  let digits = text;
  let utc = false;
  if (/[zZ]$/.test(digits) && digits.length > 1) {
    utc = true;
    digits = digits.slice(0, -1);
  } else if (/utc$/i.test(digits) && digits.length > 3) {
    utc = true;
    digits = digits.slice(0, -3);
  }
  if (!/^\d+$/.test(digits) || ![8, 12, 14].includes(digits.length)) return undefined;
  const field = (from: number, to: number): number => Number(digits.slice(from, to));
  const [year, month, day] = [field(0, 4), field(4, 6), field(6, 8)];
  const [hour, minute, second] = digits.length >= 12 ? [field(8, 10), field(10, 12), digits.length === 14 ? field(12, 14) : 0] : [0, 0, 0];
  // strptime's ranges; a day past the month's end rolls over, as mktime() rolls it.
  if (month < 1 || month > 12 || day < 1 || day > 31 || hour > 23 || minute > 59 || second > 60) return undefined;
  const asUtc = Date.UTC(year, month - 1, day, hour, minute, second) / 1000;
  if (utc) return asUtc >= 0 ? asUtc : undefined;
  const standardOffsetMinutes = Math.max(new Date(year, 0, 1).getTimezoneOffset(), new Date(year, 6, 1).getTimezoneOffset());
  const local = asUtc + standardOffsetMinutes * 60;
  return local >= 0 ? local : undefined;
}

/** match_pattern_list copies each pattern into a 1024-byte buffer; one that does not fit makes the whole list match nothing. */
const MAX_PATTERN_BYTES = 1022;

/**
 * OpenSSH's match_pattern_list: comma-separated patterns with * and ?, a leading ! negating one. 1
 * matched, -1 negated, 0 neither. As there, a list holding a pattern longer than OpenSSH's buffer
 * matches nothing, wherever that pattern stands.
 */
export function matchPatternList(text: string, list: string): 1 | 0 | -1 {
  let positive = false;
  for (const item of list.split(",")) {
    const negated = item.startsWith("!");
    const pattern = negated ? item.slice(1) : item;
    if (Buffer.byteLength(pattern, "utf8") > MAX_PATTERN_BYTES) return 0;
    if (!matchPattern(text, pattern)) continue;
    if (negated) return -1;
    positive = true;
  }
  return positive ? 1 : 0;
}

/**
 * Whether some identity matches the principals, as \`ssh-keygen -Y verify -I\` requires: a line of
 * negations only ("!*"), or one with a pattern OpenSSH cannot hold, trusts its key for nobody.
 * Each positive pattern is tried with its wildcards filled in; a list that needs more cunning than
 * that to match is one no signer's identity should depend on, and is skipped.
 */
function someIdentityMatches(principals: readonly string[]): boolean {
  const list = principals.join(",");
  return principals.filter((p) => !p.startsWith("!")).some((p) => [p.replace(/\*/g, "").replace(/\?/g, "x"), p.replace(/\*/g, "x").replace(/\?/g, "x")].some((identity) => matchPatternList(identity, list) === 1));
}

/** OpenSSH's match_pattern: * any run of characters, ? any one. */
function matchPattern(text: string, pattern: string): boolean {
  const source = [...pattern].map((c) => (c === "*" ? ".*" : c === "?" ? "." : c.replace(/[\\^$.*+?()[\]{}|]/g, "\\$&"))).join("");
  return new RegExp(`^${source}$`, "s").test(text);
}
