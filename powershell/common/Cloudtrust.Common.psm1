# Helpers shared by the step scripts: a step's own errors and the result a Get -> Test -> Set step answers.
# Loaded by the host dispatcher (powershell/host/Cloudtrust.Host.ps1) from the text whose SHA-256 it checked.
# Windows PowerShell 5.1 compatible.
Set-StrictMode -Version 2.0
$ErrorActionPreference = 'Stop'
$ProgressPreference = 'SilentlyContinue'

function New-StepError {
    # An error record for throw: the message, error id, category and target the bridge classifies the failure by.
    param(
        [Parameter(Mandatory = $true)][string]$Message,
        [Parameter(Mandatory = $true)][string]$ErrorId,
        [Parameter(Mandatory = $true)][System.Management.Automation.ErrorCategory]$Category,
        [AllowNull()][object]$Target
    )
    $exception = New-Object -TypeName System.ArgumentException -ArgumentList $Message
    return New-Object -TypeName System.Management.Automation.ErrorRecord -ArgumentList $exception, $ErrorId, $Category, $Target
}

function New-StepResult {
    # The one object a changing step writes: changed when anything is (or, with -PlanOnly, would be) changed.
    param(
        [Parameter(Mandatory = $true)][AllowEmptyCollection()][string[]]$Changes,
        [switch]$PlanOnly,
        [AllowNull()][object]$Before,
        [AllowNull()][object]$After
    )
    return @{
        Changed = ($Changes.Count -gt 0)
        Result  = [ordered]@{
            planOnly = [bool]$PlanOnly
            changes  = [object[]]$Changes
            before   = $Before
            after    = $After
        }
    }
}
