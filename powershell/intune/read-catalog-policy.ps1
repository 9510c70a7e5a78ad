<#
.SYNOPSIS
    Reads the settings-catalog policy back: its settings and its assignments (Get only).
.DESCRIPTION
    Signs in to Microsoft Graph app-only with a certificate, finds the policy by name among the beta
    deviceManagement/configurationPolicies (settings read with $expand=settings, flattened to each choice
    setting's definition id and chosen option) and reads its assignments. A missing policy is reported as null.
    Fails when the name matches two policies. Changes nothing. Needs DeviceManagementConfiguration.Read.All.
.NOTES
    Helper modules: Cloudtrust.Common (New-StepResult), Cloudtrust.Graph (Connect-GraphAppOnly,
    Disconnect-GraphAppOnly, Find-CatalogPolicy, ConvertTo-CatalogPolicyState, Get-CatalogAssignmentTarget,
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
    [string]$CertificateThumbprint,
    [ValidateSet('Global', 'USGov', 'USGovDoD', 'China')]
    [string]$Environment = 'Global',
    [Parameter(Mandatory = $true)]
    [ValidateLength(1, 200)]
    [ValidatePattern('^[^\x00-\x1F\x7F]*\S[^\x00-\x1F\x7F]*$')]
    [string]$PolicyName
)
Set-StrictMode -Version 2.0
$ErrorActionPreference = 'Stop'
$ProgressPreference = 'SilentlyContinue'

Connect-GraphAppOnly -TenantId $TenantId -ClientId $ClientId -CertificateThumbprint $CertificateThumbprint -Environment $Environment
try {
    $found = @(Find-CatalogPolicy -Name $PolicyName -Tenant $TenantId)
    if ($found.Count -gt 1) {
        Write-Error -Message ("{0} configuration policies are named '{1}': the step cannot tell which one to read" -f $found.Count, $PolicyName) -Category InvalidData -ErrorId 'AmbiguousPolicyName' -TargetObject $PolicyName -ErrorAction Stop
    }
    $policy = $null
    $assignments = @()
    if ($found.Count -eq 1) {
        $policy = ConvertTo-CatalogPolicyState -Policy $found[0]
        $assignments = @(Get-CatalogAssignmentTarget -PolicyId $policy.id | ForEach-Object -Process {
                $groupIdOfTarget = $null
                if ($_.ContainsKey('groupId')) { $groupIdOfTarget = [string]$_['groupId'] }
                [ordered]@{ targetType = (Get-TargetKind -ODataType ([string]$_['@odata.type'])); groupId = $groupIdOfTarget }
            })
    }
    @{ Changed = $false; Result = [ordered]@{ policy = $policy; assignments = [object[]]$assignments } }
}
finally {
    Disconnect-GraphAppOnly
}
