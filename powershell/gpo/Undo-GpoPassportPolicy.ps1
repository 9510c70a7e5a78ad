<#
.SYNOPSIS
    Rolls the Group Policy channel back: unlinks the GPO from targets, or disables Windows Hello for Business in it.
.DESCRIPTION
    Reads the GPO named GpoName (Get-GPO -All, matched by display name; two GPOs with that name is an error), its
    PassportForWork settings (Get-GPRegistryValue) and its links (gPLink of the domain and its OUs, Get-ADObject).
      -Mode unlink   removes the GPO's link from each target that has one (Remove-GPLink); other links stay.
      -Mode disable  sets HKLM\...\PassportForWork\Enabled = 0 (Set-GPRegistryValue -Type DWord): clients stop
                     provisioning Windows Hello for Business. UseCloudTrustForOnPremAuth is kept on purpose: without
                     it, users who already provisioned would authenticate on premises with key trust, which fails
                     without a PKI. Whether Enabled = 0 also removes existing containers is not documented.
    The GPO is never deleted, and a GPO that does not exist is nothing to roll back. With -PlanOnly nothing changes.
#>
[CmdletBinding()]
param(
    [Parameter(Mandatory = $true)]
    [ValidatePattern('^(?=.{1,253}$)([A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?\.)+[A-Za-z]{2,63}$')]
    [string]$Domain,
    [Parameter(Mandatory = $true)]
    [ValidatePattern('^[^\x00-\x1F]{1,255}$')]
    [string]$GpoName,
    [Parameter(Mandatory = $true)]
    [ValidateSet('unlink', 'disable')]
    [string]$Mode,
    [ValidateCount(1, 500)]
    [ValidateLength(1, 2048)]
    [ValidatePattern('^(OU=([^,\\\x00-\x1F]|\\.)+,)*DC=[A-Za-z0-9-]+(,DC=[A-Za-z0-9-]+)*$')]
    [string[]]$Targets,
    [switch]$PlanOnly
)
Set-StrictMode -Version 2.0
$ErrorActionPreference = 'Stop'
$ProgressPreference = 'SilentlyContinue'

$env:ADPS_LoadDefaultDrive = '0'
Import-Module -Name 'ActiveDirectory'
Import-Module -Name 'GroupPolicy'

$policyKey = 'HKLM\SOFTWARE\Policies\Microsoft\PassportForWork'
$userPolicyKey = 'HKCU\SOFTWARE\Policies\Microsoft\PassportForWork'

function New-StepError {
    param(
        [Parameter(Mandatory = $true)][string]$Message,
        [Parameter(Mandatory = $true)][string]$ErrorId,
        [Parameter(Mandatory = $true)][System.Management.Automation.ErrorCategory]$Category,
        [AllowNull()][object]$Target
    )
    $exception = New-Object -TypeName System.ArgumentException -ArgumentList $Message
    return New-Object -TypeName System.Management.Automation.ErrorRecord -ArgumentList $exception, $ErrorId, $Category, $Target
}

function Find-Gpo {
    # Resolves the display name to one GPO, or $null; duplicates are refused rather than guessed.
    $found = @(Get-GPO -All -Domain $Domain -Server $server | Where-Object -FilterScript { $_.DisplayName -eq $GpoName })
    if ($found.Count -gt 1) {
        $ids = (@($found | ForEach-Object -Process { $_.Id.ToString() })) -join ', '
        throw (New-StepError -Message ('{0} GPOs in {1} have the display name ''{2}'' ({3}): rename or remove the duplicates so the name identifies one GPO' -f $found.Count, $Domain, $GpoName, $ids) -ErrorId 'AmbiguousGpoName' -Category 'InvalidData' -Target $GpoName)
    }
    if ($found.Count -eq 0) { return $null }
    return $found[0]
}

function ConvertTo-ComparableDn {
    param([Parameter(Mandatory = $true)][string]$Dn)
    return ($Dn -replace ',\s+', ',').ToLowerInvariant()
}

function Get-PassportValue {
    # Policy settings under Key and its subkeys; a key the GPO does not configure is "not set".
    param(
        [Parameter(Mandatory = $true)][guid]$GpoId,
        [Parameter(Mandatory = $true)][string]$Key,
        [int]$Depth = 0
    )
    $hive = $Key.Substring(0, 4)
    $relative = $Key.Substring(5)
    $scope = 'Computer'
    if ($hive -eq 'HKCU') { $scope = 'User' }
    try {
        $items = @(Get-GPRegistryValue -Guid $GpoId -Key $Key -Domain $Domain -Server $server)
    }
    catch {
        if ([string]$_.FullyQualifiedErrorId -like 'UnableToRetrievePolicyRegistryItem*') { return }
        throw
    }
    foreach ($item in $items) {
        $path = ([string]$item.KeyPath) -replace '^(HKEY_LOCAL_MACHINE|HKEY_CURRENT_USER|HKLM|HKCU)\\', ''
        if ($path -ne $relative) {
            if ($Depth -lt 4 -and $path.StartsWith($relative + '\', [System.StringComparison]::OrdinalIgnoreCase)) {
                Get-PassportValue -GpoId $GpoId -Key ($hive + '\' + $path) -Depth ($Depth + 1)
            }
            continue
        }
        if ([string]::IsNullOrEmpty([string]$item.ValueName)) { continue }
        $type = [string]$item.Type
        $data = $item.Value
        if ($null -ne $data) {
            if ($type -eq 'DWord' -or $type -eq 'QWord') { $data = [int64]$data } else { $data = (@($data) | ForEach-Object -Process { [string]$_ }) -join ',' }
        }
        [ordered]@{ scope = $scope; key = $Key; valueName = [string]$item.ValueName; type = $type; value = $data; policyState = [string]$item.PolicyState }
    }
}

function Get-GpoLink {
    # The GPO's links in the domain, from gPLink: [LDAP://cn={GPO GUID},...;options], bit 0 = disabled, bit 1 = enforced.
    param([Parameter(Mandatory = $true)][guid]$GpoId)
    $pattern = '\[LDAP://cn=\{([0-9A-Fa-f-]{36})\},[^;\]]*;(\d+)\]'
    $holders = @(Get-ADObject -LDAPFilter '(gPLink=*)' -SearchBase $adDomain.DistinguishedName -Server $server -Properties 'gPLink')
    foreach ($holder in $holders) {
        foreach ($match in [regex]::Matches([string]$holder.gPLink, $pattern, [System.Text.RegularExpressions.RegexOptions]::IgnoreCase)) {
            if ([guid]$match.Groups[1].Value -ne $GpoId) { continue }
            $options = [int]$match.Groups[2].Value
            [ordered]@{ target = [string]$holder.DistinguishedName; enabled = (($options -band 1) -eq 0); enforced = (($options -band 2) -ne 0) }
        }
    }
}

function Get-RollbackState {
    param([AllowNull()][object]$Gpo)
    if ($null -eq $Gpo) { return $null }
    $values = @(Get-PassportValue -GpoId $Gpo.Id -Key $policyKey) + @(Get-PassportValue -GpoId $Gpo.Id -Key $userPolicyKey)
    return [ordered]@{
        id          = $Gpo.Id.ToString().ToLowerInvariant()
        displayName = [string]$Gpo.DisplayName
        values      = [object[]]$values
        links       = [object[]]@(Get-GpoLink -GpoId $Gpo.Id)
    }
}

if ($Mode -eq 'unlink' -and ($null -eq $Targets -or $Targets.Count -eq 0)) {
    throw (New-StepError -Message 'unlink needs the targets to unlink the GPO from' -ErrorId 'UnlinkWithoutTargets' -Category 'InvalidArgument' -Target 'Targets')
}

$adDomain = Get-ADDomain -Identity $Domain -Server $Domain
$server = [string]$adDomain.PDCEmulator

$gpo = Find-Gpo
$before = Get-RollbackState -Gpo $gpo
$changes = New-Object -TypeName System.Collections.Generic.List[string]
$toUnlink = New-Object -TypeName System.Collections.Generic.List[string]
$disable = $false

if ($null -eq $gpo) {
    Write-Warning -Message ('GPO ''{0}'' was not found in {1}: nothing to roll back' -f $GpoName, $Domain)
}
elseif ($Mode -eq 'unlink') {
    foreach ($target in $Targets) {
        $link = @($before.links | Where-Object -FilterScript { (ConvertTo-ComparableDn -Dn $_.target) -eq (ConvertTo-ComparableDn -Dn $target) }) | Select-Object -First 1
        if ($null -ne $link -and -not $toUnlink.Contains([string]$link.target)) {
            $changes.Add(('unlink GPO ''{0}'' from {1}' -f $GpoName, $link.target))
            $toUnlink.Add([string]$link.target)
        }
    }
}
else {
    $enabled = @($before['values'] | Where-Object -FilterScript { $_.key -eq $policyKey -and $_.valueName -eq 'Enabled' }) | Select-Object -First 1
    $disabled = $null -ne $enabled -and $enabled.type -eq 'DWord' -and $enabled.policyState -eq 'Set' -and [int64]$enabled.value -eq 0
    if (-not $disabled) {
        $was = 'not set'
        if ($null -ne $enabled) { $was = [string]$enabled.value }
        $changes.Add(('set {0}\Enabled = 0 (DWord), was {1}: clients stop provisioning Windows Hello for Business; UseCloudTrustForOnPremAuth is kept' -f $policyKey, $was))
        $disable = $true
    }
}

if (-not $PlanOnly) {
    foreach ($target in $toUnlink) {
        $null = Remove-GPLink -Guid $gpo.Id -Target $target -Domain $Domain -Server $server
    }
    if ($disable) {
        $null = Set-GPRegistryValue -Guid $gpo.Id -Key $policyKey -ValueName 'Enabled' -Type 'DWord' -Value 0 -Domain $Domain -Server $server
    }
}

$after = Get-RollbackState -Gpo $gpo
@{
    Changed = ($changes.Count -gt 0)
    Result  = [ordered]@{
        planOnly = [bool]$PlanOnly
        changes  = [object[]]$changes.ToArray()
        before   = $before
        after    = $after
    }
}
