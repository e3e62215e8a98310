BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    $BaseUri = Initialize-TestSession
}

AfterAll {
    if (Get-Command -Name Complete-TestSession -ErrorAction SilentlyContinue) { Complete-TestSession }
}

Describe 'Invoke-LcRequest' {
    BeforeEach {
        Reset-Emulator
        Disconnect-Lc
        $null = Connect-TestLc -Tenant alpha
    }

    It 'GETs a path and returns PSCustomObjects, with the connection''s auth and Version headers' {
        $r = Invoke-LcRequest -Method GET -Path 'contacts/contact-a001'

        $r | Should -BeOfType ([pscustomobject])
        $r.contact.id | Should -Be 'contact-a001'
        $r.contact.tags.GetType().IsArray | Should -BeTrue
        $sent = @(Get-EmulatorRequests -Method GET -PathPrefix '/contacts/contact-a001')
        $sent.Count | Should -Be 1
        Get-RequestHeader -Request $sent[0] -Name 'Authorization' | Should -Match '^Bearer '
        Get-RequestHeader -Request $sent[0] -Name 'Version' | Should -Not -BeNullOrEmpty
    }

    It 'accepts a leading slash and any method case' {
        (Invoke-LcRequest get '/conversations/conv-a001').id | Should -Be 'conv-a001'
    }

    It 'sends -Query values escaped, arrays as repeated names' {
        $r = Invoke-LcRequest GET 'conversations/search' -Query @{ locationId = 'loc-alpha'; limit = 3; query = 'a b&c' }
        @($r.conversations).Count | Should -BeLessOrEqual 3
        $q = [string] (Get-EmulatorRequests -Method GET -PathPrefix '/conversations/search')[0].queryString
        $q | Should -Match 'limit=3'
        $q | Should -Match 'query=a%20b%26c'
    }

    It 'sends a date in -Query and in -Body as the same instant (a date without kind is local time)' {
        $at = [datetime]::SpecifyKind([datetime] '2024-05-01 09:30:15', [DateTimeKind]::Unspecified)
        $expected = ([DateTimeOffset] [datetime]::SpecifyKind($at, [DateTimeKind]::Local)).UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", [cultureinfo]::InvariantCulture)

        $null = Invoke-LcRequest POST 'contacts/search' -Query @{ at = $at } -Body @{ locationId = 'loc-alpha'; pageLimit = 1; at = $at; nested = [pscustomobject]@{ at = $at } }

        $sent = @(Get-EmulatorRequests -Method POST -PathPrefix '/contacts/search')
        $sent.Count | Should -Be 1
        [uri]::UnescapeDataString([string] $sent[0].queryString) | Should -Be "?at=$expected"
        $text = [string] $sent[0].body
        $text | Should -Match ([regex]::Escape('"at":"' + $expected + '"'))
        ([regex]::Matches($text, [regex]::Escape('"at":"' + $expected + '"'))).Count | Should -Be 2
    }

    It 'refuses a -Body nested more than 32 levels deep (InvalidRequest)' {
        $deep = @{ leaf = 1 }
        1..40 | ForEach-Object { $deep = @{ next = $deep } }
        $null = Invoke-LcRequest POST 'contacts/search' -Body $deep -ErrorVariable lcErr -ErrorAction SilentlyContinue
        Assert-LcError $lcErr -ErrorId InvalidRequest -Category InvalidArgument
        @(Get-EmulatorRequests).Count | Should -Be 0
    }

    It 'returns the JSON text with -Raw' {
        $text = Invoke-LcRequest GET 'contacts/contact-a002' -Raw
        $text | Should -BeOfType ([string])
        ($text | ConvertFrom-Json).contact.id | Should -Be 'contact-a002'
    }

    It 'POSTs a hashtable or PSCustomObject body as JSON' {
        $r = Invoke-LcRequest POST 'contacts/search' -Body @{ locationId = 'loc-alpha'; pageLimit = 2 }
        @($r.contacts).Count | Should -Be 2
        $r2 = Invoke-LcRequest POST 'contacts/search' -Body ([pscustomobject]@{ locationId = 'loc-alpha'; pageLimit = 1; query = 'olivia' })
        @($r2.contacts).Count | Should -Be 1
        $sent = @(Get-EmulatorRequests -Method POST -PathPrefix '/contacts/search')
        (Get-RequestBody -Request $sent[1]).query | Should -Be 'olivia'
    }

    It 'POSTs a JSON string body as it is' {
        $r = Invoke-LcRequest POST 'contacts/search' -Body '{"locationId":"loc-alpha","pageLimit":1}'
        @($r.contacts).Count | Should -Be 1
    }

    It 'sends a trailing slash as given: the API''s own create paths end with one (POST /conversations/)' {
        $r = Invoke-LcRequest POST '/conversations/' -Body @{ locationId = 'loc-alpha'; contactId = 'contact-a010' } -Confirm:$false
        $r.conversation.id | Should -Not -BeNullOrEmpty
        $sent = @(Get-EmulatorRequests -Method POST)
        $sent.Count | Should -Be 1
        $sent[0].path | Should -BeExactly '/conversations/'
    }

    It 'still refuses an empty segment before a trailing slash (contacts//)' {
        $null = Invoke-LcRequest GET 'contacts//' -ErrorVariable lcErr -ErrorAction SilentlyContinue
        Assert-LcError $lcErr -ErrorId InvalidPath -Category InvalidArgument
        @(Get-EmulatorRequests).Count | Should -Be 0
    }

    It 'maps API errors like the other cmdlets' {
        $null = Invoke-LcRequest GET 'contacts/contact-missing' -ErrorVariable lcErr -ErrorAction SilentlyContinue
        Assert-LcError $lcErr -ErrorId ApiNotFound -Category ObjectNotFound
    }

    It 'refuses the path <Name> before sending anything' -TestCases @(
        @{ Path = 'https://evil.example/contacts'; Name = 'https://evil.example/contacts' }
        @{ Path = 'http://127.0.0.1:1/x'; Name = 'http://127.0.0.1:1/x' }
        @{ Path = '//evil.example/contacts'; Name = '//evil.example/contacts' }
        @{ Path = '@evil.example/contacts'; Name = '@evil.example/contacts' }
        @{ Path = 'contacts@evil.example'; Name = 'contacts@evil.example' }
        @{ Path = '\\evil.example\share'; Name = '\\evil.example\share' }
        @{ Path = 'contacts\..\..\x'; Name = 'contacts\..\..\x' }
        @{ Path = '../x'; Name = '../x' }
        @{ Path = 'contacts/../../x'; Name = 'contacts/../../x' }
        @{ Path = 'contacts/%2e%2e/%2e%2e/x'; Name = 'contacts/%2e%2e/%2e%2e/x' }
        @{ Path = 'contacts/%2E%2E/x'; Name = 'contacts/%2E%2E/x' }
        @{ Path = 'contacts/%252e%252e/x'; Name = 'contacts/%252e%252e/x' }
        @{ Path = 'contacts%2f..%2fx'; Name = 'contacts%2f..%2fx' }
        @{ Path = 'contacts/.'; Name = 'contacts/.' }
        @{ Path = 'contacts/a{0}{1}Host: evil'; Name = 'with CR LF'; Chars = 13, 10 }
        @{ Path = 'contacts/a{0}b'; Name = 'with a NUL'; Chars = 0, 0 }
        @{ Path = 'contacts/a{0}b'; Name = 'with a TAB'; Chars = 9, 0 }
        @{ Path = 'contacts/x?y=1'; Name = 'contacts/x?y=1' }
        @{ Path = 'contacts/x#frag'; Name = 'contacts/x#frag' }
        @{ Path = 'contacts/%zz'; Name = 'contacts/%zz' }
    ) {
        # Control characters are put in here, not in the test data, which Pester writes to its XML report.
        $chars = Get-Variable -Name Chars -ValueOnly -ErrorAction SilentlyContinue
        if ($chars) { $Path = $Path -f [char] $chars[0], [char] $chars[1] }
        $r = Invoke-LcRequest GET $Path -ErrorVariable lcErr -ErrorAction SilentlyContinue
        $r | Should -BeNullOrEmpty
        Assert-LcError $lcErr -ErrorId InvalidPath -Category InvalidArgument
        @(Get-EmulatorRequests).Count | Should -Be 0
    }

    It 'refuses a body that is not JSON, and a body on a GET' {
        $null = Invoke-LcRequest POST 'contacts/search' -Body '{not json' -ErrorVariable e1 -ErrorAction SilentlyContinue
        Assert-LcError $e1 -ErrorId InvalidRequest -Category InvalidArgument
        $null = Invoke-LcRequest GET 'contacts/contact-a001' -Body @{ a = 1 } -ErrorVariable e2 -ErrorAction SilentlyContinue
        Assert-LcError $e2 -ErrorId InvalidRequest -Category InvalidArgument
        @(Get-EmulatorRequests).Count | Should -Be 0
    }

    It 'sends nothing for a non-GET with -WhatIf, and GETs need no confirmation' {
        $null = Invoke-LcRequest DELETE 'conversations/conv-a001' -WhatIf
        @(Get-EmulatorRequests).Count | Should -Be 0
        (Get-LcConversation -Id conv-a001).Id | Should -Be 'conv-a001'
    }

    It 'does not resend a POST after a 503 answered after processing' {
        Set-EmulatorFault -Method POST -PathPrefix '/conversations/messages' -Kind Status -StatusCode 503 -Stage AfterProcessing -Count 1
        $before = @(Get-LcMessage -ConversationId conv-a012 -All).Count
        $null = Invoke-LcRequest POST 'conversations/messages' -Body @{ type = 'SMS'; contactId = 'contact-a012'; message = 'raw once' } `
            -ErrorVariable lcErr -ErrorAction SilentlyContinue

        Assert-LcError $lcErr -ErrorId ApiServerError
        @(Get-EmulatorRequests -Method POST -PathPrefix '/conversations/messages').Count | Should -Be 1
        @(Get-LcMessage -ConversationId conv-a012 -All).Count | Should -Be ($before + 1)
    }

    It 'retries a GET after a 503' {
        Set-EmulatorFault -Method GET -PathPrefix '/contacts/contact-a001' -Kind Status -StatusCode 503 -Count 1
        (Invoke-LcRequest GET 'contacts/contact-a001').contact.id | Should -Be 'contact-a001'
        @(Get-EmulatorRequests -Method GET -PathPrefix '/contacts/contact-a001').Count | Should -Be 2
    }
}
