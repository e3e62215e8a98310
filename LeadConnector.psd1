@{
    # The one place the version lives: Directory.Build.props reads it for the assemblies, build.ps1 for the packages.
    ModuleVersion        = '0.2.0'
    RootModule           = 'bin/LeadConnector.dll'
    GUID                 = '6f1f6c52-3b7e-4c2e-9a7e-2f5a0f4d8c11'
    Author               = 'LeadConnector contributors'
    CompanyName          = 'LeadConnector contributors'
    Copyright            = '(c) LeadConnector contributors. MIT License.'
    Description          = 'PowerShell cmdlets for the HighLevel / LeadConnector API (HighLevel and its white-label CRMs): conversations, messages and contacts as typed objects in the pipeline, with paging, rate-limit pacing, retries, timeouts and Ctrl+C built in. Works in Windows PowerShell 5.1, PowerShell 7 and Azure Automation.'
    PowerShellVersion    = '5.1'
    # Windows PowerShell 5.1 runs the netstandard2.0 engine (bin/Desktop), which needs .NET Framework 4.7.2 or later.
    DotNetFrameworkVersion = '4.7.2'
    CompatiblePSEditions = @('Desktop', 'Core')
    FormatsToProcess     = @('LeadConnector.Format.ps1xml')
    TypesToProcess       = @('LeadConnector.Types.ps1xml')
    CmdletsToExport      = @(
        'Connect-Lc'
        'Disconnect-Lc'
        'Get-LcConnection'
        'New-LcConversation'
        'Get-LcConversation'
        'Set-LcConversation'
        'Remove-LcConversation'
        'Get-LcEmailMessage'
        'Get-LcMessage'
        'Add-LcMessage'
        'Set-LcMessage'
        'Stop-LcScheduledMessage'
        'Save-LcMessageRecording'
        'Get-LcMessageTranscription'
        'Send-LcMessage'
        'Get-LcContact'
        'New-LcContact'
        'Set-LcContact'
        'Remove-LcContact'
        'Add-LcContactTag'
        'Remove-LcContactTag'
        'Get-LcContactNote'
        'New-LcContactNote'
        'Set-LcContactNote'
        'Remove-LcContactNote'
        'Add-LcContactToWorkflow'
        'Remove-LcContactFromWorkflow'
        'Get-LcContactSubscription'
        'Set-LcContactSubscription'
        'Get-LcCustomSubtype'
        'New-LcCustomSubtype'
        'Set-LcCustomSubtype'
        'Send-LcReviewReply'
        'Send-LcTypingIndicator'
        'Invoke-LcRequest'
        'Test-LcWebhookSignature'
        'ConvertFrom-LcWebhook'
        'Save-LcConnection'
        'Remove-LcConnection'
    )
    FunctionsToExport    = @()
    VariablesToExport    = @()
    AliasesToExport      = @()
    PrivateData          = @{
        PSData = @{
            Tags         = @('HighLevel', 'LeadConnector', 'GoHighLevel', 'CRM', 'REST', 'API', 'Conversations', 'PSEdition_Desktop', 'PSEdition_Core', 'Windows', 'Linux', 'MacOS')
            ProjectUri   = 'https://github.com/leadconnector-powershell/LeadConnector'
            LicenseUri   = 'https://github.com/leadconnector-powershell/LeadConnector/blob/main/LICENSE'
            ReleaseNotes = '0.2.0: tested in real PowerShell on every run; help, format and type data; Gallery and Azure Automation packages. 0.1.0: conversations (get, search, create, update, remove), email messages, pacing, retries, timeouts and Ctrl+C.'
        }
    }
}
