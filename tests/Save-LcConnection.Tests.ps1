# Saved connections: Save-LcConnection and Connect-Lc -Name (Remove-LcConnection.Tests.ps1: listing and removing).
# Each kind of token is saved here and connected by name in a fresh pwsh; the secret is kept with DPAPI on Windows, in
# an owner-only file elsewhere, or in a SecretManagement vault (a fake module on PSModulePath stands in for it); two
# processes that share a saved OAuth connection renew at once without losing the rotated refresh token.

BeforeDiscovery {
    $onWindows = $env:OS -eq 'Windows_NT'
}

BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    $BaseUri = Initialize-TestSession
    $oauth = Get-TestOAuth
    $manifestPath = Join-Path (Get-RepoRoot) 'LeadConnector.psd1'
    $onWindows = $env:OS -eq 'Windows_NT'
    $savedHome = $env:LC_CONNECTION_HOME
    $savedModulePath = $env:PSModulePath
    $pwsh = Join-Path $PSHOME ($(if ($onWindows) { 'pwsh.exe' } else { 'pwsh' }))
    if (-not (Test-Path -LiteralPath $pwsh)) { $pwsh = Join-Path $PSHOME 'powershell.exe' }

    # A stand-in for SecretManagement: Get-Secret, Set-Secret and Remove-Secret over files in $env:LC_FAKE_VAULT_DIR,
    # so every runspace and process sees the same secrets, as with a real vault.
    $fakeModules = Join-Path ([System.IO.Path]::GetTempPath()) ('lc-fakevault-' + [guid]::NewGuid().ToString('N'))
    $null = New-Item -ItemType Directory -Path (Join-Path $fakeModules 'FakeSecretVault')
    Set-Content -LiteralPath (Join-Path $fakeModules 'FakeSecretVault/FakeSecretVault.psm1') -Value @'
function SecretPath([string] $Name, [string] $Vault) {
    $dir = Join-Path $env:LC_FAKE_VAULT_DIR $Vault
    if (-not (Test-Path -LiteralPath $dir)) { throw "Vault '$Vault' is not registered." }
    Join-Path $dir ($Name + '.secret')
}
function Get-Secret { param([string] $Name, [string] $Vault, [switch] $AsPlainText)
    $path = SecretPath $Name $Vault
    if (-not (Test-Path -LiteralPath $path)) { throw "The secret $Name was not found." }
    [System.IO.File]::ReadAllText($path) }
function Set-Secret { param([string] $Name, [string] $Vault, [object] $Secret)
    [System.IO.File]::WriteAllText((SecretPath $Name $Vault), [string] $Secret) }
function Remove-Secret { param([string] $Name, [string] $Vault)
    Remove-Item -LiteralPath (SecretPath $Name $Vault) -ErrorAction Stop }
Export-ModuleMember -Function Get-Secret, Set-Secret, Remove-Secret
'@

    function Invoke-FreshPwsh {
        <# Runs a script in a new pwsh (the environment, so LC_CONNECTION_HOME, is inherited); returns its exit code and output. #>
        param([string] $Script, [hashtable] $Values = @{})
        foreach ($k in $Values.Keys) { $Script = $Script.Replace("__${k}__", [string] $Values[$k]) }
        $file = Join-Path $dir ('child-' + [guid]::NewGuid().ToString('N') + '.ps1')
        Set-Content -LiteralPath $file -Value $Script
        $output = & $pwsh -NoProfile -NonInteractive -OutputFormat Text -File $file 2>&1
        [pscustomobject]@{ ExitCode = $LASTEXITCODE; Output = @($output | ForEach-Object { "$_" }) }
    }

    function Connect-OAuth {
        param([hashtable] $Option = @{})
        Connect-Lc -ClientId $oauth.ClientId -ClientSecret $oauth.ClientSecret -RefreshToken (New-EmulatorRefreshToken) -BaseUri $BaseUri -RetryDelaySec 0.05 -PassThru -Quiet @Option
    }

    function Get-SavedFile([string] $Name) { Join-Path $env:LC_CONNECTION_HOME ($Name.ToLowerInvariant() + '.json') }

    # What a fresh process does with a saved connection: connect by name, read one conversation, show the settings.
    $childConnect = @'
$ErrorActionPreference = 'Stop'
Import-Module '__MANIFEST__'
Connect-Lc -Name '__NAME__' -Quiet
$c = Get-LcConnection
"kind $($c.TokenKind)"
"location $($c.LocationId)"
"retries $($c.MaxRetries) timeout $($c.TimeoutSec)"
"read $((Get-LcConversation -Id __CONV__).Id)"
'@
}

AfterAll {
    $env:LC_CONNECTION_HOME = $savedHome
    $env:PSModulePath = $savedModulePath
    Remove-Item -LiteralPath $fakeModules -Recurse -Force -ErrorAction SilentlyContinue
    if (Get-Command -Name Complete-TestSession -ErrorAction SilentlyContinue) { Complete-TestSession }
}

Describe 'Save-LcConnection and Connect-Lc -Name' {
    BeforeEach {
        Reset-Emulator
        Disconnect-Lc
        $dir = Join-Path ([System.IO.Path]::GetTempPath()) ('lc-saved-' + [guid]::NewGuid().ToString('N'))
        $null = New-Item -ItemType Directory -Path $dir
        $env:LC_CONNECTION_HOME = Join-Path $dir 'connections'
        $env:PSModulePath = $savedModulePath
    }

    AfterEach {
        Remove-Item -LiteralPath $dir -Recurse -Force -ErrorAction SilentlyContinue
    }

    It 'saves an access token connection with its settings, and a fresh pwsh connects by name' {
        $null = Connect-TestLc -Option @{ MaxRetries = 2; TimeoutSec = 7 }
        $info = Save-LcConnection -Name Alpha-PIT -PassThru

        $info.Name | Should -Be 'Alpha-PIT'
        $info.Kind | Should -Be 'AccessToken'
        "$($info.TokenKind)" | Should -Be 'PrivateIntegration'
        $info.LocationId | Should -Be 'loc-alpha'
        $info.Path | Should -Be (Get-SavedFile 'Alpha-PIT')
        $info.Path | Should -Exist

        $run = Invoke-FreshPwsh $childConnect @{ MANIFEST = $manifestPath; NAME = 'alpha-pit'; CONV = 'conv-a001' }
        $run.ExitCode | Should -Be 0 -Because ($run.Output -join "`n")
        $run.Output | Should -Contain 'kind PrivateIntegration'
        $run.Output | Should -Contain 'location loc-alpha'
        $run.Output | Should -Contain 'retries 2 timeout 7'
        $run.Output | Should -Contain 'read conv-a001'
    }

    It 'saves an OAuth connection, keeps its rotating refresh token up to date, and a fresh pwsh connects by name' {
        $c = Connect-OAuth
        $info = Save-LcConnection -Name oauth -PassThru
        $info.Kind | Should -Be 'OAuth'
        $info.LocationId | Should -Be 'loc-alpha'

        # The connection rotates after it was saved: the saved connection gets the new refresh token.
        Invoke-EmulatorTokenExpiry
        (Get-LcConversation -Id conv-a001).Id | Should -Be 'conv-a001'

        $run = Invoke-FreshPwsh $childConnect @{ MANIFEST = $manifestPath; NAME = 'oauth'; CONV = 'conv-a002' }
        $run.ExitCode | Should -Be 0 -Because ($run.Output -join "`n")
        $run.Output | Should -Contain 'kind OAuthRefreshToken'
        $run.Output | Should -Contain 'location loc-alpha'
        $run.Output | Should -Contain 'read conv-a002'

        # The child rotated the token this session held; this session reads the newer one from the store and goes on.
        Invoke-EmulatorTokenExpiry
        (Get-LcConversation -Id conv-a003 -Connection $c).Id | Should -Be 'conv-a003'
        (Get-EmulatorOAuth).failedRefreshCount | Should -Be 0
    }

    It 'saves an agency connection (agency token and company), and a fresh pwsh connects by name' {
        $null = Connect-Lc -AgencyToken $oauth.AgencyToken -CompanyId $oauth.CompanyId -LocationId loc-beta -BaseUri $BaseUri -Quiet
        $info = Save-LcConnection -Name agency -PassThru
        $info.Kind | Should -Be 'Agency'
        "$($info.TokenKind)" | Should -Be 'AgencyExchange'

        $run = Invoke-FreshPwsh $childConnect @{ MANIFEST = $manifestPath; NAME = 'agency'; CONV = 'conv-b001' }
        $run.ExitCode | Should -Be 0 -Because ($run.Output -join "`n")
        $run.Output | Should -Contain 'kind AgencyExchange'
        $run.Output | Should -Contain 'location loc-beta'
        $run.Output | Should -Contain 'read conv-b001'
    }

    It 'saves a -Credential connection as the access token it resolved to' {
        $credential = [pscredential]::new('token', (ConvertTo-SecureString (Get-TestToken -Tenant beta) -AsPlainText -Force))
        $null = Connect-Lc -Credential $credential -LocationId loc-beta -BaseUri $BaseUri -SkipValidation -Quiet
        (Save-LcConnection -Name cred -PassThru).Kind | Should -Be 'AccessToken'
        Disconnect-Lc

        $run = Invoke-FreshPwsh $childConnect @{ MANIFEST = $manifestPath; NAME = 'cred'; CONV = 'conv-b002' }
        $run.ExitCode | Should -Be 0 -Because ($run.Output -join "`n")
        $run.Output | Should -Contain 'read conv-b002'
    }

    It 'takes settings given with -Name over the saved ones' {
        $null = Connect-TestLc -Option @{ MaxRetries = 2 }
        Save-LcConnection -Name alpha
        Disconnect-Lc

        $c = Connect-Lc -Name alpha -MaxRetries 4 -TimeoutSec 9 -SkipValidation -Quiet -PassThru

        $c.MaxRetries | Should -Be 4
        $c.TimeoutSec | Should -Be 9
        $c.LocationId | Should -Be 'loc-alpha'
    }

    It 'refuses to replace a saved connection without -Force, and replaces it with -Force' {
        $null = Connect-TestLc
        Save-LcConnection -Name alpha
        $null = Connect-TestLc -Tenant beta

        Save-LcConnection -Name ALPHA -ErrorVariable failed -ErrorAction SilentlyContinue
        Assert-LcError $failed -ErrorId 'SavedConnectionExists' -Category ResourceExists
        (Get-LcConnection -ListAvailable alpha).LocationId | Should -Be 'loc-alpha'

        Save-LcConnection -Name alpha -Force
        (Get-LcConnection -ListAvailable alpha).LocationId | Should -Be 'loc-beta'
    }

    It 'changes nothing with -WhatIf, and needs a connection' {
        $null = Connect-TestLc
        Save-LcConnection -Name alpha -WhatIf
        Get-SavedFile 'alpha' | Should -Not -Exist
        Disconnect-Lc
        { Save-LcConnection -Name alpha } | Should -Throw -ErrorId 'NotConnected*'
        { Save-LcConnection -Name '../escape' } | Should -Throw -ErrorId 'ParameterArgumentValidationError*'
    }

    It 'stops with SavedConnectionNotFound for a name that is not saved, before anything is sent' {
        { Connect-Lc -Name nobody } | Should -Throw -ErrorId 'SavedConnectionNotFound*'
        @(Get-EmulatorRequests).Count | Should -Be 0
        Get-LcConnection | Should -BeNullOrEmpty
    }

    It 'recovers a saved OAuth connection a crash left between the write and the rename' {
        $null = Connect-OAuth
        Save-LcConnection -Name oauth
        $file = Get-SavedFile 'oauth'
        $old = Join-Path $dir 'old.json'
        Copy-Item -LiteralPath $file -Destination $old
        Invoke-EmulatorTokenExpiry
        $null = Get-LcConversation -Id conv-a001   # rotates: the file holds the new token, $old the dead one
        Disconnect-Lc
        # As if the process died after writing the new token to the pending file: the old file still names the dead one.
        Copy-Item -LiteralPath $file -Destination "$file.pending"
        Copy-Item -LiteralPath $old -Destination $file -Force

        $c = Connect-Lc -Name oauth -Quiet -PassThru

        $c.LocationId | Should -Be 'loc-alpha'
        "$file.pending" | Should -Not -Exist
        (Get-EmulatorOAuth).failedRefreshCount | Should -Be 0
    }

    It 'keeps the file readable by its owner alone (0600 in a 0700 folder), where there is no DPAPI' -Skip:$onWindows {
        $null = Connect-TestLc
        $info = Save-LcConnection -Name alpha -PassThru
        $info.Storage | Should -Be 'OwnerOnlyFile'
        (Get-Item -LiteralPath $info.Path).UnixFileMode | Should -Be ([System.IO.UnixFileMode] 'UserRead, UserWrite')
        (Get-Item -LiteralPath $env:LC_CONNECTION_HOME).UnixFileMode | Should -Be ([System.IO.UnixFileMode] 'UserRead, UserWrite, UserExecute')
    }

    It 'narrows a folder that others may read to 0700 when it saves' -Skip:$onWindows {
        $null = New-Item -ItemType Directory -Path $env:LC_CONNECTION_HOME
        [System.IO.File]::SetUnixFileMode($env:LC_CONNECTION_HOME, [System.IO.UnixFileMode] 493) # 0755
        $null = Connect-TestLc
        Save-LcConnection -Name alpha
        (Get-Item -LiteralPath $env:LC_CONNECTION_HOME).UnixFileMode | Should -Be ([System.IO.UnixFileMode] 'UserRead, UserWrite, UserExecute')
    }

    It 'encrypts the secret with DPAPI for the current user on Windows: the file holds no token' -Skip:(-not $onWindows) {
        $null = Connect-TestLc
        $info = Save-LcConnection -Name alpha -PassThru
        $info.Storage | Should -Be 'DPAPI'
        Get-Content -LiteralPath $info.Path -Raw | Should -Not -Match ([regex]::Escape((Get-TestToken)))
        Disconnect-Lc
        (Connect-Lc -Name alpha -Quiet -PassThru).LocationId | Should -Be 'loc-alpha'
    }

    It 'shows no secret in any stream, object or file listing' {
        $rt = New-EmulatorRefreshToken
        $null = Connect-Lc -ClientId $oauth.ClientId -ClientSecret $oauth.ClientSecret -RefreshToken $rt -BaseUri $BaseUri -Quiet
        $out = @(Save-LcConnection -Name oauth -PassThru -Verbose *>&1)
        Disconnect-Lc
        $out += @(Connect-Lc -Name oauth -PassThru -Verbose -Debug *>&1)
        $out += @(Get-LcConnection -ListAvailable -Verbose *>&1)
        $out += @(Remove-LcConnection -Name oauth -Force -Verbose *>&1)
        $text = ($out | ForEach-Object { "$_"; $_ | Format-List * -Force | Out-String; $_ | ConvertTo-Json -Depth 3 -WarningAction SilentlyContinue }) -join "`n"

        $text | Should -Match 'oauth'
        foreach ($secret in @($oauth.ClientSecret, $rt)) { $text | Should -Not -Match ([regex]::Escape($secret)) }
    }
}

Describe 'Two processes that share a saved OAuth connection' {
    BeforeAll {
        Reset-Emulator
        $dir = Join-Path ([System.IO.Path]::GetTempPath()) ('lc-saved-' + [guid]::NewGuid().ToString('N'))
        $null = New-Item -ItemType Directory -Path $dir
        $env:LC_CONNECTION_HOME = Join-Path $dir 'connections'
    }

    AfterAll {
        Remove-Item -LiteralPath $dir -Recurse -Force -ErrorAction SilentlyContinue
    }

    It 'renew at once, and neither loses the rotated refresh token: the second uses the first one''s new token' {
        $null = Connect-OAuth
        Save-LcConnection -Name shared
        Disconnect-Lc
        # Token requests take a while, so the two processes' renewals overlap.
        Set-EmulatorFault -PathPrefix '/oauth/token' -Kind Delay -DelayMs 300
        $before = Get-EmulatorOAuth
        $child = @'
param([string] $Id)
$ErrorActionPreference = 'Stop'
Import-Module '__MANIFEST__'
while (-not (Test-Path -LiteralPath '__DIR__/go')) { Start-Sleep -Milliseconds 20 }
Connect-Lc -Name shared -Quiet -SkipValidation
"first $((Get-LcConversation -Id conv-a001).Id)"
$null = New-Item -ItemType File -Path "__DIR__/connected-$Id"
while (-not (Test-Path -LiteralPath '__DIR__/go2')) { Start-Sleep -Milliseconds 20 }
"second $((Get-LcConversation -Id conv-a002).Id)"
'@.Replace('__MANIFEST__', $manifestPath).Replace('__DIR__', $dir)
        $script = Join-Path $dir 'child.ps1'
        Set-Content -LiteralPath $script -Value $child
        $processes = foreach ($id in 1, 2) {
            $p = Start-Process -FilePath $pwsh -ArgumentList @('-NoProfile', '-NonInteractive', '-OutputFormat', 'Text', '-File', "`"$script`"", $id) -PassThru -NoNewWindow `
                -RedirectStandardOutput (Join-Path $dir "out-$id.txt") -RedirectStandardError (Join-Path $dir "err-$id.txt")
            $null = $p.Handle
            $p
        }
        try {
            # Both connect at once (each renews), then, once their tokens are expired, both renew at once again.
            $null = New-Item -ItemType File -Path (Join-Path $dir 'go')
            Wait-Until { (Test-Path (Join-Path $dir 'connected-1')) -and (Test-Path (Join-Path $dir 'connected-2')) -or @($processes | Where-Object HasExited).Count -gt 0 } -WaitingFor 'both processes to connect' -TimeoutSec 120
            Invoke-EmulatorTokenExpiry
            $null = New-Item -ItemType File -Path (Join-Path $dir 'go2')
            Wait-Until { @($processes | Where-Object HasExited).Count -eq 2 } -WaitingFor 'both processes to finish' -TimeoutSec 120
        }
        finally {
            foreach ($p in $processes) { Stop-ProcessTree -Process $p }
        }

        foreach ($id in 1, 2) {
            $log = (Get-Content -LiteralPath (Join-Path $dir "out-$id.txt"), (Join-Path $dir "err-$id.txt") -ErrorAction SilentlyContinue) -join "`n"
            $processes[$id - 1].ExitCode | Should -Be 0 -Because $log
            $log | Should -Match 'first conv-a001'
            $log | Should -Match 'second conv-a002'
        }
        $after = Get-EmulatorOAuth
        $after.failedRefreshCount | Should -Be $before.failedRefreshCount -Because 'no process renewed with a refresh token the other one had used'
        $after.refreshCount | Should -Be ($before.refreshCount + 4)

        # The saved connection holds a refresh token that works.
        (Connect-Lc -Name shared -Quiet -PassThru).LocationId | Should -Be 'loc-alpha'
        (Get-EmulatorOAuth).failedRefreshCount | Should -Be $before.failedRefreshCount
    }
}

Describe 'Saved connections in a SecretManagement vault' {
    BeforeEach {
        Reset-Emulator
        Disconnect-Lc
        $dir = Join-Path ([System.IO.Path]::GetTempPath()) ('lc-saved-' + [guid]::NewGuid().ToString('N'))
        $null = New-Item -ItemType Directory -Path $dir
        $env:LC_CONNECTION_HOME = Join-Path $dir 'connections'
        $env:LC_FAKE_VAULT_DIR = Join-Path $dir 'vaults'
        $null = New-Item -ItemType Directory -Path (Join-Path $env:LC_FAKE_VAULT_DIR 'TestVault')
        $env:PSModulePath = $fakeModules + [System.IO.Path]::PathSeparator + $savedModulePath
    }

    AfterEach {
        $env:PSModulePath = $savedModulePath
        Remove-Item -LiteralPath $dir -Recurse -Force -ErrorAction SilentlyContinue
    }

    It 'keeps the secret in the vault and only its name in the file; a fresh pwsh connects by name' {
        $null = Connect-TestLc
        $info = Save-LcConnection -Name alpha -Vault TestVault -PassThru

        $info.Storage | Should -Be 'SecretManagement'
        $info.Vault | Should -Be 'TestVault'
        $info.SecretName | Should -Be 'LeadConnector-alpha'
        Get-Content -LiteralPath $info.Path -Raw | Should -Not -Match ([regex]::Escape((Get-TestToken)))
        Get-Content -LiteralPath (Join-Path $env:LC_FAKE_VAULT_DIR 'TestVault/LeadConnector-alpha.secret') -Raw | Should -Match ([regex]::Escape((Get-TestToken)))

        $run = Invoke-FreshPwsh $childConnect @{ MANIFEST = $manifestPath; NAME = 'alpha'; CONV = 'conv-a004' }
        $run.ExitCode | Should -Be 0 -Because ($run.Output -join "`n")
        $run.Output | Should -Contain 'read conv-a004'
    }

    It 'writes each rotated refresh token of a saved OAuth connection to the vault' {
        $null = Connect-OAuth
        Save-LcConnection -Name oauth -Vault TestVault
        $secretFile = Join-Path $env:LC_FAKE_VAULT_DIR 'TestVault/LeadConnector-oauth.secret'
        $first = (Get-Content -LiteralPath $secretFile -Raw | ConvertFrom-Json).refreshToken

        Invoke-EmulatorTokenExpiry
        $null = Get-LcConversation -Id conv-a001
        $second = (Get-Content -LiteralPath $secretFile -Raw | ConvertFrom-Json).refreshToken
        $second | Should -Not -Be $first
        Disconnect-Lc

        (Connect-Lc -Name oauth -Quiet -PassThru).LocationId | Should -Be 'loc-alpha'
        (Get-EmulatorOAuth).failedRefreshCount | Should -Be 0
    }

    It 'removes the vault secret with the saved connection' {
        $null = Connect-TestLc
        Save-LcConnection -Name alpha -Vault TestVault
        Remove-LcConnection -Name alpha -Force
        Join-Path $env:LC_FAKE_VAULT_DIR 'TestVault/LeadConnector-alpha.secret' | Should -Not -Exist
        Get-SavedFile 'alpha' | Should -Not -Exist
    }

    It 'stops with SecretVaultError when the vault refuses, and saves nothing' {
        $null = Connect-TestLc
        { Save-LcConnection -Name alpha -Vault NoSuchVault } | Should -Throw -ErrorId 'SecretVaultError*'
        Get-SavedFile 'alpha' | Should -Not -Exist
    }

    It 'stops with SecretManagementNotAvailable when SecretManagement is not installed' {
        $env:PSModulePath = $savedModulePath
        if (Get-Command Get-Secret -ErrorAction Ignore) { Set-ItResult -Skipped -Because 'SecretManagement is installed here' }
        $null = Connect-TestLc
        $err = { Save-LcConnection -Name alpha -Vault TestVault } | Should -Throw -ErrorId 'SecretManagementNotAvailable*' -PassThru
        "$err" | Should -Match 'Install-PSResource Microsoft.PowerShell.SecretManagement'
        $err.CategoryInfo.Category | Should -Be 'NotInstalled'
        Get-SavedFile 'alpha' | Should -Not -Exist
    }
}
