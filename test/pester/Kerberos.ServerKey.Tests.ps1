BeforeAll {
    . (Join-Path -Path $PSScriptRoot -ChildPath 'Support.ps1')
    . (Get-StepScriptPath -RelativePath 'host/Cloudtrust.Host.ps1')
    Import-StandInModule -Name 'AzureADHybridAuthenticationManagement'
    Import-HelperModule -Name 'Cloudtrust.Common'
    $TestScript = Get-StepScriptPath -RelativePath 'kerberos/rotate-key.ps1'
    $TestCloud = New-TestCredential

    function Format-TestInstant {
        # A requestedAt as the workflow sends it: UTC, ISO 8601, whole seconds.
        param([datetime]$Value)
        return $Value.ToUniversalTime().ToString('yyyy-MM-ddTHH:mm:ssZ', [Globalization.CultureInfo]::InvariantCulture)
    }

    function Set-TestKey {
        # The key as Get-AzureADKerberosServer reports it; rotating moves KeyUpdatedOn to now.
        param([AllowNull()][object]$UpdatedOn, [string]$Id = 'b7f3c6f2-5d1e-4c3b-9a8f-0e1d2c3b4a59', [int]$Version = 4)
        $TestKey.Id = $Id
        $TestKey.KeyVersion = $Version
        $TestKey.CloudKeyVersion = $Version
        $TestKey.KeyUpdatedOn = $UpdatedOn
    }
}

Describe 'kerberos/rotate-key.ps1' {
    BeforeEach {
        # Select-KerberosServerEndpoint (Cloudtrust.Common) reads the module's endpoint first: the public cloud, left as it is.
        Mock Get-AzureADKerberosServerEndpoint -ModuleName 'Cloudtrust.Common' { 'Current Endpoint = 0(Public)' }
        Mock Set-AzureADKerberosServerEndpoint -ModuleName 'Cloudtrust.Common' { }
        $TestKey = @{}
        Mock Get-AzureADKerberosServer { [pscustomobject]@{ Id = $TestKey.Id; KeyVersion = $TestKey.KeyVersion; CloudKeyVersion = $TestKey.CloudKeyVersion; KeyUpdatedOn = $TestKey.KeyUpdatedOn } }
        Mock Set-AzureADKerberosServer {
            $TestKey.KeyVersion = $TestKey.KeyVersion + 1
            $TestKey.CloudKeyVersion = $TestKey.KeyVersion
            $TestKey.KeyUpdatedOn = [datetime]::UtcNow
        }
    }

    It 'rotates a key last updated before the request, with -RotateServerKey -Force' {
        Set-TestKey -UpdatedOn ([datetime]::UtcNow.AddDays(-30))

        $step = & $TestScript -Domain 'corp.contoso.com' -CloudCredential $TestCloud -RequestedAt (Format-TestInstant -Value ([datetime]::UtcNow.AddMinutes(-1)))

        $step.Changed | Should -BeTrue
        $step.Result.skipped | Should -BeNullOrEmpty
        $step.Result.before.keyVersion | Should -BeExactly '4'
        $step.Result.after.keyVersion | Should -BeExactly '5'
        Should -Invoke Set-AzureADKerberosServer -Times 1 -Exactly -ParameterFilter {
            $RotateServerKey -and $Force -and $Domain -eq 'corp.contoso.com' -and $CloudCredential.UserName -eq 'admin@contoso.example' -and $null -eq $DomainCredential
        }
    }

    It 'rotates once for a requestedAt string sent twice through the dispatcher' {
        $TestFrames = New-Object -TypeName 'System.Collections.Generic.List[object]'
        Mock Write-CloudtrustFrame { $TestFrames.Add($Envelope) }
        $global:CloudtrustHostState = @{ Scripts = @{ 'kerberos.rotate-key' = $TestScript } }
        Set-TestKey -UpdatedOn ([datetime]::UtcNow.AddDays(-30))
        $requestedAt = Format-TestInstant -Value ([datetime]::UtcNow.AddMinutes(-1))
        $arguments = ConvertTo-Base64Json -Json ('{{"domain":"corp.contoso.com","cloudCredential":{{"__pscredential":{{"userName":"admin@contoso.example","password":"Pa55-w0rd!"}}}},"requestedAt":"{0}","force":false,"planOnly":false}}' -f $requestedAt)

        Invoke-CloudtrustStep -CallId 'rotate0001' -ScriptId 'kerberos.rotate-key' -ArgumentsBase64 $arguments
        Invoke-CloudtrustStep -CallId 'rotate0002' -ScriptId 'kerberos.rotate-key' -ArgumentsBase64 $arguments

        $TestFrames.Count | Should -Be 2
        $TestFrames[0].ok | Should -BeTrue
        $TestFrames[0].changed | Should -BeTrue
        $TestFrames[1].ok | Should -BeTrue
        $TestFrames[1].changed | Should -BeFalse
        $TestFrames[1].result.skipped | Should -BeExactly 'already rotated for this request'
        Should -Invoke Set-AzureADKerberosServer -Times 1 -Exactly
    }

    It 'counts a key updated at the requested instant as served when the module reports it in local time' {
        $requested = [datetime]::UtcNow.AddHours(-1)
        $requestedAt = Format-TestInstant -Value $requested
        Set-TestKey -UpdatedOn ([datetime]::Parse($requestedAt, [Globalization.CultureInfo]::InvariantCulture, [Globalization.DateTimeStyles]::AdjustToUniversal).ToLocalTime())

        $step = & $TestScript -Domain 'corp.contoso.com' -CloudCredential $TestCloud -RequestedAt $requestedAt

        $step.Result.skipped | Should -BeExactly 'already rotated for this request'
        Should -Invoke Set-AzureADKerberosServer -Times 0 -Exactly
    }

    It 'leaves a key updated less than 24 hours ago alone, with a warning' {
        Set-TestKey -UpdatedOn ([datetime]::UtcNow.AddHours(-2))
        $warnings = $null

        $step = & $TestScript -Domain 'corp.contoso.com' -CloudCredential $TestCloud -RequestedAt (Format-TestInstant -Value ([datetime]::UtcNow)) -WarningVariable warnings -WarningAction SilentlyContinue

        $step.Changed | Should -BeFalse
        $step.Result.skipped | Should -BeExactly 'key updated less than 24 hours ago'
        @($warnings).Count | Should -Be 1
        [string]$warnings[0] | Should -BeLike 'corp.contoso.com: key updated at *, less than 24 hours ago; not rotated*'
        Should -Invoke Set-AzureADKerberosServer -Times 0 -Exactly
    }

    It 'rotates a key updated less than 24 hours ago with -Force' {
        Set-TestKey -UpdatedOn ([datetime]::UtcNow.AddHours(-2))

        $step = & $TestScript -Domain 'corp.contoso.com' -CloudCredential $TestCloud -RequestedAt (Format-TestInstant -Value ([datetime]::UtcNow)) -Force

        $step.Changed | Should -BeTrue
        Should -Invoke Set-AzureADKerberosServer -Times 1 -Exactly
    }

    It 'only reports the rotation in -PlanOnly' {
        Set-TestKey -UpdatedOn ([datetime]::UtcNow.AddDays(-30))

        $step = & $TestScript -Domain 'corp.contoso.com' -CloudCredential $TestCloud -RequestedAt (Format-TestInstant -Value ([datetime]::UtcNow)) -PlanOnly

        $step.Changed | Should -BeTrue
        $step.Result.planOnly | Should -BeTrue
        $step.Result.changes | Should -Be @('rotate the Kerberos server key of corp.contoso.com (key version 4)')
        $step.Result.after.keyVersion | Should -BeExactly '4'
        Should -Invoke Set-AzureADKerberosServer -Times 0 -Exactly
    }

    It 'refuses to rotate the key of a server object that does not exist' {
        Set-TestKey -UpdatedOn $null -Id ''

        { & $TestScript -Domain 'corp.contoso.com' -CloudCredential $TestCloud -RequestedAt (Format-TestInstant -Value ([datetime]::UtcNow)) } | Should -Throw '*does not exist; create it before rotating its key'
        Should -Invoke Set-AzureADKerberosServer -Times 0 -Exactly
    }

    It 'refuses a requestedAt that is not a UTC ISO timestamp, before signing in' {
        Set-TestKey -UpdatedOn ([datetime]::UtcNow.AddDays(-30))

        { & $TestScript -Domain 'corp.contoso.com' -CloudCredential $TestCloud -RequestedAt '11/25/2026 10:00:00' } | Should -Throw -ErrorId 'ParameterArgumentValidationError*'
        Should -Invoke Get-AzureADKerberosServer -Times 0 -Exactly
    }
}

AfterAll {
    $global:CloudtrustHostState = $null
}
