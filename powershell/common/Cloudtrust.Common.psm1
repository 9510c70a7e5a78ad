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

function ConvertTo-UtcInstant {
    # KeyUpdatedOn comes from AD and from Entra, which both keep UTC; the module's DateTime may carry Kind
    # Unspecified (the documented output prints no zone). Unspecified is that UTC value, never local time, so it is
    # marked UTC rather than converted by the host's offset (fidelity review row 13); Local and Utc convert as usual.
    param([AllowNull()][object]$Value)
    if ($null -eq $Value -or ([string]$Value).Length -eq 0) { return $null }
    if ($Value -is [datetime]) { $instant = $Value }
    else { $instant = [datetime]::Parse([string]$Value, [Globalization.CultureInfo]::InvariantCulture, [Globalization.DateTimeStyles]'AssumeUniversal, AdjustToUniversal') }
    if ($instant.Kind -eq [System.DateTimeKind]::Unspecified) { return [datetime]::SpecifyKind($instant, [System.DateTimeKind]::Utc) }
    return $instant.ToUniversalTime()
}

$script:KerberosServerEndpoint = $null

function Select-KerberosServerEndpoint {
    # Points AzureADHybridAuthenticationManagement at the tenant's cloud (0 Public, 1 China, 2 US Government) before
    # it signs in: Get first, Set only when it differs. The current endpoint is printed as "Current Endpoint = 0(Public)";
    # whether to the output or the host is undocumented, so both streams are read. The module keeps it for the
    # process, and only these scripts change it, so once read or set it is remembered here for the process.
    # Returns whether it was changed.
    param([Parameter(Mandatory = $true)][ValidateSet('public', 'usgovernment', 'china')][string]$Cloud)
    $target = @{ public = 0; china = 1; usgovernment = 2 }[$Cloud]
    if ($null -eq $script:KerberosServerEndpoint) {
        $shown = @(Get-AzureADKerberosServerEndpoint 6>&1 | ForEach-Object -Process { [string]$_ }) -join "`n"
        if ($shown -match 'Current Endpoint\s*=\s*(\d+)') { $script:KerberosServerEndpoint = [int]$Matches[1] }
    }
    if ($script:KerberosServerEndpoint -eq $target) { return $false }
    $null = Set-AzureADKerberosServerEndpoint -TargetEndpoint $target
    $script:KerberosServerEndpoint = $target
    return $true
}
