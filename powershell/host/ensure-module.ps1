<#
.SYNOPSIS
    Ensures AzureADHybridAuthenticationManagement is installed on the management host (Get -> Test -> Set).
.DESCRIPTION
    Microsoft's bootstrap, each part only when it is needed:
      1. TLS 1.2 is forced for this process. Windows PowerShell 5.1 on Server 2016 offers older TLS by default
         and the NuGet/PSGallery endpoints require TLS 1.2; without it Install-PackageProvider fails with
         "No match was found for the specified search criteria for the provider 'NuGet'". This touches only
         the running process and is always done, so it is not listed as a change.
      2. The NuGet package provider (>= 2.8.5.201): Install-PackageProvider -Name NuGet -Force.
      3. The PSGallery repository: Register-PSRepository -Default when Get-PSRepository lacks it.
      4. PSGallery trusted (Set-PSRepository -InstallationPolicy Trusted), so Install-Module does not prompt.
      5. The module for all users: Install-Module -AllowClobber -Scope AllUsers -MinimumVersion. -AllowClobber
         because versions before 2.3.331.0 pull AzureADPreview, which clashes with the AzureAD module. An older
         installed version is kept and the new one installed side by side (-Force).
    Changes this host only; needs an elevated session. -PlanOnly lists the changes without making them.
    A PowerShell Gallery that cannot be reached ends in a ResourceUnavailable error naming the failed command.
    A NuGet bootstrap that fails on the retired provider feed (onegetcdn.azureedge.net) ends in the
    NuGetProviderFeedRetired error with the offline remedy: no retry can fix it.
    Without the NuGet provider the in-box PowerShellGet cannot say whether PSGallery is registered; the
    provider is then installed first and the registration read afterwards.
#>
[CmdletBinding()]
param(
    [ValidatePattern('^\d+(\.\d+){1,3}$')]
    [string]$MinimumVersion = '2.1.1.0',
    [switch]$PlanOnly
)
Set-StrictMode -Version 2.0
$ErrorActionPreference = 'Stop'
$ProgressPreference = 'SilentlyContinue'

$moduleName = 'AzureADHybridAuthenticationManagement'
$nugetMinimumVersion = '2.8.5.201'
$hostName = [string]$env:COMPUTERNAME

# psGalleryRegistered/psGalleryTrusted are $null when Get-PSRepository cannot answer before the NuGet bootstrap.
function Get-HostModuleState {
    $moduleVersions = @(Get-Module -ListAvailable -Name $moduleName | Sort-Object -Property 'Version' -Descending)
    $nuget = @(Get-PackageProvider -ListAvailable | Where-Object -FilterScript { $_.Name -eq 'NuGet' } | Sort-Object -Property 'Version' -Descending)
    $state = [ordered]@{
        moduleVersion        = $null
        nugetProviderVersion = $null
        psGalleryRegistered  = $null
        psGalleryTrusted     = $null
    }
    if ($moduleVersions.Count -gt 0) { $state.moduleVersion = $moduleVersions[0].Version.ToString() }
    if ($nuget.Count -gt 0) { $state.nugetProviderVersion = [string]$nuget[0].Version }
    try {
        $gallery = @(Get-PSRepository -ErrorAction 'Stop' | Where-Object -FilterScript { $_.Name -eq 'PSGallery' })
        $state.psGalleryRegistered = ($gallery.Count -gt 0)
        $state.psGalleryTrusted = ($gallery.Count -gt 0 -and [string]$gallery[0].InstallationPolicy -eq 'Trusted')
    }
    catch {
        if (-not (Test-VersionBelow -Version $state.nugetProviderVersion -Minimum $nugetMinimumVersion) -or $_.Exception.Message -notmatch 'NuGet provider|NonInteractive|user interaction') { throw }
        Write-Warning -Message ('Get-PSRepository cannot answer before the NuGet provider is installed: {0}' -f $_.Exception.Message)
    }
    return $state
}

function Get-GalleryChanges {
    param([Parameter(Mandatory = $true)][System.Collections.IDictionary]$State)
    $list = @()
    if ($null -eq $State.psGalleryRegistered) {
        $list += 'read the PSGallery registration once NuGet is installed, then register and trust it as needed'
        return $list
    }
    if (-not $State.psGalleryRegistered) { $list += 'register the default PSGallery repository' }
    if (-not $State.psGalleryTrusted) { $list += 'trust the PSGallery repository (InstallationPolicy Trusted)' }
    return $list
}

function Test-VersionBelow {
    param([AllowNull()][string]$Version, [Parameter(Mandatory = $true)][string]$Minimum)
    if ([string]::IsNullOrEmpty($Version)) { return $true }
    return ([version]$Version -lt [version]$Minimum)
}

function Stop-Step {
    param(
        [Parameter(Mandatory = $true)][string]$Message,
        [Parameter(Mandatory = $true)][System.Management.Automation.ErrorCategory]$Category,
        [Parameter(Mandatory = $true)][string]$ErrorId
    )
    Write-Error -Message $Message -Category $Category -ErrorId $ErrorId -TargetObject $hostName -ErrorAction 'Stop'
}

# Since 2025 the NuGet provider feed on onegetcdn.azureedge.net fails (expired certificate, CDN being retired):
# the swidtag or provider DLL downloads fail and the bootstrap ends in NoMatchFoundForProvider or
# FailedProviderBootstrap. Unlike an outage of the host's Internet access (the provider list at
# go.microsoft.com cannot be downloaded), waiting does not help.
function Stop-IfProviderFeedRetired {
    param(
        [Parameter(Mandatory = $true)][System.Management.Automation.ErrorRecord]$Record,
        [AllowNull()][object[]]$Warnings
    )
    $signs = @(@($Warnings) | Where-Object -FilterScript { $null -ne $_ } | ForEach-Object -Process { [string]$_ })
    $signs += [string]$Record.Exception.Message
    $retired = @($signs | Where-Object -FilterScript { $_ -match 'onegetcdn\.azureedge\.net|cdn\.oneget\.org' })
    if ($retired.Count -gt 0 -or [string]$Record.FullyQualifiedErrorId -like 'FailedProviderBootstrap,*') {
        $detail = $Record.Exception.Message
        if ($retired.Count -gt 0) { $detail = '{0} {1}' -f $retired[0], $Record.Exception.Message }
        $message = ('The NuGet provider cannot be bootstrapped on {0}: its download feed (onegetcdn.azureedge.net) is retired ({1}). ' +
            'No retry fixes this. Ship the provider offline: copy Microsoft.PackageManagement.NuGetProvider.dll from a host that has it into ' +
            'C:\Program Files\PackageManagement\ProviderAssemblies\nuget\2.8.5.208\, or install current PowerShellGet and PackageManagement offline ' +
            '(Save-Module on a connected host, copied into C:\Program Files\WindowsPowerShell\Modules; ' +
            'https://learn.microsoft.com/powershell/gallery/how-to/getting-support/bootstrapping-nuget), then run this step again.') -f $hostName, $detail
        Stop-Step -Message $message -Category 'ResourceUnavailable' -ErrorId 'NuGetProviderFeedRetired'
    }
}

# PackageManagement reports an unreachable source as a warning followed by a "No match was found" error,
# the same error as for a module that does not exist; the warning tells the two apart.
function Stop-IfGalleryUnreachable {
    param(
        [Parameter(Mandatory = $true)][System.Management.Automation.ErrorRecord]$Record,
        [AllowNull()][object[]]$Warnings,
        [Parameter(Mandatory = $true)][string]$Command
    )
    $signs = @(@($Warnings) | Where-Object -FilterScript { $null -ne $_ } | ForEach-Object -Process { [string]$_ })
    $signs += [string]$Record.Exception.Message
    $unreachable = @($signs | Where-Object -FilterScript { $_ -match 'Unable to (download|resolve package source)|unable to connect|remote name could not be resolved|underlying connection was closed' })
    if ($unreachable.Count -gt 0) {
        $message = 'PowerShell Gallery is unreachable from {0} ({1}): {2} {3}' -f $hostName, $Command, $unreachable[0], $Record.Exception.Message
        Stop-Step -Message $message -Category 'ResourceUnavailable' -ErrorId 'GalleryUnreachable'
    }
}

$before = Get-HostModuleState

$changes = New-Object -TypeName System.Collections.Generic.List[string]
$needsProvider = Test-VersionBelow -Version $before.nugetProviderVersion -Minimum $nugetMinimumVersion
$needsModule = Test-VersionBelow -Version $before.moduleVersion -Minimum $MinimumVersion
if ($needsProvider) {
    $changes.Add(('install the NuGet package provider (>= {0})' -f $nugetMinimumVersion))
}
foreach ($change in @(Get-GalleryChanges -State $before)) { $changes.Add($change) }
if ($needsModule -and $null -eq $before.moduleVersion) {
    $changes.Add(('install {0} >= {1} for all users (-AllowClobber)' -f $moduleName, $MinimumVersion))
}
elseif ($needsModule) {
    $changes.Add(('install {0} >= {1} for all users (-AllowClobber), side by side with {2}' -f $moduleName, $MinimumVersion, $before.moduleVersion))
}

# Step 1 of the bootstrap: process-wide, harmless, and what makes the NuGet download possible.
[Net.ServicePointManager]::SecurityProtocol = [Net.ServicePointManager]::SecurityProtocol -bor [Net.SecurityProtocolType]::Tls12

$identity = [Security.Principal.WindowsIdentity]::GetCurrent()
$elevated = (New-Object -TypeName Security.Principal.WindowsPrincipal -ArgumentList $identity).IsInRole([Security.Principal.WindowsBuiltInRole]::Administrator)
$notElevated = 'Access is denied: installing the NuGet provider and modules for all users needs an elevated session (Run as administrator) on {0}.' -f $hostName

$after = $before
if ($changes.Count -gt 0 -and $PlanOnly -and -not $elevated) {
    Write-Warning -Message $notElevated
}
if ($changes.Count -gt 0 -and -not $PlanOnly) {
    if (-not $elevated) {
        Stop-Step -Message $notElevated -Category 'PermissionDenied' -ErrorId 'HostNotElevated'
    }
    if ($needsProvider) {
        $providerWarnings = $null
        try {
            $null = Install-PackageProvider -Name 'NuGet' -MinimumVersion $nugetMinimumVersion -Force -WarningVariable 'providerWarnings' -ErrorAction 'Stop'
        }
        catch {
            Stop-IfProviderFeedRetired -Record $_ -Warnings $providerWarnings
            Stop-IfGalleryUnreachable -Record $_ -Warnings $providerWarnings -Command 'Install-PackageProvider -Name NuGet'
            throw
        }
    }
    $gallery = $before
    if ($null -eq $before.psGalleryRegistered) {
        $gallery = Get-HostModuleState
        if ($null -eq $gallery.psGalleryRegistered) { throw ('Get-PSRepository still cannot answer on {0} after the NuGet provider was installed' -f $hostName) }
        foreach ($change in @(Get-GalleryChanges -State $gallery)) { $changes.Add($change) }
    }
    if (-not $gallery.psGalleryRegistered) {
        Register-PSRepository -Default -ErrorAction 'Stop'
    }
    if (-not $gallery.psGalleryTrusted) {
        Set-PSRepository -Name 'PSGallery' -InstallationPolicy 'Trusted' -ErrorAction 'Stop'
    }
    if ($needsModule) {
        $install = @{ Name = $moduleName; MinimumVersion = $MinimumVersion; Repository = 'PSGallery'; Scope = 'AllUsers'; AllowClobber = $true }
        if ($null -ne $before.moduleVersion) { $install['Force'] = $true }
        $moduleWarnings = $null
        try {
            Install-Module @install -WarningVariable 'moduleWarnings' -ErrorAction 'Stop'
        }
        catch {
            Stop-IfGalleryUnreachable -Record $_ -Warnings $moduleWarnings -Command ('Install-Module -Name {0}' -f $moduleName)
            throw
        }
    }
    $after = Get-HostModuleState
    if (Test-VersionBelow -Version $after.moduleVersion -Minimum $MinimumVersion) {
        throw ('Install-Module completed but {0} >= {1} is still not available on {2} (found: {3})' -f $moduleName, $MinimumVersion, $hostName, $after.moduleVersion)
    }
}

@{
    Changed = ($changes.Count -gt 0)
    Result  = [ordered]@{
        planOnly  = [bool]$PlanOnly
        changes   = [object[]]$changes.ToArray()
        before    = $before
        after     = $after
        tlsForced = $true
    }
}
