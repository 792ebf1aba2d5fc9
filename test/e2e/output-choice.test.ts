/**
 * `run --export/--no-export` and `merge` the same: formats left out are not written, the report
 * still verifies, the run says how to derive them later, and `export` then gives them from the
 * record. A request that cannot be met is exit 3 with nothing written. The size-dependent defaults
 * at 10,000 hosts are checked where such an estate is run anyway (test/browser/large-report.test.ts).
 */
import assert from "node:assert/strict";
import { existsSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { test } from "node:test";
import { AS_OF, DEMO, shownCommand, spawnCli, tempDir } from "./cli";

test("run --no-export leaves formats out; the report verifies, and export derives them later", () => {
  const dir = tempDir();
  const out = join(dir, "report");
  const run = spawnCli(["run", "-i", DEMO, "-o", out, "--as-of", AS_OF, "--no-history", "--no-html", "--exit-zero", "--no-export", "junit,hdf", "--no-export", "allure-results"]);
  assert.equal(run.code, 0, run.stderr);
  assert.deepEqual(readdirSync(out).sort(), [".hostproof-report", "cucumber-messages.ndjson", "evidence", "results.csv", "summary.json", "summary.md"]);
  assert.match(run.stdout, /^ {2}summary\.json, summary\.md, results\.csv, cucumber-messages\.ndjson, evidence\/$/m);
  assert.match(run.stdout.replace(/\n\s+/g, " "), /Not written by this run: junit, hdf, allure-results; derive them from this report when needed:/);
  const hint = shownCommand(run.stdout, "when needed:");
  assert.ok(hint, run.stdout);
  assert.match(hint.line, /^hostproof export \S+ --format junit,hdf,allure-results$/);
  const verify = spawnCli(["verify", out]);
  assert.equal(verify.code, 0, verify.stdout + verify.stderr);
  // The command the run printed, as printed.
  const exported = spawnCli(hint.line.split(" ").slice(1));
  assert.equal(exported.code, 0, exported.stderr);
  const to = / \(verified\) to (.+)\/$/m.exec(exported.stdout)?.[1];
  assert.equal(to, `${out}-junit+hdf+allure-results`);
  for (const file of ["junit.xml", "hdf.json", "allure-results"]) assert.ok(existsSync(join(to, file)), file);
});

test("run --export adds a format and --html's choice of report; an impossible request is exit 3 with nothing written", () => {
  const dir = tempDir();
  const out = join(dir, "report");
  const run = spawnCli(["run", "-i", DEMO, "-o", out, "--as-of", AS_OF, "--no-history", "--export", "pages", "--no-export", "hdf", "--exit-zero"]);
  assert.equal(run.code, 0, run.stderr);
  assert.ok(existsSync(join(out, "pages", "index.html")), "the pages, as --html pages gives them");
  assert.ok(!existsSync(join(out, "allure-report")) && !existsSync(join(out, "hdf.json")));
  assert.match(run.stdout, /Browsable report \(pages\/; open it in a browser, the folder travels whole\):\n {4}\S+/);

  const refused: [string[], RegExp][] = [
    [["--no-export", "summary"], /--no-export: summary holds the record's results/],
    [["--export", "docx"], /--export: 'docx' is not a format hostproof writes\. Name one or more of: summary, /],
    [["--export", "pages", "--no-html"], /--export pages asks for an HTML report, and --no-html for none/],
    [["--export", "hdf", "--no-export", "hdf"], /hdf is named by both --export and --no-export/],
    [["--no-export", "allure-results"], /allure-report needs allure-results, which --no-export leaves out\. Keep allure-results, or choose another HTML report/],
  ];
  for (const [args, message] of refused) {
    const bad = join(dir, "refused");
    const res = spawnCli(["run", "-i", DEMO, "-o", bad, "--as-of", AS_OF, ...args]);
    assert.equal(res.code, 3, `${args.join(" ")}: ${res.stderr}`);
    assert.match(res.stderr, message);
    assert.doesNotMatch(res.stderr, /\n\s+at /, "no stack trace");
    assert.ok(!existsSync(bad), `${args.join(" ")}: nothing written`);
  }
});

test("merge takes --export and --no-export as run does; its shards need not have written the formats", () => {
  const dir = tempDir();
  const shards = [1, 2].map((k) => {
    const out = join(dir, `shard-${k}`);
    const res = spawnCli(["run", "-i", DEMO, "-o", out, "--as-of", AS_OF, "--shard", `${k}/2`, "--no-history", "--no-html", "--no-export", "hdf,allure-results,csv", "--exit-zero"]);
    assert.equal(res.code, 0, res.stderr);
    return out;
  });
  const merged = join(dir, "merged");
  const res = spawnCli(["merge", ...shards, "-o", merged, "--no-history", "--no-html", "--no-export", "junit", "--export", "hdf", "--exit-zero"]);
  assert.equal(res.code, 0, res.stderr);
  assert.ok(existsSync(join(merged, "hdf.json")) && existsSync(join(merged, "results.csv")), "hdf on request, csv by default");
  assert.ok(!existsSync(join(merged, "junit.xml")));
  assert.match(res.stdout, /Not written by this run: junit; derive them/);
  assert.equal(spawnCli(["verify", merged]).code, 0);
  const bad = spawnCli(["merge", ...shards, "-o", join(dir, "refused"), "--no-export", "summary"]);
  assert.equal(bad.code, 3, bad.stderr);
  assert.ok(!existsSync(join(dir, "refused")));
});
