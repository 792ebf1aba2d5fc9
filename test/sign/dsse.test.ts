/**
 * DSSE envelopes (issue 19): what signEnvelope writes verifies with an implementation that is not
 * hostproof's (the pre-authentication encoding written here from the DSSE spec, with node:crypto
 * alone), matches the spec's example and the DSSE test vectors, and verifyEnvelope refuses every
 * kind of tampering and malformed envelope.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { createPrivateKey, createPublicKey, verify } from "node:crypto";
import { pae, signEnvelope, verifyEnvelope, type DsseEnvelope } from "../../src/sign/dsse";
import { keyidOf, type SigningKey, type TrustedKey } from "../../src/sign/keys";

/**
 * DSSE v1 (protocol.md): PAE(type, body) = "DSSEv1" + SP + LEN(type) + SP + type + SP + LEN(body)
 * + SP + body, LEN(s) the ASCII decimal length of s in bytes, type encoded as UTF-8. Written from
 * the spec, not from src/sign/dsse.ts.
 */
function specPae(payloadType: string, body: Buffer): Buffer {
  const type = new TextEncoder().encode(payloadType);
  const ascii = (s: string): Uint8Array => new TextEncoder().encode(s);
  return Buffer.concat([ascii("DSSEv1"), ascii(" "), ascii(String(type.byteLength)), ascii(" "), type, ascii(" "), ascii(String(body.byteLength)), ascii(" "), body]);
}

/** An Ed25519 key from a 32-byte seed (RFC 8032's test keys, as the DSSE vectors use them). */
function keyFromSeed(seedHex: string, publicHex: string): SigningKey {
  const privateKey = createPrivateKey({ key: { kty: "OKP", crv: "Ed25519", d: Buffer.from(seedHex, "hex").toString("base64url"), x: Buffer.from(publicHex, "hex").toString("base64url") }, format: "jwk" });
  const publicKey = createPublicKey(privateKey);
  assert.equal(publicKey.export({ format: "jwk" }).x, Buffer.from(publicHex, "hex").toString("base64url"));
  return { privateKey, publicKey, keyid: keyidOf(publicKey), source: "test" };
}

const A = keyFromSeed("9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60", "d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a");
const B = keyFromSeed("4ccd089b28ff96da9db6c346ec114e0f5b8a319f35aba624da8cf6ed4fb8a6fb", "3d4017c3e843895a92b70aa74d1b7ebc9c982ccf2ec4968cc0cd55f12af4660c");

function trusted(key: SigningKey, shownAs: string): TrustedKey {
  return { publicKey: key.publicKey, keyid: key.keyid, fingerprint: "SHA256:test", shownAs };
}
const TA = trusted(A, "a.pub:1");
const TB = trusted(B, "b.pub:1");

const IN_TOTO = "application/vnd.in-toto+json";
const STATEMENT = Buffer.from('{"_type":"https://in-toto.io/Statement/v1"}');

test("the spec's example PAE: DSSEv1 29 http://example.com/HelloWorld 11 hello world", () => {
  const expected = Buffer.from("DSSEv1 29 http://example.com/HelloWorld 11 hello world");
  assert.deepEqual(specPae("http://example.com/HelloWorld", Buffer.from("hello world")), expected);
  assert.deepEqual(pae("http://example.com/HelloWorld", Buffer.from("hello world")), expected);
  // Lengths are bytes, not characters; an empty body ends with its space.
  assert.deepEqual(pae("é", Buffer.from([0xff])), Buffer.concat([Buffer.from("DSSEv1 2 é 1 ", "utf8"), Buffer.from([0xff])]));
  assert.deepEqual(pae(IN_TOTO, Buffer.alloc(0)), Buffer.from(`DSSEv1 28 ${IN_TOTO} 0 `));
});

test("signEnvelope's envelope verifies with the PAE written from the spec and node:crypto alone", () => {
  const payload = Buffer.from(JSON.stringify({ _type: "https://in-toto.io/Statement/v1", subject: [{ name: "evidence/manifest.json", digest: { sha256: "0".repeat(64) } }], note: "ünïcödé" }));
  const envelope = signEnvelope(IN_TOTO, payload, A);
  assert.deepEqual(Object.keys(envelope), ["payloadType", "payload", "signatures"]);
  assert.equal(envelope.payloadType, IN_TOTO);
  assert.deepEqual(Buffer.from(envelope.payload, "base64"), payload);
  assert.equal(envelope.signatures.length, 1);
  assert.equal(envelope.signatures[0]!.keyid, A.keyid);
  const sig = Buffer.from(envelope.signatures[0]!.sig, "base64");
  assert.equal(sig.length, 64);
  assert.ok(verify(null, specPae(IN_TOTO, payload), A.publicKey, sig), "the signature is over DSSE's PAE");
  assert.ok(!verify(null, payload, A.publicKey, sig), "and not over the bare payload");
  // What the envelope says survives a JSON round trip (it is written as one line of JSON).
  const check = verifyEnvelope(JSON.parse(JSON.stringify(envelope)), [TB, TA]);
  assert.ok(check.ok, JSON.stringify(check));
  assert.equal(check.key, TA);
  assert.deepEqual(check.payload, payload);
  assert.equal(check.payloadType, IN_TOTO);
});

test("the DSSE test vectors (secure-systems-lab/dsse testvectors, RFC 8032 keys): same signatures, same verdicts", () => {
  const statement = STATEMENT.toString("base64");
  // single-signature: Ed25519 is deterministic, so signEnvelope must give the very signature.
  const vector = "2WAfaHm5jluo0w+0rk8uVkluELJYWjSmU9x7EUzx+AyteDGJ4/nqyJXfmAUVFIAoQafWm7AxBZNw5M9ixNHiCA==";
  assert.equal(signEnvelope(IN_TOTO, STATEMENT, A).signatures[0]!.sig, vector);
  assert.ok(verifyEnvelope({ payload: statement, payloadType: IN_TOTO, signatures: [{ sig: vector }] }, [TA]).ok);
  // url-safe-base64: verifiers MUST accept either alphabet.
  const urlSafe = { payload: "-_-_Pj8=", payloadType: IN_TOTO, signatures: [{ sig: "P-_KHICeR7tI6S_YyejJTRtrXhcQyQ2LYPaL8h90KjC9qN8HU_svOQ6TuDOT1HIrsGW886DbWNWcCmX5twLrAw==", keyid: "" }] };
  assert.ok(verifyEnvelope(urlSafe, [TA]).ok);
  assert.ok(verifyEnvelope({ ...urlSafe, payload: "-_-_Pj8" }, [TA]).ok, "unpadded URL-safe base64");
  // non-ascii-payload-type: LEN(type) counts UTF-8 bytes.
  const nonAscii = { payload: statement, payloadType: "application/vnd.exämple+json", signatures: [{ sig: "xmSk/ug66ysT7ayhkCIjhAq42zgZXSsEWuzUaNL7w2eGAdF/NU6/fRXPtmfN+5DNSAs5/i2lUnHjbbjPsu0tAw==" }] };
  assert.ok(verifyEnvelope(nonAscii, [TA]).ok);
  // empty-payload.
  assert.ok(verifyEnvelope({ payload: "", payloadType: IN_TOTO, signatures: [{ sig: "gSggCAaTLTYyRH6FIDBem6meyIynsYy8RTHVzwx9tnTb7Bg/1jMWnuVgI/gffqmbsC2VX5/jHfkkDqsj7CDbDg==" }] }, [TA]).ok);
  // payload-type-swapped: the signature covers the in-toto type, the envelope claims another.
  const swapped = verifyEnvelope({ payload: statement, payloadType: "application/vnd.example.other+json", signatures: [{ sig: vector }] }, [TA]);
  assert.deepEqual(swapped, { ok: false, problem: "a signature that names no keyid verifies with none of the 1 keys given" });
  // threshold-two-distinct-keys: each of two signatures is good for its key.
  const second = "c1+67/aT0yqEpwx8PsVY3MLHsj9D0CZ014/Fv/QlG59P+9CobUZ7xECJ/V3USG0Ob9CiE5LjReEZUzNF2l7eBw==";
  assert.equal(signEnvelope(IN_TOTO, STATEMENT, B).signatures[0]!.sig, second);
  const both = { payload: statement, payloadType: IN_TOTO, signatures: [{ sig: vector }, { sig: second }] };
  const byB = verifyEnvelope(both, [TB]);
  assert.ok(byB.ok && byB.key === TB, "any one good signature by a trusted key is enough, and names its key");
});

test("a changed payload, payload type or signature, or another key, fails and says which", () => {
  const envelope = signEnvelope(IN_TOTO, STATEMENT, A);
  const withSig = (sig: string, keyid = A.keyid): DsseEnvelope => ({ ...envelope, signatures: [{ keyid, sig }] });
  const flip = (base64: string, at: number): string => {
    const bytes = Buffer.from(base64, "base64");
    bytes[at]! ^= 0x01;
    return bytes.toString("base64");
  };
  const notVerified = `the signature does not verify with key ${A.keyid} (a.pub:1): the attestation or its signature was changed`;
  assert.deepEqual(verifyEnvelope({ ...envelope, payload: flip(envelope.payload, 5) }, [TA]), { ok: false, problem: notVerified });
  assert.deepEqual(verifyEnvelope({ ...envelope, payloadType: "application/vnd.in-toto+jsom" }, [TA]), { ok: false, problem: notVerified });
  assert.deepEqual(verifyEnvelope(withSig(flip(envelope.signatures[0]!.sig, 0)), [TA]), { ok: false, problem: notVerified });
  assert.deepEqual(verifyEnvelope(withSig(flip(envelope.signatures[0]!.sig, 63)), [TA]), { ok: false, problem: notVerified });
  assert.deepEqual(verifyEnvelope(envelope, [TB]), { ok: false, problem: `signed by keyid "${A.keyid}", which is not among the keys given` });
  assert.deepEqual(verifyEnvelope(envelope, []), { ok: false, problem: `signed by keyid "${A.keyid}", which is not among the keys given` });
  // A signature cut short, or of another length, is simply no good signature.
  assert.equal(verifyEnvelope(withSig(Buffer.alloc(32).toString("base64")), [TA]).ok, false);
});

test("a keyid that lies fails, even when the signature is good for another trusted key", () => {
  const byA = signEnvelope(IN_TOTO, STATEMENT, A);
  const lying: DsseEnvelope = { ...byA, signatures: [{ keyid: B.keyid, sig: byA.signatures[0]!.sig }] };
  assert.deepEqual(verifyEnvelope(lying, [TA, TB]), {
    ok: false,
    problem: `the signature names keyid "${B.keyid}" but was made by key ${A.keyid} (a.pub:1): its keyid was changed`,
  });
  const unknown: DsseEnvelope = { ...byA, signatures: [{ keyid: "someone-else", sig: byA.signatures[0]!.sig }] };
  assert.deepEqual(verifyEnvelope(unknown, [TA]), { ok: false, problem: 'signed by keyid "someone-else", which is not among the keys given' });
  // Without a keyid (DSSE's keyid is optional) every trusted key is tried.
  const anonymous = verifyEnvelope({ ...byA, signatures: [{ sig: byA.signatures[0]!.sig }] }, [TB, TA]);
  assert.ok(anonymous.ok && anonymous.key === TA);
  // Several signatures: one good one by a trusted key is enough; all bad names each.
  const good = byA.signatures[0]!;
  const bad = { keyid: B.keyid, sig: good.sig };
  const mixed = verifyEnvelope({ ...byA, signatures: [bad, good] }, [TA, TB]);
  assert.ok(mixed.ok && mixed.key === TA);
  const allBad = verifyEnvelope({ ...byA, signatures: [bad, { keyid: "x", sig: good.sig }] }, [TA, TB]);
  assert.equal(allBad.ok, false);
  assert.match(!allBad.ok ? allBad.problem : "", /^signatures\[0\]: the signature names keyid .*; signatures\[1\]: signed by keyid "x", which is not among the keys given$/);
});

test("a malformed envelope is refused by shape before any signature is checked", () => {
  const good = signEnvelope(IN_TOTO, STATEMENT, A);
  const sig = good.signatures[0]!;
  const cases: [unknown, string][] = [
    [null, "not a DSSE envelope: it is not a JSON object"],
    [[good], "not a DSSE envelope: it is not a JSON object"],
    ["{}", "not a DSSE envelope: it is not a JSON object"],
    [{ ...good, payloadType: 1 }, "not a DSSE envelope: payloadType is not a string"],
    [{ payload: good.payload, signatures: good.signatures }, "not a DSSE envelope: payloadType is not a string"],
    [{ ...good, payloadType: "x".repeat(257) }, "not a DSSE envelope: payloadType is longer than 256 characters"],
    [{ ...good, payloadType: "a\ud800b" }, "not a DSSE envelope: payloadType is not well-formed Unicode"],
    [{ ...good, payload: ["a"] }, "not a DSSE envelope: payload is not a string"],
    [{ ...good, payload: `${good.payload} ` }, "not a DSSE envelope: payload is not canonical base64"],
    [{ ...good, payload: good.payload.replace(/=+$/, "").slice(0, -1) + "B" }, "not a DSSE envelope: payload is not canonical base64"],
    [{ ...good, payload: "ab+_" }, "not a DSSE envelope: payload is not canonical base64"],
    [{ ...good, payload: "aGVsbG8=\n" }, "not a DSSE envelope: payload is not canonical base64"],
    [{ ...good, payload: "A".repeat(48 * 1024 * 1024) }, "not a DSSE envelope: payload is larger than 32 MiB"],
    [{ ...good, signatures: sig }, "not a DSSE envelope: signatures is not a list"],
    [{ ...good, signatures: [] }, "no signatures"],
    [{ ...good, signatures: Array.from({ length: 17 }, () => sig) }, "not a DSSE envelope: it has 17 signatures, more than the 16 hostproof reads"],
    [{ ...good, signatures: [sig, "x"] }, "not a DSSE envelope: signatures[1] is not a JSON object"],
    [{ ...good, signatures: [{ keyid: 7, sig: sig.sig }] }, "not a DSSE envelope: signatures[0].keyid is not a string"],
    [{ ...good, signatures: [{ keyid: "k".repeat(257), sig: sig.sig }] }, "not a DSSE envelope: signatures[0].keyid is longer than 256 characters"],
    [{ ...good, signatures: [{ keyid: sig.keyid }] }, "not a DSSE envelope: signatures[0].sig is not a string"],
    [{ ...good, signatures: [{ keyid: sig.keyid, sig: "" }] }, "not a DSSE envelope: signatures[0].sig is not canonical base64"],
    [{ ...good, signatures: [{ keyid: sig.keyid, sig: `${sig.sig}==` }] }, "not a DSSE envelope: signatures[0].sig is not canonical base64"],
    [{ ...good, signatures: [{ keyid: sig.keyid, sig: "A".repeat(5000) }] }, "not a DSSE envelope: signatures[0].sig is longer than 4096 characters"],
  ];
  for (const [envelope, problem] of cases) assert.deepEqual(verifyEnvelope(envelope, [TA]), { ok: false, problem }, problem);
  // Fields DSSE does not define are ignored, as envelope.md says consumers must.
  assert.ok(verifyEnvelope({ ...good, extra: { anything: true }, signatures: [{ ...sig, note: 1 }] }, [TA]).ok);
  // A hostile keyid is quoted, and cut short, when shown.
  const shown = verifyEnvelope({ ...good, signatures: [{ keyid: "\u001b[31mred\n" + "k".repeat(200), sig: sig.sig }] }, [TA]);
  assert.equal(shown.ok, false);
  assert.ok(!shown.ok && !/[\u001b\n]/.test(shown.problem) && shown.problem.length < 200, !shown.ok ? shown.problem : "");
});

test("pae refuses a payload type that has no UTF-8 form rather than sign another one", () => {
  assert.throws(() => pae("a\udc00", Buffer.alloc(0)), /not well-formed Unicode/);
  assert.throws(() => signEnvelope("\ud800", STATEMENT, A), /not well-formed Unicode/);
});
