<#
.SYNOPSIS
    Detection script for Intune Remediations: the signed-in user's Windows Hello for Business state, as one line of JSON.
.DESCRIPTION
    Meant for Intune > Devices > Scripts and remediations, as the detection script with "Run this script using
    the logged-on credentials" = Yes and "Run script in 64-bit PowerShell" = Yes, and no remediation script. It
    runs `dsregcmd.exe /status` as the signed-in user (not elevated: the User State and SSO State are that
    user's), reads CurrentBuild and UBR, and the newest Microsoft-Windows-User Device Registration/Admin
    prerequisite event (358, 360, 362) and key event (300, 301) with their language-neutral EventData fields
    (from ToXml(), never the localized message). It writes one line of JSON, at most 2,048 characters (what Intune
    keeps of a detection script's output), and ends without an error, so it exits 0: the device never shows
    "with issues", the assessment is cloudtrust's. Export the remediation's device status (with the detection output column) and import it with
    `cloudtrust clients import <file>`. Changes nothing.

    Output: {"cloudtrust":"whfb-user-state/1","device":...,"user":...,"collectedAt":...,"osBuild":"22631.4460",
    "dsregcmd":{"<Section>.<Field>":"<value>",...},"events":[{"id":358,"timeCreated":...,"data":{...}}],"error":null}
#>
[CmdletBinding()]
param()
Set-StrictMode -Version 2.0
$ErrorActionPreference = 'Stop'
$ProgressPreference = 'SilentlyContinue'

# The dsregcmd fields cloudtrust assesses, by section.
$wanted = @{
    'Device State'           = @('AzureAdJoined', 'DomainJoined')
    'Tenant Details'         = @('TenantId')
    'User State'             = @('NgcSet')
    'SSO State'              = @('AzureAdPrt', 'OnPremTgt', 'CloudTgt')
    'Ngc Prerequisite Check' = @('PolicyEnabled', 'CertEnrollment', 'PreReqResult', 'OnPremTGT', 'CloudTGT')
}

function ConvertTo-EventData {
    param([Parameter(Mandatory = $true)][string]$Xml)
    $data = [ordered]@{}
    $document = New-Object -TypeName System.Xml.XmlDocument
    $document.XmlResolver = $null
    $document.LoadXml($Xml)
    foreach ($field in @($document.GetElementsByTagName('Data'))) {
        $name = $field.GetAttribute('Name')
        # The EventData of 300 carries the server's whole JSON answer: not needed, and it would not fit.
        if ($name -eq '' -or $name -eq 'ServerResponse' -or $data.Contains($name)) { continue }
        $data[$name] = [string]$field.InnerText
    }
    return $data
}

$state = [ordered]@{
    cloudtrust  = 'whfb-user-state/1'
    device      = [string]$env:COMPUTERNAME
    user        = $(if ([string]::IsNullOrEmpty($env:USERNAME)) { $null } else { '{0}\{1}' -f $env:USERDOMAIN, $env:USERNAME })
    collectedAt = [DateTime]::UtcNow.ToString('o')
    osBuild     = $null
    dsregcmd    = [ordered]@{}
    events      = [object[]]@()
    error       = $null
}
try {
    $version = Get-ItemProperty -Path 'HKLM:\SOFTWARE\Microsoft\Windows NT\CurrentVersion'
    $state.osBuild = '{0}.{1}' -f $version.CurrentBuild, $version.UBR
    $dsregcmd = Join-Path -Path $env:SystemRoot -ChildPath 'System32\dsregcmd.exe'
    $section = ''
    foreach ($line in @(& $dsregcmd '/status' | ForEach-Object -Process { [string]$_ })) {
        if ($line -match '^\s*\|\s*(\S.*?)\s*\|\s*$') { $section = $Matches[1]; continue }
        if ($line -match '^\s*([A-Za-z][A-Za-z0-9 ]*?)\s+:\s*(.*?)\s*$' -and $wanted.ContainsKey($section) -and $wanted[$section] -contains $Matches[1]) {
            $state.dsregcmd[('{0}.{1}' -f $section, $Matches[1])] = $Matches[2]
        }
    }
    if ($LASTEXITCODE -ne 0) { $state.error = 'dsregcmd /status ended with exit code {0}' -f $LASTEXITCODE }
    $events = New-Object -TypeName System.Collections.Generic.List[object]
    try {
        $filter = @{ LogName = 'Microsoft-Windows-User Device Registration/Admin'; Id = 358, 360, 362, 300, 301 }
        $found = @(Get-WinEvent -FilterHashtable $filter -MaxEvents 20)
        foreach ($ids in @(@(358, 360, 362), @(300, 301))) {
            $newest = @($found | Where-Object -FilterScript { $ids -contains $_.Id } | Select-Object -First 1)
            foreach ($record in $newest) {
                $events.Add([ordered]@{ id = [int]$record.Id; timeCreated = $record.TimeCreated.ToUniversalTime().ToString('o'); data = (ConvertTo-EventData -Xml $record.ToXml()) })
            }
        }
    }
    catch {
        # No matching event is an error of Get-WinEvent, not an empty answer.
        if ($_.FullyQualifiedErrorId -notlike 'NoMatchingEventsFound*') { $state.error = 'the User Device Registration log could not be read: {0}' -f $_.Exception.Message }
    }
    $state.events = [object[]]$events.ToArray()
}
catch {
    $state.error = [string]$_.Exception.Message
}

$line = ConvertTo-Json -InputObject $state -Depth 5 -Compress
if ($line.Length -gt 2048) {
    $state.events = [object[]]@($state.events | Select-Object -First 1)
    $line = ConvertTo-Json -InputObject $state -Depth 5 -Compress
}
Write-Output $line
