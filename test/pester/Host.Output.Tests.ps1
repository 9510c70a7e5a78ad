BeforeAll {
    . (Join-Path -Path $PSScriptRoot -ChildPath 'Support.ps1')
    . (Get-StepScriptPath -RelativePath 'host/Cloudtrust.Host.ps1')

    function ConvertTo-CompactJson {
        param([AllowNull()][object]$Value)
        return ConvertTo-Json -InputObject (ConvertTo-CloudtrustJsonValue -Value $Value) -Depth 10 -Compress
    }
}

Describe 'ConvertTo-CloudtrustJsonValue' {
    It 'writes a date as ISO 8601 in UTC, whatever its kind' {
        $utc = New-Object -TypeName DateTime -ArgumentList 2026, 11, 25, 10, 0, 0, ([DateTimeKind]::Utc)

        ConvertTo-CloudtrustJsonValue -Value $utc | Should -BeExactly '2026-11-25T10:00:00.0000000Z'
        ConvertTo-CloudtrustJsonValue -Value $utc.ToLocalTime() | Should -BeExactly '2026-11-25T10:00:00.0000000Z'
    }

    It 'keeps the offset of a DateTimeOffset' {
        $offset = New-Object -TypeName DateTimeOffset -ArgumentList 2026, 11, 25, 12, 0, 0, ([timespan]::FromHours(2))

        ConvertTo-CloudtrustJsonValue -Value $offset | Should -BeExactly '2026-11-25T12:00:00.0000000+02:00'
    }

    It 'writes enums by name, and guids and versions as text' {
        ConvertTo-CloudtrustJsonValue -Value ([System.Management.Automation.ErrorCategory]::ObjectNotFound) | Should -BeExactly 'ObjectNotFound'
        ConvertTo-CloudtrustJsonValue -Value ([System.IO.FileAttributes]'ReadOnly, Hidden') | Should -BeExactly 'ReadOnly, Hidden'
        ConvertTo-CloudtrustJsonValue -Value ([guid]'5B2E0F0C-1D2E-4F3A-9B8C-7D6E5F4A3B2C') | Should -BeExactly '5b2e0f0c-1d2e-4f3a-9b8c-7d6e5f4a3b2c'
        ConvertTo-CloudtrustJsonValue -Value ([version]'2.1.1.0') | Should -BeExactly '2.1.1.0'
    }

    It 'leaves strings, numbers and booleans as they are' {
        ConvertTo-CloudtrustJsonValue -Value 'text' | Should -BeExactly 'text'
        ConvertTo-CloudtrustJsonValue -Value 42 | Should -BeOfType [int]
        ConvertTo-CloudtrustJsonValue -Value ([int64]17763) | Should -BeOfType [int64]
        ConvertTo-CloudtrustJsonValue -Value $false | Should -BeOfType [bool]
    }

    It 'keeps a one-element or empty list a JSON array, at any depth' {
        $list = New-Object -TypeName 'System.Collections.Generic.List[string]'
        $list.Add('dc1')

        ConvertTo-CompactJson -Value @('only') | Should -BeExactly '["only"]'
        ConvertTo-CompactJson -Value ([ordered]@{ one = @('only'); none = @(); list = $list; nested = [ordered]@{ inner = @(1) } }) |
            Should -BeExactly '{"one":["only"],"none":[],"list":["dc1"],"nested":{"inner":[1]}}'
    }

    It 'writes an object by its properties, converting each' {
        $when = New-Object -TypeName DateTime -ArgumentList 2026, 1, 2, 3, 4, 5, ([DateTimeKind]::Utc)
        $object = [pscustomobject]@{ Name = 'DC1'; When = $when; Sites = @('HQ') }

        ConvertTo-CompactJson -Value $object | Should -BeExactly '{"Name":"DC1","When":"2026-01-02T03:04:05.0000000Z","Sites":["HQ"]}'
    }

    It 'masks secure strings and credentials, at any depth' {
        $credential = New-TestCredential
        $result = ConvertTo-CloudtrustJsonValue -Value ([ordered]@{ credential = $credential; secret = $credential.Password; list = @($credential) })

        $result.credential | Should -BeExactly '***'
        $result.secret | Should -BeExactly '***'
        $result.list[0] | Should -BeExactly '***'
        ConvertTo-Json -InputObject $result -Compress | Should -Not -Match 'Pa55'
    }
}

Describe 'ConvertTo-CloudtrustError' {
    It 'describes an error record: message, error id, category, target, stack and exception type' {
        $missing = Join-Path -Path $TestDrive -ChildPath 'missing.txt'
        try { Get-Item -LiteralPath $missing -ErrorAction Stop } catch { $record = $_ }

        $details = ConvertTo-CloudtrustError -Record $record

        $details.message | Should -BeLike '*missing.txt*'
        $details.fullyQualifiedErrorId | Should -BeExactly 'PathNotFound,Microsoft.PowerShell.Commands.GetItemCommand'
        $details.category | Should -BeExactly 'ObjectNotFound'
        $details.targetObject | Should -BeExactly $missing
        $details.exceptionType | Should -BeExactly 'System.Management.Automation.ItemNotFoundException'
        $details.scriptStackTrace | Should -Not -BeNullOrEmpty
        $details.Contains('retryAfterSeconds') | Should -BeFalse
    }

    It 'reads retryAfterSeconds, rounded up, from the Retry-After header of an HTTP 429' {
        $response = New-Object -TypeName System.Net.Http.HttpResponseMessage -ArgumentList ([System.Net.HttpStatusCode]429)
        $response.Headers.RetryAfter = New-Object -TypeName System.Net.Http.Headers.RetryConditionHeaderValue -ArgumentList ([timespan]::FromSeconds(7.2))
        $exception = New-Object -TypeName Microsoft.PowerShell.Commands.HttpResponseException -ArgumentList 'Response status code does not indicate success: 429 (Too Many Requests).', $response
        $record = New-Object -TypeName System.Management.Automation.ErrorRecord -ArgumentList $exception, 'WebCmdletWebResponseException', ([System.Management.Automation.ErrorCategory]::InvalidOperation), $null

        $details = ConvertTo-CloudtrustError -Record $record

        $details.retryAfterSeconds | Should -Be 8
        $details.exceptionType | Should -BeExactly 'Microsoft.PowerShell.Commands.HttpResponseException'
        $details.targetObject | Should -BeNullOrEmpty
    }

    It 'gives no retryAfterSeconds for an HTTP error without Retry-After' {
        $response = New-Object -TypeName System.Net.Http.HttpResponseMessage -ArgumentList ([System.Net.HttpStatusCode]::BadRequest)
        $exception = New-Object -TypeName Microsoft.PowerShell.Commands.HttpResponseException -ArgumentList 'Response status code does not indicate success: 400 (Bad Request).', $response
        $record = New-Object -TypeName System.Management.Automation.ErrorRecord -ArgumentList $exception, 'WebCmdletWebResponseException', ([System.Management.Automation.ErrorCategory]::InvalidOperation), $null

        (ConvertTo-CloudtrustError -Record $record).Contains('retryAfterSeconds') | Should -BeFalse
    }
}
