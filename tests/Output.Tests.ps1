# The output objects as PowerShell users meet them: views, [OutputType], ToString, JSON and CSV round trips, no secrets.

BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    $BaseUri = Initialize-TestSession
    $IsoDate = '^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$'

    function Get-Samples {
        # One object of each type the cmdlets write, with its id.
        @(
            @{ Object = Get-LcConversation -Id conv-a001; Id = 'conv-a001' }
            @{ Object = Get-LcMessage -ConversationId conv-a001 -First 1; Id = $null }
            @{ Object = Get-LcContact -Id contact-a001; Id = 'contact-a001' }
            @{ Object = Get-LcEmailMessage -Id email-a001; Id = 'email-a001' }
            @{ Object = Send-LcMessage -ContactId contact-a001 -Type SMS -Message 'output test' -Confirm:$false; Id = $null }
            @{ Object = @(Get-LcContactNote -ContactId contact-a003)[0]; Id = $null }
            @{ Object = Add-LcContactTag -ContactId contact-a001 -Tag 'output-test' -PassThru -Confirm:$false; Id = $null }
            @{ Object = @(Get-LcCustomSubtype)[0]; Id = $null }
            @{ Object = @(Get-LcContactSubscription -ContactId contact-a003)[0]; Id = $null }
            @{ Object = Send-LcTypingIndicator -ConversationId conv-a007 -VisitorId visitor-42 -PassThru -Confirm:$false; Id = $null }
            @{ Object = Add-LcMessage -Direction Inbound -Type SMS -ConversationId conv-a040 -ContactId contact-a040 `
                    -ConversationProviderId 61d6d1f9cdac7612faf80753 -Message 'output test' -Confirm:$false; Id = $null }
            @{ Object = @(Get-LcMessageTranscription -Id msg-call-a040)[0]; Id = $null }
        )
    }
}

AfterAll {
    if (Get-Command -Name Complete-TestSession -ErrorAction SilentlyContinue) { Complete-TestSession }
}

Describe 'Output objects' {
    BeforeEach {
        Reset-Emulator
        Disconnect-Lc
        $null = Connect-TestLc -Tenant alpha
    }

    It 'every cmdlet declares its output type, and every declared LeadConnector type has a format view' {
        $commands = Get-Command -Module LeadConnector
        $commands.Count | Should -BeGreaterThan 10
        foreach ($command in $commands) {
            $command.OutputType.Count | Should -BeGreaterThan 0 -Because "$($command.Name) declares [OutputType]"
        }
        $types = $commands.OutputType.Name | Where-Object { $_ -like 'LeadConnector.*' } | Sort-Object -Unique
        $types | Should -Contain 'LeadConnector.Connection'
        foreach ($type in $types) {
            Get-FormatData -TypeName $type | Should -Not -BeNullOrEmpty -Because "$type has a view"
            Get-TypeData -TypeName $type | Should -Not -BeNullOrEmpty -Because "$type has type data"
        }
    }

    It 'every table view fits an 80-column terminal: no line is longer, no header is broken, the long text wraps' {
        foreach ($sample in Get-Samples) {
            $o = $sample.Object
            $type = $o.PSObject.TypeNames[0]
            $text = $o | Format-Table | Out-String -Width 80
            $lines = @($text -split '\r?\n' | Where-Object { $_.Trim() })
            foreach ($line in $lines) { $line.Length | Should -BeLessOrEqual 80 -Because "$type's table must fit 80 columns: '$line'" }
            $labels = @((Get-FormatData -TypeName $type).FormatViewDefinition | Where-Object { $_.Control -is [System.Management.Automation.TableControl] } |
                    ForEach-Object { $_.Control.Headers.Label })
            $labels.Count | Should -BeGreaterThan 0 -Because "$type has a table view"
            # The header line is the one above the dashes (a grouped view starts with its group's line).
            $dashes = [array]::FindIndex([string[]] $lines, [Predicate[string]] { param($l) $l -match '^-+( +-+)*\s*$' })
            $dashes | Should -BeGreaterThan 0 -Because "$type's table has a header"
            $header = $lines[$dashes - 1]
            foreach ($label in $labels) { $header | Should -Match "(^| )$([regex]::Escape($label))( |$)" -Because "the header '$label' of $type is shown whole" }
        }
    }

    It 'every table header is a property: Select-Object with the headers gives the columns the table shows' {
        foreach ($sample in Get-Samples) {
            $o = $sample.Object
            $type = $o.PSObject.TypeNames[0]
            $labels = @((Get-FormatData -TypeName $type).FormatViewDefinition | Where-Object { $_.Control -is [System.Management.Automation.TableControl] } |
                    ForEach-Object { $_.Control.Headers.Label })
            foreach ($label in $labels) {
                $o.PSObject.Properties[$label] | Should -Not -BeNullOrEmpty -Because "the header '$label' of $type is a property (or an alias of one)"
            }
        }
        $c = Get-LcConversation -Id conv-a001 | Select-Object Id, Contact, Unread
        $c.Contact | Should -Not -BeNullOrEmpty
        $c.Unread | Should -Be (Get-LcConversation -Id conv-a001).UnreadCount
    }

    It 'every model has a list view of its own: names, not numeric codes, and ISO dates in UTC' {
        foreach ($sample in Get-Samples) {
            $o = $sample.Object
            $type = $o.PSObject.TypeNames[0]
            @((Get-FormatData -TypeName $type).FormatViewDefinition | Where-Object { $_.Control -is [System.Management.Automation.ListControl] }).Count |
                Should -Be 1 -Because "$type has a curated list view"
            $text = $o | Format-List | Out-String -Width 120
            foreach ($line in $text -split '\r?\n' | Where-Object { $_ -match '^(DateAdded|DateUpdated|LastMessageDate)\s*:\s*\S' }) {
                $line | Should -Match ':\s*\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}Z$' -Because "$type shows dates as ISO UTC in lists"
            }
        }
        $message = Get-LcMessage -ConversationId conv-a001 -First 1
        $list = $message | Format-List | Out-String -Width 120
        $list | Should -Not -Match '(?m)^Type\s*:'
        $list | Should -Match '(?m)^MessageType\s*:\s*TYPE_'
    }

    It 'ToString gives the id of every model' {
        foreach ($sample in Get-Samples) {
            $o = $sample.Object
            @($o).Count | Should -Be 1
            # The id a model is known by; models that are not objects of the API with an id of their own (a sentence, a
            # contact's subscription to one kind of message, a tag list) say what they are.
            $key = @{ 'LeadConnector.SendResult' = 'MessageId'; 'LeadConnector.AddMessageResult' = 'MessageId'; 'LeadConnector.TypingIndicator' = 'ConversationId' }[$o.PSObject.TypeNames[0]]
            if (-not $key -and $o.PSObject.Properties['Id']) { $key = 'Id' }
            "$o" | Should -Not -BeNullOrEmpty
            if (-not $key) { continue }
            $id = $o.$key
            $id | Should -Not -BeNullOrEmpty
            "$o" | Should -Be $id
            if ($sample.Id) { "$o" | Should -Be $sample.Id }
        }
    }

    It 'round-trips through ConvertTo-Json: flat values, ISO-8601 dates, arrays as arrays' {
        foreach ($sample in Get-Samples) {
            $o = $sample.Object
            $json = $o | ConvertTo-Json -Depth 5
            $back = $json | ConvertFrom-Json -DateKind String
            foreach ($p in $o.PSObject.Properties) {
                $value = $back.($p.Name)
                ($value -is [System.Management.Automation.PSCustomObject]) | Should -BeFalse -Because "$($o.PSObject.TypeNames[0]).$($p.Name) is no nested object"
                if ($p.Value -is [DateTimeOffset]) {
                    $value | Should -Match $IsoDate
                    [DateTimeOffset]::Parse($value, [cultureinfo]::InvariantCulture) | Should -Be $p.Value
                }
                elseif ($p.Value -is [array]) {
                    @($value) | Should -Be @($p.Value)
                }
                elseif ($p.Value -is [enum]) {
                    $value | Should -Be ([int] $p.Value)
                }
                elseif ($null -ne $p.Value) {
                    "$value" | Should -Be "$($p.Value)"
                }
            }
        }
    }

    It 'round-trips through Export-Csv and Import-Csv: every column is text, ids and scalars come back' {
        $path = Join-Path $TestDrive 'out.csv'
        foreach ($sample in Get-Samples) {
            $o = $sample.Object
            $o | Export-Csv -LiteralPath $path -NoTypeInformation
            $back = Import-Csv -LiteralPath $path
            @($back).Count | Should -Be 1
            ($back.PSObject.Properties.Name -join ',') | Should -Be ($o.PSObject.Properties.Name -join ',')
            foreach ($p in $o.PSObject.Properties) {
                $text = $back.($p.Name)
                if ($p.Value -is [DateTimeOffset]) {
                    [DateTimeOffset]::Parse($text).ToUnixTimeSeconds() | Should -Be $p.Value.ToUnixTimeSeconds()
                }
                elseif ($p.Value -is [string] -or $p.Value -is [int] -or $p.Value -is [bool] -or $p.Value -is [enum]) {
                    $text | Should -Be "$($p.Value)"
                }
                elseif ($p.Value -is [System.Collections.Generic.IList[string]]) {
                    # Lists are written readably, items joined with '; ', never as a .NET type name.
                    $text | Should -Be (@($p.Value) -join '; ')
                    $text | Should -Not -Match 'System\.'
                }
            }
        }
    }

    It 'writes a contact''s tags and an email''s recipients as readable text in CSV, and as arrays in JSON' {
        $contact = Get-LcContact -Id contact-a001
        @($contact.Tags).Count | Should -BeGreaterThan 0 -Because 'the seeded contact has tags'
        ($contact | ConvertTo-Csv -NoTypeInformation | ConvertFrom-Csv).Tags | Should -Be (@($contact.Tags) -join '; ')
        ($contact | ConvertTo-Json | ConvertFrom-Json).Tags | Should -Be @($contact.Tags)
        $contact.Tags[0] | Should -Be @($contact.Tags)[0]
        $contact.Tags -contains @($contact.Tags)[0] | Should -BeTrue

        $email = Get-LcEmailMessage -Id email-a001
        ($email | ConvertTo-Csv -NoTypeInformation | ConvertFrom-Csv).To | Should -Be (@($email.To) -join '; ')
    }

    It 'a Contact keeps Tags as string[] and an enum keeps its name in CSV' {
        $c = Get-LcConversation -Id conv-a001
        $csv = $c | ConvertTo-Csv -NoTypeInformation | ConvertFrom-Csv
        $csv.Type | Should -Be "$($c.Type)"
        $csv.Type | Should -Not -Match '^\d+$'
    }
}

Describe 'A connection shows no secret' {
    BeforeEach {
        Reset-Emulator
        Disconnect-Lc
    }

    It 'not in ConvertTo-Json, Format-List *, Export-Csv or a job-style serialization' {
        $token = Get-TestToken -Tenant alpha
        $null = Connect-TestLc -Tenant alpha
        $c = Get-LcConnection

        $json = $c | ConvertTo-Json -Depth 5
        $list = $c | Format-List * | Out-String -Width 300
        $csv = $c | ConvertTo-Csv -NoTypeInformation | Out-String
        $clixml = [System.Management.Automation.PSSerializer]::Serialize($c, 5)
        foreach ($text in $json, $list, $csv, $clixml) {
            $text | Should -Not -BeLike "*$token*"
            $text | Should -Not -BeLike '*0123456789abcdef*'
            # Properties about the token (TokenKind, TokenExpiresAt, TokenRefreshedAt, RefreshTokenPath) are fine; none that holds one.
            $text | Should -Not -Match '(?i)secret|"(Token|AccessToken|RefreshToken|AgencyToken)"|<S N="(Token|AccessToken|RefreshToken|AgencyToken)">|Client\b'
        }
        ($json | ConvertFrom-Json).LocationId | Should -Be 'loc-alpha'
        $list | Should -Match 'LocationId\s+: loc-alpha'
        ($csv | ConvertFrom-Csv).TokenKind | Should -Be 'PrivateIntegration'
    }
}
