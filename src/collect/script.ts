/**
 * The collector: one PowerShell script per host that runs every selected probe and writes one
 * JSON document to stdout, so that a host costs one round trip whatever the controls need.
 *
 * The script is generated from the probe catalog and nothing else. Host names, addresses and
 * credentials never enter its text: the transport decides where it runs, and anything the
 * inventory must tell the script would arrive through its param() block. That keeps the text
 * identical for every host, so it can be reviewed (and signed) once.
 *
 * It has to run on Windows PowerShell 5.1 and PowerShell 7, and on PowerShell 2.0 (Windows Server
 * 2003/2008 with WMF 2.0), so the script itself sticks to PowerShell 2.0 syntax and runs its own
 * code under Set-StrictMode -Version 2 (the probe commands run with strict mode off, as written):
 * - ConvertTo-Json is 3.0+. The collector tries it once per host (by behaviour, not by version: a
 *   site may proxy or remove it); where it does not work, each command's reading pipeline is piped
 *   to ConvertTo-HpJson instead, a writer in this script that writes the JSON shapes Windows
 *   PowerShell 5.1's ConvertTo-Json writes for what the probes emit, and that text is what the
 *   record names as its command. A real 2.0 engine is not available to the tests: they run this
 *   path under pwsh 7 with ConvertTo-Json removed and strict mode 2 on.
 * - The document is assembled by hand instead of with ConvertTo-Json. Every non-ASCII
 *   and control character is written as \uXXXX, so the document is pure ASCII and survives
 *   whatever code page the console, WinRM or SSH applies to stdout.
 * - Each probe's raw ConvertTo-Json (or ConvertTo-HpJson) text travels as a JSON string, so
 *   TypeScript parses exactly what PowerShell emitted (5.1's "\/Date()\/", 7's ISO dates, enum
 *   integers).
 * - Commands are kept as single-quoted here-strings (verbatim, no escaping) and compiled with
 *   [scriptblock]::Create inside the try: a command that does not parse fails its own probe
 *   instead of the whole script, and the recorded command is exactly the text that ran.
 * - Stream redirections (3>$null ...) are 3.0+ syntax, so they are compiled at run time too.
 *
 * Error kinds, decided in Get-HpErrorKind, first rule that matches:
 * 1. not-supported: a CommandNotFoundException anywhere in the exception chain (cmdlet missing,
 *    module missing or not loadable: autoload failures are CommandNotFoundExceptions too), or a
 *    FullyQualifiedErrorId starting CommandNotFoundException or Modules_ModuleNotFound. This comes
 *    first because a missing command's category is ObjectNotFound, which would read as not-found.
 * 2. access-denied: UnauthorizedAccessException or SecurityException in the chain, an exception
 *    whose HResult is E_ACCESSDENIED (0x80070005), a message containing "Access is denied",
 *    "Access denied" (WMI/CIM wording) or "0x80070005", or the PermissionDenied category.
 * 3. not-found: ItemNotFoundException in the chain (a registry key that does not exist), the
 *    ObjectNotFound category, or ClusterEndpointNotRegistered in the error id or message (a
 *    cluster cmdlet on a machine that is not a node).
 * 4. other: anything else.
 *
 * A command that finishes but wrote an error record (a non-terminating error, which a module
 * function such as a CDXML cmdlet writes when -ErrorAction Stop did not reach it) fails with the
 * first such record: a fact that could not be read is never recorded as output.
 *
 * Fallbacks: the next command of a probe is tried when the previous one failed as not-supported
 * (its cmdlet or module is missing) or other (it threw on this host's data, as Get-LocalGroupMember
 * does on an orphaned SID). access-denied and not-found are answers about the host, not about the
 * command: another command would only hide them, so they end the probe. When every command fails,
 * the record holds the last command, its kind, and its message followed by the first failure's.
 *
 * Timing: startedAt is when the probe's first command started (UTC, milliseconds) and durationMs
 * covers every command tried, so that consecutive probes never overlap in the evidence.
 *
 * Time limit per probe, inside the one round trip: the probes run in a worker runspace
 * ([runspacefactory]/[powershell]/BeginInvoke, all in PowerShell 2.0), one probe per invocation,
 * and the script waits for each at most -ProbeTimeoutSeconds (AsyncWaitHandle.WaitOne). A probe that
 * does not answer in time (a stuck WMI provider) is recorded as error kind timeout, naming the
 * command that was running; its pipeline gets BeginStop without being waited for, the worker is
 * abandoned (closing it could wait on the stuck call), and the remaining probes get a fresh worker.
 * Invoke-HpProbe (fallbacks, classification) runs inside the worker, so a probe that finishes is
 * recorded exactly as without the limit. The worker imports the modules of the session running the
 * collector (see New-HpWorker). Opening one, measured with pwsh 7.6.9 on Linux (2 cores): about
 * 75-120 ms warm and 290 ms for the first in a process, with Management and Utility to import; with
 * the test stand-in module it is 0.6-0.9 s, most of it the stand-in importing its host description
 * again. It happens once per host, and again after each timeout.
 */
import { HP_JSON_TAIL, JSON_TAIL, PROBES, PROBE_IDS, type ProbeId } from "../probes/catalog";
import { GENERIC_KINDS, GENERIC_READERS, type GenericKind, type GenericProbe } from "../probes/generic";
import { SINGLE_QUOTES } from "../powershell/quote";

/** The name a snapshot's `collector.name` carries for live collection. */
export const COLLECTOR_NAME = "hostproof-collector";

/**
 * The script's only parameter: seconds each probe may take (all its commands together) before it
 * is recorded as a timeout; 0 or less waits without limit. Pass it as `-ProbeTimeoutSeconds N`
 * (or first in Invoke-Command's -ArgumentList). The script text is the same for every host.
 */
export const PROBE_TIMEOUT_PARAMETER = "ProbeTimeoutSeconds";
/** The parameter's default in the script's param() block. */
export const DEFAULT_PROBE_TIMEOUT_SECONDS = 30;

/** The catalog's commands for a probe, in the order the collector tries them. */
export function probeCommands(id: ProbeId): string[] {
  const probe = PROBES[id];
  return [probe.command, ...(probe.fallbacks ?? [])];
}

/**
 * The script's generic-probe list (src/probes/generic.ts, encodeGenericProbes): base64 text,
 * passed as `-GenericProbesB64` (second in Invoke-Command's -ArgumentList). What the features ask
 * for travels here as data; the script text holds only the fixed readers of the kinds used.
 */
export const GENERIC_PROBES_PARAMETER = "GenericProbesB64";

/**
 * One script for one host, running `probes` (each once, in the order given), then the generic
 * probes the -GenericProbesB64 list names, with the readers of the kinds in `generic`. Throws on an
 * unknown probe id, and on a command that a single-quoted here-string cannot hold verbatim.
 */
export function buildCollectorScript(probes: readonly ProbeId[], generic: readonly GenericProbe[] = []): string {
  const known = new Set<string>(PROBE_IDS);
  const selected: ProbeId[] = [];
  for (const id of probes) {
    if (!known.has(id)) throw new Error(`unknown probe '${String(id)}'`);
    if (!selected.includes(id)) selected.push(id);
  }
  const kinds = GENERIC_KINDS.filter((k) => generic.some((p) => p.kind === k));
  return [HEADER, ...selected.map(probeBlock), ...(kinds.length > 0 ? [genericBlock(kinds)] : []), FOOTER].join("\n");
}

/**
 * The readers of `kinds`, and the loop over the list. A line that is not the encoder's shape, or
 * names a kind this script has no reader for (a list built for other features than the script),
 * costs that probe only, recorded as an error under its id. The id itself must still be one
 * parse.ts knows (a built-in kind), or the document is refused whole: it was not written by this
 * version of hostproof.
 */
function genericBlock(kinds: readonly GenericKind[]): string {
  const readers = kinds.map((k) => `$hpReaders['${k}'] = @(\n${GENERIC_READERS[k].map(hereString).join("\n")}\n)`).join("\n");
  return `
# generic probes: readers from src/probes/generic.ts; what they read arrives as data in -${GENERIC_PROBES_PARAMETER}
$hpReaders = @{}
${readers}
$hpList = ''
if ($${GENERIC_PROBES_PARAMETER}) { $hpList = [System.Text.Encoding]::UTF8.GetString([System.Convert]::FromBase64String($${GENERIC_PROBES_PARAMETER})) }
foreach ($hpLine in $hpList.Split([char]10)) {
  if ($hpLine -eq '') { continue }
  $hpFields = $hpLine.Split([char]9)
  $hpStarted = [DateTime]::UtcNow
  $hpCommands = $null
  try {
    $hpParameters = @{}
    $hpParametersJson = ''
    for ($hpI = 2; $hpI -lt $hpFields.Length; $hpI++) {
      $hpAt = $hpFields[$hpI].IndexOf('=')
      if ($hpAt -lt 1) { throw ('parameter ' + $hpFields[$hpI] + ' is not Name=value') }
      $hpName = $hpFields[$hpI].Substring(0, $hpAt)
      $hpValue = $hpFields[$hpI].Substring($hpAt + 1)
      $hpParameters[$hpName] = $hpValue
      if ($hpParametersJson -ne '') { $hpParametersJson += ',' }
      $hpParametersJson += (ConvertTo-HpJsonString $hpName) + ':' + (ConvertTo-HpJsonString $hpValue)
    }
    $hpParametersJson = '{' + $hpParametersJson + '}'
    if ($hpFields.Length -lt 2 -or -not $hpReaders.ContainsKey($hpFields[1])) { throw ('this collector has no reader for probe kind ' + $hpFields[1]) }
    $hpCommands = [string[]]$hpReaders[$hpFields[1]]
    $hpRecord = Invoke-HpTimedProbe -Commands $hpCommands -Parameters $hpParameters -ParametersJson $hpParametersJson
  } catch {
    $hpShown = '(none)'
    if ($null -ne $hpCommands) { $hpShown = $hpCommands[0] }
    $hpRecord = Format-HpRecord -Command $hpShown -Started $hpStarted -DurationMs 0 -Kind 'other' -Message ('hostproof collector failed: ' + [string]$_)
  }
  [void]$hpRecords.Add((ConvertTo-HpJsonString $hpFields[0]) + ':' + $hpRecord)
}`;
}

function probeBlock(id: ProbeId): string {
  const commands = probeCommands(id).map(hereString).join("\n");
  // The try/catch here guards against a failure of the collector's own helpers (or of the worker
  // runspace), which would otherwise end the script and lose every probe; a probe's own failures
  // are caught inside Invoke-HpProbe and never reach it.
  return `
# probe ${id}
$hpCommands = @(
${commands}
)
$hpStarted = [DateTime]::UtcNow
try {
  $hpRecord = Invoke-HpTimedProbe -Commands $hpCommands
} catch {
  $hpRecord = Format-HpRecord -Command $hpCommands[0] -Started $hpStarted -DurationMs 0 -Kind 'other' -Message ('hostproof collector failed: ' + [string]$_)
}
[void]$hpRecords.Add('"${id}":' + $hpRecord)`;
}

/**
 * A single-quoted here-string: its content is taken literally, up to a line starting with a
 * single quote and @, any of the five characters PowerShell reads as a single quote.
 */
function hereString(command: string): string {
  if (/[\r\n]/.test(command)) throw new Error(`a probe command must be one line: ${command}`);
  if (SINGLE_QUOTES.some((q) => command.startsWith(`${q}@`))) throw new Error(`a probe command cannot start with a quote and @ (it would end the here-string): ${command}`);
  return `@'\n${command}\n'@`;
}

const HEADER = String.raw`# hostproof collector: generated from src/probes/catalog.ts; writes one JSON document to stdout.
param([int]$${PROBE_TIMEOUT_PARAMETER} = ${DEFAULT_PROBE_TIMEOUT_SECONDS}, [string]$${GENERIC_PROBES_PARAMETER} = '')
Set-StrictMode -Version 2
$ProgressPreference = 'SilentlyContinue'
$WarningPreference = 'SilentlyContinue'
$VerbosePreference = 'SilentlyContinue'
$DebugPreference = 'SilentlyContinue'
$InformationPreference = 'SilentlyContinue'

function ConvertTo-HpJsonString {
  param($Text)
  if ($null -eq $Text) { return 'null' }
  $s = ([string]$Text).Replace('\', '\\').Replace('"', '\"')
  $sb = New-Object System.Text.StringBuilder
  $done = 0
  foreach ($m in [regex]::Matches($s, '[\u0000-\u001f\u007f-\uffff]')) {
    [void]$sb.Append($s, $done, $m.Index - $done)
    [void]$sb.Append('\u')
    [void]$sb.Append(([int][char]$m.Value).ToString('x4'))
    $done = $m.Index + 1
  }
  [void]$sb.Append($s, $done, $s.Length - $done)
  return '"' + $sb.ToString() + '"'
}

function Format-HpTime {
  param([DateTime]$Time)
  return $Time.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", [System.Globalization.CultureInfo]::InvariantCulture)
}

function Format-HpRecord {
  param([string]$Command, [DateTime]$Started, [long]$DurationMs, $Json, [string]$Kind, [string]$Message, [string]$ParametersJson)
  $head = '{"command":' + (ConvertTo-HpJsonString $Command)
  if ($ParametersJson) { $head += ',"parameters":' + $ParametersJson }
  $head += ',"startedAt":' + (ConvertTo-HpJsonString (Format-HpTime $Started)) + ',"durationMs":' + $DurationMs
  if ($Kind) {
    return $head + ',"error":{"kind":' + (ConvertTo-HpJsonString $Kind) + ',"message":' + (ConvertTo-HpJsonString $Message) + '}}'
  }
  return $head + ',"json":' + (ConvertTo-HpJsonString $Json) + '}'
}

function Get-HpErrorKind {
  param($Record)
  $chain = @()
  $e = $Record.Exception
  while ($null -ne $e) { $chain += $e; $e = $e.InnerException }
  $id = [string]$Record.FullyQualifiedErrorId
  $category = [string]$Record.CategoryInfo.Category
  foreach ($x in $chain) { if ($x -is [System.Management.Automation.CommandNotFoundException]) { return 'not-supported' } }
  if ($id -like 'CommandNotFoundException*' -or $id -like 'Modules_ModuleNotFound*') { return 'not-supported' }
  foreach ($x in $chain) {
    if ($x -is [System.UnauthorizedAccessException] -or $x -is [System.Security.SecurityException]) { return 'access-denied' }
    # HResult is public from .NET 4.5 on; on older runtimes (PowerShell 2.0 on CLR 2) it is not a
    # property at all (strict mode would throw on reading it) and the message decides.
    if ($null -ne $x.PSObject.Properties['HResult'] -and $x.HResult -eq -2147024891) { return 'access-denied' }
    if ([string]$x.Message -match 'Access is denied|Access denied|0x80070005') { return 'access-denied' }
  }
  if ($category -eq 'PermissionDenied') { return 'access-denied' }
  foreach ($x in $chain) { if ($x -is [System.Management.Automation.ItemNotFoundException]) { return 'not-found' } }
  if ($category -eq 'ObjectNotFound') { return 'not-found' }
  if ($id -like '*ClusterEndpointNotRegistered*' -or ([string]$Record) -like '*ClusterEndpointNotRegistered*') { return 'not-found' }
  return 'other'
}

# The collector's JSON writer, for shells without ConvertTo-Json (PowerShell 2.0). It writes what
# Windows PowerShell 5.1's ConvertTo-Json -Compress writes for what the probes emit: one pipeline
# item as itself, several as an array (elements one level deeper), nothing for none; objects with
# their properties in order (a PSCustomObject's note properties; another .NET object's public
# fields, then readable properties, then note properties); strings, integers, doubles ("R"),
# booleans and null as JSON; enums as their integer value (7 can write names, 5.1 cannot); DateTime
# as "\/Date(ms)\/" (UTC milliseconds, as 5.1's JavaScriptSerializer; 7 writes ISO text instead);
# Guid and Uri as strings; dictionaries as objects; other enumerables as arrays. Below -Depth, a
# non-scalar is written as its string form, as ConvertTo-Json does (2.0 gives "" for a
# PSCustomObject there, 3.0+ "@{...}"). Characters beyond ASCII are written as \uXXXX (5.1 writes
# them raw; the parsed values are the same). What it does not copy: 5.1 wraps a scalar that carries
# note properties (Get-Date's DisplayHint) as {"value":...}; no probe emits one.
function ConvertTo-HpJson {
  [CmdletBinding()]
  param([Parameter(ValueFromPipeline = $true)][AllowNull()]$InputObject, [int]$Depth = 2)
  begin {
    Set-StrictMode -Version 2
    $items = New-Object System.Collections.ArrayList
  }
  process { [void]$items.Add($InputObject) }
  end {
    if ($items.Count -eq 0) { return }
    if ($items.Count -eq 1) { return (ConvertTo-HpJsonValue -Value $items[0] -Level 0 -Depth $Depth) }
    return (ConvertTo-HpJsonValue -Value $items.ToArray() -Level 0 -Depth $Depth)
  }
}

function ConvertTo-HpJsonValue {
  param($Value, [int]$Level, [int]$Depth)
  if ($null -eq $Value) { return 'null' }
  $invariant = [System.Globalization.CultureInfo]::InvariantCulture
  $base = $Value.PSObject.BaseObject
  if ($null -eq $base -or $base -is [System.DBNull]) { return 'null' }
  if ($base -is [string] -or $base -is [char] -or $base -is [guid] -or $base -is [uri]) { return (ConvertTo-HpJsonString ([string]$base)) }
  if ($base -is [bool]) { if ($base) { return 'true' } else { return 'false' } }
  if ($base -is [DateTime]) {
    $ticks = $base.ToUniversalTime().Ticks - 621355968000000000
    return '"\/Date(' + ([long](($ticks - ($ticks % 10000)) / 10000)).ToString($invariant) + ')\/"'
  }
  if ($base -is [double] -or $base -is [single]) { return $base.ToString('R', $invariant) }
  if ($base -is [decimal]) { return $base.ToString($invariant) }
  $type = $base.GetType()
  if ($type.IsEnum) { return ([System.Convert]::ToDecimal($base)).ToString($invariant) }
  if ($type.IsPrimitive) { return [System.Convert]::ToString($base, $invariant) }
  if ($Level -gt $Depth) { return (ConvertTo-HpJsonString ([string]$Value)) }
  $next = $Level + 1
  $parts = New-Object System.Collections.ArrayList
  if ($base -is [System.Collections.IDictionary]) {
    foreach ($entry in $base.GetEnumerator()) {
      [void]$parts.Add((ConvertTo-HpJsonString ([string]$entry.Key)) + ':' + (ConvertTo-HpJsonValue -Value $entry.Value -Level $next -Depth $Depth))
    }
    return '{' + ($parts.ToArray() -join ',') + '}'
  }
  if ($base -is [System.Collections.IEnumerable]) {
    foreach ($item in $base) { [void]$parts.Add((ConvertTo-HpJsonValue -Value $item -Level $next -Depth $Depth)) }
    return '[' + ($parts.ToArray() -join ',') + ']'
  }
  $names = New-Object System.Collections.ArrayList
  if (-not ($base -is [System.Management.Automation.PSCustomObject])) {
    foreach ($f in $type.GetFields([System.Reflection.BindingFlags]'Public,Instance')) {
      [void]$names.Add($f.Name)
      [void]$parts.Add((ConvertTo-HpJsonString $f.Name) + ':' + (ConvertTo-HpJsonValue -Value $f.GetValue($base) -Level $next -Depth $Depth))
    }
    foreach ($p in $type.GetProperties([System.Reflection.BindingFlags]'Public,Instance')) {
      if (-not $p.CanRead -or $p.GetIndexParameters().Length -gt 0) { continue }
      $v = $null
      try { $v = $p.GetValue($base, $null) } catch { $v = $null }
      [void]$names.Add($p.Name)
      [void]$parts.Add((ConvertTo-HpJsonString $p.Name) + ':' + (ConvertTo-HpJsonValue -Value $v -Level $next -Depth $Depth))
    }
  }
  foreach ($p in $Value.PSObject.Properties) {
    if ($p.MemberType -ne 'NoteProperty' -or $names.Contains($p.Name)) { continue }
    [void]$parts.Add((ConvertTo-HpJsonString $p.Name) + ':' + (ConvertTo-HpJsonValue -Value $p.Value -Level $next -Depth $Depth))
  }
  return '{' + ($parts.ToArray() -join ',') + '}'
}

function Invoke-HpProbe {
  param([string[]]$Commands, $State, [bool]$HpJson, [hashtable]$Parameters, [string]$ParametersJson)
  $ErrorActionPreference = 'Stop'
  # A generic probe's parameters (src/probes/generic.ts): its commands read them as data from
  # $HpProbe, which they see through PowerShell's dynamic scoping.
  $HpProbe = $Parameters
  # Warnings, verbose, debug and host/information output must not reach stdout, which carries the
  # document alone. Errors stay: with Stop they become the exceptions classified below, and 2>&1
  # (valid in 2.0) brings the ones that stayed non-terminating into the output, where they are
  # picked out below.
  $redirect = ' 2>&1'
  if ($PSVersionTable.PSVersion.Major -ge 3) { $redirect = $redirect + ' 3>$null 4>$null 5>$null' }
  if ($PSVersionTable.PSVersion.Major -ge 5) { $redirect = $redirect + ' 6>$null' }
  # The probe commands run as written, with strict mode off; only the collector's own code is strict.
  $quiet = [scriptblock]::Create('param($Block) Set-StrictMode -Off; & $Block' + $redirect)
  $started = [DateTime]::UtcNow
  $watch = [System.Diagnostics.Stopwatch]::StartNew()
  $firstFailure = $null
  for ($i = 0; $i -lt $Commands.Length; $i++) {
    $command = $Commands[$i]
    # Without a working ConvertTo-Json, the reading pipeline goes to the collector's own writer;
    # the record then names that command, which is what ran.
    $jsonTail = ' | ${JSON_TAIL}'
    if ($HpJson -and $command.EndsWith($jsonTail)) { $command = $command.Substring(0, $command.Length - $jsonTail.Length) + ' | ${HP_JSON_TAIL}' }
    # The main script reads this when the probe runs out of time, to name the command that hung.
    if ($null -ne $State) { $State.Command = $command }
    try {
      $items = @(& $quiet ([scriptblock]::Create($command)))
      # Safety net for a command that wrote an error but did not stop: a module function does not
      # see this function's Stop preference (PowerShell/PowerShell#4568), so a CDXML cmdlet called
      # without -ErrorAction Stop reports access-denied as a non-terminating error and simply
      # returns nothing. Its output cannot be trusted then; the first error record is the command's
      # failure, classified like a thrown one (throw keeps an ErrorRecord as it is, also in 2.0).
      $out = @()
      foreach ($item in $items) {
        if ($item -is [System.Management.Automation.ErrorRecord]) { throw $item }
        $out += $item
      }
      $json = 'null'
      if ($out.Length -gt 0) {
        $text = ($out | ForEach-Object { [string]$_ }) -join [string][char]10
        if ($text.Trim() -ne '') { $json = $text }
      }
      return Format-HpRecord -Command $command -Started $started -DurationMs ([long]$watch.Elapsed.TotalMilliseconds) -Json $json -ParametersJson $ParametersJson
    } catch {
      $kind = Get-HpErrorKind $_
      $message = [string]$_
      if ($message -eq '') { $message = $_.Exception.GetType().FullName }
      $last = $i -eq ($Commands.Length - 1)
      if ($last -or ($kind -ne 'not-supported' -and $kind -ne 'other')) {
        if ($null -ne $firstFailure) { $message = $message + ' (first command failed: ' + $firstFailure + ')' }
        return Format-HpRecord -Command $command -Started $started -DurationMs ([long]$watch.Elapsed.TotalMilliseconds) -Kind $kind -Message $message -ParametersJson $ParametersJson
      }
      if ($null -eq $firstFailure) { $firstFailure = $message }
    }
  }
}

# ------------------------------------------------------------------ worker runspace and time limit

# Everything a worker needs, as text: these functions and the preferences above.
$hpNl = [string][char]10
$hpWorkerInit = 'Set-StrictMode -Version 2' + $hpNl
foreach ($hpPreference in @('ProgressPreference', 'WarningPreference', 'VerbosePreference', 'DebugPreference', 'InformationPreference')) {
  $hpWorkerInit += '$' + $hpPreference + " = 'SilentlyContinue'" + $hpNl
}
foreach ($hpName in @('ConvertTo-HpJsonString', 'Format-HpTime', 'Format-HpRecord', 'Get-HpErrorKind', 'ConvertTo-HpJson', 'ConvertTo-HpJsonValue', 'Invoke-HpProbe')) {
  $hpWorkerInit += 'function ' + $hpName + ' {' + $hpNl + (Get-Item -LiteralPath ('function:' + $hpName)).Definition + $hpNl + '}' + $hpNl
}

function New-HpWorker {
  # The worker must see the commands this session sees, or a probe would read a different host
  # than the caller means: a site's proxy modules that wrap or restrict cmdlets, the modules a
  # remoting/JEA session configuration loads, a test's stand-in module. So it starts from this
  # runspace's own InitialSessionState where there is one (a public property from 3.0 on; 2.0 does
  # not have it, and the default state is the best there is), and imports every module loaded here,
  # by path (by manifest where there is one, so that nested and required modules come along).
  # Dynamic modules (New-Module) have no path and cannot follow; neither can plain global functions.
  $iss = $null
  $current = [System.Management.Automation.Runspaces.Runspace]::DefaultRunspace
  if ($null -ne $current -and $null -ne $current.PSObject.Properties['InitialSessionState']) { $iss = $current.InitialSessionState }
  if ($null -ne $iss) { $iss = $iss.Clone() } else { $iss = [System.Management.Automation.Runspaces.InitialSessionState]::CreateDefault() }
  # The session's startup scripts (a session configuration's ScriptsToProcess) already ran in this
  # session: running them again would repeat their effects (audit logging, say) for every worker.
  # What they loaded comes along below, as modules.
  if ($null -ne $iss.PSObject.Properties['StartupScripts']) { $iss.StartupScripts.Clear() }
  $paths = @()
  foreach ($m in @(Get-Module)) {
    $path = $null
    if ($m.ModuleBase) {
      $manifest = Join-Path $m.ModuleBase ($m.Name + '.psd1')
      if (Test-Path -LiteralPath $manifest) { $path = $manifest }
    }
    if ($null -eq $path -and $m.Path -and (Test-Path -LiteralPath $m.Path)) { $path = $m.Path }
    if ($null -ne $path) { $paths += $path }
  }
  if ($paths.Length -gt 0) { $iss.ImportPSModule([string[]]$paths) }
  $rs = [System.Management.Automation.Runspaces.RunspaceFactory]::CreateRunspace($iss)
  $rs.Open()
  $ps = [System.Management.Automation.PowerShell]::Create()
  $ps.Runspace = $rs
  try { [void]$ps.AddScript($hpWorkerInit).Invoke() } finally { $ps.Dispose() }
  return $rs
}

function Invoke-HpTimedProbe {
  param([string[]]$Commands, [hashtable]$Parameters, [string]$ParametersJson)
  if ($null -eq $hpWorker.Runspace) { $hpWorker.Runspace = New-HpWorker }
  $started = [DateTime]::UtcNow
  $watch = [System.Diagnostics.Stopwatch]::StartNew()
  $state = [hashtable]::Synchronized(@{ Command = $Commands[0] })
  $ps = [System.Management.Automation.PowerShell]::Create()
  $ps.Runspace = $hpWorker.Runspace
  [void]$ps.AddCommand('Invoke-HpProbe').AddParameter('Commands', $Commands).AddParameter('State', $state).AddParameter('HpJson', $hpWorker.HpJson).AddParameter('Parameters', $Parameters).AddParameter('ParametersJson', $ParametersJson)
  $handle = $ps.BeginInvoke()
  $limit = -1
  if ($ProbeTimeoutSeconds -gt 0) { $limit = [int][Math]::Min([long]$ProbeTimeoutSeconds * 1000, [long][int]::MaxValue) }
  if ($handle.AsyncWaitHandle.WaitOne($limit)) {
    try { $out = @($ps.EndInvoke($handle)) } finally { $ps.Dispose() }
    if ($out.Length -eq 1 -and $out[0] -is [string]) { return $out[0] }
    throw ('the worker returned ' + $out.Length + ' items instead of one record')
  }
  # Not waited for: a pipeline stuck in a provider call may never stop. The worker is abandoned
  # with it (disposed at the end only if it has stopped by then).
  [void]$ps.BeginStop($null, $null)
  [void]$hpWorker.Abandoned.Add($ps)
  $hpWorker.Runspace = $null
  $message = 'no answer within ' + $ProbeTimeoutSeconds + ' s (-' + 'ProbeTimeoutSeconds); the probe was stopped'
  return Format-HpRecord -Command ([string]$state.Command) -Started $started -DurationMs ([long]$watch.Elapsed.TotalMilliseconds) -Kind 'timeout' -Message $message -ParametersJson $ParametersJson
}

# Does ConvertTo-Json work here? Tried once per host, by behaviour: 2.0 lacks it, and a site or
# session configuration may proxy or remove it whatever the version says.
$hpHpJson = $true
try {
  $hpTry = New-Object PSObject
  Add-Member -InputObject $hpTry -MemberType NoteProperty -Name a -Value 1
  if ([string](ConvertTo-Json -InputObject $hpTry -Compress -ErrorAction Stop) -eq '{"a":1}') { $hpHpJson = $false }
} catch {
  $hpHpJson = $true
}
$hpWorker = @{ Runspace = $null; Abandoned = (New-Object System.Collections.ArrayList); HpJson = $hpHpJson }
$hpCollectedAt = Format-HpTime ([DateTime]::UtcNow)
$hpRecords = New-Object System.Collections.ArrayList`;

const FOOTER = String.raw`
if ($null -ne $hpWorker.Runspace) { $hpWorker.Runspace.Dispose() }
foreach ($hpStuck in $hpWorker.Abandoned) {
  $hpStopped = @('Stopped', 'Completed', 'Failed') -contains [string]$hpStuck.InvocationStateInfo.State
  if ($hpStopped) { $hpStuck.Runspace.Dispose(); $hpStuck.Dispose() }
}
'{"collectedAt":' + (ConvertTo-HpJsonString $hpCollectedAt) + ',"powershell":' + (ConvertTo-HpJsonString ([string]$PSVersionTable.PSVersion)) + ',"computerName":' + (ConvertTo-HpJsonString $env:COMPUTERNAME) + ',"probes":{' + ($hpRecords -join ',') + '}}'
`;
