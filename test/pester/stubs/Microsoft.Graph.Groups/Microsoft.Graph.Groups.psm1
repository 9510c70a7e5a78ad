# Stand-ins for the Microsoft.Graph.Groups commands the scripts call, with the real commands' parameters, parameter sets and
# accepted values (lab/windows/catalog/Microsoft.Graph.Groups.json), so that Pester can mock them where the module does not exist.
# A call that reaches a stand-in was not mocked, and fails.
Set-StrictMode -Version 2.0

function Get-MgGroup {
    [CmdletBinding(DefaultParameterSetName = 'List')]
    param(
        [Parameter(ParameterSetName = 'List')]
        [switch]$All,
        [switch]$Break,
        [Parameter(ParameterSetName = 'List')]
        [string]$ConsistencyLevel,
        [Parameter(ParameterSetName = 'List')]
        [Alias('CV')]
        [string]$CountVariable,
        [Alias('Expand')]
        [string[]]$ExpandProperty,
        [Parameter(ParameterSetName = 'List')]
        [string]$Filter,
        [Parameter(ParameterSetName = 'Get', Mandatory = $true)]
        [string]$GroupId,
        [Parameter(ParameterSetName = 'List', ValueFromPipeline = $true)]
        [Parameter(ParameterSetName = 'Get', ValueFromPipeline = $true)]
        [Parameter(ParameterSetName = 'GetViaIdentity', ValueFromPipeline = $true)]
        [hashtable]$Headers,
        [object[]]$HttpPipelineAppend,
        [object[]]$HttpPipelinePrepend,
        [Parameter(ParameterSetName = 'GetViaIdentity', Mandatory = $true, ValueFromPipeline = $true)]
        [object]$InputObject,
        [Parameter(ParameterSetName = 'List')]
        [int]$PageSize,
        [Alias('Select')]
        [string[]]$Property,
        [string]$Proxy,
        [System.Management.Automation.PSCredential]$ProxyCredential,
        [switch]$ProxyUseDefaultCredentials,
        [Alias('RHV')]
        [string]$ResponseHeadersVariable,
        [Parameter(ParameterSetName = 'List')]
        [string]$Search,
        [Parameter(ParameterSetName = 'List')]
        [int]$Skip,
        [Parameter(ParameterSetName = 'List')]
        [Alias('OrderBy')]
        [string[]]$Sort,
        [Parameter(ParameterSetName = 'List')]
        [Alias('Limit')]
        [int]$Top
    )
    throw ('{0} is a stand-in: mock it' -f $MyInvocation.MyCommand.Name)
}

function New-MgGroup {
    [CmdletBinding(DefaultParameterSetName = 'CreateExpanded', SupportsShouldProcess = $true)]
    param(
        [Parameter(ParameterSetName = 'CreateExpanded')]
        [object[]]$AcceptedSenders,
        [Parameter(ParameterSetName = 'CreateExpanded')]
        [hashtable]$AdditionalProperties,
        [Parameter(ParameterSetName = 'CreateExpanded')]
        [switch]$AllowExternalSenders,
        [Parameter(ParameterSetName = 'CreateExpanded')]
        [object[]]$AppRoleAssignments,
        [Parameter(ParameterSetName = 'CreateExpanded')]
        [object[]]$AssignedLabels,
        [Parameter(ParameterSetName = 'CreateExpanded')]
        [object[]]$AssignedLicenses,
        [Parameter(ParameterSetName = 'CreateExpanded')]
        [switch]$AutoSubscribeNewMembers,
        [Parameter(ParameterSetName = 'Create', Mandatory = $true, ValueFromPipeline = $true)]
        [object]$BodyParameter,
        [switch]$Break,
        [Parameter(ParameterSetName = 'CreateExpanded')]
        [object]$Calendar,
        [Parameter(ParameterSetName = 'CreateExpanded')]
        [object[]]$CalendarView,
        [Parameter(ParameterSetName = 'CreateExpanded')]
        [string]$Classification,
        [Parameter(ParameterSetName = 'CreateExpanded')]
        [object[]]$Conversations,
        [Parameter(ParameterSetName = 'CreateExpanded')]
        [datetime]$CreatedDateTime,
        [Parameter(ParameterSetName = 'CreateExpanded')]
        [object]$CreatedOnBehalfOf,
        [Parameter(ParameterSetName = 'CreateExpanded')]
        [datetime]$DeletedDateTime,
        [Parameter(ParameterSetName = 'CreateExpanded')]
        [string]$Description,
        [Parameter(ParameterSetName = 'CreateExpanded')]
        [string]$DisplayName,
        [Parameter(ParameterSetName = 'CreateExpanded')]
        [object]$Drive,
        [Parameter(ParameterSetName = 'CreateExpanded')]
        [object[]]$Drives,
        [Parameter(ParameterSetName = 'CreateExpanded')]
        [object[]]$Events,
        [Parameter(ParameterSetName = 'CreateExpanded')]
        [datetime]$ExpirationDateTime,
        [Parameter(ParameterSetName = 'CreateExpanded')]
        [object[]]$Extensions,
        [Parameter(ParameterSetName = 'CreateExpanded')]
        [object[]]$GroupLifecyclePolicies,
        [Parameter(ParameterSetName = 'CreateExpanded')]
        [string[]]$GroupTypes,
        [Parameter(ParameterSetName = 'CreateExpanded')]
        [switch]$HasMembersWithLicenseErrors,
        [Parameter(ParameterSetName = 'CreateExpanded', ValueFromPipeline = $true)]
        [Parameter(ParameterSetName = 'Create', ValueFromPipeline = $true)]
        [hashtable]$Headers,
        [Parameter(ParameterSetName = 'CreateExpanded')]
        [switch]$HideFromAddressLists,
        [Parameter(ParameterSetName = 'CreateExpanded')]
        [switch]$HideFromOutlookClients,
        [object[]]$HttpPipelineAppend,
        [object[]]$HttpPipelinePrepend,
        [Parameter(ParameterSetName = 'CreateExpanded')]
        [string]$Id,
        [Parameter(ParameterSetName = 'CreateExpanded')]
        [switch]$IsArchived,
        [Parameter(ParameterSetName = 'CreateExpanded')]
        [switch]$IsAssignableToRole,
        [Parameter(ParameterSetName = 'CreateExpanded')]
        [switch]$IsManagementRestricted,
        [Parameter(ParameterSetName = 'CreateExpanded')]
        [switch]$IsSubscribedByMail,
        [Parameter(ParameterSetName = 'CreateExpanded')]
        [object]$LicenseProcessingState,
        [Parameter(ParameterSetName = 'CreateExpanded')]
        [string]$Mail,
        [Parameter(ParameterSetName = 'CreateExpanded')]
        [switch]$MailEnabled,
        [Parameter(ParameterSetName = 'CreateExpanded')]
        [string]$MailNickname,
        [Parameter(ParameterSetName = 'CreateExpanded')]
        [object[]]$MemberOf,
        [Parameter(ParameterSetName = 'CreateExpanded')]
        [object[]]$Members,
        [Parameter(ParameterSetName = 'CreateExpanded')]
        [string]$MembershipRule,
        [Parameter(ParameterSetName = 'CreateExpanded')]
        [string]$MembershipRuleProcessingState,
        [Parameter(ParameterSetName = 'CreateExpanded')]
        [object[]]$MembersWithLicenseErrors,
        [Parameter(ParameterSetName = 'CreateExpanded')]
        [object]$Onenote,
        [Parameter(ParameterSetName = 'CreateExpanded')]
        [string]$OnPremisesDomainName,
        [Parameter(ParameterSetName = 'CreateExpanded')]
        [datetime]$OnPremisesLastSyncDateTime,
        [Parameter(ParameterSetName = 'CreateExpanded')]
        [string]$OnPremisesNetBiosName,
        [Parameter(ParameterSetName = 'CreateExpanded')]
        [object[]]$OnPremisesProvisioningErrors,
        [Parameter(ParameterSetName = 'CreateExpanded')]
        [string]$OnPremisesSamAccountName,
        [Parameter(ParameterSetName = 'CreateExpanded')]
        [string]$OnPremisesSecurityIdentifier,
        [Parameter(ParameterSetName = 'CreateExpanded')]
        [object]$OnPremisesSyncBehavior,
        [Parameter(ParameterSetName = 'CreateExpanded')]
        [switch]$OnPremisesSyncEnabled,
        [Parameter(ParameterSetName = 'CreateExpanded')]
        [object[]]$Owners,
        [Parameter(ParameterSetName = 'CreateExpanded')]
        [object[]]$PermissionGrants,
        [Parameter(ParameterSetName = 'CreateExpanded')]
        [object]$Photo,
        [Parameter(ParameterSetName = 'CreateExpanded')]
        [object[]]$Photos,
        [Parameter(ParameterSetName = 'CreateExpanded')]
        [object]$Planner,
        [Parameter(ParameterSetName = 'CreateExpanded')]
        [string]$PreferredDataLocation,
        [Parameter(ParameterSetName = 'CreateExpanded')]
        [string]$PreferredLanguage,
        [string]$Proxy,
        [Parameter(ParameterSetName = 'CreateExpanded')]
        [string[]]$ProxyAddresses,
        [System.Management.Automation.PSCredential]$ProxyCredential,
        [switch]$ProxyUseDefaultCredentials,
        [Parameter(ParameterSetName = 'CreateExpanded')]
        [object[]]$RejectedSenders,
        [Parameter(ParameterSetName = 'CreateExpanded')]
        [datetime]$RenewedDateTime,
        [Alias('RHV')]
        [string]$ResponseHeadersVariable,
        [Parameter(ParameterSetName = 'CreateExpanded')]
        [switch]$SecurityEnabled,
        [Parameter(ParameterSetName = 'CreateExpanded')]
        [string]$SecurityIdentifier,
        [Parameter(ParameterSetName = 'CreateExpanded')]
        [object[]]$ServiceProvisioningErrors,
        [Parameter(ParameterSetName = 'CreateExpanded')]
        [object[]]$Settings,
        [Parameter(ParameterSetName = 'CreateExpanded')]
        [object[]]$Sites,
        [Parameter(ParameterSetName = 'CreateExpanded')]
        [object]$Team,
        [Parameter(ParameterSetName = 'CreateExpanded')]
        [string]$Theme,
        [Parameter(ParameterSetName = 'CreateExpanded')]
        [object[]]$Threads,
        [Parameter(ParameterSetName = 'CreateExpanded')]
        [object[]]$TransitiveMemberOf,
        [Parameter(ParameterSetName = 'CreateExpanded')]
        [object[]]$TransitiveMembers,
        [Parameter(ParameterSetName = 'CreateExpanded')]
        [string]$UniqueName,
        [Parameter(ParameterSetName = 'CreateExpanded')]
        [int]$UnseenCount,
        [Parameter(ParameterSetName = 'CreateExpanded')]
        [string]$Visibility
    )
    throw ('{0} is a stand-in: mock it' -f $MyInvocation.MyCommand.Name)
}

Export-ModuleMember -Function 'Get-MgGroup', 'New-MgGroup'
