/**
 * `npm run build` while the CLI is in use (npm test builds first; someone runs `npx hostproof` in
 * another terminal): every CLI started during the build runs a whole build, the old or the new,
 * and never says "not built". The build runs in a copy of the package, so that this test does not
 * swap the dist/ the other tests are running.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { execFile, spawn } from "node:child_process";
import { cpSync, existsSync, readFileSync, readdirSync, symlinkSync } from "node:fs";
import { join } from "node:path";
import { ROOT, tempDir } from "../e2e/cli";

/** The package as a build sees it: sources, configuration, the scripts, and the current dist/. */
function packageCopy(): string {
  const dir = tempDir("hostproof-build-");
  for (const entry of ["package.json", "tsconfig.json", "tsconfig.build.json", "bin", "scripts", "src", "steps", "dist"]) {
    cpSync(join(ROOT, entry), join(dir, entry), { recursive: true });
  }
  symlinkSync(join(ROOT, "node_modules"), join(dir, "node_modules"), "dir");
  return dir;
}

function runCli(bin: string): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(process.execPath, [bin, "--version"], { encoding: "utf8" }, (err, stdout, stderr) => {
      resolve({ code: err === null ? 0 : typeof err.code === "number" ? err.code : -1, stdout, stderr });
    });
  });
}

test("a CLI started at any moment of npm run build finds a whole build", async () => {
  const dir = packageCopy();
  const bin = join(dir, "bin", "hostproof.js");
  const { version } = JSON.parse(readFileSync(join(dir, "package.json"), "utf8")) as { version: string };
  const npm = process.platform === "win32" ? "npm.cmd" : "npm";
  const build = spawn(npm, ["run", "build"], { cwd: dir, stdio: ["ignore", "ignore", "pipe"] });
  let buildErr = "";
  build.stderr.setEncoding("utf8").on("data", (d: string) => (buildErr += d));
  const built = new Promise<number | null>((resolve) => build.on("close", resolve));
  let done = false;
  void built.then(() => (done = true));

  const failures: string[] = [];
  let runs = 0;
  // Started one after another for as long as the build runs: the whole build is covered, from its
  // first moment to the swap, whatever the machine's speed.
  while (!done) {
    const res = await runCli(bin);
    runs++;
    if (res.code !== 0 || res.stdout.trim() !== version) {
      failures.push(`exit ${res.code}: ${res.stderr.trim()}`);
    }
  }
  assert.equal(await built, 0, buildErr);
  assert.ok(runs > 0);
  assert.deepEqual(failures.slice(0, 3), [], `${failures.length} of ${runs} CLI runs during the build failed`);
  // And afterwards: the new build, with nothing of the build's own left beside it.
  assert.equal((await runCli(bin)).code, 0);
  assert.deepEqual(readdirSync(dir).filter((n) => n.startsWith(".dist-next")), []);
  assert.ok(existsSync(join(dir, "dist", "src", "cli", "main.js")));
});
