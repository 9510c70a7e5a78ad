<#
.SYNOPSIS
    Read-only sample of Windows Hello for Business state on named client devices.
.DESCRIPTION
    Runs one fixed script block on every named device over PowerShell remoting (Invoke-Command, in parallel):
    it reads CurrentBuild and UBR from HKLM:\SOFTWARE\Microsoft\Windows NT\CurrentVersion, collects
    `dsregcmd.exe /status` and reads the most recent Microsoft-Windows-User Device Registration/Admin events
    358, 360, 362, 300 and 301 (Get-WinEvent -FilterHashtable -MaxEvents), each with its rendered (localized)
    Message and its language-neutral EventData fields by name (from ToXml()). dsregcmd's "Name : Value" lines are
    parsed here, per section (Device State, Tenant Details, User State, SSO State, Ngc Prerequisite Check).

    dsregcmd's User State and SSO State describe the user who runs it. With -Collect user-session-task it runs in
    the session of the user signed in at the console (Win32_ComputerSystem.UserName): a one-shot scheduled task
    with that user as its interactive principal, not elevated, runs `cmd.exe /d /c dsregcmd.exe /status > <file>`
    under %ProgramData%; the script waits for it (Get-ScheduledTaskInfo, at most -TaskWaitSeconds), reads the file
    and always unregisters the task and deletes the file. Nobody signed in: no task, the device is reported as
    such. With -Collect remoting dsregcmd runs in the remoting session and describes the remoting account. The
    event log is machine-wide either way.

    Devices are asked in parallel with bounded connection and operation timeouts. A device that cannot be reached
    is reported as unreachable with the reason; it does not fail the sample. Changes nothing but the short-lived
    task and its output file.
#>
[CmdletBinding()]
param(
    [Parameter(Mandatory = $true)]
    [ValidateCount(1, 500)]
    [ValidatePattern('^(?=.{1,253}$)[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?(\.[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?)*$')]
    [string[]]$ComputerName,
    [ValidateRange(1, 100)]
    [int]$MaxEvents = 20,
    [ValidateSet('user-session-task', 'remoting')]
    [string]$Collect = 'user-session-task',
    [ValidateRange(5, 120)]
    [int]$TaskWaitSeconds = 30,
    [System.Management.Automation.PSCredential]$Credential
)
Set-StrictMode -Version 2.0
$ErrorActionPreference = 'Stop'
$ProgressPreference = 'SilentlyContinue'

$probe = {
    param([int]$EventCount, [string]$Collect, [int]$WaitSeconds)
    $ErrorActionPreference = 'Stop'
    $version = Get-ItemProperty -Path 'HKLM:\SOFTWARE\Microsoft\Windows NT\CurrentVersion'
    $dsregcmd = Join-Path -Path $env:SystemRoot -ChildPath 'System32\dsregcmd.exe'
    $lines = @()
    $signedInUser = $null
    $sessionError = $null
    $taskResult = $null
    if ($Collect -eq 'remoting') {
        $lines = @(& $dsregcmd '/status' | ForEach-Object -Process { [string]$_ })
    }
    else {
        $signedInUser = [string](Get-CimInstance -ClassName 'Win32_ComputerSystem').UserName
        if ([string]::IsNullOrEmpty($signedInUser)) { $signedInUser = $null }
        if ($null -ne $signedInUser) {
            $taskName = 'cloudtrust-whfb-' + [guid]::NewGuid().ToString('N')
            $output = Join-Path -Path $env:ProgramData -ChildPath ($taskName + '.txt')
            # cmd.exe parses the line: neither path may contain a space or a quote.
            if ($dsregcmd -match '[\s"]' -or $output -match '[\s"]') { throw ('cannot redirect dsregcmd into {0} with cmd.exe' -f $output) }
            $cmd = Join-Path -Path $env:SystemRoot -ChildPath 'System32\cmd.exe'
            $action = New-ScheduledTaskAction -Execute $cmd -Argument ('/d /c {0} /status > {1} 2>&1' -f $dsregcmd, $output)
            $principal = New-ScheduledTaskPrincipal -UserId $signedInUser -LogonType Interactive -RunLevel Limited
            # Without these a laptop on battery never starts the task.
            $settings = New-ScheduledTaskSettingsSet -AllowStartIfOnBatteries -DontStopIfGoingOnBatteries -ExecutionTimeLimit ([timespan]::FromMinutes(2))
            $registered = $false
            try {
                $null = Register-ScheduledTask -TaskName $taskName -TaskPath '\' -Action $action -Principal $principal -Settings $settings -Force
                $registered = $true
                Start-ScheduledTask -TaskName $taskName -TaskPath '\'
                $deadline = [DateTime]::UtcNow.AddSeconds($WaitSeconds)
                # 267009 SCHED_S_TASK_RUNNING, 267011 SCHED_S_TASK_HAS_NOT_RUN.
                while ($true) {
                    $taskResult = [long](Get-ScheduledTaskInfo -TaskName $taskName -TaskPath '\').LastTaskResult
                    if (($taskResult -ne 267009 -and $taskResult -ne 267011) -or [DateTime]::UtcNow -ge $deadline) { break }
                    Start-Sleep -Milliseconds 250
                }
                if ($taskResult -eq 267011) { $sessionError = ('the task did not run in the session of {0} within {1} s (signed out?)' -f $signedInUser, $WaitSeconds) }
                elseif ($taskResult -eq 267009) { $sessionError = ('dsregcmd /status in the session of {0} did not finish within {1} s' -f $signedInUser, $WaitSeconds) }
                elseif ($taskResult -ne 0) { $sessionError = ('dsregcmd /status in the session of {0} ended with exit code 0x{1:x}' -f $signedInUser, $taskResult) }
                else { $lines = @(Get-Content -LiteralPath $output | ForEach-Object -Process { [string]$_ }) }
            }
            finally {
                if ($registered) { Unregister-ScheduledTask -TaskName $taskName -TaskPath '\' -Confirm:$false }
                Remove-Item -LiteralPath $output -Force -ErrorAction SilentlyContinue
            }
        }
    }
    $events = @()
    try {
        $filter = @{ LogName = 'Microsoft-Windows-User Device Registration/Admin'; Id = 358, 360, 362, 300, 301 }
        $events = @(Get-WinEvent -FilterHashtable $filter -MaxEvents $EventCount | ForEach-Object -Process {
                # Message is rendered in the OS language; the event's XML carries the language-neutral EventData.
                [pscustomobject]@{
                    Id          = [int]$_.Id
                    TimeCreated = $_.TimeCreated.ToUniversalTime().ToString('o')
                    Level       = [int]$_.Level
                    Message     = [string]$_.Message
                    Xml         = [string]$_.ToXml()
                }
            })
    }
    catch {
        # Get-WinEvent fails, rather than returning nothing, when no event matches.
        if ($_.FullyQualifiedErrorId -notlike 'NoMatchingEventsFound*') { throw }
    }
    [pscustomobject]@{
        CurrentBuild = [string]$version.CurrentBuild
        UBR          = [string]$version.UBR
        Dsregcmd     = [string[]]$lines
        SignedInUser = $signedInUser
        SessionError = $sessionError
        TaskResult   = $taskResult
        Events       = [object[]]$events
    }
}

function ConvertFrom-EventXml {
    # The <Data Name='...'> fields of an event's EventData, by name, in order.
    param([AllowNull()][AllowEmptyString()][string]$Xml)
    $data = [ordered]@{}
    if ([string]::IsNullOrEmpty($Xml)) { return $data }
    $document = New-Object -TypeName System.Xml.XmlDocument
    $document.XmlResolver = $null
    $document.LoadXml($Xml)
    foreach ($field in @($document.GetElementsByTagName('Data'))) {
        $name = $field.GetAttribute('Name')
        if ($name -ne '' -and -not $data.Contains($name)) { $data[$name] = [string]$field.InnerText }
    }
    return $data
}

function ConvertFrom-DsregcmdStatus {
    # Section headers look like "| Device State      |"; fields like "      AzureAdJoined : YES".
    param([AllowEmptyCollection()][string[]]$Lines)
    $sections = @{}
    $current = ''
    foreach ($line in $Lines) {
        if ($line -match '^\s*\|\s*(\S.*?)\s*\|\s*$') {
            $current = $Matches[1]
            continue
        }
        if ($line -match '^\s*([A-Za-z][A-Za-z0-9 ]*?)\s+:\s*(.*?)\s*$') {
            if (-not $sections.ContainsKey($current)) { $sections[$current] = @{} }
            $sections[$current][$Matches[1]] = $Matches[2]
        }
    }
    return $sections
}

function Get-DsregcmdValue {
    param([Parameter(Mandatory = $true)][hashtable]$Sections, [Parameter(Mandatory = $true)][string]$Section, [Parameter(Mandatory = $true)][string[]]$Names)
    if (-not $Sections.ContainsKey($Section)) { return $null }
    foreach ($name in $Names) {
        if ($Sections[$Section].ContainsKey($name)) { return [string]$Sections[$Section][$name] }
    }
    return $null
}

function ConvertTo-YesNo {
    param([AllowNull()][AllowEmptyString()][string]$Text)
    if ($Text -eq 'YES') { return $true }
    if ($Text -eq 'NO') { return $false }
    return $null
}

function New-DeviceEntry {
    param([Parameter(Mandatory = $true)][string]$Name)
    return [ordered]@{
        name                  = $Name
        collectedAs           = $(if ($Collect -eq 'remoting') { 'remoting-account' } else { 'signed-in-user' })
        signedInUser          = $null
        reachable             = $false
        error                 = $null
        osBuild               = $null
        azureAdJoined         = $null
        domainJoined          = $null
        tenantId              = $null
        ngcSet                = $null
        onPremTgt             = $null
        cloudTgt              = $null
        azureAdPrt            = $null
        certEnrollment        = $null
        ngcPolicyEnabled      = $null
        preReqResult          = $null
        prerequisiteOnPremTgt = $null
        events                = [object[]]@()
    }
}

# One entry per device, in the order asked; names compare case-insensitively.
$devices = [ordered]@{}
foreach ($name in $ComputerName) {
    if (-not $devices.Contains($name.ToLowerInvariant())) { $devices[$name.ToLowerInvariant()] = New-DeviceEntry -Name $name }
}

$remote = @{}
if ($null -ne $Credential) { $remote['Credential'] = $Credential }
# A dead device holds its throttle slot until the OpenTimeout (default 3 minutes) expires: 15 s here. 500 names,
# 32 at a time, all dead: 16 waves of 15 s, well within the step's 10-minute timeout (activities/steps/intune.ts).
$sessionOption = New-PSSessionOption -OpenTimeout 15000 -OperationTimeout 30000
$remoteErrors = $null
$answers = @(Invoke-Command -ComputerName ([string[]]@($devices.Values | ForEach-Object -Process { $_.name })) -ScriptBlock $probe -ArgumentList $MaxEvents, $Collect, $TaskWaitSeconds -ThrottleLimit 32 -SessionOption $sessionOption -ErrorAction SilentlyContinue -ErrorVariable remoteErrors @remote)

foreach ($answer in $answers) {
    $key = ([string]$answer.PSComputerName).ToLowerInvariant()
    if (-not $devices.Contains($key)) { continue }
    $entry = $devices[$key]
    $sections = ConvertFrom-DsregcmdStatus -Lines ([string[]]@($answer.Dsregcmd))
    $entry.reachable = $true
    if ($null -ne $answer.SignedInUser) { $entry.signedInUser = [string]$answer.SignedInUser }
    if ($null -ne $answer.SessionError) { $entry.error = [string]$answer.SessionError }
    $entry.osBuild = '{0}.{1}' -f $answer.CurrentBuild, $answer.UBR
    $entry.azureAdJoined = ConvertTo-YesNo -Text (Get-DsregcmdValue -Sections $sections -Section 'Device State' -Names 'AzureAdJoined')
    $entry.domainJoined = ConvertTo-YesNo -Text (Get-DsregcmdValue -Sections $sections -Section 'Device State' -Names 'DomainJoined')
    $entry.tenantId = Get-DsregcmdValue -Sections $sections -Section 'Tenant Details' -Names 'TenantId'
    $entry.ngcSet = ConvertTo-YesNo -Text (Get-DsregcmdValue -Sections $sections -Section 'User State' -Names 'NgcSet')
    $entry.onPremTgt = ConvertTo-YesNo -Text (Get-DsregcmdValue -Sections $sections -Section 'SSO State' -Names 'OnPremTgt')
    $entry.cloudTgt = ConvertTo-YesNo -Text (Get-DsregcmdValue -Sections $sections -Section 'SSO State' -Names 'CloudTgt')
    $entry.azureAdPrt = ConvertTo-YesNo -Text (Get-DsregcmdValue -Sections $sections -Section 'SSO State' -Names 'AzureAdPrt')
    $entry.certEnrollment = Get-DsregcmdValue -Sections $sections -Section 'Ngc Prerequisite Check' -Names 'CertEnrollment'
    $entry.ngcPolicyEnabled = ConvertTo-YesNo -Text (Get-DsregcmdValue -Sections $sections -Section 'Ngc Prerequisite Check' -Names 'PolicyEnabled')
    $entry.preReqResult = Get-DsregcmdValue -Sections $sections -Section 'Ngc Prerequisite Check' -Names 'PreReqResult'
    # Named CloudTGT in the prerequisite check before Windows 11 23H2, OnPremTGT since.
    $entry.prerequisiteOnPremTgt = ConvertTo-YesNo -Text (Get-DsregcmdValue -Sections $sections -Section 'Ngc Prerequisite Check' -Names 'OnPremTGT', 'CloudTGT')
    $events = New-Object -TypeName System.Collections.Generic.List[object]
    foreach ($record in @($answer.Events)) {
        if ($null -eq $record) { continue }
        $xml = $null
        if ($null -ne $record.PSObject.Properties['Xml']) { $xml = [string]$record.Xml }
        $events.Add([ordered]@{ id = [int]$record.Id; timeCreated = [string]$record.TimeCreated; level = [int]$record.Level; message = [string]$record.Message; data = (ConvertFrom-EventXml -Xml $xml) })
    }
    $entry.events = [object[]]$events.ToArray()
}

# A failure names its computer in OriginInfo (remoting error records) or TargetObject. A transport failure
# means the device was not reached; any other failure happened inside the probe on a reached device.
foreach ($failure in @($remoteErrors)) {
    if ($null -eq $failure) { continue }
    $key = ([string]$failure.TargetObject).ToLowerInvariant()
    $origin = $failure.PSObject.Properties['OriginInfo']
    if ($null -ne $origin -and $null -ne $origin.Value) { $key = ([string]$origin.Value.PSComputerName).ToLowerInvariant() }
    if (-not $devices.Contains($key)) { continue }
    $entry = $devices[$key]
    $entry.reachable = -not ($failure.Exception -is [System.Management.Automation.Remoting.PSRemotingTransportException])
    $entry.error = [string]$failure.Exception.Message
}

foreach ($entry in $devices.Values) {
    if (-not $entry.reachable -and $null -eq $entry.error) { $entry.error = 'the device did not answer' }
}

@{
    Changed = $false
    Result  = [ordered]@{ devices = [object[]]@($devices.Values) }
}
