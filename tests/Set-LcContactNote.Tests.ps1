BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    Import-Module (Join-Path $PSScriptRoot 'ContactExtras.Helpers.psm1') -Force
    $BaseUri = Initialize-TestSession

    function Get-PutRequests { @(Get-EmulatorRequests -Method PUT -PathPrefix '/contacts/') }
}

AfterAll {
    if (Get-Command -Name Complete-TestSession -ErrorAction SilentlyContinue) { Complete-TestSession }
}

Describe 'Set-LcContactNote' {
    BeforeEach {
        Reset-Emulator
        Disconnect-Lc
        $null = Connect-TestLc -Tenant alpha
    }

    It 'puts only the given fields and returns the note with -PassThru' {
        $r = Set-LcContactNote -ContactId contact-a003 -Id note-a003-2 -Title 'Preferences' -Pinned $true -PassThru

        $r.PSObject.TypeNames[0] | Should -Be 'LeadConnector.ContactNote'
        $r.Id | Should -Be 'note-a003-2'
        $r.Title | Should -Be 'Preferences'
        $r.Pinned | Should -BeTrue
        $r.Body | Should -Be "Prefers SMS over email.`nBest time: mornings."
        $put = Get-PutRequests
        $put.Count | Should -Be 1
        $put[0].path | Should -Be '/contacts/contact-a003/notes/note-a003-2'
        $body = Get-RequestBody -Request $put[0]
        @($body.PSObject.Properties.Name) | Should -Be @('title', 'pinned')
    }

    It 'writes nothing without -PassThru; the change is stored' {
        Set-LcContactNote -ContactId contact-a003 -Id note-a003-1 -Body 'New text' -Pinned $false | Should -BeNullOrEmpty
        $n = Get-LcContactNote -ContactId contact-a003 -Id note-a003-1
        $n.Body | Should -Be 'New text'
        $n.Pinned | Should -BeFalse
        $n.Title | Should -Be 'Follow-up summary'
    }

    It 'binds a note''s ContactId and Id from the pipeline' {
        $r = @(Get-LcContactNote -ContactId contact-a003 | Set-LcContactNote -Color '#112233' -PassThru)
        $r.Id | Should -Be @('note-a003-1', 'note-a003-2')
        (Get-PutRequests).path | Should -Be @('/contacts/contact-a003/notes/note-a003-1', '/contacts/contact-a003/notes/note-a003-2')
        @($r | Where-Object Color -ne '#112233').Count | Should -Be 0
    }

    It 'refuses a conversation or a message piped in at binding (their Id is never sent as a note id)' {
        { Get-LcConversation -Id conv-a003 | Set-LcContactNote -Title x -ErrorAction Stop } | Should -Throw -ErrorId 'InputObjectNotBound*'
        { Get-LcMessage -ConversationId conv-a003 -First 1 | Set-LcContactNote -Title x -ErrorAction Stop } | Should -Throw -ErrorId 'InputObjectNotBound*'
        @(Get-EmulatorRequests -Method PUT).Count | Should -Be 0
    }

    It 'takes a note id (-NoteId) with the contact id of a conversation piped in' {
        $r = Get-LcConversation -Id conv-a003 | Set-LcContactNote -NoteId note-a003-2 -Title 'Via conversation' -PassThru
        $r.Title | Should -Be 'Via conversation'
        (Get-PutRequests).path | Should -Be '/contacts/contact-a003/notes/note-a003-2'
    }

    It 'refuses to run with nothing to change (NothingToUpdate), before anything is sent' {
        { Set-LcContactNote -ContactId contact-a003 -Id note-a003-1 -ErrorAction Stop } | Should -Throw -ErrorId 'NothingToUpdate*'
        @(Get-EmulatorRequests).Count | Should -Be 0
    }

    It 'refuses <Name> with <ErrorId>, nothing sent' -TestCases @(
        @{ Name = 'an empty body'; ErrorId = 'InvalidNote'; Params = @{ Body = '' } }
        @{ Name = 'a title with a control character'; ErrorId = 'InvalidNote'; Params = @{ Title = "x`0" } }
        @{ Name = 'a malformed note id'; ErrorId = 'InvalidId'; Params = @{ Title = 'x'; Id = 'note/../x' } }
        @{ Name = 'a malformed contact id'; ErrorId = 'InvalidId'; Params = @{ Title = 'x'; ContactId = 'a b' } }
    ) {
        if (-not $Params.ContainsKey('Id')) { $Params.Id = 'note-a003-1' }
        if (-not $Params.ContainsKey('ContactId')) { $Params.ContactId = 'contact-a003' }
        $null = Set-LcContactNote @Params -ErrorVariable lcErr -ErrorAction SilentlyContinue
        Assert-LcError $lcErr -ErrorId $ErrorId -Category InvalidArgument
        @(Get-EmulatorRequests).Count | Should -Be 0
    }

    It 'reports an unknown note, or a note of another contact, as ApiNotFound' {
        $null = Set-LcContactNote -ContactId contact-a003 -Id note-nope -Title x -ErrorVariable e1 -ErrorAction SilentlyContinue
        $null = Set-LcContactNote -ContactId contact-a004 -Id note-a003-1 -Title x -ErrorVariable e2 -ErrorAction SilentlyContinue
        Assert-LcError $e1 -ErrorId ApiNotFound
        Assert-LcError $e2 -ErrorId ApiNotFound
    }

    It 'sends nothing with -WhatIf, and lists each change' {
        Set-LcContactNote -ContactId contact-a003 -Id note-a003-1 -Title x -WhatIf
        @(Get-EmulatorRequests -Method PUT).Count | Should -Be 0

        $out = Invoke-LcWhatIf -EmulatorUri $BaseUri -Script "Get-LcContactNote -ContactId contact-a003 | Set-LcContactNote -Pinned `$false -WhatIf"
        $lines = @($out | Where-Object { $_ -like 'What if:*' })
        $lines.Count | Should -Be 2
        $lines[0] | Should -Match 'Update note \(Pinned=False\).*note note-a003-1 of contact contact-a003'
        $lines[1] | Should -Match 'note note-a003-2 of contact contact-a003'
        @(Get-EmulatorRequests -Method PUT).Count | Should -Be 0
    }
}
