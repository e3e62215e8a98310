BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    $BaseUri = Initialize-TestSession
}

AfterAll {
    if (Get-Command -Name Complete-TestSession -ErrorAction SilentlyContinue) { Complete-TestSession }
}

Describe 'Get-LcEmailMessage' {
    BeforeEach {
        Reset-Emulator
        Disconnect-Lc
        $null = Connect-TestLc -Tenant alpha
    }

    It 'gets an email message with typed values' {
        $m = Get-LcEmailMessage -Id email-a001

        @($m).Count | Should -Be 1
        $m.PSObject.TypeNames[0] | Should -Be 'LeadConnector.EmailMessage'
        $m.PSObject.BaseObject.GetType().FullName | Should -Be 'LeadConnector.EmailMessage'
        $m.Id | Should -Be 'email-a001'
        $m.ConversationId | Should -Be 'conv-a001'
        $m.LocationId | Should -Be 'loc-alpha'
        if ($null -ne $m.DateAdded) {
            $m.DateAdded | Should -BeOfType ([DateTimeOffset])
            $m.DateAdded.Offset | Should -Be ([TimeSpan]::Zero)
        }
        foreach ($name in 'To', 'Cc', 'Bcc', 'Attachments') {
            if ($null -ne $m.$name) { ($m.$name -is [System.Collections.Generic.IList[string]]) | Should -BeTrue -Because "$name is a list of strings" }
        }
        @(Get-EmulatorRequests -Method GET -PathPrefix '/conversations/messages/email/email-a001').Count | Should -Be 1
    }

    It 'takes ids positionally, as an array, from the pipeline and by the EmailMessageId property' {
        (Get-LcEmailMessage email-a002).Id | Should -Be 'email-a002'
        (Get-LcEmailMessage -Id 'email-a001', 'email-a003').Id -join ',' | Should -Be 'email-a001,email-a003'
        ('email-a004', 'email-a005' | Get-LcEmailMessage).Id -join ',' | Should -Be 'email-a004,email-a005'
        ([pscustomobject]@{ EmailMessageId = 'email-a003' } | Get-LcEmailMessage).Id | Should -Be 'email-a003'
    }

    It 'shows the table view from the format file' {
        $text = Get-LcEmailMessage -Id email-a001 | Out-String -Width 200

        $text | Should -Match 'email-a001'
        $text | Should -Match 'Subject'
        $text | Should -Match 'From'
    }

    It 'writes ApiNotFound for a missing id and goes on with the others' {
        $result = 'email-a001', 'email-missing', 'email-a002' |
            Get-LcEmailMessage -ErrorVariable lcErr -ErrorAction SilentlyContinue

        ($result.Id -join ',') | Should -Be 'email-a001,email-a002'
        Assert-LcError $lcErr -ErrorId ApiNotFound -Category ObjectNotFound
    }

    It 'refuses the malformed id <BadId> with InvalidId and sends nothing' -TestCases @(
        @{ BadId = '..' }
        @{ BadId = 'a/b' }
        @{ BadId = 'a?b' }
    ) {
        $result = Get-LcEmailMessage -Id $BadId -ErrorVariable lcErr -ErrorAction SilentlyContinue

        $result | Should -BeNullOrEmpty
        Assert-LcError $lcErr -ErrorId InvalidId -Category InvalidArgument
        @(Get-EmulatorRequests).Count | Should -Be 0
    }

    It 'retries a GET through a 503' {
        Set-EmulatorFault -Method GET -PathPrefix '/conversations/messages/email/email-a002' -Kind Status -StatusCode 503 -Count 1

        (Get-LcEmailMessage -Id email-a002).Id | Should -Be 'email-a002'
        @(Get-EmulatorRequests -Method GET -PathPrefix '/conversations/messages/email/email-a002').Count | Should -Be 2
    }

    It 'reads another location with -Connection' {
        $beta = Connect-TestLc -Tenant beta
        $null = Connect-TestLc -Tenant alpha

        $m = Get-LcEmailMessage -Id email-b001 -Connection $beta

        $m.Id | Should -Be 'email-b001'
        $m.LocationId | Should -Be 'loc-beta'
    }
}
