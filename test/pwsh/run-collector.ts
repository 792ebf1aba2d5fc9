/**
 * Runs the collector script under real pwsh against the stand-in module (HostproofFakeWindows.psm1)
 * for a snapshot-builder HostSpec, and parses what it wrote. Shared by the collector tests.
 */
import type { TestContext } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parseCollectorOutput } from "../../src/collect/parse";
import { buildCollectorScript } from "../../src/collect/script";
import type { Snapshot } from "../../src/model/snapshot";
import { findPwsh } from "../../src/powershell/find";
import { PROBE_IDS, type ProbeId } from "../../src/probes/catalog";
import { encodeGenericProbes, type GenericProbe } from "../../src/probes/generic";
import type { HostSpec } from "../helpers/snapshot-builder";
import { requireTool } from "../helpers/require-tool";
import { psQuote } from "../../src/powershell/quote";
import { toFakeHost, writeFakeHost, type CmdletBehaviour, type FakedCmdlet, type FakeHostOptions } from "./fake-host";

const HOW_TO_GET = "install PowerShell 7 (https://learn.microsoft.com/powershell/scripting/install/installing-powershell) or set NODE_POWERSHELL";
export const MODULE = join(__dirname, "HostproofFakeWindows.psm1");

export type Cmdlets = Partial<Record<FakedCmdlet, CmdletBehaviour>>;

export interface CollectOptions {
  probes?: readonly ProbeId[];
  /** Generic probes: the script gets the readers of their kinds, and their list as -GenericProbesB64. */
  generic?: readonly GenericProbe[];
  /** -GenericProbesB64 as given, instead of the encoded list of `generic` (to pass what the encoder would refuse). */
  genericProbesB64?: string;
  /** Changes the generated script before it runs (to show what a part of it does). */
  edit?: (script: string) => string;
  /** Passed as -ProbeTimeoutSeconds; the script's default otherwise. */
  probeTimeoutSeconds?: number;
  /** The host reaches the module through $env:HOSTPROOF_FAKE_HOST instead of Import-FakeWindowsHost. */
  hostFromEnv?: boolean;
  /** Shell options for the simulated host (a PowerShell 2.0-style host). */
  fake?: FakeHostOptions;
  /**
   * Runs the collector in a runspace without ConvertTo-Json (its cmdlet entry removed from the
   * InitialSessionState, module autoloading off, so nothing brings it back) and with
   * Set-StrictMode -Version 2 in force: the nearest this machine gets to a PowerShell 2.0 engine.
   */
  withoutConvertToJson?: boolean;
  /** Extra environment for pwsh. */
  env?: NodeJS.ProcessEnv;
}

/** The PowerShell that runs `scriptFile` in a runspace where ConvertTo-Json does not exist. */
function withoutConvertToJson(scriptFile: string, args: string): string {
  return [
    `$iss = [System.Management.Automation.Runspaces.InitialSessionState]::CreateDefault()`,
    `$iss.Commands.Remove('ConvertTo-Json', $null)`,
    `$iss.Variables.Add((New-Object System.Management.Automation.Runspaces.SessionStateVariableEntry 'PSModuleAutoLoadingPreference', 'None', ''))`,
    `$iss.ImportPSModule([string[]]@(${psQuote(MODULE)}))`,
    `$rs = [System.Management.Automation.Runspaces.RunspaceFactory]::CreateRunspace($iss)`,
    `$rs.Open()`,
    `$ps = [System.Management.Automation.PowerShell]::Create()`,
    `$ps.Runspace = $rs`,
    `$inner = 'Set-StrictMode -Version 2; if (Get-Command -Name ConvertTo-Json -ErrorAction SilentlyContinue) { throw ''ConvertTo-Json is still there'' }; & ([scriptblock]::Create($args[0]))${args.replace(/'/g, "''")}'`,
    `[void]$ps.AddScript($inner).AddArgument((Get-Content -LiteralPath ${psQuote(scriptFile)} -Raw))`,
    `$out = $ps.Invoke()`,
    `foreach ($e in $ps.Streams.Error) { [Console]::Error.WriteLine([string]$e) }`,
    `$out`,
  ].join("; ");
}

/** Runs the collector for `probes` (and `generic`) on the simulated host and parses what it wrote. */
export function collect(pwsh: string, spec: HostSpec, cmdlets: Cmdlets, options: CollectOptions = {}): Snapshot {
  const { probes = PROBE_IDS, generic = [], edit = (script: string) => script } = options;
  const dir = mkdtempSync(join(tmpdir(), "hostproof-collector-"));
  try {
    const hostFile = join(dir, "host.json");
    const scriptFile = join(dir, "collector.ps1");
    writeFakeHost(hostFile, toFakeHost(spec, cmdlets, options.fake));
    writeFileSync(scriptFile, edit(buildCollectorScript(probes, generic)));
    // The script runs as a script block, as a remoting session would run it; no execution policy applies.
    const list = options.genericProbesB64 ?? (generic.length > 0 ? encodeGenericProbes(generic) : undefined);
    const args = [
      ...(options.probeTimeoutSeconds !== undefined ? [` -ProbeTimeoutSeconds ${options.probeTimeoutSeconds}`] : []),
      ...(list !== undefined ? [` -GenericProbesB64 ${psQuote(list)}`] : []),
    ].join("");
    const command = [
      `Import-Module ${psQuote(MODULE)}`,
      ...(options.hostFromEnv ? [] : [`Import-FakeWindowsHost -Path ${psQuote(hostFile)}`]),
      options.withoutConvertToJson
        ? withoutConvertToJson(scriptFile, args)
        : `& ([scriptblock]::Create((Get-Content -LiteralPath ${psQuote(scriptFile)} -Raw)))${args}`,
    ].join("; ");
    const env: NodeJS.ProcessEnv = { ...process.env, TERM: "dumb", ...options.env };
    delete env.HOSTPROOF_FAKE_HOST;
    if (options.hostFromEnv) env.HOSTPROOF_FAKE_HOST = hostFile;
    const run = spawnSync(pwsh, ["-NoProfile", "-NonInteractive", "-ExecutionPolicy", "Bypass", "-Command", command], {
      encoding: "utf8",
      timeout: 120_000,
      env,
    });
    assert.equal(run.error, undefined, `pwsh could not run: ${String(run.error)}`);
    assert.equal(run.status, 0, `pwsh exited ${run.status}: ${run.stderr}`);
    assert.equal(run.stderr.trim(), "", "nothing on stderr");
    assert.equal(run.stdout.trim().split(/\r?\n/).length, 1, `one line on stdout:\n${run.stdout}`);
    return parseCollectorOutput(run.stdout, { host: spec.name, transport: "local", collectorVersion: "0.1.0" });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

export function pwshOrSkip(t: TestContext): string | undefined {
  const pwsh = findPwsh();
  return requireTool(t, "pwsh", pwsh, HOW_TO_GET) ? pwsh : undefined;
}
