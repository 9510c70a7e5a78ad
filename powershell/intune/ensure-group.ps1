<#
.SYNOPSIS
    Ensures the Entra security group that receives the cloud-trust profile exists (Get -> Test -> Set).
.DESCRIPTION
    Signs in to Microsoft Graph app-only with a certificate and looks the group up by display name
    (Get-MgGroup -Filter "displayName eq '<name>'", the name quoted for OData: single quotes doubled).
    Missing: creates a security group (New-MgGroup: mailEnabled false, securityEnabled true, a mailNickname
    derived from the name - ASCII letters, digits, '-' and '_' only, at most 64 characters, so none of the
    forbidden characters @ ( ) \ [ ] " ; : . < > , or space). Present: changes nothing. Two or more groups with
    that name: fails, the step cannot tell which one is meant. -PlanOnly reports the change without making it.
    An existing group is never modified. Needs Group.ReadWrite.All (or Group.Create).
.NOTES
    Helper modules: Cloudtrust.Common (New-StepResult), Cloudtrust.Graph (Connect-GraphAppOnly,
    Disconnect-GraphAppOnly).
#>
[CmdletBinding()]
param(
    [Parameter(Mandatory = $true)]
    [ValidatePattern('^([0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}|(?=.{1,253}$)([A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?\.)+[A-Za-z]{2,63})$')]
    [string]$TenantId,
    [Parameter(Mandatory = $true)]
    [ValidatePattern('^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$')]
    [string]$ClientId,
    [Parameter(Mandatory = $true)]
    [ValidatePattern('^[0-9A-Fa-f]{40}$')]
    [string]$CertificateThumbprint,
    # The national cloud of the tenant (Connect-MgGraph -Environment); Graph URIs are relative, so they follow it.
    [ValidateSet('Global', 'USGov', 'USGovDoD', 'China')]
    [string]$Environment = 'Global',
    [Parameter(Mandatory = $true)]
    [ValidateLength(1, 256)]
    [ValidatePattern('^[^\x00-\x1F\x7F]*\S[^\x00-\x1F\x7F]*$')]
    [string]$DisplayName,
    [switch]$PlanOnly
)
Set-StrictMode -Version 2.0
$ErrorActionPreference = 'Stop'
$ProgressPreference = 'SilentlyContinue'

function Get-MailNickname {
    param([Parameter(Mandatory = $true)][string]$Name)
    # Case-sensitive replace: a case-insensitive class would keep non-ASCII letters that fold to ASCII (Kelvin sign).
    $nickname = ($Name -creplace '[^A-Za-z0-9_-]+', '-').Trim('-')
    if ($nickname.Length -gt 64) { $nickname = $nickname.Substring(0, 64).TrimEnd('-') }
    if ($nickname.Length -eq 0) { $nickname = 'group' }
    return $nickname
}

function ConvertTo-GroupState {
    param([Parameter(Mandatory = $true)][object]$Group)
    return [ordered]@{
        id              = [string]$Group.Id
        displayName     = [string]$Group.DisplayName
        mailNickname    = [string]$Group.MailNickname
        mailEnabled     = [bool]$Group.MailEnabled
        securityEnabled = [bool]$Group.SecurityEnabled
    }
}

function Get-GroupState {
    $filter = "displayName eq '{0}'" -f $DisplayName.Replace("'", "''")
    $found = @(Get-MgGroup -Filter $filter -All -Property 'id', 'displayName', 'mailNickname', 'mailEnabled', 'securityEnabled' -ErrorAction Stop)
    if ($found.Count -gt 1) {
        $ids = ($found | ForEach-Object -Process { [string]$_.Id }) -join ', '
        Write-Error -Message ("{0} groups are named '{1}' (ids {2}): the step cannot tell which one to use; rename or remove the extra groups, or choose another name" -f $found.Count, $DisplayName, $ids) -Category InvalidData -ErrorId 'AmbiguousGroupName' -TargetObject $DisplayName -ErrorAction Stop
    }
    if ($found.Count -eq 0) { return }
    return (ConvertTo-GroupState -Group $found[0])
}

Connect-GraphAppOnly -TenantId $TenantId -ClientId $ClientId -CertificateThumbprint $CertificateThumbprint -Environment $Environment
try {
    $before = Get-GroupState
    $changes = New-Object -TypeName System.Collections.Generic.List[string]
    $nickname = Get-MailNickname -Name $DisplayName
    if ($null -eq $before) {
        $changes.Add(("create security group '{0}' (mailNickname {1})" -f $DisplayName, $nickname))
    }
    elseif (-not $before.securityEnabled) {
        Write-Warning -Message ("group '{0}' ({1}) is not security-enabled; it is used as it is" -f $DisplayName, $before.id)
    }

    $after = $before
    if ($changes.Count -gt 0 -and -not $PlanOnly) {
        $created = New-MgGroup -DisplayName $DisplayName -MailEnabled:$false -MailNickname $nickname -SecurityEnabled -ErrorAction Stop
        # The new group is read from the create response: a filtered read right after creation can miss it
        # while the directory replicates.
        $after = ConvertTo-GroupState -Group $created
    }

    New-StepResult -Changes $changes -PlanOnly:$PlanOnly -Before $before -After $after
}
finally {
    Disconnect-GraphAppOnly
}
