<#
.SYNOPSIS
    Read-only: whether the users of the given AD groups can sign in with Windows Hello for Business cloud Kerberos
    trust, and why not.
.DESCRIPTION
    Reads each group's users (Get-ADGroupMember -Recursive; at most -MaxUsers in all, the rest only counted) and
    each user (Get-ADUser -Properties PasswordExpired, PasswordNeverExpires, pwdLastSet, primaryGroupID,
    tokenGroups). A user is ready when the account is enabled; it is in Domain Users (primary group 513 or a member);
    the AzureADKerberos password replication policy (the SIDs given, read by kerberos.read-replication-policy) does not
    deny the user or one of its groups and, when an allowed list is given, allows one of them; the password is
    neither expired nor "must change at next logon" (pwdLastSet 0): an expired password blocks cloud trust sign-in
    until it is reset; and the user is in at most 1,010 groups (the most an Entra Kerberos ticket carries). With a
    Graph sign-in (-TenantId, -ClientId, -CertificateThumbprint) it also reads the user's Entra object by
    onPremisesSecurityIdentifier (GET v1.0/users, User.Read.All), falling back to the user principal name, and
    requires onPremisesSamAccountName, onPremisesDomainName and onPremisesSecurityIdentifier to be synced.
    Changes nothing.
.NOTES
    Helper module: Cloudtrust.Graph (Connect-GraphAppOnly, Disconnect-GraphAppOnly).
#>
[CmdletBinding()]
param(
    [Parameter(Mandatory = $true)]
    [ValidatePattern('^(?=.{1,253}$)([A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?\.)+[A-Za-z]{2,63}$')]
    [string]$Domain,
    [Parameter(Mandatory = $true)][ValidateCount(1, 50)][ValidatePattern('^[\p{L}\p{N}][\p{L}\p{N} _.()-]{0,255}$')][string[]]$UserGroups,
    [ValidateCount(0, 200)][ValidatePattern('^S-1-[0-9-]+$')][string[]]$AllowedSids = @(),
    [ValidateCount(0, 200)][ValidatePattern('^S-1-[0-9-]+$')][string[]]$DeniedSids = @(),
    [ValidateCount(0, 200)][string[]]$DeniedNames = @(),
    [ValidateRange(1, 5000)][int]$MaxUsers = 500,
    [System.Management.Automation.PSCredential]$DomainCredential,
    [ValidatePattern('^([0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}|(?=.{1,253}$)([A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?\.)+[A-Za-z]{2,63})$')]
    [string]$TenantId,
    [ValidatePattern('^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$')][string]$ClientId,
    [ValidatePattern('^[0-9A-Fa-f]{40}$')][string]$CertificateThumbprint,
    [ValidateSet('Global', 'USGov', 'USGovDoD', 'China')][string]$Environment = 'Global'
)
Set-StrictMode -Version 2.0
$ErrorActionPreference = 'Stop'
$ProgressPreference = 'SilentlyContinue'

$env:ADPS_LoadDefaultDrive = '0'
Import-Module -Name 'ActiveDirectory'

$maxGroups = 1010
$directory = @{}
if ($null -ne $DomainCredential) { $directory['Credential'] = $DomainCredential }
$adDomain = Get-ADDomain -Identity $Domain -Server $Domain @directory
$domainUsersSid = [string]$adDomain.DomainSID + '-513'
$deniedName = @{}
for ($i = 0; $i -lt $DeniedSids.Count; $i++) { $deniedName[$DeniedSids[$i]] = $(if ($i -lt $DeniedNames.Count) { $DeniedNames[$i] } else { $DeniedSids[$i] }) }

# The users of every group, each once, in the order found.
$groupsRead = New-Object -TypeName System.Collections.Generic.List[object]
$users = New-Object -TypeName System.Collections.Generic.List[object]
$seen = @{}
$total = 0
foreach ($name in $UserGroups) {
    try {
        $group = Get-ADGroup -Identity $name -Server $Domain @directory
    }
    catch [Microsoft.ActiveDirectory.Management.ADIdentityNotFoundException] {
        $groupsRead.Add([ordered]@{ name = $name; found = $false; users = 0 })
        continue
    }
    $members = @(Get-ADGroupMember -Identity $group.DistinguishedName -Recursive -Server $Domain @directory | Where-Object -FilterScript { [string]$_.objectClass -eq 'user' })
    $groupsRead.Add([ordered]@{ name = $name; found = $true; users = $members.Count })
    foreach ($member in $members) {
        $key = ([string]$member.distinguishedName).ToLowerInvariant()
        if ($seen.ContainsKey($key)) { continue }
        $seen[$key] = $true
        $total++
        if ($users.Count -lt $MaxUsers) { $users.Add([string]$member.distinguishedName) }
    }
}

$graph = $PSBoundParameters.ContainsKey('TenantId') -and $PSBoundParameters.ContainsKey('ClientId') -and $PSBoundParameters.ContainsKey('CertificateThumbprint')
$select = 'id,userPrincipalName,onPremisesSamAccountName,onPremisesDomainName,onPremisesSecurityIdentifier'
function Find-EntraUser {
    param([Parameter(Mandatory = $true)][string]$Property, [Parameter(Mandatory = $true)][string]$Value)
    $filter = "{0} eq '{1}'" -f $Property, $Value.Replace("'", "''")
    $uri = 'v1.0/users?$filter={0}&$select={1}' -f [uri]::EscapeDataString($filter), $select
    $page = Invoke-MgGraphRequest -Method GET -Uri $uri -OutputType HashTable -ErrorAction Stop
    return @($page['value']) | Select-Object -First 1
}

if ($graph) { Connect-GraphAppOnly -TenantId $TenantId -ClientId $ClientId -CertificateThumbprint $CertificateThumbprint -Environment $Environment }
try {
    $results = New-Object -TypeName System.Collections.Generic.List[object]
    foreach ($dn in $users) {
        $user = Get-ADUser -Identity $dn -Server $Domain -Properties 'PasswordExpired', 'PasswordNeverExpires', 'pwdLastSet', 'primaryGroupID', 'tokenGroups' @directory
        $sid = [string]$user.SID
        $tokenGroups = @($user.tokenGroups | ForEach-Object -Process { [string]$_ })
        $reasons = New-Object -TypeName System.Collections.Generic.List[string]
        if (-not $user.Enabled) { $reasons.Add('the account is disabled') }
        if ([int]$user.primaryGroupID -ne 513 -and $tokenGroups -notcontains $domainUsersSid) { $reasons.Add('not a member of Domain Users') }
        $identities = @($sid) + $tokenGroups
        $deniedBy = @($DeniedSids | Where-Object -FilterScript { $identities -contains $_ })
        if ($deniedBy.Count -gt 0) {
            $reasons.Add(('denied by the AzureADKerberos password replication policy ({0}): sign-in fails with 0xc000006d / KDC_ERR_TGT_REVOKED' -f (($deniedBy | ForEach-Object -Process { $deniedName[$_] }) -join ', ')))
        }
        elseif ($AllowedSids.Count -gt 0 -and @($AllowedSids | Where-Object -FilterScript { $identities -contains $_ }).Count -eq 0) {
            $reasons.Add('not on the allowed list of the AzureADKerberos password replication policy')
        }
        if ([long]$user.pwdLastSet -eq 0) { $reasons.Add('must change the password at next logon (pwdLastSet 0)') }
        elseif ($user.PasswordExpired -and -not $user.PasswordNeverExpires) { $reasons.Add('the password has expired: cloud trust sign-in is blocked until it is reset') }
        if ($tokenGroups.Count -gt $maxGroups) { $reasons.Add(('member of {0} groups: an Entra Kerberos ticket carries at most {1}' -f $tokenGroups.Count, $maxGroups)) }
        if ($graph) {
            $entra = Find-EntraUser -Property 'onPremisesSecurityIdentifier' -Value $sid
            if ($null -eq $entra -and [string]$user.UserPrincipalName -ne '') { $entra = Find-EntraUser -Property 'userPrincipalName' -Value ([string]$user.UserPrincipalName) }
            if ($null -eq $entra) { $reasons.Add('not found in Entra ID (not synced)') }
            else {
                $missing = @('onPremisesSamAccountName', 'onPremisesDomainName', 'onPremisesSecurityIdentifier' | Where-Object -FilterScript { [string]$entra[$_] -eq '' })
                if ($missing.Count -gt 0) { $reasons.Add(('synced attributes missing in Entra ID: {0}' -f ($missing -join ', '))) }
            }
        }
        $results.Add([ordered]@{
                samAccountName    = [string]$user.SamAccountName
                userPrincipalName = $(if ([string]$user.UserPrincipalName -eq '') { $null } else { [string]$user.UserPrincipalName })
                ready             = ($reasons.Count -eq 0)
                reasons           = [object[]]$reasons.ToArray()
            })
    }
}
finally {
    if ($graph) { Disconnect-GraphAppOnly }
}

@{
    Changed = $false
    Result  = [ordered]@{
        domain       = $Domain
        groups       = [object[]]$groupsRead.ToArray()
        totalUsers   = $total
        checked      = $results.Count
        entraChecked = $graph
        users        = [object[]]$results.ToArray()
    }
}
