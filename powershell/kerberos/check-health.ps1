<#
.SYNOPSIS
    Reads the AD objects of the Azure AD Kerberos server object of one domain (read-only).
.DESCRIPTION
    Needs no Entra sign-in. With the ActiveDirectory module, on -Server (the domain when not given):
    the serviceConnectionPoint CN=900274c4-b7d2-43c8-90ee-00a9f650e335,CN=AzureAD,CN=System,<domain> the tools use
    to find the objects; the krbtgt account under CN=Users (the docs spell it krbtgt_AzureAD and krbtgt-AzureAD,
    so both are searched), whether it is enabled and its msDS-SupportedEncryptionTypes; the AzureADKerberos
    computer under OU=Domain Controllers. Reports what it found; judging it is the caller's (model/kerberos-health.ts).
#>
[CmdletBinding()]
param(
    [Parameter(Mandatory = $true)]
    [ValidatePattern('^(?=.{1,253}$)([A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?\.)+[A-Za-z]{2,63}$')]
    [string]$Domain,
    [ValidatePattern('^[A-Za-z0-9][A-Za-z0-9.-]{0,252}$')][string]$Server,
    [System.Management.Automation.PSCredential]$DomainCredential
)
Set-StrictMode -Version 2.0
$ErrorActionPreference = 'Stop'
$ProgressPreference = 'SilentlyContinue'

$env:ADPS_LoadDefaultDrive = '0'
Import-Module -Name 'ActiveDirectory'

$directory = @{ Server = $Domain }
if ($Server) { $directory['Server'] = $Server }
if ($null -ne $DomainCredential) { $directory['Credential'] = $DomainCredential }
$domainDn = (Get-ADDomain -Identity $Domain @directory).DistinguishedName

function Get-RequestedValue {
    # A requested attribute that is not set is not on the object at all.
    param([Parameter(Mandatory = $true)][object]$Object, [Parameter(Mandatory = $true)][string]$Name)
    $property = $Object.PSObject.Properties[$Name]
    if ($null -eq $property) { return $null }
    return $property.Value
}

$scp = @(Get-ADObject -SearchBase ('CN=System,' + $domainDn) -SearchScope 'Subtree' -LDAPFilter '(&(objectClass=serviceConnectionPoint)(cn=900274c4-b7d2-43c8-90ee-00a9f650e335))' @directory)
$accounts = @(Get-ADUser -SearchBase ('CN=Users,' + $domainDn) -SearchScope 'OneLevel' -LDAPFilter '(|(cn=krbtgt_AzureAD)(cn=krbtgt-AzureAD))' -Properties 'msDS-SupportedEncryptionTypes' @directory)
$computers = @(Get-ADComputer -SearchBase ('OU=Domain Controllers,' + $domainDn) -SearchScope 'OneLevel' -LDAPFilter '(cn=AzureADKerberos)' @directory)

$account = [ordered]@{ present = $false; distinguishedName = $null; enabled = $null; supportedEncryptionTypes = $null }
if ($accounts.Count -gt 0) {
    $found = $accounts[0]
    $types = Get-RequestedValue -Object $found -Name 'msDS-SupportedEncryptionTypes'
    $account.present = $true
    $account.distinguishedName = [string]$found.DistinguishedName
    $account.enabled = [bool]$found.Enabled
    if ($null -ne $types) { $account.supportedEncryptionTypes = [int]$types }
}
$scpDn = $null
if ($scp.Count -gt 0) { $scpDn = [string]$scp[0].DistinguishedName }
$computerDn = $null
if ($computers.Count -gt 0) { $computerDn = [string]$computers[0].DistinguishedName }

@{
    Changed = $false
    Result  = [ordered]@{
        domainDistinguishedName = [string]$domainDn
        serviceConnectionPoint  = [ordered]@{ present = ($scp.Count -gt 0); distinguishedName = $scpDn }
        userAccount             = $account
        computerAccount         = [ordered]@{ present = ($computers.Count -gt 0); distinguishedName = $computerDn }
    }
}
