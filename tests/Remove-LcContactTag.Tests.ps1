BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    Import-Module (Join-Path $PSScriptRoot 'ContactExtras.Helpers.psm1') -Force
    $BaseUri = Initialize-TestSession

    function Get-UntagRequests([string] $ContactId) { @(Get-EmulatorRequests -Method DELETE -PathPrefix "/contacts/$ContactId/tags") }
}

AfterAll {
    if (Get-Command -Name Complete-TestSession -ErrorAction SilentlyContinue) { Complete-TestSession }
}

Describe 'Remove-LcContactTag' {
    BeforeEach {
        Reset-Emulator
        Disconnect-Lc
        $null = Connect-TestLc -Tenant alpha
    }

    It 'sends a DELETE whose JSON body the server receives, and removes only those tags' {
        # contact-a002 is seeded with vip and newsletter.
        $r = Remove-LcContactTag -ContactId contact-a002 -Tag newsletter

        $r | Should -BeNullOrEmpty
        $requests = Get-UntagRequests contact-a002
        $requests.Count | Should -Be 1
        $requests[0].statusCode | Should -Be 200
        $body = Get-RequestBody -Request $requests[0]
        $body | Should -Not -BeNullOrEmpty
        @($body.tags) | Should -Be @('newsletter')
        @((Get-LcContact -Id contact-a002).Tags) | Should -Be @('vip')
    }

    It 'returns the tags left as a typed LeadConnector.ContactTags with -PassThru (a tag the contact lacks is no error)' {
        $r = Remove-LcContactTag -ContactId contact-a005 -Tag VIP, not-there -PassThru

        $r.PSObject.TypeNames[0] | Should -Be 'LeadConnector.ContactTags'
        $r.ContactId | Should -Be 'contact-a005'
        @($r.Tags) | Should -Be @((Get-LcContact -Id contact-a005).Tags)
        $r.Tags | Should -Not -Contain 'vip'
        @((Get-RequestBody -Request (Get-UntagRequests contact-a005)[0]).tags) -join '|' | Should -Be 'VIP|not-there'
    }

    Context 'Binding' {
        It 'binds a contact''s Id, and a conversation''s or message''s ContactId, never their Id' {
            Get-LcContact -Id contact-a002 | Remove-LcContactTag -Tag vip
            Get-LcConversation -Id conv-a045 | Remove-LcContactTag -Tag newsletter
            Get-LcMessage -ConversationId conv-a008 -First 1 | Remove-LcContactTag -Tag lead

            (Get-UntagRequests contact-a002).Count | Should -Be 2
            (Get-UntagRequests contact-a008).Count | Should -Be 1
            @(Get-EmulatorRequests -Method DELETE).Count | Should -Be 3
            @((Get-LcContact -Id contact-a002).Tags).Count | Should -Be 0
        }

        It 'binds a note''s ContactId' {
            Get-LcContactNote -ContactId contact-a003 | Select-Object -First 1 | Remove-LcContactTag -Tag x
            (Get-UntagRequests contact-a003).Count | Should -Be 1
        }

        It 'untags every contact of a search, in input order' {
            $tagged = @(Get-LcContact -Query 'example.com' -All | Where-Object { $_.Tags -contains 'vip' })
            $tagged.Count | Should -BeGreaterThan 5
            $results = @($tagged | Remove-LcContactTag -Tag vip -PassThru -ThrottleLimit 4)

            ($results.ContactId -join ',') | Should -Be ($tagged.Id -join ',')
            @(Get-LcContact -Query 'example.com' -All | Where-Object { $_.Tags -contains 'vip' }).Count | Should -Be 0
        }
    }

    Context 'Refusals: nothing is sent' {
        It 'refuses <Name> with <ErrorId>' -TestCases @(
            @{ Name = 'a tag with a control character'; ErrorId = 'InvalidTag'; Params = @{ Tag = "a`tb" } }
            @{ Name = 'too many tags'; ErrorId = 'InvalidTag'; Params = @{ Tag = 1..101 | ForEach-Object { "t$_" } } }
            @{ Name = 'a malformed contact id'; ErrorId = 'InvalidId'; Params = @{ Tag = 'vip'; ContactId = 'contact a002' } }
        ) {
            if (-not $Params.ContainsKey('ContactId')) { $Params.ContactId = 'contact-a002' }
            $null = Remove-LcContactTag @Params -ErrorVariable lcErr -ErrorAction SilentlyContinue

            Assert-LcError $lcErr -ErrorId $ErrorId -Category InvalidArgument
            @(Get-EmulatorRequests).Count | Should -Be 0
        }

        It 'refuses an empty tag at binding' {
            { Remove-LcContactTag -ContactId contact-a002 -Tag 'vip', '' -ErrorAction Stop } | Should -Throw -ErrorId 'ParameterArgumentValidationError*'
            @(Get-EmulatorRequests).Count | Should -Be 0
        }

        It 'sends nothing with -WhatIf, and lists each change' {
            Remove-LcContactTag -ContactId contact-a002 -Tag vip -WhatIf
            @(Get-EmulatorRequests).Count | Should -Be 0

            $out = Invoke-LcWhatIf -EmulatorUri $BaseUri -Script "Get-LcContact -Id contact-a001, contact-a002 | Remove-LcContactTag -Tag vip -WhatIf"
            $lines = @($out | Where-Object { $_ -like 'What if:*' })
            $lines.Count | Should -Be 2
            $lines[0] | Should -Match 'Remove tags \(vip\).*contact contact-a001'
            $lines[1] | Should -Match 'contact contact-a002'
            @(Get-EmulatorRequests -Method DELETE).Count | Should -Be 0
        }
    }

    It 'reports a contact of another location (403) as an error' {
        $null = Remove-LcContactTag -ContactId contact-b001 -Tag vip -ErrorVariable lcErr -ErrorAction SilentlyContinue
        @($lcErr).Count | Should -Be 1
        (Get-UntagRequests contact-b001)[0].statusCode | Should -Be 403
    }
}
