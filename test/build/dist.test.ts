/**
 * The package ships compiled JavaScript (dist/, built by `npm run build`, which `npm ci` and
 * `npm test` run): the CLI must run from it without tsx, and it must be the build of the current
 * source, or every test that spawns bin/hostproof.js would check old code.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { join, relative, sep } from "node:path";
import { AS_OF, BIN, DEMO, ROOT, joinWrapped, tempDir } from "../e2e/cli";

const { staleDist } = require("../../scripts/dist-check.js") as { staleDist(root?: string): string[] };
const RECORDER = join(ROOT, "test", "fixtures", "record-modules.js");

test("dist/ is the build of the current src/ and steps/", () => {
  const problems = staleDist(ROOT);
  assert.deepEqual(problems.slice(0, 10), [], `dist/ is stale (${problems.length} problem(s)): run npm run build (npm test does)`);
});

/** Runs the shipped CLI as a user would (no NODE_OPTIONS, no loader flag) and lists the modules it loaded, relative to ROOT. */
function shipped(args: string[]): { code: number | null; stdout: string; stderr: string; execArgv: string[]; modules: string[] } {
  const record = join(tempDir(), "modules.json");
  const env: NodeJS.ProcessEnv = { ...process.env, NO_COLOR: "1", HOSTPROOF_RECORD_MODULES: record };
  delete env.NODE_OPTIONS;
  const res = spawnSync(process.execPath, ["--require", RECORDER, BIN, ...args], { cwd: ROOT, encoding: "utf8", env });
  const { execArgv, modules } = JSON.parse(readFileSync(record, "utf8")) as { execArgv: string[]; modules: string[] };
  return { code: res.status, stdout: res.stdout, stderr: res.stderr, execArgv, modules: modules.map((m) => relative(ROOT, m).split(sep).join("/")) };
}

function assertNoTypeScript(modules: string[], what: string): void {
  assert.deepEqual(modules.filter((m) => /(^|\/)node_modules\/(tsx|esbuild|get-tsconfig)\//.test(m)), [], `${what} loaded tsx`);
  assert.deepEqual(modules.filter((m) => /\.[cm]?ts$/.test(m)), [], `${what} loaded TypeScript`);
}

test("hostproof --version and controls run the compiled JavaScript, without tsx, loading only their command", () => {
  const version = shipped(["--version"]);
  assert.equal(version.code, 0, version.stderr);
  assert.equal(version.stdout.trim(), (JSON.parse(readFileSync(join(ROOT, "package.json"), "utf8")) as { version: string }).version);
  assert.deepEqual(version.execArgv, ["--require", RECORDER]);
  assertNoTypeScript(version.modules, "--version");
  assert.ok(version.modules.includes("dist/src/cli/main.js"), version.modules.join("\n"));
  assert.deepEqual(version.modules.filter((m) => m.startsWith("dist/src/cli/commands/")), [], "--version loaded a command");

  const controls = shipped(["controls"]);
  assert.equal(controls.code, 0, controls.stderr);
  assert.match(controls.stdout, /^HP-CLU-001 /m);
  assertNoTypeScript(controls.modules, "controls");
  assert.deepEqual(controls.modules.filter((m) => m.startsWith("dist/src/cli/commands/")), ["dist/src/cli/commands/controls.js"]);
  assert.deepEqual(controls.modules.filter((m) => m.includes("node_modules/@cucumber/cucumber/")), [], "controls loaded Cucumber");
});

test("hostproof run has Cucumber load the compiled step definitions, without tsx", () => {
  const out = join(tempDir(), "reports");
  const run = shipped(["run", "-i", DEMO, "-o", out, "--as-of", AS_OF, "--no-html", "--exit-zero"]);
  assert.equal(run.code, 0, run.stderr);
  // The figures from the run's own record, so that a host added to the demo does not break this.
  const t = (JSON.parse(readFileSync(join(out, "summary.json"), "utf8")) as { totals: Record<string, number> }).totals;
  assert.ok(joinWrapped(run.stdout).includes(`Results: ${t.passed} passed, ${t.failed} failed, ${t.undetermined} undetermined, ${t.notApplicable} not applicable, ${t.waived} waived (${t.total} total)`), run.stdout);
  assertNoTypeScript(run.modules, "run");
  const steps = run.modules.filter((m) => /(^|\/)steps\//.test(m));
  assert.ok(steps.includes("dist/steps/checks.steps.js") && steps.includes("dist/steps/support/world.js"), steps.join("\n"));
  assert.deepEqual(steps.filter((m) => !m.startsWith("dist/steps/")), [], "steps loaded from outside dist/");
});
