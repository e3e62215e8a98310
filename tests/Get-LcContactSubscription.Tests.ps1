BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    $BaseUri = Initialize-TestSession

    function Get-StatusRequests { @(Get-EmulatorRequests -Method GET -PathPrefix '/conversations/preferences/unsubscriptions/status') }
}

AfterAll {
    if (Get-Command -Name Complete-TestSession -ErrorAction SilentlyContinue) { Complete-TestSession }
}

Describe 'Get-LcContactSubscription' {
    BeforeEach {
        Reset-Emulator
        Disconnect-Lc
        $null = Connect-TestLc -Tenant alpha
    }

    It 'reads every status of every address of the contact as typed rows' {
        $r = @(Get-LcContactSubscription -ContactId contact-a003)

        $r.Count | Should -Be 4
        $r[0].PSObject.TypeNames[0] | Should -Be 'LeadConnector.ContactSubscription'
        $r | ForEach-Object { $_.ContactId | Should -Be 'contact-a003'; $_.LocationId | Should -Be 'loc-alpha'; $_.Channel | Should -Be 'email' }
        $one = $r | Where-Object { $_.Email -eq 'sofia.nguyen@example.com' -and $_.Type -eq 'default' }
        $one.SubtypeName | Should -Be 'One on One'
        $one.Status | Should -Be 'unsubscribed'
        $one.DateUpdated | Should -BeOfType [DateTimeOffset]
        $news = $r | Where-Object { $_.Email -eq 'sofia@nguyen-realty.example.com' -and $_.Type -eq 'custom' }
        $news.SubtypeId | Should -Be 'cst-alpha-newsletter'
        $news.SubtypeName | Should -Be 'Newsletter'
        $news.Status | Should -Be 'unsubscribed'
    }

    It 'sends GET with locationId and contactId, and email only when -Email is given' {
        $null = Get-LcContactSubscription -ContactId contact-a003
        $null = Get-LcContactSubscription -ContactId contact-a003 -Email 'sofia@nguyen-realty.example.com'
        $req = Get-StatusRequests
        $req[0].path | Should -Be '/conversations/preferences/unsubscriptions/status'
        $req[0].queryString | Should -Be '?locationId=loc-alpha&contactId=contact-a003'
        $req[1].queryString | Should -Be '?locationId=loc-alpha&contactId=contact-a003&email=sofia%40nguyen-realty.example.com'
    }

    It 'reads one address with -Email' {
        $r = @(Get-LcContactSubscription -ContactId contact-a003 -Email 'sofia@nguyen-realty.example.com')
        $r.Count | Should -Be 2
        $r.Email | Sort-Object -Unique | Should -Be 'sofia@nguyen-realty.example.com'
    }

    It 'reports a contact with no stored status as subscribed to everything' {
        $r = @(Get-LcContactSubscription -ContactId contact-a010)
        $r.Count | Should -Be 2
        $r.Status | Sort-Object -Unique | Should -Be 'subscribed'
    }

    It 'takes a contact''s Id, and a conversation''s or message''s ContactId (never its Id), from the pipeline' {
        $null = Get-LcContact -Id contact-a003 | Get-LcContactSubscription
        $null = Get-LcConversation -Id conv-a005 | Get-LcContactSubscription
        $null = Get-LcMessage -ConversationId conv-a006 -First 1 | Get-LcContactSubscription
        $null = 'contact-a007' | ForEach-Object { [pscustomobject]@{ ContactId = $_ } } | Get-LcContactSubscription
        $q = @(Get-StatusRequests | ForEach-Object { $_.queryString })
        $q | Should -Be @(
            '?locationId=loc-alpha&contactId=contact-a003'
            '?locationId=loc-alpha&contactId=contact-a005'
            '?locationId=loc-alpha&contactId=contact-a006'
            '?locationId=loc-alpha&contactId=contact-a007')
    }

    It 'maps <Name> to <ErrorId>' -TestCases @(
        @{ Name = 'an unknown contact'; Params = @{ ContactId = 'contact-zzz' }; ErrorId = 'ApiNotFound'; Category = 'ObjectNotFound' }
        @{ Name = 'an address the contact does not have'; Params = @{ ContactId = 'contact-a003'; Email = 'who@example.com' }; ErrorId = 'ApiInvalidRequest'; Category = 'InvalidArgument' }
        @{ Name = 'another location''s contact'; Params = @{ ContactId = 'contact-b001' }; ErrorId = 'ApiForbidden'; Category = 'PermissionDenied' }
    ) {
        $null = Get-LcContactSubscription @Params -ErrorVariable lcErr -ErrorAction SilentlyContinue
        Assert-LcError $lcErr -ErrorId $ErrorId -Category $Category
    }

    It 'refuses <Name> before sending' -TestCases @(
        @{ Name = 'a malformed contact id'; Params = @{ ContactId = 'contact a003' }; ErrorId = 'InvalidId' }
        @{ Name = 'an -Email that is no address'; Params = @{ ContactId = 'contact-a003'; Email = 'not-an-address' }; ErrorId = 'InvalidEmail' }
    ) {
        $null = Get-LcContactSubscription @Params -ErrorVariable lcErr -ErrorAction SilentlyContinue
        Assert-LcError $lcErr -ErrorId $ErrorId -Category InvalidArgument
        @(Get-EmulatorRequests).Count | Should -Be 0
    }

    It 'shows a table that fits 80 columns, headers whole' {
        $text = Get-LcContactSubscription -ContactId contact-a003 | Format-Table | Out-String -Width 80
        foreach ($line in $text -split '\r?\n') { $line.Length | Should -BeLessOrEqual 80 }
        $text | Should -Match 'ContactId: contact-a003'
        $header = @($text -split '\r?\n' | Where-Object { $_.Trim() -and $_ -notmatch 'ContactId:' })[0]
        foreach ($label in 'Email', 'Type', 'Status', 'SubtypeName') { $header | Should -Match "(^| )$label( |$)" }
    }

    It 'reads a bare array with camel-case names and status, as well as the documented request names' {
        Set-EmulatorFault -Method GET -PathPrefix '/conversations/preferences/unsubscriptions/status' -Kind Status -StatusCode 200 -Count 1 -ContentType 'application/json' `
            -Body '[{"email":"a@example.com","type":"custom","subtypeId":"s1","subtypeName":"N","status":"unsubscribed","updatedAt":"2025-01-02T03:04:05Z"}]'
        $r = Get-LcContactSubscription -ContactId contact-a003
        $r.SubtypeId | Should -Be 's1'
        $r.SubtypeName | Should -Be 'N'
        $r.Status | Should -Be 'unsubscribed'
        $r.ContactId | Should -Be 'contact-a003'
        $r.DateUpdated | Should -Be ([DateTimeOffset]'2025-01-02T03:04:05Z')
    }
}
