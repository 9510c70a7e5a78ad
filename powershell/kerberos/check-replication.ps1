<#
.SYNOPSIS
    How far the Azure AD Kerberos server key has replicated: the krbtgt_AzureAD account on each named DC (read-only).
.DESCRIPTION
    Needs no Entra sign-in: reads msDS-KeyVersionNumber of the krbtgt_AzureAD account (the docs also show
    krbtgt-AzureAD, so both names are searched) and whether CN=AzureADKerberos exists under OU=Domain Controllers,
    on every DC given, with Get-ADObject -Server. A DC has caught up when its key version equals the one on the
    DC the key was updated from (-SourceServer), or -ExpectedKeyVersion when given (a rotation's new KeyVersion).
    A DC that cannot be reached is reported, not fatal.
    Whether msDS-KeyVersionNumber equals the KeyVersion that Get-AzureADKerberosServer prints is not documented;
    -ExpectedKeyVersion infers that it does (an inference); without it DCs are only compared with each other.
#>
[CmdletBinding()]
param(
    [Parameter(Mandatory = $true)]
    [ValidatePattern('^(?=.{1,253}$)([A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?\.)+[A-Za-z]{2,63}$')]
    [string]$Domain,
    [Parameter(Mandatory = $true)][ValidatePattern('^[A-Za-z0-9][A-Za-z0-9.-]{0,252}$')][string]$SourceServer,
    [Parameter(Mandatory = $true)][ValidateCount(1, 500)][ValidatePattern('^[A-Za-z0-9][A-Za-z0-9.-]{0,252}$')][string[]]$Servers,
    [ValidateRange(1, [int]::MaxValue)][int]$ExpectedKeyVersion,
    [System.Management.Automation.PSCredential]$DomainCredential
)
Set-StrictMode -Version 2.0
$ErrorActionPreference = 'Stop'
$ProgressPreference = 'SilentlyContinue'

$env:ADPS_LoadDefaultDrive = '0'
Import-Module -Name 'ActiveDirectory'

$directory = @{}
if ($null -ne $DomainCredential) { $directory['Credential'] = $DomainCredential }
$domainDn = (Get-ADDomain -Identity $Domain -Server $Domain @directory).DistinguishedName

function Read-KerberosObjects {
    param([Parameter(Mandatory = $true)][string]$Server)
    $account = Get-ADObject -Server $Server -SearchBase ('CN=Users,' + $domainDn) -SearchScope 'OneLevel' -LDAPFilter '(|(cn=krbtgt_AzureAD)(cn=krbtgt-AzureAD))' -Properties 'msDS-KeyVersionNumber' @directory
    $computer = Get-ADObject -Server $Server -SearchBase ('OU=Domain Controllers,' + $domainDn) -SearchScope 'OneLevel' -LDAPFilter '(cn=AzureADKerberos)' @directory
    $version = $null
    if ($null -ne $account) { $version = [int](@($account)[0].'msDS-KeyVersionNumber') }
    return [ordered]@{ keyVersion = $version; computerObjectPresent = ($null -ne $computer) }
}

$source = Read-KerberosObjects -Server $SourceServer
$expected = $source.keyVersion
if ($PSBoundParameters.ContainsKey('ExpectedKeyVersion')) { $expected = $ExpectedKeyVersion }
$replicas = New-Object -TypeName System.Collections.Generic.List[object]
foreach ($server in $Servers) {
    $entry = [ordered]@{ server = $server; reachable = $false; keyVersion = $null; computerObjectPresent = $false; caughtUp = $false; error = $null }
    try {
        $seen = Read-KerberosObjects -Server $server
        $entry.reachable = $true
        $entry.keyVersion = $seen.keyVersion
        $entry.computerObjectPresent = $seen.computerObjectPresent
        $entry.caughtUp = ($null -ne $seen.keyVersion -and $seen.keyVersion -eq $expected -and $seen.computerObjectPresent)
    }
    catch {
        $entry.error = $_.Exception.Message
    }
    $replicas.Add($entry)
}

@{
    Changed = $false
    Result  = [ordered]@{ sourceServer = $SourceServer; sourceKeyVersion = $source.keyVersion; replicas = $replicas.ToArray() }
}
