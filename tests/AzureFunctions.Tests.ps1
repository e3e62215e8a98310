# examples/AzureFunctions/InboundSms/run.ps1 run as the Functions host runs it: $Request with the raw body and headers,
# Push-OutputBinding and HttpResponseContext stood in, signed by a key pair made here, against the emulator.

BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    $BaseUri = Initialize-TestSession
    Import-Module (Join-Path $PSScriptRoot 'fixtures/webhooks/WebhookSigning.psm1') -Force
    $runPs1 = Join-Path (Get-RepoRoot) 'examples/AzureFunctions/InboundSms/run.ps1'
    $key = New-TestEd25519Key
    $savedKey = $env:LC_WEBHOOK_PUBLIC_KEY

    # What the PowerShell worker provides: the HttpResponseContext type and Push-OutputBinding.
    if (-not ('HttpResponseContext' -as [type])) {
        Add-Type -TypeDefinition @'
public class HttpResponseContext
{
    public System.Net.HttpStatusCode StatusCode { get; set; }
    public object Body { get; set; }
    public System.Collections.IDictionary Headers { get; set; }
    public string ContentType { get; set; }
}
'@
    }
    $global:LcFunctionBindings = [System.Collections.Generic.List[object]]::new()
    function global:Push-OutputBinding([string] $Name, $Value) { $global:LcFunctionBindings.Add([pscustomobject]@{ Name = $Name; Value = $Value }) }

    # Runs run.ps1 with a request; returns the one response it pushed.
    function Invoke-Function([string] $Body, [string] $Signature) {
        $global:LcFunctionBindings.Clear()
        $headers = @{ 'content-type' = 'application/json' }
        if ($null -ne $Signature) { $headers['x-ghl-signature'] = $Signature }
        $request = [pscustomobject]@{ Method = 'POST'; Headers = $headers; RawBody = $Body; Body = ($Body | ConvertFrom-Json -AsHashtable) }
        $null = & $runPs1 -Request $request -TriggerMetadata @{} 3>$null 6>$null
        $global:LcFunctionBindings.Count | Should -Be 1 -Because 'run.ps1 pushes one response'
        $global:LcFunctionBindings[0].Name | Should -Be 'Response'
        $global:LcFunctionBindings[0].Value
    }

    function Get-Sends { @(Get-EmulatorRequests -Method POST -PathPrefix '/conversations/messages') }

    function New-InboundSms {
        $b = (Get-WebhookFixture -Name InboundMessage.Sms).Replace('cI08i1Bls3iTB9bKgFJh', 'contact-a006').Replace('fcanlLgpbQgQhderivVs', 'conv-a006')
        [pscustomobject]@{ Body = $b; Signature = (New-TestEd25519Signature -Key $key -Body $b) }
    }
}

AfterAll {
    $env:LC_WEBHOOK_PUBLIC_KEY = $savedKey
    Remove-Item -Path Function:\Push-OutputBinding -ErrorAction SilentlyContinue
    Remove-Variable -Name LcFunctionBindings -Scope Global -ErrorAction SilentlyContinue
    if (Get-Command -Name Complete-TestSession -ErrorAction SilentlyContinue) { Complete-TestSession }
}

Describe 'examples/AzureFunctions InboundSms' -Skip:($PSVersionTable.PSEdition -ne 'Core') {
    BeforeEach {
        Reset-Emulator
        Disconnect-Lc
        $null = Connect-TestLc -Tenant alpha
        $env:LC_WEBHOOK_PUBLIC_KEY = $key.PublicPem
    }

    It 'answers a signed inbound SMS once, to the contact who wrote, and returns 200' {
        $w = New-InboundSms
        $response = Invoke-Function -Body $w.Body -Signature $w.Signature
        $response.StatusCode | Should -Be ([System.Net.HttpStatusCode]::OK)
        $sends = Get-Sends
        $sends.Count | Should -Be 1
        $sent = Get-RequestBody -Request $sends[0]
        $sent.contactId | Should -Be 'contact-a006'
        $sent.type | Should -Be 'SMS'
        $sent.message | Should -Match 'Thanks'
    }

    It 'returns 401 and sends nothing for a tampered body or a missing signature' {
        $w = New-InboundSms
        (Invoke-Function -Body $w.Body.Replace('test message', 'STOP') -Signature $w.Signature).StatusCode | Should -Be ([System.Net.HttpStatusCode]::Unauthorized)
        (Invoke-Function -Body $w.Body -Signature $null).StatusCode | Should -Be ([System.Net.HttpStatusCode]::Unauthorized)
        (Get-Sends).Count | Should -Be 0
    }

    It 'returns 409 for the same webhook delivered again, and the reply is still sent once' {
        $w = New-InboundSms
        (Invoke-Function -Body $w.Body -Signature $w.Signature).StatusCode | Should -Be ([System.Net.HttpStatusCode]::OK)
        (Invoke-Function -Body $w.Body -Signature $w.Signature).StatusCode | Should -Be ([System.Net.HttpStatusCode]::Conflict)
        (Get-Sends).Count | Should -Be 1
    }

    It 'returns 200 without sending for an event that is not an inbound SMS' {
        $b = Get-WebhookFixture -Name OutboundMessage.Sms
        (Invoke-Function -Body $b -Signature (New-TestEd25519Signature -Key $key -Body $b)).StatusCode | Should -Be ([System.Net.HttpStatusCode]::OK)
        $b = Get-WebhookFixture -Name InboundMessage.Email
        (Invoke-Function -Body $b -Signature (New-TestEd25519Signature -Key $key -Body $b)).StatusCode | Should -Be ([System.Net.HttpStatusCode]::OK)
        (Get-Sends).Count | Should -Be 0
    }
}
