# Helpers shared by the Microsoft Graph step scripts (powershell/intune): the app-only sign-in, Graph's answer for a
# tenant without an Intune licence, device configurations found by display name and their assignment targets.
# Loaded by the host dispatcher (powershell/host/Cloudtrust.Host.ps1) from the text whose SHA-256 it checked.
# Windows PowerShell 5.1 compatible.
Set-StrictMode -Version 2.0
$ErrorActionPreference = 'Stop'
$ProgressPreference = 'SilentlyContinue'

# A module function sees the module's preference variables, not its caller's: a function that calls other commands
# takes the calling script's $WarningPreference, so their warnings are shown or kept quiet as the script's own are
# (the dispatcher merges each script's warning stream into its output, 3>&1, and returns the warnings in the envelope).

function Connect-GraphAppOnly {
    # App-only, with a certificate from the worker account's certificate store (Connect-MgGraph 2.x looks in
    # Cert:\CurrentUser\My, then Cert:\LocalMachine\My), in the national cloud the spec names (Get-MgEnvironment:
    # Global, USGov, USGovDoD, China); no welcome text on the output. Graph's exported commands are script-module
    # functions: they do not see the calling script's $ErrorActionPreference, so every call here says -ErrorAction Stop.
    [CmdletBinding()]
    param(
        [Parameter(Mandatory = $true)][string]$TenantId,
        [Parameter(Mandatory = $true)][string]$ClientId,
        [Parameter(Mandatory = $true)][string]$CertificateThumbprint,
        [ValidateSet('Global', 'USGov', 'USGovDoD', 'China')][string]$Environment = 'Global'
    )
    $WarningPreference = $PSCmdlet.GetVariableValue('WarningPreference')
    Connect-MgGraph -ClientId $ClientId -TenantId $TenantId -CertificateThumbprint $CertificateThumbprint -Environment $Environment -NoWelcome -ErrorAction Stop | Out-Null
}

function Disconnect-GraphAppOnly {
    [CmdletBinding()]
    param()
    $WarningPreference = $PSCmdlet.GetVariableValue('WarningPreference')
    Disconnect-MgGraph -ErrorAction Stop | Out-Null
}

function Test-IntuneUnlicensed {
    # Graph's answer for every Intune request of a tenant without an active Intune licence; retrying cannot help.
    param([Parameter(Mandatory = $true)][System.Management.Automation.ErrorRecord]$Record)
    return ($Record.Exception.Message -match 'not applicable to target tenant')
}

function Stop-IfIntuneUnlicensed {
    param([Parameter(Mandatory = $true)][System.Management.Automation.ErrorRecord]$Record, [string]$Tenant)
    if (-not (Test-IntuneUnlicensed -Record $Record)) { return }
    if ($Tenant.Length -gt 0) {
        Write-Error -Message ("Intune is not usable in tenant {0}: Microsoft Graph answered 'Request not applicable to target tenant.' (400 BadRequest). The tenant needs an active Intune licence before device configuration profiles can be created." -f $Tenant) -Category NotEnabled -ErrorId 'IntuneNotLicensed' -TargetObject $Tenant -ErrorAction Stop
    }
    Write-Error -Message "Intune is not usable in this tenant: Microsoft Graph answered 'Request not applicable to target tenant.' (400 BadRequest). The tenant needs an active Intune licence." -Category NotEnabled -ErrorId 'IntuneNotLicensed' -ErrorAction Stop
}

function Find-DeviceConfiguration {
    # Every device configuration with this display name: Intune does not keep display names unique.
    [CmdletBinding()]
    param([Parameter(Mandatory = $true)][string]$DisplayName, [string]$Tenant)
    $WarningPreference = $PSCmdlet.GetVariableValue('WarningPreference')
    try {
        $all = @(Get-MgDeviceManagementDeviceConfiguration -All -ErrorAction Stop)
    }
    catch {
        Stop-IfIntuneUnlicensed -Record $_ -Tenant $Tenant
        throw
    }
    $all | Where-Object -FilterScript { [string]$_.DisplayName -eq $DisplayName }
}

function Get-HelloEnrollmentState {
    # The state (enabled, disabled, notConfigured) of the tenant-wide Windows Hello for Business enrollment
    # configuration: the deviceEnrollmentWindowsHelloForBusinessConfiguration of priority 0 ('All users and all
    # devices'); notConfigured when the tenant has none; unknown, with a warning, when the app may not read it (the
    # Graph pages disagree on whether DeviceManagementConfiguration.* suffices or DeviceManagementServiceConfig.* is
    # needed). On v1.0 the type is told by '@odata.type' (deviceEnrollmentConfigurationType is beta-only).
    [CmdletBinding()]
    param()
    $WarningPreference = $PSCmdlet.GetVariableValue('WarningPreference')
    $helloType = '#microsoft.graph.deviceEnrollmentWindowsHelloForBusinessConfiguration'
    $state = 'notConfigured'
    $others = 0
    $uri = 'v1.0/deviceManagement/deviceEnrollmentConfigurations'
    while ($null -ne $uri) {
        try {
            $page = Invoke-MgGraphRequest -Method GET -Uri $uri -OutputType HashTable -ErrorAction Stop
        }
        catch {
            if ($_.Exception.Message -notmatch 'does not indicate success: Forbidden') { throw }
            Write-Warning -Message 'The app may not read the tenant-wide Windows Hello for Business enrollment configuration (403 Forbidden; grant DeviceManagementServiceConfig.Read.All): the profile enables WHfB itself'
            return 'unknown'
        }
        foreach ($configuration in @($page['value'])) {
            if ([string]$configuration['@odata.type'] -ne $helloType) { continue }
            if ([int]$configuration['priority'] -eq 0) { $state = [string]$configuration['state'] }
            else { $others++ }
        }
        $uri = $null
        if ($page.ContainsKey('@odata.nextLink')) { $uri = [string]$page['@odata.nextLink'] }
    }
    if ($others -gt 0) {
        Write-Warning -Message ('{0} Windows Hello for Business enrollment configuration(s) besides the tenant-wide one are assigned to groups; they override it for their members at enrollment' -f $others)
    }
    return $state
}

function Get-TargetKind {
    param([AllowEmptyString()][string]$ODataType)
    switch ($ODataType) {
        '#microsoft.graph.groupAssignmentTarget' { return 'group' }
        '#microsoft.graph.exclusionGroupAssignmentTarget' { return 'exclusionGroup' }
        '#microsoft.graph.allDevicesAssignmentTarget' { return 'allDevices' }
        '#microsoft.graph.allLicensedUsersAssignmentTarget' { return 'allLicensedUsers' }
        default { return 'other' }
    }
}

function ConvertTo-TargetBody {
    # The target exactly as Graph described it (type, group, assignment filter), ready to be posted back.
    param([Parameter(Mandatory = $true)][object]$Target)
    $body = @{}
    if ($null -ne $Target.AdditionalProperties) {
        foreach ($key in $Target.AdditionalProperties.Keys) { $body[[string]$key] = $Target.AdditionalProperties[$key] }
    }
    foreach ($name in @('DeviceAndAppManagementAssignmentFilterId', 'DeviceAndAppManagementAssignmentFilterType')) {
        $property = $Target.PSObject.Properties[$name]
        if ($null -ne $property -and $null -ne $property.Value -and ([string]$property.Value).Length -gt 0) {
            $body[$name.Substring(0, 1).ToLowerInvariant() + $name.Substring(1)] = [string]$property.Value
        }
    }
    return $body
}

function Get-AssignmentTarget {
    [CmdletBinding()]
    param([Parameter(Mandatory = $true)][string]$ProfileId)
    $WarningPreference = $PSCmdlet.GetVariableValue('WarningPreference')
    foreach ($assignment in @(Get-MgDeviceManagementDeviceConfigurationAssignment -DeviceConfigurationId $ProfileId -All -ErrorAction Stop)) {
        ConvertTo-TargetBody -Target $assignment.Target
    }
}

function Test-IsGroupTarget {
    param([Parameter(Mandatory = $true)][hashtable]$Target, [Parameter(Mandatory = $true)][AllowEmptyString()][string]$GroupId)
    return ([string]$Target['@odata.type'] -eq '#microsoft.graph.groupAssignmentTarget' -and $Target.ContainsKey('groupId') -and [string]$Target['groupId'] -eq $GroupId)
}

function ConvertTo-AssignmentState {
    param(
        [Parameter(Mandatory = $true)][object]$Configuration,
        [Parameter(Mandatory = $true)][AllowEmptyCollection()][object[]]$Targets,
        [Parameter(Mandatory = $true)][AllowEmptyString()][string]$GroupId
    )
    $summaries = @($Targets | ForEach-Object -Process {
            $groupIdOfTarget = $null
            if ($_.ContainsKey('groupId')) { $groupIdOfTarget = [string]$_['groupId'] }
            [ordered]@{ targetType = (Get-TargetKind -ODataType ([string]$_['@odata.type'])); groupId = $groupIdOfTarget }
        })
    $assigned = @($Targets | Where-Object -FilterScript { Test-IsGroupTarget -Target $_ -GroupId $GroupId }).Count -gt 0
    return [ordered]@{
        profileId          = [string]$Configuration.Id
        profileDisplayName = [string]$Configuration.DisplayName
        assignments        = [object[]]$summaries
        groupAssigned      = $assigned
    }
}

function Send-AssignmentSet {
    # Posts the profile's whole set of targets to its /assign action (no cmdlet of the catalog wraps it), which
    # REPLACES the profile's assignments: a target left out is unassigned.
    [CmdletBinding()]
    param(
        [Parameter(Mandatory = $true)][string]$ProfileId,
        [Parameter(Mandatory = $true)][AllowEmptyCollection()][object[]]$Targets
    )
    $WarningPreference = $PSCmdlet.GetVariableValue('WarningPreference')
    $assignments = New-Object -TypeName System.Collections.Generic.List[object]
    foreach ($target in $Targets) {
        $assignments.Add(@{ '@odata.type' = '#microsoft.graph.deviceConfigurationAssignment'; target = $target })
    }
    $body = ConvertTo-Json -InputObject @{ assignments = [object[]]$assignments.ToArray() } -Depth 10 -Compress
    # Relative: the SDK sends it to the Graph endpoint of the cloud Connect-MgGraph signed in to.
    $uri = 'v1.0/deviceManagement/deviceConfigurations/{0}/assign' -f $ProfileId
    Invoke-MgGraphRequest -Method POST -Uri $uri -Body $body -ContentType 'application/json' -ErrorAction Stop | Out-Null
}

# ---------------------------------------------------------------- settings catalog (beta configurationPolicies)
# No cmdlet of the v1.0 modules covers them; every call is Invoke-MgGraphRequest on beta, relative, so it follows
# the signed-in cloud.

function Invoke-GraphPage {
    # Every item of a collection, following @odata.nextLink.
    [CmdletBinding()]
    param([Parameter(Mandatory = $true)][string]$Uri)
    $WarningPreference = $PSCmdlet.GetVariableValue('WarningPreference')
    $next = $Uri
    while ($null -ne $next) {
        $page = Invoke-MgGraphRequest -Method GET -Uri $next -OutputType HashTable -ErrorAction Stop
        foreach ($item in @($page['value'])) { $item }
        $next = $null
        if ($page.ContainsKey('@odata.nextLink')) { $next = [string]$page['@odata.nextLink'] }
    }
}

function Find-CatalogPolicy {
    # Every configuration policy with this name (Intune does not keep names unique), with its settings.
    [CmdletBinding()]
    param([Parameter(Mandatory = $true)][string]$Name, [string]$Tenant)
    $WarningPreference = $PSCmdlet.GetVariableValue('WarningPreference')
    try {
        $all = @(Invoke-GraphPage -Uri 'beta/deviceManagement/configurationPolicies?$select=id,name')
    }
    catch {
        Stop-IfIntuneUnlicensed -Record $_ -Tenant $Tenant
        throw
    }
    foreach ($policy in @($all | Where-Object -FilterScript { [string]$_['name'] -eq $Name })) {
        Invoke-MgGraphRequest -Method GET -Uri ('beta/deviceManagement/configurationPolicies/{0}?$expand=settings' -f [string]$policy['id']) -OutputType HashTable -ErrorAction Stop
    }
}

function Get-CatalogChoiceValue {
    # The choice values of a policy's settings, flattened: settingDefinitionId -> chosen option (group collections
    # are walked into; other setting kinds are reported with a null value).
    param([Parameter(Mandatory = $true)][AllowEmptyCollection()][object[]]$Settings)
    $found = New-Object -TypeName System.Collections.Generic.List[object]
    $queue = New-Object -TypeName System.Collections.Generic.Queue[object]
    foreach ($setting in $Settings) { if ($null -ne $setting -and $setting.ContainsKey('settingInstance')) { $queue.Enqueue($setting['settingInstance']) } }
    while ($queue.Count -gt 0) {
        $instance = $queue.Dequeue()
        $type = [string]$instance['@odata.type']
        if ($type -eq '#microsoft.graph.deviceManagementConfigurationGroupSettingCollectionInstance') {
            foreach ($value in @($instance['groupSettingCollectionValue'])) {
                foreach ($child in @($value['children'])) { if ($null -ne $child) { $queue.Enqueue($child) } }
            }
            continue
        }
        $chosen = $null
        if ($type -eq '#microsoft.graph.deviceManagementConfigurationChoiceSettingInstance' -and $instance.ContainsKey('choiceSettingValue')) { $chosen = [string]$instance['choiceSettingValue']['value'] }
        $found.Add([ordered]@{ settingDefinitionId = [string]$instance['settingDefinitionId']; value = $chosen })
    }
    return [object[]]$found.ToArray()
}

function ConvertTo-CatalogPolicyState {
    param([Parameter(Mandatory = $true)][System.Collections.IDictionary]$Policy)
    $family = 'none'
    if ($Policy.ContainsKey('templateReference') -and $null -ne $Policy['templateReference'] -and $null -ne $Policy['templateReference']['templateFamily']) { $family = [string]$Policy['templateReference']['templateFamily'] }
    $settings = @()
    if ($Policy.ContainsKey('settings')) { $settings = @($Policy['settings']) }
    return [ordered]@{
        id             = [string]$Policy['id']
        name           = [string]$Policy['name']
        description    = [string]$Policy['description']
        platforms      = [string]$Policy['platforms']
        technologies   = [string]$Policy['technologies']
        templateFamily = $family
        settings       = [object[]](Get-CatalogChoiceValue -Settings $settings)
    }
}

function Get-CatalogAssignmentTarget {
    # The policy's assignment targets exactly as Graph describes them, ready to be posted back.
    [CmdletBinding()]
    param([Parameter(Mandatory = $true)][string]$PolicyId)
    $WarningPreference = $PSCmdlet.GetVariableValue('WarningPreference')
    foreach ($assignment in @(Invoke-GraphPage -Uri ('beta/deviceManagement/configurationPolicies/{0}/assignments' -f $PolicyId))) {
        $target = @{}
        foreach ($key in $assignment['target'].Keys) {
            $value = $assignment['target'][$key]
            if ($key -eq 'deviceAndAppManagementAssignmentFilterId' -and $null -eq $value) { continue }
            if ($key -eq 'deviceAndAppManagementAssignmentFilterType' -and ($null -eq $value -or [string]$value -eq 'none')) { continue }
            $target[[string]$key] = $value
        }
        $target
    }
}

function ConvertTo-CatalogAssignmentState {
    param(
        [Parameter(Mandatory = $true)][System.Collections.IDictionary]$Policy,
        [Parameter(Mandatory = $true)][AllowEmptyCollection()][object[]]$Targets,
        [Parameter(Mandatory = $true)][AllowEmptyString()][string]$GroupId
    )
    $summaries = @($Targets | ForEach-Object -Process {
            $groupIdOfTarget = $null
            if ($_.ContainsKey('groupId')) { $groupIdOfTarget = [string]$_['groupId'] }
            [ordered]@{ targetType = (Get-TargetKind -ODataType ([string]$_['@odata.type'])); groupId = $groupIdOfTarget }
        })
    $assigned = @($Targets | Where-Object -FilterScript { Test-IsGroupTarget -Target $_ -GroupId $GroupId }).Count -gt 0
    return [ordered]@{
        policyId      = [string]$Policy['id']
        policyName    = [string]$Policy['name']
        assignments   = [object[]]$summaries
        groupAssigned = $assigned
    }
}

function Send-CatalogAssignmentSet {
    # Posts the policy's whole set of targets to its /assign action, which REPLACES the policy's assignments.
    [CmdletBinding()]
    param(
        [Parameter(Mandatory = $true)][string]$PolicyId,
        [Parameter(Mandatory = $true)][AllowEmptyCollection()][object[]]$Targets
    )
    $WarningPreference = $PSCmdlet.GetVariableValue('WarningPreference')
    $assignments = New-Object -TypeName System.Collections.Generic.List[object]
    foreach ($target in $Targets) { $assignments.Add(@{ target = $target }) }
    $body = ConvertTo-Json -InputObject @{ assignments = [object[]]$assignments.ToArray() } -Depth 10 -Compress
    Invoke-MgGraphRequest -Method POST -Uri ('beta/deviceManagement/configurationPolicies/{0}/assign' -f $PolicyId) -Body $body -ContentType 'application/json' -ErrorAction Stop | Out-Null
}
