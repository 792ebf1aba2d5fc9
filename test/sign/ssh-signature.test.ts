/**
 * SSH signatures (issue 19): what sshSign writes is what the real `ssh-keygen -Y sign` writes and
 * verifies with the real `ssh-keygen -Y verify`, exactly as docs/evidence.md tells an auditor to run it;
 * what ssh-keygen signs verifies with sshVerify; and both refuse a wrong namespace, a changed
 * message and another key.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { readAllowedSigners, readTrustedKeys, signingKeyFromText, type SigningKey } from "../../src/sign/keys";
import { sshSign, sshVerify } from "../../src/sign/ssh-signature";
import { haveTools, must, opensslKey, run, scratch, sshKey } from "./keytools";

interface Signer {
  dir: string;
  keyFile: string;
  key: SigningKey;
  allowedSigners: string;
}

function signer(dir: string, name: string, identity = "ci@example.com"): Signer {
  const keyFile = sshKey(dir, name);
  const allowedSigners = join(dir, `${name}.allowed_signers`);
  writeFileSync(allowedSigners, `${identity} ${readFileSync(`${keyFile}.pub`, "utf8")}`);
  return { dir, keyFile, key: signingKeyFromText(readFileSync(keyFile), keyFile), allowedSigners };
}

/** `ssh-keygen -Y verify -f allowed_signers -I <identity> -n <namespace> -s <file>.sig < <file>`, as docs/evidence.md gives it. */
function sshKeygenVerifies(allowedSigners: string, identity: string, namespace: string, sigFile: string, messageFile: string): { ok: boolean; output: string } {
  const res = run("sh", ["-c", 'ssh-keygen -Y verify -f "$1" -I "$2" -n "$3" -s "$4" < "$5"', "sh", allowedSigners, identity, namespace, sigFile, messageFile]);
  return { ok: res.status === 0, output: res.stdout.toString() + res.stderr };
}

test("sshSign writes byte for byte what ssh-keygen -Y sign writes, and ssh-keygen -Y verify accepts it", (t) => {
  if (!haveTools(t)) return;
  const dir = scratch(t);
  const s = signer(dir, "signer");
  const manifest = join(dir, "manifest.json");
  const message = Buffer.from(JSON.stringify({ files: { "summary.json": "0".repeat(64) } }, null, 2));
  writeFileSync(manifest, message);
  const ours = sshSign(message, s.key, "hostproof");
  // Ed25519 is deterministic: the same key, namespace and message give one signature.
  assert.equal(ours, must("ssh-keygen", ["-Y", "sign", "-n", "hostproof", "-f", s.keyFile], message).toString());
  assert.match(ours, /^-----BEGIN SSH SIGNATURE-----\n(?:[A-Za-z0-9+/=]{70}\n)+[A-Za-z0-9+/=]{1,70}\n-----END SSH SIGNATURE-----\n$/);
  writeFileSync(`${manifest}.sig`, ours);
  const real = sshKeygenVerifies(s.allowedSigners, "ci@example.com", "hostproof", `${manifest}.sig`, manifest);
  assert.ok(real.ok, real.output);
  assert.match(real.output, /Good "hostproof" signature for ci@example.com with ED25519 key SHA256:/);
});

test("a PKCS#8 key's SSH signature verifies with ssh-keygen too, given the key's OpenSSH line", (t) => {
  if (!haveTools(t)) return;
  const dir = scratch(t);
  const pem = opensslKey(dir, "signing.pem");
  const key = signingKeyFromText(readFileSync(pem), pem);
  assert.equal(key.sshPublicBlob, undefined);
  const [trusted] = readTrustedKeys((() => {
    const pub = join(dir, "signing.pub.pem");
    must("openssl", ["pkey", "-in", pem, "-pubout", "-out", pub]);
    return pub;
  })());
  const raw = Buffer.from(key.publicKey.export({ format: "jwk" }).x!, "base64url");
  const blob = Buffer.concat([Buffer.from([0, 0, 0, 11]), Buffer.from("ssh-ed25519"), Buffer.from([0, 0, 0, 32]), raw]);
  const allowed = join(dir, "allowed_signers");
  writeFileSync(allowed, `ci@example.com ssh-ed25519 ${blob.toString("base64")}\n`);
  const file = join(dir, "m");
  writeFileSync(file, "message\n");
  const sig = sshSign(Buffer.from("message\n"), key, "hostproof");
  writeFileSync(`${file}.sig`, sig);
  assert.ok(sshKeygenVerifies(allowed, "ci@example.com", "hostproof", `${file}.sig`, file).ok);
  assert.ok(sshVerify(sig, Buffer.from("message\n"), "hostproof", [trusted!]).ok);
});

test("what ssh-keygen -Y sign writes verifies with sshVerify, with sha512 and with sha256", (t) => {
  if (!haveTools(t)) return;
  const dir = scratch(t);
  const s = signer(dir, "signer");
  const keys = readTrustedKeys(`${s.keyFile}.pub`);
  const message = Buffer.from("the manifest\n");
  for (const hash of ["sha512", "sha256"]) {
    const sig = must("ssh-keygen", ["-Y", "sign", "-n", "hostproof", "-O", `hashalg=${hash}`, "-f", s.keyFile], message).toString();
    assert.match(Buffer.from(sig.split("\n").slice(1, -2).join(""), "base64").toString("latin1"), new RegExp(hash));
    const check = sshVerify(sig, message, "hostproof", keys);
    assert.ok(check.ok, JSON.stringify(check));
    assert.equal(check.key, keys[0]);
    // CRLF line ends (a signature carried through Windows) are the same signature.
    assert.ok(sshVerify(sig.replace(/\n/g, "\r\n"), message, "hostproof", keys).ok);
  }
  // Through allowed_signers too, as verify --allowed-signers reads it.
  const allowed = readAllowedSigners(s.allowedSigners, "hostproof", new Date());
  assert.ok(sshVerify(must("ssh-keygen", ["-Y", "sign", "-n", "hostproof", "-f", s.keyFile], message).toString(), message, "hostproof", allowed).ok);
});

test("a wrong namespace, a changed message and another key fail, in ssh-keygen and in sshVerify alike", (t) => {
  if (!haveTools(t)) return;
  const dir = scratch(t);
  const s = signer(dir, "signer");
  const other = signer(dir, "other");
  const file = join(dir, "manifest.json");
  const message = Buffer.from("manifest\n");
  writeFileSync(file, message);
  const changed = join(dir, "changed.json");
  writeFileSync(changed, "manifesT\n");
  const keys = readTrustedKeys(`${s.keyFile}.pub`);
  const otherKeys = readTrustedKeys(`${other.keyFile}.pub`);

  // Signed by hostproof (ours) and by ssh-keygen: both must fail the same way on each side.
  const sigs = {
    ours: sshSign(message, s.key, "hostproof"),
    real: must("ssh-keygen", ["-Y", "sign", "-n", "hostproof", "-f", s.keyFile], message).toString(),
    oursOtherNs: sshSign(message, s.key, "git"),
    realOtherNs: must("ssh-keygen", ["-Y", "sign", "-n", "git", "-f", s.keyFile], message).toString(),
  };
  for (const [name, sig] of Object.entries(sigs)) {
    const sigFile = join(dir, `${name}.sig`);
    writeFileSync(sigFile, sig);
    const rightNs = !name.endsWith("OtherNs");
    assert.equal(sshKeygenVerifies(s.allowedSigners, "ci@example.com", "hostproof", sigFile, file).ok, rightNs, `${name}: ssh-keygen, as signed`);
    assert.equal(sshVerify(sig, message, "hostproof", keys).ok, rightNs, `${name}: sshVerify, as signed`);
    assert.equal(sshKeygenVerifies(s.allowedSigners, "ci@example.com", "hostproof", sigFile, changed).ok, false, `${name}: ssh-keygen, message changed`);
    assert.equal(sshKeygenVerifies(other.allowedSigners, "ci@example.com", "hostproof", sigFile, file).ok, false, `${name}: ssh-keygen, another key`);
  }
  assert.deepEqual(sshVerify(sigs.ours, Buffer.from("manifesT\n"), "hostproof", keys), {
    ok: false,
    problem: `the signature does not verify with key ${keys[0]!.fingerprint} (${s.keyFile}.pub:1): the file or its signature was changed`,
  });
  assert.deepEqual(sshVerify(sigs.real, message, "hostproof", otherKeys), { ok: false, problem: `signed by key ${keys[0]!.fingerprint}, which is not among the keys given` });
  assert.deepEqual(sshVerify(sigs.realOtherNs, message, "hostproof", keys), { ok: false, problem: 'the signature was made for namespace "git", not "hostproof"' });
  assert.deepEqual(sshVerify(sigs.ours, message, "hostproof", []), { ok: false, problem: `signed by key ${keys[0]!.fingerprint}, which is not among the keys given` });
});

test("a signature by a key of another kind, or damaged, or padded with text, is refused by sshVerify as by ssh-keygen", (t) => {
  if (!haveTools(t)) return;
  const dir = scratch(t);
  const s = signer(dir, "signer");
  const keys = readTrustedKeys(`${s.keyFile}.pub`);
  const message = Buffer.from("manifest\n");
  const file = join(dir, "m");
  writeFileSync(file, message);
  const rsa = sshKey(dir, "rsa", "rsa");
  const rsaSig = must("ssh-keygen", ["-Y", "sign", "-n", "hostproof", "-f", rsa], message).toString();
  const rsaFingerprint = must("ssh-keygen", ["-lf", `${rsa}.pub`]).toString().split(" ")[1];
  assert.deepEqual(sshVerify(rsaSig, message, "hostproof", keys), {
    ok: false,
    problem: `signed with an RSA key (${rsaFingerprint}), which is not among the keys given: hostproof trusts Ed25519 keys only`,
  });

  const good = sshSign(message, s.key, "hostproof");
  const body = good.split("\n").slice(1, -2).join("");
  const blob = Buffer.from(body, "base64");
  const armor = (bytes: Buffer): string => `-----BEGIN SSH SIGNATURE-----\n${bytes.toString("base64").replace(/.{70}/g, "$&\n").replace(/\n$/, "")}\n-----END SSH SIGNATURE-----\n`;
  assert.equal(armor(blob), good, "the test's armor is ssh-keygen's");
  const flipped = (at: number): Buffer => {
    const copy = Buffer.from(blob);
    copy[at]! ^= 0x01;
    return copy;
  };
  const version2 = Buffer.from(blob);
  version2.writeUInt32BE(2, 6);
  // 179 bytes: the base64 ends in one "=", its last character carrying 2 unused bits that must be 0.
  assert.equal(blob.length % 3, 2);
  const alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  const nonCanonical = good.replace(/(.)=\n/, (_m, c: string) => `${alphabet[alphabet.indexOf(c) | 1]}=\n`);
  assert.notEqual(nonCanonical, good);
  const cases: [string, string, RegExp][] = [
    ["last signature byte flipped", armor(flipped(blob.length - 1)), /^the signature does not verify with key SHA256:/],
    ["version 2", armor(version2), /^not an SSH signature: it is of version 2, and hostproof reads version 1/],
    ["magic", armor(Buffer.concat([Buffer.from("SSHSIH"), blob.subarray(6)])), /^not an SSH signature: it does not start with SSHSIG/],
    ["bytes after", armor(Buffer.concat([blob, Buffer.from([0])])), /^not an SSH signature: bytes follow its last field/],
    ["cut", armor(blob.subarray(0, blob.length - 10)), /^not an SSH signature: its fields run past its end/],
    ["hash md5", armor(Buffer.from(blob.toString("latin1").replace("\u0000\u0000\u0000\u0006sha512", "\u0000\u0000\u0000\u0006md5xxx"), "latin1")), /^not an SSH signature: its hash algorithm is neither sha256 nor sha512/],
    ["text after END", `${good}trailing\n`, /^not an SSH signature: it does not end with -----END SSH SIGNATURE-----/],
    ["text before BEGIN", `note\n${good}`, /^not an SSH signature: it does not start with -----BEGIN SSH SIGNATURE-----/],
    ["a space in the body", good.replace(/\n(.{10})/, "\n$1 "), /^not an SSH signature: a line between BEGIN and END is not base64/],
    ["non-canonical base64", nonCanonical, /^not an SSH signature: its body is not canonical base64/],
    ["no body", "-----BEGIN SSH SIGNATURE-----\n-----END SSH SIGNATURE-----\n", /^not an SSH signature: it does not end with/],
    ["huge", `-----BEGIN SSH SIGNATURE-----\n${"A".repeat(20_000)}\n-----END SSH SIGNATURE-----\n`, /^not an SSH signature: it is longer than 16384 characters/],
  ];
  for (const [name, sig, problem] of cases) {
    const check = sshVerify(sig, message, "hostproof", keys);
    assert.equal(check.ok, false, name);
    assert.match(!check.ok ? check.problem : "", problem, name);
    const sigFile = join(dir, "case.sig");
    writeFileSync(sigFile, sig);
    // ssh-keygen's base64 reader skips spaces, and it stops reading at the END line: a signature
    // with those is the same signature to it. hostproof reads only the form ssh-keygen writes, so
    // that one signature has one text.
    const lenient = ["text after END", "a space in the body"].includes(name);
    assert.equal(sshKeygenVerifies(s.allowedSigners, "ci@example.com", "hostproof", sigFile, file).ok, lenient, `${name}: ssh-keygen ${lenient ? "accepts" : "refuses"} it`);
  }
});

test("signing a 30 MB message is sha512 of it and one Ed25519 signature: the signature covers every byte", (t) => {
  if (!haveTools(t)) return;
  const dir = scratch(t);
  const s = signer(dir, "signer");
  const message = Buffer.alloc(30 * 1024 * 1024, 0x61);
  const sig = sshSign(message, s.key, "hostproof");
  const keys = readTrustedKeys(`${s.keyFile}.pub`);
  assert.ok(sshVerify(sig, message, "hostproof", keys).ok);
  message[message.length - 1] = 0x62;
  assert.equal(sshVerify(sig, message, "hostproof", keys).ok, false);
});
