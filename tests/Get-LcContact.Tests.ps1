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
}
