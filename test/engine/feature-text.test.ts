/**
 * Cucumber reads each feature file again, itself: the run must judge the text the lint checked.
 * A file changed after it was read, or a source Cucumber parsed that is not the checked text,
 * stops the run with exit 3 instead of running controls nobody checked.
 */
import { test, type TestContext } from "node:test";
import assert from "node:assert/strict";
import { readFileSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { readFeatureFile, type FeatureFile } from "../../src/controls/feature-set";
import { runControls } from "../../src/engine/cucumber";
import { buildEstate } from "../../src/engine/estate";
import { InputError } from "../../src/errors";
import { loadInventory } from "../../src/input/inventory";
import { FEATURES_DIR } from "../../src/package-root";
import { scratch } from "../report/tmp";

const DEMO = resolve(__dirname, "..", "..", "examples", "demo", "inventory.yaml");
const estate = () => buildEstate(loadInventory(DEMO), new Date("2026-11-22T00:00:00Z"));

/** A copy of the NIC control under another ID, in a folder removed when the test ends. */
function copyOfNicControl(t: TestContext): FeatureFile {
  const dir = scratch(t);
  const path = join(dir, "nic.feature");
  writeFileSync(path, readFileSync(join(FEATURES_DIR, "nic-offloads.feature"), "utf8").replace("HP-NIC-001", "ACME-NIC-001"));
  const { key: _key, ...file } = readFeatureFile(path, "acme/nic.feature", "acme");
  return file;
}

test("the checked text runs", async (t) => {
  const judged = await estate();
  const run = await runControls({ estate: judged, features: [copyOfNicControl(t)] });
  assert.deepEqual(run.controls.map((c) => c.id), ["ACME-NIC-001"]);
  // A host control: one result per host of the demo.
  assert.equal(run.results.length, judged.hosts.length);
});

test("a feature file written after it was checked is refused before Cucumber reads it", async (t) => {
  const file = copyOfNicControl(t);
  writeFileSync(file.path, `${file.text}\n  # one line more\n`);
  await assert.rejects(
    runControls({ estate: await estate(), features: [file] }),
    (err: unknown) => err instanceof InputError && /^acme\/nic\.feature: the file changed while hostproof was running, after its controls were checked/.test(err.message),
  );
});

test("a source Cucumber parsed that is not the checked text stops the run", async (t) => {
  // Same file on disk, same identity: only the text hostproof checked differs from what Cucumber reads.
  const file = { ...copyOfNicControl(t) };
  file.text = file.text.replace("ACME-NIC-001", "ACME-NIC-002");
  await assert.rejects(
    runControls({ estate: await estate(), features: [file] }),
    (err: unknown) => err instanceof InputError && /acme\/nic\.feature: the file changed while hostproof was running/.test(err.message),
  );
});
