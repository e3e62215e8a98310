BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    Import-Module (Join-Path $PSScriptRoot 'ContactExtras.Helpers.psm1') -Force
    $BaseUri = Initialize-TestSession

    function Get-CreateRequests([string] $ContactId) { @(Get-EmulatorRequests -Method POST -PathPrefix "/contacts/$ContactId/notes") }
}

AfterAll {
    if (Get-Command -Name Complete-TestSession -ErrorAction SilentlyContinue) { Complete-TestSession }
}

Describe 'New-LcContactNote' {
    BeforeEach {
        Reset-Emulator
        Disconnect-Lc
        $null = Connect-TestLc -Tenant alpha
    }

    It 'creates a note with every field and returns it typed' {
        $n = New-LcContactNote -ContactId contact-a001 -Body "Line one`nLine two" -Title 'Call summary' -Color '#00AAFF' -Pinned -UserId user-chen

        $n.PSObject.TypeNames[0] | Should -Be 'LeadConnector.ContactNote'
        $n.Id | Should -Not -BeNullOrEmpty
        $n.ContactId | Should -Be 'contact-a001'
        $n.Body | Should -Be "Line one`nLine two"
        $n.Pinned | Should -BeTrue
        $n.DateAdded | Should -Not -BeNullOrEmpty
        $body = Get-RequestBody -Request (Get-CreateRequests contact-a001)[0]
        $body.body | Should -Be "Line one`nLine two"
        $body.title | Should -Be 'Call summary'
        $body.color | Should -Be '#00AAFF'
        $body.pinned | Should -BeTrue
        $body.userId | Should -Be 'user-chen'
        (Get-LcContactNote -ContactId contact-a001).Id | Should -Be $n.Id
    }

    It 'sends only the body when nothing else is given' {
        $null = New-LcContactNote -ContactId contact-a002 'Just a body'
        @((Get-RequestBody -Request (Get-CreateRequests contact-a002)[0]).PSObject.Properties.Name) | Should -Be @('body')
    }

    Context 'Binding' {
        It 'binds a contact''s Id, and a conversation''s or a message''s ContactId, never their Id' {
            $null = Get-LcContact -Id contact-a004 | New-LcContactNote -Body 'from contact'
            $null = Get-LcConversation -Id conv-a045 | New-LcContactNote -Body 'from conversation'
            $null = Get-LcMessage -ConversationId conv-a006 -First 1 | New-LcContactNote -Body 'from message'

            (Get-CreateRequests contact-a004).Count | Should -Be 1
            (Get-CreateRequests contact-a002).Count | Should -Be 1
            (Get-CreateRequests contact-a006).Count | Should -Be 1
            @(Get-EmulatorRequests -Method POST).Count | Should -Be 3
        }

        It 'adds one note to every contact of a search, in input order' {
            $contacts = @(Get-LcContact -Query 'example.com' -All)
            $notes = @($contacts | New-LcContactNote -Body 'Spring campaign sent')
            $notes.Count | Should -Be $contacts.Count
            ($notes.ContactId -join ',') | Should -Be ($contacts.Id -join ',')
            @(Get-EmulatorRequests -Method POST | Where-Object path -Like '/contacts/*/notes').Count | Should -Be $contacts.Count
        }
    }

    Context 'Refusals: nothing is sent' {
        It 'refuses <Name> with <ErrorId>' -TestCases @(
            @{ Name = 'an empty body'; ErrorId = 'InvalidNote'; Params = @{ Body = '' } }
            @{ Name = 'a blank body'; ErrorId = 'InvalidNote'; Params = @{ Body = " `n " } }
            @{ Name = 'a body with a control character'; ErrorId = 'InvalidNote'; Params = @{ Body = "bell`a" } }
            @{ Name = 'a title with a line break'; ErrorId = 'InvalidNote'; Params = @{ Body = 'x'; Title = "a`nb" } }
            @{ Name = 'an empty color'; ErrorId = 'InvalidNote'; Params = @{ Body = 'x'; Color = '' } }
            @{ Name = 'a malformed user id'; ErrorId = 'InvalidId'; Params = @{ Body = 'x'; UserId = 'user alice' } }
            @{ Name = 'a malformed contact id'; ErrorId = 'InvalidId'; Params = @{ Body = 'x'; ContactId = '..' } }
        ) {
            if (-not $Params.ContainsKey('ContactId')) { $Params.ContactId = 'contact-a007' }
            $r = New-LcContactNote @Params -ErrorVariable lcErr -ErrorAction SilentlyContinue

            $r | Should -BeNullOrEmpty
            Assert-LcError $lcErr -ErrorId $ErrorId -Category InvalidArgument
            @(Get-EmulatorRequests).Count | Should -Be 0
        }

        It 'sends nothing with -WhatIf, and lists each change' {
            New-LcContactNote -ContactId contact-a007 -Body x -WhatIf | Should -BeNullOrEmpty
            @(Get-EmulatorRequests).Count | Should -Be 0

            $out = Invoke-LcWhatIf -EmulatorUri $BaseUri -Script "Get-LcContact -Id contact-a007, contact-a008 | New-LcContactNote -Body x -Title Visit -WhatIf"
            $lines = @($out | Where-Object { $_ -like 'What if:*' })
            $lines.Count | Should -Be 2
            $lines[0] | Should -Match "Add note 'Visit'.*contact contact-a007"
            $lines[1] | Should -Match 'contact contact-a008'
            @(Get-EmulatorRequests -Method POST).Count | Should -Be 0
        }
    }

    Context 'API errors and retries' {
        It 'reports an unknown contact (404)' {
            $null = New-LcContactNote -ContactId contact-zz999 -Body x -ErrorVariable lcErr -ErrorAction SilentlyContinue
            Assert-LcError $lcErr -ErrorId ApiNotFound
        }

        It 'does not resend after the connection drops after processing' {
            Set-EmulatorFault -Method POST -PathPrefix '/contacts/contact-a010/notes' -Kind DropConnection -Stage AfterProcessing -Count 1
            $null = New-LcContactNote -ContactId contact-a010 -Body once -ErrorVariable lcErr -ErrorAction SilentlyContinue

            @($lcErr).Count | Should -Be 1
            (Get-CreateRequests contact-a010).Count | Should -Be 1
            @(Get-LcContactNote -ContactId contact-a010).Count | Should -Be 1
        }

        It 'does not resend after a 503 answered after processing' {
            Set-EmulatorFault -Method POST -PathPrefix '/contacts/contact-a011/notes' -Kind Status -StatusCode 503 -Stage AfterProcessing -Count 1
            $null = New-LcContactNote -ContactId contact-a011 -Body once -ErrorVariable lcErr -ErrorAction SilentlyContinue

            Assert-LcError $lcErr -ErrorId ApiServerError
            (Get-CreateRequests contact-a011).Count | Should -Be 1
            @(Get-LcContactNote -ContactId contact-a011).Count | Should -Be 1
        }
    }
}
