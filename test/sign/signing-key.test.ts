/**
 * The signing key (issue 19): Ed25519 as PKCS#8 PEM or unencrypted OpenSSH, made by the real
 * openssl and ssh-keygen; everything else refused as bad input (InputError, exit 3) naming the
 * source and what to do, and never quoting the key.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { createHash, sign, verify } from "node:crypto";
import { chmodSync, readFileSync, symlinkSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { InputError } from "../../src/errors";
import { keyidOf, resolveSigningKey, signingKeyFromText, type SigningKey } from "../../src/sign/keys";
import { assertNoSecret, haveTools, must, openSshSeedForms, opensslKey, scratch, secretsOf, sshKey } from "./keytools";

/** The InputError that `read` throws, its message checked to name `source` and match `problem`. */
function refused(read: () => unknown, source: string, problem: RegExp, secrets: readonly string[] = []): string {
  let caught: unknown;
  try {
    read();
  } catch (err) {
    caught = err;
  }
  assert.ok(caught instanceof InputError, `expected an InputError for ${source}, got ${caught instanceof Error ? caught.stack : String(caught)}`);
  const message = caught.message;
  assert.ok(message.startsWith(`${source}: `), `the message names the source ${source}: ${message}`);
  assert.match(message, problem);
  assert.doesNotMatch(message, /\n\s+at |ERR_|error:[0-9A-F]{8}/, "no stack trace and no OpenSSL error text");
  // Every refusal says what to do: a sentence after the problem.
  assert.ok(caught.problems.every((p) => p.fix.length > 10), message);
  assertNoSecret(message, secrets, source);
  return message;
}

function fromFile(path: string): SigningKey {
  return signingKeyFromText(readFileSync(path), path);
}

function signsAndVerifies(key: SigningKey): void {
  const message = Buffer.from("hostproof");
  assert.ok(verify(null, message, key.publicKey, sign(null, message, key.privateKey)));
}

test("a PKCS#8 Ed25519 PEM from openssl is read; its keyid is openssl's SHA-256 of the public key's DER", (t) => {
  if (!haveTools(t)) return;
  const dir = scratch(t);
  const pem = opensslKey(dir, "signing.pem");
  const key = fromFile(pem);
  signsAndVerifies(key);
  assert.equal(key.source, pem);
  assert.equal(key.sshPublicBlob, undefined);
  const der = must("openssl", ["pkey", "-in", pem, "-pubout", "-outform", "DER"]);
  assert.equal(key.keyid, createHash("sha256").update(der).digest("hex"));
  assert.equal(keyidOf(key.publicKey), key.keyid);
  // And sha256sum itself, the command docs/evidence.md gives.
  const sum = must("sh", ["-c", `openssl pkey -in '${pem}' -pubout -outform DER | sha256sum`]).toString().split(" ")[0];
  assert.equal(key.keyid, sum);
});

test("an unencrypted OpenSSH Ed25519 key from ssh-keygen is read: same public key, keyid of its SPKI, its own wire blob", (t) => {
  if (!haveTools(t)) return;
  const dir = scratch(t);
  const path = sshKey(dir, "signing");
  const key = fromFile(path);
  signsAndVerifies(key);
  const [type, base64] = readFileSync(`${path}.pub`, "utf8").split(" ");
  assert.equal(type, "ssh-ed25519");
  assert.deepEqual(key.sshPublicBlob, Buffer.from(base64!, "base64"));
  // ssh-keygen 9.2 cannot export an Ed25519 key as PKCS#8 (do_convert_to_pkcs8: unsupported key
  // type ED25519), so the SPKI is built from the .pub key by RFC 8410 (a fixed 12-byte prefix and
  // the 32 key bytes) and openssl, reading and re-writing it, vouches that it is that key's SPKI.
  const raw = Buffer.from(base64!, "base64").subarray(-32);
  const spki = Buffer.concat([Buffer.from("302a300506032b6570032100", "hex"), raw]);
  const der = must("openssl", ["pkey", "-pubin", "-inform", "DER", "-outform", "DER"], spki);
  assert.deepEqual(der, spki);
  assert.match(must("openssl", ["pkey", "-pubin", "-inform", "DER", "-noout", "-text"], spki).toString(), /ED25519 Public-Key/);
  assert.equal(key.keyid, createHash("sha256").update(der).digest("hex"));
});

test("the same key as PEM and as OpenSSH has one keyid", (t) => {
  if (!haveTools(t)) return;
  const dir = scratch(t);
  const pem = opensslKey(dir, "signing.pem");
  const pemKey = fromFile(pem);
  // An OpenSSH file of the same seed, written by this test from the PKCS#8 key's JWK.
  const jwk = pemKey.privateKey.export({ format: "jwk" });
  const openssh = join(dir, "signing");
  writeFileSync(openssh, openSshKeyFile({ seed: Buffer.from(jwk.d!, "base64url"), pub: Buffer.from(jwk.x!, "base64url") }));
  const sshKeyRead = fromFile(openssh);
  assert.equal(sshKeyRead.keyid, pemKey.keyid);
  // ssh-keygen reads the file this test wrote, and derives the same public key.
  chmodSync(openssh, 0o600);
  const pub = must("ssh-keygen", ["-y", "-f", openssh]).toString().trim().split(" ");
  assert.deepEqual(Buffer.from(pub[1]!, "base64"), sshKeyRead.sshPublicBlob);
});

test("CRLF line ends, a byte-order mark, and a one-line secret with its line breaks written as \\n are read", (t) => {
  if (!haveTools(t)) return;
  const dir = scratch(t);
  for (const path of [opensslKey(dir, "signing.pem"), sshKey(dir, "signing")]) {
    const text = readFileSync(path, "latin1");
    const expected = fromFile(path).keyid;
    for (const variant of [text.replace(/\n/g, "\r\n"), `\ufeff${text}`, text.replace(/\n/g, "\\n"), text.trimEnd().replace(/\n/g, "\\r\\n"), `${text.trimEnd().replace(/\n/g, "\\n")}\r\n`, `\n\n  ${text}\n\n`, text.replace(/^/gm, "    ")]) {
      assert.equal(signingKeyFromText(Buffer.from(variant, "utf8"), "HOSTPROOF_SIGN_KEY").keyid, expected, JSON.stringify(variant.slice(0, 40)));
    }
  }
});

test("every key that is not an unencrypted Ed25519 private key is refused, naming the source and what to do, quoting nothing of the key", (t) => {
  if (!haveTools(t)) return;
  const dir = scratch(t);
  const cases: { name: string; make: () => string; problem: RegExp; passphrase?: string }[] = [
    { name: "RSA PKCS#8", make: () => opensslKey(dir, "rsa.pem", "RSA", ["rsa_keygen_bits:2048"]), problem: /this is an RSA private key; hostproof signs with Ed25519 keys only\. Make an Ed25519 key: `openssl genpkey -algorithm ed25519/ },
    { name: "RSA PKCS#1", make: () => pkcs1(dir), problem: /this is an RSA private key; hostproof signs with Ed25519 keys only/ },
    { name: "RSA OpenSSH", make: () => sshKey(dir, "id_rsa", "rsa"), problem: /this is an RSA private key; hostproof signs with Ed25519 keys only/ },
    { name: "ECDSA PKCS#8", make: () => opensslKey(dir, "ec.pem", "EC", ["ec_paramgen_curve:P-256"]), problem: /this is an ECDSA \(EC\) private key/ },
    { name: "ECDSA OpenSSH", make: () => sshKey(dir, "id_ecdsa", "ecdsa"), problem: /this is an ECDSA private key/ },
    { name: "Ed448", make: () => opensslKey(dir, "ed448.pem", "ed448"), problem: /this is an Ed448 private key/ },
    { name: "X25519", make: () => opensslKey(dir, "x25519.pem", "x25519"), problem: /this is an X25519 \(key-agreement\) private key/ },
    { name: "DSA OpenSSH", make: () => sshKey(dir, "id_dsa", "dsa"), problem: /this is a DSA private key/ },
    {
      name: "encrypted PKCS#8",
      make: () => {
        const plain = opensslKey(dir, "plain.pem");
        must("openssl", ["pkcs8", "-topk8", "-v2", "aes-256-cbc", "-in", plain, "-out", join(dir, "encrypted.pem"), "-passout", "pass:secret"]);
        return join(dir, "encrypted.pem");
      },
      passphrase: "secret",
      problem: /this private key is encrypted, and hostproof reads unencrypted keys only\. .*openssl pkey -in <file> -out signing\.pem/,
    },
    { name: "encrypted OpenSSH", make: () => sshKey(dir, "protected", "ed25519", "secret"), problem: /this OpenSSH private key is protected by a passphrase \(cipher aes256-ctr\).*ssh-keygen -p -N ''/ },
    {
      name: "SPKI public key",
      make: () => {
        must("openssl", ["pkey", "-in", opensslKey(dir, "for-pub.pem"), "-pubout", "-out", join(dir, "pub.pem")]);
        return join(dir, "pub.pem");
      },
      problem: /this is a public key, and signing needs the private key\. Give the private key/,
    },
    { name: "OpenSSH .pub", make: () => `${sshKey(dir, "for-pub")}.pub`, problem: /this is an Ed25519 OpenSSH public key \(a \.pub line\), and signing needs the private key/ },
    {
      name: "RFC 4716 public key",
      make: () => {
        writeFileSync(join(dir, "ssh2.pub"), must("ssh-keygen", ["-e", "-f", `${sshKey(dir, "for-ssh2")}.pub`]));
        return join(dir, "ssh2.pub");
      },
      problem: /this is an SSH2 \(RFC 4716\) public key, and signing needs the private key/,
    },
    {
      name: "OpenSSH certificate",
      make: () => {
        const ca = sshKey(dir, "ca");
        const user = sshKey(dir, "user");
        must("ssh-keygen", ["-q", "-s", ca, "-I", "id", "-n", "signer", `${user}.pub`]);
        return `${user}-cert.pub`;
      },
      problem: /this is an OpenSSH certificate \(public\), and signing needs the private key/,
    },
    {
      name: "X.509 certificate",
      make: () => {
        must("openssl", ["req", "-x509", "-key", opensslKey(dir, "cert-key.pem"), "-subj", "/CN=hostproof", "-days", "1", "-out", join(dir, "cert.pem")]);
        return join(dir, "cert.pem");
      },
      problem: /this is an X\.509 certificate \(public\), and signing needs the private key/,
    },
  ];
  for (const c of cases) {
    const path = c.make();
    const secrets = c.name.includes("pub") || c.name.includes("certificate") || c.name.includes("public") ? [] : secretsOf(path, c.passphrase);
    if (c.name.startsWith("encrypted") || c.name.includes("RSA") || c.name.includes("EC")) assert.ok(secrets.length > 100, `${c.name}: the secrets list is not empty`);
    refused(() => fromFile(path), path, c.problem, secrets);
    // The same through HOSTPROOF_SIGN_KEY: named as the variable, and the variable is gone afterwards.
    const env: NodeJS.ProcessEnv = { HOSTPROOF_SIGN_KEY: readFileSync(path, "utf8") };
    refused(() => resolveSigningKey(undefined, env), "environment: HOSTPROOF_SIGN_KEY", c.problem, secrets);
    assert.equal(env.HOSTPROOF_SIGN_KEY, undefined, `${c.name}: HOSTPROOF_SIGN_KEY is removed even when refused`);
  }
});

test("damaged, cut, padded or mixed key text is refused without quoting it", (t) => {
  if (!haveTools(t)) return;
  const dir = scratch(t);
  const pem = opensslKey(dir, "signing.pem");
  const ssh = sshKey(dir, "signing");
  const pemText = readFileSync(pem, "latin1");
  const sshText = readFileSync(ssh, "latin1");
  const secrets = [...secretsOf(pem), ...secretsOf(ssh), ...openSshSeedForms(ssh)];
  const lines = sshText.trimEnd().split("\n");
  const cases: [string, string, RegExp][] = [
    ["trailing junk", `${pemText}extra text\n`, /text follows the key's -----END line\. Remove everything after/],
    ["trailing junk (OpenSSH)", `${sshText}${sshText.split("\n")[1]}\n`, /text follows the key's -----END line/],
    ["leading junk", `Bag Attributes\n    localKeyID: 01 02\n${pemText}`, /text comes before the key's -----BEGIN line/],
    ["two keys", `${pemText}${sshText}`, /it holds more than one PEM block\. Give the signing key alone/],
    ["cut short", lines.slice(0, 3).join("\n"), /the key has no matching -----END line/],
    ["a line lost", [...lines.slice(0, 2), ...lines.slice(3)].join("\n"), /the key is damaged: /],
    ["a space in the body", pemText.replace(/\n(?!-)(....)/, "\n$1 "), /the key is damaged: its body is not base64/],
    ["garbage", "hello, world\n", /this is not a key hostproof can read\. Give an Ed25519 private key: a PKCS#8 PEM/],
    ["nothing", "   \n\n", /it is empty/],
    ["unknown PEM kind", "-----BEGIN FOO-----\nAAAA\n-----END FOO-----\n", /this PEM block is not of a kind hostproof reads/],
    ["PuTTY", "PuTTY-User-Key-File-3: ssh-ed25519\nEncryption: none\n", /this is a PuTTY key \(\.ppk\)/],
  ];
  for (const [name, text, problem] of cases) {
    const message = refused(() => signingKeyFromText(Buffer.from(text, "latin1"), "k.pem"), "k.pem", problem, secrets);
    assert.ok(!message.includes("hello, world") && !message.includes("localKeyID"), `${name}: the text is not quoted: ${message}`);
  }
  // Binary: the DER form of the key, and bytes that are not text.
  const der = must("openssl", ["pkey", "-in", pem, "-outform", "DER"]);
  refused(() => signingKeyFromText(der, "k.der"), "k.der", /this is a binary \(DER\) key; hostproof reads keys as PEM text\. Convert it: `openssl pkey -inform DER/, [
    ...secrets,
    der.toString("hex").slice(-40),
  ]);
  refused(() => signingKeyFromText(Buffer.concat([Buffer.from(pemText), Buffer.from([0xff, 0x00])]), "k.pem"), "k.pem", /holds characters no key file holds/, secrets);
  refused(() => signingKeyFromText(Buffer.alloc(70_000, 0x41), "k.pem"), "k.pem", /it is 70000 bytes, far more than any private key/);
});

test("an OpenSSH key file that lies about itself is refused: check numbers, public half, padding, key count", (t) => {
  if (!haveTools(t)) return;
  const dir = scratch(t);
  const pem = fromFile(opensslKey(dir, "seed.pem"));
  const jwk = pem.privateKey.export({ format: "jwk" });
  const seed = Buffer.from(jwk.d!, "base64url");
  const pub = Buffer.from(jwk.x!, "base64url");
  const other = Buffer.from(fromFile(opensslKey(dir, "other.pem")).privateKey.export({ format: "jwk" }).x!, "base64url");
  // The file this writer makes is read (the writer is right), then each lie is refused.
  assert.equal(signingKeyFromText(Buffer.from(openSshKeyFile({ seed, pub })), "k").keyid, pem.keyid);
  const secrets = [seed.toString("hex"), seed.toString("base64").slice(0, 24)];
  const cases: [string, Parameters<typeof openSshKeyFile>[0], RegExp][] = [
    ["check numbers differ", { seed, pub, checks: [1, 2] }, /its two check numbers differ/],
    ["the public half is another key's", { seed, pub: other }, /its public key is not the one its private key makes/],
    ["the private part names another key", { seed, pub, privatePub: other }, /its private part names another public key/],
    ["padding of the wrong length", { seed, pub, padding: Buffer.from([1, 2, 3]) }, /its private section is not a whole number of 8-byte blocks/],
    ["padding of the wrong bytes", { seed, pub, badPadding: true }, /its padding is wrong/],
    ["two keys", { seed, pub, count: 2 }, /it holds 2 keys\. Give a file that holds the signing key alone/],
    ["a cipher but no passphrase", { seed, pub, kdf: "bcrypt" }, /it names a key-derivation function but no cipher/],
    ["bytes after the last field", { seed, pub, trailing: Buffer.from("xx") }, /bytes follow its last field/],
  ];
  for (const [name, parts, problem] of cases) {
    refused(() => signingKeyFromText(Buffer.from(openSshKeyFile(parts)), name), name, problem, secrets);
  }
});

test("the key file must be a regular file that exists; the error names it and says what to do", (t) => {
  if (!haveTools(t)) return;
  const dir = scratch(t);
  const missing = join(dir, "missing.pem");
  refused(() => resolveSigningKey(missing, {}), missing, /the file does not exist\. Name the regular file that holds the key\./);
  refused(() => resolveSigningKey(dir, {}), dir, /this is a folder, not a file/);
  const fifo = join(dir, "fifo");
  must("mkfifo", [fifo]);
  refused(() => resolveSigningKey(fifo, {}), fifo, /this is a named pipe \(FIFO\), not a regular file/);
  const dangling = join(dir, "dangling.pem");
  symlinkSync(join(dir, "nowhere.pem"), dangling);
  refused(() => resolveSigningKey(dangling, {}), dangling, /this is a symbolic link to .*nowhere\.pem", which does not exist/);
  refused(() => resolveSigningKey(undefined, { HOSTPROOF_SIGN_KEY_FILE: missing }), `${missing}: HOSTPROOF_SIGN_KEY_FILE`, /the file does not exist/);
  refused(() => resolveSigningKey("", {}), "command line: --sign-key", /the file name is empty/);
});

test("--sign-key wins, then HOSTPROOF_SIGN_KEY_FILE, then HOSTPROOF_SIGN_KEY; both variables at once are refused; the inline key leaves the environment", (t) => {
  if (!haveTools(t)) return;
  const dir = scratch(t);
  const a = opensslKey(dir, "a.pem");
  const b = sshKey(dir, "b");
  const c = opensslKey(dir, "c.pem");
  const [ka, kb, kc] = [a, b, c].map((p) => fromFile(p).keyid);
  const inline = readFileSync(c, "utf8");

  assert.equal(resolveSigningKey(undefined, {}), undefined);
  assert.equal(resolveSigningKey(undefined, { HOSTPROOF_SIGN_KEY: "", HOSTPROOF_SIGN_KEY_FILE: "" }), undefined, "empty is unset");

  const flagWins: NodeJS.ProcessEnv = { HOSTPROOF_SIGN_KEY_FILE: b, HOSTPROOF_SIGN_KEY: inline };
  const byFlag = resolveSigningKey(a, flagWins)!;
  assert.deepEqual([byFlag.keyid, byFlag.source], [ka, a]);
  assert.equal(flagWins.HOSTPROOF_SIGN_KEY, undefined, "removed even when --sign-key wins");
  assert.equal(flagWins.HOSTPROOF_SIGN_KEY_FILE, b, "the file name stays: it is no secret");

  const byFile = resolveSigningKey(undefined, { HOSTPROOF_SIGN_KEY_FILE: b })!;
  assert.deepEqual([byFile.keyid, byFile.source, byFile.sshPublicBlob !== undefined], [kb, b, true]);

  const env: NodeJS.ProcessEnv = { HOSTPROOF_SIGN_KEY: inline, PATH: "/bin" };
  const byVar = resolveSigningKey(undefined, env)!;
  assert.deepEqual([byVar.keyid, byVar.source], [kc, "HOSTPROOF_SIGN_KEY"]);
  assert.deepEqual(env, { PATH: "/bin" });

  const both: NodeJS.ProcessEnv = { HOSTPROOF_SIGN_KEY_FILE: b, HOSTPROOF_SIGN_KEY: inline };
  refused(() => resolveSigningKey(undefined, both), "environment: HOSTPROOF_SIGN_KEY_FILE and HOSTPROOF_SIGN_KEY", /both are set, and each names a signing key\. Set one/, secretsOf(c));
  assert.equal(both.HOSTPROOF_SIGN_KEY, undefined);

  // A file name put in the variable meant for the key itself: told which variable to use, not echoed.
  refused(() => resolveSigningKey(undefined, { HOSTPROOF_SIGN_KEY: a }), "environment: HOSTPROOF_SIGN_KEY", /it looks like the name of a file\. .*set HOSTPROOF_SIGN_KEY_FILE instead/, [a]);
  // An Azure secret variable that is not set (or not mapped into the step's env:) arrives as its macro, unexpanded.
  refused(() => resolveSigningKey(undefined, { HOSTPROOF_SIGN_KEY: "$(HOSTPROOF_SIGN_KEY)" }), "environment: HOSTPROOF_SIGN_KEY", /the Azure Pipelines macro \$\(HOSTPROOF_SIGN_KEY\), left as written: no variable of that name is set\. .*map it in the step's env:/, []);
});

test("process.env itself loses HOSTPROOF_SIGN_KEY once read, so no child process inherits it", (t) => {
  if (!haveTools(t)) return;
  const dir = scratch(t);
  process.env.HOSTPROOF_SIGN_KEY = readFileSync(sshKey(dir, "k"), "utf8");
  try {
    assert.ok(resolveSigningKey(undefined, process.env) !== undefined);
    assert.equal(process.env.HOSTPROOF_SIGN_KEY, undefined);
    assert.equal(must("sh", ["-c", 'printf %s "${HOSTPROOF_SIGN_KEY-unset}"']).toString(), "unset");
  } finally {
    delete process.env.HOSTPROOF_SIGN_KEY;
  }
});

/** A PKCS#1 ("RSA PRIVATE KEY") file, the form older OpenSSL wrote. */
function pkcs1(dir: string): string {
  const path = join(dir, "pkcs1.pem");
  must("openssl", ["genrsa", "-traditional", "-out", path, "2048"]);
  assert.match(readFileSync(path, "utf8"), /^-----BEGIN RSA PRIVATE KEY-----/);
  return path;
}

/**
 * An openssh-key-v1 file written from PROTOCOL.key by this test (independently of the reader
 * under test), with knobs to make it lie.
 */
function openSshKeyFile(parts: {
  seed: Buffer;
  pub: Buffer;
  privatePub?: Buffer;
  checks?: [number, number];
  padding?: Buffer;
  count?: number;
  kdf?: string;
  trailing?: Buffer;
  /** Padding of the right length (to a multiple of 8) but not the bytes 1, 2, 3…; a full 8 bytes when none is due. */
  badPadding?: boolean;
}): string {
  const u32 = (n: number): Buffer => {
    const b = Buffer.alloc(4);
    b.writeUInt32BE(n);
    return b;
  };
  const str = (v: Buffer | string): Buffer => {
    const bytes = Buffer.from(v);
    return Buffer.concat([u32(bytes.length), bytes]);
  };
  const publicBlob = Buffer.concat([str("ssh-ed25519"), str(parts.pub)]);
  const privatePub = parts.privatePub ?? parts.pub;
  const [c1, c2] = parts.checks ?? [0x12345678, 0x12345678];
  let section = Buffer.concat([u32(c1), u32(c2), str("ssh-ed25519"), str(privatePub), str(Buffer.concat([parts.seed, privatePub])), str("comment")]);
  const due = (8 - (section.length % 8)) % 8;
  const padding = parts.padding ?? (parts.badPadding === true ? (due > 0 ? Buffer.alloc(due) : Buffer.from([1, 2, 3, 4, 5, 6, 7, 8])) : Buffer.from(Array.from({ length: due }, (_, i) => i + 1)));
  section = Buffer.concat([section, padding]);
  const body = Buffer.concat([
    Buffer.from("openssh-key-v1\0", "latin1"),
    str("none"),
    str(parts.kdf ?? "none"),
    str(""),
    u32(parts.count ?? 1),
    str(publicBlob),
    str(section),
    parts.trailing ?? Buffer.alloc(0),
  ]);
  const base64 = body.toString("base64").replace(/.{70}/g, "$&\n").replace(/\n$/, "");
  return `-----BEGIN OPENSSH PRIVATE KEY-----\n${base64}\n-----END OPENSSH PRIVATE KEY-----\n`;
}
