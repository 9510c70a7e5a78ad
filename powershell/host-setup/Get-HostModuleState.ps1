<#
.SYNOPSIS
    Read-only check of the management host: can it run AzureADHybridAuthenticationManagement?
.DESCRIPTION
    Reads, on this host and for this PowerShell process: the PowerShell edition and version; the installed
    versions of AzureADHybridAuthenticationManagement (Get-Module -ListAvailable) and the repository the highest
    one came from (Get-InstalledModule); the NuGet package provider (Get-PackageProvider -ListAvailable); whether
    the PSGallery repository is registered and trusted (Get-PSRepository); whether TLS 1.2 is enabled in
    [Net.ServicePointManager]::SecurityProtocol; whether the session is elevated. Changes nothing.
    The TLS setting is the one of this process: the bridge reuses its PowerShell processes, so a process in
    which the ensure step already forced TLS 1.2 reports it enabled.
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

$available = @(Get-Module -ListAvailable -Name $moduleName | Sort-Object -Property 'Version' -Descending)
$versions = @($available | ForEach-Object -Process { $_.Version.ToString() } | Select-Object -Unique)
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

$gallery = @(Get-PSRepository | Where-Object -FilterScript { $_.Name -eq 'PSGallery' })
$galleryTrusted = $false
if ($gallery.Count -gt 0) { $galleryTrusted = ([string]$gallery[0].InstallationPolicy -eq 'Trusted') }

$protocols = [Net.ServicePointManager]::SecurityProtocol
$tls12 = [Net.SecurityProtocolType]::Tls12
$identity = [Security.Principal.WindowsIdentity]::GetCurrent()
$principal = New-Object -TypeName Security.Principal.WindowsPrincipal -ArgumentList $identity

$meetsMinimum = $false
if ($null -ne $highest) { $meetsMinimum = ([version]$highest -ge [version]$MinimumVersion) }

@{
    Changed = $false
    Result  = [ordered]@{
        hostName      = [string]$env:COMPUTERNAME
        powerShell    = [ordered]@{
            edition = [string]$PSVersionTable.PSEdition
            version = $PSVersionTable.PSVersion.ToString()
        }
        elevated      = [bool]$principal.IsInRole([Security.Principal.WindowsBuiltInRole]::Administrator)
        module        = [ordered]@{
            name           = $moduleName
            installed      = ($null -ne $highest)
            version        = $highest
            versions       = [object[]]$versions
            repository     = $repository
            minimumVersion = $MinimumVersion
            meetsMinimum   = $meetsMinimum
        }
        nugetProvider = [ordered]@{
            installed = ($null -ne $nugetVersion)
            version   = $nugetVersion
        }
        psGallery     = [ordered]@{
            registered = ($gallery.Count -gt 0)
            trusted    = $galleryTrusted
        }
        tls           = [ordered]@{
            securityProtocol = $protocols.ToString()
            tls12Enabled     = (($protocols -band $tls12) -eq $tls12)
        }
    }
}
