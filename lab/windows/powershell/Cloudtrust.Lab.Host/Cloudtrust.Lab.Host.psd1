@{
    RootModule        = 'Cloudtrust.Lab.Host.psm1'
    ModuleVersion     = '1.0.0'
    GUID              = '3c9d2b71-5e0a-4f8e-b6d4-91a7c2e4f308'
    Description       = 'cloudtrust lab: the management host process (token elevation, .NET Framework TLS defaults) as the estate describes it.'
    PowerShellVersion = '7.4'
    FunctionsToExport = @()
    CmdletsToExport   = @()
    VariablesToExport = @()
    AliasesToExport   = @()
}
