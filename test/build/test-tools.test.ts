/**
 * One way to get the test tools: scripts/install-test-tools.sh holds the one list of them, covers
 * every tool a test asks for (requireTool), and is what CI installs with and requires. Nothing is
 * installed here: --tools, --list and --dry-run only read the machine.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { copyFileSync, mkdirSync, readdirSync, readFileSync, statSync, symlinkSync } from "node:fs";
import { join } from "node:path";
import { ROOT, tempDir } from "../e2e/cli";
import { findOnPath } from "../../src/util/executables";
import { requireTool } from "../helpers/require-tool";

const SCRIPT = join(ROOT, "scripts", "install-test-tools.sh");

function script(args: string[], env: NodeJS.ProcessEnv = process.env, file: string = SCRIPT): string {
  const res = spawnSync(file, args, { cwd: ROOT, env, encoding: "utf8" });
  assert.equal(res.status, 0, res.stderr);
  return res.stdout;
}

function testFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const full = join(dir, name);
    return statSync(full).isDirectory() ? testFiles(full) : name.endsWith(".ts") ? [full] : [];
  });
}

/** Every tool name a test passes to requireTool, as its second argument. */
function toolsTheTestsAskFor(): string[] {
  const names = new Set<string>();
  for (const file of testFiles(join(ROOT, "test"))) {
    for (const m of readFileSync(file, "utf8").matchAll(/\brequireTool\(\s*\w+,\s*"([^"]+)"/g)) names.add(m[1]);
  }
  return [...names].sort();
}

test("the installer's tools are exactly the tools the tests ask for", () => {
  const asked = toolsTheTestsAskFor();
  assert.ok(asked.includes("pwsh") && asked.includes("java"), asked.join(","));
  assert.deepEqual(script(["--tools"]).trim().split(",").sort(), asked);
});

test("--list says of each tool whether it is here and how it is installed", () => {
  const rows = script(["--list"]).trim().split("\n").map((line) => line.split(/\s+/));
  for (const tool of toolsTheTestsAskFor()) assert.ok(rows.some((r) => r[0] === tool), `${tool} is not in --list`);
  for (const row of rows) {
    assert.match(row[1], /^(present|missing)$/, row.join(" "));
    assert.match(row[2], /^(apt|apt-lean|npm-ci|dotnet|launcher|saf)$/, row.join(" "));
  }
  // ansible-core without its recommendations: they are the whole 250 MB ansible bundle.
  assert.ok(rows.some((r) => r[0] === "ansible" && r[2] === "apt-lean" && r[3] === "ansible-core"));
});

test("--dry-run on a machine with none of the tools shows one apt run for all, the .NET tools and the SAF CLI, and installs nothing", () => {
  // A PATH with only what the script itself runs on: every tool it looks for on PATH is missing.
  const bin = join(tempDir("hostproof-tools-"), "bin");
  mkdirSync(bin);
  for (const cmd of ["bash", "sed", "awk", "tr", "cut", "paste", "grep", "id", "head", "env", "dirname", "cat", "dotnet"]) {
    const found = findOnPath(cmd);
    if (found !== undefined) symlinkSync(found, join(bin, cmd));
  }
  const env: NodeJS.ProcessEnv = { PATH: bin, HOME: process.env.HOME };
  // The script works in the folder above its own, where .tools/ may hold pwsh and the SAF CLI
  // already (CI installs them there before the tests): a copy in an empty checkout has none.
  const checkout = tempDir("hostproof-tools-checkout-");
  mkdirSync(join(checkout, "scripts"));
  mkdirSync(join(checkout, ".config"));
  copyFileSync(SCRIPT, join(checkout, "scripts", "install-test-tools.sh"));
  copyFileSync(join(ROOT, ".config", "dotnet-tools.json"), join(checkout, ".config", "dotnet-tools.json"));
  const out = script(["--dry-run"], env, join(checkout, "scripts", "install-test-tools.sh"));
  const apt = /^(?:sudo )?env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq (?!--no)(.+)$/m.exec(out)?.[1].split(" ") ?? [];
  for (const pkg of ["default-jre-headless", "openssh-client", "openssl", "shellcheck", "cmark-gfm", "jq", "ldb-tools", "poppler-utils"]) {
    assert.ok(apt.includes(pkg), `${pkg} not in the apt run:\n${out}`);
  }
  assert.equal(new Set(apt).size, apt.length, "a package twice");
  assert.match(out, /apt-get install -y -qq --no-install-recommends ansible-core$/m);
  assert.match(out, /^npm install --prefix \.tools\/saf @mitre\/saf@1\.5\.3$/m);
  if (findOnPath("dotnet") !== undefined) {
    assert.match(out, /^dotnet tool restore$/m);
    assert.match(out, /^dotnet tool install PowerShell --version 7\.6\.9 --tool-path \.tools\/launcher$/m);
  }
});

test(".ci/run installs with the installer and requires every tool it lists", () => {
  const ci = readFileSync(join(ROOT, ".ci", "run"), "utf8");
  assert.match(ci, /^scripts\/install-test-tools\.sh$/m);
  // The lines that set the required tools, run as .ci/run runs them: every tool of the installer, pwsh among them.
  const setting = /^tools=\$\(scripts\/install-test-tools\.sh --tools\)$[\s\S]*?^export HOSTPROOF_REQUIRE_TOOLS=.*$/m.exec(ci);
  assert.ok(setting, ".ci/run sets HOSTPROOF_REQUIRE_TOOLS from the installer's list");
  const res = spawnSync("bash", ["-c", `set -eu\n${setting[0]}\nprintf %s "$HOSTPROOF_REQUIRE_TOOLS"`], { cwd: ROOT, encoding: "utf8" });
  assert.equal(res.status, 0, res.stderr);
  const required = new Set(res.stdout.split(","));
  for (const tool of script(["--tools"]).trim().split(",")) assert.ok(required.has(tool), `${tool} is required in CI`);
  for (const tool of ["pwsh", "pwsh-launcher"]) assert.ok(required.has(tool), `${tool} is required in CI`);
  // No second list: the packages are named in the installer only.
  assert.doesNotMatch(ci, /apt-get|default-jre-headless|dotnet tool|@mitre\/saf/);
});

test("the installer passes shellcheck", (t) => {
  const shellcheck = findOnPath("shellcheck");
  if (!requireTool(t, "shellcheck", shellcheck, "apt-get install shellcheck")) return;
  const res = spawnSync(shellcheck, [SCRIPT, join(ROOT, ".ci", "run")], { encoding: "utf8" });
  assert.equal(res.status, 0, res.stdout);
});
