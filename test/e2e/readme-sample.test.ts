/** The docs' sample of `npm start` (docs/cli.md, and its end in the README) is what npm start prints (dates, paths and hashes aside). */
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

test("docs/cli.md's sample of npm start is the real output, and the README's excerpt is part of it", () => {
  const doc = readFileSync(join(ROOT, "docs", "cli.md"), "utf8");
  const block = /```\n> hostproof@[^\n]* start\n> ([^\n]*)\n([\s\S]*?)```/.exec(doc);
  assert.ok(block, "docs/cli.md shows npm start's output");
  const pkg = JSON.parse(readFileSync(join(ROOT, "package.json"), "utf8")) as { scripts: { start: string } };
  assert.equal(block[1], pkg.scripts.start, "docs/cli.md quotes the start script");
  // The same command, but into a scratch folder with no history (the sample shows a first run).
  const out = join(tempDir(), "reports");
  const args = pkg.scripts.start.replace(/^node bin\/hostproof\.js /, "").split(" ");
  const res = spawnCli([...args, "--out", out]);
  assert.equal(res.code, 0, res.stderr);
  const real = normalise(res.stdout, out);
  assert.deepEqual(
    real,
    normalise(block[2]!, "/…/reports"),
    "docs/cli.md's sample differs from what npm start prints: run `npm start` on a terminal and paste its output",
  );
  // The README's tour shows the end of it, under a marker: those lines, in that order, with none between.
  const readme = readFileSync(join(ROOT, "README.md"), "utf8");
  const excerpt = /<!-- npm start: the end of its output -->\n```\n([\s\S]*?)```/.exec(readme);
  assert.ok(excerpt, "the README shows the end of npm start's output");
  const lines = normalise(excerpt[1]!, "/…/reports");
  const at = real.findIndex((_, k) => lines.every((l, j) => real[k + j] === l));
  assert.ok(lines.length >= 5 && at >= 0, `the README's excerpt of npm start's output is not what npm start prints:\n${lines.join("\n")}`);
});
