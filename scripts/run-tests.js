#!/usr/bin/env node
// Runs every test/**/*.test.ts under node:test through tsx. Node 20's --test has no glob support,
// so the files are found here.
"use strict";
const { readdirSync, statSync } = require("node:fs");
const { join } = require("node:path");
const { spawnSync } = require("node:child_process");

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
const files = find(join(__dirname, "..", "test"))
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
const res = spawnSync(process.execPath, ["--import", "tsx", "--test", "--test-concurrency=2", ...files], {
  stdio: "inherit",
  cwd: join(__dirname, ".."),
});
process.exit(res.status ?? 1);
