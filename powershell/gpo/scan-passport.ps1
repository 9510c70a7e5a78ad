<#
.SYNOPSIS
    Read-only scan of a domain's GPOs for Windows Hello for Business (PassportForWork) policy settings.
.DESCRIPTION
    Reads every GPO of the domain (Get-GPO -All) and one XML settings report of them all (Get-GPOReport -All), so
    the cost does not grow by two Get-GPRegistryValue calls per GPO. Only a GPO whose report shows a Windows Hello
    for Business setting (the PassportForWork key path of a registry setting, or a policy of the Windows Hello for
    Business or PIN Complexity categories as the English ADMX files name them) or that is missing from the report
    is then read with Get-GPRegistryValue: the registry-based policy settings under
    HKLM\SOFTWARE\Policies\Microsoft\PassportForWork and HKCU\SOFTWARE\Policies\Microsoft\PassportForWork,
    subkeys included (PINComplexity, ExcludeSecurityDevices, ...). A key the GPO does not configure is "not set"; a
    GPO whose settings cannot be read fails the scan. Links are read from the gPLink attribute of the domain and its
    OUs (one LDAP query; site links are not read). Changes nothing.
    Flags per GPO: UseCertificateForOnPremAuth configured in any scope (certificate trust takes precedence over
    cloud trust), UseCloudTrustForOnPremAuth in user scope (only a computer policy exists), and whether it carries
    any WHfB setting at all (GPO and Intune on the same devices conflict: GPO wins). Only GPOs carrying a
    PassportForWork setting are listed. A management host with localized ADMX files names the policies in its
    language: there only the key path of settings no ADMX file describes is recognised in the report.
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

# A GPO the report leaves out (its report failed) is read directly, so its failure is the scan's.
$reportErrors = @()
$reportText = [string](Get-GPOReport -All -ReportType 'Xml' -Domain $Domain -Server $server -ErrorAction SilentlyContinue -ErrorVariable 'reportErrors')
$whfbPattern = 'PassportForWork|Windows Hello for Business|Passport for Work|PIN Complexity'
$reported = @{}
$candidates = @{}
if (-not [string]::IsNullOrEmpty($reportText)) {
    $document = New-Object -TypeName System.Xml.XmlDocument
    $document.XmlResolver = $null
    $document.LoadXml($reportText)
    foreach ($node in @($document.DocumentElement.SelectNodes("descendant-or-self::*[local-name()='GPO'][*[local-name()='Identifier']]"))) {
        $idNode = $node.SelectSingleNode("*[local-name()='Identifier']/*[local-name()='Identifier']")
        if ($null -eq $idNode) { continue }
        $reportedId = $idNode.InnerText.Trim().Trim('{', '}').ToLowerInvariant()
        $reported[$reportedId] = $true
        if ($node.InnerXml -match $whfbPattern) { $candidates[$reportedId] = $true }
    }
}
if ($reportErrors.Count -gt 0) {
    Write-Warning -Message ('Get-GPOReport could not report {0} GPO(s) ({1}); they are read one by one' -f $reportErrors.Count, $reportErrors[0].Exception.Message)
}
$report = New-Object -TypeName System.Collections.Generic.List[object]
$certificateTrustGpos = New-Object -TypeName System.Collections.Generic.List[object]
$userScopeCloudTrustGpos = New-Object -TypeName System.Collections.Generic.List[object]
$whfbGpos = New-Object -TypeName System.Collections.Generic.List[object]
foreach ($gpo in $allGpos) {
    $id = $gpo.Id.ToString().ToLowerInvariant()
    if ($reported.ContainsKey($id) -and -not $candidates.ContainsKey($id)) { continue }
    $values = @(foreach ($key in $passportKeys) { Get-PassportValue -GpoId $gpo.Id -Key $key -Domain $Domain -Server $server })
    if ($values.Count -eq 0) { continue }
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
