# cloudtrust host dispatcher.
# Loaded once per PowerShell process (dot-sourced from base64 by the Node bridge). After that, every call
# is two lines: "Invoke-CloudtrustStep -CallId <id> -ScriptId <allow-listed id>" and, right after it, a data
# line "#<base64 JSON arguments>" that the already-running function reads from stdin. The arguments (credentials
# included) are never command text, so script block logging (event 4104) and transcripts never see them.
# No argument value is ever part of PowerShell source: values arrive as data and are splatted into a
# reviewed script's typed param() block. Each call answers with exactly one framed line on stdout:
#   <<cloudtrust:<callId>:<base64 of UTF-8 JSON envelope>>>
# Envelope: { ok, changed, result, warnings[], errors[] }. Windows PowerShell 5.1 compatible.
# The step scripts and the helper modules they share (powershell/common/*.psm1) are read once, at
# initialisation; each runs from the very text whose SHA-256 was checked, and the files are not read again.
# Strict mode and $ErrorActionPreference are set inside the two entry points (the helpers below run in their
# scope), never in the global scope: script modules (PowerShellGet, the Graph SDK) see the global scope.
$ProgressPreference = 'SilentlyContinue'

$global:CloudtrustHostState = $null

function ConvertFrom-CloudtrustBase64 {
    param([Parameter(Mandatory = $true)][AllowEmptyString()][string]$Text)
    return [Text.Encoding]::UTF8.GetString([Convert]::FromBase64String($Text))
}

function Get-CloudtrustSha256 {
    param(
        [Parameter(Mandatory = $true, ParameterSetName = 'Path')][string]$Path,
        [Parameter(Mandatory = $true, ParameterSetName = 'Bytes')][AllowEmptyCollection()][byte[]]$Bytes
    )
    if ($PSCmdlet.ParameterSetName -eq 'Path') { $Bytes = [IO.File]::ReadAllBytes($Path) }
    $algorithm = [Security.Cryptography.SHA256]::Create()
    try {
        $hash = $algorithm.ComputeHash($Bytes)
    }
    finally {
        $algorithm.Dispose()
    }
    return ([BitConverter]::ToString($hash) -replace '-', '').ToLowerInvariant()
}

function ConvertFrom-CloudtrustFileText {
    # The text as PowerShell reads a file: its byte order mark names the encoding (the static checks allow a file
    # without one only in ASCII).
    param([Parameter(Mandatory = $true)][AllowEmptyCollection()][byte[]]$Bytes)
    $stream = New-Object -TypeName System.IO.MemoryStream -ArgumentList (, $Bytes)
    $reader = New-Object -TypeName System.IO.StreamReader -ArgumentList $stream, ([Text.Encoding]::UTF8), $true
    try {
        return $reader.ReadToEnd()
    }
    finally {
        $reader.Dispose()
    }
}

function ConvertFrom-CloudtrustJson {
    # Edition difference: from PowerShell 6 on, ConvertFrom-Json turns strings that look like timestamps into
    # DateTime values (an ISO requestedAt would reach a [string] parameter as "11/25/2026 10:00:00"); 7.5 added
    # -DateKind String to keep them as sent. Windows PowerShell 5.1 never converts, so both editions bind the same.
    param([Parameter(Mandatory = $true)][AllowEmptyString()][string]$Json)
    $options = @{ InputObject = $Json }
    if ($PSVersionTable.PSVersion -ge [version]'7.5') { $options['DateKind'] = 'String' }
    elseif ($PSVersionTable.PSVersion.Major -ge 6) { throw ('PowerShell {0} converts JSON timestamps to dates; use Windows PowerShell 5.1 or PowerShell 7.5 or later' -f $PSVersionTable.PSVersion) }
    return ConvertFrom-Json @options
}

function ConvertTo-CloudtrustArgument {
    # JSON (as parsed by ConvertFrom-Json) -> hashtables and arrays; { "__pscredential": {userName,password} } -> PSCredential.
    param([AllowNull()][object]$Value)
    if ($null -eq $Value) { return $null }
    if ($Value -is [System.Management.Automation.PSCustomObject]) {
        $names = @($Value.PSObject.Properties | Select-Object -ExpandProperty 'Name')
        if ($names.Count -eq 1 -and $names[0] -eq '__pscredential') {
            $secret = ConvertTo-SecureString -String ([string]$Value.__pscredential.password) -AsPlainText -Force
            return New-Object -TypeName System.Management.Automation.PSCredential -ArgumentList ([string]$Value.__pscredential.userName), $secret
        }
        $table = @{}
        foreach ($property in $Value.PSObject.Properties) {
            $table[$property.Name] = ConvertTo-CloudtrustArgument -Value $property.Value
        }
        return $table
    }
    if ($Value -is [System.Array]) {
        $items = New-Object -TypeName System.Collections.Generic.List[object]
        foreach ($item in $Value) { $items.Add((ConvertTo-CloudtrustArgument -Value $item)) }
        return , $items.ToArray()
    }
    return $Value
}

function ConvertTo-CloudtrustJsonValue {
    # Normalises script output for JSON: dates as ISO 8601 (UTC), enums as names, arrays stay arrays.
    param([AllowNull()][object]$Value, [int]$Depth = 0)
    if ($null -eq $Value) { return $null }
    if ($Depth -gt 30) { return [string]$Value }
    if ($Value -is [string] -or $Value -is [bool] -or $Value -is [char]) { return $Value }
    if ($Value -is [datetime]) { return $Value.ToUniversalTime().ToString('o') }
    if ($Value -is [System.DateTimeOffset]) { return $Value.ToString('o') }
    if ($Value -is [System.Enum] -or $Value -is [guid] -or $Value -is [version]) { return $Value.ToString() }
    if ($Value -is [System.ValueType]) { return $Value }
    if ($Value -is [System.Security.SecureString] -or $Value -is [System.Management.Automation.PSCredential]) { return '***' }
    if ($Value -is [System.Collections.IDictionary]) {
        $table = [ordered]@{}
        foreach ($key in $Value.Keys) { $table[[string]$key] = ConvertTo-CloudtrustJsonValue -Value $Value[$key] -Depth ($Depth + 1) }
        return $table
    }
    if ($Value -is [System.Collections.IEnumerable]) {
        $items = New-Object -TypeName System.Collections.Generic.List[object]
        foreach ($item in $Value) { $items.Add((ConvertTo-CloudtrustJsonValue -Value $item -Depth ($Depth + 1))) }
        return , $items.ToArray()
    }
    $object = [ordered]@{}
    foreach ($property in $Value.PSObject.Properties) {
        $object[$property.Name] = ConvertTo-CloudtrustJsonValue -Value $property.Value -Depth ($Depth + 1)
    }
    return $object
}

function ConvertTo-CloudtrustError {
    param([Parameter(Mandatory = $true)][System.Management.Automation.ErrorRecord]$Record)
    $target = $null
    if ($null -ne $Record.TargetObject) { $target = [string]$Record.TargetObject }
    $details = [ordered]@{
        message               = $Record.Exception.Message
        fullyQualifiedErrorId = $Record.FullyQualifiedErrorId
        category              = $Record.CategoryInfo.Category.ToString()
        targetObject          = $target
        scriptStackTrace      = $Record.ScriptStackTrace
        exceptionType         = $Record.Exception.GetType().FullName
    }
    # An HTTP 429 (Invoke-MgGraphRequest, Invoke-RestMethod) says when to come back; the bridge waits that long.
    $response = $null
    if ($null -ne $Record.Exception.PSObject.Properties['Response']) { $response = $Record.Exception.Response }
    if ($null -ne $response -and $null -ne $response.PSObject.Properties['Headers'] -and $null -ne $response.Headers.PSObject.Properties['RetryAfter'] -and $null -ne $response.Headers.RetryAfter) {
        $delta = $response.Headers.RetryAfter.Delta
        if ($null -ne $delta) { $details['retryAfterSeconds'] = [int][Math]::Ceiling($delta.TotalSeconds) }
    }
    return $details
}

function ConvertTo-CloudtrustScriptCommand {
    # A verified script's text as a command that behaves like the file would: parsed with the file's path (stack
    # traces and $PSScriptRoot name it) and named after the file (a binding error's id ends in it, as on
    # Windows); the id where two allow-listed scripts share a file name. Returns a problem text on parse errors.
    param([string]$Text, [string]$Path, [string]$Id, [hashtable]$Taken)
    $tokens = $null
    $parseErrors = $null
    try {
        $ast = [System.Management.Automation.Language.Parser]::ParseInput($Text, $Path, [ref]$tokens, [ref]$parseErrors)
    }
    catch [System.Management.Automation.MethodException] {
        # An engine without the file-name overload: the same text, without a file name in its stack traces.
        $ast = [System.Management.Automation.Language.Parser]::ParseInput($Text, [ref]$tokens, [ref]$parseErrors)
    }
    if (@($parseErrors).Count -gt 0) { return ('script {0}: {1}' -f $Id, (@($parseErrors | ForEach-Object -Process { $_.Message }) -join '; ')) }
    $name = [IO.Path]::GetFileName($Path)
    foreach ($other in $Taken.Values) { if ($other.Name -eq $name) { $name = $Id } }
    return New-Item -Path ('function:global:' + $name) -Value $ast.GetScriptBlock() -Force
}

function Write-CloudtrustFrame {
    param(
        [Parameter(Mandatory = $true)][string]$CallId,
        [Parameter(Mandatory = $true)][System.Collections.IDictionary]$Envelope
    )
    $json = ConvertTo-Json -InputObject $Envelope -Depth 64 -Compress
    $frame = '<<cloudtrust:' + $CallId + ':' + [Convert]::ToBase64String([Text.Encoding]::UTF8.GetBytes($json)) + '>>'
    [Console]::Out.WriteLine($frame)
    [Console]::Out.Flush()
}

function New-CloudtrustEnvelope {
    return [ordered]@{ ok = $false; changed = $false; result = $null; warnings = @(); errors = @() }
}

function Read-CloudtrustReviewedText {
    # Read once: what runs is the text whose hash matched, whatever becomes of the file later, and execution policy
    # (Mark-of-the-Web, AllSigned) applies to files, not to this text. $null, with the problem added, otherwise.
    param(
        [Parameter(Mandatory = $true)][string]$Label,
        [Parameter(Mandatory = $true)][string]$Path,
        [Parameter(Mandatory = $true)][AllowEmptyString()][string]$Sha256,
        [Parameter(Mandatory = $true)][AllowEmptyCollection()][System.Collections.Generic.List[string]]$Problems
    )
    if (-not (Test-Path -LiteralPath $Path -PathType Leaf)) {
        $Problems.Add(('{0}: file not found: {1}' -f $Label, $Path))
        return $null
    }
    $bytes = [IO.File]::ReadAllBytes($Path)
    if ((Get-CloudtrustSha256 -Bytes $bytes) -ne $Sha256) {
        $Problems.Add(('{0}: content differs from the reviewed version (sha256 mismatch): {1}' -f $Label, $Path))
        return $null
    }
    return (ConvertFrom-CloudtrustFileText -Bytes $bytes)
}

function Initialize-CloudtrustHost {
    param(
        [Parameter(Mandatory = $true)][ValidatePattern('^[A-Za-z0-9]{8,64}$')][string]$CallId,
        [Parameter(Mandatory = $true)][ValidatePattern('^[A-Za-z0-9+/=]+$')][string]$ConfigBase64
    )
    Set-StrictMode -Version 2.0
    $ErrorActionPreference = 'Stop'
    $envelope = New-CloudtrustEnvelope
    $warnings = New-Object -TypeName System.Collections.Generic.List[string]
    try {
        $config = ConvertFrom-CloudtrustJson -Json (ConvertFrom-CloudtrustBase64 -Text $ConfigBase64)
        $scripts = @{}
        $problems = New-Object -TypeName System.Collections.Generic.List[string]
        foreach ($entry in @($config.scripts)) {
            $text = Read-CloudtrustReviewedText -Label ('script {0}' -f $entry.id) -Path ([string]$entry.path) -Sha256 ([string]$entry.sha256) -Problems $problems
            if ($null -eq $text) { continue }
            $command = ConvertTo-CloudtrustScriptCommand -Text $text -Path ([string]$entry.path) -Id ([string]$entry.id) -Taken $scripts
            if ($command -is [string]) { $problems.Add($command) } else { $scripts[[string]$entry.id] = $command }
        }
        $modules = New-Object -TypeName System.Collections.Generic.List[object]
        $moduleEntries = @()
        if ($null -ne $config.PSObject.Properties['modules']) { $moduleEntries = @($config.modules) }
        foreach ($entry in $moduleEntries) {
            if ([string]$entry.name -notmatch '^[A-Za-z][A-Za-z0-9.]{0,63}$') {
                $problems.Add(('module {0}: not a module name' -f $entry.name))
                continue
            }
            $text = Read-CloudtrustReviewedText -Label ('module {0}' -f $entry.name) -Path ([string]$entry.path) -Sha256 ([string]$entry.sha256) -Problems $problems
            if ($null -ne $text) { $modules.Add(@{ Name = [string]$entry.name; Text = $text }) }
        }
        $imports = @()
        if ($null -ne $config.PSObject.Properties['imports']) { $imports = @($config.imports) }
        foreach ($name in $imports) {
            if ([string]$name -notmatch '^[A-Za-z][A-Za-z0-9.]{0,63}$') { $problems.Add(('warm-up import {0}: not a module name' -f $name)) }
        }
        if ($problems.Count -gt 0) { throw ($problems -join '; ') }
        foreach ($module in $modules) {
            try {
                New-Module -Name $module.Name -ScriptBlock ([scriptblock]::Create($module.Text)) | Import-Module -Global
            }
            catch {
                throw ('module {0}: {1}' -f $module.Name, $_.Exception.Message)
            }
        }
        # Windows PowerShell 5.1 caps a session at 4096 functions (the Graph sub-modules together pass it,
        # msgraph-sdk-powershell#1488); PowerShell 7 has no such cap.
        if ([string]$PSVersionTable.PSEdition -eq 'Desktop') { $global:MaximumFunctionCount = 32768 }
        # Large script modules (the Graph SDK) are slow to import on 5.1; importing them here, once per process,
        # keeps that cost out of every step's timeout. A module that fails to import is a warning: the step
        # that needs it reports the real error.
        $imported = 0
        foreach ($name in $imports) {
            try {
                Import-Module -Name ([string]$name) -Global -ErrorAction Stop -WarningAction SilentlyContinue
                $imported += 1
            }
            catch {
                $warnings.Add(('warm-up import of {0} failed: {1}' -f $name, $_.Exception.Message))
            }
        }
        $global:CloudtrustHostState = @{ Scripts = $scripts }
        # PowerShell keeps every line read from stdin in its history; with one entry, what remains is
        # node-powershell's closing delimiter line (the arguments never are command lines).
        $global:MaximumHistoryCount = 1
        $envelope.ok = $true
        $envelope.result = [ordered]@{
            psVersion = $PSVersionTable.PSVersion.ToString()
            edition   = [string]$PSVersionTable.PSEdition
            scripts   = $scripts.Count
            modules   = $modules.Count
            imported  = $imported
            pid       = $PID
        }
    }
    catch {
        $envelope.errors = @(ConvertTo-CloudtrustError -Record $_)
    }
    $envelope.warnings = [object[]]$warnings.ToArray()
    Write-CloudtrustFrame -CallId $CallId -Envelope $envelope
}

function Invoke-CloudtrustStep {
    # The bridge sends no -ArgumentsBase64: the arguments are the next line on stdin, read first of all so that
    # it is never taken for a command. -ArgumentsBase64 is for in-process callers (the Pester suites).
    [CmdletBinding(DefaultParameterSetName = 'Stdin')]
    param(
        [Parameter(Mandatory = $true)][ValidatePattern('^[A-Za-z0-9]{8,64}$')][string]$CallId,
        [Parameter(Mandatory = $true)][ValidatePattern('^[a-z0-9][a-z0-9.-]{0,63}$')][string]$ScriptId,
        [Parameter(Mandatory = $true, ParameterSetName = 'Inline')][AllowEmptyString()][ValidatePattern('^[A-Za-z0-9+/=]*$')][string]$ArgumentsBase64
    )
    $dataLine = $null
    if ($PSCmdlet.ParameterSetName -eq 'Stdin') { $dataLine = [Console]::In.ReadLine() }
    Set-StrictMode -Version 2.0
    $ErrorActionPreference = 'Stop'
    $envelope = New-CloudtrustEnvelope
    $warnings = New-Object -TypeName System.Collections.Generic.List[string]
    try {
        if ($PSCmdlet.ParameterSetName -eq 'Stdin') {
            if ($null -eq $dataLine -or $dataLine -notmatch '^#[A-Za-z0-9+/=]*$') { throw 'the arguments line of the call is missing or malformed' }
            $ArgumentsBase64 = $dataLine.Substring(1)
        }
        if ($null -eq $global:CloudtrustHostState) { throw 'the cloudtrust host is not initialised' }
        if (-not $global:CloudtrustHostState.Scripts.ContainsKey($ScriptId)) { throw ('unknown script id: {0}' -f $ScriptId) }
        $command = $global:CloudtrustHostState.Scripts[$ScriptId]
        $arguments = @{}
        if ($ArgumentsBase64.Length -gt 0) {
            $arguments = ConvertTo-CloudtrustArgument -Value (ConvertFrom-CloudtrustJson -Json (ConvertFrom-CloudtrustBase64 -Text $ArgumentsBase64))
        }
        # Warnings of every depth (the script's, the binary cmdlets' it calls, the script modules') are merged
        # into the output and taken out of it here; -WarningVariable would see the script's own only.
        $WarningPreference = 'Continue'
        $output = New-Object -TypeName System.Collections.Generic.List[object]
        & $command @arguments 3>&1 | ForEach-Object -Process {
            if ($_ -is [System.Management.Automation.WarningRecord]) { $warnings.Add([string]$_.Message) }
            else { $output.Add($_) }
        }
        if ($output.Count -ne 1) { throw ('script {0} wrote {1} objects to the output stream; it must write exactly one result' -f $ScriptId, $output.Count) }
        $step = $output[0]
        $envelope.ok = $true
        $envelope.changed = [bool]$step.Changed
        $envelope.result = ConvertTo-CloudtrustJsonValue -Value $step.Result
    }
    catch {
        $envelope.ok = $false
        $envelope.errors = @(ConvertTo-CloudtrustError -Record $_)
    }
    $envelope.warnings = [object[]]$warnings.ToArray()
    Write-CloudtrustFrame -CallId $CallId -Envelope $envelope
}
