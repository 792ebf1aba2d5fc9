/** CI must have ansible-inventory: the test tools' installer (which .ci/run runs) installs it, and CI requires it. */
import { test } from "node:test";
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { requireTool } from "../helpers/require-tool";
import { ROOT } from "../e2e/cli";
import { ANSIBLE_HINT } from "./ansible-inventory";

test("the test tools' installer installs ansible-core and CI makes a missing ansible a failure", () => {
  const run = (arg: string): string => execFileSync(join(ROOT, "scripts", "install-test-tools.sh"), [arg], { encoding: "utf8" });
  assert.match(run("--list"), /^ansible +(present|missing) +apt-lean +ansible-core$/m);
  assert.ok(run("--tools").trim().split(",").includes("ansible"));
  const ci = readFileSync(join(ROOT, ".ci", "run"), "utf8");
  assert.match(ci, /^tools=\$\(scripts\/install-test-tools\.sh --tools\)$/m);
  assert.match(ci, /^export HOSTPROOF_REQUIRE_TOOLS="pwsh,pwsh-launcher,\$tools"$/m);
});

test("a missing ansible-inventory under HOSTPROOF_REQUIRE_TOOLS=…,ansible fails instead of skipping", () => {
  const t = { skip: () => assert.fail("skipped") };
  assert.throws(() => requireTool(t, "ansible", undefined, ANSIBLE_HINT, { HOSTPROOF_REQUIRE_TOOLS: "java,sshd,chromium,ansible" }), /ansible not found: install ansible-core .*makes a missing ansible a failure/);
});
