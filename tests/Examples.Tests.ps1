# Runs each script in ./examples against the emulator, the way it runs for real: in a fresh pwsh that imports the
# packaged module by name (out/LeadConnector/<version>, made by './build.ps1 -Task Package', which -Task Test runs
# first), with Azure Automation's own cmdlets stood in where a runbook uses them.

BeforeDiscovery {
    $repoRoot = Split-Path -Parent $PSScriptRoot
    $noPackage = -not (Test-Path -LiteralPath (Join-Path $repoRoot 'out/LeadConnector')) -and $env:CI -ne 'true'
}

BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    $BaseUri = Initialize-TestSession
    $repoRoot = Get-RepoRoot
    $examples = Join-Path $repoRoot 'examples'
    $modulePath = Join-Path $repoRoot 'out'
    $token = Get-TestToken -Tenant alpha

    # Runs a script text in a fresh pwsh that finds LeadConnector by name in out/; returns exit code and output lines.
    function Invoke-Example([string] $Script, [hashtable] $Environment = @{}) {
        $pwsh = Join-Path $PSHOME 'pwsh'
        if ($IsWindows) { $pwsh += '.exe' }
        $saved = @{}
        foreach ($name in @('PSModulePath') + @($Environment.Keys)) { $saved[$name] = [Environment]::GetEnvironmentVariable($name) }
        try {
            $env:PSModulePath = $modulePath
            foreach ($name in $Environment.Keys) { [Environment]::SetEnvironmentVariable($name, $Environment[$name]) }
            $output = & $pwsh -NoProfile -NonInteractive -OutputFormat Text -Command $Script 2>&1
            [pscustomobject]@{ ExitCode = $LASTEXITCODE; Output = @($output | ForEach-Object { "$_" }) }
        }
        finally {
            foreach ($name in $saved.Keys) { [Environment]::SetEnvironmentVariable($name, $saved[$name]) }
        }
    }

    function ConvertFrom-Output($Run) {
        $json = ($Run.Output | Where-Object { $_ -notmatch '^(WARNING|VERBOSE):' }) -join "`n"
        $json | ConvertFrom-Json
    }
}

AfterAll {
    if (Get-Command -Name Complete-TestSession -ErrorAction SilentlyContinue) { Complete-TestSession }
}

Describe 'examples' -Skip:$noPackage {
    BeforeEach {
        Reset-Emulator
        Disconnect-Lc
        $null = Connect-TestLc -Tenant alpha
    }

    It 'the Azure Automation runbook stars every unread conversation older than a day, from Automation assets' {
        $unreadBefore = @(Get-LcConversation -Status unread -All)
        $toStar = @($unreadBefore | Where-Object { -not $_.Starred -and $_.LastMessageDate -lt [DateTimeOffset]::UtcNow.AddDays(-1) })
        $toStar.Count | Should -BeGreaterThan 0 -Because 'the seeded data must exercise the runbook'
        $calls = Join-Path ([System.IO.Path]::GetTempPath()) ('lc-automation-' + [guid]::NewGuid().ToString('N') + '.log')
        $script = @'
function Get-AutomationPSCredential([string] $Name) {
    Add-Content -LiteralPath '__CALLS__' -Value "credential:$Name"
    [pscredential]::new('token', (ConvertTo-SecureString -String '__TOKEN__' -AsPlainText -Force))
}
function Get-AutomationVariable([string] $Name) {
    Add-Content -LiteralPath '__CALLS__' -Value "variable:$Name"
    switch ($Name) {
        'LeadConnectorLocationId' { 'loc-alpha' }
        'LeadConnectorBaseUri' { '__URI__' }
        default { throw "Automation variable '$Name' was not found." }
    }
}
& '__RUNBOOK__' -OlderThanHours 24 | ConvertTo-Json -Depth 3
'@
        $script = $script.Replace('__CALLS__', $calls).Replace('__TOKEN__', $token).Replace('__URI__', $BaseUri).Replace('__RUNBOOK__', (Join-Path $examples 'Star-StaleUnreadConversations.Runbook.ps1'))
        try {
            $run = Invoke-Example -Script $script

            $run.ExitCode | Should -Be 0 -Because ($run.Output -join "`n")
            $summary = ConvertFrom-Output $run
            $summary.StaleUnread | Should -Be $toStar.Count
            $summary.Starred | Should -Be $toStar.Count
            @($summary.ConversationId | Sort-Object) | Should -Be @($toStar.Id | Sort-Object)
            Get-Content -LiteralPath $calls | Should -Contain 'credential:LeadConnector'
            Get-Content -LiteralPath $calls | Should -Contain 'variable:LeadConnectorLocationId'
            foreach ($id in $toStar.Id) { (Get-LcConversation -Id $id).Starred | Should -BeTrue }
            ($run.Output -join "`n") | Should -Not -Match ([regex]::Escape($token))
        }
        finally { Remove-Item -LiteralPath $calls -ErrorAction SilentlyContinue }
    }

    It 'the scheduled cleanup lists and removes nothing with -WhatIf, then removes old read conversations from the environment connection' {
        $read = @(Get-LcConversation -Status read -All)
        $old = @($read | Where-Object { $_.LastMessageDate -lt [DateTimeOffset]::UtcNow.AddDays(-365) })
        $old.Count | Should -BeGreaterThan 1 -Because 'the seeded data must exercise the cleanup'
        $env = @{ LC_ACCESS_TOKEN = $token; LC_LOCATION_ID = 'loc-alpha' }
        $script = "& '$(Join-Path $examples 'Remove-OldReadConversations.ps1')' -OlderThanDays 365 -Limit 2 -BaseUri '$BaseUri'"

        $dry = Invoke-Example -Script ($script + ' -WhatIf') -Environment $env
        $dry.ExitCode | Should -Be 0 -Because ($dry.Output -join "`n")
        @($dry.Output | Where-Object { $_ -like 'What if:*Remove*' }).Count | Should -Be 2
        @(Get-EmulatorRequests -Method DELETE).Count | Should -Be 0

        $real = Invoke-Example -Script ($script + ' -Confirm:$false | ConvertTo-Json') -Environment $env
        $real.ExitCode | Should -Be 0 -Because ($real.Output -join "`n")
        $removed = @(ConvertFrom-Output $real)
        $removed.Count | Should -Be 2
        $oldest = @($old | Sort-Object LastMessageDate | Select-Object -First 2)
        @($removed.Id) | Should -Be @($oldest.Id)
        @(Get-EmulatorRequests -Method DELETE).Count | Should -Be 2
        foreach ($id in $removed.Id) {
            Get-LcConversation -Id $id -ErrorAction SilentlyContinue -ErrorVariable missing | Should -BeNullOrEmpty
            Assert-LcError $missing -ErrorId ApiNotFound
        }
    }

    It 'the CSV bulk update applies each row, parses true/false as booleans, and reports a bad row without stopping' {
        $csv = Join-Path ([System.IO.Path]::GetTempPath()) ('lc-changes-' + [guid]::NewGuid().ToString('N') + '.csv')
        @(
            'Id,Starred,UnreadCount'
            'conv-a001,true,0'
            'conv-a002,,0'
            'conv-a003,false,'
            'conv-a004,maybe,1'
            'conv-a006,TRUE,2'
        ) | Set-Content -LiteralPath $csv -Encoding UTF8
        $script = @'
Import-Module LeadConnector
Connect-Lc -AccessToken '__TOKEN__' -BaseUri '__URI__' -LocationId loc-alpha -Quiet
& '__SCRIPT__' -Path '__CSV__' -ErrorVariable bad -ErrorAction SilentlyContinue | Select-Object Id, Starred, UnreadCount | ConvertTo-Json
"errors=$($bad.Count) $($bad[0].FullyQualifiedErrorId) $($bad[0].Exception.Message)"
'@
        $script = $script.Replace('__TOKEN__', $token).Replace('__URI__', $BaseUri).Replace('__SCRIPT__', (Join-Path $examples 'Update-ConversationsFromCsv.ps1')).Replace('__CSV__', $csv)
        try {
            $run = Invoke-Example -Script $script

            $run.ExitCode | Should -Be 0 -Because ($run.Output -join "`n")
            $errorLine = $run.Output | Where-Object { $_ -like 'errors=*' }
            $errorLine | Should -Match '^errors=1 InvalidCsvRow'
            $errorLine | Should -Match 'Row 5'
            $updated = ConvertFrom-Output ([pscustomobject]@{ Output = @($run.Output | Where-Object { $_ -notlike 'errors=*' }) })
            @($updated.Id) | Should -Be @('conv-a001', 'conv-a002', 'conv-a003', 'conv-a006')
            (Get-LcConversation -Id conv-a001).Starred | Should -BeTrue
            (Get-LcConversation -Id conv-a003).Starred | Should -BeFalse
            (Get-LcConversation -Id conv-a006).UnreadCount | Should -Be 2
            @(Get-EmulatorRequests -Method PUT -PathPrefix '/conversations/conv-a004').Count | Should -Be 0
            $body = Get-RequestBody -Request @(Get-EmulatorRequests -Method PUT -PathPrefix '/conversations/conv-a002')[0]
            $body.PSObject.Properties.Name | Should -Not -Contain 'starred' -Because 'an empty cell leaves the field unchanged'
        }
        finally { Remove-Item -LiteralPath $csv -ErrorAction SilentlyContinue }
    }
}
