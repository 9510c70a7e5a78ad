<#
.SYNOPSIS
    Read-only: the Entra tenant behind an app-only Microsoft Graph sign-in, and whether Intune is usable in it.
.DESCRIPTION
    Signs in app-only with a certificate from the local certificate store (Connect-MgGraph -ClientId -TenantId
    -CertificateThumbprint) and reads the organization (Get-MgOrganization): the tenant id - the GUID, without
    braces, that the PassportForWork OMA-URIs carry as {TenantId} - its display name, verified domains and the
    service plans assigned to the tenant. Intune is usable when an Intune service plan (assignedPlans service
    'SCO') other than Intune for Office 365 is Enabled or in its Warning grace period: the Graph API for Intune
    requires an active Intune licence for the tenant. Changes nothing. Needs Organization.Read.All.
.NOTES
    Helper module: Cloudtrust.Graph (Connect-GraphAppOnly, Disconnect-GraphAppOnly).
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

# INTUNE_O365 (Intune for Office 365 / Basic Mobility and Security) is also service 'SCO' but does not
# manage Windows device configuration profiles.
$intuneForOffice365PlanId = '882e1d05-acd1-4ccb-8708-6ee03664b117'
$usableStatuses = @('Enabled', 'Warning')

Connect-GraphAppOnly -TenantId $TenantId -ClientId $ClientId -CertificateThumbprint $CertificateThumbprint -Environment $Environment
try {
    $organization = @(Get-MgOrganization -Property 'id', 'displayName', 'verifiedDomains', 'assignedPlans' -ErrorAction Stop)[0]

    $plans = @($organization.AssignedPlans | Where-Object -FilterScript { [string]$_.Service -eq 'SCO' -and [string]$_.ServicePlanId -ne $intuneForOffice365PlanId } | ForEach-Object -Process {
            [ordered]@{ servicePlanId = [string]$_.ServicePlanId; capabilityStatus = [string]$_.CapabilityStatus }
        })
    $usable = @($plans | Where-Object -FilterScript { $usableStatuses -contains $_.capabilityStatus }).Count -gt 0
    if (-not $usable) {
        Write-Warning -Message 'No active Intune service plan is assigned to this tenant: Intune device configuration profiles cannot be created (use the GPO channel or license Intune).'
    }

    @{
        Changed = $false
        Result  = [ordered]@{
            tenantId        = ([guid][string]$organization.Id).ToString('D')
            displayName     = [string]$organization.DisplayName
            verifiedDomains = [object[]]@($organization.VerifiedDomains | ForEach-Object -Process { [string]$_.Name })
            intune          = [ordered]@{ usable = $usable; plans = [object[]]$plans }
        }
    }
}
finally {
    Disconnect-GraphAppOnly
}
