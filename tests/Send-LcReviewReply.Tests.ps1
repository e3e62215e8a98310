BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    $BaseUri = Initialize-TestSession

    function Get-ReplyRequests { @(Get-EmulatorRequests -Method POST -PathPrefix '/conversations/messages/review-reply') }
}

AfterAll {
    if (Get-Command -Name Complete-TestSession -ErrorAction SilentlyContinue) { Complete-TestSession }
}

Describe 'Send-LcReviewReply' {
    BeforeEach {
        Reset-Emulator
        Disconnect-Lc
        $null = Connect-TestLc -Tenant alpha
    }

    It 'replies to a review conversation: POST with the SendReviewReplyDto fields, a typed SendResult back' {
        $r = Send-LcReviewReply -ConversationId conv-a004 -Message 'Thank you for the kind review!' -Confirm:$false

        $r.PSObject.TypeNames[0] | Should -Be 'LeadConnector.SendResult'
        $r.ConversationId | Should -Be 'conv-a004'
        $r.MessageId | Should -Not -BeNullOrEmpty
        $r.MessageIds | Should -Contain $r.MessageId
        $r.Status | Should -Be 'delivered'
        $req = (Get-ReplyRequests)[0]
        $req.path | Should -Be '/conversations/messages/review-reply'
        $req.queryString | Should -BeNullOrEmpty
        (Get-RequestHeader -Request $req -Name 'Content-Type') | Should -Match '^application/json'
        $body = Get-RequestBody -Request $req
        @($body.PSObject.Properties.Name) -join ',' | Should -Be 'conversationId,locationId,message'
        $body.conversationId | Should -Be 'conv-a004'
        $body.locationId | Should -Be 'loc-alpha'
        $body.message | Should -Be 'Thank you for the kind review!'
        $reply = Get-LcMessage -Id $r.MessageId
        $reply.MessageType | Should -Be 'TYPE_REVIEW'
        $reply.Direction | Should -Be 'outbound'
        $reply.Body | Should -Be 'Thank you for the kind review!'
    }

    It 'takes a conversation (its Id) or a message (its ConversationId, not its Id) from the pipeline' {
        $null = Get-LcConversation -Id conv-a013 | Send-LcReviewReply 'Thanks!' -Confirm:$false
        $m = Get-LcMessage -ConversationId conv-a022 -First 1
        $null = $m | Send-LcReviewReply 'Thanks again!' -Confirm:$false
        $null = [pscustomobject]@{ ConversationId = 'conv-a031' } | Send-LcReviewReply 'Cheers' -Confirm:$false
        @(Get-ReplyRequests | ForEach-Object { (Get-RequestBody -Request $_).conversationId }) | Should -Be @('conv-a013', 'conv-a022', 'conv-a031')
    }

    It 'does not bind a contact (its Id is no conversation id): nothing is sent' {
        { Get-LcContact -Id contact-a004 | Send-LcReviewReply 'x' -Confirm:$false -ErrorAction Stop } | Should -Throw -ErrorId 'ParameterArgumentTransformationError*'
        @(Get-ReplyRequests).Count | Should -Be 0
    }

    It 'reports the API''s 400 for a conversation that is not a review''s' {
        $null = Send-LcReviewReply -ConversationId conv-a001 'x' -Confirm:$false -ErrorVariable lcErr -ErrorAction SilentlyContinue
        Assert-LcError $lcErr -ErrorId ApiInvalidRequest -Category InvalidArgument
        "$($lcErr[0])" | Should -Match 'not a review'
        $lcErr[0].TargetObject | Should -Be 'conv-a001'
    }

    It 'maps an unknown conversation to ApiNotFound, another location''s to ApiForbidden' {
        $null = Send-LcReviewReply -ConversationId conv-nope 'x' -Confirm:$false -ErrorVariable e1 -ErrorAction SilentlyContinue
        Assert-LcError $e1 -ErrorId ApiNotFound -Category ObjectNotFound
        $null = Send-LcReviewReply -ConversationId conv-b001 'x' -Confirm:$false -ErrorVariable e2 -ErrorAction SilentlyContinue
        Assert-LcError $e2 -ErrorId ApiForbidden -Category PermissionDenied
    }

    Context 'Refusals: nothing is sent' {
        It 'refuses <Name>' -TestCases @(
            @{ Name = 'a blank message'; ErrorId = 'InvalidReviewReply'; Params = @{ ConversationId = 'conv-a004'; Message = '   ' } }
            @{ Name = 'a control character'; ErrorId = 'InvalidReviewReply'; Params = @{ ConversationId = 'conv-a004'; Message = "a`u{0000}b" } }
            @{ Name = 'a malformed conversation id'; ErrorId = 'InvalidId'; Params = @{ ConversationId = 'conv-a004?x=1'; Message = 'x' } }
            @{ Name = 'a malformed location id'; ErrorId = 'InvalidId'; Params = @{ ConversationId = 'conv-a004'; Message = 'x'; LocationId = 'loc alpha' } }
        ) {
            $null = Send-LcReviewReply @Params -Confirm:$false -ErrorVariable lcErr -ErrorAction SilentlyContinue
            Assert-LcError $lcErr -ErrorId $ErrorId -Category InvalidArgument
            @(Get-EmulatorRequests).Count | Should -Be 0
        }

        It 'sends nothing with -WhatIf' {
            Send-LcReviewReply -ConversationId conv-a004 'x' -WhatIf | Should -BeNullOrEmpty
            @(Get-EmulatorRequests).Count | Should -Be 0
        }
    }

    It 'does not resend after the connection drops after processing: one POST, one reply' {
        $before = @(Get-LcMessage -ConversationId conv-a004 -All).Count
        Set-EmulatorFault -Method POST -PathPrefix '/conversations/messages/review-reply' -Kind DropConnection -Stage AfterProcessing -Count 1
        $null = Send-LcReviewReply -ConversationId conv-a004 'Once only' -Confirm:$false -ErrorVariable lcErr -ErrorAction SilentlyContinue

        @($lcErr).Count | Should -Be 1
        (Get-ReplyRequests).Count | Should -Be 1
        @(Get-LcMessage -ConversationId conv-a004 -All).Count | Should -Be ($before + 1)
    }

    It 'shows a SendResult table that fits 80 columns' {
        $text = Send-LcReviewReply -ConversationId conv-a004 'Thanks' -Confirm:$false | Format-Table | Out-String -Width 80
        foreach ($line in $text -split '\r?\n') { $line.Length | Should -BeLessOrEqual 80 }
    }
}
