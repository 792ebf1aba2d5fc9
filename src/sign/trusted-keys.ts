/**
 * `verify --key <file>` / `merge --key <file>`: the public keys a verifier trusts. A file may hold
 * several, as SPKI PEM blocks (-----BEGIN PUBLIC KEY-----, what `openssl pkey -pubout` writes) or
 * OpenSSH lines (`ssh-ed25519 AAAA… comment`, a .pub file), with blank lines and # comments
 * between. Anything else is refused with its line; a private key most of all, since one handed to
 * verifiers is a key handed out.
 */
import { InputError, type InputProblem } from "../errors";
import { readRegularFile } from "../input/regular-file";
import { CERTIFICATE_PEM_LABELS, isSshKeyType, PUBLIC_PEM_LABELS } from "./key-names";
import type { TrustedKey } from "./keys";
import { looksLikePemBegin, readPemBlock, textLines } from "./pem";
import { GIVE_ED25519, publicKeysText, readSpki, readSshPublicKey, refusePrivateKey, trustedKey, type PublicKeyRead } from "./public-key";

export function readTrustedKeys(file: string): TrustedKey[] {
  const lines = textLines(publicKeysText(readRegularFile(file, file, "key"), file));
  refusePrivateKey(lines, file);
  const keys: TrustedKey[] = [];
  const problems: InputProblem[] = [];
  const add = (read: PublicKeyRead, line: number): void => {
    if (read.ok) keys.push(trustedKey(read.publicKey, `${file}:${line}`));
    else problems.push({ file, line, problem: read.problem, fix: read.fix });
  };
  for (let i = 0; i < lines.length; i++) {
    const { text, number } = lines[i]!;
    const trimmed = text.trim();
    if (trimmed === "" || trimmed.startsWith("#")) continue;
    if (looksLikePemBegin(trimmed)) {
      const block = readPemBlock(lines, i);
      if (block === undefined) {
        problems.push({ file, line: number, problem: "this PEM block has no matching -----END line (it was cut short, or its BEGIN line is malformed)", fix: "Copy the whole key, from its -----BEGIN line to its -----END line." });
        break;
      }
      i = block.last;
      const label = block.label;
      if (label === "PUBLIC KEY") add(block.der !== undefined && !block.headers ? readSpki(block.der) : { ok: false, problem: "this public key is damaged (its body is not base64)", fix: "Copy the public key again, whole." }, number);
      else if (Object.hasOwn(PUBLIC_PEM_LABELS, label)) add({ ok: false, problem: `this is ${PUBLIC_PEM_LABELS[label]} public key; hostproof signs with Ed25519 keys only, so this key can verify none of its reports`, fix: `${GIVE_ED25519}.` }, number);
      else if (CERTIFICATE_PEM_LABELS.has(label)) add({ ok: false, problem: "this is an X.509 certificate; hostproof trusts keys", fix: "Give the public key (`openssl x509 -in <file> -pubkey -noout` prints a certificate's)." }, number);
      else add({ ok: false, problem: "this PEM block is not a public key", fix: `${GIVE_ED25519} (-----BEGIN PUBLIC KEY-----).` }, number);
      continue;
    }
    if (trimmed.startsWith("---- BEGIN SSH2 PUBLIC KEY ----")) {
      problems.push({ file, line: number, problem: "this is an SSH2 (RFC 4716) public key, which hostproof does not read", fix: "Convert it to an OpenSSH line: `ssh-keygen -i -f <file>`." });
      break;
    }
    const words = trimmed.split(/[ \t]+/);
    if (isSshKeyType(words[0]!)) add(readSshPublicKey(words[0]!, words[1] ?? ""), number);
    else if (words.slice(1).some(isSshKeyType)) {
      problems.push({
        file,
        line: number,
        problem: "this line has text before its key type (principals or options, as an allowed_signers or authorized_keys line has)",
        fix: "Give --key lines as `ssh-ed25519 AAAA… comment`; give an allowed_signers file with --allowed-signers.",
      });
    } else problems.push({ file, line: number, problem: "this line is not a public key", fix: `${GIVE_ED25519}: PEM (-----BEGIN PUBLIC KEY-----) or an OpenSSH line (ssh-ed25519 AAAA… comment).` });
  }
  if (problems.length > 0) throw new InputError(problems);
  if (keys.length === 0) throw new InputError({ file, problem: "the file holds no public key", fix: `${GIVE_ED25519}: PEM (-----BEGIN PUBLIC KEY-----) or an OpenSSH line (ssh-ed25519 AAAA… comment).` });
  // One key given twice (a .pub line and its PEM) is one key.
  return keys.filter((k, i) => keys.findIndex((o) => o.keyid === k.keyid) === i);
}
