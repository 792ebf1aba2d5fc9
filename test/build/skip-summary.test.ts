/**
 * `npm test` on a machine without some of the tools the tests use ends by naming what it skipped,
 * grouped by the missing tool, and the one command that installs them (scripts/install-test-tools.sh).
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { dirname, join } from "node:path";
import { ROOT } from "../e2e/cli";

const { skipSummary } = require("../../scripts/skip-summary.js") as { skipSummary(lines: string, root: string): string };

test("scripts/run-tests.js ends a run that skipped a test for want of pwsh with the tool, the file and the install command", () => {
  const env: NodeJS.ProcessEnv = { ...process.env, NODE_POWERSHELL: "", PATH: dirname(process.execPath) };
  // A required tool fails instead of skipping (CI sets this): here the tool is missing on purpose.
  delete env.HOSTPROOF_REQUIRE_TOOLS;
  // Set by the node:test running this file: the inner run would report to it instead of printing.
  delete env.NODE_TEST_CONTEXT;
  const res = spawnSync(process.execPath, [join(ROOT, "scripts", "run-tests.js"), "test/pwsh/hp-json.test.ts"], { cwd: ROOT, env, encoding: "utf8" });
  assert.equal(res.status, 0, res.stderr + res.stdout);
  const tail = res.stdout.slice(res.stdout.lastIndexOf("# duration_ms"));
  assert.match(tail, /^1 test\(s\) skipped:$/m, res.stdout);
  assert.match(tail, /^ {2}pwsh missing: 1 test\(s\) in test\/pwsh\/hp-json\.test\.ts$/m);
  assert.match(tail, /^ {4}\(set NODE_POWERSHELL\)$/m);
  assert.match(tail, /one command: scripts\/install-test-tools\.sh /);
});

test("the summary groups skips by tool, most first, and lists other skips with their reasons", () => {
  const line = (file: string, name: string, reason: string): string => JSON.stringify({ file: join(ROOT, file), name, reason });
  const lines = [
    line("test/a.test.ts", "one", "java not found: apt-get install default-jre-headless"),
    line("test/b.test.ts", "two", "pwsh not found: set NODE_POWERSHELL"),
    line("test/c.test.ts", "three", "pwsh not found: set NODE_POWERSHELL"),
    line("test/c.test.ts", "four", "windows only"),
  ].join("\n");
  assert.equal(
    skipSummary(lines, ROOT),
    [
      "4 test(s) skipped:",
      "  pwsh missing: 2 test(s) in test/b.test.ts, test/c.test.ts",
      "    (set NODE_POWERSHELL)",
      "  java missing: 1 test(s) in test/a.test.ts",
      "    (apt-get install default-jre-headless)",
      "  skipped for other reasons:",
      "  test/c.test.ts: four (windows only)",
      "Install every tool the tests use with one command: scripts/install-test-tools.sh (Debian or Ubuntu; apt through sudo), then run npm test again.",
    ].join("\n"),
  );
  assert.equal(skipSummary("", ROOT), "");
});
