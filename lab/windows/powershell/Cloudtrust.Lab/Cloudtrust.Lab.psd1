@{
    RootModule        = 'Cloudtrust.Lab.psm1'
    ModuleVersion     = '1.0.0'
    GUID              = '6f0c5b8e-2f64-4c1e-9a53-7d7c1d3f5a10'
    Description       = 'cloudtrust lab: the bridge between simulated Windows commands and the lab estate service.'
    PowerShellVersion = '7.4'
    FunctionsToExport = @('Invoke-LabCommand', 'Invoke-LabRemoting', 'New-LabSessionOption', 'Invoke-LabNative', 'Initialize-LabRemoteHost', 'Wait-LabModuleImport')
    CmdletsToExport   = @()
    VariablesToExport = @()
    AliasesToExport   = @()
}
