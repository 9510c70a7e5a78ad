<#
.SYNOPSIS
    Runs every *.Tests.ps1 beside this file with the given Pester and writes a JSON summary of the run.
.DESCRIPTION
    The summary: the counts, and one entry per test that did not pass and per block or container that failed,
    with the error messages. Windows PowerShell 5.1 compatible.
#>
[CmdletBinding()]
param(
    [Parameter(Mandatory = $true)][string]$PesterManifest,
    [Parameter(Mandatory = $true)][string]$SummaryPath
)
# Neither StrictMode nor ErrorActionPreference: the suites inherit this scope's, and run as under a plain Invoke-Pester.
$ProgressPreference = 'SilentlyContinue'

Import-Module -Name $PesterManifest -Force -ErrorAction Stop

function Get-ErrorText {
    param([AllowNull()][object[]]$Records)
    return , [object[]]@(@($Records) | Where-Object -FilterScript { $null -ne $_ } | ForEach-Object -Process {
            $where = @(([string]$_.ScriptStackTrace) -split "`r?`n" | Where-Object -FilterScript { $_ -like '*.Tests.ps1*' }) | Select-Object -First 1
            if ($null -eq $where) { [string]$_.Exception.Message } else { '{0} ({1})' -f $_.Exception.Message, $where }
        })
}

$configuration = New-PesterConfiguration
$configuration.Run.Path = @(Join-Path -Path $PSScriptRoot -ChildPath '*.Tests.ps1')
$configuration.Run.PassThru = $true
$configuration.Run.Exit = $false
$configuration.Output.Verbosity = 'Detailed'
$configuration.Output.RenderMode = 'Plaintext'

$run = Invoke-Pester -Configuration $configuration

$summary = [ordered]@{
    pester       = (Get-Module -Name 'Pester').Version.ToString()
    powershell   = $PSVersionTable.PSVersion.ToString()
    edition      = [string]$PSVersionTable.PSEdition
    result       = [string]$run.Result
    total        = [int]$run.TotalCount
    passed       = [int]$run.PassedCount
    failed       = [int]$run.FailedCount
    skipped      = [int]$run.SkippedCount
    notRun       = [int]$run.NotRunCount
    inconclusive = [int]$run.InconclusiveCount
    containers   = [object[]]@($run.Containers | ForEach-Object -Process {
            [ordered]@{ path = [string]$_.Item; result = [string]$_.Result; tests = [int]$_.TotalCount; errors = (Get-ErrorText -Records $_.ErrorRecord) }
        })
    problems     = [object[]]@(
        @($run.Tests | Where-Object -FilterScript { $_.Result -ne 'Passed' } | ForEach-Object -Process {
                [ordered]@{ kind = 'test'; name = [string]$_.ExpandedPath; result = [string]$_.Result; file = [string]$_.Block.BlockContainer.Item; errors = (Get-ErrorText -Records $_.ErrorRecord) }
            })
        @($run.FailedBlocks | ForEach-Object -Process {
                [ordered]@{ kind = 'block'; name = [string]$_.ExpandedPath; result = [string]$_.Result; file = [string]$_.BlockContainer.Item; errors = (Get-ErrorText -Records $_.ErrorRecord) }
            })
        @($run.FailedContainers | ForEach-Object -Process {
                [ordered]@{ kind = 'container'; name = [string]$_.Item; result = [string]$_.Result; file = [string]$_.Item; errors = (Get-ErrorText -Records $_.ErrorRecord) }
            })
    )
}

$json = ConvertTo-Json -InputObject $summary -Depth 8
[IO.File]::WriteAllText($SummaryPath, $json, (New-Object -TypeName System.Text.UTF8Encoding -ArgumentList $false))
