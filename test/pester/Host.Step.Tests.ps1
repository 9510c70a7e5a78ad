BeforeAll {
    . (Join-Path -Path $PSScriptRoot -ChildPath 'Support.ps1')
    . (Get-StepScriptPath -RelativePath 'host/Cloudtrust.Host.ps1')

    $fixtures = [ordered]@{
        'fixture.echo'   = @'
[CmdletBinding()]
param([string]$RequestedAt, [string[]]$Items, [System.Management.Automation.PSCredential]$Credential)
Write-Warning -Message 'a warning from the script'
@{ Changed = $true; Result = [ordered]@{ requestedAt = $RequestedAt; items = $Items; user = $Credential.UserName; credential = $Credential } }
'@
        'fixture.two'    = @'
[CmdletBinding()]
param()
@{ Changed = $false; Result = 'first' }
@{ Changed = $false; Result = 'second' }
'@
        'fixture.none'   = @'
[CmdletBinding()]
param()
'@
        'fixture.throws' = @'
[CmdletBinding()]
param()
throw 'the directory refused'
'@
    }
    $entries = foreach ($id in $fixtures.Keys) {
        $path = Join-Path -Path $TestDrive -ChildPath ($id + '.ps1')
        Set-Content -LiteralPath $path -Value $fixtures[$id] -Encoding UTF8
        [ordered]@{ id = $id; path = $path; sha256 = (Get-CloudtrustSha256 -Path $path) }
    }
    $TestHostConfig = ConvertTo-Json -InputObject ([ordered]@{ scripts = [object[]]@($entries) }) -Depth 5 -Compress

    function Get-Frame {
        # The envelope of the one frame written.
        $TestFrames.Count | Should -Be 1
        return $TestFrames[0]
    }
}

Describe 'Initialize-CloudtrustHost' {
    BeforeEach {
        $global:CloudtrustHostState = $null
        $TestFrames = New-Object -TypeName 'System.Collections.Generic.List[object]'
        Mock Write-CloudtrustFrame { $TestFrames.Add($Envelope) }
    }

    It 'registers the reviewed scripts and reports the host' {
        Initialize-CloudtrustHost -CallId 'init0001' -ConfigBase64 (ConvertTo-Base64Json -Json $TestHostConfig)

        $frame = Get-Frame
        $frame.ok | Should -BeTrue
        $frame.result.scripts | Should -Be 4
        $frame.result.psVersion | Should -BeExactly $PSVersionTable.PSVersion.ToString()
        Should -Invoke Write-CloudtrustFrame -Times 1 -Exactly -ParameterFilter { $CallId -eq 'init0001' }
    }

    It 'refuses a script whose content differs from the reviewed version' {
        $config = $TestHostConfig -replace '"sha256":"[0-9a-f]{8}', '"sha256":"00000000'

        Initialize-CloudtrustHost -CallId 'init0002' -ConfigBase64 (ConvertTo-Base64Json -Json $config)

        $frame = Get-Frame
        $frame.ok | Should -BeFalse
        $frame.errors[0].message | Should -BeLike '*sha256 mismatch*'
        $global:CloudtrustHostState | Should -BeNullOrEmpty
    }
}

Describe 'Initialize-CloudtrustHost with helper modules' {
    BeforeAll {
        $TestModulePath = Join-Path -Path $TestDrive -ChildPath 'Cloudtrust.Fixture.psm1'
        $TestModuleText = @'
Set-StrictMode -Version 2.0
$ErrorActionPreference = 'Stop'
function Get-FixtureGreeting {
    param([Parameter(Mandatory = $true)][string]$Name)
    return ('hello {0}, from the reviewed module' -f $Name)
}
'@
        $TestCallerPath = Join-Path -Path $TestDrive -ChildPath 'fixture.greets.ps1'
        Set-Content -LiteralPath $TestCallerPath -Value "[CmdletBinding()]`nparam([string]`$Name)`n@{ Changed = `$false; Result = (Get-FixtureGreeting -Name `$Name) }" -Encoding UTF8

        function New-TestModuleConfig {
            param([string]$Sha256 = (Get-CloudtrustSha256 -Path $TestModulePath), [string]$Path = $TestModulePath)
            $config = [ordered]@{
                scripts = [object[]]@([ordered]@{ id = 'fixture.greets'; path = $TestCallerPath; sha256 = (Get-CloudtrustSha256 -Path $TestCallerPath) })
                modules = [object[]]@([ordered]@{ name = 'Cloudtrust.Fixture'; path = $Path; sha256 = $Sha256 })
            }
            return ConvertTo-Base64Json -Json (ConvertTo-Json -InputObject $config -Depth 5 -Compress)
        }
    }

    BeforeEach {
        $global:CloudtrustHostState = $null
        Set-Content -LiteralPath $TestModulePath -Value $TestModuleText -Encoding UTF8
        $TestFrames = New-Object -TypeName 'System.Collections.Generic.List[object]'
        Mock Write-CloudtrustFrame { $TestFrames.Add($Envelope) }
    }

    AfterEach {
        Get-Module -Name 'Cloudtrust.Fixture' -All | Remove-Module -Force
    }

    It 'loads a reviewed module, whose functions the scripts then call' {
        Initialize-CloudtrustHost -CallId 'init0011' -ConfigBase64 (New-TestModuleConfig)

        $frame = Get-Frame
        $frame.ok | Should -BeTrue
        $frame.result.modules | Should -Be 1
        $TestFrames.Clear()
        Invoke-CloudtrustStep -CallId 'call0011' -ScriptId 'fixture.greets' -ArgumentsBase64 (ConvertTo-Base64Json -Json '{"Name":"Ada"}')
        (Get-Frame).result | Should -BeExactly 'hello Ada, from the reviewed module'
    }

    It 'runs the text it checked: a change to the file after the start is never loaded' {
        Initialize-CloudtrustHost -CallId 'init0012' -ConfigBase64 (New-TestModuleConfig)
        Set-Content -LiteralPath $TestModulePath -Value ($TestModuleText -replace 'from the reviewed module', 'from a changed file') -Encoding UTF8
        $TestFrames.Clear()

        Invoke-CloudtrustStep -CallId 'call0012' -ScriptId 'fixture.greets' -ArgumentsBase64 (ConvertTo-Base64Json -Json '{"Name":"Ada"}')

        (Get-Frame).result | Should -BeExactly 'hello Ada, from the reviewed module'
    }

    It 'refuses a module whose content differs from the reviewed version, and loads nothing' {
        Initialize-CloudtrustHost -CallId 'init0013' -ConfigBase64 (New-TestModuleConfig -Sha256 ('0' * 64))

        $frame = Get-Frame
        $frame.ok | Should -BeFalse
        $frame.errors[0].message | Should -BeExactly ('module Cloudtrust.Fixture: content differs from the reviewed version (sha256 mismatch): {0}' -f $TestModulePath)
        $global:CloudtrustHostState | Should -BeNullOrEmpty
        Get-Command -Name 'Get-FixtureGreeting' -ErrorAction SilentlyContinue | Should -BeNullOrEmpty
    }

    It 'refuses a module file that is missing' {
        $missing = Join-Path -Path $TestDrive -ChildPath 'Missing.psm1'

        Initialize-CloudtrustHost -CallId 'init0014' -ConfigBase64 (New-TestModuleConfig -Path $missing -Sha256 ('0' * 64))

        (Get-Frame).errors[0].message | Should -BeExactly ('module Cloudtrust.Fixture: file not found: {0}' -f $missing)
    }
}

Describe 'Invoke-CloudtrustStep' {
    BeforeAll {
        $TestFrames = New-Object -TypeName 'System.Collections.Generic.List[object]'
        Mock Write-CloudtrustFrame { $TestFrames.Add($Envelope) }
        Initialize-CloudtrustHost -CallId 'init0001' -ConfigBase64 (ConvertTo-Base64Json -Json $TestHostConfig)
    }

    BeforeEach {
        $TestFrames.Clear()
    }

    It 'runs a script with its arguments as data and answers its result, warnings included' {
        $arguments = '{"requestedAt":"2026-11-25T10:00:00Z","items":["one"],"credential":{"__pscredential":{"userName":"admin@contoso.example","password":"Pa55-w0rd!"}}}'

        Invoke-CloudtrustStep -CallId 'call0001' -ScriptId 'fixture.echo' -ArgumentsBase64 (ConvertTo-Base64Json -Json $arguments)

        $frame = Get-Frame
        $frame.ok | Should -BeTrue
        $frame.changed | Should -BeTrue
        $frame.result.requestedAt | Should -BeExactly '2026-11-25T10:00:00Z'
        , $frame.result.items | Should -BeOfType [object[]]
        $frame.result.items | Should -Be @('one')
        $frame.result.user | Should -BeExactly 'admin@contoso.example'
        $frame.result.credential | Should -BeExactly '***'
        $frame.warnings | Should -Be @('a warning from the script')
        @($frame.errors).Count | Should -Be 0
    }

    It 'refuses a script id that is not registered' {
        Invoke-CloudtrustStep -CallId 'call0002' -ScriptId 'gpo.remove-everything' -ArgumentsBase64 ''

        $frame = Get-Frame
        $frame.ok | Should -BeFalse
        $frame.errors[0].message | Should -BeExactly 'unknown script id: gpo.remove-everything'
        Should -Invoke Write-CloudtrustFrame -Times 1 -Exactly -ParameterFilter { $CallId -eq 'call0002' -and -not $Envelope.ok }
    }

    It 'refuses a script that writes two objects' {
        Invoke-CloudtrustStep -CallId 'call0003' -ScriptId 'fixture.two' -ArgumentsBase64 ''

        $frame = Get-Frame
        $frame.ok | Should -BeFalse
        $frame.result | Should -BeNullOrEmpty
        $frame.errors[0].message | Should -BeExactly 'script fixture.two wrote 2 objects to the output stream; it must write exactly one result'
    }

    It 'refuses a script that writes nothing' {
        Invoke-CloudtrustStep -CallId 'call0004' -ScriptId 'fixture.none' -ArgumentsBase64 ''

        (Get-Frame).errors[0].message | Should -BeLike '*wrote 0 objects*'
    }

    It 'answers a script that throws with its error, not by throwing' {
        { Invoke-CloudtrustStep -CallId 'call0005' -ScriptId 'fixture.throws' -ArgumentsBase64 '' } | Should -Not -Throw

        $frame = Get-Frame
        $frame.ok | Should -BeFalse
        $frame.errors[0].message | Should -BeExactly 'the directory refused'
    }

    It 'rejects a script id or call id that could read as code, before running anything' {
        { Invoke-CloudtrustStep -CallId 'call0006' -ScriptId 'fixture.echo; whoami' -ArgumentsBase64 '' } | Should -Throw -ErrorId 'ParameterArgumentValidationError,Invoke-CloudtrustStep'
        { Invoke-CloudtrustStep -CallId 'call-0007' -ScriptId 'fixture.echo' -ArgumentsBase64 '' } | Should -Throw -ErrorId 'ParameterArgumentValidationError,Invoke-CloudtrustStep'

        Should -Invoke Write-CloudtrustFrame -Times 0 -Exactly
    }
}

Describe 'Write-CloudtrustFrame' {
    It 'writes one line: the call id and the base64 of the UTF-8 JSON envelope' {
        $name = 'Zo' + [char]0x00EB
        $writer = New-Object -TypeName System.IO.StringWriter
        $console = [Console]::Out
        [Console]::SetOut($writer)
        try {
            Write-CloudtrustFrame -CallId 'call0008' -Envelope ([ordered]@{ ok = $true; result = $name })
        }
        finally {
            [Console]::SetOut($console)
        }

        $line = $writer.ToString().TrimEnd()
        $line | Should -Match '^<<cloudtrust:call0008:[A-Za-z0-9+/=]+>>$'
        $payload = $line.Substring('<<cloudtrust:call0008:'.Length).TrimEnd('>')
        [Text.Encoding]::UTF8.GetString([Convert]::FromBase64String($payload)) | Should -BeExactly ('{"ok":true,"result":"' + $name + '"}')
    }
}
