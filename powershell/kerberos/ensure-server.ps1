<#
.SYNOPSIS
    Ensures the Azure AD Kerberos server object of one domain exists and its halves agree (Get -> Test -> Set).
.DESCRIPTION
    Reads the object with Get-AzureADKerberosServer. Missing: creates it with Set-AzureADKerberosServer.
    Present but inconsistent (Id <> CloudId, KeyVersion <> CloudKeyVersion, DomainDnsName <> CloudDomainDnsName or
    KeyUpdatedOn <> CloudKeyUpdatedOn): repairs it by running Set-AzureADKerberosServer -Force again. Consistent:
    changes nothing. -PlanOnly reports the change without making it. Needs a password-only Entra admin
    (-CloudCredential); MFA-protected admins must run the command interactively (cloudtrust's operator-assisted step).
    The AD half present while this tenant has no cloud half (Cloud* empty) is an object another tenant created: one
    AD domain has one object, and a second Set would overwrite it (one object per domain), so it is refused unless -TakeOver.
    -Cloud points the module at the tenant's cloud first (Set-AzureADKerberosServerEndpoint).
#>
[CmdletBinding()]
param(
    [Parameter(Mandatory = $true)]
    [ValidatePattern('^(?=.{1,253}$)([A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?\.)+[A-Za-z]{2,63}$')]
    [string]$Domain,
    [Parameter(Mandatory = $true)][System.Management.Automation.PSCredential]$CloudCredential,
    [System.Management.Automation.PSCredential]$DomainCredential,
    [ValidateSet('public', 'usgovernment', 'china')][string]$Cloud = 'public',
    [switch]$TakeOver,
    [switch]$PlanOnly
)
Set-StrictMode -Version 2.0
$ErrorActionPreference = 'Stop'
$ProgressPreference = 'SilentlyContinue'

Import-Module -Name 'AzureADHybridAuthenticationManagement'
$null = Select-KerberosServerEndpoint -Cloud $Cloud

$signIn = @{ Domain = $Domain; CloudCredential = $CloudCredential }
if ($null -ne $DomainCredential) { $signIn['DomainCredential'] = $DomainCredential }

function Format-Instant {
    param([AllowNull()][object]$Value)
    $instant = ConvertTo-UtcInstant -Value $Value
    if ($null -eq $instant) { return '(empty)' }
    return $instant.ToString('yyyy-MM-ddTHH:mm:ssZ', [Globalization.CultureInfo]::InvariantCulture)
}

function Get-ServerSummary {
    $server = Get-AzureADKerberosServer @signIn
    $configured = ([string]$server.Id).Length -gt 0
    $problems = New-Object -TypeName System.Collections.Generic.List[string]
    if ($configured) {
        if ([string]$server.Id -ne [string]$server.CloudId) { $problems.Add(('Id {0} differs from CloudId {1}' -f $server.Id, $server.CloudId)) }
        if ([string]$server.KeyVersion -ne [string]$server.CloudKeyVersion) { $problems.Add(('KeyVersion {0} differs from CloudKeyVersion {1}' -f $server.KeyVersion, $server.CloudKeyVersion)) }
        if ([string]$server.DomainDnsName -ne [string]$server.CloudDomainDnsName) { $problems.Add(('DomainDnsName {0} differs from CloudDomainDnsName {1}' -f $server.DomainDnsName, $server.CloudDomainDnsName)) }
        $keyUpdatedOn = Format-Instant -Value $server.KeyUpdatedOn
        $cloudKeyUpdatedOn = Format-Instant -Value $server.CloudKeyUpdatedOn
        if ($keyUpdatedOn -ne $cloudKeyUpdatedOn) { $problems.Add(('KeyUpdatedOn {0} differs from CloudKeyUpdatedOn {1}' -f $keyUpdatedOn, $cloudKeyUpdatedOn)) }
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
if ($before.configured -and $before.cloudKeyVersion.Length -eq 0 -and -not $TakeOver) {
    $message = ('the Azure AD Kerberos server object of {0} (id {1}) exists in AD but this tenant has no KerberosDomain for it: another tenant created it, and Set-AzureADKerberosServer would overwrite it and end that tenant''s cloud Kerberos trust for the domain; set kerberosTakeOver on the domain to take it over' -f $Domain, $before.id)
    throw (New-StepError -Message $message -ErrorId 'KerberosObjectOfAnotherTenant' -Category PermissionDenied -Target $Domain)
}
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
