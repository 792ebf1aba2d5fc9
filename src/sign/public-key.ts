/**
 * Public keys as verifiers give them: an OpenSSH key (type and base64 blob, as in a .pub line or
 * an allowed_signers line) or an SPKI DER (the body of a "PUBLIC KEY" PEM block). Ed25519 only:
 * no hostproof signature is made with anything else, so any other key could never verify one.
 */
import { createPublicKey, type KeyObject } from "node:crypto";
import { isUtf8 } from "node:buffer";
import { InputError } from "../errors";
import { decodeBase64 } from "./base64";
import { ED25519_PUBLIC_BYTES, keyidOf, publicKeyFromRaw, sshFingerprint, SSH_ED25519 } from "./ed25519";
import { isSshCertificateType, nodeKeyKind, PRIVATE_PEM_LABELS, sshKeyKind } from "./key-names";
import type { TrustedKey } from "./keys";
import { isOneDerSequence, pemBeginLabel, type TextLine } from "./pem";
import { WireReader } from "./ssh-wire";

export type PublicKeyRead = { ok: true; publicKey: KeyObject } | { ok: false; problem: string; fix: string };

export const GIVE_ED25519 = "Give the Ed25519 public key of the key that signs the reports";

const CERTIFICATE = {
  problem: "this is an OpenSSH certificate; hostproof trusts keys, and its reports are signed by plain keys",
  fix: "Give the plain public key (the .pub file, not the -cert.pub one).",
};

/** The key of an OpenSSH line's type and base64 fields. */
export function readSshPublicKey(type: string, base64: string): PublicKeyRead {
  if (isSshCertificateType(type)) return { ok: false, ...CERTIFICATE };
  const kind = sshKeyKind(type);
  if (kind === undefined) return { ok: false, problem: "this is not a key type OpenSSH writes", fix: `${GIVE_ED25519}, as \`ssh-ed25519 AAAA… comment\`.` };
  if (type !== SSH_ED25519) return { ok: false, problem: `this is ${kind} key; hostproof signs with Ed25519 keys only, so this key can verify none of its reports`, fix: `${GIVE_ED25519}.` };
  const blob = decodeBase64(base64);
  const damaged = { ok: false as const, problem: "its key data is damaged (not the base64 of an Ed25519 key)", fix: "Copy the public key again, whole, from the .pub file." };
  if (blob === undefined) return damaged;
  try {
    const wire = new WireReader(blob);
    if (wire.text() !== SSH_ED25519) return { ok: false, problem: "its key data is of another type than the line names", fix: "Copy the public key again, whole, from the .pub file." };
    const raw = wire.string();
    if (raw.length !== ED25519_PUBLIC_BYTES || !wire.done) return damaged;
    return { ok: true, publicKey: publicKeyFromRaw(raw) };
  } catch {
    // A WireError (a field runs past the end), or node:crypto refusing the 32 bytes.
    return damaged;
  }
}

/** The key of a "PUBLIC KEY" PEM block's body. */
export function readSpki(der: Buffer): PublicKeyRead {
  const damaged = { ok: false as const, problem: "this public key is damaged (its body is not the base64 of a public key)", fix: "Copy the public key again, whole, from its -----BEGIN line to its -----END line." };
  if (!isOneDerSequence(der)) return damaged;
  let publicKey: KeyObject;
  try {
    publicKey = createPublicKey({ key: der, format: "der", type: "spki" });
  } catch {
    return damaged;
  }
  if (publicKey.asymmetricKeyType !== "ed25519") {
    return { ok: false, problem: `this is ${nodeKeyKind(publicKey.asymmetricKeyType)} public key; hostproof signs with Ed25519 keys only, so this key can verify none of its reports`, fix: `${GIVE_ED25519}.` };
  }
  // Ed25519's SPKI has one encoding; anything else read as the same key would give it another keyid.
  if (!publicKey.export({ type: "spki", format: "der" }).equals(der)) return damaged;
  return { ok: true, publicKey };
}

export function trustedKey(publicKey: KeyObject, shownAs: string, principals?: string[]): TrustedKey {
  return { publicKey, keyid: keyidOf(publicKey), fingerprint: sshFingerprint(publicKey), shownAs, ...(principals !== undefined ? { principals } : {}) };
}

/**
 * A file of public keys or allowed signers as text, without a byte-order mark. Its bytes are
 * never quoted: a private key given by mistake must not be echoed, not even a byte of it.
 */
export function publicKeysText(bytes: Buffer, file: string): string {
  if (isOneDerSequence(bytes)) {
    throw new InputError({ file, problem: "this is a binary (DER) key, and hostproof reads keys as text", fix: "Give the public key as PEM: `openssl pkey -pubin -inform DER -in <file> -out signing.pub.pem`." });
  }
  if (!isUtf8(bytes) || bytes.includes(0)) {
    throw new InputError({ file, problem: "this is not a text file (it is not UTF-8, or holds a NUL byte)", fix: "Give a text file of public keys: PEM (-----BEGIN PUBLIC KEY-----) or OpenSSH lines (ssh-ed25519 AAAA… comment)." });
  }
  const text = bytes.toString("utf8");
  return text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
}

export const PRIVATE_GIVEN_FIX =
  "Give the public key instead: `openssl pkey -in <private key> -pubout -out signing.pub.pem`, or `ssh-keygen -y -f <private key> > signing.pub`. Keep the private key where only the signer reads it; if this file was shared, make a new key";

/** Refuses, before anything of it is parsed or quoted, a file of trusted keys that holds a private key. */
export function refusePrivateKey(lines: readonly TextLine[], file: string): void {
  for (const { text, number } of lines) {
    const label = pemBeginLabel(text.trim());
    if ((label !== undefined && Object.hasOwn(PRIVATE_PEM_LABELS, label)) || text.startsWith("PuTTY-User-Key-File-")) {
      throw new InputError({ file, line: number, problem: "this is a private key, and a private key must never be handed to those who verify", fix: `${PRIVATE_GIVEN_FIX}.` });
    }
  }
}
