/**
 * Signing in the example CI files, run here (emulate.ts), each with a throwaway key from the real
 * openssl handed over as its service's secret store hands it over:
 * - the merge takes only shards signed by the committed key: a shard signed by another key, or by
 *   none because its job had no secret, makes the merge job refuse (3), naming the shard;
 * - a merged report changed after the merge in a way only a signature shows (a file edited and
 *   re-hashed in the manifest) fails the verify step, so the job fails, while the gate still exits
 *   with merge's code;
 * - the placeholder committed as the public key lets no merge through;
 * - no private key is in any file or any output of any of it.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { createHash } from "node:crypto";
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { AZURE_FILE, GITHUB_FILE, ROOT } from "./workflows";
import { emulationDir, removeDir, runAzure, runGithub, type StepLog } from "./emulate";
import { findTraces } from "./signing-key";
import { AZURE_PUB, GITHUB_PUB, describe, haveTools, hostproof, parallel, shardCount, step, texts, throwawayKey } from "./runs";

const VERIFY_STEP = "Verify the merged report and its shards";
const SIGNS_ANOTHER_MANIFEST = /signature NOT valid: the attestation signs evidence\/manifest\.json with SHA-256 [0-9a-f]{64}, but the report's is [0-9a-f]{64}/;

/**
 * A forgery that the manifest alone cannot show: results.csv says "passed" where a control failed,
 * and its entry in evidence/manifest.json is re-hashed to match. results.csv is not read back
 * against summary.json, so only the signature over the manifest tells.
 */
function forge(report: string): void {
  const csvFile = join(report, "results.csv");
  const csv = readFileSync(csvFile, "utf8");
  const forged = csv.replace(",failed,", ",passed,");
  assert.notEqual(forged, csv, "the report has no failed result to forge");
  writeFileSync(csvFile, forged);
  const manifestFile = join(report, "evidence", "manifest.json");
  const manifest = readFileSync(manifestFile, "utf8");
  const entry = /\{"path":"results\.csv","sha256":"[0-9a-f]{64}","bytes":\d+\}/;
  assert.match(manifest, entry);
  const bytes = Buffer.from(forged);
  writeFileSync(manifestFile, manifest.replace(entry, JSON.stringify({ path: "results.csv", sha256: createHash("sha256").update(bytes).digest("hex"), bytes: bytes.length })));
}

/**
 * The verify step of a run whose merged report was forged after the merge failed on the
 * signature, and the gate still exited with merge's code; hostproof verify without a key, on
 * the same report, finds nothing wrong (else the test would prove nothing about signatures).
 */
function verifyStepCaught(logs: StepLog[], merged: string): void {
  const log = describe(logs);
  const mergeExit = Number(/hostproof merge exited (\d+)/.exec(step(logs, "merge", "Merge the shards").stdout)?.[1]);
  assert.ok([0, 1, 2].includes(mergeExit), log);
  const verify = step(logs, "merge", VERIFY_STEP);
  assert.equal(verify.code, 1, log);
  assert.match(verify.stdout + verify.stderr, SIGNS_ANOTHER_MANIFEST);
  assert.equal(step(logs, "merge", "Gate on the merged verdict").code, mergeExit, "the gate still exits with merge's code");
  const unkeyed = hostproof(["verify", merged]);
  assert.equal(unkeyed.code, 0, `a forgery the manifest alone shows proves nothing here\n${unkeyed.stdout}${unkeyed.stderr}`);
}

/** What the merge step printed: its refusal names each shard it refused, by its folder. */
function mergeRefused(logs: StepLog[], refusals: RegExp[]): void {
  const merge = step(logs, "merge", "Merge the shards");
  assert.match(merge.stdout, /hostproof merge exited 3\b/, describe(logs));
  for (const r of refusals) assert.match(merge.stderr, r);
}

test("key traces are found where a key is, and only that key's", (t) => {
  if (!haveTools(t)) return;
  const key = throwawayKey(t, "one");
  const other = throwawayKey(t, "other");
  const empty = emulationDir("hostproof-empty-");
  t.after(() => removeDir(empty));
  assert.ok(findTraces(key, dirname(key.file), {}).some((f) => f.startsWith(`${key.file} `)), "the key file itself");
  for (const text of [key.privatePem, key.oneLine]) assert.ok(findTraces(key, empty, { printed: text }).length > 0);
  assert.deepEqual(findTraces(key, empty, { printed: other.privatePem + other.oneLine + key.publicPem }), [], "another key, and the public half, are no trace");
});

test("GitHub Actions, run here: shards signed by another key or by none refused (3) by name; a forged merged report fails the verify step; no key anywhere", (t) => {
  if (!haveTools(t)) return;
  const dir = emulationDir("hostproof-gh-sign-");
  t.after(() => removeDir(dir));
  const key = throwawayKey(t);
  const other = throwawayKey(t, "other");
  const signed = { secrets: { HOSTPROOF_SIGN_KEY: key.privatePem }, committed: { [GITHUB_PUB]: key.publicPem } };

  // Shard 2's job sees another key (as a job bound to an environment with its own secret would),
  // shard 3's none (the secret reads as "", and the run signs nothing).
  const bad = runGithub(GITHUB_FILE, {
    tmp: dir,
    store: { caches: new Map() },
    runId: 301,
    ...signed,
    jobSecrets: { "shards (2)": { HOSTPROOF_SIGN_KEY: other.privatePem }, "shards (3)": {} },
  });
  for (let k = 1; k <= shardCount; k++) assert.equal(bad.results.get(`shards (${k})`), "success", describe(bad.logs));
  assert.ok(!existsSync(join(bad.artifacts.get("hostproof-shard-3")!, "attestation.intoto.jsonl")), "shard 3 ran unsigned");
  mergeRefused(bad.logs, [/hostproof-shard-2: signature NOT valid: signed by keyid "[0-9a-f]{64}", which is not among the keys given/, /hostproof-shard-3: the shard is not signed/]);
  assert.doesNotMatch(step(bad.logs, "merge", "Merge the shards").stderr, /hostproof-shard-[14]\b/, "the shards signed by the key are not named");
  assert.equal(step(bad.logs, "merge", VERIFY_STEP).code, "skipped");
  assert.equal(step(bad.logs, "merge", "Gate on the merged verdict").code, 3);
  assert.ok(!bad.artifacts.has("hostproof-report"), "a refused merge uploads no report");

  // As shipped, the committed public key file holds no key: merge refuses, whatever the shards.
  const shards = Array.from({ length: shardCount }, (_, i) => bad.artifacts.get(`hostproof-shard-${i + 1}`)!);
  const placeholder = hostproof(["merge", ...shards, "--out", join(dir, "placeholder"), "--no-html", "--no-history", "--key", join(ROOT, GITHUB_PUB)]);
  assert.equal(placeholder.code, 3, placeholder.stdout + placeholder.stderr);
  assert.match(placeholder.stderr, /hostproof-signing\.pub: the file holds no public key/);
  assert.ok(!existsSync(join(dir, "placeholder")));

  // The merged report forged between the merge and the verify step.
  const forged = runGithub(GITHUB_FILE, {
    tmp: dir,
    store: { caches: new Map() },
    runId: 302,
    ...signed,
    afterStep: (job, name, ws) => job === "merge" && name === "Merge the shards" && forge(join(ws, "out", "merged")),
  });
  verifyStepCaught(forged.logs, join(forged.workspaces.get("merge")!, "out", "merged"));
  assert.equal(forged.results.get("merge"), "failure");

  const everything = texts([...bad.logs, ...forged.logs], { "job summaries": bad.stepSummary + forged.stepSummary, placeholder: placeholder.stdout + placeholder.stderr });
  assert.deepEqual(findTraces(key, dir, everything), []);
  assert.deepEqual(findTraces(other, dir, everything), []);
});

test("Azure Pipelines, run here: shards signed by another key or by none refused (3) by name; a forged merged report fails the verify step; no key anywhere", (t) => {
  if (!haveTools(t)) return;
  const dir = emulationDir("hostproof-ado-sign-");
  t.after(() => removeDir(dir));
  const key = throwawayKey(t);
  const other = throwawayKey(t, "other");
  const signed = { secrets: { HOSTPROOF_SIGN_KEY: key.oneLine }, committed: { [AZURE_PUB]: key.publicPem } };

  // Shard 2's job sees another key.
  const otherKey = runAzure(AZURE_FILE, { tmp: dir, buildId: 301, ...signed, jobSecrets: { "shard (2)": { HOSTPROOF_SIGN_KEY: other.oneLine } } });
  for (let k = 1; k <= parallel; k++) assert.equal(otherKey.results.get(`shard (${k})`), "Succeeded", describe(otherKey.logs));
  mergeRefused(otherKey.logs, [/hostproof-shard-2: signature NOT valid: signed by keyid "[0-9a-f]{64}", which is not among the keys given/]);
  assert.doesNotMatch(step(otherKey.logs, "merge", "Merge the shards").stderr, /hostproof-shard-[134]\b/, "the shards signed by the key are not named");

  // Shard 3's job sees no secret variable, so its env: gets the macro unexpanded
  // ("$(HOSTPROOF_SIGN_KEY)"), which hostproof refuses (3), naming it for what it is: the job fails
  // and publishes nothing, and the merge finds the shard missing.
  const noSecret = runAzure(AZURE_FILE, { tmp: dir, buildId: 302, ...signed, jobSecrets: { "shard (3)": {} } });
  const judge3 = step(noSecret.logs, "shard (3)", "Judge this shard");
  assert.equal(judge3.code, 3, describe(noSecret.logs));
  assert.match(judge3.stderr, /HOSTPROOF_SIGN_KEY: this is the Azure Pipelines macro \$\(HOSTPROOF_SIGN_KEY\), left as written: no variable of that name is set/);
  assert.equal(noSecret.results.get("shard (3)"), "Failed");
  mergeRefused(noSecret.logs, [new RegExp(`shard 3/${parallel} of ${parallel} is missing`)]);

  for (const bad of [otherKey, noSecret]) {
    assert.equal(step(bad.logs, "merge", VERIFY_STEP).code, "skipped");
    assert.equal(step(bad.logs, "merge", "Gate on the merged verdict").code, 3);
    assert.ok(!bad.artifacts.has("hostproof-report"), "a refused merge publishes no report");
  }

  const forged = runAzure(AZURE_FILE, {
    tmp: dir,
    buildId: 303,
    ...signed,
    afterStep: (job, name, pw) => job === "merge" && name === "Merge the shards" && forge(join(pw, "merged")),
  });
  verifyStepCaught(forged.logs, join(forged.workspaces.get("merge")!, "merged"));
  assert.equal(forged.results.get("merge"), "Failed");

  const runs = [otherKey, noSecret, forged];
  const published = runs.flatMap((r) => [...r.summaries, ...r.testResults]).join("\n");
  const everything = texts(runs.flatMap((r) => r.logs), { "summaries and test results": published });
  assert.deepEqual(findTraces(key, dir, everything), []);
  assert.deepEqual(findTraces(other, dir, everything), []);
});
