# -CheckpointPath (issue 17, part 3): a bulk job that is stopped at any moment and run again with the same checkpoint
# does every item exactly once. The kill test runs the job in a child pwsh and kills it (Process.Kill) at random
# points, then runs it to the end and counts what the server made.

BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    $BaseUri = Initialize-TestSession

    function New-CheckpointPath {
        Join-Path ([System.IO.Path]::GetTempPath()) ('lc-checkpoint-{0}.txt' -f [guid]::NewGuid().ToString('N'))
    }

    # How many API requests of a method and path prefix the emulator received (cheap: no log download).
    function Get-RequestCount([string] $Method, [string] $PathPrefix) {
        $q = '?method={0}&pathPrefix={1}' -f $Method, [uri]::EscapeDataString($PathPrefix)
        [int] (Invoke-Control -Method Get -Path ('/_emulator/requests/count' + $q)).count
    }

    function Invoke-Control([string] $Method, [string] $Path, [string] $Body) {
        $request = @{ Uri = (Get-EmulatorUri) + $Path; Method = $Method; UseBasicParsing = $true; TimeoutSec = 30; ErrorAction = 'Stop' }
        if ($Body) { $request.Body = $Body; $request.ContentType = 'application/json; charset=utf-8' }
        Invoke-RestMethod @request
    }
}

AfterAll {
    if (Get-Command -Name Complete-TestSession -ErrorAction SilentlyContinue) { Complete-TestSession }
}

Describe '-CheckpointPath' {
    BeforeEach {
        Reset-Emulator
        Disconnect-Lc
        $script:loc = New-TestLocation -Conversations 12
        $script:ids = 1..12 | ForEach-Object { '{0}-conv-{1:D3}' -f $loc.LocationId, $_ }
        $script:rows = $ids | ForEach-Object { [pscustomobject]@{ Id = $_ } }
        $script:cp = New-CheckpointPath
    }
    AfterEach {
        Remove-Item -LiteralPath $cp -ErrorAction SilentlyContinue
    }

    It 'removes the checkpoint when the job finishes, and sends each item once' {
        $rows | Set-LcConversation -Starred $true -Connection $loc.Connection -CheckpointPath $cp

        Test-Path -LiteralPath $cp | Should -BeFalse
        @(Get-EmulatorRequests -Method PUT).Count | Should -Be 12
    }

    It 'keeps it when the job stops, and the next run does only what is left' {
        # The 6th item's 401 stops the job (an error every following item would hit too).
        Set-EmulatorFault -Method PUT -PathPrefix ('/conversations/' + $ids[5]) -Kind Status -StatusCode 401 -Count 1
        { $rows | Set-LcConversation -Starred $true -Connection $loc.Connection -CheckpointPath $cp -ThrottleLimit 1 -ErrorAction Stop } |
            Should -Throw -ErrorId 'ApiUnauthorized*'
        Test-Path -LiteralPath $cp | Should -BeTrue
        $first = @(Get-EmulatorRequests -Method PUT | ForEach-Object { $_.path })
        $first.Count | Should -Be 6

        $rows | Set-LcConversation -Starred $true -Connection $loc.Connection -CheckpointPath $cp

        Test-Path -LiteralPath $cp | Should -BeFalse
        $all = @(Get-EmulatorRequests -Method PUT | ForEach-Object { $_.path })
        # The five done before are not sent again; the 6th (sent, refused) and the six after it are.
        # (sent concurrently: compared as a set, in any order)
        @($all | Select-Object -Skip 6 | Sort-Object) | Should -Be @($ids | Select-Object -Skip 5 | ForEach-Object { '/conversations/' + $_ } | Sort-Object)
    }

    It 'refuses other input with CheckpointMismatch, unless -OverwriteCheckpoint' {
        Set-EmulatorFault -Method PUT -PathPrefix ('/conversations/' + $ids[3]) -Kind Status -StatusCode 401 -Count 1
        { $rows | Set-LcConversation -Starred $true -Connection $loc.Connection -CheckpointPath $cp -ThrottleLimit 1 -ErrorAction Stop } | Should -Throw
        $before = @(Get-EmulatorRequests -Method PUT).Count

        # Other parameters: refused before anything is sent.
        { $rows | Set-LcConversation -Starred $false -Connection $loc.Connection -CheckpointPath $cp -ErrorAction Stop } |
            Should -Throw -ErrorId 'CheckpointMismatch*'
        # Same parameters, other input at a position done before: refused as it arrives.
        $other = @($rows[1]) + @($rows)
        { $other | Set-LcConversation -Starred $true -Connection $loc.Connection -CheckpointPath $cp -ErrorAction Stop } |
            Should -Throw -ErrorId 'CheckpointMismatch*'
        @(Get-EmulatorRequests -Method PUT).Count | Should -Be $before
        Test-Path -LiteralPath $cp | Should -BeTrue

        $rows | Set-LcConversation -Starred $false -Connection $loc.Connection -CheckpointPath $cp -OverwriteCheckpoint
        @(Get-EmulatorRequests -Method PUT).Count | Should -Be ($before + 12)
        Test-Path -LiteralPath $cp | Should -BeFalse
    }

    It 'never writes over a file that is not a checkpoint' {
        Set-Content -LiteralPath $cp -Value 'firstName,email'
        { $rows | Set-LcConversation -Starred $true -Connection $loc.Connection -CheckpointPath $cp -OverwriteCheckpoint -ErrorAction Stop } |
            Should -Throw -ErrorId 'CheckpointCorrupt*'
        Get-Content -LiteralPath $cp | Should -Be 'firstName,email'
        @(Get-EmulatorRequests -Method PUT).Count | Should -Be 0
    }

    It 'leaves the checkpoint alone under -WhatIf' {
        $rows | Set-LcConversation -Starred $true -Connection $loc.Connection -CheckpointPath $cp -WhatIf
        Test-Path -LiteralPath $cp | Should -BeFalse
        @(Get-EmulatorRequests -Method PUT).Count | Should -Be 0
    }

    It '-All goes on from the recorded cursor: no item listed twice, none left out' {
        1..25 | ForEach-Object { [pscustomobject]@{ email = "page$_@example.com"; firstName = "P$_" } } |
            New-LcContact -Connection $loc.Connection
        $all = @(Get-LcContact -All -PageSize 10 -Connection $loc.Connection)
        $all.Count | Should -BeGreaterOrEqual 25

        # Two pages of 10 are written; then the third page's 401 stops the listing.
        $first = [System.Collections.Generic.List[object]]::new()
        try {
            Get-LcContact -All -PageSize 10 -Connection $loc.Connection -CheckpointPath $cp -ErrorAction Stop | ForEach-Object {
                $first.Add($_)
                if ($first.Count -eq 20) { Set-EmulatorFault -Method POST -PathPrefix '/contacts/search' -Kind Status -StatusCode 401 -Count 1 }
            }
            throw 'the listing was expected to stop'
        }
        catch { $_.FullyQualifiedErrorId | Should -BeLike 'ApiUnauthorized*' }
        $first.Count | Should -Be 20
        Test-Path -LiteralPath $cp | Should -BeTrue

        $rest = @(Get-LcContact -All -PageSize 10 -Connection $loc.Connection -CheckpointPath $cp)
        $rest.Count | Should -Be ($all.Count - 20)
        @(@($first.Id) + @($rest.Id)) | Should -Be @($all.Id)
        Test-Path -LiteralPath $cp | Should -BeFalse
    }
}

Describe 'examples/Update-ContactsResumable.Runbook.ps1' {
    BeforeAll {
        Reset-Emulator
        Disconnect-Lc
        # 20 requests per half second: the 300 rows take several seconds, so the first run is still at work when the
        # test stops it (at a high limit a window's quota in flight could finish the job between the check and the kill).
        Set-EmulatorRateLimit -Max 20 -IntervalMs 500
        $script:rloc = New-TestLocation -Conversations 0
        $script:root = Join-Path ([System.IO.Path]::GetTempPath()) ('lc-runbook-{0}' -f [guid]::NewGuid().ToString('N'))
        $script:inbox = Join-Path $root 'inbox'
        $null = New-Item -ItemType Directory -Path $inbox -Force
        $script:rowCount = 300
        1..$rowCount | ForEach-Object { [pscustomobject]@{ firstName = "Run$_"; email = ('run{0:D3}@example.com' -f $_) } } |
            Export-Csv -LiteralPath (Join-Path $inbox 'leads.csv') -NoTypeInformation
        # A runbook job: Azure Automation's own cmdlets stood in, the module imported, the runbook run; its output as JSON.
        $script:job = Join-Path $root 'job.ps1'
        Set-Content -LiteralPath $job -Value @'
param($Module, $Runbook, $Inbox, $Uri, $Location)
function Get-AutomationPSCredential([string] $Name) {
    [pscredential]::new('token', (ConvertTo-SecureString -String $env:LC_RUNBOOK_TOKEN -AsPlainText -Force))
}
function Get-AutomationVariable([string] $Name) {
    switch ($Name) { 'LeadConnectorLocationId' { $Location } 'LeadConnectorBaseUri' { $Uri } }
}
& $Runbook -InboxPath $Inbox | ConvertTo-Json -Compress
'@
        # The runbook imports LeadConnector by name: a module folder of that name that is this repository.
        $modules = Join-Path $root 'modules'
        $null = New-Item -ItemType Directory -Path $modules
        $null = New-Item -ItemType $(if ($IsWindows) { 'Junction' } else { 'SymbolicLink' }) -Path (Join-Path $modules 'LeadConnector') -Target (Get-RepoRoot)
        function Start-RunbookJob([string] $Out) {
            $pwsh = Join-Path $PSHOME 'pwsh'
            if ($IsWindows) { $pwsh += '.exe' }
            $info = [System.Diagnostics.ProcessStartInfo]::new($pwsh)
            foreach ($a in '-NoProfile', '-NonInteractive', '-Command', ("& '{0}' '{1}' '{2}' '{3}' '{4}' '{5}' *> '{6}'" -f $job,
                    (Join-Path (Get-RepoRoot) 'LeadConnector.psd1'), (Join-Path (Get-RepoRoot) 'examples/Update-ContactsResumable.Runbook.ps1'),
                    $inbox, (Get-EmulatorUri), $rloc.LocationId, $Out)) {
                $info.ArgumentList.Add($a)
            }
            $info.UseShellExecute = $false
            $info.Environment['LC_RUNBOOK_TOKEN'] = $rloc.Token
            $info.Environment['PSModulePath'] = $modules
            [System.Diagnostics.Process]::Start($info)
        }
    }
    AfterAll {
        $link = Join-Path $root 'modules/LeadConnector'
        if (Test-Path -LiteralPath $link) { [System.IO.Directory]::Delete($link) } # the link only, never the repository
        Remove-Item -LiteralPath $root -Recurse -Force -ErrorAction SilentlyContinue
    }

    It 'a job stopped by Automation is resumed by the next scheduled run: each row once, the file moved to done' {
        # The job's checkpoint, read while the job writes it (shared for reading and writing).
        function Get-DoneCount([string] $Path) {
            try {
                $stream = [System.IO.FileStream]::new($Path, 'Open', 'Read', 'ReadWrite, Delete')
                try { $text = [System.IO.StreamReader]::new($stream).ReadToEnd() } finally { $stream.Dispose() }
                @($text -split "`n" | Where-Object { $_ -like 'done *' }).Count
            }
            catch [System.IO.IOException] { 0 }
        }

        # Automation stops a job by ending its process: the first run is killed once it has upserted some rows.
        $p = Start-RunbookJob -Out (Join-Path $root 'run1.txt')
        try {
            # Waits for rows recorded as done in the checkpoint (not for the server's count: with a window's quota in
            # flight, the server may have seen 40 before any answer was written).
            $checkpointFile = Join-Path $inbox 'leads.csv.checkpoint'
            Wait-Until -WaitingFor 'the first run to record upserted rows' -Condition {
                $p.HasExited -or ((Test-Path -LiteralPath $checkpointFile) -and (Get-DoneCount -Path $checkpointFile) -ge 40)
            }
            $p.HasExited | Should -BeFalse -Because 'the job is stopped while it runs'
            $p.Kill($true)
            $p.WaitForExit()
        }
        finally { if (-not $p.HasExited) { $p.Kill($true); $null = $p.WaitForExit(15000) } }
        Test-Path -LiteralPath (Join-Path $inbox 'leads.csv.checkpoint') | Should -BeTrue
        Test-Path -LiteralPath (Join-Path $inbox 'leads.csv') | Should -BeTrue
        # Upserts the server answered with success: a 429 the pacer could not foresee (the killed run spent part of the
        # window) is retried, and is no second upsert.
        function Get-UpsertsDone { @(Get-EmulatorRequests -Method POST -PathPrefix '/contacts/upsert' | Where-Object { $_.statusCode -ge 200 -and $_.statusCode -lt 300 }).Count }
        $before = Get-UpsertsDone

        # The next scheduled run.
        $out = Join-Path $root 'run2.txt'
        $p = Start-RunbookJob -Out $out
        $p.WaitForExit(120000) | Should -BeTrue
        $summary = (Get-Content -LiteralPath $out -Raw) | ConvertFrom-Json
        $summary.File | Should -Be 'leads.csv'
        $summary.Resumed | Should -BeTrue
        $summary.Refused | Should -Be 0
        $summary.Upserted | Should -BeLessThan $rowCount -Because 'the rows done by the stopped run are skipped'
        $after = Get-UpsertsDone
        ($after - $before) | Should -Be $summary.Upserted -Because 'only the rows left are sent (an upsert in flight when it stopped is sent again)'
        Test-Path -LiteralPath (Join-Path $inbox 'leads.csv.checkpoint') | Should -BeFalse
        Test-Path -LiteralPath (Join-Path $root 'done/leads.csv') | Should -BeTrue
        $contacts = @(Get-LcContact -All -PageSize 500 -Connection $rloc.Connection)
        $contacts.Count | Should -Be $rowCount
        @($contacts.Email | Sort-Object -Unique).Count | Should -Be $rowCount

        # A third run finds an empty inbox and does nothing.
        $p = Start-RunbookJob -Out (Join-Path $root 'run3.txt')
        $p.WaitForExit(120000) | Should -BeTrue
        Get-UpsertsDone | Should -Be $after
    }
}

Describe 'Kill and resume: 1,000 creates, the process killed at random points' {
    BeforeAll {
        Reset-Emulator
        Disconnect-Lc
        Set-EmulatorRateLimit -Max 100000 -IntervalMs 1000
        $script:kloc = New-TestLocation -Conversations 0
        # Duplicates allowed: a create sent twice would make a second contact, so the test can fail.
        $null = Invoke-Control -Method Put -Path ('/_emulator/contacts/settings?locationId=' + $kloc.LocationId) -Body '{"allowDuplicateContact":true}'
        # Each create takes 20 ms at the server, so the job runs long enough (8 in flight: about 400 creates a second)
        # that a kill point reached between two polls (every 100 ms) still finds it running: unslowed, the job did its
        # last 140 creates between two polls on a quiet machine, finished and removed its checkpoint before the kill.
        Set-EmulatorFault -Method POST -PathPrefix '/contacts' -Kind Delay -DelayMs 20
        $script:work = Join-Path ([System.IO.Path]::GetTempPath()) ('lc-kill-{0}' -f [guid]::NewGuid().ToString('N'))
        $null = New-Item -ItemType Directory -Path $work
        $script:csv = Join-Path $work 'rows.csv'
        1..1000 | ForEach-Object { [pscustomobject]@{ firstName = "Kill$_"; email = ('kill{0:D4}@example.com' -f $_) } } |
            Export-Csv -LiteralPath $csv -NoTypeInformation
        $script:kcp = Join-Path $work 'job.checkpoint'
        $script:errors = Join-Path $work 'errors.txt'
        $script:child = Join-Path $work 'job.ps1'
        Set-Content -LiteralPath $child -Value @'
param($Module, $Uri, $Location, $Csv, $Checkpoint, $Errors)
$ErrorActionPreference = 'Stop'
Import-Module $Module
$token = ConvertTo-SecureString $env:LC_KILL_TEST_TOKEN -AsPlainText -Force
Connect-Lc -AccessToken $token -BaseUri $Uri -LocationId $Location -SkipValidation -Quiet
Import-Csv -LiteralPath $Csv | New-LcContact -CheckpointPath $Checkpoint -ThrottleLimit 8 -ErrorAction Continue -ErrorVariable failed | Out-Null
$failed | ForEach-Object { "$($_.FullyQualifiedErrorId): $_" } | Add-Content -LiteralPath $Errors
'@
        function Start-Job1000 {
            $pwsh = Join-Path $PSHOME 'pwsh'
            if ($IsWindows) { $pwsh += '.exe' }
            $info = [System.Diagnostics.ProcessStartInfo]::new($pwsh)
            foreach ($a in '-NoProfile', '-NonInteractive', '-File', $child, (Join-Path (Get-RepoRoot) 'LeadConnector.psd1'), (Get-EmulatorUri), $kloc.LocationId, $csv, $kcp, $errors) {
                $info.ArgumentList.Add($a)
            }
            $info.UseShellExecute = $false
            $info.Environment['LC_KILL_TEST_TOKEN'] = $kloc.Token
            [System.Diagnostics.Process]::Start($info)
        }
    }
    AfterAll {
        Remove-Item -LiteralPath $work -Recurse -Force -ErrorAction SilentlyContinue
    }

    It 'does every row exactly once after >= 5 kills: no duplicate, none skipped, checkpoint removed (prints the counts)' {
        # Kill points: POST counts spread over the first three quarters of the job, at least 60 apart, each drawn at
        # random in its own stretch (the last at 750 at most, so the job is surely still running when it is reached).
        $clock = [System.Diagnostics.Stopwatch]::StartNew()
        $killAt = 0..4 | ForEach-Object { 60 + $_ * 150 + (Get-Random -Minimum 0 -Maximum 90) }
        $kills = 0
        foreach ($at in $killAt) {
            $p = Start-Job1000
            try {
                Wait-Until -WaitingFor "the job to reach $at POSTs" -TimeoutSec 90 -Condition {
                    $p.HasExited -or (Get-RequestCount -Method POST -PathPrefix '/contacts') -ge $at
                }
                $p.HasExited | Should -BeFalse -Because 'the job is killed while it runs'
                $p.Kill($true)
                $p.WaitForExit()
                $kills++
            }
            finally { if (-not $p.HasExited) { $p.Kill($true); $null = $p.WaitForExit(15000) } }
        }
        Test-Path -LiteralPath $kcp | Should -BeTrue -Because 'a killed job keeps its checkpoint'

        $p = Start-Job1000
        $p.WaitForExit(180000) | Should -BeTrue
        $p.ExitCode | Should -Be 0
        $jobTime = $clock.Elapsed.TotalSeconds
        Test-Path -LiteralPath $kcp | Should -BeFalse -Because 'the finished job removes its checkpoint'
        $failed = if (Test-Path -LiteralPath $errors) { @(Get-Content -LiteralPath $errors) } else { @() }
        $failed | Should -BeNullOrEmpty

        # What the server made: every create that ran, by email; and the location's contacts read back.
        $posts = @(Get-EmulatorRequests -Method POST -PathPrefix '/contacts')
        $creates = @($posts | Where-Object { $_.path -in '/contacts', '/contacts/' -and $_.processed } | ForEach-Object { (Get-RequestBody -Request $_).email })
        $lookups = @(Get-EmulatorRequests -Method GET -PathPrefix '/contacts/search/duplicate').Count
        $contacts = @(Get-LcContact -All -PageSize 500 -Connection $kloc.Connection)
        $expected = 1..1000 | ForEach-Object { 'kill{0:D4}@example.com' -f $_ }
        $byEmail = $contacts | Group-Object Email -AsHashTable -AsString
        $duplicates = @($contacts | Group-Object Email | Where-Object Count -gt 1 | ForEach-Object { $_.Count - 1 } | Measure-Object -Sum).Sum
        $duplicates = [int] $duplicates
        $repeated = [int] (@($creates | Group-Object | Where-Object Count -gt 1 | ForEach-Object { $_.Count - 1 } | Measure-Object -Sum).Sum)
        $skipped = @($expected | Where-Object { -not $byEmail -or -not $byEmail.ContainsKey($_) }).Count

        $line = 'Checkpoint kill test: items {0}, kills {1}, creates processed {2}, look-ups before resending {3}, duplicates {4} (creates repeated {8}), skipped {5}, checkpoint removed {6}; {7:N1} s for the 6 runs' -f `
            1000, $kills, $creates.Count, $lookups, $duplicates, $skipped, (-not (Test-Path -LiteralPath $kcp)), $jobTime, $repeated
        Write-Host $line
        Add-Content -LiteralPath (Join-Path ([System.IO.Path]::GetTempPath()) 'lc-checkpoint-kill.txt') -Value $line

        $kills | Should -BeGreaterOrEqual 5
        $duplicates | Should -Be 0
        $repeated | Should -Be 0
        $skipped | Should -Be 0
        $contacts.Count | Should -Be 1000
        $creates.Count | Should -Be 1000
    }
}
