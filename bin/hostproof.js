#!/usr/bin/env node
"use strict";
// The compiled JavaScript in dist/ (`npm run build`, which `npm ci` runs): no TypeScript loader at
// run time. `hostproof run` has Cucumber load the compiled step definitions too (dist/steps/).
const { existsSync } = require("node:fs");
const { join } = require("node:path");
const dist = join(__dirname, "..", "dist", "src", "cli");
if (!existsSync(join(dist, "main.js"))) {
  process.stderr.write(`hostproof: not built: ${dist} is missing. Run \`npm run build\` (\`npm ci\` runs it) in ${join(__dirname, "..")}.\n`);
  process.exit(4);
}
const { main } = require("../dist/src/cli/main.js");
// Ctrl-C and SIGTERM stop Allure's Java and remove the unfinished output (src/cli/interrupt.ts).
require("../dist/src/cli/interrupt.js").installInterruptHandlers();
// A reader that stops early (`hostproof controls | head`) closes the pipe: nothing is left to say
// to it, so end quietly instead of with an unhandled EPIPE.
for (const stream of [process.stdout, process.stderr]) {
  stream.on("error", (err) => {
    if (err && err.code === "EPIPE") process.exit(process.exitCode ?? 0);
    throw err;
  });
}
main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (err) => {
    process.stderr.write(`hostproof: internal error: ${err && err.stack ? err.stack : err}\n`);
    process.exitCode = 4;
  },
);
