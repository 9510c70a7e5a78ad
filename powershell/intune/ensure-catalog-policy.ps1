<#
.SYNOPSIS
    Ensures the Intune settings-catalog policy for cloud Kerberos trust exists with exactly the desired settings
    (Get -> Test -> Set).
.DESCRIPTION
    Signs in to Microsoft Graph app-only with a certificate and looks the policy up by name among the beta
    deviceManagement/configurationPolicies (Invoke-MgGraphRequest; settings read with $expand=settings). The desired
    settings are one group setting collection device_vendor_msft_passportforwork_{tenantid} (the literal
    '{tenantid}' is part of the id; Intune fills in the tenant on the device) whose choice children are
    ..._policies_usepassportforwork = _true, which enables Windows Hello for Business, unless the tenant-wide
    Windows Hello for Business enrollment configuration has state 'enabled' (then only cloud trust needs a policy;
    a policy that already carries UsePassportForWork keeps it), ..._policies_usecloudtrustforonpremauth = _true,
    and ..._policies_requiresecuritydevice = _true when -RequireSecurityDevice is given. Missing -> creates a
    windows10 / mdm policy (POST); present with other settings or another description -> replaces the whole policy
    with PUT (PATCH cannot change settings, a navigation property); equal -> changes nothing. -PlanOnly reports the
    changes without making them. Assignments are not touched. Fails when the name matches two policies, an
    Endpoint security template policy or a policy for another platform. Warns when a custom OMA-URI profile of the
    same name exists (the migrate-intune runbook moves its groups to this policy). The result says what enables
    WHfB: whfb.enabledBy 'profile' or 'enrollmentConfiguration'. Needs DeviceManagementConfiguration.ReadWrite.All
    and, for the enrollment configuration, DeviceManagementServiceConfig.Read.All.
.NOTES
    Helper modules: Cloudtrust.Common (New-StepResult), Cloudtrust.Graph (Connect-GraphAppOnly,
    Disconnect-GraphAppOnly, Find-CatalogPolicy, ConvertTo-CatalogPolicyState, Find-DeviceConfiguration,
    Stop-IfIntuneUnlicensed, Get-HelloEnrollmentState).
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
    [ValidateSet('Global', 'USGov', 'USGovDoD', 'China')]
    [string]$Environment = 'Global',
    [Parameter(Mandatory = $true)]
    [ValidateLength(1, 200)]
    [ValidatePattern('^[^\x00-\x1F\x7F]*\S[^\x00-\x1F\x7F]*$')]
    [string]$Name,
    [ValidateLength(0, 1000)]
    [string]$Description = '',
    [switch]$RequireSecurityDevice,
    [switch]$PlanOnly
)
Set-StrictMode -Version 2.0
$ErrorActionPreference = 'Stop'
$ProgressPreference = 'SilentlyContinue'

$group = 'device_vendor_msft_passportforwork_{tenantid}'
$choiceType = '#microsoft.graph.deviceManagementConfigurationChoiceSettingInstance'

function New-ChoiceChild {
    param([Parameter(Mandatory = $true)][string]$DefinitionId, [Parameter(Mandatory = $true)][string]$Value)
    return @{ '@odata.type' = $choiceType; settingDefinitionId = $DefinitionId; choiceSettingValue = @{ value = $Value; children = [object[]]@() } }
}

function Get-ValueKey {
    param([Parameter(Mandatory = $true)][System.Collections.IDictionary]$Setting)
    return ('{0}={1}' -f $Setting.settingDefinitionId, $Setting.value)
}

Connect-GraphAppOnly -TenantId $TenantId -ClientId $ClientId -CertificateThumbprint $CertificateThumbprint -Environment $Environment
try {
    $found = @(Find-CatalogPolicy -Name $Name -Tenant $TenantId)
    if ($found.Count -gt 1) {
        $ids = ($found | ForEach-Object -Process { [string]$_['id'] }) -join ', '
        Write-Error -Message ("{0} configuration policies are named '{1}' (ids {2}): the step cannot tell which one to manage" -f $found.Count, $Name, $ids) -Category InvalidData -ErrorId 'AmbiguousPolicyName' -TargetObject $Name -ErrorAction Stop
    }
    $before = $null
    if ($found.Count -eq 1) {
        $before = ConvertTo-CatalogPolicyState -Policy $found[0]
        if ($before.templateFamily -ne 'none' -or $before.platforms -ne 'windows10' -or @($before.technologies -split ',') -notcontains 'mdm') {
            Write-Error -Message ("configuration policy '{0}' ({1}) is a {2} policy for {3} / {4}, not a settings-catalog policy for windows10 / mdm; choose another name" -f $Name, $before.id, $before.templateFamily, $before.platforms, $before.technologies) -Category InvalidData -ErrorId 'PolicyTypeMismatch' -TargetObject $Name -ErrorAction Stop
        }
    }
    $custom = @(Find-DeviceConfiguration -DisplayName $Name -Tenant $TenantId)
    if ($custom.Count -gt 0) {
        Write-Warning -Message ("a device configuration profile is also named '{0}': devices in both get the WHfB settings twice; the migrate-intune runbook moves its groups to this policy and removes it" -f $Name)
    }

    $enrollmentState = Get-HelloEnrollmentState
    $usePassport = $group + '_policies_usepassportforwork'
    $hasUsePassport = $null -ne $before -and @($before.settings | Where-Object -FilterScript { $_.settingDefinitionId -eq $usePassport }).Count -gt 0
    $enabledBy = 'enrollmentConfiguration'
    $desired = New-Object -TypeName System.Collections.Generic.List[object]
    if ($enrollmentState -ne 'enabled' -or $hasUsePassport) {
        $enabledBy = 'profile'
        $desired.Add([ordered]@{ settingDefinitionId = $usePassport; value = $usePassport + '_true' })
    }
    $cloudTrust = $group + '_policies_usecloudtrustforonpremauth'
    $desired.Add([ordered]@{ settingDefinitionId = $cloudTrust; value = $cloudTrust + '_true' })
    if ($RequireSecurityDevice) {
        $securityDevice = $group + '_policies_requiresecuritydevice'
        $desired.Add([ordered]@{ settingDefinitionId = $securityDevice; value = $securityDevice + '_true' })
    }

    $changes = New-Object -TypeName System.Collections.Generic.List[string]
    if ($null -eq $before) {
        $changes.Add(("create settings-catalog policy '{0}' (windows10, mdm) with {1}: {2}" -f $Name, $group, (($desired | ForEach-Object -Process { $_.value }) -join ', ')))
    }
    else {
        $currentKeys = @($before.settings | ForEach-Object -Process { Get-ValueKey -Setting $_ })
        $desiredKeys = @($desired | ForEach-Object -Process { Get-ValueKey -Setting $_ })
        $desiredIds = @($desired | ForEach-Object -Process { $_.settingDefinitionId })
        foreach ($setting in $desired) {
            if ($currentKeys -ccontains (Get-ValueKey -Setting $setting)) { continue }
            $changes.Add(('set {0} = {1}' -f $setting.settingDefinitionId, $setting.value))
        }
        foreach ($setting in $before.settings) {
            if ($desiredKeys -ccontains (Get-ValueKey -Setting $setting)) { continue }
            if ($desiredIds -ccontains $setting.settingDefinitionId) { continue }
            $changes.Add(('remove {0} (was {1})' -f $setting.settingDefinitionId, $setting.value))
        }
        if ($currentKeys.Count -ne $desiredKeys.Count -and $changes.Count -eq 0) { $changes.Add('remove duplicate settings') }
        if ($before.description -cne $Description) { $changes.Add(("set the description of '{0}'" -f $Name)) }
    }

    $after = $before
    if ($changes.Count -gt 0 -and -not $PlanOnly) {
        $children = [object[]]@($desired | ForEach-Object -Process { New-ChoiceChild -DefinitionId $_.settingDefinitionId -Value $_.value })
        $body = @{
            name         = $Name
            description  = $Description
            platforms    = 'windows10'
            technologies = 'mdm'
            roleScopeTagIds = [object[]]@('0')
            settings     = [object[]]@(@{
                    '@odata.type'   = '#microsoft.graph.deviceManagementConfigurationSetting'
                    settingInstance = @{
                        '@odata.type'               = '#microsoft.graph.deviceManagementConfigurationGroupSettingCollectionInstance'
                        settingDefinitionId         = $group
                        groupSettingCollectionValue = [object[]]@(@{ children = $children })
                    }
                })
        }
        $json = ConvertTo-Json -InputObject $body -Depth 20 -Compress
        try {
            if ($null -eq $before) {
                $created = Invoke-MgGraphRequest -Method POST -Uri 'beta/deviceManagement/configurationPolicies' -Body $json -ContentType 'application/json' -OutputType HashTable -ErrorAction Stop
                $policyId = [string]$created['id']
            }
            else {
                $policyId = $before.id
                Invoke-MgGraphRequest -Method PUT -Uri ('beta/deviceManagement/configurationPolicies/{0}' -f $policyId) -Body $json -ContentType 'application/json' -ErrorAction Stop | Out-Null
            }
            $after = ConvertTo-CatalogPolicyState -Policy (Invoke-MgGraphRequest -Method GET -Uri ('beta/deviceManagement/configurationPolicies/{0}?$expand=settings' -f $policyId) -OutputType HashTable -ErrorAction Stop)
        }
        catch {
            Stop-IfIntuneUnlicensed -Record $_ -Tenant $TenantId
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
