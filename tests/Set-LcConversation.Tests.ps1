BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    $BaseUri = Initialize-TestSession
}

AfterAll {
    if (Get-Command -Name Complete-TestSession -ErrorAction SilentlyContinue) { Complete-TestSession }
}

Describe 'Set-LcConversation' {
    BeforeEach {
        Reset-Emulator
        Disconnect-Lc
        $null = Connect-TestLc -Tenant alpha
    }

    It 'stars a conversation and emits it with -PassThru' {
        $c = Set-LcConversation -Id conv-a003 -Starred $true -PassThru

        @($c).Count | Should -Be 1
        $c.PSObject.TypeNames[0] | Should -Be 'LeadConnector.Conversation'
        $c.Id | Should -Be 'conv-a003'
        $c.Starred | Should -BeTrue
        (Get-LcConversation -Id conv-a003).Starred | Should -BeTrue

        $put = @(Get-EmulatorRequests -Method PUT -PathPrefix '/conversations/conv-a003')
        $put.Count | Should -Be 1
        $body = Get-RequestBody -Request $put[0]
        $body.starred | Should -BeTrue
        $body.locationId | Should -Be 'loc-alpha'
    }

    It 'emits nothing without -PassThru' {
        $out = Set-LcConversation -Id conv-a003 -UnreadCount 0

        $out | Should -BeNullOrEmpty
        (Get-LcConversation -Id conv-a003).UnreadCount | Should -Be 0
    }

    It 'sends only the fields that were given, $false included' {
        Set-LcConversation -Id conv-a004 -Starred $false

        $body = Get-RequestBody -Request (@(Get-EmulatorRequests -Method PUT)[0])
        $body.starred | Should -BeFalse
        $body.PSObject.Properties.Name | Should -Not -Contain 'unreadCount'
        $body.PSObject.Properties.Name | Should -Not -Contain 'feedback'
    }

    It 'sends -UnreadCount and -Feedback' {
        Set-LcConversation -Id conv-a005 -UnreadCount 2 -Feedback @{ rating = 5; note = 'quick answer' }

        $body = Get-RequestBody -Request (@(Get-EmulatorRequests -Method PUT)[0])
        $body.unreadCount | Should -Be 2
        $body.feedback.rating | Should -Be 5
        $body.feedback.note | Should -Be 'quick answer'
    }

    It 'sends a -Feedback with a nested [pscustomobject] and [ordered] hashtable as JSON objects, in their order' {
        Set-LcConversation -Id conv-a005 -Feedback @{
            n = [pscustomobject]@{ b = 1; a = 'x'; d = [pscustomobject]@{ deep = $true } }
            o = [ordered]@{ z = 1; y = 2; x = @(3, 4) }
        }

        $put = @(Get-EmulatorRequests -Method PUT -PathPrefix '/conversations/conv-a005')
        $put.Count | Should -Be 1
        $feedback = (Get-RequestBody -Request $put[0]).feedback
        $feedback.n.b | Should -Be 1
        $feedback.n.a | Should -Be 'x'
        $feedback.n.d.deep | Should -BeTrue
        $feedback.n.PSObject.Properties.Name -join ',' | Should -Be 'b,a,d'
        $feedback.o.PSObject.Properties.Name -join ',' | Should -Be 'z,y,x'
        @($feedback.o.x) -join ',' | Should -Be '3,4'
    }

    It 'refuses a -Feedback value with no JSON form (InvalidFeedback) and sends nothing' {
        $err = { Set-LcConversation -Id conv-a005 -Feedback @{ n = [pscustomobject]@{ s = { 'a script' } } } -ErrorAction Stop } |
            Should -Throw -ErrorId 'InvalidFeedback*' -PassThru

        $err.CategoryInfo.Category | Should -Be 'InvalidArgument'
        $err.Exception.Message | Should -Match 'feedback'
        @(Get-EmulatorRequests).Count | Should -Be 0
    }

    It 'updates what Get-LcConversation pipes in (Id and LocationId by property name)' {
        $result = Get-LcConversation -ContactId contact-a002 | Set-LcConversation -Starred $true -PassThru

        (@($result.Id) | Sort-Object) -join ',' | Should -Be 'conv-a002,conv-a045'
        @($result | Where-Object { $_.Starred -eq $true }).Count | Should -Be 2
        (Get-LcConversation -Id conv-a045).Starred | Should -BeTrue
    }

    It 'binds the ConversationId alias by property name' {
        $result = [pscustomobject]@{ ConversationId = 'conv-a006' } | Set-LcConversation -UnreadCount 0 -PassThru

        $result.Id | Should -Be 'conv-a006'
    }

    It 'refuses a call with nothing to change (NothingToUpdate) and sends nothing' {
        $err = { Set-LcConversation -Id conv-a003 -ErrorAction Stop } | Should -Throw -ErrorId 'NothingToUpdate*' -PassThru

        $err.CategoryInfo.Category | Should -Be 'InvalidArgument'
        @(Get-EmulatorRequests).Count | Should -Be 0
    }

    It 'sends nothing with -WhatIf' {
        $result = Set-LcConversation -Id conv-a003 -Starred $true -PassThru -WhatIf

        $result | Should -BeNullOrEmpty
        @(Get-EmulatorRequests).Count | Should -Be 0
    }

    It 'supports ShouldProcess with ConfirmImpact Medium' {
        $metadata = New-Object -TypeName System.Management.Automation.CommandMetadata -ArgumentList (Get-Command Set-LcConversation)

        $metadata.SupportsShouldProcess | Should -BeTrue
        "$($metadata.ConfirmImpact)" | Should -Be 'Medium'
    }

    It 'writes ApiNotFound for a missing id and goes on with the others' {
        $result = 'conv-a007', 'conv-missing', 'conv-a008' |
            ForEach-Object { [pscustomobject]@{ Id = $_ } } |
            Set-LcConversation -Starred $true -PassThru -ErrorVariable lcErr -ErrorAction SilentlyContinue

        ($result.Id -join ',') | Should -Be 'conv-a007,conv-a008'
        Assert-LcError $lcErr -ErrorId ApiNotFound -Category ObjectNotFound
    }

    It 'refuses the malformed id <BadId> with InvalidId and sends nothing' -TestCases @(
        @{ BadId = '..' }
        @{ BadId = 'a/b' }
        @{ BadId = 'a?b' }
    ) {
        $null = Set-LcConversation -Id $BadId -Starred $true -ErrorVariable lcErr -ErrorAction SilentlyContinue

        Assert-LcError $lcErr -ErrorId InvalidId -Category InvalidArgument
        @(Get-EmulatorRequests).Count | Should -Be 0
    }

    It 'retries a PUT (it is idempotent) through a 503' {
        Set-EmulatorFault -Method PUT -PathPrefix '/conversations/conv-a009' -Kind Status -StatusCode 503 -Stage AfterProcessing -Count 1

        $c = Set-LcConversation -Id conv-a009 -Starred $true -PassThru

        $c.Starred | Should -BeTrue
        @(Get-EmulatorRequests -Method PUT).Count | Should -Be 2
    }
}
