# The lab's side of every simulated command. A generated stub (an advanced function with the real command's
# parameters) hands its bound parameters here; they go, as JSON data, to the lab estate service on loopback
# (CLOUDTRUST_LAB_ENDPOINT, authenticated by CLOUDTRUST_LAB_TOKEN), which applies the command's documented
# behaviour to the estate. The answer comes back as typed objects (re-created here with their type names and
# exactly their documented properties) and error records (with the documented exception type, error id,
# category and message), written through the stub's own $PSCmdlet as the real command would write them.
# Runs in the lab's PowerShell 7 only; never on a management host.
Set-StrictMode -Version Latest

$script:Client = $null
$script:CommonParameters = [System.Collections.Generic.HashSet[string]]::new(
    [string[]]@('Verbose', 'Debug', 'ErrorAction', 'WarningAction', 'InformationAction', 'ProgressAction', 'ErrorVariable',
        'WarningVariable', 'InformationVariable', 'OutVariable', 'OutBuffer', 'PipelineVariable', 'WhatIf', 'Confirm'),
    [System.StringComparer]::OrdinalIgnoreCase)

function Initialize-LabExceptionTypes {
    # Exception types of Windows-only modules (ADException, ...) are compiled once per catalog into a DLL
    # beside the generated modules, then loaded by every lab process.
    $assembly = Join-Path -Path (Split-Path -Parent $PSScriptRoot) -ChildPath 'Cloudtrust.Lab.Exceptions.dll'
    $source = Join-Path -Path (Split-Path -Parent $PSScriptRoot) -ChildPath 'Cloudtrust.Lab.Exceptions.cs'
    if (-not (Test-Path -LiteralPath $source)) { return }
    if (-not (Test-Path -LiteralPath $assembly)) {
        $staging = '{0}.{1}.tmp' -f $assembly, [System.Guid]::NewGuid().ToString('N')
        Add-Type -TypeDefinition ([System.IO.File]::ReadAllText($source)) -OutputAssembly $staging -OutputType Library
        try { [System.IO.File]::Move($staging, $assembly) } catch [System.IO.IOException] { Remove-Item -LiteralPath $staging -ErrorAction SilentlyContinue }
    }
    Add-Type -Path $assembly
}

function Get-LabClient {
    if ($null -eq $script:Client) {
        if ([string]::IsNullOrEmpty($env:CLOUDTRUST_LAB_ENDPOINT) -or [string]::IsNullOrEmpty($env:CLOUDTRUST_LAB_TOKEN)) {
            throw 'The cloudtrust lab is not running for this process (CLOUDTRUST_LAB_ENDPOINT / CLOUDTRUST_LAB_TOKEN are not set).'
        }
        $handler = [System.Net.Http.SocketsHttpHandler]::new()
        $handler.UseProxy = $false
        $client = [System.Net.Http.HttpClient]::new($handler)
        $client.BaseAddress = [uri]$env:CLOUDTRUST_LAB_ENDPOINT
        $client.Timeout = [System.Threading.Timeout]::InfiniteTimeSpan
        $client.DefaultRequestHeaders.Authorization = [System.Net.Http.Headers.AuthenticationHeaderValue]::new('Bearer', $env:CLOUDTRUST_LAB_TOKEN)
        $script:Client = $client
    }
    return $script:Client
}

function ConvertTo-LabWire {
    # A bound parameter value -> JSON-ready data. Credentials travel to the loopback service as data (its sign-in rules need the password).
    param([AllowNull()][object]$Value, [int]$Depth = 0)
    if ($null -eq $Value) { return $null }
    if ($Depth -gt 12) { return [string]$Value }
    if ($Value -is [System.Management.Automation.SwitchParameter]) { return [bool]$Value }
    if ($Value -is [string] -or $Value -is [bool] -or $Value -is [char]) { return $Value }
    if ($Value -is [System.Management.Automation.PSCredential]) {
        return [ordered]@{ '$t' = 'pscredential'; userName = $Value.UserName; password = $Value.GetNetworkCredential().Password }
    }
    if ($Value -is [System.Security.SecureString]) {
        return [ordered]@{ '$t' = 'securestring'; v = [System.Net.NetworkCredential]::new('', $Value).Password }
    }
    if ($Value -is [scriptblock]) { return [ordered]@{ '$t' = 'scriptblock'; v = $Value.ToString() } }
    if ($Value -is [datetime]) { return [ordered]@{ '$t' = 'datetime'; v = $Value.ToUniversalTime().ToString('o') } }
    if ($Value -is [System.Enum] -or $Value -is [guid] -or $Value -is [version] -or $Value -is [uri]) { return $Value.ToString() }
    if ($Value -is [System.ValueType]) { return $Value }
    if ($Value -is [System.Security.Cryptography.X509Certificates.X509Certificate2]) { return [ordered]@{ '$t' = 'certificate'; thumbprint = $Value.Thumbprint } }
    if ($Value -is [System.Collections.IDictionary]) {
        $table = [ordered]@{}
        foreach ($key in $Value.Keys) { $table[[string]$key] = ConvertTo-LabWire -Value $Value[$key] -Depth ($Depth + 1) }
        return $table
    }
    if ($Value -is [System.Collections.IEnumerable]) {
        $items = [System.Collections.Generic.List[object]]::new()
        foreach ($item in $Value) { $items.Add((ConvertTo-LabWire -Value $item -Depth ($Depth + 1))) }
        return , $items.ToArray()
    }
    $typeName = $null
    if ($Value.PSObject.TypeNames.Count -gt 0) { $typeName = $Value.PSObject.TypeNames[0] }
    $properties = [ordered]@{}
    foreach ($property in $Value.PSObject.Properties) {
        if ($property.MemberType -in 'NoteProperty', 'Property') { $properties[$property.Name] = ConvertTo-LabWire -Value $property.Value -Depth ($Depth + 1) }
    }
    return [ordered]@{ '$t' = 'object'; type = $typeName; props = $properties }
}

function ConvertFrom-LabWire {
    # The service's typed JSON -> PowerShell values: objects carry their type name and exactly their properties.
    param([AllowNull()][object]$Value)
    if ($null -eq $Value) { return $null }
    if ($Value -is [System.Collections.IList]) {
        $items = [System.Collections.Generic.List[object]]::new()
        foreach ($item in $Value) { $items.Add((ConvertFrom-LabWire -Value $item)) }
        return , $items.ToArray()
    }
    if ($Value -isnot [System.Collections.IDictionary]) { return $Value }
    $tag = $Value['$t']
    switch ($tag) {
        'int' { return [int]$Value['v'] }
        'long' { return [long]$Value['v'] }
        'uint' { return [uint32]$Value['v'] }
        'datetime' { return [datetime]::Parse([string]$Value['v'], [cultureinfo]::InvariantCulture, [System.Globalization.DateTimeStyles]::RoundtripKind) }
        'guid' { return [guid][string]$Value['v'] }
        'version' { return [version][string]$Value['v'] }
        'securestring' { return ConvertTo-SecureString -String ([string]$Value['v']) -AsPlainText -Force }
        'string[]' { return , [string[]]@($Value['v']) }
        'hashtable' {
            $table = @{}
            foreach ($key in $Value['v'].Keys) { $table[$key] = ConvertFrom-LabWire -Value $Value['v'][$key] }
            return $table
        }
        'dictionary' {
            $dictionary = [System.Collections.Generic.Dictionary[string, object]]::new()
            foreach ($key in $Value['v'].Keys) { $dictionary[$key] = ConvertFrom-LabWire -Value $Value['v'][$key] }
            return , $dictionary
        }
        'object' {
            $object = [pscustomobject]@{}
            $object.PSObject.TypeNames.Clear()
            foreach ($name in @($Value['types'])) { $object.PSObject.TypeNames.Add([string]$name) }
            foreach ($key in $Value['props'].Keys) {
                $object.PSObject.Properties.Add([psnoteproperty]::new($key, (ConvertFrom-LabWire -Value $Value['props'][$key])))
            }
            if ($Value.Contains('methods')) {
                # A documented method that returns a fixed string (EventLogRecord.ToXml()): a closure over the text.
                foreach ($key in $Value['methods'].Keys) {
                    $text = [string]$Value['methods'][$key]
                    $object.PSObject.Methods.Add([psscriptmethod]::new($key, { $text }.GetNewClosure()))
                }
            }
            return $object
        }
        $null {
            $table = [ordered]@{}
            foreach ($key in $Value.Keys) { $table[$key] = ConvertFrom-LabWire -Value $Value[$key] }
            return $table
        }
        default { throw ('cloudtrust lab: unknown wire tag {0}' -f $tag) }
    }
}

function New-LabException {
    param([Parameter(Mandatory = $true)][System.Collections.IDictionary]$Spec)
    $typeName = [string]$Spec['exceptionType']
    $message = [string]$Spec['message']
    $type = $typeName -as [type]
    if ($null -eq $type) { throw ('cloudtrust lab: the exception type {0} is not defined (declare it in a catalog file''s exceptionTypes)' -f $typeName) }
    $inner = $null
    if ($Spec.Contains('inner') -and $null -ne $Spec['inner']) { $inner = New-LabException -Spec $Spec['inner'] }
    if ($Spec.Contains('statusCode') -and $null -ne $Spec['statusCode']) {
        # An HTTP failure carries its response (status, Retry-After), as PowerShell's and the Graph SDK's HttpResponseException do.
        $response = [System.Net.Http.HttpResponseMessage]::new([System.Net.HttpStatusCode][int]$Spec['statusCode'])
        if ($Spec.Contains('retryAfterSeconds') -and $null -ne $Spec['retryAfterSeconds']) {
            $response.Headers.RetryAfter = [System.Net.Http.Headers.RetryConditionHeaderValue]::new([timespan]::FromSeconds([int]$Spec['retryAfterSeconds']))
        }
        if ($null -ne $type.GetConstructor([type[]]@([string], [System.Net.Http.HttpResponseMessage]))) { return [System.Activator]::CreateInstance($type, [object[]]@($message, $response)) }
    }
    if ($null -ne $inner -and $null -ne $type.GetConstructor([type[]]@([string], [System.Exception]))) { return [System.Activator]::CreateInstance($type, [object[]]@($message, $inner)) }
    return [System.Activator]::CreateInstance($type, [object[]]@($message))
}

function New-LabErrorRecord {
    param([Parameter(Mandatory = $true)][System.Collections.IDictionary]$Spec)
    $exception = New-LabException -Spec $Spec
    $category = [System.Management.Automation.ErrorCategory]([string]$Spec['category'])
    $record = [System.Management.Automation.ErrorRecord]::new($exception, [string]$Spec['errorId'], $category, $Spec['targetObject'])
    # Graph puts the service's own error text here, not in the exception's message.
    if ($Spec.Contains('errorDetails') -and -not [string]::IsNullOrEmpty([string]$Spec['errorDetails'])) { $record.ErrorDetails = [System.Management.Automation.ErrorDetails]::new([string]$Spec['errorDetails']) }
    return $record
}

function Send-LabRequest {
    param([Parameter(Mandatory = $true)][System.Collections.IDictionary]$Request)
    $json = ConvertTo-Json -InputObject $Request -Depth 30 -Compress
    $content = [System.Net.Http.StringContent]::new($json, [System.Text.Encoding]::UTF8, 'application/json')
    $response = (Get-LabClient).PostAsync('invoke', $content).GetAwaiter().GetResult()
    $text = $response.Content.ReadAsStringAsync().GetAwaiter().GetResult()
    if (-not $response.IsSuccessStatusCode) { throw ('cloudtrust lab service answered {0}: {1}' -f [int]$response.StatusCode, $text) }
    return ConvertFrom-Json -InputObject $text -AsHashtable -DateKind String
}

function Get-LabComputer {
    # Inside a simulated remote session (Invoke-Command), the computer the script block runs on; else the management host.
    $variable = Get-Variable -Name 'CloudtrustLabComputer' -Scope Global -ErrorAction SilentlyContinue
    if ($null -ne $variable) { return [string]$variable.Value }
    return $null
}

function Write-LabAnswer {
    param([Parameter(Mandatory = $true)][System.Management.Automation.PSCmdlet]$Caller, [Parameter(Mandatory = $true)][System.Collections.IDictionary]$Answer)
    foreach ($warning in @($Answer['warnings'])) { if ($null -ne $warning) { $Caller.WriteWarning([string]$warning) } }
    foreach ($item in @($Answer['output'])) { if ($null -ne $item) { $Caller.WriteObject((ConvertFrom-LabWire -Value $item), $false) } }
    foreach ($spec in @($Answer['errors'])) { if ($null -ne $spec) { $Caller.WriteError((New-LabErrorRecord -Spec $spec)) } }
    if ($null -ne $Answer['error']) { $Caller.ThrowTerminatingError((New-LabErrorRecord -Spec $Answer['error'])) }
}

function Invoke-LabCommand {
    param(
        [Parameter(Mandatory = $true)][string]$Module,
        [Parameter(Mandatory = $true)][string]$Command,
        [Parameter(Mandatory = $true)][System.Management.Automation.PSCmdlet]$Caller,
        [Parameter(Mandatory = $true)][System.Collections.IDictionary]$Bound,
        # A function of a script module: it keeps its own module's preferences (Azure/autorest.powershell#846).
        [switch]$ScriptModule
    )
    if (-not $ScriptModule) { Use-LabCallerPreference -Caller $Caller -Bound $Bound }
    $parameters = [ordered]@{}
    foreach ($key in $Bound.Keys) {
        if ($script:CommonParameters.Contains($key)) { continue }
        $parameters[$key] = ConvertTo-LabWire -Value $Bound[$key]
    }
    if ($Bound.ContainsKey('WhatIf') -and [bool]$Bound['WhatIf']) { $parameters['WhatIf'] = $true }
    $request = [ordered]@{
        module       = $Module
        command      = $Command
        parameterSet = $Caller.ParameterSetName
        parameters   = $parameters
        computer     = (Get-LabComputer)
        process      = $PID
        # What the process stands for (Desktop = Windows PowerShell 5.1), and the version of the stub module that
        # answers (the installed version Import-Module loaded): both decide how some Windows commands behave.
        edition      = $env:CLOUDTRUST_LAB_EDITION
        moduleVersion = $null
    }
    $stubModule = $Caller.MyInvocation.MyCommand.Module
    if ($null -ne $stubModule) { $request['moduleVersion'] = $stubModule.Version.ToString() }
    Write-LabAnswer -Caller $Caller -Answer (Send-LabRequest -Request $request)
}

function Copy-LabRemoteValue {
    # What crosses a remoting connection: serialized to depth 1 and deserialized, as the remoting Fragmentor does
    # (SerializationDepthForRemoting = 1): Deserialized.* property bags, collections as ArrayList, primitives live.
    param([AllowNull()][object]$Value)
    if ($null -eq $Value) { return $null }
    return [System.Management.Automation.PSSerializer]::Deserialize([System.Management.Automation.PSSerializer]::Serialize($Value, 1))
}

function Set-LabPreservedInvocation {
    # Keeps a record's FullyQualifiedErrorId when a stub writes it (as records Invoke-Command relays keep theirs).
    param([Parameter(Mandatory = $true)][System.Management.Automation.ErrorRecord]$Record)
    $flags = [System.Reflection.BindingFlags]'Instance, NonPublic'
    [System.Management.Automation.ErrorRecord].GetProperty('PreserveInvocationInfoOnce', $flags).SetValue($Record, $true)
}

function New-LabConnectionError {
    # A connection failure as the remoting job builds it (Job.cs): FQID "<transport error id>,PSSessionStateBroken",
    # TargetObject the computer name, ErrorDetails "[<computer>] <message>", no OriginInfo.
    param([Parameter(Mandatory = $true)][System.Collections.IDictionary]$Spec, [Parameter(Mandatory = $true)][string]$ComputerName)
    $copy = [ordered]@{}
    foreach ($key in $Spec.Keys) { $copy[$key] = $Spec[$key] }
    $copy['errorId'] = '{0},PSSessionStateBroken' -f $Spec['errorId']
    $copy['targetObject'] = $ComputerName
    $record = New-LabErrorRecord -Spec $copy
    $record.ErrorDetails = [System.Management.Automation.ErrorDetails]::new(('[{0}] {1}' -f $ComputerName, $record.Exception.Message))
    Set-LabPreservedInvocation -Record $record
    return $record
}

function ConvertTo-LabRemoteError {
    # An error of the remote pipeline as the client receives it: the record serialized with its extended info,
    # re-created by ErrorRecord.FromPSObjectForRemoting (a RemoteException carrying the remote message, FQID and
    # category info) and wrapped in a RemotingErrorRecord whose OriginInfo names the computer.
    param([Parameter(Mandatory = $true)][System.Management.Automation.ErrorRecord]$Record, [Parameter(Mandatory = $true)][string]$ComputerName, [Parameter(Mandatory = $true)][guid]$RunspaceId)
    $instance = [System.Reflection.BindingFlags]'Instance, NonPublic'
    $static = [System.Reflection.BindingFlags]'Static, NonPublic'
    [System.Management.Automation.ErrorRecord].GetProperty('SerializeExtendedInfo', $instance).SetValue($Record, $true)
    $serialized = [System.Management.Automation.PSObject]::AsPSObject((Copy-LabRemoteValue -Value $Record))
    $received = [System.Management.Automation.ErrorRecord].GetMethod('FromPSObjectForRemoting', $static).Invoke($null, [object[]]@($serialized))
    $origin = [System.Management.Automation.Remoting.OriginInfo]::new($ComputerName, $RunspaceId)
    return [System.Management.Automation.Runspaces.RemotingErrorRecord]::new($received, $origin)
}

function Start-LabRequest {
    # Send-LabRequest without waiting: the connections of one Invoke-Command proceed in parallel.
    param([Parameter(Mandatory = $true)][System.Collections.IDictionary]$Request)
    $json = ConvertTo-Json -InputObject $Request -Depth 30 -Compress
    $content = [System.Net.Http.StringContent]::new($json, [System.Text.Encoding]::UTF8, 'application/json')
    return (Get-LabClient).PostAsync('invoke', $content)
}

function Receive-LabAnswer {
    param([Parameter(Mandatory = $true)][System.Threading.Tasks.Task]$Task)
    $response = $Task.GetAwaiter().GetResult()
    $text = $response.Content.ReadAsStringAsync().GetAwaiter().GetResult()
    if (-not $response.IsSuccessStatusCode) { throw ('cloudtrust lab service answered {0}: {1}' -f [int]$response.StatusCode, $text) }
    return ConvertFrom-Json -InputObject $text -AsHashtable -DateKind String
}

function Start-LabRemoteRunspace {
    # A fresh runspace standing for the computer: the default commands and nothing of the caller's session. The
    # lab's remote-computer module is imported by the pipeline's first statement (Start-LabRemoteCommand), not by
    # the InitialSessionState: an asynchronously opened runspace reports Opened while it still imports those.
    param([Parameter(Mandatory = $true)][string]$ComputerId)
    $state = [System.Management.Automation.Runspaces.InitialSessionState]::CreateDefault2()
    $state.Variables.Add([System.Management.Automation.Runspaces.SessionStateVariableEntry]::new('CloudtrustLabComputer', $ComputerId, 'the simulated computer'))
    $runspace = [runspacefactory]::CreateRunspace($state)
    $runspace.OpenAsync()
    return $runspace
}

function Start-LabRemoteCommand {
    param([Parameter(Mandatory = $true)][object]$Operation, [Parameter(Mandatory = $true)][string]$ScriptText, [AllowEmptyCollection()][object[]]$Arguments = @())
    $remoteModule = Join-Path -Path (Split-Path -Parent $PSScriptRoot) -ChildPath 'Cloudtrust.Lab.RemoteHost'
    $shell = [powershell]::Create()
    $shell.Runspace = $Operation.Runspace
    $null = $shell.AddCommand('Import-Module').AddParameter('Name', $remoteModule).AddStatement().AddScript($ScriptText)
    foreach ($argument in $Arguments) { $null = $shell.AddArgument($argument) }
    $Operation.Shell = $shell
    $Operation.Output = [System.Management.Automation.PSDataCollection[psobject]]::new()
    $Operation.Async = $shell.BeginInvoke([System.Management.Automation.PSDataCollection[psobject]]$null, $Operation.Output)
}

function Complete-LabRemoteCommand {
    # Relays what the remote pipeline produced: output objects (deserialized, with PSComputerName, RunspaceId and
    # PSShowComputerName) to the pipeline, its errors (also the one that stopped it) as remoting error records, and
    # its warnings, verbose and information messages.
    param([Parameter(Mandatory = $true)][System.Management.Automation.PSCmdlet]$Caller, [Parameter(Mandatory = $true)][object]$Operation, [bool]$ShowComputerName)
    $shell = $Operation.Shell
    $runspaceId = $Operation.Runspace.InstanceId
    # The reason a failed pipeline stopped, read from its state: EndInvoke would throw, and an exception caught
    # here would still land in the caller's -ErrorVariable.
    $failure = $null
    $invocation = $shell.InvocationStateInfo
    if ($invocation.State -eq 'Failed' -and $null -ne $invocation.Reason) {
        $reason = $invocation.Reason
        if ($reason -is [System.Management.Automation.IContainsErrorRecord]) { $failure = $reason.ErrorRecord }
        else { $failure = [System.Management.Automation.ErrorRecord]::new($reason, $reason.GetType().FullName, 'NotSpecified', $null) }
    }
    foreach ($item in $Operation.Output) {
        if ($null -eq $item) { continue }
        $received = [System.Management.Automation.PSObject]::AsPSObject((Copy-LabRemoteValue -Value $item))
        $received.PSObject.Properties.Add([psnoteproperty]::new('PSComputerName', $Operation.Name))
        $received.PSObject.Properties.Add([psnoteproperty]::new('RunspaceId', $runspaceId))
        $received.PSObject.Properties.Add([psnoteproperty]::new('PSShowComputerName', $ShowComputerName))
        # Written to the pipeline, not through $Caller.WriteObject: a method call would unwrap the PSObject of a
        # string or number and lose its note properties.
        $received
    }
    foreach ($warning in $shell.Streams.Warning) { $Caller.WriteWarning($warning.Message) }
    foreach ($verbose in $shell.Streams.Verbose) { $Caller.WriteVerbose($verbose.Message) }
    foreach ($information in $shell.Streams.Information) { $Caller.WriteInformation($information) }
    $errors = [System.Collections.Generic.List[System.Management.Automation.ErrorRecord]]::new()
    foreach ($record in $shell.Streams.Error) { $errors.Add($record) }
    if ($null -ne $failure) { $errors.Add($failure) }
    foreach ($record in $errors) { $Caller.WriteError((ConvertTo-LabRemoteError -Record $record -ComputerName $Operation.Name -RunspaceId $runspaceId)) }
}

function Use-LabCallerPreference {
    # A compiled cmdlet's WriteError/WriteWarning follow $ErrorActionPreference/$WarningPreference of the scope
    # that called it; a stub (a module function) would see the module's. Unless -ErrorAction/-WarningAction was
    # given, its runtime takes the caller's ($PSCmdlet.SessionState is the caller's session state).
    param([Parameter(Mandatory = $true)][System.Management.Automation.PSCmdlet]$Caller, [Parameter(Mandatory = $true)][System.Collections.IDictionary]$Bound)
    $runtime = $Caller.CommandRuntime
    $flags = [System.Reflection.BindingFlags]'Instance, NonPublic, Public'
    foreach ($pair in @(@('ErrorAction', 'ErrorActionPreference'), @('WarningAction', 'WarningPreference'))) {
        if ($Bound.ContainsKey($pair[0])) { continue }
        $value = $Caller.SessionState.PSVariable.GetValue($pair[1])
        $property = $runtime.GetType().GetProperty($pair[0], $flags)
        if ($null -ne $value -and $null -ne $property) { $property.SetValue($runtime, [System.Management.Automation.ActionPreference]$value) }
    }
}

function Invoke-LabRemoting {
    # Invoke-Command. In-process, the script block simply runs here. With -ComputerName, the lab service decides
    # per computer whether the connection succeeds (name, reachability, listener, credentials); the script block
    # then runs in a fresh runspace standing for that computer (its registry, event log and dsregcmd are the
    # lab's), so it sees nothing of the caller's variables, as in real remoting. At most -ThrottleLimit (default
    # 32) connections are open at once; what crosses them is serialized as remoting serializes it. The session
    # option's timeouts go to the service, which makes an unreachable computer cost the OpenTimeout.
    param(
        [Parameter(Mandatory = $true)][System.Management.Automation.PSCmdlet]$Caller,
        [Parameter(Mandatory = $true)][System.Collections.IDictionary]$Bound
    )
    Use-LabCallerPreference -Caller $Caller -Bound $Bound
    $set = $Caller.ParameterSetName
    $arguments = @()
    if ($Bound.ContainsKey('ArgumentList')) { $arguments = @($Bound['ArgumentList']) }
    if ($Bound.ContainsKey('InputObject')) { throw 'cloudtrust lab: Invoke-Command with pipeline input (-InputObject) is not simulated' }
    if ($set -eq 'InProcess') {
        $block = [scriptblock]$Bound['ScriptBlock']
        if ($Bound.ContainsKey('NoNewScope') -and [bool]$Bound['NoNewScope']) { . $block @arguments } else { & $block @arguments }
        return
    }
    if ($set -ne 'ComputerName' -and $set -ne 'FilePathComputerName') {
        throw ('cloudtrust lab: Invoke-Command is simulated in process and with -ComputerName only, not the {0} parameter set' -f $set)
    }
    if ($set -eq 'FilePathComputerName') {
        $provider = $null
        $file = $Caller.SessionState.Path.GetResolvedProviderPathFromPSPath([string]$Bound['FilePath'], [ref]$provider)
        $scriptText = [System.IO.File]::ReadAllText([string]@($file)[0])
    }
    else { $scriptText = $Bound['ScriptBlock'].ToString() }
    if ($scriptText -match '\$using:') { throw 'cloudtrust lab: $using: variables are not simulated; pass values with -ArgumentList' }
    $sent = @($arguments | ForEach-Object -Process { Copy-LabRemoteValue -Value $_ })
    $computers = @('localhost')
    if ($Bound.ContainsKey('ComputerName')) { $computers = @($Bound['ComputerName']) }
    $throttle = 32
    if ($Bound.ContainsKey('ThrottleLimit') -and [int]$Bound['ThrottleLimit'] -gt 0) { $throttle = [int]$Bound['ThrottleLimit'] }
    $showComputerName = -not ($Bound.ContainsKey('HideComputerName') -and [bool]$Bound['HideComputerName'])
    $connect = [ordered]@{}
    foreach ($key in $Bound.Keys) {
        if ($script:CommonParameters.Contains($key) -or $key -in 'ScriptBlock', 'ArgumentList', 'SessionOption', 'FilePath', 'ComputerName', 'ThrottleLimit', 'HideComputerName') { continue }
        $connect[$key] = ConvertTo-LabWire -Value $Bound[$key]
    }
    # The timeouts in effect: -SessionOption, else the caller's $PSSessionOption, else PSSessionOption's defaults (3 minutes).
    $option = $null
    if ($Bound.ContainsKey('SessionOption')) { $option = $Bound['SessionOption'] } else { $option = $Caller.SessionState.PSVariable.GetValue('PSSessionOption') }
    if ($null -eq $option) { $option = [System.Management.Automation.Remoting.PSSessionOption]::new() }
    $option = [System.Management.Automation.Remoting.PSSessionOption]$option
    $connect['SessionOption'] = [ordered]@{
        OpenTimeout      = [long]$option.OpenTimeout.TotalMilliseconds
        OperationTimeout = [long]$option.OperationTimeout.TotalMilliseconds
        CancelTimeout    = [long]$option.CancelTimeout.TotalMilliseconds
    }
    $pending = [System.Collections.Generic.Queue[string]]::new([string[]]$computers)
    $active = [System.Collections.Generic.List[object]]::new()
    try {
        while ($pending.Count -gt 0 -or $active.Count -gt 0) {
            while ($pending.Count -gt 0 -and $active.Count -lt $throttle) {
                $name = $pending.Dequeue()
                $parameters = [ordered]@{ ComputerName = [string[]]@($name) }
                foreach ($key in $connect.Keys) { $parameters[$key] = $connect[$key] }
                $request = [ordered]@{ module = 'Microsoft.PowerShell.Core'; command = 'Invoke-Command'; parameterSet = $set; parameters = $parameters; computer = $null; process = $PID }
                $active.Add([pscustomobject]@{ Name = $name; Connect = (Start-LabRequest -Request $request); Runspace = $null; Shell = $null; Async = $null; Output = $null })
            }
            $progressed = $false
            foreach ($operation in @($active)) {
                if ($null -ne $operation.Connect) {
                    if (-not $operation.Connect.IsCompleted) { continue }
                    $progressed = $true
                    $answer = Receive-LabAnswer -Task $operation.Connect
                    $operation.Connect = $null
                    $failures = @(@($answer['errors']) | Where-Object -FilterScript { $null -ne $_ })
                    if ($null -ne $answer['error']) { $failures += $answer['error'] }
                    $reached = @(@($answer['output']) | Where-Object -FilterScript { $null -ne $_ })
                    if ($failures.Count -gt 0 -or $reached.Count -eq 0) {
                        $null = $active.Remove($operation)
                        foreach ($spec in $failures) { $Caller.WriteError((New-LabConnectionError -Spec $spec -ComputerName $operation.Name)) }
                        continue
                    }
                    $operation.Runspace = Start-LabRemoteRunspace -ComputerId ([string]$reached[0])
                    continue
                }
                if ($null -eq $operation.Shell) {
                    $runspaceState = $operation.Runspace.RunspaceStateInfo
                    if ($runspaceState.State -eq 'Broken') { throw ('cloudtrust lab: the runspace for {0} did not open: {1}' -f $operation.Name, $runspaceState.Reason) }
                    if ($runspaceState.State -ne 'Opened' -or $operation.Runspace.RunspaceAvailability -ne 'Available') { continue }
                    $progressed = $true
                    Start-LabRemoteCommand -Operation $operation -ScriptText $scriptText -Arguments $sent
                    continue
                }
                if (-not $operation.Async.IsCompleted) { continue }
                $progressed = $true
                $null = $active.Remove($operation)
                try { Complete-LabRemoteCommand -Caller $Caller -Operation $operation -ShowComputerName $showComputerName }
                finally {
                    $operation.Shell.Dispose()
                    $operation.Runspace.Dispose()
                }
            }
            if (-not $progressed) { Start-Sleep -Milliseconds 5 }
        }
    }
    finally {
        foreach ($operation in $active) {
            if ($null -ne $operation.Shell) { $operation.Shell.Dispose() }
            if ($null -ne $operation.Runspace) { $operation.Runspace.Dispose() }
        }
    }
}

function New-LabSessionOption {
    # New-PSSessionOption as Windows has it (PowerShell 7 on Linux has only -SkipCACheck and -SkipCNCheck): the
    # real PSSessionOption, its timeouts given in milliseconds; -MaximumRedirection sets MaximumConnectionRedirectionCount.
    param(
        [Parameter(Mandatory = $true)][System.Management.Automation.PSCmdlet]$Caller,
        [Parameter(Mandatory = $true)][System.Collections.IDictionary]$Bound
    )
    $option = [System.Management.Automation.Remoting.PSSessionOption]::new()
    foreach ($key in $Bound.Keys) {
        if ($script:CommonParameters.Contains($key)) { continue }
        $value = $Bound[$key]
        if ($value -is [System.Management.Automation.SwitchParameter]) { $value = $value.IsPresent }
        if ($key -in 'OpenTimeout', 'OperationTimeout', 'CancelTimeout', 'IdleTimeout') { $value = [timespan]::FromMilliseconds([int]$value) }
        if ($key -eq 'MaximumRedirection') { $key = 'MaximumConnectionRedirectionCount' }
        $option.$key = $value
    }
    $Caller.WriteObject($option)
}

function Initialize-LabRemoteHost {
    # Inside a simulated remote computer: a C: drive and dsregcmd.exe where Windows keeps them.
    if ($null -eq (Get-PSDrive -Name 'C' -ErrorAction SilentlyContinue)) {
        $root = Join-Path -Path ([System.IO.Path]::GetTempPath()) -ChildPath 'cloudtrust-lab-c'
        $null = [System.IO.Directory]::CreateDirectory($root)
        $null = New-PSDrive -Name 'C' -PSProvider 'FileSystem' -Root $root -Scope Global
    }
    $dsregcmd = Join-Path -Path 'C:\Windows' -ChildPath 'System32\dsregcmd.exe'
    Set-Alias -Name $dsregcmd -Value 'Invoke-LabDsregcmd' -Scope Global
}

function Invoke-LabNative {
    param([Parameter(Mandatory = $true)][string]$Name, [AllowEmptyCollection()][object[]]$Arguments = @())
    $request = [ordered]@{ module = 'native'; command = $Name; parameterSet = ''; parameters = [ordered]@{ arguments = [string[]]@($Arguments | ForEach-Object -Process { [string]$_ }) }; computer = (Get-LabComputer); process = $PID }
    $answer = Send-LabRequest -Request $request
    if ($null -ne $answer['error']) { throw (New-LabErrorRecord -Spec $answer['error']) }
    $global:LASTEXITCODE = [int]$answer['exitCode']
    foreach ($line in @($answer['output'])) { if ($null -ne $line) { [string]$line } }
}

function Wait-LabModuleImport {
    # A script module's stand-in calls this while it is imported: the estate's moduleImportMs. Without a lab service
    # (the Pester suites import the stand-ins to mock them) an import costs nothing.
    param([Parameter(Mandatory = $true)][string]$Name)
    if ([string]::IsNullOrEmpty($env:CLOUDTRUST_LAB_ENDPOINT)) { return }
    $null = Send-LabRequest -Request ([ordered]@{ module = 'module-import'; command = $Name; parameterSet = ''; parameters = [ordered]@{}; computer = (Get-LabComputer); process = $PID })
}

Initialize-LabExceptionTypes
Export-ModuleMember -Function 'Invoke-LabCommand', 'Invoke-LabRemoting', 'New-LabSessionOption', 'Invoke-LabNative', 'Initialize-LabRemoteHost', 'Wait-LabModuleImport'
