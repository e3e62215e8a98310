BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    $BaseUri = Initialize-TestSession
    $AlphaToken = Get-TestToken -Tenant alpha
    $SavedEnv = @{ Token = $env:LC_ACCESS_TOKEN; Location = $env:LC_LOCATION_ID }
}

AfterAll {
    if (Get-Command -Name Complete-TestSession -ErrorAction SilentlyContinue) { Complete-TestSession }
    Remove-Item -Path 'Env:LC_ACCESS_TOKEN', 'Env:LC_LOCATION_ID' -ErrorAction SilentlyContinue
    if ($null -ne $SavedEnv.Token) { $env:LC_ACCESS_TOKEN = $SavedEnv.Token }
    if ($null -ne $SavedEnv.Location) { $env:LC_LOCATION_ID = $SavedEnv.Location }
}

Describe 'Connect-Lc' {
    BeforeEach {
        Reset-Emulator
        Disconnect-Lc
        Remove-Item -Path 'Env:LC_ACCESS_TOKEN', 'Env:LC_LOCATION_ID' -ErrorAction SilentlyContinue
    }

    Context 'AccessToken parameter set' {
        It 'accepts the token as a plain string and returns the connection with -PassThru' {
            $c = Connect-Lc -AccessToken $AlphaToken -BaseUri $BaseUri -LocationId loc-alpha -PassThru

            $c.PSObject.TypeNames[0] | Should -Be 'LeadConnector.Connection'
            $c.PSObject.BaseObject.GetType().FullName | Should -Be 'LeadConnector.Connection'
            $c.LocationId | Should -Be 'loc-alpha'
            ([uri] "$($c.BaseUri)").Authority | Should -Be ([uri] $BaseUri).Authority
            "$($c.TokenKind)" | Should -Be 'PrivateIntegration'
        }

        It 'accepts the token as a SecureString' {
            $secure = ConvertTo-SecureString -String $AlphaToken -AsPlainText -Force
            $c = Connect-Lc -AccessToken $secure -BaseUri $BaseUri -LocationId loc-alpha -PassThru

            $c.LocationId | Should -Be 'loc-alpha'
            (Get-LcConversation -Id conv-a001).Id | Should -Be 'conv-a001'
        }

        It 'emits nothing without -PassThru, and the session is then current' {
            $out = Connect-Lc -AccessToken $AlphaToken -BaseUri $BaseUri -LocationId loc-alpha

            $out | Should -BeNullOrEmpty
            (Get-LcConnection).LocationId | Should -Be 'loc-alpha'
            (Get-LcConversation -Id conv-a002).ContactId | Should -Be 'contact-a002'
        }

        It 'has the documented defaults' {
            $c = Connect-Lc -AccessToken $AlphaToken -BaseUri $BaseUri -LocationId loc-alpha -PassThru

            $c.ApiVersion | Should -Be '2021-07-28'
            $c.MaxRetries | Should -Be 5
            $c.MaxRetryTimeSec | Should -Be 300
            $c.TimeoutSec | Should -Be 100
        }

        It 'keeps -ApiVersion, -MaxRetries, -MaxRetryTimeSec and -TimeoutSec, and sends the Version header' {
            $c = Connect-Lc -AccessToken $AlphaToken -BaseUri $BaseUri -LocationId loc-alpha -PassThru `
                -ApiVersion '2021-04-15' -MaxRetries 0 -MaxRetryTimeSec 30 -TimeoutSec 10

            $c.ApiVersion | Should -Be '2021-04-15'
            $c.MaxRetries | Should -Be 0
            $c.MaxRetryTimeSec | Should -Be 30
            $c.TimeoutSec | Should -Be 10

            $null = Get-LcConversation -Id conv-a001
            $request = @(Get-EmulatorRequests -Method GET -PathPrefix '/conversations/conv-a001')
            $request.Count | Should -Be 1
            Get-RequestHeader -Request $request[0] -Name 'Version' | Should -Be '2021-04-15'
        }

        It 'does not call the API while connecting with -SkipValidation' {
            $null = Connect-Lc -AccessToken $AlphaToken -BaseUri $BaseUri -LocationId loc-alpha -SkipValidation

            @(Get-EmulatorRequests).Count | Should -Be 0
        }

        It 'replaces the current session on a second call' {
            $null = Connect-Lc -AccessToken $AlphaToken -BaseUri $BaseUri -LocationId loc-alpha
            $null = Connect-Lc -AccessToken (Get-TestToken -Tenant beta) -BaseUri $BaseUri -LocationId loc-beta

            (Get-LcConnection).LocationId | Should -Be 'loc-beta'
            @(Get-LcConversation -All).Count | Should -Be 3
        }

        It 'refuses <Name> <Value>' -TestCases @(
            @{ Name = 'MaxRetries'; Value = 21 }
            @{ Name = 'MaxRetries'; Value = -1 }
            @{ Name = 'TimeoutSec'; Value = 0 }
            @{ Name = 'TimeoutSec'; Value = 3601 }
        ) {
            $splat = @{ AccessToken = $AlphaToken; BaseUri = $BaseUri; LocationId = 'loc-alpha' }
            $splat[$Name] = $Value

            { Connect-Lc @splat } | Should -Throw -ErrorId 'ParameterArgumentValidationError*'
        }
    }

    Context 'Credential parameter set' {
        It 'takes the token from the password and ignores the user name' {
            $secure = ConvertTo-SecureString -String $AlphaToken -AsPlainText -Force
            $credential = New-Object -TypeName System.Management.Automation.PSCredential -ArgumentList 'anything', $secure

            $c = Connect-Lc -Credential $credential -BaseUri $BaseUri -LocationId loc-alpha -PassThru

            "$($c.TokenKind)" | Should -Be 'PrivateIntegration'
            (Get-LcConversation -Id conv-a003).Id | Should -Be 'conv-a003'
        }
    }

    Context 'Base URI' {
        It 'refuses plain http to <Uri>' -TestCases @(
            @{ Uri = 'http://api.example.com' }
            @{ Uri = 'http://10.1.2.3:8080' }
            @{ Uri = 'http://localhost.example.com' }
            @{ Uri = 'http://services.leadconnectorhq.com' }
        ) {
            $err = { Connect-Lc -AccessToken $AlphaToken -BaseUri $Uri -LocationId loc-alpha -ErrorAction Stop } |
                Should -Throw -ErrorId 'InvalidBaseUri*' -PassThru

            $err.CategoryInfo.Category | Should -Be 'SecurityError'
            Get-LcConnection | Should -BeNullOrEmpty
        }

        It 'accepts plain http on the loopback address <Uri>' -TestCases @(
            @{ Uri = 'http://127.0.0.1:5999' }
            @{ Uri = 'http://localhost:5999' }
            @{ Uri = 'http://[::1]:5999' }
        ) {
            $c = Connect-Lc -AccessToken $AlphaToken -BaseUri $Uri -LocationId loc-alpha -PassThru -SkipValidation

            ([uri] "$($c.BaseUri)").Port | Should -Be 5999
        }
    }

    Context 'Environment variables' {
        It 'reads LC_ACCESS_TOKEN and LC_LOCATION_ID when neither -AccessToken nor -Credential is given' {
            $env:LC_ACCESS_TOKEN = $AlphaToken
            $env:LC_LOCATION_ID = 'loc-alpha'

            $c = Connect-Lc -BaseUri $BaseUri -PassThru

            $c.LocationId | Should -Be 'loc-alpha'
            "$($c.TokenKind)" | Should -Be 'PrivateIntegration'
            (Get-LcConversation -Id conv-a004).Id | Should -Be 'conv-a004'
        }

        It 'prefers -LocationId to LC_LOCATION_ID' {
            $env:LC_ACCESS_TOKEN = Get-TestToken -Tenant beta
            $env:LC_LOCATION_ID = 'loc-alpha'

            $c = Connect-Lc -BaseUri $BaseUri -LocationId loc-beta -PassThru

            $c.LocationId | Should -Be 'loc-beta'
        }

        It 'leaves the location empty when neither -LocationId nor LC_LOCATION_ID is set' {
            $c = Connect-Lc -AccessToken $AlphaToken -BaseUri $BaseUri -PassThru

            $c.LocationId | Should -BeNullOrEmpty
        }

        It 'fails with NoAccessToken when there is no token anywhere' {
            $err = { Connect-Lc -BaseUri $BaseUri -LocationId loc-alpha -ErrorAction Stop } |
                Should -Throw -ErrorId 'NoAccessToken*' -PassThru

            $err.CategoryInfo.Category | Should -Be 'AuthenticationError'
            "$err" | Should -Match 'LC_ACCESS_TOKEN'
        }
    }

    Context 'Secrets' {
        It 'never writes the token to any stream, even with verbose and debug output' {
            $VerbosePreference = 'Continue'
            $DebugPreference = 'Continue'
            $InformationPreference = 'Continue'
            # Preference variables rather than -Debug: on Windows PowerShell 5.1, -Debug would prompt.
            $all = & {
                Connect-Lc -AccessToken $AlphaToken -BaseUri $BaseUri -LocationId loc-alpha -PassThru
                Get-LcConnection
                Get-LcConversation -Id conv-a001
                Get-LcConversation -Id conv-does-not-exist -ErrorAction Continue
                Get-LcConversation -First 2
                New-LcConversation -ContactId contact-a020
            } *>&1

            $text = ($all | Out-String -Width 4096) +
                ($all | Where-Object { $_ -is [System.Management.Automation.ErrorRecord] } |
                    ForEach-Object { $_.Exception.ToString() } | Out-String -Width 4096)
            @($all | Where-Object { $_ -is [System.Management.Automation.DebugRecord] }).Count | Should -BeGreaterThan 0
            @($all | Where-Object { $_ -is [System.Management.Automation.ErrorRecord] }).Count | Should -Be 1
            $text | Should -Not -Match ([regex]::Escape($AlphaToken))
            $text | Should -Not -Match '0123456789abcdef'
        }

        It 'shows the Authorization header redacted in debug output' {
            $null = Connect-Lc -AccessToken $AlphaToken -BaseUri $BaseUri -LocationId loc-alpha
            $DebugPreference = 'Continue'

            $debug = & { Get-LcConversation -Id conv-a001 } 5>&1 |
                Where-Object { $_ -is [System.Management.Automation.DebugRecord] } |
                ForEach-Object { $_.Message }

            ($debug -join "`n") | Should -Match 'Authorization: Bearer \*\*\*'
        }

        It 'keeps the token out of Format-List *, ConvertTo-Json and the property list' {
            $c = Connect-Lc -AccessToken $AlphaToken -BaseUri $BaseUri -LocationId loc-alpha -PassThru

            $list = Get-LcConnection | Format-List -Property * | Out-String -Width 4096
            $json = Get-LcConnection | ConvertTo-Json -Depth 5
            $list | Should -Match 'loc-alpha'
            $list | Should -Not -Match '0123456789abcdef'
            $json | Should -Not -Match '0123456789abcdef'
            "$c" | Should -Not -Match '0123456789abcdef'
            # Token-named properties describe the token (kind, expiry, where the refresh token is kept); none holds one.
            @($c.PSObject.Properties.Name | Where-Object { $_ -match 'Token' -and $_ -notin 'TokenKind', 'TokenExpiresAt', 'TokenRefreshedAt', 'RefreshTokenPath' }) | Should -BeNullOrEmpty
            $c.TokenExpiresAt | Should -BeNullOrEmpty -Because 'a Private Integration Token does not expire'
        }
    }

    Context 'from SecretManagement (-SecretName)' {
        # SecretManagement is not served by the package sources here: a Get-Secret function of the test's own stands in.
        AfterEach {
            Remove-Item -Path Function:\Get-Secret -ErrorAction SilentlyContinue
            Remove-Variable -Name SecretCalls -Scope Global -ErrorAction SilentlyContinue
        }

        It 'reads the token with Get-Secret -Name and -Vault, as a SecureString' {
            $global:SecretCalls = @()
            function global:Get-Secret {
                param([string] $Name, [string] $Vault)
                $global:SecretCalls += "$Name|$Vault"
                ConvertTo-SecureString -String 'pit-alpha-0123456789abcdef' -AsPlainText -Force
            }

            $c = Connect-Lc -SecretName LeadConnectorToken -Vault CorpVault -BaseUri $BaseUri -LocationId loc-alpha -PassThru

            $global:SecretCalls | Should -Be @('LeadConnectorToken|CorpVault')
            "$($c.TokenKind)" | Should -Be 'PrivateIntegration'
            (Get-LcConversation -Id conv-a001).Id | Should -Be 'conv-a001'
        }

        It 'uses the default vault without -Vault, and takes a PSCredential secret too' {
            $global:SecretCalls = @()
            function global:Get-Secret {
                param([string] $Name, [string] $Vault)
                $global:SecretCalls += "$Name|$Vault"
                [pscredential]::new('token', (ConvertTo-SecureString -String 'pit-alpha-0123456789abcdef' -AsPlainText -Force))
            }

            $null = Connect-Lc -SecretName LcCred -BaseUri $BaseUri -LocationId loc-alpha

            $global:SecretCalls | Should -Be @('LcCred|')
            (Get-LcConversation -Id conv-a002).Id | Should -Be 'conv-a002'
        }

        It 'stops with SecretManagementNotAvailable when Get-Secret does not exist' {
            if (Get-Command -Name Get-Secret -ErrorAction SilentlyContinue) { Set-ItResult -Skipped -Because 'SecretManagement is installed here' }

            $err = { Connect-Lc -SecretName LeadConnectorToken -BaseUri $BaseUri } | Should -Throw -ErrorId 'SecretManagementNotAvailable*' -PassThru

            "$($err.CategoryInfo.Category)" | Should -Be 'NotInstalled'
            "$err" | Should -Match 'Install-PSResource Microsoft.PowerShell.SecretManagement'
        }

        It 'stops with SecretNotFound when the vault has no such secret' {
            function global:Get-Secret { param([string] $Name, [string] $Vault) throw "The secret $Name was not found." }

            $err = { Connect-Lc -SecretName Missing -BaseUri $BaseUri } | Should -Throw -ErrorId 'SecretNotFound*' -PassThru

            "$err" | Should -Match "Missing"
        }
    }
    Context 'The token is checked, the admin is greeted, and -ReturnConnection leaves the current connection alone' {
        It 'checks the token with one cheap search and greets on the host, never on the output' {
            $out = Connect-Lc -AccessToken $AlphaToken -BaseUri $BaseUri -LocationId loc-alpha -InformationVariable info 6>$null

            $out | Should -BeNullOrEmpty
            $probe = @(Get-EmulatorRequests -Method GET -PathPrefix '/conversations/search')
            $probe.Count | Should -Be 1
            $probe[0].queryString | Should -Match 'locationId=loc-alpha'
            $probe[0].queryString | Should -Match 'limit=1'
            $line = "$($info | Where-Object { $_.Tags -contains 'PSHOST' })"
            $line | Should -Match '^Connected to location loc-alpha with a Private Integration token \(no expiry known; token checked\) at http://127\.0\.0\.1:\d+\.$'
            $line | Should -Not -Match ([regex]::Escape($AlphaToken))
        }

        It 'refuses a wrong token at once (TokenRefused), and keeps the connection it had' {
            Connect-Lc -AccessToken $AlphaToken -BaseUri $BaseUri -LocationId loc-alpha -Quiet

            $err = { Connect-Lc -AccessToken 'pit-not-a-real-token-000000' -BaseUri $BaseUri -LocationId loc-alpha -ErrorAction Stop } |
                Should -Throw -ErrorId 'TokenRefused,*' -PassThru
            $err.CategoryInfo.Category | Should -Be 'AuthenticationError'
            $err.Exception.Message | Should -Match 'refused the token'
            # The advice is said once, in the recommended action, not again in the message.
            $err.Exception.Message | Should -Not -Match 'Connect-Lc again'
            $err.CategoryInfo.Reason | Should -Not -BeNullOrEmpty
            (Get-LcConnection).LocationId | Should -Be 'loc-alpha'
            "$((Get-LcConnection).TokenKind)" | Should -Be 'PrivateIntegration'
        }

        It 'connects a good token that may not read the location, with a warning that says so' {
            $c = Connect-Lc -AccessToken (Get-TestToken -Tenant beta) -BaseUri $BaseUri -LocationId loc-alpha -PassThru `
                -InformationVariable info -WarningVariable warn -WarningAction SilentlyContinue 6>$null

            $c.LocationId | Should -Be 'loc-alpha'
            "$warn" | Should -Match 'conversations\.readonly'
            "$warn" | Should -Match 'not authorized for this location'
            "$($info | Where-Object { $_.Tags -contains 'PSHOST' })" | Should -Match 'token good, but it may not read conversations'
        }

        It '-SkipValidation sends nothing, -Quiet says nothing' {
            Connect-Lc -AccessToken 'pit-offline-000000' -BaseUri $BaseUri -LocationId loc-alpha -SkipValidation -InformationVariable info 6>$null
            @(Get-EmulatorRequests).Count | Should -Be 0
            "$info" | Should -Match 'not checked \(-SkipValidation\)'

            Connect-Lc -AccessToken $AlphaToken -BaseUri $BaseUri -LocationId loc-alpha -Quiet -InformationVariable quiet 6>$null
            $quiet | Should -BeNullOrEmpty
        }

        It '-ReturnConnection writes a connection and leaves the current one as it was' {
            Connect-Lc -AccessToken $AlphaToken -BaseUri $BaseUri -LocationId loc-alpha -Quiet
            $beta = Connect-Lc -AccessToken (Get-TestToken -Tenant beta) -BaseUri $BaseUri -LocationId loc-beta -ReturnConnection -Quiet

            $beta.LocationId | Should -Be 'loc-beta'
            (Get-LcConnection).LocationId | Should -Be 'loc-alpha'
            (Get-LcConversation -Id conv-b001 -Connection $beta).Id | Should -Be 'conv-b001'
            (Get-LcConversation -Id conv-a001).Id | Should -Be 'conv-a001'
        }

        It 'refuses -PassThru with -ReturnConnection' {
            { Connect-Lc -AccessToken $AlphaToken -BaseUri $BaseUri -LocationId loc-alpha -PassThru -ReturnConnection -SkipValidation } |
                Should -Throw -ErrorId 'PassThruWithReturnConnection,*'
        }
    }
}
