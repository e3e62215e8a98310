# Runs examples/Import-LeadsAndWelcome.ps1 the way it runs for real: in a fresh pwsh that imports LeadConnector by name
# (a module folder that links to this build), against the emulator.

BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    $BaseUri = Initialize-TestSession
    $repoRoot = Get-RepoRoot
    $script:modules = Join-Path ([System.IO.Path]::GetTempPath()) ('lc-modules-' + [guid]::NewGuid().ToString('N'))
    $null = New-Item -ItemType Directory -Path $script:modules
    $null = New-Item -ItemType SymbolicLink -Path (Join-Path $script:modules 'LeadConnector') -Target $repoRoot
    $script:runbook = Join-Path $repoRoot 'examples/Import-LeadsAndWelcome.ps1'

    function Invoke-Runbook([string] $CsvPath, [string] $Token, [string] $LocationId) {
        $pwsh = Join-Path $PSHOME 'pwsh'
        if ($IsWindows) { $pwsh += '.exe' }
        $script = @'
$token = ConvertTo-SecureString -String '__TOKEN__' -AsPlainText -Force
Import-Module LeadConnector
$null = Connect-Lc -AccessToken $token -BaseUri '__URI__' -LocationId '__LOC__'
& '__RUNBOOK__' -Path '__CSV__' -ErrorAction SilentlyContinue -ErrorVariable runErrors | ConvertTo-Json -Compress
"ERRORS:" + (@($runErrors | ForEach-Object { $_.Exception.Message }) -join ' || ')
'@
        $script = $script.Replace('__TOKEN__', $Token).Replace('__URI__', $BaseUri).Replace('__LOC__', $LocationId).Replace('__RUNBOOK__', $script:runbook).Replace('__CSV__', $CsvPath)
        $saved = $env:PSModulePath
        try {
            $env:PSModulePath = $script:modules
            $output = @(& $pwsh -NoProfile -NonInteractive -OutputFormat Text -Command $script 2>&1 | ForEach-Object { "$_" })
        }
        finally { $env:PSModulePath = $saved }
        [pscustomobject]@{
            ExitCode = $LASTEXITCODE
            Output   = $output
            Summary  = ($output | Where-Object { $_ -like '{*' } | Select-Object -First 1 | ConvertFrom-Json)
            Errors   = ($output | Where-Object { $_ -like 'ERRORS:*' } | Select-Object -First 1)
        }
    }
}

AfterAll {
    if ($script:modules) { Remove-Item -LiteralPath $script:modules -Recurse -Force -ErrorAction SilentlyContinue }
    if (Get-Command -Name Complete-TestSession -ErrorAction SilentlyContinue) { Complete-TestSession }
}

Describe 'examples/Import-LeadsAndWelcome.ps1' {
    BeforeEach {
        Reset-Emulator
        Disconnect-Lc
    }

    It 'imports the leads, welcomes only the new ones, names a refused row, and makes nothing twice when run again' {
        $t = New-TestLocation -Conversations 0
        # One lead exists already, with a conversation of its own.
        $existing = New-LcContact -FirstName Old -Email 'old@example.com' -Phone '+15550009000' -Connection $t.Connection
        $null = New-LcConversation -ContactId $existing.Id -Connection $t.Connection
        $csv = Join-Path ([System.IO.Path]::GetTempPath()) ('leads-' + [guid]::NewGuid().ToString('N') + '.csv')
        @'
firstName,lastName,email,phone,tags
Ana,Lima,ana@example.com,+15550001111,"webinar; 2026"
Bo,Ek,bo@example.com,+15550002222,webinar
Old,Lead,old@example.com,+15550009000,
Cy,,not-an-email,+15550003333,
Di,Fo,di@example.com,+15550004444,
'@ | Set-Content -LiteralPath $csv
        try {
            $run = Invoke-Runbook -CsvPath $csv -Token $t.Token -LocationId $t.LocationId

            $run.ExitCode | Should -Be 0 -Because ($run.Output -join "`n")
            $run.Summary.Rows | Should -Be 5
            $run.Summary.Contacts | Should -Be 4
            $run.Summary.New | Should -Be 3
            $run.Summary.Welcomed | Should -Be 3
            $run.Summary.Failed | Should -Be 1
            $run.Errors | Should -Match 'Row 4 \(not-an-email\)'
            $sends = @(Get-EmulatorRequests -Method POST -PathPrefix '/conversations/messages')
            $sends.Count | Should -Be 3
            @($sends | ForEach-Object { (Get-RequestBody -Request $_).message } | Sort-Object -Unique) | Should -Be 'Welcome!'
            @(Get-LcConversation -ContactId $existing.Id -Connection $t.Connection).Count | Should -Be 1

            $again = Invoke-Runbook -CsvPath $csv -Token $t.Token -LocationId $t.LocationId
            $again.ExitCode | Should -Be 0 -Because ($again.Output -join "`n")
            $again.Summary.New | Should -Be 0
            $again.Summary.Welcomed | Should -Be 0
            @(Get-EmulatorRequests -Method POST -PathPrefix '/conversations/messages').Count | Should -Be 3 -Because 'nobody is welcomed twice'
            @(Get-LcContact -All -Connection $t.Connection).Count | Should -Be 4
            @(Get-LcConversation -All -Connection $t.Connection).Count | Should -Be 4
        }
        finally { Remove-Item -LiteralPath $csv -ErrorAction SilentlyContinue }
    }
}
