import assert from "node:assert/strict";
import { mkdirSync, symlinkSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { test } from "node:test";
import { InputError } from "../../src/errors";
import { checkOutputsApart, type OwnInput } from "../../src/report/output/own-inputs";
import { scratch } from "./tmp";

function problems(run: () => void): string[] {
  try {
    run();
    return [];
  } catch (err) {
    assert.ok(err instanceof InputError, String(err));
    return err.problems.map((p) => `${p.field}: ${p.problem}`);
  }
}

const out = (path: string, flag = "--out") => ({ path, shown: path, flag });

test("an input in the names hostproof keeps beside --out while replacing it (.<out>.staging-…, .<out>.lock) counts as inside --out", (t) => {
  const root = scratch(t);
  mkdirSync(join(root, ".reports.staging-1-abc"));
  writeFileSync(join(root, ".reports.staging-1-abc", "inv.yaml"), "");
  writeFileSync(join(root, ".reports.lock"), "");
  const inputs: OwnInput[] = [
    { path: join(root, ".reports.staging-1-abc", "inv.yaml"), shown: "inv.yaml", what: "the inventory" },
    { path: join(root, ".reports.lock"), shown: ".reports.lock", what: "the waiver file" },
  ];
  const found = problems(() => checkOutputsApart([out(join(root, "reports"))], inputs, "fix"));
  assert.deepEqual(found, [
    `--out: the inventory inv.yaml is inside --out's working files beside ${join(root, "reports")}, which hostproof creates and deletes`,
    `--out: the waiver file .reports.lock is inside --out's working files beside ${join(root, "reports")}, which hostproof creates and deletes`,
  ]);
  // Another folder's working names are not --out's.
  assert.deepEqual(problems(() => checkOutputsApart([out(join(root, "other"))], inputs, "fix")), []);
});

test("outputs not made yet are compared as paths: --history under a new --out, or a new --out under a linked --history", (t) => {
  const root = scratch(t);
  assert.match(problems(() => checkOutputsApart([out(join(root, "new")), out(join(root, "new", "h"), "--history")], [], "fix"))[0]!, /--history .*new\/h is inside --out .*new/);
  mkdirSync(join(root, "hist"));
  symlinkSync(join(root, "hist"), join(root, "link"));
  assert.match(problems(() => checkOutputsApart([out(join(root, "link", "r")), out(join(root, "hist"), "--history")], [], "fix"))[0]!, /--out .*link\/r is inside --history .*hist/);
  assert.deepEqual(problems(() => checkOutputsApart([out(join(root, "new")), out(join(root, "new-h"), "--history")], [], "fix")), [], "a shared prefix is not a folder");
});

test("an input that does not exist is left to the reading to report; a folder beside --out sharing a prefix is not inside it", (t) => {
  const root = scratch(t);
  mkdirSync(join(root, "reports"));
  mkdirSync(join(root, "reports-inputs"));
  writeFileSync(join(root, "reports-inputs", "inv.yaml"), "");
  const inputs: OwnInput[] = [
    { path: join(root, "reports", "missing.json"), shown: "missing.json", what: "the snapshot of host a" },
    { path: join(root, "reports-inputs", "inv.yaml"), shown: "inv.yaml", what: "the inventory" },
    { path: join(root, "reports-inputs"), shown: "reports-inputs", what: "the --features folder", folder: true },
  ];
  assert.deepEqual(problems(() => checkOutputsApart([out(join(root, "reports"))], inputs, "fix")), []);
});
