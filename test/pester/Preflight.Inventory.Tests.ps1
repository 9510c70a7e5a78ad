BeforeAll {
    . (Join-Path -Path $PSScriptRoot -ChildPath 'Support.ps1')
    Import-StandInModule -Name 'ActiveDirectory', 'Cloudtrust.Lab.Session'

    function New-TestController {
        param([string]$Name, [string]$Site = 'HQ', [bool]$ReadOnly = $false)
        return [pscustomobject]@{
            HostName               = ('{0}.corp.contoso.com' -f $Name.ToLowerInvariant())
            Name                   = $Name
            Site                   = $Site
            IsReadOnly             = $ReadOnly
            OperatingSystem        = 'Windows Server 2022 Datacenter'
            OperatingSystemVersion = '10.0 (20348)'
        }
    }
}

Describe 'domain/read-inventory.ps1' {
    BeforeAll {
        $TestScript = Get-StepScriptPath -RelativePath 'domain/read-inventory.ps1'
    }

    BeforeEach {
        Mock Get-ADDomain { [pscustomobject]@{ DNSRoot = 'corp.contoso.com'; NetBIOSName = 'CORP'; DistinguishedName = 'DC=corp,DC=contoso,DC=com'; DomainMode = 'Windows2016Domain'; Forest = 'contoso.com' } }
        Mock Get-ADForest { [pscustomobject]@{ Sites = @('HQ', 'Branch') } }
        Mock Get-ADDomainController {
            New-TestController -Name 'DC1'
            New-TestController -Name 'AzureADKerberos' -ReadOnly $true
            New-TestController -Name 'RODC1' -Site 'Branch' -ReadOnly $true
        }
        Mock Invoke-Command {
            foreach ($name in $ComputerName) {
                if ($name -like 'rodc1*') {
                    $transport = New-Object -TypeName System.Management.Automation.Remoting.PSRemotingTransportException -ArgumentList 'Connecting to remote server rodc1.corp.contoso.com failed: WinRM cannot complete the operation.'
                    Write-Error -Exception $transport -TargetObject $name
                }
                else { [pscustomobject]@{ PSComputerName = $name; CurrentBuild = '20348'; UBR = 2966; SupportedEncryptionTypes = 24 } }
            }
        }
    }

    It 'lists the domain controllers without the AzureADKerberos pseudo-RODC, and reports one it cannot reach' {
        $step = & $TestScript -Domain 'corp.contoso.com'

        $step.Changed | Should -BeFalse
        $controllers = @($step.Result.controllers)
        @($controllers | ForEach-Object -Process { $_.name }) | Should -Be @('DC1', 'RODC1')
        $controllers[0].reachable | Should -BeTrue
        $controllers[0].currentBuild | Should -Be 20348
        $controllers[0].ubr | Should -Be 2966
        $controllers[0].supportedEncryptionTypes | Should -Be 24
        $controllers[1].reachable | Should -BeFalse
        $controllers[1].error | Should -BeLike '*WinRM cannot complete the operation*'
        $controllers[1].currentBuild | Should -BeNullOrEmpty
        $step.Result.forestSites | Should -Be @('HQ', 'Branch')
        Should -Invoke Invoke-Command -Times 0 -Exactly -ParameterFilter { @($ComputerName) -like 'azureadkerberos*' }
    }

    It 'asks every DC in one parallel call with bounded connection and operation timeouts' {
        $null = & $TestScript -Domain 'corp.contoso.com'

        Should -Invoke Invoke-Command -Times 1 -Exactly
        Should -Invoke Invoke-Command -Times 1 -Exactly -ParameterFilter {
            (@($ComputerName) -join ',') -eq 'dc1.corp.contoso.com,rodc1.corp.contoso.com' -and $ThrottleLimit -eq 32 -and
            $SessionOption.OpenTimeout.TotalMilliseconds -eq 15000 -and $SessionOption.OperationTimeout.TotalMilliseconds -eq 60000
        }
    }

    It 'asks the directory through the domain, and passes the credential to it and to remoting' {
        $credential = New-TestCredential -UserName 'admin@corp.contoso.com'

        $null = & $TestScript -Domain 'corp.contoso.com' -DomainCredential $credential

        Should -Invoke Get-ADDomain -Times 1 -Exactly -ParameterFilter { $Identity -eq 'corp.contoso.com' -and $Server -eq 'corp.contoso.com' -and $Credential.UserName -eq 'admin@corp.contoso.com' }
        Should -Invoke Get-ADForest -Times 1 -Exactly -ParameterFilter { $Identity -eq 'contoso.com' -and $Credential.UserName -eq 'admin@corp.contoso.com' }
        Should -Invoke Get-ADDomainController -Times 1 -Exactly -ParameterFilter { $Filter -eq '*' -and $Server -eq 'corp.contoso.com' }
        Should -Invoke Invoke-Command -Times 1 -Exactly -ParameterFilter { $Credential.UserName -eq 'admin@corp.contoso.com' }
    }
}

Describe 'forest/read-inventory.ps1' {
    BeforeAll {
        $TestScript = Get-StepScriptPath -RelativePath 'forest/read-inventory.ps1'
    }

    It 'sorts the names, and keeps a single site or catalog a list' {
        Mock Get-ADForest { [pscustomobject]@{ Name = 'contoso.com'; RootDomain = 'contoso.com'; Domains = @('corp.contoso.com', 'contoso.com'); Sites = @('HQ'); GlobalCatalogs = 'dc1.contoso.com' } }

        $step = & $TestScript -Forest 'contoso.com'

        $json = ConvertTo-Json -InputObject $step.Result -Depth 5 -Compress
        $json | Should -BeExactly '{"name":"contoso.com","rootDomain":"contoso.com","domains":["contoso.com","corp.contoso.com"],"sites":["HQ"],"globalCatalogs":["dc1.contoso.com"]}'
    }

    It 'asks the given server, or else the forest itself' {
        Mock Get-ADForest { [pscustomobject]@{ Name = 'contoso.com'; RootDomain = 'contoso.com'; Domains = @(); Sites = @(); GlobalCatalogs = @() } }

        $null = & $TestScript -Forest 'contoso.com'
        $null = & $TestScript -Forest 'contoso.com' -Server 'dc1.contoso.com'

        Should -Invoke Get-ADForest -Times 1 -Exactly -ParameterFilter { $Identity -eq 'contoso.com' -and $Server -eq 'contoso.com' }
        Should -Invoke Get-ADForest -Times 1 -Exactly -ParameterFilter { $Server -eq 'dc1.contoso.com' }
    }
}
