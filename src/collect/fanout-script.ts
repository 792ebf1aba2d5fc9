/**
 * The PowerShell the fan-out reader runs in its one local pwsh: every live host read by the same
 * driver (DRIVER_BODY) as before, at most `Throttle` at once, each host's output written as soon
 * as that host is done, tagged with its index in the target list.
 *
 * Why ForEach-Object -Parallel: pwsh 7.6.9 accepts -ThrottleLimit on Invoke-Command only for the
 * ComputerName/Session/Uri/VM/Container parameter sets, not with -HostName, so runspaces of this
 * one process do the throttling (measured in bench/README.md: 0.16 CPU-s/host against 0.44 for a
 * pwsh per concurrent host).
 *
 * Why a PowerShell instance per host inside the iteration: it is the per-host time limit. The
 * driver runs in it asynchronously; when the limit passes, the iteration reports a timeout and
 * stops that instance (which closes its SSH session and ends its ssh client) without waiting for
 * a remote side that may never answer, and the next host takes the slot. Invoke-Command -AsJob
 * would have meant a second copy of the driver's per-transport logic.
 *
 * Nothing from the inventory is script text: the driver and collector come from files, each
 * target is a base64 line of JSON handed to the driver as its -TargetB64 parameter.
 *
 * Lines written (one [Console]::Out.WriteLine each: the console writer is synchronised, so a line
 * is never torn by another runspace's):
 *   hostproof-host-start <i>          the host's driver starts (ssh lines are attributed to hosts in flight)
 *   hostproof-host <i> <line>         one line of what the driver printed
 *   hostproof-host-err <i> <line>     an error record the driver's PowerShell instance kept
 *   hostproof-host-timeout <i>        the host went over the limit and was stopped
 *   hostproof-host-done <i>           nothing more will come for this host
 * Anything else on stdout is ssh's own (see ssh-lines.ts).
 */
export const FANOUT_TAG = {
  start: "hostproof-host-start",
  line: "hostproof-host",
  error: "hostproof-host-err",
  timeout: "hostproof-host-timeout",
  done: "hostproof-host-done",
} as const;

export const FANOUT_SCRIPT = String.raw`param([string]$DriverFile, [string]$CollectorFile, [string]$TargetsFile, [int]$Throttle, [int]$TimeoutMs)
$ErrorActionPreference = 'Stop'
$ProgressPreference = 'SilentlyContinue'
$driverText = [IO.File]::ReadAllText($DriverFile)
$collectorB64 = [Convert]::ToBase64String([IO.File]::ReadAllBytes($CollectorFile))
$targets = @([IO.File]::ReadAllLines($TargetsFile) | Where-Object { $_ -ne '' })
if ($targets.Count -eq 0) { return }
0..($targets.Count - 1) | ForEach-Object -ThrottleLimit $Throttle -Parallel {
  $i = $_
  $out = [Console]::Out
  $all = $using:targets
  $out.WriteLine("${FANOUT_TAG.start} $i")
  $ps = $null
  $timedOut = $false
  try {
    $ps = [powershell]::Create()
    $null = $ps.AddScript($using:driverText).AddParameter('TargetB64', $all[$i]).AddParameter('CollectorB64', $using:collectorB64)
    $pending = $ps.BeginInvoke()
    if ($pending.AsyncWaitHandle.WaitOne([int]$using:TimeoutMs)) {
      foreach ($o in $ps.EndInvoke($pending)) {
        foreach ($l in ([string]$o -split '\r?\n')) { $out.WriteLine("${FANOUT_TAG.line} $i $l") }
      }
      foreach ($e in $ps.Streams.Error) { $out.WriteLine("${FANOUT_TAG.error} $i " + (([string]$e) -replace '\s+', ' ')) }
    } else {
      $timedOut = $true
      $out.WriteLine("${FANOUT_TAG.timeout} $i")
      # BeginStop, not Stop: a remote side that does not answer must not hold this slot. Stopping
      # closes the SSH session, whose ssh client then exits.
      $null = $ps.BeginStop($null, $null)
    }
  } catch {
    $out.WriteLine("${FANOUT_TAG.error} $i " + (([string]$_) -replace '\s+', ' '))
  } finally {
    # A stopped instance is left to finish stopping; disposing it here would wait for that.
    if ($null -ne $ps -and -not $timedOut) { $ps.Dispose() }
    $out.WriteLine("${FANOUT_TAG.done} $i")
  }
}
`;
