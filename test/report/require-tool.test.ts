import assert from "node:assert/strict";
import { test } from "node:test";
import { isRequired, requireTool, type SkippableContext } from "../helpers/require-tool";

function fakeContext(): SkippableContext & { skipped: string[] } {
  const skipped: string[] = [];
  return { skipped, skip: (message?: string) => void skipped.push(message ?? "") };
}

test("a present tool passes through", () => {
  const t = fakeContext();
  assert.equal(requireTool(t, "java", "/usr/bin/java", "install it", {}), true);
  assert.deepEqual(t.skipped, []);
});

test("a missing tool skips with a visible reason", () => {
  const t = fakeContext();
  assert.equal(requireTool(t, "java", undefined, "install a JRE", {}), false);
  assert.deepEqual(t.skipped, ["java not found: install a JRE"]);
});

test("HOSTPROOF_REQUIRE_TOOLS=1 turns a missing tool into a failure", () => {
  const t = fakeContext();
  assert.throws(() => requireTool(t, "java", undefined, "install a JRE", { HOSTPROOF_REQUIRE_TOOLS: "1" }), /java not found: install a JRE \(HOSTPROOF_REQUIRE_TOOLS=1/);
  assert.deepEqual(t.skipped, []);
});

test("HOSTPROOF_REQUIRE_TOOLS can list tools: a listed one fails, an unlisted one still skips", () => {
  const t = fakeContext();
  const env = { HOSTPROOF_REQUIRE_TOOLS: "java, chromium" };
  assert.throws(() => requireTool(t, "chromium", undefined, "apt-get install chromium", env), /chromium not found/);
  assert.equal(requireTool(t, "pwsh", undefined, "no PowerShell package here", env), false);
  assert.deepEqual(t.skipped, ["pwsh not found: no PowerShell package here"]);
  assert.equal(isRequired("java", "all"), true);
  assert.equal(isRequired("java", ""), false);
});
