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
}

/** Constant text: the only variable parts of an invocation are the two base64 arguments. */
export const DRIVER_SCRIPT = String.raw`& {
  param([string]$TargetB64, [string]$CollectorB64)
  $ErrorActionPreference = 'Stop'
  $ProgressPreference = 'SilentlyContinue'
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
  switch ([string]$t.transport) {
    'local' { & $collector }
    'ssh' {
      $a = @{ HostName = [string]$t.address; UserName = (Resolve-HostproofSecret $t.username); ScriptBlock = $collector }
      if ($t.keyFile) { $a.KeyFilePath = [string]$t.keyFile }
      if ($t.port) { $a.Port = [int]$t.port }
      Invoke-Command @a
    }
    'winrm' {
      $a = @{ ComputerName = [string]$t.address; ScriptBlock = $collector }
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
}`;

const b64 = (text: string): string => Buffer.from(text, "utf8").toString("base64");

/** The text to hand to a PowerShell session for one host. */
export function driverInvocation(target: DriverTarget, collectorScript: string): string {
  return `${DRIVER_SCRIPT} -TargetB64 '${b64(JSON.stringify(target))}' -CollectorB64 '${b64(collectorScript)}'`;
}
