<#
.SYNOPSIS
    Rotates the Azure AD Kerberos server key of one domain (Set-AzureADKerberosServer -RotateServerKey).
.DESCRIPTION
    Rotation is not naturally idempotent, so the caller names the moment it asked for the rotation
    (-RequestedAt): when the key was already updated at or after that moment, this request was already served
    and nothing is done. A key updated less than 24 hours ago is not rotated again unless -Force (the documented
    once-per-24-hours rule); the step then reports no change and a warning. -PlanOnly reports without rotating.
#>
[CmdletBinding()]
param(
    [Parameter(Mandatory = $true)]
    [ValidatePattern('^(?=.{1,253}$)([A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?\.)+[A-Za-z]{2,63}$')]
    [string]$Domain,
    [Parameter(Mandatory = $true)][System.Management.Automation.PSCredential]$CloudCredential,
    [System.Management.Automation.PSCredential]$DomainCredential,
    [ValidateSet('public', 'usgovernment', 'china')][string]$Cloud = 'public',
    [Parameter(Mandatory = $true)][ValidatePattern('^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?Z$')][string]$RequestedAt,
    [switch]$Force,
    [switch]$PlanOnly
)
Set-StrictMode -Version 2.0
$ErrorActionPreference = 'Stop'
$ProgressPreference = 'SilentlyContinue'

Import-Module -Name 'AzureADHybridAuthenticationManagement'
$null = Select-KerberosServerEndpoint -Cloud $Cloud

$signIn = @{ Domain = $Domain; CloudCredential = $CloudCredential }
if ($null -ne $DomainCredential) { $signIn['DomainCredential'] = $DomainCredential }

function Get-KeyState {
    $server = Get-AzureADKerberosServer @signIn
    $updated = ConvertTo-UtcInstant -Value $server.KeyUpdatedOn
    return [ordered]@{
        configured      = (([string]$server.Id).Length -gt 0)
        keyVersion      = [string]$server.KeyVersion
        cloudKeyVersion = [string]$server.CloudKeyVersion
        keyUpdatedOn    = $updated
    }
}

$requested = [datetime]::Parse($RequestedAt, [Globalization.CultureInfo]::InvariantCulture, [Globalization.DateTimeStyles]::AdjustToUniversal)
$before = Get-KeyState
if (-not $before.configured) {
    # ObjectNotFound: nothing to rotate, and no retry will create the object.
    $missing = New-Object -TypeName System.Management.Automation.ItemNotFoundException -ArgumentList ('the Azure AD Kerberos server object of {0} does not exist; create it before rotating its key' -f $Domain)
    $PSCmdlet.ThrowTerminatingError((New-Object -TypeName System.Management.Automation.ErrorRecord -ArgumentList $missing, 'KerberosServerObjectNotFound', ([System.Management.Automation.ErrorCategory]::ObjectNotFound), $Domain))
}

$changes = New-Object -TypeName System.Collections.Generic.List[string]
$skipped = $null
# An object without a KeyUpdatedOn has no rotation to be idempotent against, nor a 24-hour window to keep.
$lastUpdate = $before.keyUpdatedOn
if ($null -ne $lastUpdate -and $lastUpdate -ge $requested) {
    $skipped = 'already rotated for this request'
}
elseif ($null -ne $lastUpdate -and (([datetime]::UtcNow) - $lastUpdate).TotalHours -lt 24 -and -not $Force) {
    $skipped = 'key updated less than 24 hours ago'
    Write-Warning ('{0}: key updated at {1:o}, less than 24 hours ago; not rotated (use force to rotate anyway)' -f $Domain, $before.keyUpdatedOn)
}
else {
    $changes.Add(('rotate the Kerberos server key of {0} (key version {1})' -f $Domain, $before.keyVersion))
}

$after = $before
if ($changes.Count -gt 0 -and -not $PlanOnly) {
    # Its output is undocumented; the step writes exactly one result (fidelity review row 12).
    $null = Set-AzureADKerberosServer @signIn -RotateServerKey -Force
    $after = Get-KeyState
}

@{
    Changed = ($changes.Count -gt 0)
    Result  = [ordered]@{ planOnly = [bool]$PlanOnly; changes = [object[]]$changes.ToArray(); skipped = $skipped; before = $before; after = $after }
}
