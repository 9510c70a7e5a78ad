<#
.SYNOPSIS
    Ensures a GPO holds exactly the Windows Hello for Business cloud Kerberos trust computer policy.
.DESCRIPTION
    Reads the GPO named GpoName (Get-GPO -All, matched by display name; two GPOs with that name is an error) and its
    PassportForWork registry policy settings (Get-GPRegistryValue), compares them with the desired computer policy
    and changes only what differs:
      HKLM\SOFTWARE\Policies\Microsoft\PassportForWork      Enabled = 1, UseCloudTrustForOnPremAuth = 1,
                                                            RequireSecurityDevice = 1 only with -RequireSecurityDevice
      HKLM\...\PassportForWork\PINComplexity                only the values given in PinComplexity
    Changes: creates the GPO when missing (New-GPO), sets DWord values (Set-GPRegistryValue -Type DWord) and removes
    every other value directly under those two keys (Remove-GPRegistryValue), UseCertificateForOnPremAuth included.
    UseCertificateForOnPremAuth is never set; it is also removed from the GPO's user scope. Other subkeys and other
    user-scope settings are left alone and reported as warnings. With -PlanOnly nothing is changed.
.NOTES
    Helper modules: Cloudtrust.Common (New-StepError, New-StepResult), Cloudtrust.GroupPolicy (Find-Gpo,
    Get-PassportValue).
#>
[CmdletBinding()]
param(
    [Parameter(Mandatory = $true)]
    [ValidatePattern('^(?=.{1,253}$)([A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?\.)+[A-Za-z]{2,63}$')]
    [string]$Domain,
    [Parameter(Mandatory = $true)]
    [ValidatePattern('^[^\x00-\x1F]{1,255}$')]
    [string]$GpoName,
    [switch]$RequireSecurityDevice,
    [hashtable]$PinComplexity,
    [switch]$PlanOnly
)
Set-StrictMode -Version 2.0
$ErrorActionPreference = 'Stop'
$ProgressPreference = 'SilentlyContinue'

$env:ADPS_LoadDefaultDrive = '0'
Import-Module -Name 'ActiveDirectory'
Import-Module -Name 'GroupPolicy'

$policyKey = 'HKLM\SOFTWARE\Policies\Microsoft\PassportForWork'
$pinKey = $policyKey + '\PINComplexity'
$userPolicyKey = 'HKCU\SOFTWARE\Policies\Microsoft\PassportForWork'

function Get-PinComplexityValue {
    # Binds PinComplexity like a param() block: unknown names and out-of-range values fail here.
    [CmdletBinding()]
    param(
        [ValidateRange(4, 127)][int]$MinimumPinLength,
        [ValidateRange(4, 127)][int]$MaximumPinLength,
        [ValidateRange(0, 2)][int]$UppercaseLetters,
        [ValidateRange(0, 2)][int]$LowercaseLetters,
        [ValidateRange(0, 2)][int]$SpecialCharacters,
        [ValidateRange(0, 2)][int]$Digits,
        [ValidateRange(0, 50)][int]$History,
        [ValidateRange(0, 730)][int]$Expiration
    )
    $valueNames = [ordered]@{
        MinimumPinLength  = 'MinimumPINLength'
        MaximumPinLength  = 'MaximumPINLength'
        UppercaseLetters  = 'UppercaseLetters'
        LowercaseLetters  = 'LowercaseLetters'
        SpecialCharacters = 'SpecialCharacters'
        Digits            = 'Digits'
        History           = 'History'
        Expiration        = 'Expiration'
    }
    $values = [ordered]@{}
    foreach ($parameter in $valueNames.Keys) {
        if ($PSBoundParameters.ContainsKey($parameter)) { $values[$valueNames[$parameter]] = [int]$PSBoundParameters[$parameter] }
    }
    if ($values.Contains('MinimumPINLength') -and $values.Contains('MaximumPINLength') -and $values['MinimumPINLength'] -gt $values['MaximumPINLength']) {
        throw (New-StepError -Message ('MinimumPINLength ({0}) must not exceed MaximumPINLength ({1})' -f $values['MinimumPINLength'], $values['MaximumPINLength']) -ErrorId 'PinLengthRange' -Category 'InvalidArgument' -Target 'PinComplexity')
    }
    return $values
}

function Get-PolicyState {
    param([AllowNull()][object]$Gpo)
    if ($null -eq $Gpo) { return $null }
    $values = @(foreach ($key in $policyKey, $userPolicyKey) { Get-PassportValue -GpoId $Gpo.Id -Key $key -Domain $Domain -Server $server })
    return [ordered]@{
        id          = $Gpo.Id.ToString().ToLowerInvariant()
        displayName = [string]$Gpo.DisplayName
        status      = [string]$Gpo.GpoStatus
        values      = [object[]]$values
    }
}

function Format-Value {
    param([AllowNull()][object]$Value)
    if ($null -eq $Value) { return 'not set' }
    $text = '{0} ({1}' -f $Value.value, $Value.type
    if ($Value.policyState -eq 'Delete') { $text += ', deletes the value on clients' }
    return $text + ')'
}

$pinValues = [ordered]@{}
if ($null -ne $PinComplexity) { $pinValues = Get-PinComplexityValue @PinComplexity }

$adDomain = Get-ADDomain -Identity $Domain -Server $Domain
$server = [string]$adDomain.PDCEmulator

$desired = New-Object -TypeName System.Collections.Generic.List[object]
$desired.Add([ordered]@{ key = $policyKey; valueName = 'Enabled'; value = 1 })
$desired.Add([ordered]@{ key = $policyKey; valueName = 'UseCloudTrustForOnPremAuth'; value = 1 })
if ($RequireSecurityDevice) { $desired.Add([ordered]@{ key = $policyKey; valueName = 'RequireSecurityDevice'; value = 1 }) }
foreach ($name in $pinValues.Keys) { $desired.Add([ordered]@{ key = $pinKey; valueName = $name; value = $pinValues[$name] }) }

$gpo = Find-Gpo -Name $GpoName -Domain $Domain -Server $server
$before = Get-PolicyState -Gpo $gpo
$current = @()
if ($null -ne $before) { $current = @($before['values']) }

$changes = New-Object -TypeName System.Collections.Generic.List[string]
$warnings = New-Object -TypeName System.Collections.Generic.List[string]
$toSet = New-Object -TypeName System.Collections.Generic.List[object]
$toRemove = New-Object -TypeName System.Collections.Generic.List[object]

if ($null -eq $gpo) { $changes.Add(('create GPO ''{0}'' in {1}' -f $GpoName, $Domain)) }
foreach ($want in $desired) {
    $have = @($current | Where-Object -FilterScript { $_.key -eq $want.key -and $_.valueName -eq $want.valueName }) | Select-Object -First 1
    $inPlace = $null -ne $have -and $have.type -eq 'DWord' -and $have.policyState -eq 'Set' -and [int64]$have.value -eq $want.value
    if (-not $inPlace) {
        $changes.Add(('set {0}\{1} = {2} (DWord), was {3}' -f $want.key, $want.valueName, $want.value, (Format-Value -Value $have)))
        $toSet.Add($want)
    }
}
foreach ($have in $current) {
    $managed = $have.key -eq $policyKey -or $have.key -eq $pinKey
    $wanted = @($desired | Where-Object -FilterScript { $_.key -eq $have.key -and $_.valueName -eq $have.valueName }).Count -gt 0
    if ($have.valueName -eq 'UseCertificateForOnPremAuth') {
        $changes.Add(('remove {0}\{1} = {2}: certificate trust takes precedence over cloud trust' -f $have.key, $have.valueName, (Format-Value -Value $have)))
        $toRemove.Add($have)
    }
    elseif ($managed -and -not $wanted) {
        $changes.Add(('remove {0}\{1} = {2}: not part of the desired policy' -f $have.key, $have.valueName, (Format-Value -Value $have)))
        $toRemove.Add($have)
    }
    elseif (-not $managed) {
        $warnings.Add(('GPO ''{0}'' also carries {1}\{2} = {3}; left as it is' -f $GpoName, $have.key, $have.valueName, (Format-Value -Value $have)))
    }
}
if ($null -ne $before -and $before.status -ne 'AllSettingsEnabled' -and $before.status -ne 'UserSettingsDisabled') {
    $warnings.Add(('GPO ''{0}'' has status {1}: its computer settings do not apply' -f $GpoName, $before.status))
}

if (-not $PlanOnly -and $changes.Count -gt 0) {
    if ($null -eq $gpo) { $gpo = New-GPO -Name $GpoName -Domain $Domain -Server $server }
    foreach ($want in $toSet) {
        $null = Set-GPRegistryValue -Guid $gpo.Id -Key $want.key -ValueName $want.valueName -Type 'DWord' -Value ([int]$want.value) -Domain $Domain -Server $server
    }
    foreach ($have in $toRemove) {
        $null = Remove-GPRegistryValue -Guid $gpo.Id -Key $have.key -ValueName $have.valueName -Domain $Domain -Server $server
    }
}
foreach ($warning in $warnings) { Write-Warning -Message $warning }

$after = Get-PolicyState -Gpo $gpo
New-StepResult -Changes $changes -PlanOnly:$PlanOnly -Before $before -After $after
