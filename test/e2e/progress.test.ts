/** Progress of the real CLI: plain lines on a pipe; one line redrawn in place on a terminal (script(1)). */
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { join } from "node:path";
import { test } from "node:test";
import { AS_OF, BIN, DEMO, DEMO_HOSTS, readJson, ROOT, spawnCli, tempDir } from "./cli";
import type { Summary } from "../../src/report/formats/summary";

/** The demo's results, counted from the report just written: the figures follow the demo. */
const resultsIn = (out: string): number => readJson<Summary>(join(out, "summary.json")).results.length;
import { findOnPath } from "../../src/util/executables";

test("stderr not a terminal: one plain line per phase; stdout is the summary alone", () => {
  const out = join(tempDir(), "out");
  const res = spawnCli(["run", "-i", DEMO, "-o", out, "--as-of", AS_OF, "--no-html", "--exit-zero"]);
  assert.equal(res.code, 0, res.stderr);
  const lines = res.stderr.split("\n").filter((l) => l.startsWith("hostproof: "));
  assert.deepEqual(
    lines.map((l) => l.replace(/\(after \d+\.\d s\)$/, "(after …)")),
    [
      `hostproof: load: ${DEMO_HOSTS} hosts, 2 clusters (after …)`,
      `hostproof: judge: ${DEMO_HOSTS} hosts, 2 clusters (after …)`,
      `hostproof: write: ${resultsIn(out)} results into 6 formats and the evidence (after …)`,
    ],
  );
  assert.doesNotMatch(res.stdout, /hostproof: (load|judge|write)/);
  assert.match(res.stdout, /^hostproof 0\.1\.0 · Contoso demo estate/);
});

const script = findOnPath("script", process.env);
test("on a terminal: the phases redrawn on one line, erased before the summary", { skip: script === undefined || process.platform !== "linux" ? "needs util-linux script(1)" : false }, () => {
  const out = join(tempDir(), "out");
  const summary = join(tempDir(), "summary.txt");
  // script gives the CLI a pseudo-terminal; stdout goes to a file, so the terminal shows stderr only.
  const cmd = [process.execPath, BIN, "run", "-i", DEMO, "-o", out, "--as-of", AS_OF, "--no-html", "--exit-zero"].map((a) => `'${a}'`).join(" ");
  const env: NodeJS.ProcessEnv = { ...process.env, NO_COLOR: "1" };
  delete env.CI;
  const res = spawnSync(script!, ["-qec", `${cmd} > '${summary}'`, "/dev/null"], { cwd: ROOT, encoding: "utf8", env });
  assert.equal(res.status, 0, res.stdout);
  const ERASE = "\r\u001b[2K";
  // The elapsed time is redrawn while a phase lasts: compare the distinct phases in order. A line
  // wider than the terminal (80 columns here) is cut with "…", which may fall inside the time.
  const frames = res.stdout
    .split(ERASE)
    .filter(Boolean)
    .map((f) => f.replace(/ · \d+(\.\d( s)?)?…?$/, " · …"))
    .filter((f, i, all) => f !== all[i - 1]);
  assert.deepEqual(frames.slice(0, 3), [`hostproof ▸ load: ${DEMO_HOSTS} hosts, 2 clusters · …`, `hostproof ▸ judge: ${DEMO_HOSTS} hosts, 2 clusters · …`, `hostproof ▸ write: ${resultsIn(out)} results into 6 formats and the evidence · …`]);
  assert.ok(!/hostproof ▸[^\r]*\n/.test(res.stdout), "a progress line never ends in a newline: it is redrawn, then erased");
  assert.doesNotMatch(res.stdout, /^hostproof: /m, "no plain lines on a terminal");
});
