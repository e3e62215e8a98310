# How the cmdlets bind to each other's output. PowerShell binds pipeline input by value without coercion, then by
# property name without coercion, then both with coercion, across all parameter sets; a tie goes to the default set,
# and a parameter's name wins over another parameter's alias for the same property.
BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    $BaseUri = Initialize-TestSession
}

AfterAll {
    if (Get-Command -Name Complete-TestSession -ErrorAction SilentlyContinue) { Complete-TestSession }
}

Describe 'Binding between cmdlets' {
    BeforeEach {
        Reset-Emulator
        Disconnect-Lc
        $null = Connect-TestLc -Tenant alpha
    }

    It 'Get-LcContact -Query | New-LcConversation gives each contact its conversation: the existing one, with a warning, or a new one' {
        $contacts = @(Get-LcContact -Query 'olivia' -All)
        $contacts.Count | Should -BeGreaterThan 0

        $made = @(Get-LcContact -Query 'olivia' -All | New-LcConversation -WarningVariable warn -WarningAction SilentlyContinue)

        $made.Count | Should -Be $contacts.Count
        ($made.ContactId | Sort-Object) -join ',' | Should -Be (($contacts.Id | Sort-Object) -join ',')
        # Every seeded contact has a conversation: nothing is created twice.
        @(Get-EmulatorRequests -Method POST -PathPrefix '/conversations').Count | Should -Be 0
        @($warn).Count | Should -Be $contacts.Count

        $forced = @(Get-LcContact -Query 'olivia' -All | New-LcConversation -Force)
        $forced.Count | Should -Be $contacts.Count
        $posts = @(Get-EmulatorRequests -Method POST -PathPrefix '/conversations')
        $posts.Count | Should -Be $contacts.Count
        foreach ($p in $posts) { (Get-RequestBody -Request $p).locationId | Should -Be 'loc-alpha' }
    }

    It 'Get-LcContact -Id | Get-LcConversation searches that contact''s conversations (a contact binds -Contact)' {
        $r = @(Get-LcContact -Id contact-a002 | Get-LcConversation)

        $r.Count | Should -Be 2 # contact-a002 has conv-a002 and conv-a045
        @($r.ContactId | Sort-Object -Unique) | Should -Be 'contact-a002'
        $search = @(Get-EmulatorRequests -Method GET -PathPrefix '/conversations/search')
        $search.Count | Should -Be 1
        [uri]::UnescapeDataString([string] $search[0].queryString) | Should -Match 'contactId=contact-a002\b'
        @(Get-EmulatorRequests -Method GET -PathPrefix '/conversations/contact-a002').Count | Should -Be 0
    }

    It 'binds a contact to -Contact (Search) and a conversation to -Id (ById)' {
        $contact = Get-LcContact -Id contact-a003
        $conversation = Get-LcConversation -Id conv-a003
        $cmd = Get-Command Get-LcConversation
        $cmd.ResolveParameter('Contact').ParameterSets.Keys | Should -Be 'Search'

        (Get-LcConversation -Contact $contact).Id | Should -Be 'conv-a003'
        ($conversation | Get-LcConversation).Id | Should -Be 'conv-a003'
        @(Get-EmulatorRequests -Method GET -PathPrefix '/conversations/conv-a003').Count | Should -Be 2
    }

    It 'a piped contact combines with the other search filters' {
        $r = @(Get-LcContact -Id contact-a002 | Get-LcConversation -Sort asc -All)
        $r.Count | Should -Be 2
        $q = [uri]::UnescapeDataString([string] @(Get-EmulatorRequests -Method GET -PathPrefix '/conversations/search')[0].queryString)
        $q | Should -Match 'contactId=contact-a002\b'
        $q | Should -Match 'sort=asc'
    }

    It 'a conversation object or an id string piped to Get-LcConversation gets by id' {
        $conversations = Get-LcConversation -Id conv-a004, conv-a005
        ($conversations | Get-LcConversation).Id -join ',' | Should -Be 'conv-a004,conv-a005'
        ('conv-a006' | Get-LcConversation).Id | Should -Be 'conv-a006'
        @(Get-EmulatorRequests -Method GET -PathPrefix '/conversations/search').Count | Should -Be 0
    }

    It 'Get-LcConversation -Id | Get-LcMessage lists that conversation''s messages' {
        $r = @(Get-LcConversation -Id conv-a002 | Get-LcMessage)

        $r.Count | Should -BeGreaterThan 0
        @($r.ConversationId | Sort-Object -Unique) | Should -Be 'conv-a002'
        @(Get-EmulatorRequests -Method GET -PathPrefix '/conversations/conv-a002/messages').Count | Should -Be 1
    }

    It 'Get-LcConversation (search) | Get-LcMessage -First lists each conversation''s messages' {
        $r = @(Get-LcConversation -ContactId contact-a002 -All | Get-LcMessage -First 1)
        $r.Count | Should -Be 2
        ($r.ConversationId | Sort-Object) -join ',' | Should -Be 'conv-a002,conv-a045'
    }

    It 'Get-LcConversation -Id | Send-LcMessage sends to the conversation''s contact' {
        $r = Get-LcConversation -Id conv-a007 | Send-LcMessage -Type SMS -Message hi

        $r.ConversationId | Should -Be 'conv-a007'
        $post = @(Get-EmulatorRequests -Method POST -PathPrefix '/conversations/messages')
        $post.Count | Should -Be 1
        (Get-RequestBody -Request $post[0]).contactId | Should -Be 'contact-a007'
    }

    It 'Get-LcContact -Id | Send-LcMessage sends to that contact' {
        $null = Get-LcContact -Id contact-a008 | Send-LcMessage -Type SMS -Message hi
        (Get-RequestBody -Request @(Get-EmulatorRequests -Method POST -PathPrefix '/conversations/messages')[0]).contactId | Should -Be 'contact-a008'
    }

    It 'Get-LcConversation -Id | Get-LcContact gets the conversation''s contact, not a contact with the conversation id' {
        (Get-LcConversation -Id conv-a045 | Get-LcContact).Id | Should -Be 'contact-a002'
    }

    It 'a message piped to Get-LcEmailMessage by its EmailMessageIds is not needed: -IncludeEmailBody covers it, and ids pipe' {
        $email = Get-LcMessage -ConversationId conv-a001 -First 20 -Type TYPE_EMAIL | Select-Object -First 1
        ($email.EmailMessageIds | Get-LcEmailMessage).Id | Should -Be $email.EmailMessageIds[0]
    }

    It 'find, read, answer: search a contact, read the last inbound message, reply in the same conversation' {
        $contact = Get-LcContact -Query 'olivia' -First 1
        $conversation = $contact | Get-LcConversation -First 1
        $last = $conversation | Get-LcMessage -First 5 | Where-Object Direction -eq 'inbound' | Select-Object -First 1
        $last | Should -Not -BeNullOrEmpty
        $sent = $conversation | Send-LcMessage -Type SMS -Message 'Thanks, on it.'

        $sent.ConversationId | Should -Be $conversation.Id
        (Get-LcMessage -Id $sent.MessageId).Body | Should -Be 'Thanks, on it.'
    }
}

Describe 'Ending early' {
    BeforeEach {
        Reset-Emulator
        Disconnect-Lc
        $null = Connect-TestLc -Tenant alpha
    }

    It 'cancels the requests still in flight when a downstream Select-Object -First ends the pipeline' {
        # Four reads start at once. The first is answered after 3 s, the others are held 10 s: Select-Object -First 1
        # ends the pipeline when the first result is written, without stopping it, and the other three must then be
        # cancelled, not left to finish with nobody watching. (Held as long as the first, they could be answered before
        # a busy machine got round to ending the pipeline: the first rule that matches fires.)
        Set-EmulatorFault -Method GET -PathPrefix '/conversations/conv-a001' -Kind Delay -DelayMs 3000
        Set-EmulatorFault -Method GET -PathPrefix '/conversations/conv-a00' -Kind Delay -DelayMs 10000

        $first = @(Get-LcConversation -Id conv-a001, conv-a002, conv-a003, conv-a004 -ThrottleLimit 4 | Select-Object -First 1)

        $first.Count | Should -Be 1
        $first[0].Id | Should -Be 'conv-a001'
        # A probe held as long, sent after them, is answered only once a request left running would have finished.
        Invoke-EmulatorProbe -Path '/conversations/conv-a005'
        $gets = @(Get-EmulatorRequests -Method GET -PathPrefix '/conversations/conv-a00' | Where-Object path -NE '/conversations/conv-a005')
        $gets.Count | Should -Be 4
        @($gets | Where-Object { $_.processed }).Count | Should -Be 1
    }
}
