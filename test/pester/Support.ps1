# Dot-sourced by the suites in BeforeAll: paths of the scripts under test, the stand-in modules, the helper modules
# the scripts use, test credentials.
# Mock bodies and parameter filters run inside the script under test and see its variables before the suite's
# ($script: there is the script's own scope): the suites name their data $Test*, which no script uses.
# A command that a helper module calls is mocked in that module (Mock -ModuleName, Should -Invoke -ModuleName).

function Get-StepScriptPath {
    param([Parameter(Mandatory = $true)][string]$RelativePath)
    $repository = Split-Path -Parent (Split-Path -Parent $PSScriptRoot)
    return (Join-Path -Path (Join-Path -Path $repository -ChildPath 'powershell') -ChildPath $RelativePath)
}

function Import-StandInModule {
    # The stand-ins are the lab's stub modules generated from the command catalog (CLOUDTRUST_PESTER_STAND_INS, set by
    # test/support/pester-run.ts): the real commands' parameters, sets and accepted values, so Mock copies them. They
    # go first on PSModulePath, so the scripts' own Import-Module finds the loaded stand-in rather than a real module.
    param([Parameter(Mandatory = $true)][string[]]$Name)
    if ([string]::IsNullOrEmpty($env:CLOUDTRUST_PESTER_STAND_INS)) { throw 'CLOUDTRUST_PESTER_STAND_INS is not set: run the suites through test/pester/pester.test.ts' }
    $paths = @($env:PSModulePath -split [IO.Path]::PathSeparator)
    foreach ($standIns in @($env:CLOUDTRUST_PESTER_STAND_INS -split [IO.Path]::PathSeparator)) {
        if ($paths -notcontains $standIns) { $env:PSModulePath = $standIns + [IO.Path]::PathSeparator + $env:PSModulePath }
    }
    foreach ($module in $Name) { Import-Module -Name $module -ErrorAction Stop }
}

function Import-HelperModule {
    # The helper modules the dispatcher loads (powershell/common), imported from their files. Global, as the
    # dispatcher imports them: a helper module calls the functions of those loaded before it.
    param([Parameter(Mandatory = $true)][string[]]$Name)
    foreach ($module in $Name) {
        Import-Module -Name (Get-StepScriptPath -RelativePath ('common/' + $module + '.psm1')) -Global -Force -ErrorAction Stop
    }
}

function New-TestCredential {
    param([string]$UserName = 'admin@contoso.example', [string]$Password = 'Pa55-w0rd!')
    $secret = ConvertTo-SecureString -String $Password -AsPlainText -Force
    return New-Object -TypeName System.Management.Automation.PSCredential -ArgumentList $UserName, $secret
}

function ConvertTo-Base64Json {
    # A step's arguments as the bridge sends them.
    param([Parameter(Mandatory = $true)][AllowEmptyString()][string]$Json)
    return [Convert]::ToBase64String([Text.Encoding]::UTF8.GetBytes($Json))
}
