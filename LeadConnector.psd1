@{
    RootModule           = 'bin/LeadConnector.dll'
    ModuleVersion        = '0.1.0'
    GUID                 = '6f1f6c52-3b7e-4c2e-9a7e-2f5a0f4d8c11'
    Author               = 'LeadConnector contributors'
    CompanyName          = 'LeadConnector contributors'
    Copyright            = '(c) LeadConnector contributors. MIT License.'
    Description          = 'PowerShell cmdlets for the HighLevel / LeadConnector API: conversations, messages and more, with paging, pacing and retries built in.'
    PowerShellVersion    = '5.1'
    CompatiblePSEditions = @('Desktop', 'Core')
    FormatsToProcess     = @('LeadConnector.Format.ps1xml')
    CmdletsToExport      = @(
        'Connect-Lc'
        'Disconnect-Lc'
        'Get-LcConnection'
        'New-LcConversation'
        'Get-LcConversation'
        'Set-LcConversation'
        'Remove-LcConversation'
        'Get-LcEmailMessage'
    )
    FunctionsToExport    = @()
    VariablesToExport    = @()
    AliasesToExport      = @()
    PrivateData          = @{
        PSData = @{
            Tags       = @('HighLevel', 'LeadConnector', 'GoHighLevel', 'CRM', 'REST', 'API')
            ProjectUri = 'https://github.com/leadconnector-powershell/LeadConnector'
            LicenseUri = 'https://github.com/leadconnector-powershell/LeadConnector/blob/main/LICENSE'
        }
    }
}
