<#
.SYNOPSIS
    Bridge self-test: returns its arguments exactly as the script received them.
.DESCRIPTION
    Read-only. Proves that values reach a script as data (quotes, $(), backticks, newlines stay inert).
    The credential's password is never returned, only its user name.
#>
[CmdletBinding()]
param(
    [Parameter(Mandatory = $true)][AllowEmptyString()][string]$Text,
    [string[]]$Items = @(),
    [System.Management.Automation.PSCredential]$Credential
)
Set-StrictMode -Version 2.0
$ErrorActionPreference = 'Stop'
$ProgressPreference = 'SilentlyContinue'

$credentialUser = $null
if ($null -ne $Credential) { $credentialUser = $Credential.UserName }

@{
    Changed = $false
    Result  = [ordered]@{
        text           = $Text
        length         = $Text.Length
        items          = [object[]]$Items
        credentialUser = $credentialUser
    }
}
