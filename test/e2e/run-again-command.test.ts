/**
 * The command every report shows an auditor to run a probe again is pasted into PowerShell as
 * shown. Two defences stand between a hostile snapshot and the auditor's shell: a generic record's
 * parameters must be the strict forms its id was made from (a snapshot holding anything else is
 * refused), and every name and value the shown command carries goes through psQuote. Each is tested
 * on its own: the refusal through the CLI, and the quoting with parameters holding every character
 * PowerShell reads as a quote, a dash or white space (src/powershell/quote.ts), each followed by a
 * New-Item, plus `$(...)`, backticks and `;`, run in real pwsh with the cmdlet it calls replaced by
 * a function that writes down what it received: the value must arrive intact, and no file may be
 * created. A record that names a command hostproof does not ship is shown as a claim, never as a
 * command to run, in every report.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { copyFileSync, existsSync, mkdirSync, readFileSync, readdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { findPwsh } from "../../src/powershell/find";
import { powerShellSyntaxCharacters, SINGLE_QUOTES, DOUBLE_QUOTES } from "../../src/powershell/quote";
import { runAgainCommand, shippedCommands } from "../../src/probes/run-again";
import type { Summary } from "../../src/report/formats/summary";
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

function demoHost(dir: string, edit: (probes: Record<string, { parameters?: Record<string, string>; command: string; output?: unknown }>) => void): string {
  mkdirSync(join(dir, "snapshots"));
  copyFileSync(join(ROOT, "examples", "demo", "snapshots", "hv01.json"), join(dir, "snapshots", "hv01.json"));
  writeFileSync(join(dir, "inventory.yaml"), "version: 1\ndirectory: { none: \"test estate: no Active Directory\" }\nhosts:\n  - name: hv01\n    transport: snapshot\n    snapshot: snapshots/hv01.json\n");
  editJson(join(dir, "snapshots", "hv01.json"), (snap) => edit(snap.probes as Parameters<typeof edit>[0]));
  return join(dir, "inventory.yaml");
}

const userRun = (inventory: string, out: string): Promise<{ code: number; stdout: string; stderr: string }> =>
  runCli(["run", "-i", inventory, "--features", join(ROOT, "examples", "custom-controls"), "--no-builtin", "-o", out, "--as-of", AS_OF, "--exit-zero", "--no-history", "--html", "pages"]);

test("a snapshot whose generic records carry hostile parameters is refused before anything is shown", { timeout: 180_000 }, async () => {
  const dir = tempDir();
  const canaries = join(dir, "canaries");
  const value = hostile(canaries);
  const inventory = demoHost(dir, (probes) => {
    // Every parameter name and value is the snapshot's to choose, names included.
    probes["service:W32Time"]!.parameters = { Name: value, [`x = (New-Item -ItemType File -Path ${canaries}/name); y`]: "z" };
    probes[RDP]!.parameters = { Key: value };
  });
  const out = join(dir, "out");
  const run = await userRun(inventory, out);
  assert.equal(run.code, 3, run.stderr);
  assert.match(run.stderr, /probes\["service:W32Time"\]\.parameters: the record 'service:W32Time' does not agree with itself/);
  assert.match(run.stderr, /probes\["registry:HKLM.*RDP-Tcp"\]\.parameters: the record .* does not agree with itself/);
  assert.ok(!existsSync(out), "a refused run wrote a report");
});

test("the command to run again, pasted into real pwsh, passes a hostile name and value intact and runs nothing else", { timeout: 180_000 }, (t) => {
  const pwsh = findPwsh();
  if (!requireTool(t, "pwsh", pwsh, "install PowerShell 7 or set NODE_POWERSHELL")) return;
  const dir = tempDir();
  const canaries = join(dir, "canaries");
  mkdirSync(canaries);
  const value = hostile(canaries);
  const name = `x = (New-Item -ItemType File -Path ${canaries}/name); y`;
  const shipped = [...shippedCommands("service:W32Time")][0]!;
  const command = runAgainCommand("service:W32Time", shipped, { Name: value, [name]: "z" });
  assert.ok(command !== undefined);

  // The shown command, as pasted: Get-Service is a function here that writes down what it got.
  const received = join(dir, "received.txt");
  const script = join(dir, "paste.ps1");
  const stub = `function Get-Service { param([string]$Name, $ErrorAction) [System.IO.File]::WriteAllText('${received}', $HpProbe.Name, (New-Object System.Text.UTF8Encoding $false)); $HpProbe.Keys | ForEach-Object { [System.IO.File]::AppendAllText('${received}.keys', "$_\`n") } }`;
  writeFileSync(script, `${stub}\n${command}\n`, "utf8");
  const res = spawnSync(pwsh!, ["-NoLogo", "-NoProfile", "-NonInteractive", "-File", script], { encoding: "utf8", env: { ...process.env, TERM: "dumb" } });
  assert.equal(res.status, 0, `${res.stdout}\n${res.stderr}`);
  assert.equal(readFileSync(received, "utf8"), value, "the value did not arrive intact");
  assert.deepEqual(readFileSync(`${received}.keys`, "utf8").split("\n").filter((k) => k !== "").sort(), ["Name", name].sort(), "the parameter names did not arrive as two keys");
  assert.deepEqual(readdirSync(canaries), [], "the pasted command ran something else");
});

test("every report shows the command hostproof ships, and a recorded command it does not ship only as a claim", { timeout: 180_000 }, async () => {
  const dir = tempDir();
  const canaries = join(dir, "canaries");
  mkdirSync(canaries);
  const inventory = demoHost(dir, (probes) => {
    probes[RDP]!.command = `New-Item -ItemType File -Path ${canaries}/recorded`;
    // Failed results, whose evidence the pages show: W32Time stopped, RDP without NLA.
    probes[RDP]!.output = [{ Name: "UserAuthentication", Kind: "DWord", Data: 0 }];
    probes["service:W32Time"]!.output = { Name: "W32Time", DisplayName: "Windows Time", Status: 1, StartType: 4 };
  });
  const out = join(dir, "out");
  const run = await userRun(inventory, out);
  assert.equal(run.code, 0, run.stderr);
  const summary = JSON.parse(readFileSync(join(out, "summary.json"), "utf8")) as Summary;
  const evidence = summary.results.flatMap((r) => r.evidence);
  const service = evidence.find((e) => e.probe === "service:W32Time");
  const rdp = evidence.find((e) => e.probe === RDP);
  assert.ok(service !== undefined && rdp !== undefined, JSON.stringify(evidence.map((e) => e.probe)));

  // A command the snapshot names but hostproof does not ship is never offered to be run.
  assert.equal(rdp.command, "");
  assert.equal(rdp.unshippedCommand, `New-Item -ItemType File -Path ${canaries}/recorded`);
  assert.match(service.command, /^\$HpProbe = @\{ 'Name' = 'W32Time' \}; /);

  // Every report shows that same command: the HDF export and the browsable pages.
  const hdf = readFileSync(join(out, "hdf.json"), "utf8");
  assert.ok(hdf.includes(JSON.stringify(service.command.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;")).slice(1, -1)), "hdf.json shows another command");
  const pages = readdirSync(join(out, "pages", "t")).map((f) => readFileSync(join(out, "pages", "t", f), "utf8")).join("");
  const escaped = service.command.replace(/[&<>"']/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c]!);
  assert.ok(pages.includes(`Command:  ${escaped}`), "the pages show another command");
  assert.ok(pages.includes("Recorded: New-Item -ItemType File"), "the pages do not show the recorded claim");
  assert.deepEqual(readdirSync(canaries), []);
});
