<#
.SYNOPSIS
    Ensures the Intune custom OMA-URI profile for cloud Kerberos trust exists with exactly the desired settings
    (Get -> Test -> Set).
.DESCRIPTION
    Signs in to Microsoft Graph app-only with a certificate, reads the tenant id (Get-MgOrganization) and builds
    the desired PassportForWork CSP settings under ./Device/Vendor/MSFT/PassportForWork/<tenant GUID without
    braces>/Policies: UsePassportForWork = True (omaSettingBoolean), which enables Windows Hello for Business,
    unless the tenant-wide Windows Hello for Business enrollment configuration (Devices > Windows > Enrollment,
    the deviceEnrollmentWindowsHelloForBusinessConfiguration of priority 0, read with Invoke-MgGraphRequest GET
    v1.0/deviceManagement/deviceEnrollmentConfigurations) has state 'enabled' - Microsoft's cloud-trust guide skips
    its "enable Windows Hello for Business" policy only then, and says that configuration is usually disabled; a
    profile that already carries UsePassportForWork keeps it, set to True. Then UseCloudTrustForOnPremAuth = True
    (omaSettingBoolean), RequireSecurityDevice = True when
    -RequireSecurityDevice is given, and each PINComplexity node (omaSettingInteger) whose parameter is given.
    UseCertificateForOnPremAuth is never part of it. Looks the profile up by display name among the device
    configurations: missing -> creates a #microsoft.graph.windows10CustomConfiguration; present with other
    settings or another description -> replaces its omaSettings with exactly the desired ones; equal -> changes
    nothing. -PlanOnly reports the changes without making them. Assignments are not touched.
    Fails when the name matches two profiles or a profile of another type, and when the tenant has no
    Intune licence (Graph answers "Request not applicable to target tenant").
    The result says what enables WHfB: whfb.enabledBy 'profile' or 'enrollmentConfiguration', and the
    enrollment configuration's state. Needs Organization.Read.All, DeviceManagementConfiguration.ReadWrite.All
    and, for the enrollment configuration, DeviceManagementServiceConfig.Read.All.
.NOTES
    Helper modules: Cloudtrust.Common (New-StepResult), Cloudtrust.Graph (Connect-GraphAppOnly,
    Disconnect-GraphAppOnly, Find-DeviceConfiguration, Stop-IfIntuneUnlicensed, Get-HelloEnrollmentState).
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
    [string]$Environment = 'Global',
    [Parameter(Mandatory = $true)]
    [ValidateLength(1, 200)]
    [ValidatePattern('^[^\x00-\x1F\x7F]*\S[^\x00-\x1F\x7F]*$')]
    [string]$DisplayName,
    [ValidateLength(0, 1000)]
    [string]$Description = '',
    [switch]$RequireSecurityDevice,
    [ValidateRange(4, 127)][int]$PinMinimumLength,
    [ValidateRange(4, 127)][int]$PinMaximumLength,
    [ValidateRange(0, 2)][int]$PinDigits,
    [ValidateRange(0, 2)][int]$PinLowercaseLetters,
    [ValidateRange(0, 2)][int]$PinUppercaseLetters,
    [ValidateRange(0, 2)][int]$PinSpecialCharacters,
    [ValidateRange(0, 50)][int]$PinHistory,
    [ValidateRange(0, 730)][int]$PinExpiration,
    [switch]$PlanOnly
)
Set-StrictMode -Version 2.0
$ErrorActionPreference = 'Stop'
$ProgressPreference = 'SilentlyContinue'

$customConfigurationType = '#microsoft.graph.windows10CustomConfiguration'
$omaTypes = @{ boolean = '#microsoft.graph.omaSettingBoolean'; integer = '#microsoft.graph.omaSettingInteger'; string = '#microsoft.graph.omaSettingString' }
# Parameter -> PINComplexity node of the PassportForWork CSP.
$pinNodes = [ordered]@{
    PinMinimumLength     = 'MinimumPINLength'
    PinMaximumLength     = 'MaximumPINLength'
    PinDigits            = 'Digits'
    PinLowercaseLetters  = 'LowercaseLetters'
    PinUppercaseLetters  = 'UppercaseLetters'
    PinSpecialCharacters = 'SpecialCharacters'
    PinHistory           = 'History'
    PinExpiration        = 'Expiration'
}

if ($PSBoundParameters.ContainsKey('PinMinimumLength') -and $PSBoundParameters.ContainsKey('PinMaximumLength') -and $PinMinimumLength -gt $PinMaximumLength) {
    Write-Error -Message ('PinMinimumLength {0} exceeds PinMaximumLength {1}' -f $PinMinimumLength, $PinMaximumLength) -Category InvalidArgument -ErrorId 'PinLengthRange' -TargetObject $PinMinimumLength -ErrorAction Stop
}

function New-OmaSetting {
    param([string]$Name, [string]$OmaUri, [string]$ValueType, [object]$Value)
    return [ordered]@{ displayName = $Name; omaUri = $OmaUri; valueType = $ValueType; value = $Value }
}

function Get-OmaValueType {
    param([AllowEmptyString()][string]$ODataType)
    foreach ($name in $omaTypes.Keys) {
        if ($omaTypes[$name] -eq $ODataType) { return $name }
    }
    return 'other'
}

function Get-ProfileState {
    param([Parameter(Mandatory = $true)][object]$Configuration)
    $extra = $Configuration.AdditionalProperties
    $odataType = ''
    if ($null -ne $extra -and $extra.ContainsKey('@odata.type')) { $odataType = [string]$extra['@odata.type'] }
    $settings = New-Object -TypeName System.Collections.Generic.List[object]
    if ($null -ne $extra -and $extra.ContainsKey('omaSettings')) {
        foreach ($setting in @($extra['omaSettings'])) {
            $valueType = Get-OmaValueType -ODataType ([string]$setting['@odata.type'])
            $value = $null
            if ($setting.ContainsKey('value')) { $value = $setting['value'] }
            if ($valueType -eq 'boolean') { $value = [bool]$value }
            elseif ($valueType -eq 'integer') { $value = [long]$value }
            elseif ($null -ne $value) { $value = [string]$value }
            $settings.Add((New-OmaSetting -Name ([string]$setting['displayName']) -OmaUri ([string]$setting['omaUri']) -ValueType $valueType -Value $value))
        }
    }
    return [ordered]@{
        id          = [string]$Configuration.Id
        displayName = [string]$Configuration.DisplayName
        description = [string]$Configuration.Description
        odataType   = $odataType
        omaSettings = [object[]]$settings.ToArray()
    }
}

function Get-SettingValueText {
    param([Parameter(Mandatory = $true)][System.Collections.IDictionary]$Setting)
    if ($Setting.valueType -eq 'boolean') { return ([string]$Setting.value).ToLowerInvariant() }
    return [string]$Setting.value
}

function Get-SettingKey {
    param([Parameter(Mandatory = $true)][System.Collections.IDictionary]$Setting)
    return ('{0}|{1}|{2}' -f $Setting.omaUri, $Setting.valueType, (Get-SettingValueText -Setting $Setting))
}

function Find-Profile {
    param([Parameter(Mandatory = $true)][string]$Tenant)
    $found = @(Find-DeviceConfiguration -DisplayName $DisplayName -Tenant $Tenant)
    if ($found.Count -gt 1) {
        $ids = ($found | ForEach-Object -Process { [string]$_.Id }) -join ', '
        Write-Error -Message ("{0} device configurations are named '{1}' (ids {2}): the step cannot tell which one to manage" -f $found.Count, $DisplayName, $ids) -Category InvalidData -ErrorId 'AmbiguousProfileName' -TargetObject $DisplayName -ErrorAction Stop
    }
    if ($found.Count -eq 0) { return }
    $state = Get-ProfileState -Configuration $found[0]
    if ($state.odataType -ne $customConfigurationType) {
        Write-Error -Message ("device configuration '{0}' ({1}) is a {2}, not a custom OMA-URI profile ({3}); choose another name" -f $DisplayName, $state.id, $state.odataType, $customConfigurationType) -Category InvalidData -ErrorId 'ProfileTypeMismatch' -TargetObject $DisplayName -ErrorAction Stop
    }
    return $state
}

function ConvertTo-GraphOmaSetting {
    param([Parameter(Mandatory = $true)][System.Collections.IDictionary]$Setting)
    return @{
        '@odata.type' = $omaTypes[$Setting.valueType]
        displayName   = $Setting.displayName
        omaUri        = $Setting.omaUri
        value         = $Setting.value
    }
}

Connect-GraphAppOnly -TenantId $TenantId -ClientId $ClientId -CertificateThumbprint $CertificateThumbprint -Environment $Environment
try {
    $organization = @(Get-MgOrganization -Property 'id' -ErrorAction Stop)[0]
    # The CSP's {TenantId} is the tenant GUID without braces.
    $tenantGuid = ([guid][string]$organization.Id).ToString('D')
    $policies = './Device/Vendor/MSFT/PassportForWork/{0}/Policies' -f $tenantGuid

    $before = Find-Profile -Tenant $tenantGuid
    $enrollmentState = Get-HelloEnrollmentState
    $usePassportUri = $policies + '/UsePassportForWork'
    $profileHasUsePassport = $null -ne $before -and @($before.omaSettings | Where-Object -FilterScript { $_.omaUri -eq $usePassportUri }).Count -gt 0
    $enabledBy = 'enrollmentConfiguration'
    $desired = New-Object -TypeName System.Collections.Generic.List[object]
    if ($enrollmentState -ne 'enabled' -or $profileHasUsePassport) {
        $enabledBy = 'profile'
        $desired.Add((New-OmaSetting -Name 'UsePassportForWork' -OmaUri $usePassportUri -ValueType 'boolean' -Value $true))
    }
    $desired.Add((New-OmaSetting -Name 'UseCloudTrustForOnPremAuth' -OmaUri ($policies + '/UseCloudTrustForOnPremAuth') -ValueType 'boolean' -Value $true))
    if ($RequireSecurityDevice) {
        $desired.Add((New-OmaSetting -Name 'RequireSecurityDevice' -OmaUri ($policies + '/RequireSecurityDevice') -ValueType 'boolean' -Value $true))
    }
    foreach ($parameter in $pinNodes.Keys) {
        if (-not $PSBoundParameters.ContainsKey($parameter)) { continue }
        $node = 'PINComplexity/' + $pinNodes[$parameter]
        $desired.Add((New-OmaSetting -Name $node -OmaUri ($policies + '/' + $node) -ValueType 'integer' -Value ([long]$PSBoundParameters[$parameter])))
    }

    $changes = New-Object -TypeName System.Collections.Generic.List[string]
    if ($null -eq $before) {
        $changes.Add(("create custom profile '{0}' with {1} OMA-URI setting(s): {2}" -f $DisplayName, $desired.Count, (($desired | ForEach-Object -Process { '{0} = {1}' -f $_.omaUri, (Get-SettingValueText -Setting $_) }) -join '; ')))
    }
    else {
        $currentKeys = @($before.omaSettings | ForEach-Object -Process { Get-SettingKey -Setting $_ })
        $desiredKeys = @($desired | ForEach-Object -Process { Get-SettingKey -Setting $_ })
        $desiredUris = @($desired | ForEach-Object -Process { $_.omaUri })
        foreach ($setting in $desired) {
            if ($currentKeys -ccontains (Get-SettingKey -Setting $setting)) { continue }
            $changes.Add(("set {0} = {1} ({2})" -f $setting.omaUri, (Get-SettingValueText -Setting $setting), $setting.valueType))
        }
        foreach ($setting in $before.omaSettings) {
            if ($desiredKeys -ccontains (Get-SettingKey -Setting $setting)) { continue }
            if ($desiredUris -ccontains $setting.omaUri) { continue }
            $changes.Add(("remove {0} (was {1})" -f $setting.omaUri, (Get-SettingValueText -Setting $setting)))
        }
        if ($currentKeys.Count -ne $desiredKeys.Count -and $changes.Count -eq 0) {
            $changes.Add('remove duplicate OMA-URI settings')
        }
        if ($before.description -cne $Description) {
            $changes.Add(("set the description of '{0}'" -f $DisplayName))
        }
    }

    $after = $before
    if ($changes.Count -gt 0 -and -not $PlanOnly) {
        $body = @{
            '@odata.type' = $customConfigurationType
            description   = $Description
            omaSettings   = [object[]]@($desired | ForEach-Object -Process { ConvertTo-GraphOmaSetting -Setting $_ })
        }
        try {
            if ($null -eq $before) {
                $body['displayName'] = $DisplayName
                $created = New-MgDeviceManagementDeviceConfiguration -BodyParameter $body -ErrorAction Stop
                $profileId = [string]$created.Id
            }
            else {
                # PATCH replaces the whole omaSettings collection: what is not desired is gone afterwards.
                $profileId = $before.id
                Update-MgDeviceManagementDeviceConfiguration -DeviceConfigurationId $profileId -BodyParameter $body -ErrorAction Stop | Out-Null
            }
            $after = Get-ProfileState -Configuration (Get-MgDeviceManagementDeviceConfiguration -DeviceConfigurationId $profileId -ErrorAction Stop)
        }
        catch {
            Stop-IfIntuneUnlicensed -Record $_ -Tenant $tenantGuid
            throw
        }
    }

    $step = New-StepResult -Changes $changes -PlanOnly:$PlanOnly -Before $before -After $after
    $step.Result['whfb'] = [ordered]@{ enabledBy = $enabledBy; enrollmentState = $enrollmentState }
    $step
}
finally {
    Disconnect-GraphAppOnly
}
