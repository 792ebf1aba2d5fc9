/**
 * The attestation is the one file of a signed report that nothing else pins: with keys, verify
 * must take it only as the signer wrote it. Real keys (openssl, ssh-keygen), real signatures and
 * a real report folder on disk; what a verifier would read from the manifest is given as verify
 * would have read it, since the manifest's own checks are not what is tested here.
 */
import { test, type TestContext } from "node:test";
import assert from "node:assert/strict";
import { createHash } from "node:crypto";
import { mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { ATTESTATION_FILE, checkSignature, describeSignature, SIGN_NAMESPACE, SSH_SIGNATURE_FILE, writeSignature, type SignatureState } from "../../src/sign/attestation";
import { sshSign } from "../../src/sign/ssh-signature";
import { signEnvelope } from "../../src/sign/dsse";
import { readTrustedKeys, signingKeyFromText, type SigningKey, type TrustedKey } from "../../src/sign/keys";
import { buildStatement, INTOTO_PAYLOAD_TYPE } from "../../src/sign/statement";
import type { Manifest } from "../../src/evidence/manifest";
import { haveTools, must, opensslKey, scratch, sshKey } from "./keytools";

const sha = (b: Buffer | string): string => createHash("sha256").update(b).digest("hex");

interface Signed {
  dir: string;
  key: SigningKey;
  other: SigningKey;
  trusted: TrustedKey[];
  outcome: { manifestSha256: string; manifest: Manifest; manifestBytes: Buffer };
  statement: ReturnType<typeof buildStatement>;
  line: string;
}

/** A report folder with a manifest and a summary.json, signed by a fresh key; `ssh` signs with an OpenSSH key. */
function signedReport(t: TestContext, ssh = false): Signed {
  const dir = scratch(t);
  const keyFile = ssh ? sshKey(dir, "signer") : opensslKey(dir, "signer.pem");
  const pub = join(dir, "signer.pub");
  if (ssh) writeFileSync(pub, readFileSync(`${keyFile}.pub`));
  else writeFileSync(pub, must("openssl", ["pkey", "-in", keyFile, "-pubout"]));
  const key = signingKeyFromText(readFileSync(keyFile), keyFile);
  const other = signingKeyFromText(readFileSync(opensslKey(dir, "other.pem")), "other.pem");
  const report = join(dir, "report");
  mkdirSync(join(report, "evidence"), { recursive: true });
  const summary = Buffer.from('{"verdict":"compliant"}\n');
  writeFileSync(join(report, "summary.json"), summary);
  const manifest = { schemaVersion: 1, tool: { name: "hostproof", version: "0" }, createdAt: "2026-01-01T00:00:00.000Z", algorithm: "sha256", covers: ["summary.json"], files: [{ path: "summary.json", sha256: sha(summary), bytes: summary.length }] } as Manifest;
  const manifestBytes = Buffer.from(`${JSON.stringify(manifest)}\n`);
  writeFileSync(join(report, "evidence", "manifest.json"), manifestBytes);
  const statement = buildStatement({ manifestSha256: sha(manifestBytes), summarySha256: sha(summary), verdict: "compliant", perControl: [], configuration: [], url: undefined });
  writeSignature(report, key, statement);
  return { dir: report, key, other, trusted: readTrustedKeys(pub), outcome: { manifestSha256: sha(manifestBytes), manifest, manifestBytes }, statement, line: readFileSync(join(report, ATTESTATION_FILE), "utf8").trimEnd() };
}

function checkWith(s: Signed, attestation: string): SignatureState {
  writeFileSync(join(s.dir, ATTESTATION_FILE), attestation);
  return checkSignature(s.dir, "report", s.outcome, s.trusted);
}

function assertBad(state: SignatureState, pattern: RegExp, what: string): void {
  assert.equal(state.state, "bad", `${what}: ${describeSignature(state)}`);
  assert.match(describeSignature(state), pattern, what);
}

test("with keys, the attestation is taken only byte for byte as the signer wrote it", (t) => {
  if (!haveTools(t)) return;
  const s = signedReport(t);
  assert.equal(checkWith(s, `${s.line}\n`).state, "verified", "the attestation as written");

  const genuine = JSON.parse(s.line) as { payloadType: string; payload: string; signatures: { keyid: string; sig: string }[] };
  // A statement another key signed, saying PASSED of something else: a tool that reads the first line reads it.
  const foreign = JSON.stringify(signEnvelope(INTOTO_PAYLOAD_TYPE, Buffer.from(JSON.stringify({ ...s.statement, predicate: { ...s.statement.predicate, result: "PASSED" } })), s.other));
  assertBad(checkWith(s, `${foreign}\n${s.line}\n`), /holds 2 envelopes; hostproof writes one/, "another key's envelope before the signer's");
  assertBad(checkWith(s, `${s.line}\n{"payloadType":"x"}\n`), /holds 2 envelopes/, "a line after the signer's");
  assertBad(checkWith(s, `${s.line}\n${s.line}\n`), /holds 2 envelopes/, "the signer's envelope twice");

  // Two "payload" keys: JSON.parse keeps the signed one (the last), a parser that keeps the first reads the other.
  const evilFirst = s.line.replace('{"payloadType"', `{"payload":${JSON.stringify(Buffer.from('{"forged":true}').toString("base64"))},"payloadType"`);
  assertBad(checkWith(s, `${evilFirst}\n`), /not written as hostproof writes it/, "a duplicate payload key");
  assertBad(checkWith(s, `${s.line.replace('{"payloadType"', '{"note":"approved by the CISO","payloadType"')}\n`), /not written as hostproof writes it/, "a field DSSE does not define");
  assertBad(checkWith(s, `${JSON.stringify(genuine, null, 1).replace(/\n/g, "")}\n`), /not written as hostproof writes it/, "spaces in the line");
  assertBad(checkWith(s, `${s.line}\r\n`), /not written as hostproof writes it/, "a CRLF line end");
  assertBad(checkWith(s, s.line), /not written as hostproof writes it/, "no line feed at the end");

  // A second signature that no key given verifies: by another key under its own keyid, or garbage under the signer's.
  const otherSig = JSON.parse(foreign) as typeof genuine;
  assertBad(checkWith(s, `${JSON.stringify({ ...genuine, signatures: [...genuine.signatures, otherSig.signatures[0]!] })}\n`), /a signature that none of the keys given verifies/, "a second signature by another key");
  assertBad(checkWith(s, `${JSON.stringify({ ...genuine, signatures: [{ keyid: genuine.signatures[0]!.keyid, sig: otherSig.signatures[0]!.sig }, ...genuine.signatures] })}\n`), /a signature that none of the keys given verifies/, "a bad signature under the signer's keyid");
});

test("a statement that reads two ways (a key twice) is refused even when the trusted key signed it", (t) => {
  if (!haveTools(t)) return;
  const s = signedReport(t);
  const good = JSON.stringify(s.statement.subject);
  const evil = JSON.stringify([{ name: "evidence/manifest.json", digest: { sha256: "0".repeat(64) } }, { name: "summary.json", digest: { sha256: "1".repeat(64) } }]);
  // The good subjects last: JSON.parse (and so a check that uses it) sees them; a parser keeping the first key sees the others.
  const payload = JSON.stringify(s.statement).replace(`"subject":${good}`, `"subject":${evil},"subject":${good}`);
  assert.notEqual(payload, JSON.stringify(s.statement));
  assertBad(checkWith(s, `${JSON.stringify(signEnvelope(INTOTO_PAYLOAD_TYPE, Buffer.from(payload), s.key))}\n`), /reads one way only.*subject/, "two subject keys");
});

test("the manifest's SSH signature is one of the statement's subjects: removing it, or adding one afterwards, is caught", (t) => {
  if (!haveTools(t)) return;
  const ssh = signedReport(t, true);
  const sig = readFileSync(join(ssh.dir, SSH_SIGNATURE_FILE));
  const subjects = (JSON.parse(Buffer.from((JSON.parse(ssh.line) as { payload: string }).payload, "base64").toString("utf8")) as { subject: { name: string; digest: { sha256: string } }[] }).subject;
  assert.deepEqual(subjects.at(-1), { name: SSH_SIGNATURE_FILE, digest: { sha256: sha(sig) } }, "an OpenSSH key's run names its SSH signature");
  const verified = checkWith(ssh, `${ssh.line}\n`);
  assert.equal(verified.state === "verified" && verified.ssh, "verified");
  rmSync(join(ssh.dir, SSH_SIGNATURE_FILE));
  assertBad(checkWith(ssh, `${ssh.line}\n`), /signs evidence\/manifest\.json\.sig, but the report has none/, "the SSH signature removed");

  // A PKCS#8 key writes no SSH signature; one made afterwards with the same key is not part of what it signed.
  const pem = signedReport(t);
  writeFileSync(join(pem.dir, SSH_SIGNATURE_FILE), sshSign(pem.outcome.manifestBytes, pem.key, SIGN_NAMESPACE));
  assertBad(checkWith(pem, `${pem.line}\n`), /holds evidence\/manifest\.json\.sig, but the attestation does not sign it/, "an SSH signature put there afterwards");
});
