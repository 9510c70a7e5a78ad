BeforeAll {
    . (Join-Path -Path $PSScriptRoot -ChildPath 'Support.ps1')
    Import-StandInModule -Name 'Cloudtrust.Lab.Session'
    $TestScript = Get-StepScriptPath -RelativePath 'clients/read-devices.ps1'

    function Get-TestDsregcmd {
        # `dsregcmd /status` of a hybrid-joined device with a cloud Kerberos trust key; PrerequisiteName is the
        # prerequisite check's TGT line, OnPremTGT since Windows 11 23H2 and CloudTGT before.
        param([string]$PrerequisiteName = 'OnPremTGT', [string]$OnPremTgt = 'YES')
        $text = @"
+----------------------------------------------------------------------+
| Device State                                                         |
+----------------------------------------------------------------------+

             AzureAdJoined : YES
          EnterpriseJoined : NO
              DomainJoined : YES
                DomainName : CORP
               Device Name : pc1.corp.contoso.com

+----------------------------------------------------------------------+
| Device Details                                                       |
+----------------------------------------------------------------------+

 DeviceCertificateValidity : [ 2026-01-01 10:00:00.000 UTC -- 2036-01-01 10:30:00.000 UTC ]
              TpmProtected : YES

+----------------------------------------------------------------------+
| Tenant Details                                                       |
+----------------------------------------------------------------------+

                TenantName : Contoso
                  TenantId : 0b2c7e0e-9a3d-4f55-8c1e-3d4b5a6c7d8e

+----------------------------------------------------------------------+
| User State                                                           |
+----------------------------------------------------------------------+

                    NgcSet : YES
           WorkplaceJoined : NO

+----------------------------------------------------------------------+
| SSO State                                                            |
+----------------------------------------------------------------------+

                AzureAdPrt : YES
      AzureAdPrtUpdateTime : 2026-11-30 08:12:44.000 UTC
             EnterprisePrt : NO
                 OnPremTgt : $OnPremTgt
                  CloudTgt : YES

+----------------------------------------------------------------------+
| Ngc Prerequisite Check                                               |
+----------------------------------------------------------------------+

            IsDeviceJoined : YES
             PolicyEnabled : YES
            CertEnrollment : none
$($PrerequisiteName.PadLeft(26)) : YES
              PreReqResult : WillNotProvision

For more information, please visit https://www.microsoft.com/aadjerrorcode
"@
        return [string[]]($text -split "`r?`n")
    }

    function New-TestAnswer {
        # What the probe returns from a device: dsregcmd as run in the signed-in user's session (the default collect).
        param([string]$ComputerName, [string[]]$Dsregcmd, [string]$CurrentBuild = '26100', [string]$Ubr = '2605', [object[]]$Events = @(), [AllowNull()][string]$SignedInUser = 'CORP\user')
        return [pscustomobject]@{ PSComputerName = $ComputerName; CurrentBuild = $CurrentBuild; UBR = $Ubr; Dsregcmd = $Dsregcmd; SignedInUser = $SignedInUser; SessionError = $null; TaskResult = 0; Events = $Events }
    }

    function Get-TestDevice {
        param([Parameter(Mandatory = $true)][object]$Step, [Parameter(Mandatory = $true)][string]$Name)
        return @($Step.Result.devices | Where-Object -FilterScript { $_.name -eq $Name })[0]
    }
}

Describe 'clients/read-devices.ps1' {
    It 'reads the join, tenant, key and ticket state from the sections of dsregcmd /status' {
        Mock Invoke-Command {
            $provisioning = [pscustomobject]@{ Id = 358; TimeCreated = '2026-11-30T08:00:00.0000000Z'; Level = 4; Message = 'Windows Hello for Business provisioning will be launched.' }
            New-TestAnswer -ComputerName 'pc1.corp.contoso.com' -Dsregcmd (Get-TestDsregcmd) -Events @($provisioning)
        }

        $step = & $TestScript -ComputerName 'pc1.corp.contoso.com'

        $step.Changed | Should -BeFalse
        $device = Get-TestDevice -Step $step -Name 'pc1.corp.contoso.com'
        $device.reachable | Should -BeTrue
        $device.error | Should -BeNullOrEmpty
        $device.osBuild | Should -BeExactly '26100.2605'
        $device.azureAdJoined | Should -BeTrue
        $device.domainJoined | Should -BeTrue
        $device.tenantId | Should -BeExactly '0b2c7e0e-9a3d-4f55-8c1e-3d4b5a6c7d8e'
        $device.ngcSet | Should -BeTrue
        $device.azureAdPrt | Should -BeTrue
        $device.onPremTgt | Should -BeTrue
        $device.cloudTgt | Should -BeTrue
        $device.ngcPolicyEnabled | Should -BeTrue
        $device.certEnrollment | Should -BeExactly 'none'
        $device.preReqResult | Should -BeExactly 'WillNotProvision'
        $device.prerequisiteOnPremTgt | Should -BeTrue
        @($device.events).Count | Should -Be 1
        $device.events[0].id | Should -Be 358
        $device.events[0].timeCreated | Should -BeExactly '2026-11-30T08:00:00.0000000Z'
    }

    It 'keeps a field of one section apart from the same name in another (SSO State OnPremTgt, prerequisite OnPremTGT)' {
        Mock Invoke-Command { New-TestAnswer -ComputerName 'pc1' -Dsregcmd (Get-TestDsregcmd -OnPremTgt 'NO') }

        $device = Get-TestDevice -Step (& $TestScript -ComputerName 'pc1') -Name 'pc1'

        $device.onPremTgt | Should -BeFalse
        $device.prerequisiteOnPremTgt | Should -BeTrue
    }

    It 'reads the prerequisite TGT line under its name before Windows 11 23H2 (CloudTGT)' {
        Mock Invoke-Command { New-TestAnswer -ComputerName 'pc1' -CurrentBuild '19045' -Ubr '5131' -Dsregcmd (Get-TestDsregcmd -PrerequisiteName 'CloudTGT') }

        $device = Get-TestDevice -Step (& $TestScript -ComputerName 'pc1') -Name 'pc1'

        $device.osBuild | Should -BeExactly '19045.5131'
        $device.prerequisiteOnPremTgt | Should -BeTrue
    }

    It 'leaves a value it cannot read as YES or NO unknown' {
        Mock Invoke-Command { New-TestAnswer -ComputerName 'pc1' -Dsregcmd ((Get-TestDsregcmd) -replace 'NgcSet : YES', 'NgcSet : ERROR_NOT_FOUND' | Where-Object -FilterScript { $_ -notmatch 'DomainJoined' }) }

        $device = Get-TestDevice -Step (& $TestScript -ComputerName 'pc1') -Name 'pc1'

        $device.ngcSet | Should -BeNullOrEmpty
        $device.domainJoined | Should -BeNullOrEmpty
        $device.azureAdJoined | Should -BeTrue
    }

    It 'asks every device in one parallel call, each name once, with the credential when one is given' {
        Mock Invoke-Command { New-TestAnswer -ComputerName 'pc1' -Dsregcmd (Get-TestDsregcmd) }
        $credential = New-TestCredential -UserName 'CORP\helpdesk'

        $step = & $TestScript -ComputerName 'pc1', 'PC1', 'pc2' -MaxEvents 5 -Credential $credential

        @($step.Result.devices).Count | Should -Be 2
        Should -Invoke Invoke-Command -Times 1 -Exactly
        Should -Invoke Invoke-Command -Times 1 -Exactly -ParameterFilter {
            (@($ComputerName) -join ',') -eq 'pc1,pc2' -and $ArgumentList[0] -eq 5 -and $ThrottleLimit -eq 32 -and $Credential.UserName -eq 'CORP\helpdesk' -and
            $SessionOption.OpenTimeout.TotalMilliseconds -eq 15000 -and $SessionOption.OperationTimeout.TotalMilliseconds -eq 30000
        }
    }

    It 'returns the EventData fields of each event by name, beside its rendered message' {
        Mock Invoke-Command {
            $xml = "<Event xmlns='http://schemas.microsoft.com/win/2004/08/events/event'><System><EventID>358</EventID></System><EventData><Data Name='Message'></Data><Data Name='DeviceIsJoined'>Yes</Data><Data Name='MachinePolicySource'>none</Data></EventData></Event>"
            $provisioning = [pscustomobject]@{ Id = 358; TimeCreated = '2026-11-30T08:00:00.0000000Z'; Level = 4; Message = 'Die Bereitstellung von Windows Hello for Business wird gestartet.'; Xml = $xml }
            New-TestAnswer -ComputerName 'pc1' -Dsregcmd (Get-TestDsregcmd) -Events @($provisioning)
        }

        $device = Get-TestDevice -Step (& $TestScript -ComputerName 'pc1') -Name 'pc1'

        $data = $device.events[0].data
        @($data.Keys) | Should -Be @('Message', 'DeviceIsJoined', 'MachinePolicySource')
        $data['Message'] | Should -BeExactly ''
        $data['DeviceIsJoined'] | Should -BeExactly 'Yes'
        $data['MachinePolicySource'] | Should -BeExactly 'none'
    }

    It 'sends no credential when none is given' {
        Mock Invoke-Command { New-TestAnswer -ComputerName 'pc1' -Dsregcmd (Get-TestDsregcmd) }

        $null = & $TestScript -ComputerName 'pc1'

        Should -Invoke Invoke-Command -Times 1 -Exactly -ParameterFilter { $null -eq $Credential }
    }

    It 'reports a device it cannot reach, and one that did not answer, without failing the sample' {
        Mock Invoke-Command {
            New-TestAnswer -ComputerName 'pc1' -Dsregcmd (Get-TestDsregcmd)
            $transport = New-Object -TypeName System.Management.Automation.Remoting.PSRemotingTransportException -ArgumentList 'Connecting to remote server PC2 failed: WinRM cannot complete the operation.'
            Write-Error -Exception $transport -TargetObject 'PC2'
        }

        $step = & $TestScript -ComputerName 'pc1', 'pc2', 'pc3'

        (Get-TestDevice -Step $step -Name 'pc1').reachable | Should -BeTrue
        $unreachable = Get-TestDevice -Step $step -Name 'pc2'
        $unreachable.reachable | Should -BeFalse
        $unreachable.error | Should -BeLike '*WinRM cannot complete the operation*'
        $unreachable.azureAdJoined | Should -BeNullOrEmpty
        $silent = Get-TestDevice -Step $step -Name 'pc3'
        $silent.reachable | Should -BeFalse
        $silent.error | Should -BeExactly 'the device did not answer'
    }
}
