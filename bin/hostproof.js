#!/usr/bin/env node
"use strict";
// The compiled JavaScript in dist/ (`npm run build`, which `npm ci` runs): no TypeScript loader at
// run time. `hostproof run` has Cucumber load the compiled step definitions too (dist/steps/).
const { existsSync } = require("node:fs");
const { join } = require("node:path");
const ROOT = join(__dirname, "..");
// `npm run build` (scripts/build.js) swaps a new dist/ in with two renames, the old one to
// .dist-prev/ first: started in the instant between them, the CLI runs that previous build. A
// build can also move dist/ away between the check and the require, hence the second look.
function loadBuild() {
  for (const dir of ["dist", ".dist-prev", "dist"]) {
    const main = join(ROOT, dir, "src", "cli", "main.js");
    if (!existsSync(main)) continue;
    try {
      return { main: require(main).main, interrupt: require(join(ROOT, dir, "src", "cli", "interrupt.js")) };
    } catch (err) {
      // Only a build moved away mid-load is tried again; any other failure is the CLI's own.
      if (!(err && err.code === "MODULE_NOT_FOUND" && String(err.message).includes(join(ROOT, dir)))) throw err;
    }
  }
  const dist = join(ROOT, "dist", "src", "cli");
  process.stderr.write(`hostproof: not built: ${dist} is missing. Run \`npm run build\` (\`npm ci\` runs it) in ${ROOT}.\n`);
  process.exit(4);
}
const { main, interrupt } = loadBuild();
// Ctrl-C and SIGTERM stop Allure's Java and remove the unfinished output (src/cli/interrupt.ts).
interrupt.installInterruptHandlers();
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
