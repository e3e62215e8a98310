BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    $BaseUri = Initialize-TestSession
}

AfterAll {
    if (Get-Command -Name Complete-TestSession -ErrorAction SilentlyContinue) { Complete-TestSession }
}

Describe 'Remove-LcConversation' {
    BeforeEach {
        Reset-Emulator
        Disconnect-Lc
        $null = Connect-TestLc -Tenant alpha
    }

    It 'removes a conversation with -Force; a later Get writes ApiNotFound' {
        $out = Remove-LcConversation -Id conv-a010 -Force

        $out | Should -BeNullOrEmpty
        @(Get-EmulatorRequests -Method DELETE -PathPrefix '/conversations/conv-a010').Count | Should -Be 1

        $null = Get-LcConversation -Id conv-a010 -ErrorVariable lcErr -ErrorAction SilentlyContinue
        $lcErr.Count | Should -Be 1
        $lcErr[0].FullyQualifiedErrorId -like 'ApiNotFound*' | Should -BeTrue
        $lcErr[0].CategoryInfo.Category -eq 'ObjectNotFound' | Should -BeTrue
        @(Get-LcConversation -All).Count | Should -Be 44
    }

    It 'removes a conversation with -Confirm:$false' {
        Remove-LcConversation -Id conv-a011 -Confirm:$false

        @(Get-LcConversation -All | Where-Object { $_.Id -eq 'conv-a011' }).Count | Should -Be 0
    }

    It 'removes what Get-LcConversation pipes in' {
        Get-LcConversation -ContactId contact-a002 | Remove-LcConversation -Force

        @(Get-LcConversation -ContactId contact-a002).Count | Should -Be 0
        @(Get-LcConversation -All).Count | Should -Be 43
    }

    It 'takes ids from the pipeline as strings and by the ConversationId property' {
        'conv-a012' | Remove-LcConversation -Force
        [pscustomobject]@{ ConversationId = 'conv-a013' } | Remove-LcConversation -Force

        $deleted = @(Get-EmulatorRequests -Method DELETE | ForEach-Object { $_.path })
        ($deleted -join ',') | Should -Be '/conversations/conv-a012,/conversations/conv-a013'
    }

    It 'sends nothing with -WhatIf' {
        Remove-LcConversation -Id conv-a014 -WhatIf

        @(Get-EmulatorRequests).Count | Should -Be 0
        (Get-LcConversation -Id conv-a014).Id | Should -Be 'conv-a014'
    }

    It 'supports ShouldProcess with ConfirmImpact High' {
        $metadata = New-Object -TypeName System.Management.Automation.CommandMetadata -ArgumentList (Get-Command Remove-LcConversation)

        $metadata.SupportsShouldProcess | Should -BeTrue
        "$($metadata.ConfirmImpact)" | Should -Be 'High'
    }

    It 'writes ApiNotFound for a missing id and goes on with the others' {
        'conv-a015', 'conv-missing', 'conv-a016' |
            Remove-LcConversation -Force -ErrorVariable lcErr -ErrorAction SilentlyContinue

        Assert-LcError $lcErr -ErrorId ApiNotFound -Category ObjectNotFound
        @(Get-EmulatorRequests -Method DELETE).Count | Should -Be 3
        @(Get-LcConversation -All).Count | Should -Be 43
    }

    It 'refuses the malformed id <BadId> with InvalidId and sends nothing' -TestCases @(
        @{ BadId = '..' }
        @{ BadId = 'a/b' }
        @{ BadId = 'a?b' }
    ) {
        Remove-LcConversation -Id $BadId -Force -ErrorVariable lcErr -ErrorAction SilentlyContinue

        Assert-LcError $lcErr -ErrorId InvalidId -Category InvalidArgument
        @(Get-EmulatorRequests).Count | Should -Be 0
    }

    It 'removes in the location of -Connection' {
        $beta = Connect-TestLc -Tenant beta
        $null = Connect-TestLc -Tenant alpha

        Remove-LcConversation -Id conv-b003 -Force -Connection $beta

        @(Get-LcConversation -Connection $beta -All).Count | Should -Be 2
        @(Get-LcConversation -All).Count | Should -Be 45
    }
}
