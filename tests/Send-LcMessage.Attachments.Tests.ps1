BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    $BaseUri = Initialize-TestSession

    # What the emulator's upload routes received (names, content types, sizes, SHA-256, form fields, Authorization sent).
    function Get-Uploads {
        @((Invoke-RestMethod -Method Get -Uri ((Get-EmulatorUri) + '/_emulator/uploads') -TimeoutSec 30).uploads) | Where-Object { $null -ne $_ }
    }
    function Clear-Uploads { $null = Invoke-RestMethod -Method Delete -Uri ((Get-EmulatorUri) + '/_emulator/uploads') -TimeoutSec 30 }
    function Get-Posts([string] $Path) { @(Get-EmulatorRequests -Method POST | Where-Object { $_.path -eq $Path }) }
    function Get-FormValues($Upload, [string] $Name) { @($Upload.fields.$Name) }

    # A file of $Size bytes whose content is deterministic (not all zeros), written without holding it all in memory.
    function New-TestFile([string] $Name, [long] $Size) {
        $path = Join-Path $TestDrive $Name
        $stream = [System.IO.File]::Create($path)
        try {
            $chunk = [byte[]]::new([Math]::Min([long] 65536, [Math]::Max([long] 1, $Size)))
            for ($i = 0; $i -lt $chunk.Length; $i++) { $chunk[$i] = [byte](($i * 31 + 7) % 251) }
            $left = $Size
            while ($left -gt 0) {
                $n = [int] [Math]::Min([long] $chunk.Length, $left)
                $stream.Write($chunk, 0, $n)
                $left -= $n
            }
        }
        finally { $stream.Dispose() }
        $path
    }

    function Get-Sha256([string] $Path) { (Get-FileHash -LiteralPath $Path -Algorithm SHA256).Hash.ToLowerInvariant() }

    $Mb = 1024 * 1024
}

AfterAll {
    if (Get-Command -Name Complete-TestSession -ErrorAction SilentlyContinue) { Complete-TestSession }
}

Describe 'Send-LcMessage -AttachmentPath' {
    BeforeEach {
        Reset-Emulator
        Clear-Uploads
        Disconnect-Lc
        $null = Connect-TestLc -Tenant alpha
    }

    Context 'Small files: POST /conversations/messages/upload (multipart/form-data)' {
        It 'uploads the file first, then sends its URL with the message' {
            $pdf = New-TestFile -Name 'quote.pdf' -Size 20000

            $r = Send-LcMessage -ContactId contact-a003 -Type SMS -Message 'Your quote' -AttachmentPath $pdf

            $upload = @(Get-Posts '/conversations/messages/upload')
            $upload.Count | Should -Be 1
            Get-RequestHeader -Request $upload[0] -Name 'Content-Type' | Should -Match '^multipart/form-data; boundary='
            Get-RequestHeader -Request $upload[0] -Name 'Authorization' | Should -Match '^Bearer '
            $received = @(Get-Uploads)
            $received.Count | Should -Be 1
            $received[0].route | Should -Be 'direct'
            $received[0].fileName | Should -Be 'quote.pdf'
            $received[0].contentType | Should -Be 'application/pdf'
            $received[0].size | Should -Be 20000
            $received[0].sha256 | Should -Be (Get-Sha256 $pdf) -Because 'the bytes arrive unchanged'
            Get-FormValues $received[0] 'conversationId' | Should -Be 'conv-a003' -Because 'the contact''s conversation was looked up'
            Get-FormValues $received[0] 'contactId' | Should -Be 'contact-a003'
            Get-FormValues $received[0] 'locationId' | Should -Be 'loc-alpha'

            $send = @(Get-Posts '/conversations/messages')
            $send.Count | Should -Be 1
            $send[0].sequence | Should -BeGreaterThan $upload[0].sequence
            @((Get-RequestBody -Request $send[0]).attachments) | Should -Be @($received[0].url)
            $r.UploadedAttachments | Should -Be @($received[0].url)
            $r.ConversationId | Should -Be 'conv-a003'
        }

        It 'sends a message of files only, after the given -Attachments URLs, to the given -ConversationId without a look-up' {
            $a = New-TestFile -Name 'photo.JPG' -Size 3000
            $b = New-TestFile -Name 'notes.txt' -Size 10

            $null = Send-LcMessage -ContactId contact-a002 -ConversationId conv-a045 -Type SMS -Attachments 'https://files.example.com/map.png' -AttachmentPath $a, $b

            @(Get-EmulatorRequests -Method GET -PathPrefix '/conversations/search').Count | Should -Be 0
            $received = @(Get-Uploads)
            ($received.fileName) -join ',' | Should -Be 'photo.JPG,notes.txt'
            ($received.contentType) -join ',' | Should -Be 'image/jpeg,text/plain'
            foreach ($u in $received) {
                Get-FormValues $u 'conversationId' | Should -Be 'conv-a045'
                Get-FormValues $u 'attachmentUrls' | Should -Be 'https://files.example.com/map.png'
            }
            $body = Get-RequestBody -Request (Get-Posts '/conversations/messages')[0]
            $body.PSObject.Properties.Name | Should -Not -Contain 'message'
            @($body.attachments) -join ',' | Should -Be (@('https://files.example.com/map.png') + $received.url -join ',')
        }

        It 'resolves a relative path against the current PowerShell location' {
            $null = New-TestFile -Name 'relative.txt' -Size 42
            Push-Location $TestDrive
            try { $null = Send-LcMessage -ContactId contact-a004 -Type SMS -Message 'x' -AttachmentPath './relative.txt' }
            finally { Pop-Location }

            (Get-Uploads).fileName | Should -Be 'relative.txt'
        }

        It 'binds -ConversationId from a message piped in' {
            $message = Get-LcMessage -ConversationId conv-a006 -First 1
            $txt = New-TestFile -Name 'piped.txt' -Size 5

            $null = $message | Send-LcMessage -Type SMS -Message 'see file' -AttachmentPath $txt

            Get-FormValues (Get-Uploads)[0] 'conversationId' | Should -Be 'conv-a006'
            (Get-RequestBody -Request (Get-Posts '/conversations/messages')[0]).contactId | Should -Be $message.ContactId
        }

        It 'creates the contact''s conversation for the upload when the contact has none' {
            Remove-LcConversation -Id conv-a012 -Confirm:$false
            $txt = New-TestFile -Name 'new.txt' -Size 5

            $r = Send-LcMessage -ContactId contact-a012 -Type SMS -Message 'x' -AttachmentPath $txt

            $created = @(Get-Posts '/conversations/')
            $created.Count | Should -Be 1
            (Get-RequestBody -Request $created[0]).contactId | Should -Be 'contact-a012'
            $conversationId = Get-FormValues (Get-Uploads)[0] 'conversationId'
            $conversationId | Should -Not -Be 'conv-a012'
            $r.ConversationId | Should -Be $conversationId
        }

        It 'sends nothing with -WhatIf' {
            $txt = New-TestFile -Name 'whatif.txt' -Size 5
            $r = Send-LcMessage -ContactId contact-a003 -Type SMS -Message 'x' -AttachmentPath $txt -WhatIf

            $r | Should -BeNullOrEmpty
            @(Get-EmulatorRequests).Count | Should -Be 0
            @(Get-Uploads).Count | Should -Be 0
        }
    }

    Context 'Large files: upload/initiate, PUT to the signed URL, upload/complete' {
        It 'sends a WhatsApp file just over 5 MB through the signed URL, streamed, without the token, with progress' {
            $video = New-TestFile -Name 'clip.mp4' -Size (5 * $Mb + 1)
            $psd1 = Join-Path (Get-RepoRoot) 'LeadConnector.psd1'

            # A runspace of its own, to collect the progress records the cmdlet writes.
            $ps = [powershell]::Create()
            try {
                $null = $ps.AddScript({
                    param($Module, $Uri, $Token, $File)
                    Import-Module $Module
                    $null = Connect-Lc -AccessToken (ConvertTo-SecureString $Token -AsPlainText -Force) -BaseUri $Uri -LocationId loc-alpha
                    Send-LcMessage -ContactId contact-a003 -Type WhatsApp -Message 'the clip' -AttachmentPath $File
                }).AddArgument($psd1).AddArgument((Get-EmulatorUri)).AddArgument((Get-TestToken -Tenant alpha)).AddArgument($video)
                $r = $ps.Invoke()
                $ps.Streams.Error | Should -BeNullOrEmpty
                $progress = @($ps.Streams.Progress | Where-Object { $_.Activity -eq 'Send-LcMessage' })
            }
            finally { $ps.Dispose() }

            @(Get-Posts '/conversations/messages/upload').Count | Should -Be 0 -Because 'a file over 5 MB does not go through the direct upload'
            $initiate = @(Get-Posts '/conversations/messages/upload/initiate')
            $initiate.Count | Should -Be 1
            $ib = Get-RequestBody -Request $initiate[0]
            $ib.filename | Should -Be 'clip.mp4'
            $ib.contentType | Should -Be 'video/mp4'
            [long] $ib.fileSize | Should -Be (5 * $Mb + 1)
            $ib.channel | Should -Be 'WHATSAPP'
            $ib.conversationId | Should -Be 'conv-a003'
            $ib.locationId | Should -Be 'loc-alpha'

            $received = @(Get-Uploads)
            $received.Count | Should -Be 1
            $received[0].route | Should -Be 'signed'
            $received[0].size | Should -Be (5 * $Mb + 1)
            $received[0].contentType | Should -Be 'video/mp4'
            $received[0].sha256 | Should -Be (Get-Sha256 $video)
            $received[0].authorizationSent | Should -BeFalse -Because 'the signed URL carries its own signature; the token never goes to storage'

            $complete = @(Get-Posts '/conversations/messages/upload/complete')
            $complete.Count | Should -Be 1
            $cb = Get-RequestBody -Request $complete[0]
            $cb.filename | Should -Be 'clip.mp4'
            $cb.conversationId | Should -Be 'conv-a003'
            $cb.uploadId | Should -Not -BeNullOrEmpty
            $cb.filePath | Should -Match '^location/loc-alpha/conversations/conv-a003/'

            $send = @(Get-Posts '/conversations/messages')
            $send.Count | Should -Be 1
            @((Get-RequestBody -Request $send[0]).attachments) | Should -Be @($received[0].url)
            $send[0].sequence | Should -BeGreaterThan $complete[0].sequence
            @($r)[0].UploadedAttachments | Should -Be @($received[0].url)

            $progress.Count | Should -BeGreaterThan 0
            $progress[0].StatusDescription | Should -Match 'clip\.mp4'
            $progress[-1].RecordType | Should -Be 'Completed'
        }
    }

    Context 'Refusals: nothing is uploaded and nothing is sent' {
        It 'refuses <Name>' -TestCases @(
            @{ Name = 'a missing file'; Make = { Join-Path $TestDrive 'missing.pdf' }; Type = 'SMS'; Pattern = 'does not exist' }
            @{ Name = 'a folder'; Make = { $d = Join-Path $TestDrive 'folder.pdf'; $null = New-Item -ItemType Directory -Path $d -Force; $d }; Type = 'SMS'; Pattern = 'folder' }
            @{ Name = 'a type the API refuses'; Make = { New-TestFile -Name 'tool.exe' -Size 10 }; Type = 'SMS'; Pattern = 'type the API does not take' }
            @{ Name = 'a file without extension'; Make = { New-TestFile -Name 'README' -Size 10 }; Type = 'SMS'; Pattern = 'type the API does not take' }
            @{ Name = 'an empty file'; Make = { New-TestFile -Name 'empty.txt' -Size 0 }; Type = 'SMS'; Pattern = 'empty' }
            @{ Name = 'an SMS file just over 5 MB'; Make = { New-TestFile -Name 'big.pdf' -Size (5 * 1024 * 1024 + 1) }; Type = 'SMS'; Pattern = 'up to 5 MB' }
            @{ Name = 'an Email file just over 5 MB'; Make = { New-TestFile -Name 'big.zip' -Size (5 * 1024 * 1024 + 1) }; Type = 'Email'; Pattern = 'up to 5 MB' }
            @{ Name = 'a WhatsApp file just over 100 MB'; Make = {
                    $p = Join-Path $TestDrive 'huge.mp4'
                    $s = [System.IO.File]::Create($p); try { $s.SetLength(100 * 1024 * 1024 + 1) } finally { $s.Dispose() }
                    $p
                }; Type = 'WhatsApp'; Pattern = 'up to 100 MB' }
        ) {
            $path = & $Make
            $good = New-TestFile -Name 'good.txt' -Size 10
            $params = @{ ContactId = 'contact-a007'; Type = $Type; Message = 'x'; AttachmentPath = @($good, $path) }
            if ($Type -eq 'Email') { $params.Subject = 's' }

            $r = Send-LcMessage @params -ErrorVariable lcErr -ErrorAction SilentlyContinue

            $r | Should -BeNullOrEmpty
            Assert-LcError $lcErr -ErrorId InvalidMessage -Category InvalidArgument
            "$($lcErr[0])" | Should -Match $Pattern
            "$($lcErr[0])" | Should -Match 'Nothing was sent'
            @(Get-EmulatorRequests).Count | Should -Be 0 -Because 'the good file before it is not uploaded either'
            @(Get-Uploads).Count | Should -Be 0
        }

        It 'refuses a file it cannot read' -Skip:($IsWindows -or [Environment]::UserName -eq 'root' -or (& id -u) -eq '0') {
            $locked = New-TestFile -Name 'locked.pdf' -Size 10
            & chmod 000 $locked
            try {
                $null = Send-LcMessage -ContactId contact-a007 -Type SMS -Message x -AttachmentPath $locked -ErrorVariable lcErr -ErrorAction SilentlyContinue
            }
            finally { & chmod 644 $locked }
            Assert-LcError $lcErr -ErrorId InvalidMessage -Category InvalidArgument
            "$($lcErr[0])" | Should -Match 'cannot be read'
            @(Get-EmulatorRequests).Count | Should -Be 0
        }

        It 'refuses a path of another provider' {
            $null = Send-LcMessage -ContactId contact-a007 -Type SMS -Message x -AttachmentPath 'Env:\PATH' -ErrorVariable lcErr -ErrorAction SilentlyContinue
            Assert-LcError $lcErr -ErrorId InvalidMessage -Category InvalidArgument
            @(Get-EmulatorRequests).Count | Should -Be 0
        }

        It 'refuses a malformed -ConversationId with InvalidId' {
            $txt = New-TestFile -Name 'id.txt' -Size 5
            $null = Send-LcMessage -ContactId contact-a007 -ConversationId '../x' -Type SMS -Message x -AttachmentPath $txt -ErrorVariable lcErr -ErrorAction SilentlyContinue
            Assert-LcError $lcErr -ErrorId InvalidId -Category InvalidArgument
            @(Get-EmulatorRequests).Count | Should -Be 0
        }
    }

    Context 'No duplicates under a dropped connection' {
        It 'does not resend the upload POST, and sends no message, when the connection drops after the upload was processed' {
            $txt = New-TestFile -Name 'drop.txt' -Size 100
            Set-EmulatorFault -Method POST -PathPrefix '/conversations/messages/upload' -Kind DropConnection -Stage AfterProcessing -Count 1

            $r = Send-LcMessage -ContactId contact-a008 -Type SMS -Message 'x' -AttachmentPath $txt -ErrorVariable lcErr -ErrorAction SilentlyContinue

            $r | Should -BeNullOrEmpty
            @($lcErr).Count | Should -Be 1
            "$($lcErr[0])" | Should -Match 'upload'
            @(Get-Posts '/conversations/messages/upload').Count | Should -Be 1
            @(Get-Uploads).Count | Should -Be 1 -Because 'the server did process it once'
            @(Get-Posts '/conversations/messages').Count | Should -Be 0 -Because 'no message goes out with part of its files'
        }

        It 'does not resend the message POST when the connection drops after it was processed' {
            $txt = New-TestFile -Name 'drop2.txt' -Size 100
            $before = @(Get-LcMessage -ConversationId conv-a010 -All).Count
            # The first rule takes the upload (a 1 ms delay), so the drop hits the message POST that follows it.
            Set-EmulatorFault -Method POST -PathPrefix '/conversations/messages/upload' -Kind Delay -DelayMs 1 -Count 1
            Set-EmulatorFault -Method POST -PathPrefix '/conversations/messages' -Kind DropConnection -Stage AfterProcessing -Count 1

            $r = Send-LcMessage -ContactId contact-a010 -ConversationId conv-a010 -Type SMS -Message 'once' -AttachmentPath $txt -ErrorVariable lcErr -ErrorAction SilentlyContinue

            $r | Should -BeNullOrEmpty
            @($lcErr).Count | Should -Be 1
            @(Get-Posts '/conversations/messages/upload').Count | Should -Be 1
            @(Get-Posts '/conversations/messages').Count | Should -Be 1
            @(Get-LcMessage -ConversationId conv-a010 -All).Count | Should -Be ($before + 1)
        }

        It 'retries the upload POST after a 429 (it did not reach the application) and uploads once' {
            $txt = New-TestFile -Name 'limited.txt' -Size 100
            Set-EmulatorFault -Method POST -PathPrefix '/conversations/messages/upload' -Kind RateLimited -Count 1 -Headers @{ 'Retry-After' = '1' }

            $r = Send-LcMessage -ContactId contact-a011 -Type SMS -Message 'x' -AttachmentPath $txt

            $r.MessageId | Should -Not -BeNullOrEmpty
            @(Get-Posts '/conversations/messages/upload').Count | Should -Be 2
            @(Get-Uploads).Count | Should -Be 1
            (Get-Uploads)[0].sha256 | Should -Be (Get-Sha256 $txt) -Because 'the file is streamed anew for the second attempt'
        }
    }
}
