BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    $BaseUri = Initialize-TestSession
}

AfterAll {
    if (Get-Command -Name Complete-TestSession -ErrorAction SilentlyContinue) { Complete-TestSession }
}

Describe 'Get-LcMessageTranscription' {
    BeforeEach {
        Reset-Emulator
        Disconnect-Lc
        $null = Connect-TestLc -Tenant alpha
    }

    It 'gets the typed sentences with GET /conversations/locations/{locationId}/messages/{id}/transcription' {
        $sentences = @(Get-LcMessageTranscription -Id msg-call-a040)

        $sentences.Count | Should -Be 4
        $first = $sentences[0]
        $first.PSObject.TypeNames[0] | Should -Be 'LeadConnector.TranscriptionSentence'
        $first.MessageId | Should -Be 'msg-call-a040'
        $first.MediaChannel | Should -Be 1
        $first.SentenceIndex | Should -Be 1
        $first.StartSeconds | Should -Be 0
        $first.EndSeconds | Should -Be 3.4
        $first.Transcript | Should -Match '^Thanks for calling'
        $first.Confidence | Should -Be 0.97
        $first.Confidence | Should -BeOfType ([double])
        ($sentences.MediaChannel -join ',') | Should -Be '1,2,1,2'
        "$($sentences[1])" | Should -Be $sentences[1].Transcript
        $sent = @(Get-EmulatorRequests -Method GET)
        $sent.Count | Should -Be 1
        $sent[0].path | Should -Be '/conversations/locations/loc-alpha/messages/msg-call-a040/transcription'
    }

    It 'returns the downloaded text with -AsText (GET .../transcription/download)' {
        $text = Get-LcMessageTranscription -Id msg-call-a040 -AsText

        $text | Should -BeOfType ([string])
        $text | Should -Match 'Speaker 1: Thanks for calling'
        ($text -split "`n" | Where-Object { $_ }).Count | Should -Be 4
        (Get-EmulatorRequests -Method GET)[0].path | Should -Be '/conversations/locations/loc-alpha/messages/msg-call-a040/transcription/download'
    }

    It 'takes a message from the pipeline (its Id and LocationId)' {
        @(Get-LcMessage -Id msg-call-a040 | Get-LcMessageTranscription).Count | Should -Be 4
    }

    It 'uses -LocationId when given' {
        $null = Get-LcMessageTranscription -Id msg-call-a040 -LocationId loc-beta -ErrorVariable lcErr -ErrorAction SilentlyContinue
        Assert-LcError $lcErr -ErrorId ApiForbidden
        (Get-EmulatorRequests -Method GET)[0].path | Should -Be '/conversations/locations/loc-beta/messages/msg-call-a040/transcription'
    }

    It 'reads a single sentence object (the OpenAPI schema''s shape) and a wrapped list' {
        Set-EmulatorFault -Method GET -PathPrefix '/conversations/locations/' -Kind Status -StatusCode 200 -Count 1 `
            -Body '{"mediaChannel":"2","sentenceIndex":"1","startTime":"34","endTime":"45","transcript":"Hello.","confidence":"0.5"}'
        $one = @(Get-LcMessageTranscription -Id msg-call-a040)
        $one.Count | Should -Be 1
        $one[0].MediaChannel | Should -Be 2
        $one[0].StartSeconds | Should -Be 0.034
        $one[0].Confidence | Should -Be 0.5

        Set-EmulatorFault -Method GET -PathPrefix '/conversations/locations/' -Kind Status -StatusCode 200 -Count 1 `
            -Body '{"transcription":[{"mediaChannel":1,"sentenceIndex":1,"startTime":0,"endTime":10,"transcript":"a","confidence":1},{"mediaChannel":2,"sentenceIndex":2,"startTime":10,"endTime":20,"transcript":"b","confidence":0.9}]}'
        (@(Get-LcMessageTranscription -Id msg-call-a040).Transcript -join ',') | Should -Be 'a,b'
    }

    It 'writes InvalidApiResponse for an answer that is no transcription' {
        Set-EmulatorFault -Method GET -PathPrefix '/conversations/locations/' -Kind Status -StatusCode 200 -Count 1 -Body '"nope"'
        $null = Get-LcMessageTranscription -Id msg-call-a040 -ErrorVariable lcErr -ErrorAction SilentlyContinue
        Assert-LcError $lcErr -ErrorId InvalidApiResponse
    }

    It 'writes ApiNotFound for a message without a transcription and goes on with the next' {
        $r = @('msg-conv-a002-000', 'msg-call-a040' | Get-LcMessageTranscription -ErrorVariable lcErr -ErrorAction SilentlyContinue)
        Assert-LcError $lcErr -ErrorId ApiNotFound
        $r.Count | Should -Be 4
    }

    It 'refuses a malformed id before sending' {
        $null = Get-LcMessageTranscription -Id '../x' -ErrorVariable lcErr -ErrorAction SilentlyContinue
        Assert-LcError $lcErr -ErrorId InvalidId -Category InvalidArgument
        @(Get-EmulatorRequests).Count | Should -Be 0
    }

    It 'refuses a call without a location (NoLocationId) before sending' {
        Disconnect-Lc
        $null = Connect-TestLc -Tenant alpha -LocationId ''
        $null = Get-LcMessageTranscription -Id msg-call-a040 -ErrorVariable lcErr -ErrorAction SilentlyContinue
        Assert-LcError $lcErr -ErrorId NoLocationId
        @(Get-EmulatorRequests).Count | Should -Be 0
    }
}
