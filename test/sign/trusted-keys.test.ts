/**
 * The keys a verifier trusts (issue 19): `--key` files (SPKI PEM, OpenSSH lines) and OpenSSH
 * allowed_signers files, read strictly; their keyids and fingerprints agree with openssl's and
 * ssh-keygen's, and allowed_signers lines are trusted exactly when the real ssh-keygen trusts them.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { createHash } from "node:crypto";
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { InputError } from "../../src/errors";
import { matchPatternList, parseAbsoluteTime } from "../../src/sign/allowed-signers";
import { readAllowedSigners, readTrustedKeys, signingKeyFromText } from "../../src/sign/keys";
import { sshSign, sshVerify } from "../../src/sign/ssh-signature";
import { assertNoSecret, haveTools, must, opensslKey, run, scratch, secretsOf, sshKey } from "./keytools";

function refusal(read: () => unknown): InputError {
  try {
    read();
  } catch (err) {
    if (err instanceof InputError) return err;
    throw err;
  }
  assert.fail("expected an InputError");
}

test("--key files: SPKI PEM and OpenSSH lines, several per file, with comments; keyid as openssl computes it, fingerprint as ssh-keygen -lf prints it", (t) => {
  if (!haveTools(t)) return;
  const dir = scratch(t);
  const pem = opensslKey(dir, "a.pem");
  const pub = join(dir, "a.pub.pem");
  must("openssl", ["pkey", "-in", pem, "-pubout", "-out", pub]);
  const ssh = sshKey(dir, "b");
  const file = join(dir, "trusted");
  writeFileSync(file, `# the signers of our reports\n\n${readFileSync(pub, "utf8")}\r\n${readFileSync(`${ssh}.pub`, "utf8")}   \n# end\n`);
  const keys = readTrustedKeys(file);
  assert.equal(keys.length, 2);
  const [a, b] = keys;
  assert.equal(a!.keyid, createHash("sha256").update(must("openssl", ["pkey", "-pubin", "-in", pub, "-outform", "DER"])).digest("hex"));
  assert.equal(a!.shownAs, `${file}:3`);
  assert.equal(b!.keyid, signingKeyFromText(readFileSync(ssh), ssh).keyid);
  assert.equal(b!.shownAs, `${file}:7`);
  assert.equal(b!.fingerprint, must("ssh-keygen", ["-lf", `${ssh}.pub`]).toString().split(" ")[1]);
  // The PEM key's fingerprint too, through an OpenSSH line made from it by the test.
  const raw = Buffer.from(a!.publicKey.export({ format: "jwk" }).x!, "base64url");
  const blob = Buffer.concat([Buffer.from([0, 0, 0, 11]), Buffer.from("ssh-ed25519"), Buffer.from([0, 0, 0, 32]), raw]);
  writeFileSync(join(dir, "a.pub"), `ssh-ed25519 ${blob.toString("base64")} a\n`);
  assert.equal(a!.fingerprint, must("ssh-keygen", ["-lf", join(dir, "a.pub")]).toString().split(" ")[1]);
  // One key given twice is one key.
  writeFileSync(join(dir, "twice"), `${readFileSync(join(dir, "a.pub"), "utf8")}${readFileSync(pub, "utf8")}`);
  assert.equal(readTrustedKeys(join(dir, "twice")).length, 1);
});

test("--key refuses a private key (any form) without quoting it, and every key hostproof could not be verified with", (t) => {
  if (!haveTools(t)) return;
  const dir = scratch(t);
  const privates = [opensslKey(dir, "p.pem"), sshKey(dir, "s"), opensslKey(dir, "rsa.pem", "RSA")];
  for (const path of privates) {
    const err = refusal(() => readTrustedKeys(path));
    assert.match(err.message, /^.*:1: this is a private key, and a private key must never be handed to those who verify\. Give the public key instead/);
    assertNoSecret(err.message, secretsOf(path), path);
  }
  // A private key after a good public key is refused all the same.
  const mixed = join(dir, "mixed");
  writeFileSync(mixed, `${readFileSync(`${privates[1]}.pub`, "utf8")}\n${readFileSync(privates[0]!, "utf8")}`);
  assert.match(refusal(() => readTrustedKeys(mixed)).message, /mixed:3: this is a private key/);

  const rsaPub = join(dir, "rsa.pub.pem");
  must("openssl", ["pkey", "-in", privates[2]!, "-pubout", "-out", rsaPub]);
  const ca = sshKey(dir, "ca");
  const user = sshKey(dir, "user");
  must("ssh-keygen", ["-q", "-s", ca, "-I", "id", "-n", "signer", `${user}.pub`]);
  const cases: [string, string, RegExp][] = [
    ["rsa.pub.pem", readFileSync(rsaPub, "utf8"), /rsa\.pub\.pem:1: this is an RSA public key; hostproof signs with Ed25519 keys only/],
    ["ecdsa.pub", readFileSync(`${sshKey(dir, "ec", "ecdsa")}.pub`, "utf8"), /ecdsa\.pub:1: this is an ECDSA key; hostproof signs with Ed25519 keys only/],
    ["cert.pub", readFileSync(`${user}-cert.pub`, "utf8"), /cert\.pub:1: this is an OpenSSH certificate; hostproof trusts keys/],
    ["allowed", `me@example ${readFileSync(`${user}.pub`, "utf8")}`, /allowed:1: this line has text before its key type .*--allowed-signers/],
    ["garbage", "hello\n", /garbage:1: this line is not a public key\./],
    ["empty", "# nothing\n\n", /empty: the file holds no public key/],
    ["damaged", readFileSync(`${user}.pub`, "utf8").replace(/AAAA/, "AAA"), /damaged:1: its key data is damaged/],
    ["type swap", readFileSync(`${user}.pub`, "utf8").replace("ssh-ed25519", "ssh-rsa"), /type swap:1: this is an RSA key/],
    ["cut", readFileSync(rsaPub, "utf8").split("\n").slice(0, 3).join("\n"), /cut:1: this PEM block has no matching -----END line/],
    ["ssh2", must("ssh-keygen", ["-e", "-f", `${user}.pub`]).toString(), /ssh2:1: this is an SSH2 \(RFC 4716\) public key.*ssh-keygen -i -f/],
  ];
  for (const [name, text, problem] of cases) {
    const file = join(dir, name);
    writeFileSync(file, text);
    const err = refusal(() => readTrustedKeys(file));
    assert.match(err.message, problem);
    assert.doesNotMatch(err.message, /hello/);
  }
  const missing = join(dir, "missing.pub");
  assert.match(refusal(() => readTrustedKeys(missing)).message, /missing\.pub: the file does not exist\. Name the regular file that holds the key\./);
  assert.match(refusal(() => readTrustedKeys(dir)).message, /: this is a folder, not a file/);
});

test("allowed_signers: principals, quoted principals, options, comments and blank lines; a non-Ed25519 line is skipped", (t) => {
  if (!haveTools(t)) return;
  const dir = scratch(t);
  const a = readFileSync(`${sshKey(dir, "a")}.pub`, "utf8").trim();
  const b = readFileSync(`${sshKey(dir, "b")}.pub`, "utf8").trim();
  const rsa = readFileSync(`${sshKey(dir, "r", "rsa")}.pub`, "utf8").trim();
  const file = join(dir, "allowed_signers");
  writeFileSync(
    file,
    [
      "# auditors",
      "",
      `ci@example.com,release@example.com namespaces="git,hostproof" ${a}`,
      `   "Jane Doe <jane@example.com>" ${b}`,
      `rsa@example.com ${rsa}`,
      "",
    ].join("\n"),
  );
  const keys = readAllowedSigners(file, "hostproof", new Date());
  assert.deepEqual(
    keys.map((k) => [k.shownAs, k.principals]),
    [
      [`${file}:3`, ["ci@example.com", "release@example.com"]],
      [`${file}:4`, ["Jane Doe <jane@example.com>"]],
    ],
  );
  assert.equal(keys[0]!.fingerprint, must("ssh-keygen", ["-lf", `${join(dir, "a")}.pub`]).toString().split(" ")[1]);
});

test("allowed_signers lines are trusted exactly when the real ssh-keygen -Y verify trusts them (namespaces, valid-after, valid-before, cert-authority)", (t) => {
  if (!haveTools(t)) return;
  const dir = scratch(t);
  const keyFile = sshKey(dir, "signer");
  const key = signingKeyFromText(readFileSync(keyFile), keyFile);
  const pub = readFileSync(`${keyFile}.pub`, "utf8").trim();
  const message = Buffer.from("evidence/manifest.json\n");
  writeFileSync(join(dir, "manifest.json"), message);
  writeFileSync(join(dir, "manifest.json.sig"), sshSign(message, key, "hostproof"));
  const now = new Date();
  const stamp = (offsetDays: number): string => new Date(now.getTime() + offsetDays * 86_400_000).toISOString().slice(0, 10).replace(/-/g, "");
  const lines: [string, string, boolean][] = [
    ["no options", `ci@example.com ${pub}`, true],
    ["namespaces includes it", `ci@example.com namespaces="git,hostproof" ${pub}`, true],
    ["namespaces by pattern", `ci@example.com namespaces="host*" ${pub}`, true],
    ["namespaces without it", `ci@example.com namespaces="git" ${pub}`, false],
    ["namespaces negating it", `ci@example.com namespaces="*,!hostproof" ${pub}`, false],
    ["expired", `ci@example.com valid-before="${stamp(-2)}Z" ${pub}`, false],
    ["not yet valid", `ci@example.com valid-after="${stamp(2)}Z" ${pub}`, false],
    ["valid now", `ci@example.com valid-after="${stamp(-2)}Z",valid-before="${stamp(2)}Z" ${pub}`, true],
    ["options in capitals", `ci@example.com NAMESPACES="hostproof",Valid-Before="${stamp(2)}" ${pub}`, true],
    ["cert-authority", `ci@example.com cert-authority ${pub}`, false],
    ["another key", `ci@example.com ${readFileSync(`${sshKey(dir, "other")}.pub`, "utf8").trim()}`, false],
  ];
  for (const [name, line, trusted] of lines) {
    const file = join(dir, `allowed-${name.replace(/ /g, "-")}`);
    writeFileSync(file, `${line}\n`);
    const real = run("ssh-keygen", ["-Y", "verify", "-f", file, "-I", "ci@example.com", "-n", "hostproof", "-s", join(dir, "manifest.json.sig")], message);
    assert.equal(real.status === 0, trusted, `${name}: ssh-keygen ${real.status === 0 ? "trusts" : "does not trust"} it: ${real.stderr}`);
    let ours: boolean;
    try {
      const keys = readAllowedSigners(file, "hostproof", now);
      ours = sshVerify(readFileSync(join(dir, "manifest.json.sig"), "utf8"), message, "hostproof", keys).ok;
    } catch (err) {
      assert.ok(err instanceof InputError, String(err));
      assert.match(err.message, /no line can verify a hostproof signature in namespace "hostproof" now: line 1: /);
      ours = false;
    }
    assert.equal(ours, trusted, `${name}: hostproof agrees with ssh-keygen`);
  }
});

test("allowed_signers: the reason each skipped line is skipped, and a file with no usable line refused", (t) => {
  if (!haveTools(t)) return;
  const dir = scratch(t);
  const pub = readFileSync(`${sshKey(dir, "a")}.pub`, "utf8").trim();
  const ecdsa = readFileSync(`${sshKey(dir, "e", "ecdsa")}.pub`, "utf8").trim();
  const file = join(dir, "allowed_signers");
  writeFileSync(
    file,
    [
      `a@example.com namespaces="git" ${pub}`,
      `a@example.com valid-before="20200101Z" ${pub}`,
      `a@example.com valid-after="29991231Z" ${pub}`,
      `a@example.com cert-authority ${pub}`,
      `e@example.com ${ecdsa}`,
      "",
    ].join("\n"),
  );
  const err = refusal(() => readAllowedSigners(file, "hostproof", new Date("2026-06-01T00:00:00Z")));
  assert.equal(
    err.message,
    `${file}: no line can verify a hostproof signature in namespace "hostproof" now: ` +
      'line 1: namespaces="git" does not allow "hostproof"; ' +
      "line 2: expired at 2020-01-01T00:00:00Z (valid-before); " +
      "line 3: not valid until 2999-12-31T00:00:00Z (valid-after); " +
      "line 4: cert-authority trusts certificates signed by the key, and hostproof signs with plain keys; " +
      "line 5: an ECDSA key, and hostproof signs with Ed25519 keys only. " +
      'Add a line for the key that signs the reports: `<principal> namespaces="hostproof" ssh-ed25519 AAAA…` (the key from its .pub file).',
  );
  // The same file on 2019-06-01: line 2 is valid then.
  assert.deepEqual(
    readAllowedSigners(file, "hostproof", new Date("2019-06-01T00:00:00Z")).map((k) => k.shownAs),
    [`${file}:2`],
  );
  writeFileSync(join(dir, "empty"), "# none yet\n\n");
  assert.match(refusal(() => readAllowedSigners(join(dir, "empty"), "hostproof", new Date())).message, /empty: the file names no signer\./);
});

test("allowed_signers: a malformed line is refused with its line number, as ssh-keygen stops at it", (t) => {
  if (!haveTools(t)) return;
  const dir = scratch(t);
  const signer = sshKey(dir, "a");
  const pub = readFileSync(`${signer}.pub`, "utf8").trim();
  const [, base64] = pub.split(" ");
  const message = Buffer.from("manifest");
  const sig = join(dir, "manifest.sig");
  writeFileSync(sig, sshSign(message, signingKeyFromText(readFileSync(signer), signer), "hostproof"));
  const cases: [string, RegExp][] = [
    [`a@example.com`, /it names principals but no key/],
    [`a@example.com namespaces=hostproof ${pub}`, /option namespaces: its value must be in double quotes/],
    [`a@example.com namespaces="hostproof ${pub}`, /option namespaces: its value's closing quote is missing/],
    [`a@example.com no-touch-required ${pub}`, /"no-touch-required" is not an option \(cert-authority, namespaces, valid-after, valid-before\) nor a key type/],
    [`a@example.com valid-before="2026-01-01" ${pub}`, /valid-before="2026-01-01" is not a time as YYYYMMDD/],
    [`a@example.com valid-after="20260102Z",valid-before="20260101Z" ${pub}`, /its valid-before time is not later than its valid-after time/],
    [`a@example.com namespaces="a",namespaces="b" ${pub}`, /more than one namespaces=/],
    [`a@example.com namespaces="a", ${pub}`, /its options end with a comma/],
    [`a@example.com ssh-ed25519`, /the key's data is missing after its type/],
    [`a@example.com ssh-ed25519 ${base64!.slice(0, -4)}`, /its key data is damaged/],
    [`a@example.com ssh-rsa ${base64}`, /its key data is damaged \(not the base64 of the key type the line names\)/],
    [`"a@example.com ${pub}`, /its principals open a quote that never closes/],
  ];
  for (const [line, problem] of cases) {
    const file = join(dir, "allowed_signers");
    writeFileSync(file, `# first\n${line}\n`);
    const err = refusal(() => readAllowedSigners(file, "hostproof", new Date()));
    assert.match(err.message, new RegExp(`^${file.replace(/[.*+?^${}()|[\]\\/]/g, "\\$&")}:2: `), err.message);
    assert.match(err.message, problem);
    assert.match(err.message, /Write each line as ssh-keygen\(1\) ALLOWED SIGNERS describes|Copy the public key again/);
    // ssh-keygen, given a good signature by the key of the line, does not accept the line either.
    const real = run("ssh-keygen", ["-Y", "verify", "-f", file, "-I", "a@example.com", "-n", "hostproof", "-s", sig], message);
    assert.notEqual(real.status, 0, `ssh-keygen accepted: ${line}`);
  }
  const privateKey = sshKey(dir, "p");
  const err = refusal(() => readAllowedSigners(privateKey, "hostproof", new Date()));
  assert.match(err.message, /:1: this is a private key, and a private key must never be handed to those who verify/);
  assertNoSecret(err.message, secretsOf(privateKey), "allowed_signers given a private key");
});

test("OpenSSH's pattern lists and times, as match_pattern_list and parse_absolute_time read them", () => {
  assert.equal(matchPatternList("hostproof", "hostproof"), 1);
  assert.equal(matchPatternList("hostproof", "git,host?roof"), 1);
  assert.equal(matchPatternList("hostproof", "*"), 1);
  assert.equal(matchPatternList("hostproof", "*,!hostproof"), -1);
  assert.equal(matchPatternList("hostproof", "Hostproof"), 0, "case counts");
  assert.equal(matchPatternList("hostproof", "host.roof"), 0, "a dot is a dot");
  assert.equal(matchPatternList("hostproof", ""), 0);
  assert.equal(parseAbsoluteTime("20260102Z"), Date.UTC(2026, 0, 2) / 1000);
  assert.equal(parseAbsoluteTime("202601021314UTC"), Date.UTC(2026, 0, 2, 13, 14) / 1000);
  assert.equal(parseAbsoluteTime("20260102131415z"), Date.UTC(2026, 0, 2, 13, 14, 15) / 1000);
  for (const bad of ["2026010Z", "2026-01-02", "20261302Z", "20260100Z", "20260102246000Z", "Z", ""]) assert.equal(parseAbsoluteTime(bad), undefined, bad);
});
