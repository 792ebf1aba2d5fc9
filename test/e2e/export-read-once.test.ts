/**
 * export reads each file of the report once: the bytes it checks against the manifest are the bytes
 * it uses, and no file is read a second time to check it (before: summary.json three times, once to
 * verify it, once for what it states after its results, once for the results; every snapshot
 * twice). Counted by the kernel: /proc/self/io's rchar is every byte the process's read calls
 * returned, on every thread, the worker threads that hash the files export does not read included.
 * export runs in this process, after one export that loads what a process reads once (modules,
 * schemas), so the count is the report's.
 */
import assert from "node:assert/strict";
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { test } from "node:test";
import { runEstate } from "../../src/engine/run";
import { MANIFEST_PATH, type Manifest } from "../../src/evidence/manifest";
import { exportReport } from "../../src/export/export";
import { SUMMARY_FILE } from "../../src/report/formats/summary";
import { DEMO, tempDir } from "./cli";

const AS_OF = "2026-11-22";

function bytesRead(): number {
  const io = readFileSync("/proc/self/io", "utf8");
  return Number(/^rchar: (\d+)$/m.exec(io)![1]);
}

test("export reads every file of the report once (summary.json's facts around its results twice), and the manifest twice", { skip: !existsSync("/proc/self/io") }, async () => {
  const dir = tempDir();
  const report = join(dir, "report");
  await runEstate({ inventory: DEMO, out: report, failOn: "any", asOf: new Date(`${AS_OF}T00:00:00Z`), html: true, htmlStyle: "pages", history: false });
  const warm = await exportReport({ report, formats: ["csv"], out: join(dir, "warm") });
  assert.equal(warm.ok, true);

  const manifestBytes = readFileSync(join(report, MANIFEST_PATH));
  const manifest = JSON.parse(manifestBytes.toString("utf8")) as Manifest;
  const listed = manifest.files.reduce((n, f) => n + f.bytes, 0);
  const summary = readFileSync(join(report, SUMMARY_FILE), "utf8");
  // Read from its ends before the whole read: the lines up to its results, and from its controls on.
  const around = Buffer.byteLength(summary.slice(0, summary.indexOf('"results": [') + 20)) + Buffer.byteLength(summary.slice(summary.lastIndexOf('\n  "controls": ')));
  const snapshots = manifest.files.filter((f) => f.path.startsWith("evidence/snapshots/")).reduce((n, f) => n + f.bytes, 0);
  const summaryBytes = manifest.files.find((f) => f.path === SUMMARY_FILE)!.bytes;
  // Besides every listed file once: the manifest twice (read again as its files are hashed), summary.json's ends (read in steps that may pass them by as much again), and slack.
  const slack = 64 * 1024;
  const besides = 2 * manifestBytes.length + 2 * around + slack;
  // The premise: a second read of summary.json or of the snapshots is more than that.
  assert.ok(Math.min(summaryBytes, snapshots) > 2 * around + slack, `summary.json ${summaryBytes} bytes, snapshots ${snapshots}: too small to tell a second read from the slack`);

  const before = bytesRead();
  const outcome = await exportReport({ report, formats: ["csv"], out: join(dir, "csv") });
  const read = bytesRead() - before;
  assert.equal(outcome.ok, true);
  assert.ok(read >= listed, `every listed file is read: ${read} bytes read, ${listed} listed`);
  assert.ok(read <= listed + besides, `${read} bytes read for a report whose files are ${listed} bytes (summary.json ${summaryBytes}, snapshots ${snapshots}, manifest ${manifestBytes.length}): a file was read twice`);
});
