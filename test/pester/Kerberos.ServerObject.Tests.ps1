BeforeAll {
    . (Join-Path -Path $PSScriptRoot -ChildPath 'Support.ps1')
    Import-StandInModule -Name 'AzureADHybridAuthenticationManagement'
    $TestCloud = New-TestCredential

    function New-TestServer {
        # Get-AzureADKerberosServer's object: the AD half (Id, KeyVersion, KeyUpdatedOn, DomainDnsName) and the Entra half (Cloud*).
        param([string]$Id = 'b7f3c6f2-5d1e-4c3b-9a8f-0e1d2c3b4a59', [string]$CloudId = $Id, [int]$KeyVersion = 4, [int]$CloudKeyVersion = $KeyVersion)
        $updatedOn = [datetime]::new(2026, 11, 2, 9, 30, 0, [DateTimeKind]::Utc)
        return [pscustomobject]@{
            Id                 = $Id
            CloudId            = $CloudId
            KeyVersion         = $KeyVersion
            CloudKeyVersion    = $CloudKeyVersion
            KeyUpdatedOn       = $updatedOn
            CloudKeyUpdatedOn  = $updatedOn
            DomainDnsName      = 'corp.contoso.com'
            CloudDomainDnsName = 'corp.contoso.com'
        }
    }
}

Describe 'kerberos/ensure-server.ps1' {
    BeforeAll {
        $TestScript = Get-StepScriptPath -RelativePath 'kerberos/ensure-server.ps1'
    }

    BeforeEach {
        # Select-KerberosServerEndpoint (Cloudtrust.Common) reads the module's endpoint first: the public cloud, left as it is.
        Mock Get-AzureADKerberosServerEndpoint -ModuleName 'Cloudtrust.Common' { 'Current Endpoint = 0(Public)' }
        Mock Set-AzureADKerberosServerEndpoint -ModuleName 'Cloudtrust.Common' { }
        # Each read takes the next object; the last one stays (a DC that has caught up, or never will).
        $TestServers = New-Object -TypeName System.Collections.Queue
        Mock Get-AzureADKerberosServer { if ($TestServers.Count -gt 1) { $TestServers.Dequeue() } else { $TestServers.Peek() } }
        Mock Set-AzureADKerberosServer { }
        Mock Start-Sleep { }
    }

    It 'changes nothing when both halves agree' {
        $TestServers.Enqueue((New-TestServer))

        $step = & $TestScript -Domain 'corp.contoso.com' -CloudCredential $TestCloud

        $step.Changed | Should -BeFalse
        $step.Result.before.consistent | Should -BeTrue
        Should -Invoke Set-AzureADKerberosServer -Times 0 -Exactly
    }

    It 'creates a missing object with -Force, and never rotates its key' {
        $TestServers.Enqueue((New-TestServer -Id '' -CloudId '' -KeyVersion 0))
        $TestServers.Enqueue((New-TestServer))

        $step = & $TestScript -Domain 'corp.contoso.com' -CloudCredential $TestCloud

        $step.Changed | Should -BeTrue
        $step.Result.changes | Should -Be @('create the Azure AD Kerberos server object for corp.contoso.com')
        $step.Result.after.configured | Should -BeTrue
        Should -Invoke Set-AzureADKerberosServer -Times 1 -Exactly -ParameterFilter { $Force -and -not $RotateServerKey -and $Domain -eq 'corp.contoso.com' }
    }

    It 'repairs an object whose halves disagree, naming what differs' {
        $TestServers.Enqueue((New-TestServer -KeyVersion 5 -CloudKeyVersion 4))
        $TestServers.Enqueue((New-TestServer -KeyVersion 5))

        $step = & $TestScript -Domain 'corp.contoso.com' -CloudCredential $TestCloud

        $step.Result.changes[0] | Should -BeLike '*repair*KeyVersion 5 differs from CloudKeyVersion 4*'
        Should -Invoke Set-AzureADKerberosServer -Times 1 -Exactly
    }

    It 'fails when the object still disagrees after the repair and a bounded wait, with one Set' {
        $TestServers.Enqueue((New-TestServer -CloudId '00000000-0000-0000-0000-000000000001'))
        $TestServers.Enqueue((New-TestServer -CloudId '00000000-0000-0000-0000-000000000001'))

        { & $TestScript -Domain 'corp.contoso.com' -CloudCredential $TestCloud } | Should -Throw '*still not consistent after 60 s*'
        Should -Invoke Set-AzureADKerberosServer -Times 1 -Exactly
        Should -Invoke Get-AzureADKerberosServer -Times 7 -Exactly
    }

    It 'reads again after the change until a DC shows it, before calling it failed' {
        $TestServers.Enqueue((New-TestServer -Id '' -CloudId '' -KeyVersion 0))
        $TestServers.Enqueue((New-TestServer -Id '' -KeyVersion 0))
        $TestServers.Enqueue((New-TestServer))

        $step = & $TestScript -Domain 'corp.contoso.com' -CloudCredential $TestCloud

        $step.Result.after.consistent | Should -BeTrue
        Should -Invoke Set-AzureADKerberosServer -Times 1 -Exactly
        Should -Invoke Start-Sleep -Times 1 -Exactly
    }

    It 'discards what Set-AzureADKerberosServer writes' {
        Mock Set-AzureADKerberosServer { [pscustomobject]@{ Id = 'written' } }
        $TestServers.Enqueue((New-TestServer -Id '' -CloudId '' -KeyVersion 0))
        $TestServers.Enqueue((New-TestServer))

        $step = @(& $TestScript -Domain 'corp.contoso.com' -CloudCredential $TestCloud)

        $step.Count | Should -Be 1
    }

    It 'only reports the repair in -PlanOnly' {
        $TestServers.Enqueue((New-TestServer -KeyVersion 5 -CloudKeyVersion 4))

        $step = & $TestScript -Domain 'corp.contoso.com' -CloudCredential $TestCloud -PlanOnly

        $step.Changed | Should -BeTrue
        Should -Invoke Set-AzureADKerberosServer -Times 0 -Exactly
    }
}

Describe 'kerberos/remove-server.ps1' {
    BeforeAll {
        $TestScript = Get-StepScriptPath -RelativePath 'kerberos/remove-server.ps1'
    }

    BeforeEach {
        # Select-KerberosServerEndpoint (Cloudtrust.Common) reads the module's endpoint first: the public cloud, left as it is.
        Mock Get-AzureADKerberosServerEndpoint -ModuleName 'Cloudtrust.Common' { 'Current Endpoint = 0(Public)' }
        Mock Set-AzureADKerberosServerEndpoint -ModuleName 'Cloudtrust.Common' { }
        Mock Get-AzureADKerberosServer { New-TestServer }
        Mock Remove-AzureADKerberosServer { }
    }

    It 'refuses without -ConfirmRemoval, before signing in' {
        { & $TestScript -Domain 'corp.contoso.com' -CloudCredential $TestCloud } | Should -Throw '*needs an explicit confirmation*'

        Should -Invoke Get-AzureADKerberosServer -Times 0 -Exactly
        Should -Invoke Remove-AzureADKerberosServer -Times 0 -Exactly
    }

    It 'removes a present object once confirmed, with the domain credential when given' {
        $domainCredential = New-TestCredential -UserName 'admin@corp.contoso.com'

        $step = & $TestScript -Domain 'corp.contoso.com' -CloudCredential $TestCloud -DomainCredential $domainCredential -ConfirmRemoval

        $step.Changed | Should -BeTrue
        $step.Result.after.present | Should -BeFalse
        Should -Invoke Remove-AzureADKerberosServer -Times 1 -Exactly -ParameterFilter { $Domain -eq 'corp.contoso.com' -and $DomainCredential.UserName -eq 'admin@corp.contoso.com' }
    }

    It 'changes nothing for an object that is already gone' {
        Mock Get-AzureADKerberosServer { New-TestServer -Id '' -CloudId '' }

        $step = & $TestScript -Domain 'corp.contoso.com' -CloudCredential $TestCloud -ConfirmRemoval

        $step.Changed | Should -BeFalse
        Should -Invoke Remove-AzureADKerberosServer -Times 0 -Exactly
    }

    It 'only reports the removal in -PlanOnly' {
        $step = & $TestScript -Domain 'corp.contoso.com' -CloudCredential $TestCloud -ConfirmRemoval -PlanOnly

        $step.Changed | Should -BeTrue
        $step.Result.after.present | Should -BeTrue
        Should -Invoke Remove-AzureADKerberosServer -Times 0 -Exactly
    }
}
