BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    $BaseUri = Initialize-TestSession
    $OAuth = Get-TestOAuth

    function New-AgencyLocation {
        <# Adds a location of the emulator's agency (its token can be exchanged for it), with a few conversations. #>
        param([int] $Conversations = 6)
        $id = 'loc-sweep-' + [guid]::NewGuid().ToString('N').Substring(0, 10)
        $body = ConvertTo-Json -Compress -InputObject @{ locationId = $id; conversations = $Conversations; agency = $true }
        $null = Invoke-RestMethod -Method Post -Uri ((Get-EmulatorUri) + '/_emulator/locations') -Body $body -ContentType 'application/json'
        $id
    }
}

AfterAll {
    if (Get-Command -Name Complete-TestSession -ErrorAction SilentlyContinue) { Complete-TestSession }
}

Describe 'Agency-wide sweeps: Connect-Lc -LocationId a, b, c and records that carry their connection' {
    BeforeEach {
        Reset-Emulator
        Disconnect-Lc
    }

    It 'gives one connection per location, in the order given, exchanged with the agency token, and leaves the current connection alone' {
        $ids = 1..3 | ForEach-Object { New-AgencyLocation }

        $connections = @(Connect-Lc -AgencyToken $OAuth.AgencyToken -CompanyId $OAuth.CompanyId -LocationId $ids -BaseUri $BaseUri -Quiet)

        $connections.Count | Should -Be 3
        $connections.LocationId | Should -Be $ids
        $connections | ForEach-Object { "$($_.TokenKind)" | Should -Be 'AgencyExchange' }
        Get-LcConnection -ErrorAction SilentlyContinue | Should -BeNullOrEmpty
        @(Get-EmulatorRequests -Method POST -PathPrefix '/oauth/locationToken').Count | Should -Be 3
    }

    It 'gives every location connection the settings given once: API version, retries and timeout' {
        $ids = 1..2 | ForEach-Object { New-AgencyLocation }

        $connections = @(Connect-Lc -AgencyToken $OAuth.AgencyToken -CompanyId $OAuth.CompanyId -LocationId $ids -BaseUri $BaseUri `
            -ApiVersion 2021-04-15 -MaxRetries 3 -MaxRetryTimeSec 45 -TimeoutSec 7 -SkipValidation -Quiet)

        $connections.Count | Should -Be 2
        foreach ($c in $connections) {
            $c.ApiVersion | Should -Be '2021-04-15'
            $c.MaxRetries | Should -Be 3
            $c.MaxRetryTimeSec | Should -Be 45
            $c.TimeoutSec | Should -Be 7
            $c.BaseUri.GetLeftPart('Authority') | Should -Be ([uri] $BaseUri).GetLeftPart('Authority')
        }
    }

    It 'exchanges the location tokens concurrently: every exchange reaches the server before the first is answered' {
        # Each exchange is held 3 s by the server: one after another, the third would arrive 6 s after the first.
        Set-EmulatorFault -Method POST -PathPrefix '/oauth/locationToken' -Kind Delay -DelayMs 3000 -Stage BeforeProcessing
        $ids = 1..3 | ForEach-Object { New-AgencyLocation }

        $connections = @(Connect-Lc -AgencyToken $OAuth.AgencyToken -CompanyId $OAuth.CompanyId -LocationId $ids -BaseUri $BaseUri -SkipValidation -Quiet)

        $connections.Count | Should -Be 3
        $arrivals = @(Get-EmulatorRequests -Method POST -PathPrefix '/oauth/locationToken' | ForEach-Object { [DateTimeOffset] $_.receivedAt } | Sort-Object)
        $arrivals.Count | Should -Be 3
        ($arrivals[2] - $arrivals[0]).TotalMilliseconds | Should -BeLessThan 3000 -Because 'the exchanges overlap instead of waiting for each other'
    }

    It 'sweeps every location from one pipeline: each read goes with its own location''s token, none is refused' {
        Set-EmulatorRateLimit -Max 4 -IntervalMs 1000   # per location and token: 6 reads each need two windows
        $ids = 1..3 | ForEach-Object { New-AgencyLocation }
        $connections = Connect-Lc -AgencyToken $OAuth.AgencyToken -CompanyId $OAuth.CompanyId -LocationId $ids -BaseUri $BaseUri -Quiet

        $read = & {
            for ($i = 1; $i -le 6; $i++) {
                foreach ($c in $connections) { '{0}-conv-{1:000}' -f $c.LocationId, $i | Add-Member Connection $c -PassThru }
            }
        } | Get-LcConversation -ErrorVariable failed -ErrorAction SilentlyContinue

        $failed | Should -BeNullOrEmpty
        @($read).Count | Should -Be 18
        $reads = @(Get-EmulatorRequests -Method GET -PathPrefix '/conversations/')
        $reads.Count | Should -Be 18 -Because 'no read was refused and sent again'
        @($reads | Where-Object { $_.statusCode -eq 429 }).Count | Should -Be 0
        $byToken = $reads | Group-Object { Get-RequestHeader -Request $_ -Name 'Authorization' }
        $byToken.Count | Should -Be 3
        foreach ($group in $byToken) {
            $group.Name | Should -Not -Be "Bearer $($OAuth.AgencyToken)"
            $locations = @($group.Group | ForEach-Object { ($_.path -split '/')[2] -replace '-conv-\d+$', '' } | Sort-Object -Unique)
            $locations.Count | Should -Be 1 -Because 'a location token reads only its own location'
            @($group.Group).Count | Should -Be 6
        }
    }

    It 'a record without a connection uses -Connection, and without either the command stops with NotConnected' {
        $ids = 1..2 | ForEach-Object { New-AgencyLocation }
        $connections = Connect-Lc -AgencyToken $OAuth.AgencyToken -CompanyId $OAuth.CompanyId -LocationId $ids -BaseUri $BaseUri -Quiet

        $out = @(('{0}-conv-001' -f $ids[0]), ('{0}-conv-001' -f $ids[1] | Add-Member Connection $connections[1] -PassThru) |
            Get-LcConversation -Connection $connections[0] -ErrorAction SilentlyContinue)
        # -Connection on the command line binds before the pipeline: it wins for every record.
        $out.Count | Should -Be 1
        $out[0].LocationId | Should -Be $ids[0]

        { 'conv-a001' | Get-LcConversation -ErrorAction Stop } | Should -Throw -ErrorId 'NotConnected*'
        $out = @(('{0}-conv-002' -f $ids[1] | Add-Member Connection $connections[1] -PassThru) | Get-LcConversation)
        $out[0].LocationId | Should -Be $ids[1]
    }

    It 'refuses several -LocationId values without an agency token' {
        { Connect-Lc -AccessToken (Get-TestToken -Tenant alpha) -BaseUri $BaseUri -LocationId loc-a, loc-b -SkipValidation -ErrorAction Stop } |
            Should -Throw -ErrorId 'SeveralLocationsNeedAgencyToken*'
        @(Get-EmulatorRequests).Count | Should -Be 0
    }
}
