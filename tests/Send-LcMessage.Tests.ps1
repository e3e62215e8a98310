BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    $BaseUri = Initialize-TestSession

    function Get-SendRequests { @(Get-EmulatorRequests -Method POST -PathPrefix '/conversations/messages') }
}

AfterAll {
    if (Get-Command -Name Complete-TestSession -ErrorAction SilentlyContinue) { Complete-TestSession }
}

Describe 'Send-LcMessage' {
    BeforeEach {
        Reset-Emulator
        Disconnect-Lc
        $null = Connect-TestLc -Tenant alpha
    }

    It 'sends an SMS and returns a typed SendResult' {
        $r = Send-LcMessage -ContactId contact-a003 -Type SMS -Message 'Hello there'

        $r.PSObject.TypeNames[0] | Should -Be 'LeadConnector.SendResult'
        $r.PSObject.BaseObject.GetType().FullName | Should -Be 'LeadConnector.SendResult'
        $r.MessageId | Should -Not -BeNullOrEmpty
        $r.ConversationId | Should -Be 'conv-a003'
        $r.MessageIds | Should -Contain $r.MessageId
        $r.Message | Should -Match 'queued'
        $r.Status | Should -Be 'pending'
        $body = Get-RequestBody -Request (Get-SendRequests)[0]
        $body.type | Should -Be 'SMS'
        $body.contactId | Should -Be 'contact-a003'
        $body.message | Should -Be 'Hello there'
        (Get-LcMessage -Id $r.MessageId).Body | Should -Be 'Hello there'
    }

    It 'sends the type <Given> in the API''s spelling <Sent>' -TestCases @(
        @{ Given = 'sms'; Sent = 'SMS' }, @{ Given = 'whatsapp'; Sent = 'WhatsApp' }, @{ Given = 'LIVE_CHAT'; Sent = 'Live_Chat' },
        @{ Given = 'ig'; Sent = 'IG' }, @{ Given = 'custom'; Sent = 'Custom' }, @{ Given = 'fb'; Sent = 'FB' }
    ) {
        $null = Send-LcMessage -ContactId contact-a004 -Type $Given -Message 'hi'
        (Get-RequestBody -Request (Get-SendRequests)[0]).type | Should -Be $Sent
    }

    It 'completes -Type with the send types' {
        $line = 'Send-LcMessage -ContactId x -Type Wh'
        (TabExpansion2 -inputScript $line -cursorColumn $line.Length).CompletionMatches.CompletionText | Should -Contain 'WhatsApp'
    }

    It 'sends an Email with subject, html, recipients and attachments' {
        $r = Send-LcMessage -ContactId contact-a005 -Type Email -Subject 'Quote' -Html '<p>Hi</p>' -EmailTo 'a@example.com' `
            -EmailCc 'c1@example.com', 'c2@example.com' -EmailBcc 'b@example.com' -EmailFrom 'desk@example.com' `
            -Attachments 'https://files.example.com/q.pdf' -ReplyMessageId email-a005

        $r.EmailMessageId | Should -Be $r.MessageId
        $body = Get-RequestBody -Request (Get-SendRequests)[0]
        $body.type | Should -Be 'Email'
        $body.subject | Should -Be 'Quote'
        $body.html | Should -Be '<p>Hi</p>'
        $body.emailTo | Should -Be 'a@example.com'
        @($body.emailCc) -join ',' | Should -Be 'c1@example.com,c2@example.com'
        @($body.emailBcc) | Should -Be 'b@example.com'
        $body.emailFrom | Should -Be 'desk@example.com'
        @($body.attachments) | Should -Be 'https://files.example.com/q.pdf'
        $body.replyMessageId | Should -Be 'email-a005'
    }

    It 'sends -ScheduledAt as scheduledTimestamp in epoch seconds, UTC (a date without kind is local time)' {
        $at = [DateTime]::SpecifyKind([DateTime]::Now.AddDays(2), [DateTimeKind]::Unspecified)
        $r = Send-LcMessage -ContactId contact-a006 -Type SMS -Message 'later' -ScheduledAt $at

        $r.Message | Should -Match 'scheduled'
        $body = Get-RequestBody -Request (Get-SendRequests)[0]
        $expected = ([DateTimeOffset] [DateTime]::SpecifyKind($at, [DateTimeKind]::Local)).ToUnixTimeSeconds()
        [long] $body.scheduledTimestamp | Should -Be $expected
    }

    Context 'Refusals: nothing is sent' {
        It 'refuses <Name> with <ErrorId>' -TestCases @(
            @{ Name = 'an Email without subject'; ErrorId = 'InvalidMessage'; Params = @{ Type = 'Email'; Html = '<p>x</p>' } }
            @{ Name = 'an Email without html or message'; ErrorId = 'InvalidMessage'; Params = @{ Type = 'Email'; Subject = 'x' } }
            @{ Name = 'an SMS without a message'; ErrorId = 'InvalidMessage'; Params = @{ Type = 'SMS' } }
            @{ Name = 'an SMS with an empty message'; ErrorId = 'InvalidMessage'; Params = @{ Type = 'SMS'; Message = '' } }
            @{ Name = 'a -ScheduledAt in the past'; ErrorId = 'InvalidMessage'; Params = @{ Type = 'SMS'; Message = 'x'; ScheduledAt = [DateTime]::Now.AddMinutes(-5) } }
            @{ Name = 'an attachment that is not a URL'; ErrorId = 'InvalidMessage'; Params = @{ Type = 'SMS'; Message = 'x'; Attachments = 'C:\file.pdf' } }
            @{ Name = 'a subject on an SMS'; ErrorId = 'InvalidMessage'; Params = @{ Type = 'SMS'; Message = 'x'; Subject = 's' } }
            @{ Name = 'a malformed contact id'; ErrorId = 'InvalidId'; Params = @{ Type = 'SMS'; Message = 'x'; ContactId = '../contacts' } }
            @{ Name = 'a malformed reply message id'; ErrorId = 'InvalidId'; Params = @{ Type = 'SMS'; Message = 'x'; ReplyMessageId = 'a/b' } }
        ) {
            if (-not $Params.ContainsKey('ContactId')) { $Params.ContactId = 'contact-a007' }
            $r = Send-LcMessage @Params -ErrorVariable lcErr -ErrorAction SilentlyContinue

            $r | Should -BeNullOrEmpty
            Assert-LcError $lcErr -ErrorId $ErrorId -Category InvalidArgument
            "$($lcErr[0])" | Should -Match 'Nothing was sent|nothing was sent'
            @(Get-EmulatorRequests).Count | Should -Be 0
        }

        It 'refuses an unknown -Type at binding' {
            { Send-LcMessage -ContactId contact-a007 -Type Pigeon -Message x -ErrorAction Stop } | Should -Throw -ErrorId 'ParameterArgumentValidationError*'
            @(Get-EmulatorRequests).Count | Should -Be 0
        }

        It 'sends nothing with -WhatIf' {
            $r = Send-LcMessage -ContactId contact-a007 -Type SMS -Message x -WhatIf
            $r | Should -BeNullOrEmpty
            @(Get-EmulatorRequests).Count | Should -Be 0
        }
    }

    Context 'API errors and retries' {
        It 'reports a 422 from the API with all of its messages' {
            Set-EmulatorFault -Method POST -PathPrefix '/conversations/messages' -Kind Status -StatusCode 422 -Count 1 -ContentType 'application/json' `
                -Body '{"statusCode":422,"message":["message too long","contactId is blocked"],"error":"Unprocessable Entity"}'
            $null = Send-LcMessage -ContactId contact-a008 -Type SMS -Message x -ErrorVariable lcErr -ErrorAction SilentlyContinue
            Assert-LcError $lcErr -ErrorId ApiInvalidRequest -Category InvalidArgument
            "$($lcErr[0])" | Should -Match 'message too long'
            "$($lcErr[0])" | Should -Match 'contactId is blocked'
            (Get-SendRequests).Count | Should -Be 1
        }

        It 'does not resend after a 503 answered after processing' {
            Set-EmulatorFault -Method POST -PathPrefix '/conversations/messages' -Kind Status -StatusCode 503 -Stage AfterProcessing -Count 1
            $before = @(Get-LcMessage -ConversationId conv-a009 -All).Count
            $null = Send-LcMessage -ContactId contact-a009 -Type SMS -Message 'once' -ErrorVariable lcErr -ErrorAction SilentlyContinue

            Assert-LcError $lcErr -ErrorId ApiServerError
            (Get-SendRequests).Count | Should -Be 1
            @(Get-LcMessage -ConversationId conv-a009 -All).Count | Should -Be ($before + 1)
        }

        It 'does not resend after the connection drops after processing' {
            Set-EmulatorFault -Method POST -PathPrefix '/conversations/messages' -Kind DropConnection -Stage AfterProcessing -Count 1
            $before = @(Get-LcMessage -ConversationId conv-a010 -All).Count
            $null = Send-LcMessage -ContactId contact-a010 -Type SMS -Message 'once' -ErrorVariable lcErr -ErrorAction SilentlyContinue

            @($lcErr).Count | Should -Be 1
            (Get-SendRequests).Count | Should -Be 1
            @(Get-LcMessage -ConversationId conv-a010 -All).Count | Should -Be ($before + 1)
        }

        It 'retries a 429 (the request did not reach the application) and sends once' {
            Set-EmulatorFault -Method POST -PathPrefix '/conversations/messages' -Kind RateLimited -Count 1 -Headers @{ 'Retry-After' = '1' }
            $before = @(Get-LcMessage -ConversationId conv-a011 -All).Count
            $r = Send-LcMessage -ContactId contact-a011 -Type SMS -Message 'after 429'

            $r.MessageId | Should -Not -BeNullOrEmpty
            (Get-SendRequests).Count | Should -Be 2
            @(Get-LcMessage -ConversationId conv-a011 -All).Count | Should -Be ($before + 1)
        }
    }
}
