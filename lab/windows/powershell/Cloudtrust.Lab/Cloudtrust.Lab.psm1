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
    if ($typeName -eq 'Microsoft.PowerShell.Commands.HttpResponseException') {
        $response = [System.Net.Http.HttpResponseMessage]::new([System.Net.HttpStatusCode][int]$Spec['statusCode'])
        if ($Spec.Contains('retryAfterSeconds') -and $null -ne $Spec['retryAfterSeconds']) {
            $response.Headers.RetryAfter = [System.Net.Http.Headers.RetryConditionHeaderValue]::new([timespan]::FromSeconds([int]$Spec['retryAfterSeconds']))
        }
        return [Microsoft.PowerShell.Commands.HttpResponseException]::new($message, $response)
    }
    $type = $typeName -as [type]
    if ($null -eq $type) { throw ('cloudtrust lab: the exception type {0} is not defined (declare it in lab/windows/catalog/Windows.json exceptionTypes)' -f $typeName) }
    return [System.Activator]::CreateInstance($type, [object[]]@($message))
}

function New-LabErrorRecord {
    param([Parameter(Mandatory = $true)][System.Collections.IDictionary]$Spec)
    $exception = New-LabException -Spec $Spec
    $category = [System.Management.Automation.ErrorCategory]([string]$Spec['category'])
    $record = [System.Management.Automation.ErrorRecord]::new($exception, [string]$Spec['errorId'], $category, $Spec['targetObject'])
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
        [Parameter(Mandatory = $true)][System.Collections.IDictionary]$Bound
    )
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
    }
    Write-LabAnswer -Caller $Caller -Answer (Send-LabRequest -Request $request)
}

function Invoke-LabRemoting {
    # Invoke-Command -ComputerName: the service decides whether each computer can be reached with these
    # credentials; the script block then runs in a fresh runspace that stands for that computer (its registry,
    # event log and dsregcmd are the lab's), so it sees nothing of the caller's variables, as in real remoting.
    param(
        [Parameter(Mandatory = $true)][System.Management.Automation.PSCmdlet]$Caller,
        [Parameter(Mandatory = $true)][System.Collections.IDictionary]$Bound
    )
    if (-not $Bound.ContainsKey('ComputerName') -or -not $Bound.ContainsKey('ScriptBlock')) {
        throw 'cloudtrust lab: Invoke-Command is simulated for -ComputerName with -ScriptBlock only'
    }
    $scriptText = $Bound['ScriptBlock'].ToString()
    if ($scriptText -match '\$using:') { throw 'cloudtrust lab: $using: variables are not simulated; pass values with -ArgumentList' }
    $arguments = @()
    if ($Bound.ContainsKey('ArgumentList')) { $arguments = @($Bound['ArgumentList']) }
    $connect = [ordered]@{}
    foreach ($key in $Bound.Keys) {
        if ($script:CommonParameters.Contains($key) -or $key -eq 'ScriptBlock' -or $key -eq 'ArgumentList' -or $key -eq 'SessionOption') { continue }
        $connect[$key] = ConvertTo-LabWire -Value $Bound[$key]
    }
    $answer = Send-LabRequest -Request ([ordered]@{ module = 'Microsoft.PowerShell.Core'; command = 'Invoke-Command'; parameterSet = $Caller.ParameterSetName; parameters = $connect; computer = $null; process = $PID })
    foreach ($spec in @($answer['errors'])) { if ($null -ne $spec) { $Caller.WriteError((New-LabErrorRecord -Spec $spec)) } }
    if ($null -ne $answer['error']) { $Caller.ThrowTerminatingError((New-LabErrorRecord -Spec $answer['error'])) }
    $remoteModule = Join-Path -Path (Split-Path -Parent $PSScriptRoot) -ChildPath 'Cloudtrust.Lab.RemoteHost'
    foreach ($computer in @($answer['output'])) {
        $state = [System.Management.Automation.Runspaces.InitialSessionState]::CreateDefault2()
        $state.ImportPSModule([string[]]@($remoteModule))
        $state.Variables.Add([System.Management.Automation.Runspaces.SessionStateVariableEntry]::new('CloudtrustLabComputer', [string]$computer, 'the simulated computer'))
        $runspace = [runspacefactory]::CreateRunspace($state)
        $shell = [powershell]::Create()
        try {
            $runspace.Open()
            $shell.Runspace = $runspace
            $null = $shell.AddScript($scriptText)
            foreach ($argument in $arguments) { $null = $shell.AddArgument($argument) }
            $runspaceId = $runspace.InstanceId
            $results = $null
            try {
                $results = $shell.Invoke()
            }
            catch [System.Management.Automation.MethodInvocationException] {
                $inner = $_.Exception.InnerException
                $record = $null
                if ($inner -is [System.Management.Automation.IContainsErrorRecord]) { $record = $inner.ErrorRecord }
                else { $record = [System.Management.Automation.ErrorRecord]::new($inner, 'RemoteScriptFailed', 'NotSpecified', $computer) }
                $Caller.WriteError($record)
                continue
            }
            foreach ($record in $shell.Streams.Error) { $Caller.WriteError($record) }
            foreach ($warning in $shell.Streams.Warning) { $Caller.WriteWarning($warning.Message) }
            foreach ($item in $results) {
                if ($null -eq $item) { continue }
                $wrapped = [System.Management.Automation.PSObject]::AsPSObject($item.BaseObject)
                foreach ($property in $item.PSObject.Properties) {
                    if ($null -eq $wrapped.PSObject.Properties[$property.Name]) { $wrapped.PSObject.Properties.Add([psnoteproperty]::new($property.Name, $property.Value)) }
                }
                $wrapped.PSObject.Properties.Add([psnoteproperty]::new('PSComputerName', [string]$computer))
                $wrapped.PSObject.Properties.Add([psnoteproperty]::new('RunspaceId', $runspaceId))
                $wrapped.PSObject.Properties.Add([psnoteproperty]::new('PSShowComputerName', $true))
                $Caller.WriteObject($wrapped)
            }
        }
        finally {
            $shell.Dispose()
            $runspace.Dispose()
        }
    }
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

Initialize-LabExceptionTypes
Export-ModuleMember -Function 'Invoke-LabCommand', 'Invoke-LabRemoting', 'Invoke-LabNative', 'Initialize-LabRemoteHost'
