/**
 * The commands the documentation shows run, so that it cannot drift from the code. Every shell
 * block (```sh) in README.md and docs/*.md whose fence follows the line `<!-- run: demo -->` is run
 * here, command by command, in a scratch folder of its own per file, in the file's order (a later
 * block may read what an earlier one wrote). The scratch folder holds the repository's demo:
 * `examples/` as it is, and the demo once more under the names the docs give a user's own files
 * (`estate.yaml`, `waivers.yaml`, `snapshots/`, `directory.json`; `examples/custom-controls` as
 * `controls/acme`; and as `estate/`, as `hostproof discover --out estate` leaves it), with the
 * demo's report in `reports/` (`--no-html`) for the blocks that read one. `hostproof`, `npx hostproof` and `node bin/hostproof.js` are this repository's
 * CLI, `npm start` its start script. Each command must exit 0, or the code its trailing comment
 * gives (`# exit 1: …`). Blocks that need what a test machine cannot have (a Windows host, WinRM,
 * a real directory, a secret) stay unmarked; the test counts both and says so.
 */
import assert from "node:assert/strict";
import { execFile, spawnSync } from "node:child_process";
import { chmodSync, cpSync, existsSync, mkdirSync, readdirSync, readFileSync, renameSync, symlinkSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { test } from "node:test";
import { promisify } from "node:util";
import { findOnPath } from "../../src/util/executables";
import { tempDir } from "../e2e/cli";
import { requireTool } from "../helpers/require-tool";
import { commandsOf, docFiles, fencedBlocks, isShell, read, ROOT, RUN_MARKER, type Block } from "../helpers/docs";

const run = promisify(execFile);

/** The scratch folder's template, made once; each file's blocks run in a copy of it. */
function template(): { dir: string; bin: string } {
  const base = tempDir("hostproof-docs-");
  const dir = join(base, "template");
  mkdirSync(dir);
  cpSync(join(ROOT, "examples"), join(dir, "examples"), { recursive: true });
  for (const name of ["snapshots", "directory.json", "waivers.yaml", "inventory.yaml"]) cpSync(join(ROOT, "examples", "demo", name), join(dir, name), { recursive: true });
  renameSync(join(dir, "inventory.yaml"), join(dir, "estate.yaml"));
  cpSync(join(ROOT, "examples", "custom-controls"), join(dir, "controls", "acme"), { recursive: true });
  // What `hostproof discover --out estate` writes: an inventory naming its directory snapshot.
  cpSync(join(ROOT, "examples", "demo"), join(dir, "estate"), { recursive: true });
  const pkg = JSON.parse(readFileSync(join(ROOT, "package.json"), "utf8")) as Record<string, unknown>;
  writeFileSync(join(dir, "package.json"), JSON.stringify({ name: pkg.name, version: pkg.version, private: true, scripts: pkg.scripts }, null, 2));
  mkdirSync(join(dir, "bin"));
  writeFileSync(join(dir, "bin", "hostproof.js"), `require(${JSON.stringify(join(ROOT, "bin", "hostproof.js"))});\n`);
  // `hostproof` and `npx hostproof` on PATH are this repository's CLI; npx runs nothing else.
  const bin = join(base, "path");
  mkdirSync(bin);
  const cli = `exec ${JSON.stringify(process.execPath)} ${JSON.stringify(join(ROOT, "bin", "hostproof.js"))} "$@"`;
  writeFileSync(join(bin, "hostproof"), `#!/bin/sh\n${cli}\n`);
  writeFileSync(join(bin, "npx"), `#!/bin/sh\nif [ "$1" = hostproof ]; then shift; ${cli}; fi\necho "npx $1: the docs tests run only npx hostproof" >&2\nexit 127\n`);
  for (const f of ["hostproof", "npx"]) chmodSync(join(bin, f), 0o755);
  // The demo's report, as npm start leaves it in reports/, for the blocks that read a report.
  const made = spawnSync(process.execPath, [join(ROOT, "bin", "hostproof.js"), "run", "-i", "estate.yaml", "-w", "waivers.yaml", "--exit-zero", "--no-html", "--no-history", "-o", "reports"], { cwd: dir, encoding: "utf8" });
  assert.equal(made.status, 0, made.stderr);
  return { dir, bin };
}

/**
 * PATH with every folder that holds `java` replaced by a mirror of it without java: runs then
 * skip the Allure HTML with their notice (the rest of the report and the exit code are the same),
 * which keeps this test within a minute. The README's tour keeps Java: its report is opened.
 */
function pathWithoutJava(base: string, path: string): string {
  return path
    .split(":")
    .filter((d) => d !== "")
    .map((d, k) => {
      if (!existsSync(join(d, "java"))) return d;
      const mirror = join(base, `no-java-${k}`);
      mkdirSync(mirror, { recursive: true });
      for (const name of readdirSync(d)) if (name !== "java" && !existsSync(join(mirror, name))) symlinkSync(join(d, name), join(mirror, name));
      return mirror;
    })
    .join(":");
}

function environment(bin: string, java: boolean): NodeJS.ProcessEnv {
  const path = java ? process.env.PATH ?? "" : pathWithoutJava(join(bin, ".."), process.env.PATH ?? "");
  const env: NodeJS.ProcessEnv = { ...process.env, PATH: `${bin}:${path}`, NO_COLOR: "1", npm_config_offline: "true", npm_config_update_notifier: "false", npm_config_fund: "false" };
  for (const name of Object.keys(env)) if (/^HOSTPROOF_SIGN_KEY/.test(name) || name === "HOSTPROOF_TIMINGS") delete env[name];
  if (!java) delete env.JAVA_HOME;
  return env;
}

function tail(text: string): string {
  const lines = text.trimEnd().split("\n");
  return lines.slice(-15).join("\n");
}

test("the docs' marked shell blocks run against the demo and exit as they say", { concurrency: 2 }, async (t) => {
  const shell: Block[] = docFiles().flatMap((f) => fencedBlocks(f, read(f)).filter(isShell));
  const marked = shell.filter((b) => b.before === RUN_MARKER);
  const stray = docFiles().flatMap((f) => fencedBlocks(f, read(f)).filter((b) => b.before === RUN_MARKER && !isShell(b)));
  assert.deepEqual(stray.map((b) => `${b.file}:${b.line}`), [], `${RUN_MARKER} marks shell blocks (\`\`\`sh) only`);
  const commands = marked.flatMap((b) => commandsOf(b).map((c) => ({ ...c, file: b.file })));
  t.diagnostic(`${shell.length} shell blocks in README.md and docs/: ${marked.length} marked ${RUN_MARKER} (${commands.length} commands run here), ${shell.length - marked.length} not (they need a Windows host, WinRM, a directory, a secret or the network)`);
  for (const b of shell.filter((x) => x.before !== RUN_MARKER)) t.diagnostic(`  not run: ${b.file}:${b.line}`);
  // The tour and each main topic show commands that run: losing a marker is a regression.
  for (const file of ["README.md", "docs/cli.md", "docs/reports.md", "docs/evidence.md", "docs/scale.md", "docs/controls.md", "docs/waivers.md", "docs/inventory.md"]) {
    assert.ok(marked.some((b) => b.file === file), `${file} has no block marked ${RUN_MARKER}`);
  }
  assert.ok(marked.filter((b) => b.file === "README.md").length >= 4, "the README's tour runs");
  for (const b of marked) assert.ok(commandsOf(b).length > 0, `${b.file}:${b.line}: a marked block with no command`);

  // Tools the marked blocks call besides hostproof: without one, the test skips (and fails in CI).
  for (const [tool, command, howToGet] of [["openssl", "openssl", "apt-get install openssl"], ["ansible", "ansible-inventory", "apt-get install ansible-core"], ["jq", "jq", "apt-get install jq"]] as const) {
    if (!requireTool(t, tool, findOnPath(command, process.env), howToGet)) return;
  }
  const { dir, bin } = template();
  const withJava = environment(bin, true);
  const withoutJava = environment(bin, false);
  const files = [...new Set(marked.map((b) => b.file))];
  await Promise.all(
    files.map((file) =>
      t.test(file, { concurrency: 1 }, async () => {
        const cwd = join(dir, "..", file.replace(/[/.]/g, "-"));
        cpSync(dir, cwd, { recursive: true });
        const env = file === "README.md" ? withJava : withoutJava;
        for (const c of commands.filter((x) => x.file === file)) {
          let code = 0;
          let out = "";
          try {
            const res = await run("bash", ["-c", c.text], { cwd, env, maxBuffer: 64 * 1024 * 1024, timeout: 300_000 });
            out = res.stdout + res.stderr;
          } catch (e) {
            const err = e as { code?: number | string; stdout?: string; stderr?: string };
            code = typeof err.code === "number" ? err.code : -1;
            out = `${err.stdout ?? ""}${err.stderr ?? ""}${typeof err.code === "string" ? err.code : ""}`;
          }
          assert.equal(code, c.exit, `${file}:${c.line}: \`${c.text}\` exited ${code}, the docs say ${c.exit}:\n${tail(out)}`);
        }
        // The tour's second step opens the report its first step wrote.
        if (file === "README.md") assert.ok(existsSync(join(cwd, "reports", "allure-report", "index.html")), "npm start wrote no reports/allure-report/index.html");
      }),
    ),
  );
});
