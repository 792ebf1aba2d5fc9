/**
 * SSH signatures (OpenSSH PROTOCOL.sshsig), what `ssh-keygen -Y sign` writes and
 * `ssh-keygen -Y verify` checks: an auditor with nothing but OpenSSH can check a signed manifest.
 *
 * The signed data is "SSHSIG", then as SSH strings the namespace, a reserved field, the hash
 * algorithm and the hash of the message: the namespace keeps a signature made for one purpose
 * (git commits, say) from passing for another.
 */
import { createHash, sign, verify } from "node:crypto";
import { decodeBase64 } from "./base64";
import { ED25519_PUBLIC_BYTES, ED25519_SIGNATURE_BYTES, sshFingerprintOfBlob, sshPublicBlobOf, SSH_ED25519 } from "./ed25519";
import { isSshCertificateType, sshKeyKind } from "./key-names";
import type { SigningKey, TrustedKey } from "./keys";
import { WireError, WireReader, wireString, wireUint32 } from "./ssh-wire";

const MAGIC = Buffer.from("SSHSIG", "latin1");
const VERSION = 1;
const BEGIN = "-----BEGIN SSH SIGNATURE-----";
const END = "-----END SSH SIGNATURE-----";
/** ssh-keygen wraps the armored base64 at 70 columns. */
const WIDTH = 70;
/** An Ed25519 signature is 300 bytes armored; an RSA-16384 one under 5 KB. */
export const MAX_ARMORED_LENGTH = 16 * 1024;
const HASHES = new Set(["sha256", "sha512"]);

function signedData(namespace: Buffer, reserved: Buffer, hash: string, message: Buffer): Buffer {
  const digest = createHash(hash).update(message).digest();
  return Buffer.concat([MAGIC, wireString(namespace), wireString(reserved), wireString(hash), wireString(digest)]);
}

/**
 * The armored SSH signature of `message` in `namespace`, hash sha512, as
 * `ssh-keygen -Y sign -n <namespace>` writes it. Any Ed25519 key can make one; for a key read
 * from an OpenSSH file the public key inside is the very blob of that file.
 */
export function sshSign(message: Buffer, key: SigningKey, namespace: string): string {
  if (namespace === "") throw new Error("an SSH signature needs a namespace");
  const ns = Buffer.from(namespace, "utf8");
  const reserved = Buffer.alloc(0);
  const signature = sign(null, signedData(ns, reserved, "sha512", message), key.privateKey);
  const blob = Buffer.concat([
    MAGIC,
    wireUint32(VERSION),
    wireString(key.sshPublicBlob ?? sshPublicBlobOf(key.publicKey)),
    wireString(ns),
    wireString(reserved),
    wireString("sha512"),
    wireString(Buffer.concat([wireString(SSH_ED25519), wireString(signature)])),
  ]);
  const base64 = blob.toString("base64");
  const lines: string[] = [];
  for (let i = 0; i < base64.length; i += WIDTH) lines.push(base64.slice(i, i + WIDTH));
  return `${BEGIN}\n${lines.join("\n")}\n${END}\n`;
}

export type SshSignatureCheck = { ok: true; key: TrustedKey } | { ok: false; problem: string };

function notSignature(what: string): SshSignatureCheck {
  return { ok: false, problem: `not an SSH signature: ${what}` };
}

function shown(text: string): string {
  return JSON.stringify(text.length > 60 ? `${text.slice(0, 60)}…` : text);
}

/** The signature's bytes from its armor: BEGIN line, base64 lines, END line, and nothing else but line ends. */
function dearmor(armored: string): Buffer | string {
  const lines = armored.replace(/(\r?\n)+$/, "").split(/\r?\n/);
  if (lines[0] !== BEGIN) return `it does not start with ${BEGIN}`;
  if (lines.length < 3 || lines[lines.length - 1] !== END) return `it does not end with ${END}`;
  const body = lines.slice(1, -1);
  if (body.some((l) => !/^[A-Za-z0-9+/=]+$/.test(l))) return "a line between BEGIN and END is not base64";
  return decodeBase64(body.join("")) ?? "its body is not canonical base64";
}

/**
 * Parses the armored signature strictly (as PROTOCOL.sshsig defines it, nothing more) and verifies
 * it; accepts sha256 or sha512 as ssh-keygen does. The key inside the signature only selects a
 * trusted key: one that is not among `keys` fails, whatever the signature.
 */
export function sshVerify(armored: string, message: Buffer, namespace: string, keys: readonly TrustedKey[]): SshSignatureCheck {
  if (armored.length > MAX_ARMORED_LENGTH) return notSignature(`it is longer than ${MAX_ARMORED_LENGTH} characters`);
  const blob = dearmor(armored);
  if (typeof blob === "string") return notSignature(blob);
  let publicBlob: Buffer, ns: Buffer, reserved: Buffer, hash: string, signatureBlob: Buffer;
  try {
    const wire = new WireReader(blob);
    if (blob.length < MAGIC.length || !wire.raw(MAGIC.length).equals(MAGIC)) return notSignature("it does not start with SSHSIG");
    const version = wire.uint32();
    if (version !== VERSION) return notSignature(`it is of version ${version}, and hostproof reads version ${VERSION}`);
    publicBlob = wire.string();
    ns = wire.string();
    reserved = wire.string();
    hash = wire.text();
    signatureBlob = wire.string();
    if (!wire.done) return notSignature("bytes follow its last field");
  } catch (err) {
    if (err instanceof WireError) return notSignature("its fields run past its end");
    throw err;
  }
  const nsText = ns.toString("utf8");
  if (!ns.equals(Buffer.from(namespace, "utf8"))) return { ok: false, problem: `the signature was made for namespace ${shown(nsText)}, not ${shown(namespace)}` };
  if (!HASHES.has(hash)) return notSignature("its hash algorithm is neither sha256 nor sha512");

  const fingerprint = sshFingerprintOfBlob(publicBlob);
  let keyType: string;
  try {
    keyType = new WireReader(publicBlob).text();
  } catch {
    return notSignature("its public key is damaged");
  }
  if (keyType !== SSH_ED25519) {
    const kind = isSshCertificateType(keyType) ? "an OpenSSH certificate" : `${sshKeyKind(keyType) ?? "an unknown kind of"} key`;
    return { ok: false, problem: `signed with ${kind} (${fingerprint}), which is not among the keys given: hostproof trusts Ed25519 keys only` };
  }
  const pub = new WireReader(publicBlob);
  pub.text();
  const raw = safe(() => pub.string());
  if (raw === undefined || raw.length !== ED25519_PUBLIC_BYTES || !pub.done) return notSignature("its Ed25519 public key is damaged");
  // Ed25519's wire blob has one form, so one fingerprint: equal fingerprints are equal keys.
  const key = keys.find((k) => k.fingerprint === fingerprint);
  if (key === undefined) return { ok: false, problem: `signed by key ${fingerprint}, which is not among the keys given` };

  const sigWire = new WireReader(signatureBlob);
  const sigType = safe(() => sigWire.text());
  const sig = safe(() => sigWire.string());
  if (sigType !== SSH_ED25519 || sig === undefined || sig.length !== ED25519_SIGNATURE_BYTES || !sigWire.done) {
    return notSignature("its signature is not an Ed25519 signature");
  }
  let good: boolean;
  try {
    good = verify(null, signedData(ns, reserved, hash, message), key.publicKey, sig);
  } catch {
    good = false;
  }
  return good ? { ok: true, key } : { ok: false, problem: `the signature does not verify with key ${fingerprint} (${key.shownAs}): the file or its signature was changed` };
}

function safe<T>(read: () => T): T | undefined {
  try {
    return read();
  } catch {
    return undefined;
  }
}
