// Is dist/ (`npm run build`) the current build of src/ and steps/? Lists what is not: a TypeScript
// file without its compiled JavaScript, or with one older than itself, and compiled JavaScript whose
// TypeScript file is gone (a stale step there would still be loaded by Cucumber). Used by the
// test/build tests and by scripts/run-tests.js.
"use strict";
const { existsSync, readdirSync, statSync } = require("node:fs");
const { join, relative } = require("node:path");

const ROOT = join(__dirname, "..");
const SOURCES = ["src", "steps"];

function files(dir, ext) {
  if (!existsSync(dir)) return [];
  const out = [];
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const full = join(dir, entry.name);
    if (entry.isDirectory()) out.push(...files(full, ext));
    else if (entry.name.endsWith(ext) && !entry.name.endsWith(".d.ts")) out.push(full);
  }
  return out;
}

/** @returns {string[]} one line per problem; none when dist/ is current */
function staleDist(root = ROOT) {
  const problems = [];
  for (const top of SOURCES) {
    for (const ts of files(join(root, top), ".ts")) {
      const rel = relative(root, ts);
      const js = join(root, "dist", rel.replace(/\.ts$/, ".js"));
      if (!existsSync(js)) problems.push(`${rel} has no ${relative(root, js)}`);
      else if (statSync(js).mtimeMs < statSync(ts).mtimeMs) problems.push(`${rel} is newer than ${relative(root, js)}`);
    }
    for (const js of files(join(root, "dist", top), ".js")) {
      const rel = relative(join(root, "dist"), js);
      if (!existsSync(join(root, rel.replace(/\.js$/, ".ts")))) problems.push(`dist/${rel} has no ${rel.replace(/\.js$/, ".ts")} (left from an earlier build)`);
    }
  }
  return problems;
}

module.exports = { staleDist };
