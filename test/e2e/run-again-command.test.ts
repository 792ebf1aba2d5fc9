/**
 * The command every report shows an auditor to run a probe again is pasted into PowerShell as
 * shown. A hostile snapshot gives its records parameters holding every character PowerShell reads
 * as a quote, a dash or white space (src/powershell/quote.ts), each followed by a New-Item, plus
 * `$(...)`, backticks and `;`. The shown command, taken from summary.json, runs in real pwsh with
 * the cmdlet it calls replaced by a function that writes down what it received: the value must
 * arrive intact, and no file may be created. A record that names a command hostproof does not ship
 * is shown as a claim, never as a command to run.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { copyFileSync, existsSync, mkdirSync, readFileSync, readdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { findPwsh } from "../../src/powershell/find";
import { powerShellSyntaxCharacters, SINGLE_QUOTES, DOUBLE_QUOTES } from "../../src/powershell/quote";
import type { Summary } from "../../src/report/summary";
import { requireTool } from "../helpers/require-tool";
import { AS_OF, editJson, ROOT, runCli, tempDir } from "./cli";

const RDP = "registry:HKLM\\SYSTEM\\CurrentControlSet\\Control\\Terminal Server\\WinStations\\RDP-Tcp";

function hostile(canaryDir: string): string {
  // After each quote, code that leaves a file behind if that quote ended the string.
  // `+ (...) +` is code inside a hashtable literal too, where a `;` would start the next key.
  const breakOut = [...SINGLE_QUOTES, ...DOUBLE_QUOTES].map((q, i) => `${q} + (New-Item -ItemType File -Path ${canaryDir}/q${i}) + ${q}`);
  return [
    "W32Time",
    ...breakOut,
    ` $(New-Item -ItemType File -Path ${canaryDir}/subexpression) `,
    " `$env:PATH `n `' ",
    ` ; New-Item -ItemType File -Path ${canaryDir}/semicolon ; `,
    powerShellSyntaxCharacters().join(""),
  ].join("");
}

test("the command to run again, pasted into real pwsh, passes a hostile value intact and runs nothing else", { timeout: 180_000 }, async (t) => {
  const pwsh = findPwsh();
  if (!requireTool(t, "pwsh", pwsh, "install PowerShell 7 or set NODE_POWERSHELL")) return;
  const dir = tempDir();
  const canaries = join(dir, "canaries");
  mkdirSync(canaries);
  mkdirSync(join(dir, "snapshots"));
  copyFileSync(join(ROOT, "examples", "demo", "snapshots", "hv01.json"), join(dir, "snapshots", "hv01.json"));
  writeFileSync(join(dir, "inventory.yaml"), "version: 1\nhosts:\n  - name: hv01\n    transport: snapshot\n    snapshot: snapshots/hv01.json\n");
  const value = hostile(canaries);
  editJson(join(dir, "snapshots", "hv01.json"), (snap) => {
    const probes = snap.probes as Record<string, { parameters?: Record<string, string>; command: string; output?: unknown }>;
    // Every parameter name and value is the snapshot's to choose, names included.
    probes["service:W32Time"]!.parameters = { Name: value, [`x = (New-Item -ItemType File -Path ${canaries}/name); y`]: "z" };
    probes["service:W32Time"]!.output = { Name: "W32Time", DisplayName: "Windows Time", Status: 1, StartType: 4 };
    probes[RDP]!.parameters = { Key: value };
    probes[RDP]!.command = `New-Item -ItemType File -Path ${canaries}/recorded`;
    probes[RDP]!.output = [{ Name: "UserAuthentication", Kind: "DWord", Data: 0 }];
  });

  const out = join(dir, "out");
  const run = await runCli(["run", "-i", join(dir, "inventory.yaml"), "--features", join(ROOT, "examples", "custom-controls"), "--no-builtin", "-o", out, "--as-of", AS_OF, "--exit-zero", "--no-history", "--html", "pages"]);
  assert.equal(run.code, 0, run.stderr);
  const summary = JSON.parse(readFileSync(join(out, "summary.json"), "utf8")) as Summary;
  const evidence = summary.results.flatMap((r) => r.evidence);
  const service = evidence.find((e) => e.probe === "service:W32Time");
  const rdp = evidence.find((e) => e.probe === RDP);
  assert.ok(service !== undefined && rdp !== undefined, JSON.stringify(evidence.map((e) => e.probe)));

  // A command the snapshot names but hostproof does not ship is never offered to be run.
  assert.equal(rdp.command, "");
  assert.equal(rdp.unshippedCommand, `New-Item -ItemType File -Path ${canaries}/recorded`);

  // The shown command, as pasted: Get-Service is a function here that writes down what it got.
  const received = join(dir, "received.txt");
  const script = join(dir, "paste.ps1");
  const stub = `function Get-Service { param([string]$Name, $ErrorAction) [System.IO.File]::WriteAllText('${received}', $Name, (New-Object System.Text.UTF8Encoding $false)); $HpProbe.Keys | ForEach-Object { [System.IO.File]::AppendAllText('${received}.keys', "$_\`n") } }`;
  writeFileSync(script, `${stub}\n${service.command}\n`, "utf8");
  const res = spawnSync(pwsh, ["-NoLogo", "-NoProfile", "-NonInteractive", "-File", script], { encoding: "utf8", env: { ...process.env, TERM: "dumb" } });
  assert.equal(res.status, 0, `${res.stdout}\n${res.stderr}`);
  assert.equal(readFileSync(received, "utf8"), value, "the value did not arrive intact");
  assert.equal(readFileSync(`${received}.keys`, "utf8").split("\n").filter((k) => k.startsWith("x = (New-Item")).length, 1, "the parameter name did not arrive as one key");
  assert.deepEqual(readdirSync(canaries), [], "the pasted command ran something else");

  // Every report shows that same command: the HDF export and the browsable pages.
  const hdf = readFileSync(join(out, "hdf.json"), "utf8");
  assert.ok(hdf.includes(JSON.stringify(service.command).slice(1, -1)) || hdf.includes(JSON.stringify(service.command.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;")).slice(1, -1)), "hdf.json shows another command");
  const pages = readdirSync(join(out, "pages", "t")).map((f) => readFileSync(join(out, "pages", "t", f), "utf8")).join("");
  const escaped = service.command.replace(/[&<>"']/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c]!);
  assert.ok(pages.includes(`Command:  ${escaped}`), "the pages show another command");
  assert.ok(pages.includes("Recorded: New-Item -ItemType File"), "the pages do not show the recorded claim");
  assert.ok(!existsSync(join(canaries, "recorded")));
});
