BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    $BaseUri = Initialize-TestSession

    function Get-NoteRequests { @(Get-EmulatorRequests -Method GET -PathPrefix '/contacts/') }
}

AfterAll {
    if (Get-Command -Name Complete-TestSession -ErrorAction SilentlyContinue) { Complete-TestSession }
}

Describe 'Get-LcContactNote' {
    BeforeEach {
        Reset-Emulator
        Disconnect-Lc
        $null = Connect-TestLc -Tenant alpha
    }

    It 'lists a contact''s notes as typed LeadConnector.ContactNote objects with every field, newest first' {
        $notes = @(Get-LcContactNote -ContactId contact-a003)

        $notes.Count | Should -Be 2
        $notes[0].PSObject.TypeNames[0] | Should -Be 'LeadConnector.ContactNote'
        $notes.Id | Should -Be @('note-a003-1', 'note-a003-2')
        $n = $notes[0]
        $n.ContactId | Should -Be 'contact-a003'
        $n.Title | Should -Be 'Follow-up summary'
        $n.Color | Should -Be '#FFAA00'
        $n.Pinned | Should -BeTrue
        $n.UserId | Should -Be 'user-alice'
        $n.Body | Should -Match 'callback on Thursday'
        $n.DateAdded | Should -Be ([DateTimeOffset]::new(2025, 3, 4, 10, 15, 0, [TimeSpan]::Zero))
        $notes[1].Body | Should -Be "Prefers SMS over email.`nBest time: mornings."
        (Get-NoteRequests)[0].path | Should -Be '/contacts/contact-a003/notes'
    }

    It 'shows a table of Id, DateAdded, Pinned, Title and Body within 80 columns' {
        $text = Get-LcContactNote -ContactId contact-a003 | Format-Table | Out-String -Width 80
        $text | Should -Match 'Id\s+DateAdded\s+Pinned\s+Title\s+Body'
        $text | Should -Match 'note-a003-1\s+2025-03-04\s+True\s+Follow-up summary'
        ($text -split "`n" | Where-Object { $_.TrimEnd().Length -gt 80 }) | Should -BeNullOrEmpty
    }

    It 'returns nothing (and no error) for a contact without notes' {
        $notes = @(Get-LcContactNote -ContactId contact-a001 -ErrorVariable lcErr)
        $notes.Count | Should -Be 0
        @($lcErr).Count | Should -Be 0
    }

    It 'gets notes by id' {
        $notes = @(Get-LcContactNote -ContactId contact-a003 -Id note-a003-2, note-a003-1)
        $notes.Id | Should -Be @('note-a003-2', 'note-a003-1')
        (Get-NoteRequests).path | Should -Be @('/contacts/contact-a003/notes/note-a003-2', '/contacts/contact-a003/notes/note-a003-1')
    }

    Context 'Binding' {
        It 'lists the notes of a contact piped in (its Id is the contact id)' {
            $notes = @(Get-LcContact -Id contact-a003 | Get-LcContactNote)
            $notes.Count | Should -Be 2
            @(Get-NoteRequests | Where-Object path -Like '*/notes*').path | Should -Be '/contacts/contact-a003/notes'
        }

        It 'lists the notes of contact ids piped in, in input order' {
            $notes = @('contact-a001', 'contact-a003' | Get-LcContactNote)
            $notes.Id | Should -Be @('note-a003-1', 'note-a003-2')
        }

        It 'lists the notes of a conversation''s or a message''s contact, never using their Id' {
            $c = Get-LcConversation -Id conv-a003
            $m = Get-LcMessage -ConversationId conv-a003 -First 1
            @($c | Get-LcContactNote).Count | Should -Be 2
            @($m | Get-LcContactNote).Count | Should -Be 2
            @(Get-NoteRequests | Where-Object path -Like '*/notes*').path | Should -Be @('/contacts/contact-a003/notes', '/contacts/contact-a003/notes')
        }

        It 'lists a note''s contact''s notes when a note is piped in' {
            @(Get-LcContactNote -ContactId contact-a003 | Select-Object -First 1 | Get-LcContactNote).Count | Should -Be 2
        }
    }

    Context 'Errors' {
        It 'reports an unknown note as ApiNotFound and goes on with the next id' {
            $notes = @(Get-LcContactNote -ContactId contact-a003 -Id note-nope, note-a003-2 -ErrorVariable lcErr -ErrorAction SilentlyContinue)
            Assert-LcError $lcErr -ErrorId ApiNotFound -Category ObjectNotFound
            $notes.Id | Should -Be 'note-a003-2'
        }

        It 'reports an unknown contact as ApiNotFound' {
            $null = Get-LcContactNote -ContactId contact-zz999 -ErrorVariable lcErr -ErrorAction SilentlyContinue
            Assert-LcError $lcErr -ErrorId ApiNotFound
        }

        It 'refuses a malformed <Name> before sending' -TestCases @(
            @{ Name = 'contact id'; Params = @{ ContactId = 'contact-a003/notes' } }
            @{ Name = 'note id'; Params = @{ ContactId = 'contact-a003'; Id = 'note?x=1' } }
        ) {
            $null = Get-LcContactNote @Params -ErrorVariable lcErr -ErrorAction SilentlyContinue
            Assert-LcError $lcErr -ErrorId InvalidId -Category InvalidArgument
            @(Get-EmulatorRequests).Count | Should -Be 0
        }
    }
}
