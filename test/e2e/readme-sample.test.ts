/** The README's sample of `npm start` is what npm start prints (dates, paths and hashes aside). */
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { test } from "node:test";
import { ROOT, spawnCli, tempDir } from "./cli";

function normalise(text: string, outDir: string): string[] {
  // The as-of day is the day it ran: wherever the output repeats it (an end-of-support line), it is that day too.
  const day = /as of (\d{4}-\d{2}-\d{2})/.exec(text)?.[1];
  return (day === undefined ? text : text.split(day).join("<as-of day>"))
    .split("\n")
    .map((l) =>
      l
        .split(outDir)
        .join("/…/reports")
        .replace(/\b([0-9a-f]{8})([0-9a-f]{56}|…)/g, "<sha256>"),
    )
    .filter((l) => l !== "");
}

test("README: the sample output of npm start is the real output", () => {
  const readme = readFileSync(join(ROOT, "README.md"), "utf8");
  const block = /```\n> hostproof@[^\n]* start\n> ([^\n]*)\n([\s\S]*?)```/.exec(readme);
  assert.ok(block, "the README shows npm start's output");
  const pkg = JSON.parse(readFileSync(join(ROOT, "package.json"), "utf8")) as { scripts: { start: string } };
  assert.equal(block[1], pkg.scripts.start, "the README quotes the start script");
  // The same command, but into a scratch folder with no history (the README shows a first run).
  const out = join(tempDir(), "reports");
  const args = pkg.scripts.start.replace(/^node bin\/hostproof\.js /, "").split(" ");
  const res = spawnCli([...args, "--out", out]);
  assert.equal(res.code, 0, res.stderr);
  assert.deepEqual(
    normalise(res.stdout, out),
    normalise(block[2]!, "/…/reports"),
    "README.md's sample differs from what npm start prints: run `npm start` on a terminal and paste its output",
  );
});
