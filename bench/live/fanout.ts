/**
 * Design (b), a prototype: one local pwsh fans out to every host, at most N at once, running the
 * same collector script (buildCollectorScript) the driver sends, and tells results apart by
 * PSComputerName (the address each came from).
 *
 * Why ForEach-Object -Parallel and not `Invoke-Command -HostName <many> -ThrottleLimit N`: in pwsh
 * 7.6.9, -ThrottleLimit belongs only to the ComputerName/Session/Uri/VM/Container parameter sets,
 * not to SSHHost or SSHHostHashParam ("Parameter set cannot be resolved"), so an SSH fan-out
 * cannot be throttled that way. `ForEach-Object -Parallel -ThrottleLimit N` runs one
 * `Invoke-Command -HostName` per host in runspaces of the same process: one pwsh, N at a time.
 *
 * Results stream: each arrives as one line `OUT <address> <document>` or `ERR <address> <message>`
 * on pwsh's stdout as soon as its host finishes, so Node never holds the whole estate's text.
 * The collector's document is one ASCII line by construction (see src/collect/script.ts).
 *
 * Not in src/: this is a measured alternative, not the product's reader.
 */
import { spawn } from "node:child_process";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { createInterface } from "node:readline";

export interface FanoutTarget {
  address: string;
  port: number;
  user: string;
  keyFile: string;
}

export type FanoutResult = { document: string } | { error: string };

const FANOUT_SCRIPT = String.raw`param([string]$TargetsFile, [string]$CollectorFile, [int]$Throttle)
$ErrorActionPreference = 'Stop'
$ProgressPreference = 'SilentlyContinue'
$targets = Get-Content -Raw -LiteralPath $TargetsFile | ConvertFrom-Json
$collectorText = Get-Content -Raw -LiteralPath $CollectorFile
# Runspaces of this one process, at most $Throttle at once; each reads one host.
$targets | ForEach-Object -ThrottleLimit $Throttle -Parallel {
  $t = $_
  try {
    # -ErrorAction Stop: a parallel runspace does not inherit $ErrorActionPreference, and an
    # unreachable host is a non-terminating error that would otherwise escape this catch.
    # A script block cannot cross into a parallel runspace ($using: refuses it): compile it here.
    $collector = [scriptblock]::Create($using:collectorText)
    $out = Invoke-Command -HostName ([string]$t.address) -Port ([int]$t.port) -UserName ([string]$t.user) -KeyFilePath ([string]$t.keyFile) -ScriptBlock $collector -ErrorAction Stop
    foreach ($o in @($out)) {
      # [Console]::Out is synchronised: one WriteLine is one whole line, whichever runspace writes it.
      [Console]::Out.WriteLine('OUT ' + [string]$o.PSComputerName + ' ' + [string]$o)
    }
  } catch {
    [Console]::Out.WriteLine('ERR ' + [string]$t.address + ' ' + (([string]$_) -replace '\s+', ' '))
  }
}
`;

/**
 * Runs the fan-out and returns what each address gave: its last document line, or its errors
 * joined. Rejects when pwsh itself fails or `timeoutMs` passes.
 */
export async function fanoutCollect(
  targets: readonly FanoutTarget[],
  collectorScript: string,
  options: { pwsh: string; throttle: number; workDir: string; timeoutMs: number; env?: NodeJS.ProcessEnv },
): Promise<Map<string, FanoutResult>> {
  const script = join(options.workDir, "fanout.ps1");
  const targetsFile = join(options.workDir, "fanout-targets.json");
  const collectorFile = join(options.workDir, "fanout-collector.ps1");
  writeFileSync(script, FANOUT_SCRIPT);
  writeFileSync(targetsFile, JSON.stringify(targets));
  writeFileSync(collectorFile, collectorScript);
  const child = spawn(
    options.pwsh,
    ["-NoLogo", "-NoProfile", "-NonInteractive", "-File", script, "-TargetsFile", targetsFile, "-CollectorFile", collectorFile, "-Throttle", String(options.throttle)],
    { env: { ...(options.env ?? process.env), TERM: "dumb" }, stdio: ["ignore", "pipe", "pipe"] },
  );
  const results = new Map<string, FanoutResult>();
  const errors = new Map<string, string[]>();
  let stderr = "";
  child.stderr.on("data", (chunk: Buffer) => void (stderr = (stderr + chunk.toString("utf8")).slice(-8192)));
  const lines = createInterface({ input: child.stdout });
  lines.on("line", (line) => {
    const m = /^(OUT|ERR) (\S*) (.*)$/.exec(line);
    if (m === null) return;
    const [, kind, address, rest] = m;
    if (kind === "OUT") results.set(address, { document: rest });
    else errors.set(address, [...(errors.get(address) ?? []), rest]);
  });
  const timer = setTimeout(() => child.kill("SIGKILL"), options.timeoutMs);
  const code = await new Promise<number | null>((resolve, reject) => {
    child.once("error", reject);
    child.once("close", (c) => resolve(c));
  }).finally(() => clearTimeout(timer));
  if (code !== 0) throw new Error(`fan-out pwsh exited ${code}: ${stderr.trim()}`);
  for (const [address, messages] of errors) if (!results.has(address)) results.set(address, { error: messages.join(" | ") });
  return results;
}
