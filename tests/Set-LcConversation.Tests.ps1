BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    $BaseUri = Initialize-TestSession
}

AfterAll {
    if (Get-Command -Name Complete-TestSession -ErrorAction SilentlyContinue) { Complete-TestSession }
}

Describe 'Set-LcConversation' {
    BeforeEach {
        Reset-Emulator
        Disconnect-Lc
        $null = Connect-TestLc -Tenant alpha
    }

    It 'stars a conversation and emits it with -PassThru' {
        $c = Set-LcConversation -Id conv-a003 -Starred $true -PassThru

        @($c).Count | Should -Be 1
        $c.PSObject.TypeNames[0] | Should -Be 'LeadConnector.Conversation'
        $c.Id | Should -Be 'conv-a003'
        $c.Starred | Should -BeTrue
        (Get-LcConversation -Id conv-a003).Starred | Should -BeTrue

        $put = @(Get-EmulatorRequests -Method PUT -PathPrefix '/conversations/conv-a003')
        $put.Count | Should -Be 1
        $body = Get-RequestBody -Request $put[0]
        $body.starred | Should -BeTrue
        $body.locationId | Should -Be 'loc-alpha'
    }

    It 'emits nothing without -PassThru' {
        $out = Set-LcConversation -Id conv-a003 -UnreadCount 0

        $out | Should -BeNullOrEmpty
        (Get-LcConversation -Id conv-a003).UnreadCount | Should -Be 0
    }

    It 'sends only the fields that were given, $false included' {
        Set-LcConversation -Id conv-a004 -Starred $false

        $body = Get-RequestBody -Request (@(Get-EmulatorRequests -Method PUT)[0])
        $body.starred | Should -BeFalse
        $body.PSObject.Properties.Name | Should -Not -Contain 'unreadCount'
        $body.PSObject.Properties.Name | Should -Not -Contain 'feedback'
    }

    It 'sends -UnreadCount and -Feedback' {
        Set-LcConversation -Id conv-a005 -UnreadCount 2 -Feedback @{ rating = 5; note = 'quick answer' }

        $body = Get-RequestBody -Request (@(Get-EmulatorRequests -Method PUT)[0])
        $body.unreadCount | Should -Be 2
        $body.feedback.rating | Should -Be 5
        $body.feedback.note | Should -Be 'quick answer'
    }

    It 'sends a -Feedback with a nested [pscustomobject] and [ordered] hashtable as JSON objects, in their order' {
        Set-LcConversation -Id conv-a005 -Feedback @{
            n = [pscustomobject]@{ b = 1; a = 'x'; d = [pscustomobject]@{ deep = $true } }
            o = [ordered]@{ z = 1; y = 2; x = @(3, 4) }
        }

        $put = @(Get-EmulatorRequests -Method PUT -PathPrefix '/conversations/conv-a005')
        $put.Count | Should -Be 1
        $feedback = (Get-RequestBody -Request $put[0]).feedback
        $feedback.n.b | Should -Be 1
        $feedback.n.a | Should -Be 'x'
        $feedback.n.d.deep | Should -BeTrue
        $feedback.n.PSObject.Properties.Name -join ',' | Should -Be 'b,a,d'
        $feedback.o.PSObject.Properties.Name -join ',' | Should -Be 'z,y,x'
        @($feedback.o.x) -join ',' | Should -Be '3,4'
    }

    It 'refuses a -Feedback value with no JSON form (InvalidFeedback) and sends nothing' {
        $err = { Set-LcConversation -Id conv-a005 -Feedback @{ n = [pscustomobject]@{ s = { 'a script' } } } -ErrorAction Stop } |
            Should -Throw -ErrorId 'InvalidFeedback*' -PassThru

        $err.CategoryInfo.Category | Should -Be 'InvalidArgument'
        $err.Exception.Message | Should -Match 'feedback'
        @(Get-EmulatorRequests).Count | Should -Be 0
    }

    It 'updates what Get-LcConversation pipes in (Id and LocationId by property name)' {
        $result = Get-LcConversation -ContactId contact-a002 | Set-LcConversation -Starred $true -PassThru

        (@($result.Id) | Sort-Object) -join ',' | Should -Be 'conv-a002,conv-a045'
        @($result | Where-Object { $_.Starred -eq $true }).Count | Should -Be 2
        (Get-LcConversation -Id conv-a045).Starred | Should -BeTrue
    }

    It 'binds the ConversationId alias by property name' {
        $result = [pscustomobject]@{ ConversationId = 'conv-a006' } | Set-LcConversation -UnreadCount 0 -PassThru

        $result.Id | Should -Be 'conv-a006'
    }

    It 'refuses a call with nothing to change (NothingToUpdate) and sends nothing' {
        $err = { Set-LcConversation -Id conv-a003 -ErrorAction Stop } | Should -Throw -ErrorId 'NothingToUpdate*' -PassThru

        $err.CategoryInfo.Category | Should -Be 'InvalidArgument'
        @(Get-EmulatorRequests).Count | Should -Be 0
    }

    It 'sends nothing with -WhatIf' {
        $result = Set-LcConversation -Id conv-a003 -Starred $true -PassThru -WhatIf

        $result | Should -BeNullOrEmpty
        @(Get-EmulatorRequests).Count | Should -Be 0
    }

    It 'supports ShouldProcess with ConfirmImpact Medium' {
        $metadata = New-Object -TypeName System.Management.Automation.CommandMetadata -ArgumentList (Get-Command Set-LcConversation)

        $metadata.SupportsShouldProcess | Should -BeTrue
        "$($metadata.ConfirmImpact)" | Should -Be 'Medium'
    }

    It 'writes ApiNotFound for a missing id and goes on with the others' {
        $result = 'conv-a007', 'conv-missing', 'conv-a008' |
            ForEach-Object { [pscustomobject]@{ Id = $_ } } |
            Set-LcConversation -Starred $true -PassThru -ErrorVariable lcErr -ErrorAction SilentlyContinue

        ($result.Id -join ',') | Should -Be 'conv-a007,conv-a008'
        Assert-LcError $lcErr -ErrorId ApiNotFound -Category ObjectNotFound
    }

    It 'refuses the malformed id <BadId> with InvalidId and sends nothing' -TestCases @(
        @{ BadId = '..' }
        @{ BadId = 'a/b' }
        @{ BadId = 'a?b' }
    ) {
        $null = Set-LcConversation -Id $BadId -Starred $true -ErrorVariable lcErr -ErrorAction SilentlyContinue

        Assert-LcError $lcErr -ErrorId InvalidId -Category InvalidArgument
        @(Get-EmulatorRequests).Count | Should -Be 0
    }

    It 'retries a PUT (it is idempotent) through a 503' {
        Set-EmulatorFault -Method PUT -PathPrefix '/conversations/conv-a009' -Kind Status -StatusCode 503 -Stage AfterProcessing -Count 1

        $c = Set-LcConversation -Id conv-a009 -Starred $true -PassThru

        $c.Starred | Should -BeTrue
        @(Get-EmulatorRequests -Method PUT).Count | Should -Be 2
    }

    Context 'What the pipeline brings' {
        It 'takes Starred and UnreadCount from CSV rows, per row: an empty cell changes nothing, a row with no change is an error' {
            $rows = 'Id,Starred,UnreadCount', 'conv-a004,yes,', 'conv-a005,,0', 'conv-a006,,' | ConvertFrom-Csv
            $errs = $null
            $out = @($rows | Set-LcConversation -PassThru -ErrorVariable errs -ErrorAction SilentlyContinue)

            $out.Id | Should -Be @('conv-a004', 'conv-a005')
            $puts = @(Get-EmulatorRequests -Method PUT)
            $puts.Count | Should -Be 2
            $b4 = Get-RequestBody -Request ($puts | Where-Object path -eq '/conversations/conv-a004')
            $b4.starred | Should -BeTrue
            $b4.PSObject.Properties.Name | Should -Not -Contain 'unreadCount'
            $b5 = Get-RequestBody -Request ($puts | Where-Object path -eq '/conversations/conv-a005')
            $b5.unreadCount | Should -Be 0
            $b5.PSObject.Properties.Name | Should -Not -Contain 'starred'
            @($errs).Count | Should -Be 1
            $errs[0].FullyQualifiedErrorId | Should -BeLike 'NothingToUpdate*'
            $errs[0].TargetObject | Should -Be 'conv-a006'
        }

        It 'refuses a cell that is no count or no yes/no, naming the value' {
            $errs = $null
            'Id,UnreadCount', 'conv-a004,lots' | ConvertFrom-Csv | Set-LcConversation -ErrorVariable errs -ErrorAction SilentlyContinue
            $errs[0].Exception.Message | Should -Match "'lots' is not a count"
            @(Get-EmulatorRequests -Method PUT).Count | Should -Be 0
        }

        It 'never sends back a piped conversation''s own UnreadCount or Starred: the changes come from the command line' {
            $c = Get-LcConversation -Id conv-a007
            $c.UnreadCount | Should -BeGreaterThan 0
            $c | Set-LcConversation -Starred $true
            $body = Get-RequestBody -Request @(Get-EmulatorRequests -Method PUT)[0]
            $body.starred | Should -BeTrue
            $body.PSObject.Properties.Name | Should -Not -Contain 'unreadCount'
        }

        It 'a piped conversation with no change on the command line stops with NothingToUpdate' {
            { Get-LcConversation -Id conv-a007 | Set-LcConversation -ErrorAction Stop } | Should -Throw -ErrorId 'NothingToUpdate*'
            @(Get-EmulatorRequests -Method PUT).Count | Should -Be 0
        }

        It 'a piped message updates its conversation (its ConversationId, never its own Id)' {
            $m = Get-LcMessage -ConversationId conv-a003 -First 1
            $m | Set-LcConversation -Starred $true
            @(Get-EmulatorRequests -Method PUT).path | Should -Be '/conversations/conv-a003'
        }
    }

    Context '-PassThru writes the whole conversation, not the API''s partial answer' {
        It 'for an id, reads it back with one GET: Type and contact name are there' {
            $c = Set-LcConversation -Id conv-a003 -Starred $true -PassThru
            $c.Type | Should -Not -BeNullOrEmpty
            $c.ContactName | Should -Not -BeNullOrEmpty
            $c.Starred | Should -BeTrue
            @(Get-EmulatorRequests -Method GET -PathPrefix '/conversations/conv-a003').Count | Should -Be 1
        }

        It 'for a piped conversation, fills from it without a second request' {
            $before = Get-LcConversation -Id conv-a008
            Reset-Emulator
            $c = $before | Set-LcConversation -UnreadCount 0 -PassThru
            $c.UnreadCount | Should -Be 0
            $c.Type | Should -Be $before.Type
            $c.ContactName | Should -Be $before.ContactName
            @(Get-EmulatorRequests -Method GET).Count | Should -Be 0
        }

        It 'without -PassThru, sends the PUT alone' {
            Set-LcConversation -Id conv-a003 -Starred $true
            @(Get-EmulatorRequests | Where-Object path -notlike '/_emulator*').Count | Should -Be 1
        }
    }
}
