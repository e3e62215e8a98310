BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    $BaseUri = Initialize-TestSession

    function Get-CancelRequests { @(Get-EmulatorRequests -Method DELETE) }
}

AfterAll {
    if (Get-Command -Name Complete-TestSession -ErrorAction SilentlyContinue) { Complete-TestSession }
}

Describe 'Stop-LcScheduledMessage' {
    BeforeEach {
        Reset-Emulator
        Disconnect-Lc
        $null = Connect-TestLc -Tenant alpha
    }

    It 'cancels a scheduled message by -Id with DELETE /conversations/messages/{id}/schedule, and outputs nothing' {
        $out = Stop-LcScheduledMessage -Id msg-sched-a040 -Confirm:$false

        $out | Should -BeNullOrEmpty
        $sent = Get-CancelRequests
        $sent.Count | Should -Be 1
        $sent[0].path | Should -Be '/conversations/messages/msg-sched-a040/schedule'
        $sent[0].statusCode | Should -Be 200
        $null = Get-LcMessage -Id msg-sched-a040 -ErrorVariable lcErr -ErrorAction SilentlyContinue
        Assert-LcError $lcErr -ErrorId ApiNotFound
    }

    It 'cancels a scheduled email by -EmailMessageId with DELETE /conversations/messages/email/{id}/schedule' {
        Stop-LcScheduledMessage -EmailMessageId email-sched-a040

        (Get-CancelRequests).path | Should -Be '/conversations/messages/email/email-sched-a040/schedule'
        $null = Get-LcEmailMessage -Id email-sched-a040 -ErrorVariable lcErr -ErrorAction SilentlyContinue
        Assert-LcError $lcErr -ErrorId ApiNotFound
    }

    It 'takes a positional id and ids from the pipeline, in order' {
        Stop-LcScheduledMessage msg-sched-a040
        (Get-CancelRequests).path | Should -Be '/conversations/messages/msg-sched-a040/schedule'
        Reset-Emulator
        'msg-sched-a040' | Stop-LcScheduledMessage
        (Get-CancelRequests).path | Should -Be '/conversations/messages/msg-sched-a040/schedule'
    }

    It 'cancels the message a SendResult of a scheduled SMS names (its MessageId)' {
        $sent = Send-LcMessage -ContactId contact-a006 -Type SMS -Message 'later' -ScheduledAt ([DateTime]::UtcNow.AddDays(2))
        $sent | Stop-LcScheduledMessage

        (Get-CancelRequests).path | Should -Be "/conversations/messages/$($sent.MessageId)/schedule"
        (Get-CancelRequests)[0].statusCode | Should -Be 200
    }

    It 'cancels the email a SendResult of a scheduled Email names (its EmailMessageId, through the email endpoint)' {
        $sent = Send-LcMessage -ContactId contact-a006 -Type Email -Subject 'Later' -Html '<p>x</p>' -ScheduledAt ([DateTime]::UtcNow.AddDays(2))
        $sent.EmailMessageId | Should -Not -BeNullOrEmpty
        $sent | Stop-LcScheduledMessage

        (Get-CancelRequests).path | Should -Be "/conversations/messages/email/$($sent.EmailMessageId)/schedule"
    }

    It 'cancels a message piped in (by its Id, never its ConversationId or ContactId)' {
        Get-LcMessage -Id msg-sched-a040 | Stop-LcScheduledMessage
        (Get-CancelRequests).path | Should -Be '/conversations/messages/msg-sched-a040/schedule'
    }

    It 'sends nothing with -WhatIf' {
        Stop-LcScheduledMessage -Id msg-sched-a040 -WhatIf
        (Get-CancelRequests).Count | Should -Be 0
    }

    It 'declares ConfirmImpact Medium' {
        $cmd = Get-Command Stop-LcScheduledMessage
        $cmd.ImplementingType.GetCustomAttributes([System.Management.Automation.CmdletAttribute], $false)[0].ConfirmImpact | Should -Be 'Medium'
    }

    It 'writes ApiInvalidRequest for a message that is not scheduled, and goes on with the next' {
        'msg-conv-a002-000', 'msg-sched-a040' | Stop-LcScheduledMessage -ErrorVariable lcErr -ErrorAction SilentlyContinue
        Assert-LcError $lcErr -ErrorId ApiInvalidRequest -Category InvalidArgument
        $lcErr[0].TargetObject | Should -Be 'msg-conv-a002-000'
        (Get-CancelRequests).Count | Should -Be 2
        # The two ids are sent concurrently: find the second one's request by its path, not by its place in the log.
        @(Get-CancelRequests | Where-Object { $_.path -like '*/msg-sched-a040/*' })[0].statusCode | Should -Be 200
    }

    It 'writes ApiNotFound for an unknown message' {
        Stop-LcScheduledMessage -Id msg-missing -ErrorVariable lcErr -ErrorAction SilentlyContinue
        Assert-LcError $lcErr -ErrorId ApiNotFound -Category ObjectNotFound
    }

    It 'treats a 2xx answer whose body says it failed as that failure' {
        Set-EmulatorFault -Method DELETE -PathPrefix '/conversations/messages/msg-sched-a040/schedule' -Kind Status -StatusCode 200 `
            -Body '{"status":404,"message":"Failed cancel the scheduled message"}' -Count 1
        Stop-LcScheduledMessage -Id msg-sched-a040 -ErrorVariable lcErr -ErrorAction SilentlyContinue
        Assert-LcError $lcErr -ErrorId ApiNotFound
        "$($lcErr[0])" | Should -Match 'Failed cancel the scheduled message'
    }

    It 'refuses <Name> and sends nothing' -TestCases @(
        @{ Name = 'no id at all'; Params = @{}; ErrorId = 'MissingId' }
        @{ Name = 'a malformed id'; Params = @{ Id = 'a/b' }; ErrorId = 'InvalidId' }
        @{ Name = 'a malformed email id'; Params = @{ EmailMessageId = '..' }; ErrorId = 'InvalidId' }
    ) {
        Stop-LcScheduledMessage @Params -ErrorVariable lcErr -ErrorAction SilentlyContinue
        Assert-LcError $lcErr -ErrorId $ErrorId -Category InvalidArgument
        @(Get-EmulatorRequests).Count | Should -Be 0
    }

    It 'writes ApiForbidden for another location''s scheduled message' {
        Disconnect-Lc
        $null = Connect-TestLc -Tenant beta
        Stop-LcScheduledMessage -Id msg-sched-a040 -ErrorVariable lcErr -ErrorAction SilentlyContinue
        Assert-LcError $lcErr -ErrorId ApiForbidden
    }
}
