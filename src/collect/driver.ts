/**
 * The PowerShell that runs the collector script on one host, locally or through Invoke-Command.
 *
 * Nothing from the inventory is spliced into script text. The host's connection settings travel
 * as one parameter, base64-encoded JSON: the base64 alphabet cannot close the quoted string it sits
 * in, so a host name like `x'; Remove-Item C:\ -Recurse; '` stays data. Secrets are not in it
 * either: only where to find them (an environment variable's name, a vault and a secret name),
 * and PowerShell reads them itself, so they never pass through Node, logs or snapshots.
 */
import type { SecretSource } from "../model/inventory";

export type LiveTransport = "local" | "ssh" | "winrm";

export interface DriverTarget {
  host: string;
  transport: LiveTransport;
  /** DNS name or IP address (schema-checked); the host name when the inventory gives none. */
  address: string;
  port?: number;
  useSsl?: boolean;
  authentication?: string;
  username?: string | SecretSource;
  password?: SecretSource;
  keyFile?: string;
  /** Seconds Invoke-Command may take on the remote side. */
  operationTimeoutSeconds: number;
  /** The collector's per-probe limit, passed as its -ProbeTimeoutSeconds. */
  probeTimeoutSeconds: number;
  /** The generic probes to read (encodeGenericProbes, base64), passed as its -GenericProbesB64. */
  genericProbes?: string;
  /** ssh only: how the host is trusted. knownHostsFile is absolute here. */
  ssh?: { hostKeyChecking: "strict" | "accept-new"; knownHostsFile?: string; connectTimeoutSeconds: number };
}

/** The line the driver writes when the host could not be reached or the collector did not run. */
export const DRIVER_ERROR_PREFIX = "hostproof-driver-error ";

/**
 * Constant text: the only variable parts of an invocation are the two base64 arguments. It runs
 * in the local pwsh 7 (never on the target), so it may use 7-only parameters:
 * - `Invoke-Command -Options` (7.3+) hands ssh its host-key policy. BatchMode stops ssh from
 *   prompting (there is no terminal to answer), LogLevel=ERROR drops its "Permanently added"
 *   notices. ssh's own failure messages bypass PowerShell and arrive on stdout as plain lines.
 * - Failures are not thrown: Invoke-Command's connection errors are non-terminating, and a
 *   remote error must not cost the document. They are collected with -ErrorVariable and written
 *   as one DRIVER_ERROR_PREFIX line of JSON, whole, after whatever the collector returned.
 */
export const DRIVER_BODY = String.raw`
  param([string]$TargetB64, [string]$CollectorB64)
  $ErrorActionPreference = 'Stop'
  $ProgressPreference = 'SilentlyContinue'
  $hpErrors = @()
  try {
    $t = [Text.Encoding]::UTF8.GetString([Convert]::FromBase64String($TargetB64)) | ConvertFrom-Json
    $collector = [scriptblock]::Create([Text.Encoding]::UTF8.GetString([Convert]::FromBase64String($CollectorB64)))
    function Resolve-HostproofSecret($source) {
      if ($null -eq $source) { return $null }
      if ($source -is [string]) { return $source }
      if ($source.env) {
        $value = [Environment]::GetEnvironmentVariable([string]$source.env)
        if ([string]::IsNullOrEmpty($value)) { throw "hostproof: environment variable $($source.env) is not set" }
        return $value
      }
      if ($source.vault) { return Get-Secret -Vault ([string]$source.vault) -Name ([string]$source.secret) -AsPlainText }
      throw 'hostproof: unknown secret source'
    }
    $a = @{ ScriptBlock = $collector; ArgumentList = @([int]$t.probeTimeoutSeconds, [string]$t.genericProbes); ErrorAction = 'SilentlyContinue'; ErrorVariable = 'hpErrors' }
    switch ([string]$t.transport) {
      'local' { & $collector ([int]$t.probeTimeoutSeconds) ([string]$t.genericProbes) }
      'ssh' {
        $a.HostName = [string]$t.address
        $a.UserName = Resolve-HostproofSecret $t.username
        if ($t.keyFile) { $a.KeyFilePath = [string]$t.keyFile }
        if ($t.port) { $a.Port = [int]$t.port }
        $strict = 'yes'
        if ([string]$t.ssh.hostKeyChecking -eq 'accept-new') { $strict = 'accept-new' }
        $options = @{ StrictHostKeyChecking = $strict; BatchMode = 'yes'; LogLevel = 'ERROR'; ConnectTimeout = [string][int]$t.ssh.connectTimeoutSeconds }
        if ($t.ssh.knownHostsFile) { $options.UserKnownHostsFile = [string]$t.ssh.knownHostsFile }
        $a.Options = $options
        Invoke-Command @a
      }
      'winrm' {
        # Reached only on Windows: pwsh on Linux and macOS has no WSMan client (hostproof refuses
        # winrm hosts there before contacting anything).
        $a.ComputerName = [string]$t.address
        $a.SessionOption = New-PSSessionOption -OperationTimeout ([int]$t.operationTimeoutSeconds * 1000) -OpenTimeout 15000
        if ($t.username) {
          $user = Resolve-HostproofSecret $t.username
          $secure = ConvertTo-SecureString -String (Resolve-HostproofSecret $t.password) -AsPlainText -Force
          $a.Credential = New-Object System.Management.Automation.PSCredential -ArgumentList $user, $secure
        }
        if ($t.port) { $a.Port = [int]$t.port }
        if ($t.useSsl) { $a.UseSSL = $true }
        if ($t.authentication) { $a.Authentication = [string]$t.authentication }
        Invoke-Command @a
      }
      default { throw "hostproof: unknown transport $($t.transport)" }
    }
  } catch {
    $hpErrors = @($hpErrors) + @($_)
  }
  if (@($hpErrors).Count -gt 0) {
    $described = @($hpErrors | ForEach-Object { @{ id = [string]$_.FullyQualifiedErrorId; message = [string]$_.Exception.Message } })
    '${DRIVER_ERROR_PREFIX}' + (ConvertTo-Json -InputObject $described -Compress -Depth 3)
  }
`;

/**
 * A target as the driver's -TargetB64 argument: base64 of its JSON, an alphabet that cannot close
 * a quoted string or start a command, so nothing from the inventory is ever script text.
 */
export function encodeTarget(target: DriverTarget): string {
  return Buffer.from(JSON.stringify(target), "utf8").toString("base64");
}
