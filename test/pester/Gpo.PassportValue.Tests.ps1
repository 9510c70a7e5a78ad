BeforeAll {
    . (Join-Path -Path $PSScriptRoot -ChildPath 'Support.ps1')
    Import-StandInModule -Name 'GroupPolicy'
    Import-HelperModule -Name 'Cloudtrust.Common', 'Cloudtrust.GroupPolicy'
    $TestGpoId = [guid]'0f7b6a2e-58a4-4e43-a5b2-6a1f4b8e2c11'
    $TestPolicyKey = 'HKLM\SOFTWARE\Policies\Microsoft\PassportForWork'

    function New-UnableToRetrieve {
        # Get-GPRegistryValue's record for a key it cannot return, with the cause as InnerException (or none).
        param([AllowNull()][System.Exception]$Inner)
        $message = 'The following Group Policy registry setting was not found: "HKEY_LOCAL_MACHINE\SOFTWARE\Policies\Microsoft\PassportForWork".'
        $exception = New-Object -TypeName System.ArgumentException -ArgumentList $message
        if ($null -ne $Inner) { $exception = New-Object -TypeName System.ArgumentException -ArgumentList $message, $Inner }
        return New-Object -TypeName System.Management.Automation.ErrorRecord -ArgumentList $exception, 'UnableToRetrievePolicyRegistryItem,Microsoft.GroupPolicy.Commands.GetGPRegistryValueCommand', ([System.Management.Automation.ErrorCategory]::InvalidArgument), 'GetGPRegistryValueCommand'
    }
}

Describe 'Get-PassportValue (review row 18)' {
    It 'reads a key that is not configured as not set: <case>' -ForEach @(
        @{ case = 'no inner exception'; inner = $null }
        @{ case = 'no Registry.pol'; inner = (New-Object -TypeName System.IO.FileNotFoundException -ArgumentList 'The system cannot find the file specified. (Exception from HRESULT: 0x80070002)') }
        @{ case = 'no Machine folder (0x80070003)'; inner = (New-Object -TypeName System.IO.IOException -ArgumentList 'The system cannot find the path specified.', -2147024893) }
    ) {
        $record = New-UnableToRetrieve -Inner $inner
        Mock Get-GPRegistryValue -ModuleName 'Cloudtrust.GroupPolicy' { throw $record }.GetNewClosure()

        @(Get-PassportValue -GpoId $TestGpoId -Key $TestPolicyKey -Domain 'corp.contoso.com' -Server 'dc1.corp.contoso.com') | Should -HaveCount 0
    }

    It 'fails when Registry.pol cannot be read: <case>' -ForEach @(
        @{ case = 'access denied'; inner = (New-Object -TypeName System.UnauthorizedAccessException -ArgumentList 'Access is denied. (Exception from HRESULT: 0x80070005 (E_ACCESSDENIED))'); category = 'PermissionDenied' }
        @{ case = 'file in use'; inner = (New-Object -TypeName System.IO.IOException -ArgumentList 'The process cannot access the file because it is being used by another process.', -2147024864); category = 'ReadError' }
    ) {
        $record = New-UnableToRetrieve -Inner $inner
        Mock Get-GPRegistryValue -ModuleName 'Cloudtrust.GroupPolicy' { throw $record }.GetNewClosure()

        $failure = $null
        try { Get-PassportValue -GpoId $TestGpoId -Key $TestPolicyKey -Domain 'corp.contoso.com' -Server 'dc1.corp.contoso.com' } catch { $failure = $_ }

        $failure | Should -Not -BeNullOrEmpty
        $failure.FullyQualifiedErrorId | Should -BeLike 'GpoSettingsUnreadable*'
        [string]$failure.CategoryInfo.Category | Should -Be $category
        $failure.Exception.Message | Should -BeLike ('*{0}*cannot be read: {1}' -f $TestGpoId, $inner.Message)
    }
}
