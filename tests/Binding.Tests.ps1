# Every typed LeadConnector object piped into every cmdlet that takes ids from the pipeline: it binds by what it is (a
# message gives its ConversationId to a conversation cmdlet), or is refused at binding with nothing sent; never is the
# wrong kind of id sent. The expectations come from the rule as users read it, written out below: a cmdlet takes one
# kind of id; an object gives its own Id when it is of that kind, the id of that kind it carries (ConversationId,
# ContactId, ...) when it carries one, and is refused otherwise. A few cmdlets also take a typed object in a set of its
# own (Get-LcConversation takes a contact and searches its conversations): those are listed as exceptions.
BeforeDiscovery {
    # Name; the kind of id it takes; the typed objects it takes in a set of their own (object type = kind whose id is
    # sent); how to call it so that it sends (state changes are confirmed away; the emulator is reset for each case).
    $script:cmdlets = @(
        @{ Name = 'Add-LcContactTag'; Kind = 'Contact'; Call = { param($in) $in | Add-LcContactTag -Tag bound -Confirm:$false } }
        @{ Name = 'Add-LcContactToWorkflow'; Kind = 'Contact'; Call = { param($in) $in | Add-LcContactToWorkflow -WorkflowId wf-bind -Confirm:$false } }
        @{ Name = 'Add-LcMessage'; Kind = 'Conversation'; Call = { param($in) $in | Add-LcMessage -Direction inbound -Type Email -ConversationProviderId prov-1 -Message hi -Confirm:$false } }
        @{ Name = 'Get-LcContact'; Kind = 'Contact'; Call = { param($in) $in | Get-LcContact } }
        @{ Name = 'Get-LcContactNote'; Kind = 'Contact'; Call = { param($in) $in | Get-LcContactNote } }
        @{ Name = 'Get-LcContactSubscription'; Kind = 'Contact'; Call = { param($in) $in | Get-LcContactSubscription } }
        @{ Name = 'Get-LcConversation'; Kind = 'Conversation'; Also = @{ Contact = 'Contact' }; Call = { param($in) $in | Get-LcConversation } }
        @{ Name = 'Get-LcCustomSubtype'; Kind = 'CustomSubtype'; Call = { param($in) $in | Get-LcCustomSubtype } }
        @{ Name = 'Get-LcEmailMessage'; Kind = 'EmailMessage'; Call = { param($in) $in | Get-LcEmailMessage } }
        @{ Name = 'Get-LcMessage'; Kind = 'Conversation'; Also = @{ Contact = 'Contact' }; Call = { param($in) $in | Get-LcMessage } }
        @{ Name = 'Get-LcMessageTranscription'; Kind = 'Message'; Call = { param($in) $in | Get-LcMessageTranscription } }
        @{ Name = 'New-LcContactNote'; Kind = 'Contact'; Call = { param($in) $in | New-LcContactNote -Body 'bound' -Confirm:$false } }
        @{ Name = 'New-LcConversation'; Kind = 'Contact'; Call = { param($in) $in | New-LcConversation -Confirm:$false } }
        @{ Name = 'Remove-LcContact'; Kind = 'Contact'; Call = { param($in) $in | Remove-LcContact -Force } }
        @{ Name = 'Remove-LcContactFromWorkflow'; Kind = 'Contact'; Call = { param($in) $in | Remove-LcContactFromWorkflow -WorkflowId wf-bind -Confirm:$false } }
        @{ Name = 'Remove-LcContactNote'; Kind = 'Note'; Call = { param($in) $in | Remove-LcContactNote -Force } }
        @{ Name = 'Remove-LcContactTag'; Kind = 'Contact'; Call = { param($in) $in | Remove-LcContactTag -Tag bound -Confirm:$false } }
        @{ Name = 'Remove-LcConversation'; Kind = 'Conversation'; Call = { param($in) $in | Remove-LcConversation -Force } }
        @{ Name = 'Save-LcMessageRecording'; Kind = 'Message'; Call = { param($in) $in | Save-LcMessageRecording -Path (Join-Path $TestDrive ([guid]::NewGuid().ToString() + '.wav')) } }
        @{ Name = 'Send-LcMessage'; Kind = 'Contact'; Call = { param($in) $in | Send-LcMessage -Type SMS -Message 'bound' -Confirm:$false } }
        @{ Name = 'Send-LcReviewReply'; Kind = 'Conversation'; Call = { param($in) $in | Send-LcReviewReply -Message 'bound' -Confirm:$false } }
        @{ Name = 'Send-LcTypingIndicator'; Kind = 'Conversation'; Call = { param($in) $in | Send-LcTypingIndicator -VisitorId visitor-1 -Confirm:$false } }
        @{ Name = 'Set-LcContact'; Kind = 'Contact'; Call = { param($in) $in | Set-LcContact -FirstName Bound -Confirm:$false } }
        @{ Name = 'Set-LcContactNote'; Kind = 'Note'; Call = { param($in) $in | Set-LcContactNote -Body 'bound' -Confirm:$false } }
        @{ Name = 'Set-LcContactSubscription'; Kind = 'Contact'; Call = { param($in) $in | Set-LcContactSubscription -Email 'bound@example.com' -Type Default -Status unsubscribed -Force } }
        @{ Name = 'Set-LcConversation'; Kind = 'Conversation'; Call = { param($in) $in | Set-LcConversation -Starred $true -Confirm:$false } }
        @{ Name = 'Set-LcCustomSubtype'; Kind = 'CustomSubtype'; Call = { param($in) $in | Set-LcCustomSubtype -Description 'bound' -Confirm:$false } }
        @{ Name = 'Set-LcMessage'; Kind = 'Message'; Call = { param($in) $in | Set-LcMessage -Status read -Confirm:$false } }
        @{ Name = 'Stop-LcScheduledMessage'; Kind = 'Message'; Call = { param($in) $in | Stop-LcScheduledMessage -Confirm:$false } }
    )
    # Cmdlets that take pipeline input but no id from it: data fields (New-LcContact, New-LcCustomSubtype), a request path
    # (Invoke-LcRequest), a webhook body (ConvertFrom-LcWebhook) or a saved connection's name (Remove-LcConnection). A test below checks this list is complete.
    $script:noIds = @('New-LcContact', 'New-LcCustomSubtype', 'Invoke-LcRequest', 'ConvertFrom-LcWebhook', 'Remove-LcConnection')
    $script:objectTypes = @('Conversation', 'Message', 'Contact', 'Note', 'EmailMessage')
    $script:cases = foreach ($c in $cmdlets) { foreach ($t in $objectTypes) { @{ Cmdlet = $c.Name; Kind = $c.Kind; Also = $c.Also; Call = $c.Call; Object = $t } } }
}

BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    $BaseUri = Initialize-TestSession
    Reset-Emulator
    $null = Connect-TestLc -Tenant alpha
    # One object of each type, read from the emulator's seed, and the ids each one carries, by kind.
    $conversation = Get-LcConversation -Id conv-a003
    $message = Get-LcMessage -ConversationId conv-a003 | Select-Object -First 1
    $contact = Get-LcContact -Id contact-a003
    $note = Get-LcContactNote -ContactId contact-a003 | Select-Object -First 1
    $email = Get-LcEmailMessage -Id email-a001
    $script:objects = @{
        Conversation = @{ Value = $conversation; Ids = @{ Conversation = $conversation.Id; Contact = $conversation.ContactId } }
        Message      = @{ Value = $message; Ids = @{ Message = $message.Id; Conversation = $message.ConversationId; Contact = $message.ContactId } }
        Contact      = @{ Value = $contact; Ids = @{ Contact = $contact.Id } }
        Note         = @{ Value = $note; Ids = @{ Note = $note.Id; Contact = $note.ContactId } }
        EmailMessage = @{ Value = $email; Ids = @{ EmailMessage = $email.Id; Conversation = $email.ConversationId; Contact = $email.ContactId } }
    }
    foreach ($o in $objects.Values) { foreach ($id in $o.Ids.Values) { $id | Should -Not -BeNullOrEmpty } }

    function Get-SentText {
        @(Get-EmulatorRequests | Where-Object { $_.path -notlike '/_emulator*' } | ForEach-Object {
                "$($_.method) $($_.path)?$([uri]::UnescapeDataString([string] $_.queryString)) $($_.body)"
            })
    }
}

AfterAll {
    if (Get-Command -Name Complete-TestSession -ErrorAction SilentlyContinue) { Complete-TestSession }
}

Describe 'A typed object piped into a cmdlet binds by what it is' {
    BeforeEach {
        Reset-Emulator
    }

    It '<Object> | <Cmdlet>' -TestCases $cases {
        $o = $objects[$Object]
        $kind = if ($Also -and $Also.ContainsKey($Object)) { $Also[$Object] } else { $Kind }
        $expected = if ($Object -eq $kind) { $o.Ids[$kind] } elseif ($Also -and $Also.ContainsKey($Object)) { $o.Ids[$Also[$Object]] } else { $o.Ids[$kind] }

        $errs = @(try { & $Call $o.Value 2>&1 3>$null 6>$null } catch { $_ }) | Where-Object { $_ -is [System.Management.Automation.ErrorRecord] }
        $sent = Get-SentText

        if ($expected) {
            $sent.Count | Should -BeGreaterThan 0 -Because "$Object carries a $kind id ($expected)"
            ($sent -join "`n") | Should -Match ([regex]::Escape($expected)) -Because "$Cmdlet takes a $kind id and $Object gives $expected"
            # None of the object's ids of another kind is sent where the cmdlet's id goes (the first request's path).
            foreach ($other in $o.Ids.GetEnumerator()) {
                if ($other.Value -eq $expected) { continue }
                ($sent[0] -split ' ')[1] | Should -Not -Match ([regex]::Escape($other.Value)) -Because "the $($other.Key) id of a $Object is not a $kind id"
            }
        }
        else {
            $sent.Count | Should -Be 0 -Because "a $Object carries no $kind id: nothing may be sent"
            @($errs).Count | Should -BeGreaterThan 0
            @($errs)[0].FullyQualifiedErrorId | Should -Match '^(ParameterArgumentTransformationError|InputObjectNotBound)'
        }
    }
}

Describe 'Foreign objects and the table''s reach' {
    BeforeEach {
        Reset-Emulator
    }

    It 'a foreign object says what was expected and what came, and nothing is sent' {
        $errs = $null
        Get-Process -Id $PID | Remove-LcConversation -Force -ErrorVariable errs -ErrorAction SilentlyContinue
        @($errs).Count | Should -Be 1
        $errs[0].FullyQualifiedErrorId | Should -BeLike 'ParameterArgumentTransformationError*'
        $errs[0].Exception.Message | Should -Match 'Expected a conversation id or a LeadConnector\.Conversation, got System\.Diagnostics\.Process\.'
        @(Get-SentText).Count | Should -Be 0
    }

    It 'a refused record does not stop the others' {
        $errs = $null
        $out = @($objects.Contact.Value, $objects.Message.Value, 'conv-a004' | Set-LcConversation -Starred $true -PassThru -Confirm:$false -ErrorVariable errs -ErrorAction SilentlyContinue)
        $out.Id | Should -Be @($objects.Message.Ids.Conversation, 'conv-a004')
        @($errs).Count | Should -Be 1
        $errs[0].Exception.Message | Should -Match 'got a LeadConnector\.Contact, which carries no ConversationId'
    }

    It 'objects read back from CSV or deserialized keep their kind' {
        $csv = $objects.Message.Value | ConvertTo-Csv -IncludeTypeInformation | ConvertFrom-Csv
        $csv.PSObject.TypeNames[0] | Should -Match '^(CSV:)?LeadConnector\.Message$'
        $csv | Should -BeOfType [pscustomobject]
        $csv | Set-LcConversation -Starred $true -Confirm:$false
        @(Get-SentText)[0] | Should -Match ("PUT /conversations/" + [regex]::Escape($objects.Message.Ids.Conversation))

        Reset-Emulator
        $clixml = Join-Path $TestDrive 'contact.xml'
        $objects.Contact.Value | Export-Clixml -LiteralPath $clixml
        $errs = $null
        Import-Clixml -LiteralPath $clixml | Set-LcConversation -Starred $true -Confirm:$false -ErrorVariable errs -ErrorAction SilentlyContinue
        @(Get-SentText).Count | Should -Be 0
        $errs[0].Exception.Message | Should -Match 'got a LeadConnector\.Contact'
    }

    It 'every exported cmdlet that takes pipeline input is in the table or named as taking no ids' -TestCases @(@{ Names = @($cmdlets.Name); NoIds = $noIds }) {
        $piped = Get-Command -Module LeadConnector -CommandType Cmdlet | Where-Object {
            $_.Parameters.Values | Where-Object Name -ne 'Connection' | Where-Object { $_.Attributes | Where-Object { $_ -is [Parameter] -and ($_.ValueFromPipeline -or $_.ValueFromPipelineByPropertyName) } }
        } | ForEach-Object Name
        $listed = @($Names) + $NoIds
        @($piped | Where-Object { $listed -notcontains $_ }) | Should -BeNullOrEmpty
    }
}
