BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    $BaseUri = Initialize-TestSession

    function Get-AddRequests { @(Get-EmulatorRequests -Method POST -PathPrefix '/conversations/messages/') | Where-Object { $_.path -match '/(inbound|outbound)$' } }
}

AfterAll {
    if (Get-Command -Name Complete-TestSession -ErrorAction SilentlyContinue) { Complete-TestSession }
}

Describe 'Add-LcMessage' {
    BeforeEach {
        Reset-Emulator
        Disconnect-Lc
        $null = Connect-TestLc -Tenant alpha
    }

    It 'adds an inbound SMS with POST /conversations/messages/inbound and returns a typed AddMessageResult' {
        $r = Add-LcMessage -Direction Inbound -Type sms -ConversationId conv-a040 -ContactId contact-a040 -ConversationProviderId prov-1 `
            -Message 'Can I come at 3?' -Date ([DateTimeOffset]::Parse('2023-05-01T10:00:00Z').UtcDateTime) -AltId ext-001

        $r.PSObject.TypeNames[0] | Should -Be 'LeadConnector.AddMessageResult'
        $r.Success | Should -BeTrue
        $r.ConversationId | Should -Be 'conv-a040'
        $r.ContactId | Should -Be 'contact-a040'
        $r.DateAdded | Should -Be ([DateTimeOffset]::Parse('2023-05-01T10:00:00Z'))
        $sent = @(Get-AddRequests)
        $sent.Count | Should -Be 1
        $sent[0].path | Should -Be '/conversations/messages/inbound'
        $body = Get-RequestBody -Request $sent[0]
        $body.type | Should -Be 'SMS'
        $body.conversationId | Should -Be 'conv-a040'
        $body.contactId | Should -Be 'contact-a040'
        $body.conversationProviderId | Should -Be 'prov-1'
        $body.message | Should -Be 'Can I come at 3?'
        $body.altId | Should -Be 'ext-001'
        [string] $sent[0].body | Should -Match '"date":"2023-05-01T10:00:00.000Z"'
        $m = Get-LcMessage -Id $r.MessageId
        $m.Direction | Should -Be 'inbound'
        $m.Body | Should -Be 'Can I come at 3?'
    }

    It 'adds an inbound email with every email field' {
        $r = Add-LcMessage -Direction Inbound -Type email -ConversationId conv-a040 -ContactId contact-a040 -ConversationProviderId prov-1 `
            -Subject 'Re: visit' -Html '<p>Thursday works</p>' -EmailFrom 'isaac@example.com' -EmailTo 'desk@example.com' `
            -EmailCc 'c1@example.com', 'c2@example.com' -EmailBcc 'b@example.com' -EmailMessageId email-sched-a040 -Attachment 'https://files.example.com/x.pdf'

        $r.EmailMessageId | Should -Not -BeNullOrEmpty
        $body = Get-RequestBody -Request (Get-AddRequests)[0]
        $body.type | Should -Be 'Email'
        $body.subject | Should -Be 'Re: visit'
        $body.html | Should -Be '<p>Thursday works</p>'
        $body.emailFrom | Should -Be 'isaac@example.com'
        $body.emailTo | Should -Be 'desk@example.com'
        @($body.emailCc) -join ',' | Should -Be 'c1@example.com,c2@example.com'
        @($body.emailBcc) | Should -Be 'b@example.com'
        $body.emailMessageId | Should -Be 'email-sched-a040'
        @($body.attachments) | Should -Be 'https://files.example.com/x.pdf'
    }

    It 'adds an outbound call with POST /conversations/messages/outbound: type Call by default, -Call from a hashtable' {
        $r = Add-LcMessage -Direction Outbound -ConversationId conv-a040 -ConversationProviderId prov-1 `
            -Call @{ From = '+15550001'; To = '+15550002'; Status = 'No-Answer' }

        $sent = (Get-AddRequests)[0]
        $sent.path | Should -Be '/conversations/messages/outbound'
        $body = Get-RequestBody -Request $sent
        $body.type | Should -Be 'Call'
        $body.call.from | Should -Be '+15550001'
        $body.call.to | Should -Be '+15550002'
        $body.call.status | Should -Be 'no-answer'
        @($body.PSObject.Properties.Name | Sort-Object) -join ',' | Should -Be 'call,conversationId,conversationProviderId,type'
        (Get-LcMessage -Id $r.MessageId).MessageType | Should -Be 'TYPE_CALL'
    }

    It 'takes -Call as a typed LeadConnector.CallData too' {
        # The engine's types live in the module's own load context: reach the type through the parameter.
        $type = (Get-Command Add-LcMessage).Parameters['Call'].ParameterType
        $type.FullName | Should -Be 'LeadConnector.CallData'
        $call = $type::new()
        $call.From = '+1555'; $call.To = '+1666'; $call.Status = 'completed'
        $null = Add-LcMessage -Direction Inbound -Type Call -ConversationId conv-a040 -ContactId contact-a040 -ConversationProviderId p -Call $call
        (Get-RequestBody -Request (Get-AddRequests)[0]).call.status | Should -Be 'completed'
    }

    It 'imports history from a CSV: Import-Csv | Add-LcMessage binds every column by name, one POST per row, in order' {
        $csv = Join-Path $TestDrive 'history.csv'
        @(
            [pscustomobject]@{ Type = 'SMS'; ConversationId = 'conv-a040'; ContactId = 'contact-a040'; ConversationProviderId = 'old-crm'; Message = 'first'; Date = '2022-01-05T09:00:00Z'; AltId = 'old-1' }
            [pscustomobject]@{ Type = 'SMS'; ConversationId = 'conv-a040'; ContactId = 'contact-a040'; ConversationProviderId = 'old-crm'; Message = 'second'; Date = '2022-01-05T09:05:00Z'; AltId = 'old-2' }
            [pscustomobject]@{ Type = 'WhatsApp'; ConversationId = 'conv-a041'; ContactId = 'contact-a041'; ConversationProviderId = 'old-crm'; Message = 'third'; Date = '2022-01-06T12:30:00Z'; AltId = 'old-3' }
        ) | Export-Csv -LiteralPath $csv -NoTypeInformation

        $results = @(Import-Csv -LiteralPath $csv | Add-LcMessage -Direction Inbound)

        $results.Count | Should -Be 3
        $sent = @(Get-AddRequests)
        $sent.Count | Should -Be 3
        # The rows are sent concurrently: the server may see them in any order, so they are put back in row order by
        # their altId; each row is one POST with its own columns. The output keeps the input order.
        $sent = @($sent | Sort-Object { (Get-RequestBody -Request $_).altId })
        $bodies = $sent | ForEach-Object { Get-RequestBody -Request $_ }
        ($bodies.altId -join ',') | Should -Be 'old-1,old-2,old-3'
        ($bodies.message -join ',') | Should -Be 'first,second,third'
        ($bodies.type -join ',') | Should -Be 'SMS,SMS,WhatsApp'
        ($sent | ForEach-Object { ([string] $_.body) -replace '.*"date":"([^"]+)".*', '$1' }) -join ',' |
            Should -Be '2022-01-05T09:00:00.000Z,2022-01-05T09:05:00.000Z,2022-01-06T12:30:00.000Z'
        ($results.ConversationId -join ',') | Should -Be 'conv-a040,conv-a040,conv-a041'
    }

    It 'takes -Direction from the CSV too, and writes a refused row''s error without stopping the others' {
        $csv = Join-Path $TestDrive 'mixed.csv'
        @(
            [pscustomobject]@{ Direction = 'Inbound'; Type = 'SMS'; ConversationId = 'conv-a040'; ContactId = 'contact-a040'; ConversationProviderId = 'p'; Message = 'ok 1' }
            [pscustomobject]@{ Direction = 'Inbound'; Type = 'Fax'; ConversationId = 'conv-a040'; ContactId = 'contact-a040'; ConversationProviderId = 'p'; Message = 'bad type' }
            [pscustomobject]@{ Direction = 'Inbound'; Type = 'SMS'; ConversationId = 'conv-a040'; ContactId = 'contact-a040'; ConversationProviderId = 'p'; Message = 'ok 2' }
        ) | Export-Csv -LiteralPath $csv -NoTypeInformation

        $results = @(Import-Csv -LiteralPath $csv | Add-LcMessage -ErrorVariable lcErr -ErrorAction SilentlyContinue)

        $results.Count | Should -Be 2
        Assert-LcError $lcErr -ErrorId InvalidMessage -Category InvalidArgument
        "$($lcErr[0])" | Should -Match 'Fax'
        ((Get-AddRequests) | ForEach-Object { (Get-RequestBody -Request $_).message } | Sort-Object) -join ',' | Should -Be 'ok 1,ok 2'
    }

    Context 'Refusals: nothing is sent' {
        It 'refuses <Name> with <ErrorId>' -TestCases @(
            @{ Name = 'an inbound message without -Type'; ErrorId = 'InvalidMessage'; Params = @{ Direction = 'Inbound'; ContactId = 'contact-a040' } }
            @{ Name = 'an inbound message without -ContactId'; ErrorId = 'InvalidMessage'; Params = @{ Direction = 'Inbound'; Type = 'SMS' } }
            @{ Name = 'an unknown type'; ErrorId = 'InvalidMessage'; Params = @{ Direction = 'Inbound'; Type = 'Fax'; ContactId = 'contact-a040' } }
            @{ Name = 'an outbound SMS (outbound adds calls only)'; ErrorId = 'InvalidMessage'; Params = @{ Direction = 'Outbound'; Type = 'SMS' } }
            @{ Name = 'an outbound call with a message body'; ErrorId = 'InvalidMessage'; Params = @{ Direction = 'Outbound'; Message = 'x' } }
            @{ Name = 'an unknown call status'; ErrorId = 'InvalidMessage'; Params = @{ Direction = 'Outbound'; Call = @{ Status = 'hung-up' } } }
            @{ Name = 'email fields on an SMS'; ErrorId = 'InvalidMessage'; Params = @{ Direction = 'Inbound'; Type = 'SMS'; ContactId = 'contact-a040'; Subject = 'x' } }
        ) {
            Add-LcMessage -ConversationId conv-a040 -ConversationProviderId p @Params -ErrorVariable lcErr -ErrorAction SilentlyContinue
            Assert-LcError $lcErr -ErrorId $ErrorId -Category InvalidArgument
            @(Get-EmulatorRequests).Count | Should -Be 0
        }

        It 'refuses a -Direction other than Inbound or Outbound (parameter validation)' {
            { Add-LcMessage -Direction Sideways -ConversationId conv-a040 -ConversationProviderId p -ErrorAction Stop } | Should -Throw -ErrorId 'ParameterArgumentValidationError*'
            @(Get-EmulatorRequests).Count | Should -Be 0
        }

        It 'sends nothing with -WhatIf' {
            Add-LcMessage -Direction Outbound -ConversationId conv-a040 -ConversationProviderId p -WhatIf
            @(Get-EmulatorRequests).Count | Should -Be 0
        }
    }

    Context 'API errors' {
        It 'writes ApiNotFound for an unknown conversation' {
            $null = Add-LcMessage -Direction Outbound -ConversationId conv-missing -ConversationProviderId p -ErrorVariable lcErr -ErrorAction SilentlyContinue
            Assert-LcError $lcErr -ErrorId ApiNotFound
        }

        It 'writes ApiInvalidRequest when the contact is not the conversation''s' {
            $null = Add-LcMessage -Direction Inbound -Type SMS -ConversationId conv-a040 -ContactId contact-a003 -ConversationProviderId p -Message x -ErrorVariable lcErr -ErrorAction SilentlyContinue
            Assert-LcError $lcErr -ErrorId ApiInvalidRequest
        }
    }

    Context 'No duplicates' {
        It 'does not resend an <Direction> POST whose connection dropped after the API processed it: one message is added' -TestCases @(
            @{ Direction = 'Inbound'; Path = '/conversations/messages/inbound'; Params = @{ Type = 'SMS'; ContactId = 'contact-a040'; Message = 'once' } }
            @{ Direction = 'Outbound'; Path = '/conversations/messages/outbound'; Params = @{} }
        ) {
            $before = @(Get-LcMessage -ConversationId conv-a040 -All).Count
            Set-EmulatorFault -Method POST -PathPrefix $Path -Kind DropConnection -Stage AfterProcessing -Count 1
            $null = Add-LcMessage -Direction $Direction -ConversationId conv-a040 -ConversationProviderId p @Params -ErrorVariable lcErr -ErrorAction SilentlyContinue

            @($lcErr).Count | Should -Be 1
            @(Get-EmulatorRequests -Method POST -PathPrefix $Path).Count | Should -Be 1
            @(Get-LcMessage -ConversationId conv-a040 -All).Count | Should -Be ($before + 1)
        }

        It 'retries a 429 (the request did not reach the application) and adds once' {
            Set-EmulatorFault -Method POST -PathPrefix '/conversations/messages/outbound' -Kind RateLimited -Count 1 -Headers @{ 'Retry-After' = '1' }
            $before = @(Get-LcMessage -ConversationId conv-a040 -All).Count
            $r = Add-LcMessage -Direction Outbound -ConversationId conv-a040 -ConversationProviderId p

            $r.MessageId | Should -Not -BeNullOrEmpty
            @(Get-EmulatorRequests -Method POST -PathPrefix '/conversations/messages/outbound').Count | Should -Be 2
            @(Get-LcMessage -ConversationId conv-a040 -All).Count | Should -Be ($before + 1)
        }
    }
}
