BeforeAll {
    . (Join-Path -Path $PSScriptRoot -ChildPath 'Support.ps1')
    Import-StandInModule -Name 'ActiveDirectory', 'GroupPolicy'
    Import-HelperModule -Name 'Cloudtrust.Common', 'Cloudtrust.GroupPolicy'
    $TestScript = Get-StepScriptPath -RelativePath 'gpo/ensure-policy.ps1'
    $TestGpoId = [guid]'0f7b6a2e-58a4-4e43-a5b2-6a1f4b8e2c11'
    $TestPolicyKey = 'HKLM\SOFTWARE\Policies\Microsoft\PassportForWork'

    function New-TestSetting {
        # A PolicyRegistrySetting under the policy key (KeyPath without the hive, as Get-GPRegistryValue writes it).
        param([string]$SubKey = '', [string]$ValueName, [int]$Value, [string]$PolicyState = 'Set')
        $keyPath = 'Software\Policies\Microsoft\PassportForWork' + $SubKey
        return [pscustomobject]@{ KeyPath = $keyPath; FullKeyPath = 'HKEY_LOCAL_MACHINE\' + $keyPath; Hive = 'LocalMachine'; ValueName = $ValueName; Type = 'DWord'; Value = $Value; PolicyState = $PolicyState; HasValue = $true }
    }

    function New-TestSubKey {
        param([string]$SubKey)
        $keyPath = 'Software\Policies\Microsoft\PassportForWork' + $SubKey
        return [pscustomobject]@{ KeyPath = $keyPath; FullKeyPath = 'HKEY_LOCAL_MACHINE\' + $keyPath; Hive = 'LocalMachine' }
    }
}

Describe 'gpo/ensure-policy.ps1' {
    BeforeEach {
        Mock Get-ADDomain { [pscustomobject]@{ DistinguishedName = 'DC=corp,DC=contoso,DC=com'; PDCEmulator = 'dc1.corp.contoso.com' } }
        Mock Get-GPO -ModuleName 'Cloudtrust.GroupPolicy' { [pscustomobject]@{ DisplayName = 'WHfB cloud trust'; Id = $TestGpoId; GpoStatus = 'AllSettingsEnabled' } }
        # Enabled is in place; certificate trust and a security device requirement are configured; a PIN length
        # and a security-device exclusion live in subkeys.
        Mock Get-GPRegistryValue -ModuleName 'Cloudtrust.GroupPolicy' -ParameterFilter { $Key -eq $TestPolicyKey } {
            New-TestSetting -ValueName 'Enabled' -Value 1
            New-TestSetting -ValueName 'UseCertificateForOnPremAuth' -Value 1
            New-TestSetting -ValueName 'RequireSecurityDevice' -Value 1
            New-TestSubKey -SubKey '\PINComplexity'
            New-TestSubKey -SubKey '\ExcludeSecurityDevices'
        }
        Mock Get-GPRegistryValue -ModuleName 'Cloudtrust.GroupPolicy' -ParameterFilter { $Key -eq ($TestPolicyKey + '\PINComplexity') } { New-TestSetting -SubKey '\PINComplexity' -ValueName 'MinimumPINLength' -Value 4 }
        Mock Get-GPRegistryValue -ModuleName 'Cloudtrust.GroupPolicy' -ParameterFilter { $Key -eq ($TestPolicyKey + '\ExcludeSecurityDevices') } { New-TestSetting -SubKey '\ExcludeSecurityDevices' -ValueName 'TPM12' -Value 1 }
        Mock Get-GPRegistryValue -ModuleName 'Cloudtrust.GroupPolicy' -ParameterFilter { $Key -like 'HKCU\*' } {
            $exception = New-Object -TypeName System.ArgumentException -ArgumentList ('The following Group Policy registry setting was not found: "{0}".' -f $Key), 'keyPath'
            throw (New-Object -TypeName System.Management.Automation.ErrorRecord -ArgumentList $exception, 'UnableToRetrievePolicyRegistryItem,Microsoft.GroupPolicy.Commands.GetGPRegistryValueCommand', ([System.Management.Automation.ErrorCategory]::InvalidArgument), 'GetGPRegistryValueCommand')
        }
        Mock New-GPO { [pscustomobject]@{ DisplayName = $Name; Id = $TestGpoId; GpoStatus = 'AllSettingsEnabled' } }
        Mock Set-GPRegistryValue { }
        Mock Remove-GPRegistryValue { }
    }

    It 'sets only the values that differ, and removes certificate trust and what is not desired' {
        $warnings = $null

        $step = & $TestScript -Domain 'corp.contoso.com' -GpoName 'WHfB cloud trust' -PinComplexity @{ MinimumPinLength = 6 } -WarningVariable warnings -WarningAction SilentlyContinue

        $step.Changed | Should -BeTrue
        Should -Invoke Set-GPRegistryValue -Times 2 -Exactly
        Should -Invoke Set-GPRegistryValue -Times 1 -Exactly -ParameterFilter {
            $Key -eq $TestPolicyKey -and $ValueName -eq 'UseCloudTrustForOnPremAuth' -and $Type -eq 'DWord' -and $Value -eq 1 -and $Guid -eq $TestGpoId -and $Server -eq 'dc1.corp.contoso.com'
        }
        Should -Invoke Set-GPRegistryValue -Times 1 -Exactly -ParameterFilter { $Key -eq ($TestPolicyKey + '\PINComplexity') -and $ValueName -eq 'MinimumPINLength' -and $Value -eq 6 }
        Should -Invoke Remove-GPRegistryValue -Times 2 -Exactly
        Should -Invoke Remove-GPRegistryValue -Times 1 -Exactly -ParameterFilter { $Key -eq $TestPolicyKey -and $ValueName -eq 'UseCertificateForOnPremAuth' }
        Should -Invoke Remove-GPRegistryValue -Times 1 -Exactly -ParameterFilter { $Key -eq $TestPolicyKey -and $ValueName -eq 'RequireSecurityDevice' }
        @($warnings).Count | Should -Be 1
        [string]$warnings[0] | Should -BeLike "*ExcludeSecurityDevices\TPM12 = 1 (DWord); left as it is"
    }

    It 'keeps a desired value that is already in place' {
        $null = & $TestScript -Domain 'corp.contoso.com' -GpoName 'WHfB cloud trust' -RequireSecurityDevice -WarningAction SilentlyContinue

        Should -Invoke Set-GPRegistryValue -Times 0 -Exactly -ParameterFilter { $ValueName -eq 'Enabled' -or $ValueName -eq 'RequireSecurityDevice' }
        Should -Invoke Remove-GPRegistryValue -Times 1 -Exactly -ParameterFilter { $ValueName -eq 'MinimumPINLength' }
    }

    It 'changes nothing in -PlanOnly, and lists every change' {
        $step = & $TestScript -Domain 'corp.contoso.com' -GpoName 'WHfB cloud trust' -PlanOnly -WarningAction SilentlyContinue

        $step.Result.planOnly | Should -BeTrue
        @($step.Result.changes).Count | Should -Be 4
        @($step.Result.changes | Where-Object -FilterScript { $_ -like 'remove *UseCertificateForOnPremAuth*certificate trust takes precedence*' }).Count | Should -Be 1
        Should -Invoke Set-GPRegistryValue -Times 0 -Exactly
        Should -Invoke Remove-GPRegistryValue -Times 0 -Exactly
        Should -Invoke New-GPO -Times 0 -Exactly
    }

    It 'creates a missing GPO, then sets the policy in it' {
        Mock Get-GPO -ModuleName 'Cloudtrust.GroupPolicy' { }

        $step = & $TestScript -Domain 'corp.contoso.com' -GpoName 'WHfB cloud trust'

        $step.Result.before | Should -BeNullOrEmpty
        Should -Invoke New-GPO -Times 1 -Exactly -ParameterFilter { $Name -eq 'WHfB cloud trust' -and $Domain -eq 'corp.contoso.com' }
        Should -Invoke Set-GPRegistryValue -Times 2 -Exactly -ParameterFilter { $Guid -eq $TestGpoId }
    }

    It 'refuses a PIN minimum above the maximum before reading the directory' {
        { & $TestScript -Domain 'corp.contoso.com' -GpoName 'WHfB cloud trust' -PinComplexity @{ MinimumPinLength = 12; MaximumPinLength = 8 } } | Should -Throw -ErrorId 'PinLengthRange'

        Should -Invoke Get-ADDomain -Times 0 -Exactly
    }

    It 'refuses a PIN setting it does not know' {
        { & $TestScript -Domain 'corp.contoso.com' -GpoName 'WHfB cloud trust' -PinComplexity @{ MinimumPinLenght = 6 } } | Should -Throw -ErrorId 'NamedParameterNotFound*'

        Should -Invoke Set-GPRegistryValue -Times 0 -Exactly
    }
}
