import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { test } from "node:test";
import { knownSteps } from "../../src/controls/known-steps";
import { stepListMarkdown, withStepList } from "../../src/controls/step-list";

const CONTROLS = join(__dirname, "..", "..", "docs", "controls.md");

test("docs/controls.md's step list is the one the step definitions make (npm run docs:steps rewrites it)", () => {
  const doc = readFileSync(CONTROLS, "utf8");
  assert.equal(withStepList(doc), doc, "docs/controls.md's step list is stale: run npm run docs:steps");
});

test("the step list names every step the lint and Cucumber know, with what it chooses or judges and reads", () => {
  const list = stepListMarkdown();
  for (const step of knownSteps()) {
    assert.ok(typeof step.pattern === "string", "plain phrases today");
    assert.ok(list.includes(`\`${step.keyword} ${step.pattern}\``), `${step.keyword} ${String(step.pattern)}`);
  }
  assert.match(list, /\| `Given each host` \| chooses hosts \| {2}\|/);
  assert.match(list, /\| `Then the host does not run Windows Server 2003` \| judges each host \| `os`, `windowsVersion` \|/);
  assert.match(list, /\| `Then the cluster administrator account has the same password on every node` \| judges each cluster \| nothing: not verifiable by a probe \|/);
});
