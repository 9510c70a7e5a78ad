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
.NOTES
    Helper modules: Cloudtrust.Common (New-StepResult), Cloudtrust.Graph (Connect-GraphAppOnly,
    Disconnect-GraphAppOnly, Find-DeviceConfiguration, Get-AssignmentTarget, ConvertTo-AssignmentState,
    Send-AssignmentSet).
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

Connect-GraphAppOnly -TenantId $TenantId -ClientId $ClientId -CertificateThumbprint $CertificateThumbprint -Environment $Environment
try {
    $found = @(Find-DeviceConfiguration -DisplayName $ProfileDisplayName)
    if ($found.Count -eq 0) {
        Write-Error -Message ("no device configuration named '{0}': ensure the profile before assigning it" -f $ProfileDisplayName) -Category ObjectNotFound -ErrorId 'ProfileNotFound' -TargetObject $ProfileDisplayName -ErrorAction Stop
    }
    if ($found.Count -gt 1) {
        Write-Error -Message ("{0} device configurations are named '{1}': the step cannot tell which one to assign" -f $found.Count, $ProfileDisplayName) -Category InvalidData -ErrorId 'AmbiguousProfileName' -TargetObject $ProfileDisplayName -ErrorAction Stop
    }
    $configuration = $found[0]

    $group = @(Get-MgGroup -Filter ("id eq '{0}'" -f $GroupId) -Property 'id', 'displayName' -ErrorAction Stop)
    if ($group.Count -eq 0) {
        Write-Error -Message ("group {0} does not exist in the tenant" -f $GroupId) -Category ObjectNotFound -ErrorId 'GroupNotFound' -TargetObject $GroupId -ErrorAction Stop
    }

    $targets = @(Get-AssignmentTarget -ProfileId $configuration.Id)
    $before = ConvertTo-AssignmentState -Configuration $configuration -Targets $targets -GroupId $GroupId
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
        Send-AssignmentSet -ProfileId $configuration.Id -Targets ($targets + @(@{ '@odata.type' = $groupTargetType; groupId = $GroupId }))
        $after = ConvertTo-AssignmentState -Configuration $configuration -Targets @(Get-AssignmentTarget -ProfileId $configuration.Id) -GroupId $GroupId
    }

    New-StepResult -Changes $changes -PlanOnly:$PlanOnly -Before $before -After $after
}
finally {
    Disconnect-GraphAppOnly
}
