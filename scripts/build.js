#!/usr/bin/env node
// `npm run build`: compiles src/ and steps/ into a new folder beside dist/ and swaps it in, so that
// a CLI started during a build (npm test builds first, while someone runs `npx hostproof` in
// another terminal) finds the previous build instead of a dist/ half-deleted or half-written.
//
// A folder cannot be renamed over a non-empty one, so the swap is two renames: dist/ to
// .dist-prev/, then the new build to dist/. bin/hostproof.js falls back to .dist-prev/ for the
// instant between them, and .dist-prev/ stays until the next build, for a CLI still running from it.
"use strict";
const { existsSync, readdirSync, renameSync, rmSync } = require("node:fs");
const { join } = require("node:path");
const { spawnSync } = require("node:child_process");

const ROOT = join(__dirname, "..");
const DIST = join(ROOT, "dist");
const PREV = join(ROOT, ".dist-prev");
// One folder per build process: two builds at once must not write into each other's output.
const NEXT = join(ROOT, `.dist-next-${process.pid}`);

/** Removes what builds that were killed outright left: a .dist-next-<pid> whose process is gone. */
function removeDebris() {
  for (const name of readdirSync(ROOT)) {
    const m = /^\.dist-next-(\d+)$/.exec(name);
    if (m === null || Number(m[1]) === process.pid) continue;
    try {
      process.kill(Number(m[1]), 0);
    } catch (err) {
      if (err.code === "ESRCH") rmSync(join(ROOT, name), { recursive: true, force: true });
    }
  }
}

function build() {
  removeDebris();
  // A signal to this process alone (not to tsc) is held until tsc ends, so that the swap below is
  // never cut in half; Ctrl-C reaches tsc too, and its half-written output is removed.
  // (The handlers run once this returns, after process.exitCode is set below.)
  for (const signal of ["SIGINT", "SIGTERM"]) process.on(signal, () => (process.exitCode = signal === "SIGINT" ? 130 : 143));
  const tsc = require.resolve("typescript/bin/tsc");
  const res = spawnSync(process.execPath, [tsc, "-p", join(ROOT, "tsconfig.build.json"), "--outDir", NEXT], { cwd: ROOT, stdio: "inherit" });
  if (res.status !== 0) {
    // The old dist/ stays as it was: a failed or interrupted build replaces nothing.
    rmSync(NEXT, { recursive: true, force: true });
    if (res.signal) return res.signal === "SIGINT" ? 130 : 143;
    return res.status ?? 1;
  }
  rmSync(PREV, { recursive: true, force: true });
  if (existsSync(DIST)) renameSync(DIST, PREV);
  renameSync(NEXT, DIST);
  return 0;
}

process.exitCode = build();
