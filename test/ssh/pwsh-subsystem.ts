/**
 * PowerShell as an sshd `powershell` subsystem that knows which simulated host it stands for.
 *
 * sshd runs the subsystem through a wrapper (`exec pwsh -sshs … -ConfigurationFile X.pssc`), and
 * the session configuration's ScriptsToProcess runs start.ps1 at the start of every remote
 * session. start.ps1 reads the *server* address from $env:SSH_CONNECTION ("<client ip> <client
 * port> <server ip> <server port>"): one sshd listens on many loopback addresses, so the address
 * the client reached is what tells the simulated hosts apart. It then:
 * - appends one line to <sessionsDir>/<address>: every remote session is counted where it
 *   happens, so "one round trip per host" is measured, not assumed;
 * - when <hostsDir>/<address>.json exists, sets $env:HOSTPROOF_FAKE_HOST to it and loads the
 *   stand-in module with that host (the contract with test/pwsh/HostproofFakeWindows.psm1).
 * Without a description the session is plain Linux pwsh, as the first ssh tests expect.
 */
import { chmodSync, mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { psQuote } from "../../src/powershell/quote";

export const FAKE_MODULE = join(__dirname, "..", "pwsh", "HostproofFakeWindows.psm1");

export interface PwshSubsystem {
  /** The executable sshd's `Subsystem powershell` line names. */
  wrapper: string;
  /** <hostsDir>/<address>.json is the host description for that address. */
  hostsDir: string;
  /** <sessionsDir>/<address> gets one line per remote session. */
  sessionsDir: string;
}

export function writePwshSubsystem(dir: string, pwsh: string): PwshSubsystem {
  const hostsDir = join(dir, "hosts");
  const sessionsDir = join(dir, "sessions");
  mkdirSync(hostsDir, { recursive: true });
  mkdirSync(sessionsDir, { recursive: true });
  const start = join(dir, "start.ps1");
  writeFileSync(start, startScript(hostsDir, sessionsDir));
  const pssc = join(dir, "hostproof-sim.pssc");
  writeFileSync(pssc, `@{ SchemaVersion = '2.0.0.0'; SessionType = 'Default'; ScriptsToProcess = ${psQuote(start)} }\n`);
  const wrapper = join(dir, "pwsh-subsystem.sh");
  // TERM=dumb: pwsh 7.6 otherwise writes terminal escapes around input it reads (PowerShell#26631).
  writeFileSync(wrapper, `#!/bin/sh\nexport TERM=dumb\nexec ${shQuote(pwsh)} -sshs -NoLogo -NoProfile -ConfigurationFile ${shQuote(pssc)}\n`);
  chmodSync(wrapper, 0o755);
  return { wrapper, hostsDir, sessionsDir };
}

function startScript(hostsDir: string, sessionsDir: string): string {
  return [
    "# Written by test/ssh/pwsh-subsystem.ts; runs at the start of every remote session.",
    "$hpServer = ([string]$env:SSH_CONNECTION -split ' ')[2]",
    `Add-Content -LiteralPath (Join-Path ${psQuote(sessionsDir)} $hpServer) -Value "$PID $env:SSH_CONNECTION"`,
    `$hpHost = Join-Path ${psQuote(hostsDir)} "$hpServer.json"`,
    "if (Test-Path -LiteralPath $hpHost) {",
    "  $env:HOSTPROOF_FAKE_HOST = $hpHost",
    `  Import-Module ${psQuote(FAKE_MODULE)} -ErrorAction Stop`,
    "  # A module that imports $env:HOSTPROOF_FAKE_HOST by itself refuses the explicit second",
    "  # import of the same host: that refusal is expected; any other failure ends the session.",
    "  try { Import-FakeWindowsHost -Path $hpHost -ErrorAction Stop } catch { if ([string]$_ -notlike '*one host per PowerShell process*') { throw } }",
    "  # The session is refused when its startup script leaves anything in $Error, even errors",
    "  # silenced with -ErrorAction SilentlyContinue, such as the module's Get-Command probe for a",
    "  # cmdlet it simulates as missing (\"Running startup script threw an error: The term",
    "  # 'Get-ClusterQuorum' is not recognized\"). Those were expected; a real failure threw above.",
    "  $Error.Clear()",
    "}",
    "Remove-Variable hpServer, hpHost",
    "",
  ].join("\n");
}

function shQuote(value: string): string {
  return `'${value.replace(/'/g, `'\\''`)}'`;
}
