<#
.SYNOPSIS
    Read-only check of the management host: can it run the rollout's steps?
.DESCRIPTION
    Reads, on this host and for this PowerShell process: the PowerShell edition and version; the installed
    versions of AzureADHybridAuthenticationManagement (Get-Module -ListAvailable) and the repository the highest
    one came from (Get-InstalledModule); the NuGet package provider (Get-PackageProvider -ListAvailable); whether
    the PSGallery repository is registered and trusted (Get-PSRepository); whether the process offers TLS 1.2
    ([Net.ServicePointManager]::SecurityProtocol); whether the session is elevated; the RSAT modules
    (ActiveDirectory, GroupPolicy) and the Microsoft.Graph modules the Intune steps autoload, with their versions.
    Changes nothing. What the rollout's later steps would trip over is listed in findings.
    The TLS setting is the one of this process: the bridge reuses its PowerShell processes, so a process in
    which the ensure step already forced TLS 1.2 reports it enabled. SystemDefault (0) leaves the choice to the
    OS, which negotiates TLS 1.2 on every supported Windows.
    WinRM is not checked here: this step has no target computers, and a local check (service, listener) says
    nothing about reaching a DC. The domain inventory step connects to every DC and reports each one it cannot reach.
#>
[CmdletBinding()]
param(
    [ValidatePattern('^\d+(\.\d+){1,3}$')]
    [string]$MinimumVersion = '2.1.1.0'
)
Set-StrictMode -Version 2.0
$ErrorActionPreference = 'Stop'
$ProgressPreference = 'SilentlyContinue'

$moduleName = 'AzureADHybridAuthenticationManagement'
$hostName = [string]$env:COMPUTERNAME
$findings = New-Object -TypeName System.Collections.Generic.List[object]

function Add-Finding {
    param([Parameter(Mandatory = $true)][string]$Severity, [Parameter(Mandatory = $true)][string]$Code, [Parameter(Mandatory = $true)][string]$Message)
    $findings.Add([ordered]@{ severity = $Severity; code = $Code; message = $Message; target = $hostName })
}

function Get-ModuleVersions {
    param([Parameter(Mandatory = $true)][string]$Name)
    $found = @(Get-Module -ListAvailable -Name $Name | Sort-Object -Property 'Version' -Descending)
    return , [object[]]@($found | ForEach-Object -Process { $_.Version.ToString() } | Select-Object -Unique)
}

$versions = Get-ModuleVersions -Name $moduleName
$highest = $null
if ($versions.Count -gt 0) { $highest = [string]$versions[0] }

# Get-InstalledModule only knows modules installed with Install-Module; a copied module has no repository.
# It is secondary information: where PowerShellGet cannot answer without its NuGet bootstrap (which would
# prompt in this non-interactive session), the repository is reported unknown instead of failing the check.
$repository = $null
try {
    $installed = @(Get-InstalledModule -Name $moduleName -AllVersions -ErrorAction 'SilentlyContinue' | Sort-Object -Property 'Version' -Descending)
    if ($installed.Count -gt 0) { $repository = [string]$installed[0].Repository }
}
catch {
    Write-Warning -Message ('Get-InstalledModule could not tell where {0} came from: {1}' -f $moduleName, $_.Exception.Message)
}

$nuget = @(Get-PackageProvider -ListAvailable | Where-Object -FilterScript { $_.Name -eq 'NuGet' } | Sort-Object -Property 'Version' -Descending)
$nugetVersion = $null
if ($nuget.Count -gt 0) { $nugetVersion = [string]$nuget[0].Version }

# Without the NuGet provider, the in-box PowerShellGet asks to bootstrap it, which fails in this non-interactive
# session; the registration is then unknown and host.ensure-module installs NuGet before it looks again.
$galleryRegistered = $null
$galleryTrusted = $null
try {
    $gallery = @(Get-PSRepository -ErrorAction 'Stop' | Where-Object -FilterScript { $_.Name -eq 'PSGallery' })
    $galleryRegistered = ($gallery.Count -gt 0)
    $galleryTrusted = ($gallery.Count -gt 0 -and [string]$gallery[0].InstallationPolicy -eq 'Trusted')
}
catch {
    if (($null -ne $nugetVersion -and [version]$nugetVersion -ge [version]'2.8.5.201') -or $_.Exception.Message -notmatch 'NuGet provider|NonInteractive|user interaction') { throw }
    Add-Finding -Severity 'info' -Code 'nuget-provider-missing' -Message ('NuGet provider missing on {0}: Get-PSRepository cannot answer without it ({1}); host.ensure-module installs it first' -f $hostName, $_.Exception.Message)
}

$protocols = [Net.ServicePointManager]::SecurityProtocol
$tls12 = [Net.SecurityProtocolType]::Tls12
$systemDefault = ([int]$protocols -eq 0)
$identity = [Security.Principal.WindowsIdentity]::GetCurrent()
$principal = New-Object -TypeName Security.Principal.WindowsPrincipal -ArgumentList $identity

$meetsMinimum = $false
if ($null -ne $highest) { $meetsMinimum = ([version]$highest -ge [version]$MinimumVersion) }

# The modules other steps import (RSAT) or autoload (the Graph SDK sub-modules of the Intune scripts).
$prerequisiteNames = [ordered]@{
    'ActiveDirectory'                             = 'the preflight, Kerberos replication and GPO filtering steps'
    'GroupPolicy'                                 = 'the GPO policy channel'
    'Microsoft.Graph.Authentication'              = 'the Intune steps (Connect-MgGraph, Invoke-MgGraphRequest)'
    'Microsoft.Graph.Identity.DirectoryManagement' = 'the Intune steps (Get-MgOrganization)'
    'Microsoft.Graph.DeviceManagement'            = 'the Intune steps (device configurations)'
    'Microsoft.Graph.Groups'                      = 'the Intune steps (Get-MgGroup, New-MgGroup)'
}
$prerequisites = New-Object -TypeName System.Collections.Generic.List[object]
$graphHighest = [ordered]@{}
foreach ($name in $prerequisiteNames.Keys) {
    $found = Get-ModuleVersions -Name $name
    $prerequisites.Add([ordered]@{ name = $name; installed = ($found.Count -gt 0); versions = $found; usedBy = $prerequisiteNames[$name] })
    if ($found.Count -eq 0) {
        Add-Finding -Severity 'warning' -Code 'host-module-missing' -Message ('{0} is not installed on {1} (Get-Module -ListAvailable): {2} will fail with CommandNotFoundException' -f $name, $hostName, $prerequisiteNames[$name])
    }
    elseif ($name -like 'Microsoft.Graph.*') {
        $graphHighest[$name] = [string]$found[0]
    }
}
# Each Graph sub-module loads the Microsoft.Graph.Authentication assembly of its own version (Azure/CloudShell#548).
$graphVersions = @($graphHighest.Values | Select-Object -Unique)
if ($graphVersions.Count -gt 1) {
    $listed = @($graphHighest.Keys | ForEach-Object -Process { '{0} {1}' -f $_, $graphHighest[$_] }) -join ', '
    Add-Finding -Severity 'warning' -Code 'graph-module-version-mismatch' -Message ('Microsoft.Graph modules of different versions on {0} ({1}): loading them into one session fails with "Assembly with same name is already loaded"; install one version of all of them' -f $hostName, $listed)
}

@{
    Changed = $false
    Result  = [ordered]@{
        hostName      = $hostName
        powerShell    = [ordered]@{
            edition = [string]$PSVersionTable.PSEdition
            version = $PSVersionTable.PSVersion.ToString()
        }
        elevated      = [bool]$principal.IsInRole([Security.Principal.WindowsBuiltInRole]::Administrator)
        module        = [ordered]@{
            name           = $moduleName
            installed      = ($null -ne $highest)
            version        = $highest
            versions       = $versions
            repository     = $repository
            minimumVersion = $MinimumVersion
            meetsMinimum   = $meetsMinimum
        }
        nugetProvider = [ordered]@{
            installed = ($null -ne $nugetVersion)
            version   = $nugetVersion
        }
        psGallery     = [ordered]@{
            registered = $galleryRegistered
            trusted    = $galleryTrusted
        }
        tls           = [ordered]@{
            securityProtocol = $protocols.ToString()
            tls12Enabled     = ($systemDefault -or (($protocols -band $tls12) -eq $tls12))
        }
        prerequisites = [object[]]$prerequisites.ToArray()
        winrm         = [ordered]@{
            checked = $false
            reason  = 'this step has no target computers; the domain inventory connects to every DC and reports the ones it cannot reach'
        }
        findings      = [object[]]$findings.ToArray()
    }
}
