# Every operation of the Conversations API (tests/contract/conversations.json, a copy of the contract's OpenAPI file)
# is reached by a cmdlet of the module: the table below names the cmdlet of each operation.

BeforeDiscovery {
    $contractPath = Join-Path $PSScriptRoot 'contract/conversations.json'
    $spec = Get-Content -LiteralPath $contractPath -Raw -Encoding UTF8 | ConvertFrom-Json
    $operationCases = foreach ($path in $spec.paths.PSObject.Properties) {
        foreach ($op in $path.Value.PSObject.Properties) {
            if ($op.Name -in 'get', 'put', 'post', 'delete', 'patch') {
                @{ OperationId = $op.Value.operationId; Method = $op.Name.ToUpperInvariant(); Path = $path.Name }
            }
        }
    }
    $sharedPath = Join-Path (Split-Path -Parent (Split-Path -Parent $PSScriptRoot)) 'shared/api/openapi/conversations.json'
    $noShared = -not (Test-Path -LiteralPath $sharedPath)
}

BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    Import-LeadConnector
    $contractPath = Join-Path $PSScriptRoot 'contract/conversations.json'
    $sharedPath = Join-Path (Split-Path -Parent (Split-Path -Parent $PSScriptRoot)) 'shared/api/openapi/conversations.json'
    $exported = @((Get-Module -Name LeadConnector).ExportedCmdlets.Keys)

    # operationId -> the operation (method and path, as the file has them) and the cmdlet that calls it.
    $Coverage = @{
        'search-conversation'               = @{ Method = 'GET'; Path = '/conversations/search'; Cmdlet = 'Get-LcConversation' }
        'get-conversation'                  = @{ Method = 'GET'; Path = '/conversations/{conversationId}'; Cmdlet = 'Get-LcConversation' }
        'update-conversation'               = @{ Method = 'PUT'; Path = '/conversations/{conversationId}'; Cmdlet = 'Set-LcConversation' }
        'delete-conversation'               = @{ Method = 'DELETE'; Path = '/conversations/{conversationId}'; Cmdlet = 'Remove-LcConversation' }
        'create-conversation'               = @{ Method = 'POST'; Path = '/conversations/'; Cmdlet = 'New-LcConversation' }
        'get-all-custom-subtypes'           = @{ Method = 'GET'; Path = '/conversations/preferences/custom-subtypes'; Cmdlet = 'Get-LcCustomSubtype' }
        'create-custom-subtype'             = @{ Method = 'POST'; Path = '/conversations/preferences/custom-subtypes'; Cmdlet = 'New-LcCustomSubtype' }
        'update-custom-subtype'             = @{ Method = 'PUT'; Path = '/conversations/preferences/custom-subtypes/{id}'; Cmdlet = 'Set-LcCustomSubtype' }
        'get-contact-unsubscription-status' = @{ Method = 'GET'; Path = '/conversations/preferences/unsubscriptions/status'; Cmdlet = 'Get-LcContactSubscription' }
        'user-subscription-change'          = @{ Method = 'POST'; Path = '/conversations/preferences/unsubscriptions/user-change'; Cmdlet = 'Set-LcContactSubscription' }
        'get-email-by-id'                   = @{ Method = 'GET'; Path = '/conversations/messages/email/{id}'; Cmdlet = 'Get-LcEmailMessage' }
        'cancel-scheduled-email-message'    = @{ Method = 'DELETE'; Path = '/conversations/messages/email/{emailMessageId}/schedule'; Cmdlet = 'Stop-LcScheduledMessage' }
        'cancel-scheduled-message'          = @{ Method = 'DELETE'; Path = '/conversations/messages/{messageId}/schedule'; Cmdlet = 'Stop-LcScheduledMessage' }
        'export-messages-by-location'       = @{ Method = 'GET'; Path = '/conversations/messages/export'; Cmdlet = 'Get-LcMessage' }
        'get-message'                       = @{ Method = 'GET'; Path = '/conversations/messages/{id}'; Cmdlet = 'Get-LcMessage' }
        'get-messages'                      = @{ Method = 'GET'; Path = '/conversations/{conversationId}/messages'; Cmdlet = 'Get-LcMessage' }
        'send-a-new-message'                = @{ Method = 'POST'; Path = '/conversations/messages'; Cmdlet = 'Send-LcMessage' }
        'upload-file-attachments'           = @{ Method = 'POST'; Path = '/conversations/messages/upload'; Cmdlet = 'Send-LcMessage' }
        'initiate-file-upload'              = @{ Method = 'POST'; Path = '/conversations/messages/upload/initiate'; Cmdlet = 'Send-LcMessage' }
        'complete-file-upload'              = @{ Method = 'POST'; Path = '/conversations/messages/upload/complete'; Cmdlet = 'Send-LcMessage' }
        'add-an-inbound-message'            = @{ Method = 'POST'; Path = '/conversations/messages/inbound'; Cmdlet = 'Add-LcMessage' }
        'add-an-outbound-message'           = @{ Method = 'POST'; Path = '/conversations/messages/outbound'; Cmdlet = 'Add-LcMessage' }
        'send-review-reply'                 = @{ Method = 'POST'; Path = '/conversations/messages/review-reply'; Cmdlet = 'Send-LcReviewReply' }
        'update-message-status'             = @{ Method = 'PUT'; Path = '/conversations/messages/{messageId}/status'; Cmdlet = 'Set-LcMessage' }
        'add-message-attachments'           = @{ Method = 'PUT'; Path = '/conversations/messages/{messageId}/attachments'; Cmdlet = 'Set-LcMessage' }
        'get-message-recording'             = @{ Method = 'GET'; Path = '/conversations/messages/{messageId}/locations/{locationId}/recording'; Cmdlet = 'Save-LcMessageRecording' }
        'get-message-transcription'         = @{ Method = 'GET'; Path = '/conversations/locations/{locationId}/messages/{messageId}/transcription'; Cmdlet = 'Get-LcMessageTranscription' }
        'download-message-transcription'    = @{ Method = 'GET'; Path = '/conversations/locations/{locationId}/messages/{messageId}/transcription/download'; Cmdlet = 'Get-LcMessageTranscription' }
        'live-chat-agent-typing'            = @{ Method = 'POST'; Path = '/conversations/providers/live-chat/typing'; Cmdlet = 'Send-LcTypingIndicator' }
    }

    function Get-ContractOperations([string] $Path) {
        $spec = Get-Content -LiteralPath $Path -Raw -Encoding UTF8 | ConvertFrom-Json
        foreach ($p in $spec.paths.PSObject.Properties) {
            foreach ($op in $p.Value.PSObject.Properties) {
                if ($op.Name -in 'get', 'put', 'post', 'delete', 'patch') { '{0} {1} {2}' -f $op.Value.operationId, $op.Name.ToUpperInvariant(), $p.Name }
            }
        }
    }
}

Describe 'API coverage of conversations.json' {
    It 'the file has the 29 operations the table names, no more and no fewer' {
        $inFile = @(Get-ContractOperations $contractPath | ForEach-Object { ($_ -split ' ')[0] } | Sort-Object)
        $inFile.Count | Should -Be 29
        ($inFile -join ',') | Should -Be (@($Coverage.Keys | Sort-Object) -join ',')
    }

    It '<OperationId> (<Method> <Path>) is in the table with the same method and path' -TestCases $operationCases {
        $Coverage.ContainsKey($OperationId) | Should -BeTrue -Because "every operation of the file needs a cmdlet in the table"
        $Coverage[$OperationId].Method | Should -Be $Method
        $Coverage[$OperationId].Path | Should -Be $Path
    }

    It '<OperationId> is reached by a cmdlet the module exports' -TestCases $operationCases {
        $cmdlet = $Coverage[$OperationId].Cmdlet
        $exported | Should -Contain $cmdlet -Because "$cmdlet calls $Method $Path"
    }
}

Describe 'The contract copy' {
    It 'has the same text as ../shared/api/openapi/conversations.json' -Skip:$noShared {
        # Line endings aside (a checkout may convert them), the copy is the contract's file unchanged.
        $copy = (Get-Content -LiteralPath $contractPath -Raw -Encoding UTF8) -replace "`r`n", "`n"
        $source = (Get-Content -LiteralPath $sharedPath -Raw -Encoding UTF8) -replace "`r`n", "`n"
        $copy -ceq $source | Should -BeTrue -Because 'tests/contract/conversations.json must be refreshed when the contract changes'
    }

    It 'says where it came from' {
        Get-Content -LiteralPath (Join-Path $PSScriptRoot 'contract/README.md') -Raw | Should -Match 'shared/api/openapi/conversations.json'
    }
}
