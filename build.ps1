#Requires -Version 5.1
<#
.SYNOPSIS
    Builds, tests, documents and demonstrates the LeadConnector module.

.DESCRIPTION
    Build  dotnet publish src/LeadConnector into ./bin (the manifest's RootModule is bin/LeadConnector.dll).
    Test   Build, dotnet test, then the Pester 5 tests in ./tests against the emulator (skipped without Pester 5).
    Docs   Compile ./docs (platyPS markdown) into ./en-US (skipped without platyPS).
    Demo   Build, start the emulator on http://127.0.0.1:5080 and run the cmdlets against it.
    Clean  Remove bin, en-US, TestResults and every bin/obj folder under src and tests.

    Pester and the demo run in a child PowerShell process, so this session never loads bin/LeadConnector.dll
    (on Windows a loaded DLL cannot be deleted by the next build).

.EXAMPLE
    ./build.ps1

.EXAMPLE
    ./build.ps1 -Task Clean, Test, Docs
#>
[CmdletBinding()]
param(
    [ValidateSet('Build', 'Test', 'Docs', 'Demo', 'Clean')]
    [string[]] $Task = 'Build',

    [string] $Configuration = 'Release'
)

Set-StrictMode -Version Latest
$ErrorActionPreference = 'Stop'

$RepoRoot = $PSScriptRoot
$BinDir = Join-Path $RepoRoot 'bin'
$HelpDir = Join-Path $RepoRoot 'en-US'
$DocsDir = Join-Path $RepoRoot 'docs'
$TestsDir = Join-Path $RepoRoot 'tests'
$TestResultsDir = Join-Path $RepoRoot 'TestResults'
$ModuleProject = Join-Path $RepoRoot 'src/LeadConnector/LeadConnector.csproj'
$EmulatorProject = Join-Path $RepoRoot 'tests/LeadConnector.Emulator'
# tests/TestHelpers.psm1 runs the emulator with 'dotnet run --no-build --configuration Debug': build it the same way.
$EmulatorConfiguration = 'Debug'
$IsWindowsHost = $env:OS -eq 'Windows_NT'
$script:Built = $false

function Write-Step {
    param([string] $Message)
    Write-Host "==> $Message" -ForegroundColor Cyan
}

function Invoke-Native {
    <# Runs a native command, shows its output, and throws on a non-zero exit code. #>
    param(
        [Parameter(Mandatory)] [string] $FilePath,
        [string[]] $ArgumentList = @()
    )
    if (-not (Get-Command -Name $FilePath -CommandType Application -ErrorAction SilentlyContinue)) {
        throw "'$FilePath' was not found on PATH (the build needs the .NET SDK)."
    }
    Write-Host "    $FilePath $($ArgumentList -join ' ')" -ForegroundColor DarkGray
    $exitCode = Invoke-WithExitCode -FilePath $FilePath -ArgumentList $ArgumentList
    if ($exitCode -ne 0) {
        throw "'$FilePath $($ArgumentList -join ' ')' failed with exit code $exitCode."
    }
}

function Invoke-WithExitCode {
    <# Runs an executable, shows its output, and returns its exit code. #>
    param(
        [Parameter(Mandatory)] [string] $FilePath,
        [string[]] $ArgumentList = @()
    )
    # Windows PowerShell 5.1 can turn a native command's stderr into errors; with 'Stop' they would end the build.
    $savedPreference = $ErrorActionPreference
    $ErrorActionPreference = 'Continue'
    try {
        & $FilePath @ArgumentList | Out-Host
        $LASTEXITCODE
    }
    finally {
        $ErrorActionPreference = $savedPreference
    }
}

function ConvertTo-PSLiteral {
    param([string] $Value)
    "'" + $Value.Replace("'", "''") + "'"
}

function Get-PowerShellPath {
    <# The executable of the running edition: pwsh for PowerShell 7, powershell.exe for Windows PowerShell. #>
    foreach ($name in 'pwsh.exe', 'pwsh', 'powershell.exe') {
        $candidate = Join-Path $PSHOME $name
        if (Test-Path -LiteralPath $candidate -PathType Leaf) { return $candidate }
    }
    throw "No PowerShell executable was found in '$PSHOME'."
}

function Invoke-ChildPowerShell {
    <# Runs a script in a new process of the same PowerShell edition; throws if it exits non-zero. #>
    param(
        [Parameter(Mandatory)] [string] $Script,
        [Parameter(Mandatory)] [string] $What
    )
    $encoded = [Convert]::ToBase64String([System.Text.Encoding]::Unicode.GetBytes($Script))
    $arguments = @('-NoProfile', '-NonInteractive')
    if ($IsWindowsHost) { $arguments += @('-ExecutionPolicy', 'Bypass') }
    $arguments += @('-EncodedCommand', $encoded)
    $exe = Get-PowerShellPath
    Write-Host "    $exe -NoProfile -NonInteractive -EncodedCommand <$What>" -ForegroundColor DarkGray
    $exitCode = Invoke-WithExitCode -FilePath $exe -ArgumentList $arguments
    if ($exitCode -ne 0) {
        throw "$What failed (exit code $exitCode)."
    }
}

function Remove-Directory {
    param([Parameter(Mandatory)] [string] $Path)
    if (-not (Test-Path -LiteralPath $Path)) { return }
    Write-Host "    removing $Path" -ForegroundColor DarkGray
    try {
        Remove-Item -LiteralPath $Path -Recurse -Force
    }
    catch {
        throw "Could not remove '$Path': $($_.Exception.Message) A PowerShell session that imported LeadConnector keeps bin/LeadConnector.dll open on Windows: close it and run the build again."
    }
}

function Invoke-BuildTask {
    if ($script:Built) { return }
    Write-Step "Build ($Configuration): dotnet publish -> $BinDir"
    Remove-Directory -Path $BinDir
    Invoke-Native -FilePath 'dotnet' -ArgumentList @('publish', $ModuleProject, '--configuration', $Configuration, '--output', $BinDir, '--nologo')
    if (-not (Test-Path -LiteralPath (Join-Path $BinDir 'LeadConnector.dll'))) {
        throw "dotnet publish succeeded but '$BinDir/LeadConnector.dll' is missing."
    }
    $script:Built = $true
}

function Invoke-EmulatorBuild {
    Write-Step "Build the emulator ($EmulatorConfiguration)"
    Invoke-Native -FilePath 'dotnet' -ArgumentList @('build', $EmulatorProject, '--configuration', $EmulatorConfiguration, '--nologo')
}

function Invoke-TestTask {
    Invoke-BuildTask

    Write-Step 'Test: dotnet test'
    Invoke-Native -FilePath 'dotnet' -ArgumentList @('test', $RepoRoot, '--nologo')

    $pester = Get-Module -Name Pester -ListAvailable |
        Where-Object { $_.Version -ge [version] '5.0.0' } |
        Sort-Object -Property Version -Descending |
        Select-Object -First 1
    if ($null -eq $pester) {
        Write-Warning 'Pester 5 is not installed, so the Pester tests were skipped. Install it with: Install-Module Pester -MinimumVersion 5.5.0 -Scope CurrentUser -Force'
        return
    }

    Invoke-EmulatorBuild

    Write-Step "Test: Invoke-Pester $($pester.Version) on $TestsDir"
    $null = New-Item -ItemType Directory -Path $TestResultsDir -Force
    # The child keeps the default ErrorActionPreference: the tests decide themselves which errors stop them.
    $pesterScript = @'
Import-Module -Name __PESTER__ -Force -ErrorAction Stop
$cfg = New-PesterConfiguration
$cfg.Run.Path = __TESTS__
$cfg.Run.PassThru = $true
$cfg.Output.Verbosity = 'Detailed'
$cfg.TestResult.Enabled = $true
$cfg.TestResult.OutputPath = __RESULTS__
$result = Invoke-Pester -Configuration $cfg
if ($null -eq $result -or $result.Result -ne 'Passed' -or $result.FailedCount -gt 0) { exit 1 }
exit 0
'@
    $pesterScript = $pesterScript.Replace('__PESTER__', (ConvertTo-PSLiteral $pester.Path))
    $pesterScript = $pesterScript.Replace('__TESTS__', (ConvertTo-PSLiteral $TestsDir))
    $pesterScript = $pesterScript.Replace('__RESULTS__', (ConvertTo-PSLiteral (Join-Path $TestResultsDir 'pester.xml')))
    Invoke-ChildPowerShell -Script $pesterScript -What 'Invoke-Pester'
}

function Invoke-DocsTask {
    Write-Step "Docs: New-ExternalHelp $DocsDir -> $HelpDir"
    if (-not (Get-Module -Name platyPS -ListAvailable)) {
        Write-Warning 'platyPS is not installed, so the help was not compiled. Install it with: Install-Module platyPS -Scope CurrentUser -Force'
        return
    }
    Import-Module -Name platyPS -ErrorAction Stop
    # Both the cmdlet pages (*-*.md) and about_LeadConnector.md.
    $files = New-ExternalHelp -Path $DocsDir -OutputPath $HelpDir -Force
    foreach ($file in @($files)) { Write-Host "    wrote $file" -ForegroundColor DarkGray }
}

function Invoke-DemoTask {
    Invoke-BuildTask
    Invoke-EmulatorBuild

    Import-Module -Name (Join-Path $TestsDir 'TestHelpers.psm1') -Force
    Write-Step 'Demo: start the emulator on http://127.0.0.1:5080'
    $baseUri = Start-Emulator -Port 5080
    try {
        $demo = @'
$ErrorActionPreference = 'Stop'
function Show([string] $Command) { Write-Host ''; Write-Host "PS> $Command" -ForegroundColor Yellow }

Import-Module -Name __MANIFEST__ -Force

Show 'Connect-Lc -AccessToken <seeded loc-alpha token> -BaseUri __URI_TEXT__ -LocationId loc-alpha'
Connect-Lc -AccessToken 'pit-alpha-0123456789abcdef' -BaseUri __URI__ -LocationId 'loc-alpha'

Show 'Get-LcConnection'
Get-LcConnection | Out-Host

Show 'Get-LcConversation -First 5 | Format-Table'
Get-LcConversation -First 5 | Format-Table | Out-Host

Show 'New-LcConversation -ContactId contact-a010'
$new = New-LcConversation -ContactId 'contact-a010'
$new | Format-List -Property Id, ContactId, LocationId, DateAdded | Out-Host

Show ('Set-LcConversation -Id {0} -Starred $true -UnreadCount 0 -PassThru' -f $new.Id)
Set-LcConversation -Id $new.Id -Starred $true -UnreadCount 0 -PassThru | Format-Table | Out-Host

Show 'Get-LcEmailMessage -Id email-a001 | Format-List'
Get-LcEmailMessage -Id 'email-a001' | Format-List | Out-Host

Disconnect-Lc
'@
        $demo = $demo.Replace('__MANIFEST__', (ConvertTo-PSLiteral (Join-Path $RepoRoot 'LeadConnector.psd1')))
        $demo = $demo.Replace('__URI_TEXT__', $baseUri)
        $demo = $demo.Replace('__URI__', (ConvertTo-PSLiteral $baseUri))
        Invoke-ChildPowerShell -Script $demo -What 'the demo'
    }
    finally {
        Write-Step 'Demo: stop the emulator'
        Stop-Emulator
    }
}

function Invoke-CleanTask {
    Write-Step 'Clean'
    $targets = @($BinDir, $HelpDir, $TestResultsDir)
    foreach ($root in @((Join-Path $RepoRoot 'src'), $TestsDir)) {
        if (Test-Path -LiteralPath $root) {
            $targets += @(Get-ChildItem -LiteralPath $root -Directory -Recurse -Force |
                    Where-Object { $_.Name -eq 'bin' -or $_.Name -eq 'obj' } |
                    ForEach-Object { $_.FullName })
        }
    }
    # Parents first; a nested bin/obj is then already gone, which Remove-Directory allows.
    foreach ($target in @($targets | Sort-Object -Property Length)) {
        Remove-Directory -Path $target
    }
    $script:Built = $false
}

foreach ($name in $Task) {
    switch ($name) {
        'Build' { Invoke-BuildTask }
        'Test' { Invoke-TestTask }
        'Docs' { Invoke-DocsTask }
        'Demo' { Invoke-DemoTask }
        'Clean' { Invoke-CleanTask }
    }
}
Write-Step "Done: $($Task -join ', ')"
