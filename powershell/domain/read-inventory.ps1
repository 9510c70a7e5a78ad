<#
.SYNOPSIS
    Read-only inventory of one Active Directory domain for the cloud Kerberos trust preflight.
.DESCRIPTION
    Domain facts (Get-ADDomain), the forest's sites (Get-ADForest), the domain controllers
    (Get-ADDomainController -Filter *) and, per DC, the OS build and UBR read from its registry - the patch
    level is decided by build and UBR, never by Get-HotFix - and the Kerberos SupportedEncryptionTypes
    policy value when one is configured. The AzureADKerberos pseudo-RODC is excluded. All DCs are contacted in
    parallel (Invoke-Command -ThrottleLimit) with short connection and operation timeouts. A DC that cannot be
    reached is reported with the reason; one that is reached but whose registry cannot be read is reported
    reachable with an unknown build and the error. Neither fails the inventory.
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
    $ErrorActionPreference = 'Stop'
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

# One entry per DC, in directory order; host names compare case-insensitively.
$inventory = [ordered]@{}
foreach ($controller in $controllers) {
    $key = ([string]$controller.HostName).ToLowerInvariant()
    if ($inventory.Contains($key)) { continue }
    $inventory[$key] = [ordered]@{
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
}

# All DCs at once, each connection bounded: an unreachable DC holds its throttle slot for the OpenTimeout (15 s),
# not the 3-minute default. 32 at a time: even 320 unreachable DCs take 10 waves of 15 s, within the step's
# 5-minute timeout (activities/steps/domain-inventory.ts).
if ($inventory.Count -gt 0) {
    $sessionOption = New-PSSessionOption -OpenTimeout 15000 -OperationTimeout 60000
    $remoteErrors = $null
    $hostNames = [string[]]@($inventory.Values | ForEach-Object -Process { $_.hostName })
    $answers = @(Invoke-Command -ComputerName $hostNames -ScriptBlock $readHostFacts -ThrottleLimit 32 -SessionOption $sessionOption -ErrorAction SilentlyContinue -ErrorVariable remoteErrors @remote)

    foreach ($answer in $answers) {
        $key = ([string]$answer.PSComputerName).ToLowerInvariant()
        if (-not $inventory.Contains($key)) { continue }
        $entry = $inventory[$key]
        $entry.currentBuild = [int]$answer.CurrentBuild
        $entry.ubr = [int]$answer.UBR
        $entry.supportedEncryptionTypes = $answer.SupportedEncryptionTypes
        $entry.reachable = $true
    }

    # A failure names its DC in OriginInfo (an error inside the script block, on a reached DC) or TargetObject (a
    # connection failure). Only a transport failure means the DC was not reached.
    foreach ($failure in @($remoteErrors)) {
        if ($null -eq $failure) { continue }
        $key = ([string]$failure.TargetObject).ToLowerInvariant()
        $origin = $failure.PSObject.Properties['OriginInfo']
        if ($null -ne $origin -and $null -ne $origin.Value) { $key = ([string]$origin.Value.PSComputerName).ToLowerInvariant() }
        if (-not $inventory.Contains($key)) { continue }
        $entry = $inventory[$key]
        $entry.reachable = -not ($failure.Exception -is [System.Management.Automation.Remoting.PSRemotingTransportException])
        $entry.error = [string]$failure.Exception.Message
    }

    foreach ($entry in $inventory.Values) {
        if (-not $entry.reachable -and $null -eq $entry.error) { $entry.error = 'the domain controller did not answer' }
    }
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
        controllers = [object[]]@($inventory.Values)
    }
}
