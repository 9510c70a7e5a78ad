# Stand-ins for the ActiveDirectory commands the scripts call, with the real commands' parameters, parameter sets and
# accepted values (lab/windows/catalog/ActiveDirectory.json), so that Pester can mock them where the module does not exist.
# A call that reaches a stand-in was not mocked, and fails.
Set-StrictMode -Version 2.0

function Get-ADDomain {
    [CmdletBinding(DefaultParameterSetName = 'Current')]
    param(
        [ValidateSet('Negotiate', 'Basic')]
        [string]$AuthType,
        [System.Management.Automation.PSCredential]$Credential,
        [Parameter(ParameterSetName = 'Current')]
        [ValidateSet('LocalComputer', 'LoggedOnUser')]
        [string]$Current,
        [Parameter(ParameterSetName = 'Identity', Mandatory = $true, Position = 0, ValueFromPipeline = $true)]
        [object]$Identity,
        [string]$Server
    )
    throw ('{0} is a stand-in: mock it' -f $MyInvocation.MyCommand.Name)
}

function Get-ADForest {
    [CmdletBinding(DefaultParameterSetName = 'Current')]
    param(
        [ValidateSet('Negotiate', 'Basic')]
        [string]$AuthType,
        [System.Management.Automation.PSCredential]$Credential,
        [Parameter(ParameterSetName = 'Current')]
        [ValidateSet('LocalComputer', 'LoggedOnUser')]
        [string]$Current,
        [Parameter(ParameterSetName = 'Identity', Mandatory = $true, Position = 0, ValueFromPipeline = $true)]
        [object]$Identity,
        [string]$Server
    )
    throw ('{0} is a stand-in: mock it' -f $MyInvocation.MyCommand.Name)
}

function Get-ADDomainController {
    [CmdletBinding(DefaultParameterSetName = 'Identity')]
    param(
        [ValidateSet('Negotiate', 'Basic')]
        [string]$AuthType,
        [Parameter(ParameterSetName = 'DiscoverByService')]
        [switch]$AvoidSelf,
        [Parameter(ParameterSetName = 'Identity')]
        [Parameter(ParameterSetName = 'Filter')]
        [System.Management.Automation.PSCredential]$Credential,
        [Parameter(ParameterSetName = 'DiscoverByService', Mandatory = $true)]
        [switch]$Discover,
        [Parameter(ParameterSetName = 'DiscoverByService')]
        [string]$DomainName,
        [Parameter(ParameterSetName = 'Filter', Mandatory = $true)]
        [string]$Filter,
        [Parameter(ParameterSetName = 'DiscoverByService')]
        [switch]$ForceDiscover,
        [Parameter(ParameterSetName = 'Identity', Position = 0, ValueFromPipeline = $true)]
        [object]$Identity,
        [Parameter(ParameterSetName = 'DiscoverByService')]
        [ValidateSet('Windows2000', 'Windows2008', 'Windows2012', 'Windows2012R2')]
        [string]$MinimumDirectoryServiceVersion,
        [Parameter(ParameterSetName = 'DiscoverByService')]
        [switch]$NextClosestSite,
        [Parameter(ParameterSetName = 'Identity')]
        [Parameter(ParameterSetName = 'Filter')]
        [string]$Server,
        [Parameter(ParameterSetName = 'DiscoverByService')]
        [ValidateSet('PrimaryDC', 'GlobalCatalog', 'KDC', 'TimeService', 'ReliableTimeService', 'ADWS')]
        [string[]]$Service,
        [Parameter(ParameterSetName = 'DiscoverByService')]
        [string]$SiteName,
        [Parameter(ParameterSetName = 'DiscoverByService')]
        [switch]$Writable
    )
    throw ('{0} is a stand-in: mock it' -f $MyInvocation.MyCommand.Name)
}

function Get-ADObject {
    [CmdletBinding(DefaultParameterSetName = 'Filter')]
    param(
        [ValidateSet('Negotiate', 'Basic')]
        [string]$AuthType,
        [System.Management.Automation.PSCredential]$Credential,
        [Parameter(ParameterSetName = 'Filter', Mandatory = $true)]
        [string]$Filter,
        [Parameter(ParameterSetName = 'Identity', Mandatory = $true, Position = 0, ValueFromPipeline = $true)]
        [object]$Identity,
        [switch]$IncludeDeletedObjects,
        [Parameter(ParameterSetName = 'LdapFilter', Mandatory = $true)]
        [string]$LDAPFilter,
        [Parameter(ParameterSetName = 'Identity')]
        [string]$Partition,
        [Alias('Property')]
        [string[]]$Properties,
        [Parameter(ParameterSetName = 'Filter')]
        [Parameter(ParameterSetName = 'LdapFilter')]
        [int]$ResultPageSize,
        [Parameter(ParameterSetName = 'Filter')]
        [Parameter(ParameterSetName = 'LdapFilter')]
        [int]$ResultSetSize,
        [Parameter(ParameterSetName = 'Filter')]
        [Parameter(ParameterSetName = 'LdapFilter')]
        [string]$SearchBase,
        [Parameter(ParameterSetName = 'Filter')]
        [Parameter(ParameterSetName = 'LdapFilter')]
        [ValidateSet('Base', 'OneLevel', 'Subtree')]
        [string]$SearchScope,
        [string]$Server
    )
    throw ('{0} is a stand-in: mock it' -f $MyInvocation.MyCommand.Name)
}

function Get-ADGroup {
    [CmdletBinding(DefaultParameterSetName = 'Filter')]
    param(
        [ValidateSet('Negotiate', 'Basic')]
        [string]$AuthType,
        [System.Management.Automation.PSCredential]$Credential,
        [Parameter(ParameterSetName = 'Filter', Mandatory = $true)]
        [string]$Filter,
        [Parameter(ParameterSetName = 'Identity', Mandatory = $true, Position = 0, ValueFromPipeline = $true)]
        [object]$Identity,
        [Parameter(ParameterSetName = 'LdapFilter', Mandatory = $true)]
        [string]$LDAPFilter,
        [Parameter(ParameterSetName = 'Identity')]
        [string]$Partition,
        [Alias('Property')]
        [string[]]$Properties,
        [Parameter(ParameterSetName = 'Filter')]
        [Parameter(ParameterSetName = 'LdapFilter')]
        [int]$ResultPageSize,
        [Parameter(ParameterSetName = 'Filter')]
        [Parameter(ParameterSetName = 'LdapFilter')]
        [int]$ResultSetSize,
        [Parameter(ParameterSetName = 'Filter')]
        [Parameter(ParameterSetName = 'LdapFilter')]
        [string]$SearchBase,
        [Parameter(ParameterSetName = 'Filter')]
        [Parameter(ParameterSetName = 'LdapFilter')]
        [ValidateSet('Base', 'OneLevel', 'Subtree')]
        [string]$SearchScope,
        [string]$Server,
        [switch]$ShowMemberTimeToLive
    )
    throw ('{0} is a stand-in: mock it' -f $MyInvocation.MyCommand.Name)
}

Export-ModuleMember -Function 'Get-ADDomain', 'Get-ADForest', 'Get-ADDomainController', 'Get-ADObject', 'Get-ADGroup'
