# Stand-ins for the ActiveDirectory cmdlets (and Invoke-Command, which module functions shadow) so the real
# scripts run under pwsh on a machine without a domain. A small fixed domain: one writable 2019 DC, the
# AzureADKerberos pseudo-RODC (which the inventory must exclude) and an unreachable RODC.
function Get-ADDomain {
    param([string]$Identity, [string]$Server, [System.Management.Automation.PSCredential]$Credential)
    [pscustomobject]@{ DNSRoot = $Identity; NetBIOSName = 'CORP'; DistinguishedName = 'DC=corp,DC=example,DC=com'; DomainMode = 'Windows2016Domain'; Forest = $Identity }
}
function Get-ADForest {
    param([string]$Identity, [string]$Server, [System.Management.Automation.PSCredential]$Credential)
    [pscustomobject]@{ Sites = @('HQ', 'Branch') }
}
function Get-ADDomainController {
    param([string]$Filter, [string]$Server, [System.Management.Automation.PSCredential]$Credential)
    [pscustomobject]@{ HostName = 'dc1.corp.example.com'; Name = 'DC1'; Site = 'HQ'; IsReadOnly = $false; OperatingSystem = 'Windows Server 2019 Datacenter'; OperatingSystemVersion = '10.0 (17763)' }
    [pscustomobject]@{ HostName = 'AzureADKerberos.corp.example.com'; Name = 'AzureADKerberos'; Site = 'HQ'; IsReadOnly = $true; OperatingSystem = ''; OperatingSystemVersion = '' }
    [pscustomobject]@{ HostName = 'rodc1.corp.example.com'; Name = 'RODC1'; Site = 'Branch'; IsReadOnly = $true; OperatingSystem = 'Windows Server 2016 Standard'; OperatingSystemVersion = '10.0 (14393)' }
}
function Invoke-Command {
    param([string]$ComputerName, [scriptblock]$ScriptBlock, [System.Management.Automation.PSCredential]$Credential)
    if ($ComputerName -like 'rodc*') { throw 'Connecting to remote server failed: WinRM cannot complete the operation.' }
    [pscustomobject]@{ CurrentBuild = '17763'; UBR = 1012; SupportedEncryptionTypes = 24 }
}
Export-ModuleMember -Function 'Get-ADDomain', 'Get-ADForest', 'Get-ADDomainController', 'Invoke-Command'
