BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    $BaseUri = Initialize-TestSession

    function Assert-UtcDate {
        param($Value)
        $Value | Should -BeOfType ([DateTimeOffset])
        $Value.Offset | Should -Be ([TimeSpan]::Zero)
    }
}

AfterAll {
    if (Get-Command -Name Complete-TestSession -ErrorAction SilentlyContinue) { Complete-TestSession }
}

Describe 'Get-LcConversation' {
    BeforeEach {
        Reset-Emulator
        Disconnect-Lc
        $Alpha = Connect-TestLc -Tenant alpha
    }

    Context 'ById' {
        It 'gets one conversation with typed values and UTC dates' {
            $c = Get-LcConversation -Id conv-a001

            @($c).Count | Should -Be 1
            $c.PSObject.TypeNames[0] | Should -Be 'LeadConnector.Conversation'
            $c.PSObject.BaseObject.GetType().FullName | Should -Be 'LeadConnector.Conversation'
            $c.Id | Should -Be 'conv-a001'
            $c.ContactId | Should -Be 'contact-a001'
            $c.LocationId | Should -Be 'loc-alpha'
            $c.Type.GetType().FullName | Should -Be 'LeadConnector.ConversationType'
            [enum]::IsDefined($c.Type.GetType(), $c.Type) | Should -BeTrue
            foreach ($name in 'LastMessageDate', 'DateAdded', 'DateUpdated') {
                if ($null -ne $c.$name) { Assert-UtcDate $c.$name }
            }
        }

        It 'reads the numeric type (get by id) and the TYPE_ string (search) as the same value' {
            foreach ($n in '001', '002', '003', '010') {
                $byId = Get-LcConversation -Id "conv-a$n"
                $found = @(Get-LcConversation -ContactId "contact-a$n" -All | Where-Object { $_.Id -eq "conv-a$n" })

                $found.Count | Should -Be 1
                $found[0].Type | Should -Be $byId.Type
            }
        }

        It 'has Phone conversations among the seeded ones' {
            @(Get-LcConversation -All | Where-Object { $_.Type -eq 'Phone' }).Count |
                Should -BeGreaterThan 0
        }

        It 'takes ids positionally, as an array, from the pipeline and by the ConversationId property' {
            (Get-LcConversation conv-a005).Id | Should -Be 'conv-a005'
            (Get-LcConversation -Id 'conv-a001', 'conv-a002').Id -join ',' | Should -Be 'conv-a001,conv-a002'
            ('conv-a003', 'conv-a004' | Get-LcConversation).Id -join ',' | Should -Be 'conv-a003,conv-a004'
            ([pscustomobject]@{ ConversationId = 'conv-a006' } | Get-LcConversation).Id | Should -Be 'conv-a006'
        }

        It 'writes ApiNotFound for a missing id and goes on with the others' {
            $result = 'conv-a001', 'conv-missing', 'conv-a003' |
                Get-LcConversation -ErrorVariable lcErr -ErrorAction SilentlyContinue

            ($result.Id -join ',') | Should -Be 'conv-a001,conv-a003'
            Assert-LcError $lcErr -ErrorId ApiNotFound -Category ObjectNotFound
            "$($lcErr[0])" | Should -Match '404'
        }

        It 'refuses the malformed id <BadId> with InvalidId and sends nothing' -TestCases @(
            @{ BadId = '..' }
            @{ BadId = 'a/b' }
            @{ BadId = 'a?b' }
            @{ BadId = '../conv-a001' }
        ) {
            $result = Get-LcConversation -Id $BadId -ErrorVariable lcErr -ErrorAction SilentlyContinue

            $result | Should -BeNullOrEmpty
            Assert-LcError $lcErr -ErrorId InvalidId -Category InvalidArgument
            @(Get-EmulatorRequests).Count | Should -Be 0
        }

        It 'goes on after a malformed id in a pipeline' {
            $result = 'conv-a001', 'a/b', 'conv-a002' | Get-LcConversation -ErrorVariable lcErr -ErrorAction SilentlyContinue

            ($result.Id -join ',') | Should -Be 'conv-a001,conv-a002'
            Assert-LcError $lcErr -ErrorId InvalidId
            @(Get-EmulatorRequests).Count | Should -Be 2
        }
    }

    Context 'Search and paging' {
        It 'returns the first page only (20, the API default) and warns how many more match' {
            $result = Get-LcConversation -WarningVariable lcWarn -WarningAction SilentlyContinue

            @($result).Count | Should -Be 20
            $lcWarn.Count | Should -Be 1
            "$($lcWarn[0])" | Should -Match '\b25\b'
            @(Get-EmulatorRequests -Method GET -PathPrefix '/conversations/search').Count | Should -Be 1
        }

        It 'honours -PageSize for the first page and the warning' {
            $result = Get-LcConversation -PageSize 10 -WarningVariable lcWarn -WarningAction SilentlyContinue

            @($result).Count | Should -Be 10
            $lcWarn.Count | Should -Be 1
            "$($lcWarn[0])" | Should -Match '\b35\b'
            $request = @(Get-EmulatorRequests -Method GET -PathPrefix '/conversations/search')
            $request.Count | Should -Be 1
            [uri]::UnescapeDataString([string] $request[0].queryString) | Should -Match 'limit=10\b'
            [uri]::UnescapeDataString([string] $request[0].queryString) | Should -Match 'locationId=loc-alpha\b'
        }

        It 'returns all 45 conversations of loc-alpha with -All, without a warning' {
            $result = Get-LcConversation -All -WarningVariable lcWarn -WarningAction SilentlyContinue

            @($result).Count | Should -Be 45
            @($result.Id | Sort-Object -Unique).Count | Should -Be 45
            $lcWarn.Count | Should -Be 0
            foreach ($c in $result) {
                $c.LastMessageDate | Should -Not -BeNullOrEmpty
                Assert-UtcDate $c.LastMessageDate
            }
        }

        It 'follows the startAfterDate cursor across pages' {
            $result = Get-LcConversation -All -PageSize 7

            @($result.Id | Sort-Object -Unique).Count | Should -Be 45
            $requests = @(Get-EmulatorRequests -Method GET -PathPrefix '/conversations/search')
            $requests.Count | Should -Be 7
            [string] $requests[0].queryString | Should -Not -Match 'startAfterDate='
            foreach ($r in $requests[1..6]) {
                [string] $r.queryString | Should -Match 'startAfterDate='
            }
        }

        It 'pages with an array sort value, sent as repeated startAfterDate parameters' {
            # sortBy=last_manual_message_date gives each document a two-number sort value.
            $all = @(Get-LcConversation -SortBy last_manual_message_date -PageSize 7 -All)

            $all.Count | Should -Be 45
            @($all.Id | Sort-Object -Unique).Count | Should -Be 45
            $pages = @(Get-EmulatorRequests -Method GET -PathPrefix '/conversations/search')
            $pages.Count | Should -Be 7
            foreach ($page in $pages | Select-Object -Skip 1) {
                $page.queryString | Should -Match '[?&]startAfterDate=\d+&startAfterDate=\d+(&|$)'
                $page.queryString | Should -Not -Match 'startAfterDate=\d+(%2C|,)'
            }
        }

        It 'stops after -First <First> with -PageSize <PageSize> in <Requests> request(s)' -TestCases @(
            @{ First = 5; PageSize = 20; Requests = 1 }
            @{ First = 25; PageSize = 10; Requests = 3 }
            @{ First = 45; PageSize = 100; Requests = 1 }
        ) {
            $result = Get-LcConversation -First $First -PageSize $PageSize -WarningVariable lcWarn -WarningAction SilentlyContinue

            @($result).Count | Should -Be $First
            $lcWarn.Count | Should -Be 0
            @(Get-EmulatorRequests -Method GET -PathPrefix '/conversations/search').Count | Should -Be $Requests
        }

        It 'returns everything on one page without a warning when -PageSize covers all matches' {
            $result = Get-LcConversation -PageSize 100 -WarningVariable lcWarn -WarningAction SilentlyContinue

            @($result).Count | Should -Be 45
            $lcWarn.Count | Should -Be 0
        }

        It 'sorts with -Sort asc and -Sort desc' {
            $asc = @(Get-LcConversation -All -Sort asc)
            $desc = @(Get-LcConversation -All -Sort desc)

            $asc.Count | Should -Be 45
            [array]::Reverse($desc)
            ($asc.Id -join ',') | Should -Be ($desc.Id -join ',')
            for ($i = 1; $i -lt $asc.Count; $i++) {
                $asc[$i].LastMessageDate | Should -BeGreaterThan ($asc[$i - 1].LastMessageDate)
            }
        }

        It 'finds both conversations of contact-a002' {
            $result = Get-LcConversation -ContactId contact-a002 -WarningVariable lcWarn -WarningAction SilentlyContinue

            (@($result.Id) | Sort-Object) -join ',' | Should -Be 'conv-a002,conv-a045'
            $lcWarn.Count | Should -Be 0
        }

        It 'sends the search filters as query parameters' {
            $start = [DateTime]::SpecifyKind([DateTime] '2024-01-01', [DateTimeKind]::Utc)
            $end = [DateTime]::SpecifyKind([DateTime] '2024-02-01', [DateTimeKind]::Utc)

            $null = Get-LcConversation -LocationId loc-alpha -AssignedTo 'user-1', 'user-2' -Query 'hello' -Status starred `
                -LastMessageType TYPE_SMS -LastMessageDirection inbound -Sort asc -SortBy last_manual_message_date `
                -StartDate $start -EndDate $end -WarningAction SilentlyContinue

            $request = @(Get-EmulatorRequests -Method GET -PathPrefix '/conversations/search')
            $request.Count | Should -Be 1
            $query = [uri]::UnescapeDataString(([string] $request[0].queryString).Replace('+', ' '))
            $query | Should -Match 'locationId=loc-alpha\b'
            $query | Should -Match 'assignedTo=user-1,user-2\b'
            $query | Should -Match 'query=hello\b'
            $query | Should -Match 'status=starred\b'
            $query | Should -Match 'lastMessageType=TYPE_SMS\b'
            $query | Should -Match 'lastMessageDirection=inbound\b'
            $query | Should -Match 'sort=asc\b'
            $query | Should -Match 'sortBy=last_manual_message_date\b'
            $query | Should -Match 'startDate=1704067200000\b'
            $query | Should -Match 'endDate=1706745600000\b'
        }

        It 'refuses -PageSize <PageSize>' -TestCases @(
            @{ PageSize = 0 }
            @{ PageSize = 101 }
        ) {
            { Get-LcConversation -PageSize $PageSize } | Should -Throw -ErrorId 'ParameterArgumentValidationError*'
        }

        It 'refuses an unknown -Status' {
            { Get-LcConversation -Status 'archived' } | Should -Throw -ErrorId 'ParameterArgumentValidationError*'
        }
    }

    Context 'Search: last message action, followers, mentions, score profiles' {
        It 'sends every new filter under its API name' {
            $null = Get-LcConversation -LastMessageAction Manual -Follower 'user-bruno', 'user-chen' -Mention 'user-chen' `
                -ScoreProfile score-engagement -ScoreProfileMin 10.5 -ScoreProfileMax 90 `
                -SortBy score_profile -SortScoreProfile score-engagement -WarningAction SilentlyContinue

            $request = @(Get-EmulatorRequests -Method GET -PathPrefix '/conversations/search')
            $request.Count | Should -Be 1
            $request[0].statusCode | Should -Be 200
            $query = [uri]::UnescapeDataString(([string] $request[0].queryString).Replace('+', ' '))
            $query | Should -Match '[?&]lastMessageAction=manual(&|$)' -Because 'the API spelling (lower case) goes out'
            $query | Should -Match '[?&]followers=user-bruno,user-chen(&|$)'
            $query | Should -Match '[?&]mentions=user-chen(&|$)'
            $query | Should -Match '[?&]scoreProfile=score-engagement(&|$)'
            $query | Should -Match '[?&]scoreProfileMin=10\.5(&|$)'
            $query | Should -Match '[?&]scoreProfileMax=90(&|$)'
            $query | Should -Match '[?&]sortBy=score_profile(&|$)'
            $query | Should -Match '[?&]sortScoreProfile=score-engagement(&|$)'
        }

        It 'sends none of them when they are not given' {
            $null = Get-LcConversation -First 1 -WarningAction SilentlyContinue

            $query = [string] @(Get-EmulatorRequests -Method GET -PathPrefix '/conversations/search')[0].queryString
            foreach ($name in 'lastMessageAction', 'followers', 'mentions', 'scoreProfile', 'scoreProfileMin', 'scoreProfileMax', 'sortScoreProfile') {
                $query | Should -Not -Match "[?&]$name="
            }
        }

        It 'finds the conversations a user follows (-Follower) or is mentioned in (-Mention)' {
            (@(Get-LcConversation -Follower user-bruno -All).Id | Sort-Object) -join ',' |
                Should -Be 'conv-a001,conv-a002,conv-a003,conv-a004,conv-a005'
            (@(Get-LcConversation -Follower user-chen -All).Id) -join ',' | Should -Be 'conv-a003'
            (@(Get-LcConversation -Mention user-chen -All).Id | Sort-Object) -join ',' | Should -Be 'conv-a002,conv-a004'
            (@(Get-LcConversation -Mention user-alice, user-nobody -All).Id) -join ',' | Should -Be 'conv-a004'
        }

        It 'splits the location by -LastMessageAction' {
            $manual = @(Get-LcConversation -LastMessageAction manual -All)
            $automated = @(Get-LcConversation -LastMessageAction automated -All)

            $manual.Count | Should -BeGreaterThan 0
            $automated.Count | Should -BeGreaterThan 0
            $manual.Count + $automated.Count | Should -Be 45
            $manual.Id | Should -Contain 'conv-a004'
            $automated.Id | Should -Contain 'conv-a001'
        }

        It 'filters by a score range in a score profile' {
            (@(Get-LcConversation -ScoreProfile score-engagement -ScoreProfileMin 50 -ScoreProfileMax 90 -All).Id | Sort-Object) -join ',' |
                Should -Be 'conv-a002,conv-a005,conv-a007,conv-a010'
            @(Get-LcConversation -ScoreProfile score-engagement -All).Count | Should -Be 10
        }

        It 'sorts by a score profile and pages through the array cursor without a gap or a repeat' {
            (Get-LcConversation -SortBy score_profile -SortScoreProfile score-engagement -Sort desc -First 3 -WarningAction SilentlyContinue).Id -join ',' |
                Should -Be 'conv-a008,conv-a005,conv-a002'

            $all = @(Get-LcConversation -SortBy score_profile -SortScoreProfile score-engagement -Sort desc -PageSize 7 -All)
            $all.Count | Should -Be 45
            @($all.Id | Sort-Object -Unique).Count | Should -Be 45
            $all[0].Id | Should -Be 'conv-a008'
        }

        It 'refuses <Case> before sending' -TestCases @(
            @{ Case = '-SortBy score_profile without -SortScoreProfile'; Splat = @{ SortBy = 'score_profile' }; Pattern = '-SortScoreProfile' }
            @{ Case = '-SortScoreProfile without -SortBy score_profile'; Splat = @{ SortScoreProfile = 'score-engagement' }; Pattern = '-SortBy score_profile' }
            @{ Case = '-SortScoreProfile with another -SortBy'; Splat = @{ SortBy = 'last_message_date'; SortScoreProfile = 'score-engagement' }; Pattern = '-SortBy score_profile' }
            @{ Case = '-ScoreProfileMin without -ScoreProfile'; Splat = @{ ScoreProfileMin = 5 }; Pattern = '-ScoreProfile' }
            @{ Case = '-ScoreProfileMax without -ScoreProfile'; Splat = @{ ScoreProfileMax = 5 }; Pattern = '-ScoreProfile' }
            @{ Case = 'a score range upside down'; Splat = @{ ScoreProfile = 'p1'; ScoreProfileMin = 9; ScoreProfileMax = 2 }; Pattern = 'greater than' }
        ) {
            $result = Get-LcConversation @Splat -ErrorVariable lcErr -ErrorAction SilentlyContinue

            $result | Should -BeNullOrEmpty
            Assert-LcError $lcErr -ErrorId InvalidSearch -Category InvalidArgument
            "$($lcErr[0])" | Should -Match ([regex]::Escape($Pattern))
            "$($lcErr[0])" | Should -Match 'Nothing was sent'
            @(Get-EmulatorRequests).Count | Should -Be 0
        }

        It 'refuses a malformed user or profile id with InvalidId and sends nothing' -TestCases @(
            @{ Splat = @{ Follower = 'user-a', 'a/b' } }
            @{ Splat = @{ Mention = 'x?y' } }
            @{ Splat = @{ ScoreProfile = '../p' } }
            @{ Splat = @{ SortBy = 'score_profile'; SortScoreProfile = 'p q' } }
        ) {
            $result = Get-LcConversation @Splat -ErrorVariable lcErr -ErrorAction SilentlyContinue

            $result | Should -BeNullOrEmpty
            Assert-LcError $lcErr -ErrorId InvalidId -Category InvalidArgument
            @(Get-EmulatorRequests).Count | Should -Be 0
        }

        It 'refuses an unknown -LastMessageAction' {
            { Get-LcConversation -LastMessageAction 'robot' } | Should -Throw -ErrorId 'ParameterArgumentValidationError*'
            @(Get-EmulatorRequests).Count | Should -Be 0
        }

        It 'gets the emulator''s 400 for sortBy=score_profile without sortScoreProfile (raw request)' {
            $err = { Invoke-LcRequest -Method GET -Path 'conversations/search' -Query @{ locationId = 'loc-alpha'; sortBy = 'score_profile' } -ErrorAction Stop } |
                Should -Throw -PassThru
            "$err" | Should -Match 'sortScoreProfile'
        }
    }

    Context 'API errors' {
        It 'stops with ApiUnauthorized (terminating) for a token the API refuses, and never shows the token' {
            $null = Connect-Lc -AccessToken 'pit-not-a-real-token-42' -BaseUri $BaseUri -LocationId loc-alpha -SkipValidation

            $err = { Get-LcConversation -Id 'conv-a001', 'conv-a002' } | Should -Throw -ErrorId 'ApiUnauthorized*' -PassThru

            $err.CategoryInfo.Category | Should -Be 'AuthenticationError'
            "$err" | Should -Match '401'
            "$err" | Should -Not -Match 'not-a-real-token'
            $err.Exception.ToString() | Should -Not -Match 'not-a-real-token'
            # Both ids start at once (-ThrottleLimit 8): the second may already be sent; nothing is sent after the 401.
            @(Get-EmulatorRequests).Count | Should -BeLessOrEqual 2
        }

        It 'writes ApiForbidden when a token reads another location (beta token, alpha data)' {
            $null = Connect-TestLc -Tenant beta -LocationId loc-alpha

            $result = Get-LcConversation -ErrorVariable lcErr -ErrorAction SilentlyContinue -WarningAction SilentlyContinue

            $result | Should -BeNullOrEmpty
            Assert-LcError $lcErr -ErrorId ApiForbidden -Category PermissionDenied
            "$($lcErr[0])" | Should -Match '403'
        }

        It 'writes ApiInvalidRequest with the API message, the status and the traceId for a 400' {
            Set-EmulatorFault -Method GET -PathPrefix '/conversations/search' -Kind Status -StatusCode 400 -Count 1 `
                -ContentType 'application/json' -Body '{"statusCode":400,"message":"startAfterDate must be a number","traceId":"trace-400-xyz"}'

            $err = { Get-LcConversation -ErrorAction Stop -WarningAction SilentlyContinue } |
                Should -Throw -ErrorId 'ApiInvalidRequest*' -PassThru

            $err.CategoryInfo.Category | Should -Be 'InvalidArgument'
            $text = "$err`n$($err.Exception.Message)"
            $text | Should -Match 'startAfterDate must be a number'
            $text | Should -Match '400'
            $text | Should -Match 'trace-400-xyz'
        }

        It 'writes ApiServerError for an HTML 502 from a proxy, without retrying when -MaxRetries is 0' {
            $null = Connect-TestLc -Tenant alpha -Option @{ MaxRetries = 0 }
            Set-EmulatorFault -Method GET -PathPrefix '/conversations/conv-a001' -Kind Status -StatusCode 502 -Count 5 `
                -ContentType 'text/html' -Body '<html><body><h1>502 Bad Gateway</h1></body></html>'

            $err = { Get-LcConversation -Id conv-a001 -ErrorAction Stop } | Should -Throw -ErrorId 'ApiServerError*' -PassThru

            $err.CategoryInfo.Category | Should -Be 'ResourceUnavailable'
            "$err" | Should -Match '502'
            @(Get-EmulatorRequests -PathPrefix '/conversations/conv-a001').Count | Should -Be 1
        }

        It 'writes InvalidApiResponse for a body that is not JSON' {
            $null = Connect-TestLc -Tenant alpha -Option @{ MaxRetries = 0 }
            Set-EmulatorFault -Method GET -PathPrefix '/conversations/conv-a001' -Kind Garbage -StatusCode 200 -Count 5

            $err = { Get-LcConversation -Id conv-a001 -ErrorAction Stop } | Should -Throw -ErrorId 'InvalidApiResponse*' -PassThru

            $err.CategoryInfo.Category | Should -Be 'InvalidResult'
        }

        It 'writes NetworkError when the connection drops and retries are off' {
            $null = Connect-TestLc -Tenant alpha -Option @{ MaxRetries = 0 }
            Set-EmulatorFault -Method GET -PathPrefix '/conversations/conv-a001' -Kind DropConnection -Count 5

            $err = { Get-LcConversation -Id conv-a001 -ErrorAction Stop } | Should -Throw -ErrorId 'NetworkError*' -PassThru

            $err.CategoryInfo.Category | Should -Be 'ConnectionError'
        }
    }

    Context 'Retries, rate limits and timeouts' {
        It 'retries a GET through two 503s and says so in verbose output' {
            Set-EmulatorFault -Method GET -PathPrefix '/conversations/conv-a001' -Kind Status -StatusCode 503 -Count 2

            $out = Get-LcConversation -Id conv-a001 -Verbose 4>&1

            $conversation = @($out | Where-Object { $_.PSObject.TypeNames[0] -eq 'LeadConnector.Conversation' })
            $conversation.Count | Should -Be 1
            $conversation[0].Id | Should -Be 'conv-a001'
            $retryLines = @($out | Where-Object { $_ -is [System.Management.Automation.VerboseRecord] -and $_.Message -match 'retr' })
            $retryLines.Count | Should -BeGreaterOrEqual 2
            @(Get-EmulatorRequests -Method GET -PathPrefix '/conversations/conv-a001').Count | Should -Be 3
        }

        It 'retries a GET after a dropped connection' {
            Set-EmulatorFault -Method GET -PathPrefix '/conversations/conv-a002' -Kind DropConnection -Count 1

            (Get-LcConversation -Id conv-a002).Id | Should -Be 'conv-a002'
        }

        It 'does not retry when -MaxRetries is 0' {
            $null = Connect-TestLc -Tenant alpha -Option @{ MaxRetries = 0 }
            Set-EmulatorFault -Method GET -PathPrefix '/conversations/conv-a001' -Kind Status -StatusCode 503 -Count 1

            $err = { Get-LcConversation -Id conv-a001 -ErrorAction Stop } | Should -Throw -ErrorId 'ApiServerError*' -PassThru

            $err.CategoryInfo.Category | Should -Be 'ResourceUnavailable'
            @(Get-EmulatorRequests -Method GET -PathPrefix '/conversations/conv-a001').Count | Should -Be 1
        }

        # These three pause or block the location's rate gate, which is process-wide: each uses a location of its own.
        # The rate-limit interval is raised to 60 s so that "Retry-After, not the interval, sets the wait" has an upper
        # bound (30 s) that no loaded machine reaches, while waiting out the interval would.
        It 'waits as long as Retry-After says after a 429' {
            $own = New-TestLocation
            Set-EmulatorRateLimit -IntervalMs 60000
            Set-EmulatorFault -Method GET -PathPrefix "/conversations/$($own.ConversationId)" -Kind RateLimited -Count 1 -Headers @{ 'Retry-After' = '2' }

            $watch = [System.Diagnostics.Stopwatch]::StartNew()
            $c = Get-LcConversation -Id $own.ConversationId
            $watch.Stop()

            $c.Id | Should -Be $own.ConversationId
            $watch.Elapsed.TotalSeconds | Should -BeGreaterOrEqual 1.9 -Because 'Retry-After said 2 s'
            $watch.Elapsed.TotalSeconds | Should -BeLessThan 30 -Because 'Retry-After, not the 60 s rate-limit interval, sets the wait'
            @(Get-EmulatorRequests -Method GET -PathPrefix "/conversations/$($own.ConversationId)").Count | Should -Be 2
        }

        It 'writes ApiRateLimited when the 429s outlast the retries' {
            $own = New-TestLocation -Option @{ MaxRetries = 1 }
            Set-EmulatorRateLimit -IntervalMs 60000
            Set-EmulatorFault -Method GET -PathPrefix "/conversations/$($own.ConversationId)" -Kind RateLimited -Count 10 -Headers @{ 'Retry-After' = '1' }

            $watch = [System.Diagnostics.Stopwatch]::StartNew()
            $err = { Get-LcConversation -Id $own.ConversationId -ErrorAction Stop } | Should -Throw -ErrorId 'ApiRateLimited*' -PassThru
            $watch.Stop()

            $err.CategoryInfo.Category | Should -Be 'LimitsExceeded'
            @(Get-EmulatorRequests -Method GET -PathPrefix "/conversations/$($own.ConversationId)").Count | Should -Be 2
            $watch.Elapsed.TotalSeconds | Should -BeGreaterOrEqual 0.9 -Because 'Retry-After said 1 s'
            $watch.Elapsed.TotalSeconds | Should -BeLessThan 30 -Because 'Retry-After, not the 60 s rate-limit interval, sets the wait'
        }

        It 'fails fast with ApiDailyLimitReached (terminating) when the daily quota is spent' {
            $own = New-TestLocation -Conversations 2
            Set-EmulatorFault -Method GET -PathPrefix "/conversations/$($own.LocationId)" -Kind RateLimited -Count 10 -Headers @{
                'X-RateLimit-Limit-Daily'     = '200000'
                'X-RateLimit-Daily-Remaining' = '0'
                'Retry-After'                 = '60'
            }

            $watch = [System.Diagnostics.Stopwatch]::StartNew()
            $err = { Get-LcConversation -Id $own.ConversationId, "$($own.LocationId)-conv-002" } | Should -Throw -ErrorId 'ApiDailyLimitReached*' -PassThru
            $watch.Stop()

            $err.CategoryInfo.Category | Should -Be 'LimitsExceeded'
            "$err" | Should -Match 'resets at'
            # Both ids start at once (-ThrottleLimit 8): the second may already be sent, but the command stops at the first answer.
            $sent = @(Get-EmulatorRequests).Count
            $sent | Should -BeLessOrEqual 2 -Because 'nothing is sent after the first answer: the command stops'
            $watch.Elapsed.TotalSeconds | Should -BeLessThan 30 -Because 'a spent daily quota fails at once, not after the 60 s Retry-After'

            # The block belongs to the location and token: a new Connect-Lc does not clear it, and nothing is sent.
            $null = Connect-Lc -AccessToken (ConvertTo-SecureString $own.Token -AsPlainText -Force) -BaseUri (Get-EmulatorUri) -LocationId $own.LocationId
            { Get-LcConversation -Id $own.ConversationId } | Should -Throw -ErrorId 'ApiDailyLimitReached*'
            @(Get-EmulatorRequests).Count | Should -Be $sent -Because 'neither Connect-Lc nor the blocked call sends a request'
        }

        It 'gives up within -MaxRetryTimeSec instead of waiting for a long Retry-After' {
            $null = Connect-TestLc -Tenant alpha -Option @{ MaxRetries = 10; MaxRetryTimeSec = 2 }
            Set-EmulatorFault -Method GET -PathPrefix '/conversations/conv-a001' -Kind Status -StatusCode 503 -Count 20 -Headers @{ 'Retry-After' = '30' }

            $watch = [System.Diagnostics.Stopwatch]::StartNew()
            $err = { Get-LcConversation -Id conv-a001 -ErrorAction Stop } | Should -Throw -PassThru
            $watch.Stop()

            $err.FullyQualifiedErrorId | Should -BeLike 'ApiServerError*'
            $watch.Elapsed.TotalSeconds | Should -BeLessThan 25 -Because 'it gives up rather than wait the 30 s Retry-After'
        }

        It 'times out with RequestTimedOut after -TimeoutSec' {
            $null = Connect-TestLc -Tenant alpha -Option @{ TimeoutSec = 1; MaxRetries = 0 }
            # Held 30 s (the client's going away ends the hold): only the 1 s timeout can end it, on any machine.
            Set-EmulatorFault -Method GET -PathPrefix '/conversations/conv-a001' -Kind Delay -DelayMs 30000 -Count 1

            $watch = [System.Diagnostics.Stopwatch]::StartNew()
            $err = { Get-LcConversation -Id conv-a001 -ErrorAction Stop } | Should -Throw -ErrorId 'RequestTimedOut*' -PassThru
            $watch.Stop()

            $err.CategoryInfo.Category | Should -Be 'OperationTimeout'
            "$err" | Should -Match 'timed out'
            $watch.Elapsed.TotalSeconds | Should -BeLessThan 20 -Because 'the 1 s timeout, not the server, ended it'
            @(Get-EmulatorRequests -Method GET -PathPrefix '/conversations/conv-a001' | Where-Object { $_.processed }).Count | Should -Be 0
        }
    }

    Context 'Several connections at once' {
        It 'uses -Connection instead of the current session' {
            $a = $Alpha
            $b = Connect-TestLc -Tenant beta

            (Get-LcConnection).LocationId | Should -Be 'loc-beta'
            @(Get-LcConversation -Connection $a -All).Count | Should -Be 45
            @(Get-LcConversation -Connection $b -All).Count | Should -Be 3
            @(Get-LcConversation -All).Count | Should -Be 3
            (Get-LcConversation -Connection $a -Id conv-a001).LocationId | Should -Be 'loc-alpha'
            (Get-LcConversation -Connection $b -Id conv-b001).LocationId | Should -Be 'loc-beta'
        }

        It 'uses two connections in one pipeline' {
            $a = $Alpha
            $b = Connect-TestLc -Tenant beta

            $result = Get-LcConversation -Connection $b -All |
                Sort-Object -Property Id |
                ForEach-Object { Get-LcConversation -Connection $a -Id ($_.Id -replace '^conv-b', 'conv-a') }

            ($result.Id -join ',') | Should -Be 'conv-a001,conv-a002,conv-a003'
            ($result.LocationId | Sort-Object -Unique) | Should -Be 'loc-alpha'
        }
    }

    Context 'a typed object binds by what it is, and a known value is checked before sending (issue 16)' {
        It 'a piped message gives its ConversationId, never its own Id' {
            $m = Get-LcMessage -ConversationId conv-a002 -First 1
            $m.Id | Should -Not -Be 'conv-a002'

            $c = $m | Get-LcConversation

            $c.Id | Should -Be 'conv-a002'
            @(Get-EmulatorRequests -Method GET | Where-Object { $_.path -eq '/conversations/conv-a002' }).Count | Should -Be 1
            @(Get-EmulatorRequests -Method GET | Where-Object { $_.path -eq "/conversations/$($m.Id)" }).Count | Should -Be 0
        }

        It 'refuses -LastMessageType TYPE_SMSS with a short message and a suggestion, sending nothing' {
            $err = { Get-LcConversation -LastMessageType TYPE_SMSS } | Should -Throw -PassThru
            $err.FullyQualifiedErrorId | Should -Match '^ParameterArgumentTransformationError'
            $err.Exception.Message | Should -Match "'TYPE_SMSS' is not one of the API's values"
            $err.Exception.Message | Should -Match 'Did you mean TYPE_SMS'
            $err.Exception.Message.Length | Should -BeLessThan 400
            @(Get-EmulatorRequests).Count | Should -Be 0
            (Get-LcConversation -LastMessageType sms -First 1 | Measure-Object).Count | Should -BeGreaterOrEqual 0
        }
    }
}
