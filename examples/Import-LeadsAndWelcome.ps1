<#
.SYNOPSIS
    Imports leads from a CSV file and welcomes each new one with an SMS: the flagship pipeline, as a runbook that can
    be run again safely.

.DESCRIPTION
    The CSV has a header row with the API's camelCase names: firstName, lastName, email, phone, and any other field
    New-LcContact takes (companyName, tags, city, postalCode, source, ...). For example:

        firstName,lastName,email,phone,tags
        Ana,Lima,ana@example.com,+15550001111,"webinar; 2026"
        Bo,Ek,bo@example.com,+15550002222,webinar

    Every row is upserted (New-LcContact -Upsert: the contact that has the row's email or phone is updated, else one is
    made); then each contact the upsert made (IsNew) gets a conversation and the welcome message:

        Import-Csv leads.csv | New-LcContact -Upsert | New-LcConversation | Send-LcMessage -Type SMS -Message 'Welcome!'

    Running it again over the same file makes nothing twice: the contacts are found again (IsNew is false), so no second
    welcome is sent. Use -WelcomeAll to welcome contacts that existed before too; a contact that already has a
    conversation is welcomed in it.

    A row the API refuses is an error naming its position in the file and its email or phone; the other rows go on.
    The output is one summary object (Rows, Contacts, New, Welcomed, Failed). Requests run 8 at a time by default
    (-ThrottleLimit), paced to the API's rate limit. Uses the current connection (Connect-Lc first), or -Connection.

.PARAMETER Path
    The CSV file of leads.

.PARAMETER Message
    The welcome text (SMS). Default: 'Welcome!'.

.PARAMETER WelcomeAll
    Welcome every contact of the file, not only those the import made.

.PARAMETER ThrottleLimit
    How many requests may be in flight at once (default 8).

.PARAMETER Connection
    A connection from Connect-Lc -PassThru; the current connection when not given.

.EXAMPLE
    Connect-Lc -AccessToken $token -LocationId $location
    ./Import-LeadsAndWelcome.ps1 -Path ./leads.csv

.EXAMPLE
    ./Import-LeadsAndWelcome.ps1 -Path ./leads.csv -Message 'Thanks for joining our webinar!' -WhatIf
#>
[CmdletBinding(SupportsShouldProcess)]
param(
    [Parameter(Mandatory)]
    [ValidateScript({ Test-Path -LiteralPath $_ -PathType Leaf })]
    [string] $Path,

    [ValidateNotNullOrEmpty()]
    [string] $Message = 'Welcome!',

    [switch] $WelcomeAll,

    [ValidateRange(1, 64)]
    [int] $ThrottleLimit = 8,

    [object] $Connection
)

Import-Module LeadConnector
$common = @{ ThrottleLimit = $ThrottleLimit }
if ($Connection) { $common.Connection = $Connection }

$rows = @(Import-Csv -LiteralPath $Path)
$failed = 0

# 1. Upsert every row, in file order; a refused row is an error that names it (Row N (email)), the rest go on.
$contacts = @($rows | New-LcContact -Upsert @common -WhatIf:$WhatIfPreference -ErrorVariable +importErrors)
$failed += @($importErrors).Count

# 2. Welcome the new ones (or every one with -WelcomeAll). A contact with a conversation already is welcomed in it
#    (Send-LcMessage finds it); the others get one first.
$toWelcome = @($contacts | Where-Object { $WelcomeAll -or $_.IsNew -eq $true })
$withConversation = @{}
if ($WelcomeAll) {
    foreach ($c in $toWelcome) { if (Get-LcConversation -ContactId $c.Id -First 1 @common) { $withConversation[$c.Id] = $true } }
}
$needConversation = @($toWelcome | Where-Object { -not $withConversation.ContainsKey($_.Id) })
$sent = @(
    $needConversation | New-LcConversation @common -WhatIf:$WhatIfPreference -ErrorVariable +welcomeErrors |
        Send-LcMessage -Type SMS -Message $Message @common -WhatIf:$WhatIfPreference -ErrorVariable +welcomeErrors
    $toWelcome | Where-Object { $withConversation.ContainsKey($_.Id) } |
        Send-LcMessage -Type SMS -Message $Message @common -WhatIf:$WhatIfPreference -ErrorVariable +welcomeErrors
)
$failed += @($welcomeErrors).Count

[pscustomobject]@{
    Rows     = $rows.Count
    Contacts = $contacts.Count
    New      = @($contacts | Where-Object IsNew -eq $true).Count
    Welcomed = $sent.Count
    Failed   = $failed
}
