BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    $BaseUri = Initialize-TestSession
}

AfterAll {
    if (Get-Command -Name Complete-TestSession -ErrorAction SilentlyContinue) { Complete-TestSession }
}

Describe 'Get-LcConnection' {
    BeforeEach {
        Reset-Emulator
        Disconnect-Lc
    }

    It 'emits the current connection' {
        $null = Connect-TestLc -Tenant alpha

        $c = Get-LcConnection

        @($c).Count | Should -Be 1
        $c.PSObject.TypeNames[0] | Should -Be 'LeadConnector.Connection'
        $c.LocationId | Should -Be 'loc-alpha'
        ([uri] "$($c.BaseUri)").Authority | Should -Be ([uri] $BaseUri).Authority
        $c.ApiVersion | Should -Be '2021-07-28'
        "$($c.TokenKind)" | Should -Be 'PrivateIntegration'
        $c.MaxRetries | Should -Be 5
        $c.MaxRetryTimeSec | Should -Be 300
        $c.TimeoutSec | Should -Be 100
    }

    It 'follows the latest Connect-Lc' {
        $null = Connect-TestLc -Tenant alpha
        $null = Connect-TestLc -Tenant beta -Option @{ TimeoutSec = 30 }

        $c = Get-LcConnection

        $c.LocationId | Should -Be 'loc-beta'
        $c.TimeoutSec | Should -Be 30
    }

    It 'emits nothing when there is no session' {
        Get-LcConnection | Should -BeNullOrEmpty
    }

    It 'shows the list view from the format file' {
        $null = Connect-TestLc -Tenant alpha

        $text = Get-LcConnection | Out-String -Width 200

        foreach ($name in 'LocationId', 'BaseUri', 'ApiVersion', 'TokenKind', 'MaxRetries', 'MaxRetryTimeSec', 'TimeoutSec') {
            $text | Should -Match ('(?m)^\s*{0}\s*:' -f $name)
        }
        $text | Should -Match 'loc-alpha'
    }

    It 'never shows the token: not in Format-List *, ConvertTo-Json nor the property list' {
        $null = Connect-TestLc -Tenant alpha

        $list = Get-LcConnection | Format-List -Property * | Out-String -Width 4096
        $json = Get-LcConnection | ConvertTo-Json -Depth 5

        $list | Should -Not -Match '0123456789abcdef'
        $json | Should -Not -Match '0123456789abcdef'
        @((Get-LcConnection).PSObject.Properties.Name | Where-Object { $_ -match 'Token' -and $_ -notin 'TokenKind', 'TokenExpiresAt', 'TokenRefreshedAt', 'RefreshTokenPath' }) |
            Should -BeNullOrEmpty
    }

    It 'does not call the API' {
        $null = Connect-TestLc -Tenant alpha

        $null = Get-LcConnection

        @(Get-EmulatorRequests).Count | Should -Be 0
    }
}
