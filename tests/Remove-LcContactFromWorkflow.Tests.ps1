BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    Import-Module (Join-Path $PSScriptRoot 'ContactExtras.Helpers.psm1') -Force
    $BaseUri = Initialize-TestSession

    function Get-UnenrollRequests { @(Get-EmulatorRequests -Method DELETE -PathPrefix '/contacts/' | Where-Object path -Like '*/workflow/*') }
}

AfterAll {
    if (Get-Command -Name Complete-TestSession -ErrorAction SilentlyContinue) { Complete-TestSession }
}

Describe 'Remove-LcContactFromWorkflow' {
    BeforeEach {
        Reset-Emulator
        Disconnect-Lc
        $null = Connect-TestLc -Tenant alpha
        Add-LcContactToWorkflow -ContactId contact-a001 -WorkflowId wf-welcome
        Add-LcContactToWorkflow -ContactId contact-a002 -WorkflowId wf-welcome
    }

    It 'sends a DELETE with the contract''s body and ends the enrollment; writes nothing' {
        Remove-LcContactFromWorkflow -ContactId contact-a001 -WorkflowId wf-welcome | Should -BeNullOrEmpty

        $r = Get-UnenrollRequests
        $r.Count | Should -Be 1
        $r[0].path | Should -Be '/contacts/contact-a001/workflow/wf-welcome'
        $r[0].body | Should -Be '{}'
        $r[0].statusCode | Should -Be 200
        $e = @(Get-WorkflowEnrollments -EmulatorUri $BaseUri)
        ($e | Where-Object contactId -EQ 'contact-a001').removedAt | Should -Not -BeNullOrEmpty
        ($e | Where-Object contactId -EQ 'contact-a002').removedAt | Should -BeNullOrEmpty
    }

    It 'sends -EventStartTime in the DELETE body too, ISO 8601 in UTC' {
        Remove-LcContactFromWorkflow -ContactId contact-a001 -WorkflowId wf-welcome -EventStartTime ([DateTime]::new(2026, 7, 1, 8, 0, 0, [DateTimeKind]::Utc))
        (Get-UnenrollRequests)[0].body | Should -BeExactly '{"eventStartTime":"2026-07-01T08:00:00.000Z"}'
    }

    It 'binds a contact''s Id and a conversation''s ContactId (never its Id)' {
        Get-LcContact -Id contact-a001 | Remove-LcContactFromWorkflow -WorkflowId wf-welcome
        Get-LcConversation -Id conv-a045 | Remove-LcContactFromWorkflow -WorkflowId wf-welcome
        (Get-UnenrollRequests).path | Should -Be @('/contacts/contact-a001/workflow/wf-welcome', '/contacts/contact-a002/workflow/wf-welcome')
        @(Get-WorkflowEnrollments -EmulatorUri $BaseUri | Where-Object { -not $_.removedAt }).Count | Should -Be 0
    }

    It 'reports a workflow that does not exist as ApiNotFound' {
        Remove-LcContactFromWorkflow -ContactId contact-a001 -WorkflowId wf-missing -ErrorVariable lcErr -ErrorAction SilentlyContinue
        Assert-LcError $lcErr -ErrorId ApiNotFound -Category ObjectNotFound
    }

    It 'refuses a malformed workflow id before sending' {
        Remove-LcContactFromWorkflow -ContactId contact-a001 -WorkflowId '../wf' -ErrorVariable lcErr -ErrorAction SilentlyContinue
        Assert-LcError $lcErr -ErrorId InvalidId -Category InvalidArgument
        @(Get-UnenrollRequests).Count | Should -Be 0
    }

    It 'sends nothing with -WhatIf, and lists each change' {
        Remove-LcContactFromWorkflow -ContactId contact-a001 -WorkflowId wf-welcome -WhatIf
        @(Get-UnenrollRequests).Count | Should -Be 0

        $out = Invoke-LcWhatIf -EmulatorUri $BaseUri -Script 'Get-LcContact -Id contact-a001, contact-a002 | Remove-LcContactFromWorkflow -WorkflowId wf-welcome -WhatIf'
        $lines = @($out | Where-Object { $_ -like 'What if:*' })
        $lines.Count | Should -Be 2
        $lines[0] | Should -Match 'Remove from workflow wf-welcome.*contact contact-a001'
        $lines[1] | Should -Match 'contact contact-a002'
        @(Get-UnenrollRequests).Count | Should -Be 0
    }
}
