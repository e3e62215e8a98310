BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    $BaseUri = Initialize-TestSession

    function Get-TypingRequests { @(Get-EmulatorRequests -Method POST -PathPrefix '/conversations/providers/live-chat/typing') }
}

AfterAll {
    if (Get-Command -Name Complete-TestSession -ErrorAction SilentlyContinue) { Complete-TestSession }
}

Describe 'Send-LcTypingIndicator' {
    BeforeEach {
        Reset-Emulator
        Disconnect-Lc
        $null = Connect-TestLc -Tenant alpha
    }

    It 'shows the indicator: POST with every UserTypingBody field, isTyping as the string "true"' {
        $r = Send-LcTypingIndicator -ConversationId conv-a007 -VisitorId visitor-42 -PassThru -Confirm:$false

        $r.PSObject.TypeNames[0] | Should -Be 'LeadConnector.TypingIndicator'
        $r.ConversationId | Should -Be 'conv-a007'
        $r.VisitorId | Should -Be 'visitor-42'
        $r.IsTyping | Should -BeTrue
        $r.Success | Should -BeTrue
        $r.LocationId | Should -Be 'loc-alpha'
        $req = (Get-TypingRequests)[0]
        $req.path | Should -Be '/conversations/providers/live-chat/typing'
        $req.statusCode | Should -Be 201
        (Get-RequestHeader -Request $req -Name 'Content-Type') | Should -Match '^application/json'
        $body = Get-RequestBody -Request $req
        @($body.PSObject.Properties.Name) -join ',' | Should -Be 'locationId,isTyping,visitorId,conversationId'
        $body.isTyping | Should -BeOfType [string]
        $body.isTyping | Should -Be 'true'
        $body.visitorId | Should -Be 'visitor-42'
        $body.conversationId | Should -Be 'conv-a007'
    }

    It 'hides it with -IsTyping $false, and writes nothing without -PassThru' {
        Send-LcTypingIndicator -ConversationId conv-a007 -VisitorId visitor-42 -IsTyping $false -Confirm:$false | Should -BeNullOrEmpty
        (Get-RequestBody -Request (Get-TypingRequests)[0]).isTyping | Should -Be 'false'
    }

    It 'takes a conversation, a message (its ConversationId) or a record with ConversationId and VisitorId from the pipeline' {
        $null = Get-LcConversation -Id conv-a002 | Send-LcTypingIndicator -VisitorId v1 -Confirm:$false
        $null = Get-LcMessage -ConversationId conv-a003 -First 1 | Send-LcTypingIndicator -VisitorId v2 -Confirm:$false
        $null = [pscustomobject]@{ ConversationId = 'conv-a008'; VisitorId = 'v3' } | Send-LcTypingIndicator -Confirm:$false
        $bodies = @(Get-TypingRequests | ForEach-Object { Get-RequestBody -Request $_ })
        ($bodies | ForEach-Object { "$($_.conversationId)/$($_.visitorId)" }) | Should -Be @('conv-a002/v1', 'conv-a003/v2', 'conv-a008/v3')
    }

    It 'maps an unknown conversation to ApiNotFound' {
        $null = Send-LcTypingIndicator -ConversationId conv-nope -VisitorId v1 -Confirm:$false -ErrorVariable lcErr -ErrorAction SilentlyContinue
        Assert-LcError $lcErr -ErrorId ApiNotFound -Category ObjectNotFound
    }

    It 'refuses <Name> before sending' -TestCases @(
        @{ Name = 'a malformed visitor id'; Params = @{ ConversationId = 'conv-a007'; VisitorId = 'visitor 42' } }
        @{ Name = 'a malformed conversation id'; Params = @{ ConversationId = 'conv/a007'; VisitorId = 'v1' } }
    ) {
        $null = Send-LcTypingIndicator @Params -Confirm:$false -ErrorVariable lcErr -ErrorAction SilentlyContinue
        Assert-LcError $lcErr -ErrorId InvalidId -Category InvalidArgument
        @(Get-EmulatorRequests).Count | Should -Be 0
    }

    It 'sends nothing with -WhatIf' {
        Send-LcTypingIndicator -ConversationId conv-a007 -VisitorId v1 -WhatIf | Should -BeNullOrEmpty
        @(Get-EmulatorRequests).Count | Should -Be 0
    }

    It 'does not resend after the connection drops after processing: one POST' {
        Set-EmulatorFault -Method POST -PathPrefix '/conversations/providers/live-chat/typing' -Kind DropConnection -Stage AfterProcessing -Count 1
        $null = Send-LcTypingIndicator -ConversationId conv-a007 -VisitorId v1 -Confirm:$false -ErrorVariable lcErr -ErrorAction SilentlyContinue
        @($lcErr).Count | Should -Be 1
        (Get-TypingRequests).Count | Should -Be 1
    }

    It 'shows a table that fits 80 columns, headers whole' {
        $text = Send-LcTypingIndicator -ConversationId conv-a007 -VisitorId visitor-42 -PassThru -Confirm:$false | Format-Table | Out-String -Width 80
        foreach ($line in $text -split '\r?\n') { $line.Length | Should -BeLessOrEqual 80 }
        $header = @($text -split '\r?\n' | Where-Object { $_.Trim() })[0]
        foreach ($label in 'ConversationId', 'IsTyping', 'Success', 'VisitorId') { $header | Should -Match "(^| )$label( |$)" }
    }
}
