BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    $BaseUri = Initialize-TestSession

    function Get-PutRequests { @(Get-EmulatorRequests -Method PUT -PathPrefix '/contacts/') }
}

AfterAll {
    if (Get-Command -Name Complete-TestSession -ErrorAction SilentlyContinue) { Complete-TestSession }
}

Describe 'Set-LcContact' {
    BeforeEach {
        Reset-Emulator
        Disconnect-Lc
        $null = Connect-TestLc -Tenant alpha
    }

    It 'sends the given fields of UpdateContactDto and, with -PassThru, returns the updated contact' {
        $r = Set-LcContact -ContactId contact-a001 -FirstName Liv -LastName Ben -Name 'Liv Ben' -Email 'liv@example.com' -Phone '+15550001234' `
            -Address1 '2 Side St' -City Porto -State PR -PostalCode 4000 -Country PT -Website 'https://liv.example.com' -Timezone 'Europe/Lisbon' `
            -DateOfBirth '09/25/1990' -Source 'crm' -AssignedTo user-bruno -Dnd $true -CustomField @{ my_field = 'v' } `
            -DndSettings @{ Call = @{ status = 'permanent'; code = 'c1' } } -InboundDndSettings @{ status = 'active'; message = 'no' } -PassThru

        $r.PSObject.TypeNames[0] | Should -Be 'LeadConnector.Contact'
        $r.Id | Should -Be 'contact-a001'
        $r.City | Should -Be 'Porto'
        $r.Email | Should -Be 'liv@example.com'
        $r.DateOfBirth | Should -Be '1990-09-25'
        $r.Dnd | Should -BeTrue
        $put = Get-PutRequests
        $put.Count | Should -Be 1
        $put[0].path | Should -Be '/contacts/contact-a001'
        $body = Get-RequestBody -Request $put[0]
        $body.PSObject.Properties.Name | Should -Not -Contain 'locationId' -Because 'UpdateContactDto has no locationId'
        $body.firstName | Should -Be 'Liv'
        $body.name | Should -Be 'Liv Ben'
        $body.address1 | Should -Be '2 Side St'
        $body.postalCode | Should -Be '4000'
        $body.website | Should -Be 'https://liv.example.com'
        $body.assignedTo | Should -Be 'user-bruno'
        $body.dateOfBirth | Should -Be '09/25/1990'
        $body.customFields[0].key | Should -Be 'my_field'
        $body.dndSettings.Call.status | Should -Be 'permanent'
        $body.dndSettings.Call.code | Should -Be 'c1'
        $body.inboundDndSettings.all.status | Should -Be 'active'
    }

    It 'writes nothing without -PassThru' {
        Set-LcContact -ContactId contact-a002 -City Faro | Should -BeNullOrEmpty
        (Get-LcContact -Id contact-a002).City | Should -Be 'Faro'
    }

    It '-Tag replaces every tag of the contact (and @() clears them)' {
        $before = Get-LcContact -Id contact-a002
        @($before.Tags).Count | Should -BeGreaterThan 1 -Because 'the seeded contact has two tags'
        $r = Set-LcContact -ContactId contact-a002 -Tag 'only-this' -PassThru
        @($r.Tags) -join ',' | Should -Be 'only-this'
        $r = Set-LcContact -ContactId contact-a002 -Tag @() -PassThru
        @($r.Tags).Count | Should -Be 0
        @((Get-RequestBody -Request (Get-PutRequests)[1]).tags).Count | Should -Be 0
    }

    It 'says in its ShouldProcess message that -Tag replaces the tags; -WhatIf sends nothing' {
        Set-LcContact -ContactId contact-a003 -Tag x -City y -WhatIf
        (Get-EmulatorRequests).Count | Should -Be 0
        $out = Set-LcContact -ContactId contact-a003 -Tag x -City y -Verbose 4>&1 | Out-String
        $out | Should -Match 'Update contact \(.*Tag \(replaces all tags\)'
    }

    Context 'Binding: the contact id of what comes down the pipeline' {
        It 'a contact binds its Id' {
            Get-LcContact -Id contact-a004 | Set-LcContact -City Braga
            (Get-PutRequests)[0].path | Should -Be '/contacts/contact-a004'
        }

        It 'a contact piped in sends only the fields given, never its own values back' {
            Get-LcContact -Id contact-a004 | Set-LcContact -City Braga
            $body = Get-RequestBody -Request (Get-PutRequests)[0]
            @($body.PSObject.Properties.Name) -join ',' | Should -Be 'city'
        }

        It 'a conversation binds its ContactId, not its Id' {
            Get-LcConversation -Id conv-a005 | Set-LcContact -City Aveiro
            (Get-PutRequests)[0].path | Should -Be '/contacts/contact-a005'
            @(Get-EmulatorRequests -Method PUT -PathPrefix '/contacts/conv-a005').Count | Should -Be 0
        }

        It 'a message binds its ContactId, not its Id' {
            $m = @(Get-LcMessage -ConversationId conv-a006)[0]
            $m | Set-LcContact -City Evora
            (Get-PutRequests)[0].path | Should -Be "/contacts/$($m.ContactId)"
        }

        It 'ids by value, and -Id as an alias' {
            'contact-a007', 'contact-a008' | Set-LcContact -City Tomar
            Set-LcContact -Id contact-a009 -City Tomar
            # Piped ids are sent concurrently (-ThrottleLimit): the server may see them in either order.
            (@((Get-PutRequests).path) | Sort-Object) -join ',' | Should -Be '/contacts/contact-a007,/contacts/contact-a008,/contacts/contact-a009'
        }
    }

    Context 'Errors and refusals' {
        It 'refuses to send an update with no field (NothingToUpdate)' {
            { Set-LcContact -ContactId contact-a001 -ErrorAction Stop } | Should -Throw -ErrorId 'NothingToUpdate*'
            (Get-EmulatorRequests).Count | Should -Be 0
        }

        It 'refuses a malformed id, a bad date of birth, a bad DND status; sends nothing' {
            $null = Set-LcContact -ContactId 'a/b' -City x -ErrorVariable e1 -ErrorAction SilentlyContinue
            Assert-LcError $e1 -ErrorId InvalidId
            $null = Set-LcContact -ContactId contact-a001 -DateOfBirth 'yesterday' -ErrorVariable e2 -ErrorAction SilentlyContinue
            Assert-LcError $e2 -ErrorId InvalidContact
            $null = Set-LcContact -ContactId contact-a001 -DndSettings @{ SMS = 'off' } -ErrorVariable e3 -ErrorAction SilentlyContinue
            Assert-LcError $e3 -ErrorId InvalidContact
            (Get-EmulatorRequests).Count | Should -Be 0
        }

        It 'writes ApiNotFound for a missing contact and goes on' {
            'contact-a010', 'contact-missing', 'contact-a011' | Set-LcContact -City Sintra -ErrorVariable lcErr -ErrorAction SilentlyContinue
            Assert-LcError $lcErr -ErrorId ApiNotFound
            (Get-LcContact -Id contact-a011).City | Should -Be 'Sintra'
        }

        It 'writes the API''s 422 (an invalid email)' {
            $null = Set-LcContact -ContactId contact-a001 -Email 'nope' -ErrorVariable lcErr -ErrorAction SilentlyContinue
            Assert-LcError $lcErr -ErrorId ApiInvalidRequest
            $lcErr[0].Exception.Message | Should -Match 'email must be an email'
        }
    }
}
