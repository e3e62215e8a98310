<#
.SYNOPSIS
    Scheduled cleanup: removes read conversations whose last message is older than a number of days.

.DESCRIPTION
    Meant for a scheduled task, a cron job or an Automation schedule. It connects from the environment
    (LC_ACCESS_TOKEN and LC_LOCATION_ID, as Connect-Lc does with no token given), finds read conversations that have
    been quiet for -OlderThanDays, and removes them. Run it with -WhatIf first: it lists what it would remove and
    removes nothing. Each conversation it removes is written to the output as a record, so the log of the run says
    exactly what went.

.PARAMETER OlderThanDays
    Remove read conversations whose last message is older than this many days. Default 365.

.PARAMETER Limit
    Remove at most this many in one run, so a mistake can never empty a location. Default 500.

.EXAMPLE
    $env:LC_ACCESS_TOKEN = '<token>'; $env:LC_LOCATION_ID = '<location id>'
    ./Remove-OldReadConversations.ps1 -OlderThanDays 730 -WhatIf

.EXAMPLE
    ./Remove-OldReadConversations.ps1 -OlderThanDays 730 -Limit 100 | Export-Csv removed.csv -NoTypeInformation
#>
[CmdletBinding(SupportsShouldProcess, ConfirmImpact = 'High')]
param(
    [ValidateRange(1, 36500)]
    [int] $OlderThanDays = 365,

    [ValidateRange(1, 100000)]
    [int] $Limit = 500,

    # Passed through to Connect-Lc: a proxy, or a test host.
    [uri] $BaseUri
)

$ErrorActionPreference = 'Stop'
Import-Module LeadConnector

$connect = @{}
if ($BaseUri) { $connect.BaseUri = $BaseUri }
Connect-Lc @connect -Quiet

$cutoff = [DateTimeOffset]::UtcNow.AddDays(-$OlderThanDays)
$old = @(Get-LcConversation -Status read -All |
        Where-Object { $_.LastMessageDate -and $_.LastMessageDate -lt $cutoff } |
        Sort-Object -Property LastMessageDate |
        Select-Object -First $Limit)

foreach ($conversation in $old) {
    if ($PSCmdlet.ShouldProcess("conversation $($conversation.Id) (last message $($conversation.LastMessageDate.UtcDateTime.ToString('u')))", 'Remove')) {
        # -Force: this script already asked (or -Confirm:$false / -WhatIf said so); ask again per conversation never.
        Remove-LcConversation -Id $conversation.Id -Force -ErrorAction Continue -ErrorVariable failed
        if (-not $failed) {
            [pscustomobject]@{
                Id              = $conversation.Id
                ContactId       = $conversation.ContactId
                LastMessageDate = $conversation.LastMessageDate
                RemovedAt       = [DateTimeOffset]::UtcNow
            }
        }
    }
}
Disconnect-Lc
