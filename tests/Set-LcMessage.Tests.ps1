BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    $BaseUri = Initialize-TestSession

    function Get-PutRequests { @(Get-EmulatorRequests -Method PUT) }

    # An external outbound call (the kind whose attachments the API lets a provider set).
    function New-ExternalCall {
        Add-LcMessage -Direction Outbound -ConversationId conv-a040 -ConversationProviderId prov-test -Call @{ From = '+15550001'; To = '+15550002'; Status = 'completed' }
    }
}

AfterAll {
    if (Get-Command -Name Complete-TestSession -ErrorAction SilentlyContinue) { Complete-TestSession }
}

Describe 'Set-LcMessage' {
    BeforeEach {
        Reset-Emulator
        Disconnect-Lc
        $null = Connect-TestLc -Tenant alpha
    }

    Context 'Status' {
        It 'sends PUT /conversations/messages/{id}/status with the status in the API''s spelling, and outputs nothing' {
            $out = Set-LcMessage -Id msg-conv-a002-000 -Status DELIVERED

            $out | Should -BeNullOrEmpty
            $put = Get-PutRequests
            $put.Count | Should -Be 1
            $put[0].path | Should -Be '/conversations/messages/msg-conv-a002-000/status'
            (Get-RequestHeader -Request $put[0] -Name 'Content-Type') | Should -Match 'application/json'
            $body = Get-RequestBody -Request $put[0]
            $body.status | Should -Be 'delivered'
            @($body.PSObject.Properties.Name) | Should -Be @('status')
            (Get-LcMessage -Id msg-conv-a002-000).Status | Should -Be 'delivered'
        }

        It 'sends every field of the status body: error { code, type, message }, emailMessageId, recipients' {
            Set-LcMessage -Id email-conv-a001-000 -Status failed -ErrorCode 30003 -ErrorType saas -ErrorMessage 'Unreachable handset' `
                -EmailMessageId email-conv-a001-000 -Recipient 'a@example.com', 'b@example.com'

            $body = Get-RequestBody -Request (Get-PutRequests)[0]
            $body.status | Should -Be 'failed'
            $body.error.code | Should -Be '30003'
            $body.error.type | Should -Be 'saas'
            $body.error.message | Should -Be 'Unreachable handset'
            $body.emailMessageId | Should -Be 'email-conv-a001-000'
            @($body.recipients) -join ',' | Should -Be 'a@example.com,b@example.com'
        }

        It 'returns the message as it is now with -PassThru' {
            $m = Set-LcMessage -Id msg-conv-a002-000 -Status read -PassThru
            $m.PSObject.TypeNames[0] | Should -Be 'LeadConnector.Message'
            $m.Id | Should -Be 'msg-conv-a002-000'
            $m.Status | Should -Be 'read'
        }

        It 'takes a message, or a SendResult, from the pipeline by its id' {
            Get-LcMessage -Id msg-conv-a003-000 | Set-LcMessage -Status read
            $sent = Send-LcMessage -ContactId contact-a004 -Type SMS -Message 'hi'
            $sent | Set-LcMessage -Status delivered
            $paths = (Get-PutRequests).path
            $paths | Should -Be @('/conversations/messages/msg-conv-a003-000/status', "/conversations/messages/$($sent.MessageId)/status")
            # A SendResult's own Status never becomes the status sent.
            (Get-RequestBody -Request (Get-PutRequests)[1]).status | Should -Be 'delivered'
        }

        It 'writes ApiNotFound for a missing message and goes on' {
            'msg-missing', 'msg-conv-a002-000' | Set-LcMessage -Status read -ErrorVariable lcErr -ErrorAction SilentlyContinue
            Assert-LcError $lcErr -ErrorId ApiNotFound
            (Get-PutRequests).Count | Should -Be 2
        }
    }

    Context 'Attachments' {
        It 'sends PUT /conversations/messages/{id}/attachments with the URLs (they replace the old ones)' {
            $call = New-ExternalCall
            Set-LcMessage -Id $call.MessageId -AttachmentUrl 'https://files.example.com/call-1.mp3', 'https://files.example.com/call-1.txt'

            $put = Get-PutRequests
            $put.Count | Should -Be 1
            $put[0].path | Should -Be "/conversations/messages/$($call.MessageId)/attachments"
            @((Get-RequestBody -Request $put[0]).attachments) -join ',' | Should -Be 'https://files.example.com/call-1.mp3,https://files.example.com/call-1.txt'
            @((Get-LcMessage -Id $call.MessageId).Attachments) | Should -Be @('https://files.example.com/call-1.mp3', 'https://files.example.com/call-1.txt')
        }

        It 'accepts 5 URLs' {
            $call = New-ExternalCall
            Set-LcMessage -Id $call.MessageId -AttachmentUrl (1..5 | ForEach-Object { "https://files.example.com/$_.mp3" })
            @((Get-RequestBody -Request (Get-PutRequests)[0]).attachments).Count | Should -Be 5
        }

        It 'sends the status first, then the attachments, when both are given' {
            $call = New-ExternalCall
            Set-LcMessage -Id $call.MessageId -Status delivered -AttachmentUrl 'https://files.example.com/a.mp3'
            (Get-PutRequests).path | Should -Be @("/conversations/messages/$($call.MessageId)/status", "/conversations/messages/$($call.MessageId)/attachments")
        }

        It 'writes ApiForbidden when the message type takes no attachments (an SMS)' {
            Set-LcMessage -Id msg-conv-a002-000 -AttachmentUrl 'https://files.example.com/a.mp3' -ErrorVariable lcErr -ErrorAction SilentlyContinue
            Assert-LcError $lcErr -ErrorId ApiForbidden -Category PermissionDenied
        }
    }

    Context 'Refusals: nothing is sent' {
        It 'refuses <Name> with <ErrorId>' -TestCases @(
            @{ Name = 'six attachment URLs'; ErrorId = 'InvalidAttachment'; Params = @{ AttachmentUrl = (1..6 | ForEach-Object { "https://files.example.com/$_.mp3" }) } }
            @{ Name = 'an attachment that is not a URL'; ErrorId = 'InvalidAttachment'; Params = @{ AttachmentUrl = 'C:\calls\a.mp3' } }
            @{ Name = 'an error without its code and type'; ErrorId = 'InvalidMessageStatus'; Params = @{ Status = 'failed'; ErrorMessage = 'x' } }
            @{ Name = 'error fields without -Status'; ErrorId = 'InvalidMessageStatus'; Params = @{ Recipient = 'a@example.com' } }
            @{ Name = 'a malformed id'; ErrorId = 'InvalidId'; Params = @{ Id = 'a/b'; Status = 'read' } }
        ) {
            if (-not $Params.ContainsKey('Id')) { $Params.Id = 'msg-conv-a002-000' }
            Set-LcMessage @Params -ErrorVariable lcErr -ErrorAction SilentlyContinue
            Assert-LcError $lcErr -ErrorId $ErrorId -Category InvalidArgument
            @(Get-EmulatorRequests).Count | Should -Be 0
        }

        It 'refuses a status the API does not take (parameter validation)' {
            { Set-LcMessage -Id msg-conv-a002-000 -Status sent -ErrorAction Stop } | Should -Throw -ErrorId 'ParameterArgumentValidationError*'
            @(Get-EmulatorRequests).Count | Should -Be 0
        }

        It 'refuses a call with nothing to set (NothingToUpdate)' {
            { Set-LcMessage -Id msg-conv-a002-000 -ErrorAction Stop } | Should -Throw -ErrorId 'NothingToUpdate*'
            @(Get-EmulatorRequests).Count | Should -Be 0
        }

        It 'sends nothing with -WhatIf' {
            Set-LcMessage -Id msg-conv-a002-000 -Status read -AttachmentUrl 'https://files.example.com/a.mp3' -WhatIf
            @(Get-EmulatorRequests).Count | Should -Be 0
        }
    }
}
