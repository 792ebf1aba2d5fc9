/**
 * Skip-or-fail for tests that need an external tool (java, pwsh, chromium…).
 *
 * On a developer machine a missing tool skips the test with a reason that shows in the output.
 * In CI, HOSTPROOF_REQUIRE_TOOLS turns the same situation into a failure, so a broken image
 * cannot make the suite green by quietly skipping everything that matters. It is "1" (every
 * tool) or a comma-separated list ("java,chromium"): a tool that cannot be had on the CI machine
 * at all (pwsh, see .ci/run) stays a visible skip instead of failing every submission.
 */
import assert from "node:assert/strict";
import type { TestContext } from "node:test";

/** The part of TestContext this helper uses, so it can be tested with a stand-in. */
export type SkippableContext = Pick<TestContext, "skip">;

/**
 * Returns true when `found` names the tool. Otherwise skips `t` (and returns false: the caller
 * must return, since t.skip does not stop the test) or, under HOSTPROOF_REQUIRE_TOOLS=1, throws.
 */
export function requireTool(
  t: SkippableContext,
  tool: string,
  found: string | undefined,
  howToGet: string,
  env: NodeJS.ProcessEnv = process.env,
): found is string {
  if (found !== undefined && found !== "") return true;
  // scripts/skip-summary.js groups skips by this form at the end of npm test: keep it.
  const message = `${tool} not found: ${howToGet}`;
  if (isRequired(tool, env.HOSTPROOF_REQUIRE_TOOLS)) assert.fail(`${message} (HOSTPROOF_REQUIRE_TOOLS=${env.HOSTPROOF_REQUIRE_TOOLS} makes a missing ${tool} a failure)`);
  t.skip(message);
  return false;
}

export function isRequired(tool: string, setting: string | undefined): boolean {
  if (setting === undefined || setting.trim() === "") return false;
  const list = setting.split(",").map((s) => s.trim().toLowerCase());
  return list.includes("1") || list.includes("all") || list.includes(tool.toLowerCase());
}
