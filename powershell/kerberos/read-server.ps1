<#
.SYNOPSIS
    Reads the Azure AD Kerberos server object of one domain, both halves (read-only).
.DESCRIPTION
    Get-AzureADKerberosServer with a password-only Entra admin (-CloudCredential); the module has no app-only
    sign-in. Reports whether the object is configured and whether its halves agree: Id = CloudId,
    KeyVersion = CloudKeyVersion, DomainDnsName = CloudDomainDnsName. When not configured, every property is
    empty. -DomainCredential, when given, must be in UPN form (DOMAIN\user binds over NTLM and fails).
#>
[CmdletBinding()]
param(
    [Parameter(Mandatory = $true)]
    [ValidatePattern('^(?=.{1,253}$)([A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?\.)+[A-Za-z]{2,63}$')]
    [string]$Domain,
    [Parameter(Mandatory = $true)][System.Management.Automation.PSCredential]$CloudCredential,
    [System.Management.Automation.PSCredential]$DomainCredential,
    [ValidateSet('public', 'usgovernment', 'china')][string]$Cloud = 'public'
)
Set-StrictMode -Version 2.0
$ErrorActionPreference = 'Stop'
$ProgressPreference = 'SilentlyContinue'

Import-Module -Name 'AzureADHybridAuthenticationManagement'
$null = Select-KerberosServerEndpoint -Cloud $Cloud

$query = @{ Domain = $Domain; CloudCredential = $CloudCredential }
if ($null -ne $DomainCredential) { $query['DomainCredential'] = $DomainCredential }
$server = Get-AzureADKerberosServer @query

function ConvertTo-NullableText {
    param([AllowNull()][object]$Value)
    if ($null -eq $Value) { return $null }
    $text = [string]$Value
    if ($text.Length -eq 0) { return $null }
    return $text
}

function ConvertTo-IsoDate {
    param([AllowNull()][object]$Value)
    $instant = ConvertTo-UtcInstant -Value $Value
    if ($null -eq $instant) { return $null }
    return $instant.ToString('o')
}

function Get-OptionalProperty {
    # Not in the how-to's property table, and absent from an older module's object (fidelity review row 11).
    param([Parameter(Mandatory = $true)][object]$Object, [Parameter(Mandatory = $true)][string]$Name)
    $property = $Object.PSObject.Properties[$Name]
    if ($null -eq $property) { return $null }
    return $property.Value
}

$state = [ordered]@{
    id                 = ConvertTo-NullableText -Value $server.Id
    userAccount        = ConvertTo-NullableText -Value $server.UserAccount
    computerAccount    = ConvertTo-NullableText -Value $server.ComputerAccount
    displayName        = ConvertTo-NullableText -Value (Get-OptionalProperty -Object $server -Name 'DisplayName')
    domainDnsName      = ConvertTo-NullableText -Value $server.DomainDnsName
    keyVersion         = ConvertTo-NullableText -Value $server.KeyVersion
    keyUpdatedOn       = ConvertTo-IsoDate -Value $server.KeyUpdatedOn
    keyUpdatedFrom     = ConvertTo-NullableText -Value $server.KeyUpdatedFrom
    cloudId            = ConvertTo-NullableText -Value $server.CloudId
    cloudDisplayName   = ConvertTo-NullableText -Value (Get-OptionalProperty -Object $server -Name 'CloudDisplayName')
    cloudDomainDnsName = ConvertTo-NullableText -Value $server.CloudDomainDnsName
    cloudKeyVersion    = ConvertTo-NullableText -Value $server.CloudKeyVersion
    cloudKeyUpdatedOn  = ConvertTo-IsoDate -Value $server.CloudKeyUpdatedOn
    cloudTrustDisplay  = ConvertTo-NullableText -Value (Get-OptionalProperty -Object $server -Name 'CloudTrustDisplay')
}

@{ Changed = $false; Result = $state }
