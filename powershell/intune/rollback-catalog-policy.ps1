<#
.SYNOPSIS
    Rolls back the settings-catalog channel: removes a group's assignment from the policy, or unassigns and then
    deletes the policy when asked (Get -> Test -> Set).
.DESCRIPTION
    Signs in to Microsoft Graph app-only with a certificate and finds the policy by name among the beta
    deviceManagement/configurationPolicies. Missing: nothing to do. Without -DeletePolicy: when the group is
    assigned, posts every other assignment, unchanged, to the policy's /assign action (which REPLACES the set), so
    only that group's assignment goes away. With -DeletePolicy: first posts an empty set (unassigned: no device
    receives it any more), then deletes the policy (DELETE configurationPolicies/{id}); a run that stops between
    the two leaves an unassigned policy, and the next run deletes it. -PlanOnly reports the changes without making
    them. Needs DeviceManagementConfiguration.ReadWrite.All.
.NOTES
    Helper modules: Cloudtrust.Common (New-StepResult), Cloudtrust.Graph (Connect-GraphAppOnly,
    Disconnect-GraphAppOnly, Find-CatalogPolicy, Get-CatalogAssignmentTarget, Test-IsGroupTarget,
    ConvertTo-CatalogAssignmentState, Send-CatalogAssignmentSet).
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
    [ValidatePattern('^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$')]
    [string]$GroupId,
    [switch]$DeletePolicy,
    [switch]$PlanOnly
)
Set-StrictMode -Version 2.0
$ErrorActionPreference = 'Stop'
$ProgressPreference = 'SilentlyContinue'

if (-not $DeletePolicy -and -not $PSBoundParameters.ContainsKey('GroupId')) {
    Write-Error -Message 'GroupId is required unless -DeletePolicy is given' -Category InvalidArgument -ErrorId 'GroupIdRequired' -ErrorAction Stop
}

Connect-GraphAppOnly -TenantId $TenantId -ClientId $ClientId -CertificateThumbprint $CertificateThumbprint -Environment $Environment
try {
    $found = @(Find-CatalogPolicy -Name $PolicyName -Tenant $TenantId)
    if ($found.Count -gt 1) {
        Write-Error -Message ("{0} configuration policies are named '{1}': the step cannot tell which one to roll back" -f $found.Count, $PolicyName) -Category InvalidData -ErrorId 'AmbiguousPolicyName' -TargetObject $PolicyName -ErrorAction Stop
    }

    $before = $null
    $changes = New-Object -TypeName System.Collections.Generic.List[string]
    if ($found.Count -eq 1) {
        $policy = $found[0]
        $policyId = [string]$policy['id']
        $targets = @(Get-CatalogAssignmentTarget -PolicyId $policyId)
        $before = ConvertTo-CatalogAssignmentState -Policy $policy -Targets $targets -GroupId $GroupId
        if ($DeletePolicy) {
            if ($targets.Count -gt 0) { $changes.Add(("unassign policy '{0}' ({1}) from its {2} assignment(s)" -f $PolicyName, $policyId, $targets.Count)) }
            $changes.Add(("delete policy '{0}' ({1})" -f $PolicyName, $policyId))
        }
        elseif ($before.groupAssigned) {
            $changes.Add(("remove the assignment of group {0} from policy '{1}', keeping its {2} other assignment(s)" -f $GroupId, $PolicyName, ($targets.Count - 1)))
        }
    }

    $after = $before
    if ($changes.Count -gt 0 -and -not $PlanOnly) {
        if ($DeletePolicy) {
            if ($targets.Count -gt 0) { Send-CatalogAssignmentSet -PolicyId $policyId -Targets @() }
            Invoke-MgGraphRequest -Method DELETE -Uri ('beta/deviceManagement/configurationPolicies/{0}' -f $policyId) -ErrorAction Stop | Out-Null
            $after = $null
        }
        else {
            $kept = @($targets | Where-Object -FilterScript { -not (Test-IsGroupTarget -Target $_ -GroupId $GroupId) })
            Send-CatalogAssignmentSet -PolicyId $policyId -Targets $kept
            $after = ConvertTo-CatalogAssignmentState -Policy $policy -Targets @(Get-CatalogAssignmentTarget -PolicyId $policyId) -GroupId $GroupId
        }
    }

    New-StepResult -Changes $changes -PlanOnly:$PlanOnly -Before $before -After $after
}
finally {
    Disconnect-GraphAppOnly
}
