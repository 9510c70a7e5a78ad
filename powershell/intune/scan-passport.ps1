<#
.SYNOPSIS
    Read-only: the Intune device configurations that carry Windows Hello for Business (PassportForWork) settings.
.DESCRIPTION
    Signs in to Microsoft Graph app-only with a certificate, lists every device configuration
    (Get-MgDeviceManagementDeviceConfiguration -All) and keeps the custom profiles whose omaSettings touch an
    OMA-URI under ./Device/ or ./User/Vendor/MSFT/PassportForWork/, and every identity-protection template profile
    (#microsoft.graph.windowsIdentityProtectionConfiguration, the Windows Hello for Business template). For each it
    reports the PassportForWork settings, whether it enables UseCloudTrustForOnPremAuth, what it sets
    UsePassportForWork to, whether it enables certificate trust (UseCertificateForOnPremAuth, or the template's
    useCertificatesForOnPremisesAuthEnabled: a conflict, certificate trust takes precedence over cloud Kerberos
    trust), whether it turns WHfB off (UsePassportForWork false, or the template's windowsHelloForBusinessBlocked:
    a conflict, devices that get it never provision) and its assignments
    (Get-MgDeviceManagementDeviceConfigurationAssignment), so the caller can detect devices that would receive
    WHfB settings from both Group Policy and Intune (GPO wins; the CSP settings are ignored).
    It also reads the settings-catalog policies (beta deviceManagement/configurationPolicies, with Invoke-MgGraphRequest:
    plain catalog policies and Endpoint Security account-protection policies live in the same collection, told apart
    by templateReference.templateFamily), keeping those with a PassportForWork setting in device scope
    (device_vendor_msft_passportforwork_{tenantid}_policies_...) or user scope (user_vendor_msft_...), with their
    values and assignments; their certificate-trust and WHfB-off settings are conflicts too. Finally the state of
    the tenant-wide WHfB enrollment configuration (enabled, disabled, notConfigured; unknown when the app may not
    read it).
    A tenant without an Intune licence answers "Request not applicable to target tenant": reported as
    intuneUsable = false with no profiles.
    Changes nothing. Needs DeviceManagementConfiguration.Read.All (and DeviceManagementServiceConfig.Read.All for
    the enrollment configuration).
.NOTES
    Helper module: Cloudtrust.Graph (Connect-GraphAppOnly, Disconnect-GraphAppOnly, Test-IntuneUnlicensed,
    Get-TargetKind, Get-HelloEnrollmentState).
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
    [string]$CertificateThumbprint,
    # The national cloud of the tenant (Connect-MgGraph -Environment); Graph URIs are relative, so they follow it.
    [ValidateSet('Global', 'USGov', 'USGovDoD', 'China')]
    [string]$Environment = 'Global'
)
Set-StrictMode -Version 2.0
$ErrorActionPreference = 'Stop'
$ProgressPreference = 'SilentlyContinue'

$passportPattern = '^\./(Device|User)/Vendor/MSFT/PassportForWork/'
$identityProtectionType = '#microsoft.graph.windowsIdentityProtectionConfiguration'
$catalogPattern = '^(device|user)_vendor_msft_passportforwork_\{tenantid\}_policies_[a-z]+$'
$catalogRoot = 'beta/deviceManagement/configurationPolicies'

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

function Get-TemplateFlag {
    # A Boolean member of the identity-protection template, kept in AdditionalProperties of the deviceConfiguration.
    param([Parameter(Mandatory = $true)][object]$Configuration, [Parameter(Mandatory = $true)][string]$Name)
    $extra = $Configuration.AdditionalProperties
    if ($null -eq $extra -or -not $extra.ContainsKey($Name) -or $null -eq $extra[$Name]) { return $false }
    return [bool]$extra[$Name]
}

function New-Conflict {
    param([object]$Configuration, [string]$Setting, [string]$Kind, [string]$Reason)
    return [ordered]@{
        profileId   = [string]$Configuration.Id
        displayName = [string]$Configuration.DisplayName
        omaUri      = $Setting
        kind        = $Kind
        reason      = $Reason
    }
}

function Get-CatalogPassportSetting {
    # Every PassportForWork policy instance under a settings-catalog setting instance (group collections nest them):
    # its definition id and the chosen option (a choice's itemId, or a simple setting's value).
    param([Parameter(Mandatory = $true)][AllowNull()][object]$Instance, [int]$Depth = 0)
    if ($null -eq $Instance -or $Instance -isnot [System.Collections.IDictionary] -or $Depth -gt 8) { return }
    $definitionId = [string]$Instance['settingDefinitionId']
    $children = New-Object -TypeName System.Collections.Generic.List[object]
    $value = $null
    if ($Instance.Contains('choiceSettingValue') -and $Instance['choiceSettingValue'] -is [System.Collections.IDictionary]) {
        $value = [string]$Instance['choiceSettingValue']['value']
        foreach ($child in @($Instance['choiceSettingValue']['children'])) { $children.Add($child) }
    }
    elseif ($Instance.Contains('simpleSettingValue') -and $Instance['simpleSettingValue'] -is [System.Collections.IDictionary]) {
        $value = [string]$Instance['simpleSettingValue']['value']
    }
    if ($Instance.Contains('groupSettingCollectionValue')) {
        foreach ($group in @($Instance['groupSettingCollectionValue'])) {
            if ($group -is [System.Collections.IDictionary]) { foreach ($child in @($group['children'])) { $children.Add($child) } }
        }
    }
    if ($definitionId -match $catalogPattern) {
        [ordered]@{ settingDefinitionId = $definitionId; value = $value }
    }
    foreach ($child in $children) { Get-CatalogPassportSetting -Instance $child -Depth ($Depth + 1) }
}

function Get-GraphCollection {
    # Every item of a Graph collection, following @odata.nextLink.
    param([Parameter(Mandatory = $true)][string]$Uri)
    $next = $Uri
    while ($null -ne $next) {
        $page = Invoke-MgGraphRequest -Method GET -Uri $next -OutputType HashTable -ErrorAction Stop
        foreach ($item in @($page['value'])) { $item }
        $next = $null
        if ($page.ContainsKey('@odata.nextLink')) { $next = [string]$page['@odata.nextLink'] }
    }
}

function Test-CatalogEnabled {
    # A choice itemId ends in _true/_1 when the setting is on; a simple setting carries the value itself.
    param([AllowNull()][string]$Value)
    return ([string]$Value -match '(^|_)(true|1)$')
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

Connect-GraphAppOnly -TenantId $TenantId -ClientId $ClientId -CertificateThumbprint $CertificateThumbprint -Environment $Environment
try {
    $intuneUsable = $true
    $configurations = @()
    try {
        $configurations = @(Get-MgDeviceManagementDeviceConfiguration -All -ErrorAction Stop)
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
    $certificateTrustReason = 'certificate trust takes precedence over cloud Kerberos trust'
    $blockedReason = 'Windows Hello for Business is turned off for the devices that get this profile: they never provision'
    foreach ($configuration in $configurations) {
        $odataType = ''
        if ($null -ne $configuration.AdditionalProperties -and $configuration.AdditionalProperties.ContainsKey('@odata.type')) {
            $odataType = [string]$configuration.AdditionalProperties['@odata.type']
        }
        $settings = @(Get-OmaSettingList -Configuration $configuration | Where-Object -FilterScript { $_.omaUri -match $passportPattern })
        $found = New-Object -TypeName System.Collections.Generic.List[object]
        $usePassportForWork = $null
        if ($odataType -eq $identityProtectionType) {
            if (Get-TemplateFlag -Configuration $configuration -Name 'useCertificatesForOnPremisesAuthEnabled') {
                $found.Add((New-Conflict -Configuration $configuration -Setting 'useCertificatesForOnPremisesAuthEnabled' -Kind 'certificateTrust' -Reason ('the identity protection template enables certificates for on-premises authentication: ' + $certificateTrustReason)))
            }
            if (Get-TemplateFlag -Configuration $configuration -Name 'windowsHelloForBusinessBlocked') {
                $usePassportForWork = $false
                $found.Add((New-Conflict -Configuration $configuration -Setting 'windowsHelloForBusinessBlocked' -Kind 'whfbBlocked' -Reason ('the identity protection template blocks Windows Hello for Business: ' + $blockedReason)))
            }
        }
        elseif ($settings.Count -eq 0) { continue }
        $cloudTrust = @($settings | Where-Object -FilterScript { $_.omaUri -match '/Policies/UseCloudTrustForOnPremAuth$' -and (Test-EnabledValue -Setting $_) })
        foreach ($setting in @($settings | Where-Object -FilterScript { $_.omaUri -match '/Policies/UseCertificateForOnPremAuth$' -and (Test-EnabledValue -Setting $_) })) {
            $found.Add((New-Conflict -Configuration $configuration -Setting $setting.omaUri -Kind 'certificateTrust' -Reason ('UseCertificateForOnPremAuth is enabled: ' + $certificateTrustReason)))
        }
        foreach ($setting in @($settings | Where-Object -FilterScript { $_.omaUri -match '/Policies/UsePassportForWork$' })) {
            $usePassportForWork = Test-EnabledValue -Setting $setting
            if (-not $usePassportForWork) {
                $found.Add((New-Conflict -Configuration $configuration -Setting $setting.omaUri -Kind 'whfbBlocked' -Reason ('UsePassportForWork is false: ' + $blockedReason)))
            }
        }
        foreach ($conflict in $found) { $conflicts.Add($conflict) }

        $assignments = @(Get-MgDeviceManagementDeviceConfigurationAssignment -DeviceConfigurationId $configuration.Id -All -ErrorAction Stop | ForEach-Object -Process { ConvertTo-TargetSummary -Target $_.Target })
        foreach ($assignment in $assignments) {
            if ($assignment.targetType -eq 'group' -and -not $groupIds.Contains($assignment.groupId)) { $groupIds.Add($assignment.groupId) }
            if ($assignment.targetType -eq 'allDevices' -or $assignment.targetType -eq 'allLicensedUsers') { $assignedToAll = $true }
        }

        $template = $null
        if ($odataType -eq $identityProtectionType) {
            $template = [ordered]@{
                windowsHelloForBusinessBlocked          = (Get-TemplateFlag -Configuration $configuration -Name 'windowsHelloForBusinessBlocked')
                useCertificatesForOnPremisesAuthEnabled = (Get-TemplateFlag -Configuration $configuration -Name 'useCertificatesForOnPremisesAuthEnabled')
                securityDeviceRequired                  = (Get-TemplateFlag -Configuration $configuration -Name 'securityDeviceRequired')
            }
        }
        $profiles.Add([ordered]@{
                id                      = [string]$configuration.Id
                displayName             = [string]$configuration.DisplayName
                odataType               = $odataType
                settings                = [object[]]$settings
                usesCloudTrust          = ($cloudTrust.Count -gt 0)
                usePassportForWork      = $usePassportForWork
                certificateTrustEnabled = (@($found | Where-Object -FilterScript { $_.kind -eq 'certificateTrust' }).Count -gt 0)
                assignments             = [object[]]$assignments
                template                = $template
            })
    }

    $catalogPolicies = New-Object -TypeName System.Collections.Generic.List[object]
    $enrollmentState = 'unknown'
    if ($intuneUsable) {
        foreach ($listed in @(Get-GraphCollection -Uri ($catalogRoot + '?$select=id,name'))) {
            $policyId = [string]$listed['id']
            $policy = Invoke-MgGraphRequest -Method GET -Uri ('{0}/{1}?$expand=settings' -f $catalogRoot, $policyId) -OutputType HashTable -ErrorAction Stop
            $catalogSettings = @(foreach ($setting in @($policy['settings'])) {
                    if ($setting -is [System.Collections.IDictionary]) { Get-CatalogPassportSetting -Instance $setting['settingInstance'] }
                })
            if ($catalogSettings.Count -eq 0) { continue }
            $family = 'none'
            if ($policy['templateReference'] -is [System.Collections.IDictionary] -and $null -ne $policy['templateReference']['templateFamily']) {
                $family = [string]$policy['templateReference']['templateFamily']
            }
            $policyName = [string]$policy['name']
            foreach ($setting in $catalogSettings) {
                if ($setting.settingDefinitionId -match '_policies_usecertificateforonpremauth$' -and (Test-CatalogEnabled -Value $setting.value)) {
                    $conflicts.Add((New-Conflict -Configuration ([pscustomobject]@{ Id = $policyId; DisplayName = $policyName }) -Setting $setting.settingDefinitionId -Kind 'certificateTrust' -Reason ('UseCertificateForOnPremAuth is enabled: ' + $certificateTrustReason)))
                }
                if ($setting.settingDefinitionId -match '_policies_usepassportforwork$' -and -not (Test-CatalogEnabled -Value $setting.value)) {
                    $conflicts.Add((New-Conflict -Configuration ([pscustomobject]@{ Id = $policyId; DisplayName = $policyName }) -Setting $setting.settingDefinitionId -Kind 'whfbBlocked' -Reason ('UsePassportForWork is false: ' + $blockedReason)))
                }
            }
            $catalogAssignments = @(foreach ($assignment in @(Get-GraphCollection -Uri ('{0}/{1}/assignments' -f $catalogRoot, $policyId))) {
                    $target = $assignment['target']
                    $groupId = $null
                    if ($target.ContainsKey('groupId')) { $groupId = [string]$target['groupId'] }
                    [ordered]@{ targetType = (Get-TargetKind -ODataType ([string]$target['@odata.type'])); groupId = $groupId }
                })
            foreach ($assignment in $catalogAssignments) {
                if ($assignment.targetType -eq 'group' -and -not $groupIds.Contains($assignment.groupId)) { $groupIds.Add($assignment.groupId) }
                if ($assignment.targetType -eq 'allDevices' -or $assignment.targetType -eq 'allLicensedUsers') { $assignedToAll = $true }
            }
            $catalogPolicies.Add([ordered]@{
                    id             = $policyId
                    name           = $policyName
                    templateFamily = $family
                    settings       = [object[]]$catalogSettings
                    assignments    = [object[]]$catalogAssignments
                })
        }
        $enrollmentState = Get-HelloEnrollmentState -WarningAction SilentlyContinue
        if ($enrollmentState -eq 'unknown') {
            Write-Warning -Message 'The app may not read the tenant-wide Windows Hello for Business enrollment configuration (grant DeviceManagementServiceConfig.Read.All): its state is not part of the policy picture'
        }
    }

    @{
        Changed = $false
        Result  = [ordered]@{
            intuneUsable     = $intuneUsable
            profiles         = [object[]]$profiles.ToArray()
            conflicts        = [object[]]$conflicts.ToArray()
            assignedGroupIds = [object[]]$groupIds.ToArray()
            assignedToAll    = $assignedToAll
            catalogPolicies  = [object[]]$catalogPolicies.ToArray()
            enrollmentState  = $enrollmentState
        }
    }
}
finally {
    Disconnect-GraphAppOnly
}
