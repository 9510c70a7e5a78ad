<#
.SYNOPSIS
    Read-only inventory of one Active Directory forest: its domains, sites and global catalogs.
.DESCRIPTION
    Get-ADForest -Identity <forest> against -Server (a domain controller or domain of the forest; the forest
    name when not given) returns the forest name, the root domain, the domains, the AD sites and the global
    catalog servers. Each domain is then inventoried on its own (domain.read-inventory). Changes nothing.
#>
[CmdletBinding()]
param(
    [Parameter(Mandatory = $true)]
    [ValidatePattern('^(?=.{1,253}$)([A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?\.)+[A-Za-z]{2,63}$')]
    [string]$Forest,
    [ValidatePattern('^(?=.{1,253}$)([A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?\.)+[A-Za-z]{2,63}$')]
    [string]$Server,
    [System.Management.Automation.PSCredential]$DomainCredential
)
Set-StrictMode -Version 2.0
$ErrorActionPreference = 'Stop'
$ProgressPreference = 'SilentlyContinue'

# Importing ActiveDirectory creates the AD: drive, which contacts AD Web Services; skip it.
$env:ADPS_LoadDefaultDrive = '0'
Import-Module -Name 'ActiveDirectory'

$directory = @{ Server = $Forest }
if (-not [string]::IsNullOrEmpty($Server)) { $directory['Server'] = $Server }
if ($null -ne $DomainCredential) { $directory['Credential'] = $DomainCredential }

$adForest = Get-ADForest -Identity $Forest @directory

function ConvertTo-SortedNames {
    param([AllowNull()][object]$Values)
    $names = @(@($Values) | Where-Object -FilterScript { $null -ne $_ } | ForEach-Object -Process { [string]$_ } | Sort-Object)
    # The unary comma keeps a one-element (or empty) list an array on the way out of the function.
    return , [object[]]$names
}

@{
    Changed = $false
    Result  = [ordered]@{
        name           = [string]$adForest.Name
        rootDomain     = [string]$adForest.RootDomain
        domains        = (ConvertTo-SortedNames -Values $adForest.Domains)
        sites          = (ConvertTo-SortedNames -Values $adForest.Sites)
        globalCatalogs = (ConvertTo-SortedNames -Values $adForest.GlobalCatalogs)
    }
}
