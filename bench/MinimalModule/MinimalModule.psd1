@{
    ModuleVersion     = '1.0.0'
    RootModule        = 'MinimalModule.dll'
    GUID              = '0b6c2a8e-5d0f-4f1e-9a51-3c7d2e8f6a10'
    Author            = 'LeadConnector contributors'
    Description       = 'The baseline of the benchmark figure import_vs_minimal: one cmdlet and one format file.'
    PowerShellVersion = '5.1'
    FormatsToProcess  = @('MinimalModule.Format.ps1xml')
    CmdletsToExport   = @('Get-MinimalItem')
    FunctionsToExport = @()
    VariablesToExport = @()
    AliasesToExport   = @()
}
