# Connect-Lc with OAuth (client id, secret and a rotating refresh token) and with an agency token, against the
# emulator's /oauth/token and /oauth/locationToken: renewal before expiry and after a 401, one renewal for many
# callers, the refresh token kept safe across rotations and crashes, and no secret in any stream.

BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    $BaseUri = Initialize-TestSession
    $oauth = Get-TestOAuth
    $manifestPath = Join-Path (Get-RepoRoot) 'LeadConnector.psd1'

    function Connect-OAuth {
        param([string] $RefreshToken, [string] $RefreshTokenPath, [hashtable] $Option = @{})
        $p = @{ ClientId = $oauth.ClientId; ClientSecret = $oauth.ClientSecret; BaseUri = $BaseUri; PassThru = $true; RetryDelaySec = 0.05 }
        if ($RefreshToken) { $p.RefreshToken = $RefreshToken }
        if ($RefreshTokenPath) { $p.RefreshTokenPath = $RefreshTokenPath }
        Connect-Lc @p @Option
    }

    # Every string any stream or object shows, for the secret scans.
    function Get-AllText {
        param($Output, $Streams)
        @(
            $Output | ForEach-Object { $_ | Format-List * | Out-String -Width 300; $_ | ConvertTo-Json -Depth 4 -WarningAction SilentlyContinue }
            $Streams | ForEach-Object { "$_"; if ($_ -is [System.Management.Automation.ErrorRecord]) { $_.Exception.ToString() } }
        ) -join "`n"
    }
}

AfterAll {
    if (Get-Command -Name Complete-TestSession -ErrorAction SilentlyContinue) { Complete-TestSession }
}

Describe 'Connect-Lc -ClientId -ClientSecret -RefreshToken' {
    BeforeEach {
        Reset-Emulator
        Disconnect-Lc
        $dir = Join-Path ([System.IO.Path]::GetTempPath()) ('lc-oauth-' + [guid]::NewGuid().ToString('N'))
        $null = New-Item -ItemType Directory -Path $dir
        $rtFile = Join-Path $dir 'refresh.token'
    }

    AfterEach {
        Remove-Item -LiteralPath $dir -Recurse -Force -ErrorAction SilentlyContinue
    }

    It 'gets an access token, takes the location from the token response, and shows when it expires' {
        $before = (Get-EmulatorOAuth).refreshCount
        $c = Connect-OAuth -RefreshToken (New-EmulatorRefreshToken)

        $c.LocationId | Should -Be 'loc-alpha' -Because 'the token response names the location'
        "$($c.TokenKind)" | Should -Be 'OAuthRefreshToken'
        $c.TokenExpiresAt | Should -BeGreaterThan ([DateTimeOffset]::UtcNow.AddHours(23))
        $c.TokenRefreshedAt | Should -BeGreaterThan ([DateTimeOffset]::UtcNow.AddMinutes(-1))
        (Get-EmulatorOAuth).refreshCount | Should -Be ($before + 1)
        (Get-LcConversation -Id conv-a001).Id | Should -Be 'conv-a001'

        $post = @(Get-EmulatorRequests -Method POST -PathPrefix '/oauth/token')
        $post.Count | Should -Be 1
        Get-RequestHeader -Request $post[0] -Name 'Content-Type' | Should -BeLike 'application/x-www-form-urlencoded*'
        Get-RequestHeader -Request $post[0] -Name 'Authorization' | Should -BeNullOrEmpty
        $post[0].body | Should -Match 'grant_type=refresh_token'

        $shown = Get-LcConnection | Format-List | Out-String
        $shown | Should -Match 'TokenExpiresAt\s*:\s*\d{4}-'
        $shown | Should -Match 'TokenRefreshedAt\s*:\s*\d{4}-'
    }

    It 'keeps the rotating refresh token in -RefreshTokenPath (owner-only), so the next run starts from the file alone' {
        $first = New-EmulatorRefreshToken
        $null = Connect-OAuth -RefreshToken $first -RefreshTokenPath $rtFile

        $saved = (Get-Content -LiteralPath $rtFile -Raw).Trim()
        $saved | Should -Not -BeNullOrEmpty
        $saved | Should -Not -Be $first -Because 'the refresh returned a new refresh token, and the old one is dead'
        if (-not $IsWindows) { (Get-Item -LiteralPath $rtFile).UnixFileMode | Should -Be ([System.IO.UnixFileMode] 'UserRead, UserWrite') }
        (Get-LcConnection).RefreshTokenPath | Should -Be $rtFile

        # A later run (a new Connect-Lc) needs only the file; it rotates again.
        Disconnect-Lc
        $c = Connect-OAuth -RefreshTokenPath $rtFile
        $c.LocationId | Should -Be 'loc-alpha'
        (Get-Content -LiteralPath $rtFile -Raw).Trim() | Should -Not -Be $saved
        (Get-LcConversation -Id conv-a002).Id | Should -Be 'conv-a002'
        (Get-EmulatorOAuth).failedRefreshCount | Should -Be 0
    }

    It 'recovers the refresh token a crash left between the write and the rename' {
        # A run that died after writing the new token but before renaming it over the old one leaves it pending.
        $live = New-EmulatorRefreshToken
        Set-Content -LiteralPath $rtFile -Value 'rt-dead-0000000000000000' -NoNewline
        Set-Content -LiteralPath "$rtFile.pending" -Value $live -NoNewline

        $c = Connect-OAuth -RefreshTokenPath $rtFile

        $c.LocationId | Should -Be 'loc-alpha'
        Test-Path -LiteralPath "$rtFile.pending" | Should -BeFalse
        (Get-Content -LiteralPath $rtFile -Raw).Trim() | Should -Not -BeIn @($live, 'rt-dead-0000000000000000')
        (Get-EmulatorOAuth).failedRefreshCount | Should -Be 0
    }

    It 'renews the access token shortly before it expires, in the middle of a pipeline' {
        # Tokens live 5 s: the first two reads use the first token well before it is due for renewal, even on a loaded
        # machine. The third id is let through only once that token has expired by the connection's own clock (a state,
        # not a fixed sleep), so the module must renew it before sending, mid-pipeline, rather than after a 401.
        Set-EmulatorOAuth -AccessTokenLifetimeSeconds 5
        $c = Connect-OAuth -RefreshToken (New-EmulatorRefreshToken)
        $before = (Get-EmulatorOAuth).refreshCount
        $expiresAt = $c.TokenExpiresAt

        $ids = 1..5 | ForEach-Object { 'conv-a{0:000}' -f $_ }
        $out = $ids | ForEach-Object {
            if ($_ -eq 'conv-a003') { Wait-Until { [DateTimeOffset]::UtcNow -ge $expiresAt } -WaitingFor 'the first access token to expire' }
            $_
        } | Get-LcConversation -ErrorVariable failed

        $failed | Should -BeNullOrEmpty
        @($out.Id) | Should -Be $ids
        (Get-EmulatorOAuth).refreshCount | Should -BeGreaterThan $before
        @(Get-EmulatorRequests | Where-Object { $_.statusCode -eq 401 }).Count | Should -Be 0 -Because 'it renews before expiry, not after a refusal'
    }

    It 'renews once after a 401 and sends the request once more, a POST included' {
        $null = Connect-OAuth -RefreshToken (New-EmulatorRefreshToken)
        $before = (Get-EmulatorOAuth).refreshCount
        Invoke-EmulatorTokenExpiry

        $new = New-LcConversation -ContactId contact-a012 -Force -Verbose 4>&1
        $conversation = @($new | Where-Object { $_.PSObject.TypeNames[0] -eq 'LeadConnector.Conversation' })
        $verbose = @($new | Where-Object { $_ -is [System.Management.Automation.VerboseRecord] })

        $conversation.Count | Should -Be 1
        (Get-EmulatorOAuth).refreshCount | Should -Be ($before + 1)
        $posts = @(Get-EmulatorRequests -Method POST -PathPrefix '/conversations')
        @($posts.statusCode) | Should -Be @(401, 201)
        ($verbose -join "`n") | Should -Match 'HTTP 401.*renewing'
    }

    It 'makes one refresh, not a stampede, when 8 runspaces hit an expired token at once' {
        $null = Connect-OAuth -RefreshToken (New-EmulatorRefreshToken)
        $before = (Get-EmulatorOAuth).refreshCount
        Invoke-EmulatorTokenExpiry

        $out = 1..8 | ForEach-Object -ThrottleLimit 8 -Parallel {
            Import-Module $using:manifestPath
            Get-LcConversation -Id ('conv-a{0:000}' -f $_)
        }

        @($out).Count | Should -Be 8
        (Get-EmulatorOAuth).refreshCount | Should -Be ($before + 1)
        (Get-EmulatorOAuth).failedRefreshCount | Should -Be 0
    }

    It 'raises RefreshTokenRotated with the new refresh token, for a script to store elsewhere' {
        $c = Connect-OAuth -RefreshToken (New-EmulatorRefreshToken) -RefreshTokenPath $rtFile
        $sub = Register-ObjectEvent -InputObject $c -EventName RefreshTokenRotated -SourceIdentifier LcRotated
        try {
            Invoke-EmulatorTokenExpiry
            $null = Get-LcConversation -Id conv-a001
            $event = Wait-Event -SourceIdentifier LcRotated -Timeout 60

            $event | Should -Not -BeNullOrEmpty
            $rotated = $event.SourceEventArgs.RefreshToken
            $rotated | Should -BeOfType ([securestring])
            [System.Net.NetworkCredential]::new('', $rotated).Password | Should -Be (Get-Content -LiteralPath $rtFile -Raw).Trim()
        }
        finally {
            Unregister-Event -SourceIdentifier LcRotated -ErrorAction SilentlyContinue
            Remove-Event -SourceIdentifier LcRotated -ErrorAction SilentlyContinue
        }
    }

    It 'stops with ApiUnauthorized and a clear message when the refresh token was used already' {
        $used = New-EmulatorRefreshToken
        $null = Connect-OAuth -RefreshToken $used
        Disconnect-Lc

        $err = { Connect-OAuth -RefreshToken $used } | Should -Throw -ErrorId 'ApiUnauthorized*' -PassThru

        "$err" | Should -Match 'refused to renew'
        "$err" | Should -Match 'works once'
        "$err" | Should -Not -Match ([regex]::Escape($used))
        Get-LcConnection | Should -BeNullOrEmpty
    }

    It 'refuses missing OAuth settings before anything is sent' {
        { Connect-Lc -ClientId $oauth.ClientId -ClientSecret $oauth.ClientSecret -BaseUri $BaseUri } | Should -Throw -ErrorId 'InvalidConnectionSetting*'
        { Connect-Lc -ClientId $oauth.ClientId -ClientSecret $oauth.ClientSecret -RefreshTokenPath (Join-Path $dir 'none') -BaseUri $BaseUri } | Should -Throw -ErrorId 'InvalidConnectionSetting*'
        @(Get-EmulatorRequests).Count | Should -Be 0
    }

    It 'refuses a base URI that would leak the token before it writes the refresh token to its file' {
        $file = Join-Path $dir ('refused-' + [guid]::NewGuid().ToString('N'))
        { Connect-Lc -ClientId $oauth.ClientId -ClientSecret $oauth.ClientSecret -RefreshToken (New-EmulatorRefreshToken) -RefreshTokenPath $file -BaseUri 'http://api.example.com' } |
            Should -Throw -ErrorId 'InvalidBaseUri*'
        $file | Should -Not -Exist
        @(Get-EmulatorRequests).Count | Should -Be 0
    }

    It 'shows no client secret, refresh token or access token in any stream, object or error' {
        $rt = New-EmulatorRefreshToken
        $streams = @()
        $out = @(Connect-OAuth -RefreshToken $rt -RefreshTokenPath $rtFile -Option @{ Verbose = $true; Debug = $true } *>&1)
        Invoke-EmulatorTokenExpiry
        $out += @(Get-LcConversation -Id conv-a001, conv-missing -Verbose -Debug *>&1)
        $out += @(Get-LcConnection)
        $text = Get-AllText -Output ($out | Where-Object { $_ -isnot [System.Management.Automation.InformationalRecord] -and $_ -isnot [System.Management.Automation.ErrorRecord] }) -Streams ($out | Where-Object { $_ -is [System.Management.Automation.InformationalRecord] -or $_ -is [System.Management.Automation.ErrorRecord] })

        $text | Should -Match 'conv-a001'
        $secrets = @($oauth.ClientSecret, $rt, (Get-Content -LiteralPath $rtFile -Raw).Trim())
        $issued = @(Get-EmulatorRequests | ForEach-Object { Get-RequestHeader -Request $_ -Name 'Authorization' } | Where-Object { $_ } | ForEach-Object { $_ -replace '^Bearer ', '' } | Sort-Object -Unique)
        $issued.Count | Should -BeGreaterThan 1 -Because 'two access tokens were used'
        foreach ($secret in $secrets + $issued) {
            $text | Should -Not -Match ([regex]::Escape($secret))
        }
    }
}

Describe 'Connect-Lc -AgencyToken -CompanyId -LocationId' {
    BeforeEach {
        Reset-Emulator
        Disconnect-Lc
    }

    It 'exchanges the agency token for a location token, and again when it nears expiry' {
        # Location tokens live 5 s: conv-b001 is read with the first one well before it is due for renewal, even on a
        # loaded machine; conv-b002 only once it has expired by the connection's own clock (a state, not a fixed sleep).
        Set-EmulatorOAuth -AccessTokenLifetimeSeconds 5
        $c = Connect-Lc -AgencyToken $oauth.AgencyToken -CompanyId $oauth.CompanyId -LocationId loc-beta -BaseUri $BaseUri -PassThru
        $expiresAt = $c.TokenExpiresAt

        "$($c.TokenKind)" | Should -Be 'AgencyExchange'
        $c.LocationId | Should -Be 'loc-beta'
        (Get-EmulatorOAuth).locationTokenCount | Should -Be 1
        $exchange = @(Get-EmulatorRequests -Method POST -PathPrefix '/oauth/locationToken')[0]
        Get-RequestHeader -Request $exchange -Name 'Content-Type' | Should -BeLike 'application/x-www-form-urlencoded*'
        $exchange.body | Should -Match 'companyId=company-acme'
        $exchange.body | Should -Match 'locationId=loc-beta'

        (Get-LcConversation -Id conv-b001).Id | Should -Be 'conv-b001'
        Wait-Until { [DateTimeOffset]::UtcNow -ge $expiresAt } -WaitingFor 'the first location token to expire'
        (Get-LcConversation -Id conv-b002).Id | Should -Be 'conv-b002'
        (Get-EmulatorOAuth).locationTokenCount | Should -Be 2
        @(Get-EmulatorRequests | Where-Object { $_.statusCode -eq 401 }).Count | Should -Be 0
    }

    It 'needs -LocationId and -CompanyId' {
        (Get-Command Connect-Lc).Parameters['CompanyId'].ParameterSets['Agency'].IsMandatory | Should -BeTrue
        (Get-Command Connect-Lc).Parameters['LocationId'].ParameterSets['Agency'].IsMandatory | Should -BeTrue
    }

    It 'stops with ApiUnauthorized when the agency may not act for the location' {
        $own = New-TestLocation
        Disconnect-Lc
        $err = { Connect-Lc -AgencyToken $oauth.AgencyToken -CompanyId $oauth.CompanyId -LocationId $own.LocationId -BaseUri $BaseUri } |
            Should -Throw -ErrorId 'ApiUnauthorized*' -PassThru
        "$err" | Should -Match 'could not be exchanged'
        "$err" | Should -Not -Match ([regex]::Escape($oauth.AgencyToken))
    }
}
