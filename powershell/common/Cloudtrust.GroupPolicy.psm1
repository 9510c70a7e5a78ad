# Helpers shared by the Group Policy step scripts (powershell/gpo): a GPO found by display name, its registry
# policy settings, its links (gPLink) and distinguished names compared as the directory compares them.
# Loaded by the host dispatcher (powershell/host/Cloudtrust.Host.ps1) from the text whose SHA-256 it checked,
# after Cloudtrust.Common, whose New-StepError it uses. Windows PowerShell 5.1 compatible.
Set-StrictMode -Version 2.0
$ErrorActionPreference = 'Stop'
$ProgressPreference = 'SilentlyContinue'

# A module function sees the module's preference variables, not its caller's: a function that calls other commands
# takes the calling script's $WarningPreference, so their warnings are shown or kept quiet as the script's own are
# (the dispatcher merges each script's warning stream into its output, 3>&1, and returns the warnings in the envelope).

function Find-Gpo {
    # Resolves the display name to one GPO, or $null; duplicates are refused rather than guessed.
    [CmdletBinding()]
    param(
        [Parameter(Mandatory = $true)][string]$Name,
        [Parameter(Mandatory = $true)][string]$Domain,
        [Parameter(Mandatory = $true)][string]$Server
    )
    $WarningPreference = $PSCmdlet.GetVariableValue('WarningPreference')
    $found = @(Get-GPO -All -Domain $Domain -Server $Server | Where-Object -FilterScript { $_.DisplayName -eq $Name })
    if ($found.Count -gt 1) {
        $ids = (@($found | ForEach-Object -Process { $_.Id.ToString() })) -join ', '
        throw (New-StepError -Message ('{0} GPOs in {1} have the display name ''{2}'' ({3}): rename or remove the duplicates so the name identifies one GPO' -f $found.Count, $Domain, $Name, $ids) -ErrorId 'AmbiguousGpoName' -Category 'InvalidData' -Target $Name)
    }
    if ($found.Count -eq 0) { return $null }
    return $found[0]
}

function Get-PassportValue {
    # Policy settings under Key and, through the first-level subkeys Get-GPRegistryValue lists, under its subkeys.
    [CmdletBinding()]
    param(
        [Parameter(Mandatory = $true)][guid]$GpoId,
        [Parameter(Mandatory = $true)][string]$Key,
        [Parameter(Mandatory = $true)][string]$Domain,
        [Parameter(Mandatory = $true)][string]$Server,
        [int]$Depth = 0
    )
    $WarningPreference = $PSCmdlet.GetVariableValue('WarningPreference')
    $hive = $Key.Substring(0, 4)
    $relative = $Key.Substring(5)
    $scope = 'Computer'
    if ($hive -eq 'HKCU') { $scope = 'User' }
    try {
        $items = @(Get-GPRegistryValue -Guid $GpoId -Key $Key -Domain $Domain -Server $Server)
    }
    catch {
        if ([string]$_.FullyQualifiedErrorId -notlike 'UnableToRetrievePolicyRegistryItem*') { throw }
        # The documented failure for a key the GPO does not configure, also raised when Registry.pol cannot be read:
        # only a missing key or file (0x80070002, 0x80070003) is "not set".
        $inner = $_.Exception.InnerException
        if ($null -eq $inner -or $inner -is [System.IO.FileNotFoundException] -or $inner -is [System.IO.DirectoryNotFoundException] -or $inner.HResult -eq -2147024894 -or $inner.HResult -eq -2147024893) { return }
        $category = 'ReadError'
        if ($inner -is [System.UnauthorizedAccessException] -or $inner.HResult -eq -2147024891) { $category = 'PermissionDenied' }
        throw (New-StepError -Message ('the policy settings of GPO {{{0}}} under {1} cannot be read: {2}' -f $GpoId, $Key, $inner.Message) -ErrorId 'GpoSettingsUnreadable' -Category $category -Target ([string]$GpoId))
    }
    foreach ($item in $items) {
        $path = ([string]$item.KeyPath) -replace '^(HKEY_LOCAL_MACHINE|HKEY_CURRENT_USER|HKLM|HKCU)\\', ''
        if ($path -ne $relative) {
            if ($Depth -lt 4 -and $path.StartsWith($relative + '\', [System.StringComparison]::OrdinalIgnoreCase)) {
                Get-PassportValue -GpoId $GpoId -Key ($hive + '\' + $path) -Domain $Domain -Server $Server -Depth ($Depth + 1)
            }
            continue
        }
        if ([string]::IsNullOrEmpty([string]$item.ValueName)) { continue }
        $type = [string]$item.Type
        $data = $item.Value
        if ($null -ne $data) {
            if ($type -eq 'DWord' -or $type -eq 'QWord') { $data = [int64]$data } else { $data = (@($data) | ForEach-Object -Process { [string]$_ }) -join ',' }
        }
        [ordered]@{
            scope       = $scope
            key         = $Key
            valueName   = [string]$item.ValueName
            type        = $type
            value       = $data
            policyState = [string]$item.PolicyState
        }
    }
}

function ConvertFrom-GpLink {
    # gPLink is a list of [LDAP://cn={GPO GUID},cn=policies,...;options]; options bit 0 = link disabled, bit 1 = enforced.
    param(
        [Parameter(Mandatory = $true)][string]$Target,
        [AllowEmptyString()][string]$Value
    )
    $pattern = '\[LDAP://cn=\{([0-9A-Fa-f-]{36})\},[^;\]]*;(\d+)\]'
    foreach ($match in [regex]::Matches($Value, $pattern, [System.Text.RegularExpressions.RegexOptions]::IgnoreCase)) {
        $options = [int]$match.Groups[2].Value
        [ordered]@{
            gpoId    = $match.Groups[1].Value.ToLowerInvariant()
            target   = $Target
            enabled  = (($options -band 1) -eq 0)
            enforced = (($options -band 2) -ne 0)
        }
    }
}

function Get-GpoLink {
    # The GPO's links on the domain and its OUs (site links are not read).
    [CmdletBinding()]
    param(
        [Parameter(Mandatory = $true)][guid]$GpoId,
        [Parameter(Mandatory = $true)][string]$SearchBase,
        [Parameter(Mandatory = $true)][string]$Server
    )
    $WarningPreference = $PSCmdlet.GetVariableValue('WarningPreference')
    $holders = @(Get-ADObject -LDAPFilter '(gPLink=*)' -SearchBase $SearchBase -Server $Server -Properties 'gPLink')
    foreach ($holder in $holders) {
        foreach ($link in @(ConvertFrom-GpLink -Target ([string]$holder.DistinguishedName) -Value ([string]$holder.gPLink))) {
            if ([guid]$link.gpoId -ne $GpoId) { continue }
            [ordered]@{ target = $link.target; enabled = $link.enabled; enforced = $link.enforced }
        }
    }
}

function ConvertTo-ComparableDn {
    param([Parameter(Mandatory = $true)][string]$Dn)
    return ($Dn -replace ',\s+', ',').ToLowerInvariant()
}
