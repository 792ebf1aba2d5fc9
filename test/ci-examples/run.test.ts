/**
 * The example CI files for real: every job's script steps run here (test/ci-examples/emulate.ts)
 * against the demo estate through bin/hostproof.js, artifacts and history carried between jobs and
 * runs as the services carry them, and a throwaway signing key (real openssl) handed over as each
 * service's secret store hands it over, its public half committed where the files name it. The
 * merge's gate exits with the code an unsharded run gives, the merged report is signed and
 * verifies with the public key, the job summary is merged summary.md, a second run sees the
 * first's history, a shard whose runner is lost makes the merge refuse (3) instead of passing on
 * part of the estate, and the private key is in no file and no output of any of it.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { AZURE_FILE, GITHUB_FILE } from "./workflows";
import { emulationDir, listDir, removeDir, runAzure, runGithub, type GithubStore } from "./emulate";
import { findTraces } from "./signing-key";
import { AZURE_PUB, DEMO, GITHUB_PUB, describe, haveTools, hostproof, parallel, shardCount, step, texts, throwawayKey, verifiesSigned } from "./runs";

interface MergedSummary {
  exitCode: number;
  asOf: string;
  totals: Record<string, number>;
  results?: { target: string; control: string; status: string }[];
  drift?: { compared: boolean };
}

/** The unsharded run the merge must agree with, as of the day the CI run decided. */
function unsharded(dir: string, asOf: string): MergedSummary {
  const out = join(dir, "unsharded");
  const res = hostproof(["run", "-i", DEMO, "--as-of", asOf, "--no-history", "--no-html", "-o", out]);
  const summary = JSON.parse(readFileSync(join(out, "summary.json"), "utf8")) as MergedSummary;
  assert.equal(res.code, summary.exitCode, res.stderr);
  return summary;
}

function sameResults(merged: MergedSummary, whole: MergedSummary): void {
  assert.equal(merged.exitCode, whole.exitCode);
  assert.deepEqual(merged.totals, whole.totals);
  if (whole.results && merged.results) {
    const key = (r: { target: string; control: string; status: string }) => `${r.target} ${r.control} ${r.status}`;
    assert.deepEqual(merged.results.map(key), whole.results.map(key));
  }
}

test("GitHub Actions workflow, run here: shards, merge, job summary, history across runs, a lost shard refused", (t) => {
  if (!haveTools(t)) return;
  const dir = emulationDir("hostproof-gh-");
  t.after(() => removeDir(dir));
  const store: GithubStore = { caches: new Map() };
  const key = throwawayKey(t);
  const pub = key.pubFile;
  const signed = { secrets: { HOSTPROOF_SIGN_KEY: key.privatePem }, committed: { [GITHUB_PUB]: key.publicPem } };

  // Run 1: no history yet.
  const first = runGithub(GITHUB_FILE, { tmp: dir, store, runId: 101, ...signed });
  const log = describe(first.logs);
  const asOf = first.jobs.plan.outputs["as-of"];
  assert.match(asOf, /^\d{4}-\d{2}-\d{2}$/, log);
  const whole = unsharded(dir, asOf);
  assert.notEqual(whole.exitCode, 0, "the demo estate is non-compliant on purpose: a gate that passes would prove nothing");
  for (let k = 1; k <= shardCount; k++) assert.equal(first.results.get(`shards (${k})`), "success", log);
  assert.deepEqual([...first.artifacts.keys()].filter((a) => a.startsWith("hostproof-shard-")).sort(), Array.from({ length: shardCount }, (_, i) => `hostproof-shard-${i + 1}`).sort());
  assert.match(step(first.logs, "merge", "Merge the shards").stdout, new RegExp(`hostproof merge exited ${whole.exitCode}\\b`), log);
  assert.equal(step(first.logs, "merge", "Gate on the merged verdict").code, whole.exitCode, log);
  assert.equal(first.results.get("merge"), "failure");
  const merged = join(first.workspaces.get("merge")!, "out", "merged");
  const summary1 = JSON.parse(readFileSync(join(merged, "summary.json"), "utf8")) as MergedSummary;
  sameResults(summary1, whole);
  assert.equal(summary1.drift?.compared ?? false, false, "the first run has nothing to compare with");
  assert.equal(first.stepSummary, readFileSync(join(merged, "summary.md"), "utf8"), "the job summary is the merged summary.md");
  assert.ok(first.artifacts.has("hostproof-report"));
  assert.deepEqual([...store.caches.keys()], ["hostproof-history-101-1"], "history saved although the gate failed");
  for (let k = 1; k <= shardCount; k++) assert.ok(existsSync(join(first.artifacts.get(`hostproof-shard-${k}`)!, "attestation.intoto.jsonl")), `shard ${k} is signed`);
  assert.equal(step(first.logs, "merge", "Verify the merged report and its shards").code, 0, log);
  verifiesSigned(merged, pub);
  // The uploaded report, as an auditor downloads it with the shards' artifacts.
  verifiesSigned(first.artifacts.get("hostproof-report")!, pub, Array.from({ length: shardCount }, (_, i) => first.artifacts.get(`hostproof-shard-${i + 1}`)!));

  // Run 2: restores run 1's history through restore-keys and reports drift against it.
  const second = runGithub(GITHUB_FILE, { tmp: dir, store, runId: 102, ...signed });
  assert.match(step(second.logs, "merge", "Restore history").stdout, /restored hostproof-history-101-1/, describe(second.logs));
  const summary2 = JSON.parse(readFileSync(join(second.workspaces.get("merge")!, "out", "merged", "summary.json"), "utf8")) as MergedSummary;
  assert.equal(summary2.drift?.compared, true, "the second run compares with the first");
  assert.equal(step(second.logs, "merge", "Gate on the merged verdict").code, whole.exitCode);
  assert.deepEqual([...store.caches.keys()], ["hostproof-history-101-1", "hostproof-history-102-1"]);

  // Run 3: shard 3's runner is lost: the merge still runs, refuses, and the summary says so.
  const third = runGithub(GITHUB_FILE, { tmp: dir, store, runId: 103, lost: ["shards (3)"], ...signed });
  assert.equal(third.results.get("shards (3)"), "failure");
  assert.equal(step(third.logs, "merge", "Gate on the merged verdict").code, 3, describe(third.logs));
  assert.match(step(third.logs, "merge", "Merge the shards").stderr, /shard/i);
  assert.match(third.stepSummary, /wrote no report \(exit 3\)/);
  assert.equal(step(third.logs, "merge", "Save history").code, "skipped", "a refused merge saves no history");
  assert.equal(store.caches.size, 2);
  assert.deepEqual(listDir(join(third.workspaces.get("merge")!, "out", "shards")), ["hostproof-shard-1", "hostproof-shard-2", "hostproof-shard-4"]);
  assert.equal(step(third.logs, "merge", "Verify the merged report and its shards").code, "skipped", "no report to verify");

  // Printed as it was, with no masking: GitHub's ::add-mask:: is not what keeps the key out of the logs.
  assert.deepEqual(findTraces(key, dir, texts([...first.logs, ...second.logs, ...third.logs], { "job summaries": first.stepSummary + second.stepSummary + third.stepSummary })), []);
});

test("Azure Pipelines, run here: parallel shards, merge, run summary, JUnit, history across runs, a lost shard refused", (t) => {
  if (!haveTools(t)) return;
  const dir = emulationDir("hostproof-ado-");
  t.after(() => removeDir(dir));
  const key = throwawayKey(t);
  const pub = key.pubFile;
  const signed = { secrets: { HOSTPROOF_SIGN_KEY: key.oneLine }, committed: { [AZURE_PUB]: key.publicPem } };

  const first = runAzure(AZURE_FILE, { tmp: dir, buildId: 201, ...signed });
  const log = describe(first.logs);
  const asOf = first.jobs.plan.outputs["day.asOf"];
  assert.match(asOf, /^\d{4}-\d{2}-\d{2}$/, log);
  const whole = unsharded(dir, asOf);
  for (let k = 1; k <= parallel; k++) assert.equal(first.results.get(`shard (${k})`), "Succeeded", log);
  // The first run has no earlier run's history: that download fails, and the merge goes on.
  assert.equal(step(first.logs, "merge", "Restore history (the previous run's artifact)").code, 1);
  assert.equal(step(first.logs, "merge", "Gate on the merged verdict").code, whole.exitCode, log);
  assert.equal(first.results.get("merge"), "Failed");
  const merged = join(first.workspaces.get("merge")!, "merged");
  const summary1 = JSON.parse(readFileSync(join(merged, "summary.json"), "utf8")) as MergedSummary;
  sameResults(summary1, whole);
  assert.deepEqual(first.summaries, [readFileSync(join(merged, "summary.md"), "utf8")], "the run summary is the merged summary.md");
  assert.equal(first.testResults.length, 1);
  assert.match(first.testResults[0], /<testsuites?\b/);
  assert.ok(first.artifacts.has("hostproof-history") && first.artifacts.has("hostproof-report"), "history and report published although the gate failed");
  for (let k = 1; k <= parallel; k++) assert.ok(existsSync(join(first.artifacts.get(`hostproof-shard-${k}`)!, "attestation.intoto.jsonl")), `shard ${k} is signed`);
  assert.equal(step(first.logs, "merge", "Verify the merged report and its shards").code, 0, log);
  verifiesSigned(merged, pub);

  const second = runAzure(AZURE_FILE, { tmp: dir, buildId: 202, previous: first, ...signed });
  assert.equal(step(second.logs, "merge", "Restore history (the previous run's artifact)").code, 0, describe(second.logs));
  const summary2 = JSON.parse(readFileSync(join(second.workspaces.get("merge")!, "merged", "summary.json"), "utf8")) as MergedSummary;
  assert.equal(summary2.drift?.compared, true, "the second run compares with the first");
  assert.equal(step(second.logs, "merge", "Gate on the merged verdict").code, whole.exitCode);

  const third = runAzure(AZURE_FILE, { tmp: dir, buildId: 203, previous: second, lost: ["shard (2)"], ...signed });
  assert.equal(third.results.get("shard (2)"), "Failed");
  assert.equal(step(third.logs, "merge", "Gate on the merged verdict").code, 3, describe(third.logs));
  assert.deepEqual(third.summaries, [], "no merged report, no summary file");
  assert.match(step(third.logs, "merge", "Publish summary.md as the run summary").stdout, /wrote no report \(exit 3\)/);
  assert.equal(step(third.logs, "merge", "Save history for the next run").code, "skipped");
  assert.ok(!third.artifacts.has("hostproof-history"));
  assert.equal(step(third.logs, "merge", "Verify the merged report and its shards").code, "skipped", "no report to verify");

  // Printed as it was, with no masking: Azure's masking of secret variables is not what keeps the key out of the logs.
  const published = [...first.summaries, ...second.summaries, ...third.summaries, ...first.testResults, ...second.testResults, ...third.testResults].join("\n");
  assert.deepEqual(findTraces(key, dir, texts([...first.logs, ...second.logs, ...third.logs], { "summaries and test results": published })), []);
});
