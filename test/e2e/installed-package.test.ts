/**
 * Installable anywhere: the tarball `npm pack` makes installs into an empty folder, and hostproof
 * runs there as a user would run it (`npx hostproof`), on a copy of the demo estate, judging it as
 * the clone does. The tarball holds what runs (dist/, features/, schemas/, examples/), not tests.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { cpSync, mkdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { AS_OF, BIN, ROOT, tempDir } from "./cli";

const NPM = process.platform === "win32" ? "npm.cmd" : "npm";
const NPX = process.platform === "win32" ? "npx.cmd" : "npx";

/** The environment without the npm_* settings of the `npm test` this may run under. */
function cleanEnv(): NodeJS.ProcessEnv {
  return Object.fromEntries(Object.entries(process.env).filter(([k]) => !/^npm_/i.test(k)));
}

function run(cmd: string, args: string[], cwd: string, env: NodeJS.ProcessEnv = cleanEnv()): { status: number | null; stdout: string; stderr: string } {
  const res = spawnSync(cmd, args, { cwd, env: { ...env, NO_COLOR: "1" }, encoding: "utf8" });
  return { status: res.status, stdout: res.stdout, stderr: res.stderr };
}

function totals(reports: string): Record<string, number> {
  return (JSON.parse(readFileSync(join(reports, "summary.json"), "utf8")) as { totals: Record<string, number> }).totals;
}

test("npm pack's tarball installs into an empty folder, and npx hostproof runs a copied example there", () => {
  const dir = tempDir("hostproof-pack-");
  // --ignore-scripts: the tarball of the dist/ npm test built, without building it again under
  // the tests that are running it (a plain `npm pack` builds first, through prepare).
  const pack = run(NPM, ["pack", "--ignore-scripts", "--json", "--pack-destination", dir], ROOT);
  assert.equal(pack.status, 0, pack.stderr);
  const [packed] = JSON.parse(pack.stdout) as { filename: string; files: { path: string }[] }[];
  const files = packed.files.map((f) => f.path);
  for (const needed of ["bin/hostproof.js", "dist/src/cli/main.js", "dist/steps/checks.steps.js", "cucumber.js", "features/end-of-support.feature", "schemas/inventory.schema.json", "examples/demo/inventory.yaml"]) {
    assert.ok(files.includes(needed), `${needed} is not in the tarball`);
  }
  assert.deepEqual(files.filter((f) => /^(test|bench|src|steps|scripts|\.ci|\.tools|node_modules|\.dist-)/.test(f) || f.endsWith(".ts")), [], "the tarball holds files that do not run");

  // An empty folder, as a user's: the registry, or npm's cache when it has everything.
  const app = join(dir, "app");
  mkdirSync(app);
  const install = run(NPM, ["install", "--no-audit", "--no-fund", "--prefer-offline", "--loglevel=error", join(dir, packed.filename)], app);
  assert.equal(install.status, 0, install.stderr);

  const version = run(NPX, ["--no", "--", "hostproof", "--version"], app);
  assert.equal(version.status, 0, version.stderr);
  assert.equal(version.stdout.trim(), (JSON.parse(readFileSync(join(ROOT, "package.json"), "utf8")) as { version: string }).version);

  // The demo, copied beside the install with its snapshots and directory snapshot, run by the
  // installed hostproof and by the clone's: the same judgement.
  cpSync(join(ROOT, "examples", "demo"), join(app, "demo"), { recursive: true });
  const args = ["run", "-i", "demo/inventory.yaml", "--waivers", "demo/waivers.yaml", "--as-of", AS_OF, "--no-html"];
  const installed = run(NPX, ["--no", "--", "hostproof", ...args, "-o", "installed"], app);
  assert.equal(installed.status, 1, installed.stderr); // the demo is non-compliant on purpose
  assert.match(installed.stdout, /Verdict: NON-COMPLIANT/);
  const clone = run(process.execPath, [BIN, ...args, "-o", "clone"], app, process.env);
  assert.equal(clone.status, 1, clone.stderr);
  assert.ok(totals(join(app, "installed")).total > 0);
  assert.deepEqual(totals(join(app, "installed")), totals(join(app, "clone")));
});
