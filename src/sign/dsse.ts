/**
 * DSSE v1 envelopes (github.com/secure-systems-lab/dsse: protocol.md, envelope.md), the wrapper
 * of in-toto attestations: the signature covers the pre-authentication encoding of the payload
 * type and the payload, so neither can be swapped under it.
 *
 * An envelope to verify is hostile input: its shape is checked field by field, its base64 must be
 * canonical, and its sizes and number of signatures are bounded before anything is decoded.
 * Fields DSSE does not define are ignored, as envelope.md says consumers must; nothing hostproof
 * reads comes from them.
 */
import { sign, verify } from "node:crypto";
import { decodeBase64EitherAlphabet } from "./base64";
import type { SigningKey, TrustedKey } from "./keys";

export interface DsseEnvelope {
  payloadType: string;
  /** base64 */
  payload: string;
  signatures: { keyid: string; /** base64 */ sig: string }[];
}

/** Far above an attestation's statement (a few KB to a few hundred KB for a large estate). */
export const MAX_PAYLOAD_BYTES = 32 * 1024 * 1024;
/** DSSE allows several signatures (one per signer); more than this is no envelope hostproof made or needs. */
export const MAX_SIGNATURES = 16;
const MAX_PAYLOAD_TYPE_LENGTH = 256;
const MAX_KEYID_LENGTH = 256;
/** Base64 of the largest signature of any algorithm in use (RSA 16384 is 2 KB). */
const MAX_SIG_LENGTH = 4096;

const LONE_SURROGATE = /\p{Surrogate}/u;

/**
 * DSSE v1 pre-authentication encoding: "DSSEv1" SP LEN(type) SP type SP LEN(body) SP body,
 * LEN the ASCII decimal byte count, type as UTF-8.
 */
export function pae(payloadType: string, payload: Buffer): Buffer {
  // A lone surrogate has no UTF-8 form: Buffer.from would write U+FFFD, and sign a type other than the one named.
  if (LONE_SURROGATE.test(payloadType)) throw new Error("the payload type is not well-formed Unicode");
  const type = Buffer.from(payloadType, "utf8");
  return Buffer.concat([Buffer.from(`DSSEv1 ${type.length} `, "latin1"), type, Buffer.from(` ${payload.length} `, "latin1"), payload]);
}

export function signEnvelope(payloadType: string, payload: Buffer, key: SigningKey): DsseEnvelope {
  const sig = sign(null, pae(payloadType, payload), key.privateKey);
  return { payloadType, payload: payload.toString("base64"), signatures: [{ keyid: key.keyid, sig: sig.toString("base64") }] };
}

export type EnvelopeCheck =
  | {
      ok: true;
      key: TrustedKey;
      payload: Buffer;
      payloadType: string;
      /** Why each of its other signatures, if any, verifies with none of the keys (DSSE accepts the envelope all the same). */
      unverified: string[];
      /** The envelope as signEnvelope writes it (standard base64, its three fields in order, nothing else): one line of an attestation. */
      written: string;
    }
  | { ok: false; problem: string };

function shapeProblem(what: string): EnvelopeCheck {
  return { ok: false, problem: `not a DSSE envelope: ${what}` };
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** A keyid from the envelope, safe to show: quoted, and cut short when long. */
function shownKeyid(keyid: string): string {
  return JSON.stringify(keyid.length > 72 ? `${keyid.slice(0, 72)}…` : keyid);
}

function shownKey(key: TrustedKey): string {
  return `${key.keyid} (${key.shownAs})`;
}

/**
 * Accepts when any signature verifies with a trusted key (DSSE's rule), and says which key. A
 * signature's keyid, unauthenticated, only narrows the keys tried, as protocol.md allows: one
 * that names a key is tried with that key alone, so a keyid that lies fails even when the
 * signature is good for another trusted key. One with no keyid (DSSE's keyid is optional) is
 * tried with every key. The caller still checks that payloadType is the one it expects.
 */
export function verifyEnvelope(envelope: unknown, keys: readonly TrustedKey[]): EnvelopeCheck {
  if (!isRecord(envelope)) return shapeProblem("it is not a JSON object");
  const { payloadType, payload, signatures } = envelope;
  if (typeof payloadType !== "string") return shapeProblem("payloadType is not a string");
  if (payloadType.length > MAX_PAYLOAD_TYPE_LENGTH) return shapeProblem(`payloadType is longer than ${MAX_PAYLOAD_TYPE_LENGTH} characters`);
  if (LONE_SURROGATE.test(payloadType)) return shapeProblem("payloadType is not well-formed Unicode");
  if (typeof payload !== "string") return shapeProblem("payload is not a string");
  if (payload.length > Math.ceil(MAX_PAYLOAD_BYTES / 3) * 4) return shapeProblem(`payload is larger than ${MAX_PAYLOAD_BYTES / (1024 * 1024)} MiB`);
  const body = decodeBase64EitherAlphabet(payload);
  if (body === undefined) return shapeProblem("payload is not canonical base64");
  if (!Array.isArray(signatures)) return shapeProblem("signatures is not a list");
  if (signatures.length === 0) return { ok: false, problem: "no signatures" };
  if (signatures.length > MAX_SIGNATURES) return shapeProblem(`it has ${signatures.length} signatures, more than the ${MAX_SIGNATURES} hostproof reads`);
  const decoded: { keyid: string; sig: Buffer }[] = [];
  for (const [i, entry] of signatures.entries()) {
    if (!isRecord(entry)) return shapeProblem(`signatures[${i}] is not a JSON object`);
    const { keyid = "", sig } = entry;
    if (typeof keyid !== "string") return shapeProblem(`signatures[${i}].keyid is not a string`);
    if (keyid.length > MAX_KEYID_LENGTH) return shapeProblem(`signatures[${i}].keyid is longer than ${MAX_KEYID_LENGTH} characters`);
    if (typeof sig !== "string") return shapeProblem(`signatures[${i}].sig is not a string`);
    if (sig.length > MAX_SIG_LENGTH) return shapeProblem(`signatures[${i}].sig is longer than ${MAX_SIG_LENGTH} characters`);
    const bytes = decodeBase64EitherAlphabet(sig);
    if (bytes === undefined || bytes.length === 0) return shapeProblem(`signatures[${i}].sig is not canonical base64`);
    decoded.push({ keyid, sig: bytes });
  }

  const message = pae(payloadType, body);
  const verifies = (key: TrustedKey, sig: Buffer): boolean => {
    try {
      return verify(null, message, key.publicKey, sig);
    } catch {
      return false;
    }
  };
  const problems: string[] = [];
  let verified: TrustedKey | undefined;
  for (const { keyid, sig } of decoded) {
    const candidates = keyid === "" ? keys : keys.filter((k) => k.keyid === keyid);
    const key = candidates.find((k) => verifies(k, sig));
    if (key !== undefined) {
      verified ??= key;
      continue;
    }
    if (keyid === "") {
      problems.push(`a signature that names no keyid verifies with none of the ${keys.length} keys given`);
    } else if (candidates.length === 0) {
      problems.push(`signed by keyid ${shownKeyid(keyid)}, which is not among the keys given`);
    } else {
      const signer = keys.find((k) => k.keyid !== keyid && verifies(k, sig));
      problems.push(
        signer !== undefined
          ? `the signature names keyid ${shownKeyid(keyid)} but was made by key ${shownKey(signer)}: its keyid was changed`
          : `the signature does not verify with key ${shownKey(candidates[0]!)}: the attestation or its signature was changed`,
      );
    }
  }
  if (verified !== undefined) {
    const written = JSON.stringify({ payloadType, payload: body.toString("base64"), signatures: decoded.map(({ keyid, sig }) => ({ keyid, sig: sig.toString("base64") })) });
    return { ok: true, key: verified, payload: body, payloadType, unverified: problems, written };
  }
  return { ok: false, problem: problems.length === 1 ? problems[0]! : problems.map((p, i) => `signatures[${i}]: ${p}`).join("; ") };
}
