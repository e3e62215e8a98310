BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    $BaseUri = Initialize-TestSession

    function Get-SearchRequests { @(Get-EmulatorRequests -Method POST -PathPrefix '/contacts/search') }
}

AfterAll {
    if (Get-Command -Name Complete-TestSession -ErrorAction SilentlyContinue) { Complete-TestSession }
}

Describe 'Get-LcContact' {
    BeforeEach {
        Reset-Emulator
        Disconnect-Lc
        $null = Connect-TestLc -Tenant alpha
    }

    Context 'ById' {
        It 'gets a typed contact with UTC dates' {
            $c = Get-LcContact -Id contact-a001

            $c.PSObject.TypeNames[0] | Should -Be 'LeadConnector.Contact'
            $c.PSObject.BaseObject.GetType().FullName | Should -Be 'LeadConnector.Contact'
            $c.Id | Should -Be 'contact-a001'
            $c.LocationId | Should -Be 'loc-alpha'
            $c.FirstName | Should -Not -BeNullOrEmpty
            $c.Name | Should -Not -BeNullOrEmpty
            $c.Email | Should -Match '@'
            $c.DateAdded | Should -BeOfType ([DateTimeOffset])
            $c.DateAdded.Offset | Should -Be ([TimeSpan]::Zero)
            $c.DateUpdated.Offset | Should -Be ([TimeSpan]::Zero)
            # A list of strings (LeadConnector.StringList: it writes 'a; b' to CSV instead of 'System.String[]').
            , $c.Tags | Should -BeOfType ([System.Collections.Generic.IList[string]])
            "$c" | Should -Be 'contact-a001'
            @(Get-EmulatorRequests -Method GET -PathPrefix '/contacts/contact-a001').Count | Should -Be 1
        }

        It 'takes ids positionally, from the pipeline and by the ContactId property' {
            (Get-LcContact contact-a002).Id | Should -Be 'contact-a002'
            ('contact-a003', 'contact-a004' | Get-LcContact).Id -join ',' | Should -Be 'contact-a003,contact-a004'
            ([pscustomobject]@{ ContactId = 'contact-a005' } | Get-LcContact).Id | Should -Be 'contact-a005'
        }

        It 'gets the contact of a piped message, not a contact with the message id' {
            $messages = @(Get-LcMessage -ConversationId conv-a002)
            $messages.Count | Should -BeGreaterThan 0
            $contacts = @($messages[0] | Get-LcContact)
            $contacts.Count | Should -Be 1
            $contacts[0].Id | Should -Be $messages[0].ContactId
            @(Get-EmulatorRequests -Method GET -PathPrefix "/contacts/$($messages[0].Id)").Count | Should -Be 0
        }

        It 'writes ApiNotFound for a missing id and goes on' {
            $r = 'contact-a001', 'contact-missing', 'contact-a002' | Get-LcContact -ErrorVariable lcErr -ErrorAction SilentlyContinue
            $r.Id -join ',' | Should -Be 'contact-a001,contact-a002'
            Assert-LcError $lcErr -ErrorId ApiNotFound -Category ObjectNotFound
        }

        It 'refuses a malformed id and sends nothing' {
            $null = Get-LcContact -Id '../x' -ErrorVariable lcErr -ErrorAction SilentlyContinue
            Assert-LcError $lcErr -ErrorId InvalidId -Category InvalidArgument
            @(Get-EmulatorRequests).Count | Should -Be 0
        }
    }

    Context 'Search' {
        It 'searches with POST /contacts/search (not the deprecated GET /contacts/) and warns how many more match' {
            $r = @(Get-LcContact -WarningVariable lcWarn -WarningAction SilentlyContinue)

            $r.Count | Should -Be 20
            $lcWarn.Count | Should -Be 1
            "$($lcWarn[0])" | Should -Match '\b44\b'
            $sent = Get-SearchRequests
            $sent.Count | Should -Be 1
            (Get-RequestBody -Request $sent[0]).locationId | Should -Be 'loc-alpha'
            @(Get-EmulatorRequests -Method GET -PathPrefix '/contacts').Count | Should -Be 0
        }

        It 'sends -Query and finds the matching contacts' {
            $r = @(Get-LcContact -Query 'olivia' -All)
            $r.Count | Should -BeGreaterThan 0
            foreach ($c in $r) { "$($c.Name) $($c.Email) $($c.CompanyName)" | Should -Match 'olivia' }
            (Get-RequestBody -Request (Get-SearchRequests)[0]).query | Should -Be 'olivia'
        }

        It 'pages with searchAfter through every contact with -All' {
            $r = @(Get-LcContact -All -PageSize 10 -WarningVariable lcWarn)

            $r.Count | Should -Be 44
            @($r.Id | Sort-Object -Unique).Count | Should -Be 44
            $lcWarn.Count | Should -Be 0
            $sent = Get-SearchRequests
            $sent.Count | Should -Be 5
            (Get-RequestBody -Request $sent[0]).PSObject.Properties.Name | Should -Not -Contain 'searchAfter'
            (Get-RequestBody -Request $sent[1]).searchAfter[1] | Should -Be $r[9].Id
            (Get-RequestBody -Request $sent[0]).pageLimit | Should -Be 10
        }

        It 'stops after -First' {
            $r = @(Get-LcContact -First 25 -PageSize 10)
            $r.Count | Should -Be 25
            $sent = Get-SearchRequests
            $sent.Count | Should -Be 3
            (Get-RequestBody -Request $sent[2]).pageLimit | Should -Be 5
        }

        It 'refuses -All with -First' {
            { Get-LcContact -All -First 2 -ErrorAction Stop } | Should -Throw -ErrorId 'ConflictingParameters*'
        }

        It 'refuses a search with no location (NoLocationId) and sends nothing' {
            $saved = $env:LC_LOCATION_ID
            try {
                $env:LC_LOCATION_ID = $null
                $null = Connect-TestLc -LocationId ''
                $before = (Get-SearchRequests).Count
                $r = @(Get-LcContact -ErrorVariable e -ErrorAction SilentlyContinue)
                $r.Count | Should -Be 0
                $e[0].FullyQualifiedErrorId | Should -BeLike 'NoLocationId*'
                $e[0].CategoryInfo.Category | Should -Be 'InvalidArgument'
                $e[0].Exception.Message | Should -BeLike 'No location id*'
                $e[0].ErrorDetails.RecommendedAction | Should -BeLike '*-LocationId*'
                (Get-SearchRequests).Count | Should -Be $before
            }
            finally { $env:LC_LOCATION_ID = $saved }
        }

        It 'searches another location with -Connection' {
            $beta = Connect-TestLc -Tenant beta
            $r = @(Get-LcContact -All -Connection $beta)
            $r.Count | Should -BeGreaterThan 0
            @($r.LocationId | Sort-Object -Unique) | Should -Be 'loc-beta'
        }
    }

    Context 'Duplicate look-up (GET /contacts/search/duplicate)' {
        It 'finds the contact of an email (any case) and of a phone' {
            $seed = Get-LcContact -Id contact-a006
            (Get-LcContact -Email $seed.Email.ToUpperInvariant()).Id | Should -Be 'contact-a006'
            (Get-LcContact -Phone $seed.Phone).Id | Should -Be 'contact-a006'
            $sent = @(Get-EmulatorRequests -Method GET -PathPrefix '/contacts/search/duplicate')
            $sent.Count | Should -Be 2
            $sent[0].queryString | Should -Match 'locationId=loc-alpha'
            $sent[1].queryString | Should -Match 'number=%2B'
        }

        It 'writes nothing (and no error) when there is no duplicate' {
            $r = @(Get-LcContact -Email 'nobody@example.com' -ErrorVariable lcErr)
            $r.Count | Should -Be 0
            @($lcErr).Count | Should -Be 0
        }

        It 'looks up by email first when both are given' {
            $a = Get-LcContact -Id contact-a007
            $b = Get-LcContact -Id contact-a008
            (Get-LcContact -Email $a.Email -Phone $b.Phone).Id | Should -Be 'contact-a007'
        }
    }

    Context 'Search: -Filter and -Sort (the advanced search body)' {
        BeforeAll {
            Reset-Emulator
            $null = Connect-TestLc -Tenant alpha
            $script:everyone = @(Get-LcContact -All)
        }

        It 'passes -Filter as the body''s filters: <Name>' -TestCases @(
            @{ Name = 'tags eq'; Filter = @{ field = 'tags'; operator = 'eq'; value = 'vip' }; Expected = { param($c) @($c.Tags) -contains 'vip' } }
            @{ Name = 'tags not_eq'; Filter = @{ field = 'tags'; operator = 'not_eq'; value = 'vip' }; Expected = { param($c) @($c.Tags) -notcontains 'vip' } }
            @{ Name = 'name contains'; Filter = @{ field = 'name'; operator = 'contains'; value = 'an' }; Expected = { param($c) $c.Name -like '*an*' } }
            @{ Name = 'lastName eq'; Filter = @{ field = 'lastName'; operator = 'eq'; value = 'Bennett' }; Expected = { param($c) $c.LastName -eq 'Bennett' } }
            @{ Name = 'companyName exists'; Filter = @{ field = 'companyName'; operator = 'exists' }; Expected = { param($c) [bool] $c.CompanyName } }
            @{ Name = 'email contains'; Filter = @{ field = 'email'; operator = 'contains'; value = '.k' }; Expected = { param($c) $c.Email -like '*.k*' } }
        ) {
            $r = @(Get-LcContact -Filter $Filter -All)
            $want = @($script:everyone | Where-Object { & $Expected $_ })
            $want.Count | Should -BeGreaterThan 0 -Because 'the seeded data must exercise the filter'
            @($r.Id | Sort-Object) | Should -Be @($want.Id | Sort-Object)
            $body = Get-RequestBody -Request @(Get-SearchRequests)[-1]
            $body.filters[0].field | Should -Be $Filter.field
            $body.filters[0].operator | Should -Be $Filter.operator
        }

        It 'sends a range on dateAdded with dates as ISO text' {
            $sorted = @($script:everyone | Sort-Object DateAdded)
            $from = $sorted[10].DateAdded
            $to = $sorted[20].DateAdded
            $r = @(Get-LcContact -Filter @{ field = 'dateAdded'; operator = 'range'; value = @{ gte = $from.UtcDateTime; lte = $to } } -All)
            @($r.Id | Sort-Object) | Should -Be @($sorted[10..20].Id | Sort-Object)
            # The raw text (ConvertFrom-Json would turn an ISO string back into a [DateTime]).
            [string] @(Get-SearchRequests)[-1].body | Should -Match '"gte":"\d{4}-\d{2}-\d{2}T[^"]*Z"'
        }

        It 'sends nested groups: (firstName Olivia OR Liam) AND tags exists' {
            $group = @{ group = 'OR'; filters = @(
                    @{ field = 'firstName'; operator = 'eq'; value = 'Olivia' }
                    @{ field = 'firstName'; operator = 'eq'; value = 'Liam' }) }
            $r = @(Get-LcContact -Filter $group, @{ field = 'tags'; operator = 'exists' } -All)
            $want = @($script:everyone | Where-Object { $_.FirstName -in 'Olivia', 'Liam' -and @($_.Tags).Count -gt 0 })
            @($r.Id | Sort-Object) | Should -Be @($want.Id | Sort-Object)
            $body = Get-RequestBody -Request @(Get-SearchRequests)[-1]
            $body.filters[0].group | Should -Be 'OR'
            $body.filters[0].filters.Count | Should -Be 2
        }

        It 'sorts with -Sort and pages it with the matching searchAfter under -All and -First' {
            $r = @(Get-LcContact -Sort @{ field = 'firstName'; direction = 'asc' } -All -PageSize 7)
            $r.Count | Should -Be $script:everyone.Count
            $names = @($r.FirstName | ForEach-Object { $_.ToLowerInvariant() })
            ($names -join '|') | Should -BeExactly ((@($names | Sort-Object -CaseSensitive:$false) ) -join '|')
            $sent = @(Get-SearchRequests | Select-Object -Last 7)
            (Get-RequestBody -Request $sent[1]).sort[0].direction | Should -Be 'asc'
            @((Get-RequestBody -Request $sent[1]).searchAfter)[-1] | Should -Be $r[6].Id

            $first = @(Get-LcContact -Sort @{ field = 'dateAdded'; direction = 'asc' } -First 12 -PageSize 5)
            @($first.Id) | Should -Be @(($script:everyone | Sort-Object DateAdded | Select-Object -First 12).Id)
        }

        It 'refuses <Name> before sending (InvalidFilter)' -TestCases @(
            @{ Name = 'an unknown operator'; Params = @{ Filter = @{ field = 'email'; operator = 'like'; value = 'x' } } }
            @{ Name = 'a filter with no value'; Params = @{ Filter = @{ field = 'email'; operator = 'eq' } } }
            @{ Name = 'a range without bounds'; Params = @{ Filter = @{ field = 'dateAdded'; operator = 'range'; value = 'x' } } }
            @{ Name = 'a group that is not AND or OR'; Params = @{ Filter = @{ group = 'XOR'; filters = @(@{ field = 'email'; operator = 'exists' }) } } }
            @{ Name = 'an unknown member'; Params = @{ Filter = @{ field = 'email'; operator = 'exists'; extra = 1 } } }
            @{ Name = 'a sort direction other than asc or desc'; Params = @{ Sort = @{ field = 'dateAdded'; direction = 'up' } } }
        ) {
            $before = (Get-SearchRequests).Count
            $null = Get-LcContact @Params -ErrorVariable lcErr -ErrorAction SilentlyContinue
            Assert-LcError $lcErr -ErrorId InvalidFilter -Category InvalidArgument
            (Get-SearchRequests).Count | Should -Be $before
        }

        It 'writes the API''s 422 for a field it does not filter on' {
            $null = Get-LcContact -Filter @{ field = 'shoeSize'; operator = 'eq'; value = '42' } -ErrorVariable lcErr -ErrorAction SilentlyContinue
            Assert-LcError $lcErr -ErrorId ApiInvalidRequest
            $lcErr[0].Exception.Message | Should -Match 'shoeSize'
        }
    }
}
