<#
.SYNOPSIS
    Ensures the settings-catalog policy is assigned to a group (Get -> Test -> Set).
.DESCRIPTION
    Signs in to Microsoft Graph app-only with a certificate, finds the policy by name among the beta
    deviceManagement/configurationPolicies, checks the group exists (Get-MgGroup) and reads the policy's
    assignments. When the group is not among them, posts the full set - every existing assignment, unchanged, plus
    the group - to the policy's /assign action, which REPLACES the set: only the target group is added, nothing
    else changes. -PlanOnly reports the change without making it; a policy that does not exist yet (a plan of a
    new rollout) is reported as to be assigned. Needs DeviceManagementConfiguration.ReadWrite.All and
    Group.Read.All.
.NOTES
    Helper modules: Cloudtrust.Common (New-StepResult), Cloudtrust.Graph (Connect-GraphAppOnly,
    Disconnect-GraphAppOnly, Find-CatalogPolicy, Get-CatalogAssignmentTarget, ConvertTo-CatalogAssignmentState,
    Send-CatalogAssignmentSet).
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
    [string]$PolicyName,
    [Parameter(Mandatory = $true)]
    [ValidatePattern('^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$')]
    [string]$GroupId,
    [switch]$PlanOnly
)
Set-StrictMode -Version 2.0
$ErrorActionPreference = 'Stop'
$ProgressPreference = 'SilentlyContinue'

Connect-GraphAppOnly -TenantId $TenantId -ClientId $ClientId -CertificateThumbprint $CertificateThumbprint -Environment $Environment
try {
    $found = @(Find-CatalogPolicy -Name $PolicyName -Tenant $TenantId)
    if ($found.Count -gt 1) {
        Write-Error -Message ("{0} configuration policies are named '{1}': the step cannot tell which one to assign" -f $found.Count, $PolicyName) -Category InvalidData -ErrorId 'AmbiguousPolicyName' -TargetObject $PolicyName -ErrorAction Stop
    }
    if ($found.Count -eq 0 -and -not $PlanOnly) {
        Write-Error -Message ("no configuration policy named '{0}': ensure the policy before assigning it" -f $PolicyName) -Category ObjectNotFound -ErrorId 'PolicyNotFound' -TargetObject $PolicyName -ErrorAction Stop
    }
    $group = @(Get-MgGroup -Filter ("id eq '{0}'" -f $GroupId) -Property 'id', 'displayName' -ErrorAction Stop)
    if ($group.Count -eq 0) {
        Write-Error -Message ("group {0} does not exist in the tenant" -f $GroupId) -Category ObjectNotFound -ErrorId 'GroupNotFound' -TargetObject $GroupId -ErrorAction Stop
    }

    $changes = New-Object -TypeName System.Collections.Generic.List[string]
    $before = $null
    if ($found.Count -eq 0) {
        $changes.Add(("assign policy '{0}' (to be created) to group {1} ({2})" -f $PolicyName, $GroupId, [string]$group[0].DisplayName))
        New-StepResult -Changes $changes -PlanOnly:$PlanOnly -Before $null -After $null
        return
    }
    $policy = $found[0]
    $targets = @(Get-CatalogAssignmentTarget -PolicyId ([string]$policy['id']))
    $before = ConvertTo-CatalogAssignmentState -Policy $policy -Targets $targets -GroupId $GroupId
    if (-not $before.groupAssigned) {
        $changes.Add(("assign policy '{0}' to group {1} ({2}), keeping its {3} other assignment(s)" -f $PolicyName, $GroupId, [string]$group[0].DisplayName, $targets.Count))
    }
    if (@($before.assignments | Where-Object -FilterScript { $_.targetType -eq 'exclusionGroup' -and $_.groupId -eq $GroupId }).Count -gt 0) {
        Write-Warning -Message ("group {0} is also excluded from policy '{1}': the exclusion wins, its devices will not receive the policy" -f $GroupId, $PolicyName)
    }

    $after = $before
    if ($changes.Count -gt 0 -and -not $PlanOnly) {
        Send-CatalogAssignmentSet -PolicyId ([string]$policy['id']) -Targets ($targets + @(@{ '@odata.type' = '#microsoft.graph.groupAssignmentTarget'; groupId = $GroupId }))
        $after = ConvertTo-CatalogAssignmentState -Policy $policy -Targets @(Get-CatalogAssignmentTarget -PolicyId ([string]$policy['id'])) -GroupId $GroupId
    }

    New-StepResult -Changes $changes -PlanOnly:$PlanOnly -Before $before -After $after
}
finally {
    Disconnect-GraphAppOnly
}
