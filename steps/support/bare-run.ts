/**
 * A bare `npx cucumber-js` (for people writing controls) has no hostproof run around it. With
 * HOSTPROOF_INVENTORY set, it judges that estate, and Cucumber's own output shows each control's
 * verdict; hostproof's reports come only from `hostproof run`. The inventory's `directory` is read
 * as `hostproof run` reads it (there is no --directory here).
 */
import { AfterAll, BeforeAll } from "@cucumber/cucumber";
import { resolve } from "node:path";
import { directoryInput } from "../../src/engine/directory-target";
import { buildEstate } from "../../src/engine/estate";
import { directorySnapshotInput, loadRunDirectory } from "../../src/engine/run-directory";
import { hasActiveRun, setActiveRun } from "../../src/engine/run-context";
import { checkedEnv, AS_OF } from "../../src/input/env-vars";
import { loadInventory } from "../../src/input/inventory";

let ownRun = false;

BeforeAll(async function () {
  if (hasActiveRun()) return;
  const inventory = process.env.HOSTPROOF_INVENTORY;
  if (!inventory) {
    throw new Error("No estate to judge: run `hostproof run --inventory <file>`, or set HOSTPROOF_INVENTORY=<file> for a bare cucumber-js run.");
  }
  const day = checkedEnv(AS_OF);
  const asOf = day !== undefined ? new Date(`${day}T00:00:00Z`) : new Date(new Date().toISOString().slice(0, 10));
  const loaded = loadInventory(resolve(inventory), inventory);
  // The inventory's directory as `hostproof run` reads it: a snapshot's path (relative to the
  // inventory, inside its folder), or `{ none: why }`; without either, the directory controls are undetermined.
  const directory = loadRunDirectory(loaded, undefined, false);
  const input = directoryInput(loaded.inventory, directory !== undefined ? directorySnapshotInput(directory, directory.shown) : undefined);
  setActiveRun({ estate: await buildEstate(loaded, asOf, new Map(), false, undefined, new Date(), input), results: [], controls: [], internalErrors: [], unfinished: [] });
  ownRun = true;
});

AfterAll(function () {
  if (ownRun) setActiveRun(undefined);
});
