BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    $BaseUri = Initialize-TestSession
}

AfterAll {
    if (Get-Command -Name Complete-TestSession -ErrorAction SilentlyContinue) { Complete-TestSession }
}

Describe 'New-LcConversation' {
    BeforeEach {
        Reset-Emulator
        Disconnect-Lc
        $null = Connect-TestLc -Tenant alpha
    }

    It 'creates a conversation in the connection''s location' {
        $c = New-LcConversation -ContactId contact-a010 -Force

        @($c).Count | Should -Be 1
        $c.PSObject.TypeNames[0] | Should -Be 'LeadConnector.Conversation'
        $c.Id | Should -Not -BeNullOrEmpty
        $c.ContactId | Should -Be 'contact-a010'
        $c.LocationId | Should -Be 'loc-alpha'
        (Get-LcConversation -Id $c.Id).ContactId | Should -Be 'contact-a010'

        $post = @(Get-EmulatorRequests -Method POST -PathPrefix '/conversations')
        $post.Count | Should -Be 1
        $body = Get-RequestBody -Request $post[0]
        $body.contactId | Should -Be 'contact-a010'
        $body.locationId | Should -Be 'loc-alpha'
    }

    It 'binds ContactId (alias Id) and LocationId from pipeline objects by property name' {
        $c = [pscustomobject]@{ id = 'contact-a010'; locationId = 'loc-alpha' } | New-LcConversation -Force

        $c.ContactId | Should -Be 'contact-a010'
        $c.LocationId | Should -Be 'loc-alpha'
    }

    It 'creates one conversation per pipeline object' {
        $result = 'contact-a011', 'contact-a012' |
            ForEach-Object { [pscustomobject]@{ ContactId = $_ } } |
            New-LcConversation -Force

        ($result.ContactId -join ',') | Should -Be 'contact-a011,contact-a012'
        @(Get-LcConversation -All).Count | Should -Be 47
    }

    It 'sends -LocationId when given' {
        $null = New-LcConversation -ContactId contact-a013 -LocationId loc-alpha -Force

        $post = @(Get-EmulatorRequests -Method POST -PathPrefix '/conversations')
        (Get-RequestBody -Request $post[0]).locationId | Should -Be 'loc-alpha'
    }

    It 'sends nothing with -WhatIf' {
        $result = New-LcConversation -ContactId contact-a014 -WhatIf

        $result | Should -BeNullOrEmpty
        @(Get-EmulatorRequests).Count | Should -Be 0
        @(Get-LcConversation -All).Count | Should -Be 45
    }

    It 'supports ShouldProcess with ConfirmImpact Medium' {
        $metadata = New-Object -TypeName System.Management.Automation.CommandMetadata -ArgumentList (Get-Command New-LcConversation)

        $metadata.SupportsShouldProcess | Should -BeTrue
        "$($metadata.ConfirmImpact)" | Should -Be 'Medium'
    }

    It 'surfaces every message of a 422 with the status and the traceId' {
        Set-EmulatorFault -Method POST -PathPrefix '/conversations' -Kind Status -StatusCode 422 -Count 1 `
            -ContentType 'application/json' `
            -Body '{"statusCode":422,"message":["contactId must be a valid id","locationId should not be empty"],"error":"Unprocessable Entity","traceId":"trace-422-abc"}'

        $result = New-LcConversation -ContactId contact-a015 -Force -ErrorVariable lcErr -ErrorAction SilentlyContinue

        $result | Should -BeNullOrEmpty
        Assert-LcError $lcErr -ErrorId ApiInvalidRequest -Category InvalidArgument
        $text = "$($lcErr[0])`n$($lcErr[0].Exception.Message)"
        $text | Should -Match 'contactId must be a valid id'
        $text | Should -Match 'locationId should not be empty'
        $text | Should -Match '422'
        $text | Should -Match 'trace-422-abc'
    }

    It 'does not retry a POST that may have reached the app (503 after processing): exactly one conversation' {
        Set-EmulatorFault -Method POST -PathPrefix '/conversations' -Kind Status -StatusCode 503 -Stage AfterProcessing -Count 1

        $result = New-LcConversation -ContactId contact-a030 -Force -ErrorVariable lcErr -ErrorAction SilentlyContinue

        $result | Should -BeNullOrEmpty
        Assert-LcError $lcErr -ErrorId ApiServerError
        @(Get-EmulatorRequests -Method POST -PathPrefix '/conversations').Count | Should -Be 1
        @(Get-LcConversation -All).Count | Should -Be 46
        @(Get-LcConversation -ContactId contact-a030 -All).Count | Should -Be 2
    }

    It 'does not retry a POST on a 503 before processing either (the client cannot tell)' {
        Set-EmulatorFault -Method POST -PathPrefix '/conversations' -Kind Status -StatusCode 503 -Stage BeforeProcessing -Count 1

        $null = New-LcConversation -ContactId contact-a031 -Force -ErrorVariable lcErr -ErrorAction SilentlyContinue

        $lcErr.Count | Should -Be 1
        @(Get-EmulatorRequests -Method POST -PathPrefix '/conversations').Count | Should -Be 1
        @(Get-LcConversation -All).Count | Should -Be 45
    }

    It 'retries a POST after a 429 (it never reached the app): exactly one conversation' {
        Set-EmulatorFault -Method POST -PathPrefix '/conversations' -Kind RateLimited -Count 1 -Headers @{ 'Retry-After' = '1' }

        $c = New-LcConversation -ContactId contact-a032 -Force

        $c.ContactId | Should -Be 'contact-a032'
        @(Get-EmulatorRequests -Method POST -PathPrefix '/conversations').Count | Should -Be 2
        @(Get-LcConversation -All).Count | Should -Be 46
    }

    It 'writes ApiForbidden for a location the token cannot use' {
        $result = New-LcConversation -ContactId contact-b001 -LocationId loc-beta -ErrorVariable lcErr -ErrorAction SilentlyContinue

        $result | Should -BeNullOrEmpty
        Assert-LcError $lcErr -ErrorId ApiForbidden -Category PermissionDenied
    }

    It 'uses -Connection' {
        $beta = Connect-TestLc -Tenant beta
        $null = Connect-TestLc -Tenant alpha

        $c = New-LcConversation -ContactId contact-b002 -Connection $beta -Force

        $c.LocationId | Should -Be 'loc-beta'
        @(Get-LcConversation -Connection $beta -All).Count | Should -Be 4
    }

    Context 'once per contact: a search by contact first, and a lost answer looked up, not repeated' {
        It 'writes the contact''s existing conversation with a warning instead of making a second one' {
            $c = New-LcConversation -ContactId contact-a010 -WarningVariable warn -WarningAction SilentlyContinue

            $c.Id | Should -Be 'conv-a010'
            "$warn" | Should -Match 'contact-a010 already has conversation conv-a010'
            "$warn" | Should -Match '-Force'
            @(Get-EmulatorRequests -Method POST).Count | Should -Be 0
            $search = @(Get-EmulatorRequests -Method GET -PathPrefix '/conversations/search')
            $search.Count | Should -Be 1
            [uri]::UnescapeDataString([string] $search[0].queryString) | Should -Match 'contactId=contact-a010\b'
            @(Get-LcConversation -All).Count | Should -Be 45
        }

        It 'creates one for a contact that has none, after one search' {
            $contact = New-LcContact -FirstName Nina -Email 'nina.once@example.com' -Confirm:$false

            $c = New-LcConversation -ContactId $contact.Id -WarningVariable warn

            $c.ContactId | Should -Be $contact.Id
            $warn | Should -BeNullOrEmpty
            @(Get-EmulatorRequests -Method POST -PathPrefix '/conversations').Count | Should -Be 1
            # A second run (a rerun of the same pipeline) makes nothing.
            $again = New-LcConversation -ContactId $contact.Id -WarningAction SilentlyContinue
            $again.Id | Should -Be $c.Id
            @(Get-EmulatorRequests -Method POST -PathPrefix '/conversations').Count | Should -Be 1
        }

        It 'looks the contact up when the create''s answer is lost (dropped after processing): one conversation, no error' {
            $contact = New-LcContact -FirstName Omar -Email 'omar.once@example.com' -Confirm:$false
            Set-EmulatorFault -Method POST -PathPrefix '/conversations' -Kind DropConnection -Stage AfterProcessing -Count 1

            $c = New-LcConversation -ContactId $contact.Id -ErrorVariable lcErr -WarningVariable warn

            $lcErr | Should -BeNullOrEmpty
            $warn | Should -BeNullOrEmpty
            $c.ContactId | Should -Be $contact.Id
            @(Get-EmulatorRequests -Method POST -PathPrefix '/conversations').Count | Should -Be 1
            @(Get-LcConversation -ContactId $contact.Id -All).Count | Should -Be 1
        }

        It 'with -Force, a lost answer is an error and nothing is sent again' {
            $contact = New-LcContact -FirstName Pia -Email 'pia.once@example.com' -Confirm:$false
            Set-EmulatorFault -Method POST -PathPrefix '/conversations' -Kind DropConnection -Stage AfterProcessing -Count 1

            $null = New-LcConversation -ContactId $contact.Id -Force -ErrorVariable lcErr -ErrorAction SilentlyContinue

            @($lcErr).Count | Should -Be 1
            @(Get-EmulatorRequests -Method POST -PathPrefix '/conversations').Count | Should -Be 1
            @(Get-LcConversation -ContactId $contact.Id -All).Count | Should -Be 1
        }
    }

    It 'a piped contact binds -Contact, and the new conversation carries its name, email and phone (the create''s answer has none)' {
        $contact = Get-LcContact -Id contact-a003
        $c = $contact | New-LcConversation -Force
        $c.ContactId | Should -Be 'contact-a003'
        $c.ContactName | Should -Be $contact.Name
        $c.Email | Should -Be $contact.Email
        $c.Phone | Should -Be $contact.Phone
        @(Get-EmulatorRequests -Method POST -PathPrefix '/conversations').Count | Should -Be 1
    }
}
