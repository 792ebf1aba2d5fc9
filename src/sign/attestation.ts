/**
 * A report's signature, written and checked. The attestation (attestation.intoto.jsonl, one DSSE
 * envelope per line, as in-toto's bundle format has it) signs the statement whose subjects are the
 * manifest and summary.json; the manifest pins every other file. With an OpenSSH key the manifest
 * is also signed the way `ssh-keygen -Y sign -n hostproof` signs it, so that an auditor with
 * nothing but OpenSSH can check it, and that signature is a third subject. Both are written after
 * the manifest, so neither is in it: they are the two files verify expects beside the manifest.
 */
import { isUtf8 } from "node:buffer";
import { existsSync, lstatSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import Ajv from "ajv";
import { InputError } from "../errors";
import { ATTESTATION_FILE, MANIFEST_PATH, sha256Hex, SSH_SIGNATURE_FILE, type VerifyOutcome } from "../evidence/manifest";
import { scanJson } from "../input/json-scan";
import { readRegularFile } from "../input/regular-file";
import { SCHEMAS_DIR } from "../package-root";
import { SUMMARY_FILE } from "../report/formats/summary";
import { signEnvelope, verifyEnvelope } from "./dsse";
import type { SigningKey, TrustedKey } from "./keys";
import { sshSign, sshVerify } from "./ssh-signature";
import { INTOTO_PAYLOAD_TYPE, type Statement } from "./statement";

export { ATTESTATION_FILE, SSH_SIGNATURE_FILE };
/** The SSH signature namespace: a signature made for hostproof is not one for git or for e-mail. */
export const SIGN_NAMESPACE = "hostproof";

const MAX_ENVELOPES = 16;

export interface Signed {
  keyid: string;
  files: string[];
}

/**
 * Writes the attestation (and, with an OpenSSH key, the manifest's SSH signature) into the report
 * folder, which is still the staging folder: nothing is in place before both are written.
 */
export function writeSignature(dir: string, key: SigningKey, statement: Statement): Signed {
  const files = [ATTESTATION_FILE];
  let signs = statement;
  if (key.sshPublicBlob !== undefined) {
    // The manifest was just written by this run into its own staging folder: read back whole, as ssh-keygen reads its stdin.
    const sig = sshSign(readFileSync(join(dir, MANIFEST_PATH)), key, SIGN_NAMESPACE);
    writeFileSync(join(dir, SSH_SIGNATURE_FILE), sig);
    files.push(SSH_SIGNATURE_FILE);
    // Named in the statement, so that the SSH signature is part of what the attestation signs.
    signs = { ...statement, subject: [...statement.subject, { name: SSH_SIGNATURE_FILE, digest: { sha256: sha256Hex(sig) } }] };
  }
  const envelope = signEnvelope(INTOTO_PAYLOAD_TYPE, Buffer.from(JSON.stringify(signs)), key);
  writeFileSync(join(dir, ATTESTATION_FILE), `${JSON.stringify(envelope)}\n`);
  return { keyid: key.keyid, files };
}

/** What a report's signature files say, checked against keys or not. */
export type SignatureState =
  | { state: "unsigned" }
  /** Signed, not checked (no key given): by which keys, as the envelopes claim. */
  | { state: "unchecked"; keyids: string[]; ssh: boolean }
  | { state: "verified"; key: TrustedKey; ssh: "verified" | "absent"; statement: Statement }
  | { state: "bad"; problems: string[] };

let validateStatement: ((v: unknown) => boolean) & { errors?: { instancePath: string; message?: string }[] | null } | undefined;

function statementProblems(value: unknown): string[] {
  if (validateStatement === undefined) {
    const ajv = new Ajv({ allErrors: true, strict: false });
    validateStatement = ajv.compile(JSON.parse(readFileSync(join(SCHEMAS_DIR, "attestation.schema.json"), "utf8")) as object);
  }
  if (validateStatement(value)) return [];
  return (validateStatement.errors ?? []).slice(0, 3).map((e) => `${e.instancePath || "(top)"} ${e.message ?? "is invalid"}`);
}

/** A signature file that is there as a regular file; a link, folder or device in its place is itself a problem. */
function present(reportDir: string, rel: string): boolean | "not a file" {
  const full = join(reportDir, rel);
  let st;
  try {
    st = lstatSync(full);
  } catch {
    return existsSync(full) ? "not a file" : false;
  }
  return st.isFile() ? true : "not a file";
}

function readEnvelopes(reportDir: string, shown: string): { envelopes: unknown[]; lines: string[]; endsWithNewline: boolean; problems: string[] } {
  // An attestation of a few controls is a few kilobytes, 10,000 controls' ids under 1 MiB: the "signature" limit is 16 MiB.
  const raw = readRegularFile(join(reportDir, ATTESTATION_FILE), `${shown}/${ATTESTATION_FILE}`, "signature");
  const lines = raw.toString("utf8").split("\n");
  if (lines.at(-1) === "") lines.pop();
  const envelopes: unknown[] = [];
  const problems: string[] = [];
  if (lines.length === 0) problems.push(`${ATTESTATION_FILE} is empty`);
  if (lines.length > MAX_ENVELOPES) problems.push(`${ATTESTATION_FILE} holds ${lines.length} lines; hostproof writes one envelope`);
  lines.slice(0, MAX_ENVELOPES).forEach((line, i) => {
    try {
      envelopes.push(JSON.parse(line));
    } catch {
      problems.push(`${ATTESTATION_FILE} line ${i + 1} is not JSON`);
    }
  });
  return { envelopes, lines, endsWithNewline: raw.at(-1) === 0x0a, problems };
}

/**
 * The report's signature state. With keys: the attestation must be one envelope, written as
 * hostproof writes it, each of its signatures verifying with one of them; its payload must be a
 * hostproof statement (JSON that reads one way) whose subjects are the manifest verify read and the
 * summary.json the manifest lists (and verify found intact); an SSH signature, where there is one,
 * must verify with the same keys. Without keys, only what the envelopes claim is read, and said to
 * be unchecked.
 */
export function checkSignature(reportDir: string, shown: string, outcome: Pick<VerifyOutcome, "manifestSha256" | "manifest" | "manifestBytes">, keys: readonly TrustedKey[] | undefined): SignatureState {
  const attestation = present(reportDir, ATTESTATION_FILE);
  const sshFile = present(reportDir, SSH_SIGNATURE_FILE);
  if (attestation === false) return sshFile === false ? { state: "unsigned" } : { state: "bad", problems: [`${SSH_SIGNATURE_FILE} is there but ${ATTESTATION_FILE} is not: the attestation was removed`] };
  if (attestation === "not a file") return { state: "bad", problems: [`${ATTESTATION_FILE} is not a regular file`] };
  if (sshFile === "not a file") return { state: "bad", problems: [`${SSH_SIGNATURE_FILE} is not a regular file`] };
  let read;
  try {
    read = readEnvelopes(reportDir, shown);
  } catch (err) {
    if (err instanceof InputError) return { state: "bad", problems: err.problems.map((p) => p.problem) };
    throw err;
  }
  if (read.problems.length > 0) return { state: "bad", problems: read.problems };
  if (keys === undefined) {
    const keyids = read.envelopes.flatMap((e) => claimedKeyids(e));
    return { state: "unchecked", keyids: [...new Set(keyids)], ssh: sshFile === true };
  }
  // The attestation is the one file nothing else pins: with keys, every byte of it must be vouched
  // for by one of them. So it must be the one envelope hostproof writes, written as hostproof writes
  // it, with no signature the keys do not verify: a second envelope, a field DSSE does not define, a
  // key given twice or a signature nobody can check would be read by other tools, unsigned.
  if (read.envelopes.length !== 1) return { state: "bad", problems: [`${ATTESTATION_FILE} holds ${read.envelopes.length} envelopes; hostproof writes one, and another would be read by other tools though no key given vouches for it`] };
  const envelope = read.envelopes[0];
  const checked = verifyEnvelope(envelope, keys);
  if (!checked.ok) return { state: "bad", problems: [checked.problem] };
  if (checked.unverified.length > 0) return { state: "bad", problems: checked.unverified.map((p) => `the envelope holds a signature that none of the keys given verifies (${p}); hostproof signs with one key`) };
  if (read.lines[0] !== checked.written || !read.endsWithNewline) {
    return { state: "bad", problems: [`${ATTESTATION_FILE} is not written as hostproof writes it (one line of JSON, the envelope's three fields in order and nothing else, standard base64, a line feed at its end): its signature is good, but the rest of the file is not the signer's`] };
  }
  if (checked.payloadType !== INTOTO_PAYLOAD_TYPE) return { state: "bad", problems: [`its payload type is ${JSON.stringify(checked.payloadType)}, not ${INTOTO_PAYLOAD_TYPE}`] };
  const statement = parseStatement(checked.payload);
  if (typeof statement === "string") return { state: "bad", problems: [statement] };
  // Read once: the bytes the statement's digest is compared with are the bytes verified.
  let sshSignature: Buffer | undefined;
  if (sshFile === true) {
    try {
      sshSignature = readRegularFile(join(reportDir, SSH_SIGNATURE_FILE), `${shown}/${SSH_SIGNATURE_FILE}`, "signature");
    } catch (err) {
      if (err instanceof InputError) return { state: "bad", problems: err.problems.map((p) => `${SSH_SIGNATURE_FILE}: ${p.problem}`) };
      throw err;
    }
  }
  const mismatch = subjectMismatch(statement, outcome, sshSignature);
  if (mismatch.length > 0) return { state: "bad", problems: mismatch };
  let ssh: "verified" | "absent" = "absent";
  if (sshSignature !== undefined) {
    const sshChecked = sshVerify(sshSignature.toString("utf8"), outcome.manifestBytes, SIGN_NAMESPACE, keys);
    if (!sshChecked.ok) return { state: "bad", problems: [`${SSH_SIGNATURE_FILE}: ${sshChecked.problem}`] };
    ssh = "verified";
  }
  return { state: "verified", key: checked.key, ssh, statement };
}

function claimedKeyids(envelope: unknown): string[] {
  const sigs = (envelope as { signatures?: unknown } | null)?.signatures;
  if (!Array.isArray(sigs)) return [];
  return sigs.map((s) => (s as { keyid?: unknown } | null)?.keyid).filter((k): k is string => typeof k === "string" && /^[0-9a-f]{64}$/.test(k));
}

/** A statement is small and shallow; deeper nesting is no hostproof statement. */
const MAX_STATEMENT_DEPTH = 16;

function parseStatement(payload: Buffer): Statement | string {
  if (!isUtf8(payload)) return "its payload is not UTF-8 text";
  const text = payload.toString("utf8");
  // JSON.parse keeps the last of two equal keys, other verifiers may keep the first: a statement
  // that reads two ways is refused, whoever signed it.
  const scanned = scanJson(text, MAX_STATEMENT_DEPTH);
  if (scanned !== undefined) return `its payload is not JSON that reads one way only: ${scanned.problem}`;
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return "its payload is not JSON";
  }
  const problems = statementProblems(value);
  return problems.length === 0 ? (value as Statement) : `its payload is not a hostproof attestation: ${problems.join("; ")}`;
}

/**
 * The statement must name exactly the manifest verify read, the summary.json it lists and, when the
 * report has one, the manifest's SSH signature: that file is written before the statement, so that
 * removing it or putting one there afterwards changes what was signed.
 */
function subjectMismatch(statement: Statement, outcome: Pick<VerifyOutcome, "manifestSha256" | "manifest">, sshSignature: Buffer | undefined): string[] {
  const problems: string[] = [];
  const want: [string, string | undefined][] = [
    [MANIFEST_PATH, outcome.manifestSha256],
    [SUMMARY_FILE, outcome.manifest.files.find((f) => f.path === SUMMARY_FILE)?.sha256],
  ];
  const namesSsh = statement.subject.some((s) => s.name === SSH_SIGNATURE_FILE);
  if (sshSignature !== undefined) {
    if (namesSsh) want.push([SSH_SIGNATURE_FILE, sha256Hex(sshSignature)]);
    else problems.push(`the report holds ${SSH_SIGNATURE_FILE}, but the attestation does not sign it: it was put there after the report was signed`);
  } else if (namesSsh) problems.push(`the attestation signs ${SSH_SIGNATURE_FILE}, but the report has none: it was removed`);
  for (const [name, sha256] of want) {
    const subject = statement.subject.filter((s) => s.name === name);
    if (subject.length !== 1) problems.push(`the attestation's subjects name ${name} ${subject.length} times, not once`);
    else if (sha256 === undefined) problems.push(`the manifest does not list ${name}, which the attestation signs`);
    else if (subject[0]!.digest.sha256 !== sha256) problems.push(`the attestation signs ${name} with SHA-256 ${subject[0]!.digest.sha256}, but the report's is ${sha256}: the file was changed after it was signed`);
  }
  const signs = want.length + (namesSsh && sshSignature === undefined ? 1 : 0);
  if (statement.subject.length !== signs) problems.push(`the attestation has ${statement.subject.length} subjects; hostproof signs ${signs} here`);
  return problems;
}

/** One line for the terminal on what was checked. */
export function describeSignature(s: SignatureState): string {
  switch (s.state) {
    case "unsigned":
      return "not signed";
    case "unchecked":
      return `signed (attestation${s.ssh ? " and SSH signature" : ""}) by keyid ${s.keyids.join(", ") || "(none named)"}; the signature was NOT checked: give --key or --allowed-signers to check it`;
    case "verified":
      return `signature verified: signed by ${s.key.principals !== undefined ? `${s.key.principals.join(", ")} (` : ""}keyid ${s.key.keyid}, ${s.key.fingerprint}${s.key.principals !== undefined ? ")" : ""}, given in ${s.key.shownAs}; attestation over the manifest and summary.json${s.ssh === "verified" ? ", and the manifest's SSH signature" : ""}`;
    case "bad":
      return `signature NOT valid: ${s.problems.join("; ")}`;
  }
}
