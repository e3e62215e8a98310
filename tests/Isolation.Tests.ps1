# The module's dependencies (RestSharp, System.Text.Json, System.Threading.RateLimiting) load in a private
# AssemblyLoadContext on PowerShell 7, so another module's copies can never clash with them. Each case runs in a fresh
# pwsh, because what is loaded before the import is the point.

BeforeDiscovery {
    $isCore = $PSVersionTable.PSEdition -eq 'Core'
}

BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    $BaseUri = Initialize-TestSession
    $repoRoot = Get-RepoRoot
    $manifestPath = Join-Path $repoRoot 'LeadConnector.psd1'
    $token = Get-TestToken -Tenant alpha
    # Another module's RestSharp, older and with a different API (tests/tools/Tools.csproj downloads it).
    $otherRestSharp = Join-Path $repoRoot '.tools/packages/restsharp/108.0.3/lib/netstandard2.0/RestSharp.dll'

    function Invoke-FreshPwsh([string] $Script) {
        $pwsh = Join-Path $PSHOME 'pwsh'
        if ($IsWindows) { $pwsh += '.exe' }
        $output = & $pwsh -NoProfile -NonInteractive -OutputFormat Text -Command $Script 2>&1
        [pscustomobject]@{ ExitCode = $LASTEXITCODE; Output = @($output | ForEach-Object { "$_" }) }
    }

    # Prints one line per assembly of interest: name, version, load context.
    $report = @'
foreach ($a in [AppDomain]::CurrentDomain.GetAssemblies()) {
    $n = $a.GetName()
    if ($n.Name -in 'LeadConnector', 'LeadConnector.Engine', 'RestSharp', 'System.Text.Json', 'System.Threading.RateLimiting') {
        'asm {0} {1} {2}' -f $n.Name, $n.Version, [System.Runtime.Loader.AssemblyLoadContext]::GetLoadContext($a).Name
    }
}
'@
}

AfterAll {
    if (Get-Command -Name Complete-TestSession -ErrorAction SilentlyContinue) { Complete-TestSession }
}

Describe 'Dependency isolation' -Skip:(-not $isCore) {
    It 'works when another module loaded an older RestSharp first, and its own copies load outside the default context' {
        $otherRestSharp | Should -Exist
        $script = @'
$ErrorActionPreference = 'Stop'
Add-Type -LiteralPath '__OTHER__'
Import-Module '__MANIFEST__'
Connect-Lc -AccessToken '__TOKEN__' -BaseUri '__URI__' -LocationId loc-alpha
"id $((Get-LcConversation -Id conv-a001).Id)"
"count $(@(Get-LcConversation -First 3).Count)"
__REPORT__
'@
        $script = $script.Replace('__OTHER__', $otherRestSharp).Replace('__MANIFEST__', $manifestPath).Replace('__TOKEN__', $token).Replace('__URI__', $BaseUri).Replace('__REPORT__', $report)

        $run = Invoke-FreshPwsh $script

        $run.ExitCode | Should -Be 0 -Because ($run.Output -join "`n")
        $run.Output | Should -Contain 'id conv-a001'
        $run.Output | Should -Contain 'count 3'
        # The other module's RestSharp stays in the default context; ours is 112 in the module's own context.
        $run.Output | Should -Contain 'asm RestSharp 108.0.3.0 Default'
        $run.Output | Should -Contain 'asm RestSharp 112.1.0.0 LeadConnector'
        # PowerShell's own System.Text.Json is in the default context; the module's 8.0 is in its own.
        @($run.Output | Where-Object { $_ -match '^asm System\.Text\.Json \S+ Default$' }).Count | Should -Be 1
        $run.Output | Should -Contain 'asm System.Text.Json 8.0.0.0 LeadConnector'
        @($run.Output | Where-Object { $_ -match '^asm System\.Threading\.RateLimiting \S+ LeadConnector$' }).Count | Should -Be 1
        @($run.Output | Where-Object { $_ -match '^asm LeadConnector\.Engine \S+ LeadConnector$' }).Count | Should -Be 1
        # The cmdlets alone load in the default context, where PowerShell finds them.
        @($run.Output | Where-Object { $_ -match '^asm LeadConnector \S+ Default$' }).Count | Should -Be 1
    }

    It 'loads nothing but the cmdlets at import: no engine, no dependency, no network' {
        $script = @'
$ErrorActionPreference = 'Stop'
Import-Module '__MANIFEST__'
"commands $(@(Get-Command -Module LeadConnector).Count)"
__REPORT__
'@
        $script = $script.Replace('__MANIFEST__', $manifestPath).Replace('__REPORT__', $report)
        Reset-Emulator

        $run = Invoke-FreshPwsh $script

        $run.ExitCode | Should -Be 0 -Because ($run.Output -join "`n")
        $run.Output | Should -Not -Contain 'commands 0'
        @($run.Output | Where-Object { $_ -match '^asm (LeadConnector\.Engine|RestSharp|System\.Threading\.RateLimiting) ' }) | Should -BeNullOrEmpty
        @($run.Output | Where-Object { $_ -match '^asm System\.Text\.Json \S+ LeadConnector$' }) | Should -BeNullOrEmpty
        @(Get-EmulatorRequests).Count | Should -Be 0
    }

    It 'keeps working after Remove-Module and a second Import-Module in the same session' {
        $script = @'
$ErrorActionPreference = 'Stop'
Import-Module '__MANIFEST__'
Connect-Lc -AccessToken '__TOKEN__' -BaseUri '__URI__' -LocationId loc-alpha
"first $((Get-LcConversation -Id conv-a001).Id)"
Remove-Module LeadConnector
Import-Module '__MANIFEST__' -Force
Connect-Lc -AccessToken '__TOKEN__' -BaseUri '__URI__' -LocationId loc-alpha
"second $((Get-LcConversation -Id conv-a002).Id)"
'@
        $script = $script.Replace('__MANIFEST__', $manifestPath).Replace('__TOKEN__', $token).Replace('__URI__', $BaseUri)

        $run = Invoke-FreshPwsh $script

        $run.ExitCode | Should -Be 0 -Because ($run.Output -join "`n")
        $run.Output | Should -Contain 'first conv-a001'
        $run.Output | Should -Contain 'second conv-a002'
    }

    It 'names its types for scripts by assembly-qualified name, and by PSTypeNames' {
        $script = @'
$ErrorActionPreference = 'Stop'
Import-Module '__MANIFEST__'
Connect-Lc -AccessToken '__TOKEN__' -BaseUri '__URI__' -LocationId loc-alpha
$c = Get-LcConversation -Id conv-a001
"typename $($c.PSObject.TypeNames[0])"
"qualified $($c -is [LeadConnector.Conversation, LeadConnector.Engine])"
'@
        $script = $script.Replace('__MANIFEST__', $manifestPath).Replace('__TOKEN__', $token).Replace('__URI__', $BaseUri)

        $run = Invoke-FreshPwsh $script

        $run.ExitCode | Should -Be 0 -Because ($run.Output -join "`n")
        $run.Output | Should -Contain 'typename LeadConnector.Conversation'
        $run.Output | Should -Contain 'qualified True'
    }
}
