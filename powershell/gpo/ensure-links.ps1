<#
.SYNOPSIS
    Ensures a GPO is linked, and the link enabled, on each target OU (or the domain itself).
.DESCRIPTION
    Reads the GPO named GpoName (Get-GPO -All, matched by display name; two GPOs with that name is an error), its
    current links from the gPLink attribute of the domain and its OUs (Get-ADObject), and each target that has no link
    yet (Get-ADObject -Identity: a target that does not exist fails here, in plan mode too). Then creates the missing
    links (New-GPLink -LinkEnabled Yes, which needs the Link GPOs right on the target) and re-enables disabled ones
    (Set-GPLink -LinkEnabled Yes). Enforcement, link order and links to other targets are left alone.
    With -PlanOnly nothing is changed; a GPO that does not exist yet is then planned as linked everywhere.
.NOTES
    Helper modules: Cloudtrust.Common (New-StepError, New-StepResult), Cloudtrust.GroupPolicy (Find-Gpo,
    Get-GpoLink, ConvertTo-ComparableDn).
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

function Get-LinkState {
    param([AllowNull()][object]$Gpo)
    if ($null -eq $Gpo) { return $null }
    return [ordered]@{ id = $Gpo.Id.ToString().ToLowerInvariant(); links = [object[]]@(Get-GpoLink -GpoId $Gpo.Id -SearchBase $adDomain.DistinguishedName -Server $server) }
}

$adDomain = Get-ADDomain -Identity $Domain -Server $Domain
$server = [string]$adDomain.PDCEmulator
$domainDn = ConvertTo-ComparableDn -Dn ([string]$adDomain.DistinguishedName)

$wanted = New-Object -TypeName System.Collections.Generic.List[string]
foreach ($target in $Targets) {
    $comparable = ConvertTo-ComparableDn -Dn $target
    # The DC= components, not a suffix: OU=X,DC=child,DC=corp,DC=com is not in corp.com.
    if (($comparable -replace '^(ou=([^,\\]|\\.)+,)*', '') -ne $domainDn) {
        throw (New-StepError -Message ('link target {0} is not in the domain {1} ({2})' -f $target, $Domain, $adDomain.DistinguishedName) -ErrorId 'LinkTargetOutsideDomain' -Category 'InvalidArgument' -Target $target)
    }
    if (-not (@($wanted | ForEach-Object -Process { ConvertTo-ComparableDn -Dn $_ }) -contains $comparable)) { $wanted.Add($target) }
}

$gpo = Find-Gpo -Name $GpoName -Domain $Domain -Server $server
if ($null -eq $gpo -and -not $PlanOnly) {
    throw (New-StepError -Message ('GPO ''{0}'' was not found in {1}: ensure the policy (gpo.ensure-policy) first' -f $GpoName, $Domain) -ErrorId 'GpoNotFound' -Category 'ObjectNotFound' -Target $GpoName)
}
$before = Get-LinkState -Gpo $gpo
$current = @()
if ($null -ne $before) { $current = @($before.links) }

$changes = New-Object -TypeName System.Collections.Generic.List[string]
$toCreate = New-Object -TypeName System.Collections.Generic.List[string]
$toEnable = New-Object -TypeName System.Collections.Generic.List[string]
foreach ($target in $wanted) {
    $link = @($current | Where-Object -FilterScript { (ConvertTo-ComparableDn -Dn $_.target) -eq (ConvertTo-ComparableDn -Dn $target) }) | Select-Object -First 1
    if ($null -eq $link) {
        # Fails with the directory's not-found error when the target does not exist.
        $null = Get-ADObject -Identity $target -Server $server
        $changes.Add(('link GPO ''{0}'' to {1} (enabled)' -f $GpoName, $target))
        $toCreate.Add($target)
    }
    elseif (-not $link.enabled) {
        $changes.Add(('enable the disabled link of GPO ''{0}'' on {1}' -f $GpoName, $link.target))
        $toEnable.Add([string]$link.target)
    }
}

if (-not $PlanOnly) {
    foreach ($target in $toCreate) {
        $null = New-GPLink -Guid $gpo.Id -Target $target -LinkEnabled 'Yes' -Domain $Domain -Server $server
    }
    foreach ($target in $toEnable) {
        $null = Set-GPLink -Guid $gpo.Id -Target $target -LinkEnabled 'Yes' -Domain $Domain -Server $server
    }
}

$after = Get-LinkState -Gpo $gpo
New-StepResult -Changes $changes -PlanOnly:$PlanOnly -Before $before -After $after
