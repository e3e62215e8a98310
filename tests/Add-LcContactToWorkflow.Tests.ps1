BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    Import-Module (Join-Path $PSScriptRoot 'ContactExtras.Helpers.psm1') -Force
    $BaseUri = Initialize-TestSession

    function Get-EnrollRequests { @(Get-EmulatorRequests -Method POST -PathPrefix '/contacts/' | Where-Object path -Like '*/workflow/*') }
}

AfterAll {
    if (Get-Command -Name Complete-TestSession -ErrorAction SilentlyContinue) { Complete-TestSession }
}

Describe 'Add-LcContactToWorkflow' {
    BeforeEach {
        Reset-Emulator
        Disconnect-Lc
        $null = Connect-TestLc -Tenant alpha
    }

    It 'enrolls the contact with an empty body when no -EventStartTime is given, and writes nothing' {
        Add-LcContactToWorkflow -ContactId contact-a001 -WorkflowId wf-welcome | Should -BeNullOrEmpty

        $r = Get-EnrollRequests
        $r.Count | Should -Be 1
        $r[0].path | Should -Be '/contacts/contact-a001/workflow/wf-welcome'
        $r[0].body | Should -Be '{}'
        $e = @(Get-WorkflowEnrollments -EmulatorUri $BaseUri)
        $e.Count | Should -Be 1
        $e[0].contactId | Should -Be 'contact-a001'
        $e[0].workflowId | Should -Be 'wf-welcome'
        $e[0].eventStartTime | Should -BeNullOrEmpty
    }

    It 'sends -EventStartTime as eventStartTime, ISO 8601 in UTC (a date without kind is local time)' {
        $at = [DateTime]::SpecifyKind([DateTime]'2026-06-23 03:30', [DateTimeKind]::Unspecified)
        Add-LcContactToWorkflow -ContactId contact-a002 -WorkflowId wf-nurture -EventStartTime $at

        $expected = ([DateTimeOffset][DateTime]::SpecifyKind($at, [DateTimeKind]::Local)).UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'")
        # The raw text: ConvertFrom-Json would turn the date string into a DateTime.
        (Get-EnrollRequests)[0].body | Should -BeExactly ('{"eventStartTime":"' + $expected + '"}')
        @(Get-WorkflowEnrollments -EmulatorUri $BaseUri).Count | Should -Be 1
    }

    Context 'Binding' {
        It 'binds a contact''s Id, and a conversation''s or message''s ContactId, never their Id' {
            Get-LcContact -Id contact-a004 | Add-LcContactToWorkflow -WorkflowId wf-welcome
            Get-LcConversation -Id conv-a045 | Add-LcContactToWorkflow -WorkflowId wf-welcome
            Get-LcMessage -ConversationId conv-a006 -First 1 | Add-LcContactToWorkflow -WorkflowId wf-welcome
            (Get-WorkflowEnrollments -EmulatorUri $BaseUri).contactId | Should -Be @('contact-a004', 'contact-a002', 'contact-a006')
        }

        It 'binds ContactId and WorkflowId from CSV-like rows' {
            @([pscustomobject]@{ ContactId = 'contact-a007'; WorkflowId = 'wf-welcome' }, [pscustomobject]@{ ContactId = 'contact-a008'; WorkflowId = 'wf-nurture' }) |
                Add-LcContactToWorkflow
            # The rows are sent concurrently (-ThrottleLimit): the server may receive them in either order.
            @(Get-WorkflowEnrollments -EmulatorUri $BaseUri | ForEach-Object { "$($_.contactId)>$($_.workflowId)" } | Sort-Object) |
                Should -Be @('contact-a007>wf-welcome', 'contact-a008>wf-nurture')
        }

        It 'enrolls every contact of a search once, in input order' {
            $contacts = @(Get-LcContact -Query 'example.com' -All)
            $contacts | Add-LcContactToWorkflow -WorkflowId wf-welcome
            $e = @(Get-WorkflowEnrollments -EmulatorUri $BaseUri)
            $e.Count | Should -Be $contacts.Count
            @($e.contactId | Sort-Object) -join ',' | Should -Be (@($contacts.Id | Sort-Object) -join ',')
        }
    }

    Context 'Refusals and API errors' {
        It 'refuses a malformed <Name> before sending' -TestCases @(
            @{ Name = 'workflow id'; Params = @{ ContactId = 'contact-a001'; WorkflowId = 'wf welcome' } }
            @{ Name = 'contact id'; Params = @{ ContactId = 'contact-a001?x'; WorkflowId = 'wf-welcome' } }
        ) {
            Add-LcContactToWorkflow @Params -ErrorVariable lcErr -ErrorAction SilentlyContinue
            Assert-LcError $lcErr -ErrorId InvalidId -Category InvalidArgument
            @(Get-EmulatorRequests).Count | Should -Be 0
        }

        It 'reports a workflow that does not exist (or is another location''s) as ApiNotFound and enrolls nothing' {
            Add-LcContactToWorkflow -ContactId contact-a001 -WorkflowId wf-missing -ErrorVariable e1 -ErrorAction SilentlyContinue
            Add-LcContactToWorkflow -ContactId contact-a001 -WorkflowId wf-beta-onboarding -ErrorVariable e2 -ErrorAction SilentlyContinue
            Assert-LcError $e1 -ErrorId ApiNotFound -Category ObjectNotFound
            Assert-LcError $e2 -ErrorId ApiNotFound
            "$($e1[0])" | Should -Match 'Workflow not found'
            @(Get-WorkflowEnrollments -EmulatorUri $BaseUri).Count | Should -Be 0
        }

        It 'reports an unknown contact as ApiNotFound' {
            Add-LcContactToWorkflow -ContactId contact-zz999 -WorkflowId wf-welcome -ErrorVariable lcErr -ErrorAction SilentlyContinue
            Assert-LcError $lcErr -ErrorId ApiNotFound
        }

        It 'does not resend after the connection drops after processing: one enrollment' {
            Set-EmulatorFault -Method POST -PathPrefix '/contacts/contact-a010/workflow' -Kind DropConnection -Stage AfterProcessing -Count 1
            Add-LcContactToWorkflow -ContactId contact-a010 -WorkflowId wf-welcome -ErrorVariable lcErr -ErrorAction SilentlyContinue

            @($lcErr).Count | Should -Be 1
            @(Get-EnrollRequests).Count | Should -Be 1
            @(Get-WorkflowEnrollments -EmulatorUri $BaseUri).Count | Should -Be 1
        }

        It 'sends nothing with -WhatIf, and lists each change' {
            Add-LcContactToWorkflow -ContactId contact-a001 -WorkflowId wf-welcome -WhatIf
            @(Get-EmulatorRequests).Count | Should -Be 0

            $out = Invoke-LcWhatIf -EmulatorUri $BaseUri -Script 'Get-LcContact -Id contact-a001, contact-a002 | Add-LcContactToWorkflow -WorkflowId wf-welcome -WhatIf'
            $lines = @($out | Where-Object { $_ -like 'What if:*' })
            $lines.Count | Should -Be 2
            $lines[0] | Should -Match 'Add to workflow wf-welcome.*contact contact-a001'
            $lines[1] | Should -Match 'contact contact-a002'
            @(Get-WorkflowEnrollments -EmulatorUri $BaseUri).Count | Should -Be 0
        }
    }
}
