# Stand-ins for the AzureADHybridAuthenticationManagement commands the scripts call, with the real commands' parameters, parameter sets and
# accepted values (lab/windows/catalog/AzureADHybridAuthenticationManagement.json), so that Pester can mock them where the module does not exist.
# A call that reaches a stand-in was not mocked, and fails.
Set-StrictMode -Version 2.0

function Get-AzureADKerberosServer {
    [CmdletBinding(DefaultParameterSetName = 'CloudCredential')]
    param(
        [Parameter(ParameterSetName = 'CloudCredential', Mandatory = $true)]
        [Parameter(ParameterSetName = 'UserPrincipalName', Mandatory = $true)]
        [string]$Domain,
        [Parameter(ParameterSetName = 'CloudCredential', Mandatory = $true)]
        [System.Management.Automation.PSCredential]$CloudCredential,
        [Parameter(ParameterSetName = 'UserPrincipalName', Mandatory = $true)]
        [string]$UserPrincipalName,
        [System.Management.Automation.PSCredential]$DomainCredential
    )
    throw ('{0} is a stand-in: mock it' -f $MyInvocation.MyCommand.Name)
}

function Set-AzureADKerberosServer {
    [CmdletBinding(DefaultParameterSetName = 'CloudCredential')]
    param(
        [Parameter(ParameterSetName = 'CloudCredential', Mandatory = $true)]
        [Parameter(ParameterSetName = 'UserPrincipalName', Mandatory = $true)]
        [string]$Domain,
        [Parameter(ParameterSetName = 'CloudCredential', Mandatory = $true)]
        [System.Management.Automation.PSCredential]$CloudCredential,
        [Parameter(ParameterSetName = 'UserPrincipalName', Mandatory = $true)]
        [string]$UserPrincipalName,
        [System.Management.Automation.PSCredential]$DomainCredential,
        [switch]$RotateServerKey,
        [switch]$Force,
        [switch]$SetupCloudTrust,
        [string]$TopLevelNames
    )
    throw ('{0} is a stand-in: mock it' -f $MyInvocation.MyCommand.Name)
}

function Remove-AzureADKerberosServer {
    [CmdletBinding(DefaultParameterSetName = 'CloudCredential')]
    param(
        [Parameter(ParameterSetName = 'CloudCredential', Mandatory = $true)]
        [Parameter(ParameterSetName = 'UserPrincipalName', Mandatory = $true)]
        [string]$Domain,
        [Parameter(ParameterSetName = 'CloudCredential', Mandatory = $true)]
        [System.Management.Automation.PSCredential]$CloudCredential,
        [Parameter(ParameterSetName = 'UserPrincipalName', Mandatory = $true)]
        [string]$UserPrincipalName,
        [System.Management.Automation.PSCredential]$DomainCredential
    )
    throw ('{0} is a stand-in: mock it' -f $MyInvocation.MyCommand.Name)
}

Export-ModuleMember -Function 'Get-AzureADKerberosServer', 'Set-AzureADKerberosServer', 'Remove-AzureADKerberosServer'
