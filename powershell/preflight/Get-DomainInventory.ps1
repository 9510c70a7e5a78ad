<#
.SYNOPSIS
    Read-only inventory of one Active Directory domain for the cloud Kerberos trust preflight.
.DESCRIPTION
    Domain facts (Get-ADDomain), the forest's sites (Get-ADForest), the domain controllers
    (Get-ADDomainController -Filter *) and, per DC, the OS build and UBR read from its registry - the patch
    level is decided by build and UBR, never by Get-HotFix - and the Kerberos SupportedEncryptionTypes
    policy value when one is configured. The AzureADKerberos pseudo-RODC is excluded. A DC that cannot be
    reached is reported with the reason; it does not fail the inventory.
#>
[CmdletBinding()]
param(
    [Parameter(Mandatory = $true)]
    [ValidatePattern('^(?=.{1,253}$)([A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?\.)+[A-Za-z]{2,63}$')]
    [string]$Domain,
    [System.Management.Automation.PSCredential]$DomainCredential
)
Set-StrictMode -Version 2.0
$ErrorActionPreference = 'Stop'
$ProgressPreference = 'SilentlyContinue'

# Importing ActiveDirectory creates the AD: drive, which contacts AD Web Services; skip it.
$env:ADPS_LoadDefaultDrive = '0'
Import-Module -Name 'ActiveDirectory'

$directory = @{ Server = $Domain }
$remote = @{}
if ($null -ne $DomainCredential) {
    $directory['Credential'] = $DomainCredential
    $remote['Credential'] = $DomainCredential
}

$adDomain = Get-ADDomain -Identity $Domain @directory
$adForest = Get-ADForest -Identity $adDomain.Forest @directory
$controllers = @(Get-ADDomainController -Filter * @directory | Where-Object -FilterScript { $_.Name -ne 'AzureADKerberos' })

$readHostFacts = {
    $version = Get-ItemProperty -Path 'HKLM:\SOFTWARE\Microsoft\Windows NT\CurrentVersion'
    $kerberosPolicy = 'HKLM:\SOFTWARE\Microsoft\Windows\CurrentVersion\Policies\System\Kerberos\Parameters'
    $encryptionTypes = $null
    if (Test-Path -Path $kerberosPolicy) {
        $policy = Get-ItemProperty -Path $kerberosPolicy
        if ($null -ne $policy.PSObject.Properties['SupportedEncryptionTypes']) {
            $encryptionTypes = [int]$policy.SupportedEncryptionTypes
        }
    }
    [pscustomobject]@{
        CurrentBuild             = [string]$version.CurrentBuild
        UBR                      = [int]$version.UBR
        SupportedEncryptionTypes = $encryptionTypes
    }
}

$inventory = New-Object -TypeName System.Collections.Generic.List[object]
foreach ($controller in $controllers) {
    $entry = [ordered]@{
        hostName                 = [string]$controller.HostName
        name                     = [string]$controller.Name
        site                     = [string]$controller.Site
        isReadOnly               = [bool]$controller.IsReadOnly
        operatingSystem          = [string]$controller.OperatingSystem
        operatingSystemVersion   = [string]$controller.OperatingSystemVersion
        currentBuild             = $null
        ubr                      = $null
        supportedEncryptionTypes = $null
        reachable                = $false
        error                    = $null
    }
    try {
        $facts = Invoke-Command -ComputerName $controller.HostName -ScriptBlock $readHostFacts @remote
        $entry.currentBuild = [int]$facts.CurrentBuild
        $entry.ubr = [int]$facts.UBR
        $entry.supportedEncryptionTypes = $facts.SupportedEncryptionTypes
        $entry.reachable = $true
    }
    catch {
        $entry.error = $_.Exception.Message
    }
    $inventory.Add($entry)
}

@{
    Changed = $false
    Result  = [ordered]@{
        domain      = [ordered]@{
            dnsRoot           = [string]$adDomain.DNSRoot
            netBiosName       = [string]$adDomain.NetBIOSName
            distinguishedName = [string]$adDomain.DistinguishedName
            domainMode        = [string]$adDomain.DomainMode
            forest            = [string]$adDomain.Forest
        }
        forestSites = [object[]]@($adForest.Sites | ForEach-Object -Process { [string]$_ })
        controllers = $inventory.ToArray()
    }
}
