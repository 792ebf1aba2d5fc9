#!/usr/bin/env node
"use strict";
// TypeScript runs through tsx: the step definitions are loaded by Cucumber as TypeScript anyway,
// and one loader for both keeps a single copy of every module in the process.
require("tsx/cjs");
const { main } = require("../src/cli/main.ts");
// Ctrl-C and SIGTERM stop Allure's Java and remove the unfinished output (src/cli/interrupt.ts).
require("../src/cli/interrupt.ts").installInterruptHandlers();
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
