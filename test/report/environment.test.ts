import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { test, type TestContext } from "node:test";
import { sha256Hex } from "../../src/evidence/manifest";
import { featuresDigest, featuresGitState, NOT_A_CHECKOUT, runEnvironment, systemProbes, type EnvironmentProbes } from "../../src/report/bookkeeping/environment";
import { scratch } from "./tmp";

const fixed = (git: EnvironmentProbes["git"]): EnvironmentProbes => ({ git, username: () => "auditor", hostname: () => "ci-box" });

function gitAvailable(): boolean {
  return systemProbes.git(["--version"], process.cwd()) !== undefined;
}

/** A repository with features/ committed, as a hostproof checkout has. */
function repoWithFeatures(t: TestContext): { repo: string; features: string } {
  const repo = scratch(t);
  const features = join(repo, "features");
  mkdirSync(features);
  writeFileSync(join(features, "a.feature"), "Feature: A\n");
  const git = (...args: string[]): void => void execFileSync("git", args, { cwd: repo, stdio: "ignore" });
  git("init", "-q");
  git("-c", "user.email=t@example.test", "-c", "user.name=t", "add", ".");
  git("-c", "user.email=t@example.test", "-c", "user.name=t", "commit", "-q", "-m", "features");
  return { repo, features };
}

test("in a git checkout: the features' commit, 'no' when clean, the changed files when not", (t) => {
  if (!gitAvailable()) return t.skip("git not installed");
  const { features } = repoWithFeatures(t);
  const clean = featuresGitState(features);
  assert.match(clean.commit, /^[0-9a-f]{40}$/);
  assert.equal(clean.modified, "no");
  writeFileSync(join(features, "a.feature"), "Feature: A changed\n");
  writeFileSync(join(features, "new.feature"), "Feature: B\n");
  const dirty = featuresGitState(features);
  assert.equal(dirty.commit, clean.commit);
  assert.match(dirty.modified, /^yes: 2 file\(s\) differ from the commit \(.*a\.feature, .*new\.feature\)$/);
});

test("not a checkout: no git, no repository, or features untracked inside someone else's repository", (t) => {
  if (!gitAvailable()) return t.skip("git not installed");
  const plain = scratch(t);
  assert.deepEqual(featuresGitState(plain), { commit: NOT_A_CHECKOUT, modified: NOT_A_CHECKOUT });
  // hostproof under node_modules of the user's repository: HEAD exists but does not hold the features.
  const { repo } = repoWithFeatures(t);
  const installed = join(repo, "node_modules", "hostproof", "features");
  mkdirSync(installed, { recursive: true });
  writeFileSync(join(installed, "x.feature"), "Feature: X\n");
  assert.deepEqual(featuresGitState(installed), { commit: NOT_A_CHECKOUT, modified: NOT_A_CHECKOUT });
  assert.deepEqual(featuresGitState(plain, fixed(() => undefined)), { commit: NOT_A_CHECKOUT, modified: NOT_A_CHECKOUT });
});

test("runEnvironment: version, features, inventory digest, who, when", (t) => {
  const dir = scratch(t);
  const features = join(dir, "features");
  mkdirSync(join(features, "sub"), { recursive: true });
  writeFileSync(join(features, "a.feature"), "Feature: A\n");
  writeFileSync(join(features, "sub", "b.feature"), "Feature: B\n");
  writeFileSync(join(features, "notes.md"), "not a feature\n");
  const inventory = join(dir, "estate.yaml");
  writeFileSync(inventory, "version: 1\nhosts: []\n");
  const head = "a".repeat(40);
  const git: EnvironmentProbes["git"] = (args) => (args[0] === "ls-files" ? "a.feature\n" : args[0] === "rev-parse" ? `${head}\n` : " M a.feature\n");
  const env = runEnvironment({ version: "0.2.0", featuresDir: features, inventoryFile: inventory, startedAt: "2026-11-22T10:00:00.000Z", finishedAt: "2026-11-22T10:00:05.000Z" }, fixed(git));
  assert.deepEqual(env, {
    "hostproof.version": "0.2.0",
    "features.commit": head,
    "features.modified": "yes: 1 file(s) differ from the commit (a.feature)",
    "features.sha256": sha256Hex(`${sha256Hex("Feature: A\n")}  a.feature\n${sha256Hex("Feature: B\n")}  sub/b.feature\n`),
    "inventory.sha256": sha256Hex("version: 1\nhosts: []\n"),
    "run.by": "auditor@ci-box",
    "run.started": "2026-11-22T10:00:00.000Z",
    "run.finished": "2026-11-22T10:00:05.000Z",
  });
  assert.deepEqual(Object.keys(env).slice(0, 2), ["hostproof.version", "features.commit"], "widget order");
});

test("runEnvironment never throws: an unreadable inventory or features folder is said so", (t) => {
  const dir = scratch(t);
  const env = runEnvironment({ version: "1", featuresDir: join(dir, "none"), inventoryFile: join(dir, "missing.yaml"), startedAt: "s" }, fixed(() => undefined));
  assert.equal(env["inventory.sha256"], "(unreadable: ENOENT)");
  assert.match(env["features.sha256"]!, /^\(unreadable: /);
  assert.equal(env["features.commit"], NOT_A_CHECKOUT);
  assert.equal("run.finished" in env, false);
});

test("hostproof's own features digest is stable and changes with a byte", (t) => {
  const dir = scratch(t);
  writeFileSync(join(dir, "a.feature"), "Feature: A\n");
  const before = featuresDigest(dir);
  assert.equal(featuresDigest(dir), before);
  writeFileSync(join(dir, "a.feature"), "Feature: a\n");
  assert.notEqual(featuresDigest(dir), before);
  assert.match(featuresDigest(join(__dirname, "..", "..", "features")), /^[0-9a-f]{64}$/);
});

test("the organisation's own features are named and hashed apart; --no-builtin is said", (t) => {
  const dir = scratch(t);
  const file = join(dir, "rdp.feature");
  writeFileSync(file, "Feature: R\n");
  const env = runEnvironment(
    { version: "1", featuresDir: dir, userFeatures: [{ path: file, shown: "acme/rdp.feature", origin: "acme" }], builtin: false, inventoryFile: file, startedAt: "s" },
    fixed(() => undefined),
  );
  assert.equal(env["features.builtin"], "not run (--no-builtin)");
  assert.equal(env["features.user.folders"], "acme");
  assert.equal(env["features.user.sha256"], sha256Hex(`${sha256Hex("Feature: R\n")}  acme/rdp.feature\n`));
  writeFileSync(file, "Feature: r\n");
  assert.notEqual(runEnvironment({ version: "1", featuresDir: dir, userFeatures: [{ path: file, shown: "acme/rdp.feature", origin: "acme" }], inventoryFile: file, startedAt: "s" }, fixed(() => undefined))["features.user.sha256"], env["features.user.sha256"]);
});
