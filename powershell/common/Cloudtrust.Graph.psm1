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
