BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    $BaseUri = Initialize-TestSession

    function Get-CreateRequests { @(Get-EmulatorRequests -Method POST -PathPrefix '/conversations/preferences/custom-subtypes') }
}

AfterAll {
    if (Get-Command -Name Complete-TestSession -ErrorAction SilentlyContinue) { Complete-TestSession }
}

Describe 'New-LcCustomSubtype' {
    BeforeEach {
        Reset-Emulator
        Disconnect-Lc
        $null = Connect-TestLc -Tenant alpha
    }

    It 'creates a subtype: POST with every CreateCustomSubtypeDto field, the location in the query, JSON content' {
        $r = New-LcCustomSubtype -Name 'Events' -Channel Email -Language 'en-US' -Description 'Event invitations' -Confirm:$false

        $r.PSObject.TypeNames[0] | Should -Be 'LeadConnector.CustomSubtype'
        $r.Id | Should -Match '^[A-Za-z0-9]{20}$'
        $r.Name | Should -Be 'Events'
        $r.Channel | Should -Be 'email'
        $r.Language | Should -Be 'en-US'
        $r.Description | Should -Be 'Event invitations'
        $r.Archived | Should -BeFalse
        $req = (Get-CreateRequests)[0]
        $req.path | Should -Be '/conversations/preferences/custom-subtypes'
        $req.queryString | Should -Be '?locationId=loc-alpha'
        (Get-RequestHeader -Request $req -Name 'Content-Type') | Should -Match '^application/json'
        $body = Get-RequestBody -Request $req
        @($body.PSObject.Properties.Name) -join ',' | Should -Be 'name,description,channel,language'
        $body.channel | Should -Be 'email'
        $body.language | Should -Be 'en-US'
        (Get-LcCustomSubtype -Id $r.Id).Name | Should -Be 'Events'
    }

    It 'sends language en when -Language is not given, and no description when none is given' {
        $null = New-LcCustomSubtype -Name 'Alerts' -Channel sms -Confirm:$false
        $body = Get-RequestBody -Request (Get-CreateRequests)[0]
        $body.language | Should -Be 'en'
        $body.PSObject.Properties.Name | Should -Not -Contain 'description'
    }

    It 'creates one per CSV row, by property name' {
        $rows = @(
            [pscustomobject]@{ Name = 'Tips'; Channel = 'email'; Language = 'en'; Description = 'Monthly tips' }
            [pscustomobject]@{ Name = 'Flash sales'; Channel = 'sms'; Language = 'fr' }
        )
        $r = @($rows | New-LcCustomSubtype -Confirm:$false)
        ($r.Name -join ',') | Should -Be 'Tips,Flash sales'
        (Get-CreateRequests).Count | Should -Be 2
        @(Get-LcCustomSubtype).Count | Should -Be 4
    }

    Context 'Refusals: nothing is sent' {
        It 'refuses <Name>' -TestCases @(
            @{ Name = 'a name over 100 characters'; ErrorId = 'InvalidCustomSubtype'; Params = @{ Name = ('n' * 101); Channel = 'email' } }
            @{ Name = 'a description over 100 characters'; ErrorId = 'InvalidCustomSubtype'; Params = @{ Name = 'x'; Channel = 'email'; Description = ('d' * 101) } }
            @{ Name = 'a blank name'; ErrorId = 'InvalidCustomSubtype'; Params = @{ Name = '   '; Channel = 'email' } }
            @{ Name = 'a language that is no language code'; ErrorId = 'InvalidCustomSubtype'; Params = @{ Name = 'x'; Channel = 'email'; Language = 'english please' } }
            @{ Name = 'a name with a control character'; ErrorId = 'InvalidCustomSubtype'; Params = @{ Name = "a`u{0007}b"; Channel = 'email' } }
            @{ Name = 'a malformed location id'; ErrorId = 'InvalidId'; Params = @{ Name = 'x'; Channel = 'email'; LocationId = 'loc alpha' } }
        ) {
            $r = New-LcCustomSubtype @Params -Confirm:$false -ErrorVariable lcErr -ErrorAction SilentlyContinue
            $r | Should -BeNullOrEmpty
            Assert-LcError $lcErr -ErrorId $ErrorId -Category InvalidArgument
            @(Get-EmulatorRequests).Count | Should -Be 0
        }

        It 'refuses a channel the API does not take at binding' {
            { New-LcCustomSubtype -Name x -Channel whatsapp -ErrorAction Stop } | Should -Throw -ErrorId 'ParameterArgumentValidationError*'
            @(Get-EmulatorRequests).Count | Should -Be 0
        }

        It 'sends nothing with -WhatIf' {
            New-LcCustomSubtype -Name x -Channel email -WhatIf | Should -BeNullOrEmpty
            @(Get-EmulatorRequests).Count | Should -Be 0
        }
    }

    Context 'API errors and the no-duplicate rule' {
        It 'reports the API''s 400 for a name the channel already has' {
            $null = New-LcCustomSubtype -Name 'newsletter' -Channel email -Confirm:$false -ErrorVariable lcErr -ErrorAction SilentlyContinue
            Assert-LcError $lcErr -ErrorId ApiInvalidRequest -Category InvalidArgument
            "$($lcErr[0])" | Should -Match 'already exists'
        }

        It 'does not resend after the connection drops after processing: one POST, one subtype' {
            Set-EmulatorFault -Method POST -PathPrefix '/conversations/preferences/custom-subtypes' -Kind DropConnection -Stage AfterProcessing -Count 1
            $null = New-LcCustomSubtype -Name 'Once' -Channel email -Confirm:$false -ErrorVariable lcErr -ErrorAction SilentlyContinue

            @($lcErr).Count | Should -Be 1
            (Get-CreateRequests).Count | Should -Be 1
            @(Get-LcCustomSubtype -Name 'Once').Count | Should -Be 1
        }
    }
}
