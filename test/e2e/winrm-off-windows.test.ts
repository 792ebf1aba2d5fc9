/**
 * pwsh off Windows has no WSMan client: a winrm host is refused before anything is contacted or
 * written, naming the hosts and the ways out. (Where the platform is Windows, no refusal.)
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { existsSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { refuseWinrmOffWindows } from "../../src/collect/collect-estate";
import { loadInventory } from "../../src/input/inventory";
import { InputError } from "../../src/errors";
import { spawnCli, tempDir } from "./cli";

function inventoryWith(hosts: number): string {
  const file = join(tempDir(), "estate.json");
  const list = Array.from({ length: hosts }, (_, i) => ({ name: `w${i + 1}`, transport: "winrm", credential: "c" }));
  writeFileSync(file, JSON.stringify({ version: 1, credentials: [{ name: "c", username: "auditor", password: { env: "HP_PASS" } }], hosts: [...list, { name: "s1", transport: "ssh", credential: "c" }] }));
  return file;
}

test("winrm hosts are refused off Windows, named, with the ways out; on Windows they are not", () => {
  const loaded = loadInventory(inventoryWith(7), "estate.json");
  assert.throws(
    () => refuseWinrmOffWindows(loaded, "linux"),
    (e: unknown) => {
      assert.ok(e instanceof InputError);
      assert.match(e.message, /^estate\.json: hosts \(7 with transport winrm: w1, w2, w3, w4, w5 and 2 more\): WinRM cannot be used from linux: PowerShell 7 there has no WSMan client\. /);
      assert.match(e.message, /Windows runner/);
      assert.match(e.message, /transport: ssh \(OpenSSH Server ships with Windows Server 2019 and later\)/);
      return true;
    },
  );
  refuseWinrmOffWindows(loaded, "win32");
});

test("hostproof collect with a winrm host exits 3 before contacting anything or writing --out", { skip: process.platform === "win32" }, () => {
  const inventory = inventoryWith(1);
  const out = join(tempDir(), "snaps");
  const res = spawnCli(["collect", "--inventory", inventory, "--out", out]);
  assert.equal(res.code, 3, res.stderr);
  assert.match(res.stderr, /hosts \(1 with transport winrm: w1\): WinRM cannot be used from linux/);
  assert.doesNotMatch(res.stderr, /\n\s+at /, "no stack trace");
  assert.equal(existsSync(out), false);
});
