# The three packages of './build.ps1 -Task Package' (which -Task Test runs first): the module folder, the Gallery
# .nupkg and the Azure Automation zip. Opens each, checks what is inside, then installs the module folder and the
# zip into temporary module paths and imports them by name in a fresh pwsh.

BeforeDiscovery {
    $repoRoot = Split-Path -Parent $PSScriptRoot
    $outDir = Join-Path $repoRoot 'out'
    # build.ps1 -Task Test makes the packages first; in CI they must be there.
    $noPackages = -not (Test-Path -LiteralPath (Join-Path $outDir 'LeadConnector.zip')) -and $env:CI -ne 'true'
}

BeforeAll {
    $repoRoot = Split-Path -Parent $PSScriptRoot
    $outDir = Join-Path $repoRoot 'out'
    $manifest = Import-PowerShellDataFile -Path (Join-Path $repoRoot 'LeadConnector.psd1')
    $version = [string] $manifest.ModuleVersion
    $moduleDir = Join-Path $outDir "LeadConnector/$version"
    $nupkg = Join-Path $outDir "LeadConnector.$version.nupkg"
    $zip = Join-Path $outDir 'LeadConnector.zip'
    Add-Type -AssemblyName System.IO.Compression.FileSystem

    function Get-ZipEntryNames([string] $Path) {
        $archive = [System.IO.Compression.ZipFile]::OpenRead($Path)
        try { @($archive.Entries | ForEach-Object { $_.FullName.Replace('\', '/') }) } finally { $archive.Dispose() }
    }

    function Get-ZipEntryText([string] $Path, [string] $Name) {
        $archive = [System.IO.Compression.ZipFile]::OpenRead($Path)
        try {
            $entry = $archive.Entries | Where-Object { $_.FullName.Replace('\', '/') -eq $Name } | Select-Object -First 1
            if ($null -eq $entry) { return $null }
            $reader = [System.IO.StreamReader]::new($entry.Open())
            try { $reader.ReadToEnd() } finally { $reader.Dispose() }
        }
        finally { $archive.Dispose() }
    }

    # What every package must hold, relative to the module's root folder.
    $required = @(
        'LeadConnector.psd1'
        'LeadConnector.Format.ps1xml'
        'LeadConnector.Types.ps1xml'
        'LICENSE'
        'bin/LeadConnector.dll'
        'bin/LeadConnector.Isolation.dll'
        'bin/Dependencies/LeadConnector.Engine.dll'
        'bin/Dependencies/RestSharp.dll'
        'bin/Dependencies/System.Text.Json.dll'
        'bin/Dependencies/System.Threading.RateLimiting.dll'
        'bin/Desktop/LeadConnector.Engine.dll'
        'bin/Desktop/RestSharp.dll'
        'en-US/LeadConnector.dll-Help.xml'
        'en-US/about_LeadConnector.help.txt'
    )
    # Nothing from the repository's tests or build may ship.
    $forbidden = '(^|/)(tests?|src|docs|obj|\.ci|\.tools)/|\.Tests\.ps1$|(^|/)build\.ps1$|\.cs$|\.csproj$|\.pdb$|\.deps\.json$|TestHelpers|Emulator|xunit|Pester|System\.Management\.Automation'

    # Runs a script in a fresh pwsh whose module path is only the given folder; returns its output lines.
    function Invoke-FreshPwsh([string] $ModulePath, [string] $Script) {
        $pwsh = Join-Path $PSHOME 'pwsh'
        if ($IsWindows) { $pwsh += '.exe' }
        $saved = $env:PSModulePath
        try {
            $env:PSModulePath = $ModulePath
            $output = & $pwsh -NoProfile -NonInteractive -OutputFormat Text -Command $Script 2>&1
            [pscustomobject]@{ ExitCode = $LASTEXITCODE; Output = @($output | ForEach-Object { "$_" }) }
        }
        finally { $env:PSModulePath = $saved }
    }

    $probe = @'
$ErrorActionPreference = 'Stop'
Import-Module LeadConnector
$m = Get-Module LeadConnector
"base=$($m.ModuleBase)"
"version=$($m.Version)"
"cmdlets=$((Get-Command -Module LeadConnector | Measure-Object).Count)"
"help=$((Get-Help Connect-Lc -Full).Synopsis)"
"examples=$(@((Get-Help Get-LcConversation -Examples).Examples.Example).Count)"
"about=$([bool](Get-Help about_LeadConnector | Out-String))"
"view=$(@(Get-FormatData -TypeName LeadConnector.Conversation).Count)"
'@
}

Describe 'Packages' -Skip:$noPackages {
    It 'has the module folder out/LeadConnector/<version> with everything the manifest loads' {
        foreach ($name in $required) {
            Join-Path $moduleDir $name | Should -Exist -Because "$name must ship"
        }
        $files = @(Get-ChildItem -LiteralPath $moduleDir -Recurse -File | ForEach-Object { $_.FullName.Substring($moduleDir.Length + 1).Replace('\', '/') })
        @($files | Where-Object { $_ -match $forbidden }) | Should -BeNullOrEmpty
        Test-ModuleManifest -Path (Join-Path $moduleDir 'LeadConnector.psd1') -ErrorAction Stop | Should -Not -BeNullOrEmpty
    }

    It 'has a Gallery .nupkg with the manifest, assemblies, help, formats and a nuspec, and nothing else' {
        $nupkg | Should -Exist
        $entries = Get-ZipEntryNames $nupkg
        foreach ($name in $required) { $entries | Should -Contain $name }
        $entries | Should -Contain 'LeadConnector.nuspec'
        @($entries | Where-Object { $_ -match $forbidden }) | Should -BeNullOrEmpty

        $nuspec = [xml] (Get-ZipEntryText $nupkg 'LeadConnector.nuspec')
        $nuspec.package.metadata.id | Should -Be 'LeadConnector'
        $nuspec.package.metadata.version | Should -Be $version
        $nuspec.package.metadata.description | Should -Not -BeNullOrEmpty
        $nuspec.package.metadata.tags | Should -Match 'PSModule'
    }

    It 'has an Azure Automation zip whose folder and manifest share the module name, with no version folder' {
        $zip | Should -Exist
        $entries = Get-ZipEntryNames $zip
        @($entries | Where-Object { -not $_.StartsWith('LeadConnector/') }) | Should -BeNullOrEmpty
        foreach ($name in $required) { $entries | Should -Contain "LeadConnector/$name" }
        @($entries | Where-Object { $_ -match "^LeadConnector/$([regex]::Escape($version))/" }) | Should -BeNullOrEmpty
        @($entries | Where-Object { $_ -match $forbidden }) | Should -BeNullOrEmpty
    }

    It 'installs from the module folder and imports by name in a fresh pwsh, with help offline' {
        $root = Join-Path ([System.IO.Path]::GetTempPath()) ('lc-install-' + [guid]::NewGuid().ToString('N'))
        try {
            $target = Join-Path $root "LeadConnector/$version"
            $null = New-Item -ItemType Directory -Path $target -Force
            Copy-Item -Path (Join-Path $moduleDir '*') -Destination $target -Recurse

            $run = Invoke-FreshPwsh -ModulePath $root -Script $probe

            $run.ExitCode | Should -Be 0 -Because ($run.Output -join "`n")
            $run.Output | Should -Contain "base=$target"
            $run.Output | Should -Contain "version=$version"
            $run.Output | Should -Contain "cmdlets=$($manifest.CmdletsToExport.Count)"
            ($run.Output | Where-Object { $_ -like 'help=*' }) | Should -Not -Be 'help='
            $run.Output | Should -Not -Contain 'examples=0'
            $run.Output | Should -Contain 'about=True'
            $run.Output | Should -Contain 'view=1'
        }
        finally { Remove-Item -LiteralPath $root -Recurse -Force -ErrorAction SilentlyContinue }
    }

    It 'imports from the Azure Automation zip, unpacked as Automation does' {
        $root = Join-Path ([System.IO.Path]::GetTempPath()) ('lc-zip-' + [guid]::NewGuid().ToString('N'))
        try {
            [System.IO.Compression.ZipFile]::ExtractToDirectory($zip, $root)

            $run = Invoke-FreshPwsh -ModulePath $root -Script $probe

            $run.ExitCode | Should -Be 0 -Because ($run.Output -join "`n")
            $run.Output | Should -Contain "base=$(Join-Path $root 'LeadConnector')"
            $run.Output | Should -Contain "cmdlets=$($manifest.CmdletsToExport.Count)"
        }
        finally { Remove-Item -LiteralPath $root -Recurse -Force -ErrorAction SilentlyContinue }
    }
}
