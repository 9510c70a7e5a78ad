<#
.SYNOPSIS
    Ensures an Intune device configuration profile is assigned to a group (Get -> Test -> Set).
.DESCRIPTION
    Signs in to Microsoft Graph app-only with a certificate, finds the profile by display name
    (Get-MgDeviceManagementDeviceConfiguration), checks the group exists (Get-MgGroup -GroupId) and reads the
    profile's assignments (Get-MgDeviceManagementDeviceConfigurationAssignment). When the group is not among
    them, posts the full set - every existing assignment, unchanged, plus the group - to the profile's /assign
    action (Invoke-MgGraphRequest: no cmdlet of the catalog wraps it), because /assign REPLACES the profile's
    assignments. Other groups, exclusions and all-devices targets are never dropped. -PlanOnly reports the
    change without making it. Needs DeviceManagementConfiguration.ReadWrite.All and Group.Read.All.
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
    [Parameter(Mandatory = $true)]
    [ValidatePattern('^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$')]
    [string]$GroupId,
    [switch]$PlanOnly
)
Set-StrictMode -Version 2.0
$ErrorActionPreference = 'Stop'
$ProgressPreference = 'SilentlyContinue'

$groupTargetType = '#microsoft.graph.groupAssignmentTarget'

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

function ConvertTo-AssignmentState {
    param([Parameter(Mandatory = $true)][object]$Configuration, [Parameter(Mandatory = $true)][AllowEmptyCollection()][object[]]$Targets)
    $summaries = @($Targets | ForEach-Object -Process {
            $groupIdOfTarget = $null
            if ($_.ContainsKey('groupId')) { $groupIdOfTarget = [string]$_['groupId'] }
            [ordered]@{ targetType = (Get-TargetKind -ODataType ([string]$_['@odata.type'])); groupId = $groupIdOfTarget }
        })
    $assigned = @($summaries | Where-Object -FilterScript { $_.targetType -eq 'group' -and $_.groupId -eq $GroupId }).Count -gt 0
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
    if ($found.Count -eq 0) {
        Write-Error -Message ("no device configuration named '{0}': ensure the profile before assigning it" -f $ProfileDisplayName) -Category ObjectNotFound -ErrorId 'ProfileNotFound' -TargetObject $ProfileDisplayName -ErrorAction Stop
    }
    if ($found.Count -gt 1) {
        Write-Error -Message ("{0} device configurations are named '{1}': the step cannot tell which one to assign" -f $found.Count, $ProfileDisplayName) -Category InvalidData -ErrorId 'AmbiguousProfileName' -TargetObject $ProfileDisplayName -ErrorAction Stop
    }
    $configuration = $found[0]

    $group = @(Get-MgGroup -Filter ("id eq '{0}'" -f $GroupId) -Property 'id', 'displayName')
    if ($group.Count -eq 0) {
        Write-Error -Message ("group {0} does not exist in the tenant" -f $GroupId) -Category ObjectNotFound -ErrorId 'GroupNotFound' -TargetObject $GroupId -ErrorAction Stop
    }

    $targets = @(Get-AssignmentTarget -ProfileId $configuration.Id)
    $before = ConvertTo-AssignmentState -Configuration $configuration -Targets $targets
    $changes = New-Object -TypeName System.Collections.Generic.List[string]
    if (-not $before.groupAssigned) {
        $changes.Add(("assign profile '{0}' to group {1} ({2}), keeping its {3} other assignment(s)" -f $ProfileDisplayName, $GroupId, [string]$group[0].DisplayName, $targets.Count))
    }
    $excluded = @($before.assignments | Where-Object -FilterScript { $_.targetType -eq 'exclusionGroup' -and $_.groupId -eq $GroupId })
    if ($excluded.Count -gt 0) {
        Write-Warning -Message ("group {0} is also excluded from profile '{1}': the exclusion wins, its devices will not receive the profile" -f $GroupId, $ProfileDisplayName)
    }

    $after = $before
    if ($changes.Count -gt 0 -and -not $PlanOnly) {
        $assignments = New-Object -TypeName System.Collections.Generic.List[object]
        foreach ($target in $targets) {
            $assignments.Add(@{ '@odata.type' = '#microsoft.graph.deviceConfigurationAssignment'; target = $target })
        }
        $assignments.Add(@{ '@odata.type' = '#microsoft.graph.deviceConfigurationAssignment'; target = @{ '@odata.type' = $groupTargetType; groupId = $GroupId } })
        $body = ConvertTo-Json -InputObject @{ assignments = [object[]]$assignments.ToArray() } -Depth 10 -Compress
        $uri = 'https://graph.microsoft.com/v1.0/deviceManagement/deviceConfigurations/{0}/assign' -f $configuration.Id
        Invoke-MgGraphRequest -Method POST -Uri $uri -Body $body -ContentType 'application/json' | Out-Null
        $after = ConvertTo-AssignmentState -Configuration $configuration -Targets @(Get-AssignmentTarget -ProfileId $configuration.Id)
    }

    @{
        Changed = ($changes.Count -gt 0)
        Result  = [ordered]@{ planOnly = [bool]$PlanOnly; changes = [object[]]$changes.ToArray(); before = $before; after = $after }
    }
}
finally {
    Disconnect-MgGraph | Out-Null
}
