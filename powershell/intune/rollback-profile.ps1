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
.NOTES
    Helper modules: Cloudtrust.Common (New-StepResult), Cloudtrust.Graph (Connect-GraphAppOnly,
    Disconnect-GraphAppOnly, Find-DeviceConfiguration, Get-AssignmentTarget, Test-IsGroupTarget,
    ConvertTo-AssignmentState, Send-AssignmentSet).
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

Connect-GraphAppOnly -TenantId $TenantId -ClientId $ClientId -CertificateThumbprint $CertificateThumbprint -Environment $Environment
try {
    $found = @(Find-DeviceConfiguration -DisplayName $ProfileDisplayName)
    if ($found.Count -gt 1) {
        Write-Error -Message ("{0} device configurations are named '{1}': the step cannot tell which one to roll back" -f $found.Count, $ProfileDisplayName) -Category InvalidData -ErrorId 'AmbiguousProfileName' -TargetObject $ProfileDisplayName -ErrorAction Stop
    }

    $before = $null
    $changes = New-Object -TypeName System.Collections.Generic.List[string]
    if ($found.Count -eq 1) {
        $configuration = $found[0]
        $targets = @(Get-AssignmentTarget -ProfileId $configuration.Id)
        $before = ConvertTo-AssignmentState -Configuration $configuration -Targets $targets -GroupId $GroupId
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
            Remove-MgDeviceManagementDeviceConfiguration -DeviceConfigurationId $configuration.Id -ErrorAction Stop | Out-Null
            $after = $null
        }
        else {
            $kept = @($targets | Where-Object -FilterScript { -not (Test-IsGroupTarget -Target $_ -GroupId $GroupId) })
            Send-AssignmentSet -ProfileId $configuration.Id -Targets $kept
            $after = ConvertTo-AssignmentState -Configuration $configuration -Targets @(Get-AssignmentTarget -ProfileId $configuration.Id) -GroupId $GroupId
        }
    }

    New-StepResult -Changes $changes -PlanOnly:$PlanOnly -Before $before -After $after
}
finally {
    Disconnect-GraphAppOnly
}
