/**
 * The one line we send to pwsh for a script, and the one safe way to put a value in a script.
 *
 * pwsh reading `-Command -` behaves like its interactive prompt: it runs stdin line by line and
 * a multi-line statement (an `if` block, a pipeline continued on the next line, a here-string)
 * only ends at an empty line. node-powershell writes the script raw between its marker lines,
 * so such a script swallows the closing markers and the invocation hangs until its timeout
 * (PowerShell/PowerShell#3223). Sending the script base64-encoded on one line and running it as
 * a script block sidesteps all of that: the line is always complete, a syntax error becomes an
 * error record on stderr instead of eating the markers, and the script runs in its own scope
 * (variables do not leak from one invoke to the next).
 *
 * pwsh's console host prints warning, verbose, debug and information (Write-Host) records on
 * STDOUT, not stderr (PowerShell/PowerShell#7989), where they would corrupt the JSON a collector
 * parses. The line routes them to stderr with their usual prefixes; errors already go there.
 * Progress is switched off: nobody sees it, and it slows cmdlets like Invoke-WebRequest.
 */

const ROUTED = [
  ["WarningRecord", "'WARNING: ' + $_.Message"],
  ["VerboseRecord", "'VERBOSE: ' + $_.Message"],
  ["DebugRecord", "'DEBUG: ' + $_.Message"],
  ["InformationRecord", "[string]$_.MessageData"],
] as const;

const ROUTE_TO_STDERR =
  ROUTED.map(([type, text]) => `if ($_ -is [System.Management.Automation.${type}]) { [Console]::Error.WriteLine(${text}) }`).join(" else") +
  " else { $_ }";

/** The single stdin line that runs `script` in pwsh. */
export function encodeInvocation(script: string): string {
  const base64 = Buffer.from(script, "utf8").toString("base64");
  return (
    "$ProgressPreference = 'SilentlyContinue'; " +
    `& ([scriptblock]::Create([System.Text.Encoding]::UTF8.GetString([System.Convert]::FromBase64String('${base64}')))) ` +
    `3>&1 4>&1 5>&1 6>&1 | ForEach-Object { ${ROUTE_TO_STDERR} }`
  );
}
