<#
.SYNOPSIS
    Removes the Azure AD Kerberos server object of one domain from AD and Entra (Remove-AzureADKerberosServer).
.DESCRIPTION
    Destructive: cloud Kerberos trust (and FIDO2 security-key sign-in to on-premises resources) stop working for
    the domain. Runs only when the caller passes -ConfirmRemoval. Already absent: nothing to do.
#>
[CmdletBinding()]
param(
    [Parameter(Mandatory = $true)]
    [ValidatePattern('^(?=.{1,253}$)([A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?\.)+[A-Za-z]{2,63}$')]
    [string]$Domain,
    [Parameter(Mandatory = $true)][System.Management.Automation.PSCredential]$CloudCredential,
    [System.Management.Automation.PSCredential]$DomainCredential,
    [ValidateSet('public', 'usgovernment', 'china')][string]$Cloud = 'public',
    [switch]$ConfirmRemoval,
    [switch]$PlanOnly
)
Set-StrictMode -Version 2.0
$ErrorActionPreference = 'Stop'
$ProgressPreference = 'SilentlyContinue'

if (-not $ConfirmRemoval) {
    $refused = New-Object -TypeName System.ArgumentException -ArgumentList 'removing the Azure AD Kerberos server object needs an explicit confirmation (ConfirmRemoval)'
    $PSCmdlet.ThrowTerminatingError((New-Object -TypeName System.Management.Automation.ErrorRecord -ArgumentList $refused, 'ConfirmationRequired', ([System.Management.Automation.ErrorCategory]::InvalidArgument), $Domain))
}

Import-Module -Name 'AzureADHybridAuthenticationManagement'
$null = Select-KerberosServerEndpoint -Cloud $Cloud

$signIn = @{ Domain = $Domain; CloudCredential = $CloudCredential }
if ($null -ne $DomainCredential) { $signIn['DomainCredential'] = $DomainCredential }

$server = Get-AzureADKerberosServer @signIn
$present = ([string]$server.Id).Length -gt 0 -or ([string]$server.CloudId).Length -gt 0
$changes = New-Object -TypeName System.Collections.Generic.List[string]
if ($present) { $changes.Add(('remove the Azure AD Kerberos server object of {0} (id {1})' -f $Domain, $server.Id)) }

if ($changes.Count -gt 0 -and -not $PlanOnly) {
    # Its output is undocumented; the step writes exactly one result (fidelity review row 12).
    $null = Remove-AzureADKerberosServer @signIn
}

@{
    Changed = ($changes.Count -gt 0)
    Result  = [ordered]@{
        planOnly = [bool]$PlanOnly
        changes  = [object[]]$changes.ToArray()
        before   = [ordered]@{ present = $present }
        after    = [ordered]@{ present = ($present -and [bool]$PlanOnly) }
    }
}
