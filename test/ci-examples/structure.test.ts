/**
 * The contract of the example CI files (examples/ci), beyond what a linter can know: N shard jobs
 * for --shard K/N, a merge that depends on them and runs when one failed, history restored before
 * the merge and saved after it, the summary published before the gate exits, the gate exiting
 * with merge's exit code, and the signing key's two halves where they belong: the secret on the
 * steps that sign and nowhere else, the public key committed and given to merge and verify.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { AZURE_FILE, GITHUB_FILE, ROOT, isInstall, list, readWorkflow, type AzureJob, type GithubJob, type GithubStep } from "./workflows";

const gh = readWorkflow(GITHUB_FILE);
const az = readWorkflow(AZURE_FILE);

function index<T>(steps: T[], pred: (s: T) => boolean, what: string): number {
  const i = steps.findIndex(pred);
  assert.ok(i >= 0, `no step ${what}`);
  return i;
}

const runs = (pattern: RegExp) => (s: { run?: string; bash?: string }) => pattern.test(s.run ?? s.bash ?? "");
const uses = (action: string) => (s: GithubStep) => (s.uses ?? "").startsWith(`${action}@`);

test("GitHub: a matrix of N shard jobs, fail-fast off, each running hostproof run --shard K/N and uploading its report", () => {
  const shards: GithubJob = gh.jobs.shards;
  assert.equal(shards.strategy?.["fail-fast"], false);
  const matrix = shards.strategy?.matrix as { shard: number[] };
  assert.deepEqual(Object.keys(matrix), ["shard"], "the matrix has a dimension besides shard: strategy.job-total is then not N");
  const n = matrix.shard.length;
  assert.ok(n >= 2);
  assert.deepEqual(matrix.shard, Array.from({ length: n }, (_, i) => i + 1), "shards are 1..N");
  const judge = shards.steps[index(shards.steps, runs(/hostproof\.js run\b/), "running hostproof run")];
  assert.match(judge.run!, /--shard "\$SHARD"/);
  assert.equal(judge.env?.SHARD, "${{ matrix.shard }}/${{ strategy.job-total }}", "K/N from the matrix");
  for (const flag of ["--exit-zero", "--no-history", "--out"]) assert.ok(judge.run!.includes(flag), flag);
  assert.match(judge.env?.OUT ?? "", /\$\{\{ matrix\.shard \}\}/, "each shard its own --out");
  const upload = shards.steps[index(shards.steps, uses("actions/upload-artifact"), "uploading the shard")];
  assert.ok(shards.steps.indexOf(upload) > shards.steps.indexOf(judge));
  assert.match(String(upload.with?.name), /\$\{\{ matrix\.shard \}\}/, "unique artifact names");
  assert.equal(upload.with?.path, judge.env?.OUT, "the upload is the shard's --out");
  assert.match(upload.if ?? "", /always\(\)|!cancelled\(\)/, "uploaded even when the shard failed");
});

test("GitHub: the merge job depends on the shards, runs when one failed, restores history, merges, publishes, saves, then gates", () => {
  const merge: GithubJob = gh.jobs.merge;
  assert.ok(list(merge.needs).includes("shards"));
  assert.match(merge.if ?? "", /always\(\)|!cancelled\(\)/);
  const s = merge.steps;
  const download = index(s, uses("actions/download-artifact"), "downloading the shards");
  assert.equal(s[download].with?.pattern, "hostproof-shard-*");
  const restore = index(s, uses("actions/cache/restore"), "restoring history");
  const doMerge = index(s, runs(/hostproof\.js merge\b/), "running hostproof merge");
  const summary = index(s, runs(/GITHUB_STEP_SUMMARY/), "publishing the summary");
  const save = index(s, uses("actions/cache/save"), "saving history");
  const gate = index(s, runs(/exit "\$MERGE_EXIT"/), "gating");
  assert.ok(download < doMerge && restore < doMerge, "shards and history are there before the merge");
  assert.ok(doMerge < summary && summary < gate && save < gate && doMerge < save, "merge, then summary and history, then the gate");
  assert.ok(s.slice(0, gate).every((st) => !runs(/^\s*exit "?\$/m)(st)), "only the gate exits with merge's code");
  assert.match(s[doMerge].run!, /\|\| code=\$\?/, "merge's exit code is kept, not fatal under set -e");
  assert.equal(s[doMerge].id, "merge");
  assert.match(s[doMerge].run!, /--history "\$HOSTPROOF_HISTORY"/);
  assert.ok(s[restore].with?.path && String(gh.env.HOSTPROOF_HISTORY).startsWith(`${s[restore].with?.path}/`), "the cache holds the history folder");
  assert.equal(s[save].with?.path, s[restore].with?.path);
  assert.equal(s[save].with?.key, s[restore].with?.key);
  assert.match(String(s[restore].with?.key), /github\.run_id/, "the key rolls forward per run");
  assert.ok(String(s[restore].with?.key).startsWith(String(s[restore].with?.["restore-keys"])), "restore-keys is the key's prefix");
  for (const i of [summary, gate]) assert.match(s[i].if ?? "", /always\(\)|!cancelled\(\)/, `step ${i} runs after a failure`);
  assert.match(s[save].if ?? "", /!cancelled\(\)|always\(\)/);
  assert.equal(s[gate].env?.MERGE_EXIT, "${{ steps.merge.outputs.exit-code }}");
});

test("GitHub: scripts are bash with set -euo pipefail and take what varies from env:, not from ${{ }} in the script", () => {
  assert.equal(gh.defaults?.run?.shell, "bash");
  for (const [name, job] of Object.entries<GithubJob>(gh.jobs)) {
    for (const step of job.steps) {
      if (step.run === undefined) continue;
      assert.doesNotMatch(step.run, /\$\{\{/, `${name}: ${step.name}: an expression in the script`);
      if (!isInstall(step.run)) assert.match(step.run, /^set -euo pipefail\n/, `${name}: ${step.name}`);
    }
    for (const step of job.steps) if (step.uses) assert.match(step.uses, /^[\w-]+\/[\w/-]+@[0-9a-f]{40}$/, `${step.uses} is not pinned to a commit`);
  }
});

test("Azure: strategy parallel N, --shard from System.JobPositionInPhase/System.TotalJobsInPhase, one artifact per shard", () => {
  const jobs: AzureJob[] = az.jobs;
  const shard = jobs.find((j) => j.job === "shard")!;
  assert.ok(Number.isInteger(shard.strategy?.parallel) && shard.strategy!.parallel! >= 2);
  const judge = shard.steps[index(shard.steps, runs(/hostproof\.js run\b/), "running hostproof run")];
  assert.match(judge.bash!, /--shard "\$SHARD_INDEX\/\$SHARD_COUNT"/);
  assert.equal(judge.env?.SHARD_INDEX, "$(System.JobPositionInPhase)");
  assert.equal(judge.env?.SHARD_COUNT, "$(System.TotalJobsInPhase)");
  for (const flag of ["--exit-zero", "--no-history", "--out"]) assert.ok(judge.bash!.includes(flag), flag);
  const publish = shard.steps.find((s) => s.task === "PublishPipelineArtifact@1")!;
  assert.equal(publish.inputs?.targetPath, judge.env?.OUT);
  assert.match(String(publish.inputs?.artifact), /\$\(System\.JobPositionInPhase\)/);
  assert.equal(publish.condition, "succeededOrFailed()");
});

test("Azure: the merge job depends on the shards, runs when one failed, restores history, merges, publishes, saves, then gates", () => {
  const merge = (az.jobs as AzureJob[]).find((j) => j.job === "merge")!;
  assert.ok(list(merge.dependsOn).includes("shard"));
  assert.doesNotMatch(merge.condition ?? "succeeded()", /^succeeded\(\)$/);
  assert.match(merge.condition ?? "", /not\(canceled\(\)\)|succeededOrFailed\(\)|always\(\)/);
  const s = merge.steps;
  const download = index(s, (st) => st.task === "DownloadPipelineArtifact@2" && st.inputs?.buildType === "current", "downloading the shards");
  const restore = index(s, (st) => st.task === "DownloadPipelineArtifact@2" && st.inputs?.artifactName === "hostproof-history", "restoring history");
  const doMerge = index(s, runs(/hostproof\.js merge\b/), "running hostproof merge");
  const summary = index(s, runs(/##vso\[task\.uploadsummary\]/), "publishing the summary");
  const junit = index(s, (st) => st.task === "PublishTestResults@2", "publishing junit");
  const save = index(s, (st) => st.task === "PublishPipelineArtifact@1" && st.inputs?.artifact === "hostproof-history", "saving history");
  const gate = index(s, runs(/exit "\$MERGE_EXIT"/), "gating");
  assert.ok(download < doMerge && restore < doMerge);
  assert.ok(doMerge < summary && summary < gate && junit < gate && doMerge < save && save < gate);
  assert.match(s[doMerge].bash!, /\|\| code=\$\?/);
  assert.match(s[doMerge].bash!, /##vso\[task\.setvariable variable=mergeExit\]\$code/);
  assert.equal(s[restore].inputs?.targetPath, s[save].inputs?.targetPath);
  assert.equal(s[restore].inputs?.targetPath, "$(HOSTPROOF_HISTORY)");
  assert.equal(s[restore].continueOnError, true, "the first run has no earlier history");
  for (const i of [summary, junit, save, gate]) assert.match(s[i].condition ?? "", /succeededOrFailed\(\)|always\(\)/, `step ${i}`);
  assert.equal(s[gate].env?.MERGE_EXIT, "$(mergeExit)");
});

test("Azure: scripts are bash with set -euo pipefail and take what varies from env:", () => {
  for (const job of az.jobs as AzureJob[]) {
    for (const step of job.steps) {
      if (step.bash === undefined) continue;
      assert.match(step.bash, /^set -euo pipefail\n/, `${job.job}: ${step.displayName}`);
      assert.doesNotMatch(step.bash, /\$\((?!date )[A-Za-z_.]+\)/, `${job.job}: ${step.displayName}: a macro in the script`);
    }
  }
});

/** Where a secret may reach: the steps that run hostproof run or merge, and nothing else. */
function signingSteps<S extends { run?: string; bash?: string; env?: Record<string, string> }>(steps: S[], secretRef: string): S[] {
  const signers = steps.filter(runs(/hostproof\.js (run|merge)\b/));
  for (const s of signers) assert.equal(s.env?.HOSTPROOF_SIGN_KEY, secretRef, `${s.run ?? s.bash}: signs with the secret`);
  for (const s of steps.filter((st) => !signers.includes(st))) assert.doesNotMatch(JSON.stringify(s), /HOSTPROOF_SIGN_KEY|secrets\./, "a step that does not sign sees no secret");
  return signers;
}

/** The public key the merge trusts and verifies with: a committed file, never made from the secret. */
function publicKeyIsCommitted(path: unknown, scripts: string[]): void {
  assert.equal(typeof path, "string");
  const text = readFileSync(join(ROOT, String(path)), "utf8");
  assert.doesNotMatch(text, /PRIVATE KEY/, "only a public key is committed");
  for (const script of scripts) {
    assert.doesNotMatch(script, /\bpkey\b|-pubout|ssh-keygen -y|HOSTPROOF_SIGN_KEY/, "no script derives the public key from the secret or handles the secret itself");
  }
}

test("GitHub: shards and merge sign with the Actions secret, on their steps only; merge takes only shards signed by the committed key; the merged report is verified before the gate", () => {
  assert.doesNotMatch(JSON.stringify({ env: gh.env, jobs: Object.values<GithubJob>(gh.jobs).map((j) => j.env ?? {}) }), /secrets\./, "no secret in a workflow's or job's env: (every step would see it)");
  publicKeyIsCommitted(gh.env.SIGNING_PUBLIC_KEY, Object.values<GithubJob>(gh.jobs).flatMap((j) => j.steps.map((s) => s.run ?? "")));
  const shards: GithubJob = gh.jobs.shards;
  const merge: GithubJob = gh.jobs.merge;
  assert.equal(signingSteps(shards.steps, "${{ secrets.HOSTPROOF_SIGN_KEY }}").length, 1);
  assert.equal(signingSteps(merge.steps, "${{ secrets.HOSTPROOF_SIGN_KEY }}").length, 1);
  signingSteps(gh.jobs.plan.steps, "");
  const s = merge.steps;
  const doMerge = index(s, runs(/hostproof\.js merge\b/), "running hostproof merge");
  assert.match(s[doMerge].run!, /--key "\$SIGNING_PUBLIC_KEY"/);
  const verify = index(s, runs(/hostproof\.js verify out\/merged --key "\$SIGNING_PUBLIC_KEY"/), "verifying the merged report with the committed key");
  const gate = index(s, runs(/exit "\$MERGE_EXIT"/), "gating");
  assert.ok(doMerge < verify && verify < gate);
  assert.equal(s[verify].if, "${{ !cancelled() && contains(fromJSON('[\"0\",\"1\",\"2\"]'), steps.merge.outputs.exit-code) }}", "after every merge that wrote a report, whatever its verdict");
  assert.ok(!("continue-on-error" in s[verify]), "a report that does not verify fails the job");
});

test("Azure: shards and merge sign with the secret variable, mapped on their steps only; merge takes only shards signed by the committed key; the merged report is verified before the gate", () => {
  assert.ok(!("HOSTPROOF_SIGN_KEY" in az.variables), "the secret is a pipeline secret variable, never in the YAML");
  assert.equal(az.variables.SIGNING_PUBLIC_KEY, gh.env.SIGNING_PUBLIC_KEY, "both examples trust the same committed key file");
  const jobs: AzureJob[] = az.jobs;
  publicKeyIsCommitted(az.variables.SIGNING_PUBLIC_KEY, jobs.flatMap((j) => j.steps.map((s) => s.bash ?? "")));
  for (const job of jobs) assert.doesNotMatch(JSON.stringify(job.variables ?? {}), /HOSTPROOF_SIGN_KEY/);
  assert.equal(signingSteps(jobs.find((j) => j.job === "shard")!.steps, "$(HOSTPROOF_SIGN_KEY)").length, 1);
  const merge = jobs.find((j) => j.job === "merge")!;
  assert.equal(signingSteps(merge.steps, "$(HOSTPROOF_SIGN_KEY)").length, 1);
  signingSteps(jobs.find((j) => j.job === "plan")!.steps, "");
  const s = merge.steps;
  const doMerge = index(s, runs(/hostproof\.js merge\b/), "running hostproof merge");
  assert.match(s[doMerge].bash!, /--key "\$SIGNING_PUBLIC_KEY"/);
  const verify = index(s, runs(/hostproof\.js verify "\$MERGED" --key "\$SIGNING_PUBLIC_KEY"/), "verifying the merged report with the committed key");
  const gate = index(s, runs(/exit "\$MERGE_EXIT"/), "gating");
  assert.ok(doMerge < verify && verify < gate);
  assert.equal(s[verify].condition, "and(succeededOrFailed(), in(variables.mergeExit, '0', '1', '2'))", "after every merge that wrote a report, whatever its verdict");
  assert.notEqual(s[verify].continueOnError, true, "a report that does not verify fails the job");
});
