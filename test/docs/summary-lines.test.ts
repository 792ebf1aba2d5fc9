/**
 * docs/reports.md's command that reads summary.json line by line (grep, sed, jq) runs, as shown, on a
 * real report, and gives exactly the failed results: one result per line is a promise the docs
 * make to everyone who reads a large summary.json with line tools.
 */
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { test } from "node:test";
import type { Summary } from "../../src/report/formats/summary";
import { findOnPath } from "../../src/util/executables";
import { requireTool } from "../helpers/require-tool";
import { AS_OF, DEMO, ROOT, spawnCli, tempDir } from "../e2e/cli";

test("docs/reports.md: the line-by-line read of summary.json gives every failed result", (t) => {
  const jq = findOnPath("jq", process.env);
  if (!requireTool(t, "jq", jq, "apt-get install jq")) return;
  const doc = readFileSync(join(ROOT, "docs", "reports.md"), "utf8");
  const command = /^(grep '"status":"failed"' reports\/summary\.json .*)$/m.exec(doc)?.[1];
  assert.ok(command, "docs/reports.md shows the command");
  const cwd = tempDir();
  const run = spawnCli(["run", "-i", DEMO, "-o", join(cwd, "reports"), "--as-of", AS_OF, "--no-history", "--no-html", "--exit-zero"]);
  assert.equal(run.code, 0, run.stderr);
  const res = spawnSync("sh", ["-c", `set -e; ${command}`], { cwd, encoding: "utf8" });
  assert.equal(res.status, 0, res.stderr);
  const summary = JSON.parse(readFileSync(join(cwd, "reports", "summary.json"), "utf8")) as Summary;
  const failed = summary.results.filter((r) => r.status === "failed").map((r) => [r.target.name, r.controlId, r.actual].join("\t"));
  assert.ok(failed.length > 0);
  assert.deepEqual(res.stdout.trimEnd().split("\n"), failed);
});
