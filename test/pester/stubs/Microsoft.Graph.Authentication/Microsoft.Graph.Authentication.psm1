# Stand-ins for the Microsoft.Graph.Authentication commands the scripts call, with the real commands' parameters, parameter sets and
# accepted values (lab/windows/catalog/Microsoft.Graph.Authentication.json), so that Pester can mock them where the module does not exist.
# A call that reaches a stand-in was not mocked, and fails.
Set-StrictMode -Version 2.0

function Connect-MgGraph {
    [CmdletBinding(DefaultParameterSetName = 'UserParameterSet')]
    param(
        [Parameter(ParameterSetName = 'AccessTokenParameterSet', Mandatory = $true, Position = 1)]
        [System.Security.SecureString]$AccessToken,
        [switch]$Break,
        [Parameter(ParameterSetName = 'AppCertificateParameterSet')]
        [System.Security.Cryptography.X509Certificates.X509Certificate2]$Certificate,
        [Parameter(ParameterSetName = 'AppCertificateParameterSet', Position = 2)]
        [Alias('CertificateSubject', 'CertificateName')]
        [string]$CertificateSubjectName,
        [Parameter(ParameterSetName = 'AppCertificateParameterSet', Position = 3)]
        [string]$CertificateThumbprint,
        [Parameter(ParameterSetName = 'AppCertificateParameterSet', Mandatory = $true, Position = 1)]
        [Parameter(ParameterSetName = 'UserParameterSet')]
        [Parameter(ParameterSetName = 'IdentityParameterSet')]
        [Alias('AppId', 'ApplicationId')]
        [string]$ClientId,
        [Parameter(ParameterSetName = 'AppSecretCredentialParameterSet')]
        [Alias('SecretCredential', 'Credential')]
        [System.Management.Automation.PSCredential]$ClientSecretCredential,
        [object]$ClientTimeout,
        [Parameter(ParameterSetName = 'UserParameterSet')]
        [Parameter(ParameterSetName = 'AppCertificateParameterSet')]
        [Parameter(ParameterSetName = 'IdentityParameterSet')]
        [Parameter(ParameterSetName = 'AppSecretCredentialParameterSet')]
        [Parameter(ParameterSetName = 'EnvironmentVariableParameterSet')]
        [ValidateSet('Process', 'CurrentUser')]
        [string]$ContextScope,
        [Alias('EnvironmentName', 'NationalCloud')]
        [string]$Environment,
        [Parameter(ParameterSetName = 'EnvironmentVariableParameterSet')]
        [switch]$EnvironmentVariable,
        [Parameter(ParameterSetName = 'IdentityParameterSet', Position = 1)]
        [Alias('ManagedIdentity', 'ManagedServiceIdentity', 'MSI')]
        [switch]$Identity,
        [switch]$NoWelcome,
        [Parameter(ParameterSetName = 'UserParameterSet', Position = 1)]
        [string[]]$Scopes,
        [Parameter(ParameterSetName = 'AppCertificateParameterSet')]
        [bool]$SendCertificateChain,
        [Parameter(ParameterSetName = 'UserParameterSet', Position = 4)]
        [Parameter(ParameterSetName = 'AppCertificateParameterSet')]
        [Parameter(ParameterSetName = 'AppSecretCredentialParameterSet')]
        [Alias('Audience', 'Tenant')]
        [string]$TenantId,
        [Parameter(ParameterSetName = 'UserParameterSet')]
        [Alias('UseDeviceAuthentication', 'DeviceCode', 'DeviceAuth', 'Device')]
        [switch]$UseDeviceCode
    )
    throw ('{0} is a stand-in: mock it' -f $MyInvocation.MyCommand.Name)
}

function Disconnect-MgGraph {
    [CmdletBinding()]
    param()
    throw ('{0} is a stand-in: mock it' -f $MyInvocation.MyCommand.Name)
}

Export-ModuleMember -Function 'Connect-MgGraph', 'Disconnect-MgGraph'
