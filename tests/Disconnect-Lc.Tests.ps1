BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    $BaseUri = Initialize-TestSession
}

AfterAll {
    if (Get-Command -Name Complete-TestSession -ErrorAction SilentlyContinue) { Complete-TestSession }
}

Describe 'Disconnect-Lc' {
    BeforeEach {
        Reset-Emulator
        Disconnect-Lc
        $null = Connect-TestLc -Tenant alpha
    }

    It 'clears the session and emits nothing' {
        $out = Disconnect-Lc

        $out | Should -BeNullOrEmpty
        Get-LcConnection | Should -BeNullOrEmpty
    }

    It 'makes the next call fail with NotConnected, naming Connect-Lc, without sending a request' {
        Disconnect-Lc

        $err = { Get-LcConversation -Id conv-a001 } | Should -Throw -ErrorId 'NotConnected*' -PassThru

        $err.CategoryInfo.Category | Should -Be 'ConnectionError'
        "$err" | Should -Match 'Connect-Lc'
        @(Get-EmulatorRequests).Count | Should -Be 0
    }

    It 'is NotConnected for every connected cmdlet: <Command>' -TestCases @(
        @{ Command = 'Get-LcConversation'; Arguments = @{ First = 1 } }
        @{ Command = 'New-LcConversation'; Arguments = @{ ContactId = 'contact-a001' } }
        @{ Command = 'Set-LcConversation'; Arguments = @{ Id = 'conv-a001'; Starred = $true } }
        @{ Command = 'Remove-LcConversation'; Arguments = @{ Id = 'conv-a001'; Force = $true } }
        @{ Command = 'Get-LcEmailMessage'; Arguments = @{ Id = 'email-a001' } }
    ) {
        Disconnect-Lc

        { & $Command @Arguments } | Should -Throw -ErrorId 'NotConnected*'
        @(Get-EmulatorRequests).Count | Should -Be 0
    }

    It 'reports a parameter error before NotConnected: <Command>' -TestCases @(
        @{ Command = 'Get-LcConversation'; Arguments = @{ First = 1; All = $true }; ErrorId = 'ConflictingParameters' }
        @{ Command = 'Set-LcConversation'; Arguments = @{ Id = 'conv-a001' }; ErrorId = 'NothingToUpdate' }
        @{ Command = 'Get-LcMessage'; Arguments = @{ ConversationId = 'conv-a001'; Type = 'Pigeon' }; ErrorId = 'InvalidMessageType' }
    ) {
        Disconnect-Lc

        { & $Command @Arguments } | Should -Throw -ErrorId "$ErrorId*"
        @(Get-EmulatorRequests).Count | Should -Be 0
    }

    It 'does nothing when there is no session' {
        Disconnect-Lc

        { Disconnect-Lc -ErrorAction Stop } | Should -Not -Throw
    }

    It 'can be followed by a new Connect-Lc' {
        Disconnect-Lc
        $null = Connect-TestLc -Tenant beta

        (Get-LcConversation -Id conv-b001).LocationId | Should -Be 'loc-beta'
    }
}
