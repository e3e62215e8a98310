#Requires -Version 5.1
<#
.SYNOPSIS
    Builds, tests, documents, packages and demonstrates the LeadConnector module.

.DESCRIPTION
    Build    Build the module into ./bin (the manifest's RootModule is bin/LeadConnector.dll).
    Docs     Compile ./docs (platyPS markdown) into ./en-US (MAML help and about_LeadConnector), which is committed:
             run it after changing docs/ and commit en-US. Needs classic platyPS 0.14.
    Package  Build, then three packages in ./out, with the committed help:
               out/LeadConnector/<version>/   the installable module folder (help, formats, types, bin/Dependencies)
               out/LeadConnector.<version>.nupkg  what Publish-PSResource sends to the PowerShell Gallery
               out/LeadConnector.zip          for Azure Automation: LeadConnector/LeadConnector.psd1 inside
    Test     Build, Package, dotnet test, the .NET Framework engine tests (net48, under Mono off Windows), then the
             Pester tests in ./tests. Where platyPS 0.14 is importable, also compiles docs/ afresh and fails when the
             committed help in en-US differs (stale help); elsewhere the committed help is used as it is.
             Fails when any runner fails, and ends with one line: 'Total: N passed, N failed, N skipped'.
    Demo     Build, start the emulator on http://127.0.0.1:5080 and run the cmdlets against it.
    Clean    Remove bin, out, TestResults and every bin/obj folder under src and tests (en-US is committed, and stays).

    On a machine that has only the .NET SDK:
        dotnet tool restore && dotnet pwsh ./build.ps1 -Task Test
    'dotnet tool restore' installs the PowerShell 7.6.9 that dotnet-tools.json pins. When Pester 5 is not
    importable, this script downloads Pester 5.7.1 from the NuGet source into ./.tools (ignored by git) with
    tests/tools/Tools.csproj; nothing is installed outside the repository.

    Pester and the demo run in a child PowerShell process that writes plain text (-OutputFormat Text), so this
    session never loads bin/LeadConnector.dll (on Windows a loaded DLL cannot be replaced by the next build).

.EXAMPLE
    ./build.ps1

.EXAMPLE
    dotnet tool restore && dotnet pwsh ./build.ps1 -Task Test

.EXAMPLE
    ./build.ps1 -Task Test -PesterPath tests/Get-LcConversation.Tests.ps1 -SkipDotnetTest
#>
[CmdletBinding()]
param(
    [ValidateSet('Build', 'Docs', 'Package', 'Test', 'Demo', 'Clean')]
    [string[]] $Task = 'Build',

    [string] $Configuration = 'Release',

    # Pester files or folders to run (default: every *.Tests.ps1 in ./tests).
    [string[]] $PesterPath,

    # Run only the Pester tests (for example while working on one Pester file).
    [switch] $SkipDotnetTest,

    # Run only dotnet test.
    [switch] $SkipPester
)

Set-StrictMode -Version Latest
$ErrorActionPreference = 'Stop'
# Plain text in logs: no ANSI colour codes when the output goes to a file or a CI log.
if ($PSVersionTable.PSVersion.Major -ge 7 -and [Console]::IsOutputRedirected) { $PSStyle.OutputRendering = 'PlainText' }

$RepoRoot = $PSScriptRoot
$BinDir = Join-Path $RepoRoot 'bin'
$HelpDir = Join-Path $RepoRoot 'en-US'
$DocsDir = Join-Path $RepoRoot 'docs'
$TestsDir = Join-Path $RepoRoot 'tests'
$TestResultsDir = Join-Path $RepoRoot 'TestResults'
$ToolsProject = Join-Path $RepoRoot 'tests/tools/Tools.csproj'
$ToolsPackages = Join-Path $RepoRoot '.tools/packages'
$PesterVersion = '5.7.1'
$OutDir = Join-Path $RepoRoot 'out'
$ManifestPath = Join-Path $RepoRoot 'LeadConnector.psd1'
$ModuleProject = Join-Path $RepoRoot 'src/LeadConnector/LeadConnector.csproj'
$EmulatorProject = Join-Path $RepoRoot 'tests/LeadConnector.Emulator'
# tests/TestHelpers.psm1 runs the emulator with 'dotnet run --no-build --configuration Debug': build it the same way.
$EmulatorConfiguration = 'Debug'
$IsWindowsHost = $env:OS -eq 'Windows_NT'
$script:Built = $false
$script:Summary = @()

function Write-Step {
    param([string] $Message)
    Write-Host "==> $Message" -ForegroundColor Cyan
}

function Invoke-WithExitCode {
    <# Runs an executable, shows its output, and returns its exit code. #>
    param(
        [Parameter(Mandatory)] [string] $FilePath,
        [string[]] $ArgumentList = @()
    )
    if (-not (Get-Command -Name $FilePath -CommandType Application -ErrorAction SilentlyContinue)) {
        throw "'$FilePath' was not found on PATH (the build needs the .NET SDK)."
    }
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

function Invoke-Native {
    <# Runs a native command, shows its output, and throws on a non-zero exit code. #>
    param(
        [Parameter(Mandatory)] [string] $FilePath,
        [string[]] $ArgumentList = @()
    )
    Write-Host "    $FilePath $($ArgumentList -join ' ')" -ForegroundColor DarkGray
    $exitCode = Invoke-WithExitCode -FilePath $FilePath -ArgumentList $ArgumentList
    if ($exitCode -ne 0) {
        throw "'$FilePath $($ArgumentList -join ' ')' failed with exit code $exitCode."
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
    <#
    Runs a script in a new process of the same PowerShell edition and returns its exit code.
    -OutputFormat Text: a child whose output is redirected would otherwise write CLIXML (#< CLIXML) for its
    progress, verbose and error streams.
    #>
    param(
        [Parameter(Mandatory)] [string] $Script,
        [Parameter(Mandatory)] [string] $What
    )
    # Plain text whatever the terminal: no ANSI escapes in logs, result files or messages that tests compare.
    $Script = "if (`$PSVersionTable.PSVersion.Major -ge 7) { `$PSStyle.OutputRendering = 'PlainText' }`n" + $Script
    $encoded = [Convert]::ToBase64String([System.Text.Encoding]::Unicode.GetBytes($Script))
    $arguments = @('-NoProfile', '-NonInteractive', '-OutputFormat', 'Text')
    if ($IsWindowsHost) { $arguments += @('-ExecutionPolicy', 'Bypass') }
    $arguments += @('-EncodedCommand', $encoded)
    $exe = Get-PowerShellPath
    Write-Host "    $exe -NoProfile -NonInteractive -OutputFormat Text -EncodedCommand <$What>" -ForegroundColor DarkGray
    # NO_COLOR for the child (and its own children) only: the caller's session keeps its colours after the build.
    $savedNoColor = $env:NO_COLOR
    $env:NO_COLOR = '1'
    try { Invoke-WithExitCode -FilePath $exe -ArgumentList $arguments }
    finally { $env:NO_COLOR = $savedNoColor }
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
    # src/LeadConnector's LayOutModule target is the one place that defines the module's layout; this copies its bin/.
    $layout = Join-Path $RepoRoot "src/LeadConnector/bin/$Configuration/module/bin"
    Write-Step "Build ($Configuration): dotnet build -> $BinDir"
    Invoke-Native -FilePath 'dotnet' -ArgumentList @('build', $ModuleProject, '--configuration', $Configuration, '--nologo')
    foreach ($required in 'LeadConnector.dll', 'LeadConnector.Isolation.dll', 'Dependencies/LeadConnector.Engine.dll', 'Desktop/LeadConnector.Engine.dll') {
        if (-not (Test-Path -LiteralPath (Join-Path $layout $required))) {
            throw "The build succeeded but the module layout has no '$required' (in $layout)."
        }
    }
    Remove-Directory -Path $BinDir
    Copy-Item -LiteralPath $layout -Destination $BinDir -Recurse
    $script:Built = $true
}

function Invoke-EmulatorBuild {
    Write-Step "Build the emulator ($EmulatorConfiguration)"
    Invoke-Native -FilePath 'dotnet' -ArgumentList @('build', $EmulatorProject, '--configuration', $EmulatorConfiguration, '--nologo')
}

function Get-PesterModulePath {
    <# Pester 5 from the module path when it is there, else Pester 5.7.1 downloaded from the NuGet source into ./.tools. #>
    $installed = Get-Module -Name Pester -ListAvailable |
        Where-Object { $_.Version -ge [version] '5.0.0' -and $_.Version -lt [version] '6.0.0' } |
        Sort-Object -Property Version -Descending |
        Select-Object -First 1
    if ($null -ne $installed) { return $installed.Path }

    $manifest = Join-Path $ToolsPackages "pester/$PesterVersion/tools/Pester.psd1"
    if (-not (Test-Path -LiteralPath $manifest)) { throw "The tools restore succeeded but '$manifest' is missing." }
    $manifest
}

function Test-PlatyPS {
    $null -ne (Get-Module -Name platyPS -ListAvailable | Where-Object { $_.Version -lt [version] '1.0' } | Select-Object -First 1)
}

# The compiled help lives in the repository (en-US), so that a machine without platyPS (which no package source serves)
# still builds, packages and tests it. -Task Docs regenerates it from docs/; -Task Test checks that it is not stale.
$HelpFiles = @('LeadConnector.dll-Help.xml', 'about_LeadConnector.help.txt')

function Write-Help {
    <#
    Compiles docs/ into a folder with platyPS 0.14, in a child process (platyPS loads its own YamlDotNet). The markdown is
    made plain first, in a temp copy: outside code blocks, `code` spans lose their backticks (help is read as plain
    text, where a backtick is PowerShell's escape character) and lines lose their indent. The about topic keeps its name's case.
    #>
    param([Parameter(Mandatory)] [string] $OutputPath)
    $plain = Join-Path ([System.IO.Path]::GetTempPath()) ("lc-docs-" + [guid]::NewGuid().ToString('N'))
    $null = New-Item -ItemType Directory -Path $plain
    try {
        foreach ($md in Get-ChildItem -LiteralPath $DocsDir -Filter '*.md' -File) {
            $inCode = $false
            $lines = foreach ($line in [System.IO.File]::ReadAllLines($md.FullName)) {
                if ($line.StartsWith('```')) { $inCode = -not $inCode; $line; continue }
                if ($inCode) { $line; continue }
                $plainLine = [regex]::Replace($line, '`([^`]+)`', '$1')
                # The about topic's list items continue on indented lines; platyPS would keep the indent inside the
                # joined sentence ("cmdlets   conversations.readonly"). (Cmdlet pages are parsed by structure: left as they are.)
                if ($md.Name -like 'about_*') { $plainLine.TrimStart() } else { $plainLine }
            }
            [System.IO.File]::WriteAllText((Join-Path $plain $md.Name), (($lines -join "`n") + "`n"))
        }
        $script = @'
$ErrorActionPreference = 'Stop'
Import-Module -Name platyPS -MaximumVersion 0.99 -ErrorAction Stop
$files = New-ExternalHelp -Path __DOCS__ -OutputPath __HELP__ -Force
foreach ($file in @($files)) { Write-Host "    wrote $file" }
'@
        $script = $script.Replace('__DOCS__', (ConvertTo-PSLiteral $plain)).Replace('__HELP__', (ConvertTo-PSLiteral $OutputPath))
        $exitCode = Invoke-ChildPowerShell -Script $script -What 'New-ExternalHelp'
        if ($exitCode -ne 0) { throw "Compiling the help failed (exit code $exitCode)." }
        # platyPS writes the about topic's name in lower case.
        $about = Join-Path $OutputPath 'about_LeadConnector.help.txt'
        $text = [System.IO.File]::ReadAllText($about)
        [System.IO.File]::WriteAllText($about, $text.Replace("TOPIC`n    about_leadconnector", "TOPIC`n    about_LeadConnector").Replace("TOPIC`r`n    about_leadconnector", "TOPIC`r`n    about_LeadConnector"), [System.Text.UTF8Encoding]::new($true))
    }
    finally {
        Remove-Item -LiteralPath $plain -Recurse -Force -ErrorAction SilentlyContinue
    }
}

function Invoke-DocsTask {
    Write-Step "Docs: New-ExternalHelp $DocsDir -> $HelpDir"
    if (-not (Test-PlatyPS)) {
        throw 'platyPS 0.14 is not importable, so the help cannot be regenerated (the committed en-US stays as it is). Install it with: Install-PSResource platyPS -Version 0.14.2 (or Install-Module platyPS -RequiredVersion 0.14.2), or put a folder that holds it on PSModulePath.'
    }
    Write-Help -OutputPath $HelpDir
}

function Get-HelpText {
    <# A help file's text with line endings made LF, so a checkout with CRLF compares equal. #>
    param([Parameter(Mandatory)] [string] $Path)
    [System.IO.File]::ReadAllText($Path).Replace("`r`n", "`n")
}

function Test-CommittedHelp {
    <#
    Returns $null when the committed help in en-US is what docs/ compiles to (or cannot be checked here, said in one
    line), else a message naming the stale files.
    #>
    foreach ($name in $HelpFiles) {
        if (-not (Test-Path -LiteralPath (Join-Path $HelpDir $name))) { return "en-US/$name is missing: run ./build.ps1 -Task Docs and commit en-US." }
    }
    if (-not (Test-PlatyPS)) {
        Write-Host '    platyPS 0.14 is not importable: the committed help in en-US is used as it is, not regenerated.'
        return $null
    }
    $fresh = Join-Path ([System.IO.Path]::GetTempPath()) ('lc-help-' + [guid]::NewGuid().ToString('N'))
    try {
        Write-Help -OutputPath $fresh
        $made = @(Get-ChildItem -LiteralPath $fresh -File | ForEach-Object { $_.Name } | Sort-Object)
        $extra = @($made | Where-Object { $HelpFiles -notcontains $_ })
        if ($extra.Count -gt 0) { return "docs/ compiles to files that en-US does not list: $($extra -join ', '). Add them to `$HelpFiles in build.ps1." }
        $stale = @($HelpFiles | Where-Object {
                -not (Test-Path -LiteralPath (Join-Path $fresh $_)) -or
                (Get-HelpText (Join-Path $fresh $_)) -cne (Get-HelpText (Join-Path $HelpDir $_))
            })
        if ($stale.Count -eq 0) {
            Write-Host '    the committed help in en-US matches docs/'
            return $null
        }
        "The committed help is stale (not what docs/ compiles to): en-US/$($stale -join ', en-US/'). Run ./build.ps1 -Task Docs and commit en-US."
    }
    finally {
        if (Test-Path -LiteralPath $fresh) { Remove-Item -LiteralPath $fresh -Recurse -Force }
    }
}

function Get-ModuleVersion {
    <# The version lives in the manifest only. #>
    [string] (Import-PowerShellDataFile -LiteralPath $ManifestPath).ModuleVersion
}

function Invoke-PackageTask {
    Invoke-BuildTask
    $version = Get-ModuleVersion
    $moduleDir = Join-Path $OutDir "LeadConnector/$version"
    Write-Step "Package $version -> $OutDir"
    Remove-Directory -Path $OutDir
    $null = New-Item -ItemType Directory -Path $moduleDir -Force

    # The module folder: exactly what the manifest loads, nothing from tests or the build.
    foreach ($file in 'LeadConnector.psd1', 'LeadConnector.Format.ps1xml', 'LeadConnector.Types.ps1xml', 'LICENSE') {
        Copy-Item -LiteralPath (Join-Path $RepoRoot $file) -Destination $moduleDir
    }
    Copy-Item -LiteralPath $BinDir -Destination (Join-Path $moduleDir 'bin') -Recurse
    # The committed help (en-US), exactly the files -Task Docs writes.
    $null = New-Item -ItemType Directory -Path (Join-Path $moduleDir 'en-US') -Force
    foreach ($name in $HelpFiles) {
        $help = Join-Path $HelpDir $name
        if (-not (Test-Path -LiteralPath $help)) { throw "en-US/$name is missing: run ./build.ps1 -Task Docs and commit en-US." }
        Copy-Item -LiteralPath $help -Destination (Join-Path $moduleDir 'en-US')
    }
    $manifest = Test-ModuleManifest -Path (Join-Path $moduleDir 'LeadConnector.psd1') -ErrorAction Stop
    Write-Host "    wrote $moduleDir ($($manifest.ExportedCmdlets.Count) cmdlets)" -ForegroundColor DarkGray

    # The Gallery package: PSResourceGet (in-box in PowerShell 7.4+) makes the same .nupkg Publish-PSResource sends.
    $psResourceGet = Get-Module -Name Microsoft.PowerShell.PSResourceGet -ListAvailable | Sort-Object Version -Descending | Select-Object -First 1
    if ($null -ne $psResourceGet -and $psResourceGet.Version -ge [version] '1.1.0') {
        Import-Module -Name $psResourceGet.Path -ErrorAction Stop
        Compress-PSResource -Path $moduleDir -DestinationPath $OutDir -ErrorAction Stop
        Get-ChildItem -LiteralPath $OutDir -Filter '*.nupkg' | ForEach-Object { Write-Host "    wrote $($_.FullName)" -ForegroundColor DarkGray }
    }
    else {
        Write-Warning 'Microsoft.PowerShell.PSResourceGet 1.1 or later is not available, so no .nupkg was made (PowerShell 7.4+ has it in the box).'
    }

    # Azure Automation: the zip, the folder in it and the manifest share the module's name (no version folder).
    $staging = Join-Path $OutDir 'zip'
    $zipRoot = Join-Path $staging 'LeadConnector'
    $null = New-Item -ItemType Directory -Path $zipRoot -Force
    Copy-Item -Path (Join-Path $moduleDir '*') -Destination $zipRoot -Recurse
    $zip = Join-Path $OutDir 'LeadConnector.zip'
    Add-Type -AssemblyName System.IO.Compression.FileSystem
    [System.IO.Compression.ZipFile]::CreateFromDirectory($zipRoot, $zip, [System.IO.Compression.CompressionLevel]::Optimal, $true)
    Remove-Directory -Path $staging
    Write-Host "    wrote $zip" -ForegroundColor DarkGray
}

function Read-TrxCounts {
    <# Sums the counters of the .trx files under a folder. #>
    param([Parameter(Mandatory)] [string] $Path)
    $counts = [ordered]@{ Passed = 0; Failed = 0; Skipped = 0; Note = $null }
    foreach ($file in @(Get-ChildItem -LiteralPath $Path -Filter '*.trx' -Recurse -ErrorAction SilentlyContinue)) {
        $xml = [xml] (Get-Content -LiteralPath $file.FullName -Raw)
        $counters = $xml.TestRun.ResultSummary.Counters
        $counts.Passed += [int] $counters.passed
        $counts.Failed += [int] $counters.failed + [int] $counters.error + [int] $counters.timeout + [int] $counters.aborted
        $counts.Skipped += [int] $counters.notExecuted
    }
    $counts
}

function Invoke-DotnetTests {
    Write-Step 'Test: dotnet test'
    $results = Join-Path $TestResultsDir 'xunit'
    Remove-Directory -Path $results
    $exitCode = Invoke-WithExitCode -FilePath 'dotnet' -ArgumentList @(
        'test', (Join-Path $RepoRoot 'LeadConnector.slnx'), '--nologo',
        '--logger', 'trx;LogFileName=xunit.trx', '--results-directory', $results)
    $counts = Read-TrxCounts -Path $results
    # A build error or a crashed test host: no test failed, but the run did.
    $counts.Note = if ($exitCode -ne 0 -and $counts.Failed -eq 0) { "dotnet test exited with code $exitCode without reporting a failed test" }
    $counts
}

function Invoke-PesterTests {
    # The test tools from the NuGet source into ./.tools: Pester 5.7.1 (used when no Pester 5 is importable) and the
    # RestSharp build that tests/Isolation.Tests.ps1 loads first to prove the module's own copy cannot clash with it.
    Write-Step 'Test tools: dotnet restore tests/tools/Tools.csproj -> .tools'
    Invoke-Native -FilePath 'dotnet' -ArgumentList @('restore', $ToolsProject, '--nologo')
    $pester = Get-PesterModulePath

    $paths = if ($PesterPath) { @($PesterPath | ForEach-Object { (Resolve-Path -LiteralPath $_).ProviderPath }) } else { @($TestsDir) }
    Write-Step "Test: Invoke-Pester ($pester) on $($paths -join ', ')"
    $null = New-Item -ItemType Directory -Path $TestResultsDir -Force
    $countsFile = Join-Path $TestResultsDir 'pester-counts.json'
    if (Test-Path -LiteralPath $countsFile) { Remove-Item -LiteralPath $countsFile -Force }
    # The child keeps the default ErrorActionPreference: the tests decide themselves which errors stop them.
    # Counts come from the run's own result object and are saved before the NUnit report is written, so a report
    # writer that fails (it once choked on an escape character in a failure message) cannot hide them.
    $pesterScript = @'
Import-Module -Name __PESTER__ -Force -ErrorAction Stop
$cfg = New-PesterConfiguration
$cfg.Run.Path = [string[]] @(__PATHS__)
$cfg.Run.PassThru = $true
$cfg.Output.Verbosity = 'Detailed'
$cfg.Output.RenderMode = 'Plaintext'
$cfg.TestResult.Enabled = $false
$result = Invoke-Pester -Configuration $cfg
$counts = [ordered]@{ Passed = 0; Failed = 0; Skipped = 0; Report = 'Invoke-Pester returned no result' }
if ($null -ne $result) {
    # Failures outside any test (a broken BeforeAll, a file that does not parse) count as failures too.
    $counts = [ordered]@{ Passed = $result.PassedCount; Failed = $result.FailedCount + $result.FailedBlocksCount + $result.FailedContainersCount; Skipped = $result.SkippedCount; Report = $null }
    # XML cannot hold most control characters: colour escapes are dropped and any other control character is written
    # as \xNN in the report's copy of each message (the console output above keeps them as they were).
    $controls = [regex] '\x1B\[[0-9;?]*[ -/]*[@-~]|[\x00-\x08\x0B\x0C\x0E-\x1F\x7F]'
    $plain = { param($text) $controls.Replace([string] $text, { param($m) if ($m.Value.Length -gt 1) { '' } else { '\x{0:X2}' -f [int] $m.Value[0] } }) }
    foreach ($item in @($result.Tests) + @($result.FailedBlocks) + @($result.FailedContainers)) {
        foreach ($record in @($item.ErrorRecord)) {
            foreach ($name in 'DisplayErrorMessage', 'DisplayStackTrace') {
                $property = if ($null -ne $record) { $record.PSObject.Properties[$name] }
                if ($null -ne $property -and $null -ne $property.Value) { $property.Value = & $plain $property.Value }
            }
        }
    }
    try { $result | Export-NUnitReport -Path __RESULTS__ -ErrorAction Stop }
    catch { $counts.Report = "the NUnit report could not be written: $($_.Exception.Message)" }
}
$counts | ConvertTo-Json | Set-Content -LiteralPath __COUNTS__ -Encoding UTF8
if ($null -eq $result -or $result.Result -ne 'Passed' -or $counts.Failed -gt 0 -or $null -ne $counts.Report) { exit 1 }
exit 0
'@
    $pesterScript = $pesterScript.Replace('__PESTER__', (ConvertTo-PSLiteral $pester))
    $pesterScript = $pesterScript.Replace('__PATHS__', (($paths | ForEach-Object { ConvertTo-PSLiteral $_ }) -join ', '))
    $pesterScript = $pesterScript.Replace('__RESULTS__', (ConvertTo-PSLiteral (Join-Path $TestResultsDir 'pester.xml')))
    $pesterScript = $pesterScript.Replace('__COUNTS__', (ConvertTo-PSLiteral $countsFile))
    $exitCode = Invoke-ChildPowerShell -Script $pesterScript -What 'Invoke-Pester'
    $counts = [ordered]@{ Passed = 0; Failed = 0; Skipped = 0; Note = 'Invoke-Pester ended without reporting its counts' }
    if (Test-Path -LiteralPath $countsFile) {
        $read = Get-Content -LiteralPath $countsFile -Raw | ConvertFrom-Json
        $counts = [ordered]@{ Passed = [int] $read.Passed; Failed = [int] $read.Failed; Skipped = [int] $read.Skipped; Note = $read.Report }
    }
    elseif ($exitCode -eq 0) { $counts.Note = $null }
    if ($exitCode -ne 0 -and $counts.Failed -eq 0 -and $null -eq $counts.Note) { $counts.Note = "Invoke-Pester exited with code $exitCode" }
    $counts
}

function Invoke-DesktopTests {
    <# The netstandard2.0 engine in bin/Desktop, loaded through the module's own resolver, on .NET Framework or Mono. #>
    Write-Step 'Test: the Windows PowerShell engine (bin/Desktop) on .NET Framework 4.8 or Mono'
    $run = & (Join-Path $TestsDir 'Invoke-DesktopTests.ps1') -RepoRoot $RepoRoot -ModuleBin $BinDir -Configuration $Configuration
    # CI (.ci/run installs Mono) sets LC_REQUIRE_DESKTOP_TESTS: there, tests that could not run are a failure.
    $note = if ($run.NotRun -and $env:LC_REQUIRE_DESKTOP_TESTS) { "required but not run: $($run.NotRun)" }
    [ordered]@{ Passed = [int] $run.Passed; Failed = [int] $run.Failed; Skipped = [int] $run.Skipped; Note = $note; NotRun = $run.NotRun }
}

function Invoke-TestTask {
    if (-not (Test-PlatyPS) -and $env:CI -eq 'true') {
        throw 'platyPS 0.14 is not importable, so CI cannot check that the committed help is current. .ci/run puts ../shared/tools/Modules on PSModulePath; check that folder.'
    }
    Write-Step 'Help: the committed en-US against docs/'
    $helpProblem = Test-CommittedHelp
    if ($null -ne $helpProblem) { Write-Host "    $helpProblem" }
    # Build and the packages, which tests/Package.Tests.ps1 opens and installs.
    Invoke-PackageTask
    Invoke-EmulatorBuild

    $zero = [ordered]@{ Passed = 0; Failed = 0; Skipped = 0; Note = $null }
    $runs = [ordered]@{}
    $runs['xunit'] = if ($SkipDotnetTest) { $zero } else { Invoke-DotnetTests }
    $runs['net48'] = if ($SkipDotnetTest) { $zero } else { Invoke-DesktopTests }
    $runs['Pester'] = if ($SkipPester) { $zero } else { Invoke-PesterTests }

    $line = { param($c) '{0} passed, {1} failed, {2} skipped' -f $c.Passed, $c.Failed, $c.Skipped }
    $total = [ordered]@{ Passed = 0; Failed = 0; Skipped = 0 }
    $problems = @()
    $script:Summary = @('')
    foreach ($name in $runs.Keys) {
        $run = $runs[$name]
        foreach ($key in 'Passed', 'Failed', 'Skipped') { $total[$key] += $run[$key] }
        $text = ('{0,-7} ' -f "${name}:") + (& $line $run)
        if ($run.Contains('NotRun') -and $run.NotRun) { $text = ('{0,-7} ' -f "${name}:") + "not run: $($run.NotRun)" }
        $script:Summary += $text
        if ($run.Note) { $problems += "${name}: $($run.Note)" }
    }
    if ($null -ne $helpProblem) { $problems += "help: $helpProblem" }
    # The real counts stay as they are; anything else that went wrong is listed apart and fails the run too.
    foreach ($problem in $problems) { $script:Summary += "Problem: $problem" }
    # Printed last, after 'Done', so that the log ends with the counts of every runner.
    $script:Summary += 'Total: ' + (& $line $total)
    if ($total.Failed -gt 0 -or $problems.Count -gt 0) {
        $script:Summary | ForEach-Object { Write-Host $_ }
        throw "Tests failed: $($total.Failed) failed, $($problems.Count) other problem(s)."
    }
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

Show 'Get-LcConversation -Status unread -First 5'
Get-LcConversation -Status unread -First 5 | Out-Host

Show 'Get-LcContact -Query olivia | Get-LcConversation'
Get-LcContact -Query 'olivia' | Get-LcConversation | Out-Host

Show 'Get-LcConversation -Id conv-a001 | Get-LcMessage -First 6 -IncludeEmailBody'
Get-LcConversation -Id 'conv-a001' | Get-LcMessage -First 6 -IncludeEmailBody | Out-Host

Show 'Get-LcConversation -Id conv-a003 | Send-LcMessage -Type SMS -Message ''Thanks, on it.'''
Get-LcConversation -Id 'conv-a003' | Send-LcMessage -Type SMS -Message 'Thanks, on it.' | Out-Host

Show '[pscustomobject]@{ id = ''contact-a010''; locationId = ''loc-alpha'' } | New-LcConversation'
$new = [pscustomobject]@{ id = 'contact-a010'; locationId = 'loc-alpha' } | New-LcConversation
$new | Format-List -Property Id, ContactId, LocationId, DateAdded | Out-Host

Show ('Set-LcConversation -Id {0} -Starred $true -UnreadCount 0 -PassThru | Format-List Id, Starred, UnreadCount' -f $new.Id)
Set-LcConversation -Id $new.Id -Starred $true -UnreadCount 0 -PassThru | Format-List -Property Id, Starred, UnreadCount | Out-Host

Show ('Remove-LcConversation -Id {0} -WhatIf, then -Confirm:$false' -f $new.Id)
Remove-LcConversation -Id $new.Id -WhatIf
Remove-LcConversation -Id $new.Id -Confirm:$false

Show 'Get-LcEmailMessage -Id email-a001'
Get-LcEmailMessage -Id 'email-a001' | Out-Host

Show 'Invoke-LcRequest -Method GET -Path /conversations/conv-a002'
Invoke-LcRequest -Method GET -Path '/conversations/conv-a002' | Format-List | Out-Host

Disconnect-Lc
'@
        $demo = $demo.Replace('__MANIFEST__', (ConvertTo-PSLiteral (Join-Path $RepoRoot 'LeadConnector.psd1')))
        $demo = $demo.Replace('__URI_TEXT__', $baseUri)
        $demo = $demo.Replace('__URI__', (ConvertTo-PSLiteral $baseUri))
        $exitCode = Invoke-ChildPowerShell -Script $demo -What 'the demo'
        if ($exitCode -ne 0) { throw "The demo failed (exit code $exitCode)." }
    }
    finally {
        Write-Step 'Demo: stop the emulator'
        Stop-Emulator
    }
}

function Invoke-CleanTask {
    Write-Step 'Clean'
    $targets = @($BinDir, $TestResultsDir, $OutDir)
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
        'Package' { Invoke-PackageTask }
        'Test' { Invoke-TestTask }
        'Docs' { Invoke-DocsTask }
        'Demo' { Invoke-DemoTask }
        'Clean' { Invoke-CleanTask }
    }
}
Write-Step "Done: $($Task -join ', ')"
$script:Summary | ForEach-Object { Write-Host $_ }
