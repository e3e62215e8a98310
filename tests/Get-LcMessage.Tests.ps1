BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    $BaseUri = Initialize-TestSession

    function Set-MessageListShape {
        param([ValidateSet('flat', 'nested')] [string] $Shape)
        $null = Invoke-RestMethod -Method Put -Uri ((Get-EmulatorUri) + '/_emulator/settings') -ContentType 'application/json' `
            -Body (@{ messageListShape = $Shape } | ConvertTo-Json -Compress)
    }

    function Get-ListRequests {
        @(Get-EmulatorRequests -Method GET -PathPrefix '/conversations/conv-a001/messages')
    }
}

AfterAll {
    if (Get-Command -Name Complete-TestSession -ErrorAction SilentlyContinue) { Complete-TestSession }
}

Describe 'Get-LcMessage' {
    BeforeEach {
        Reset-Emulator
        Disconnect-Lc
        $null = Connect-TestLc -Tenant alpha
    }

    Context 'List, in both body shapes' {
        It 'reads the <Shape> body: typed messages with UTC dates' -TestCases @(@{ Shape = 'nested' }, @{ Shape = 'flat' }) {
            Set-MessageListShape $Shape
            $result = @(Get-LcMessage -ConversationId conv-a002)

            $result.Count | Should -BeGreaterThan 0
            $result[0].PSObject.TypeNames[0] | Should -Be 'LeadConnector.Message'
            $result[0].PSObject.BaseObject.GetType().FullName | Should -Be 'LeadConnector.Message'
            $result[0].ConversationId | Should -Be 'conv-a002'
            $result[0].MessageType | Should -Match '^TYPE_'
            $result[0].Type | Should -BeOfType ([int])
            $result[0].DateAdded | Should -BeOfType ([DateTimeOffset])
            $result[0].DateAdded.Offset | Should -Be ([TimeSpan]::Zero)
            "$($result[0])" | Should -Be $result[0].Id
        }

        It 'pages past one page with -All in the <Shape> shape (131 messages), without a warning' -TestCases @(@{ Shape = 'nested' }, @{ Shape = 'flat' }) {
            Set-MessageListShape $Shape
            $result = @(Get-LcMessage -ConversationId conv-a001 -All -WarningVariable lcWarn -WarningAction SilentlyContinue)

            $result.Count | Should -Be 131
            @($result.Id | Sort-Object -Unique).Count | Should -Be 131
            $lcWarn.Count | Should -Be 0
            $requests = Get-ListRequests
            $requests.Count | Should -Be 7
            [string] $requests[0].queryString | Should -Not -Match 'lastMessageId='
            [uri]::UnescapeDataString([string] $requests[1].queryString) | Should -Match "lastMessageId=$($result[19].Id)\b"
        }

        It 'returns the first page only and warns that more remain' {
            $result = @(Get-LcMessage -ConversationId conv-a001 -WarningVariable lcWarn -WarningAction SilentlyContinue)

            $result.Count | Should -Be 20
            $lcWarn.Count | Should -Be 1
            "$($lcWarn[0])" | Should -Match '-All'
            (Get-ListRequests).Count | Should -Be 1
        }

        It 'does not warn when one page holds every message' {
            $null = Get-LcMessage -ConversationId conv-a002 -WarningVariable lcWarn -WarningAction SilentlyContinue
            $lcWarn.Count | Should -Be 0
        }

        It 'stops after -First <First> with -PageSize <PageSize> in <Requests> request(s)' -TestCases @(
            @{ First = 5; PageSize = 20; Requests = 1 }
            @{ First = 45; PageSize = 10; Requests = 5 }
            @{ First = 200; PageSize = 100; Requests = 2 }
        ) {
            $result = @(Get-LcMessage -ConversationId conv-a001 -First $First -PageSize $PageSize -WarningVariable lcWarn -WarningAction SilentlyContinue)

            $result.Count | Should -Be ([Math]::Min($First, 131))
            $lcWarn.Count | Should -Be 0
            $sent = Get-ListRequests
            $sent.Count | Should -Be $Requests
            [uri]::UnescapeDataString([string] $sent[0].queryString) | Should -Match "limit=$([Math]::Min($First, $PageSize))\b"
        }

        It 'sends nothing for -First 0' {
            @(Get-LcMessage -ConversationId conv-a001 -First 0).Count | Should -Be 0
            (Get-ListRequests).Count | Should -Be 0
        }

        It 'refuses -All with -First' {
            { Get-LcMessage -ConversationId conv-a001 -All -First 3 -ErrorAction Stop } | Should -Throw -ErrorId 'ConflictingParameters*'
        }

        It 'filters by -Type in any case, several at once, as one comma-separated type query value' {
            $result = @(Get-LcMessage -ConversationId conv-a001 -All -Type 'type_sms', 'TYPE_EMAIL', 'type_email')

            $result.Count | Should -BeGreaterThan 0
            @($result.MessageType | Sort-Object -Unique) -join ',' | Should -Be 'TYPE_EMAIL,TYPE_SMS'
            $query = [uri]::UnescapeDataString([string] (Get-ListRequests)[0].queryString)
            $query | Should -Match 'type=TYPE_SMS,TYPE_EMAIL(&|$)'
        }

        It 'accepts a -Type without the TYPE_ prefix' {
            $result = @(Get-LcMessage -ConversationId conv-a001 -First 10 -Type call)
            @($result.MessageType | Sort-Object -Unique) | Should -Be 'TYPE_CALL'
        }

        It 'refuses an unknown -Type before sending' {
            { Get-LcMessage -ConversationId conv-a001 -Type TYPE_BOGUS -ErrorAction Stop } | Should -Throw -ErrorId 'InvalidMessageType*'
            @(Get-EmulatorRequests).Count | Should -Be 0
        }

        It 'completes -Type with the API''s filter values' {
            $line = 'Get-LcMessage -ConversationId x -Type TYPE_EM'
            $completions = (TabExpansion2 -inputScript $line -cursorColumn $line.Length).CompletionMatches
            $completions.CompletionText | Should -Contain 'TYPE_EMAIL'
            $line = 'Get-LcMessage -ConversationId x -Type whats'
            $completions = (TabExpansion2 -inputScript $line -cursorColumn $line.Length).CompletionMatches
            $completions.CompletionText | Should -Contain 'TYPE_WHATSAPP'
        }

        It 'leaves email bodies out by default (as the live list does) and sends one request per page' {
            $emails = @(Get-LcMessage -ConversationId conv-a001 -First 20 -Type TYPE_EMAIL)
            $emails.Count | Should -BeGreaterThan 0
            @($emails | Where-Object Body).Count | Should -Be 0
            @(Get-EmulatorRequests -PathPrefix '/conversations/messages/email/').Count | Should -Be 0
        }

        It 'fetches each email body with -IncludeEmailBody, one request per email only' {
            $result = @(Get-LcMessage -ConversationId conv-a001 -First 20 -IncludeEmailBody)
            $emails = @($result | Where-Object MessageType -eq 'TYPE_EMAIL')

            $emails.Count | Should -BeGreaterThan 0
            @($emails | Where-Object { -not $_.Body }).Count | Should -Be 0
            $emailRequests = @(Get-EmulatorRequests -Method GET -PathPrefix '/conversations/messages/email/')
            $emailRequests.Count | Should -Be $emails.Count
            $emails[0].Body | Should -Be (Get-LcEmailMessage -Id $emails[0].EmailMessageIds[0]).Body
        }

        It 'writes ApiNotFound for a missing conversation and goes on' {
            $result = 'conv-missing', 'conv-a002' | Get-LcMessage -ErrorVariable lcErr -ErrorAction SilentlyContinue
            @($result).Count | Should -BeGreaterThan 0
            @($result.ConversationId | Sort-Object -Unique) | Should -Be 'conv-a002'
            Assert-LcError $lcErr -ErrorId ApiNotFound -Category ObjectNotFound
        }

        It 'refuses the malformed conversation id <BadId> and sends nothing' -TestCases @(
            @{ BadId = '..' }, @{ BadId = 'a/b' }, @{ BadId = 'a?b' }
        ) {
            $null = Get-LcMessage -ConversationId $BadId -ErrorVariable lcErr -ErrorAction SilentlyContinue
            Assert-LcError $lcErr -ErrorId InvalidId -Category InvalidArgument
            @(Get-EmulatorRequests).Count | Should -Be 0
        }
    }

    Context 'ById' {
        It 'gets one message, with its body' {
            $m = Get-LcMessage -Id email-conv-a001-000
            $m.PSObject.TypeNames[0] | Should -Be 'LeadConnector.Message'
            $m.Id | Should -Be 'email-conv-a001-000'
            $m.ConversationId | Should -Be 'conv-a001'
            @(Get-EmulatorRequests -Method GET -PathPrefix '/conversations/messages/email-conv-a001-000').Count | Should -Be 1
        }

        It 'takes message ids by the MessageId property' {
            ([pscustomobject]@{ MessageId = 'msg-conv-a002-000' } | Get-LcMessage).Id | Should -Be 'msg-conv-a002-000'
        }

        It 'writes ApiNotFound for a missing message' {
            $null = Get-LcMessage -Id msg-missing -ErrorVariable lcErr -ErrorAction SilentlyContinue
            Assert-LcError $lcErr -ErrorId ApiNotFound
        }
    }

    Context 'Export: the location''s messages without a conversation' {
        BeforeAll {
            function Get-ExportRequests { @(Get-EmulatorRequests -Method GET -PathPrefix '/conversations/messages/export') }
            function Get-ExportQuery([int] $Index = 0) { [uri]::UnescapeDataString([string] (Get-ExportRequests)[$Index].queryString) }
        }

        It 'reads the first page of the connection''s location with a bare call, and warns how many more there are' {
            $result = @(Get-LcMessage -WarningVariable lcWarn -WarningAction SilentlyContinue)

            $result.Count | Should -Be 100
            $result[0].PSObject.TypeNames[0] | Should -Be 'LeadConnector.Message'
            @($result | Where-Object LocationId -ne 'loc-alpha').Count | Should -Be 0
            @($result | Where-Object IsEmail).Count | Should -Be 0 # no channel: every type but email, as the API does
            $lcWarn.Count | Should -Be 1
            "$($lcWarn[0])" | Should -Match '^Returned the first 100 of \d+ messages of location loc-alpha; more remain\. Use -All'
            (Get-ExportRequests).Count | Should -Be 1
            Get-ExportQuery | Should -Be '?locationId=loc-alpha'
        }

        It 'pages with the nextCursor through every message with -All, without a warning' {
            $result = @(Get-LcMessage -All -WarningVariable lcWarn -WarningAction SilentlyContinue)

            $result.Count | Should -BeGreaterThan 100
            @($result.Id | Sort-Object -Unique).Count | Should -Be $result.Count
            $lcWarn.Count | Should -Be 0
            $requests = Get-ExportRequests
            $requests.Count | Should -Be ([Math]::Ceiling($result.Count / 100))
            Get-ExportQuery 0 | Should -Not -Match 'cursor='
            Get-ExportQuery 1 | Should -Match 'cursor=[A-Za-z0-9+/=]+'
            # Newest first, the API's default order.
            $dates = $result.DateAdded
            (@($dates) -join '|') | Should -Be (@($dates | Sort-Object -Descending) -join '|')
        }

        It 'stops after -First <First> with -PageSize <PageSize>: limit <Limit> (never below the API''s 10), <Requests> request(s)' -TestCases @(
            @{ First = 5; PageSize = $null; Limit = 10; Requests = 1 }
            @{ First = 250; PageSize = 100; Limit = 100; Requests = 3 }
            @{ First = 30; PageSize = 500; Limit = 30; Requests = 1 }
        ) {
            $params = @{ First = $First }
            if ($PageSize) { $params.PageSize = $PageSize }
            $result = @(Get-LcMessage @params -WarningVariable lcWarn -WarningAction SilentlyContinue)

            $result.Count | Should -Be $First
            $lcWarn.Count | Should -Be 0
            (Get-ExportRequests).Count | Should -Be $Requests
            Get-ExportQuery | Should -Match "limit=$Limit(&|$)"
        }

        It 'sends -Channel in the API''s spelling and gets only that channel' {
            $result = @(Get-LcMessage -Channel email -All)
            $result.Count | Should -BeGreaterThan 0
            @($result.MessageType | Sort-Object -Unique) | Should -Be 'TYPE_EMAIL'
            Get-ExportQuery | Should -Match 'channel=Email(&|$)'
        }

        It 'sends -Since and -Until as UTC ISO dates (startDate, endDate) and gets only that window' {
            $since = [DateTime]::SpecifyKind([DateTime] '2025-01-01T00:00:00', 'Utc')
            $until = [DateTime]::SpecifyKind([DateTime] '2025-06-30T23:59:59', 'Utc')
            $result = @(Get-LcMessage -Since $since -Until $until -All)

            $result.Count | Should -BeGreaterThan 0
            @($result | Where-Object { $_.DateAdded -lt [DateTimeOffset] $since -or $_.DateAdded -gt [DateTimeOffset] $until }).Count | Should -Be 0
            Get-ExportQuery | Should -Match 'startDate=2025-01-01T00:00:00.000Z&endDate=2025-06-30T23:59:59.000Z'
        }

        It 'sends -SortOrder asc and -SortBy updatedAt' {
            $result = @(Get-LcMessage -SortOrder ASC -SortBy UpdatedAt -First 50)
            Get-ExportQuery | Should -Match 'sortBy=updatedAt&sortOrder=asc'
            (@($result.DateAdded) -join '|') | Should -Be (@($result.DateAdded | Sort-Object) -join '|')
        }

        It 'filters by -ContactId' {
            $result = @(Get-LcMessage -ContactId contact-a040 -All)
            $result.Count | Should -BeGreaterThan 0
            @($result.ContactId | Sort-Object -Unique) | Should -Be 'contact-a040'
            Get-ExportQuery | Should -Match 'contactId=contact-a040(&|$)'
        }

        It 'reads a piped contact''s messages: its Id is the contactId, never a message id' {
            $contact = Get-LcContact -Id contact-a040
            $result = @($contact | Get-LcMessage -All)

            @($result.ContactId | Sort-Object -Unique) | Should -Be 'contact-a040'
            Get-ExportQuery | Should -Match '^\?locationId=loc-alpha&contactId=contact-a040$'
            @(Get-EmulatorRequests -PathPrefix '/conversations/messages/contact-a040').Count | Should -Be 0
        }

        It 'refuses -PageSize <PageSize> for the export (10 to 500) before sending' -TestCases @(@{ PageSize = 5 }) {
            { Get-LcMessage -PageSize $PageSize -ErrorAction Stop } | Should -Throw -ErrorId 'InvalidPageSize*'
            @(Get-EmulatorRequests).Count | Should -Be 0
        }

        It 'still refuses -PageSize 101 for a conversation''s messages' {
            { Get-LcMessage -ConversationId conv-a001 -PageSize 101 -ErrorAction Stop } | Should -Throw -ErrorId 'InvalidPageSize*'
            @(Get-EmulatorRequests).Count | Should -Be 0
        }

        It 'refuses -Since after -Until before sending' {
            $null = Get-LcMessage -Since '2025-02-01' -Until '2025-01-01' -ErrorVariable lcErr -ErrorAction SilentlyContinue
            Assert-LcError $lcErr -ErrorId InvalidInput -Category InvalidArgument
            @(Get-EmulatorRequests).Count | Should -Be 0
        }

        It 'refuses an export without a location (NoLocationId) before sending' {
            Disconnect-Lc
            $null = Connect-TestLc -Tenant alpha -LocationId ''
            $null = Get-LcMessage -ErrorVariable lcErr -ErrorAction SilentlyContinue
            Assert-LcError $lcErr -ErrorId NoLocationId
            @(Get-EmulatorRequests).Count | Should -Be 0
        }

        It 'writes ApiForbidden for a location the token does not cover' {
            $null = Get-LcMessage -LocationId loc-beta -ErrorVariable lcErr -ErrorAction SilentlyContinue
            Assert-LcError $lcErr -ErrorId ApiForbidden
        }

        It 'streams: memory stays flat from 10,000 to 100,000 messages piped through' {
            $tenant = New-TestLocation -Conversations 0
            $null = Invoke-RestMethod -Method Post -Uri ((Get-EmulatorUri) + '/_emulator/exports') -ContentType 'application/json' `
                -Body (ConvertTo-Json -Compress -InputObject @{ locationId = $tenant.LocationId; messages = 100000 })
            Set-EmulatorRateLimit -Max 100000
            $script:seen = 0
            $script:memory = @{}
            $watch = [Diagnostics.Stopwatch]::StartNew()
            Get-LcMessage -Connection $tenant.Connection -All -PageSize 500 -ProgressAction SilentlyContinue | ForEach-Object {
                $script:seen++
                if ($script:seen -eq 10000 -or $script:seen -eq 100000) {
                    [GC]::Collect(); [GC]::WaitForPendingFinalizers(); [GC]::Collect()
                    $script:memory[$script:seen] = [GC]::GetTotalMemory($true)
                }
            }
            $watch.Stop()

            $script:seen | Should -Be 100000
            @(Get-EmulatorRequests -PathPrefix '/conversations/messages/export').Count | Should -Be 200
            # Were the 90,000 messages after the first 10,000 held, the heap would grow by tens of MB (about 1 KB each).
            $growth = $script:memory[100000] - $script:memory[10000]
            $growth | Should -BeLessThan 16MB -Because "the managed heap grew by $([Math]::Round($growth / 1MB, 1)) MB in $([int] $watch.Elapsed.TotalSeconds) s"
        }
    }

    Context 'Parameter sets: every way of calling resolves to one set' {
        It 'resolves <Name> to <Set>' -TestCases @(
            @{ Name = 'no argument'; Set = 'Export'; Run = { Get-LcMessage -First 1 } }
            @{ Name = 'a positional conversation id'; Set = 'List'; Run = { Get-LcMessage conv-a002 -First 1 } }
            @{ Name = 'a piped conversation id'; Set = 'List'; Run = { 'conv-a002' | Get-LcMessage -First 1 } }
            @{ Name = 'a piped object with only ConversationId'; Set = 'List'; Run = { [pscustomobject]@{ ConversationId = 'conv-a002' } | Get-LcMessage -First 1 } }
            @{ Name = 'a piped conversation'; Set = 'Conversation'; Run = { Get-LcConversation -Id conv-a002 | Get-LcMessage -First 1 } }
            @{ Name = 'a piped contact'; Set = 'Export'; Run = { Get-LcContact -Id contact-a002 | Get-LcMessage -First 1 } }
            @{ Name = 'a piped message'; Set = 'ById'; Run = { Get-LcMessage -Id msg-conv-a002-000 | Get-LcMessage } }
            @{ Name = 'a piped SendResult'; Set = 'ById'; Run = { Send-LcMessage -ContactId contact-a002 -Type SMS -Message hi | Get-LcMessage } }
            @{ Name = 'a piped object with MessageId'; Set = 'ById'; Run = { [pscustomobject]@{ MessageId = 'msg-conv-a002-000' } | Get-LcMessage } }
            @{ Name = '-Channel'; Set = 'Export'; Run = { Get-LcMessage -Channel SMS -First 1 } }
        ) {
            $result = @(& $Run)
            $result.Count | Should -BeGreaterThan 0
            $last = @(Get-EmulatorRequests -Method GET)[-1].path
            switch ($Set) {
                'Export' { $last | Should -Be '/conversations/messages/export' }
                'List' { $last | Should -Be '/conversations/conv-a002/messages' }
                'Conversation' { $last | Should -Be '/conversations/conv-a002/messages' }
                'ById' { $last | Should -Match '^/conversations/messages/(msg-|email-)' }
            }
        }

        It 'lists a piped email message''s conversation, by value or -EmailMessage, and never sends its email id as a message id' {
            $email = Get-LcEmailMessage -Id email-a002
            $email.ConversationId | Should -Not -BeNullOrEmpty
            $before = @(Get-EmulatorRequests -Method GET).Count

            $piped = @($email | Get-LcMessage -First 2)
            $named = @(Get-LcMessage -EmailMessage $email -First 2)

            $piped.Count | Should -BeGreaterThan 0
            ($piped.Id -join ',') | Should -Be ($named.Id -join ',')
            $piped | ForEach-Object { $_.ConversationId | Should -Be $email.ConversationId }
            $paths = @(@(Get-EmulatorRequests -Method GET) | Select-Object -Skip $before).path
            $paths | Should -Be @("/conversations/$($email.ConversationId)/messages", "/conversations/$($email.ConversationId)/messages")
            $paths | Should -Not -Match ([regex]::Escape($email.Id))
        }

        It 'declares the export set as the default, and its filters never bind from the pipeline' {
            $cmd = Get-Command Get-LcMessage
            $cmd.DefaultParameterSet | Should -Be 'Export'
            foreach ($name in 'ContactId', 'LocationId', 'Channel', 'Since', 'Until', 'SortBy', 'SortOrder') {
                $p = $cmd.Parameters[$name].ParameterSets['Export']
                ($p.ValueFromPipeline -or $p.ValueFromPipelineByPropertyName) | Should -BeFalse -Because $name
            }
        }
    }
}
