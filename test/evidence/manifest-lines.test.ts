/**
 * The manifest read a line at a time (evidence/manifest-lines.ts) gives what the manifest read
 * whole gives, for every manifest: the same members, the same entries in the same order, the same
 * digest; one with a problem is refused with the same words; one laid out otherwise is read whole.
 */
import assert from "node:assert/strict";
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { test } from "node:test";
import { InputError } from "../../src/errors";
import { MANIFEST_PATH, readManifest, serialiseManifest, type Manifest, type ManifestEntry } from "../../src/evidence/manifest";
import { readManifestLines, type ManifestRead } from "../../src/evidence/manifest-lines";
import { tempDir } from "../e2e/cli";

const HEX = "ab".repeat(32);

function manifest(files: ManifestEntry[]): Manifest {
  return { schemaVersion: 1, tool: { name: "hostproof", version: "0.1.0" }, createdAt: "2026-11-22T10:00:00.000Z", algorithm: "sha256", covers: ["evidence/", "summary.json"], files };
}

function folderWith(text: string): string {
  const dir = tempDir("hostproof-manifest-lines-");
  mkdirSync(join(dir, "evidence"));
  writeFileSync(join(dir, MANIFEST_PATH), text);
  return dir;
}

async function byLines(dir: string): Promise<{ read: ManifestRead; entries: [ManifestEntry, number][]; restarts: number }> {
  let entries: [ManifestEntry, number][] = [];
  let restarts = 0;
  const read = await readManifestLines(dir, "r", {
    entry: (e, at) => void entries.push([e, at]),
    restart: () => {
      restarts += 1;
      entries = [];
    },
  });
  return { read, entries, restarts };
}

/** The error readManifest throws for the folder, or undefined. */
function wholeError(dir: string): string | undefined {
  try {
    readManifest(dir, "r");
    return undefined;
  } catch (err) {
    if (!(err instanceof InputError)) throw err;
    return err.message;
  }
}

test("a manifest as hostproof writes it: the same members, entries and digest as read whole, without reading it again", async () => {
  const files = [
    { path: "summary.json", sha256: HEX, bytes: 12 },
    { path: "evidence/snapshots/fs01.json", sha256: "cd".repeat(32), bytes: 0 },
    // Not a plain name (escaped in JSON, allowed by the schema): parsed as JSON.
    { path: "evidence/snapshots/caf\u00e9 \"01\".json", sha256: HEX, bytes: 9_007_199_254_740 },
  ];
  for (const list of [files, []]) {
    const dir = folderWith(serialiseManifest(manifest(list)));
    const whole = readManifest(dir, "r");
    const { read, entries, restarts } = await byLines(dir);
    assert.equal(restarts, 0);
    assert.equal(read.sha256, whole.sha256);
    assert.equal(read.bytes, whole.raw.length);
    assert.equal(read.count, list.length);
    const { files: _f, ...head } = whole.manifest;
    assert.deepEqual(read.head, head);
    assert.deepEqual(entries, whole.manifest.files.map((e, i) => [e, i]));
  }
});

test("a valid manifest laid out otherwise is read whole: its entries are given again from the first, as read whole", async () => {
  const m = manifest([{ path: "summary.json", sha256: HEX, bytes: 1 }, { path: "junit.xml", sha256: HEX, bytes: 2 }]);
  // One entry per line up to the second, which another writer put on two lines.
  const text = serialiseManifest(m).replace(`{"path":"junit.xml"`, `{\n"path":"junit.xml"`);
  for (const layout of [JSON.stringify(m, null, 2), JSON.stringify(m), text]) {
    const dir = folderWith(layout);
    const { read, entries } = await byLines(dir);
    assert.deepEqual(entries, m.files.map((e, i) => [e, i]));
    assert.equal(read.sha256, readManifest(dir, "r").sha256);
  }
});

test("a manifest with a problem is refused with the words readManifest has for it, wherever the problem is", async () => {
  const good = { path: "summary.json", sha256: HEX, bytes: 1 };
  const bad: [string, string][] = [
    ["a path that climbs out", serialiseManifest(manifest([good, { path: "../../etc/passwd", sha256: HEX, bytes: 1 }]))],
    ["one file listed twice", serialiseManifest(manifest([good, { path: "Summary.json", sha256: HEX, bytes: 1 }]))],
    ["a digest that is not one", serialiseManifest(manifest([good, { path: "a.json", sha256: "x", bytes: 1 }]))],
    ["a member the schema does not have", serialiseManifest(manifest([good])).replace('"bytes":1}', '"bytes":1,"mode":"0644"}')],
    ["a path with a line break", serialiseManifest(manifest([good, { path: "a\nb.json", sha256: HEX, bytes: 1 }]))],
    ["a head member missing", serialiseManifest(manifest([good])).replace('  "algorithm": "sha256",\n', "")],
    ["a file cut short", serialiseManifest(manifest([good])).slice(0, -4)],
  ];
  for (const [what, text] of bad) {
    const dir = folderWith(text);
    const expected = wholeError(dir);
    assert.ok(expected !== undefined, `${what}: the premise, read whole it is refused`);
    await assert.rejects(byLines(dir), (err: unknown) => err instanceof InputError && err.message === expected, what);
  }
});
