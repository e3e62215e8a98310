BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    $BaseUri = Initialize-TestSession

    function Get-SubtypeRequests { @(Get-EmulatorRequests -PathPrefix '/conversations/preferences/custom-subtypes') }
}

AfterAll {
    if (Get-Command -Name Complete-TestSession -ErrorAction SilentlyContinue) { Complete-TestSession }
}

Describe 'Get-LcCustomSubtype' {
    BeforeEach {
        Reset-Emulator
        Disconnect-Lc
        $null = Connect-TestLc -Tenant alpha
    }

    It 'lists the location''s custom subtypes as typed objects with every field' {
        $r = @(Get-LcCustomSubtype)

        $r.Count | Should -Be 2
        $r[0].PSObject.TypeNames[0] | Should -Be 'LeadConnector.CustomSubtype'
        ($r.Id -join ',') | Should -Be 'cst-alpha-newsletter,cst-alpha-promotions'
        $n = $r[0]
        $n.Name | Should -Be 'Newsletter'
        $n.Description | Should -Be 'Weekly newsletter'
        $n.Channel | Should -Be 'email'
        $n.Language | Should -Be 'en'
        $n.Archived | Should -BeFalse
        $n.LocationId | Should -Be 'loc-alpha'
        $n.DateAdded | Should -BeOfType [DateTimeOffset]
        $n.DateAdded.Offset | Should -Be ([TimeSpan]::Zero)
        $n.DateUpdated | Should -BeGreaterThan $n.DateAdded
        "$n" | Should -Be 'cst-alpha-newsletter'
    }

    It 'sends GET with the connection''s location as the only query parameter' {
        $null = Get-LcCustomSubtype
        $req = @(Get-SubtypeRequests)
        $req.Count | Should -Be 1
        $req[0].method | Should -Be 'GET'
        $req[0].path | Should -Be '/conversations/preferences/custom-subtypes'
        $req[0].queryString | Should -Be '?locationId=loc-alpha'
        (Get-RequestHeader -Request $req[0] -Name 'Version') | Should -Be '2021-07-28'
    }

    It 'filters by -Name (wildcards), -Channel and -Id on the one list it reads' {
        (Get-LcCustomSubtype -Name 'news*').Id | Should -Be 'cst-alpha-newsletter'
        (Get-LcCustomSubtype -Channel SMS).Id | Should -Be 'cst-alpha-promotions'
        (Get-LcCustomSubtype -Id cst-alpha-promotions).Name | Should -Be 'Promotions'
        (Get-SubtypeRequests).Count | Should -Be 3
    }

    It 'writes CustomSubtypeNotFound for an -Id the location does not hold, and goes on with the others' {
        $r = @(Get-LcCustomSubtype -Id cst-missing, cst-alpha-newsletter -ErrorVariable lcErr -ErrorAction SilentlyContinue)

        $r.Id | Should -Be 'cst-alpha-newsletter'
        Assert-LcError $lcErr -ErrorId CustomSubtypeNotFound -Category ObjectNotFound
        $lcErr[0].TargetObject | Should -Be 'cst-missing'
    }

    It 'reads another location with -LocationId and -Connection' {
        $beta = Connect-TestLc -Tenant beta
        (Get-LcCustomSubtype -Connection $beta).Id | Should -Be 'cst-beta-updates'
        (@(Get-SubtypeRequests)[-1]).queryString | Should -Be '?locationId=loc-beta'
    }

    It 'maps a token of another location to ApiForbidden' {
        $null = Get-LcCustomSubtype -LocationId loc-beta -ErrorVariable lcErr -ErrorAction SilentlyContinue
        Assert-LcError $lcErr -ErrorId ApiForbidden -Category PermissionDenied
    }

    It 'takes -Id and -LocationId from the pipeline by property name' {
        $r = @([pscustomobject]@{ Id = 'cst-alpha-promotions'; LocationId = 'loc-alpha' } | Get-LcCustomSubtype)
        $r.Name | Should -Be 'Promotions'
    }

    It 'refuses a malformed -LocationId before sending' {
        $null = Get-LcCustomSubtype -LocationId 'loc/../x' -ErrorVariable lcErr -ErrorAction SilentlyContinue
        Assert-LcError $lcErr -ErrorId InvalidId -Category InvalidArgument
        @(Get-EmulatorRequests).Count | Should -Be 0
    }

    It 'shows a table that fits 80 columns, headers whole' {
        $text = Get-LcCustomSubtype | Format-Table | Out-String -Width 80
        foreach ($line in $text -split '\r?\n') { $line.Length | Should -BeLessOrEqual 80 }
        $header = @($text -split '\r?\n' | Where-Object { $_.Trim() })[0]
        foreach ($label in 'Id', 'Channel', 'Archived', 'Name', 'Description') { $header | Should -Match "(^| )$label( |$)" }
    }

    It 'reads the list whatever its wrapping: a bare array, or under data' -TestCases @(
        @{ Body = '[{"_id":"s1","name":"A","channel":"email","language":"en","archived":"true","createdAt":"1700000000000"}]' }
        @{ Body = '{"data":[{"_id":"s1","name":"A","channel":"email","language":"en","archived":true,"createdAt":1700000000000}]}' }
    ) {
        Set-EmulatorFault -Method GET -PathPrefix '/conversations/preferences/custom-subtypes' -Kind Status -StatusCode 200 -Count 1 -ContentType 'application/json' -Body $Body
        $r = @(Get-LcCustomSubtype)
        $r.Count | Should -Be 1
        $r[0].Id | Should -Be 's1'
        $r[0].Archived | Should -BeTrue
        $r[0].DateAdded | Should -Be ([DateTimeOffset]::FromUnixTimeMilliseconds(1700000000000))
    }
}
