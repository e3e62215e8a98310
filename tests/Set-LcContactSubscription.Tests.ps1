BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    $BaseUri = Initialize-TestSession

    function Get-ChangeRequests { @(Get-EmulatorRequests -Method POST -PathPrefix '/conversations/preferences/unsubscriptions/user-change') }
    function Get-Status([string] $ContactId, [string] $Email, [string] $SubtypeId) {
        Get-LcContactSubscription -ContactId $ContactId -Email $Email | Where-Object { $_.SubtypeId -eq $SubtypeId -or (-not $SubtypeId -and $_.Type -eq 'default') }
    }
}

AfterAll {
    if (Get-Command -Name Complete-TestSession -ErrorAction SilentlyContinue) { Complete-TestSession }
}

Describe 'Set-LcContactSubscription' {
    BeforeEach {
        Reset-Emulator
        Disconnect-Lc
        $null = Connect-TestLc -Tenant alpha
    }

    It 'is ConfirmImpact High: it asks first (and has -Force)' {
        $attr = (Get-Command Set-LcContactSubscription).ImplementingType.GetCustomAttributes([System.Management.Automation.CmdletAttribute], $false)[0]
        [string] $attr.ConfirmImpact | Should -Be 'High'
        (Get-Command Set-LcContactSubscription).Parameters.Keys | Should -Contain 'Force'
    }

    It 'unsubscribes from One on One: POST with every UserSubscriptionChangeDto field it needs, JSON content' {
        $r = @(Set-LcContactSubscription -ContactId contact-a005 -Email 'emma.schmidt@example.com' -Type Default -Status Unsubscribed -LegalDescription 'Asked by phone' -Force -PassThru)

        $req = (Get-ChangeRequests)[0]
        $req.path | Should -Be '/conversations/preferences/unsubscriptions/user-change'
        $req.queryString | Should -BeNullOrEmpty
        (Get-RequestHeader -Request $req -Name 'Content-Type') | Should -Match '^application/json'
        $body = Get-RequestBody -Request $req
        @($body.PSObject.Properties.Name) -join ',' | Should -Be 'locationId,contactId,email,subscription_action,legal_description'
        $body.locationId | Should -Be 'loc-alpha'
        $body.contactId | Should -Be 'contact-a005'
        $body.email | Should -Be 'emma.schmidt@example.com'
        $body.subscription_action.type | Should -Be 'default'
        $body.subscription_action.subtype_name | Should -Be 'One on One'
        $body.subscription_action.subtype_status | Should -Be 'unsubscribed'
        $body.legal_description | Should -Be 'Asked by phone'
        $r[0].PSObject.TypeNames[0] | Should -Be 'LeadConnector.ContactSubscription'
        ($r | Where-Object Type -eq 'default').Status | Should -Be 'unsubscribed'
        (Get-Status contact-a005 'emma.schmidt@example.com').Status | Should -Be 'unsubscribed'
    }

    It 'resubscribes to a custom subtype with a legal reason' {
        $null = Set-LcContactSubscription -ContactId contact-a003 -Email 'sofia@nguyen-realty.example.com' -Type Custom -SubtypeId cst-alpha-newsletter `
            -Status Subscribed -LegalReason 'Customer asked to be resubscribed' -Force
        $body = Get-RequestBody -Request (Get-ChangeRequests)[0]
        $body.subscription_action.type | Should -Be 'custom'
        $body.subscription_action.subtype_id | Should -Be 'cst-alpha-newsletter'
        $body.subscription_action.PSObject.Properties.Name | Should -Not -Contain 'subtype_name'
        $body.subscription_action.subtype_status | Should -Be 'subscribed'
        $body.legal_reason | Should -Be 'Customer asked to be resubscribed'
        (Get-Status contact-a003 'sofia@nguyen-realty.example.com' cst-alpha-newsletter).Status | Should -Be 'subscribed'
    }

    It 'resubscribes to every type with -Type ResubAll (status subscribed)' {
        $null = Set-LcContactSubscription -ContactId contact-a003 -Email 'sofia.nguyen@example.com' -Type ResubAll -LegalReason 'Signed a new consent form' -Force
        $action = (Get-RequestBody -Request (Get-ChangeRequests)[0]).subscription_action
        @($action.PSObject.Properties.Name) -join ',' | Should -Be 'type,subtype_status'
        $action.type | Should -Be 'resub_all'
        $action.subtype_status | Should -Be 'subscribed'
        (Get-LcContactSubscription -ContactId contact-a003 -Email 'sofia.nguyen@example.com').Status | Sort-Object -Unique | Should -Be 'subscribed'
    }

    It 'takes a contact from the pipeline (its Id and Email), and a conversation''s ContactId over its Id' {
        $null = Get-LcContact -Id contact-a008 | Set-LcContactSubscription -Type Default -Status Unsubscribed -Force
        $null = Get-LcConversation -Id conv-a009 | Set-LcContactSubscription -Type Default -Status Unsubscribed -Force
        $bodies = @(Get-ChangeRequests | ForEach-Object { Get-RequestBody -Request $_ })
        $bodies[0].contactId | Should -Be 'contact-a008'
        $bodies[0].email | Should -Be 'lucas.kowalski@example.com'
        $bodies[1].contactId | Should -Be 'contact-a009'
        $bodies[1].email | Should -Be 'mia.haddad@example.com'
    }

    It 'writes nothing without -PassThru' {
        Set-LcContactSubscription -ContactId contact-a005 -Email 'emma.schmidt@example.com' -Type Default -Status Unsubscribed -Force | Should -BeNullOrEmpty
    }

    Context 'Refusals: nothing is sent' {
        It 'refuses <Name>' -TestCases @(
            @{ Name = 'a resubscribe without -LegalReason'; ErrorId = 'InvalidSubscriptionChange'; Params = @{ Type = 'Default'; Status = 'Subscribed' } }
            @{ Name = 'ResubAll without -LegalReason'; ErrorId = 'InvalidSubscriptionChange'; Params = @{ Type = 'ResubAll' } }
            @{ Name = 'ResubAll with -Status Unsubscribed'; ErrorId = 'InvalidSubscriptionChange'; Params = @{ Type = 'ResubAll'; Status = 'Unsubscribed'; LegalReason = 'x' } }
            @{ Name = 'Custom without -SubtypeId'; ErrorId = 'InvalidSubscriptionChange'; Params = @{ Type = 'Custom'; Status = 'Unsubscribed' } }
            @{ Name = 'Default with -SubtypeId'; ErrorId = 'InvalidSubscriptionChange'; Params = @{ Type = 'Default'; Status = 'Unsubscribed'; SubtypeId = 'cst-alpha-newsletter' } }
            @{ Name = 'no -Status'; ErrorId = 'InvalidSubscriptionChange'; Params = @{ Type = 'Default' } }
            @{ Name = 'an address that is no address'; ErrorId = 'InvalidSubscriptionChange'; Params = @{ Type = 'Default'; Status = 'Unsubscribed'; Email = 'emma at example.com' } }
            @{ Name = 'a malformed contact id'; ErrorId = 'InvalidId'; Params = @{ Type = 'Default'; Status = 'Unsubscribed'; ContactId = 'contact/a005' } }
            @{ Name = 'a malformed subtype id'; ErrorId = 'InvalidId'; Params = @{ Type = 'Custom'; Status = 'Unsubscribed'; SubtypeId = 'cst alpha' } }
        ) {
            if (-not $Params.ContainsKey('ContactId')) { $Params.ContactId = 'contact-a005' }
            if (-not $Params.ContainsKey('Email')) { $Params.Email = 'emma.schmidt@example.com' }
            $null = Set-LcContactSubscription @Params -Force -ErrorVariable lcErr -ErrorAction SilentlyContinue
            Assert-LcError $lcErr -ErrorId $ErrorId -Category InvalidArgument
            "$($lcErr[0])" | Should -Match 'othing was sent'
            @(Get-EmulatorRequests).Count | Should -Be 0
        }

        It 'refuses a -SubtypeName other than One on One, and a -Type the API does not take, at binding' {
            { Set-LcContactSubscription -ContactId contact-a005 -Email e@example.com -Type Default -Status Unsubscribed -SubtypeName 'Marketing' -Force -ErrorAction Stop } |
                Should -Throw -ErrorId 'ParameterArgumentValidationError*'
            { Set-LcContactSubscription -ContactId contact-a005 -Email e@example.com -Type All -Status Unsubscribed -Force -ErrorAction Stop } |
                Should -Throw -ErrorId 'ParameterArgumentValidationError*'
            @(Get-EmulatorRequests).Count | Should -Be 0
        }

        It 'sends nothing with -WhatIf' {
            Set-LcContactSubscription -ContactId contact-a005 -Email 'emma.schmidt@example.com' -Type Default -Status Unsubscribed -WhatIf | Should -BeNullOrEmpty
            @(Get-EmulatorRequests).Count | Should -Be 0
        }
    }

    Context 'API errors and the no-duplicate rule' {
        It 'maps <Name> to <ErrorId>' -TestCases @(
            @{ Name = 'an unknown custom subtype'; Params = @{ Type = 'Custom'; SubtypeId = 'cst-nope'; Status = 'Unsubscribed' }; ErrorId = 'ApiNotFound' }
            @{ Name = 'an address the contact does not have'; Params = @{ Type = 'Default'; Status = 'Unsubscribed'; Email = 'other@example.com' }; ErrorId = 'ApiInvalidRequest' }
            @{ Name = 'an SMS subtype'; Params = @{ Type = 'Custom'; SubtypeId = 'cst-alpha-promotions'; Status = 'Unsubscribed' }; ErrorId = 'ApiInvalidRequest' }
        ) {
            if (-not $Params.ContainsKey('Email')) { $Params.Email = 'emma.schmidt@example.com' }
            $null = Set-LcContactSubscription -ContactId contact-a005 @Params -Force -ErrorVariable lcErr -ErrorAction SilentlyContinue
            Assert-LcError $lcErr -ErrorId $ErrorId
        }

        It 'does not resend after the connection drops after processing: one POST' {
            Set-EmulatorFault -Method POST -PathPrefix '/conversations/preferences/unsubscriptions/user-change' -Kind DropConnection -Stage AfterProcessing -Count 1
            $null = Set-LcContactSubscription -ContactId contact-a005 -Email 'emma.schmidt@example.com' -Type Default -Status Unsubscribed -Force -ErrorVariable lcErr -ErrorAction SilentlyContinue

            @($lcErr).Count | Should -Be 1
            (Get-ChangeRequests).Count | Should -Be 1
            (Get-Status contact-a005 'emma.schmidt@example.com').Status | Should -Be 'unsubscribed'
        }
    }
}
