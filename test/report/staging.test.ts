import assert from "node:assert/strict";
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { test } from "node:test";
import { discardStaging, openStaging } from "../../src/report/output/output-dir";
import { discardAllStaging, sweepStaleStaging } from "../../src/report/output/staging";
import { entriesSettled, scratch } from "./tmp";

const DEAD = 999_999_001;
const LIVE = 999_999_002;
const isAlive = (pid: number): boolean => pid === LIVE;

test("the sweep removes a dead process's staging folder in the background, keeps a live one's and leaves other folders alone", async (t) => {
  const root = scratch(t);
  const out = join(root, "reports");
  for (const name of [`.reports.staging-${DEAD}-0a1b2c3d4e5f`, `.reports.staging-${LIVE}-0a1b2c3d4e5f`, `.other.staging-${DEAD}-0a1b2c3d4e5f`, "reports"]) mkdirSync(join(root, name));
  writeFileSync(join(root, `.reports.staging-${DEAD}-0a1b2c3d4e5f`, "big.json"), "{}");
  const notes = sweepStaleStaging(out, isAlive);
  assert.equal(notes.length, 1);
  assert.match(notes[0]!, new RegExp(`removing \\.reports\\.staging-${DEAD}-0a1b2c3d4e5f beside .*reports in the background, an unfinished output left by process ${DEAD}, which no longer runs`));
  assert.ok(!readdirSync(root).includes(`.reports.staging-${DEAD}-0a1b2c3d4e5f`), "moved out of the way at once");
  assert.deepEqual(await entriesSettled(root), [`.other.staging-${DEAD}-0a1b2c3d4e5f`, `.reports.staging-${LIVE}-0a1b2c3d4e5f`, "reports"]);
});

test("a folder with this process's pid that this process did not open is stale (containers reuse pids); an open one is kept", async (t) => {
  const root = scratch(t);
  const out = join(root, "reports");
  mkdirSync(join(root, `.reports.staging-${process.pid}-ffffffffffff`));
  const mine = openStaging(out);
  assert.deepEqual(await entriesSettled(root), [mine.slice(root.length + 1)], "openStaging swept the stale one and kept its own");
  assert.deepEqual(sweepStaleStaging(out), []);
  discardStaging(mine);
});

test("a commit killed between its renames: the earlier report moved aside is put back when --out is missing", (t) => {
  const root = scratch(t);
  const aside = join(root, `.reports.old-${DEAD}-lq2x9a`);
  mkdirSync(aside);
  writeFileSync(join(aside, "summary.json"), "earlier");
  const notes = sweepStaleStaging(join(root, "reports"), isAlive);
  assert.match(notes[0]!, /put back the earlier report .*reports, left moved aside as \.reports\.old-/);
  assert.equal(readFileSync(join(root, "reports", "summary.json"), "utf8"), "earlier");
  assert.equal(existsSync(aside), false);
});

test("discardAllStaging takes every staging folder still open out of the way at once, deletes it in the background, and reports what it replaces", async (t) => {
  const root = scratch(t);
  const a = openStaging(join(root, "a"));
  writeFileSync(join(a, "x"), "1");
  const done = discardAllStaging();
  assert.deepEqual(done, [{ staging: a, outDir: join(root, "a"), removed: true }]);
  assert.equal(existsSync(a), false, "gone from its name before discardAllStaging returns");
  assert.deepEqual(await entriesSettled(root), []);
  assert.deepEqual(discardAllStaging(), []);
});
