/** CI must have ansible-inventory: .ci/run installs it and lists it in HOSTPROOF_REQUIRE_TOOLS. */
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { requireTool } from "../helpers/require-tool";
import { ROOT } from "../e2e/cli";
import { ANSIBLE_HINT } from "./ansible-inventory";

test(".ci/run installs ansible-core and makes a missing ansible a failure", () => {
  const ci = readFileSync(join(ROOT, ".ci", "run"), "utf8");
  assert.match(ci, /lean\+=\(ansible-core\)/);
  const required = /export HOSTPROOF_REQUIRE_TOOLS=(\S+)/.exec(ci)?.[1] ?? "";
  assert.ok(required.split(",").includes("ansible"), required);
});

test("a missing ansible-inventory under HOSTPROOF_REQUIRE_TOOLS=…,ansible fails instead of skipping", () => {
  const t = { skip: () => assert.fail("skipped") };
  assert.throws(() => requireTool(t, "ansible", undefined, ANSIBLE_HINT, { HOSTPROOF_REQUIRE_TOOLS: "java,sshd,chromium,ansible" }), /ansible not found: install ansible-core .*makes a missing ansible a failure/);
});
