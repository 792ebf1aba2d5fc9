/**
 * The keys of signed reports: the one that signs (run/merge --sign-key, HOSTPROOF_SIGN_KEY_FILE,
 * HOSTPROOF_SIGN_KEY) and the ones a verifier trusts (--key, --allowed-signers).
 */
import type { KeyObject } from "node:crypto";
import { InputError } from "../errors";
import { envValue, SIGN_KEY, SIGN_KEY_FILE } from "../input/env-vars";
import { readRegularFile } from "../input/regular-file";
import { parseSigningKey, type KeyOrigin } from "./private-key";

export { keyidOf } from "./ed25519";
export { readTrustedKeys } from "./trusted-keys";
export { readAllowedSigners } from "./allowed-signers";

export interface SigningKey {
  privateKey: KeyObject;
  publicKey: KeyObject;
  /** hex SHA-256 of the public key's SPKI DER: `openssl pkey -pubin -in pub.pem -outform DER | sha256sum` reproduces it. */
  keyid: string;
  /** For an OpenSSH key: the public key's wire blob (string "ssh-ed25519", string key32), used by SSHSIG. */
  sshPublicBlob?: Buffer;
  /** Where it came from, as shown in messages: the file as the user named it, or "HOSTPROOF_SIGN_KEY". Never key material. */
  source: string;
}

export interface TrustedKey {
  publicKey: KeyObject;
  keyid: string;
  /** OpenSSH fingerprint "SHA256:<base64 no padding>" (what `ssh-keygen -lf` prints), for every key. */
  fingerprint: string;
  /** "file:line" where it was given. */
  shownAs: string;
  /** From an allowed_signers file: the principals (identities) the line names. */
  principals?: string[];
}

/** The signing key in `text` (a key file's bytes, or HOSTPROOF_SIGN_KEY's value); InputError naming `source` otherwise. */
export function signingKeyFromText(text: Buffer, source: string): SigningKey {
  return parseSigningKey(text, { source, file: source, inline: false });
}

/**
 * --sign-key <file> wins; else HOSTPROOF_SIGN_KEY_FILE; else HOSTPROOF_SIGN_KEY (the key itself,
 * for CI secrets); both variables set at once, with no --sign-key, is refused rather than one
 * silently preferred. Returns undefined when none is given. HOSTPROOF_SIGN_KEY is removed from
 * `env` as soon as it is read, whatever happens next, so that no child process (pwsh, Allure's
 * Java) inherits it.
 */
export function resolveSigningKey(flag: string | undefined, env: NodeJS.ProcessEnv): SigningKey | undefined {
  const inline = envValue(SIGN_KEY, env);
  delete env[SIGN_KEY.name];
  const file = envValue(SIGN_KEY_FILE, env);
  if (flag !== undefined) {
    if (flag === "") throw new InputError({ file: "command line", field: "--sign-key", problem: "the file name is empty", fix: "Name the private key file to sign with." });
    return fromFile(flag, { source: flag, file: flag, inline: false });
  }
  if (file !== undefined && inline !== undefined) {
    throw new InputError({
      file: "environment",
      field: `${SIGN_KEY_FILE.name} and ${SIGN_KEY.name}`,
      problem: "both are set, and each names a signing key",
      fix: `Set one: ${SIGN_KEY_FILE.name} to name a key file, or ${SIGN_KEY.name} to hold the key itself (or give --sign-key, which wins over both).`,
    });
  }
  if (file !== undefined) return fromFile(file, { source: file, file, field: SIGN_KEY_FILE.name, inline: false });
  if (inline !== undefined) {
    const bytes = Buffer.from(inline, "utf8");
    try {
      return parseSigningKey(bytes, { source: SIGN_KEY.name, file: "environment", field: SIGN_KEY.name, inline: true });
    } finally {
      bytes.fill(0);
    }
  }
  return undefined;
}

function fromFile(path: string, origin: KeyOrigin): SigningKey {
  let bytes: Buffer;
  try {
    bytes = readRegularFile(path, path, "key");
  } catch (err) {
    // The file as named, and the variable that named it when it was one.
    if (err instanceof InputError && origin.field !== undefined) throw new InputError(err.problems.map((p) => ({ ...p, field: origin.field })));
    throw err;
  }
  try {
    return parseSigningKey(bytes, origin);
  } finally {
    bytes.fill(0);
  }
}
