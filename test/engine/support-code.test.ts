/** A process runs one copy of the step definitions: the one matching the copy of hostproof that runs. */
import { test } from "node:test";
import assert from "node:assert/strict";
import { claimSupportProfile, SUPPORT_PROFILE } from "../../src/engine/support-code";

const SLOT = Symbol.for("hostproof.supportProfile");

test("from source (as here, through tsx) the TypeScript steps are chosen; the compiled ones are then refused", () => {
  const slot = globalThis as { [SLOT]?: string };
  const prior = slot[SLOT];
  try {
    assert.equal(SUPPORT_PROFILE, "source");
    assert.equal(claimSupportProfile(), "source");
    assert.equal(claimSupportProfile(), "source", "claiming the same copy again is fine");
    slot[SLOT] = "compiled"; // as if dist/src/engine/support-code.js had claimed it in this process
    assert.throws(() => claimSupportProfile(), /compiled step definitions are already loaded in this process/);
  } finally {
    slot[SLOT] = prior;
  }
});
