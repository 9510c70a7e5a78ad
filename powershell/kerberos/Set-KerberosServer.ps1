<#
.SYNOPSIS
    Ensures the Azure AD Kerberos server object of one domain exists and its halves agree (Get -> Test -> Set).
.DESCRIPTION
    Reads the object with Get-AzureADKerberosServer. Missing: creates it with Set-AzureADKerberosServer.
    Present but inconsistent (Id <> CloudId, KeyVersion <> CloudKeyVersion or DomainDnsName <> CloudDomainDnsName):
    repairs it by running Set-AzureADKerberosServer -Force again. Consistent: changes nothing. -PlanOnly reports the change
    without making it. Needs a password-only Entra admin (-CloudCredential); MFA-protected admins must run the
    command interactively (cloudtrust's operator-assisted step).
#>
[CmdletBinding()]
param(
    [Parameter(Mandatory = $true)]
    [ValidatePattern('^(?=.{1,253}$)([A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?\.)+[A-Za-z]{2,63}$')]
    [string]$Domain,
    [Parameter(Mandatory = $true)][System.Management.Automation.PSCredential]$CloudCredential,
    [System.Management.Automation.PSCredential]$DomainCredential,
    [switch]$PlanOnly
)
Set-StrictMode -Version 2.0
$ErrorActionPreference = 'Stop'
$ProgressPreference = 'SilentlyContinue'

Import-Module -Name 'AzureADHybridAuthenticationManagement'

$signIn = @{ Domain = $Domain; CloudCredential = $CloudCredential }
if ($null -ne $DomainCredential) { $signIn['DomainCredential'] = $DomainCredential }

function Get-ServerSummary {
    $server = Get-AzureADKerberosServer @signIn
    $configured = ([string]$server.Id).Length -gt 0
    $problems = New-Object -TypeName System.Collections.Generic.List[string]
    if ($configured) {
        if ([string]$server.Id -ne [string]$server.CloudId) { $problems.Add(('Id {0} differs from CloudId {1}' -f $server.Id, $server.CloudId)) }
        if ([string]$server.KeyVersion -ne [string]$server.CloudKeyVersion) { $problems.Add(('KeyVersion {0} differs from CloudKeyVersion {1}' -f $server.KeyVersion, $server.CloudKeyVersion)) }
        if ([string]$server.DomainDnsName -ne [string]$server.CloudDomainDnsName) { $problems.Add(('DomainDnsName {0} differs from CloudDomainDnsName {1}' -f $server.DomainDnsName, $server.CloudDomainDnsName)) }
    }
    return [ordered]@{
        configured      = $configured
        consistent      = ($configured -and $problems.Count -eq 0)
        problems        = [object[]]$problems.ToArray()
        id              = [string]$server.Id
        keyVersion      = [string]$server.KeyVersion
        cloudKeyVersion = [string]$server.CloudKeyVersion
    }
}

$before = Get-ServerSummary
$changes = New-Object -TypeName System.Collections.Generic.List[string]
if (-not $before.configured) {
    $changes.Add(('create the Azure AD Kerberos server object for {0}' -f $Domain))
}
elseif (-not $before.consistent) {
    $changes.Add(('repair the Azure AD Kerberos server object for {0} (Set-AzureADKerberosServer -Force): {1}' -f $Domain, ($before.problems -join '; ')))
}

$after = $before
if ($changes.Count -gt 0 -and -not $PlanOnly) {
    # -Force: no confirmation prompt (the process is non-interactive); the state was tested above. Its output is
    # undocumented; the step writes exactly one result (fidelity review row 12).
    $null = Set-AzureADKerberosServer @signIn -Force
    # The read may bind to a DC the new objects have not replicated to yet (fidelity review row 14), and a retry of
    # this step would Set again: read again, waiting a little longer each time, before calling the change failed.
    $after = Get-ServerSummary
    $waited = 0
    foreach ($seconds in @(2, 4, 8, 16, 30)) {
        if ($after.consistent) { break }
        Start-Sleep -Seconds $seconds
        $waited += $seconds
        $after = Get-ServerSummary
    }
    if (-not $after.consistent) {
        $seen = 'the AD object is not visible'
        if ($after.configured) { $seen = $after.problems -join '; ' }
        throw ('Set-AzureADKerberosServer completed but the object is still not consistent after {0} s: {1}' -f $waited, $seen)
    }
}

@{
    Changed = ($changes.Count -gt 0)
    Result  = [ordered]@{ planOnly = [bool]$PlanOnly; changes = [object[]]$changes.ToArray(); before = $before; after = $after }
}
