<#
.SYNOPSIS
    Read-only: the password replication policy of CN=AzureADKerberos,OU=Domain Controllers,<domain DN>, and which of
    the given user groups cannot use cloud Kerberos trust because of it.
.DESCRIPTION
    The AzureADKerberos object is shaped as a read-only domain controller: a user gets a partial TGT redeemed only
    when the object's policy allows the user and does not deny it. Reads the allowed and denied lists with
    Get-ADDomainControllerPasswordReplicationPolicy -Identity <the object's DN> -Allowed / -Denied, expands the
    denied groups (Get-ADGroupMember, group by group, across the forest's domains), then for each named user group
    says whether the group itself is denied (listed, or nested in a denied group) and how many of its users
    (Get-ADGroupMember -Recursive) are on the denied side. Never changes the policy: Microsoft says not to relax it.
    When the object does not exist yet (present false), the lists are the default policy it will get, read as
    the domain's groups of those well-known SIDs.
#>
[CmdletBinding()]
param(
    [Parameter(Mandatory = $true)]
    [ValidatePattern('^(?=.{1,253}$)([A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?\.)+[A-Za-z]{2,63}$')]
    [string]$Domain,
    [ValidateCount(0, 50)][ValidatePattern('^[\p{L}\p{N}][\p{L}\p{N} _.()-]{0,255}$')][string[]]$UserGroups = @(),
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
$objectDn = 'CN=AzureADKerberos,OU=Domain Controllers,' + $domainDn
$expansionLimit = 20000

function ConvertTo-Principal {
    param([Parameter(Mandatory = $true)]$Principal)
    [ordered]@{ name = [string]$Principal.name; distinguishedName = [string]$Principal.distinguishedName; objectClass = [string]$Principal.objectClass; sid = [string]$Principal.SID }
}

function Get-ServerOf {
    # The domain that holds a DN (its DC= components): members of a group may live in another domain of the forest.
    param([Parameter(Mandatory = $true)][string]$DistinguishedName)
    $labels = @([regex]::Matches($DistinguishedName, '(?i)(?:^|,)DC=([^,]+)') | ForEach-Object -Process { $_.Groups[1].Value })
    return ($labels -join '.')
}

$present = $null -ne (Get-ADObject -Server $Domain -SearchBase ('OU=Domain Controllers,' + $domainDn) -SearchScope 'OneLevel' -LDAPFilter '(cn=AzureADKerberos)' @directory)
if ($present) {
    $allowed = @(Get-ADDomainControllerPasswordReplicationPolicy -Identity $objectDn -Allowed -Server $Domain @directory)
    $denied = @(Get-ADDomainControllerPasswordReplicationPolicy -Identity $objectDn -Denied -Server $Domain @directory)
}
else {
    # Not created yet: the policy it will get, so a plan can say who will fail. Microsoft documents the RODC rules
    # (Denied RODC Password Replication Group and the privileged built-in groups denied); Domain Users on the
    # allowed list is inferred from the requirement that users be members of Domain Users.
    Write-Warning -Message ('{0} does not exist yet: users are checked against the default policy it will get.' -f $objectDn)
    $domainSid = [string](Get-ADDomain -Identity $Domain -Server $Domain @directory).DomainSID
    $allowed = @(($domainSid + '-571'), ($domainSid + '-513') | ForEach-Object -Process { Get-ADGroup -Identity $_ -Server $Domain @directory })
    $denied = @(($domainSid + '-572'), 'S-1-5-32-548', 'S-1-5-32-549', 'S-1-5-32-551', 'S-1-5-32-544' | ForEach-Object -Process { Get-ADGroup -Identity $_ -Server $Domain @directory })
}

# Every group on or under the denied list (by DN), with the listed principal it comes from, and every account under it.
$deniedGroups = @{}
$deniedAccounts = @{}
$queue = New-Object -TypeName System.Collections.Generic.Queue[object]
foreach ($principal in $denied) {
    $dn = ([string]$principal.distinguishedName).ToLowerInvariant()
    if ([string]$principal.objectClass -eq 'group') {
        if (-not $deniedGroups.ContainsKey($dn)) { $deniedGroups[$dn] = [string]$principal.name; $queue.Enqueue(@([string]$principal.distinguishedName, [string]$principal.name)) }
    }
    else { $deniedAccounts[$dn] = [string]$principal.name }
}
while ($queue.Count -gt 0 -and ($deniedGroups.Count + $deniedAccounts.Count) -lt $expansionLimit) {
    $next = $queue.Dequeue()
    foreach ($member in @(Get-ADGroupMember -Identity $next[0] -Server (Get-ServerOf -DistinguishedName $next[0]) @directory)) {
        $dn = ([string]$member.distinguishedName).ToLowerInvariant()
        if ([string]$member.objectClass -eq 'group') {
            if (-not $deniedGroups.ContainsKey($dn)) { $deniedGroups[$dn] = $next[1]; $queue.Enqueue(@([string]$member.distinguishedName, $next[1])) }
        }
        elseif (-not $deniedAccounts.ContainsKey($dn)) { $deniedAccounts[$dn] = $next[1] }
    }
}

$groups = New-Object -TypeName System.Collections.Generic.List[object]
foreach ($name in $UserGroups) {
    $entry = [ordered]@{ name = $name; found = $false; deniedVia = $null; users = 0; deniedUsers = 0; deniedExamples = [object[]]@() }
    try {
        $group = Get-ADGroup -Identity $name -Server $Domain @directory
    }
    catch [Microsoft.ActiveDirectory.Management.ADIdentityNotFoundException] {
        $groups.Add($entry)
        continue
    }
    $entry.found = $true
    $groupDn = ([string]$group.DistinguishedName).ToLowerInvariant()
    if ($deniedGroups.ContainsKey($groupDn)) { $entry.deniedVia = $deniedGroups[$groupDn] }
    $members = @(Get-ADGroupMember -Identity $group.DistinguishedName -Recursive -Server $Domain @directory | Where-Object -FilterScript { [string]$_.objectClass -eq 'user' })
    $entry.users = $members.Count
    $deniedMembers = @($members | Where-Object -FilterScript { $deniedAccounts.ContainsKey(([string]$_.distinguishedName).ToLowerInvariant()) })
    $entry.deniedUsers = $deniedMembers.Count
    $entry.deniedExamples = [object[]]@($deniedMembers | Select-Object -First 10 | ForEach-Object -Process { '{0} (via {1})' -f [string]$_.SamAccountName, $deniedAccounts[([string]$_.distinguishedName).ToLowerInvariant()] })
    $groups.Add($entry)
}

@{
    Changed = $false
    Result  = [ordered]@{
        domain           = $Domain
        objectDn         = $objectDn
        present          = $present
        allowed          = [object[]]@($allowed | ForEach-Object -Process { ConvertTo-Principal -Principal $_ })
        denied           = [object[]]@($denied | ForEach-Object -Process { ConvertTo-Principal -Principal $_ })
        deniedGroupCount = $deniedGroups.Count
        groups           = [object[]]$groups.ToArray()
    }
}
