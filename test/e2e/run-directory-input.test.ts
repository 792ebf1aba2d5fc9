/**
 * Issue 23, wiring step 1: `run --directory <snapshot>` and the inventory's `directory` field.
 * The snapshot is read like every input (schema, size limit, regular file, path policy), refused
 * with exit 3 and nothing written when bad, and kept in the report as evidence/directory/<file>,
 * hashed in the manifest.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { createHash } from "node:crypto";
import { mkdirSync, readFileSync, symlinkSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { AS_OF, editJson, expectRejected, goodEstate, readJson, runCli, tempDir } from "./cli";
import { directoryObject, directorySnapshot, directoryText } from "../helpers/directory-snapshot";
import type { DirectorySnapshot } from "../../src/model/directory";

const asOf = new Date(`${AS_OF}T00:00:00Z`);
const OBJECTS = [
  directoryObject({ name: "n1", os: "Windows Server 2022 Datacenter", version: "10.0 (20348)", seenDaysAgo: 2 }, asOf),
  directoryObject({ name: "OLD2003", os: "Windows Server 2003", version: "5.2 (3790)", seenDaysAgo: 5, ou: "OU=Legacy" }, asOf),
];

function writeDirectory(dir: string, name: string, edit: (s: DirectorySnapshot) => void = () => {}): string {
  const s = directorySnapshot(OBJECTS.map((o) => structuredClone(o)));
  edit(s);
  const file = join(dir, name);
  writeFileSync(file, directoryText(s));
  return file;
}

interface Manifest {
  files: { path: string; sha256: string }[];
}

test("run --directory keeps the snapshot judged as evidence/directory/<file>, listed with its SHA-256; verify accepts the report", async () => {
  const { dir, inventory } = goodEstate();
  const file = writeDirectory(dir, "directory.json");
  const out = join(tempDir(), "reports");
  const res = await runCli(["run", "-i", inventory, "-o", out, "--as-of", AS_OF, "--no-html", "--directory", file]);
  assert.ok(res.code === 0 || res.code === 1 || res.code === 2, res.stderr);
  const kept = readFileSync(join(out, "evidence", "directory", "directory.json"));
  assert.deepEqual(kept, readFileSync(file), "the bytes read are the bytes kept");
  const listed = readJson<Manifest>(join(out, "evidence", "manifest.json")).files.find((f) => f.path === "evidence/directory/directory.json");
  assert.equal(listed?.sha256, createHash("sha256").update(kept).digest("hex"));
  const verified = await runCli(["verify", out]);
  assert.equal(verified.code, 0, verified.stdout + verified.stderr);
  // Changed after the run, the kept copy is caught.
  writeFileSync(join(out, "evidence", "directory", "directory.json"), directoryText(directorySnapshot([])));
  assert.notEqual((await runCli(["verify", out])).code, 0);
});

test("the inventory's directory field is read relative to the inventory and kept the same way", async () => {
  const { dir, inventory } = goodEstate();
  mkdirSync(join(dir, "ad"));
  writeDirectory(join(dir, "ad"), "corp.json");
  editJson(inventory, (v) => {
    v.directory = "ad/corp.json";
    v.inputs = { directory: { activeDays: 30 } };
  });
  const out = join(tempDir(), "reports");
  const res = await runCli(["run", "-i", inventory, "-o", out, "--as-of", AS_OF, "--no-html"]);
  assert.ok(res.code <= 2, res.stderr);
  assert.deepEqual(readFileSync(join(out, "evidence", "directory", "corp.json")), readFileSync(join(dir, "ad", "corp.json")));
});

test("collect carries the inventory's directory snapshot into its folder, so the folder is judged anywhere with it", async () => {
  const { dir, inventory } = goodEstate();
  mkdirSync(join(dir, "ad"));
  writeDirectory(join(dir, "ad"), "inventory.json");
  editJson(inventory, (v) => {
    v.directory = "ad/inventory.json";
  });
  const snaps = join(tempDir(), "snaps");
  const collected = await runCli(["collect", "-i", inventory, "-o", snaps]);
  assert.equal(collected.code, 0, collected.stderr);
  // Named by hostproof: the user's own name, here inventory.json, would overwrite the inventory.
  assert.deepEqual(readFileSync(join(snaps, "directory.json")), readFileSync(join(dir, "ad", "inventory.json")));
  assert.equal(readJson<{ directory: string }>(join(snaps, "inventory.json")).directory, "directory.json");
  const out = join(tempDir(), "reports");
  const res = await runCli(["run", "-i", join(snaps, "inventory.json"), "-o", out, "--as-of", AS_OF, "--no-html"]);
  assert.ok(res.code <= 2, res.stderr);
  const sha = createHash("sha256").update(readFileSync(join(dir, "ad", "inventory.json"))).digest("hex");
  assert.equal(readJson<{ directory: { sha256: string } }>(join(out, "summary.json")).directory.sha256, sha);
});

test("an inventory's directory path outside its folder is refused as snapshot paths are, unless --allow-outside-snapshots", async () => {
  const { dir, inventory } = goodEstate();
  editJson(inventory, (v) => (v.directory = "../../../../../../etc/passwd"));
  const err = await expectRejected(inventory, [/: directory: the directory snapshot path .* resolves to \/etc\/passwd, outside the inventory's folder/, /--allow-outside-snapshots/]);
  assert.doesNotMatch(err, /root:/);
  symlinkSync("/etc/passwd", join(dir, "link.json"));
  editJson(inventory, (v) => (v.directory = "link.json"));
  await expectRejected(inventory, [/resolves to \/etc\/passwd, outside/]);
  // Allowed, it is still no directory snapshot, and its content is not shown.
  assert.doesNotMatch(await expectRejected(inventory, [/link\.json(:\d+)?: .*not valid JSON/], ["--allow-outside-snapshots"]), /root:/);
});

test("a bad directory snapshot is exit 3 naming the file, the field and the fix; nothing is written", async () => {
  const { dir, inventory } = goodEstate();
  const cases: [string, (s: DirectorySnapshot) => void, RegExp][] = [
    ["schema.json", (s) => ((s as unknown as Record<string, unknown>).kind = "hostproof-snapshot"), /schema\.json: kind: .*hostproof-directory/],
    ["count.json", (s) => (s.count = 5), /count\.json: count: count is 5, but the file holds 2 object\(s\): it was cut short or edited\. .*hostproof discover/],
    ["twice.json", (s) => s.objects.push({ ...s.objects[0]!, dn: s.objects[0]!.dn.toUpperCase() }), /twice\.json: objects\[2\]\.dn: the object .* is listed twice \(first at objects\[0\]\)/],
    ["case.json", (s) => (s.objects[1]!.attributes.operatingsystem = ["Windows Server 2022 Standard"]), /case\.json: objects\[1\]\.attributes: the attributes "operatingSystem" and "operatingsystem" differ only in case/],
    ["nodc.json", (s) => (s.source.base = "OU=Servers,O=corp"), /nodc\.json: source\.base: the base DN "OU=Servers,O=corp" names no DNS domain/],
    ["baddc.json", (s) => (s.source.base = "DC=../../etc,DC=x"), /baddc\.json: source\.base: .*names no DNS domain/],
    ["time.json", (s) => (s.finishedAt = "2020-01-01T00:00:00.000Z"), /time\.json: finishedAt: the query finished .* before it started/],
  ];
  for (const [name, edit, pattern] of cases) {
    const file = writeDirectory(dir, name, edit);
    await expectRejected(inventory, [pattern], ["--directory", file]);
  }
  await expectRejected(inventory, [/missing\.json: the file does not exist/], ["--directory", join(dir, "missing.json")]);
  await expectRejected(inventory, [/\/dev\/zero: this is a device, not a regular file/], ["--directory", "/dev/zero"]);
  const list = join(dir, "list.json");
  writeFileSync(list, "[]");
  await expectRejected(inventory, [/list\.json: this is not a hostproof directory snapshot file: its top level is a list/], ["--directory", list]);
});

test("a directory snapshot over the size limit is refused before it is parsed", async () => {
  const { dir, inventory } = goodEstate();
  const file = writeDirectory(dir, "big.json", (s) => {
    for (let i = 0; i < 3000; i++) s.objects.push({ dn: `CN=PC${i},OU=Desktops,DC=corp,DC=example`, attributes: { name: [`PC${i}`], description: ["x".repeat(400)] } });
    s.count = s.objects.length;
  });
  const parent = tempDir();
  const prior = process.env.HOSTPROOF_MAX_INPUT_MB;
  process.env.HOSTPROOF_MAX_INPUT_MB = "1";
  try {
    const res = await runCli(["run", "-i", inventory, "-o", join(parent, "r"), "--as-of", AS_OF, "--no-html", "--directory", file]);
    assert.equal(res.code, 3, res.stderr);
    assert.match(res.stderr, /big\.json: the file is 1\.\d MiB, over the 1\.0 MiB size limit for a directory snapshot/);
  } finally {
    if (prior === undefined) delete process.env.HOSTPROOF_MAX_INPUT_MB;
    else process.env.HOSTPROOF_MAX_INPUT_MB = prior;
  }
});

test("directory inputs are the estate's: a host's own, or an activeDays out of range, is refused", async () => {
  const { inventory } = goodEstate();
  editJson(inventory, (v) => ((v.hosts as Record<string, unknown>[])[1]!.inputs = { directory: { activeDays: 30 } }));
  await expectRejected(inventory, [/hosts\[1\]\.inputs\.directory: host 'n2' sets directory inputs, which apply to the whole estate only\. Move 'directory' to the inventory's top-level 'inputs'/]);
  const other = goodEstate().inventory;
  editJson(other, (v) => (v.inputs = { directory: { activeDays: 0 } }));
  await expectRejected(other, [/inputs\.directory\.activeDays/]);
});
