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
    [System.Management.Automation.PSCredential]$DomainCredential
)
Set-StrictMode -Version 2.0
$ErrorActionPreference = 'Stop'
$ProgressPreference = 'SilentlyContinue'

Import-Module -Name 'AzureADHybridAuthenticationManagement'

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

function ConvertTo-UtcInstant {
    # KeyUpdatedOn comes from AD and from Entra, which both keep UTC; the module's DateTime may carry Kind
    # Unspecified (the documented output prints no zone). Unspecified is that UTC value, never local time, so it is
    # marked UTC rather than converted by the host's offset (fidelity review row 13); Local and Utc convert as usual.
    param([AllowNull()][object]$Value)
    if ($null -eq $Value -or ([string]$Value).Length -eq 0) { return $null }
    if ($Value -is [datetime]) { $instant = $Value }
    else { $instant = [datetime]::Parse([string]$Value, [Globalization.CultureInfo]::InvariantCulture, [Globalization.DateTimeStyles]'AssumeUniversal, AdjustToUniversal') }
    if ($instant.Kind -eq [System.DateTimeKind]::Unspecified) { return [datetime]::SpecifyKind($instant, [System.DateTimeKind]::Utc) }
    return $instant.ToUniversalTime()
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
