/**
 * Commands hostproof prints for a person to paste (the `hostproof verify` line after a run) hold
 * paths the user or a file chose. Pasted into the shell they are meant for, the path must arrive
 * as one argument, intact, and nothing else may run: run in real sh, and in real pwsh for the
 * Windows form (src/util/shell-quote.ts).
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { findPwsh } from "../../src/powershell/find";
import { SINGLE_QUOTES, DOUBLE_QUOTES } from "../../src/powershell/quote";
import { shownArg } from "../../src/util/shell-quote";
import { requireTool } from "../helpers/require-tool";
import { AS_OF, DEMO, shownCommand, spawnCli, tempDir } from "./cli";

/** A folder name that runs `touch` (sh) or New-Item (pwsh) if a quote or `$(` is not handled. */
function hostileName(canary: string): string {
  return `re'ports $(touch ${canary}-sh) \`touch ${canary}-tick\` "$HOME" ${[...SINGLE_QUOTES, ...DOUBLE_QUOTES].map((q) => `${q} + (New-Item -ItemType File -Path ${canary}-ps) + ${q}`).join("")} ;x`;
}

test("the verify command a run prints, pasted into sh, passes the report folder as one argument and runs nothing else", { timeout: 120_000 }, () => {
  const dir = tempDir();
  const canary = join(dir, "canary");
  const out = join(dir, hostileName(canary));
  const run = spawnCli(["run", "-i", DEMO, "-o", out, "--as-of", AS_OF, "--exit-zero", "--no-history", "--no-html"]);
  assert.equal(run.code, 0, run.stderr);
  // As printed: on lines of its own, broken between arguments with sh's line continuation where it is wider than the terminal.
  const line = shownCommand(run.stdout, "Check the report with:")?.pasted;
  assert.ok(line !== undefined, run.stdout);
  const args = join(dir, "args");
  const sh = spawnSync("/bin/sh", ["-c", `hostproof() { for a in "$@"; do printf '%s\\n' "$a"; done > "$HP_ARGS"; }\n${line}`], { encoding: "utf8", env: { ...process.env, HP_ARGS: args } });
  assert.equal(sh.status, 0, sh.stderr);
  assert.deepEqual(readFileSync(args, "utf8").split("\n").slice(0, 3), ["verify", out, "--expect"]);
  for (const suffix of ["-sh", "-tick", "-ps"]) assert.ok(!existsSync(canary + suffix), `${suffix}: the pasted line ran something`);
});

test("the Windows form of a shown argument, run in real pwsh, arrives intact and runs nothing else", (t) => {
  const pwsh = findPwsh();
  if (!requireTool(t, "pwsh", pwsh, "install PowerShell 7 or set NODE_POWERSHELL")) return;
  const dir = tempDir();
  const canary = join(dir, "canary");
  const value = `C:\\${hostileName(canary)}`;
  const received = join(dir, "received");
  const script = join(dir, "paste.ps1");
  writeFileSync(script, `function hostproof { [System.IO.File]::WriteAllText('${received}', ($args -join '|'), (New-Object System.Text.UTF8Encoding $false)) }\nhostproof verify ${shownArg(value, "win32")} --expect abc\n`, "utf8");
  const res = spawnSync(pwsh, ["-NoLogo", "-NoProfile", "-NonInteractive", "-File", script], { encoding: "utf8", env: { ...process.env, TERM: "dumb" } });
  assert.equal(res.status, 0, res.stderr);
  assert.equal(readFileSync(received, "utf8"), `verify|${value}|--expect|abc`);
  for (const suffix of ["-sh", "-tick", "-ps"]) assert.ok(!existsSync(canary + suffix), `${suffix}: the pasted line ran something`);
});
