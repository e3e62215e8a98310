# ConvertFrom-LcWebhook: every event type of the fixtures (tests/fixtures/webhooks, from HighLevel's docs) signed with a
# key pair made here, bad signatures (nothing emitted), replays by age and by id, unknown types kept, and the typed
# messages piping into Send-LcMessage against the emulator.

BeforeDiscovery {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    Import-LeadConnector
    $conversationTakesMessage = (Get-Command Get-LcConversation).Parameters.ContainsKey('Message')
}

BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    $BaseUri = Initialize-TestSession
    Import-Module (Join-Path $PSScriptRoot 'fixtures/webhooks/WebhookSigning.psm1') -Force
    $key = New-TestEd25519Key
    $pem = $key.PublicPem

    # A fixture made fresh (new id, now) and signed: @{ Body; Signature }.
    function New-Signed([string] $Name, [DateTimeOffset] $Timestamp = [DateTimeOffset]::UtcNow, [string] $WebhookId = ('wh-' + [guid]::NewGuid().ToString('N'))) {
        $b = Get-WebhookFixture -Name $Name -Timestamp $Timestamp -WebhookId $WebhookId
        [pscustomobject]@{ Body = $b; Signature = (New-TestEd25519Signature -Key $key -Body $b); WebhookId = $WebhookId }
    }
}

AfterAll {
    if (Get-Command -Name Complete-TestSession -ErrorAction SilentlyContinue) { Complete-TestSession }
}

Describe 'ConvertFrom-LcWebhook' {
    It '<Name> becomes a <TypeName> carrying WebhookType, WebhookId and WebhookTimestamp' -TestCases @(
        @{ Name = 'InboundMessage.Sms'; TypeName = 'LeadConnector.Message'; WebhookType = 'InboundMessage' }
        @{ Name = 'InboundMessage.Voicemail'; TypeName = 'LeadConnector.Message'; WebhookType = 'InboundMessage' }
        @{ Name = 'InboundMessage.Email'; TypeName = 'LeadConnector.Message'; WebhookType = 'InboundMessage' }
        @{ Name = 'OutboundMessage.Sms'; TypeName = 'LeadConnector.Message'; WebhookType = 'OutboundMessage' }
        @{ Name = 'OutboundMessage.Call'; TypeName = 'LeadConnector.Message'; WebhookType = 'OutboundMessage' }
        @{ Name = 'OutboundMessage.Email'; TypeName = 'LeadConnector.Message'; WebhookType = 'OutboundMessage' }
        @{ Name = 'ContactCreate'; TypeName = 'LeadConnector.Contact'; WebhookType = 'ContactCreate' }
        @{ Name = 'ContactUpdate'; TypeName = 'LeadConnector.Contact'; WebhookType = 'ContactUpdate' }
        @{ Name = 'ContactDelete'; TypeName = 'LeadConnector.Contact'; WebhookType = 'ContactDelete' }
        @{ Name = 'ContactTagUpdate'; TypeName = 'LeadConnector.Contact'; WebhookType = 'ContactTagUpdate' }
        @{ Name = 'ConversationUnreadUpdate'; TypeName = 'LeadConnector.Conversation'; WebhookType = 'ConversationUnreadUpdate' }
        @{ Name = 'Install.Location'; TypeName = 'LeadConnector.WebhookInstallEvent'; WebhookType = 'INSTALL' }
        @{ Name = 'Install.Agency'; TypeName = 'LeadConnector.WebhookInstallEvent'; WebhookType = 'INSTALL' }
        @{ Name = 'Uninstall'; TypeName = 'LeadConnector.WebhookInstallEvent'; WebhookType = 'UNINSTALL' }
        @{ Name = 'NoteCreate'; TypeName = 'LeadConnector.WebhookEvent'; WebhookType = 'NoteCreate' }
        @{ Name = 'ContactDndUpdate'; TypeName = 'LeadConnector.WebhookEvent'; WebhookType = 'ContactDndUpdate' }
    ) {
        $at = [DateTimeOffset]::UtcNow.AddSeconds(-30)
        $w = New-Signed $Name -Timestamp $at
        $r = @(ConvertFrom-LcWebhook -Body $w.Body -Signature $w.Signature -PublicKey $pem)
        $r.Count | Should -Be 1
        $r[0].PSObject.TypeNames[0] | Should -Be $TypeName
        $r[0].PSObject.BaseObject.GetType().FullName | Should -Be $TypeName
        $r[0].WebhookType | Should -Be $WebhookType
        $r[0].WebhookId | Should -Be $w.WebhookId
        ([DateTimeOffset] $r[0].WebhookTimestamp).ToUnixTimeSeconds() | Should -Be $at.ToUnixTimeSeconds()
    }

    It 'reads an inbound SMS into a Message: ids, body, TYPE_SMS, the date as UTC' {
        $w = New-Signed InboundMessage.Sms
        $m = ConvertFrom-LcWebhook -Body $w.Body -Signature $w.Signature -PublicKey $pem
        $m.ContactId | Should -Be 'cI08i1Bls3iTB9bKgFJh'
        $m.ConversationId | Should -Be 'fcanlLgpbQgQhderivVs'
        $m.LocationId | Should -Be 'l1C08ntBrFjLS0elLIYU'
        $m.Body | Should -Be 'This is a test message'
        $m.MessageType | Should -Be 'TYPE_SMS'
        $m.Direction | Should -Be 'inbound'
        $m.DateAdded | Should -Be ([DateTimeOffset] '2021-04-21T11:31:45.750Z')
    }

    It 'takes messageId as the Id, and an email''s subject and emailMessageId' {
        $v = New-Signed InboundMessage.Voicemail
        $m = ConvertFrom-LcWebhook -Body $v.Body -Signature $v.Signature -PublicKey $pem
        $m.Id | Should -Be 'QkNS0DNje0FjoLQdD5O3'
        $m.MessageType | Should -Be 'TYPE_CALL'
        $m.Status | Should -Be 'voicemail'
        $m.Attachments | Should -Be @('voicemail url')
        $e = New-Signed OutboundMessage.Email
        $m = ConvertFrom-LcWebhook -Body $e.Body -Signature $e.Signature -PublicKey $pem
        $m.IsEmail | Should -BeTrue
        $m.Subject | Should -Be 'Order Confirmed'
        $m.EmailMessageIds | Should -Be @('sddfDSF3G56GHG')
    }

    It 'reads contacts (not taking the event type as the contact type), the unread conversation and install events' {
        $w = New-Signed ContactTagUpdate
        $c = ConvertFrom-LcWebhook -Body $w.Body -Signature $w.Signature -PublicKey $pem
        $c.Id | Should -Be 'nmFmQEsNgz6AVpgLVUJ0'
        $c.Name | Should -Be 'John Deo'
        $c.Tags | Should -Be @('id magna sed Lorem', 'Duis dolor commodo aliqua')
        $c.Dnd | Should -BeTrue
        $c.Type | Should -BeNullOrEmpty
        $w = New-Signed ConversationUnreadUpdate
        $v = ConvertFrom-LcWebhook -Body $w.Body -Signature $w.Signature -PublicKey $pem
        $v.Id | Should -Be 'MzKIpg0rEIH2ZUGKf6BS'
        $v.ContactId | Should -Be 'zsYhPBOUsEHtrK508Wm9'
        $v.UnreadCount | Should -Be 0
        $v.Starred | Should -BeTrue
        $v.Type | Should -BeNullOrEmpty
        $w = New-Signed Install.Location
        $i = ConvertFrom-LcWebhook -Body $w.Body -Signature $w.Signature -PublicKey $pem
        $i.Type | Should -Be 'INSTALL'
        $i.IsInstall | Should -BeTrue
        $i.AppId | Should -Be 've9EPM428h8vShlRW1KT'
        $i.LocationId | Should -Be 'otg8dTQqGLh3Q6iQI55w'
        $i.OnTrial | Should -BeTrue
        $i.TrialDuration | Should -Be 10
        $i.WhitelabelDomain | Should -Be 'example.com'
        $w = New-Signed Uninstall
        $u = ConvertFrom-LcWebhook -Body $w.Body -Signature $w.Signature -PublicKey $pem
        $u.IsInstall | Should -BeFalse
        $u.LocationId | Should -Be 'otg8dTQqGLh3Q6iQI55w'
    }

    It 'keeps an unknown type as a WebhookEvent with its type and the raw body, without an error' {
        $w = New-Signed NoteCreate
        $e = ConvertFrom-LcWebhook -Body $w.Body -Signature $w.Signature -PublicKey $pem -ErrorVariable err
        $err | Should -BeNullOrEmpty
        $e.Type | Should -Be 'NoteCreate'
        $e.Body | Should -Be $w.Body
        ($e.Body | ConvertFrom-Json).body | Should -Not -BeNullOrEmpty
        $e.WebhookId | Should -Be $w.WebhookId
    }

    It 'stops with InvalidWebhookSignature and emits nothing for a <Case>' -TestCases @(
        @{ Case = 'tampered body'; Tamper = { param($w) @{ Body = $w.Body.Replace('test message', 'free money'); Signature = $w.Signature } } }
        @{ Case = 'signature of another key'; Tamper = { param($w) @{ Body = $w.Body; Signature = (New-TestEd25519Signature -Key (New-TestEd25519Key) -Body $w.Body) } } }
        @{ Case = 'malformed signature'; Tamper = { param($w) @{ Body = $w.Body; Signature = 'not-a-signature!' } } }
        @{ Case = 'empty signature'; Tamper = { param($w) @{ Body = $w.Body; Signature = '' } } }
    ) {
        $w = New-Signed InboundMessage.Sms
        $t = & $Tamper $w
        $out = [System.Collections.Generic.List[object]]::new()
        $thrown = $null
        try { ConvertFrom-LcWebhook -Body $t.Body -Signature $t.Signature -PublicKey $pem | ForEach-Object { $out.Add($_) } }
        catch { $thrown = $_ }
        $thrown | Should -Not -BeNullOrEmpty
        $thrown.FullyQualifiedErrorId | Should -BeLike 'InvalidWebhookSignature*'
        [string] $thrown.CategoryInfo.Category | Should -Be 'SecurityError'
        $out.Count | Should -Be 0
    }

    It 'stops with InvalidWebhookPublicKey for a malformed key, and NoWebhookPublicKey without one' {
        $w = New-Signed InboundMessage.Sms
        { ConvertFrom-LcWebhook -Body $w.Body -Signature $w.Signature -PublicKey 'junk!' } | Should -Throw -ErrorId 'InvalidWebhookPublicKey*'
        $saved = $env:LC_WEBHOOK_PUBLIC_KEY
        try {
            $env:LC_WEBHOOK_PUBLIC_KEY = $null
            { ConvertFrom-LcWebhook -Body $w.Body -Signature $w.Signature } | Should -Throw -ErrorId 'NoWebhookPublicKey*'
            $env:LC_WEBHOOK_PUBLIC_KEY = $pem
            (ConvertFrom-LcWebhook -Body $w.Body -Signature $w.Signature).ContactId | Should -Be 'cI08i1Bls3iTB9bKgFJh'
        }
        finally { $env:LC_WEBHOOK_PUBLIC_KEY = $saved }
    }

    It 'refuses a webhook older than -MaxAge (default 5 minutes) as WebhookReplayed, and accepts it with -AllowReplay or a longer -MaxAge' {
        $old = New-Signed InboundMessage.Sms -Timestamp ([DateTimeOffset]::UtcNow.AddMinutes(-6))
        $thrown = $null
        try { $null = ConvertFrom-LcWebhook -Body $old.Body -Signature $old.Signature -PublicKey $pem } catch { $thrown = $_ }
        $thrown.FullyQualifiedErrorId | Should -BeLike 'WebhookReplayed*'
        [string] $thrown.CategoryInfo.Category | Should -Be 'SecurityError'
        $thrown.Exception.Message | Should -Match 'older than'
        (ConvertFrom-LcWebhook -Body $old.Body -Signature $old.Signature -PublicKey $pem -MaxAge ([TimeSpan]::FromMinutes(10))).WebhookId | Should -Be $old.WebhookId
        $older = New-Signed InboundMessage.Sms -Timestamp ([DateTimeOffset]::UtcNow.AddDays(-2))
        (ConvertFrom-LcWebhook -Body $older.Body -Signature $older.Signature -PublicKey $pem -AllowReplay).WebhookId | Should -Be $older.WebhookId
    }

    It 'refuses a webhookId this process has already accepted, unless -AllowReplay' {
        $w = New-Signed ContactCreate
        (ConvertFrom-LcWebhook -Body $w.Body -Signature $w.Signature -PublicKey $pem).Id | Should -Be 'nmFmQEsNgz6AVpgLVUJ0'
        { ConvertFrom-LcWebhook -Body $w.Body -Signature $w.Signature -PublicKey $pem } | Should -Throw -ErrorId 'WebhookReplayed*'
        # The same id with a new timestamp (a re-signed copy) is still a replay.
        $again = New-Signed ContactCreate -WebhookId $w.WebhookId
        { ConvertFrom-LcWebhook -Body $again.Body -Signature $again.Signature -PublicKey $pem } | Should -Throw -ErrorId 'WebhookReplayed*'
        (ConvertFrom-LcWebhook -Body $w.Body -Signature $w.Signature -PublicKey $pem -AllowReplay).Id | Should -Be 'nmFmQEsNgz6AVpgLVUJ0'
    }

    It 'does not remember the id of a webhook it refused for its signature' {
        $w = New-Signed ContactUpdate
        { ConvertFrom-LcWebhook -Body $w.Body -Signature ($w.Signature.Substring(0, 10) + 'AAAA' + $w.Signature.Substring(14)) -PublicKey $pem } | Should -Throw -ErrorId 'InvalidWebhookSignature*'
        (ConvertFrom-LcWebhook -Body $w.Body -Signature $w.Signature -PublicKey $pem).Id | Should -Be 'nmFmQEsNgz6AVpgLVUJ0'
    }

    It 'refuses a webhook without timestamp or webhookId unless -AllowReplay' {
        $b = '{"type":"NoteCreate","locationId":"loc1","id":"note1","body":"x"}'
        $s = New-TestEd25519Signature -Key $key -Body $b
        { ConvertFrom-LcWebhook -Body $b -Signature $s -PublicKey $pem } | Should -Throw -ErrorId 'WebhookReplayed*'
        (ConvertFrom-LcWebhook -Body $b -Signature $s -PublicKey $pem -AllowReplay).Type | Should -Be 'NoteCreate'
    }

    It '-SkipSignatureCheck converts without a signature (replay checks still apply)' {
        $b = Get-WebhookFixture -Name OutboundMessage.Sms
        (ConvertFrom-LcWebhook -Body $b -SkipSignatureCheck).Body | Should -Be 'This is a test message'
        { ConvertFrom-LcWebhook -Body $b -SkipSignatureCheck } | Should -Throw -ErrorId 'WebhookReplayed*'
    }

    It 'verifies the legacy x-wh-signature (RSA-SHA256) with -Legacy' -Skip:($PSVersionTable.PSEdition -ne 'Core') {
        $rsa = New-TestRsaKey
        $b = Get-WebhookFixture -Name ContactDelete
        $s = New-TestRsaSignature -Key $rsa -Body $b
        (ConvertFrom-LcWebhook -Body $b -Signature $s -PublicKey $rsa.PublicPem -Legacy).WebhookType | Should -Be 'ContactDelete'
        $b2 = Get-WebhookFixture -Name ContactDelete
        { ConvertFrom-LcWebhook -Body $b2 -Signature (New-TestRsaSignature -Key $rsa -Body $b2) -Legacy } | Should -Throw -ErrorId 'InvalidWebhookSignature*'
    }

    It 'writes InvalidWebhookBody for a signed body that is not a JSON object' {
        $b = '[1,2,3]'
        $s = New-TestEd25519Signature -Key $key -Body $b
        $r = ConvertFrom-LcWebhook -Body $b -Signature $s -PublicKey $pem -ErrorVariable err -ErrorAction SilentlyContinue
        $r | Should -BeNullOrEmpty
        Assert-LcError $err -ErrorId InvalidWebhookBody -Category InvalidData
    }
}

Describe 'ConvertFrom-LcWebhook output in the pipeline' {
    BeforeEach {
        Reset-Emulator
        Disconnect-Lc
        $null = Connect-TestLc -Tenant alpha
    }

    It 'an inbound message pipes into Send-LcMessage: the reply goes to its ContactId, once' {
        $b = (Get-WebhookFixture -Name InboundMessage.Sms).Replace('cI08i1Bls3iTB9bKgFJh', 'contact-a003').Replace('fcanlLgpbQgQhderivVs', 'conv-a003')
        $s = New-TestEd25519Signature -Key $key -Body $b
        $r = ConvertFrom-LcWebhook -Body $b -Signature $s -PublicKey $pem | Send-LcMessage -Type SMS -Message 'Thanks, we got it.'
        $r.ConversationId | Should -Be 'conv-a003'
        $sends = @(Get-EmulatorRequests -Method POST -PathPrefix '/conversations/messages')
        $sends.Count | Should -Be 1
        (Get-RequestBody -Request $sends[0]).contactId | Should -Be 'contact-a003'
    }

    It 'a contact event pipes into Send-LcMessage by its Id' {
        $b = (Get-WebhookFixture -Name ContactCreate).Replace('"id": "nmFmQEsNgz6AVpgLVUJ0"', '"id": "contact-a004"')
        $s = New-TestEd25519Signature -Key $key -Body $b
        $null = ConvertFrom-LcWebhook -Body $b -Signature $s -PublicKey $pem | Send-LcMessage -Type SMS -Message 'Welcome'
        (Get-RequestBody -Request @(Get-EmulatorRequests -Method POST -PathPrefix '/conversations/messages')[0]).contactId | Should -Be 'contact-a004'
    }

    It 'a message''s ConversationId reaches Get-LcConversation -Id' {
        $b = (Get-WebhookFixture -Name InboundMessage.Voicemail).Replace('SGDqZrzmwTA5P7LHkt9F', 'conv-a005')
        $s = New-TestEd25519Signature -Key $key -Body $b
        $m = ConvertFrom-LcWebhook -Body $b -Signature $s -PublicKey $pem
        (Get-LcConversation -Id $m.ConversationId).Id | Should -Be 'conv-a005'
    }

    # Get-LcConversation binds -Id by property name before its ConversationId alias, so a piped message (which has an
    # Id: its message id) would send that id. It needs a Message-typed pipeline parameter (as -Contact); until then skipped.
    It 'a message piped into Get-LcConversation binds its ConversationId, never its Id' -Skip:(-not $conversationTakesMessage) {
        $b = (Get-WebhookFixture -Name InboundMessage.Voicemail).Replace('SGDqZrzmwTA5P7LHkt9F', 'conv-a005')
        $s = New-TestEd25519Signature -Key $key -Body $b
        (ConvertFrom-LcWebhook -Body $b -Signature $s -PublicKey $pem | Get-LcConversation).Id | Should -Be 'conv-a005'
        @(Get-EmulatorRequests | Where-Object { $_.Path -match 'QkNS0DNje0FjoLQdD5O3' }).Count | Should -Be 0
    }
}
