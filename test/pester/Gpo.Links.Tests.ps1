BeforeAll {
    . (Join-Path -Path $PSScriptRoot -ChildPath 'Support.ps1')
    Import-StandInModule -Name 'ActiveDirectory', 'GroupPolicy'
    Import-HelperModule -Name 'Cloudtrust.Common', 'Cloudtrust.GroupPolicy'
    $TestScript = Get-StepScriptPath -RelativePath 'gpo/ensure-links.ps1'

    $TestGpoId = [guid]'6AC1786C-016F-11D2-945F-00C04FB984F9'
    $TestDomainDn = 'DC=corp,DC=contoso,DC=com'
    $TestWorkstations = 'OU=Workstations,DC=corp,DC=contoso,DC=com'
    $TestLaptops = 'OU=Laptops,DC=corp,DC=contoso,DC=com'

    function New-GpLinkValue {
        # gPLink as the directory stores it: [LDAP://cn={GUID},cn=policies,...;options], options bit 0 = disabled.
        param([guid]$Id, [int]$Options)
        return '[LDAP://cn={{{0}}},cn=policies,cn=system,{1};{2}]' -f $Id.ToString().ToUpperInvariant(), $TestDomainDn, $Options
    }
}

Describe 'gpo/ensure-links.ps1' {
    BeforeEach {
        Mock Get-ADDomain { [pscustomobject]@{ DistinguishedName = $TestDomainDn; PDCEmulator = 'dc1.corp.contoso.com' } }
        Mock Get-GPO -ModuleName 'Cloudtrust.GroupPolicy' {
            [pscustomobject]@{ DisplayName = 'WHfB cloud trust'; Id = $TestGpoId }
            [pscustomobject]@{ DisplayName = 'Default Domain Policy'; Id = [guid]'31B2F340-016D-11D2-945F-00C04FB984F9' }
        }
        # The domain root links the GPO (enabled), Workstations links it disabled, Laptops has another GPO only.
        Mock Get-ADObject -ModuleName 'Cloudtrust.GroupPolicy' -ParameterFilter { $LDAPFilter -eq '(gPLink=*)' } {
            [pscustomobject]@{ DistinguishedName = $TestDomainDn; gPLink = (New-GpLinkValue -Id $TestGpoId -Options 0) }
            [pscustomobject]@{ DistinguishedName = $TestWorkstations; gPLink = (New-GpLinkValue -Id $TestGpoId -Options 1) }
            [pscustomobject]@{ DistinguishedName = $TestLaptops; gPLink = (New-GpLinkValue -Id ([guid]'31B2F340-016D-11D2-945F-00C04FB984F9') -Options 0) }
        }
        Mock Get-ADObject -ParameterFilter { $null -ne $Identity } { [pscustomobject]@{ DistinguishedName = [string]$Identity } }
        Mock New-GPLink { }
        Mock Set-GPLink { }
    }

    It 'creates a link only where the GPO has none, and enables a disabled one' {
        $step = & $TestScript -Domain 'corp.contoso.com' -GpoName 'WHfB cloud trust' -Targets $TestDomainDn, $TestWorkstations, $TestLaptops

        $step.Changed | Should -BeTrue
        Should -Invoke New-GPLink -Times 1 -Exactly
        Should -Invoke New-GPLink -Times 1 -Exactly -ParameterFilter {
            $Target -eq $TestLaptops -and $Guid -eq $TestGpoId -and $LinkEnabled -eq 'Yes' -and $Server -eq 'dc1.corp.contoso.com' -and $Domain -eq 'corp.contoso.com'
        }
        Should -Invoke Set-GPLink -Times 1 -Exactly
        Should -Invoke Set-GPLink -Times 1 -Exactly -ParameterFilter { $Target -eq $TestWorkstations -and $LinkEnabled -eq 'Yes' }
        Should -Invoke Get-ADObject -Times 1 -Exactly -ParameterFilter { $Identity -eq $TestLaptops }
    }

    It 'treats targets that differ only in case as one' {
        $step = & $TestScript -Domain 'corp.contoso.com' -GpoName 'WHfB cloud trust' -Targets $TestLaptops, 'ou=laptops,dc=corp,dc=contoso,dc=com'

        @($step.Result.changes).Count | Should -Be 1
        Should -Invoke New-GPLink -Times 1 -Exactly
    }

    It 'changes nothing in -PlanOnly, and says what it would change' {
        $step = & $TestScript -Domain 'corp.contoso.com' -GpoName 'WHfB cloud trust' -Targets $TestDomainDn, $TestWorkstations, $TestLaptops -PlanOnly

        $step.Changed | Should -BeTrue
        $step.Result.planOnly | Should -BeTrue
        $step.Result.changes | Should -Be @(
            "enable the disabled link of GPO 'WHfB cloud trust' on $TestWorkstations"
            "link GPO 'WHfB cloud trust' to $TestLaptops (enabled)"
        )
        Should -Invoke New-GPLink -Times 0 -Exactly
        Should -Invoke Set-GPLink -Times 0 -Exactly
    }

    It 'reports no change when every target already links the GPO, enabled' {
        $step = & $TestScript -Domain 'corp.contoso.com' -GpoName 'WHfB cloud trust' -Targets $TestDomainDn

        $step.Changed | Should -BeFalse
        @($step.Result.changes).Count | Should -Be 0
        Should -Invoke New-GPLink -Times 0 -Exactly
        Should -Invoke Set-GPLink -Times 0 -Exactly
    }

    It 'plans a GPO that does not exist yet as linked everywhere, checking that each target exists' {
        Mock Get-GPO -ModuleName 'Cloudtrust.GroupPolicy' { [pscustomobject]@{ DisplayName = 'Default Domain Policy'; Id = [guid]'31B2F340-016D-11D2-945F-00C04FB984F9' } }

        $step = & $TestScript -Domain 'corp.contoso.com' -GpoName 'WHfB cloud trust' -Targets $TestDomainDn, $TestLaptops -PlanOnly

        @($step.Result.changes).Count | Should -Be 2
        $step.Result.before | Should -BeNullOrEmpty
        Should -Invoke Get-ADObject -Times 2 -Exactly -ParameterFilter { $null -ne $Identity }
        Should -Invoke New-GPLink -Times 0 -Exactly
    }

    It 'refuses to link a GPO that does not exist' {
        Mock Get-GPO -ModuleName 'Cloudtrust.GroupPolicy' { }

        { & $TestScript -Domain 'corp.contoso.com' -GpoName 'WHfB cloud trust' -Targets $TestLaptops } | Should -Throw -ErrorId 'GpoNotFound'
        Should -Invoke New-GPLink -Times 0 -Exactly
    }

    It 'refuses a target outside the domain, and links nothing' {
        $child = 'OU=Workstations,DC=child,DC=corp,DC=contoso,DC=com'

        { & $TestScript -Domain 'corp.contoso.com' -GpoName 'WHfB cloud trust' -Targets $TestLaptops, $child } | Should -Throw -ErrorId 'LinkTargetOutsideDomain'
        Should -Invoke New-GPLink -Times 0 -Exactly
        Should -Invoke Set-GPLink -Times 0 -Exactly
    }

    It 'refuses a display name that two GPOs share' {
        Mock Get-GPO -ModuleName 'Cloudtrust.GroupPolicy' {
            [pscustomobject]@{ DisplayName = 'WHfB cloud trust'; Id = $TestGpoId }
            [pscustomobject]@{ DisplayName = 'WHfB cloud trust'; Id = [guid]::NewGuid() }
        }

        { & $TestScript -Domain 'corp.contoso.com' -GpoName 'WHfB cloud trust' -Targets $TestLaptops } | Should -Throw -ErrorId 'AmbiguousGpoName'
        Should -Invoke New-GPLink -Times 0 -Exactly
    }
}
