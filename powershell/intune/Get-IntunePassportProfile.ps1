<#
.SYNOPSIS
    Read-only: the Intune device configurations that carry Windows Hello for Business (PassportForWork) settings.
.DESCRIPTION
    Signs in to Microsoft Graph app-only with a certificate, lists every device configuration
    (Get-MgDeviceManagementDeviceConfiguration -All) and keeps those whose omaSettings touch an OMA-URI under
    ./Device/ or ./User/Vendor/MSFT/PassportForWork/. For each it reports the PassportForWork settings, whether
    it enables UseCloudTrustForOnPremAuth, whether it enables UseCertificateForOnPremAuth (a conflict:
    certificate trust takes precedence over cloud Kerberos trust) and its assignments
    (Get-MgDeviceManagementDeviceConfigurationAssignment), so the caller can detect devices that would receive
    WHfB settings from both Group Policy and Intune (GPO wins; the CSP settings are ignored).
    A tenant without an Intune licence answers "Request not applicable to target tenant": reported as
    intuneUsable = false with no profiles. Settings-catalog policies (beta configurationPolicies) are not read.
    Changes nothing. Needs DeviceManagementConfiguration.Read.All.
.NOTES
    Helper module: Cloudtrust.Graph (Connect-GraphAppOnly, Disconnect-GraphAppOnly, Test-IntuneUnlicensed,
    Get-TargetKind).
#>
[CmdletBinding()]
param(
    [Parameter(Mandatory = $true)]
    [ValidatePattern('^([0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}|(?=.{1,253}$)([A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?\.)+[A-Za-z]{2,63})$')]
    [string]$TenantId,
    [Parameter(Mandatory = $true)]
    [ValidatePattern('^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$')]
    [string]$ClientId,
    [Parameter(Mandatory = $true)]
    [ValidatePattern('^[0-9A-Fa-f]{40}$')]
    [string]$CertificateThumbprint
)
Set-StrictMode -Version 2.0
$ErrorActionPreference = 'Stop'
$ProgressPreference = 'SilentlyContinue'

$passportPattern = '^\./(Device|User)/Vendor/MSFT/PassportForWork/'

function Get-OmaValueType {
    param([AllowEmptyString()][string]$ODataType)
    switch ($ODataType) {
        '#microsoft.graph.omaSettingBoolean' { return 'boolean' }
        '#microsoft.graph.omaSettingInteger' { return 'integer' }
        '#microsoft.graph.omaSettingString' { return 'string' }
        default { return 'other' }
    }
}

function Get-OmaSettingList {
    # The derived type's omaSettings arrive in AdditionalProperties of the deviceConfiguration object.
    param([Parameter(Mandatory = $true)][object]$Configuration)
    $extra = $Configuration.AdditionalProperties
    if ($null -eq $extra -or -not $extra.ContainsKey('omaSettings')) { return }
    foreach ($setting in @($extra['omaSettings'])) {
        $valueType = Get-OmaValueType -ODataType ([string]$setting['@odata.type'])
        $value = $null
        if ($setting.ContainsKey('value')) { $value = $setting['value'] }
        if ($valueType -eq 'boolean') { $value = [bool]$value }
        elseif ($valueType -eq 'integer') { $value = [long]$value }
        elseif ($null -ne $value) { $value = [string]$value }
        [ordered]@{
            displayName = [string]$setting['displayName']
            omaUri      = [string]$setting['omaUri']
            valueType   = $valueType
            value       = $value
        }
    }
}

function Test-EnabledValue {
    # UseCertificateForOnPremAuth is a boolean node, but admins sometimes type it as integer or string.
    param([Parameter(Mandatory = $true)][System.Collections.IDictionary]$Setting)
    $text = ([string]$Setting.value).ToLowerInvariant()
    return ($text -eq 'true' -or $text -eq '1')
}

function ConvertTo-TargetSummary {
    param([Parameter(Mandatory = $true)][object]$Target)
    $extra = $Target.AdditionalProperties
    $odataType = ''
    $groupId = $null
    if ($null -ne $extra -and $extra.ContainsKey('@odata.type')) { $odataType = [string]$extra['@odata.type'] }
    if ($null -ne $extra -and $extra.ContainsKey('groupId')) { $groupId = [string]$extra['groupId'] }
    return [ordered]@{ targetType = (Get-TargetKind -ODataType $odataType); groupId = $groupId }
}

Connect-GraphAppOnly -TenantId $TenantId -ClientId $ClientId -CertificateThumbprint $CertificateThumbprint
try {
    $intuneUsable = $true
    $configurations = @()
    try {
        $configurations = @(Get-MgDeviceManagementDeviceConfiguration -All)
    }
    catch {
        if (-not (Test-IntuneUnlicensed -Record $_)) { throw }
        $intuneUsable = $false
        Write-Warning -Message ('Intune is not usable in this tenant (no active Intune licence): {0}' -f $_.Exception.Message)
    }

    $profiles = New-Object -TypeName System.Collections.Generic.List[object]
    $conflicts = New-Object -TypeName System.Collections.Generic.List[object]
    $groupIds = New-Object -TypeName System.Collections.Generic.List[string]
    $assignedToAll = $false
    foreach ($configuration in $configurations) {
        $settings = @(Get-OmaSettingList -Configuration $configuration | Where-Object -FilterScript { $_.omaUri -match $passportPattern })
        if ($settings.Count -eq 0) { continue }

        $odataType = ''
        if ($null -ne $configuration.AdditionalProperties -and $configuration.AdditionalProperties.ContainsKey('@odata.type')) {
            $odataType = [string]$configuration.AdditionalProperties['@odata.type']
        }
        $cloudTrust = @($settings | Where-Object -FilterScript { $_.omaUri -match '/Policies/UseCloudTrustForOnPremAuth$' -and (Test-EnabledValue -Setting $_) })
        $certificateTrust = @($settings | Where-Object -FilterScript { $_.omaUri -match '/Policies/UseCertificateForOnPremAuth$' -and (Test-EnabledValue -Setting $_) })
        foreach ($setting in $certificateTrust) {
            $conflicts.Add([ordered]@{
                    profileId   = [string]$configuration.Id
                    displayName = [string]$configuration.DisplayName
                    omaUri      = $setting.omaUri
                    reason      = 'UseCertificateForOnPremAuth is enabled: certificate trust takes precedence over cloud Kerberos trust'
                })
        }

        $assignments = @(Get-MgDeviceManagementDeviceConfigurationAssignment -DeviceConfigurationId $configuration.Id -All | ForEach-Object -Process { ConvertTo-TargetSummary -Target $_.Target })
        foreach ($assignment in $assignments) {
            if ($assignment.targetType -eq 'group' -and -not $groupIds.Contains($assignment.groupId)) { $groupIds.Add($assignment.groupId) }
            if ($assignment.targetType -eq 'allDevices' -or $assignment.targetType -eq 'allLicensedUsers') { $assignedToAll = $true }
        }

        $profiles.Add([ordered]@{
                id                      = [string]$configuration.Id
                displayName             = [string]$configuration.DisplayName
                odataType               = $odataType
                settings                = [object[]]$settings
                usesCloudTrust          = ($cloudTrust.Count -gt 0)
                certificateTrustEnabled = ($certificateTrust.Count -gt 0)
                assignments             = [object[]]$assignments
            })
    }

    @{
        Changed = $false
        Result  = [ordered]@{
            intuneUsable     = $intuneUsable
            profiles         = [object[]]$profiles.ToArray()
            conflicts        = [object[]]$conflicts.ToArray()
            assignedGroupIds = [object[]]$groupIds.ToArray()
            assignedToAll    = $assignedToAll
        }
    }
}
finally {
    Disconnect-GraphAppOnly
}
