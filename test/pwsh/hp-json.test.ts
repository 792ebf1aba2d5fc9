/**
 * ConvertTo-HpJson, the collector's writer for shells without ConvertTo-Json, against pwsh's own
 * ConvertTo-Json -Compress for the shapes where Windows PowerShell 5.1 and 7 agree, and against
 * 5.1's documented forms where they do not (DateTime, enums). Runs under strict mode 2.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { buildCollectorScript } from "../../src/collect/script";
import { findPwsh } from "../../src/powershell/find";
import { requireTool } from "../helpers/require-tool";

/** PowerShell expressions whose pipeline output both writers turn into JSON, with -Depth. */
const SAME: Array<[string, number]> = [
  ["New-Object PSObject -Property @{ a = 1 } | Select-Object a", 4],
  ["1..3 | ForEach-Object { New-Object PSObject -Property @{ n = $_; s = \"x$_\" } } | Select-Object n, s", 4],
  ["@(New-Object PSObject -Property @{ list = [string[]]@('a', 'b'); one = [string[]]@('c'); none = [string[]]@() }) | Select-Object list, one, none", 4],
  ["New-Object PSObject -Property @{ t = $true; f = $false; z = $null; d = 1.5; big = [long]9007199254740993; neg = -2 } | Select-Object t, f, z, d, big, neg", 4],
  ["New-Object PSObject -Property @{ q = 'quote \" back \\ tab `t nl `n uni ' + [char]0x00e9 } | Select-Object q", 4],
  ["New-Object PSObject -Property @{ h = @{ k = 'v' }; o = (New-Object PSObject -Property @{ inner = (New-Object PSObject -Property @{ deep = @{ x = 1 } }) }) } | Select-Object h, o", 1],
  ["New-Object PSObject -Property @{ o = (New-Object PSObject -Property @{ a = (New-Object PSObject -Property @{ b = (New-Object PSObject -Property @{ c = 1 }) }) }) } | Select-Object o", 2],
  ["'plain'", 4],
  ["42", 4],
  ["1, 'two', $null", 4],
];

test("pwsh: ConvertTo-HpJson writes what ConvertTo-Json writes, and 5.1's forms for dates and enums", (t) => {
  const pwsh = findPwsh();
  if (!requireTool(t, "pwsh", pwsh, "set NODE_POWERSHELL")) return;
  const dir = mkdtempSync(join(tmpdir(), "hostproof-hpjson-"));
  try {
    const scriptFile = join(dir, "collector.ps1");
    writeFileSync(scriptFile, buildCollectorScript([]));
    const lines = [
      `Set-StrictMode -Version 2`,
      // Dot-sourced: defines the collector's functions here (and writes an empty document, dropped).
      `$null = . ([scriptblock]::Create((Get-Content -LiteralPath '${scriptFile}' -Raw)))`,
      ...SAME.map(([expr, depth]) => `(${expr}) | ConvertTo-HpJson -Depth ${depth}; '---'; (${expr}) | ConvertTo-Json -Depth ${depth} -Compress -WarningAction SilentlyContinue; '==='`),
      `'@@@'`,
      `[datetime]::new(2024, 3, 12, 0, 0, 0, [DateTimeKind]::Utc) | ConvertTo-HpJson`,
      `[System.DayOfWeek]::Friday | ConvertTo-HpJson`,
      `@() | ConvertTo-HpJson; 'after-empty'`,
    ];
    const run = spawnSync(pwsh ?? "", ["-NoProfile", "-NonInteractive", "-Command", lines.join("\n")], { encoding: "utf8", env: { ...process.env, TERM: "dumb" } });
    assert.equal(run.status, 0, run.stderr);
    assert.equal(run.stderr.trim(), "");
    const [same, special] = run.stdout.split("@@@");
    const pairs = same.split("===").map((p) => p.trim()).filter((p) => p !== "");
    assert.equal(pairs.length, SAME.length, run.stdout);
    pairs.forEach((pair, i) => {
      const [own, native] = pair.split("---").map((p) => p.trim());
      assert.deepEqual(JSON.parse(own), JSON.parse(native), `${SAME[i][0]}\nown:    ${own}\nnative: ${native}`);
    });
    const rest = special.trim().split(/\r?\n/).map((l) => l.trim());
    assert.deepEqual(rest, ['"\\/Date(1710201600000)\\/"', "5", "after-empty"]);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
