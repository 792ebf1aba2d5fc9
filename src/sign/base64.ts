/**
 * Strict base64 for signatures and keys: a value that decodes must decode to one byte string only.
 * Buffer.from(text, "base64") skips characters outside the alphabet and ignores stray padding and
 * non-zero trailing bits, so two different texts (a signature with a changed last character, a
 * key with spaces in it) would read as the same bytes; here such a text is refused instead.
 */

const STANDARD = /^[A-Za-z0-9+/]*={0,2}$/;
const URL_SAFE = /^[A-Za-z0-9_-]*={0,2}$/;

/**
 * The bytes of canonical standard base64 with its padding (RFC 4648 section 4), or undefined.
 * OpenSSH keys and signatures and PEM bodies are written this way.
 */
export function decodeBase64(text: string): Buffer | undefined {
  if (text.length % 4 !== 0 || !STANDARD.test(text)) return undefined;
  const bytes = Buffer.from(text, "base64");
  return bytes.toString("base64") === text ? bytes : undefined;
}

/**
 * As decodeBase64, or canonical URL-safe base64 (RFC 4648 section 5) with or without its padding:
 * DSSE says verifiers MUST accept either alphabet. One alphabet per value, never a mix.
 */
export function decodeBase64EitherAlphabet(text: string): Buffer | undefined {
  const standard = decodeBase64(text);
  if (standard !== undefined) return standard;
  if (!URL_SAFE.test(text)) return undefined;
  const bare = text.replace(/=+$/, "");
  if (bare.length !== text.length && text.length % 4 !== 0) return undefined;
  if (bare.length % 4 === 1) return undefined;
  const bytes = Buffer.from(bare, "base64url");
  return bytes.toString("base64url") === bare ? bytes : undefined;
}
