/** A reader that stops early (`hostproof controls | head -1`) ends hostproof quietly, not with an EPIPE trace. */
import { test } from "node:test";
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { BIN, ROOT } from "./cli";

test("hostproof controls | head -1: exit 0, nothing on stderr", async () => {
  const child = spawn(process.execPath, [BIN, "controls"], { cwd: ROOT, stdio: ["ignore", "pipe", "pipe"] });
  let stderr = "";
  child.stderr.on("data", (c: Buffer) => (stderr += c.toString()));
  // Close our end before hostproof writes, as head does once it has its line: every write fails.
  child.stdout.destroy();
  const code = await new Promise<number | null>((resolve) => child.once("close", resolve));
  assert.equal(stderr, "");
  assert.equal(code, 0);
});
