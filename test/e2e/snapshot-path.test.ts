/**
 * Issue 8, item 6: snapshot paths that resolve outside the inventory's folder (a `../` path or a
 * symbolic link) are refused unless --allow-outside-snapshots, and the content of a file that is
 * not a hostproof document is never shown.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { symlinkSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { expectRejected, goodEstate, runCli, setSnapshot, tempDir } from "./cli";

test("item 6: a snapshot outside the inventory's folder is refused, and /etc/passwd is never quoted", async () => {
  const { dir, inventory } = goodEstate();
  setSnapshot(inventory, 1, "../../../../../../../etc/passwd");
  const err = await expectRejected(inventory, [/hosts\[1\]\.snapshot: .* resolves to \/etc\/passwd, outside the inventory's folder/, /--allow-outside-snapshots/]);
  assert.doesNotMatch(err, /root:/);
  const link = join(dir, "snapshots", "link.json");
  symlinkSync("/etc/passwd", link);
  setSnapshot(inventory, 1, "snapshots/link.json");
  assert.doesNotMatch(await expectRejected(inventory, [/resolves to \/etc\/passwd, outside/]), /root:/);
  // Allowed explicitly, the file is still no snapshot, and its content is not shown.
  const allowed = await expectRejected(inventory, [/link\.json.*not valid JSON/], ["--allow-outside-snapshots"]);
  assert.doesNotMatch(allowed, /root:/);
  const res = await runCli(["validate", inventory]);
  assert.equal(res.code, 3);
  assert.match(res.stderr, /outside the inventory's folder/);
});

test("item 6: collect checks snapshot paths as run does before copying them", async () => {
  const { inventory } = goodEstate();
  setSnapshot(inventory, 1, "../../../../../../../etc/passwd");
  const parent = tempDir();
  const res = await runCli(["collect", "-i", inventory, "-o", join(parent, "snaps")]);
  assert.equal(res.code, 3, res.stderr);
  assert.match(res.stderr, /hosts\[1\]\.snapshot: .*outside the inventory's folder/);
  assert.doesNotMatch(res.stderr, /root:/);
});

test("item 6: a file that is no hostproof document is named, not quoted", async () => {
  const { dir, inventory } = goodEstate();
  writeFileSync(join(dir, "snapshots", "notes.yaml"), "root:x:0:0:root:/root:/bin/bash\n");
  setSnapshot(inventory, 1, "snapshots/notes.yaml");
  const err = await expectRejected(inventory, [/notes\.yaml: this is not a hostproof snapshot file: its top level is a string/]);
  assert.doesNotMatch(err, /root:/);
});
