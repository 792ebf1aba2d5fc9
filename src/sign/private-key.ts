/**
 * The signing key: Ed25519 only, as a PKCS#8 PEM (`openssl genpkey -algorithm ed25519`) or an
 * unencrypted OpenSSH private key (`ssh-keygen -t ed25519 -N ''`, format openssh-key-v1 of
 * OpenSSH's PROTOCOL.key, read here since node:crypto does not). Ed25519 alone: one algorithm
 * with no parameters to choose or get wrong, which OpenSSH, OpenSSL, in-toto and Sigstore tools
 * all verify.
 *
 * Every refusal says what the text is and what to do, and never quotes the text: not a line,
 * not a byte, not a label or type name read from it (only names from key-names.ts tables), and no
 * message of node:crypto's. Whatever was given may be the key itself.
 */
import { createPrivateKey, createPublicKey, type KeyObject } from "node:crypto";
import { existsSync } from "node:fs";
import { InputError } from "../errors";
import { ED25519_PUBLIC_BYTES, keyidOf, privateKeyFromSeed, rawPublicKey, SSH_ED25519 } from "./ed25519";
import { CERTIFICATE_PEM_LABELS, isSshCertificateType, nodeKeyKind, PRIVATE_PEM_LABELS, PUBLIC_PEM_LABELS, SSH_CIPHERS, sshKeyKind } from "./key-names";
import type { SigningKey } from "./keys";
import { isOneDerSequence, looksLikePemBegin, readPemBlock, textLines, type PemBlock, type TextLine } from "./pem";
import { WireError, WireReader } from "./ssh-wire";

/** Where the key came from, as errors name it. */
export interface KeyOrigin {
  /** SigningKey.source: the file as named, or "HOSTPROOF_SIGN_KEY". */
  source: string;
  /** InputProblem.file and .field. */
  file: string;
  field?: string;
  /** The key text came from HOSTPROOF_SIGN_KEY rather than a file. */
  inline: boolean;
}

/** Far above any Ed25519 key (an OpenSSH one is about 400 bytes), far below what would cost time. */
export const MAX_KEY_TEXT_BYTES = 64 * 1024;

export const MAKE_A_KEY =
  "Make an Ed25519 key: `openssl genpkey -algorithm ed25519 -out signing.pem` (and `openssl pkey -in signing.pem -pubout -out signing.pub.pem` for verifiers), or `ssh-keygen -t ed25519 -N '' -f signing` (verifiers get signing.pub)";

const READABLE_FORMS =
  "Give an Ed25519 private key: a PKCS#8 PEM (-----BEGIN PRIVATE KEY-----, from `openssl genpkey -algorithm ed25519`) or an OpenSSH private key (-----BEGIN OPENSSH PRIVATE KEY-----, from `ssh-keygen -t ed25519 -N ''`)";

const OPENSSH_MAGIC = Buffer.from("openssh-key-v1\0", "latin1");

function refusal(origin: KeyOrigin, problem: string, fix: string): InputError {
  return new InputError({ file: origin.file, ...(origin.field !== undefined ? { field: origin.field } : {}), problem, fix });
}

function otherKind(origin: KeyOrigin, kind: string): InputError {
  return refusal(origin, `this is ${kind} private key; hostproof signs with Ed25519 keys only`, `${MAKE_A_KEY}.`);
}

function damaged(origin: KeyOrigin, what: string): InputError {
  return refusal(origin, `the key is damaged: ${what}`, `Copy the key again, whole, from where it is kept; or ${MAKE_A_KEY.charAt(0).toLowerCase()}${MAKE_A_KEY.slice(1)}.`);
}

function publicGiven(origin: KeyOrigin, what: string): InputError {
  return refusal(
    origin,
    `this is ${what}, and signing needs the private key`,
    "Give the private key (for ssh-keygen's keys, the file without .pub); the public key is what verifiers give to `verify --key`.",
  );
}

/** The signing key in `bytes`; an InputError (exit 3) naming `origin` and what to do for anything else. */
export function parseSigningKey(bytes: Buffer, origin: KeyOrigin): SigningKey {
  if (bytes.length > MAX_KEY_TEXT_BYTES) {
    return fail(refusal(origin, `it is ${bytes.length} bytes, far more than any private key`, `Check that this is the key. ${READABLE_FORMS}.`));
  }
  const body = bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf ? bytes.subarray(3) : bytes;
  if (isOneDerSequence(body)) {
    return fail(refusal(origin, "this is a binary (DER) key; hostproof reads keys as PEM text", "Convert it: `openssl pkey -inform DER -in <file> -out signing.pem`."));
  }
  // Keys are ASCII text; tabs and line ends aside, anything else means this is not one.
  if (body.some((b) => (b < 0x20 && b !== 0x09 && b !== 0x0a && b !== 0x0d) || b > 0x7e)) {
    return fail(refusal(origin, "this is not a key: it holds characters no key file holds (binary data, or text that is not ASCII)", `${READABLE_FORMS}.`));
  }
  let text = body.toString("latin1");
  // A secret pasted on one line with its line breaks written as \n (base64 has no backslash, so
  // the escape cannot be part of the key): read it as the lines it stands for. A real line end
  // after it (`echo "$SECRET" > key`) leaves it one line still.
  if (!text.trim().includes("\n") && text.includes("\\n")) text = text.replace(/\\r\\n|\\n/g, "\n");
  const lines = textLines(text);
  const filled = lines.filter((l) => l.text.trim() !== "");
  if (filled.length === 0) return fail(refusal(origin, "it is empty", `${READABLE_FORMS}.`));
  const first = lines.indexOf(filled[0]!);
  if (looksLikePemBegin(lines[first]!.text)) return fromPem(lines, first, origin);
  if (filled.some((l) => looksLikePemBegin(l.text))) {
    return fail(refusal(origin, "text comes before the key's -----BEGIN line", "Remove everything before the -----BEGIN line: the key must stand alone."));
  }
  return fail(notPem(filled, origin));
}

/** Throws: lets every branch above read as a return. */
function fail(err: InputError): never {
  throw err;
}

function fromPem(lines: readonly TextLine[], first: number, origin: KeyOrigin): SigningKey {
  const block = readPemBlock(lines, first);
  if (block === undefined) {
    return fail(refusal(origin, "the key has no matching -----END line (it was cut short, or its BEGIN line is malformed)", "Copy the whole key, from its -----BEGIN line to its -----END line."));
  }
  const after = lines.slice(block.last + 1).filter((l) => l.text.trim() !== "");
  if (after.length > 0) {
    return fail(
      after.some((l) => looksLikePemBegin(l.text))
        ? refusal(origin, "it holds more than one PEM block", "Give the signing key alone, one key per file or variable.")
        : refusal(origin, "text follows the key's -----END line", "Remove everything after the -----END line: the key must stand alone."),
    );
  }
  const label = block.label;
  if (label === "ENCRYPTED PRIVATE KEY") {
    return fail(
      refusal(
        origin,
        "this private key is encrypted, and hostproof reads unencrypted keys only",
        "Keep the key safe by where it is stored (the CI secret store, a file only the signing account can read) and give it unencrypted: `openssl pkey -in <file> -out signing.pem` writes a decrypted copy.",
      ),
    );
  }
  if (Object.hasOwn(PRIVATE_PEM_LABELS, label) && PRIVATE_PEM_LABELS[label] !== undefined) return fail(otherKind(origin, PRIVATE_PEM_LABELS[label]!));
  if (Object.hasOwn(PUBLIC_PEM_LABELS, label)) return fail(publicGiven(origin, `${PUBLIC_PEM_LABELS[label] ?? "a"} public key`));
  if (CERTIFICATE_PEM_LABELS.has(label)) return fail(publicGiven(origin, "an X.509 certificate (public)"));
  if (label === "SSH SIGNATURE") return fail(refusal(origin, "this is an SSH signature, not a key", `${READABLE_FORMS}.`));
  if (label === "PRIVATE KEY") return fromPkcs8(block, origin);
  if (label === "OPENSSH PRIVATE KEY") return fromOpenSsh(block, origin);
  return fail(refusal(origin, "this PEM block is not of a kind hostproof reads", `${READABLE_FORMS}.`));
}

function fromPkcs8(block: PemBlock, origin: KeyOrigin): SigningKey {
  if (block.headers || block.der === undefined) return fail(damaged(origin, "its body is not base64 (every line between BEGIN and END must be base64 alone)"));
  if (!isOneDerSequence(block.der)) return fail(damaged(origin, "its DER structure does not span its body exactly"));
  let privateKey: KeyObject;
  try {
    privateKey = createPrivateKey({ key: block.der, format: "der", type: "pkcs8" });
  } catch {
    return fail(damaged(origin, "its PKCS#8 data cannot be read"));
  } finally {
    block.der.fill(0);
  }
  if (privateKey.asymmetricKeyType !== "ed25519") return fail(otherKind(origin, nodeKeyKind(privateKey.asymmetricKeyType)));
  const publicKey = createPublicKey(privateKey);
  return { privateKey, publicKey, keyid: keyidOf(publicKey), source: origin.source };
}

function fromOpenSsh(block: PemBlock, origin: KeyOrigin): SigningKey {
  if (block.headers || block.der === undefined) return fail(damaged(origin, "its body is not base64 (every line between BEGIN and END must be base64 alone)"));
  const der = block.der;
  try {
    return readOpenSshKey(der, origin);
  } catch (err) {
    if (err instanceof WireError) return fail(damaged(origin, "its fields run past the end of the key"));
    throw err;
  } finally {
    der.fill(0);
  }
}

/** openssh-key-v1 (OpenSSH PROTOCOL.key), refusing all but one unencrypted Ed25519 key. */
function readOpenSshKey(bytes: Buffer, origin: KeyOrigin): SigningKey {
  const file = new WireReader(bytes);
  if (bytes.length < OPENSSH_MAGIC.length || !file.raw(OPENSSH_MAGIC.length).equals(OPENSSH_MAGIC)) {
    return fail(damaged(origin, "it does not start as an OpenSSH private key does (openssh-key-v1)"));
  }
  const cipher = file.text();
  const kdf = file.text();
  const kdfOptions = file.string();
  const count = file.uint32();
  if (count !== 1) return fail(refusal(origin, `it holds ${count} keys`, "Give a file that holds the signing key alone."));
  const publicBlob = file.string();
  const sealed = file.string();
  if (!file.done) return fail(damaged(origin, "bytes follow its last field"));

  const pub = new WireReader(publicBlob);
  const type = pub.text();
  if (type !== SSH_ED25519) {
    if (isSshCertificateType(type)) return fail(damaged(origin, "it holds a certificate where a key belongs"));
    const kind = sshKeyKind(type);
    if (kind === undefined) return fail(refusal(origin, "this OpenSSH private key is of a kind hostproof does not know", `${MAKE_A_KEY}.`));
    if (type.startsWith("sk-")) {
      return fail(refusal(origin, `this is ${kind} key, which signs only with its hardware device present; hostproof signs with plain Ed25519 keys`, `${MAKE_A_KEY}.`));
    }
    return fail(otherKind(origin, kind));
  }
  if (cipher !== "none") {
    return fail(
      refusal(
        origin,
        `this OpenSSH private key is protected by a passphrase${SSH_CIPHERS.has(cipher) ? ` (cipher ${cipher})` : ""}, and hostproof reads unencrypted keys only`,
        "Keep the key safe by where it is stored (the CI secret store, a file only the signing account can read) and give a copy without a passphrase: `cp <file> signing && ssh-keygen -p -N '' -f signing` (it asks for the old passphrase).",
      ),
    );
  }
  if (kdf !== "none" || kdfOptions.length > 0) return fail(damaged(origin, "it names a key-derivation function but no cipher"));
  const publicRaw = pub.string();
  if (publicRaw.length !== ED25519_PUBLIC_BYTES || !pub.done) return fail(damaged(origin, "its public key is not 32 bytes"));

  // The private section: checkint twice, then the key as the public blob says, a comment, and
  // padding 1, 2, 3… to the cipher's block size (8 for "none").
  if (sealed.length % 8 !== 0) return fail(damaged(origin, "its private section is not a whole number of 8-byte blocks"));
  const priv = new WireReader(sealed);
  if (priv.uint32() !== priv.uint32()) return fail(damaged(origin, "its two check numbers differ (the file was changed, or decrypted wrongly)"));
  if (priv.text() !== SSH_ED25519) return fail(damaged(origin, "its private part is not of the type its public part names"));
  const publicAgain = priv.string();
  const secret = priv.string();
  priv.string(); // the comment: not used, and not shown (it is the user's text)
  const padding = priv.rest();
  if (!publicAgain.equals(publicRaw)) return fail(damaged(origin, "its private part names another public key than its public part"));
  if (secret.length !== 64 || !secret.subarray(32).equals(publicRaw)) return fail(damaged(origin, "its private key is not the 64 bytes seed and public key"));
  if (padding.length >= 8 || padding.some((b, i) => b !== i + 1)) return fail(damaged(origin, "its padding is wrong"));

  const seed = Buffer.from(secret.subarray(0, 32));
  let privateKey: KeyObject;
  try {
    privateKey = privateKeyFromSeed(seed, publicRaw);
  } catch {
    return fail(damaged(origin, "its private key cannot be read"));
  } finally {
    seed.fill(0);
  }
  const publicKey = createPublicKey(privateKey);
  if (!rawPublicKey(publicKey).equals(publicRaw)) return fail(damaged(origin, "its public key is not the one its private key makes"));
  return { privateKey, publicKey, keyid: keyidOf(publicKey), sshPublicBlob: Buffer.from(publicBlob), source: origin.source };
}

/** What a text that is no PEM block is, as a refusal. */
function notPem(filled: readonly TextLine[], origin: KeyOrigin): InputError {
  const head = filled[0]!.text.trim();
  const firstWord = head.split(/[ \t]+/)[0]!;
  if (head.startsWith("---- BEGIN SSH2 PUBLIC KEY ----")) return publicGiven(origin, "an SSH2 (RFC 4716) public key");
  if (isSshCertificateType(firstWord)) return publicGiven(origin, "an OpenSSH certificate (public)");
  const kind = sshKeyKind(firstWord);
  if (kind !== undefined) return publicGiven(origin, `${kind} OpenSSH public key (a .pub line)`);
  if (head.startsWith("PuTTY-User-Key-File-")) {
    return refusal(origin, "this is a PuTTY key (.ppk), which hostproof does not read", "Convert it with PuTTYgen to an OpenSSH key: `puttygen key.ppk -O private-openssh -o signing`.");
  }
  if (origin.inline && filled.length === 1 && looksLikePath(head)) {
    return refusal(
      origin,
      "this is not a key; it looks like the name of a file",
      "HOSTPROOF_SIGN_KEY holds the key itself (the text of the key file); to name a key file, set HOSTPROOF_SIGN_KEY_FILE instead.",
    );
  }
  return refusal(origin, "this is not a key hostproof can read", `${READABLE_FORMS}.`);
}

function looksLikePath(text: string): boolean {
  if (text.length > 4096) return false;
  if (/[/\\]/.test(text) || /\.(pem|key|ssh)$/i.test(text)) return true;
  try {
    return existsSync(text);
  } catch {
    return false;
  }
}
