# Stand-ins for the GroupPolicy commands the scripts call, with the real commands' parameters, parameter sets and
# accepted values (lab/windows/catalog/GroupPolicy.json), so that Pester can mock them where the module does not exist.
# A call that reaches a stand-in was not mocked, and fails.
Set-StrictMode -Version 2.0

function Get-GPO {
    [CmdletBinding(DefaultParameterSetName = 'ByGUID')]
    param(
        [Parameter(ParameterSetName = 'GetAll')]
        [switch]$All,
        [Parameter(ParameterSetName = 'ByGUID', Position = 1, ValueFromPipelineByPropertyName = $true)]
        [Parameter(ParameterSetName = 'ByName', Position = 1, ValueFromPipelineByPropertyName = $true)]
        [Parameter(ParameterSetName = 'GetAll', Position = 1, ValueFromPipelineByPropertyName = $true)]
        [Alias('DomainName')]
        [string]$Domain,
        [Parameter(ParameterSetName = 'ByGUID', Mandatory = $true, Position = 0, ValueFromPipelineByPropertyName = $true)]
        [Alias('Id')]
        [guid]$Guid,
        [Parameter(ParameterSetName = 'ByName', Mandatory = $true, Position = 0, ValueFromPipeline = $true)]
        [Alias('DisplayName')]
        [string]$Name,
        [Parameter(ParameterSetName = 'ByGUID', Position = 2)]
        [Parameter(ParameterSetName = 'ByName', Position = 2)]
        [Parameter(ParameterSetName = 'GetAll', Position = 2)]
        [Alias('DC')]
        [string]$Server
    )
    throw ('{0} is a stand-in: mock it' -f $MyInvocation.MyCommand.Name)
}

function New-GPO {
    [CmdletBinding(DefaultParameterSetName = 'New', SupportsShouldProcess = $true)]
    param(
        [string]$Comment,
        [Parameter(ParameterSetName = 'New', ValueFromPipelineByPropertyName = $true)]
        [Parameter(ParameterSetName = 'NewStarterGUID', ValueFromPipelineByPropertyName = $true)]
        [Parameter(ParameterSetName = 'NewStarterName', ValueFromPipelineByPropertyName = $true)]
        [Alias('DomainName')]
        [string]$Domain,
        [Parameter(ParameterSetName = 'New', Mandatory = $true, Position = 0)]
        [Parameter(ParameterSetName = 'NewStarterGUID', Mandatory = $true, Position = 0)]
        [Parameter(ParameterSetName = 'NewStarterName', Mandatory = $true, Position = 0)]
        [Alias('DisplayName')]
        [string]$Name,
        [Alias('DC')]
        [string]$Server,
        [Parameter(ParameterSetName = 'NewStarterGUID', Mandatory = $true, ValueFromPipelineByPropertyName = $true)]
        [Alias('Id')]
        [guid]$StarterGpoGuid,
        [Parameter(ParameterSetName = 'NewStarterName', Mandatory = $true)]
        [string]$StarterGpoName
    )
    throw ('{0} is a stand-in: mock it' -f $MyInvocation.MyCommand.Name)
}

function New-GPLink {
    [CmdletBinding(DefaultParameterSetName = 'LinkbyGUID', SupportsShouldProcess = $true)]
    param(
        [Alias('DomainName')]
        [string]$Domain,
        [ValidateSet('Unspecified', 'No', 'Yes')]
        [string]$Enforced,
        [Parameter(ParameterSetName = 'LinkbyGUID', Mandatory = $true, ValueFromPipelineByPropertyName = $true)]
        [Alias('ID')]
        [guid]$Guid,
        [ValidateSet('Unspecified', 'No', 'Yes')]
        [string]$LinkEnabled,
        [Parameter(ParameterSetName = 'LinkbyName', Mandatory = $true, Position = 0, ValueFromPipeline = $true)]
        [Alias('DisplayName')]
        [string]$Name,
        [int]$Order,
        [Alias('DC')]
        [string]$Server,
        [Parameter(ParameterSetName = 'LinkbyGUID', Mandatory = $true)]
        [Parameter(ParameterSetName = 'LinkbyName', Mandatory = $true)]
        [string]$Target
    )
    throw ('{0} is a stand-in: mock it' -f $MyInvocation.MyCommand.Name)
}

function Set-GPLink {
    [CmdletBinding(DefaultParameterSetName = 'LinkGUID', SupportsShouldProcess = $true)]
    param(
        [Alias('DomainName')]
        [string]$Domain,
        [ValidateSet('Unspecified', 'No', 'Yes')]
        [string]$Enforced,
        [Parameter(ParameterSetName = 'LinkGUID', Mandatory = $true, ValueFromPipelineByPropertyName = $true)]
        [Alias('ID', 'GPOID')]
        [guid]$Guid,
        [ValidateSet('Unspecified', 'No', 'Yes')]
        [string]$LinkEnabled,
        [Parameter(ParameterSetName = 'LinkName', Mandatory = $true, Position = 0, ValueFromPipeline = $true)]
        [Alias('DisplayName')]
        [string]$Name,
        [int]$Order,
        [Alias('DC')]
        [string]$Server,
        [Parameter(ParameterSetName = 'LinkGUID', Mandatory = $true, ValueFromPipelineByPropertyName = $true)]
        [Parameter(ParameterSetName = 'LinkName', Mandatory = $true, ValueFromPipelineByPropertyName = $true)]
        [string]$Target
    )
    throw ('{0} is a stand-in: mock it' -f $MyInvocation.MyCommand.Name)
}

function Get-GPRegistryValue {
    [CmdletBinding(DefaultParameterSetName = 'GetByGUID')]
    param(
        [Parameter(ParameterSetName = 'GetByGUID', ValueFromPipelineByPropertyName = $true)]
        [Parameter(ParameterSetName = 'GetByName', ValueFromPipelineByPropertyName = $true)]
        [Alias('DomainName')]
        [string]$Domain,
        [Parameter(ParameterSetName = 'GetByGUID', Mandatory = $true, ValueFromPipelineByPropertyName = $true)]
        [Alias('Id')]
        [guid]$Guid,
        [Parameter(ParameterSetName = 'GetByGUID', Mandatory = $true)]
        [Parameter(ParameterSetName = 'GetByName', Mandatory = $true)]
        [Alias('FullKeyPath')]
        [ValidateNotNullOrEmpty()]
        [string]$Key,
        [Parameter(ParameterSetName = 'GetByName', Mandatory = $true, Position = 0, ValueFromPipeline = $true)]
        [Alias('DisplayName')]
        [string]$Name,
        [Alias('DC')]
        [string]$Server,
        [string]$ValueName
    )
    throw ('{0} is a stand-in: mock it' -f $MyInvocation.MyCommand.Name)
}

function Set-GPRegistryValue {
    [CmdletBinding(DefaultParameterSetName = 'ByGUID', SupportsShouldProcess = $true)]
    param(
        [switch]$Additive,
        [switch]$Disable,
        [Parameter(ParameterSetName = 'ByGUID', ValueFromPipelineByPropertyName = $true)]
        [Parameter(ParameterSetName = 'ByName', ValueFromPipelineByPropertyName = $true)]
        [Alias('DomainName')]
        [string]$Domain,
        [Parameter(ParameterSetName = 'ByGUID', Mandatory = $true, ValueFromPipelineByPropertyName = $true)]
        [Alias('Id')]
        [guid]$Guid,
        [Parameter(ParameterSetName = 'ByGUID', Mandatory = $true, ValueFromPipelineByPropertyName = $true)]
        [Parameter(ParameterSetName = 'ByName', Mandatory = $true, ValueFromPipelineByPropertyName = $true)]
        [Alias('FullKeyPath')]
        [string]$Key,
        [Parameter(ParameterSetName = 'ByName', Mandatory = $true, Position = 0, ValueFromPipeline = $true)]
        [Alias('DisplayName')]
        [string]$Name,
        [Alias('DC')]
        [string]$Server,
        [Parameter(ParameterSetName = 'ByGUID', ValueFromPipelineByPropertyName = $true)]
        [Parameter(ParameterSetName = 'ByName', ValueFromPipelineByPropertyName = $true)]
        [ValidateSet('Unknown', 'String', 'ExpandString', 'Binary', 'DWord', 'MultiString', 'QWord', 'None')]
        [string]$Type,
        [Parameter(ParameterSetName = 'ByGUID', ValueFromPipelineByPropertyName = $true)]
        [Parameter(ParameterSetName = 'ByName', ValueFromPipelineByPropertyName = $true)]
        [ValidateNotNullOrEmpty()]
        [object]$Value,
        [Parameter(ParameterSetName = 'ByGUID', ValueFromPipelineByPropertyName = $true)]
        [Parameter(ParameterSetName = 'ByName', ValueFromPipelineByPropertyName = $true)]
        [string[]]$ValueName,
        [string]$ValuePrefix
    )
    throw ('{0} is a stand-in: mock it' -f $MyInvocation.MyCommand.Name)
}

function Remove-GPRegistryValue {
    [CmdletBinding(DefaultParameterSetName = 'GetByGUID', SupportsShouldProcess = $true)]
    param(
        [Parameter(ParameterSetName = 'GetByGUID', Position = 3, ValueFromPipelineByPropertyName = $true)]
        [Parameter(ParameterSetName = 'GetByName', Position = 3, ValueFromPipelineByPropertyName = $true)]
        [Alias('DomainName')]
        [string]$Domain,
        [Parameter(ParameterSetName = 'GetByGUID', Mandatory = $true, Position = 0, ValueFromPipelineByPropertyName = $true)]
        [Alias('Id')]
        [guid]$Guid,
        [Parameter(ParameterSetName = 'GetByGUID', Mandatory = $true, Position = 1, ValueFromPipelineByPropertyName = $true)]
        [Parameter(ParameterSetName = 'GetByName', Mandatory = $true, Position = 1, ValueFromPipelineByPropertyName = $true)]
        [Alias('FullKeyPath')]
        [string]$Key,
        [Parameter(ParameterSetName = 'GetByName', Mandatory = $true, Position = 0, ValueFromPipeline = $true)]
        [Alias('DisplayName')]
        [string]$Name,
        [Parameter(ParameterSetName = 'GetByGUID', Position = 4)]
        [Parameter(ParameterSetName = 'GetByName', Position = 4)]
        [Alias('DC')]
        [string]$Server,
        [Parameter(ParameterSetName = 'GetByGUID', Position = 2, ValueFromPipelineByPropertyName = $true)]
        [Parameter(ParameterSetName = 'GetByName', Position = 2, ValueFromPipelineByPropertyName = $true)]
        [string]$ValueName
    )
    throw ('{0} is a stand-in: mock it' -f $MyInvocation.MyCommand.Name)
}

Export-ModuleMember -Function 'Get-GPO', 'New-GPO', 'New-GPLink', 'Set-GPLink', 'Get-GPRegistryValue', 'Set-GPRegistryValue', 'Remove-GPRegistryValue'
