/**
 * Signed reports (issue 19), end to end through the real CLI: run and merge sign with a PKCS#8 or
 * an OpenSSH Ed25519 key; verify --key / --allowed-signers catch a consistent forgery (a whole
 * self-consistent report with another verdict put in the signed one's place), another key, no
 * signature and a signature over other files; the envelope verifies with a DSSE implementation
 * written here from the spec, and the SSH signature with the real ssh-keygen.
 */
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { createHash, createPublicKey, verify as verifySig } from "node:crypto";
import { cpSync, existsSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { join, relative } from "node:path";
import { test } from "node:test";
import { findOnPath } from "../../src/util/executables";
import { findPwsh } from "../../src/powershell/find";
import { requireTool } from "../helpers/require-tool";
import { DEMO, ROOT, spawnCli, tempDir } from "./cli";

const AS_OF = "2026-11-30";
const COMMON = ["--inventory", DEMO, "--as-of", AS_OF, "--no-html", "--no-history", "--exit-zero"];
const sha = (data: Buffer | string): string => createHash("sha256").update(data).digest("hex");

interface Keys {
  dir: string;
  /** PKCS#8 PEM private key and its SPKI PEM public key. */
  pem: string;
  pemPub: string;
  /** OpenSSH private key and its public key line. */
  ssh: string;
  sshPub: string;
  /** Another PKCS#8 key: a signer nobody trusts. */
  other: string;
  otherPub: string;
}

function sh(cmd: string, args: string[], input?: Buffer): { code: number; stdout: string; stderr: string } {
  const r = spawnSync(cmd, args, { encoding: "utf8", ...(input !== undefined ? { input } : {}) });
  return { code: r.status ?? -1, stdout: r.stdout, stderr: r.stderr };
}

let keys: Keys | undefined;
function makeKeys(): Keys {
  if (keys !== undefined) return keys;
  const dir = tempDir("hostproof-keys-");
  const k = (n: string): string => join(dir, n);
  for (const name of ["ci", "other"]) {
    assert.equal(sh("openssl", ["genpkey", "-algorithm", "ed25519", "-out", k(`${name}.pem`)]).code, 0);
    assert.equal(sh("openssl", ["pkey", "-in", k(`${name}.pem`), "-pubout", "-out", k(`${name}.pub.pem`)]).code, 0);
  }
  assert.equal(sh("ssh-keygen", ["-q", "-t", "ed25519", "-N", "", "-C", "ci@example", "-f", k("ci_ssh")]).code, 0);
  keys = { dir, pem: k("ci.pem"), pemPub: k("ci.pub.pem"), ssh: k("ci_ssh"), sshPub: k("ci_ssh.pub"), other: k("other.pem"), otherPub: k("other.pub.pem") };
  return keys;
}

function tools(t: Parameters<typeof requireTool>[0]): boolean {
  return requireTool(t, "openssl", findOnPath("openssl"), "apt-get install openssl") && requireTool(t, "ssh-keygen", findOnPath("ssh-keygen"), "apt-get install openssh-client");
}

function run(dir: string, out: string, extra: string[], env: NodeJS.ProcessEnv = process.env) {
  return spawnCli(["run", ...COMMON, "-o", join(dir, out), ...extra], dir, env);
}

/** The public key line of a fresh OpenSSH key nobody trusts. */
function otherSshPub(dir: string): string {
  const f = join(dir, `other_ssh_${Math.random().toString(36).slice(2)}`);
  assert.equal(sh("ssh-keygen", ["-q", "-t", "ed25519", "-N", "", "-f", f]).code, 0);
  return readFileSync(`${f}.pub`, "utf8").trim().split(" ").slice(1, 2).join(" ");
}

interface Envelope {
  payloadType: string;
  payload: string;
  signatures: { keyid: string; sig: string }[];
}

function envelopes(report: string): Envelope[] {
  return readFileSync(join(report, "attestation.intoto.jsonl"), "utf8").trim().split("\n").map((l) => JSON.parse(l) as Envelope);
}

/** DSSE v1 as the spec writes it, apart from hostproof's code: "DSSEv1" SP LEN(type) SP type SP LEN(body) SP body. */
function specPae(type: string, body: Buffer): Buffer {
  const t = Buffer.from(type, "utf8");
  return Buffer.concat([Buffer.from(`DSSEv1 ${t.length} `), t, Buffer.from(` ${body.length} `), body]);
}

test("a signed run: the envelope verifies with DSSE written from the spec, and says what the report is", (t) => {
  if (!tools(t)) return;
  const k = makeKeys();
  const dir = tempDir();
  const r = run(dir, "signed", ["--sign-key", k.pem]);
  assert.equal(r.code, 0, r.stderr);
  const report = join(dir, "signed");
  const [env, ...more] = envelopes(report);
  assert.equal(more.length, 0, "one envelope");
  assert.equal(env!.payloadType, "application/vnd.in-toto+json");
  const spki = createPublicKey(readFileSync(k.pemPub));
  const keyid = sha(spki.export({ type: "spki", format: "der" }));
  assert.equal(env!.signatures.length, 1);
  assert.equal(env!.signatures[0]!.keyid, keyid, "keyid: SHA-256 of the SPKI DER");
  assert.match(r.stdout, new RegExp(`Signed by keyid ${keyid}`));
  const payload = Buffer.from(env!.payload, "base64");
  assert.equal(verifySig(null, specPae(env!.payloadType, payload), spki, Buffer.from(env!.signatures[0]!.sig, "base64")), true, "the signature is over DSSE's PAE");
  assert.equal(verifySig(null, payload, spki, Buffer.from(env!.signatures[0]!.sig, "base64")), false, "and not over the bare payload");

  const statement = JSON.parse(payload.toString("utf8")) as {
    _type: string;
    subject: { name: string; digest: { sha256: string } }[];
    predicateType: string;
    predicate: { result: string; configuration: { name: string; digest: { sha256: string }; annotations: { role: string } }[]; passedTests: string[]; warnedTests: string[]; failedTests: string[]; url?: string };
  };
  assert.equal(statement._type, "https://in-toto.io/Statement/v1");
  assert.equal(statement.predicateType, "https://in-toto.io/attestation/test-result/v0.1");
  assert.deepEqual(statement.subject, [
    { name: "evidence/manifest.json", digest: { sha256: sha(readFileSync(join(report, "evidence", "manifest.json"))) } },
    { name: "summary.json", digest: { sha256: sha(readFileSync(join(report, "summary.json"))) } },
  ]);
  const summary = JSON.parse(readFileSync(join(report, "summary.json"), "utf8")) as { verdict: string; results: { controlId: string; status: string }[] };
  assert.equal(statement.predicate.result, { compliant: "PASSED", "non-compliant": "FAILED", undetermined: "WARNED" }[summary.verdict]);
  const worst = new Map<string, string>();
  for (const res of summary.results) {
    const was = worst.get(res.controlId);
    worst.set(res.controlId, was === "failed" || res.status === "failed" ? "failed" : was === "undetermined" || res.status === "undetermined" ? "undetermined" : "passed");
  }
  const ids = (s: string): string[] => [...worst].filter(([, v]) => v === s).map(([id]) => id).sort();
  assert.deepEqual([...statement.predicate.failedTests].sort(), ids("failed"));
  assert.deepEqual([...statement.predicate.warnedTests].sort(), ids("undetermined"));
  assert.deepEqual([...statement.predicate.passedTests].sort(), ids("passed"));
  assert.ok(statement.predicate.failedTests.length > 0, "the demo fails some control");
  assert.equal(statement.predicate.url, undefined, "no CI run here");

  // The inputs, each by a digest reproducible outside hostproof.
  const roles = new Map(statement.predicate.configuration.map((c) => [c.annotations.role, c] as const));
  assert.equal(roles.get("inventory")!.digest.sha256, sha(readFileSync(DEMO)));
  const listing = spawnSync("bash", ["-c", "cd features && find . -name '*.feature' -type f | sed 's|^\\./||' | LC_ALL=C sort | xargs -d '\\n' sha256sum | sha256sum"], { cwd: ROOT, encoding: "utf8" });
  assert.equal(roles.get("features")!.digest.sha256, listing.stdout.split(" ")[0], "the built-in features: sha256sum of their sha256sum listing");

  const verified = spawnCli(["verify", report, "--key", k.pemPub]);
  assert.equal(verified.code, 0, verified.stdout + verified.stderr);
  assert.match(verified.stdout, new RegExp(`signature verified: signed by keyid ${keyid}`));
  // A genuine report of another day verifies as well: verify says which estate, day and verdict were signed.
  const head = JSON.parse(readFileSync(join(report, "summary.json"), "utf8")) as { estate: string; startedAt: string };
  assert.ok(verified.stdout.includes(`signed report of estate ${JSON.stringify(head.estate)}, as of ${AS_OF}, run started ${head.startedAt}: verdict ${summary.verdict}`), verified.stdout);
  const unchecked = spawnCli(["verify", report]);
  assert.equal(unchecked.code, 0);
  assert.match(unchecked.stdout, new RegExp(`signed \\(attestation\\) by keyid ${keyid}; the signature was NOT checked`));
});

test("verify --key: a consistent forgery, another key, no signature and a replaced attestation are tampered (exit 1)", (t) => {
  if (!tools(t)) return;
  const k = makeKeys();
  const dir = tempDir();
  assert.equal(run(dir, "signed", ["--sign-key", k.pem, "--waivers", join(DEMO, "..", "waivers.yaml")]).code, 0);
  assert.equal(run(dir, "plain", []).code, 0);
  assert.equal(run(dir, "theirs", ["--sign-key", k.other]).code, 0);
  const signed = join(dir, "signed");

  // The forgery: a whole report, consistent in itself (manifest and all), with another verdict and
  // results, put in the signed report's place under its attestation. Without a key it is intact.
  const forged = join(dir, "forged");
  cpSync(join(dir, "plain"), forged, { recursive: true });
  cpSync(join(signed, "attestation.intoto.jsonl"), join(forged, "attestation.intoto.jsonl"));
  const waived = (report: string): number => (JSON.parse(readFileSync(join(report, "summary.json"), "utf8")) as { results: { status: string }[] }).results.filter((x) => x.status === "waived").length;
  assert.ok(waived(signed) > 0 && waived(forged) === 0, "the two reports differ: the signed one waives failures the forged one keeps");
  assert.equal(spawnCli(["verify", forged]).code, 0, "a consistent forgery passes without a key: that is why reports are signed");
  const caught = spawnCli(["verify", forged, "--key", k.pemPub]);
  assert.equal(caught.code, 1, caught.stdout + caught.stderr);
  assert.match(caught.stderr, /✘ signature {3}signature NOT valid: .*the attestation signs evidence\/manifest\.json with SHA-256 [0-9a-f]{64}, but the report's is [0-9a-f]{64}: the file was changed after it was signed/);
  assert.match(caught.stdout, /evidence NOT intact: signature not valid/);

  // One byte of summary.json changed and the manifest re-hashed to match: the subject gives it away.
  const edited = join(dir, "edited");
  cpSync(signed, edited, { recursive: true });
  const summaryFile = join(edited, "summary.json");
  const text = readFileSync(summaryFile, "utf8").replace(/("justification": ?")/g, "$1X");
  writeFileSync(summaryFile, text);
  const manifestFile = join(edited, "evidence", "manifest.json");
  const rehashed = readFileSync(manifestFile, "utf8").replace(/\{"path":"summary\.json","sha256":"[0-9a-f]{64}","bytes":\d+\}/, JSON.stringify({ path: "summary.json", sha256: sha(text), bytes: Buffer.byteLength(text) }));
  writeFileSync(manifestFile, rehashed);
  const editedNoKey = spawnCli(["verify", edited]);
  assert.equal(editedNoKey.code, 0, `the edit is consistent: ${editedNoKey.stdout}${editedNoKey.stderr}`);
  const editedKey = spawnCli(["verify", edited, "--key", k.pemPub]);
  assert.equal(editedKey.code, 1);
  assert.match(editedKey.stderr, /the attestation signs summary\.json with SHA-256 [0-9a-f]{64}, but the report's is/);

  const other = spawnCli(["verify", join(dir, "theirs"), "--key", k.pemPub]);
  assert.equal(other.code, 1);
  assert.match(other.stderr, /✘ signature {3}signature NOT valid: .*not among the keys given/);
  const bothKeys = spawnCli(["verify", join(dir, "theirs"), "--key", k.pemPub, "--key", k.otherPub]);
  assert.equal(bothKeys.code, 0, "any one of the keys given may have signed");

  const unsigned = spawnCli(["verify", join(dir, "plain"), "--key", k.pemPub]);
  assert.equal(unsigned.code, 1);
  assert.match(unsigned.stderr, /✘ signature {3}the report is not signed/);

  // The attestation of one report is not the attestation of another, even signed by the right key.
  const swapped = join(dir, "swapped");
  cpSync(join(dir, "theirs"), swapped, { recursive: true });
  cpSync(join(signed, "attestation.intoto.jsonl"), join(swapped, "attestation.intoto.jsonl"));
  assert.equal(spawnCli(["verify", swapped, "--key", k.pemPub]).code, 1);

  // A signature byte flipped.
  const flipped = join(dir, "flipped");
  cpSync(signed, flipped, { recursive: true });
  const env = envelopes(flipped)[0]!;
  const sig = Buffer.from(env.signatures[0]!.sig, "base64");
  sig[5] = sig[5]! ^ 1;
  writeFileSync(join(flipped, "attestation.intoto.jsonl"), `${JSON.stringify({ ...env, signatures: [{ ...env.signatures[0]!, sig: sig.toString("base64") }] })}\n`);
  const bad = spawnCli(["verify", flipped, "--key", k.pemPub]);
  assert.equal(bad.code, 1);
  assert.match(bad.stderr, /signature NOT valid/);

  // Only the signature files may stand beside the manifest: anything else there is unexpected.
  writeFileSync(join(signed, "attestation2.intoto.jsonl"), "{}\n");
  const planted = spawnCli(["verify", signed, "--key", k.pemPub]);
  assert.equal(planted.code, 1);
  assert.match(planted.stderr, /unexpected {2}attestation2\.intoto\.jsonl/);
});

test("an OpenSSH key: the manifest's SSH signature verifies with the real ssh-keygen, and verify --allowed-signers checks both", (t) => {
  if (!tools(t)) return;
  const k = makeKeys();
  const dir = tempDir();
  assert.equal(run(dir, "signed", ["--sign-key", k.ssh]).code, 0);
  const report = join(dir, "signed");
  const sigFile = join(report, "evidence", "manifest.json.sig");
  assert.ok(existsSync(sigFile));
  const allowed = join(dir, "allowed_signers");
  writeFileSync(allowed, `ci@example namespaces="hostproof" ${readFileSync(k.sshPub, "utf8").trim()}\n`);
  // Exactly what docs/evidence.md tells an auditor to run.
  const real = spawnSync("sh", ["-c", `ssh-keygen -Y verify -f allowed_signers -I ci@example -n hostproof -s signed/evidence/manifest.json.sig < signed/evidence/manifest.json`], { cwd: dir, encoding: "utf8" });
  assert.equal(real.status, 0, real.stderr);
  assert.match(real.stdout, /Good "hostproof" signature for ci@example with ED25519 key/);
  const wrongNs = spawnSync("sh", ["-c", `ssh-keygen -Y verify -f allowed_signers -I ci@example -n git -s signed/evidence/manifest.json.sig < signed/evidence/manifest.json`], { cwd: dir, encoding: "utf8" });
  assert.notEqual(wrongNs.status, 0, "a hostproof signature is not a git one");

  const ok = spawnCli(["verify", report, "--allowed-signers", allowed]);
  assert.equal(ok.code, 0, ok.stdout + ok.stderr);
  assert.match(ok.stdout, /signature verified: signed by ci@example \(keyid [0-9a-f]{64}, SHA256:[A-Za-z0-9+/]{43}.*and the manifest's SSH signature/);
  assert.equal(spawnCli(["verify", report, "--key", k.sshPub]).code, 0, "the OpenSSH public key line works as --key");
  // --identity chooses the lines as ssh-keygen's -I does: the signer's identity passes, another's key does not.
  const withOther = join(dir, "allowed_two");
  writeFileSync(withOther, `ci@example ${readFileSync(k.sshPub, "utf8").trim()}\nauditor@example ssh-ed25519 ${otherSshPub(dir)}\n`);
  assert.equal(spawnCli(["verify", report, "--allowed-signers", withOther, "--identity", "ci@example"]).code, 0);
  const notHim = spawnCli(["verify", report, "--allowed-signers", withOther, "--identity", "auditor@example"]);
  assert.equal(notHim.code, 1, notHim.stdout + notHim.stderr);
  assert.match(notHim.stderr, /not among the keys given/);
  const nobody = spawnCli(["verify", report, "--allowed-signers", withOther, "--identity", "nobody@example"]);
  assert.equal(nobody.code, 3);
  assert.match(nobody.stderr, /names the identity "nobody@example"/);

  // The SSH signature is checked too: a signature of another manifest fails verify, and ssh-keygen.
  writeFileSync(join(report, "evidence", "manifest.json.sig"), readFileSync(sigFile, "utf8"));
  const other = join(dir, "other");
  assert.equal(run(dir, "other", ["--sign-key", k.ssh]).code, 0);
  cpSync(join(other, "evidence", "manifest.json.sig"), sigFile);
  const mixed = spawnCli(["verify", report, "--allowed-signers", allowed]);
  assert.equal(mixed.code, 1);
  // The attestation names the SSH signature it was made with: another one is caught by its digest.
  assert.match(mixed.stderr, /the attestation signs evidence\/manifest\.json\.sig with SHA-256 [0-9a-f]{64}, but the report's is [0-9a-f]{64}/);
  const realMixed = spawnSync("sh", ["-c", `ssh-keygen -Y verify -f allowed_signers -I ci@example -n hostproof -s signed/evidence/manifest.json.sig < signed/evidence/manifest.json`], { cwd: dir, encoding: "utf8" });
  assert.notEqual(realMixed.status, 0);
});

test("merge --key takes only signed shards, signs the merged report, and verify --key follows the chain", (t) => {
  if (!tools(t)) return;
  const k = makeKeys();
  const dir = tempDir();
  for (const n of [1, 2]) assert.equal(run(dir, `shard-${n}`, ["--shard", `${n}/2`, "--sign-key", k.pem]).code, 0);
  const merged = spawnCli(["merge", "shard-1", "shard-2", "-o", "merged", "--no-history", "--no-html", "--exit-zero", "--key", k.pemPub, "--sign-key", k.pem], dir);
  assert.equal(merged.code, 0, merged.stderr);
  assert.match(merged.stdout, /each signed by a key given with --key/);
  const env = envelopes(join(dir, "merged"))[0]!;
  const statement = JSON.parse(Buffer.from(env.payload, "base64").toString("utf8")) as { predicate: { configuration: { name: string; digest: { sha256: string } }[] } };
  assert.deepEqual(
    statement.predicate.configuration.map((c) => [c.name, c.digest.sha256]),
    [1, 2].map((n) => [`shard ${n}/2`, sha(readFileSync(join(dir, `shard-${n}`, "evidence", "manifest.json")))]),
  );
  const verified = spawnCli(["verify", "merged", "--key", k.pemPub], dir);
  assert.equal(verified.code, 0, verified.stdout + verified.stderr);
  assert.match(verified.stdout, /2 of 2 shards verified/);

  // A shard signed by no trusted key: merge refuses it by name, nothing is written.
  assert.equal(run(dir, "shard-2u", ["--shard", "2/2"]).code, 0);
  const refused = spawnCli(["merge", "shard-1", "shard-2u", "-o", "merged-u", "--no-history", "--no-html", "--key", k.pemPub], dir);
  assert.equal(refused.code, 3, refused.stdout + refused.stderr);
  assert.match(refused.stderr, /shard-2u: the shard is not signed, and --key asks that every shard be signed/);
  assert.equal(existsSync(join(dir, "merged-u")), false);
  assert.equal(spawnCli(["merge", "shard-1", "shard-2u", "-o", "merged-u", "--no-history", "--no-html", "--exit-zero"], dir).code, 0, "without --key, unsigned shards merge");

  // The merged report's shards are checked with the same keys: an unsigned shard breaks the chain.
  const chain = spawnCli(["verify", "merged-u", "--key", k.pemPub], dir);
  assert.equal(chain.code, 1);
  assert.match(chain.stderr, /✘ shard 2\/2 .*it is not signed/);

  // A merged report forged consistently (another merge's files under this one's attestation).
  rmSync(join(dir, "merged-u", "attestation.intoto.jsonl"), { force: true });
  cpSync(join(dir, "merged", "attestation.intoto.jsonl"), join(dir, "merged-u", "attestation.intoto.jsonl"));
  const forged = spawnCli(["verify", "merged-u", "--key", k.pemPub], dir);
  assert.equal(forged.code, 1);
  assert.match(forged.stderr, /the attestation signs evidence\/manifest\.json with SHA-256/);
});

test("bad keys are exit 3 before anything is judged or written, and the private key appears nowhere", (t) => {
  if (!tools(t)) return;
  const k = makeKeys();
  const dir = tempDir();
  assert.equal(sh("openssl", ["genpkey", "-algorithm", "rsa", "-pkeyopt", "rsa_keygen_bits:2048", "-out", join(dir, "rsa.pem")]).code, 0);
  for (const [what, args] of [
    ["an RSA key", ["--sign-key", join(dir, "rsa.pem")]],
    ["a public key given as the private one", ["--sign-key", k.pemPub]],
    ["a missing key file", ["--sign-key", join(dir, "nope.pem")]],
  ] as const) {
    const r = run(dir, "out", [...args]);
    assert.equal(r.code, 3, `${what}: ${r.stdout}${r.stderr}`);
    assert.equal(existsSync(join(dir, "out")), false, `${what}: nothing written`);
    assert.doesNotMatch(r.stderr, /\n\s+at /, `${what}: no stack trace`);
  }
  const privateKey = readFileSync(k.pem, "utf8");

  const haystackExtra: Buffer[] = [];
  // The key through the environment, as a CI secret: a signed run, then every byte written and printed searched.
  const out = run(dir, "secret", ["--fail-on", "critical"], { ...process.env, HOSTPROOF_SIGN_KEY: privateKey });
  assert.equal(out.code, 0, out.stderr);
  assert.ok(existsSync(join(dir, "secret", "attestation.intoto.jsonl")));
  const verifyPriv = spawnCli(["verify", join(dir, "secret"), "--key", k.pem]);
  assert.equal(verifyPriv.code, 3, "a private key given to verify as a public one is refused");
  haystackExtra.push(Buffer.from(verifyPriv.stdout + verifyPriv.stderr));
  const body = privateKey.split("\n").filter((l) => l !== "" && !l.startsWith("-----"));
  const der = Buffer.from(body.join(""), "base64");
  const seed = der.subarray(der.length - 32);
  const needles = [...body, seed.toString("hex"), seed.toString("base64"), seed.toString("base64url")];
  const haystacks: [string, Buffer][] = [["stdout", Buffer.from(out.stdout)], ["stderr", Buffer.from(out.stderr)], ...haystackExtra.map((b) => ["verify's output", b] as [string, Buffer])];
  const walk = (d: string): void => {
    for (const e of readdirSync(d)) {
      const p = join(d, e);
      if (statSync(p).isDirectory()) walk(p);
      else if (!p.startsWith(k.dir)) haystacks.push([relative(dir, p), readFileSync(p)]);
    }
  };
  walk(dir);
  assert.ok(haystacks.length > 10);
  for (const [where, bytes] of haystacks) for (const needle of needles) assert.equal(bytes.includes(needle), false, `${where} holds the private key (${needle.slice(0, 8)}…)`);
});

test("HOSTPROOF_SIGN_KEY reaches no process hostproof starts: collect's pwsh and run's, with the key set", (t) => {
  const pwsh = findPwsh();
  if (!requireTool(t, "pwsh", pwsh, "install PowerShell 7 or set NODE_POWERSHELL")) return;
  if (!tools(t)) return;
  const k = makeKeys();
  const dir = tempDir();
  // A pwsh that writes down the environment it was given, then is the real pwsh.
  const wrapper = join(dir, "pwsh-recording");
  writeFileSync(wrapper, `#!/bin/sh\nenv > "${dir}/pwsh-env.$$"\nexec "${pwsh}" "$@"\n`, { mode: 0o755 });
  writeFileSync(join(dir, "inventory.yaml"), "version: 1\nhosts:\n  - name: localbox\n    transport: local\n");
  const env = { ...process.env, NODE_POWERSHELL: wrapper, HOSTPROOF_SIGN_KEY: readFileSync(k.pem, "utf8") };
  const collected = spawnCli(["collect", "-i", "inventory.yaml", "-o", "collected"], dir, env);
  assert.equal(collected.code, 0, collected.stderr);
  const ran = spawnCli(["run", "-i", "inventory.yaml", "-o", "report", "--no-html", "--no-history", "--exit-zero"], dir, env);
  assert.equal(ran.code, 0, ran.stderr);
  assert.ok(existsSync(join(dir, "report", "attestation.intoto.jsonl")), "run signed with the key from the environment");
  const recorded = readdirSync(dir).filter((f) => f.startsWith("pwsh-env."));
  assert.ok(recorded.length >= 2, `pwsh was started by both commands (${recorded.length} recorded)`);
  for (const f of recorded) assert.doesNotMatch(readFileSync(join(dir, f), "utf8"), /HOSTPROOF_SIGN_KEY|PRIVATE KEY/, `${f}: pwsh inherited the signing key`);
});
