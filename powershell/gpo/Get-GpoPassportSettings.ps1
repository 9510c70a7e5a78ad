<#
.SYNOPSIS
    Read-only scan of a domain's GPOs for Windows Hello for Business (PassportForWork) policy settings.
.DESCRIPTION
    Reads every GPO of the domain (Get-GPO -All) and, per GPO, the registry-based policy settings under
    HKLM\SOFTWARE\Policies\Microsoft\PassportForWork and HKCU\SOFTWARE\Policies\Microsoft\PassportForWork,
    subkeys included (PINComplexity, ExcludeSecurityDevices, ...), with Get-GPRegistryValue. A key the GPO does not
    configure makes Get-GPRegistryValue fail; that is read as "not set". Links are read from the gPLink attribute
    of the domain and its OUs (one LDAP query; site links are not read). Changes nothing.
    Flags per GPO: UseCertificateForOnPremAuth configured in any scope (certificate trust takes precedence over
    cloud trust), UseCloudTrustForOnPremAuth in user scope (only a computer policy exists), and whether it carries
    any WHfB setting at all (GPO and Intune on the same devices conflict: GPO wins). Only GPOs carrying a
    PassportForWork setting are listed.
.NOTES
    Helper module: Cloudtrust.GroupPolicy (Get-PassportValue, ConvertFrom-GpLink).
#>
[CmdletBinding()]
param(
    [Parameter(Mandatory = $true)]
    [ValidatePattern('^(?=.{1,253}$)([A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?\.)+[A-Za-z]{2,63}$')]
    [string]$Domain
)
Set-StrictMode -Version 2.0
$ErrorActionPreference = 'Stop'
$ProgressPreference = 'SilentlyContinue'

# Importing ActiveDirectory creates the AD: drive, which contacts AD Web Services; skip it.
$env:ADPS_LoadDefaultDrive = '0'
Import-Module -Name 'ActiveDirectory'
Import-Module -Name 'GroupPolicy'

$passportKeys = @('HKLM\SOFTWARE\Policies\Microsoft\PassportForWork', 'HKCU\SOFTWARE\Policies\Microsoft\PassportForWork')

$adDomain = Get-ADDomain -Identity $Domain -Server $Domain
# The GroupPolicy cmdlets default to the PDC emulator; every read goes there so links and settings agree.
$server = [string]$adDomain.PDCEmulator

$linksByGpo = @{}
$holders = @(Get-ADObject -LDAPFilter '(gPLink=*)' -SearchBase $adDomain.DistinguishedName -Server $server -Properties 'gPLink')
foreach ($holder in $holders) {
    foreach ($link in @(ConvertFrom-GpLink -Target ([string]$holder.DistinguishedName) -Value ([string]$holder.gPLink))) {
        if (-not $linksByGpo.ContainsKey($link.gpoId)) { $linksByGpo[$link.gpoId] = New-Object -TypeName System.Collections.Generic.List[object] }
        $linksByGpo[$link.gpoId].Add([ordered]@{ target = $link.target; enabled = $link.enabled; enforced = $link.enforced })
    }
}

$allGpos = @(Get-GPO -All -Domain $Domain -Server $server)
$report = New-Object -TypeName System.Collections.Generic.List[object]
$certificateTrustGpos = New-Object -TypeName System.Collections.Generic.List[object]
$userScopeCloudTrustGpos = New-Object -TypeName System.Collections.Generic.List[object]
$whfbGpos = New-Object -TypeName System.Collections.Generic.List[object]
foreach ($gpo in $allGpos) {
    $values = @(foreach ($key in $passportKeys) { Get-PassportValue -GpoId $gpo.Id -Key $key -Domain $Domain -Server $server })
    if ($values.Count -eq 0) { continue }
    $id = $gpo.Id.ToString().ToLowerInvariant()
    $reference = [ordered]@{ id = $id; displayName = [string]$gpo.DisplayName }
    $certificateTrust = @($values | Where-Object -FilterScript { $_.valueName -eq 'UseCertificateForOnPremAuth' -and $_.policyState -ne 'Delete' }).Count -gt 0
    $userScopeCloudTrust = @($values | Where-Object -FilterScript { $_.scope -eq 'User' -and $_.valueName -eq 'UseCloudTrustForOnPremAuth' -and $_.policyState -ne 'Delete' }).Count -gt 0
    $links = @()
    if ($linksByGpo.ContainsKey($id)) { $links = $linksByGpo[$id].ToArray() }
    $report.Add([ordered]@{
            id                  = $id
            displayName         = [string]$gpo.DisplayName
            status              = [string]$gpo.GpoStatus
            values              = [object[]]$values
            links               = [object[]]$links
            certificateTrust    = $certificateTrust
            userScopeCloudTrust = $userScopeCloudTrust
        })
    $whfbGpos.Add($reference)
    if ($certificateTrust) { $certificateTrustGpos.Add($reference) }
    if ($userScopeCloudTrust) { $userScopeCloudTrustGpos.Add($reference) }
}

@{
    Changed = $false
    Result  = [ordered]@{
        domain                  = [string]$adDomain.DNSRoot
        scannedGpoCount         = $allGpos.Count
        gpos                    = $report.ToArray()
        certificateTrustGpos    = $certificateTrustGpos.ToArray()
        userScopeCloudTrustGpos = $userScopeCloudTrustGpos.ToArray()
        whfbGpos                = $whfbGpos.ToArray()
    }
}
