/**
 * Ed25519 keys as node:crypto holds them, and the names other tools give them: the keyid (SHA-256
 * of the SPKI DER, as `openssl pkey -pubin -outform DER | sha256sum` computes it), the OpenSSH
 * wire blob and its fingerprint (what `ssh-keygen -lf` prints).
 */
import { createHash, createPrivateKey, createPublicKey, type KeyObject } from "node:crypto";
import { wireString } from "./ssh-wire";

export const SSH_ED25519 = "ssh-ed25519";
export const ED25519_PUBLIC_BYTES = 32;
export const ED25519_SIGNATURE_BYTES = 64;

export function keyidOf(publicKey: KeyObject): string {
  return createHash("sha256").update(publicKey.export({ type: "spki", format: "der" })).digest("hex");
}

/** The 32 bytes of an Ed25519 public key. */
export function rawPublicKey(publicKey: KeyObject): Buffer {
  const { x } = publicKey.export({ format: "jwk" });
  if (publicKey.asymmetricKeyType !== "ed25519" || typeof x !== "string") throw new Error("not an Ed25519 public key");
  return Buffer.from(x, "base64url");
}

/** string "ssh-ed25519", string key: how OpenSSH writes the key in a .pub line and in a signature. */
export function sshPublicBlobOf(publicKey: KeyObject): Buffer {
  return Buffer.concat([wireString(SSH_ED25519), wireString(rawPublicKey(publicKey))]);
}

/** "SHA256:" and the unpadded base64 SHA-256 of the wire blob, as `ssh-keygen -lf` prints it. */
export function sshFingerprintOfBlob(blob: Buffer): string {
  return `SHA256:${createHash("sha256").update(blob).digest("base64").replace(/=+$/, "")}`;
}

export function sshFingerprint(publicKey: KeyObject): string {
  return sshFingerprintOfBlob(sshPublicBlobOf(publicKey));
}

export function publicKeyFromRaw(raw: Buffer): KeyObject {
  return createPublicKey({ key: { kty: "OKP", crv: "Ed25519", x: raw.toString("base64url") }, format: "jwk" });
}

/**
 * The private key for a 32-byte seed. Node derives the public half from the seed alone and
 * ignores a JWK's `x`, so the caller compares the derived public key with the one a file stores.
 */
export function privateKeyFromSeed(seed: Buffer, publicRaw: Buffer): KeyObject {
  return createPrivateKey({ key: { kty: "OKP", crv: "Ed25519", d: seed.toString("base64url"), x: publicRaw.toString("base64url") }, format: "jwk" });
}
