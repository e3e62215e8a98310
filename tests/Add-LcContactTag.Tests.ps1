BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    Import-Module (Join-Path $PSScriptRoot 'ContactExtras.Helpers.psm1') -Force
    $BaseUri = Initialize-TestSession

    function Get-TagRequests([string] $ContactId) { @(Get-EmulatorRequests -Method POST -PathPrefix "/contacts/$ContactId/tags") }
}

AfterAll {
    if (Get-Command -Name Complete-TestSession -ErrorAction SilentlyContinue) { Complete-TestSession }
}

Describe 'Add-LcContactTag' {
    BeforeEach {
        Reset-Emulator
        Disconnect-Lc
        $null = Connect-TestLc -Tenant alpha
    }

    It 'posts { tags } and keeps the contact''s other tags; no output without -PassThru' {
        $r = Add-LcContactTag -ContactId contact-a001 -Tag vip, 'spring promo'

        $r | Should -BeNullOrEmpty
        $requests = Get-TagRequests contact-a001
        $requests.Count | Should -Be 1
        $body = Get-RequestBody -Request $requests[0]
        @($body.tags) -join '|' | Should -Be 'vip|spring promo'
        @($body.PSObject.Properties.Name) | Should -Be @('tags')
        @((Get-LcContact -Id contact-a001).Tags) | Should -Be @('lead', 'vip', 'spring promo')
    }

    It 'returns the contact''s tags as a typed LeadConnector.ContactTags with -PassThru' {
        $r = Add-LcContactTag -ContactId contact-a002 -Tag customer -PassThru

        $r.PSObject.TypeNames[0] | Should -Be 'LeadConnector.ContactTags'
        $r.ContactId | Should -Be 'contact-a002'
        @($r.Tags) | Should -Be @('vip', 'newsletter', 'customer')
        ($r | Format-Table | Out-String -Width 80) | Should -Match 'contact-a002\s+vip, newsletter, customer'
    }

    It 'sends a repeated tag once (ignoring case)' {
        $null = Add-LcContactTag -ContactId contact-a003 -Tag VIP, vip, lead
        @((Get-RequestBody -Request (Get-TagRequests contact-a003)[0]).tags) -join '|' | Should -Be 'VIP|lead'
    }

    Context 'Binding' {
        It 'binds a contact''s Id' {
            Get-LcContact -Id contact-a004 | Add-LcContactTag -Tag piped
            (Get-TagRequests contact-a004).Count | Should -Be 1
        }

        It 'binds a conversation''s ContactId, never its Id' {
            $c = Get-LcConversation -Id conv-a045
            $c.ContactId | Should -Be 'contact-a002'
            $c | Add-LcContactTag -Tag piped
            (Get-TagRequests contact-a002).Count | Should -Be 1
            @(Get-EmulatorRequests -Method POST -PathPrefix '/contacts/conv-').Count | Should -Be 0
        }

        It 'binds a message''s ContactId, never its Id' {
            $m = Get-LcMessage -ConversationId conv-a005 -First 1
            $m | Add-LcContactTag -Tag piped
            (Get-TagRequests contact-a005).Count | Should -Be 1
            @(Get-EmulatorRequests -Method POST | Where-Object path -NotMatch '^/contacts/contact-a005/tags$').Count | Should -Be 0
        }

        It 'binds a note''s ContactId, never its Id' {
            Get-LcContactNote -ContactId contact-a003 | Select-Object -First 1 | Add-LcContactTag -Tag from-note
            (Get-TagRequests contact-a003).Count | Should -Be 1
            @(Get-EmulatorRequests -Method POST -PathPrefix '/contacts/note-').Count | Should -Be 0
        }

        It 'tags every contact a search returns, in input order' {
            $contacts = @(Get-LcContact -Query 'example.com' -All)
            $contacts.Count | Should -BeGreaterThan 40
            $results = @($contacts | Add-LcContactTag -Tag bulk -PassThru)

            $results.Count | Should -Be $contacts.Count
            ($results.ContactId -join ',') | Should -Be ($contacts.Id -join ',')
            @($results | Where-Object { $_.Tags -notcontains 'bulk' }).Count | Should -Be 0
            @(Get-EmulatorRequests -Method POST | Where-Object path -Like '/contacts/*/tags').Count | Should -Be $contacts.Count
            @(Get-LcContact -Query 'example.com' -All | Where-Object { $_.Tags -notcontains 'bulk' }).Count | Should -Be 0
        }
    }

    Context 'Refusals: nothing is sent' {
        It 'refuses <Name> with <ErrorId>' -TestCases @(
            @{ Name = 'a blank tag'; ErrorId = 'InvalidTag'; Params = @{ Tag = '  ' } }
            @{ Name = 'a tag with a control character'; ErrorId = 'InvalidTag'; Params = @{ Tag = "vip`nlead" } }
            @{ Name = 'a tag that is too long'; ErrorId = 'InvalidTag'; Params = @{ Tag = 'x' * 256 } }
            @{ Name = 'too many tags'; ErrorId = 'InvalidTag'; Params = @{ Tag = 1..101 | ForEach-Object { "t$_" } } }
            @{ Name = 'a malformed contact id'; ErrorId = 'InvalidId'; Params = @{ Tag = 'vip'; ContactId = '../conversations' } }
        ) {
            if (-not $Params.ContainsKey('ContactId')) { $Params.ContactId = 'contact-a007' }
            $r = Add-LcContactTag @Params -ErrorVariable lcErr -ErrorAction SilentlyContinue

            $r | Should -BeNullOrEmpty
            Assert-LcError $lcErr -ErrorId $ErrorId -Category InvalidArgument
            "$($lcErr[0])" | Should -Match 'nothing was sent|Nothing was sent'
            @(Get-EmulatorRequests).Count | Should -Be 0
        }

        It 'refuses an empty tag at binding' {
            { Add-LcContactTag -ContactId contact-a002 -Tag 'vip', '' -ErrorAction Stop } | Should -Throw -ErrorId 'ParameterArgumentValidationError*'
            @(Get-EmulatorRequests).Count | Should -Be 0
        }

        It 'sends nothing with -WhatIf, and lists each change' {
            Add-LcContactTag -ContactId contact-a007 -Tag vip -WhatIf
            @(Get-EmulatorRequests).Count | Should -Be 0

            $out = Invoke-LcWhatIf -EmulatorUri $BaseUri -Script "'contact-a008', 'contact-a009' | ForEach-Object { [pscustomobject]@{ ContactId = `$_ } } | Add-LcContactTag -Tag vip, lead -WhatIf"
            $lines = @($out | Where-Object { $_ -like 'What if:*' })
            $lines.Count | Should -Be 2
            $lines[0] | Should -Match 'Add tags \(vip, lead\).*contact contact-a008'
            $lines[1] | Should -Match 'contact contact-a009'
            @(Get-EmulatorRequests -Method POST).Count | Should -Be 0
        }
    }

    Context 'API errors and retries' {
        It 'reports an unknown contact (404) and goes on with the next' {
            $r = @([pscustomobject]@{ ContactId = 'contact-zz999' }, [pscustomobject]@{ ContactId = 'contact-a010' } |
                Add-LcContactTag -Tag vip -PassThru -ErrorVariable lcErr -ErrorAction SilentlyContinue)
            Assert-LcError $lcErr -ErrorId ApiNotFound -Category ObjectNotFound
            $r.Count | Should -Be 1
            $r[0].ContactId | Should -Be 'contact-a010'
        }

        It 'does not resend after the connection drops after processing' {
            Set-EmulatorFault -Method POST -PathPrefix '/contacts/contact-a011/tags' -Kind DropConnection -Stage AfterProcessing -Count 1
            $null = Add-LcContactTag -ContactId contact-a011 -Tag once -ErrorVariable lcErr -ErrorAction SilentlyContinue

            @($lcErr).Count | Should -Be 1
            (Get-TagRequests contact-a011).Count | Should -Be 1
            (Get-LcContact -Id contact-a011).Tags | Should -Contain 'once'
        }

        It 'retries a 429 (the request did not reach the application) and tags once' {
            Set-EmulatorFault -Method POST -PathPrefix '/contacts/contact-a012/tags' -Kind RateLimited -Count 1 -Headers @{ 'Retry-After' = '1' }
            $r = Add-LcContactTag -ContactId contact-a012 -Tag after-429 -PassThru

            $r.Tags | Should -Contain 'after-429'
            (Get-TagRequests contact-a012).Count | Should -Be 2
        }
    }
}
