BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    Import-Module (Join-Path $PSScriptRoot 'ContactExtras.Helpers.psm1') -Force
    $BaseUri = Initialize-TestSession

    function Get-DeleteRequests { @(Get-EmulatorRequests -Method DELETE -PathPrefix '/contacts/') }
}

AfterAll {
    if (Get-Command -Name Complete-TestSession -ErrorAction SilentlyContinue) { Complete-TestSession }
}

Describe 'Remove-LcContactNote' {
    BeforeEach {
        Reset-Emulator
        Disconnect-Lc
        $null = Connect-TestLc -Tenant alpha
    }

    It 'deletes the note and writes nothing' {
        Remove-LcContactNote -ContactId contact-a003 -Id note-a003-1 -Confirm:$false | Should -BeNullOrEmpty

        (Get-DeleteRequests).path | Should -Be '/contacts/contact-a003/notes/note-a003-1'
        (Get-DeleteRequests)[0].statusCode | Should -Be 200
        (Get-LcContactNote -ContactId contact-a003).Id | Should -Be 'note-a003-2'
    }

    It 'is ConfirmImpact Medium, so it asks only when $ConfirmPreference is Medium or lower; -Force then skips the prompt' {
        (Get-Command Remove-LcContactNote).ImplementingType.GetCustomAttributes([System.Management.Automation.CmdletAttribute], $false)[0].ConfirmImpact |
            Should -Be 'Medium'
        $ConfirmPreference = 'Medium'
        Remove-LcContactNote -ContactId contact-a003 -Id note-a003-2 -Force
        (Get-DeleteRequests).Count | Should -Be 1
    }

    It 'removes every note piped in (a note binds its ContactId and Id)' {
        Get-LcContactNote -ContactId contact-a003 | Remove-LcContactNote -Confirm:$false
        (Get-DeleteRequests).path | Should -Be @('/contacts/contact-a003/notes/note-a003-1', '/contacts/contact-a003/notes/note-a003-2')
        @(Get-LcContactNote -ContactId contact-a003).Count | Should -Be 0
    }

    It 'reports a note that is gone as ApiNotFound and goes on with the next' {
        $notes = @(Get-LcContactNote -ContactId contact-a003)
        Remove-LcContactNote -ContactId contact-a003 -NoteId note-a003-1 -Confirm:$false
        $notes | Remove-LcContactNote -Confirm:$false -ErrorVariable lcErr -ErrorAction SilentlyContinue
        Assert-LcError $lcErr -ErrorId ApiNotFound -Category ObjectNotFound
        $lcErr[0].TargetObject | Should -Be 'note-a003-1'
        @(Get-LcContactNote -ContactId contact-a003).Count | Should -Be 0
    }

    It 'refuses a conversation or a message piped in at binding (their Id is never sent as a note id)' {
        { Get-LcConversation -Id conv-a003 | Remove-LcContactNote -Confirm:$false -ErrorAction Stop } | Should -Throw -ErrorId 'InputObjectNotBound*'
        { Get-LcMessage -ConversationId conv-a003 -First 1 | Remove-LcContactNote -Confirm:$false -ErrorAction Stop } | Should -Throw -ErrorId 'InputObjectNotBound*'
        @(Get-EmulatorRequests -Method DELETE).Count | Should -Be 0
    }

    It 'takes a note id with the contact id of a conversation piped in' {
        Get-LcConversation -Id conv-a003 | Remove-LcContactNote -Id note-a003-2 -Confirm:$false
        (Get-DeleteRequests).path | Should -Be '/contacts/contact-a003/notes/note-a003-2'
    }

    It 'refuses a malformed <Name> before sending' -TestCases @(
        @{ Name = 'note id'; Params = @{ ContactId = 'contact-a003'; Id = 'note-a003-1/../x' } }
        @{ Name = 'contact id'; Params = @{ ContactId = "contact`n"; Id = 'note-a003-1' } }
    ) {
        Remove-LcContactNote @Params -Confirm:$false -ErrorVariable lcErr -ErrorAction SilentlyContinue
        Assert-LcError $lcErr -ErrorId InvalidId -Category InvalidArgument
        @(Get-EmulatorRequests).Count | Should -Be 0
    }

    It 'sends nothing with -WhatIf, even with -Force, and lists each change' {
        Remove-LcContactNote -ContactId contact-a003 -Id note-a003-1 -Force -WhatIf
        @(Get-EmulatorRequests -Method DELETE).Count | Should -Be 0

        $out = Invoke-LcWhatIf -EmulatorUri $BaseUri -Script 'Get-LcContactNote -ContactId contact-a003 | Remove-LcContactNote -WhatIf'
        $lines = @($out | Where-Object { $_ -like 'What if:*' })
        $lines.Count | Should -Be 2
        $lines[0] | Should -Match 'Remove note.*note note-a003-1 of contact contact-a003'
        $lines[1] | Should -Match 'note note-a003-2'
        @(Get-EmulatorRequests -Method DELETE).Count | Should -Be 0
    }
}
