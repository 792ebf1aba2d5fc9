/**
 * Issue 18, class 4: verify of a folder a rerun is replacing reported "188 missing, 188
 * unexpected" (2 in 55 tries): the manifest of one report, the files of the other. It must see
 * the old report or the new one, whole. Both moments of the swap are set up exactly here, not
 * raced: the new report put in place between verify reading the manifest and reading the files
 * (a seam in verifyReport), and the instant between the swap's two renames (a staged folder).
 */
import assert from "node:assert/strict";
import { mkdirSync, renameSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { test } from "node:test";
import { verifyReport, writeManifest } from "../../src/evidence/manifest";
import { checkUnreplaced } from "../../src/evidence/stable-check";
import { commitStaging } from "../../src/report/output/output-dir";
import { startCli, until } from "../helpers/running-cli";
import { tempDir } from "../e2e/cli";
import { writeEmptyRun } from "./empty-report";

/** A report of `results` Allure results named for `run`, as reruns name theirs (a new UUID each). */
async function report(dir: string, run: string, results = 94): Promise<string> {
  mkdirSync(join(dir, "allure-results"), { recursive: true });
  mkdirSync(join(dir, "evidence", "snapshots"), { recursive: true });
  writeFileSync(join(dir, "evidence", "snapshots", "n1.json"), `{"run":"${run}"}`);
  for (let i = 0; i < results; i++) writeFileSync(join(dir, "allure-results", `${run}-${i}-result.json`), `{"run":"${run}"}`);
  await writeEmptyRun(dir, { junit: false });
  writeFileSync(join(dir, ".hostproof-report"), "marker\n");
  return writeManifest(dir).manifestSha256;
}

test("a report replaced while verify reads it: one pass mixes the two; verify starts over and sees the new one whole", async () => {
  const root = tempDir();
  const out = join(root, "reports");
  await report(out, "old");
  const next = join(root, "next");
  await report(next, "new");
  let swapped = false;
  // A rerun's commit, exactly between reading the manifest and reading the files.
  const swapOnce = (): void => {
    if (swapped) return;
    swapped = true;
    void commitStaging(next, out).removed.wait();
  };
  const mixed = await verifyReport(out, out, { manifestRead: swapOnce });
  const counts = (kind: string): number => mixed.problems.filter((p) => p.kind === kind).length;
  assert.deepEqual([counts("missing"), counts("unexpected")], [94, 94], "the half-seen report of the issue: the old manifest, the new files");

  const again = join(root, "again");
  const newerSha = await report(again, "newer");
  swapped = false;
  const notes: string[] = [];
  const seen = await checkUnreplaced(out, () => verifyReport(out, out, {
    manifestRead: () => {
      if (swapped) return;
      swapped = true;
      commitStaging(again, out);
    },
  }), (n) => notes.push(n));
  assert.equal(seen.ok, true, JSON.stringify(seen.problems.slice(0, 3)));
  assert.equal(seen.manifestSha256, newerSha, "the report now in place, not the one replaced under it");
  assert.match(notes.join("\n"), /reports was replaced while it was being checked .*; checking the new one/);
});

test("verify in the instant between a rerun's two renames waits for the new report and finds it intact", async () => {
  const root = tempDir();
  // The rerun (this test's process, alive) has moved the earlier report aside; the new one is not yet in place.
  await report(join(root, `.reports.old-${process.pid}-lq2x9a`), "old");
  const next = join(root, ".reports.staging-1-abcdef012345");
  const newSha = await report(next, "new");
  const verify = startCli(["verify", join(root, "reports")]);
  await until("verify waiting for the new report", () => (/is being replaced by process \d+ .*waiting for the new one/.test(verify.stderr()) ? true : undefined), verify);
  renameSync(next, join(root, "reports"));
  const done = await verify.exit;
  assert.equal(done.code, 0, done.stdout + done.stderr);
  assert.match(done.stdout, new RegExp(`evidence intact: 97 files match the manifest.*manifest SHA-256 ${newSha}`));
});
