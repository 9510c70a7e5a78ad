<#
.SYNOPSIS
    Ensures a GPO's security filtering targets one computer group, with Authenticated Users kept at GpoRead.
.DESCRIPTION
    Reads the group (Get-ADGroup: a group that does not exist fails here, in plan mode too), the GPO named GpoName
    (Get-GPO -All, matched by display name; two GPOs with that name is an error) and its permissions
    (Get-GPPermission -All). Then, only where they differ:
      the group gets GpoApply          Set-GPPermission -TargetType Group -PermissionLevel GpoApply -Replace
      Authenticated Users get GpoRead  Set-GPPermission -TargetType Group -PermissionLevel GpoRead -Replace
    in that order, so the policy never applies to nobody in between. Authenticated Users keep GpoRead: without read,
    Group Policy processing breaks since MS16-072. Authenticated Users are found by their SID (S-1-5-11), so a
    localised name works too. Other trustees are left alone; one that also holds GpoApply is reported as a warning.
    With -PlanOnly nothing is changed; a GPO that does not exist yet is planned from New-GPO's defaults.
.NOTES
    Helper modules: Cloudtrust.Common (New-StepError, New-StepResult), Cloudtrust.GroupPolicy (Find-Gpo).
#>
[CmdletBinding()]
param(
    [Parameter(Mandatory = $true)]
    [ValidatePattern('^(?=.{1,253}$)([A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?\.)+[A-Za-z]{2,63}$')]
    [string]$Domain,
    [Parameter(Mandatory = $true)]
    [ValidatePattern('^[^\x00-\x1F]{1,255}$')]
    [string]$GpoName,
    [Parameter(Mandatory = $true)]
    [ValidatePattern('^[^"/\\\[\]:;|=,+*?<>\x00-\x1F]{1,256}$')]
    [string]$GroupName,
    [switch]$PlanOnly
)
Set-StrictMode -Version 2.0
$ErrorActionPreference = 'Stop'
$ProgressPreference = 'SilentlyContinue'

$env:ADPS_LoadDefaultDrive = '0'
Import-Module -Name 'ActiveDirectory'
Import-Module -Name 'GroupPolicy'

$authenticatedUsersSid = 'S-1-5-11'

function ConvertTo-Permission {
    # GPPermission as documented: Trustee (Name, Sid, SidType), the level (Permission; PermissionLevel in some
    # documentation), Denied.
    param([Parameter(Mandatory = $true)][object]$Entry)
    $level = $null
    if ($null -ne $Entry.PSObject.Properties['Permission']) { $level = $Entry.Permission } elseif ($null -ne $Entry.PSObject.Properties['PermissionLevel']) { $level = $Entry.PermissionLevel }
    $denied = $false
    if ($null -ne $Entry.PSObject.Properties['Denied']) { $denied = [bool]$Entry.Denied }
    $trusteeType = ''
    if ($null -ne $Entry.PSObject.Properties['TrusteeType']) { $trusteeType = [string]$Entry.TrusteeType } else { $trusteeType = [string]$Entry.Trustee.SidType }
    return [ordered]@{
        trustee     = [string]$Entry.Trustee.Name
        trusteeType = $trusteeType
        permission  = [string]$level
        sid         = [string]$Entry.Trustee.Sid
        denied      = $denied
    }
}

function Get-FilteringState {
    param([AllowNull()][object]$Gpo)
    if ($null -eq $Gpo) { return $null }
    $entries = @(Get-GPPermission -Guid $Gpo.Id -All -DomainName $Domain -Server $server | ForEach-Object -Process { ConvertTo-Permission -Entry $_ })
    return [ordered]@{ id = $Gpo.Id.ToString().ToLowerInvariant(); entries = $entries }
}

function ConvertTo-PublicState {
    param([AllowNull()][object]$State)
    if ($null -eq $State) { return $null }
    $permissions = @($State.entries | ForEach-Object -Process { [ordered]@{ trustee = $_.trustee; trusteeType = $_.trusteeType; permission = $_.permission } })
    return [ordered]@{ id = $State.id; permissions = [object[]]$permissions }
}

$adDomain = Get-ADDomain -Identity $Domain -Server $Domain
$server = [string]$adDomain.PDCEmulator

# Fails with the directory's not-found error when the group does not exist.
$group = Get-ADGroup -Identity $GroupName -Server $server -Properties 'member'
$groupSid = [string]$group.SID
$groupName = [string]$group.SamAccountName
$authenticatedUsers = (New-Object -TypeName System.Security.Principal.SecurityIdentifier -ArgumentList $authenticatedUsersSid).Translate([System.Security.Principal.NTAccount]).Value
$authenticatedUsers = $authenticatedUsers.Substring($authenticatedUsers.IndexOf('\') + 1)

$warnings = New-Object -TypeName System.Collections.Generic.List[string]
$members = @()
if ($null -ne $group.PSObject.Properties['member']) { $members = @($group.member) }
if ($members.Count -eq 0) {
    $warnings.Add(('group {0} has no members: the policy applies to no computer until computer accounts are added' -f $groupName))
}

$gpo = Find-Gpo -Name $GpoName -Domain $Domain -Server $server
if ($null -eq $gpo -and -not $PlanOnly) {
    throw (New-StepError -Message ('GPO ''{0}'' was not found in {1}: ensure the policy (gpo.ensure-policy) first' -f $GpoName, $Domain) -ErrorId 'GpoNotFound' -Category 'ObjectNotFound' -Target $GpoName)
}
$before = Get-FilteringState -Gpo $gpo
$entries = @()
if ($null -ne $before) { $entries = @($before.entries) }

$changes = New-Object -TypeName System.Collections.Generic.List[string]
$groupEntry = @($entries | Where-Object -FilterScript { $_.sid -eq $groupSid }) | Select-Object -First 1
$groupNeedsApply = $null -eq $groupEntry -or $groupEntry.permission -ne 'GpoApply' -or $groupEntry.denied
if ($groupNeedsApply) {
    $was = 'none'
    if ($null -ne $groupEntry) { $was = $groupEntry.permission }
    $changes.Add(('grant {0} GpoApply on GPO ''{1}'' (was {2})' -f $groupName, $GpoName, $was))
}
$readersEntry = @($entries | Where-Object -FilterScript { $_.sid -eq $authenticatedUsersSid }) | Select-Object -First 1
$readersNeedRead = $null -eq $readersEntry -or $readersEntry.permission -ne 'GpoRead' -or $readersEntry.denied
if ($readersNeedRead) {
    $was = 'none'
    if ($null -eq $gpo) { $was = 'GpoApply, the default of a new GPO' } elseif ($null -ne $readersEntry) { $was = $readersEntry.permission }
    $changes.Add(('set {0} to GpoRead on GPO ''{1}'' (was {2}): read only, so the policy applies to {3} alone' -f $authenticatedUsers, $GpoName, $was, $groupName))
}
foreach ($entry in $entries) {
    if ($entry.permission -eq 'GpoApply' -and -not $entry.denied -and $entry.sid -ne $groupSid -and $entry.sid -ne $authenticatedUsersSid) {
        $warnings.Add(('{0} also holds GpoApply on GPO ''{1}'': the policy applies to it as well; left as it is' -f $entry.trustee, $GpoName))
    }
}

if (-not $PlanOnly) {
    if ($groupNeedsApply) {
        $null = Set-GPPermission -Guid $gpo.Id -TargetName $groupName -TargetType 'Group' -PermissionLevel 'GpoApply' -Replace -DomainName $Domain -Server $server
    }
    if ($readersNeedRead) {
        $null = Set-GPPermission -Guid $gpo.Id -TargetName $authenticatedUsers -TargetType 'Group' -PermissionLevel 'GpoRead' -Replace -DomainName $Domain -Server $server
    }
}
foreach ($warning in $warnings) { Write-Warning -Message $warning }

$after = Get-FilteringState -Gpo $gpo
New-StepResult -Changes $changes -PlanOnly:$PlanOnly -Before (ConvertTo-PublicState -State $before) -After (ConvertTo-PublicState -State $after)
