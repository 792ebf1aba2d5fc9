#!/usr/bin/env node
// Runs every test/**/*.test.ts under node:test through tsx. Node 20's --test has no glob support,
// so the files are found here.
"use strict";
const { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync } = require("node:fs");
const { tmpdir } = require("node:os");
const { join } = require("node:path");
const { spawnSync } = require("node:child_process");
const { skipSummary } = require("./skip-summary.js");

const ROOT = join(__dirname, "..");

function find(dir) {
  const out = [];
  for (const entry of readdirSync(dir)) {
    const full = join(dir, entry);
    if (statSync(full).isDirectory()) out.push(...find(full));
    else if (entry.endsWith(".test.ts")) out.push(full);
  }
  return out;
}

const filter = process.argv.slice(2);
const files = find(join(ROOT, "test"))
  .filter((f) => filter.length === 0 || filter.some((p) => f.includes(p)))
  .sort();
if (files.length === 0) {
  console.error("no test files matched");
  process.exit(1);
}
// Tests that spawn bin/hostproof.js run the compiled dist/, which `npm test` builds first; a run of
// a few test files does not, so say when dist/ is behind src/ (test/build/dist.test.ts fails then).
const stale = require("./dist-check.js").staleDist();
if (stale.length > 0) {
  console.error(`warning: dist/ is not the current build (${stale[0]}${stale.length > 1 ? `, and ${stale.length - 1} more` : ""}): the tests that spawn bin/hostproof.js run old code. Run npm run build.`);
}
// Where scripts/install-test-tools.sh puts the tools Debian does not package, used unless the
// environment names others (set one to "" to mean none). .ci/run relies on this too.
const env = { ...process.env };
const installed = {
  NODE_POWERSHELL: join(ROOT, ".tools", "pwsh"),
  HOSTPROOF_PWSH_LAUNCHER: join(ROOT, ".tools", "launcher", "pwsh"),
  HOSTPROOF_SAF: join(ROOT, ".tools", "saf", "node_modules", ".bin", "saf"),
};
for (const [name, path] of Object.entries(installed)) if (env[name] === undefined && existsSync(path)) env[name] = path;

// The reporter people read (node's default: spec on a terminal, TAP otherwise), and beside it one
// that lists the skipped tests for the summary at the end.
const skipsDir = mkdtempSync(join(tmpdir(), "hostproof-skips-"));
const skips = join(skipsDir, "skips.jsonl");
const reporters = [
  `--test-reporter=${process.stdout.isTTY ? "spec" : "tap"}`, "--test-reporter-destination=stdout",
  `--test-reporter=${join(__dirname, "skip-reporter.js")}`, `--test-reporter-destination=${skips}`,
];
// Ctrl-C reaches the test runner too; held here until it ends, so that the skip list is removed.
process.on("SIGINT", () => {});
const res = spawnSync(process.execPath, ["--import", "tsx", "--test", "--test-concurrency=2", ...reporters, ...files], {
  stdio: "inherit",
  cwd: ROOT,
  env,
});
const summary = existsSync(skips) ? skipSummary(readFileSync(skips, "utf8"), ROOT) : "";
rmSync(skipsDir, { recursive: true, force: true });
if (summary !== "") console.log(`\n${summary}`);
process.exit(res.signal === "SIGINT" ? 130 : (res.status ?? 1));
