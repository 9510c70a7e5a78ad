# The management host's own facts that step scripts read outside any module, for the lab's PowerShell 7 on Linux:
# the process token ([Security.Principal.WindowsIdentity]::GetCurrent() and WindowsPrincipal.IsInRole, which
# PowerShell 7 on Linux cannot answer), well-known SIDs translated to names (SecurityIdentifier.Translate) and the TLS versions of the process ([Net.ServicePointManager]::SecurityProtocol,
# whose .NET Framework default a Windows PowerShell 5.1 host has). Stand-ins (Cloudtrust.Lab.Host.cs) answer from
# the estate (managementHost.elevated, managementHost.tls12ByDefault, given by lab/runtime.ts in the environment).
# PowerShell resolves a type name through its built-in type accelerators before the loaded assemblies, so the
# stand-ins are registered there under the names scripts write; the public TypeAccelerators.Add would come last.
# The accelerators are process-wide, so a simulated remote computer's runspace (Invoke-Command) sees the same
# stand-ins; no remote script block of the step scripts reads them.
# Runs in the lab's PowerShell 7 only; never on a management host.
Set-StrictMode -Version Latest

function Initialize-LabHostTypes {
    # Compiled once per generated lab (the module folder is a per-catalog copy), then loaded by every lab process.
    $assembly = Join-Path -Path $PSScriptRoot -ChildPath 'Cloudtrust.Lab.Host.dll'
    $source = Join-Path -Path $PSScriptRoot -ChildPath 'Cloudtrust.Lab.Host.cs'
    if (-not (Test-Path -LiteralPath $assembly)) {
        $staging = '{0}.{1}.tmp' -f $assembly, [System.Guid]::NewGuid().ToString('N')
        Add-Type -TypeDefinition ([System.IO.File]::ReadAllText($source)) -OutputAssembly $staging -OutputType Library
        try { [System.IO.File]::Move($staging, $assembly) } catch [System.IO.IOException] { Remove-Item -LiteralPath $staging -ErrorAction SilentlyContinue }
    }
    Add-Type -Path $assembly
}

function Register-LabHostType {
    param([Parameter(Mandatory = $true)][string[]]$Name, [Parameter(Mandatory = $true)][type]$Type)
    $accelerators = [psobject].Assembly.GetType('System.Management.Automation.TypeAccelerators')
    $builtin = $accelerators.GetField('builtinTypeAccelerators', [System.Reflection.BindingFlags]'NonPublic, Static').GetValue($null)
    foreach ($entry in $Name) { $builtin[$entry] = $Type }
}

Initialize-LabHostTypes

$stateFile = $null
if (-not [string]::IsNullOrEmpty($env:CLOUDTRUST_LAB_PROCESS_DIR)) {
    $null = [System.IO.Directory]::CreateDirectory($env:CLOUDTRUST_LAB_PROCESS_DIR)
    $stateFile = Join-Path -Path $env:CLOUDTRUST_LAB_PROCESS_DIR -ChildPath ('{0}.json' -f $PID)
}
$domain = $env:USERDOMAIN
if ([string]::IsNullOrEmpty($domain)) { $domain = $env:COMPUTERNAME }
$account = '{0}\{1}' -f $domain, [System.Environment]::UserName
[Cloudtrust.Lab.Host.Machine]::Initialize(($env:CLOUDTRUST_LAB_ELEVATED -ne 'false'), ($env:CLOUDTRUST_LAB_TLS12_BY_DEFAULT -eq 'true'), $account, $stateFile)
if ($env:CLOUDTRUST_LAB_TLS_SYSTEM_DEFAULT -eq 'true') { [Cloudtrust.Lab.Host.ServicePointManager]::StartAtSystemDefault() }

Register-LabHostType -Name 'Security.Principal.WindowsIdentity', 'System.Security.Principal.WindowsIdentity' -Type ([Cloudtrust.Lab.Host.WindowsIdentity])
Register-LabHostType -Name 'Security.Principal.WindowsPrincipal', 'System.Security.Principal.WindowsPrincipal' -Type ([Cloudtrust.Lab.Host.WindowsPrincipal])
Register-LabHostType -Name 'Net.ServicePointManager', 'System.Net.ServicePointManager' -Type ([Cloudtrust.Lab.Host.ServicePointManager])
Register-LabHostType -Name 'Security.Principal.SecurityIdentifier', 'System.Security.Principal.SecurityIdentifier' -Type ([Cloudtrust.Lab.Host.SecurityIdentifier])
Register-LabHostType -Name 'Security.Principal.NTAccount', 'System.Security.Principal.NTAccount' -Type ([Cloudtrust.Lab.Host.NTAccount])

Export-ModuleMember -Function @()
