<#
.SYNOPSIS
    Rolls back the Intune channel: removes a group's assignment from the cloud-trust profile, or deletes the
    profile when explicitly asked (Get -> Test -> Set).
.DESCRIPTION
    Signs in to Microsoft Graph app-only with a certificate and finds the profile by display name
    (Get-MgDeviceManagementDeviceConfiguration). Missing: nothing to do. Without -DeleteProfile: when the group
    is assigned, posts every other assignment, unchanged, to the profile's /assign action
    (Invoke-MgGraphRequest), which REPLACES the set - so only that group's assignment goes away. With
    -DeleteProfile: deletes the profile (Remove-MgDeviceManagementDeviceConfiguration) with all its
    assignments. -PlanOnly reports the change without making it.
    Needs DeviceManagementConfiguration.ReadWrite.All.
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
    [Parameter(Mandatory = $true)]
    [ValidateLength(1, 200)]
    [ValidatePattern('^[^\x00-\x1F\x7F]*\S[^\x00-\x1F\x7F]*$')]
    [string]$ProfileDisplayName,
    [ValidatePattern('^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$')]
    [string]$GroupId,
    [switch]$DeleteProfile,
    [switch]$PlanOnly
)
Set-StrictMode -Version 2.0
$ErrorActionPreference = 'Stop'
$ProgressPreference = 'SilentlyContinue'

if (-not $DeleteProfile -and -not $PSBoundParameters.ContainsKey('GroupId')) {
    Write-Error -Message 'GroupId is required unless -DeleteProfile is given' -Category InvalidArgument -ErrorId 'GroupIdRequired' -ErrorAction Stop
}

function Stop-IfIntuneUnlicensed {
    param([Parameter(Mandatory = $true)][System.Management.Automation.ErrorRecord]$Record)
    if ($Record.Exception.Message -match 'not applicable to target tenant') {
        Write-Error -Message "Intune is not usable in this tenant: Microsoft Graph answered 'Request not applicable to target tenant.' (400 BadRequest). The tenant needs an active Intune licence." -Category NotEnabled -ErrorId 'IntuneNotLicensed' -ErrorAction Stop
    }
}

function Get-TargetKind {
    param([AllowEmptyString()][string]$ODataType)
    switch ($ODataType) {
        '#microsoft.graph.groupAssignmentTarget' { return 'group' }
        '#microsoft.graph.exclusionGroupAssignmentTarget' { return 'exclusionGroup' }
        '#microsoft.graph.allDevicesAssignmentTarget' { return 'allDevices' }
        '#microsoft.graph.allLicensedUsersAssignmentTarget' { return 'allLicensedUsers' }
        default { return 'other' }
    }
}

function ConvertTo-TargetBody {
    # The target exactly as Graph described it (type, group, assignment filter), ready to be posted back.
    param([Parameter(Mandatory = $true)][object]$Target)
    $body = @{}
    if ($null -ne $Target.AdditionalProperties) {
        foreach ($key in $Target.AdditionalProperties.Keys) { $body[[string]$key] = $Target.AdditionalProperties[$key] }
    }
    foreach ($name in @('DeviceAndAppManagementAssignmentFilterId', 'DeviceAndAppManagementAssignmentFilterType')) {
        $property = $Target.PSObject.Properties[$name]
        if ($null -ne $property -and $null -ne $property.Value -and ([string]$property.Value).Length -gt 0) {
            $body[$name.Substring(0, 1).ToLowerInvariant() + $name.Substring(1)] = [string]$property.Value
        }
    }
    return $body
}

function Get-AssignmentTarget {
    param([Parameter(Mandatory = $true)][string]$ProfileId)
    foreach ($assignment in @(Get-MgDeviceManagementDeviceConfigurationAssignment -DeviceConfigurationId $ProfileId -All)) {
        ConvertTo-TargetBody -Target $assignment.Target
    }
}

function Test-IsGroupTarget {
    param([Parameter(Mandatory = $true)][hashtable]$Target)
    return ([string]$Target['@odata.type'] -eq '#microsoft.graph.groupAssignmentTarget' -and $Target.ContainsKey('groupId') -and [string]$Target['groupId'] -eq $GroupId)
}

function ConvertTo-AssignmentState {
    param([Parameter(Mandatory = $true)][object]$Configuration, [Parameter(Mandatory = $true)][AllowEmptyCollection()][object[]]$Targets)
    $summaries = @($Targets | ForEach-Object -Process {
            $groupIdOfTarget = $null
            if ($_.ContainsKey('groupId')) { $groupIdOfTarget = [string]$_['groupId'] }
            [ordered]@{ targetType = (Get-TargetKind -ODataType ([string]$_['@odata.type'])); groupId = $groupIdOfTarget }
        })
    $assigned = @($Targets | Where-Object -FilterScript { Test-IsGroupTarget -Target $_ }).Count -gt 0
    return [ordered]@{
        profileId          = [string]$Configuration.Id
        profileDisplayName = [string]$Configuration.DisplayName
        assignments        = [object[]]$summaries
        groupAssigned      = $assigned
    }
}

Connect-MgGraph -ClientId $ClientId -TenantId $TenantId -CertificateThumbprint $CertificateThumbprint -NoWelcome | Out-Null
try {
    try {
        $found = @(Get-MgDeviceManagementDeviceConfiguration -All | Where-Object -FilterScript { [string]$_.DisplayName -eq $ProfileDisplayName })
    }
    catch {
        Stop-IfIntuneUnlicensed -Record $_
        throw
    }
    if ($found.Count -gt 1) {
        Write-Error -Message ("{0} device configurations are named '{1}': the step cannot tell which one to roll back" -f $found.Count, $ProfileDisplayName) -Category InvalidData -ErrorId 'AmbiguousProfileName' -TargetObject $ProfileDisplayName -ErrorAction Stop
    }

    $before = $null
    $changes = New-Object -TypeName System.Collections.Generic.List[string]
    if ($found.Count -eq 1) {
        $configuration = $found[0]
        $targets = @(Get-AssignmentTarget -ProfileId $configuration.Id)
        $before = ConvertTo-AssignmentState -Configuration $configuration -Targets $targets
        if ($DeleteProfile) {
            $changes.Add(("delete profile '{0}' ({1}) with its {2} assignment(s)" -f $ProfileDisplayName, $before.profileId, $targets.Count))
        }
        elseif ($before.groupAssigned) {
            $changes.Add(("remove the assignment of group {0} from profile '{1}', keeping its {2} other assignment(s)" -f $GroupId, $ProfileDisplayName, ($targets.Count - 1)))
        }
    }

    $after = $before
    if ($changes.Count -gt 0 -and -not $PlanOnly) {
        if ($DeleteProfile) {
            Remove-MgDeviceManagementDeviceConfiguration -DeviceConfigurationId $configuration.Id | Out-Null
            $after = $null
        }
        else {
            $kept = New-Object -TypeName System.Collections.Generic.List[object]
            foreach ($target in $targets) {
                if (Test-IsGroupTarget -Target $target) { continue }
                $kept.Add(@{ '@odata.type' = '#microsoft.graph.deviceConfigurationAssignment'; target = $target })
            }
            $body = ConvertTo-Json -InputObject @{ assignments = [object[]]$kept.ToArray() } -Depth 10 -Compress
            $uri = 'https://graph.microsoft.com/v1.0/deviceManagement/deviceConfigurations/{0}/assign' -f $configuration.Id
            Invoke-MgGraphRequest -Method POST -Uri $uri -Body $body -ContentType 'application/json' | Out-Null
            $after = ConvertTo-AssignmentState -Configuration $configuration -Targets @(Get-AssignmentTarget -ProfileId $configuration.Id)
        }
    }

    @{
        Changed = ($changes.Count -gt 0)
        Result  = [ordered]@{ planOnly = [bool]$PlanOnly; changes = [object[]]$changes.ToArray(); before = $before; after = $after }
    }
}
finally {
    Disconnect-MgGraph | Out-Null
}
