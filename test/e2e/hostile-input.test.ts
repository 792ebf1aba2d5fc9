/**
 * Hostile or broken input files (issue 8, items 1, 3, 5, 6, 8): each is refused with exit 3, a
 * message naming the file and what is wrong, no stack trace, and the earlier report untouched.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { expectRejected, goodEstate, runCli, setSnapshot, tempDir } from "./cli";

const noStack = (text: string): void => assert.doesNotMatch(text, /\n\s+at |internal error|RangeError|ReferenceError/);

/** Nine levels of `&aN [*aN-1 × 9]`: 9^9 nodes once expanded. */
function aliasBomb(): string {
  const lines = ["a0: &a0 [x, x, x, x, x, x, x, x, x]"];
  for (let i = 1; i < 9; i++) lines.push(`a${i}: &a${i} [${Array(9).fill(`*a${i - 1}`).join(", ")}]`);
  return lines.join("\n") + "\n";
}

test("item 1: a YAML alias bomb in an inventory, a waiver file and under validate is bad input", async () => {
  const dir = tempDir();
  const inventory = join(dir, "estate.yaml");
  writeFileSync(inventory, `version: 1\n${aliasBomb()}hosts: []\n`);
  noStack(await expectRejected(inventory, [/estate\.yaml: its aliases \(\*name\) expand to more than 100 copies/, /Write the repeated values out/]));

  const { inventory: good } = goodEstate();
  const waivers = join(dir, "waivers.yaml");
  writeFileSync(waivers, `version: 1\n${aliasBomb()}waivers: []\n`);
  noStack(await expectRejected(good, [/waivers\.yaml: its aliases/], ["--waivers", waivers]));

  const res = await runCli(["validate", inventory, waivers]);
  assert.equal(res.code, 3, res.stderr);
  assert.match(res.stderr, /estate\.yaml: its aliases/);
  assert.match(res.stderr, /waivers\.yaml: its aliases/);
  noStack(res.stderr);
});

test("item 3: a snapshot nested 5,000 levels deep is refused by run and by validate alike", async () => {
  const { dir, inventory } = goodEstate();
  const file = join(dir, "snapshots", "n2.json");
  const deep = "[".repeat(5000) + "]".repeat(5000);
  const text = readFileSync(file, "utf8").replace('"probes": {', `"probes": {\n    "deep": {"command": "x", "startedAt": "2026-01-01T00:00:00Z", "output": ${deep}},`);
  writeFileSync(file, text);
  noStack(await expectRejected(inventory, [/n2\.json:\d+: the file is not valid JSON \(values are nested more than 64 levels deep/]));
  const res = await runCli(["validate", file]);
  assert.equal(res.code, 3);
  assert.match(res.stderr, /nested more than 64 levels deep/);
  const yaml = join(dir, "deep.yaml");
  writeFileSync(yaml, `version: 1\nhosts: ${"[".repeat(100)}${"]".repeat(100)}\n`);
  const y = await runCli(["validate", yaml]);
  assert.equal(y.code, 3);
  assert.match(y.stderr, /deep\.yaml:2: values are nested more than 64 levels deep/);
});

test("item 5: /dev/zero and a FIFO as a snapshot are refused at once", async () => {
  const { dir, inventory } = goodEstate();
  if (!existsSync("/dev/zero")) return;
  setSnapshot(inventory, 1, "/dev/zero");
  noStack(await expectRejected(inventory, [/zero: this is a device, not a regular file\. Name a regular file/], ["--allow-outside-snapshots"]));
  const fifo = join(dir, "snapshots", "pipe.json");
  execFileSync("mkfifo", [fifo]);
  setSnapshot(inventory, 1, "snapshots/pipe.json");
  noStack(await expectRejected(inventory, [/pipe\.json: this is a named pipe \(FIFO\), not a regular file/]));
  const res = await runCli(["validate", fifo]);
  assert.equal(res.code, 3);
  assert.match(res.stderr, /named pipe/);
});

test("item 5: an inventory over the size limit is refused before it is parsed, naming the limit", async () => {
  const file = join(tempDir(), "estate.json");
  writeFileSync(file, `{"version": 1, "hosts": []}${" ".repeat(17 * 1024 * 1024)}`);
  noStack(await expectRejected(file, [/estate\.json: the file is 17\.0 MiB, over the 16\.0 MiB size limit for an inventory file\. .*HOSTPROOF_MAX_INPUT_MB/]));
});

test("item 8: duplicate keys in JSON are refused, naming the line", async () => {
  const { dir, inventory } = goodEstate();
  writeFileSync(inventory, readFileSync(inventory, "utf8").replace('"version": 1,', '"version": 1,\n  "version": 1,'));
  await expectRejected(inventory, [/inventory\.json:3: the key "version" appears twice in the same object \(first at line 2/, /Keep one of the two entries/]);
  const snap = join(dir, "snapshots", "n1.json");
  writeFileSync(snap, readFileSync(snap, "utf8").replace(/"host": "n1",/, '"host": "n1",\n  "h\\u006fst": "n2",'));
  const res = await runCli(["validate", snap]);
  assert.equal(res.code, 3);
  assert.match(res.stderr, /n1\.json:4: the key "host" appears twice in the same object \(first at line 3/);
});
