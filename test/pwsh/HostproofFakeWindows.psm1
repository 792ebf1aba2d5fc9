# HostproofFakeWindows: a simulated Windows host for running the collector script where there is
# no Windows (or no such host). Import-FakeWindowsHost reads a host description
# (fake-host.schema.json) and defines global functions that stand in for the cmdlets the probe
# catalog calls. Functions win over cmdlets in PowerShell's command lookup, so the collector runs
# unchanged against them.
#
# The stand-ins for the cmdlets that are CDXML on Windows (Get-NetAdapterAdvancedProperty,
# Get-DnsClientGlobalSetting) are not global functions: like the real ones they are functions
# exported from a module, this one. That matters for errors: a module function does not see its
# caller's $ErrorActionPreference (PowerShell/PowerShell#4568), so a non-terminating error it
# writes stays non-terminating unless the call itself says -ErrorAction Stop. Behaviour
# access-denied-nonterminating writes such an error with $PSCmdlet.WriteError and returns nothing,
# as a CDXML function does on access denied; access-denied throws (terminating).
#
# The stand-ins return objects with the real property names and the types that matter for
# ConvertTo-Json: enums as integers (what Windows PowerShell 5.1 emits for real enums), SIDs as
# objects with .Value, RegistryValue as string[], Get-HotFix's InstalledOn as [datetime] and
# WMI's as text. Failures are raised as the real cmdlets raise them, so the collector's error
# classification sees the same exception types, categories and error ids.
#
# Windows PowerShell 5.1 and PowerShell 7 (also on Linux and macOS).

Set-StrictMode -Off

$script:FakeHost = $null
$script:FakeHostPath = $null

# A host description with "powershell": "2.0" is a PowerShell 2.0-style host: these commands do
# not exist there whatever "cmdlets" says, and neither does ConvertTo-Json (3.0+). Kept in step
# with MISSING_ON_POWERSHELL_2 in fake-host.ts.
$script:MissingOnPowerShell2 = @(
    'Get-CimInstance', 'Get-CimAssociatedInstance', 'Get-LocalUser', 'Get-LocalGroupMember',
    'Get-NetAdapterAdvancedProperty', 'Get-DnsClientGlobalSetting', 'Get-WindowsOptionalFeature'
)

# Exported from this module under their own names (see above); the rest are defined as globals.
$script:ModuleCmdlets = @('Get-NetAdapterAdvancedProperty', 'Get-DnsClientGlobalSetting')

$script:FakedCmdlets = @(
    'Get-CimInstance', 'Get-WmiObject', 'Get-CimAssociatedInstance', 'Get-ItemProperty',
    'Get-NetAdapterAdvancedProperty', 'Get-WindowsFeature', 'Get-WindowsOptionalFeature',
    'Get-Cluster', 'Get-ClusterQuorum', 'Get-LocalUser', 'Get-LocalGroupMember',
    'Get-DnsClientGlobalSetting', 'Get-HotFix'
)

function Import-FakeWindowsHost {
    [CmdletBinding()]
    param([Parameter(Mandatory = $true)][string]$Path)

    # One host per process: a second import could not reliably take back a cmdlet the first
    # one defined, and a "missing" cmdlet must really be missing. The process's host is the file
    # $env:HOSTPROOF_FAKE_HOST names (set here, so that every runspace of the process that imports
    # this module, such as the collector's worker, reads the same host). Importing that same file
    # again is fine: in a new runspace it defines the stand-ins there, in this one it does nothing.
    $full = (Resolve-Path -LiteralPath $Path -ErrorAction Stop).ProviderPath
    if ($env:HOSTPROOF_FAKE_HOST) {
        $current = (Resolve-Path -LiteralPath $env:HOSTPROOF_FAKE_HOST -ErrorAction Stop).ProviderPath
        if ($current -ne $full) { throw "HostproofFakeWindows: this process already simulates $current; import one host per PowerShell process" }
    }
    if ($null -ne $script:FakeHost) {
        if ($script:FakeHostPath -eq $full) { return }
        throw 'HostproofFakeWindows: import one host per PowerShell process'
    }
    $script:FakeHost = Get-Content -LiteralPath $full -Raw | ConvertFrom-Json
    $script:FakeHostPath = $full
    $env:HOSTPROOF_FAKE_HOST = $full
    foreach ($name in $script:FakedCmdlets) {
        if ($script:ModuleCmdlets -contains $name) { continue }
        if ((Get-FakeBehaviour $name) -eq 'missing') {
            # Where the real cmdlet does not exist (Linux, or a Windows without the module),
            # leaving the name undefined gives PowerShell's own CommandNotFoundException. Where it
            # does exist, a stand-in has to raise the same exception instead.
            if (Get-Command -Name $name -CommandType Cmdlet, Function, Application -ErrorAction SilentlyContinue) {
                Set-Item -Path "function:global:$name" -Value (New-MissingCommand $name)
            }
            continue
        }
        # The stand-in's script block stays bound to this module, so it reads $script:FakeHost.
        $implementation = Get-Item -LiteralPath "function:Fake$($name -replace '-', '')"
        Set-Item -Path "function:global:$name" -Value $implementation.ScriptBlock
    }
    if ([string]$script:FakeHost.powershell -eq '2.0') {
        # The cmdlet exists in this engine; a function of the same name wins over it and fails the
        # way a missing command does, so ConvertTo-Json is genuinely unusable by name.
        Set-Item -Path 'function:global:ConvertTo-Json' -Value (New-MissingCommand 'ConvertTo-Json')
    }
    # The collector reports $env:COMPUTERNAME; this process stands for the host.
    $env:COMPUTERNAME = [string]$script:FakeHost.computerName
}

# ------------------------------------------------------------------------------ behaviour

function Get-FakeBehaviour([string]$Name) {
    if ([string]$script:FakeHost.powershell -eq '2.0' -and $script:MissingOnPowerShell2 -contains $Name) { return 'missing' }
    $cmdlets = $script:FakeHost.cmdlets
    if ($null -eq $cmdlets) { return $null }
    $entry = $cmdlets.PSObject.Properties[$Name]
    if ($null -eq $entry) { return $null }
    return [string]$entry.Value
}

function New-MissingCommand([string]$Name) {
    $message = "The term '$Name' is not recognized as the name of a cmdlet, function, script file, or operable program. Check the spelling of the name, or if a path was included, verify that the path is correct and try again."
    return {
        [CmdletBinding()]
        param([Parameter(ValueFromRemainingArguments = $true)]$Arguments, [Parameter(ValueFromPipeline = $true)]$InputObject)
        begin { throw [System.Management.Automation.CommandNotFoundException]::new($message) }
    }.GetNewClosure()
}

# Raises the failure the description gives this cmdlet, the way the real cmdlet fails. $Cmdlet is
# the stand-in's $PSCmdlet. Returns $true when the stand-in must stop without output: it wrote a
# non-terminating error (which, with -ErrorAction Stop on the call, has already become terminating).
function Invoke-FakeBehaviour([string]$Name, [System.Management.Automation.PSCmdlet]$Cmdlet) {
    switch (Get-FakeBehaviour $Name) {
        'access-denied' {
            throw [System.UnauthorizedAccessException]::new('Access is denied. (Exception from HRESULT: 0x80070005 (E_ACCESSDENIED))')
        }
        'access-denied-nonterminating' {
            $Cmdlet.WriteError((New-AccessDeniedError $Name))
            return $true
        }
        'invalid-operation' {
            # PowerShell issues 2996/21617: sorting members whose SID does not resolve.
            $inner = [System.NullReferenceException]::new('Object reference not set to an instance of an object.')
            throw [System.InvalidOperationException]::new('Failed to compare two elements in the array.', $inner)
        }
        'hang' { Start-Sleep -Seconds 86400 }
    }
    return $false
}

# What a CIM-based cmdlet writes when WMI refuses the caller: E_ACCESSDENIED, PermissionDenied.
function New-AccessDeniedError([string]$Name) {
    $exception = [System.UnauthorizedAccessException]::new('Access is denied. (Exception from HRESULT: 0x80070005 (E_ACCESSDENIED))')
    return [System.Management.Automation.ErrorRecord]::new($exception, "Windows System Error 5,$Name", [System.Management.Automation.ErrorCategory]::PermissionDenied, $null)
}

# For the module-exported stand-ins, which exist whatever the host description says.
function Assert-FakeCommandPresent([string]$Name) {
    if ($null -eq $script:FakeHost) { throw "HostproofFakeWindows: $Name called before a host was imported" }
    if ((Get-FakeBehaviour $Name) -eq 'missing') {
        throw [System.Management.Automation.CommandNotFoundException]::new("The term '$Name' is not recognized as the name of a cmdlet, function, script file, or operable program. Check the spelling of the name, or if a path was included, verify that the path is correct and try again.")
    }
}

function New-ClusterNotRunningError {
    $exception = [System.Exception]::new('The cluster service is not running. Make sure that the service is running on all nodes in the cluster. There are no more endpoints available from the endpoint mapper.')
    return [System.Management.Automation.ErrorRecord]::new($exception, 'ClusterEndpointNotRegistered', [System.Management.Automation.ErrorCategory]::ConnectionError, $null)
}

# ------------------------------------------------------------------------------ shapes

function New-FakeSid($Value) {
    if ($null -eq $Value) { return $null }
    $sid = [pscustomobject]@{ BinaryLength = 28; Value = [string]$Value }
    Add-Member -InputObject $sid -MemberType ScriptMethod -Name ToString -Value { $this.Value } -Force
    return $sid
}

function ConvertTo-FakeDate($Value) {
    if ($null -eq $Value -or [string]$Value -eq '') { return $null }
    if ($Value -is [datetime]) { return $Value.Date }
    return [datetime]::ParseExact([string]$Value, 'yyyy-MM-dd', [System.Globalization.CultureInfo]::InvariantCulture)
}

function Copy-FakeObject($Source, [string]$ClassName) {
    $copy = [ordered]@{}
    foreach ($p in $Source.PSObject.Properties) { $copy[$p.Name] = $p.Value }
    $copy['CimClass'] = [pscustomobject]@{ CimClassName = $ClassName }
    $copy['__CLASS'] = $ClassName
    return [pscustomobject]$copy
}

function Split-FakeAccount([string]$Name) {
    $at = $Name.IndexOf('\')
    if ($at -lt 0) { return @([string]$script:FakeHost.computerName, $Name) }
    return @($Name.Substring(0, $at), $Name.Substring($at + 1))
}

# WQL as the catalog uses it: Property=Value clauses joined by AND.
function Test-FakeFilter($Object, [string]$Filter) {
    if (-not $Filter) { return $true }
    foreach ($clause in ($Filter -split '\s+AND\s+')) {
        if (-not ($clause -match '^\s*(\w+)\s*=\s*''?([^'']*?)''?\s*$')) { throw "HostproofFakeWindows: WQL filter not understood: $clause" }
        if ([string]$Object.($Matches[1]) -ne $Matches[2]) { return $false }
    }
    return $true
}

function Get-FakeCimObjects([string]$ClassName) {
    $h = $script:FakeHost
    switch ($ClassName) {
        'Win32_OperatingSystem' { Copy-FakeObject $h.os $ClassName }
        'Win32_ComputerSystem' { Copy-FakeObject $h.computerSystem $ClassName }
        'Win32_UserAccount' {
            foreach ($u in $h.localUsers) {
                Copy-FakeObject ([pscustomobject]@{
                        Name = $u.Name; Domain = $h.computerName; SID = $u.SID
                        Disabled = -not $u.Enabled; LocalAccount = $true
                    }) $ClassName
            }
        }
        'Win32_Group' {
            Copy-FakeObject ([pscustomobject]@{ Name = 'Administrators'; Domain = $h.computerName; SID = 'S-1-5-32-544'; LocalAccount = $true }) $ClassName
        }
        'Win32_QuickFixEngineering' {
            foreach ($hf in $h.hotfixes) {
                $day = ConvertTo-FakeDate $hf.InstalledOn
                $text = if ($null -eq $day) { '' } else { $day.ToString('M/d/yyyy', [System.Globalization.CultureInfo]::InvariantCulture) }
                Copy-FakeObject ([pscustomobject]@{ HotFixID = $hf.HotFixID; Description = $hf.Description; InstalledOn = $text }) $ClassName
            }
        }
        default { throw "HostproofFakeWindows: class $ClassName is not simulated" }
    }
}

# ------------------------------------------------------------------------------ stand-ins

function FakeGetCimInstance {
    [CmdletBinding()]
    param([Parameter(Position = 0)][Alias('Class')][string]$ClassName, [string]$Filter, [string]$Namespace)
    if (Invoke-FakeBehaviour 'Get-CimInstance' $PSCmdlet) { return }
    Get-FakeCimObjects $ClassName | Where-Object { Test-FakeFilter $_ $Filter }
}

function FakeGetWmiObject {
    [CmdletBinding()]
    param([Parameter(Position = 0)][string]$Class, [string]$Filter, [string]$Namespace)
    if (Invoke-FakeBehaviour 'Get-WmiObject' $PSCmdlet) { return }
    Get-FakeCimObjects $Class | Where-Object { Test-FakeFilter $_ $Filter }
}

function FakeGetCimAssociatedInstance {
    [CmdletBinding()]
    param([Parameter(Mandatory = $true, ValueFromPipeline = $true)]$InputObject, [string]$Association, [string]$ResultClassName)
    begin { $failed = Invoke-FakeBehaviour 'Get-CimAssociatedInstance' $PSCmdlet }
    process {
        if ($failed) { return }
        $isAdministrators = $InputObject.CimClass.CimClassName -eq 'Win32_Group' -and $InputObject.SID -eq 'S-1-5-32-544'
        if (-not $isAdministrators -or ($Association -and $Association -ne 'Win32_GroupUser')) { return }
        foreach ($m in $script:FakeHost.administrators) {
            # WMI cannot resolve an orphaned SID to an account, so the association leaves it out.
            if ($m.orphaned -or $null -eq $m.SID) { continue }
            $domain, $name = Split-FakeAccount $m.Name
            $class = if ($m.ObjectClass -eq 'Group') { 'Win32_Group' } else { 'Win32_UserAccount' }
            Copy-FakeObject ([pscustomobject]@{ Name = $name; Domain = $domain; SID = $m.SID; LocalAccount = ([int]$m.PrincipalSource -eq 1) }) $class
        }
    }
}

function FakeGetItemProperty {
    [CmdletBinding()]
    param([Parameter(Position = 0)][string[]]$Path, [Parameter(Position = 1)][string[]]$Name)
    if (Invoke-FakeBehaviour 'Get-ItemProperty' $PSCmdlet) { return }
    foreach ($p in $Path) {
        $key = $script:FakeHost.registry.PSObject.Properties[$p]
        if ($null -eq $key) {
            $missing = [System.Management.Automation.ItemNotFoundException]::new("Cannot find path '$p' because it does not exist.")
            $PSCmdlet.ThrowTerminatingError([System.Management.Automation.ErrorRecord]::new($missing, 'PathNotFound', [System.Management.Automation.ErrorCategory]::ObjectNotFound, $p))
        }
        $values = [ordered]@{}
        foreach ($v in $key.Value.PSObject.Properties) { $values[$v.Name] = $v.Value }
        # The registry provider writes nothing for a key without values.
        if ($values.Count -eq 0) { continue }
        $values['PSPath'] = "Microsoft.PowerShell.Core\Registry::$($p -replace '^HKLM:', 'HKEY_LOCAL_MACHINE')"
        [pscustomobject]$values
    }
}

function Get-NetAdapterAdvancedProperty {
    [CmdletBinding()]
    param([Parameter(Position = 0)][string[]]$Name, [switch]$AllProperties)
    Assert-FakeCommandPresent 'Get-NetAdapterAdvancedProperty'
    if (Invoke-FakeBehaviour 'Get-NetAdapterAdvancedProperty' $PSCmdlet) { return }
    foreach ($row in $script:FakeHost.netAdapterAdvancedProperties) {
        if ($Name -and $Name -notcontains $row.Name) { continue }
        # Properties without a display name are hidden unless -AllProperties asks for them.
        if (-not $AllProperties -and $null -eq $row.DisplayName) { continue }
        [pscustomobject][ordered]@{
            Name            = $row.Name
            DisplayName     = $row.DisplayName
            DisplayValue    = $row.DisplayValue
            RegistryKeyword = $row.RegistryKeyword
            RegistryValue   = [string[]]@($row.RegistryValue)
        }
    }
}

function FakeGetWindowsFeature {
    [CmdletBinding()]
    param([Parameter(Position = 0)][string[]]$Name)
    if (Invoke-FakeBehaviour 'Get-WindowsFeature' $PSCmdlet) { return }
    foreach ($f in $script:FakeHost.windowsFeatures) {
        if ($Name -and $Name -notcontains $f.Name) { continue }
        [pscustomobject][ordered]@{
            Name         = $f.Name
            DisplayName  = $f.DisplayName
            Installed    = ([int]$f.InstallState -eq 1)
            InstallState = [int]$f.InstallState
        }
    }
}

function FakeGetWindowsOptionalFeature {
    [CmdletBinding()]
    param([switch]$Online, [string]$FeatureName)
    if (Invoke-FakeBehaviour 'Get-WindowsOptionalFeature' $PSCmdlet) { return }
    foreach ($f in $script:FakeHost.optionalFeatures) {
        if ($FeatureName -and $FeatureName -ne $f.FeatureName) { continue }
        [pscustomobject][ordered]@{ FeatureName = $f.FeatureName; DisplayName = $f.DisplayName; State = [int]$f.State }
    }
}

function FakeGetCluster {
    [CmdletBinding()]
    param([Parameter(Position = 0)][string]$Name)
    if (Invoke-FakeBehaviour 'Get-Cluster' $PSCmdlet) { return }
    $c = $script:FakeHost.cluster
    if ($null -eq $c) { $PSCmdlet.ThrowTerminatingError((New-ClusterNotRunningError)) }
    [pscustomobject][ordered]@{
        Name                      = $c.Name
        Domain                    = $c.Domain
        Id                        = $c.Id
        AdministrativeAccessPoint = [int]$c.AdministrativeAccessPoint
    }
}

function FakeGetClusterQuorum {
    [CmdletBinding()]
    param([string]$Cluster)
    if (Invoke-FakeBehaviour 'Get-ClusterQuorum' $PSCmdlet) { return }
    $c = $script:FakeHost.cluster
    if ($null -eq $c) { $PSCmdlet.ThrowTerminatingError((New-ClusterNotRunningError)) }
    $resource = $null
    if ($null -ne $c.QuorumResource) {
        $resource = [pscustomobject]@{
            Name         = $c.QuorumResource.Name
            ResourceType = [pscustomobject]@{ Name = $c.QuorumResource.ResourceType }
        }
    }
    # 2016+ reports QuorumType as an enum (an integer once serialised); 2012 R2 as text.
    $type = $c.QuorumType
    if ($type -is [long]) { $type = [int]$type }
    [pscustomobject][ordered]@{ Cluster = [pscustomobject]@{ Name = $c.Name }; QuorumType = $type; QuorumResource = $resource }
}

function FakeGetLocalUser {
    [CmdletBinding()]
    param([Parameter(Position = 0)][string[]]$Name)
    if (Invoke-FakeBehaviour 'Get-LocalUser' $PSCmdlet) { return }
    foreach ($u in $script:FakeHost.localUsers) {
        if ($Name -and $Name -notcontains $u.Name) { continue }
        [pscustomobject][ordered]@{ Name = $u.Name; Enabled = [bool]$u.Enabled; SID = (New-FakeSid $u.SID); PrincipalSource = 1 }
    }
}

function FakeGetLocalGroupMember {
    [CmdletBinding()]
    param([Parameter(Position = 0)]$Group, [string]$Name, $SID, [Parameter(Position = 1)][string]$Member)
    if (Invoke-FakeBehaviour 'Get-LocalGroupMember' $PSCmdlet) { return }
    $wanted = ([string]$SID -eq 'S-1-5-32-544') -or ([string]$Name -eq 'Administrators') -or ([string]$Group -eq 'Administrators')
    if (-not $wanted) { return }
    foreach ($m in $script:FakeHost.administrators) {
        [pscustomobject][ordered]@{
            Name            = $m.Name
            ObjectClass     = $m.ObjectClass
            SID             = (New-FakeSid $m.SID)
            PrincipalSource = [int]$m.PrincipalSource
        }
    }
}

function Get-DnsClientGlobalSetting {
    [CmdletBinding()]
    param()
    Assert-FakeCommandPresent 'Get-DnsClientGlobalSetting'
    if (Invoke-FakeBehaviour 'Get-DnsClientGlobalSetting' $PSCmdlet) { return }
    $s = $script:FakeHost.dnsClientGlobalSetting
    if ($null -eq $s) { return }
    [pscustomobject][ordered]@{
        SuffixSearchList    = [string[]]@($s.SuffixSearchList | Where-Object { $null -ne $_ })
        UseSuffixSearchList = [bool]$s.UseSuffixSearchList
        UseDevolution       = [bool]$s.UseDevolution
        DevolutionLevel     = [int]$s.DevolutionLevel
    }
}

function FakeGetHotFix {
    [CmdletBinding()]
    param([Parameter(Position = 0)][string[]]$Id, [string[]]$ComputerName)
    if (Invoke-FakeBehaviour 'Get-HotFix' $PSCmdlet) { return }
    foreach ($hf in $script:FakeHost.hotfixes) {
        if ($Id -and $Id -notcontains $hf.HotFixID) { continue }
        [pscustomobject][ordered]@{
            Source      = $script:FakeHost.computerName
            Description = $hf.Description
            HotFixID    = $hf.HotFixID
            InstalledBy = 'NT AUTHORITY\SYSTEM'
            InstalledOn = (ConvertTo-FakeDate $hf.InstalledOn)
        }
    }
}

Export-ModuleMember -Function (@('Import-FakeWindowsHost') + $script:ModuleCmdlets)

# Imported while $env:HOSTPROOF_FAKE_HOST names a host description, the module imports that host
# itself. This is the contract for runspaces nobody can call Import-FakeWindowsHost in: the
# collector's worker runspace (it imports the calling session's modules by path) and a session at
# the end of an SSH connection (the variable set in its environment). Keep it exactly so.
if ($env:HOSTPROOF_FAKE_HOST) { Import-FakeWindowsHost -Path $env:HOSTPROOF_FAKE_HOST }
