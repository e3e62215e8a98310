BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    $BaseUri = Initialize-TestSession

    function Get-PutRequests { @(Get-EmulatorRequests -Method PUT -PathPrefix '/conversations/preferences/custom-subtypes/') }
}

AfterAll {
    if (Get-Command -Name Complete-TestSession -ErrorAction SilentlyContinue) { Complete-TestSession }
}

Describe 'Set-LcCustomSubtype' {
    BeforeEach {
        Reset-Emulator
        Disconnect-Lc
        $null = Connect-TestLc -Tenant alpha
    }

    It 'archives with -Archive: PUT /custom-subtypes/{id}?locationId= with archived=true' {
        $r = Set-LcCustomSubtype -Id cst-alpha-newsletter -Archive -PassThru -Confirm:$false

        $r.PSObject.TypeNames[0] | Should -Be 'LeadConnector.CustomSubtype'
        $r.Archived | Should -BeTrue
        $req = (Get-PutRequests)[0]
        $req.path | Should -Be '/conversations/preferences/custom-subtypes/cst-alpha-newsletter'
        $req.queryString | Should -Be '?locationId=loc-alpha'
        (Get-RequestHeader -Request $req -Name 'Content-Type') | Should -Match '^application/json'
        $body = Get-RequestBody -Request $req
        @($body.PSObject.Properties.Name) -join ',' | Should -Be 'archived'
        $body.archived | Should -BeTrue
        (Get-LcCustomSubtype -Id cst-alpha-newsletter).Archived | Should -BeTrue
    }

    It 'restores with -Archive:$false (archived=false)' {
        $null = Set-LcCustomSubtype -Id cst-alpha-newsletter -Archive -Confirm:$false
        $null = Set-LcCustomSubtype -Id cst-alpha-newsletter -Archive:$false -Confirm:$false
        (Get-RequestBody -Request (Get-PutRequests)[1]).archived | Should -BeFalse
        (Get-LcCustomSubtype -Id cst-alpha-newsletter).Archived | Should -BeFalse
    }

    It 'sends every UpdateCustomSubtypeDto field it is given, by its API name' {
        $r = Set-LcCustomSubtype -Id cst-alpha-promotions -Name 'SMS deals' -Description '' -ResubscriptionLegalFormId form_123 -Archive -PassThru -Confirm:$false
        $body = Get-RequestBody -Request (Get-PutRequests)[0]
        @($body.PSObject.Properties.Name | Sort-Object) -join ',' | Should -Be 'archived,description,name,resubscription_legal_form_id'
        $body.name | Should -Be 'SMS deals'
        $body.description | Should -Be ''
        $body.resubscription_legal_form_id | Should -Be 'form_123'
        $r.ResubscriptionLegalFormId | Should -Be 'form_123'
        $r.Name | Should -Be 'SMS deals'
    }

    It 'writes nothing without -PassThru' {
        Set-LcCustomSubtype -Id cst-alpha-promotions -Name 'Deals' -Confirm:$false | Should -BeNullOrEmpty
        (Get-PutRequests).Count | Should -Be 1
    }

    It 'takes Get-LcCustomSubtype''s objects from the pipeline (Id and LocationId by property name)' {
        $r = @(Get-LcCustomSubtype | Set-LcCustomSubtype -Archive -PassThru -Confirm:$false)
        ($r.Id | Sort-Object) -join ',' | Should -Be 'cst-alpha-newsletter,cst-alpha-promotions'
        $r.Archived | Should -Not -Contain $false
        (Get-PutRequests).Count | Should -Be 2
    }

    It 'maps an unknown id to ApiNotFound' {
        $null = Set-LcCustomSubtype -Id cst-nope -Archive -Confirm:$false -ErrorVariable lcErr -ErrorAction SilentlyContinue
        Assert-LcError $lcErr -ErrorId ApiNotFound -Category ObjectNotFound
    }

    Context 'Refusals: nothing is sent' {
        It 'stops with NothingToUpdate when no change is given' {
            { Set-LcCustomSubtype -Id cst-alpha-newsletter -ErrorAction Stop } | Should -Throw -ErrorId 'NothingToUpdate*'
            @(Get-EmulatorRequests).Count | Should -Be 0
        }

        It 'refuses <Name>' -TestCases @(
            @{ Name = 'a malformed id'; ErrorId = 'InvalidId'; Params = @{ Id = 'cst/../x'; Archive = $true } }
            @{ Name = 'a name over 100 characters'; ErrorId = 'InvalidCustomSubtype'; Params = @{ Id = 'cst-alpha-newsletter'; Name = ('n' * 101) } }
            @{ Name = 'a blank name'; ErrorId = 'InvalidCustomSubtype'; Params = @{ Id = 'cst-alpha-newsletter'; Name = ' ' } }
            @{ Name = 'a malformed legal form id'; ErrorId = 'InvalidId'; Params = @{ Id = 'cst-alpha-newsletter'; ResubscriptionLegalFormId = 'form 1' } }
        ) {
            $null = Set-LcCustomSubtype @Params -Confirm:$false -ErrorVariable lcErr -ErrorAction SilentlyContinue
            Assert-LcError $lcErr -ErrorId $ErrorId -Category InvalidArgument
            @(Get-EmulatorRequests).Count | Should -Be 0
        }

        It 'sends nothing with -WhatIf' {
            Set-LcCustomSubtype -Id cst-alpha-newsletter -Archive -WhatIf | Should -BeNullOrEmpty
            @(Get-EmulatorRequests).Count | Should -Be 0
        }
    }
}
