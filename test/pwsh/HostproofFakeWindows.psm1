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
# Get-Item is a core cmdlet that the collector itself calls (function: paths). Its stand-in answers
# registry paths from the host description and hands every other path, unchanged, to the real
# Microsoft.PowerShell.Management\Get-Item. It is a global function that is not bound to this
# module, so that it runs in its caller's session state: a function: path must find the caller's
# functions, which this module's scope cannot see.
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
    'Get-NetAdapterAdvancedProperty', 'Get-DnsClientGlobalSetting', 'Get-WindowsOptionalFeature',
    'Get-VM', 'Get-VMIntegrationService'
)

# Exported from this module under their own names (see above); the rest are defined as globals.
$script:ModuleCmdlets = @('Get-NetAdapterAdvancedProperty', 'Get-DnsClientGlobalSetting')

$script:FakedCmdlets = @(
    'Get-CimInstance', 'Get-WmiObject', 'Get-CimAssociatedInstance', 'Get-ItemProperty',
    'Get-NetAdapterAdvancedProperty', 'Get-WindowsFeature', 'Get-WindowsOptionalFeature',
    'Get-Cluster', 'Get-ClusterQuorum', 'Get-LocalUser', 'Get-LocalGroupMember',
    'Get-DnsClientGlobalSetting', 'Get-HotFix', 'Get-Item', 'Get-Service', 'Get-VM', 'Get-VMIntegrationService'
)

# The Get-Item stand-in (see the top). Registry paths go to FakeGetItem, exported for this call
# only: an unbound function cannot see this module's private functions.
$script:GetItemProxy = @'
[CmdletBinding(DefaultParameterSetName = 'Path')]
param(
    [Parameter(ParameterSetName = 'Path', Mandatory = $true, Position = 0, ValueFromPipeline = $true, ValueFromPipelineByPropertyName = $true)][string[]]$Path,
    [Parameter(ParameterSetName = 'LiteralPath', Mandatory = $true, ValueFromPipelineByPropertyName = $true)][Alias('PSPath', 'LP')][string[]]$LiteralPath,
    [string]$Filter, [string[]]$Include, [string[]]$Exclude, [switch]$Force,
    [Parameter(ValueFromPipelineByPropertyName = $true)][System.Management.Automation.PSCredential]$Credential
)
process {
    $paths = $Path
    if ($PSCmdlet.ParameterSetName -eq 'LiteralPath') { $paths = $LiteralPath }
    $registry = @($paths | Where-Object { $_ -match '^(Microsoft\.PowerShell\.Core\\)?(HK(LM|CU):|Registry::)' })
    if ($registry.Count -gt 0) { HostproofFakeWindows\FakeGetItem @PSBoundParameters }
    else { Microsoft.PowerShell.Management\Get-Item @PSBoundParameters }
}
'@

# Exception types of modules that only exist on Windows (LocalAccounts) or only in Windows
# PowerShell (ServiceCommandException), compiled the first time a stand-in needs one.
$script:FakeExceptionSources = @{
    'Microsoft.PowerShell.Commands.ServiceCommandException' = 'namespace Microsoft.PowerShell.Commands { public class ServiceCommandException : System.SystemException { public ServiceCommandException() {} public ServiceCommandException(string message) : base(message) {} public ServiceCommandException(string message, System.Exception inner) : base(message, inner) {} public string ServiceName { get; set; } } }'
    # System.Management's own type cannot be constructed outside Windows (PlatformNotSupportedException).
    'HostproofFakeWindows.ManagementException'              = 'namespace HostproofFakeWindows { public class ManagementException : System.SystemException { public ManagementException() {} public ManagementException(string message) : base(message) {} public ManagementException(string message, System.Exception inner) : base(message, inner) {} } }'
    'Microsoft.HyperV.PowerShell.VirtualizationException'   = 'namespace Microsoft.HyperV.PowerShell { public class VirtualizationException : System.Exception { public VirtualizationException() {} public VirtualizationException(string message) : base(message) {} public VirtualizationException(string message, System.Exception inner) : base(message, inner) {} } }'
    'Microsoft.PowerShell.Commands.GroupNotFoundException'  = 'namespace Microsoft.PowerShell.Commands { public class GroupNotFoundException : System.Exception { public GroupNotFoundException() {} public GroupNotFoundException(string message) : base(message) {} public GroupNotFoundException(string message, System.Exception inner) : base(message, inner) {} } }'
}

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
    # PowerShell 7 turns date-like strings into DateTime unless told not to (5.1 never does).
    $json = @{}
    if ((Get-Command -Name ConvertFrom-Json).Parameters.ContainsKey('DateKind')) { $json.DateKind = 'String' }
    $script:FakeHost = Get-Content -LiteralPath $full -Raw | ConvertFrom-Json @json
    $script:FakeHostPath = $full
    $env:HOSTPROOF_FAKE_HOST = $full
    foreach ($name in $script:FakedCmdlets) {
        if ($script:ModuleCmdlets -contains $name) { continue }
        if ($name -eq 'Get-Item') {
            if ((Get-FakeBehaviour $name) -eq 'missing') { throw 'HostproofFakeWindows: Get-Item is a core cmdlet and cannot be missing' }
            Set-Item -Path 'function:global:Get-Item' -Value ([scriptblock]::Create($script:GetItemProxy))
            continue
        }
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
        $implementation = Microsoft.PowerShell.Management\Get-Item -LiteralPath "function:Fake$($name -replace '-', '')"
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

# The root\cimv2 classes derived from the host's data: { Found; Instances }. Kept in step with
# derivedCimInstances in test/helpers/snapshot-builder.ts.
function Get-FakeCimObjects([string]$ClassName) {
    $h = $script:FakeHost
    $instances = switch ($ClassName) {
        'Win32_OperatingSystem' { Copy-FakeObject $h.os 'Win32_OperatingSystem' }
        'Win32_ComputerSystem' { Copy-FakeObject $h.computerSystem 'Win32_ComputerSystem' }
        'Win32_UserAccount' {
            foreach ($u in $h.localUsers) {
                Copy-FakeObject ([pscustomobject]@{
                        Name = $u.Name; Domain = $h.computerName; SID = $u.SID
                        Disabled = -not $u.Enabled; LocalAccount = $true
                    }) 'Win32_UserAccount'
            }
        }
        'Win32_Group' {
            foreach ($g in Get-FakeLocalGroups) {
                Copy-FakeObject ([pscustomobject]@{ Name = $g.Name; Domain = $h.computerName; SID = $g.SID; LocalAccount = $true }) 'Win32_Group'
            }
        }
        'Win32_QuickFixEngineering' {
            foreach ($hf in $h.hotfixes) {
                $day = ConvertTo-FakeDate $hf.InstalledOn
                $text = if ($null -eq $day) { '' } else { $day.ToString('M/d/yyyy', [System.Globalization.CultureInfo]::InvariantCulture) }
                Copy-FakeObject ([pscustomobject]@{ HotFixID = $hf.HotFixID; Description = $hf.Description; InstalledOn = $text }) 'Win32_QuickFixEngineering'
            }
        }
        'Win32_OptionalFeature' {
            foreach ($f in $h.optionalFeatures) {
                Copy-FakeObject ([pscustomobject]@{ Name = $f.FeatureName; Caption = $f.DisplayName; InstallState = (Get-FakeOptionalFeatureInstallState $f.State) }) 'Win32_OptionalFeature'
            }
        }
        'Win32_Service' {
            foreach ($s in $h.services) {
                Copy-FakeObject ([pscustomobject]@{
                        Name = $s.Name; DisplayName = $s.DisplayName
                        State = $script:ServiceStateText[[int]$s.Status]; StartMode = $script:StartModeText[[int]$s.StartType]
                        Started = ([int]$s.Status -eq 4)
                    }) 'Win32_Service'
            }
        }
        default { return [pscustomobject]@{ Found = $false; Instances = @() } }
    }
    return [pscustomobject]@{ Found = $true; Instances = @($instances) }
}

# What a .NET exception type of another module looks like here; see $script:FakeExceptionSources.
function New-FakeException([string]$TypeName, [string]$Message) {
    if (-not ($TypeName -as [type])) { Add-Type -TypeDefinition $script:FakeExceptionSources[$TypeName] -ErrorAction Stop }
    return New-Object -TypeName $TypeName -ArgumentList $Message
}

function New-FakeErrorRecord($Exception, [string]$ErrorId, [System.Management.Automation.ErrorCategory]$Category, $Target) {
    return New-Object System.Management.Automation.ErrorRecord ($Exception, $ErrorId, $Category, $Target)
}

# ------------------------------------------------------------------------------ registry

# The key a path names, as the registry provider resolves it: the provider qualifier and
# HKEY_LOCAL_MACHINE spelled out are the HKLM: drive and / is \. Kept in step with
# registryIdentity in test/helpers/snapshot-builder.ts. Lookups by it ignore case, as Windows does.
function ConvertTo-FakeRegistryIdentity([string]$Path) {
    $p = $Path.Replace('/', '\') -replace '^Microsoft\.PowerShell\.Core\\', ''
    $p = $p -replace '^Registry::HKEY_LOCAL_MACHINE(\\|$)', 'HKLM:\'
    return $p.TrimEnd('\')
}

# The host description's entry for a key: { Path; Values } with Values as Get-FakeRegistryValues gives them, or $null.
function Find-FakeRegistryKey([string]$Path) {
    $wanted = ConvertTo-FakeRegistryIdentity $Path
    $registry = $script:FakeHost.registry
    if ($null -eq $registry) { return $null }
    foreach ($key in $registry.PSObject.Properties) {
        if ((ConvertTo-FakeRegistryIdentity $key.Name) -eq $wanted) {
            return [pscustomobject]@{ Path = $key.Name; Values = @(Get-FakeRegistryValues $key.Value) }
        }
    }
    return $null
}

# A key's values in order, each { Name; Kind; Data } with Data as the description stores it. A number
# is a DWORD, a string a REG_SZ, an array a REG_MULTI_SZ, { kind, data } any type.
function Get-FakeRegistryValues($Key) {
    foreach ($v in $Key.PSObject.Properties) {
        $raw = $v.Value
        if ($raw -is [string]) { $kind = 'String'; $data = $raw }
        elseif ($raw -is [array]) { $kind = 'MultiString'; $data = $raw }
        elseif ($raw -is [System.ValueType] -and $raw -isnot [bool]) { $kind = 'DWord'; $data = $raw }
        elseif ($null -ne $raw -and $null -ne $raw.PSObject.Properties['kind']) { $kind = [string]$raw.kind; $data = $raw.data }
        else { throw "HostproofFakeWindows: registry value $($v.Name) is not a value the description format allows" }
        [pscustomobject]@{ Name = $v.Name; Kind = $kind; Data = $data }
    }
}

# The .NET value RegistryKey.GetValue returns: DWORD an Int32 (negative above 0x7FFFFFFF), QWORD an
# Int64, REG_MULTI_SZ string[], REG_BINARY byte[]. Arrays come back wrapped so that the caller's
# pipeline does not unroll them.
function ConvertTo-FakeRegistryData($Value, [bool]$Expand) {
    switch ($Value.Kind) {
        'DWord' {
            $n = [long]$Value.Data
            if ($n -gt 2147483647) { $n -= 4294967296 }
            return [int]$n
        }
        'QWord' { return [long]$Value.Data }
        'String' { return [string]$Value.Data }
        'ExpandString' {
            if ($Expand) { return [System.Environment]::ExpandEnvironmentVariables([string]$Value.Data) }
            return [string]$Value.Data
        }
        'MultiString' { return , [string[]]@($Value.Data | Where-Object { $null -ne $_ }) }
        'Binary' { return , [byte[]]@($Value.Data | Where-Object { $null -ne $_ }) }
    }
    throw "HostproofFakeWindows: registry value kind $($Value.Kind) is not simulated"
}

# What Get-Item gives for a registry key: a RegistryKey's members that readers use.
function New-FakeRegistryKey([string]$Path, $Values) {
    $identity = ConvertTo-FakeRegistryIdentity $Path
    $name = $identity -replace '^HKLM:\\', 'HKEY_LOCAL_MACHINE\' -replace '^Registry::', ''
    $key = [pscustomobject][ordered]@{
        Name          = $name
        SubKeyCount   = 0
        ValueCount    = $Values.Count
        Property      = [string[]]@($Values | ForEach-Object { $_.Name })
        PSPath        = "Microsoft.PowerShell.Core\Registry::$name"
        PSChildName   = ($name -split '\\')[-1]
        PSProvider    = 'Microsoft.PowerShell.Core\Registry'
        PSIsContainer = $true
    }
    $key.PSObject.TypeNames.Insert(0, 'Microsoft.Win32.RegistryKey')
    # The closures below run in dynamic modules of their own, which cannot see this module's functions.
    $convert = ${function:ConvertTo-FakeRegistryData}
    $find = {
        param([string]$Name)
        if ($Name -eq '') { $Name = '(default)' }
        foreach ($v in $Values) { if ($v.Name -eq $Name) { return $v } }
        return $null
    }.GetNewClosure()
    # GetValueNames names the default value "".
    $names = {
        return , [string[]]@(foreach ($v in $Values) { if ($v.Name -eq '(default)') { '' } else { [string]$v.Name } })
    }.GetNewClosure()
    $kind = {
        param([string]$Name)
        $v = & $find $Name
        if ($null -eq $v) { throw (New-Object System.IO.IOException 'The specified registry key does not exist.') }
        return [Microsoft.Win32.RegistryValueKind]$v.Kind
    }.GetNewClosure()
    $value = {
        param([string]$Name, $DefaultValue, $Options)
        # The real method takes RegistryValueOptions; a name it does not know fails the same way here.
        $o = [Microsoft.Win32.RegistryValueOptions]::None
        if ($null -ne $Options) { $o = [Microsoft.Win32.RegistryValueOptions]$Options }
        $v = & $find $Name
        if ($null -eq $v) { return $DefaultValue }
        $expand = -not ($o -band [Microsoft.Win32.RegistryValueOptions]::DoNotExpandEnvironmentNames)
        $data = & $convert $v $expand
        # A script method returns its output as is: wrapped, an array stays one array, even of one.
        if ($data -is [array]) { return , $data }
        return $data
    }.GetNewClosure()
    Add-Member -InputObject $key -MemberType ScriptMethod -Name GetValueNames -Value $names
    Add-Member -InputObject $key -MemberType ScriptMethod -Name GetValueKind -Value $kind
    Add-Member -InputObject $key -MemberType ScriptMethod -Name GetValue -Value $value
    Add-Member -InputObject $key -MemberType ScriptMethod -Name ToString -Value ([scriptblock]::Create("'$($name.Replace("'", "''"))'")) -Force
    return $key
}

function New-FakeRegistryAccessDenied([string]$Path) {
    $e = New-Object System.Security.SecurityException 'Requested registry access is not allowed.'
    return New-FakeErrorRecord $e 'System.Security.SecurityException,Microsoft.PowerShell.Commands.GetItemCommand' PermissionDenied $Path
}

function New-FakePathNotFound([string]$Path, [string]$Command) {
    $e = New-Object System.Management.Automation.ItemNotFoundException "Cannot find path '$Path' because it does not exist."
    return New-FakeErrorRecord $e "PathNotFound,Microsoft.PowerShell.Commands.$Command" ObjectNotFound $Path
}

# ------------------------------------------------------------------------------ local groups

# Every local group: Administrators (the description's administrators) and localGroups.
function Get-FakeLocalGroups {
    [pscustomobject]@{ Name = 'Administrators'; SID = 'S-1-5-32-544'; members = @($script:FakeHost.administrators | Where-Object { $null -ne $_ }) }
    foreach ($g in @($script:FakeHost.localGroups)) {
        if ($null -ne $g) { [pscustomobject]@{ Name = [string]$g.Name; SID = [string]$g.SID; members = @($g.members | Where-Object { $null -ne $_ }) } }
    }
}

# ------------------------------------------------------------------------------ CIM

# Win32_OptionalFeature.InstallState for a DISM state. WMI has no pending states; the simulation
# calls them Unknown (4). Kept in step with wmiOptionalFeatureState in snapshot-builder.ts.
function Get-FakeOptionalFeatureInstallState([int]$State) {
    switch ($State) { 2 { return 1 } 0 { return 2 } 6 { return 3 } }
    return 4
}

$script:ServiceStateText = @{ 1 = 'Stopped'; 2 = 'Start Pending'; 3 = 'Stop Pending'; 4 = 'Running'; 5 = 'Continue Pending'; 6 = 'Pause Pending'; 7 = 'Paused' }
$script:StartModeText = @{ 0 = 'Boot'; 1 = 'System'; 2 = 'Auto'; 3 = 'Manual'; 4 = 'Disabled' }

# A class's instances, or why WMI refuses it: { Status = ok | namespace | class; Instances }.
# Namespaces and classes compare without case. root and root\cimv2 always exist, and every
# namespace the description's cim section names, with the namespaces above it.
function Resolve-FakeCimClass([string]$Namespace, [string]$ClassName) {
    if (-not $Namespace) { $Namespace = 'root\cimv2' }
    $ns = $Namespace.Replace('/', '\')
    $isCimv2 = $ns -eq 'root\cimv2'
    $exists = $isCimv2 -or $ns -eq 'root'
    $listed = $null
    $cim = $script:FakeHost.cim
    if ($null -ne $cim) {
        foreach ($n in $cim.PSObject.Properties) {
            if ($n.Name -eq $ns) {
                $exists = $true
                $class = $n.Value.PSObject.Properties[$ClassName]
                if ($null -ne $class) { $listed = $class }
            } elseif ($n.Name.StartsWith($ns + '\', [System.StringComparison]::OrdinalIgnoreCase)) {
                $exists = $true
            }
        }
    }
    if (-not $exists) { return [pscustomobject]@{ Status = 'namespace'; Instances = @() } }
    if ($null -ne $listed) {
        return [pscustomobject]@{ Status = 'ok'; Instances = @(foreach ($i in @($listed.Value)) { if ($null -ne $i) { Copy-FakeObject $i $listed.Name } }) }
    }
    if ($isCimv2) {
        $derived = Get-FakeCimObjects $ClassName
        if ($derived.Found) { return [pscustomobject]@{ Status = 'ok'; Instances = @($derived.Instances) } }
    }
    return [pscustomobject]@{ Status = 'class'; Instances = @() }
}

# Get-CimInstance's failure for a namespace or class that does not exist: CimException, category
# MetadataError, WBEM_E_INVALID_NAMESPACE / WBEM_E_INVALID_CLASS.
function New-FakeCimError([string]$Status, [string]$Namespace, [string]$ClassName) {
    $message = 'Invalid class '
    $hresult = '0x80041010'
    if ($Status -eq 'namespace') { $message = 'Invalid namespace '; $hresult = '0x8004100e' }
    $e = New-Object Microsoft.Management.Infrastructure.CimException $message
    return New-FakeErrorRecord $e "HRESULT $hresult,Microsoft.Management.Infrastructure.CimCmdlets.GetCimInstanceCommand" MetadataError "${Namespace}:$ClassName"
}

function New-FakeManagementException([string]$Message) {
    try { return New-Object System.Management.ManagementException $Message } catch { }
    return New-FakeException 'HostproofFakeWindows.ManagementException' $Message
}

# Get-WmiObject's: its own ManagementException naming the class (InvalidType) or namespace (InvalidArgument).
function New-FakeWmiError([string]$Status, [string]$Namespace, [string]$ClassName) {
    if ($Status -eq 'namespace') {
        $e = New-FakeManagementException ('Invalid namespace "' + $Namespace + '"')
        return New-FakeErrorRecord $e 'GetWMIManagementException,Microsoft.PowerShell.Commands.GetWmiObjectCommand' InvalidArgument $null
    }
    $e = New-FakeManagementException ('Invalid class "' + $ClassName + '"')
    return New-FakeErrorRecord $e 'GetWMIManagementException,Microsoft.PowerShell.Commands.GetWmiObjectCommand' InvalidType $null
}

# ------------------------------------------------------------------------------ stand-ins

function FakeGetCimInstance {
    [CmdletBinding()]
    param([Parameter(Position = 0)][Alias('Class')][string]$ClassName, [string]$Filter, [string]$Namespace = 'root/cimv2')
    if (Invoke-FakeBehaviour 'Get-CimInstance' $PSCmdlet) { return }
    $found = Resolve-FakeCimClass $Namespace $ClassName
    if ($found.Status -ne 'ok') { $PSCmdlet.WriteError((New-FakeCimError $found.Status $Namespace $ClassName)); return }
    $found.Instances | Where-Object { Test-FakeFilter $_ $Filter }
}

function FakeGetWmiObject {
    [CmdletBinding()]
    param([Parameter(Position = 0)][string]$Class, [string]$Filter, [string]$Namespace = 'root\cimv2')
    if (Invoke-FakeBehaviour 'Get-WmiObject' $PSCmdlet) { return }
    $found = Resolve-FakeCimClass $Namespace $Class
    if ($found.Status -ne 'ok') { $PSCmdlet.WriteError((New-FakeWmiError $found.Status $Namespace $Class)); return }
    $found.Instances | Where-Object { Test-FakeFilter $_ $Filter }
}

function FakeGetCimAssociatedInstance {
    [CmdletBinding()]
    param([Parameter(Mandatory = $true, ValueFromPipeline = $true)]$InputObject, [string]$Association, [string]$ResultClassName)
    begin { $failed = Invoke-FakeBehaviour 'Get-CimAssociatedInstance' $PSCmdlet }
    process {
        if ($failed) { return }
        if ($InputObject.CimClass.CimClassName -ne 'Win32_Group' -or ($Association -and $Association -ne 'Win32_GroupUser')) { return }
        $group = Get-FakeLocalGroups | Where-Object { $_.SID -eq $InputObject.SID } | Select-Object -First 1
        if ($null -eq $group) { return }
        foreach ($m in $group.members) {
            # WMI cannot resolve an orphaned SID to an account, so the association leaves it out.
            if ($m.orphaned -or $null -eq $m.SID) { continue }
            $domain, $name = Split-FakeAccount $m.Name
            $class = if ($m.ObjectClass -eq 'Group') { 'Win32_Group' } else { 'Win32_UserAccount' }
            Copy-FakeObject ([pscustomobject]@{ Name = $name; Domain = $domain; SID = $m.SID; LocalAccount = ([int]$m.PrincipalSource -eq 1) }) $class
        }
    }
}

# Registry paths only; the Get-Item stand-in sends every other path to the real cmdlet.
function FakeGetItem {
    [CmdletBinding(DefaultParameterSetName = 'Path')]
    param(
        [Parameter(ParameterSetName = 'Path', Position = 0)][string[]]$Path,
        [Parameter(ParameterSetName = 'LiteralPath')][Alias('PSPath', 'LP')][string[]]$LiteralPath,
        [string]$Filter, [string[]]$Include, [string[]]$Exclude, [switch]$Force, $Credential
    )
    $paths = $Path
    if ($PSCmdlet.ParameterSetName -eq 'LiteralPath') { $paths = $LiteralPath }
    foreach ($p in $paths) {
        # The registry provider refuses a key the caller may not read with a SecurityException.
        $behaviour = Get-FakeBehaviour 'Get-Item'
        if ($behaviour -eq 'access-denied') { $PSCmdlet.ThrowTerminatingError((New-FakeRegistryAccessDenied $p)) }
        if ($behaviour -eq 'access-denied-nonterminating') { $PSCmdlet.WriteError((New-FakeRegistryAccessDenied $p)); continue }
        if (Invoke-FakeBehaviour 'Get-Item' $PSCmdlet) { return }
        $key = Find-FakeRegistryKey $p
        if ($null -eq $key) { $PSCmdlet.WriteError((New-FakePathNotFound $p 'GetItemCommand')); continue }
        New-FakeRegistryKey $key.Path $key.Values
    }
}

function FakeGetItemProperty {
    [CmdletBinding()]
    param([Parameter(Position = 0)][string[]]$Path, [Parameter(Position = 1)][string[]]$Name)
    if (Invoke-FakeBehaviour 'Get-ItemProperty' $PSCmdlet) { return }
    foreach ($p in $Path) {
        $key = Find-FakeRegistryKey $p
        if ($null -eq $key) { $PSCmdlet.ThrowTerminatingError((New-FakePathNotFound $p 'GetItemPropertyCommand')) }
        $values = [ordered]@{}
        # The registry provider expands REG_EXPAND_SZ and calls the default value (default).
        foreach ($v in $key.Values) { $values[$v.Name] = ConvertTo-FakeRegistryData $v $true }
        # It writes nothing for a key without values.
        if ($values.Count -eq 0) { continue }
        $values['PSPath'] = "Microsoft.PowerShell.Core\Registry::$((ConvertTo-FakeRegistryIdentity $key.Path) -replace '^HKLM:\\', 'HKEY_LOCAL_MACHINE\' -replace '^Registry::', '')"
        [pscustomobject]$values
    }
}

function FakeGetService {
    [CmdletBinding()]
    param([Parameter(Position = 0, ValueFromPipeline = $true, ValueFromPipelineByPropertyName = $true)][Alias('ServiceName')][string[]]$Name, [string[]]$DisplayName, [string[]]$ComputerName)
    begin { $failed = Invoke-FakeBehaviour 'Get-Service' $PSCmdlet }
    process {
        if ($failed) { return }
        $services = @($script:FakeHost.services | Where-Object { $null -ne $_ })
        $patterns = $Name
        if (-not $patterns) { $patterns = @('*') }
        foreach ($n in $patterns) {
            $found = $false
            foreach ($s in $services) {
                if ($s.Name -notlike $n) { continue }
                $found = $true
                $status = [int]$s.Status
                $startType = [int]$s.StartType
                # The real properties are enums: integers in 5.1's ConvertTo-Json, names when cast to string.
                if ('System.ServiceProcess.ServiceControllerStatus' -as [type]) {
                    $status = [System.ServiceProcess.ServiceControllerStatus]$status
                    $startType = [System.ServiceProcess.ServiceStartMode]$startType
                }
                $service = [pscustomobject][ordered]@{ Name = $s.Name; DisplayName = $s.DisplayName; Status = $status; StartType = $startType; ServiceName = $s.Name }
                $service.PSObject.TypeNames.Insert(0, 'System.ServiceProcess.ServiceController')
                $service
            }
            # A name without wildcards that matches nothing is an error; a pattern that matches nothing is not.
            if (-not $found -and -not [System.Management.Automation.WildcardPattern]::ContainsWildcardCharacters($n)) {
                $e = New-FakeException 'Microsoft.PowerShell.Commands.ServiceCommandException' "Cannot find any service with service name '$n'."
                $e.ServiceName = $n
                $PSCmdlet.WriteError((New-FakeErrorRecord $e 'NoServiceFoundForGivenName,Microsoft.PowerShell.Commands.GetServiceCommand' ObjectNotFound $n))
            }
        }
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
        # A name it does not know gives nothing, not an error; names take wildcards.
        if ($Name -and -not @($Name | Where-Object { $f.Name -like $_ })) { continue }
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
    $found = $false
    foreach ($f in $script:FakeHost.optionalFeatures) {
        if ($FeatureName -and $f.FeatureName -notlike $FeatureName) { continue }
        $found = $true
        [pscustomobject][ordered]@{ FeatureName = $f.FeatureName; DisplayName = $f.DisplayName; State = [int]$f.State }
    }
    # DISM refuses a name it does not know: COMException 0x800F080C, category NotSpecified.
    if ($FeatureName -and -not $found -and -not [System.Management.Automation.WildcardPattern]::ContainsWildcardCharacters($FeatureName)) {
        $e = New-Object System.Runtime.InteropServices.COMException ("Feature name $FeatureName is unknown.", -2146498548)
        $PSCmdlet.ThrowTerminatingError((New-FakeErrorRecord $e 'Microsoft.Dism.Commands.GetWindowsOptionalFeatureCommand' NotSpecified $null))
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
    $groups = @(Get-FakeLocalGroups)
    if ($PSBoundParameters.ContainsKey('SID')) {
        $wanted = [string]$SID
        if ($null -ne $SID -and $null -ne $SID.PSObject.Properties['Value']) { $wanted = [string]$SID.Value }
        # -SID is a SecurityIdentifier; binding fails on text that is not one (InvalidArgument).
        if ($wanted -notmatch '^S-1-\d+(-\d+)*$') {
            $e = New-Object System.Management.Automation.ParameterBindingException ("Cannot bind parameter 'SID'. Cannot convert value `"$wanted`" to type `"System.Security.Principal.SecurityIdentifier`". Error: `"Value was invalid.`"")
            $PSCmdlet.ThrowTerminatingError((New-FakeErrorRecord $e 'CannotConvertArgumentNoMessage,Microsoft.PowerShell.Commands.GetLocalGroupMemberCommand' InvalidArgument $wanted))
        }
        $found = $groups | Where-Object { $_.SID -eq $wanted }
    } else {
        $wanted = $Name
        if (-not $wanted -and $null -ne $Group) { $wanted = [string]$Group; if ($null -ne $Group.PSObject.Properties['Name']) { $wanted = [string]$Group.Name } }
        $found = $groups | Where-Object { $_.Name -eq $wanted }
    }
    if ($null -eq $found) {
        $e = New-FakeException 'Microsoft.PowerShell.Commands.GroupNotFoundException' "Group $wanted was not found."
        $PSCmdlet.WriteError((New-FakeErrorRecord $e 'GroupNotFound,Microsoft.PowerShell.Commands.GetLocalGroupMemberCommand' ObjectNotFound $wanted))
        return
    }
    foreach ($m in @($found)[0].members) {
        if ($Member -and $m.Name -notlike $Member -and ($m.Name -split '\\')[-1] -notlike $Member) { continue }
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

# What Get-VM gives: a VirtualMachine's members that readers use. Id and VMId are Guids, State a
# VMState (an integer in 5.1's ConvertTo-Json).
function New-FakeVM($Vm) {
    $id = [guid][string]$Vm.Id
    $out = [pscustomobject][ordered]@{ Name = [string]$Vm.Name; Id = $id; VMName = [string]$Vm.Name; VMId = $id; State = [int]$Vm.State }
    $out.PSObject.TypeNames.Insert(0, 'Microsoft.HyperV.PowerShell.VirtualMachine')
    return $out
}

function FakeGetVM {
    [CmdletBinding()]
    param([Parameter(Position = 0)][Alias('VMName')][string[]]$Name, [string[]]$ComputerName)
    if (Invoke-FakeBehaviour 'Get-VM' $PSCmdlet) { return }
    $vms = @($script:FakeHost.virtualMachines | Where-Object { $null -ne $_ })
    if (-not $Name) { foreach ($vm in $vms) { New-FakeVM $vm }; return }
    foreach ($n in $Name) {
        $found = @($vms | Where-Object { $_.Name -like $n })
        foreach ($vm in $found) { New-FakeVM $vm }
        # A name without wildcards that matches nothing is an error; a pattern that matches nothing is not.
        if ($found.Count -eq 0 -and -not [System.Management.Automation.WildcardPattern]::ContainsWildcardCharacters($n)) {
            $e = New-FakeException 'Microsoft.HyperV.PowerShell.VirtualizationException' "Hyper-V was unable to find a virtual machine with name `"$n`"."
            $PSCmdlet.WriteError((New-FakeErrorRecord $e 'InvalidParameter,Microsoft.HyperV.PowerShell.Commands.GetVM' InvalidArgument $n))
        }
    }
}

# By -VM (what Get-VM pipes in) or -VMName; -Name filters the services by their (localised) names.
function FakeGetVMIntegrationService {
    [CmdletBinding(DefaultParameterSetName = 'VMName')]
    param(
        [Parameter(ParameterSetName = 'VMObject', Mandatory = $true, Position = 0, ValueFromPipeline = $true)]$VM,
        [Parameter(ParameterSetName = 'VMName', Mandatory = $true, Position = 0)][string[]]$VMName,
        [Parameter(Position = 1)][string[]]$Name,
        [string[]]$ComputerName
    )
    begin { $failed = Invoke-FakeBehaviour 'Get-VMIntegrationService' $PSCmdlet }
    process {
        if ($failed) { return }
        $all = @($script:FakeHost.virtualMachines | Where-Object { $null -ne $_ })
        if ($PSCmdlet.ParameterSetName -eq 'VMObject') {
            $wanted = @(foreach ($v in @($VM)) { [string]$v.VMId })
            $vms = @($all | Where-Object { $wanted -contains ([string]([guid][string]$_.Id)) })
        } else {
            $vms = @($all | Where-Object { $candidate = $_; @($VMName | Where-Object { $candidate.Name -like $_ }).Count -gt 0 })
        }
        foreach ($v in $vms) {
            $id = [guid][string]$v.Id
            foreach ($s in @($v.integrationServices | Where-Object { $null -ne $_ })) {
                if ($Name -and -not @($Name | Where-Object { $s.Name -like $_ })) { continue }
                $out = [pscustomobject][ordered]@{
                    VMName                     = [string]$v.Name
                    VMId                       = $id
                    Name                       = [string]$s.Name
                    Id                         = [string]$s.Id
                    Enabled                    = [bool]$s.Enabled
                    PrimaryStatusDescription   = $s.PrimaryStatusDescription
                    SecondaryStatusDescription = $s.SecondaryStatusDescription
                }
                $out.PSObject.TypeNames.Insert(0, 'Microsoft.HyperV.PowerShell.VMIntegrationComponent')
                $out
            }
        }
    }
}

Export-ModuleMember -Function (@('Import-FakeWindowsHost', 'FakeGetItem') + $script:ModuleCmdlets)

# Imported while $env:HOSTPROOF_FAKE_HOST names a host description, the module imports that host
# itself. This is the contract for runspaces nobody can call Import-FakeWindowsHost in: the
# collector's worker runspace (it imports the calling session's modules by path) and a session at
# the end of an SSH connection (the variable set in its environment). Keep it exactly so.
if ($env:HOSTPROOF_FAKE_HOST) { Import-FakeWindowsHost -Path $env:HOSTPROOF_FAKE_HOST }
