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
.NOTES
    Helper modules: Cloudtrust.Common (New-StepError, New-StepResult), Cloudtrust.GroupPolicy (Find-Gpo,
    Get-PassportValue, Get-GpoLink, ConvertTo-ComparableDn).
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

function Get-RollbackState {
    param([AllowNull()][object]$Gpo)
    if ($null -eq $Gpo) { return $null }
    $values = @(foreach ($key in $policyKey, $userPolicyKey) { Get-PassportValue -GpoId $Gpo.Id -Key $key -Domain $Domain -Server $server })
    return [ordered]@{
        id          = $Gpo.Id.ToString().ToLowerInvariant()
        displayName = [string]$Gpo.DisplayName
        values      = [object[]]$values
        links       = [object[]]@(Get-GpoLink -GpoId $Gpo.Id -SearchBase $adDomain.DistinguishedName -Server $server)
    }
}

if ($Mode -eq 'unlink' -and ($null -eq $Targets -or $Targets.Count -eq 0)) {
    throw (New-StepError -Message 'unlink needs the targets to unlink the GPO from' -ErrorId 'UnlinkWithoutTargets' -Category 'InvalidArgument' -Target 'Targets')
}

$adDomain = Get-ADDomain -Identity $Domain -Server $Domain
$server = [string]$adDomain.PDCEmulator

$gpo = Find-Gpo -Name $GpoName -Domain $Domain -Server $server
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
New-StepResult -Changes $changes -PlanOnly:$PlanOnly -Before $before -After $after
