BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    $BaseUri = Initialize-TestSession

    function Get-DeleteRequests { @(Get-EmulatorRequests -Method DELETE -PathPrefix '/contacts/') }
}

AfterAll {
    if (Get-Command -Name Complete-TestSession -ErrorAction SilentlyContinue) { Complete-TestSession }
}

Describe 'Remove-LcContact' {
    BeforeEach {
        Reset-Emulator
        Disconnect-Lc
        $null = Connect-TestLc -Tenant alpha
    }

    It 'deletes with -Force, writes nothing, and the contact is gone' {
        Remove-LcContact -ContactId contact-a012 -Force | Should -BeNullOrEmpty
        (Get-DeleteRequests)[0].path | Should -Be '/contacts/contact-a012'
        $null = Get-LcContact -Id contact-a012 -ErrorVariable lcErr -ErrorAction SilentlyContinue
        Assert-LcError $lcErr -ErrorId ApiNotFound
    }

    It 'is ConfirmImpact High: -WhatIf sends nothing, and -Confirm:$false deletes' {
        Remove-LcContact -ContactId contact-a013 -WhatIf
        (Get-EmulatorRequests).Count | Should -Be 0
        Remove-LcContact -ContactId contact-a013 -Confirm:$false
        (Get-DeleteRequests).Count | Should -Be 1
    }

    It 'binds a contact''s Id, a conversation''s ContactId and a message''s ContactId' {
        Get-LcContact -Id contact-a014 | Remove-LcContact -Force
        Get-LcConversation -Id conv-a015 | Remove-LcContact -Force
        $m = @(Get-LcMessage -ConversationId conv-a016)[0]
        $m | Remove-LcContact -Force
        (Get-DeleteRequests).path -join ',' | Should -Be "/contacts/contact-a014,/contacts/contact-a015,/contacts/$($m.ContactId)"
    }

    It 'writes ApiNotFound for a missing contact and goes on; refuses a malformed id' {
        'contact-missing', 'contact-a017' | Remove-LcContact -Force -ErrorVariable lcErr -ErrorAction SilentlyContinue
        Assert-LcError $lcErr -ErrorId ApiNotFound
        (Get-DeleteRequests).Count | Should -Be 2
        $null = Remove-LcContact -ContactId '../x' -Force -ErrorVariable e2 -ErrorAction SilentlyContinue
        Assert-LcError $e2 -ErrorId InvalidId
        (Get-DeleteRequests).Count | Should -Be 2
    }
}
