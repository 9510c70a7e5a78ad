BeforeAll {
    . (Join-Path -Path $PSScriptRoot -ChildPath 'Support.ps1')
    $TestScript = Get-StepScriptPath -RelativePath 'diagnostics/check-echo.ps1'
}

Describe 'diagnostics/check-echo.ps1' {
    It 'returns its text and items as received, code-like text included' {
        $text = '$(whoami); `n'' "quoted"'

        $step = & $TestScript -Text $text -Items $text, 'second'

        $step.Changed | Should -BeFalse
        $step.Result.text | Should -BeExactly $text
        $step.Result.length | Should -Be $text.Length
        $step.Result.items | Should -Be @($text, 'second')
    }

    It "returns the credential's user name, never its password" {
        $step = & $TestScript -Text 'x' -Credential (New-TestCredential)

        $step.Result.credentialUser | Should -BeExactly 'admin@contoso.example'
        ConvertTo-Json -InputObject $step.Result -Compress | Should -Not -Match 'Pa55'
    }

    It 'returns an empty item list as an empty list' {
        $step = & $TestScript -Text ''

        , $step.Result.items | Should -BeOfType [object[]]
        $step.Result.items.Count | Should -Be 0
        $step.Result.credentialUser | Should -BeNullOrEmpty
    }
}
