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
}
