BeforeAll {
    . (Join-Path -Path $PSScriptRoot -ChildPath 'Support.ps1')
    Import-StandInModule -Name 'Microsoft.Graph.Authentication', 'Microsoft.Graph.Groups'
    Import-HelperModule -Name 'Cloudtrust.Common', 'Cloudtrust.Graph'
    $TestScript = Get-StepScriptPath -RelativePath 'intune/ensure-group.ps1'
    $TestSignIn = @{
        TenantId              = '0b2c7e0e-9a3d-4f55-8c1e-3d4b5a6c7d8e'
        ClientId              = '5d0e4b3c-2a19-4f88-b7e6-1c2d3e4f5a6b'
        CertificateThumbprint = 'A1B2C3D4E5F60718293A4B5C6D7E8F9012345678'
    }
}

Describe 'intune/ensure-group.ps1' {
    BeforeEach {
        Mock Connect-MgGraph -ModuleName 'Cloudtrust.Graph' { }
        Mock Disconnect-MgGraph -ModuleName 'Cloudtrust.Graph' { }
        Mock Get-MgGroup { }
        Mock New-MgGroup { [pscustomobject]@{ Id = '9f8e7d6c-5b4a-4392-8170-6f5e4d3c2b1a'; DisplayName = $DisplayName; MailNickname = $MailNickname; MailEnabled = [bool]$MailEnabled; SecurityEnabled = [bool]$SecurityEnabled } }
    }

    It 'signs in app-only with the certificate, and signs out' {
        $null = & $TestScript @TestSignIn -DisplayName 'WHfB cloud trust devices'

        Should -Invoke Connect-MgGraph -ModuleName 'Cloudtrust.Graph' -Times 1 -Exactly -ParameterFilter {
            $ClientId -eq '5d0e4b3c-2a19-4f88-b7e6-1c2d3e4f5a6b' -and $TenantId -eq '0b2c7e0e-9a3d-4f55-8c1e-3d4b5a6c7d8e' -and $CertificateThumbprint -eq 'A1B2C3D4E5F60718293A4B5C6D7E8F9012345678' -and $NoWelcome
        }
        Should -Invoke Disconnect-MgGraph -ModuleName 'Cloudtrust.Graph' -Times 1 -Exactly
    }

    It 'creates a missing security group, without mail, from the create response' {
        $step = & $TestScript @TestSignIn -DisplayName 'WHfB cloud trust devices'

        $step.Changed | Should -BeTrue
        $step.Result.after.id | Should -BeExactly '9f8e7d6c-5b4a-4392-8170-6f5e4d3c2b1a'
        $step.Result.after.securityEnabled | Should -BeTrue
        Should -Invoke New-MgGroup -Times 1 -Exactly -ParameterFilter {
            $DisplayName -eq 'WHfB cloud trust devices' -and $MailNickname -eq 'WHfB-cloud-trust-devices' -and -not $MailEnabled -and $SecurityEnabled
        }
        Should -Invoke Get-MgGroup -Times 1 -Exactly
    }

    It 'quotes the name for OData, doubling single quotes' {
        $null = & $TestScript @TestSignIn -DisplayName "O'Brien's devices" -PlanOnly

        Should -Invoke Get-MgGroup -Times 1 -Exactly -ParameterFilter { $Filter -ceq "displayName eq 'O''Brien''s devices'" -and $All }
    }

    It 'derives a mail nickname of ASCII letters, digits, - and _ only, at most 64 characters' {
        $kelvin = [string][char]0x212A
        $long = 'Devices ' + ('x' * 70)

        $null = & $TestScript @TestSignIn -DisplayName ('(Pilot) ' + $kelvin + 'iosk: "ring 1"; tablets.')
        $null = & $TestScript @TestSignIn -DisplayName $long

        Should -Invoke New-MgGroup -Times 1 -Exactly -ParameterFilter { $MailNickname -ceq 'Pilot-iosk-ring-1-tablets' }
        Should -Invoke New-MgGroup -Times 1 -Exactly -ParameterFilter { $MailNickname -ceq ('Devices-' + ('x' * 56)) }
    }

    It 'uses an existing group as it is' {
        Mock Get-MgGroup { [pscustomobject]@{ Id = '11111111-2222-4333-8444-555555555555'; DisplayName = 'WHfB cloud trust devices'; MailNickname = 'whfb'; MailEnabled = $false; SecurityEnabled = $true } }

        $step = & $TestScript @TestSignIn -DisplayName 'WHfB cloud trust devices'

        $step.Changed | Should -BeFalse
        $step.Result.before.id | Should -BeExactly '11111111-2222-4333-8444-555555555555'
        Should -Invoke New-MgGroup -Times 0 -Exactly
    }

    It 'refuses a name that two groups share, and creates nothing' {
        Mock Get-MgGroup {
            [pscustomobject]@{ Id = '11111111-2222-4333-8444-555555555555'; DisplayName = 'Pilot'; MailNickname = 'pilot'; MailEnabled = $false; SecurityEnabled = $true }
            [pscustomobject]@{ Id = '66666666-7777-4888-9999-000000000000'; DisplayName = 'Pilot'; MailNickname = 'pilot2'; MailEnabled = $false; SecurityEnabled = $true }
        }

        { & $TestScript @TestSignIn -DisplayName 'Pilot' } | Should -Throw -ErrorId 'AmbiguousGroupName*'
        Should -Invoke New-MgGroup -Times 0 -Exactly
        Should -Invoke Disconnect-MgGraph -ModuleName 'Cloudtrust.Graph' -Times 1 -Exactly
    }

    It 'signs out when Graph fails' {
        Mock Get-MgGroup { throw 'Insufficient privileges to complete the operation.' }

        { & $TestScript @TestSignIn -DisplayName 'Pilot' } | Should -Throw '*Insufficient privileges*'
        Should -Invoke Disconnect-MgGraph -ModuleName 'Cloudtrust.Graph' -Times 1 -Exactly
    }

    It 'creates nothing in -PlanOnly' {
        $step = & $TestScript @TestSignIn -DisplayName 'Pilot' -PlanOnly

        $step.Changed | Should -BeTrue
        $step.Result.changes | Should -Be @("create security group 'Pilot' (mailNickname Pilot)")
        Should -Invoke New-MgGroup -Times 0 -Exactly
    }
}
