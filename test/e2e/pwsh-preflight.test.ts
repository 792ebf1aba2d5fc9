/**
 * A pwsh that cannot be used is one clear input error before any host is contacted, not every
 * host failing alike: missing, broken (the .NET tool's Windows pwsh.dll on Linux exits 150), or
 * answering with no usable version.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { chmodSync, existsSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { checkPwsh } from "../../src/collect/pwsh-preflight";
import { InputError } from "../../src/errors";
import { findPwsh } from "../../src/powershell/find";
import { requireTool } from "../helpers/require-tool";
import { spawnCli, tempDir } from "./cli";

const FAKE_PWSH = join(__dirname, "..", "fixtures", "fake-pwsh.js");

function liveInventory(): string {
  const file = join(tempDir(), "estate.json");
  writeFileSync(file, JSON.stringify({ version: 1, hosts: [{ name: "n1", transport: "local" }] }));
  return file;
}

test("a pwsh that dies at start (exit 150, no framework) stops collect with exit 3 and writes nothing", () => {
  const broken = join(tempDir(), "pwsh");
  writeFileSync(broken, "#!/bin/sh\necho \"You must install or update .NET to run this application. Framework: 'Microsoft.WindowsDesktop.App'\" >&2\nexit 150\n");
  chmodSync(broken, 0o755);
  const out = join(tempDir(), "snaps");
  const res = spawnCli(["collect", "-i", liveInventory(), "-o", out], undefined, { ...process.env, NODE_POWERSHELL: broken });
  assert.equal(res.code, 3, res.stdout + res.stderr);
  assert.match(res.stderr, /PowerShell at .*pwsh \(from NODE_POWERSHELL\) could not be used: the PowerShell process exited with exit code 150/);
  assert.doesNotMatch(res.stderr, /\n\s+at /, "no stack trace");
  assert.equal(existsSync(out), false);
});

test("a pwsh that answers with no version is refused, naming the minimum", async () => {
  await assert.rejects(checkPwsh({ file: "estate.json", liveHosts: 2, env: { ...process.env, NODE_POWERSHELL: FAKE_PWSH } }), (e: unknown) => {
    assert.ok(e instanceof InputError);
    assert.match(e.message, /^estate\.json: hosts \(2 with a live transport\): PowerShell at .*fake-pwsh\.js \(from NODE_POWERSHELL\) is of an unknown version; live collection needs 7\.3 or later/);
    return true;
  });
});

test("the real pwsh passes and says its version", async (t) => {
  const pwsh = findPwsh();
  if (!requireTool(t, "pwsh", pwsh, "install PowerShell 7 or set NODE_POWERSHELL")) return;
  assert.match(await checkPwsh({ file: "estate.json", liveHosts: 1, env: process.env }), /^7\.\d+\.\d+/);
});
