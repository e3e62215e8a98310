BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    $BaseUri = Initialize-TestSession

    function Get-CreateRequests { @(Get-EmulatorRequests -Method POST -PathPrefix '/contacts/' | Where-Object { $_.path -in '/contacts', '/contacts/' }) }
    function Get-UpsertRequests { @(Get-EmulatorRequests -Method POST -PathPrefix '/contacts/upsert') }
    function Set-AllowDuplicateContact([string] $LocationId = 'loc-alpha', [bool] $Allowed) {
        $null = Invoke-RestMethod -Method Put -Uri ((Get-EmulatorUri) + "/_emulator/contacts/settings?locationId=$LocationId") -ContentType 'application/json' `
            -Body (ConvertTo-Json -Compress @{ allowDuplicateContact = $Allowed }) -ErrorAction Stop
    }
    # Contacts of the current location whose email is one of these (exact, the emulator stores emails in lower case).
    function Find-ByEmail([string[]] $Email) {
        @(Get-LcContact -Filter @{ field = 'email'; operator = 'eq'; value = $Email } -All)
    }
}

AfterAll {
    if (Get-Command -Name Complete-TestSession -ErrorAction SilentlyContinue) { Complete-TestSession }
}

Describe 'New-LcContact' {
    BeforeEach {
        Reset-Emulator
        Disconnect-Lc
        $null = Connect-TestLc -Tenant alpha
    }

    Context 'Create (POST /contacts/)' {
        It 'creates a typed contact and sends every field of CreateContactDto in the API''s names' {
            $c = New-LcContact -FirstName Ana -LastName Lima -Name 'Ana Lima' -Email 'ana@example.com' -Phone '+1 555-123-4567' `
                -CompanyName 'Lima Ltd' -Address1 '1 Main St' -City Lisbon -State LX -PostalCode 1000 -Country PT -Website 'https://lima.example.com' `
                -Timezone 'Europe/Lisbon' -DateOfBirth '1990-09-25' -Source 'import' -Gender female -AssignedTo user-alice -Tag vip, lead -Dnd $false `
                -CustomField @{ '6dvNaf7VhkQ9snc5vnjJ' = 'by id'; my_field = 42 } -DndSettings @{ sms = 'active'; Email = @{ status = 'inactive'; message = 'm' } } `
                -InboundDndSettings inactive

            $c.PSObject.TypeNames[0] | Should -Be 'LeadConnector.Contact'
            $c.Id | Should -Not -BeNullOrEmpty
            $c.Name | Should -Be 'Ana Lima'
            $c.Email | Should -Be 'ana@example.com'
            $c.Phone | Should -Be '+15551234567'
            @($c.Tags) -join ',' | Should -Be 'vip,lead'
            $c.DateOfBirth | Should -Be '1990-09-25'
            $c.IsNew | Should -BeNullOrEmpty -Because 'IsNew is an upsert fact'
            $body = Get-RequestBody -Request (Get-CreateRequests)[0]
            $body.locationId | Should -Be 'loc-alpha'
            $body.firstName | Should -Be 'Ana'
            $body.lastName | Should -Be 'Lima'
            $body.name | Should -Be 'Ana Lima'
            $body.companyName | Should -Be 'Lima Ltd'
            $body.address1 | Should -Be '1 Main St'
            $body.city | Should -Be 'Lisbon'
            $body.state | Should -Be 'LX'
            $body.postalCode | Should -Be '1000'
            $body.country | Should -Be 'PT'
            $body.website | Should -Be 'https://lima.example.com'
            $body.timezone | Should -Be 'Europe/Lisbon'
            $body.source | Should -Be 'import'
            $body.gender | Should -Be 'female'
            $body.assignedTo | Should -Be 'user-alice'
            $body.dnd | Should -BeFalse
            $byId = @($body.customFields | Where-Object { $_.id -eq '6dvNaf7VhkQ9snc5vnjJ' })
            $byId.Count | Should -Be 1 -Because 'a 20-character alphanumeric name is a field id'
            $byId[0].field_value | Should -Be 'by id'
            $byKey = @($body.customFields | Where-Object { $_.key -eq 'my_field' })
            $byKey.Count | Should -Be 1 -Because 'any other name is a field key'
            $byKey[0].field_value | Should -Be 42
            $body.dndSettings.SMS.status | Should -Be 'active'
            $body.dndSettings.Email.message | Should -Be 'm'
            $body.inboundDndSettings.all.status | Should -Be 'inactive'
            $body.PSObject.Properties.Name | Should -Not -Contain 'createNewIfDuplicateAllowed'
        }

        It 'takes a [DateTime] -DateOfBirth as its date' {
            $c = New-LcContact -Email 'dob@example.com' -DateOfBirth ([datetime]'1985-02-03')
            (Get-RequestBody -Request (Get-CreateRequests)[0]).dateOfBirth | Should -Be '1985-02-03'
            $c.DateOfBirth | Should -Be '1985-02-03'
        }

        It 'takes the API''s ISO date of birth of a returned contact as its date' {
            $null = New-LcContact -Email 'iso@example.com' -DateOfBirth '1990-09-25T00:00:00.000Z'
            (Get-RequestBody -Request (Get-CreateRequests)[0]).dateOfBirth | Should -Be '1990-09-25'
        }

        It 'names the existing contact when the location refuses a duplicate (400), and creates nothing' {
            $existing = Get-LcContact -Id contact-a001
            $r = New-LcContact -FirstName Other -Email $existing.Email.ToUpperInvariant() -ErrorVariable lcErr -ErrorAction SilentlyContinue

            $r | Should -BeNullOrEmpty
            Assert-LcError $lcErr -ErrorId ApiInvalidRequest -Category InvalidArgument
            $lcErr[0].Exception.Message | Should -Match 'contact-a001'
            $lcErr[0].Exception.Message | Should -Match 'does not allow duplicated contacts'
            $lcErr[0].Exception.Message | Should -Match '^Row 1 '
            $lcErr[0].Exception.Data['LeadConnector.DuplicateContactId'] | Should -Be 'contact-a001'
            (Get-CreateRequests).Count | Should -Be 1
        }

        It 'creates a second contact with the same email when the location allows duplicates' {
            Set-AllowDuplicateContact -Allowed $true
            $existing = Get-LcContact -Id contact-a002
            $c = New-LcContact -FirstName Twin -Email $existing.Email
            $c.Id | Should -Not -Be 'contact-a002'
            (Find-ByEmail $existing.Email).Count | Should -Be 2
        }

        It 'never sends a create twice: a connection dropped after the API made the contact is an error, and one contact exists' {
            Set-EmulatorFault -Method POST -PathPrefix '/contacts' -Kind DropConnection -Stage AfterProcessing -Count 1
            $r = New-LcContact -FirstName Once -Email 'once@example.com' -ErrorVariable lcErr -ErrorAction SilentlyContinue

            $r | Should -BeNullOrEmpty
            @($lcErr).Count | Should -Be 1
            $lcErr[0].Exception.Message | Should -Match 'once@example.com'
            (Get-CreateRequests).Count | Should -Be 1
            (Find-ByEmail 'once@example.com').Count | Should -Be 1
        }
    }

    Context 'Upsert (POST /contacts/upsert)' {
        It 'reports IsNew: true when it creates, false when it updates the contact matched by email' {
            $a = New-LcContact -Upsert -FirstName Up -Email 'up@example.com' -City One
            $b = New-LcContact -Upsert -Email 'UP@example.com' -City Two

            $a.IsNew | Should -BeTrue
            $b.IsNew | Should -BeFalse
            $b.Id | Should -Be $a.Id
            $b.City | Should -Be 'Two'
            $b.FirstName | Should -Be 'Up'
            (Get-UpsertRequests).Count | Should -Be 2
        }

        It 'matches by phone when there is no email' {
            $seed = Get-LcContact -Id contact-a003
            $r = New-LcContact -Upsert -Phone $seed.Phone -City Matched
            $r.IsNew | Should -BeFalse
            $r.Id | Should -Be 'contact-a003'
        }

        It 'sends createNewIfDuplicateAllowed: a new contact where the location allows duplicates, the match where it does not' {
            $seed = Get-LcContact -Id contact-a004
            $r1 = New-LcContact -Upsert -Email $seed.Email -CreateNewIfDuplicateAllowed
            $r1.IsNew | Should -BeFalse -Because 'the location does not allow duplicates: normal upsert'
            (Get-RequestBody -Request (Get-UpsertRequests)[0]).createNewIfDuplicateAllowed | Should -BeTrue

            Set-AllowDuplicateContact -Allowed $true
            $r2 = New-LcContact -Upsert -Email $seed.Email -CreateNewIfDuplicateAllowed
            $r2.IsNew | Should -BeTrue
            $r2.Id | Should -Not -Be 'contact-a004'
        }

        It 'refuses -CreateNewIfDuplicateAllowed without -Upsert' {
            { New-LcContact -Email 'x@example.com' -CreateNewIfDuplicateAllowed -ErrorAction Stop } | Should -Throw -ErrorId 'ConflictingParameters*'
            (Get-EmulatorRequests).Count | Should -Be 0
        }

        It 'sends an upsert again after a dropped connection (the API matches it by email): one contact, IsNew unknown' {
            Set-EmulatorFault -Method POST -PathPrefix '/contacts/upsert' -Kind DropConnection -Stage AfterProcessing -Count 1
            $r = New-LcContact -Upsert -FirstName Drop -Email 'drop@example.com' -ErrorVariable lcErr

            @($lcErr).Count | Should -Be 0
            $r.Id | Should -Not -BeNullOrEmpty
            $r.IsNew | Should -BeNullOrEmpty -Because 'the lost attempt may have made it'
            (Get-UpsertRequests).Count | Should -Be 2
            (Find-ByEmail 'drop@example.com').Count | Should -Be 1
        }

        It 'sends an upsert again after a 500 (it may have been applied)' {
            Set-EmulatorFault -Method POST -PathPrefix '/contacts/upsert' -Kind Status -StatusCode 500 -Stage AfterProcessing -Count 1
            $r = New-LcContact -Upsert -Email 'five@example.com'
            $r.Id | Should -Not -BeNullOrEmpty
            (Find-ByEmail 'five@example.com').Count | Should -Be 1
        }

        It 'does not send again an upsert that may create a new contact each time (createNewIfDuplicateAllowed)' {
            Set-AllowDuplicateContact -Allowed $true
            Set-EmulatorFault -Method POST -PathPrefix '/contacts/upsert' -Kind DropConnection -Stage AfterProcessing -Count 1
            $null = New-LcContact -Upsert -Email 'dup@example.com' -CreateNewIfDuplicateAllowed -ErrorVariable lcErr -ErrorAction SilentlyContinue
            @($lcErr).Count | Should -Be 1
            (Get-UpsertRequests).Count | Should -Be 1
            (Find-ByEmail 'dup@example.com').Count | Should -Be 1
        }
    }

    Context 'Refusals: nothing is sent' {
        It 'refuses <Name>' -TestCases @(
            @{ Name = 'a contact with no fields'; Params = @{ LocationId = 'loc-alpha' } }
            @{ Name = 'a date of birth in no documented format'; Params = @{ Email = 'a@example.com'; DateOfBirth = '25 Sep 1990' } }
            @{ Name = 'a date of birth that is no date'; Params = @{ Email = 'a@example.com'; DateOfBirth = '1990-02-30' } }
            @{ Name = 'a DND channel that does not exist'; Params = @{ Email = 'a@example.com'; DndSettings = @{ Fax = 'active' } } }
            @{ Name = 'a DND status outside the enum'; Params = @{ Email = 'a@example.com'; DndSettings = @{ SMS = 'on' } } }
            @{ Name = 'an inbound DND status outside the enum'; Params = @{ Email = 'a@example.com'; InboundDndSettings = 'permanent' } }
            @{ Name = 'an empty tag'; Params = @{ Email = 'a@example.com'; Tag = @('ok', ' ') } }
        ) {
            $r = New-LcContact @Params -ErrorVariable lcErr -ErrorAction SilentlyContinue
            $r | Should -BeNullOrEmpty
            Assert-LcError $lcErr -ErrorId InvalidContact -Category InvalidArgument
            (Get-EmulatorRequests).Count | Should -Be 0
        }

        It 'refuses a malformed location id' {
            $null = New-LcContact -Email 'a@example.com' -LocationId 'bad/id' -ErrorVariable lcErr -ErrorAction SilentlyContinue
            Assert-LcError $lcErr -ErrorId InvalidId
            (Get-EmulatorRequests).Count | Should -Be 0
        }

        It 'refuses a -Dnd text that is no yes/no value' {
            { [pscustomobject]@{ email = 'a@example.com'; dnd = 'maybe' } | New-LcContact -ErrorAction Stop } | Should -Throw
            (Get-EmulatorRequests).Count | Should -Be 0
        }
    }

    Context 'CSV rows from the pipeline' {
        It 'binds the API''s camelCase columns, splits tags, reads yes/no, skips empty cells, keeps the input order' {
            $csv = @'
firstName,lastName,email,phone,tags,dnd,companyName,postalCode,address1,city
Bo,Ek,bo@example.com,+15550002222,"a; b",no,Acme,12345,1 Main St,Springfield
Cy,,cy@example.com,,,,,,,
Di,Fo,di@example.com,+15550004444,x,yes,,,,
'@ | ConvertFrom-Csv
            $r = @($csv | New-LcContact -Upsert)

            $r.Email -join ',' | Should -Be 'bo@example.com,cy@example.com,di@example.com'
            @($r[0].Tags) -join ',' | Should -Be 'a,b'
            $r[0].Dnd | Should -BeFalse
            $r[2].Dnd | Should -BeTrue
            $r[0].CompanyName | Should -Be 'Acme'
            $r[0].PostalCode | Should -Be '12345'
            $r[0].Address1 | Should -Be '1 Main St'
            $bodies = @(Get-UpsertRequests | ForEach-Object { Get-RequestBody -Request $_ })
            $cy = $bodies | Where-Object email -eq 'cy@example.com'
            $cy.PSObject.Properties.Name | Should -Not -Contain 'phone' -Because 'an empty cell is not sent'
            $cy.PSObject.Properties.Name | Should -Not -Contain 'tags'
            $cy.PSObject.Properties.Name | Should -Not -Contain 'dnd'
        }

        It 'writes a row the API refuses (422) as an error naming its position and email, and goes on with the others' {
            $rows = 1..5 | ForEach-Object { [pscustomobject]@{ firstName = "R$_"; email = if ($_ -eq 3) { 'not-an-email' } else { "r$_@example.com" } } }
            $r = @($rows | New-LcContact -Upsert -ErrorVariable lcErr -ErrorAction SilentlyContinue)

            $r.Email -join ',' | Should -Be 'r1@example.com,r2@example.com,r4@example.com,r5@example.com'
            Assert-LcError $lcErr -ErrorId ApiInvalidRequest -Category InvalidArgument
            $lcErr[0].Exception.Message | Should -Match '^Row 3 \(not-an-email\): '
            $lcErr[0].Exception.Message | Should -Match 'email must be an email'
            $lcErr[0].TargetObject | Should -Be 'not-an-email'
        }

        It 'names a row by its phone when it has no email' {
            $rows = @([pscustomobject]@{ phone = '+15550009999' }, [pscustomobject]@{ phone = 'call me' })
            $null = $rows | New-LcContact -ErrorVariable lcErr -ErrorAction SilentlyContinue
            Assert-LcError $lcErr -ErrorId ApiInvalidRequest
            $lcErr[0].Exception.Message | Should -Match '^Row 2 \(call me\): .*phone'
        }

        It 'with -WhatIf sends nothing' {
            $null = [pscustomobject]@{ email = 'w@example.com' } | New-LcContact -Upsert -WhatIf
            (Get-EmulatorRequests).Count | Should -Be 0
        }
    }

    Context 'Bulk: 1,000 rows at the API''s limit' {
        It 'upserts 1,000 CSV rows with the default -ThrottleLimit: all made once, in input order, no 429 surfaced' {
            # 100 per 1 s window instead of the default 10 s: the same pacing from the same headers, ten times sooner.
            Set-EmulatorRateLimit -Max 100 -IntervalMs 1000
            $t = New-TestLocation -Conversations 0
            $rows = 1..1000 | ForEach-Object { [pscustomobject]@{ firstName = "Lead$_"; email = "lead$_@example.com"; phone = '+1555{0:D7}' -f $_ } }
            $path = Join-Path ([System.IO.Path]::GetTempPath()) ("leads-{0}.csv" -f [guid]::NewGuid().ToString('N'))
            $rows | Export-Csv -LiteralPath $path -NoTypeInformation
            try {
                $clock = [System.Diagnostics.Stopwatch]::StartNew()
                $r = @(Import-Csv -LiteralPath $path | New-LcContact -Upsert -Connection $t.Connection -ErrorVariable lcErr)
                $clock.Stop()
            }
            finally { Remove-Item -LiteralPath $path -ErrorAction SilentlyContinue }

            @($lcErr).Count | Should -Be 0 -Because 'no 429 (or anything else) surfaces'
            $r.Count | Should -Be 1000
            ($r.Email -join ',') | Should -Be (($rows.email) -join ',') -Because 'results keep the input order'
            @($r | Where-Object { $_.IsNew -ne $true }).Count | Should -Be 0
            @($r.Id | Sort-Object -Unique).Count | Should -Be 1000
            $requests = @(Get-EmulatorRequests -Method POST -PathPrefix '/contacts/upsert')
            $throttled = @($requests | Where-Object statusCode -eq 429).Count
            Write-Host ("1,000 upserts: {0:N1} s, {1} requests ({2} answered 429 and were retried)" -f $clock.Elapsed.TotalSeconds, $requests.Count, $throttled)
            $requests.Count - $throttled | Should -Be 1000
        }
    }
}
