/**
 * ListedFiles (evidence/listed-files.ts): a report's files checked while a command reads it, with
 * only the manifest entries of the files the command reads held. Every other file is hashed in the
 * pool from a second read of the manifest, which must be the manifest read first: one rewritten
 * in between (a file changed and the manifest made to match) is reported, not believed.
 */
import assert from "node:assert/strict";
import { appendFileSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { test } from "node:test";
import { runEstate } from "../../src/engine/run";
import { FilePool } from "../../src/evidence/file-pool";
import { ListedFiles, NotAsListed } from "../../src/evidence/listed-files";
import { MANIFEST_PATH, writeManifest, type Manifest } from "../../src/evidence/manifest";
import { digestOf } from "../../src/evidence/read-once";
import { DEMO, tempDir } from "../e2e/cli";

const used = (p: string): boolean => p === "summary.json" || p.startsWith("evidence/snapshots/");

async function demoReport(): Promise<string> {
  const out = join(tempDir("hostproof-listed-"), "report");
  await runEstate({ inventory: DEMO, out, failOn: "any", asOf: new Date("2026-11-22T00:00:00Z"), html: false, history: false });
  return out;
}

test("only the entries of the files the command reads are held; every other file is checked, and a file read but not as listed is named", async () => {
  const dir = await demoReport();
  const manifest = JSON.parse(readFileSync(join(dir, MANIFEST_PATH), "utf8")) as Manifest;
  const pool = new FilePool(1);
  try {
    const { files } = await ListedFiles.open(dir, "report", pool, { used, checked: new Set(["evidence/run.json"]) });
    assert.equal(files.count, manifest.files.length);
    assert.equal(files.entry("junit.xml"), undefined, "an entry the command does not read is not held");
    assert.deepEqual(files.entry("evidence/run.json"), manifest.files.find((f) => f.path === "evidence/run.json"));
    assert.deepEqual(files.paths("evidence/snapshots/").sort(), manifest.files.map((f) => f.path).filter((p) => p.startsWith("evidence/snapshots/")).sort());
    appendFileSync(join(dir, "junit.xml"), " ");
    files.checkUsedThere();
    files.checkRest();
    const snapshot = files.paths("evidence/snapshots/")[0]!;
    assert.throws(() => files.require(snapshot, digestOf(Buffer.from("not the snapshot"))), NotAsListed);
    // The command read nothing else: the other snapshots, summary.json and run.json are hashed now.
    writeFileSync(join(dir, "summary.json"), "{}\n");
    files.checkUnread();
    const found = (await files.problems()).map((p) => `${p.kind} ${p.path}`);
    assert.deepEqual(found.sort(), ["modified junit.xml", `modified ${snapshot}`, "modified summary.json"].sort());
  } finally {
    await pool.close();
  }
});

test("a manifest rewritten after it was opened (a file changed, the manifest made to match) is reported as modified", async () => {
  const dir = await demoReport();
  const pool = new FilePool(1);
  try {
    const { files } = await ListedFiles.open(dir, "report", pool, { used, checked: new Set() });
    writeFileSync(join(dir, "hdf.json"), "{}\n");
    writeManifest(dir);
    files.checkUsedThere();
    files.checkRest();
    files.checkUnread();
    const found = await files.problems();
    assert.deepEqual(found.map((p) => `${p.kind} ${p.path}`), [`modified ${MANIFEST_PATH}`]);
    assert.match(found[0]!.expected!, new RegExp(`^sha256:${files.manifestSha256} \\(\\d+ bytes\\), as read when the report was opened$`));
  } finally {
    await pool.close();
  }
});
