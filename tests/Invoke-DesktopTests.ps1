#Requires -Version 5.1
<#
.SYNOPSIS
    Runs the module's Windows PowerShell 5.1 path under test: tests/LeadConnector.Desktop.Tests against the emulator.

.DESCRIPTION
    Builds tests/LeadConnector.Desktop.Tests (net48), starts the emulator with tests/TestHelpers.psm1, and runs the
    program on .NET Framework (Windows) or under Mono with its strict assembly loader (elsewhere). The program loads
    <ModuleBin>/LeadConnector.dll, registers the module's resolver for <ModuleBin>/Desktop and runs the engine served
    through it. Its output is echoed as plain text; the script returns one object:
        [pscustomobject]@{ Passed = <int>; Failed = <int>; Skipped = 0; NotRun = <$null, or why nothing ran> }
    The counts come from the program's last line ('N passed, N failed'). A program that does not build, a crash or a
    missing count line counts as at least one failure. Off Windows without Mono nothing runs, and NotRun says why.

    Needs the module built into <ModuleBin> (./build.ps1) and the emulator built in Debug
    ('dotnet build tests/LeadConnector.Emulator -c Debug'), as tests/TestHelpers.psm1 runs it with --no-build.
    It starts and stops an emulator of its own: call it while this session runs none from TestHelpers.psm1.

.EXAMPLE
    & ./tests/Invoke-DesktopTests.ps1 -RepoRoot . -ModuleBin ./bin -Configuration Release
#>
[CmdletBinding()]
param(
    [Parameter(Mandatory)] [string] $RepoRoot,

    # The built module's bin folder: LeadConnector.dll and Desktop/.
    [Parameter(Mandatory)] [string] $ModuleBin,

    [string] $Configuration = 'Release'
)

Set-StrictMode -Version Latest
$ErrorActionPreference = 'Stop'

function New-Result {
    param([int] $Passed, [int] $Failed, [string] $NotRun)
    [pscustomobject]@{ Passed = $Passed; Failed = $Failed; Skipped = 0; NotRun = $(if ($NotRun) { $NotRun } else { $null }) }
}

function Invoke-Program {
    <# Runs a program, echoes its output (stderr too) line by line, and returns the lines and the exit code. #>
    param([string] $FilePath, [string[]] $ArgumentList)
    Write-Host "    $FilePath $($ArgumentList -join ' ')"
    # Windows PowerShell 5.1 turns a native command's stderr into errors; with 'Stop' the first would end the script.
    $savedPreference = $ErrorActionPreference
    $ErrorActionPreference = 'Continue'
    try {
        $lines = @(& $FilePath @ArgumentList 2>&1 | ForEach-Object {
                $line = "$_".TrimEnd()
                Write-Host $line
                $line
            })
        $exitCode = $LASTEXITCODE
    }
    finally {
        $ErrorActionPreference = $savedPreference
    }
    [pscustomobject]@{ Lines = $lines; ExitCode = $exitCode }
}

$onWindows = $env:OS -eq 'Windows_NT'
$mono = Get-Command -Name mono -CommandType Application -ErrorAction SilentlyContinue | Select-Object -First 1
if (-not $onWindows -and -not $mono) {
    return New-Result -NotRun 'Mono is not installed (apt-get install mono-complete) and this is not Windows'
}

$RepoRoot = (Resolve-Path -LiteralPath $RepoRoot).ProviderPath
$ModuleBin = (Resolve-Path -LiteralPath $ModuleBin).ProviderPath
$projectDir = Join-Path $RepoRoot 'tests/LeadConnector.Desktop.Tests'
$exe = Join-Path $projectDir "bin/$Configuration/net48/LeadConnector.Desktop.Tests.exe"

# -tl:off: the classic logger, plain lines in a log.
$build = Invoke-Program -FilePath 'dotnet' -ArgumentList @('build', $projectDir, '--configuration', $Configuration, '--nologo', '-tl:off', '-v:minimal')
if ($build.ExitCode -ne 0) {
    Write-Host "The desktop test program did not build (exit code $($build.ExitCode))."
    return New-Result -Failed 1
}

Import-Module (Join-Path $RepoRoot 'tests/TestHelpers.psm1')
try {
    $emulator = Start-Emulator
    if ($onWindows) {
        $run = Invoke-Program -FilePath $exe -ArgumentList @($ModuleBin, $emulator)
    }
    else {
        # Mono's default loader binds a file whatever version was asked for; strict refuses another major version,
        # as .NET Framework refuses any other version, so only the module's resolver can bridge a mismatch.
        $run = Invoke-Program -FilePath $mono.Source -ArgumentList @('--assembly-loader=strict', $exe, $ModuleBin, $emulator)
    }
}
catch {
    Write-Host "The desktop tests could not run: $($_.Exception.Message)"
    return New-Result -Failed 1
}
finally {
    Stop-Emulator
}

$lines = $run.Lines
if ($lines.Count -gt 0 -and $lines[-1] -match '^(\d+) passed, (\d+) failed$') {
    $passed = [int] $Matches[1]
    $failed = [int] $Matches[2]
}
else {
    Write-Host "The desktop test program ended (exit code $($run.ExitCode)) without its count line."
    $passed = @($lines -match '^PASS ').Count
    $failed = [Math]::Max(1, @($lines -match '^FAIL ').Count)
}
if ($run.ExitCode -ne 0 -and $failed -eq 0) { $failed = 1 }
New-Result -Passed $passed -Failed $failed
