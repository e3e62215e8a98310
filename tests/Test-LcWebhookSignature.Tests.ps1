# Test-LcWebhookSignature: Ed25519 (x-ghl-signature) with a key pair made here, the legacy RSA-SHA256 (x-wh-signature)
# with an RSA key pair made here and the documented key, every key encoding, and clear errors for malformed input.

BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    Import-LeadConnector
    Import-Module (Join-Path $PSScriptRoot 'fixtures/webhooks/WebhookSigning.psm1') -Force
    $key = New-TestEd25519Key
    $other = New-TestEd25519Key
    $rsa = New-TestRsaKey
    $body = Get-WebhookFixture -Name InboundMessage.Sms
    $signature = New-TestEd25519Signature -Key $key -Body $body
    $savedVariable = $env:LC_WEBHOOK_PUBLIC_KEY
}

AfterAll {
    $env:LC_WEBHOOK_PUBLIC_KEY = $savedVariable
}

Describe 'Test-LcWebhookSignature' {
    BeforeEach { $env:LC_WEBHOOK_PUBLIC_KEY = $null }

    It 'is true for a good Ed25519 signature with the key as <Form>' -TestCases @(
        @{ Form = 'PEM'; Property = 'PublicPem' }, @{ Form = 'base64'; Property = 'PublicBase64' }, @{ Form = 'hex'; Property = 'PublicHex' }
    ) {
        $r = Test-LcWebhookSignature -Body $body -Signature $signature -PublicKey $key.$Property
        $r | Should -BeOfType [bool]
        $r | Should -BeTrue
        (Get-Command Test-LcWebhookSignature).OutputType.Type | Should -Be ([bool])
    }

    It 'verifies the exact bytes: a byte[] body works, and a string is UTF-8 encoded as it is' {
        $text = $body.Replace('This is a test message', 'Grüße, ça va? ✓')
        $sig = New-TestEd25519Signature -Key $key -Body $text
        Test-LcWebhookSignature -Body $text -Signature $sig -PublicKey $key.PublicPem | Should -BeTrue
        $bytes = [System.Text.Encoding]::UTF8.GetBytes($text)
        Test-LcWebhookSignature -Body $bytes -Signature $sig -PublicKey $key.PublicPem | Should -BeTrue
        # The same JSON re-serialised (other whitespace) is other bytes: not signed.
        $reformatted = $text | ConvertFrom-Json | ConvertTo-Json -Compress
        Test-LcWebhookSignature -Body $reformatted -Signature $sig -PublicKey $key.PublicPem | Should -BeFalse
    }

    It 'is false for a tampered body, another key''s signature, or a signature of another body' {
        Test-LcWebhookSignature -Body $body.Replace('test message', 'test massage') -Signature $signature -PublicKey $key.PublicPem | Should -BeFalse
        Test-LcWebhookSignature -Body ($body + "`n") -Signature $signature -PublicKey $key.PublicPem | Should -BeFalse
        Test-LcWebhookSignature -Body $body -Signature $signature -PublicKey $other.PublicPem | Should -BeFalse
        $otherSig = New-TestEd25519Signature -Key $key -Body 'another body'
        Test-LcWebhookSignature -Body $body -Signature $otherSig -PublicKey $key.PublicPem | Should -BeFalse
    }

    It 'reads the key from LC_WEBHOOK_PUBLIC_KEY when -PublicKey is not given; -PublicKey wins over it' {
        $env:LC_WEBHOOK_PUBLIC_KEY = $key.PublicPem
        Test-LcWebhookSignature -Body $body -Signature $signature | Should -BeTrue
        Test-LcWebhookSignature -Body $body -Signature $signature -PublicKey $other.PublicHex | Should -BeFalse
        # A PEM in one line with literal \n (as some settings stores hold it) reads too.
        $env:LC_WEBHOOK_PUBLIC_KEY = $key.PublicPem.Replace("`n", '\n')
        Test-LcWebhookSignature -Body $body -Signature $signature | Should -BeTrue
    }

    It 'without any Ed25519 key writes NoWebhookPublicKey and outputs nothing' {
        $r = Test-LcWebhookSignature -Body $body -Signature $signature -ErrorVariable err -ErrorAction SilentlyContinue
        $r | Should -BeNullOrEmpty
        Assert-LcError $err -ErrorId NoWebhookPublicKey -Category InvalidArgument
        $err[0].Exception.Message | Should -Match 'LC_WEBHOOK_PUBLIC_KEY'
    }

    It 'writes InvalidWebhookPublicKey (InvalidArgument) for a malformed key: <Case>' -TestCases @(
        @{ Case = 'not base64 or hex'; Bad = 'not a key!' }
        @{ Case = 'wrong length'; Bad = 'AAECAwQF' }
        @{ Case = 'broken PEM'; Bad = "-----BEGIN PUBLIC KEY-----`n%%%`n-----END PUBLIC KEY-----" }
    ) {
        $r = Test-LcWebhookSignature -Body $body -Signature $signature -PublicKey $Bad -ErrorVariable err -ErrorAction SilentlyContinue
        $r | Should -BeNullOrEmpty
        Assert-LcError $err -ErrorId InvalidWebhookPublicKey -Category InvalidArgument
        $err[0].Exception.GetType().FullName | Should -Be 'LeadConnector.LcException'
    }

    It 'refuses an RSA key for Ed25519 and says to use -Legacy' {
        $null = Test-LcWebhookSignature -Body $body -Signature $signature -PublicKey $rsa.PublicPem -ErrorVariable err -ErrorAction SilentlyContinue
        Assert-LcError $err -ErrorId InvalidWebhookPublicKey -Category InvalidArgument
        $err[0].Exception.Message | Should -Match '-Legacy'
    }

    It 'writes InvalidWebhookSignatureFormat (InvalidArgument) for a malformed signature: <Case>' -TestCases @(
        @{ Case = 'not base64'; Bad = '***' }
        @{ Case = 'empty'; Bad = '' }
        @{ Case = '32 bytes, not 64'; Bad = [Convert]::ToBase64String([byte[]]::new(32)) }
    ) {
        $r = Test-LcWebhookSignature -Body $body -Signature $Bad -PublicKey $key.PublicPem -ErrorVariable err -ErrorAction SilentlyContinue
        $r | Should -BeNullOrEmpty
        Assert-LcError $err -ErrorId InvalidWebhookSignatureFormat -Category InvalidArgument
    }

    It 'refuses a parsed body (hashtable) with advice to pass the raw body' {
        $null = Test-LcWebhookSignature -Body @{ type = 'InboundMessage' } -Signature $signature -PublicKey $key.PublicPem -ErrorVariable err -ErrorAction SilentlyContinue
        Assert-LcError $err -ErrorId InvalidWebhookBody -Category InvalidArgument
        $err[0].Exception.Message | Should -Match 'RawBody'
    }
}

Describe 'Test-LcWebhookSignature -Legacy (x-wh-signature, RSA-SHA256)' -Skip:($PSVersionTable.PSEdition -ne 'Core') {
    It 'is true for a good RSA-SHA256 signature with the key as PEM or base64 DER, false when tampered' {
        $sig = New-TestRsaSignature -Key $rsa -Body $body
        Test-LcWebhookSignature -Body $body -Signature $sig -PublicKey $rsa.PublicPem -Legacy | Should -BeTrue
        Test-LcWebhookSignature -Body $body -Signature $sig -PublicKey $rsa.PublicBase64 -Legacy | Should -BeTrue
        Test-LcWebhookSignature -Body ($body + ' ') -Signature $sig -PublicKey $rsa.PublicPem -Legacy | Should -BeFalse
    }

    It 'uses the documented HighLevel key when no key is given (a test key''s signature does not match it)' {
        $sig = New-TestRsaSignature -Key $rsa -Body $body
        $r = Test-LcWebhookSignature -Body $body -Signature $sig -Legacy -ErrorVariable err
        $err | Should -BeNullOrEmpty -Because 'the documented key parses'
        $r | Should -BeFalse
        # LC_WEBHOOK_PUBLIC_KEY is the Ed25519 key: -Legacy does not read it.
        $env:LC_WEBHOOK_PUBLIC_KEY = $key.PublicPem
        try { Test-LcWebhookSignature -Body $body -Signature $sig -Legacy | Should -BeFalse }
        finally { $env:LC_WEBHOOK_PUBLIC_KEY = $null }
    }

    It 'refuses an Ed25519 key for -Legacy' {
        $sig = New-TestRsaSignature -Key $rsa -Body $body
        $null = Test-LcWebhookSignature -Body $body -Signature $sig -PublicKey $key.PublicPem -Legacy -ErrorVariable err -ErrorAction SilentlyContinue
        Assert-LcError $err -ErrorId InvalidWebhookPublicKey -Category InvalidArgument
    }
}

Describe 'BouncyCastle in the module''s isolation context' -Skip:($PSVersionTable.PSEdition -ne 'Core') {
    It 'ships in bin/Dependencies and bin/Desktop, loads only when a signature is checked, and then in the LeadConnector context' {
        $bin = Join-Path (Get-RepoRoot) 'bin'
        Join-Path $bin 'Dependencies/BouncyCastle.Cryptography.dll' | Should -Exist
        Join-Path $bin 'Desktop/BouncyCastle.Cryptography.dll' | Should -Exist
        $script = @'
$ErrorActionPreference = 'Stop'
Import-Module '__MANIFEST__'
function Report { foreach ($a in [AppDomain]::CurrentDomain.GetAssemblies()) { if ($a.GetName().Name -eq 'BouncyCastle.Cryptography') { "$($args[0]) $([System.Runtime.Loader.AssemblyLoadContext]::GetLoadContext($a).Name)" } } }
Report import
"result $(Test-LcWebhookSignature -Body '{}' -Signature 'eA==' -Legacy)"
Report verify
'@
        $script = $script.Replace('__MANIFEST__', (Join-Path (Get-RepoRoot) 'LeadConnector.psd1'))
        $pwsh = Join-Path $PSHOME 'pwsh'
        if ($IsWindows) { $pwsh += '.exe' }
        $output = @(& $pwsh -NoProfile -NonInteractive -OutputFormat Text -Command $script 2>&1 | ForEach-Object { "$_" })
        $LASTEXITCODE | Should -Be 0 -Because ($output -join "`n")
        $output | Should -Contain 'result False'
        @($output | Where-Object { $_ -like 'import *' }) | Should -BeNullOrEmpty
        $output | Should -Contain 'verify LeadConnector'
    }
}
