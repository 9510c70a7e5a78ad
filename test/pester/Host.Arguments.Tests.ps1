BeforeAll {
    . (Join-Path -Path $PSScriptRoot -ChildPath 'Support.ps1')
    . (Get-StepScriptPath -RelativePath 'host/Cloudtrust.Host.ps1')
}

Describe 'ConvertFrom-CloudtrustJson' {
    It 'keeps an ISO timestamp a string, exactly as sent' {
        $parsed = ConvertFrom-CloudtrustJson -Json '{"requestedAt":"2026-11-25T10:00:00Z","at":"2026-11-25T10:00:00.1234567+02:00"}'

        $parsed.requestedAt | Should -BeOfType [string]
        $parsed.requestedAt | Should -BeExactly '2026-11-25T10:00:00Z'
        $parsed.at | Should -BeExactly '2026-11-25T10:00:00.1234567+02:00'
    }

    It 'differs from the plain ConvertFrom-Json exactly where the edition converts dates' {
        $plain = ConvertFrom-Json -InputObject '{"requestedAt":"2026-11-25T10:00:00Z"}'
        $expected = [string]
        if ($PSVersionTable.PSVersion.Major -ge 6) { $expected = [datetime] }

        $plain.requestedAt | Should -BeOfType $expected
        (ConvertFrom-CloudtrustJson -Json '{"requestedAt":"2026-11-25T10:00:00Z"}').requestedAt | Should -BeOfType [string]
    }

    It 'reads an empty argument object' {
        $parsed = ConvertFrom-CloudtrustJson -Json '{}'

        @($parsed.PSObject.Properties).Count | Should -Be 0
    }
}

Describe 'ConvertTo-CloudtrustArgument' {
    It 'turns {__pscredential: {userName, password}} into a PSCredential' {
        $arguments = ConvertTo-CloudtrustArgument -Value (ConvertFrom-CloudtrustJson -Json '{"cloudCredential":{"__pscredential":{"userName":"admin@contoso.example","password":"Pa55-w0rd!"}}}')

        $arguments.cloudCredential | Should -BeOfType [System.Management.Automation.PSCredential]
        $arguments.cloudCredential.UserName | Should -BeExactly 'admin@contoso.example'
        $arguments.cloudCredential.GetNetworkCredential().Password | Should -BeExactly 'Pa55-w0rd!'
    }

    It 'keeps an object that has other properties beside __pscredential an ordinary table' {
        $arguments = ConvertTo-CloudtrustArgument -Value (ConvertFrom-CloudtrustJson -Json '{"value":{"__pscredential":{"userName":"u","password":"p"},"other":1}}')

        $arguments.value | Should -BeOfType [hashtable]
        $arguments.value.other | Should -Be 1
        $arguments.value.__pscredential | Should -BeOfType [hashtable]
    }

    It 'turns nested objects into hashtables and keeps arrays arrays' {
        $json = '{"domain":"corp.contoso.com","pinComplexity":{"minimumPinLength":6,"digits":1},"targets":["OU=Workstations,DC=corp,DC=contoso,DC=com"],"nested":[{"name":"a"},[1,2]],"none":[],"nothing":null}'
        $arguments = ConvertTo-CloudtrustArgument -Value (ConvertFrom-CloudtrustJson -Json $json)

        $arguments | Should -BeOfType [hashtable]
        $arguments.domain | Should -BeExactly 'corp.contoso.com'
        $arguments.pinComplexity | Should -BeOfType [hashtable]
        $arguments.pinComplexity.minimumPinLength | Should -Be 6
        , $arguments.targets | Should -BeOfType [object[]]
        $arguments.targets.Count | Should -Be 1
        $arguments.targets[0] | Should -BeExactly 'OU=Workstations,DC=corp,DC=contoso,DC=com'
        $arguments.nested[0] | Should -BeOfType [hashtable]
        $arguments.nested[0].name | Should -BeExactly 'a'
        , $arguments.nested[1] | Should -BeOfType [object[]]
        $arguments.nested[1].Count | Should -Be 2
        , $arguments.none | Should -BeOfType [object[]]
        $arguments.none.Count | Should -Be 0
        $arguments.ContainsKey('nothing') | Should -BeTrue
        $arguments.nothing | Should -BeNullOrEmpty
    }

    It 'binds a one-element list to a [string[]] parameter as one item' {
        function Test-Binding { param([string[]]$Targets) return , $Targets }
        $arguments = ConvertTo-CloudtrustArgument -Value (ConvertFrom-CloudtrustJson -Json '{"targets":["DC=corp,DC=contoso,DC=com"]}')

        $bound = Test-Binding @arguments

        $bound.Count | Should -Be 1
        $bound[0] | Should -BeExactly 'DC=corp,DC=contoso,DC=com'
    }
}
