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

    Context 'Every field of SendMessageBodyDto' {
        It 'sends the phone-channel fields under their API names and returns the status' {
            $r = Send-LcMessage -ContactId contact-a003 -Type SMS -Message 'hi' -FromNumber '+1 499 499 299' -ToNumber '+1439499299' `
                -ThreadId thread-1 -TemplateId template-7 -AppointmentId appt-3 -ConversationProviderId provider-9 -SubType 'SMS' -Status Delivered

            $r.Status | Should -Be 'delivered'
            $body = Get-RequestBody -Request (Get-SendRequests)[0]
            $body.fromNumber | Should -Be '+1 499 499 299'
            $body.toNumber | Should -Be '+1439499299'
            $body.threadId | Should -Be 'thread-1'
            $body.templateId | Should -Be 'template-7'
            $body.appointmentId | Should -Be 'appt-3'
            $body.conversationProviderId | Should -Be 'provider-9'
            $body.subType | Should -Be 'SMS'
            $body.status | Should -Be 'delivered' -Because 'the API spelling goes out, whatever the case given'
        }

        It 'sends the email fields: reply mode, custom subtype, the native scheduling AI and its window' {
            $at = [DateTime]::UtcNow.AddDays(1)
            $null = Send-LcMessage -ContactId contact-a005 -Type Email -Subject 'S' -Html '<p>x</p>' -EmailTo ' one@example.com ' `
                -EmailReplyMode Reply_All -CustomSubtypeId subtype-1 -UsesNativeSchedulingAi -OptimizationPeriod 48H -ScheduledAt $at

            $body = Get-RequestBody -Request (Get-SendRequests)[0]
            $body.emailTo | Should -BeOfType [string]
            $body.emailTo | Should -Be 'one@example.com'
            $body.emailReplyMode | Should -Be 'reply_all'
            $body.customSubtypeId | Should -Be 'subtype-1'
            $body.usesNativeSchedulingAi | Should -BeTrue
            $body.optimizationPeriod | Should -Be '48h'
        }

        It 'sends usesNativeSchedulingAi false only when asked, and none of the new fields when not given' {
            $null = Send-LcMessage -ContactId contact-a005 -Type Email -Subject 'S' -Html 'x' -UsesNativeSchedulingAi:$false
            $null = Send-LcMessage -ContactId contact-a006 -Type SMS -Message 'plain'

            $requests = Get-SendRequests
            (Get-RequestBody -Request $requests[0]).usesNativeSchedulingAi | Should -BeFalse
            $names = (Get-RequestBody -Request $requests[1]).PSObject.Properties.Name
            ($names | Sort-Object) -join ',' | Should -Be 'contactId,message,type'
        }

        It 'forwards an email and returns the typed forwardData' {
            $r = Send-LcMessage -ContactId contact-a005 -Type Email -Forward @{ MessageId = 'msg-source-1'; EmailMessageId = 'email-a005'; ToEmail = 'fwd@example.com' }

            $body = Get-RequestBody -Request (Get-SendRequests)[0]
            $body.forward.isForwarded | Should -BeTrue
            $body.forward.messageId | Should -Be 'msg-source-1'
            $body.forward.emailMessageId | Should -Be 'email-a005'
            $body.forward.toEmail | Should -Be 'fwd@example.com'
            $body.PSObject.Properties.Name | Should -Not -Contain 'subject'
            $r.ForwardData.GetType().FullName | Should -Be 'LeadConnector.ForwardData'
            $r.ForwardData.ForwardToEmail | Should -Be 'fwd@example.com'
            $r.ForwardData.EmailMessageId | Should -Be 'email-a005'
            $r.ForwardData.ForwardWholeThread | Should -BeFalse
        }

        It 'refuses <Name> before sending' -TestCases @(
            @{ Name = 'two addresses in -EmailTo (comma)'; ErrorId = 'InvalidMessage'; Pattern = '-EmailCc'; Params = @{ Type = 'Email'; Subject = 's'; Html = 'x'; EmailTo = 'a@example.com,b@example.com' } }
            @{ Name = 'two addresses in -EmailTo (semicolon)'; ErrorId = 'InvalidMessage'; Pattern = 'one address'; Params = @{ Type = 'Email'; Subject = 's'; Html = 'x'; EmailTo = 'a@example.com; b@example.com' } }
            @{ Name = 'two addresses in -EmailTo (space)'; ErrorId = 'InvalidMessage'; Pattern = 'one address'; Params = @{ Type = 'Email'; Subject = 's'; Html = 'x'; EmailTo = 'a@example.com b@example.com' } }
            @{ Name = '-EmailReplyMode on an SMS'; ErrorId = 'InvalidMessage'; Pattern = '-EmailReplyMode'; Params = @{ Type = 'SMS'; Message = 'x'; EmailReplyMode = 'reply' } }
            @{ Name = '-CustomSubtypeId on an SMS'; ErrorId = 'InvalidMessage'; Pattern = '-CustomSubtypeId'; Params = @{ Type = 'SMS'; Message = 'x'; CustomSubtypeId = 'st1' } }
            @{ Name = '-FromNumber on an Email'; ErrorId = 'InvalidMessage'; Pattern = '-FromNumber'; Params = @{ Type = 'Email'; Subject = 's'; Html = 'x'; FromNumber = '+1555' } }
            @{ Name = 'a -ToNumber with letters'; ErrorId = 'InvalidMessage'; Pattern = 'phone number'; Params = @{ Type = 'SMS'; Message = 'x'; ToNumber = '+1555CALLME' } }
            @{ Name = '-OptimizationPeriod without -UsesNativeSchedulingAi'; ErrorId = 'InvalidMessage'; Pattern = '-UsesNativeSchedulingAi'; Params = @{ Type = 'Email'; Subject = 's'; Html = 'x'; OptimizationPeriod = '24h' } }
            @{ Name = '-Forward without MessageId'; ErrorId = 'InvalidMessage'; Pattern = 'MessageId'; Params = @{ Type = 'Email'; Forward = @{ ToEmail = 'f@example.com'; EmailMessageId = 'e1' } } }
            @{ Name = '-Forward of one email without EmailMessageId'; ErrorId = 'InvalidMessage'; Pattern = 'EmailMessageId'; Params = @{ Type = 'Email'; Forward = @{ MessageId = 'm1'; ToEmail = 'f@example.com' } } }
            @{ Name = '-Forward without a destination'; ErrorId = 'InvalidMessage'; Pattern = 'ToEmail'; Params = @{ Type = 'Email'; Forward = @{ MessageId = 'm1'; ForwardWholeThread = $true } } }
            @{ Name = 'a malformed -TemplateId'; ErrorId = 'InvalidId'; Pattern = 'template id'; Params = @{ Type = 'SMS'; Message = 'x'; TemplateId = 'a/b' } }
            @{ Name = 'a malformed -ThreadId'; ErrorId = 'InvalidId'; Pattern = 'thread id'; Params = @{ Type = 'SMS'; Message = 'x'; ThreadId = 'a?b' } }
        ) {
            $Params.ContactId = 'contact-a007'
            $r = Send-LcMessage @Params -ErrorVariable lcErr -ErrorAction SilentlyContinue

            $r | Should -BeNullOrEmpty
            Assert-LcError $lcErr -ErrorId $ErrorId -Category InvalidArgument
            "$($lcErr[0])" | Should -Match ([regex]::Escape($Pattern))
            "$($lcErr[0])" | Should -Match 'Nothing was sent|nothing was sent'
            @(Get-EmulatorRequests).Count | Should -Be 0
        }

        It 'refuses an unknown <Parameter> at binding' -TestCases @(
            @{ Parameter = 'Status'; Value = 'sent' }
            @{ Parameter = 'EmailReplyMode'; Value = 'forward' }
            @{ Parameter = 'OptimizationPeriod'; Value = '12h' }
        ) {
            $splat = @{ ContactId = 'contact-a007'; Type = 'SMS'; Message = 'x'; $Parameter = $Value }
            { Send-LcMessage @splat -ErrorAction Stop } | Should -Throw -ErrorId 'ParameterArgumentValidationError*'
            @(Get-EmulatorRequests).Count | Should -Be 0
        }

        It 'refuses an array given to -EmailTo at binding (one address: the others go in -EmailCc)' {
            { Send-LcMessage -ContactId contact-a007 -Type Email -Subject s -Html x -EmailTo 'a@example.com', 'b@example.com' -ErrorAction Stop } |
                Should -Throw -ErrorId 'CannotConvertArgument*'
            @(Get-EmulatorRequests).Count | Should -Be 0
        }

        It 'refuses an unknown key in -Forward at binding' {
            { Send-LcMessage -ContactId contact-a007 -Type Email -Forward @{ MessageId = 'm1'; Bogus = 1 } -ErrorAction Stop } |
                Should -Throw -ErrorId 'CannotConvertArgument*'
            @(Get-EmulatorRequests).Count | Should -Be 0
        }

        It 'the emulator refuses emailTo as an array, as the API does (raw request)' {
            $body = @{ type = 'Email'; contactId = 'contact-a005'; subject = 's'; html = 'x'; emailTo = @('a@example.com', 'b@example.com') }
            { Invoke-LcRequest -Method POST -Path 'conversations/messages' -Body $body -ErrorAction Stop } | Should -Throw '*emailTo must be a string*'
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

    It 'says "An SMS" and "A WhatsApp" message needs text, and sends nothing' {
        $null = Send-LcMessage -ContactId contact-a001 -Type SMS -ErrorVariable smsErr -ErrorAction SilentlyContinue -Confirm:$false
        $null = Send-LcMessage -ContactId contact-a001 -Type WhatsApp -ErrorVariable waErr -ErrorAction SilentlyContinue -Confirm:$false
        "$smsErr" | Should -Match '^An SMS message needs text'
        "$waErr" | Should -Match '^A WhatsApp message needs text'
        @(Get-EmulatorRequests -Method POST).Count | Should -Be 0
    }
}
